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

/** A deep copy of JSON-like data (JSON.parse creates own properties, also for `__proto__`). */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function coalesceInto(dst: ValuesMap, src: ValuesMap): ValuesMap {
  for (const [key, defaultValue] of Object.entries(src)) {
    if (!hasOwn(dst, key)) {
      setOwn(dst, key, clone(defaultValue));
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
