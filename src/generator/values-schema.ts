import * as path from 'path';
import * as YAML from 'yaml';
import { ChartDefinition } from '../charts/chart-definition';

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** Map-typed values whose keys become parts of object names: their keys must be DNS labels. */
const NAMED_MAPS = ['nodeGroups', 'extraDisks'];

/**
 * Makes every key below a top-level property required, through the object types it refers to (not
 * into free-form maps or list items). For `nodeGroupDefaults`: Helm deletes a key a user sets to
 * `null` where the chart defaults have it, before validating, so `null` there must fail as a missing
 * key rather than render a node group with holes.
 */
function requireEveryDefault(schema: Record<string, any>, property: string): void {
  const defs = schema.definitions as Record<string, any>;
  const refName = (p: any): string | undefined => (typeof p?.$ref === 'string' ? p.$ref.replace('#/definitions/', '') : undefined);
  const requiredCopy = (name: string): string => {
    const copyName = `${name}AllRequired`;
    if (defs[copyName]) return copyName;
    const def = JSON.parse(JSON.stringify(defs[name]));
    defs[copyName] = def;
    def.required = Object.keys(def.properties ?? {});
    for (const p of Object.values<any>(def.properties ?? {})) {
      const ref = refName(p);
      if (ref && defs[ref]?.properties) p.$ref = `#/definitions/${requiredCopy(ref)}`;
    }
    return copyName;
  };
  const top = schema.properties[property];
  const ref = refName(top);
  if (!ref) throw new Error(`values schema: ${property} must refer to an object type`);
  top.$ref = `#/definitions/${requiredCopy(ref)}`;
}

/**
 * The draft-07 values schema generated from the TypeScript values contract. Objects reject unknown
 * keys, `null` is refused wherever a type is declared, and maps whose keys end up in object names
 * get `propertyNames`.
 */
export function generateValuesSchema(def: ChartDefinition, repoRoot: string): Record<string, any> {
  return generateValuesSchemas(def, repoRoot).schema;
}

/** Keywords of the JSDoc the documentation reads but the committed schema leaves out (not JSON Schema). */
const DOC_ONLY = ['see', 'example'];

/**
 * The values schema, and the same with what only the documentation reads (`see` from JSDoc `@see`,
 * `example` from `@example` as written). In the schema an example is a standard `examples` entry, and
 * there is no `default`: the chart's values.yaml is where defaults are written (once).
 */
export function generateValuesSchemas(def: ChartDefinition, repoRoot: string): { schema: Record<string, any>; docs: Record<string, any> } {
  const docs = generatedSchema(def, repoRoot);
  const schema = JSON.parse(JSON.stringify(docs));
  // Schema nodes only (not the names in `properties` or `definitions`, which are values keys and types).
  const clean = (node: any) => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    if (node.example !== undefined && node.examples === undefined) {
      node.examples = [typeof node.example === 'string' ? YAML.parse(node.example, { version: '1.1' }) : node.example];
    }
    for (const k of [...DOC_ONLY, 'default']) delete node[k];
    for (const k of ['properties', 'definitions', 'patternProperties']) Object.values<any>(node[k] ?? {}).forEach(clean);
    for (const k of ['additionalProperties', 'items', 'propertyNames', 'not', 'if', 'then', 'else']) clean(node[k]);
    for (const k of ['anyOf', 'oneOf', 'allOf']) (node[k] ?? []).forEach(clean);
  };
  clean(schema);
  return { schema, docs };
}

function generatedSchema(def: ChartDefinition, repoRoot: string): Record<string, any> {
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
    extraTags: DOC_ONLY,
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
  if (generated.properties?.nodeGroupDefaults) requireEveryDefault(generated, 'nodeGroupDefaults');
  const { $schema: _ignored, ...rest } = generated;
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: `${def.name} ${def.version} values`, ...rest };
}
