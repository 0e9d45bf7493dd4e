/**
 * Go's `encoding/json` as Helm's `toJson` prints data decoded by `fromYaml`: map keys sorted
 * bytewise, no spaces, `<` `>` `&` U+2028 U+2029 escaped, numbers as float64 (shortest form,
 * exponent below 1e-6 and from 1e21, like JavaScript). The content hash of a spec must be equal
 * in both backends, so this encoder must match Go byte for byte.
 */
import { createHash } from 'crypto';

/**
 * A map's keys in Go's order (`range`, `toJson`): by their UTF-8 bytes. JavaScript's default order
 * (UTF-16 units) agrees below U+D800, so the byte comparison is only needed beyond.
 */
export function goSortedKeys(map: object): string[] {
  const keys = Object.keys(map);
  if (keys.every((k) => !/[\ud800-\uffff]/.test(k))) return keys.sort();
  return keys.sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

const GO_ESCAPED = /[<>&\u2028\u2029]/g;
/** Strings both encoders print as they are, between quotes (most strings: names, images, quantities). */
const VERBATIM = /^[^"\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]*$/;

function encodeString(s: string): string {
  if (VERBATIM.test(s)) return `"${s}"`;
  const json = JSON.stringify(s);
  GO_ESCAPED.lastIndex = 0;
  return GO_ESCAPED.test(json) ? json.replace(GO_ESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/** Encodes like Go's json.Marshal of an `interface{}` produced by `fromYaml`. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return encodeString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`json: unsupported value: ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (typeof value === 'object') {
    const keys = goSortedKeys(value);
    return `{${keys.map((k) => `${encodeString(k)}:${goJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  throw new Error(`json: unsupported type ${typeof value}`);
}

/** `sha256sum | trunc 8` of the Go JSON encoding: the content hash in template names. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(goJson(value), 'utf8').digest('hex').slice(0, 8);
}
