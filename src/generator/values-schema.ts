import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ChartDefinition } from '../charts/chart-definition';
import { KEY_FORMATS, RESERVED_KEYS, STRING_FORMATS } from '../values/formats';

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

/** Bounds of free-form values (addon chart values, DataVolume sources); the release size check bounds their sum. */
const FREE_FORM_LIMITS = { maxProperties: 256, maxItems: 256, maxLength: 16384 };

/** Schema nodes, depth first (objects and arrays of the schema itself). */
function* schemaNodes(node: unknown): Generator<Record<string, any>> {
  if (!node || typeof node !== 'object') return;
  if (!Array.isArray(node)) yield node as Record<string, any>;
  for (const child of Object.values(node)) yield* schemaNodes(child);
}

/** `properties` with the reserved keys refused (an own `__proto__` key needs defineProperty). */
function refuseReservedKeys(node: Record<string, any>): void {
  const properties: Record<string, unknown> = node.properties ?? {};
  for (const key of RESERVED_KEYS) Object.defineProperty(properties, key, { value: false, enumerable: true, writable: true, configurable: true });
  node.properties = properties;
}

/**
 * Formats (./values/formats.ts) applied to the types of the same name; maps with key formats get
 * `patternProperties` and `additionalProperties: false`, so that both Helm versions name a bad key
 * with its path (Helm 4 reports `propertyNames` errors at `''`); free-form values (`unknown`) become a
 * bounded recursive `FreeFormValue`; every map refuses the reserved keys.
 */
function applyFormats(schema: Record<string, any>): void {
  const defs = schema.definitions as Record<string, any>;
  for (const [name, format] of Object.entries(STRING_FORMATS)) {
    const def = defs[name];
    if (!def) continue;
    if (def.type !== 'string') throw new Error(`values schema: format ${name} applies to a string type, ${name} is ${def.type}`);
    def.pattern = format.pattern;
    if (format.maxLength !== undefined) def.maxLength = format.maxLength;
  }
  for (const [name, format] of Object.entries(KEY_FORMATS)) {
    const def = defs[name];
    if (!def) continue;
    if (def.type !== 'object' || typeof def.additionalProperties !== 'object') throw new Error(`values schema: key format ${name} applies to a map type`);
    def.patternProperties = { [format.pattern]: def.additionalProperties };
    def.additionalProperties = false;
    def.maxProperties = format.maxProperties;
  }
  let freeForm = false;
  for (const node of schemaNodes(schema)) {
    const ap = node.additionalProperties;
    if (ap === true || (ap && typeof ap === 'object' && !Array.isArray(ap) && Object.keys(ap).length === 0)) {
      node.additionalProperties = { $ref: '#/definitions/FreeFormValue' };
      node.maxProperties = FREE_FORM_LIMITS.maxProperties;
      freeForm = true;
    }
  }
  if (freeForm) {
    defs.FreeFormValue = {
      description: 'Any value (maps, lists, scalars), passed through.',
      additionalProperties: { $ref: '#/definitions/FreeFormValue' },
      items: { $ref: '#/definitions/FreeFormValue' },
      ...FREE_FORM_LIMITS,
    };
  }
  for (const node of schemaNodes(schema)) {
    if (node.patternProperties || (node.additionalProperties && typeof node.additionalProperties === 'object')) refuseReservedKeys(node);
  }
}

/**
 * The draft-07 values schema generated from the TypeScript values contract. Objects reject unknown
 * keys, `null` is refused wherever a type is declared, and formats apply (see {@link applyFormats}).
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
  // CRD fields first: requireEveryDefault copies the types it makes strict.
  for (const f of CRD_FIELD_VALUES) {
    const field = generated.definitions?.[f.definition];
    if (!field) continue; // a type of another chart's contract
    if (!field.properties?.[f.property]) throw new Error(`values schema: no ${f.definition}.${f.property}`);
    // The contract's documentation stays (description, `@see`, `@example` for values.yaml); the schema is the CRD's.
    const { description, see, example } = field.properties[f.property];
    field.properties[f.property] = { description, see, example, ...toValuesSchema(crdFieldSchema(repoRoot, f)), ...f.extra };
  }
  if (generated.properties?.nodeGroupDefaults && def.requireEveryNodeGroupDefault !== false) requireEveryDefault(generated, 'nodeGroupDefaults');
  applyFormats(generated);
  const { $schema: _ignored, ...rest } = generated;
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: `${def.name} ${def.version} values`, ...rest };
}
