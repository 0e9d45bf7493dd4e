/**
 * The schema-guided walks of the validity harness that ajv cannot do: applying `default`s
 * (the API server defaults before it validates), evaluating `x-kubernetes-validations` CEL
 * rules, list-type uniqueness (`set`/`map` lists), and label/annotation syntax of nested
 * `metadata` (pod templates, machine templates, KubeVirt VM templates).
 */
import { checkRule, evaluateMessage, evaluateRule, toCelValue, UNSUPPORTED_CEL_RULES } from './cel';
import { checkLabelsAndAnnotations, keySegment } from './validate-meta';
import type { JsonSchema } from './validate-schemas';

/** A problem or a skipped check found by {@link walkSchema}, relative to the object. */
export interface WalkFinding {
  path: string;
  message: string;
  skipped?: boolean;
}

/** Resolves `$ref: '#/$defs/X'` (core kinds) against the root schema. */
export function refResolver(root: JsonSchema): (s: JsonSchema | undefined) => JsonSchema | undefined {
  return (s) => {
    const ref: string | undefined = s?.$ref;
    return ref ? root.$defs?.[ref.replace('#/$defs/', '')] : s;
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function join(path: string, key: string): string {
  const seg = keySegment(key);
  return path === '' && seg.startsWith('.') ? seg.slice(1) : path + seg;
}

/** Fills in missing properties that have a schema `default`, recursively (mutates `value`). */
export function applyDefaults(value: unknown, schema: JsonSchema | undefined, resolve: ReturnType<typeof refResolver>): void {
  const s = resolve(schema);
  if (!s) return;
  if (isPlainObject(value)) {
    for (const [key, propSchema] of Object.entries<JsonSchema>(s.properties ?? {})) {
      const p = resolve(propSchema);
      if (value[key] === undefined && p?.default !== undefined) value[key] = structuredClone(p.default);
      if (value[key] !== undefined) applyDefaults(value[key], p, resolve);
    }
    if (typeof s.additionalProperties === 'object') {
      for (const key of Object.keys(value)) if (!s.properties?.[key]) applyDefaults(value[key], s.additionalProperties, resolve);
    }
  } else if (Array.isArray(value) && s.items) {
    for (const item of value) applyDefaults(item, s.items, resolve);
  }
}

/**
 * Walks `value` along `schema` and reports CEL rule failures, duplicate entries of
 * set/map lists, and bad labels/annotations in nested `metadata`. Type mismatches are left
 * to ajv: the walk just does not descend into them.
 */
export function walkSchema(value: unknown, schema: JsonSchema | undefined, path: string, resolve: ReturnType<typeof refResolver>, out: WalkFinding[] = []): WalkFinding[] {
  const s = resolve(schema);
  if (!s || value === null || value === undefined) return out;
  for (const rule of (s['x-kubernetes-validations'] ?? []) as Array<{ rule: string; message?: string; messageExpression?: string; fieldPath?: string }>) {
    const finding = runRule(rule, value, s, path, resolve);
    if (finding) out.push(finding);
  }
  if (Array.isArray(value)) {
    out.push(...listTypeProblems(value, s, path));
    value.forEach((item, i) => walkSchema(item, s.items, `${path}[${i}]`, resolve, out));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const sub = s.properties?.[key] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      const itemPath = join(path, key);
      // Top-level metadata is checked in full by validate-meta.ts.
      if (key === 'metadata' && s.properties?.metadata && path !== '' && isPlainObject(item)) out.push(...checkLabelsAndAnnotations(item, itemPath));
      walkSchema(item, sub, itemPath, resolve, out);
    }
  }
  return out;
}

function runRule(
  rule: { rule: string; message?: string; messageExpression?: string; fieldPath?: string },
  value: unknown,
  schema: JsonSchema,
  path: string,
  resolve: ReturnType<typeof refResolver>,
): WalkFinding | undefined {
  const check = checkRule(rule.rule);
  if (check.kind === 'transition') return undefined; // oldSelf: only evaluated on update
  if (check.kind === 'unsupported') {
    return check.listed
      ? { path, message: `CEL rule skipped (${UNSUPPORTED_CEL_RULES.get(rule.rule)}): ${rule.rule}`, skipped: true }
      : { path, message: `CEL rule cannot be evaluated (${check.reason}) and is not listed in UNSUPPORTED_CEL_RULES: ${rule.rule}` };
  }
  const self = toCelValue(value, schema, resolve);
  const failure = evaluateRule(rule.rule, self);
  if (failure === undefined) return undefined;
  const message = (rule.messageExpression && evaluateMessage(rule.messageExpression, self)) || rule.message || `failed rule: ${rule.rule}`;
  const fieldPath = rule.fieldPath ? (path === '' ? rule.fieldPath.replace(/^\./, '') : path + rule.fieldPath) : path;
  return { path: fieldPath, message: failure === 'false' ? message : `${message} (${failure})` };
}

/** Duplicate items of `x-kubernetes-list-type: set` and duplicate keys of `map` lists. */
function listTypeProblems(list: unknown[], schema: JsonSchema, path: string): WalkFinding[] {
  const type = schema['x-kubernetes-list-type'];
  if (type !== 'set' && type !== 'map') return [];
  const keys: string[] = schema['x-kubernetes-list-map-keys'] ?? [];
  const seen = new Map<string, number>();
  const problems: WalkFinding[] = [];
  list.forEach((item, i) => {
    const identity = JSON.stringify(type === 'set' ? item : keys.map((k) => (isPlainObject(item) ? item[k] : undefined)));
    const first = seen.get(identity);
    if (first !== undefined) problems.push({ path: `${path}[${i}]`, message: `duplicate ${type === 'set' ? 'value' : `entry for key(s) ${keys.join(', ')}`} (same as [${first}])` });
    else seen.set(identity, i);
  });
  return problems;
}
