/**
 * Validity harness: checks parsed rendered manifests against the upstream schema of their
 * kind, with the API server's semantics (see validate-schemas.ts, validate-meta.ts,
 * validate-walk.ts and cel.ts for the details):
 *
 *   const errors = validateObjects(parseManifests(renderedYaml), 'v1beta1');
 *   expect(formatErrors(errors)).toBe('');
 */
import type { ErrorObject } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { checkRule, type RuleCheck } from './cel';
import { checkObjectMeta, describe, keySegment } from './validate-meta';
import { compiledValidator, type JsonSchema, type Target, targetSchemas, UNVALIDATED_KINDS } from './validate-schemas';
import { applyDefaults, refResolver, walkSchema } from './validate-walk';

export type { Target } from './validate-schemas';
export { TARGET_CRD_DIRS, UNVALIDATED_KINDS } from './validate-schemas';
export { UNSUPPORTED_CEL_RULES } from './cel';

/** One validation problem of one rendered object. */
export interface ValidationError {
  /** `Kind/namespace/name`, or `Kind/name` for objects without a namespace. */
  object: string;
  /** Where in the object, like `spec.template.spec.containers[0].image` (`''` = the object). */
  path: string;
  message: string;
}

/** A check that was knowingly not done (unvalidated kind, or a listed unsupported CEL rule). */
export interface SkippedCheck {
  object: string;
  path: string;
  reason: string;
}

/** Errors plus what was skipped. */
export interface ValidationReport {
  errors: ValidationError[];
  skipped: SkippedCheck[];
}

const schemaCache = new Map<Target, ReturnType<typeof targetSchemas>>();
function schemasOf(target: Target) {
  let m = schemaCache.get(target);
  if (!m) {
    m = targetSchemas(target);
    schemaCache.set(target, m);
  }
  return m;
}

/**
 * Validates parsed Kubernetes objects against the schemas of `target` and returns every
 * problem found (empty = valid). See {@link validateObjectsReport} for the skipped checks.
 */
export function validateObjects(objects: unknown[], target: Target): ValidationError[] {
  return validateObjectsReport(objects, target).errors;
}

/**
 * Validates parsed Kubernetes objects like {@link validateObjects}, and also reports the
 * checks that were skipped on purpose.
 */
export function validateObjectsReport(objects: unknown[], target: Target): ValidationReport {
  const report: ValidationReport = { errors: [], skipped: [] };
  objects.forEach((obj, index) => validateOne(obj, index, target, report));
  return report;
}

function validateOne(obj: unknown, index: number, target: Target, report: ValidationReport): void {
  const object = objectId(obj, index);
  const add = (path: string, message: string) => {
    if (!report.errors.some((e) => e.object === object && e.path === path && e.message === message)) report.errors.push({ object, path, message });
  };
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return add('', `must be an object, got ${describe(obj)}`);
  const o = obj as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return add('', 'apiVersion and kind must be strings');
  for (const p of o.metadata === undefined ? [{ path: 'metadata', message: 'required field missing' }] : checkObjectMeta(o.metadata, o.kind)) add(p.path, p.message);

  const key = `${o.apiVersion} ${o.kind}`;
  const unvalidated = UNVALIDATED_KINDS.get(key);
  if (unvalidated) {
    report.skipped.push({ object, path: '', reason: `kind not validated: ${unvalidated}` });
    return;
  }
  const ks = schemasOf(target).get(key);
  if (!ks) return add('', `no schema for ${o.apiVersion} ${o.kind} in target ${target}`);

  // The API server applies defaults before validating (CEL rules rely on them).
  const data = structuredClone(o);
  const resolve = refResolver(ks.schema);
  applyDefaults(data, ks.schema, resolve);
  const validate = compiledValidator(ks);
  if (!validate(data)) for (const e of validate.errors ?? []) add(...ajvError(e, data));
  for (const f of walkSchema(data, ks.schema, '', resolve)) {
    if (f.skipped) report.skipped.push({ object, path: f.path, reason: f.message });
    else add(f.path, f.message);
  }
}

/** `Kind/namespace/name` (or `Kind/name`, or `#index` for non-objects). */
function objectId(obj: unknown, index: number): string {
  const o = (obj ?? {}) as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  if (typeof o.kind !== 'string') return `#${index}`;
  const name = String(o.metadata?.name ?? `#${index}`);
  return o.metadata?.namespace ? `${o.kind}/${o.metadata.namespace}/${name}` : `${o.kind}/${name}`;
}

/** Converts an ajv error to [path, message] with our path syntax and Kubernetes wording. */
function ajvError(e: ErrorObject, data: unknown): [string, string] {
  let path = '';
  let value: unknown = data;
  for (const raw of e.instancePath.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = Array.isArray(value) ? `${path}[${seg}]` : path + keySegment(seg);
    value = (value as any)?.[seg];
  }
  const at = (key: string) => (path + keySegment(key)).replace(/^\./, '');
  path = path.replace(/^\./, '');
  switch (e.keyword) {
    case 'additionalProperties':
      return [at(e.params.additionalProperty), `unknown field "${e.params.additionalProperty}"`];
    case 'required':
      return [at(e.params.missingProperty), 'required field missing'];
    case 'type':
      return [path, `must be ${[].concat(e.params.type).join(' or ')}, got ${describe(value)}`];
    case 'enum':
      return [path, `must be one of ${JSON.stringify(e.params.allowedValues)}, got ${describe(value)}`];
    case 'format':
      return [path, `must be a valid ${e.params.format}, got ${describe(value)}`];
    default:
      return [path, `${e.message ?? e.keyword}${typeof value === 'object' ? '' : `, got ${describe(value)}`}`];
  }
}

/** Human-readable listing, one error a line: `Kind/ns/name: path: message` ('' if none). */
export function formatErrors(errors: ValidationError[]): string {
  return errors.map((e) => `${e.object}: ${e.path === '' ? '' : `${e.path}: `}${e.message}`).join('\n');
}

/** A CEL rule of a schema, where it sits, and whether we evaluate it. */
export interface CelRuleInfo {
  apiVersion: string;
  kind: string;
  path: string;
  rule: string;
  check: RuleCheck;
}

/** Every `x-kubernetes-validations` rule in the schemas of a target, classified. */
export function celRuleInventory(target: Target): CelRuleInfo[] {
  const out: CelRuleInfo[] = [];
  const visit = (s: JsonSchema | undefined, path: string, base: { apiVersion: string; kind: string }) => {
    if (!s || typeof s !== 'object') return;
    for (const r of s['x-kubernetes-validations'] ?? []) out.push({ ...base, path, rule: r.rule, check: checkRule(r.rule) });
    for (const [k, v] of Object.entries<JsonSchema>(s.properties ?? {})) visit(v, (path + keySegment(k)).replace(/^\./, ''), base);
    visit(s.items, `${path}[*]`, base);
    if (typeof s.additionalProperties === 'object') visit(s.additionalProperties, `${path}[*]`, base);
    for (const k of ['allOf', 'anyOf', 'oneOf']) for (const sub of s[k] ?? []) visit(sub, path, base);
  };
  for (const ks of schemasOf(target).values()) visit(ks.schema, '', ks);
  return out;
}

/**
 * Parses a multi-document YAML stream like Kubernetes (sigs.k8s.io/yaml on go-yaml v2):
 * YAML 1.1 scalars (`yes`/`on`/`y` are booleans, `012` is octal), but timestamps and
 * sexagesimal numbers (`1:20`) stay strings as go-yaml leaves them for untyped targets.
 * Empty (or null) documents are skipped. Throws on the first broken document, naming its
 * 0-based index in the stream.
 */
export function parseManifests(text: string): unknown[] {
  const docs = parseAllDocuments(text, {
    version: '1.1',
    uniqueKeys: true,
    customTags: (tags) => tags.filter((t) => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME')),
  });
  const out: unknown[] = [];
  (Array.isArray(docs) ? docs : []).forEach((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`YAML document ${i}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  });
  return out;
}
