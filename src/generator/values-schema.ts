import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ChartDefinition } from '../charts/chart-definition';

/** A value the chart passes as it is into a field of a custom resource. */
export interface CrdFieldValue {
  /** The values type (a `definitions` entry of the generated schema) and its property holding the value. */
  readonly definition: string;
  readonly property: string;
  /** The vendored CRD (relative to the repository root; provenance in its folder's SOURCES.md), its version and the field's path (`[]`: list items). */
  readonly crd: string;
  readonly version: string;
  readonly field: readonly string[];
  /** Extra constraints upstream enforces outside the CRD schema. */
  readonly extra?: Record<string, unknown>;
}

/**
 * Values that land in a CRD field unchanged get the field's own schema, from the vendored CRD: the API
 * server would prune an unknown key or refuse a wrong type after install, Helm and `validate` refuse
 * them before. `kubevirt.bootImage.dataVolume.source` becomes the DataVolume's `spec.source` (CAPK v0.11.2
 * KubevirtMachineTemplate `dataVolumeTemplates[].spec.source`, CDI's DataVolumeSource), which CDI requires
 * to name exactly one source type.
 */
export const CRD_FIELD_VALUES: readonly CrdFieldValue[] = [{
  definition: 'DataVolumeBootValues',
  property: 'source',
  crd: 'test/schemas/crds/cluster-api-provider-kubevirt/infrastructure.cluster.x-k8s.io_kubevirtmachinetemplates.yaml',
  version: 'v1alpha1',
  field: ['spec', 'template', 'spec', 'virtualMachineTemplate', 'spec', 'dataVolumeTemplates', '[]', 'spec', 'source'],
  extra: { maxProperties: 1 },
}];

/** The openAPIV3Schema of a CRD field. */
export function crdFieldSchema(repoRoot: string, f: CrdFieldValue): Record<string, any> {
  const crd = YAML.parse(fs.readFileSync(path.join(repoRoot, f.crd), 'utf8'));
  const version = crd.spec.versions.find((v: any) => v.name === f.version);
  if (!version) throw new Error(`${f.crd}: no version ${f.version}`);
  let node = version.schema.openAPIV3Schema;
  for (const seg of f.field) {
    node = seg === '[]' ? node?.items : node?.properties?.[seg];
    if (!node) throw new Error(`${f.crd}: no field ${f.field.join('.')}`);
  }
  return node;
}

/**
 * A CRD's structural schema as a draft-07 values schema: objects refuse keys the CRD does not define
 * (the API server prunes them), objects without properties accept none (unless upstream keeps unknown
 * fields), int-or-string becomes either; descriptions, formats and `x-kubernetes-*` markers are dropped
 * (Helm's validators know neither the Kubernetes formats nor the markers).
 */
export function toValuesSchema(s: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  if (s['x-kubernetes-int-or-string']) return { anyOf: [{ type: 'integer' }, { type: 'string' }] };
  for (const key of ['type', 'enum', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'required', 'minProperties', 'maxProperties']) {
    if (s[key] !== undefined) out[key] = s[key];
  }
  if (s.properties) out.properties = Object.fromEntries(Object.entries<any>(s.properties).map(([k, v]) => [k, toValuesSchema(v)]));
  if (s.items) out.items = toValuesSchema(s.items);
  if (s.type === 'object' && !s['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = typeof s.additionalProperties === 'object' ? toValuesSchema(s.additionalProperties) : false;
  }
  return out;
}

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
  for (const f of CRD_FIELD_VALUES) {
    const def = generated.definitions?.[f.definition];
    if (!def) continue; // a type of another chart's contract
    if (!def.properties?.[f.property]) throw new Error(`values schema: no ${f.definition}.${f.property}`);
    const { description } = def.properties[f.property];
    def.properties[f.property] = { description, ...toValuesSchema(crdFieldSchema(repoRoot, f)), ...f.extra };
  }
  if (generated.properties?.nodeGroupDefaults) requireEveryDefault(generated, 'nodeGroupDefaults');
  const { $schema: _ignored, ...rest } = generated;
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: `${def.name} ${def.version} values`, ...rest };
}
