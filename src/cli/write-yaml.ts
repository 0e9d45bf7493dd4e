/**
 * Rendered objects as YAML documents, as `helm template` prints them (`---` before each), that Kubernetes
 * (go-yaml, YAML 1.1) reads back as exactly these objects: block style, one plain document per object (no
 * anchors or aliases, whatever the objects share), every string that YAML 1.1 could read as something else
 * quoted (`0o17`, `0xff`, `yes`, `1e3`, `2001-12-14`, `<<`), and the characters go-yaml reads as line breaks
 * or refuses escaped (U+2028, NEL, DEL): the same scalar rules as the chart's static text
 * (src/expr/yaml-scalar.ts). The one printer of the CLI: without the `yaml` library (a few hundred objects
 * print in the time that library takes to load), lines appended to one array rather than concatenated.
 */
import { isTable } from '../expr/coalesce';
import { scalarText } from '../expr/yaml-scalar';

/**
 * YAML text of a number (no NaN or infinity reach here: values are JSON). `-0` prints as `0`, which is
 * what Kubernetes reads of Helm's `-0` too. An exponent gets a fraction (`1e+21` → `1.0e+21`): go-yaml
 * reads both as a float, YAML 1.1 readers that follow the spec's float pattern only the second.
 */
function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot write the number ${n} as YAML`);
  const s = String(n);
  return s.includes('e') && !s.split('e')[0].includes('.') ? s.replace('e', '.0e') : s;
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'string' || typeof v === 'boolean') return scalarText(v);
  throw new Error(`cannot write a ${typeof v} as YAML`);
}

/** Appends the lines of `head` (`key:` or `-`, possibly empty at the top) and a value whose nested lines sit at `indent`. */
function valueLines(out: string[], head: string, value: unknown, indent: string): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${head} []`);
      return;
    }
    if (head !== '') out.push(head);
    for (const item of value) itemLines(out, item, indent);
    return;
  }
  if (isTable(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      out.push(`${head} {}`);
      return;
    }
    if (head !== '') out.push(head);
    mapLines(out, value, keys, indent);
    return;
  }
  out.push(`${head} ${scalar(value)}`);
}

function mapLines(out: string[], map: Record<string, unknown>, keys: readonly string[], indent: string): void {
  for (const key of keys) valueLines(out, `${indent}${scalarText(key)}:`, map[key], `${indent}  `);
}

/** A list item: `- key: value` (or `- - item`) on its first line, the rest under it. */
function itemLines(out: string[], item: unknown, indent: string): void {
  const nonEmptyMap = isTable(item) && Object.keys(item).length > 0;
  const nonEmptyList = Array.isArray(item) && item.length > 0;
  if (!nonEmptyMap && !nonEmptyList) {
    valueLines(out, `${indent}-`, item, `${indent}  `);
    return;
  }
  const first = out.length;
  if (nonEmptyMap) mapLines(out, item as Record<string, unknown>, Object.keys(item as object), `${indent}  `);
  else for (const inner of item as unknown[]) itemLines(out, inner, `${indent}  `);
  out[first] = `${indent}- ${out[first].slice(indent.length + 2)}`;
}

/** One YAML document (`---` first) per object. */
export function yamlDocuments(objects: readonly Record<string, unknown>[]): string {
  const out: string[] = [];
  for (const o of objects) {
    out.push('---');
    mapLines(out, o, Object.keys(o), '');
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
