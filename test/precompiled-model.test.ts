/**
 * The precompiled chart models (models/, written by `npm run synth`) render exactly what the live
 * construct tree renders: the same objects for valid values, the same violations and render-time
 * errors for invalid ones. The CLI renders from them without loading cdk8s or any construct.
 * Also: the CLI's YAML printer (no `yaml` library) prints documents that read back as the objects.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { CHARTS } from '../src/charts';
import { yamlDocuments } from '../src/cli/write-yaml';
import { writeValidatorIndex } from '../src/generator/chart-writer';
import { ModelSource, renderChart, validateValues } from '../src/render';
import { TENANT_CLUSTER_LINES } from './harness/lines';
import { params } from './harness/properties';
import { invalidCaseArb, validCaseArb } from './harness/values-arbitrary';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml') && !f.startsWith('flux-'));

type Outcome = { objects: unknown[] } | { error: string; kind: string };

function outcome(chart: string, values: unknown, model: ModelSource, release = 'acme', namespace = 'tenant-acme'): Outcome {
  try {
    return { objects: renderChart(chart, values, { release, namespace, model }) };
  } catch (e) {
    return { error: (e as Error).message, kind: (e as Error).name };
  }
}

test.each(Object.keys(CHARTS))('%s: a precompiled model exists, with its validator', (chart) => {
  expect(fs.existsSync(path.join(ROOT, 'models', `${chart}.json`))).toBe(true);
  expect(fs.existsSync(path.join(ROOT, 'models', `${chart}.validate.js`))).toBe(true);
  expect(outcome(chart, {}, 'precompiled')).toEqual(outcome(chart, {}, 'live'));
});

test('models/validators.js holds one validator per chart directory (the lines of one chart share its name)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const index = require(path.join(ROOT, 'models', 'validators.js')) as Record<string, unknown>;
  expect(Object.keys(index)).toEqual(Object.keys(CHARTS).sort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validators-'));
  try {
    expect(() => writeValidatorIndex(dir, ['tenant-cluster', 'a', 'tenant-cluster'])).toThrow('tenant-cluster given twice');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.each(EXAMPLES)('examples/%s: precompiled ≡ live', (file) => {
  const values = YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'), { version: '1.1' });
  const live = outcome('tenant-cluster', values, 'live');
  expect('objects' in live && live.objects.length).toBeGreaterThan(5);
  expect(outcome('tenant-cluster', values, 'precompiled')).toEqual(live);
});

/**
 * Line 2.x (a preview the CLI does not offer yet) renders through the same compiled trees; its template functions
 * (DURATION_SECONDS, ARGS_NAME_VALUE) are found by name in the precompiled model.
 */
const V2 = TENANT_CLUSTER_LINES.find((l) => l.target === 'v1beta2')!;

test.each(EXAMPLES)(`examples/%s: precompiled ≡ live on line 2.x (${V2.chart})`, (file) => {
  const values = YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'), { version: '1.1' });
  const live = outcome(V2.chart, values, 'live');
  expect('objects' in live && live.objects.length).toBeGreaterThan(5);
  expect(JSON.stringify(outcome(V2.chart, values, 'precompiled'))).toBe(JSON.stringify(live));
});

test(`generated valid values on line 2.x (${V2.chart}): precompiled ≡ live, key order included`, () => {
  fc.assert(fc.property(validCaseArb, (c) => {
    const live = outcome(V2.chart, c.values, 'live', c.release, c.namespace);
    expect(JSON.stringify(outcome(V2.chart, c.values, 'precompiled', c.release, c.namespace))).toBe(JSON.stringify(live));
  }), params(50));
});

test('generated valid values: precompiled ≡ live, object for object, key order included', () => {
  fc.assert(fc.property(validCaseArb, (c) => {
    const live = outcome('tenant-cluster', c.values, 'live', c.release, c.namespace);
    const pre = outcome('tenant-cluster', c.values, 'precompiled', c.release, c.namespace);
    expect(JSON.stringify(pre)).toBe(JSON.stringify(live));
  }), params(150));
});

test.each(['precompiled', 'live'] as const)('%s: the chart defaults every render shares stay unchanged; renders share nothing with the values or each other', (model) => {
  const values = YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', 'platform.yaml'), 'utf8'), { version: '1.1' });
  const render = (v: unknown) => renderChart('tenant-cluster', v, { release: 'acme', namespace: 'tenant-acme', model });
  const minimal = () => YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', 'minimal.yaml'), 'utf8'), { version: '1.1' });
  const minimalObjects = JSON.stringify(render(minimal()));
  const first = render(values);
  const expected = JSON.stringify(first);
  // Whoever gets the objects may change them (no part is frozen or shared with the defaults), and the values given.
  const frozen: string[] = [];
  const scramble = (v: unknown, at: string): void => {
    if (v === null || typeof v !== 'object') return;
    if (Object.isFrozen(v)) frozen.push(at);
    for (const key of Object.keys(v)) {
      scramble((v as Record<string, unknown>)[key], `${at}.${key}`);
      if (!Object.isFrozen(v)) (v as Record<string, unknown>)[key] = Array.isArray(v) ? 'changed' : { changed: true };
    }
  };
  first.forEach((o, i) => scramble(o, String(i)));
  expect(frozen).toEqual([]);
  const valuesBefore = JSON.stringify(values);
  expect(JSON.stringify(render(values))).toBe(expected);
  expect(JSON.stringify(values)).toBe(valuesBefore);
  scramble(values, 'values');
  expect(JSON.stringify(render(minimal()))).toBe(minimalObjects);
});

test('generated invalid values: the same violations and render-time errors', () => {
  fc.assert(fc.property(invalidCaseArb(), (c) => {
    expect(validateValues('tenant-cluster', c.values, { model: 'precompiled' })).toEqual(validateValues('tenant-cluster', c.values, { model: 'live' }));
    const live = outcome('tenant-cluster', c.values, 'live', c.release, c.namespace);
    expect('error' in live).toBe(true);
    expect(outcome('tenant-cluster', c.values, 'precompiled', c.release, c.namespace)).toEqual(live);
  }), params(150));
});

describe('yamlDocuments (the CLI printer)', () => {
  const roundTrip = (objects: Array<Record<string, unknown>>) => YAML.parseAllDocuments(yamlDocuments(objects), { version: '1.1' }).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS();
  });

  test('tricky scalars, keys, empty collections and nesting read back unchanged (YAML 1.1)', () => {
    const tricky = {
      apiVersion: 'v1', kind: 'ConfigMap',
      data: {
        'yes': 'no', 'y': 'on', '012': '0x1F', '1:20': '1e3', '~': 'null', '': '', 'a: b': '- c', '#x': '&y', '{{': '}}',
        '0xff': '0XAB', '8Mi': '100m', 'multi': 'line\nbreak\u2028sep\u0085nel', 'unicode': 'é😀\ufeff', 'quote"s': "'single'", 'trailing ': ' lead',
      },
      spec: {
        ints: [0, -1, 2000000, 9007199254740991], floats: [0.5, 1e21, 1e-7, -2.5e-10], bools: [true, false], none: null,
        empty: {}, list: [], nested: [[1, [2]], [{}], [{ a: [] }]], items: [{ name: 'x', args: ['-c', '--flag=a:b'] }, { z: { y: 1 } }],
      },
    };
    expect(roundTrip([tricky, { kind: 'Second' }])).toEqual([tricky, { kind: 'Second' }]);
  });

  test('every example reads back as the objects rendered', () => {
    for (const file of EXAMPLES) {
      const values = YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'), { version: '1.1' });
      const objects = renderChart('tenant-cluster', values, { release: 'acme', namespace: 'tenant-acme' });
      expect(roundTrip(objects)).toEqual(JSON.parse(JSON.stringify(objects)));
    }
  });
});

/** The CLI run from the sources (ts-node) as compiled code (lib/) runs by default: on the precompiled model; what it loaded. */
function probeCli(valuesFile: string): { code: number; documents: number; loaded: string[] } {
  const probe = [
    `const M = require('module'); const seen = new Set(); const load = M._load;`,
    `M._load = function (r) { seen.add(r); return load.apply(this, arguments); };`,
    `let out = ''; const code = require('./src/cli.ts').main(['render', '-f', ${JSON.stringify(valuesFile)}, '--release', 'a', '--namespace', 'b'], (s) => { out += s; });`,
    `console.log(JSON.stringify({ code, documents: out.split('\\n---').length, loaded: [...seen] }));`,
  ].join('\n');
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', probe], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, TENANT_CLUSTER_MODEL: 'precompiled' },
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

/** Modules of the construct folders the CLI may load: template functions and data, no construct class. */
const LIGHT = [
  '../../constructs/management/cluster-scoped', '../../constructs/management/invariant-exceptions', '../vpn/vpn-functions',
  './constructs/addons/addon-functions', './constructs/addons/list-functions', './constructs/core/control-plane-functions',
  './constructs/core/node-labels', './constructs/core/release-size', './constructs/kubevirt/kubevirt-functions', './constructs/core/node-capacity',
  './constructs/openstack/openstack-functions', './constructs/vpn/vpn-functions', './constructs/core/api-shape-functions',
];
const heavy = (loaded: readonly string[]) => loaded.filter((m) => ['cdk8s', 'constructs', 'cdk8s-plus-27', 'ajv'].includes(m)
  || /imports\/|generator\//.test(m) || (/constructs\//.test(m) && !LIGHT.includes(m)));

test('the CLI renders from the precompiled model without loading cdk8s, a construct class or the schema compiler', () => {
  const { code, documents, loaded } = probeCli('examples/ha.yaml');
  expect({ code, documents }).toEqual({ code: 0, documents: 42 });
  expect(heavy(loaded)).toEqual([]);
  expect(loaded.some((m) => /template-functions/.test(m))).toBe(true);
  // YAML values are read by the YAML reader (the `yaml` package, as Helm reads them).
  expect(loaded).toContain('yaml');
});

test('a JSON values file (what the Magnum driver pipes) is read without the `yaml` package, to the same objects', () => {
  withJsonOf('examples/ha.yaml', (json) => {
    const { code, documents, loaded } = probeCli(json);
    expect({ code, documents }).toEqual({ code: 0, documents: 42 });
    expect(heavy(loaded)).toEqual([]);
    expect(loaded).not.toContain('yaml');
  });
});

/** The example as a JSON values file (pretty-printed, as Python's json.dump writes it). */
function withJsonOf(example: string, use: (file: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-json-'));
  try {
    const file = path.join(dir, 'values.json');
    fs.writeFileSync(file, JSON.stringify(YAML.parse(fs.readFileSync(path.join(ROOT, example), 'utf8'), { version: '1.1' }), null, 2));
    use(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
