/**
 * Invalid values are refused by every backend, and the error names the offending value path:
 * `helm template` with Helm 3 and Helm 4 exits non-zero and its stderr names the path (the two word
 * schema errors differently; both are normalised to paths), and `renderChart` throws a `ValuesError`
 * whose violations name the path or a `RenderError` whose message does.
 *
 * Reproduce a run with `FC_SEED=<seed> npx jest test/rejection.test.ts` (FC_PATH replays a shrink path,
 * FC_NUM_RUNS overrides the number of runs of the main property, FC_RUNS_PER_KIND those of each
 * per-kind property, FC_TIME_LIMIT_S the time budget of a property).
 */
import * as fc from 'fast-check';
import { checkValues, RenderError, renderChart, validateValues, ValuesError } from '../src/render';
import { SUPPORTED_MINORS } from '../src/support-matrix';
import { HelmBinary, helmBinaries } from './harness/helm';
import { TENANT_CLUSTER_LINES } from './harness/lines';
import { CHART, helmTemplateAsync, params, REPLAY_PATH, SEED } from './harness/properties';
import { deepMerge, InvalidCase, invalidCaseArb, MUTATION_KINDS } from './harness/values-arbitrary';

const NUM_RUNS = Math.max(50, Number(process.env.FC_NUM_RUNS ?? 60));
/** Runs of each per-mutation-kind property (so that one failing kind does not hide the others). */
const RUNS_PER_KIND = Number(process.env.FC_RUNS_PER_KIND ?? 8);




// ---------------------------------------------------------------------------------------------
// Error text → value paths
// ---------------------------------------------------------------------------------------------

/** What an error output names: exact dotted paths, keys whose parent is not printed, and free-text messages. */
export interface NamedPaths {
  /** Dotted value paths (`nodeGroups.md0.replicas`; `''` for the root). */
  readonly paths: Set<string>;
  /** Helm 4 prints propertyNames errors `at ''` with the key only: `{ key, within }` (within: an enclosing path, if printed). */
  readonly keys: Array<{ key: string; within?: string }>;
  /** Messages of `fail` and other template errors, verbatim. */
  readonly messages: string[];
}

const quoted = (s: string): string[] => [...s.matchAll(/'([^']*)'/g)].map((m) => m[1]);
const join = (parent: string, key: string) => (parent === '' ? key : `${parent}.${key}`);
const fromPointer = (p: string) => p.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');

/**
 * Value paths named by `helm template`'s stderr. Helm 3 (gojsonschema): `- nodeGroups.md0.replicas: Invalid
 * type...`, `- kubernetes: version is required`, `- (root): Additional property foo is not allowed`,
 * `- nodeGroups: Property name of "MD0" does not match`. Helm 4 (santhosh-tekuri/jsonschema):
 * `- at '/nodeGroups/md0/replicas': got string, want integer`, `- at '/kubernetes': missing property 'version'`,
 * `- at '': additional properties 'foo' not allowed`, `- at '': invalid propertyName 'MD0'`, nested under
 * `- at '/x': validation failed`. Template failures: `execution error at (file:line:col): message`.
 */
export function helmErrorPaths(stderr: string): NamedPaths {
  const out: NamedPaths = { paths: new Set(), keys: [], messages: [] };
  const parents: Array<{ indent: number; path: string }> = [];
  for (const line of stderr.split('\n')) {
    const h4 = /^(\s*)- at '([^']*)': (.*)$/.exec(line);
    if (h4) {
      const indent = h4[1].length;
      const at = fromPointer(h4[2]);
      const msg = h4[3];
      while (parents.length > 0 && parents[parents.length - 1].indent >= indent) parents.pop();
      if (msg === 'validation failed') {
        parents.push({ indent, path: at });
      } else if (/^additional propert(y|ies) .* not allowed$/.test(msg) || /^missing propert(y|ies) /.test(msg)) {
        for (const k of quoted(msg)) out.paths.add(join(at, k));
      } else if (/^invalid propertyName '/.test(msg)) {
        const key = /^invalid propertyName '(.*)'$/.exec(msg)![1];
        if (h4[2] === '') out.keys.push({ key, within: parents[parents.length - 1]?.path });
        else out.paths.add(join(at, key));
      } else if (!(h4[2] === '' && /does not match pattern|length must be/.test(msg) && parents.length > 0)) {
        out.paths.add(at);
      }
      continue;
    }
    const h3 = /^- ((?:\(root\)|[^:\s][^:]*)): (.*)$/.exec(line);
    if (h3) {
      const at = h3[1] === '(root)' ? '' : h3[1];
      const msg = h3[2];
      const additional = /^Additional property (.+) is not allowed$/.exec(msg);
      const required = /^(.+) is required$/.exec(msg);
      const propertyName = /^Property name of "(.*)" does not match$/.exec(msg);
      if (additional) out.paths.add(join(at, additional[1]));
      else if (required) out.paths.add(join(at, required[1]));
      else if (propertyName) out.paths.add(join(at, propertyName[1]));
      else out.paths.add(at);
      continue;
    }
    const failed = /execution error at \([^)]*\): (.*)$/.exec(line);
    if (failed) out.messages.push(failed[1]);
    else if (/^Error: /.test(line)) out.messages.push(line.slice('Error: '.length));
  }
  return out;
}

/** Value paths named by an error of `renderChart`. */
export function evalErrorPaths(e: unknown): NamedPaths {
  const out: NamedPaths = { paths: new Set(), keys: [], messages: [] };
  if (e instanceof ValuesError) {
    for (const v of e.violations) {
      const m = /^(.*?): (.*)$/.exec(v);
      if (!m) continue;
      const at = m[1] === '(root)' ? '' : m[1];
      const key = /^key "(.*)" is not allowed/.exec(m[2]);
      out.paths.add(key ? join(at, key[1]) : at);
    }
  } else if (e instanceof RenderError) {
    out.messages.push(e.message);
  }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a text names a dotted path (not as part of a longer path or name). */
export function textNamesPath(text: string, p: string): boolean {
  return new RegExp(`(^|[^\\w.-])${escapeRegExp(p)}($|[^\\w.-]|\\.(?=\\s|$))`).test(text);
}

/**
 * Whether an error output names a path: as a path, or in a message. A key reported `at ''` (Helm 4's
 * `propertyNames` errors) does not count: the schema uses `patternProperties` so that both Helms name
 * the path of a bad key.
 */
export function namesPath(named: NamedPaths, p: string): boolean {
  if (named.paths.has(p)) return true;
  return named.messages.some((m) => textNamesPath(m, p));
}

function describeNamed(n: NamedPaths): string {
  return JSON.stringify({ paths: [...n.paths], keys: n.keys, messages: n.messages });
}

// ---------------------------------------------------------------------------------------------
// (a) Properties over invalid documents
// ---------------------------------------------------------------------------------------------

let helms: HelmBinary[];
beforeAll(() => {
  helms = helmBinaries();
  console.log(`rejection: fast-check seed ${SEED}${REPLAY_PATH ? ` path ${REPLAY_PATH}` : ''}, ${NUM_RUNS} runs + ${RUNS_PER_KIND} per mutation kind; ${helms.map((h) => `${h.name} ${h.version}`).join(', ')}`);
});

/** Helm 3 stops at DEL and the C1 controls while it round-trips values through YAML, before it validates them. */
const HELM3_CONTROL_CHARACTERS = 'yaml: control characters are not allowed';

/**
 * Every backend refuses the case and names its path (one assertion, so a failure shows all of them):
 * `helm template` with each Helm, `renderChart`, `validate` with the release (exactly when `render`
 * refuses), and `validate` without a release unless the case's refusal depends on the release.
 */
async function expectRejected(c: InvalidCase): Promise<void> {
  return expectRejectedOn(CHART, undefined, c);
}

/** {@link expectRejected} on one chart line (its name for renderChart/checkValues, its directory for Helm). */
async function expectRejectedOn(chart: string, chartDir: string | undefined, c: InvalidCase): Promise<void> {
  let evalError: unknown;
  try {
    renderChart(chart, c.values, { release: c.release, namespace: c.namespace });
  } catch (e) {
    evalError = e;
  }
  const withRelease = checkValues(chart, c.values, { release: c.release, namespace: c.namespace });
  const withoutRelease = checkValues(chart, c.values);
  const results = await Promise.all(helms.map((h) => helmTemplateAsync(h, c, chartDir)));
  const received: Record<string, unknown> = {
    case: `${c.kind}: ${c.description} (path ${c.path})`,
    renderChart: {
      refused: evalError instanceof ValuesError || evalError instanceof RenderError,
      namesPath: namesPath(evalErrorPaths(evalError), c.path),
      error: evalError === undefined ? 'none: rendered' : String(evalError),
    },
    validateWithRelease: { refused: withRelease.violations.length > 0, namesPath: withRelease.violations.some((v) => textNamesPath(v, c.path)), violations: withRelease.violations },
    validateWithoutRelease: { refused: withoutRelease.violations.length > 0, violations: withoutRelease.violations, skipped: withoutRelease.skipped },
  };
  const expected: Record<string, unknown> = {
    renderChart: { refused: true, namesPath: true },
    validateWithRelease: { refused: true, namesPath: true },
    validateWithoutRelease: { refused: !c.releaseDependent },
  };
  helms.forEach((h, i) => {
    const named = helmErrorPaths(results[i].stderr);
    const pathless = h.name === 'helm3' && c.helm3WithoutPath === true && results[i].stderr.includes(HELM3_CONTROL_CHARACTERS);
    received[h.name] = { refused: results[i].code !== 0, namesPath: pathless || namesPath(named, c.path), named: describeNamed(named), stderr: results[i].stderr };
    expected[h.name] = { refused: true, namesPath: true };
  });
  expect(received).toMatchObject(expected);
}

describe('invalid values are refused, naming the value path', () => {
  test(`property over every kind of mutation (${NUM_RUNS} runs)`, async () => {
    await fc.assert(fc.asyncProperty(invalidCaseArb(), expectRejected), params(NUM_RUNS));
  }, 900_000);

  test.each(MUTATION_KINDS.map((k) => [k]))(`property over mutation kind %s (${RUNS_PER_KIND} runs)`, async (kind) => {
    await fc.assert(fc.asyncProperty(invalidCaseArb([kind]), expectRejected), params(RUNS_PER_KIND));
  }, 900_000);

  // Line 2.x (charts/tenant-cluster-v2): the same values contract and checks, so the same refusals; fewer runs (the
  // model is shared), FC_NUM_RUNS_V2 overrides.
  const V2 = TENANT_CLUSTER_LINES.find((l) => l.target === 'v1beta2')!;
  const NUM_RUNS_V2 = Number(process.env.FC_NUM_RUNS_V2 ?? 30);
  test(`line 2.x (${V2.chart}): property over every kind of mutation (${NUM_RUNS_V2} runs)`, async () => {
    await fc.assert(fc.asyncProperty(invalidCaseArb(), (c) => expectRejectedOn(V2.chart, V2.chartDir, c)), params(NUM_RUNS_V2));
  }, 900_000);
});

// ---------------------------------------------------------------------------------------------
// (b) Hand-written cases: exact renderChart messages, and the path in each Helm's stderr
// ---------------------------------------------------------------------------------------------

const RELEASE = 'demo';
const NAMESPACE = 'tenant-demo';

function renderError(values: unknown, release = RELEASE): Error {
  try {
    renderChart(CHART, values, { release, namespace: NAMESPACE });
  } catch (e) {
    return e as Error;
  }
  throw new Error(`renderChart accepted ${JSON.stringify(values)}`);
}

const schemaMessage = (...violations: string[]) => `values don't meet the schema:\n${violations.map((v) => `- ${v}`).join('\n')}`;

interface HandCase {
  readonly name: string;
  readonly values: Record<string, unknown>;
  readonly release?: string;
  readonly namespace?: string;
  /** The values as given (JSON text): for keys such as `__proto__` that an object literal cannot hold; HAND_BASE is not merged. */
  readonly json?: string;
  /** `ValuesError` or `RenderError`. */
  readonly error: 'ValuesError' | 'RenderError';
  /** renderChart's exact message, or a pattern of it (render-time checks: the path first, then what conflicts). */
  readonly message: string | RegExp;
  /** Paths each Helm's stderr must name. */
  readonly paths: readonly string[];
  /** Fragments each Helm's stderr must contain besides the paths (e.g. the allowed values). */
  readonly stderrIncludes?: readonly string[];
}

/**
 * What every hand-written case is merged over: the CSI node chart is on by default and needs this
 * project's repository, so a document without it fails that check too (and Helm stops at the first `fail`).
 */
const HAND_BASE = { addons: { repositories: { tenantCluster: { url: 'https://charts.example.com/tenant-cluster' } } } };

const LATEST_IMAGES: ReadonlyArray<[string, string]> = [
  ['addons.images.waitForKubeconfig', 'docker.io/library/busybox:latest'],
  ['addons.csi.controller.image', 'quay.io/kubevirt/kubevirt-csi-driver:latest'],
  ['addons.csi.controller.sidecarImages.provisioner', 'registry.k8s.io/sig-storage/csi-provisioner:latest'],
  ['addons.csi.controller.sidecarImages.attacher', 'registry.k8s.io/sig-storage/csi-attacher:latest'],
  ['addons.csi.controller.sidecarImages.resizer', 'registry.k8s.io/sig-storage/csi-resizer:latest'],
  ['addons.csi.controller.sidecarImages.livenessProbe', 'registry.k8s.io/sig-storage/livenessprobe:latest'],
  ['addons.cloudControllerManager.image', 'quay.io/kubevirt/kubevirt-cloud-controller-manager:latest'],
  ['addons.clusterAutoscaler.image', 'registry.k8s.io/autoscaling/cluster-autoscaler:latest'],
];

/** `{a: {b: v}}` for the path `a.b`. */
function nested(path: string, value: unknown): Record<string, unknown> {
  return path.split('.').reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), value as Record<string, unknown>);
}

const MINORS = SUPPORTED_MINORS.join(', ');
const GROUP_KEYS = 'keys are lowercase letters, digits and "-", starting and ending with a letter or digit, at most 40 characters';
const LABEL_VALUE = 'a label value: empty or at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
const RESERVED = 'key is reserved ("__proto__", "constructor", "prototype" are refused in every map)';

const HAND_CASES: readonly HandCase[] = [
  // Wrong types.
  { name: 'wrong type: string for an integer (nodeGroups.md0.replicas)', values: { nodeGroups: { md0: { replicas: '3' } } },
    error: 'ValuesError', message: schemaMessage('nodeGroups.md0.replicas: must be integer'), paths: ['nodeGroups.md0.replicas'] },
  { name: 'wrong type: number for a string flag (controlPlane.apiServer.extraArgs.v)', values: { controlPlane: { apiServer: { extraArgs: { v: 2 } } } },
    error: 'ValuesError', message: schemaMessage('controlPlane.apiServer.extraArgs.v: must be string'), paths: ['controlPlane.apiServer.extraArgs.v'] },
  { name: 'wrong type: number for kubernetes.version', values: { kubernetes: { version: 1.34 } },
    error: 'ValuesError', message: schemaMessage('kubernetes.version: must be string'), paths: ['kubernetes.version'] },
  { name: 'wrong type: string for a list (controlPlane.certSANs)', values: { controlPlane: { certSANs: 'api.example.com' } },
    error: 'ValuesError', message: schemaMessage('controlPlane.certSANs: must be array'), paths: ['controlPlane.certSANs'] },
  { name: 'wrong type: non-integer number (nodeGroups.md0.kubevirt.cores: 2.5)', values: { nodeGroups: { md0: { kubevirt: { cores: 2.5 } } } },
    error: 'ValuesError', message: schemaMessage('nodeGroups.md0.kubevirt.cores: must be integer'), paths: ['nodeGroups.md0.kubevirt.cores'] },
  { name: 'wrong type: string "true" for a boolean (controlPlane.addons.coreDNS.enabled)', values: { controlPlane: { addons: { coreDNS: { enabled: 'true' } } } },
    error: 'ValuesError', message: schemaMessage('controlPlane.addons.coreDNS.enabled: must be boolean'), paths: ['controlPlane.addons.coreDNS.enabled'] },
  // Unknown keys.
  { name: 'unknown top-level key (nodegroups)', values: { nodegroups: { md0: {} } },
    error: 'ValuesError', message: schemaMessage('nodegroups: unknown key'), paths: ['nodegroups'] },
  { name: 'unknown nested key (controlPlane.endpoint.loadbalancer)', values: { controlPlane: { endpoint: { loadbalancer: { className: 'x' } } } },
    error: 'ValuesError', message: schemaMessage('controlPlane.endpoint.loadbalancer: unknown key'), paths: ['controlPlane.endpoint.loadbalancer'] },
  { name: 'unknown key in a node group (nodeGroups.md0.replica)', values: { nodeGroups: { md0: { replica: 3 } } },
    error: 'ValuesError', message: schemaMessage('nodeGroups.md0.replica: unknown key'), paths: ['nodeGroups.md0.replica'] },
  { name: 'unknown key in the reserved addons map', values: { addons: { cilium: { enabled: true } } },
    error: 'ValuesError', message: schemaMessage('addons.cilium: unknown key'), paths: ['addons.cilium'] },
  // Nulls.
  { name: 'null under nodeGroups.md0.replicas', values: { nodeGroups: { md0: { replicas: null } } },
    error: 'ValuesError', message: schemaMessage('nodeGroups.md0.replicas: must be integer'), paths: ['nodeGroups.md0.replicas'] },
  {
    // Helm deletes a key whose user value is null when values.yaml has it (nodeGroupDefaults.labels is {}),
    // before validating: only a schema that requires every nodeGroupDefaults key can refuse this.
    name: 'null under nodeGroupDefaults.labels', values: { nodeGroupDefaults: { labels: null }, nodeGroups: { md0: {} } },
    error: 'ValuesError', message: schemaMessage('nodeGroupDefaults.labels: is required'), paths: ['nodeGroupDefaults.labels'],
  },
  { name: 'null under nodeGroupDefaults.autoscaling', values: { nodeGroupDefaults: { autoscaling: null }, nodeGroups: { md0: {} } },
    error: 'ValuesError', message: schemaMessage('nodeGroupDefaults.autoscaling: is required'), paths: ['nodeGroupDefaults.autoscaling'] },
  { name: 'null for a required key (kubernetes.version)', values: { kubernetes: { version: null } },
    error: 'ValuesError', message: schemaMessage('kubernetes.version: is required'), paths: ['kubernetes.version'] },
  // Autoscaling bounds.
  { name: 'autoscaling min > max', values: { nodeGroups: { md0: { autoscaling: { enabled: true, min: 5, max: 2 } } } },
    error: 'RenderError', message: 'nodeGroups.md0.autoscaling: min (5) must be <= max (2)', paths: ['nodeGroups.md0.autoscaling'] },
  {
    name: 'autoscaling min > max after merging nodeGroupDefaults',
    values: { nodeGroupDefaults: { autoscaling: { enabled: true, min: 5 } }, nodeGroups: { md0: { autoscaling: { max: 2 } } } },
    error: 'RenderError', message: 'nodeGroups.md0.autoscaling: min (5) must be <= max (2)', paths: ['nodeGroups.md0.autoscaling'],
  },
  // Over-long names.
  {
    name: 'over-long group name (<cluster>-<group> > 50)',
    values: { fullnameOverride: 'tenant-production-eu', nodeGroups: { 'workers-with-a-long-name-abcdefghij': {} } },
    error: 'RenderError',
    message: 'nodeGroups.workers-with-a-long-name-abcdefghij: "tenant-production-eu-workers-with-a-long-name-abcdefghij" is longer than 50 characters (machine and VM names add about 12); shorten the cluster or group name',
    paths: ['nodeGroups.workers-with-a-long-name-abcdefghij'],
  },
  {
    name: 'over-long fullnameOverride (64 characters)',
    values: { fullnameOverride: `tenant-${'x'.repeat(57)}` },
    error: 'RenderError',
    message: `fullnameOverride (or the release name): cluster name "tenant-${'x'.repeat(57)}" must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter, at most 63 characters`,
    paths: ['fullnameOverride'],
  },
  {
    name: 'fullnameOverride that is no DNS-1035 label (Tenant_A)',
    values: { fullnameOverride: 'Tenant_A' },
    error: 'RenderError',
    message: 'fullnameOverride (or the release name): cluster name "Tenant_A" must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter, at most 63 characters',
    paths: ['fullnameOverride'],
  },
  // Kubernetes versions.
  { name: 'unsupported Kubernetes version v1.29', values: { kubernetes: { version: 'v1.29' } },
    error: 'RenderError', message: `kubernetes.version: v1.29 is not supported; supported minors: ${MINORS}`, paths: ['kubernetes.version'] },
  { name: 'unsupported Kubernetes version v1.40.1', values: { kubernetes: { version: 'v1.40.1' } },
    error: 'RenderError', message: `kubernetes.version: v1.40.1 is not supported; supported minors: ${MINORS}`, paths: ['kubernetes.version'] },
  // Networks.
  { name: 'overlapping CIDRs: pod vs service', values: { clusterNetwork: { serviceCidr: '10.243.128.0/17' } },
    error: 'RenderError', message: 'clusterNetwork.podCidr: 10.243.0.0/16 overlaps clusterNetwork.serviceCidr 10.243.128.0/17',
    paths: ['clusterNetwork.podCidr', 'clusterNetwork.serviceCidr'] },
  { name: 'overlapping CIDRs: pod vs managementCluster.podCidr', values: { clusterNetwork: { podCidr: '10.244.0.0/24' } },
    error: 'RenderError', message: 'clusterNetwork.podCidr: 10.244.0.0/24 overlaps managementCluster.podCidr 10.244.0.0/16',
    paths: ['clusterNetwork.podCidr', 'managementCluster.podCidr'] },
  { name: 'overlapping CIDRs: service CIDR a supernet of managementCluster.podCidr', values: { clusterNetwork: { serviceCidr: '10.240.0.0/12', podCidr: '172.16.0.0/16' } },
    error: 'RenderError', message: 'clusterNetwork.serviceCidr: 10.240.0.0/12 overlaps managementCluster.podCidr 10.244.0.0/16',
    paths: ['clusterNetwork.serviceCidr'] },
  { name: 'CoreDNS service IP outside the service CIDR', values: { controlPlane: { addons: { coreDNS: { serviceIP: '10.96.0.10' } } } },
    error: 'RenderError', message: 'controlPlane.addons.coreDNS.serviceIP: 10.96.0.10 is not inside clusterNetwork.serviceCidr 10.95.0.0/16',
    paths: ['controlPlane.addons.coreDNS.serviceIP'] },
  // Enums.
  { name: 'bad enum: controlPlane.endpoint.type Ingress', values: { controlPlane: { endpoint: { type: 'Ingress' } } },
    error: 'ValuesError', message: schemaMessage('controlPlane.endpoint.type: must be one of "LoadBalancer", "NodePort", "ClusterIP"'), paths: ['controlPlane.endpoint.type'] },
  { name: 'bad enum: konnectivity agentMode Sidecar', values: { controlPlane: { addons: { konnectivity: { agentMode: 'Sidecar' } } } },
    error: 'ValuesError', message: schemaMessage('controlPlane.addons.konnectivity.agentMode: must be one of "DaemonSet", "Deployment"'),
    paths: ['controlPlane.addons.konnectivity.agentMode'] },
  { name: 'bad enum: taint effect', values: { nodeGroups: { md0: { taints: [{ key: 'dedicated', effect: 'NoSchedul' }] } } },
    error: 'ValuesError', message: schemaMessage('nodeGroups.md0.taints.0.effect: must be one of "NoSchedule", "PreferNoSchedule", "NoExecute"'),
    paths: ['nodeGroups.md0.taints.0.effect'] },
  // Key names.
  { name: 'group name with uppercase (MD0)', values: { nodeGroups: { MD0: {} } },
    error: 'ValuesError', message: schemaMessage(`nodeGroups.MD0: key is not allowed (${GROUP_KEYS})`),
    paths: ['nodeGroups.MD0'] },
  { name: 'group name with uppercase next to a valid group (Workers, md0)', values: { nodeGroups: { md0: {}, Workers: { replicas: 1 } } },
    error: 'ValuesError', message: schemaMessage(`nodeGroups.Workers: key is not allowed (${GROUP_KEYS})`),
    paths: ['nodeGroups.Workers'] },
  { name: 'reserved extra disk name (boot)', values: { nodeGroups: { md0: { kubevirt: { extraDisks: { boot: { size: '10Gi' } } } } } },
    error: 'RenderError',
    message: 'nodeGroups.md0.kubevirt.extraDisks: "boot", "kubelet" and "cloudinitvolume" are reserved disk names (the boot disk, the kubelet disk and CAPK\'s cloud-init disk)',
    paths: ['nodeGroups.md0.kubevirt.extraDisks'] },
  // Addons: schema.
  { name: 'unsupported CNI type flannel', values: { addons: { cni: { type: 'flannel' } } },
    error: 'ValuesError', message: schemaMessage('addons.cni.type: must be one of "cilium", "calico"'), paths: ['addons.cni.type'],
    stderrIncludes: ['cilium', 'calico'] },
  { name: 'addon values that are no map (addons.metricsServer.values: "x")', values: { addons: { metricsServer: { values: 'x' } } },
    error: 'ValuesError', message: schemaMessage('addons.metricsServer.values: must be object'), paths: ['addons.metricsServer.values'] },
  { name: 'addon values that are a list (addons.cni.cilium.values)', values: { addons: { cni: { cilium: { values: ['ipam.mode=kubernetes'] } } } },
    error: 'ValuesError', message: schemaMessage('addons.cni.cilium.values: must be object'), paths: ['addons.cni.cilium.values'] },
  // Addons: render-time checks (R1-R7).
  { name: 'R1: kube-proxy with Cilium\'s kube-proxy replacement (defaults)', values: { controlPlane: { addons: { kubeProxy: { enabled: true } } } },
    error: 'RenderError', message: /^controlPlane\.addons\.kubeProxy\.enabled: .*addons\.cni\.cilium\.kubeProxyReplacement/,
    paths: ['controlPlane.addons.kubeProxy.enabled'] },
  { name: 'R2: Calico without kube-proxy', values: { addons: { cni: { type: 'calico' } } },
    error: 'RenderError', message: /^controlPlane\.addons\.kubeProxy\.enabled: .*calico/, paths: ['controlPlane.addons.kubeProxy.enabled'] },
  { name: 'R2: Cilium without its kube-proxy replacement and without kube-proxy',
    values: { addons: { cni: { cilium: { kubeProxyReplacement: false } } }, controlPlane: { addons: { kubeProxy: { enabled: false } } } },
    error: 'RenderError', message: /^controlPlane\.addons\.kubeProxy\.enabled: .*cilium/, paths: ['controlPlane.addons.kubeProxy.enabled'] },
  { name: 'R3: serverTLSBootstrap (default) without the serving-certificate approver', values: { addons: { kubeletServingCertApprover: { enabled: false } } },
    error: 'RenderError', message: /^controlPlane\.kubelet\.serverTLSBootstrap: .*addons\.kubeletServingCertApprover/,
    paths: ['controlPlane.kubelet.serverTLSBootstrap'] },
  { name: 'R4: CSI (default) without this project\'s chart repository', values: { addons: { repositories: { tenantCluster: { url: '' } } } },
    error: 'RenderError', message: /^addons\.repositories\.tenantCluster\.url: .*addons\.csi\.enabled/, paths: ['addons.repositories.tenantCluster.url'] },
  { name: 'R4: CSI without a repository of type oci', values: { addons: { csi: { enabled: true }, repositories: { tenantCluster: { type: 'oci', url: '' } } } },
    error: 'RenderError', message: /^addons\.repositories\.tenantCluster\.url: .*addons\.csi\.enabled/, paths: ['addons.repositories.tenantCluster.url'] },
  { name: 'R5: repository of type oci with its default https URL', values: { addons: { repositories: { cilium: { type: 'oci' } } } },
    error: 'RenderError', message: /^addons\.repositories\.cilium\.url: "https:\/\/helm\.cilium\.io".*oci/, paths: ['addons.repositories.cilium.url'] },
  { name: 'R5: repository of type default with an oci:// URL',
    values: { addons: { repositories: { tenantCluster: { url: 'oci://ghcr.io/acme/charts' } } } },
    error: 'RenderError', message: /^addons\.repositories\.tenantCluster\.url: "oci:\/\/ghcr\.io\/acme\/charts".*oci/, paths: ['addons.repositories.tenantCluster.url'] },
  { name: 'R5: repository of an unused addon (calico) whose URL contradicts its type',
    values: { addons: { repositories: { calico: { type: 'oci', url: 'https://docs.tigera.io/calico/charts' } } } },
    error: 'RenderError', message: /^addons\.repositories\.calico\.url: .*oci/, paths: ['addons.repositories.calico.url'] },
  { name: 'R6: scale from zero with an instancetype and no capacity',
    values: { nodeGroups: { md0: { kubevirt: { instancetype: 'u1.medium' }, autoscaling: { enabled: true, min: 0, max: 3 } } } },
    error: 'RenderError', message: /^nodeGroups\.md0\.autoscaling\.capacity: .*u1\.medium/, paths: ['nodeGroups.md0.autoscaling.capacity'] },
  { name: 'R6: scale from zero (from nodeGroupDefaults) with an instancetype and only a cpu capacity',
    values: { nodeGroupDefaults: { autoscaling: { enabled: true, min: 0 }, kubevirt: { instancetype: 'cx1.2xlarge' } },
      nodeGroups: { md0: { autoscaling: { capacity: { cpu: '8' } } } } },
    error: 'RenderError', message: /^nodeGroups\.md0\.autoscaling\.capacity: .*cx1\.2xlarge/, paths: ['nodeGroups.md0.autoscaling.capacity'] },
  // Values checked as what they become (issue 8).
  { name: 'a node label value that would add a second label through --node-labels (web,gpu=true)',
    values: { nodeGroups: { md0: { labels: { role: 'web,gpu=true' } } } },
    error: 'ValuesError', message: schemaMessage(`nodeGroups.md0.labels.role: "web,gpu=true" is not allowed: must be ${LABEL_VALUE}`),
    paths: ['nodeGroups.md0.labels.role'] },
  { name: 'a node label the kubelet may not set (node-role.kubernetes.io/worker)',
    values: { nodeGroups: { md0: { labels: { 'node-role.kubernetes.io/worker': '' } } } },
    error: 'RenderError', message: /^nodeGroups\.md0\.labels\.node-role\.kubernetes\.io\/worker: the kubelet refuses .* node\.kubernetes\.io\//,
    paths: ['nodeGroups.md0.labels.node-role.kubernetes.io/worker'] },
  { name: 'two taints with the same key and effect',
    values: { nodeGroups: { md0: { taints: [{ key: 'gpu', value: 'a', effect: 'NoSchedule' }, { key: 'gpu', value: 'b', effect: 'NoSchedule' }] } } },
    error: 'RenderError',
    message: 'nodeGroups.md0.taints: "gpu:NoSchedule" (key:effect) appears twice; each key and effect at most once (the API server refuses the Node)',
    paths: ['nodeGroups.md0.taints'] },
  { name: 'a certificate SAN with scheme and port',
    values: { controlPlane: { certSANs: ['api.example.com', 'https://api.example.com:6443'] } },
    error: 'ValuesError',
    message: schemaMessage('controlPlane.certSANs.1: "https://api.example.com:6443" is not allowed: must be a host name (lowercase, optionally starting with "*.") or an IPv4 address, without port or scheme'),
    paths: ['controlPlane.certSANs.1'] },
  { name: 'a repository secretName that is no Secret name', values: { addons: { repositories: { cilium: { secretName: 'My Secret' } } } },
    error: 'ValuesError', message: /^values don't meet the schema:\n- addons\.repositories\.cilium\.secretName: "My Secret" is not allowed: must be empty or the name of an object/,
    paths: ['addons.repositories.cilium.secretName'] },
  { name: 'a storageClassName that is no StorageClass name', values: { nodeGroups: { md0: { kubevirt: { extraDisks: { data: { size: '1Gi', storageClassName: 'Fast_SSD' } } } } } },
    error: 'ValuesError', message: /^values don't meet the schema:\n- nodeGroups\.md0\.kubevirt\.extraDisks\.data\.storageClassName: "Fast_SSD" is not allowed/,
    paths: ['nodeGroups.md0.kubevirt.extraDisks.data.storageClassName'] },
  { name: 'a container disk without tag (latest)', values: { nodeGroups: { md0: { kubevirt: { bootImage: { containerDiskImage: 'quay.io/containerdisks/ubuntu' } } } } },
    error: 'ValuesError', message: /^values don't meet the schema:\n- nodeGroups\.md0\.kubevirt\.bootImage\.containerDiskImage: .* with a tag or a digest/,
    paths: ['nodeGroups.md0.kubevirt.bootImage.containerDiskImage'] },
  { name: 'a container disk tagged latest in nodeGroupDefaults', values: { nodeGroupDefaults: { kubevirt: { bootImage: { containerDiskImage: 'quay.io/containerdisks/ubuntu:latest' } } } },
    error: 'RenderError', message: 'nodeGroupDefaults.kubevirt.bootImage.containerDiskImage: "quay.io/containerdisks/ubuntu:latest" must name a version tag or digest other than "latest"',
    paths: ['nodeGroupDefaults.kubevirt.bootImage.containerDiskImage'] },
  { name: 'a pod CIDR with host bits', values: { clusterNetwork: { podCidr: '10.243.1.0/16' } },
    error: 'RenderError', message: 'clusterNetwork.podCidr: 10.243.1.0/16 has host bits set; write the network address of the range (all bits after the prefix zero)',
    paths: ['clusterNetwork.podCidr'] },
  { name: 'a service CIDR larger than kube-apiserver allows (/8)', values: { clusterNetwork: { serviceCidr: '172.0.0.0/8' } },
    error: 'ValuesError', message: /^values don't meet the schema:\n- clusterNetwork\.serviceCidr: "172\.0\.0\.0\/8" is not allowed: must be an IPv4 CIDR with a prefix from \/12/,
    paths: ['clusterNetwork.serviceCidr'] },
  { name: 'the CoreDNS address is the broadcast address of the service CIDR', values: { controlPlane: { addons: { coreDNS: { serviceIP: '10.95.255.255' } } } },
    error: 'RenderError',
    message: 'controlPlane.addons.coreDNS.serviceIP: 10.95.255.255 is the broadcast address of clusterNetwork.serviceCidr 10.95.0.0/16; choose another address inside it (empty: its 10th address)',
    paths: ['controlPlane.addons.coreDNS.serviceIP'] },
  { name: 'the CoreDNS address is the kubernetes Service\'s (the first address)', values: { controlPlane: { addons: { coreDNS: { serviceIP: '10.95.0.1' } } } },
    error: 'RenderError', message: /^controlPlane\.addons\.coreDNS\.serviceIP: 10\.95\.0\.1 is the first address, which the kubernetes Service takes/,
    paths: ['controlPlane.addons.coreDNS.serviceIP'] },
  { name: 'an autoscaled group with the cluster autoscaler off',
    values: { addons: { clusterAutoscaler: { enabled: false } }, nodeGroups: { md0: { autoscaling: { enabled: true, min: 1, max: 3 } } } },
    error: 'RenderError', message: /^nodeGroups\.md0\.autoscaling\.enabled: needs addons\.clusterAutoscaler\.enabled/,
    paths: ['nodeGroups.md0.autoscaling.enabled'] },
  { name: 'a NEL (U+0085) in a kubeadm command', values: { nodeGroups: { md0: { kubeadm: { postKubeadmCommands: ['echo a\u0085b'] } } } },
    error: 'RenderError', message: /^nodeGroups\.md0\.kubeadm\.postKubeadmCommands\.0: holds a character Kubernetes' YAML reader refuses/,
    paths: ['nodeGroups.md0.kubeadm.postKubeadmCommands.0'] },
  { name: 'a "constructor" node group and a "__proto__" key in addon values',
    json: '{"addons":{"repositories":{"tenantCluster":{"url":"https://charts.example.com/t"}},"metricsServer":{"values":{"__proto__":{"polluted":true}}}},"nodeGroups":{"constructor":{}}}',
    values: {}, error: 'ValuesError',
    message: schemaMessage(`addons.metricsServer.values.__proto__: ${RESERVED}`, `nodeGroups.constructor: ${RESERVED}`),
    paths: ['addons.metricsServer.values.__proto__', 'nodeGroups.constructor'] },
  { name: 'a release name Helm refuses (uppercase)', values: {}, release: 'Acme', error: 'RenderError',
    message: 'release name "Acme": invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53',
    paths: ['release name'] },
  { name: 'a release namespace Kubernetes refuses (tenant_acme)', values: {}, namespace: 'tenant_acme', error: 'RenderError',
    message: 'release namespace: "tenant_acme" must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
    paths: ['release namespace'] },
  ...LATEST_IMAGES.map(([path, image]): HandCase => ({
    name: `R7: ${path} tagged latest`, values: nested(path, image),
    error: 'RenderError', message: new RegExp(`^${escapeRegExp(path)}: .*${escapeRegExp(JSON.stringify(image))}.*latest`), paths: [path],
  })),
];

/** renderChart's error as `{ name, message }`, or `{ accepted: true }`. */
function evalOutcome(values: unknown, release: string, namespace = NAMESPACE): { name: string; message: string } | { accepted: true } {
  try {
    renderChart(CHART, values, { release, namespace });
    return { accepted: true };
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
}

describe('hand-written invalid values', () => {
  test.each(HAND_CASES.map((c) => [c.name, c]))('%s', async (_name, hc) => {
    const c = hc as HandCase;
    const release = c.release ?? RELEASE;
    const namespace = c.namespace ?? NAMESPACE;
    const values = c.json !== undefined ? JSON.parse(c.json) as Record<string, unknown> : deepMerge(HAND_BASE, c.values) as Record<string, unknown>;
    const results = await Promise.all(helms.map((h) => helmTemplateAsync(h, { values, release, namespace })));
    const received: Record<string, unknown> = { renderChart: evalOutcome(values, release, namespace) };
    const message = typeof c.message === 'string' ? c.message : expect.stringMatching(c.message);
    const expected: Record<string, unknown> = { renderChart: { name: c.error, message } };
    const fragments = c.stderrIncludes ?? [];
    helms.forEach((h, i) => {
      const r = results[i];
      const named = helmErrorPaths(r.stderr);
      received[h.name] = {
        exit: r.code === 0 ? 0 : 'non-zero', namesPaths: c.paths.filter((p) => namesPath(named, p)),
        includes: fragments.filter((f) => r.stderr.includes(f)), stderr: r.stderr,
      };
      expected[h.name] = { exit: 'non-zero', namesPaths: c.paths, includes: fragments };
    });
    expect(received).toMatchObject(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// validateValues reports every violation, not just the first
// ---------------------------------------------------------------------------------------------

describe('validateValues', () => {
  test('reports every violation of a document with several errors', () => {
    const values = {
      typo: true,
      kubernetes: { version: 134 },
      clusterNetwork: { apiServerPort: 0, podCidr: '10.0.0.0/33' },
      controlPlane: {
        replicas: '2',
        endpoint: { type: 'Ingress' },
        apiServer: { extraArgs: { v: 2 } },
        addons: { konnectivity: { agentMode: 'Sidecar' } },
      },
      nodeGroupDefaults: { healthCheck: { maxUnhealthy: '40' } },
      nodeGroups: {
        md0: { replicas: null, kubevirt: { cores: 0, extraDisks: { data: {} } }, taints: [{ key: 'a', effect: 'Never' }] },
        MD1: {},
      },
    };
    expect(validateValues(CHART, values)).toEqual([
      'clusterNetwork.apiServerPort: must be >= 1',
      'clusterNetwork.podCidr: "10.0.0.0/33" is not allowed: must be an IPv4 CIDR with a prefix from /8 to /24 (every node takes a /24 of it), e.g. 10.243.0.0/16',
      'controlPlane.addons.konnectivity.agentMode: must be one of "DaemonSet", "Deployment"',
      'controlPlane.apiServer.extraArgs.v: must be string',
      'controlPlane.endpoint.type: must be one of "LoadBalancer", "NodePort", "ClusterIP"',
      'controlPlane.replicas: must be integer',
      'kubernetes.version: must be string',
      'nodeGroupDefaults.healthCheck.maxUnhealthy: must match pattern "^[0-9]+%$"',
      `nodeGroups.MD1: key is not allowed (${GROUP_KEYS})`,
      'nodeGroups.md0.kubevirt.cores: must be >= 1',
      'nodeGroups.md0.kubevirt.extraDisks.data.size: is required',
      'nodeGroups.md0.replicas: must be integer',
      'nodeGroups.md0.taints.0.effect: must be one of "NoSchedule", "PreferNoSchedule", "NoExecute"',
      'typo: unknown key',
    ]);
    // renderChart refuses the same document with all of them.
    const err = renderError(values);
    expect(err).toBeInstanceOf(ValuesError);
    expect((err as ValuesError).violations).toHaveLength(14);
  });

  test('a valid document has no violations', () => {
    const example = JSON.parse(JSON.stringify({ ...HAND_BASE, nodeGroups: { md0: {} } }));
    expect(validateValues(CHART, example)).toEqual([]);
  });

  test('render-time checks too: every failing one (not only the first), skipping those that read a release not given', () => {
    const values = {
      ...HAND_BASE,
      kubernetes: { version: 'v1.29' },
      clusterNetwork: { serviceCidr: '10.243.128.0/17' },
      nodeGroups: { md0: { autoscaling: { enabled: true, min: 5, max: 2 }, kubevirt: { extraDisks: { boot: { size: '1Gi' } } } } },
    };
    const report = checkValues(CHART, values);
    expect(report.violations.sort()).toEqual([
      'clusterNetwork.podCidr: 10.243.0.0/16 overlaps clusterNetwork.serviceCidr 10.243.128.0/17',
      `kubernetes.version: v1.29 is not supported; supported minors: ${MINORS}`,
      'nodeGroups.md0.autoscaling: min (5) must be <= max (2)',
      'nodeGroups.md0.kubevirt.extraDisks: "boot", "kubelet" and "cloudinitvolume" are reserved disk names (the boot disk, the kubelet disk and CAPK\'s cloud-init disk)',
    ]);
    // The cluster name is the release name here: the checks of names skip, and say so.
    expect(report.skipped).toEqual(['fullnameOverride (or the release name)', 'nodeGroups.md0', 'release namespace']);
    // With fullnameOverride, the name checks run without a release.
    const named = checkValues(CHART, { ...values, fullnameOverride: `t${'x'.repeat(50)}` });
    expect(named.violations).toContain(`nodeGroups.md0: "t${'x'.repeat(50)}-md0" is longer than 50 characters (machine and VM names add about 12); shorten the cluster or group name`);
    expect(named.skipped).toEqual(['release namespace']);
    // Given the release, nothing is skipped and the release name is checked as Helm checks it.
    const full = checkValues(CHART, values, { release: 'Acme', namespace: 'tenant-acme' });
    expect(full.skipped).toEqual([]);
    expect(full.violations[0]).toMatch(/^release name "Acme": invalid release name/);
  });
});

describe('error path normalisation (the helpers above)', () => {
  test('Helm 3 and Helm 4 schema errors name the same paths', () => {
    const helm3 = [
      "Error: values don't meet the specifications of the schema(s) in the following chart(s):",
      'tenant-cluster:',
      '- (root): Additional property foo is not allowed',
      '- nodeGroups.md0.replicas: Invalid type. Expected: integer, given: string',
      '- nodeGroups: Additional property Md is not allowed',
      '- kubernetes: version is required',
      '- nodeGroups.constructor: False always fails validation',
    ].join('\n');
    const helm4 = [
      "Error: values don't meet the specifications of the schema(s) in the following chart(s):",
      'tenant-cluster:',
      "- at '/nodeGroups': validation failed",
      "  - at '/nodeGroups/md0/replicas': got string, want integer",
      "  - at '/nodeGroups/constructor': false schema",
      "  - at '/nodeGroups': additional properties 'Md' not allowed",
      "- at '': additional properties 'foo' not allowed",
      "- at '/kubernetes': missing property 'version'",
    ].join('\n');
    for (const text of [helm3, helm4]) {
      const named = helmErrorPaths(text);
      for (const p of ['foo', 'nodeGroups.md0.replicas', 'nodeGroups.Md', 'kubernetes.version', 'nodeGroups.constructor']) {
        expect({ p, named: namesPath(named, p) }).toEqual({ p, named: true });
      }
      for (const p of ['nodeGroups.md0', 'replicas', 'kubernetes']) expect({ p, named: namesPath(named, p) }).toEqual({ p, named: false });
    }
  });

  test('a key reported at \'\' (Helm 4 propertyNames) does not count as naming its path', () => {
    const named = helmErrorPaths([
      "- at '/nodeGroups': validation failed",
      "  - at '': invalid propertyName 'Md'",
      "    - at '': 'Md' does not match pattern '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'",
    ].join('\n'));
    expect(named.keys).toEqual([{ key: 'Md', within: 'nodeGroups' }]);
    expect(namesPath(named, 'nodeGroups.Md')).toBe(false);
  });

  test('fail messages name a path only as a whole path', () => {
    const named = helmErrorPaths('Error: execution error at (tenant-cluster/templates/validate.yaml:32:4): nodeGroups.md0.autoscaling: min (5) must be <= max (2)');
    expect(namesPath(named, 'nodeGroups.md0.autoscaling')).toBe(true);
    expect(namesPath(named, 'nodeGroups.md0')).toBe(false);
    expect(namesPath(named, 'nodeGroups.md')).toBe(false);
  });
});
