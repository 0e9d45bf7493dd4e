/**
 * Field-level differences between two versions of one object: the changed leaves, each with its path,
 * for a compact printout ("spec.template.spec.version v1.34.1 → v1.34.2"). Lists of objects that all
 * carry a distinct `name` (containers, volumes, env; `metadata.name` for templates such as DataVolumes) are compared by
 * name, as a strategic merge does;
 * other lists by position, and lists of scalars as a whole.
 */

/** One step of a path: a map key, a list index, or a list item found by its `name`. */
export type PathSegment = string | number | { readonly name: string };

export type FieldChangeKind = 'added' | 'removed' | 'changed';

/** One changed leaf (or whole subtree, when it appeared or disappeared). */
export interface FieldChange {
  readonly path: readonly PathSegment[];
  readonly kind: FieldChangeKind;
  /** The old value (absent when added). */
  readonly before?: unknown;
  /** The new value (absent when removed). */
  readonly after?: unknown;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep equality of JSON data (key order ignored, list order not). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The names of a list of objects when every item has a distinct string `name` (or `metadata.name`: templates), else undefined. */
function itemNames(list: readonly unknown[]): string[] | undefined {
  const names = list.map((x) => {
    if (!isMap(x)) return undefined;
    if (typeof x.name === 'string') return x.name;
    return isMap(x.metadata) && typeof x.metadata.name === 'string' ? x.metadata.name : undefined;
  });
  if (names.some((n) => n === undefined)) return undefined;
  return new Set(names).size === names.length ? (names as string[]) : undefined;
}

/** Every changed leaf between `before` and `after` (empty when they are equal). */
export function diffValues(before: unknown, after: unknown, path: readonly PathSegment[] = []): FieldChange[] {
  if (deepEqual(before, after)) return [];
  if (isMap(before) && isMap(after)) {
    const out: FieldChange[] = [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const k of keys) {
      const has = [Object.prototype.hasOwnProperty.call(before, k), Object.prototype.hasOwnProperty.call(after, k)];
      if (has[0] && !has[1]) out.push({ path: [...path, k], kind: 'removed', before: before[k] });
      else if (!has[0] && has[1]) out.push({ path: [...path, k], kind: 'added', after: after[k] });
      else out.push(...diffValues(before[k], after[k], [...path, k]));
    }
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length > 0 && after.length > 0) {
    const namesBefore = itemNames(before);
    const namesAfter = itemNames(after);
    if (namesBefore && namesAfter) {
      const out: FieldChange[] = [];
      for (const [i, name] of namesBefore.entries()) {
        const j = namesAfter.indexOf(name);
        if (j < 0) out.push({ path: [...path, { name }], kind: 'removed', before: before[i] });
        else out.push(...diffValues(before[i], after[j], [...path, { name }]));
      }
      for (const [j, name] of namesAfter.entries()) {
        if (!namesBefore.includes(name)) out.push({ path: [...path, { name }], kind: 'added', after: after[j] });
      }
      return out;
    }
    if (before.some(isMap) || after.some(isMap)) {
      const out: FieldChange[] = [];
      for (let i = 0; i < Math.max(before.length, after.length); i++) {
        if (i >= after.length) out.push({ path: [...path, i], kind: 'removed', before: before[i] });
        else if (i >= before.length) out.push({ path: [...path, i], kind: 'added', after: after[i] });
        else out.push(...diffValues(before[i], after[i], [...path, i]));
      }
      return out;
    }
  }
  return [{ path, kind: 'changed', before, after }];
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A path as people write it: `spec.template.spec.containers[manager].image`, `metadata.labels["helm.sh/chart"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string') out += PLAIN_KEY.test(seg) ? `${out === '' ? '' : '.'}${seg}` : `[${JSON.stringify(seg)}]`;
    else out += `[${seg.name}]`;
  }
  return out === '' ? '(whole object)' : out;
}

/** The value at a dotted path of plain keys (`spec.template.spec.version`), or undefined. */
export function valueAt(o: unknown, dotted: string): unknown {
  let cur: unknown = o;
  for (const key of dotted.split('.')) {
    if (!isMap(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Whether a change lies at or under a dotted path of plain keys. */
export function isUnder(change: FieldChange, dotted: string): boolean {
  const prefix = dotted.split('.');
  return prefix.every((k, i) => change.path[i] === k);
}
