/**
 * What only line 2.x refuses, because only its API bounds it (issue 12 phase 2): a kubelet flag value longer than
 * v1beta2's `kubeletExtraArgs[].value` `maxLength: 1024`, and a health-check duration longer than Go can hold,
 * which line 2.x must turn into seconds. Each is refused by the evaluation backend, Helm 3, Helm 4 and `validate`
 * with the value path, and rendered by line 1.x (whose v1beta1 API has no such bound or keeps the string).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { checkValues, renderChart } from '../src/render';
import { convertToV1beta2 } from './harness/capi-conversion';
import { convertToSeconds } from './harness/duration-fixtures';
import { helmBinaries, helmTemplate, REPO_ROOT } from './harness/helm';
import { TENANT_CLUSTER_LINES } from './harness/lines';
import { K8sObject } from './harness/objects';
import { formatErrors, validateObjects } from './harness/validate';

const [V1, V2] = TENANT_CLUSTER_LINES;
const RELEASE = { release: 'acme', namespace: 'tenant-acme' };
const BASE = { addons: { repositories: { tenantCluster: { url: 'https://charts.example.com/tenant-cluster' } } } };
const withGroup = (group: object) => ({ ...BASE, nodeGroups: { workers: group } });

/** The error of each backend on a line, `undefined` where it rendered. */
function refusals(chartDir: string, chart: string, values: object): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  try {
    renderChart(chart, values, RELEASE);
    out.render = undefined;
  } catch (e) {
    out.render = (e as Error).message;
  }
  for (const h of helmBinaries()) {
    const r = helmTemplate(h, chartDir, { ...RELEASE, values });
    out[h.name] = r.code === 0 ? undefined : r.stderr;
  }
  const report = checkValues(chart, values, RELEASE);
  out.validate = report.violations.length === 0 ? undefined : report.violations.join('\n');
  return out;
}

function expectRefusedOn2Only(values: object, message: string): void {
  const v2 = refusals(V2.chartDir, V2.chart, values);
  expect(Object.entries(v2).map(([backend, error]) => ({ backend, names: error !== undefined && error.includes(message) ? true : error })))
    .toEqual(Object.keys(v2).map((backend) => ({ backend, names: true })));
  const v1 = refusals(V1.chartDir, V1.chart, values);
  expect(v1).toEqual(Object.fromEntries(Object.keys(v1).map((k) => [k, undefined])));
}

const TOO_LONG = "is longer than 1024 characters, the most a kubeadm argument's value may have on chart 2.x";

describe('line 2.x: a kubelet flag value is at most 1024 characters (KubeadmConfigTemplate v1beta2)', () => {
  test('a flag of kubelet.extraArgs with 1025 characters: refused naming it; 1024 characters render and validate against the v1beta2 CRD', () => {
    expectRefusedOn2Only(withGroup({ kubelet: { extraArgs: { 'system-reserved-cgroup': `/${'a'.repeat(1024)}` } } }),
      `nodeGroups.workers.kubelet.extraArgs.system-reserved-cgroup: ${TOO_LONG}`);
    const objects = renderChart(V2.chart, withGroup({ kubelet: { extraArgs: { 'system-reserved-cgroup': `/${'a'.repeat(1023)}` } } }), RELEASE) as K8sObject[];
    const kct = objects.find((o) => o.kind === 'KubeadmConfigTemplate')!;
    expect(kct.spec.template.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs).toContainEqual({ name: 'system-reserved-cgroup', value: `/${'a'.repeat(1023)}` });
    expect(validateObjects(objects, 'v1beta2')).toEqual([]);
  });

  test('characters, not bytes: 1024 two-byte characters render', () => {
    const values = withGroup({ kubelet: { extraArgs: { 'system-reserved-cgroup': `/${'é'.repeat(1023)}` } } });
    expect(refusals(V2.chartDir, V2.chart, values)).toEqual({ render: undefined, helm3: undefined, helm4: undefined, validate: undefined });
  });

  test('the labels of a group, which the chart joins into --node-labels: refused naming nodeGroups.<group>.labels', () => {
    const labels = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`node.example.com/label-${i}`, 'v'.repeat(40)]));
    expectRefusedOn2Only(withGroup({ labels }), `nodeGroups.workers.labels: the kubelet flag --node-labels they make ${TOO_LONG}`);
  });
});

describe('line 2.x: health-check durations become seconds', () => {
  test('a duration Go cannot hold: refused naming its value path on 2.x (1.x keeps the string)', () => {
    expectRefusedOn2Only(withGroup({ healthCheck: { nodeStartupTimeout: '9999999999999h' } }),
      'nodeGroups.workers.healthCheck.nodeStartupTimeout: "9999999999999h" is longer than a duration can be');
  });

  test('the seconds Cluster API\'s conversion computes, on the MachineHealthCheck', () => {
    const values = withGroup({ healthCheck: { nodeStartupTimeout: '1h30m', readyUnknownTimeout: '90s', readyFalseTimeout: '0.3m', maxUnhealthy: '25%' } });
    const mhc = (renderChart(V2.chart, values, RELEASE) as K8sObject[]).find((o) => o.kind === 'MachineHealthCheck')!;
    expect(mhc.spec).toMatchObject({
      checks: {
        nodeStartupTimeoutSeconds: 5400,
        unhealthyNodeConditions: [{ type: 'Ready', status: 'Unknown', timeoutSeconds: 90 }, { type: 'Ready', status: 'False', timeoutSeconds: 18 }],
      },
      remediation: { triggerIf: { unhealthyLessThanOrEqualTo: '25%' } },
    });
  });
});

describe('node-group features on line 2.x: the converted 1.x objects, valid against the v1beta2 CRDs', () => {
  const openstack = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'openstack.yaml'), 'utf8'));
  const files = [
    { path: '/etc/containerd/certs.d/registry.example.com/hosts.toml', contentFrom: { secret: { name: 'registry-mirror', key: 'hosts.toml' } }, permissions: '0400' },
    { path: '/etc/sysctl.d/90-tenant.conf', content: 'vm.max_map_count = 262144\n' },
  ];
  const cases: Array<[string, object]> = [
    ['Kubernetes 1.31 (ignorePreflightErrors)', { ...BASE, kubernetes: { version: 'v1.31' }, nodeGroups: { md0: {} } }],
    ['no binaries URL, no kubelet disk, no labels (KubeVirt: the name pinning still makes preKubeadmCommands)',
      { ...BASE, nodeGroupDefaults: { kubelet: { binariesUrl: '' }, kubevirt: { kubeletDisk: { enabled: false } } }, nodeGroups: { md0: {} } }],
    ['kubeadm files from Secrets and inline, post-kubeadm commands, taints', {
      ...BASE, nodeGroups: { md0: { kubeadm: { files, postKubeadmCommands: ['echo joined'] }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } },
    }],
    ['OpenStack, no binaries URL and no commands: files, preKubeadmCommands and postKubeadmCommands all empty',
      { ...openstack, nodeGroupDefaults: { kubelet: { binariesUrl: '' } } }],
    ['OpenStack with the install script', openstack],
  ];
  test.each(cases)('%s', (_name, values) => {
    const v1 = renderChart(V1.chart, values, RELEASE) as K8sObject[];
    const v2 = renderChart(V2.chart, values, RELEASE) as K8sObject[];
    expect(v2).toEqual(v1.map((o) => convertToV1beta2(o, convertToSeconds)).map((o) => JSON.parse(JSON.stringify(o).replace(/tenant-cluster-1\.\d+\.\d+/g, `tenant-cluster-${V2.version}`))));
    expect(formatErrors(validateObjects(v2, 'v1beta2'))).toBe('');
  });

  test('an OpenStack group without commands renders no empty list on 2.x (v1beta2 minItems 1), and [] on 1.x', () => {
    const values = { ...openstack, nodeGroupDefaults: { kubelet: { binariesUrl: '' } } };
    const spec = (chart: string) => (renderChart(chart, values, RELEASE) as K8sObject[]).find((o) => o.kind === 'KubeadmConfigTemplate')!.spec.template.spec;
    expect([spec(V2.chart).files, spec(V2.chart).preKubeadmCommands, spec(V2.chart).postKubeadmCommands]).toEqual([undefined, undefined, undefined]);
    expect([spec(V1.chart).files, spec(V1.chart).preKubeadmCommands, spec(V1.chart).postKubeadmCommands]).toEqual([[], [], []]);
  });
});
