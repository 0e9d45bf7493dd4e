/**
 * values.yaml reads like Bitnami's and kube-prometheus-stack's (issue 13): sections, `@param` lines,
 * `ref:` links and commented examples under empty maps and lists, all from the values contract's JSDoc;
 * defaults written once (values.yaml is the chart's defaults; a JSDoc `@default` left in the contract
 * must agree with them); and every example renders as the chart's values.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { CHARTS } from '../src/charts';
import { generateValuesSchemas } from '../src/generator/values-schema';
import { renderChart, validateValues } from '../src/render';

const ROOT = path.resolve(__dirname, '..');
type Schema = Record<string, any>;

const docsOf = new Map<string, Schema>();
function docs(chart: string): Schema {
  if (!docsOf.has(chart)) docsOf.set(chart, generateValuesSchemas(CHARTS[chart], ROOT).docs);
  return docsOf.get(chart)!;
}

function resolve(root: Schema, s: Schema | undefined): Schema | undefined {
  let cur = s;
  while (cur && typeof cur.$ref === 'string') cur = root.definitions?.[cur.$ref.replace('#/definitions/', '')];
  return cur;
}

/** Every value of the defaults with the schema of its property (own annotations over the referenced type's). */
function entries(root: Schema, value: unknown, s: Schema | undefined, at: string[] = []): Array<{ path: string[]; value: unknown; schema: Schema }> {
  const out: Array<{ path: string[]; value: unknown; schema: Schema }> = [];
  const r = resolve(root, s);
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !r) return out;
  for (const [k, v] of Object.entries(value)) {
    const prop = r.properties?.[k] ?? (typeof r.additionalProperties === 'object' ? r.additionalProperties : undefined);
    if (!prop) continue;
    const schema = { ...resolve(root, prop), ...prop };
    out.push({ path: [...at, k], value: v, schema }, ...entries(root, v, prop, [...at, k]));
  }
  return out;
}

const isEmpty = (v: unknown) => (Array.isArray(v) && v.length === 0) || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

describe.each(Object.keys(CHARTS))('%s values.yaml', (chart) => {
  const text = () => fs.readFileSync(path.join(ROOT, 'charts', chart, 'values.yaml'), 'utf8');

  test('is the chart defaults, as Helm (YAML 1.1) reads it', () => {
    expect(YAML.parse(text(), { version: '1.1' })).toEqual(JSON.parse(JSON.stringify(CHARTS[chart].defaults)));
  });

  test('sections, and a `@param <path>` line above every value', () => {
    const lines = text().split('\n');
    expect(lines.filter((l) => l.trimStart().startsWith('## @section ')).length).toBeGreaterThanOrEqual(chart === 'tenant-cluster' ? 15 : 3);
    const schema = docs(chart);
    for (const e of entries(schema, CHARTS[chart].defaults, schema).filter((x) => x.value === null || typeof x.value !== 'object' || isEmpty(x.value))) {
      expect({ path: e.path.join('.'), documented: lines.some((l) => l.trimStart().startsWith(`## @param ${e.path.join('.')} `)) })
        .toEqual({ path: e.path.join('.'), documented: true });
    }
  });

  test('no comment line over 100 characters', () => {
    expect(text().split('\n').filter((l) => l.trimStart().startsWith('#') && l.length > 100 && !/ref: https?:\/\/\S+$/.test(l))).toEqual([]);
  });

  test('a JSDoc @default left in the contract agrees with the chart defaults (written once)', () => {
    const schema = docs(chart);
    const disagree = entries(schema, CHARTS[chart].defaults, schema)
      .filter((e) => e.schema.default !== undefined && JSON.stringify(e.schema.default) !== JSON.stringify(e.value))
      .map((e) => `${e.path.join('.')}: @default ${JSON.stringify(e.schema.default)}, values.yaml ${JSON.stringify(e.value)}`);
    expect(disagree).toEqual([]);
  });

  test('every empty map or list among the values shows an example (a JSDoc @example)', () => {
    const schema = docs(chart);
    const empties = entries(schema, CHARTS[chart].defaults, schema).filter((e) => isEmpty(e.value));
    expect(empties.filter((e) => e.schema.example === undefined).map((e) => e.path.join('.'))).toEqual([]);
  });

  test('the committed schema carries no defaults and no documentation-only keywords', () => {
    const committed = fs.readFileSync(path.join(ROOT, 'charts', chart, 'values.schema.json'), 'utf8');
    expect(committed).not.toMatch(/"(default|see|example)":/);
  });
});

describe('tenant-cluster examples', () => {
  const schema = () => docs('tenant-cluster');
  const withExample = () => entries(schema(), CHARTS['tenant-cluster'].defaults, schema()).filter((e) => e.schema.example !== undefined);

  test('every empty map or list among the values shows an example (nodeGroups, extraDisks, taints …)', () => {
    const empties = entries(schema(), CHARTS['tenant-cluster'].defaults, schema()).filter((e) => isEmpty(e.value));
    expect(empties.length).toBeGreaterThan(15);
    expect(empties.filter((e) => e.schema.example === undefined).map((e) => e.path.join('.'))).toEqual([]);
    const text = fs.readFileSync(path.join(ROOT, 'charts', 'tenant-cluster', 'values.yaml'), 'utf8');
    for (const key of ['nodeGroups', 'extraDisks', 'taints']) expect(text).toMatch(new RegExp(`## E\\.g\\.\\n *## ${key}:\\n`));
    expect(text).toContain('## ref: https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/');
  });

  test.each(['nodeGroups', 'nodeGroupDefaults.taints', 'nodeGroupDefaults.kubevirt.extraDisks', 'addons.cni.cilium.values'])(
    '%s has an example (from its JSDoc @example)', (key) => {
      const e = withExample().find((x) => x.path.join('.') === key);
      expect(e).toBeDefined();
    });

  test('every example, set as the chart\'s values at its key, is valid and renders', () => {
    const base = YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', 'minimal.yaml'), 'utf8'), { version: '1.1' });
    const examples = withExample();
    expect(examples.length).toBeGreaterThan(15);
    for (const e of examples) {
      const values = JSON.parse(JSON.stringify(base));
      let at = values;
      for (const k of e.path.slice(0, -1)) at = at[k] ??= {};
      const example = typeof e.schema.example === 'string' ? YAML.parse(e.schema.example, { version: '1.1' }) : e.schema.example;
      at[e.path[e.path.length - 1]] = example;
      expect({ key: e.path.join('.'), violations: validateValues('tenant-cluster', values) }).toEqual({ key: e.path.join('.'), violations: [] });
      expect(renderChart('tenant-cluster', values, { release: 'acme', namespace: 'tenant-acme' }).length).toBeGreaterThan(5);
    }
  });
});
