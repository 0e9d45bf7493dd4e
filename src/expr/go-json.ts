/**
 * Go's `encoding/json` as Helm's `toJson` prints data decoded by `fromYaml`: map keys sorted
 * bytewise, no spaces, `<` `>` `&` U+2028 U+2029 escaped, numbers as float64 (shortest form,
 * exponent below 1e-6 and from 1e21, like JavaScript). The content hash of a spec must be equal
 * in both backends, so this encoder must match Go byte for byte.
 *
 * Written for speed (content hashes and the release size measure run on every render): one pass that
 * appends to a string, strings through the engine's own `JSON.stringify`, and keys sorted by the
 * engine's sort unless a key needs Go's byte order.
 */
import { hash } from 'crypto';
import { isDeeplyFrozen } from './coalesce';

/** A character from U+D800 on: where UTF-16 order (JavaScript's) and UTF-8 byte order (Go's) can disagree. */
const BEYOND_UTF16_ORDER = /[\ud800-\uffff]/;

const byUtf8Bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * A map's keys in Go's order (`range`, `toJson`): by their UTF-8 bytes. JavaScript's order (UTF-16
 * units) agrees below U+D800, so the byte comparison is only needed beyond. Small maps (most of them)
 * are sorted in place by insertion, which beats the engine's sort below a few dozen keys.
 */
export function goSortedKeys(map: object): string[] {
  const keys = Object.keys(map);
  const n = keys.length;
  if (n < 2) return keys;
  if (n > 32) {
    keys.sort();
  } else {
    for (let i = 1; i < n; i++) {
      const key = keys[i];
      let j = i - 1;
      for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
      keys[j + 1] = key;
    }
  }
  for (const k of keys) if (BEYOND_UTF16_ORDER.test(k)) return keys.sort(byUtf8Bytes);
  return keys;
}

/** Strings both encoders print as they are, between quotes (most strings: names, images, quantities). */
const VERBATIM = /^[^"\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]*$/;
/** What Go escapes and JSON.stringify leaves as it is (Go's HTML-safe escaping, and the JavaScript line terminators). */
const GO_ESCAPED = /[<>&\u2028\u2029]/;
const GO_ESCAPED_ALL = /[<>&\u2028\u2029]/g;
const goEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Map keys as encoded, by key: a chart's objects and values use the same few hundred keys in every render.
 * Bounded, so that values with ever new keys cannot grow it without end (later keys are encoded each time).
 */
const encodedKeys = new Map<string, string>();
const MAX_ENCODED_KEYS = 4096;

function encodeKey(k: string): string {
  let encoded = encodedKeys.get(k);
  if (encoded === undefined) {
    encoded = encodeString(k);
    if (encodedKeys.size < MAX_ENCODED_KEYS) encodedKeys.set(k, encoded);
  }
  return encoded;
}

function encodeString(s: string): string {
  if (VERBATIM.test(s)) return `"${s}"`;
  const json = JSON.stringify(s);
  return GO_ESCAPED.test(json) ? json.replace(GO_ESCAPED_ALL, goEscape) : json;
}

function encodeNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`json: unsupported value: ${n}`);
  return JSON.stringify(n);
}

function encode(value: unknown): string {
  switch (typeof value) {
    case 'string': return encodeString(value);
    case 'number': return encodeNumber(value);
    case 'boolean': return value ? 'true' : 'false';
    case 'undefined': return 'null';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        if (value.length === 0) return '[]';
        let out = `[${encode(value[0])}`;
        for (let i = 1; i < value.length; i++) out += `,${encode(value[i])}`;
        return `${out}]`;
      }
      const keys = goSortedKeys(value);
      if (keys.length === 0) return '{}';
      const map = value as Record<string, unknown>;
      let out = '{';
      for (let i = 0; i < keys.length; i++) out += `${i === 0 ? '' : ','}${encodeKey(keys[i])}:${encode(map[keys[i]])}`;
      return `${out}}`;
    }
    default: throw new Error(`json: unsupported type ${typeof value}`);
  }
}

/** Encodes like Go's json.Marshal of an `interface{}` produced by `fromYaml`. */
export function goJson(value: unknown): string {
  return encode(value);
}

/** Printable ASCII that Go's JSON prints as it is: such a string takes its length plus the two quotes. */
const VERBATIM_ASCII = /^[\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/;

function stringByteLength(s: string): number {
  return VERBATIM_ASCII.test(s) ? s.length + 2 : Buffer.byteLength(encodeString(s), 'utf8');
}

/** Byte lengths of deeply frozen (so unchanging) maps and lists: a chart's shared defaults, counted once. */
const frozenLengths = new WeakMap<object, number>();

/**
 * `len (toJson value)` in Go: the UTF-8 bytes of {@link goJson}'s text, counted without writing the text
 * (and without sorting keys, which changes no length).
 */
export function goJsonByteLength(value: unknown): number {
  if (isDeeplyFrozen(value)) {
    let size = frozenLengths.get(value);
    if (size === undefined) {
      size = byteLength(value);
      frozenLengths.set(value, size);
    }
    return size;
  }
  return byteLength(value);
}

function byteLength(value: unknown): number {
  switch (typeof value) {
    case 'string': return stringByteLength(value);
    case 'number': return encodeNumber(value).length;
    case 'boolean': return value ? 4 : 5;
    case 'undefined': return 4;
    case 'object': {
      if (value === null) return 4;
      if (Array.isArray(value)) {
        let size = value.length === 0 ? 2 : value.length + 1;
        for (const item of value) size += goJsonByteLength(item);
        return size;
      }
      const keys = Object.keys(value);
      // Braces, and per entry a colon and a comma (one comma fewer than entries, one brace more).
      let size = keys.length === 0 ? 2 : 2 * keys.length + 1;
      for (const k of keys) size += stringByteLength(k) + goJsonByteLength((value as Record<string, unknown>)[k]);
      return size;
    }
    default: throw new Error(`json: unsupported type ${typeof value}`);
  }
}

/** `sha256sum | trunc 8` of the Go JSON encoding: the content hash in template names. */
export function contentHash(value: unknown): string {
  // One-shot hashing (Node >= 20.12, as package.json's engines require): no Hash object per call.
  return hash('sha256', goJson(value), 'hex').slice(0, 8);
}
