import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { helmBinaries, helmEnv, helmLint, helmTemplate, runHelm } from './harness/helm';

/**
 * A tiny chart: one ConfigMap that prints `.Values.n` raw and through int64, plus a draft-07 schema
 * that requires `n` to be an integer.
 *
 * values.yaml quotes the key on purpose: helm reads YAML with 1.1 rules, so an unquoted `n:` key is
 * the boolean false (it ends up in .Values as the key "false"); see the test at the bottom.
 */
function writeTinyChart(dir: string): void {
  fs.mkdirSync(path.join(dir, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: tiny\nversion: 0.1.0\ndescription: harness test chart\n');
  fs.writeFileSync(path.join(dir, 'values.yaml'), '"n": 1\n');
  fs.writeFileSync(path.join(dir, 'values.schema.json'), JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['n'],
    properties: {
      n: { type: 'integer' },
      limits: { type: 'object', properties: { max: { type: 'integer' } } },
    },
  }, null, 2));
  fs.writeFileSync(path.join(dir, 'templates', 'cm.yaml'), [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: {{ .Release.Name }}-cm',
    '  namespace: {{ .Release.Namespace }}',
    'data:',
    '  raw: "{{ .Values.n }}"',
    '  int: "{{ .Values.n | int64 }}"',
    '',
  ].join('\n'));
}

function configMapData(stdout: string): Record<string, string> {
  const docs = YAML.parseAllDocuments(stdout).map((d) => d.toJS()).filter((d) => d);
  expect(docs).toHaveLength(1);
  return docs[0].data;
}

/**
 * The value paths named by helm's schema errors, as JSON pointers. The wording differs:
 * Helm 3 (gojsonschema) prints "- limits.max: Invalid type. ...", Helm 4 (santhosh-tekuri/jsonschema)
 * prints "- at '/limits/max': got number, want integer".
 */
function schemaErrorPaths(text: string): string[] {
  const paths = new Set<string>();
  for (const m of text.matchAll(/^(?:\[ERROR\] [^:]+: )?- at '([^']*)':/gm)) paths.add(m[1] || '/');
  for (const m of text.matchAll(/^(?:\[ERROR\] [^:]+: )?- ([\w.()-]+): /gm)) {
    paths.add(m[1] === '(root)' ? '/' : '/' + m[1].split('.').join('/'));
  }
  return [...paths].sort();
}

let tmp: string;
let chart: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-harness-test-'));
  chart = path.join(tmp, 'tiny');
  writeTinyChart(chart);
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('resolves Helm 3 and Helm 4 with their versions', () => {
  const bins = helmBinaries();
  if (process.env.HELM && !process.env.HELM3_BIN && !process.env.HELM4_BIN) {
    expect(bins).toHaveLength(1);
  } else {
    expect(bins.map((b) => b.name)).toEqual(['helm3', 'helm4']);
  }
  for (const b of bins) {
    expect(b.version).toMatch(new RegExp(`^v${b.name.slice(-1)}\\.\\d+\\.\\d+`));
  }
  // cached: same array, no new processes
  expect(helmBinaries()).toBe(bins);
});

test('helm runs isolated from the user environment', () => {
  const env = helmEnv();
  for (const k of ['HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME']) {
    expect(env[k]!.startsWith(os.tmpdir())).toBe(true);
  }
  for (const helm of helmBinaries()) {
    const r = runHelm(helm, ['env'], { env: {} });
    expect(r.code).toBe(0);
    const vars = Object.fromEntries(r.stdout.trim().split('\n').map((l) => {
      const i = l.indexOf('=');
      return [l.slice(0, i), JSON.parse(l.slice(i + 1))];
    }));
    expect(vars.HELM_REPOSITORY_CACHE.startsWith(env.HELM_CACHE_HOME!)).toBe(true);
    expect(vars.HELM_REPOSITORY_CONFIG.startsWith(env.HELM_CONFIG_HOME!)).toBe(true);
    expect(vars.HELM_PLUGINS.startsWith(env.HELM_DATA_HOME!)).toBe(true);
  }
});

describe.each(helmBinaries().map((b) => [b.name, b] as const))('%s', (_name, helm) => {
  test('template renders the chart with release name and namespace', () => {
    const r = helmTemplate(helm, chart, { release: 'rel', namespace: 'tenant-a' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [doc] = YAML.parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(doc).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'rel-cm', namespace: 'tenant-a' },
      data: { raw: '1', int: '1' },
    });
  });

  test('values object, values files and --set are applied in order', () => {
    const file = path.join(tmp, `${helm.name}-values.json`);
    fs.writeFileSync(file, '{"n": 5}');
    expect(configMapData(helmTemplate(helm, chart, {
      release: 'r', namespace: 'ns', valuesFiles: [file],
    }).stdout).int).toBe('5');
    expect(configMapData(helmTemplate(helm, chart, {
      release: 'r', namespace: 'ns', valuesFiles: [file], values: { n: 6 },
    }).stdout).int).toBe('6');
    expect(configMapData(helmTemplate(helm, chart, {
      release: 'r', namespace: 'ns', valuesFiles: [file], values: { n: 6 }, set: ['n=7'],
    }).stdout).int).toBe('7');
  });

  test('a schema violation fails and names the value path', () => {
    const r = helmTemplate(helm, chart, { release: 'r', namespace: 'ns', values: { n: 'not-a-number' } });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    // Helm 3: "- n: Invalid type. Expected: integer, given: string"
    // Helm 4: "- at '/n': got string, want integer"
    expect(r.stderr).toMatch(/values don't meet the specifications of the schema/);
    expect(schemaErrorPaths(r.stderr)).toEqual(['/n']);

    // Helm 3: "- limits.max: Invalid type. Expected: integer, given: number"
    // Helm 4: "- at '/limits/max': got number, want integer"
    const nested = helmTemplate(helm, chart, { release: 'r', namespace: 'ns', values: { limits: { max: 1.5 } } });
    expect(nested.code).not.toBe(0);
    expect(schemaErrorPaths(nested.stderr)).toEqual(['/limits/max']);
  });

  test('lint passes, and fails on a schema violation', () => {
    const ok = helmLint(helm, chart, { strict: true });
    expect(ok.code).toBe(0);
    const bad = helmLint(helm, chart, { strict: true, values: { n: 1.5 } });
    expect(bad.code).not.toBe(0);
    expect(schemaErrorPaths(bad.stdout)).toContain('/n');
  });

  test('number trap: every number from a values file is a float64; print integers through int64', () => {
    // Both Helm 3.18 and Helm 4.1 decode values through JSON into float64, and Go's %v of
    // float64(2000000) is "2e+06". `| int64` restores the integer. (--set parses 2000000 as int64.)
    const r = helmTemplate(helm, chart, { release: 'r', namespace: 'ns', values: { n: 2000000 } });
    expect(r.code).toBe(0);
    expect(configMapData(r.stdout)).toEqual({ raw: '2e+06', int: '2000000' });

    const s = helmTemplate(helm, chart, { release: 'r', namespace: 'ns', set: ['n=2000000'] });
    expect(configMapData(s.stdout)).toEqual({ raw: '2000000', int: '2000000' });

    // Small integers print fine either way, which is what makes the trap easy to miss.
    const small = helmTemplate(helm, chart, { release: 'r', namespace: 'ns', values: { n: 123456 } });
    expect(configMapData(small.stdout)).toEqual({ raw: '123456', int: '123456' });
  });

  test('YAML 1.1 trap: an unquoted key `n` in a values file is the boolean false', () => {
    const file = path.join(tmp, `${helm.name}-yaml11.yaml`);
    fs.writeFileSync(file, 'n: 2000000\n');
    const r = helmTemplate(helm, chart, { release: 'r', namespace: 'ns', valuesFiles: [file] });
    expect(r.code).toBe(0);
    // .Values.n still comes from the chart's values.yaml ("n": 1); the file's value went to .Values.false
    expect(configMapData(r.stdout)).toEqual({ raw: '1', int: '1' });
  });
});
