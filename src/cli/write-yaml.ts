/**
 * Rendered objects as YAML documents that Kubernetes (go-yaml, YAML 1.1) reads back as exactly these
 * objects: block style, one plain document per object (no anchors or aliases, whatever the objects
 * share), every string that YAML 1.1 could read as something else quoted (`0o17`, `yes`, `1e3`,
 * `2001-12-14`, `<<`), and the characters go-yaml reads as line breaks or refuses escaped (U+2028,
 * NEL, DEL): the same scalar rules as the chart's static text (src/expr/yaml-scalar.ts).
 */
import { isTable } from '../expr/coalesce';
import { scalarText } from '../expr/yaml-scalar';

/** YAML text of a number (no NaN or infinity reach here: values are JSON). `-0` prints as `0`, which is what Kubernetes reads of Helm's `-0` too. */
function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot write the number ${n} as YAML`);
  return String(n);
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'string' || typeof v === 'boolean') return scalarText(v);
  throw new Error(`cannot write a ${typeof v} as YAML`);
}

/** Lines for `head` (`key:` or `-`) and a value whose nested lines sit at `indent`. */
function valueLines(head: string, value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${head} []`];
    return [head, ...value.flatMap((item) => itemLines(item, indent))];
  }
  if (isTable(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return [`${head} {}`];
    return [head, ...mapLines(value, indent)];
  }
  return [`${head} ${scalar(value)}`];
}

function mapLines(map: Record<string, unknown>, indent: string): string[] {
  return Object.keys(map).flatMap((key) => valueLines(`${indent}${scalarText(key)}:`, map[key], `${indent}  `));
}

function itemLines(item: unknown, indent: string): string[] {
  if (isTable(item) && Object.keys(item).length > 0) {
    const lines = mapLines(item, `${indent}  `);
    lines[0] = `${indent}- ${lines[0].slice(indent.length + 2)}`;
    return lines;
  }
  if (Array.isArray(item) && item.length > 0) {
    const lines = itemLines(item[0], `${indent}  `).concat(item.slice(1).flatMap((i) => itemLines(i, `${indent}  `)));
    lines[0] = `${indent}- ${lines[0].slice(indent.length + 2)}`;
    return lines;
  }
  return valueLines(`${indent}-`, item, `${indent}  `);
}

/** One YAML document (`---` first) per object. */
export function yamlDocuments(objects: readonly Record<string, unknown>[]): string {
  return objects.map((o) => `---\n${mapLines(o, '').join('\n')}\n`).join('');
}
