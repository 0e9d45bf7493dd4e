import * as path from 'path';
import { ChartDefinition } from '../charts/chart-definition';

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** Map-typed values whose keys become parts of object names: their keys must be DNS labels. */
const NAMED_MAPS = ['nodeGroups', 'extraDisks'];

/**
 * The draft-07 values schema generated from the TypeScript values contract. Objects reject unknown
 * keys, `null` is refused wherever a type is declared, and maps whose keys end up in object names
 * get `propertyNames`.
 */
export function generateValuesSchema(def: ChartDefinition, repoRoot: string): Record<string, any> {
  // Required lazily: a development-time dependency, not needed to render.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createGenerator } = require('ts-json-schema-generator');
  const generated = createGenerator({
    path: path.join(repoRoot, def.valuesType.file),
    type: def.valuesType.name,
    tsconfig: path.join(repoRoot, 'tsconfig.json'),
    additionalProperties: false,
    topRef: false,
    expose: 'export',
    jsDoc: 'extended',
    skipTypeCheck: true,
    sortProps: false,
  }).createSchema(def.valuesType.name);
  const addPropertyNames = (node: any) => {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node.properties ?? {})) {
      if (NAMED_MAPS.includes(key) && typeof (value as any).additionalProperties === 'object') {
        (value as any).propertyNames = { pattern: DNS_LABEL, maxLength: 40 };
      }
    }
    for (const child of Object.values(node)) if (child && typeof child === 'object') addPropertyNames(child);
  };
  addPropertyNames(generated);
  const { $schema: _ignored, ...rest } = generated;
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: `${def.name} ${def.version} values`, ...rest };
}
