/**
 * Static scalars as YAML text that Kubernetes (YAML 1.1) and Helm read back unchanged: plain where
 * that is unambiguous, JSON-quoted otherwise (JSON strings are valid YAML double-quoted scalars once
 * YAML 1.1 line breaks and the characters Go's YAML reader refuses are escaped).
 */
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
    ? QUANTITY.test(value) || (/^[0-9][0-9./]*\/[0-9]+$/.test(value) && !value.includes(':'))
    : PLAIN_SAFE.test(value) && !value.endsWith(':');
  return plain && !YAML11_RESERVED.test(value) ? value : quoteString(value);
}
