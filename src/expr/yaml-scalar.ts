/**
 * Static scalars as YAML text that Kubernetes (YAML 1.1) and Helm read back unchanged: plain where
 * that is unambiguous, JSON-quoted otherwise (JSON strings are valid YAML double-quoted scalars once
 * YAML 1.1 line breaks and the characters Go's YAML reader refuses are escaped).
 */
/**
 * Characters Kubernetes' YAML reader (go-yaml) refuses raw or reads as a line break, and that Go's
 * `toJson` (how the chart prints every value) leaves raw: DEL, the C1 controls (NEL, U+0085, is a
 * line break to go-yaml), the byte order mark and the noncharacters U+FFFE and U+FFFF. Static text
 * escapes them ({@link quoteString}); a value holding one is refused, because it would render to YAML
 * that Kubernetes refuses or reads differently (Helm 3 fails on DEL in values with "control characters
 * are not allowed" before it validates them).
 */
export const UNWRITABLE_CHARACTERS = '\u007f-\u009f\ufeff\ufffe\uffff';

/**
 * Plain (unquoted) where a person would write it so: flags (`-c`, `--endpoint=unix:///csi.sock`), paths,
 * quantities (`8Mi`, `100m`), label keys. Never a leading indicator character, a trailing `:`, or anything
 * YAML 1.1 (go-yaml, Kubernetes) reads as other than a string: numbers in every base and with `_`,
 * sexagesimals (`1:20`), floats, timestamps, booleans and nulls.
 */
const PLAIN_SAFE = /^(?:[A-Za-z_/.]|-[A-Za-z-])[A-Za-z0-9_./=@+:-]*$/;
/** Starts like a number: plain only when digits are followed by letters alone (`8Mi`, `100m`, not `1e3`). */
const NUMBER_LIKE = /^[-+.]?[0-9]/;
const QUANTITY = /^[0-9]+[A-Za-z]+$/;
/** Hexadecimal integers go-yaml reads as numbers (strconv.ParseInt with base 0: `0xff`, `0XAB`) although they look like quantities. */
const HEX_INTEGER = /^0[xX][0-9A-Fa-f]+$/;
const YAML11_RESERVED = /^(y|yes|n|no|true|false|on|off|null|~|\.inf|\.nan|[-+]\.inf)$/i;

/** Quoted scalar text for a string. */
export function quoteString(s: string): string {
  // Also DEL, C1 controls (NEL is a YAML 1.1 line break), BOM and U+FFFE/U+FFFF, which Go's YAML reader refuses raw.
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** YAML text for a static scalar. */
export function scalarText(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot render number ${value}`);
    return String(value);
  }
  // A number-like start is plain only as a quantity (`8Mi`) or with a `/` (a CIDR), which no number or timestamp has.
  const plain = NUMBER_LIKE.test(value)
    ? (QUANTITY.test(value) && !HEX_INTEGER.test(value)) || (/^[0-9][0-9./]*\/[0-9]+$/.test(value) && !value.includes(':'))
    : PLAIN_SAFE.test(value) && !value.endsWith(':');
  return plain && !YAML11_RESERVED.test(value) ? value : quoteString(value);
}
