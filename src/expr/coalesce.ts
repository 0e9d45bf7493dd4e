/**
 * Helm's values coalescing (`chartutil.CoalesceTables`), applied by the evaluation backend so that it
 * sees exactly what templates see: maps merge deeply, user values win, lists replace, and a user
 * `null` deletes a key that the chart defaults have (elsewhere it stays an explicit null).
 */
export type ValuesMap = Record<string, unknown>;

/** A YAML map (not a list, not null). */
export function isTable(v: unknown): v is ValuesMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A deep copy of JSON-like data. */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function coalesceInto(dst: ValuesMap, src: ValuesMap): ValuesMap {
  for (const [key, defaultValue] of Object.entries(src)) {
    if (!(key in dst)) {
      dst[key] = clone(defaultValue);
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

function mergeInto(dst: ValuesMap, src: ValuesMap): void {
  for (const [k, v] of Object.entries(src)) {
    if (isTable(v) && isTable(dst[k])) mergeInto(dst[k] as ValuesMap, v);
    else dst[k] = v;
  }
}
