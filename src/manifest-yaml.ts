/**
 * Rendered objects as a YAML stream, as `helm template` prints them (`---` before each document):
 * block maps and lists, scalars through the same YAML 1.1-safe spelling the templates use (plain where
 * unambiguous, JSON-quoted otherwise, U+2028/NEL/C1 escaped). Without the `yaml` library: the CLI prints
 * a few hundred objects in the time that library takes to load.
 */
import { scalarText } from './expr/yaml-scalar';

function numberText(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  const s = String(n);
  // YAML 1.1 reads an exponent as a float only with a fraction: 1e+21 → 1.0e+21.
  return /e/.test(s) && !/\./.test(s.split('e')[0]) ? s.replace('e', '.0e') : s;
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return scalarText(String(v));
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function lines(v: unknown, indent: string, out: string[], head: string): void {
  if (isMap(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined);
    if (keys.length === 0) {
      out.push(`${head} {}`);
      return;
    }
    if (head !== '') out.push(head);
    for (const k of keys) lines(v[k], `${indent}  `, out, `${indent}${scalarText(k)}:`);
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push(`${head} []`);
      return;
    }
    if (head !== '') out.push(head);
    for (const item of v) {
      // `- key: value` on the item's first line, its other keys under it.
      if (isMap(item) && Object.keys(item).length > 0) {
        const inner: string[] = [];
        lines(item, `${indent}  `, inner, '');
        inner[0] = `${indent}- ${inner[0].slice(indent.length + 2)}`;
        out.push(...inner);
      } else {
        lines(item, `${indent}  `, out, `${indent}-`);
      }
    }
    return;
  }
  out.push(`${head} ${scalar(v)}`);
}

/** One YAML document per object, each after `---`. */
export function formatManifests(objects: readonly unknown[]): string {
  return objects.map((o) => {
    const out: string[] = [];
    // Top-level keys start at column 0: a map's entries are written at the indent of `lines`' call.
    if (isMap(o)) {
      for (const k of Object.keys(o).filter((key) => o[key] !== undefined)) lines(o[k], '  ', out, `${scalarText(k)}:`);
    } else {
      lines(o, '', out, '');
    }
    return `---\n${out.join('\n')}\n`;
  }).join('');
}
