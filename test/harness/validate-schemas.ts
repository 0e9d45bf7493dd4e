/**
 * Schemas of the validity harness: vendored upstream CRDs (test/schemas/crds, see SOURCES.md
 * there) per API target, plus core Kubernetes kinds derived from @kubernetes/client-node's
 * models (test/schemas/k8s/core-models.json, see SOURCES.md there). Everything is turned into
 * plain JSON Schema with Kubernetes' structural-schema semantics made explicit, and compiled
 * with ajv once per schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats, { type FormatName } from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

/** API target: which upstream release line of CAPI and the Kamaji provider we validate against. */
export type Target = 'v1beta1' | 'v1beta2';

const CRD_ROOT = path.join(__dirname, '..', 'schemas', 'crds');
const SHARED_DIRS = ['cluster-api-provider-kubevirt', 'cluster-api-provider-openstack', 'flux', 'cert-manager', 'cluster-api-addon-provider-helm', 'kamaji', 'external-snapshotter'];

/** Vendored CRD folders of each target (only served versions of their CRDs count). */
export const TARGET_CRD_DIRS: Record<Target, readonly string[]> = {
  v1beta1: ['cluster-api-v1.10', 'kamaji-controlplane-provider-v0.19', ...SHARED_DIRS],
  v1beta2: ['cluster-api', 'kamaji-controlplane-provider', ...SHARED_DIRS],
};

/**
 * Kinds we render but have no schema for: their objects only get the ObjectMeta checks, and
 * the validation report lists them as skipped.
 */
export const UNVALIDATED_KINDS: ReadonlyMap<string, string> = new Map<string, string>([]);

/** A JSON schema for one apiVersion/kind, with where it came from. */
export interface KindSchema {
  readonly apiVersion: string;
  readonly kind: string;
  readonly source: string;
  readonly schema: JsonSchema;
}
export type JsonSchema = Record<string, any>;

/** Formats checked with ajv-formats' implementations. */
const AJV_FORMATS: FormatName[] = ['date-time', 'date', 'uuid', 'ipv4', 'ipv6'];
/** Formats checked with our own implementations (base64, integer ranges). */
const OWN_FORMATS = ['byte', 'int32', 'int64'];
/**
 * Formats Kubernetes knows (kube-openapi strfmt) that we accept without checking: uri, email
 * and hostname are here because ajv-formats is stricter than kube-openapi (which e.g. parses
 * `uri` with Go's url.Parse, accepting relative references). Any format outside these lists
 * is dropped from the schema with a note in {@link ignoredFormats}.
 */
const UNCHECKED_FORMATS = [
  'float', 'double', 'password', 'duration', 'uri', 'email', 'hostname', 'cidr', 'mac', 'bsonobjectid',
  'uuid3', 'uuid4', 'uuid5', 'isbn', 'isbn10', 'isbn13', 'creditcard', 'ssn', 'hexcolor', 'rgbcolor',
];
const KNOWN_FORMATS = new Set<string>([...AJV_FORMATS, ...OWN_FORMATS, ...UNCHECKED_FORMATS]);
/** Formats found in schemas that neither list knows (accepted unchecked). */
export const ignoredFormats = new Set<string>();

/**
 * Converts a Kubernetes structural schema node to JSON Schema:
 * - an object without `additionalProperties` and without
 *   `x-kubernetes-preserve-unknown-fields` gets `additionalProperties: false`, also when it has
 *   no `properties` at all (the API server would prune unknown fields silently; we report them);
 * - `x-kubernetes-int-or-string` -> `type: [integer, string]`;
 * - `nullable: true` adds `null` to the type (otherwise null is a type error);
 * - `x-kubernetes-embedded-resource` allows apiVersion/kind/metadata;
 * - descriptions are dropped; `default`, `x-kubernetes-validations` and the list-type
 *   annotations are kept for the walker (validate-walk.ts).
 */
export function structuralToJsonSchema(s: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(s)) {
    switch (k) {
      case 'description':
      case 'nullable':
      case 'x-kubernetes-int-or-string':
      case 'x-kubernetes-preserve-unknown-fields':
      case 'x-kubernetes-embedded-resource':
      case 'x-kubernetes-map-type':
        break;
      case 'properties':
        out.properties = Object.fromEntries(Object.entries(v as JsonSchema).map(([p, ps]) => [p, structuralToJsonSchema(ps)]));
        break;
      case 'items':
      case 'not':
        out[k] = structuralToJsonSchema(v);
        break;
      case 'additionalProperties':
        out[k] = typeof v === 'object' ? structuralToJsonSchema(v) : v;
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[k] = (v as JsonSchema[]).map(structuralToJsonSchema);
        break;
      case 'format':
        if (KNOWN_FORMATS.has(v)) out.format = v;
        else ignoredFormats.add(v);
        break;
      default:
        out[k] = v;
    }
  }
  if (s['x-kubernetes-int-or-string']) {
    out.type = ['integer', 'string'];
    // controller-gen also emits `anyOf: [{type: integer}, {type: string}]`: redundant now.
    if (out.anyOf?.length === 2 && out.anyOf.every((a: JsonSchema) => Object.keys(a).join() === 'type')) delete out.anyOf;
  }
  if (s['x-kubernetes-embedded-resource'] && out.properties) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
  }
  // `{type: object}` without properties is "no fields" for the API server (all pruned).
  const isObject = out.properties !== undefined || [].concat(out.type ?? []).includes('object' as never);
  if (isObject && s.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  if (s.nullable && out.type) {
    out.type = [...new Set([...[].concat(out.type), 'null'])];
    if (out.enum) out.enum = [...out.enum, null];
  }
  return out;
}

/** Top-level ObjectMeta is checked by validate-meta.ts, not by the CRD's `{type: object}`. */
function withoutMetadataSchema(schema: JsonSchema): JsonSchema {
  return { ...schema, properties: { ...schema.properties, metadata: {} } };
}

const dirCache = new Map<string, KindSchema[]>();
/** Served versions of the CRDs of one vendored folder, converted (cached per folder). */
function crdSchemas(dir: string): KindSchema[] {
  let list = dirCache.get(dir);
  if (list) return list;
  list = [];
  for (const file of readdirSync(path.join(CRD_ROOT, dir)).filter((f) => f.endsWith('.yaml')).sort()) {
    const crd = parseYaml(readFileSync(path.join(CRD_ROOT, dir, file), 'utf8'));
    for (const version of crd.spec.versions) {
      if (!version.served) continue;
      list.push({
        apiVersion: `${crd.spec.group}/${version.name}`,
        kind: crd.spec.names.kind,
        source: `crds/${dir}/${file}#${version.name}`,
        schema: withoutMetadataSchema(structuralToJsonSchema(version.schema.openAPIV3Schema)),
      });
    }
  }
  dirCache.set(dir, list);
  return list;
}

interface CoreModels {
  kinds: Record<string, string>;
  models: Record<string, { fields: Record<string, { type: string; format?: string; quantity?: boolean }>; required?: string[] }>;
}

/**
 * resource.Quantity: a string in Kubernetes' quantity syntax, or a JSON number (the API server
 * decodes `cpu: 1` too). Same pattern as controller-gen emits for quantities in CRDs.
 */
const QUANTITY: JsonSchema = {
  type: ['string', 'number'],
  pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
};

/** JSON schema for a type string of @kubernetes/client-node's attribute maps. */
function modelTypeToSchema(type: string, models: CoreModels['models'], format?: string, quantity?: boolean): JsonSchema {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { type: 'array', items: modelTypeToSchema(array[1], models, format, quantity) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  // Map formats apply to the values (Secret.data is `{[key]: string}` with format byte).
  if (map) return { type: 'object', additionalProperties: modelTypeToSchema(map[1], models, format, quantity) };
  switch (type) {
    case 'string':
      if (quantity) return QUANTITY;
      return format === 'byte' ? { type: 'string', format } : { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return format === 'int32' || format === 'int64' ? { type: 'integer', format } : { type: 'number' };
    case 'Date':
      return { type: 'string', format: 'date-time' };
    case 'IntOrString':
      return { type: ['integer', 'string'] };
    case 'any':
      return {};
  }
  if (models[type]) return { $ref: `#/$defs/${type}` };
  throw new Error(`unknown type in core-models.json: ${type}`);
}

let coreCache: KindSchema[] | undefined;
/** Core kinds (one JSON schema per kind, models as `$defs`), from core-models.json. */
function coreSchemas(): KindSchema[] {
  if (coreCache) return coreCache;
  const data: CoreModels = JSON.parse(readFileSync(path.join(__dirname, '..', 'schemas', 'k8s', 'core-models.json'), 'utf8'));
  const $defs = Object.fromEntries(
    Object.entries(data.models).map(([name, m]) => [
      name,
      {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(Object.entries(m.fields).map(([f, t]) => [f, modelTypeToSchema(t.type, data.models, t.format, t.quantity)])),
        ...(m.required ? { required: m.required } : {}),
      },
    ]),
  );
  coreCache = Object.entries(data.kinds).map(([key, model]) => {
    const i = key.lastIndexOf('/');
    return {
      apiVersion: key.slice(0, i),
      kind: key.slice(i + 1),
      source: `k8s/core-models.json#${model}`,
      schema: withoutMetadataSchema({ ...$defs[model], $defs }),
    };
  });
  return coreCache;
}

/** All schemas of a target, keyed by "apiVersion kind". */
export function targetSchemas(target: Target): Map<string, KindSchema> {
  const map = new Map<string, KindSchema>();
  for (const ks of [...TARGET_CRD_DIRS[target].flatMap(crdSchemas), ...coreSchemas()]) {
    const key = `${ks.apiVersion} ${ks.kind}`;
    if (map.has(key)) throw new Error(`duplicate schema for ${key} in target ${target}`);
    map.set(key, ks);
  }
  return map;
}

let ajvInstance: Ajv | undefined;
function ajv(): Ajv {
  if (!ajvInstance) {
    // allowUnionTypes: int-or-string and nullable become type unions. optimize: false halves the
    // compile time of the big schemas; the generated code is only run on a few objects.
    ajvInstance = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, validateFormats: true, code: { optimize: false } });
    addFormats(ajvInstance, AJV_FORMATS);
    ajvInstance.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
    ajvInstance.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n <= 2 ** 31 - 1 });
    ajvInstance.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) <= 2 ** 63 });
    for (const f of UNCHECKED_FORMATS) ajvInstance.addFormat(f, true);
    // Annotations used by the walker, not by ajv.
    ajvInstance.addVocabulary(['x-kubernetes-validations', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys']);
  }
  return ajvInstance;
}

const compiledCache = new WeakMap<JsonSchema, ValidateFunction>();
/** The ajv validator of a schema, compiled on first use and cached. */
export function compiledValidator(ks: KindSchema): ValidateFunction {
  let fn = compiledCache.get(ks.schema);
  if (!fn) {
    fn = ajv().compile(ks.schema);
    compiledCache.set(ks.schema, fn);
  }
  return fn;
}
