/**
 * `values.yaml` with a comment on every key and the README values table, both from the values
 * schema (descriptions from the TypeScript JSDoc) and the chart defaults.
 */
import { Document, isMap, isScalar, YAMLMap } from 'yaml';

type Schema = Record<string, any>;

/** The schema of a property, following local `$ref`s. */
function resolve(root: Schema, s: Schema | undefined): Schema | undefined {
  let cur = s;
  while (cur && typeof cur.$ref === 'string') cur = root.definitions?.[cur.$ref.replace('#/definitions/', '')];
  return cur;
}

/** The schema of a child key; the description at the property (e.g. next to a `$ref`) wins over the referenced type's. */
function childSchema(root: Schema, s: Schema | undefined, key: string): Schema | undefined {
  const r = resolve(root, s);
  if (!r) return undefined;
  const own = r.properties && Object.prototype.hasOwnProperty.call(r.properties, key) ? r.properties[key] : undefined;
  const mapValue = typeof r.additionalProperties === 'object' ? r.additionalProperties : Object.values(r.patternProperties ?? {})[0];
  const prop = own ?? mapValue;
  const resolved = resolve(root, prop);
  return resolved && prop?.description ? { ...resolved, description: prop.description } : resolved;
}

function describe(s: Schema | undefined): string {
  return (s?.description ?? '').replace(/\s+/g, ' ').trim();
}

/** The chart's values.yaml text. */
export function valuesYaml(schema: Schema, defaults: object): string {
  const doc = new Document(defaults, { version: '1.1' });
  const annotate = (node: unknown, s: Schema | undefined) => {
    if (!isMap(node)) return;
    for (const pair of (node as YAMLMap).items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const ps = childSchema(schema, s, key);
      const text = describe(ps);
      if (text && isScalar(pair.key)) pair.key.commentBefore = ` ${key} -- ${text}`;
      annotate(pair.value, ps);
    }
  };
  annotate(doc.contents, schema);
  const header = '# Values of the chart. Generated from the TypeScript values contract: see README.md for the table.\n';
  return header + doc.toString({ lineWidth: 0, indentSeq: true, flowCollectionPadding: false });
}

/** Markdown table of every leaf value: key, type, default, description. */
export function valuesTable(schema: Schema, defaults: object): string {
  const rows: string[] = ['| Key | Type | Default | Description |', '|---|---|---|---|'];
  const typeOf = (s: Schema | undefined): string => {
    if (!s) return '';
    if (s.enum) return s.enum.map((e: unknown) => JSON.stringify(e)).join(' \\| ');
    if (s.type === 'array') return `${typeOf(resolve(schema, s.items))}[]`;
    return String(s.type ?? (s.anyOf ? s.anyOf.map((a: Schema) => typeOf(resolve(schema, a))).join(' \\| ') : ''));
  };
  const walk = (value: unknown, s: Schema | undefined, path: string) => {
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    if (isObject && Object.keys(value as object).length > 0 && resolve(schema, s)?.properties) {
      for (const [k, v] of Object.entries(value as object)) walk(v, childSchema(schema, s, k), path ? `${path}.${k}` : k);
      return;
    }
    const cell = (t: string) => t.replace(/\|/g, '\\|');
    rows.push(`| \`${path}\` | ${typeOf(s)} | \`${cell(JSON.stringify(value))}\` | ${cell(describe(s))} |`);
  };
  walk(defaults, schema, '');
  return rows.join('\n') + '\n';
}
