/**
 * Sentinel tokens: plain-safe scalars that stand for expressions and structural markers inside
 * synthesized JSON and inside strings. The `yaml` library never quotes them and cdk8s copies them
 * like any other string; the backends replace them after synthesis.
 *
 * The registry is process-wide: tokens never reach generated files (both backends replace every one),
 * so their numbering has no effect on output bytes.
 */
const TOKEN_PATTERN = /__TC_(\d+)__/g;
const byObject = new Map<object, string>();
const byToken = new Map<string, object>();

/** The token for `target`, registered on first use. */
export function tokenFor(target: object): string {
  let token = byObject.get(target);
  if (!token) {
    token = `__TC_${byToken.size}__`;
    byObject.set(target, token);
    byToken.set(token, target);
  }
  return token;
}

/** The object a token stands for. */
export function lookupToken(token: string): object {
  const target = byToken.get(token);
  if (!target) throw new Error(`unknown template token ${token}`);
  return target;
}

/** True when the string is exactly one token. */
export function isToken(s: string): boolean {
  return /^__TC_\d+__$/.test(s);
}

/** Splits a string into literal text and tokens, in order. */
export function splitTokens(s: string): Array<string | object> {
  const parts: Array<string | object> = [];
  let last = 0;
  for (const m of s.matchAll(TOKEN_PATTERN)) {
    if (m.index! > last) parts.push(s.slice(last, m.index));
    parts.push(lookupToken(m[0]));
    last = m.index! + m[0].length;
  }
  if (last < s.length) parts.push(s.slice(last));
  return parts;
}
