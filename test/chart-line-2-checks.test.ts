/**
 * What only line 2.x refuses, because only its API bounds it (issue 12 phase 2): a kubelet flag value longer than
 * v1beta2's `kubeletExtraArgs[].value` `maxLength: 1024`, and a health-check duration longer than Go can hold,
 * which line 2.x must turn into seconds. Each is refused by the evaluation backend, Helm 3, Helm 4 and `validate`
 * with the value path, and rendered by line 1.x (whose v1beta1 API has no such bound or keeps the string).
 */
import { checkValues, renderChart } from '../src/render';
import { helmBinaries, helmTemplate } from './harness/helm';
import { TENANT_CLUSTER_LINES } from './harness/lines';
import { K8sObject } from './harness/objects';
import { validateObjects } from './harness/validate';

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
