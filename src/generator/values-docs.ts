/**
 * `values.yaml` as Bitnami and kube-prometheus-stack write it, and the README values table, both from
 * the values schema (generated from the TypeScript values contract and its JSDoc) and the chart defaults:
 * - `## @section` per top-level key (and per addon, where one key holds most of the chart), blank lines
 *   between sections;
 * - `## @param <path> <description>` above each value (Bitnami's readme-generator format), wrapped;
 * - `## ref: <url>` from JSDoc `@see`;
 * - `## E.g.` with a commented example from JSDoc `@example` (YAML) above a value, where a default is
 *   empty (`{}`, `[]`) and the example shows what to write;
 * - the defaults once: from the chart's defaults, never repeated in the comments.
 */
import * as YAML from 'yaml';
import { scalarText } from '../expr/yaml-scalar';

type Schema = Record<string, any>;

/** The schema of a property, following local `$ref`s. */
function resolve(root: Schema, s: Schema | undefined): Schema | undefined {
  let cur = s;
  while (cur && typeof cur.$ref === 'string') cur = root.definitions?.[cur.$ref.replace('#/definitions/', '')];
  return cur;
}

/**
 * The schema of a child key; what the property itself says (description, `@see`, example next to a
 * `$ref`) wins over the referenced type's.
 */
function childSchema(root: Schema, s: Schema | undefined, key: string): Schema | undefined {
  const r = resolve(root, s);
  if (!r) return undefined;
  const ownProp = r.properties && Object.prototype.hasOwnProperty.call(r.properties, key) ? r.properties[key] : undefined;
  const mapValue = typeof r.additionalProperties === 'object' ? r.additionalProperties : Object.values(r.patternProperties ?? {})[0];
  const prop = ownProp ?? mapValue;
  const resolved = resolve(root, prop);
  if (!resolved || !prop) return resolved;
  const own = Object.fromEntries(['description', 'see', 'example', 'examples'].filter((k) => prop[k] !== undefined).map((k) => [k, prop[k]]));
  return { ...resolved, ...own };
}

function describe(s: Schema | undefined): string {
  return (s?.description ?? '').replace(/\s+/g, ' ').trim();
}

/** The description without a generic example where the value shows a real one (`Memory, e.g. \`256Mi\`.` above `384Mi`). */
function describeValue(s: Schema | undefined, value: unknown): string {
  const text = describe(s);
  const shown = value !== '' && value !== null && typeof value !== 'object';
  return shown ? text.replace(/,? e\.g\. `[^`]*`\.?$/, '.') : text;
}

/** `ref:` links from JSDoc `@see` (one or several, separated by whitespace). */
function refs(s: Schema | undefined): string[] {
  const see = s?.see;
  const list = Array.isArray(see) ? see : typeof see === 'string' ? see.split(/\s+/) : [];
  return list.filter((u: string) => /^https?:\/\//.test(u));
}

/** The JSDoc `@example` of a key as YAML text (written in YAML in the JSDoc; JSON examples are printed as YAML). */
function exampleText(s: Schema | undefined): string | undefined {
  const example = s?.example ?? s?.examples?.[0];
  if (example === undefined) return undefined;
  return typeof example === 'string' ? example.trim() : YAML.stringify(example, { version: '1.1' }).trim();
}

/** Words of a key for a section title: `nodeGroupDefaults` → `Node group defaults`. */
function title(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase();
  return words[0].toUpperCase() + words.slice(1);
}

/** Comment lines of at most `width` characters, each `prefix` + text, continuation lines indented. */
function wrap(text: string, prefix: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line);
      line = `  ${word}`;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(prefix + line);
  return lines;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function leafCount(v: unknown): number {
  return isMap(v) ? Object.values(v).reduce<number>((n, x) => n + leafCount(x), 0) || 1 : 1;
}

/** A top-level key holding more than this many values gets a section per child (the addons). */
const SPLIT_SECTION_LEAVES = 40;

/** YAML lines of a value at an indent (block style, the template writer's scalar spelling). */
function yamlLines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (isMap(item) && Object.keys(item).length > 0) {
        const inner = yamlLines(item, `${indent}  `);
        inner[0] = `${indent}- ${inner[0].trimStart()}`;
        return inner;
      }
      return Array.isArray(item) && item.length > 0 ? [`${indent}-`, ...yamlLines(item, `${indent}  `)] : [`${indent}- ${inlineValue(item)}`];
    });
  }
  if (isMap(value)) {
    return Object.entries(value).flatMap(([k, v]) => (hasChildren(v)
      ? [`${indent}${scalarText(k)}:`, ...yamlLines(v, Array.isArray(v) ? `${indent}  ` : `${indent}  `)]
      : [`${indent}${scalarText(k)}: ${inlineValue(v)}`]));
  }
  return [`${indent}${inlineValue(value)}`];
}

const hasChildren = (v: unknown) => (isMap(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.length > 0);

function inlineValue(v: unknown): string {
  if (isMap(v)) return '{}';
  if (Array.isArray(v)) return '[]';
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return scalarText(v);
  return String(v);
}

/** The chart's values.yaml text. */
export function valuesYaml(schema: Schema, defaults: object, chartName = 'chart'): string {
  const out: string[] = [
    `# Values of the ${chartName} chart, generated from its TypeScript values contract`,
    '# (descriptions, `@see` and `@example` from its JSDoc) and defaults; README.md has them as a table.',
    '# Do not edit: change src/values/ and src/charts/, then run npm run synth.',
  ];
  /** The comment above a key: `@param` (values) or the description (maps of values), refs, example. */
  const comment = (key: string, value: unknown, s: Schema | undefined, path: string, indent: string): string[] => {
    const prefix = `${indent}## `;
    const text = describeValue(s, value);
    const lines = hasChildren(value) ? (text ? wrap(text, prefix) : []) : wrap(`@param ${path}${text ? ` ${text}` : ''}`, prefix);
    for (const url of refs(s)) lines.push(`${prefix}ref: ${url}`);
    const example = exampleText(s);
    if (example !== undefined) lines.push(`${prefix}E.g.`, `${prefix}${scalarText(key)}:`, ...example.split('\n').map((l) => `${prefix}  ${l}`));
    return lines;
  };
  const entry = (key: string, value: unknown, s: Schema | undefined, path: string, indent: string): string[] => {
    const head = comment(key, value, s, path, indent);
    if (!hasChildren(value)) return [...head, `${indent}${scalarText(key)}: ${inlineValue(value)}`];
    const children = isMap(value)
      ? Object.entries(value).flatMap(([k, v]) => entry(k, v, childSchema(schema, s, k), `${path}.${k}`, `${indent}  `))
      : yamlLines(value, `${indent}  `);
    return [...head, `${indent}${scalarText(key)}:`, ...children];
  };

  let general = false;
  for (const [key, value] of Object.entries(defaults)) {
    const s = childSchema(schema, schema, key);
    if (!isMap(value)) {
      // Top-level plain values (names, overrides) share one section.
      if (!general) out.push('', '## @section General', '');
      general = true;
      out.push(...entry(key, value, s, key, ''));
      continue;
    }
    general = false;
    out.push('', `## @section ${title(key)}`, '');
    if (leafCount(value) <= SPLIT_SECTION_LEAVES) {
      out.push(...entry(key, value, s, key, ''));
      continue;
    }
    // One key holding most of the chart (the addons): a section per child.
    out.push(...comment(key, value, s, key, ''), `${scalarText(key)}:`);
    for (const [child, v] of Object.entries(value)) {
      out.push('', `  ## @section ${title(key)}: ${title(child)}`, '', ...entry(child, v, childSchema(schema, s, child), `${key}.${child}`, '  '));
    }
  }
  return out.join('\n') + '\n';
}

/** Markdown tables of every leaf value (key, type, default, description), one per section. */
export function valuesTable(schema: Schema, defaults: object): string {
  const typeOf = (s: Schema | undefined): string => {
    if (!s) return '';
    if (s.enum) return s.enum.map((e: unknown) => JSON.stringify(e)).join(' \\| ');
    if (s.type === 'array') return `${typeOf(resolve(schema, s.items))}[]`;
    if (s.anyOf) return [...new Set(s.anyOf.map((a: Schema) => typeOf(resolve(schema, a))))].join(' \\| ');
    return String(s.type ?? '');
  };
  const cell = (t: string) => t.replace(/\|/g, '\\|');
  const rowsOf = (value: unknown, s: Schema | undefined, path: string): string[] => {
    if (isMap(value) && Object.keys(value).length > 0 && resolve(schema, s)?.properties) {
      return Object.entries(value).flatMap(([k, v]) => rowsOf(v, childSchema(schema, s, k), `${path}.${k}`));
    }
    return [`| \`${path}\` | ${typeOf(s)} | \`${cell(JSON.stringify(value))}\` | ${cell(describeValue(s, value))} |`];
  };
  const header = ['| Key | Type | Default | Description |', '|---|---|---|---|'];
  const sections: Array<{ title: string; rows: string[] }> = [];
  for (const [key, value] of Object.entries(defaults)) {
    const s = childSchema(schema, schema, key);
    if (!isMap(value)) {
      if (sections[sections.length - 1]?.title !== 'General') sections.push({ title: 'General', rows: [] });
      sections[sections.length - 1].rows.push(...rowsOf(value, s, key));
    } else if (leafCount(value) > SPLIT_SECTION_LEAVES) {
      for (const [child, v] of Object.entries(value)) sections.push({ title: `${title(key)}: ${title(child)}`, rows: rowsOf(v, childSchema(schema, s, child), `${key}.${child}`) });
    } else {
      sections.push({ title: title(key), rows: rowsOf(value, s, key) });
    }
  }
  return sections.map((sec) => `### ${sec.title}\n\n${[...header, ...sec.rows].join('\n')}\n`).join('\n');
}
