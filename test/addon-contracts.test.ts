/**
 * Every value our HelmReleases pass to an addon chart is a key that chart reads, with a type it takes:
 * checked against the contract of the pinned chart version (test/contracts/, derived from upstream at
 * the pinned tag; our own kubevirt-csi-node and openstack-cinder-csi-node charts' generated schemas), for the examples, each
 * Kubernetes minor's Cilium, both CNIs, and generated values documents (with the user's own free-form
 * addon `values` left out: those are the user's keys, not ours).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { ADDONS_DEFAULTS } from '../src/charts/tenant-cluster/addons-defaults';
import { renderChart } from '../src/render';
import { SUPPORT_MATRIX } from '../src/support-matrix';
import { contractOf, contractViolations, CONTRACTS_DIR } from './harness/chart-contracts';
import { K8sObject } from './harness/objects';
import { params } from './harness/properties';
import { deepMerge, deletePath, getPath, jsonCopy, ValuesCase, validCaseArb } from './harness/values-arbitrary';

const ROOT = path.resolve(__dirname, '..');
const RELEASE = { release: 'acme', namespace: 'tenant-acme' };
const SOURCE = { addons: { repositories: { tenantCluster: { url: 'https://charts.example.com/tc' } } }, nodeGroups: { workers: { replicas: 1 } } };
const CALICO = { addons: { cni: { type: 'calico' } }, controlPlane: { addons: { kubeProxy: { enabled: true } } } };

/** chart name and version of a HelmRelease (from `chart.spec`, or from the OCIRepository its `chartRef` names). */
function chartOf(hr: K8sObject, objects: K8sObject[]): { chart: string; version: string } {
  if (hr.spec.chart) return { chart: hr.spec.chart.spec.chart, version: hr.spec.chart.spec.version };
  const oci = objects.find((o) => o.kind === 'OCIRepository' && o.metadata.name === hr.spec.chartRef.name)!;
  return { chart: String(oci.spec.url).split('/').pop()!, version: oci.spec.ref.tag };
}

/** The contract violations of every HelmRelease in a render. */
function violations(objects: K8sObject[]): string[] {
  return objects.filter((o) => o.kind === 'HelmRelease').flatMap((hr) => {
    const { chart, version } = chartOf(hr, objects);
    const contract = contractOf(chart, version);
    if (!contract) return [`${hr.metadata.name}: no contract recorded for ${chart} ${version} (add test/contracts/${chart}-${version}.json)`];
    return contractViolations(hr.spec.values ?? {}, contract).map((v) => `${hr.metadata.name} (${chart} ${version}): values.${v}`);
  });
}

const render = (values: object) => renderChart('tenant-cluster', deepMerge(SOURCE, values) as Record<string, unknown>, RELEASE) as K8sObject[];

describe('addon chart contracts', () => {
  test('every pinned addon chart version has a contract, with its provenance', () => {
    const pinned = [
      ...Object.values(SUPPORT_MATRIX).map((e) => ['cilium', e.ciliumChartVersion]),
      ['tigera-operator', ADDONS_DEFAULTS.cni.calico.chartVersion],
      ['crd.projectcalico.org.v1', ADDONS_DEFAULTS.cni.calico.chartVersion],
      ['metrics-server', ADDONS_DEFAULTS.metricsServer.chartVersion],
      ['kubelet-csr-approver', ADDONS_DEFAULTS.kubeletServingCertApprover.chartVersion],
      ['kubevirt-csi-node', ADDONS_DEFAULTS.csi.chartVersion],
    ];
    const missing = [...new Set(pinned.map(([c, v]) => `${c} ${v}`))].filter((cv) => !contractOf(cv.split(' ')[0], cv.split(' ')[1]));
    expect(missing).toEqual([]);
    for (const file of fs.readdirSync(CONTRACTS_DIR)) {
      const c = JSON.parse(fs.readFileSync(path.join(CONTRACTS_DIR, file), 'utf8'));
      expect(`${c.chart}-${c.version}.json`).toBe(file);
      expect(c.provenance).toMatchObject({ repository: expect.stringMatching(/^[\w.-]+\/[\w.-]+$/), tag: expect.any(String), files: expect.any(Array) });
    }
  });

  test('the checker catches an unknown key and a wrong type (and accepts free-form maps)', () => {
    const contract = contractOf('metrics-server', ADDONS_DEFAULTS.metricsServer.chartVersion)!;
    expect(contractViolations({ args: [], podAnnotations: { anything: { goes: 1 } } }, contract)).toEqual([]);
    expect(contractViolations({ argz: [], replicas: 'two', image: { tag: 'v1', registry: 'x' } }, contract)).toEqual([
      'argz: metrics-server 3.13.1 has no such key',
      'replicas: metrics-server 3.13.1 takes integer, got string "two"',
      'image.registry: metrics-server 3.13.1 has no such key',
    ]);
    const tigera = contractOf('tigera-operator', ADDONS_DEFAULTS.cni.calico.chartVersion)!;
    expect(contractViolations({ installation: { calicoNetwork: { ipPools: [{ cidr: 1, natOutgoing: 'Enabled', nope: true }] } } }, tigera)).toEqual([
      'installation.calicoNetwork.ipPools[0].cidr: tigera-operator v3.32.1 takes string, got integer 1',
      'installation.calicoNetwork.ipPools[0].nope: tigera-operator v3.32.1 has no such key',
    ]);
  });

  test.each(Object.keys(SUPPORT_MATRIX))('Kubernetes %s: Cilium and the other addons get only keys their charts read', (minor) => {
    expect(violations(render({ kubernetes: { version: `v${minor}` } }))).toEqual([]);
    expect(violations(render({ kubernetes: { version: `v${minor}` }, addons: { cni: { cilium: { kubeProxyReplacement: false } } }, controlPlane: { addons: { kubeProxy: { enabled: true } } } }))).toEqual([]);
  });

  test('Calico: the CRD chart gets no values, tigera-operator only keys of its chart and Installation spec', () => {
    const objects = render(CALICO);
    expect(objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'acme-cni-crds')!.spec.values).toBeUndefined();
    expect(violations(objects)).toEqual([]);
    expect(violations(render({ ...CALICO, controlPlane: { addons: { kubeProxy: { enabled: true } }, kubelet: { serverTLSBootstrap: false } } }))).toEqual([]);
  });

  test.each(fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml') && !f.startsWith('flux-')))('examples/%s', (file) => {
    const values = YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'), { version: '1.1' }) ?? {};
    expect(violations(renderChart('tenant-cluster', values, RELEASE) as K8sObject[])).toEqual([]);
  });

  test('a key a chart does not read fails here (the addon values of a generated document are the user\'s and left out)', () => {
    expect(violations(render({ addons: { metricsServer: { values: { argz: ['--v=2'] } } } }))).toEqual([
      'acme-metrics-server (metrics-server 3.13.1): values.argz: metrics-server 3.13.1 has no such key',
    ]);
  });

  test('generated values documents', () => {
    const ADDON_VALUES = ['addons.cni.cilium', 'addons.cni.calico', 'addons.metricsServer', 'addons.kubeletServingCertApprover', 'addons.csi', 'addons.vpn'];
    fc.assert(fc.property(validCaseArb, (c: ValuesCase) => {
      const values = jsonCopy(c.values);
      for (const p of ADDON_VALUES) if (getPath(values, `${p}.values`) !== undefined) deletePath(values, `${p}.values`);
      const objects = renderChart('tenant-cluster', values, { release: c.release, namespace: c.namespace }) as K8sObject[];
      // Contracts exist for the pinned versions; a generated chartVersion names a version we do not pin.
      const pinnedOnly = objects.filter((o) => o.kind !== 'HelmRelease' || contractOf(chartOf(o, objects).chart, chartOf(o, objects).version));
      expect(violations(pinnedOnly)).toEqual([]);
    }), params(Number(process.env.FC_NUM_RUNS ?? 60)));
  });
});
