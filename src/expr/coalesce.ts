/**
 * Helm's values coalescing (`chartutil.CoalesceTables`), applied by the evaluation backend so that it
 * sees exactly what templates see: maps merge deeply, user values win, lists replace, and a user
 * `null` deletes a key that the chart defaults have (elsewhere it stays an explicit null).
 *
 * Values are data: a key such as `__proto__` or `constructor` is an ordinary key to Helm (Go maps), so
 * every copy and merge here reads own properties only and writes with `defineProperty`. Assigning
 * `obj[key] = v` would instead change the prototype of `obj` (or, through a nested merge, of every
 * object in the process). The values schemas refuse those keys anyway (src/values/formats.ts).
 */
export type ValuesMap = Record<string, unknown>;

/** A YAML map (not a list, not null). */
export function isTable(v: unknown): v is ValuesMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Whether a map has a key of its own (never through its prototype). */
export function hasOwn(map: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** A map's own value for a key, or undefined (never an inherited one such as `constructor`). */
export function ownValue(map: ValuesMap, key: string): unknown {
  return hasOwn(map, key) ? map[key] : undefined;
}

/** Sets a map's own data property (never calls a setter such as `__proto__`'s). */
export function setOwn(map: ValuesMap, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A deep copy of JSON-like data, as `JSON.parse(JSON.stringify(v))` gives it (a map's undefined entries
 * dropped, a list's undefined items and non-finite numbers null, -0 as 0), without the text in between.
 */
export function clone<T>(v: T): T {
  return v === undefined ? v : (copy(v) as T);
}

function copy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number') return Number.isFinite(v) ? v + 0 : null;
    return v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : v;
  }
  if (Array.isArray(v)) return v.map((x) => (x === undefined || typeof x === 'function' || typeof x === 'symbol' ? null : copy(x)));
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(v));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    // A `__proto__` key is data (as JSON.parse makes it), not the prototype.
    if (k === '__proto__') Object.defineProperty(out, k, { value: copy(x), enumerable: true, writable: true, configurable: true });
    else out[k] = copy(x);
  }
  return out;
}

/** What {@link deepFreeze} froze: Object.isFrozen says nothing of what a frozen map holds. */
const deeplyFrozen = new WeakSet<object>();

/**
 * Freezes data deeply, in place; returns it. The renderer freezes a chart's defaults once (after a
 * {@link clone}, which normalizes them) and then shares them: every render's values hold the same default
 * subtrees rather than copies, and what is computed from a deeply frozen subtree may be kept (the release size
 * measure in go-json.ts, the character check in stdlib.ts). Nothing may change values (the evaluation backend
 * copies what it renders from them), and with frozen defaults an attempt fails loudly.
 */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !deeplyFrozen.has(v)) {
    Object.freeze(v);
    for (const key of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[key]);
    deeplyFrozen.add(v);
  }
  return v;
}

/** Whether {@link deepFreeze} froze this map or list (so nothing in it can change). */
export function isDeeplyFrozen(v: unknown): v is object {
  return v !== null && typeof v === 'object' && deeplyFrozen.has(v);
}

function coalesceInto(dst: ValuesMap, src: ValuesMap): ValuesMap {
  for (const [key, defaultValue] of Object.entries(src)) {
    if (!hasOwn(dst, key)) {
      // A deeply frozen default (see deepFreeze) is shared, anything else copied.
      setOwn(dst, key, isDeeplyFrozen(defaultValue) ? defaultValue : clone(defaultValue));
    } else if (dst[key] === null) {
      delete dst[key];
    } else if (isTable(defaultValue) && isTable(dst[key])) {
      coalesceInto(dst[key] as ValuesMap, defaultValue);
    }
  }
  return dst;
}

/** User values (from several `-f` files, already merged in order) coalesced over chart defaults. */
export function coalesceValues(defaults: ValuesMap, user: ValuesMap): ValuesMap {
  return coalesceInto(clone(user), defaults);
}

/** Several values files merged the way `helm -f a.yaml -f b.yaml` merges them (later files win). */
export function mergeValuesFiles(files: readonly ValuesMap[]): ValuesMap {
  const out: ValuesMap = {};
  for (const f of files) mergeInto(out, clone(f));
  return out;
}

/** Merges `src` into `dst` as Helm merges values files (`mergeMaps`): maps deeply, anything else replaces. */
export function mergeInto(dst: ValuesMap, src: ValuesMap): void {
  for (const [k, v] of Object.entries(src)) {
    const existing = ownValue(dst, k);
    if (isTable(v) && isTable(existing)) mergeInto(existing, v);
    else setOwn(dst, k, v);
  }
}
