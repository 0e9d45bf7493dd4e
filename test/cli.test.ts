/**
 * The CLI: what `render` prints is what `helm template` renders (both read as Kubernetes reads YAML),
 * `validate` reports every refusal, `--set` is Helm's, usage errors exit 2, refusals exit 1, and no input
 * makes it throw, print a stack trace, or change a JavaScript prototype.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { isAlias, parseAllDocuments, visit } from 'yaml';
import { SERVED_CHARTS } from '../src/charts';
import { main } from '../src/cli';
import { applySetArgument } from '../src/cli/set-values';
import { yamlDocuments } from '../src/cli/write-yaml';
import { coalesceValues, MERGE_DEFAULTS, mergeValuesFiles } from '../src/expr';
import { parseAsKubernetes } from './harness/go-yaml';
import { HelmBinary, helmBinaries, helmTemplate, runHelmAsync, withTempDir, withTempDirAsync } from './harness/helm';
import { byKey, K8sObject } from './harness/objects';
import { params } from './harness/properties';
import { TENANT_CLUSTER_LINES } from './harness/lines';
import { AWKWARD_FRAGMENTS } from './harness/values-arbitrary';

const ROOT = path.resolve(__dirname, '..');
const CHART_DIR = path.join(ROOT, 'charts', 'tenant-cluster');
const [V1, V2] = TENANT_CLUSTER_LINES;

interface Run { code: number; out: string; err: string }

function run(args: string[], stdin = ''): Run {
  let out = '';
  let err = '';
  const code = main(args, (s) => { out += s; }, (s) => { err += s; }, () => Buffer.from(stdin, 'utf8'));
  return { code, out, err };
}

/** A stack trace line (`    at fn (file:1:2)`). */
const STACK_LINE = /^\s+at .*(:\d+:\d+\)?|native)$/m;

let helms: HelmBinary[];
let helm4: HelmBinary;
beforeAll(() => {
  helms = helmBinaries();
  helm4 = helms.find((h) => h.name === 'helm4') ?? helms[0];
});

/** Each text's documents as Kubernetes (go-yaml) reads them, keyed by apiVersion/kind/namespace/name. */
async function asKubernetesReads(texts: string[]): Promise<Array<Record<string, K8sObject>>> {
  return (await parseAsKubernetes(helm4, texts)).map((docs) => byKey(docs as K8sObject[]));
}

describe('render', () => {
  test.each([['ha.yaml'], ['calico.yaml']])('examples/%s: the objects helm template renders, read back as Kubernetes reads them', async (example) => {
    const values = path.join(ROOT, 'examples', example);
    const r = run(['render', '-f', values, '--release', 'acme', '--namespace', 'tenant-acme']);
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
    const helm = helmTemplate(helm4, CHART_DIR, { release: 'acme', namespace: 'tenant-acme', valuesFiles: [values] });
    expect(helm.code).toBe(0);
    const [printed, rendered] = await asKubernetesReads([r.out, helm.stdout]);
    expect(Object.keys(printed).length).toBeGreaterThan(20);
    expect(printed).toEqual(rendered);
  });

  test('--version picks the line as `helm template --version` would (2.x, ^2, the exact version, the line\'s directory; ~1 and 1.x the 1.x line)', () => {
    const render = (...args: string[]) => {
      const r = run(['render', '-f', path.join(ROOT, 'examples', 'ha.yaml'), '--release', 'acme', '-n', 'tenant-acme', ...args]);
      expect({ args, code: r.code, err: r.err }).toEqual({ args, code: 0, err: '' });
      return r.out;
    };
    const line2 = render('--chart', V2.chart);
    const line1 = render();
    expect(line2).not.toEqual(line1);
    expect(line2).toContain('apiVersion: cluster.x-k8s.io/v1beta2');
    expect(line2).not.toContain('apiVersion: cluster.x-k8s.io/v1beta1');
    expect(line1).toContain('apiVersion: cluster.x-k8s.io/v1beta1');
    expect(line2).toContain(`helm.sh/chart: tenant-cluster-${V2.version}`);
    for (const v of ['2.x', '2', '^2', V2.version, `~${V2.version}`]) expect({ v, same: render('--version', v) === line2 }).toEqual({ v, same: true });
    for (const v of ['1.x', '~1', V1.version]) expect({ v, same: render('--version', v) === line1 }).toEqual({ v, same: true });
    expect(render('--chart', V2.chart, '--version', '2.x')).toEqual(line2);
  });

  test('prints plain documents: no anchors or aliases, whatever the rendered objects share', () => {
    const r = run(['render', '-f', path.join(ROOT, 'examples', 'ha.yaml'), '--release', 'acme', '-n', 'tenant-acme']);
    let aliases = 0;
    for (const doc of parseAllDocuments(r.out) as ReturnType<typeof parseAllDocuments> & unknown[]) {
      visit(doc, { Alias: () => { aliases++; }, Node: (_k, n) => { if (isAlias(n) || (n as { anchor?: string }).anchor) aliases++; } });
    }
    expect(aliases).toBe(0);
    expect(r.out).not.toMatch(/(^|\s)[&*][A-Za-z0-9]/m);
  });

  test('reads values from stdin with -f -, merged in order with files and --set', () => {
    const file = path.join(ROOT, 'examples', 'minimal.yaml');
    const fromFile = run(['render', '-f', file, '--release', 'acme', '-n', 'tenant-acme', '--set', 'nodeGroups.workers.autoscaling.max=7']);
    const fromStdin = run(['render', '-f', '-', '--release', 'acme', '-n', 'tenant-acme', '--set', 'nodeGroups.workers.autoscaling.max=7'], fs.readFileSync(file, 'utf8'));
    expect(fromStdin).toEqual(fromFile);
    expect(fromFile.out).toContain('cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size: "7"');
  });

  test('a render-time check prints its message and exits 1', () => {
    withTempDir('tc-cli-', (dir) => {
      const bad = path.join(dir, 'bad.yaml');
      fs.writeFileSync(bad, 'addons: {repositories: {tenantCluster: {url: "https://charts.example.com"}}}\nnodeGroups:\n  gpu:\n    autoscaling:\n      enabled: true\n      min: 5\n      max: 2\n');
      expect(run(['render', '-f', bad, '--release', 'acme', '--namespace', 'ns'])).toEqual({ code: 1, out: '', err: 'nodeGroups.gpu.autoscaling: min (5) must be <= max (2)\n' });
    });
  });

  test('a release name Helm refuses is refused with Helm\'s words', () => {
    const r = run(['render', '-f', path.join(ROOT, 'examples', 'minimal.yaml'), '--release', 'Acme Corp', '-n', 'tenant-acme']);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toMatch(/^release name "Acme Corp": invalid release name, must match regex .* and the length must not be longer than 53\n$/);
  });
});

describe('validate', () => {
  test('prints every violation with its path and exits 1', () => {
    const r = run(['validate', '-f', '-'], 'controlPlane:\n  replicas: "3"\n  endpoint:\n    type: Ingress\nnodeGroups:\n  md0:\n    bogus: 1\n');
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toEqual([
      'controlPlane.endpoint.type: must be one of "LoadBalancer", "NodePort", "ClusterIP"',
      'controlPlane.replicas: must be integer',
      'nodeGroups.md0.bogus: unknown key',
    ]);
  });

  test('reports render-time refusals too (CIDR overlap, unsupported version, min > max), all of them', () => {
    const r = run(['validate', '-f', path.join(ROOT, 'examples', 'minimal.yaml'), '--set', 'kubernetes.version=v1.29',
      '--set', 'clusterNetwork.serviceCidr=10.243.128.0/17', '--set', 'nodeGroups.workers.autoscaling.min=9']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('clusterNetwork.podCidr: 10.243.0.0/16 overlaps clusterNetwork.serviceCidr 10.243.128.0/17\n');
    expect(r.err).toContain('nodeGroups.workers.autoscaling: min (9) must be <= max (5)\n');
    expect(r.err).toMatch(/kubernetes\.version: v1\.29 is not supported; supported minors: /);
  });

  test('says which checks it skipped without --release/--namespace, and runs them with', () => {
    const minimal = path.join(ROOT, 'examples', 'minimal.yaml');
    const without = run(['validate', '-f', minimal]);
    expect(without.code).toBe(0);
    expect(without.out).toBe('values are valid\n');
    expect(without.err).toBe('note: skipped the checks that read the release name or namespace (of fullnameOverride (or the release name); '
      + 'nodeGroups.workers; release namespace); give --release and --namespace to run them\n');
    expect(run(['validate', '-f', minimal, '--release', 'acme', '-n', 'tenant-acme'])).toEqual({ code: 0, out: 'values are valid\n', err: '' });
    const tooLong = run(['validate', '-f', minimal, '--release', `a${'b'.repeat(45)}`, '-n', 'tenant-acme']);
    expect(tooLong.code).toBe(1);
    expect(tooLong.err).toContain(`nodeGroups.workers: "a${'b'.repeat(45)}-workers" is longer than 50 characters`);
  });
});

describe('usage', () => {
  test('--help and --version exit 0 on stdout', () => {
    const help = run(['--help']);
    expect(help).toMatchObject({ code: 0, err: '' });
    expect(help.out).toMatch(/^Usage: tenant-cluster \[options\] \[command\]/);
    expect(help.out).toContain('render');
    expect(help.out).toContain('validate');
    const renderHelp = run(['render', '--help']);
    expect(renderHelp.code).toBe(0);
    for (const option of ['-f, --values <file>', '--set <path=value>', '--set-string <path=value>', '--release <name>', '-n, --namespace <namespace>', '--chart <name>']) {
      expect(renderHelp.out).toContain(option);
    }
    const version = run(['--version']);
    expect(version).toMatchObject({ code: 0, err: '' });
    const charts = Object.values(SERVED_CHARTS).map((def) => `${def.name} ${def.version}`).join(', ');
    expect(version.out).toMatch(new RegExp(`^\\S+ \\(charts: ${charts.replace(/\./g, '\\.')}\\)\n$`));
  });

  test.each([
    [['frobnicate'], "error: unknown command 'frobnicate'"],
    [[], 'Usage: tenant-cluster'],
    [['render', '-f', 'x.yaml'], "error: required option '--release <name>' not specified"],
    [['render', '--release', 'a', '-n', 'b', '--frobnicate'], "error: unknown option '--frobnicate'"],
    [['validate', '--chart', 'nope'], `error: option '--chart <name>' argument 'nope' is invalid. Allowed choices are ${Object.keys(SERVED_CHARTS).join(', ')}.`],
    // --version picks a line of tenant-cluster this build renders; anything else is a usage error naming what it renders.
    [['render', '--version', '3.x', '--release', 'a', '-n', 'b'],
      `error: --version "3.x": this build renders tenant-cluster ${V1.version} (line 1.x) and ${V2.version} (line 2.x); render another release with \`helm template\` and its archive from dist/`],
    [['validate', '--version', '1.0.0'], `error: --version "1.0.0": this build renders tenant-cluster ${V1.version} (line 1.x) and ${V2.version} (line 2.x)`],
    [['validate', '--version', 'latest'], `error: --version "latest": not a chart version (e.g. ${V1.version}, ${V2.version}, 1.x, 2.x)`],
    [['validate', '--chart', V2.chart, '--version', '~1'], `error: --chart ${V2.chart} is tenant-cluster ${V2.version}, not --version "~1": give one of them`],
    [['validate', '-f'], "error: option '-f, --values <file>' argument missing"],
    [['validate', '--set', 'a.b'], 'error: --set "a.b": key "b" has no value'],
    [['validate', '--set', 'a=1,b'], 'error: --set "a=1,b": key "b" has no value'],
    [['validate', '--set', 'a={x,y'], 'error: --set "a={x,y": list must terminate with \'}\''],
    [['validate', '--set', 'a[x]=1'], 'error: --set "a[x]=1": error parsing index: "x" is not an integer'],
    [['validate', '--set', 'a=9007199254740993'], 'error: --set "a=9007199254740993": the integer 9007199254740993 is larger than the evaluation backend holds exactly'],
  ])('%j: a usage error, exit 2', (args, message) => {
    const r = run(args as string[]);
    expect({ code: r.code, out: r.out }).toEqual({ code: 2, out: '' });
    expect(r.err).toContain(message as string);
    expect(r.err).not.toMatch(STACK_LINE);
  });

  test('a file that cannot be read: its error, exit 1', () => {
    const r = run(['validate', '-f', path.join(ROOT, 'no-such-values.yaml')]);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toMatch(/^ENOENT: no such file or directory, open '.*no-such-values\.yaml'\n$/);
    expect(run(['validate', '-f', ROOT]).err).toMatch(/^EISDIR/);
  });
});

// ---------------------------------------------------------------------------------------------
// No input makes the CLI throw, print a stack trace or pollute a prototype
// ---------------------------------------------------------------------------------------------

const PROTOTYPES: ReadonlyArray<[string, object]> = [['Object', Object.prototype], ['Array', Array.prototype], ['Function', Function.prototype]];
const prototypeKeys = () => PROTOTYPES.map(([name, p]) => [name, Object.getOwnPropertyNames(p).sort()]);

/** Fragments of hostile or broken values files. */
const YAML_FRAGMENTS = [
  '__proto__:', 'constructor:', 'prototype:', '  polluted: true', '  __proto__: {polluted: true}', 'nodeGroups:', '  md0:', '    labels:',
  '      __proto__: x', 'a: &a [*a]', 'b: &b {c: *b}', '<<: {x: 1}', '<<: *a', '- x', '---', '--- x', '...', '%YAML 1.2', '\t- tab', ' \tb: 1',
  'key: value', 'key: value', '? [a]\n: b', '!!binary aGk=', '"\\ud800"', '"\\u0085"', '\u0085', '\u2028', '\u007f', '\ufeff', '\u0000', 'x: .nan', 'y: 1e400',
  '1: a', '"1": b', 'yes: y', 'true: t', 'z: [1, 2', 'w: {a: 1', 'v: |', '  block', 'u: >-', '  folded', "t: 'it''s'", 's: "\\x41"', '{', '}',
];

const hostileTextArb = fc.oneof(
  fc.array(fc.constantFrom(...YAML_FRAGMENTS), { maxLength: 12 }).map((lines) => lines.join('\n')),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(fc.oneof(fc.constantFrom(...YAML_FRAGMENTS), fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constantFrom(...AWKWARD_FRAGMENTS)), { maxLength: 10 })
    .map((parts) => parts.join(' ')),
);

describe('merges and copies treat every key as data', () => {
  test('__proto__, constructor and prototype keys (as JSON.parse and the YAML reader make them): kept as own keys, no prototype changes', () => {
    const before = prototypeKeys();
    const a = JSON.parse('{"__proto__": {"polluted": 1}, "m": {"__proto__": {"polluted": 2}, "constructor": {"prototype": {"polluted": 3}}}}');
    const b = JSON.parse('{"m": {"__proto__": {"polluted": 4, "more": 5}}, "constructor": {"polluted": 6}}');
    const merged = mergeValuesFiles([a, b]);
    expect(JSON.parse(JSON.stringify(merged))).toEqual(JSON.parse('{"__proto__": {"polluted": 1}, "m": {"__proto__": {"polluted": 4, "more": 5}, '
      + '"constructor": {"prototype": {"polluted": 3}}}, "constructor": {"polluted": 6}}'));
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    const coalesced = coalesceValues(JSON.parse('{"m": {"x": 1}, "toString": 1}'), merged);
    expect(Object.keys(coalesced).sort()).toEqual(['__proto__', 'constructor', 'm', 'toString']);
    expect(MERGE_DEFAULTS.props.evaluate(JSON.parse('{"d": {"x": 1}}'), JSON.parse('{"__proto__": {"y": 2}, "d": {"constructor": 3}}')))
      .toEqual(JSON.parse('{"__proto__": {"y": 2}, "d": {"constructor": 3, "x": 1}}'));
    expect(prototypeKeys()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('no input crashes the CLI', () => {
  test(`hostile and broken values files (${process.env.FC_NUM_RUNS ?? 300} runs): exit 0, 1 or 2, no stack trace, prototypes untouched`, () => {
    const before = prototypeKeys();
    fc.assert(fc.property(hostileTextArb, hostileTextArb, fc.constantFrom('validate', 'render'), (first, second, command) => {
      withTempDir('tc-cli-hostile-', (dir) => {
        const a = path.join(dir, 'a.yaml');
        fs.writeFileSync(a, first);
        const args = [command, '-f', a, '-f', '-', ...(command === 'render' ? ['--release', 'acme', '-n', 'tenant-acme'] : [])];
        let r: Run | undefined;
        expect(() => { r = run(args, second); }).not.toThrow();
        expect([0, 1, 2]).toContain(r!.code);
        expect(r!.err).not.toMatch(STACK_LINE);
        expect(r!.err).not.toContain('internal error');
      });
      expect(prototypeKeys()).toEqual(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }), params(Number(process.env.FC_NUM_RUNS ?? 300)));
  });

  /** A `__proto__`/`constructor`/`prototype` key at a values path, as YAML text. */
  const pollutionArb = fc.record({
    key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
    at: fc.constantFrom([], ['nodeGroups'], ['nodeGroups', 'md0', 'labels'], ['addons', 'metricsServer', 'values'], ['controlPlane', 'apiServer', 'extraArgs'],
      ['nodeGroupDefaults', 'kubevirt', 'bootImage', 'dataVolume', 'source']),
    how: fc.constantFrom('one file', 'two files', '--set'),
  });

  test('reserved keys (top level, nested, where two -f files overlap, through --set): refused with their path, never assigned through', () => {
    const before = prototypeKeys();
    fc.assert(fc.property(pollutionArb, ({ key, at, how }) => {
      const yamlAt = (segments: string[], leaf: string) => segments.reduceRight((inner, s) => `${s}:\n${inner.replace(/^/gm, '  ')}`, leaf);
      const base = 'addons:\n  repositories:\n    tenantCluster:\n      url: https://charts.example.com/t\nnodeGroups:\n  md0: {}\n';
      const pollution = yamlAt([...at, key], 'polluted: true\nenabled: true\n');
      withTempDir('tc-cli-pollution-', (dir) => {
        const files: string[] = [];
        const write = (name: string, text: string) => { fs.writeFileSync(path.join(dir, name), text); files.push('-f', path.join(dir, name)); };
        write('base.yaml', base);
        const set: string[] = [];
        if (how === 'one file') write('p.yaml', pollution);
        else if (how === 'two files') { write('p1.yaml', pollution); write('p2.yaml', pollution.replace('polluted: true', 'polluted: 2')); }
        else set.push('--set', `${[...at, key].join('.')}.polluted=true`);
        const r = run(['render', ...files, ...set, '--release', 'acme', '-n', 'tenant-acme']);
        expect({ code: r.code, out: r.out }).toEqual({ code: 1, out: '' });
        expect(r.err).toContain(`${[...at, key].join('.')}: key is reserved`);
      });
      expect(prototypeKeys()).toEqual(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).enabled).toBeUndefined();
    }), params(40));
  });
});

// ---------------------------------------------------------------------------------------------
// --set and --set-string like Helm
// ---------------------------------------------------------------------------------------------

type SetTree = { [key: string]: SetTree | SetTree[] | string };

/** Keys of `--set` paths: plain ones, and ones with characters that need a backslash (`.`, `,`, `=`, `[`). */
const setKeyArb = fc.oneof(
  fc.constantFrom('a', 'b', 'replicas', 'x-y', 'x_y', '0', 'Z', 'é', 'node.kubernetes.io/role', 'k=v', 'a,b', 'a[0]', 'sp ace'),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
);

/** Values as typed on a command line: booleans and integers in any spelling, nulls, strings with escapes. */
const setValueArb = fc.oneof(
  fc.constantFrom('true', 'TRUE', 'False', 'null', 'NULL', '0', '00', '007', '12', '-3', '+4', '1e3', '1.5', '0x1F', 'yes', 'no', 'a b', 'x,y', 'é', '', ' ', 'a=b', '{', '~', '9007199254740991'),
  fc.stringMatching(/^[a-z0-9 .:/_-]{0,10}$/),
);

/** A tree of maps, lists and values (each leaf one assignment): no two assignments conflict, as in a real --set line. */
const setTreeArb: fc.Arbitrary<SetTree> = fc.letrec<{ tree: SetTree; node: SetTree | SetTree[] | string }>((tie) => ({
  tree: fc.dictionary(setKeyArb, tie('node'), { minKeys: 1, maxKeys: 3 }).map((d) => d as SetTree),
  node: fc.oneof({ maxDepth: 3, depthIdentifier: 'set' },
    { arbitrary: setValueArb, weight: 4 },
    { arbitrary: tie('tree'), weight: 1 },
    { arbitrary: fc.array(tie('tree'), { minLength: 1, maxLength: 2 }), weight: 1 }) as fc.Arbitrary<SetTree | SetTree[] | string>,
})).tree;

const escapeKey = (k: string) => k.replace(/[\\.,=[\]]/g, (c) => `\\${c}`);
const escapeValue = (v: string) => v.replace(/[\\,]|^\{/g, (c) => `\\${c}`);

/** A tree as `--set` assignments (`a.b=1`, `l[0].c=x`), some joined by commas into one argument. */
function setArguments(tree: SetTree, prefix: string, join: boolean): string[] {
  const out: string[] = [];
  const walk = (node: SetTree | SetTree[] | string, at: string) => {
    if (typeof node === 'string') out.push(`${at}=${escapeValue(node)}`);
    else if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}[${i}]`));
    else for (const [k, v] of Object.entries(node)) walk(v, `${at}.${escapeKey(k)}`);
  };
  for (const [k, v] of Object.entries(tree)) walk(v, `${prefix}.${escapeKey(k)}`);
  return join ? [out.join(',')] : out;
}

/** `.Values` after the given `--set`/`--set-string` arguments, as Helm computes it. */
async function helmSetValues(helm: HelmBinary, args: string[]): Promise<Record<string, unknown>> {
  return withTempDirAsync('tc-cli-set-', async (dir) => {
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: set\nversion: 0.1.0\n');
    fs.writeFileSync(path.join(dir, 'templates', 'values.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: values\ndata:\n  json: {{ .Values | toJson | b64enc | quote }}\n');
    const r = await runHelmAsync(helm, ['template', 'set', dir, ...args]);
    if (r.code !== 0) throw new Error(`${helm.name} refused ${JSON.stringify(args)}: ${r.stderr}`);
    const json = /json: "([^"]*)"/.exec(r.stdout)![1];
    return JSON.parse(Buffer.from(json, 'base64').toString('utf8'));
  });
}

describe('--set and --set-string as Helm parses them', () => {
  const CASES = 60;
  test(`${CASES} generated assignment sets, as --set and as --set-string, equal what Helm 3 and Helm 4 read (one helm run each)`, async () => {
    const cases = fc.sample(fc.tuple(setTreeArb, fc.boolean()), { seed: 20261122, numRuns: CASES });
    for (const asString of [false, true]) {
      const flag = asString ? '--set-string' : '--set';
      const perCase = cases.map(([tree, join], i) => setArguments(tree, `c${i}`, join));
      const ours: Record<string, unknown> = {};
      perCase.flat().forEach((a) => applySetArgument(ours, a, asString));
      for (const helm of helms) {
        const theirs = await helmSetValues(helm, perCase.flat().flatMap((a) => [flag, a]));
        expect({ helm: helm.name, flag, values: ours }).toEqual({ helm: helm.name, flag, values: theirs });
      }
    }
  });

  test.each([
    ['lists with {}', ['a={x,y}', 'b={}', 'c={1,true,null}', 'd[1]=z', 'e[0].f=1', 'e[0].g[1]=2']],
    ['escapes', ['a\\.b=1', 'c=x\\,y', 'd=\\{x\\}', 'e\\=f=g', 'h\\[0\\]=i']],
    ['typing', ['a=true', 'b=TrUe', 'c=null', 'd=0', 'e=007', 'f=-12', 'g=+3', 'h=1e3', 'i=', 'j=9223372036854775808']],
    ['replacing', ['a=1', 'a=2', 'b.c=1', 'b.d=2', 'e={1,2}', 'e[2]=3', 'f=x,g=y']],
  ])('%s: the same values as Helm 4', async (_name, sets) => {
    for (const asString of [false, true]) {
      const ours: Record<string, unknown> = {};
      (sets as string[]).forEach((a) => applySetArgument(ours, a, asString));
      const theirs = await helmSetValues(helm4, (sets as string[]).flatMap((a) => [asString ? '--set-string' : '--set', a]));
      expect({ asString, values: ours }).toEqual({ asString, values: theirs });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The printed YAML reads back, with go-yaml, as the objects
// ---------------------------------------------------------------------------------------------

const printedStringArb = fc.oneof(
  fc.constantFrom(...AWKWARD_FRAGMENTS, '0o17', '0O17', '0b101', '0xff', '0XAB', '0x1F', '8Mi', '1e', '017', '08', '1:30', '1_000', '2001-12-14', '.5', '1.', '+.inf', '.NaN', '~', '<<', '=', '!', '&a', '*a',
    '\u2028', '\u2029', '\u0085', '\u007f', '\u0090', '\ufeff', '\ufffe', '\uffff', '\u0000', '\u001b', 'a\u2028b', 'yES', 'No', 'oN', '-', '- a', ': x', '? x'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
);

const printedValueArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ maxDepth: 3 },
    { arbitrary: printedStringArb, weight: 5 },
    { arbitrary: fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.constantFrom(0, 1e21, 1.5e-7, 0.1, 2 ** 53 - 1, -42)), weight: 1 },
    { arbitrary: fc.constantFrom(true, false, null), weight: 1 },
    { arbitrary: fc.array(tie('value'), { maxLength: 3 }), weight: 1 },
    { arbitrary: fc.dictionary(printedStringArb, tie('value'), { maxKeys: 3 }), weight: 1 }),
})).value;

describe('the printed YAML', () => {
  test('reads back with go-yaml as exactly the objects (100 generated objects, one helm run)', async () => {
    const objects = fc.sample(fc.dictionary(printedStringArb, printedValueArb, { maxKeys: 5 }), { seed: 20261122, numRuns: 100 })
      .map((data, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `o${i}`, shared: data }, data }));
    const texts = objects.map((o) => yamlDocuments([o]));
    const read = await parseAsKubernetes(helm4, texts);
    expect(read).toEqual(objects.map((o) => [o]));
  });
});
