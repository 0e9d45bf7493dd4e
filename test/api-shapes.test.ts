/**
 * The API shapes (src/constructs/core/api-shapes.ts) and their template functions: each v1beta2 shape is what
 * Cluster API's own conversion (kubernetes-sigs/cluster-api v1.13.5, ported in test/harness/capi-conversion.ts)
 * makes of the v1beta1 shape, the objects they build are valid against each target's vendored CRDs, and the
 * evaluation backend, Helm 3 and Helm 4 agree. DURATION_SECONDS is held to fixtures computed by Go with Cluster
 * API's `ConvertToSeconds` rule (test/data/duration-seconds/generate.go).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { ARGS_NAME_VALUE, DURATION_SECONDS, MAX_GO_DURATION, parseGoDuration } from '../src/constructs/core/api-shape-functions';
import {
  API_TARGET_CONTEXT, API_TARGETS, ApiTarget, apiKind, apiTargetOf, canonicalApiKind, contractRef, durationField, groupOf, healthCheckSpec, kubeadmArgs,
  omitIfEmpty, TargetedKind,
} from '../src/constructs/core/api-shapes';
import { eachItem, lit, Values } from '../src/expr';
import { ValuesMap } from '../src/expr/coalesce';
import { convertToArgs, convertToV1beta2 } from './harness/capi-conversion';
import { convertToSeconds, DURATION_FIXTURES, PARSED_DURATION_FIXTURES } from './harness/duration-fixtures';
import { buildMiniChart, MiniChart, objectNamed, renderAgreeing, renderEval, renderFailing } from './harness/mini-chart';
import { formatErrors, TARGET_CRD_DIRS, validateObjects } from './harness/validate';

const ROOT = path.resolve(__dirname, '..');

const FIXTURES = DURATION_FIXTURES;
const PARSED = PARSED_DURATION_FIXTURES;

const charts: MiniChart[] = [];
afterAll(() => charts.forEach((c) => c.dispose()));
function chart(build: (c: Chart) => void, defaults: ValuesMap = {}): MiniChart {
  const c = buildMiniChart(build, defaults);
  charts.push(c);
  return c;
}

// ---------------------------------------------------------------------------------------------
// API versions per target, from the vendored CRDs
// ---------------------------------------------------------------------------------------------

/** `{group/version kind → storage?}` of every served version in a target's vendored CRD folders. */
function servedVersions(target: ApiTarget): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const dir of TARGET_CRD_DIRS[target]) {
    for (const file of fs.readdirSync(path.join(ROOT, 'test/schemas/crds', dir)).filter((f) => f.endsWith('.yaml'))) {
      const crd = YAML.parse(fs.readFileSync(path.join(ROOT, 'test/schemas/crds', dir, file), 'utf8'));
      for (const v of crd.spec.versions) if (v.served) out.set(`${crd.spec.group}/${v.name} ${crd.spec.names.kind}`, v.storage === true);
    }
  }
  return out;
}

const KINDS: readonly TargetedKind[] = ['Cluster', 'MachineDeployment', 'MachineHealthCheck', 'KubeadmConfigTemplate', 'KamajiControlPlane'];

describe('API versions per target', () => {
  test.each(API_TARGETS)('%s: every kind\'s version is the storage version of its CRD in the target\'s CRD set', (target) => {
    const served = servedVersions(target);
    const found = KINDS.map((kind) => {
      const { apiVersion } = apiKind(target, kind);
      return { kind, apiVersion, storage: served.get(`${apiVersion} ${kind}`) };
    });
    expect(found).toEqual(KINDS.map((kind) => ({ kind, apiVersion: apiKind(target, kind).apiVersion, storage: true })));
  });

  test('the lines differ in every targeted kind\'s version, never in its group; canonical = v1beta1', () => {
    for (const kind of KINDS) {
      expect(apiKind('v1beta1', kind).apiVersion).not.toBe(apiKind('v1beta2', kind).apiVersion);
      expect(groupOf(apiKind('v1beta1', kind).apiVersion)).toBe(groupOf(apiKind('v1beta2', kind).apiVersion));
      expect(canonicalApiKind(kind)).toEqual(apiKind('v1beta1', kind));
    }
    // CAPI 1.13 still serves v1beta1 (deprecated): validity alone would not catch a 2.x object left at v1beta1.
    expect(servedVersions('v1beta2').get('cluster.x-k8s.io/v1beta1 Cluster')).toBe(false);
    // The Kamaji provider v0.20 serves no v1alpha1.
    expect(servedVersions('v1beta2').has('controlplane.cluster.x-k8s.io/v1alpha1 KamajiControlPlane')).toBe(false);
  });

  test('groupOf refuses the core group (a Cluster API reference names a group); apiTargetOf needs the chart\'s target', () => {
    expect(groupOf('infrastructure.cluster.x-k8s.io/v1alpha1')).toBe('infrastructure.cluster.x-k8s.io');
    expect(() => groupOf('v1')).toThrow('"v1" has no API group');
    const c = new Chart(new App(), 'x');
    expect(() => apiTargetOf(c)).toThrow(`no API target in the construct tree (context "${API_TARGET_CONTEXT}" is undefined)`);
    c.node.setContext(API_TARGET_CONTEXT, 'v1beta2');
    expect(apiTargetOf(new ApiObject(c, 'o', { apiVersion: 'v1', kind: 'ConfigMap' }))).toBe('v1beta2');
  });
});

// ---------------------------------------------------------------------------------------------
// The shapes: one mini chart per target, the same values
// ---------------------------------------------------------------------------------------------

const CLUSTER = 'acme';
const NS = 'ns';
const DEPLOYMENT = 'acme-workers';

/** The Cluster API objects the shape functions build, for one target, from values (as the constructs will). */
function shapesChart(target: ApiTarget): MiniChart {
  return chart((c) => {
    const meta = (name: string) => ({ name, namespace: NS });
    const kubevirtCluster = { apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha1', kind: 'KubevirtCluster' };
    new ApiObject(c, 'Cluster', {
      ...apiKind(target, 'Cluster'),
      metadata: meta(CLUSTER),
      spec: {
        clusterNetwork: { apiServerPort: 6443, pods: { cidrBlocks: ['10.243.0.0/16'] }, services: { cidrBlocks: ['10.95.0.0/16'] }, serviceDomain: 'cluster.local' },
        controlPlaneRef: contractRef(target, canonicalApiKind('KamajiControlPlane'), CLUSTER, NS),
        infrastructureRef: contractRef(target, kubevirtCluster, CLUSTER, NS),
      },
    });
    const selector = { 'cluster.x-k8s.io/cluster-name': CLUSTER, 'cluster.x-k8s.io/deployment-name': DEPLOYMENT };
    new ApiObject(c, 'MachineDeployment', {
      ...apiKind(target, 'MachineDeployment'),
      metadata: meta(DEPLOYMENT),
      spec: {
        clusterName: CLUSTER,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: selector },
          spec: {
            clusterName: CLUSTER,
            version: 'v1.34.2',
            bootstrap: { configRef: contractRef(target, canonicalApiKind('KubeadmConfigTemplate'), `${DEPLOYMENT}-0123abcd`) },
            infrastructureRef: contractRef(target, { apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha1', kind: 'KubevirtMachineTemplate' }, `${DEPLOYMENT}-4567ef01`),
          },
        },
      },
    });
    const duration = (key: string) => ({ value: Values.str(`healthCheck.${key}`), path: lit(`healthCheck.${key}`) });
    new ApiObject(c, 'MachineHealthCheck', {
      ...apiKind(target, 'MachineHealthCheck'),
      metadata: meta(DEPLOYMENT),
      spec: {
        clusterName: CLUSTER,
        selector: { matchLabels: selector },
        ...healthCheckSpec(target, {
          maxUnhealthy: Values.str('healthCheck.maxUnhealthy'),
          nodeStartupTimeout: duration('nodeStartupTimeout'),
          unhealthyNodeConditions: [
            { type: 'Ready', status: 'Unknown', timeout: duration('readyUnknownTimeout') },
            { type: 'Ready', status: 'False', timeout: duration('readyFalseTimeout') },
          ],
        }),
      },
    });
    const files = Values.list('kubeadm.files');
    const pre = Values.list('kubeadm.preKubeadmCommands');
    const post = Values.list('kubeadm.postKubeadmCommands');
    new ApiObject(c, 'KubeadmConfigTemplate', {
      ...apiKind(target, 'KubeadmConfigTemplate'),
      metadata: meta(`${DEPLOYMENT}-0123abcd`),
      spec: {
        template: {
          spec: {
            joinConfiguration: {
              discovery: { bootstrapToken: { apiServerEndpoint: 'acme.ns.svc.cluster.local:6443' } },
              nodeRegistration: { kubeletExtraArgs: kubeadmArgs(target, Values.map('kubelet.extraArgs')), taints: Values.list('taints') },
            },
            files: omitIfEmpty(target, files, eachItem(files, { key: 'fileIndex', item: 'file' }, (f) => f)),
            preKubeadmCommands: omitIfEmpty(target, pre, eachItem(pre, { key: 'commandIndex', item: 'command', itemType: 'string' }, (x) => x)),
            postKubeadmCommands: omitIfEmpty(target, post, post),
          },
        },
      },
    });
  });
}

const DEFAULTS = {
  healthCheck: { maxUnhealthy: '40%', nodeStartupTimeout: '20m', readyUnknownTimeout: '5m', readyFalseTimeout: '10m' },
  kubelet: { extraArgs: {} },
  taints: [],
  kubeadm: { files: [], preKubeadmCommands: [], postKubeadmCommands: [] },
};
const doc = (over: Record<string, unknown>) => ({ ...DEFAULTS, ...over });

/** Documents that reach every branch: empty and full lists and args, durations at Cluster API's rounding and cap boundaries. */
const CASES: Record<string, Record<string, unknown>> = {
  'defaults (everything empty)': doc({}),
  'full lists, args in byte order': doc({
    healthCheck: { maxUnhealthy: '100%', nodeStartupTimeout: '0.3m', readyUnknownTimeout: '1h30m', readyFalseTimeout: '999ms' },
    kubelet: { extraArgs: { 'node-labels': 'a=b,c=d', 'max-pods': '150', 'B': 'upper', 'kube-reserved': 'cpu=100m,memory=512Mi', 'v': '', 'feature-gates': 'A=true' } },
    taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
    kubeadm: {
      files: [{ path: '/etc/a', content: 'x', owner: 'root:root', permissions: '0644' }, { path: '/etc/b', contentFrom: { secret: { name: 's', key: 'k' } } }],
      preKubeadmCommands: ['echo pre', 'true'],
      postKubeadmCommands: ['echo post'],
    },
  }),
  'durations at the float64 and int32 boundaries': doc({
    healthCheck: { maxUnhealthy: '0%', nodeStartupTimeout: '2147483648s', readyUnknownTimeout: '16777216.999999999s', readyFalseTimeout: '0.99999999999999999h' },
    kubelet: { extraArgs: { 'max-pods': '110' } },
    kubeadm: { files: [], preKubeadmCommands: ['only pre'], postKubeadmCommands: [] },
  }),
  'zero durations': doc({ healthCheck: { maxUnhealthy: '5%', nodeStartupTimeout: '0s', readyUnknownTimeout: '0.5ns', readyFalseTimeout: '00000000000000000000001s' } }),
};

describe('shapes: v1beta2 = Cluster API\'s conversion of v1beta1, both valid against their CRDs, every engine agrees', () => {
  const shapes = {} as Record<ApiTarget, MiniChart>;
  beforeAll(() => {
    for (const t of API_TARGETS) shapes[t] = shapesChart(t);
  });

  test.each(Object.keys(CASES))('%s', async (name) => {
    const values = CASES[name] as ValuesMap;
    const v1 = await renderAgreeing(shapes.v1beta1, values);
    const v2 = await renderAgreeing(shapes.v1beta2, values);
    expect(formatErrors(validateObjects(v1, 'v1beta1'))).toBe('');
    expect(formatErrors(validateObjects(v2, 'v1beta2'))).toBe('');
    expect(v1.map((o) => convertToV1beta2(o, convertToSeconds))).toEqual(v2);
  });

  test('v1beta2 spells each difference as the CRD wants it (a targeted look at one document)', async () => {
    const v2 = await renderAgreeing(shapes.v1beta2, CASES['full lists, args in byte order'] as ValuesMap);
    expect(objectNamed(v2, 'Cluster', CLUSTER).spec.controlPlaneRef).toEqual({ apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KamajiControlPlane', name: CLUSTER });
    expect(objectNamed(v2, 'MachineDeployment', DEPLOYMENT).spec.template.spec.bootstrap.configRef)
      .toEqual({ apiGroup: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate', name: `${DEPLOYMENT}-0123abcd` });
    expect(objectNamed(v2, 'MachineHealthCheck', DEPLOYMENT).spec).toEqual({
      clusterName: CLUSTER,
      selector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': CLUSTER, 'cluster.x-k8s.io/deployment-name': DEPLOYMENT } },
      checks: {
        nodeStartupTimeoutSeconds: 18,
        unhealthyNodeConditions: [{ type: 'Ready', status: 'Unknown', timeoutSeconds: 5400 }, { type: 'Ready', status: 'False', timeoutSeconds: 0 }],
      },
      remediation: { triggerIf: { unhealthyLessThanOrEqualTo: '100%' } },
    });
    expect(objectNamed(v2, 'KubeadmConfigTemplate', `${DEPLOYMENT}-0123abcd`).spec.template.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs).toEqual([
      { name: 'B', value: 'upper' }, { name: 'feature-gates', value: 'A=true' }, { name: 'kube-reserved', value: 'cpu=100m,memory=512Mi' },
      { name: 'max-pods', value: '150' }, { name: 'node-labels', value: 'a=b,c=d' }, { name: 'v', value: '' },
    ]);
    const empty = await renderAgreeing(shapes.v1beta2, CASES['defaults (everything empty)'] as ValuesMap);
    expect(objectNamed(empty, 'KubeadmConfigTemplate', `${DEPLOYMENT}-0123abcd`).spec.template.spec).toEqual({
      joinConfiguration: { discovery: { bootstrapToken: { apiServerEndpoint: 'acme.ns.svc.cluster.local:6443' } }, nodeRegistration: { taints: [] } },
    });
    // Line 1.x keeps its empty lists and map (its bytes never change).
    const v1 = await renderAgreeing(shapes.v1beta1, CASES['defaults (everything empty)'] as ValuesMap);
    expect(objectNamed(v1, 'KubeadmConfigTemplate', `${DEPLOYMENT}-0123abcd`).spec.template.spec).toMatchObject({
      files: [], preKubeadmCommands: [], postKubeadmCommands: [], joinConfiguration: { nodeRegistration: { kubeletExtraArgs: {}, taints: [] } },
    });
  });

  test('the v1beta2 CRD refuses what the shapes avoid (so the validity checks above can fail)', () => {
    const v2 = renderEval(shapes.v1beta2, CASES['defaults (everything empty)'] as ValuesMap);
    if (!v2.ok) throw new Error(v2.error);
    const kct = structuredClone(objectNamed(v2.objects, 'KubeadmConfigTemplate', `${DEPLOYMENT}-0123abcd`));
    kct.spec.template.spec.files = [];
    kct.spec.template.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs = {};
    const mhc = structuredClone(objectNamed(v2.objects, 'MachineHealthCheck', DEPLOYMENT));
    mhc.spec.checks.nodeStartupTimeoutSeconds = '20m';
    const cluster = structuredClone(objectNamed(v2.objects, 'Cluster', CLUSTER));
    cluster.spec.controlPlaneRef.namespace = NS;
    expect(validateObjects([kct, mhc, cluster], 'v1beta2').map((e) => `${e.object.split('/')[0]} ${e.path}`).sort()).toEqual([
      'Cluster spec.controlPlaneRef.namespace',
      'KubeadmConfigTemplate spec.template.spec.files',
      'KubeadmConfigTemplate spec.template.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs',
      'MachineHealthCheck spec.checks.nodeStartupTimeoutSeconds',
    ]);
  });

  test('property: for generated documents, v1beta2 = conversion of v1beta1 and both are valid (evaluation backend)', () => {
    const flag = fc.stringMatching(/^[a-zA-Z][-a-zA-Z0-9_]{0,20}$/);
    const arb = fc.record({
      healthCheck: fc.record({
        maxUnhealthy: fc.integer({ min: 0, max: 100 }).map((n) => `${n}%`),
        nodeStartupTimeout: fc.constantFrom(...PARSED.map((f) => f.duration)),
        readyUnknownTimeout: fc.constantFrom(...PARSED.map((f) => f.duration)),
        readyFalseTimeout: fc.constantFrom(...PARSED.map((f) => f.duration)),
      }),
      kubelet: fc.record({ extraArgs: fc.dictionary(flag, fc.string({ maxLength: 40 }), { maxKeys: 6 }) }),
      taints: fc.constant([]),
      kubeadm: fc.record({
        files: fc.array(fc.record({ path: fc.constantFrom('/etc/a', '/etc/b'), content: fc.string({ minLength: 1, maxLength: 20 }) }), { maxLength: 2 }),
        preKubeadmCommands: fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 2 }),
        postKubeadmCommands: fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 2 }),
      }),
    });
    fc.assert(fc.property(arb, (values) => {
      const v1 = renderEval(shapes.v1beta1, values as ValuesMap);
      const v2 = renderEval(shapes.v1beta2, values as ValuesMap);
      if (!v1.ok || !v2.ok) throw new Error(`render failed: ${JSON.stringify([v1, v2])}`);
      expect(formatErrors(validateObjects(v2.objects, 'v1beta2'))).toBe('');
      expect(formatErrors(validateObjects(v1.objects, 'v1beta1'))).toBe('');
      expect(v1.objects.map((o) => convertToV1beta2(o, convertToSeconds))).toEqual(v2.objects);
    }), { seed: 20261122, numRuns: 200 });
  });
});

// ---------------------------------------------------------------------------------------------
// DURATION_SECONDS and ARGS_NAME_VALUE
// ---------------------------------------------------------------------------------------------

describe('DURATION_SECONDS: Cluster API\'s ConvertToSeconds of a values duration', () => {
  let c: MiniChart;
  beforeAll(() => {
    c = chart((ch) => {
      new ApiObject(ch, 'Durations', {
        apiVersion: 'test/v1', kind: 'Durations', metadata: { name: 'durations' },
        seconds: eachItem(Values.list('durations'), { key: 'i', item: 'duration', itemType: 'string' }, (d) => ({ duration: d, seconds: DURATION_SECONDS.call(d, lit('healthCheck.timeout')) })),
      });
    }, { durations: [] });
  });

  test('the fixtures cover Go\'s float64 rounding up from 2^24 seconds, the int32 cap, and parse errors', () => {
    expect(convertToSeconds('16777216.999999999s')).toBe(16777217);
    expect(convertToSeconds('16777215.999999999s')).toBe(16777215);
    expect(convertToSeconds('0.99999999999999999h')).toBe(3600);
    expect(convertToSeconds('2147483648s')).toBe(2147483647);
    expect(FIXTURES.filter((f) => f.seconds === null).map((f) => f.duration)).toEqual(expect.arrayContaining(['2562047h47m16.854775808s', '9999999999999h']));
    expect(PARSED.length).toBeGreaterThan(400);
    // Every fixture is a values `Duration` (the schema's pattern and length).
    for (const f of FIXTURES) expect(f.duration).toMatch(/^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/);
  });

  test(`every parseable fixture (${PARSED.length}) through the evaluation backend, Helm 3 and Helm 4 equals Go's result`, async () => {
    const objects = await renderAgreeing(c, { durations: PARSED.map((f) => f.duration) });
    expect(objectNamed(objects, 'Durations', 'durations').seconds).toEqual(PARSED.map((f) => ({ duration: f.duration, seconds: f.seconds })));
  });

  test('Go\'s time.ParseDuration, ported: the nanoseconds of the fixtures, undefined where Go fails', () => {
    for (const f of FIXTURES) expect({ d: f.duration, parsed: parseGoDuration(f.duration) !== undefined }).toEqual({ d: f.duration, parsed: f.seconds !== null });
    expect(parseGoDuration('1h30m')).toBe(5_400_000_000_000n);
    expect(parseGoDuration(MAX_GO_DURATION)).toBe((1n << 63n) - 1n);
    expect(parseGoDuration('1.0000000000000001h')).toBe(3_600_000_000_000n);
    expect([parseGoDuration('0'), parseGoDuration('-1s'), parseGoDuration(''), parseGoDuration('1'), parseGoDuration('.s'), parseGoDuration('1x')]).toEqual([0n, -1_000_000_000n, undefined, undefined, undefined, undefined]);
  });

  test.each(['2562047h47m16.854775808s', '9999999999999h'])('%s: every engine refuses it, naming the value path', async (d) => {
    await renderFailing(c, { durations: [d] }, `healthCheck.timeout: "${d}" is longer than a duration can be (at most ${MAX_GO_DURATION})`);
  });
});

describe('ARGS_NAME_VALUE: Cluster API\'s ConvertToArgs', () => {
  test('sorted by name bytewise (Go <), values as strings; an empty map gives [] (kubeadmArgs then omits the field)', async () => {
    const c = chart((ch) => {
      new ApiObject(ch, 'Args', { apiVersion: 'test/v1', kind: 'Args', metadata: { name: 'args' }, args: ARGS_NAME_VALUE.call(Values.map('args')), empty: ARGS_NAME_VALUE.call(Values.map('none')) });
      new ApiObject(ch, 'Omitted', { apiVersion: 'test/v1', kind: 'Omitted', metadata: { name: 'omitted' }, v1beta1: kubeadmArgs('v1beta1', Values.map('none')), v1beta2: kubeadmArgs('v1beta2', Values.map('none')) });
    }, { args: {}, none: {} });
    const args = { 'z': '1', 'B': 'upper', 'a': 'lower', '_x': 'underscore', 'é': 'two bytes', 'Z-': '', 'node-labels': 'a=b,c=d', 'a-b': 'dash' };
    const objects = await renderAgreeing(c, { args });
    expect(objectNamed(objects, 'Args', 'args')).toMatchObject({ args: convertToArgs(args), empty: [] });
    expect(objectNamed(objects, 'Args', 'args').args.map((a: { name: string }) => a.name)).toEqual(['B', 'Z-', '_x', 'a', 'a-b', 'node-labels', 'z', 'é']);
    expect(objectNamed(objects, 'Omitted', 'omitted')).toEqual({ apiVersion: 'test/v1', kind: 'Omitted', metadata: { name: 'omitted' }, v1beta1: {} });
  });

  test('durationField: the string on v1beta1, the seconds on v1beta2', async () => {
    const c = chart((ch) => {
      const d = { value: Values.str('d'), path: lit('d') };
      new ApiObject(ch, 'Field', { apiVersion: 'test/v1', kind: 'Field', metadata: { name: 'f' }, v1beta1: durationField('v1beta1', d), v1beta2: durationField('v1beta2', d) });
    }, { d: '20m' });
    expect(objectNamed(await renderAgreeing(c, {}), 'Field', 'f')).toMatchObject({ v1beta1: '20m', v1beta2: 1200 });
  });
});
