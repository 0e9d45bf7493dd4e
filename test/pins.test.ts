/**
 * Every image and addon chart version the charts pin by default (outside the support matrix) has a
 * recorded source in src/pins.ts: the defaults of every chart are walked, and so is what the default
 * render of each chart contains (images written into constructs count too).
 */
import { TENANT_VPN_SERVER_CHART_VERSION } from '../src/charts/tenant-vpn-server/version';
import { CHARTS } from '../src/charts';
import { MAGNUM_TENANT_CLUSTER_CHART } from '../src/charts/magnum-tenant-cluster';
import { TENANT_CLUSTER_DEFAULTS } from '../src/charts/tenant-cluster/defaults';
import { KUBEVIRT_CSI_NODE_CHART_VERSION } from '../src/charts/kubevirt-csi-node/version';
import { OPENSTACK_CINDER_CSI_NODE_CHART_VERSION } from '../src/charts/openstack-cinder-csi-node/version';
import { chartPinOf, CHART_PINS, imagePinOf, IMAGE_PINS } from '../src/pins';
import { renderChart } from '../src/render';
import { OPENSTACK_SUPPORT } from '../src/openstack-support';
import { SUPPORT_MATRIX } from '../src/support-matrix';
import { K8sObject } from './harness/objects';

/** An image reference: a registry path with a tag or digest. */
const IMAGE = /^[a-z0-9][-a-z0-9._/]*(:[0-9]+)?\/[-a-z0-9._/]+(:[A-Za-z0-9_][A-Za-z0-9_.-]*|@sha256:[a-f0-9]{64})+$/;

/** Values paths of chart versions in the defaults, and the chart each one pins (several for Calico). */
const CHART_VERSION_PATHS: Record<string, readonly string[]> = {
  'addons.cni.calico.chartVersion': ['tigera-operator', 'crd.projectcalico.org.v1'],
  'addons.metricsServer.chartVersion': ['metrics-server'],
  'addons.kubeletServingCertApprover.chartVersion': ['kubelet-csr-approver'],
  'addons.csi.chartVersion': ['kubevirt-csi-node'],
  'addons.csi.snapshotController.chartVersion': ['snapshot-controller'],
  'addons.openstack.cinderCsi.chartVersion': ['openstack-cinder-csi-node'],
  'addons.vpn.chartVersion': ['tenant-vpn-server'],
};

/** This project's own charts (served from the tenantCluster repository): their version is the generator's. */
const OWN_CHART_VERSIONS: Readonly<Record<string, string>> = {
  'kubevirt-csi-node': KUBEVIRT_CSI_NODE_CHART_VERSION,
  'openstack-cinder-csi-node': OPENSTACK_CINDER_CSI_NODE_CHART_VERSION,
  'tenant-vpn-server': TENANT_VPN_SERVER_CHART_VERSION,
};

/**
 * Images pinned per Kubernetes minor, with their sources where they are pinned: the support matrix
 * (src/support-matrix.ts) and the OpenStack table (src/openstack-support.ts).
 */
const MATRIX_IMAGES = new Set([
  ...Object.values(SUPPORT_MATRIX).flatMap((e) => [e.clusterAutoscalerImage, e.containerDiskImage]),
  ...Object.values(OPENSTACK_SUPPORT).flatMap((e) => [e.occmImage, e.cinderCsiPluginImage]),
]);

function leaves(node: unknown, at: string, out: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof node === 'string') out.push([at, node]);
  else if (Array.isArray(node)) node.forEach((n, i) => leaves(n, `${at}[${i}]`, out));
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) leaves(v, at ? `${at}.${k}` : k, out);
  return out;
}

describe('pins', () => {
  describe.each(Object.values(CHARTS).map((def) => [def.name, def] as const))('%s defaults', (_name, def) => {
    // The Magnum chart's images and addon versions are tenant-cluster's defaults, which its values adapter maps the
    // driver's document over (src/magnum/tenant-defaults.ts); its own values.yaml holds only `site`.
    const strings = leaves(def.name === MAGNUM_TENANT_CLUSTER_CHART.name ? { ...TENANT_CLUSTER_DEFAULTS, ...def.defaults } : def.defaults, '');

    test('every default image has a recorded source', () => {
      const images = strings.filter(([, v]) => IMAGE.test(v));
      expect(images.length).toBeGreaterThan(0);
      expect(images.filter(([, v]) => !imagePinOf(v) && !MATRIX_IMAGES.has(v)).map(([p, v]) => `${p}: ${v}`)).toEqual([]);
    });

    test('every default chart version has a recorded source', () => {
      const versions = strings.filter(([p, v]) => /(^|\.)chartVersion$/.test(p) && v !== '');
      for (const [p] of versions) expect(Object.keys(CHART_VERSION_PATHS)).toContain(p);
      const unsourced = versions.flatMap(([p, v]) => CHART_VERSION_PATHS[p]
        .filter((chart) => !(chart in OWN_CHART_VERSIONS ? v === OWN_CHART_VERSIONS[chart] : chartPinOf(chart, v)))
        .map((chart) => `${p}: ${chart} ${v}`));
      expect(unsourced).toEqual([]);
    });
  });

  test('the default render pins nothing without a source (images in constructs, chart versions of HelmReleases)', () => {
    const objects = renderChart('tenant-cluster', {
      addons: { repositories: { tenantCluster: { url: 'https://charts.example.com/tc' } } }, nodeGroups: { w: { replicas: 1 } },
    }, { release: 'acme', namespace: 'tenant-acme' }) as K8sObject[];
    const calico = renderChart('tenant-cluster', {
      addons: { cni: { type: 'calico' }, repositories: { tenantCluster: { url: 'https://charts.example.com/tc' } } },
      controlPlane: { addons: { kubeProxy: { enabled: true } } },
    }, { release: 'acme', namespace: 'tenant-acme' }) as K8sObject[];
    const node = renderChart('kubevirt-csi-node', {}, { release: 'csi', namespace: 'kubevirt-csi' }) as K8sObject[];
    const all = [...objects, ...calico, ...node];
    const images = leaves(all, '').filter(([p]) => /\.image$/.test(p)).map(([, v]) => v).filter((v) => !MATRIX_IMAGES.has(v));
    expect(images.length).toBeGreaterThan(5);
    expect([...new Set(images.filter((i) => !imagePinOf(i)))]).toEqual([]);
    const charts = all.filter((o) => o.kind === 'HelmRelease').map((hr) => [hr.spec.chart.spec.chart, hr.spec.chart.spec.version]);
    const ciliumVersions = new Set(Object.values(SUPPORT_MATRIX).map((e) => e.ciliumChartVersion));
    const unsourced = charts.filter(([chart, version]) => !chartPinOf(chart, version)
      && OWN_CHART_VERSIONS[chart] !== version && !(chart === 'cilium' && ciliumVersions.has(version)));
    expect(charts.map(([c]) => c).sort()).toEqual(['cilium', 'crd.projectcalico.org.v1', 'kubelet-csr-approver', 'kubelet-csr-approver', 'kubevirt-csi-node',
      'kubevirt-csi-node', 'metrics-server', 'metrics-server', 'tigera-operator']);
    expect(unsourced).toEqual([]);
  });

  test('each recorded source names a repository, where it was read and what it showed; keys and versions are unique', () => {
    for (const pin of [...Object.values(IMAGE_PINS), ...Object.values(CHART_PINS)]) {
      expect(pin.source.repository).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(pin.source.where.length).toBeGreaterThan(10);
      expect(pin.source.saw.length).toBeGreaterThan(10);
    }
    // One pin per image version (an image reference finds exactly one source); a repository may have two versions
    // where two upstreams pair different ones (csi-snapshotter: Piraeus' snapshot controller and Cinder's manifests).
    const images = Object.values(IMAGE_PINS).map((p) => `${p.repository}:${p.tag}`);
    expect(new Set(images).size).toBe(images.length);
  });
});
