/**
 * ObjectMeta rules of the API server (apimachinery `ValidateObjectMeta`), checked by hand
 * because CRD schemas declare top-level `metadata` as a bare `{type: object}`.
 */

/** One problem found, relative to the object (path like `metadata.labels["app"]`). */
export interface MetaProblem {
  path: string;
  message: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Fields we allow in rendered ObjectMeta; the rest (uid, resourceVersion, ...) are server-set. */
const OBJECT_META_FIELDS = new Set(['name', 'generateName', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences']);
const OWNER_REFERENCE_FIELDS = new Set(['apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion']);
/** Kinds whose names are stricter than a DNS-1123 subdomain. */
const NAME_RULES: Record<string, { re: RegExp; max: number; what: string }> = {
  Namespace: { re: DNS1123_LABEL, max: 63, what: 'a DNS-1123 label' },
  Service: { re: DNS1035_LABEL, max: 63, what: 'a DNS-1035 label' },
};

/** Renders a map key as a path segment: `.key` or `["app.kubernetes.io/name"]`. */
export function keySegment(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Why `key` is not a qualified name (label/annotation key, finalizer), or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'must be a qualified name: [prefix/]name';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return `prefix "${prefix}" must be a DNS-1123 subdomain of at most 253 characters`;
  }
  if (name.length === 0 || name.length > 63) return `name part must be 1-63 characters`;
  if (!QUALIFIED_NAME_PART.test(name)) return `name part "${name}" must consist of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`;
  return undefined;
}

/** Why `value` is not a label value, or undefined. */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `label value must be a string, got ${describe(value)}`;
  if (value.length > 63) return `label value must be at most 63 characters (has ${value.length})`;
  if (!LABEL_VALUE.test(value)) return `label value "${value}" must be empty or alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`;
  return undefined;
}

/** Label and annotation maps (also used for nested metadata such as pod templates). */
export function checkLabelsAndAnnotations(meta: Record<string, unknown>, at: string): MetaProblem[] {
  const problems: MetaProblem[] = [];
  for (const field of ['labels', 'annotations'] as const) {
    const map = meta[field];
    if (map === undefined) continue;
    if (map === null || typeof map !== 'object' || Array.isArray(map)) {
      problems.push({ path: `${at}.${field}`, message: `must be a map of strings, got ${describe(map)}` });
      continue;
    }
    for (const [key, value] of Object.entries(map)) {
      const p = `${at}.${field}${keySegment(key)}`;
      // Annotation keys are validated lower-cased by apimachinery.
      const keyProblem = qualifiedNameProblem(field === 'labels' ? key : key.toLowerCase());
      if (keyProblem) problems.push({ path: p, message: `invalid ${field === 'labels' ? 'label' : 'annotation'} key: ${keyProblem}` });
      const valueProblem = field === 'labels' ? labelValueProblem(value) : typeof value === 'string' ? undefined : `annotation value must be a string, got ${describe(value)}`;
      if (valueProblem) problems.push({ path: p, message: valueProblem });
    }
  }
  return problems;
}

/**
 * Top-level ObjectMeta of a rendered object: known fields only, name (or generateName)
 * present and well-formed, namespace a DNS-1123 label, labels/annotations/finalizers/
 * ownerReferences well-formed.
 */
export function checkObjectMeta(meta: unknown, kind: string): MetaProblem[] {
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return [{ path: 'metadata', message: `must be an object, got ${describe(meta)}` }];
  const m = meta as Record<string, unknown>;
  const problems: MetaProblem[] = [];
  for (const key of Object.keys(m)) {
    if (!OBJECT_META_FIELDS.has(key)) problems.push({ path: `metadata${keySegment(key)}`, message: `unknown field "${key}"` });
  }
  if (m.name === undefined && m.generateName === undefined) problems.push({ path: 'metadata.name', message: 'name or generateName is required' });
  if (m.name !== undefined) {
    const rule = NAME_RULES[kind] ?? { re: DNS1123_SUBDOMAIN, max: 253, what: 'a DNS-1123 subdomain' };
    if (typeof m.name !== 'string') problems.push({ path: 'metadata.name', message: `must be a string, got ${describe(m.name)}` });
    else if (m.name.length > rule.max || !rule.re.test(m.name)) problems.push({ path: 'metadata.name', message: `"${m.name}" must be ${rule.what} (at most ${rule.max} characters)` });
  }
  if (m.generateName !== undefined && typeof m.generateName !== 'string') problems.push({ path: 'metadata.generateName', message: `must be a string, got ${describe(m.generateName)}` });
  if (m.namespace !== undefined && (typeof m.namespace !== 'string' || m.namespace.length > 63 || !DNS1123_LABEL.test(m.namespace))) {
    problems.push({ path: 'metadata.namespace', message: `${JSON.stringify(m.namespace)} must be a DNS-1123 label (at most 63 characters)` });
  }
  problems.push(...checkLabelsAndAnnotations(m, 'metadata'));
  if (m.finalizers !== undefined) {
    if (!Array.isArray(m.finalizers)) problems.push({ path: 'metadata.finalizers', message: `must be a list of strings, got ${describe(m.finalizers)}` });
    else {
      m.finalizers.forEach((f, i) => {
        const problem = typeof f === 'string' ? qualifiedNameProblem(f) : `must be a string, got ${describe(f)}`;
        if (problem) problems.push({ path: `metadata.finalizers[${i}]`, message: problem });
      });
    }
  }
  if (m.ownerReferences !== undefined) {
    if (!Array.isArray(m.ownerReferences)) problems.push({ path: 'metadata.ownerReferences', message: `must be a list, got ${describe(m.ownerReferences)}` });
    else m.ownerReferences.forEach((ref, i) => problems.push(...checkOwnerReference(ref, `metadata.ownerReferences[${i}]`)));
  }
  return problems;
}

function checkOwnerReference(ref: unknown, at: string): MetaProblem[] {
  if (ref === null || typeof ref !== 'object' || Array.isArray(ref)) return [{ path: at, message: `must be an object, got ${describe(ref)}` }];
  const r = ref as Record<string, unknown>;
  const problems: MetaProblem[] = [];
  for (const [key, value] of Object.entries(r)) {
    const expected = key === 'controller' || key === 'blockOwnerDeletion' ? 'boolean' : 'string';
    if (!OWNER_REFERENCE_FIELDS.has(key)) problems.push({ path: `${at}${keySegment(key)}`, message: `unknown field "${key}"` });
    else if (typeof value !== expected) problems.push({ path: `${at}.${key}`, message: `must be ${expected}, got ${describe(value)}` });
  }
  for (const key of ['apiVersion', 'kind', 'name', 'uid']) {
    if (r[key] === undefined) problems.push({ path: `${at}.${key}`, message: 'required field missing' });
  }
  return problems;
}

/** Short description of a JSON value for messages: `boolean true`, `null`, `number 3`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
