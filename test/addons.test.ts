/**
 * Targeted assertions on the addon bundle (the equivalence property proves Helm renders the same):
 * Flux delivery, CNI choices, verified kubelet TLS, Konnectivity pins, the management-side workloads
 * and their switches. Presets layered under an example render on Helm 3 and 4.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { RenderError, renderChart } from '../src/render';
import { SUPPORT_MATRIX } from '../src/support-matrix';
import { helmBinaries, helmTemplate } from './harness/helm';
import { byKey, K8sObject } from './harness/objects';
import { formatErrors, parseManifests, validateObjects } from './harness/validate';
import { deepMerge } from './harness/values-arbitrary';

const ROOT = path.resolve(__dirname, '..');
const RELEASE = { release: 'acme', namespace: 'tenant-acme' };
const SOURCE = { addons: { repositories: { tenantCluster: { url: 'https://charts.example.com/tc' } } } };
const GROUP = { nodeGroups: { workers: { replicas: 2 } } };

function render(values: object = {}): K8sObject[] {
  return renderChart('tenant-cluster', deepMerge(deepMerge(SOURCE, GROUP), values as Record<string, unknown>), RELEASE) as K8sObject[];
}
const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const kinds = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();
const container = (objects: K8sObject[], deployment: string, name: string) =>
  find(objects, 'Deployment', deployment)!.spec.template.spec.containers.find((c: K8sObject) => c.name === name);

describe('Flux delivery', () => {
  const objects = render({ addons: { delivery: { interval: '3m', timeout: '7m', retryInterval: '45s' } } });

  test('one HelmRelease per default addon, the CNI first', () => {
    expect(kinds(objects, 'HelmRelease')).toEqual(['acme-cni', 'acme-csi', 'acme-kubelet-csr-approver', 'acme-metrics-server']);
    for (const name of ['acme-csi', 'acme-kubelet-csr-approver', 'acme-metrics-server']) {
      expect(find(objects, 'HelmRelease', name)!.spec.dependsOn).toEqual([{ name: 'acme-cni' }]);
    }
    expect(find(objects, 'HelmRelease', 'acme-cni')!.spec.dependsOn).toBeUndefined();
  });

  test('each reaches the tenant with the super-admin in-cluster kubeconfig, retries, corrects drift', () => {
    for (const hr of objects.filter((o) => o.kind === 'HelmRelease')) {
      expect(hr.spec).toMatchObject({
        kubeConfig: { secretRef: { name: 'acme-admin-kubeconfig', key: 'super-admin.svc' } },
        interval: '3m',
        timeout: '7m',
        install: { createNamespace: true, strategy: { name: 'RetryOnFailure', retryInterval: '45s' } },
        upgrade: { strategy: { name: 'RetryOnFailure', retryInterval: '45s' } },
        driftDetection: { mode: 'enabled' },
      });
      expect(hr.spec.storageNamespace).toBe(hr.spec.targetNamespace);
      expect(hr.spec.releaseName.length).toBeLessThanOrEqual(53);
      expect(hr.spec.chart.spec.version).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
    expect(find(objects, 'HelmRelease', 'acme-cni')!.spec).toMatchObject({
      releaseName: 'cilium',
      chart: { spec: { chart: 'cilium', version: SUPPORT_MATRIX['1.34'].ciliumChartVersion, sourceRef: { kind: 'HelmRepository', name: 'acme-cilium' } } },
    });
    expect(find(objects, 'HelmRelease', 'acme-csi')!.spec.chart.spec).toMatchObject({ chart: 'kubevirt-csi-node', sourceRef: { name: 'acme-tenant-cluster' } });
  });

  test('a HelmRepository per repository in use, none for unused ones', () => {
    expect(kinds(objects, 'HelmRepository')).toEqual(['acme-cilium', 'acme-kubelet-csr-approver', 'acme-metrics-server', 'acme-tenant-cluster']);
    expect(find(objects, 'HelmRepository', 'acme-tenant-cluster')!.spec).toEqual({ url: 'https://charts.example.com/tc', interval: '1h' });
  });

  test('OCI repositories: one OCIRepository per chart, referenced by chartRef, with credentials', () => {
    const oci = render({ addons: { repositories: { metricsServer: { type: 'oci', url: 'oci://mirror.example.com/charts', secretName: 'pull', interval: '30m' } } } });
    expect(find(oci, 'HelmRepository', 'acme-metrics-server')).toBeUndefined();
    expect(find(oci, 'OCIRepository', 'acme-metrics-server')!.spec).toEqual({
      url: 'oci://mirror.example.com/charts/metrics-server',
      ref: { tag: '3.13.1' },
      interval: '30m',
      secretRef: { name: 'pull' },
      layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
    });
    const hr = find(oci, 'HelmRelease', 'acme-metrics-server')!;
    expect(hr.spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'acme-metrics-server' });
    expect(hr.spec.chart).toBeUndefined();
    expect(formatErrors(validateObjects(oci, 'v1beta1'))).toBe('');
  });

  test('user values merge over the chart\'s: maps deeply, theirs win, lists replace', () => {
    const hr = find(render({
      addons: { cni: { cilium: { values: { ipam: { operator: { clusterPoolIPv4MaskSize: 25 } }, hubble: { enabled: true, relay: { enabled: true } }, operator: { replicas: 2 } } } } },
    }), 'HelmRelease', 'acme-cni')!;
    expect(hr.spec.values.ipam).toEqual({ mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: ['10.243.0.0/16'], clusterPoolIPv4MaskSize: 25 } });
    expect(hr.spec.values.hubble).toEqual({ enabled: true, relay: { enabled: true } });
    expect(hr.spec.values.operator).toEqual({ replicas: 2 });
  });

  test('drift detection can be set to warn; StorageClass default flag and Calico\'s Installation spec are ignored', () => {
    const warn = render({ addons: { delivery: { driftDetection: 'warn' } } });
    expect(find(warn, 'HelmRelease', 'acme-csi')!.spec.driftDetection).toEqual({
      mode: 'warn',
      ignore: [{ paths: ['/metadata/annotations/storageclass.kubernetes.io~1is-default-class'], target: { group: 'storage.k8s.io', kind: 'StorageClass' } }],
    });
  });
});

describe('CNI', () => {
  test('Cilium replaces kube-proxy and talks to the control plane Service by its full name', () => {
    const objects = render({ managementCluster: { clusterDomain: 'mgmt.example' }, clusterNetwork: { podCidr: '10.200.0.0/16', apiServerPort: 443 }, addons: { cni: { mtu: 1400 } } });
    expect(find(objects, 'HelmRelease', 'acme-cni')!.spec.values).toMatchObject({
      k8sServiceHost: 'acme.tenant-acme.svc.mgmt.example',
      k8sServicePort: 443,
      kubeProxyReplacement: true,
      MTU: 1400,
      ipam: { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: ['10.200.0.0/16'] } },
    });
    expect(find(objects, 'KamajiControlPlane', 'acme')!.spec.addons.kubeProxy).toBeUndefined();
  });

  test('Calico: tigera-operator with the pod CIDR, Kamaji\'s kube-proxy on, the Installation spec ignored by drift detection', () => {
    const objects = render({ addons: { cni: { type: 'calico' } }, controlPlane: { addons: { kubeProxy: { enabled: true } } } });
    const hr = find(objects, 'HelmRelease', 'acme-cni')!;
    expect(hr.spec).toMatchObject({ releaseName: 'tigera-operator', targetNamespace: 'tigera-operator', chart: { spec: { chart: 'tigera-operator', sourceRef: { name: 'acme-calico' } } } });
    expect(hr.spec.values.kubernetesServiceEndpoint).toEqual({ host: 'acme.tenant-acme.svc.cluster.local', port: '6443' });
    expect(hr.spec.values.installation.calicoNetwork.ipPools[0]).toMatchObject({ cidr: '10.243.0.0/16', encapsulation: 'VXLAN' });
    expect(hr.spec.driftDetection.ignore).toEqual([{ paths: ['/spec'], target: { group: 'operator.tigera.io', kind: 'Installation' } }]);
    expect(find(objects, 'KamajiControlPlane', 'acme')!.spec.addons.kubeProxy).toEqual({});
    expect(kinds(objects, 'HelmRepository')).toContain('acme-calico');
    expect(kinds(objects, 'HelmRepository')).not.toContain('acme-cilium');
  });

  test('without a CNI nothing waits for one', () => {
    const objects = render({ addons: { cni: { enabled: false } } });
    expect(find(objects, 'HelmRelease', 'acme-cni')).toBeUndefined();
    expect(objects.filter((o) => o.kind === 'HelmRelease').every((hr) => hr.spec.dependsOn === undefined)).toBe(true);
  });

  test.each([
    [{ controlPlane: { addons: { kubeProxy: { enabled: true } } } }, 'controlPlane.addons.kubeProxy.enabled: must be false while addons.cni.cilium.kubeProxyReplacement is true'],
    [{ addons: { cni: { type: 'calico' } } }, 'controlPlane.addons.kubeProxy.enabled: must be true with addons.cni.type "calico"'],
    [{ addons: { cni: { cilium: { kubeProxyReplacement: false } } } }, 'controlPlane.addons.kubeProxy.enabled: must be true with addons.cni.type "cilium"'],
  ])('exactly one Service implementation: %j', (values, message) => {
    expect(() => render(values)).toThrow(RenderError);
    expect(() => render(values)).toThrow(message);
  });
});

describe('kubelet serving certificates and metrics-server', () => {
  test('serverTLSBootstrap through Kamaji\'s kubelet configuration, approved only for this cluster\'s nodes', () => {
    const objects = render();
    expect(find(objects, 'KamajiControlPlane', 'acme')!.spec.kubelet.configurationJSONPatches).toEqual([{ op: 'add', path: '/serverTLSBootstrap', value: true }]);
    expect(find(objects, 'HelmRelease', 'acme-metrics-server')!.spec.values.args).toEqual([]);
    expect(find(objects, 'HelmRelease', 'acme-kubelet-csr-approver')!.spec.values).toEqual({
      providerRegex: '^acme-[a-z0-9-]+$',
      providerIpPrefixes: ['10.244.0.0/16'],
      bypassDnsResolution: true,
    });
  });

  test('without serverTLSBootstrap metrics-server skips verification (and says so in its args)', () => {
    const objects = render({ controlPlane: { kubelet: { serverTLSBootstrap: false } } });
    expect(find(objects, 'KamajiControlPlane', 'acme')!.spec.kubelet.configurationJSONPatches).toBeUndefined();
    expect(find(objects, 'HelmRelease', 'acme-metrics-server')!.spec.values.args).toEqual(['--kubelet-insecure-tls']);
  });

  test('serverTLSBootstrap without the approver is refused', () => {
    expect(() => render({ addons: { kubeletServingCertApprover: { enabled: false } } })).toThrow('controlPlane.kubelet.serverTLSBootstrap: needs addons.kubeletServingCertApprover.enabled');
  });
});

describe('Konnectivity', () => {
  test.each(Object.entries(SUPPORT_MATRIX))('Kubernetes %s pins server and agent to the support matrix', (minor, support) => {
    const kcp = find(render({ kubernetes: { version: `v${minor}` } }), 'KamajiControlPlane', 'acme')!;
    expect(kcp.spec.addons.konnectivity.server.version).toBe(support.konnectivityVersion);
    expect(kcp.spec.addons.konnectivity.agent.version).toBe(support.konnectivityVersion);
    expect(kcp.spec.addons.konnectivity.server.port).toBe(8132);
    expect(kcp.spec.addons.konnectivity.server).not.toHaveProperty('count');
  });
});

describe('management-side workloads', () => {
  const objects = render();

  test('the three controllers run by default, each with its own ServiceAccount and Role', () => {
    expect(kinds(objects, 'Deployment')).toEqual(['acme-cloud-controller-manager', 'acme-cluster-autoscaler', 'acme-csi-controller']);
    // Besides them, only the uninstall cleanup hook's own (a Helm hook, not part of the release).
    const released = objects.filter((o) => o.metadata.annotations?.['helm.sh/hook'] === undefined);
    expect(kinds(released, 'ServiceAccount')).toEqual(kinds(objects, 'Deployment'));
    expect(kinds(released, 'Role')).toEqual(kinds(objects, 'Deployment'));
    // The CSI controller's volume expansion reads infra PersistentVolumes (CLUSTER_SCOPED_RBAC).
    expect(kinds(objects, 'ClusterRole')).toEqual(['tenant-acme.acme.csi-controller']);
  });

  test('cluster autoscaler: image of the Kubernetes minor, discovery limited to this cluster, scale-down settings', () => {
    for (const [minor, support] of Object.entries(SUPPORT_MATRIX)) {
      expect(container(render({ kubernetes: { version: `v${minor}` } }), 'acme-cluster-autoscaler', 'cluster-autoscaler').image).toBe(support.clusterAutoscalerImage);
    }
    const args = container(render({ addons: { clusterAutoscaler: { scaleDown: { unneededTime: '3m' }, extraArgs: { v: '4' } } } }), 'acme-cluster-autoscaler', 'cluster-autoscaler').args;
    expect(args).toEqual(expect.arrayContaining([
      '--cloud-provider=clusterapi',
      '--kubeconfig=/etc/kubernetes/kubeconfig/super-admin.svc',
      '--node-group-auto-discovery=clusterapi:namespace=tenant-acme,clusterName=acme',
      '--scale-down-unneeded-time=3m',
      '--v=4',
    ]));
    expect(container(render({ addons: { clusterAutoscaler: { image: 'registry.example.com/ca:v1.34.9' } } }), 'acme-cluster-autoscaler', 'cluster-autoscaler').image)
      .toBe('registry.example.com/ca:v1.34.9');
  });

  test('scale from zero: capacity from the VM size, given explicitly for an instancetype, refused without', () => {
    const annotations = (group: object) => find(render({ nodeGroups: { workers: group } }), 'MachineDeployment', 'acme-workers')!.metadata.annotations ?? {};
    // Allocatable: the size minus kube-reserved (100m, 512Mi by default) and the kubelet's 100Mi hard eviction threshold.
    expect(annotations({ autoscaling: { enabled: true, min: 0, max: 4 }, kubevirt: { cores: 8, memory: '32Gi' } })).toMatchObject({
      'capacity.cluster-autoscaler.kubernetes.io/cpu': '7900m',
      'capacity.cluster-autoscaler.kubernetes.io/memory': '32156Mi',
    });
    expect(annotations({ autoscaling: { enabled: true, min: 0, max: 4, capacity: { cpu: '4', memory: '16Gi' } }, kubevirt: { instancetype: 'u1.xlarge' } })).toMatchObject({
      'capacity.cluster-autoscaler.kubernetes.io/cpu': '3900m',
      'capacity.cluster-autoscaler.kubernetes.io/memory': '15772Mi',
    });
    expect(annotations({ autoscaling: { enabled: true, min: 1, max: 4 }, kubevirt: { instancetype: 'u1.xlarge' } })).not.toHaveProperty(['capacity.cluster-autoscaler.kubernetes.io/cpu']);
    expect(annotations({ replicas: 2 })).toEqual({});
    expect(() => render({ nodeGroups: { workers: { autoscaling: { enabled: true, min: 0, max: 4 }, kubevirt: { instancetype: 'u1.xlarge' } } } }))
      .toThrow('nodeGroups.workers.autoscaling.capacity: cpu and memory are required to scale from zero with instancetype "u1.xlarge"');
  });

  test('cloud-controller-manager: cloud config for this namespace and cluster; a ClusterRole only for zones and regions', () => {
    expect(find(objects, 'ConfigMap', 'acme-cloud-config')!.data['cloud-config']).toBe([
      'namespace: tenant-acme',
      'infraLabels:',
      '  cluster.x-k8s.io/cluster-name: acme',
      'loadBalancer:',
      '  enabled: true',
      '  creationPollInterval: 5',
      '  creationPollTimeout: 60',
      '  enableEPSController: true',
      'instancesV2:',
      '  enabled: true',
      '  zoneAndRegionEnabled: false',
      '',
    ].join('\n'));
    const zoned = render({ addons: { cloudControllerManager: { zoneAndRegion: true, replicas: 2 } } });
    expect(kinds(zoned, 'ClusterRole')).toEqual(['tenant-acme.acme.cloud-controller-manager', 'tenant-acme.acme.csi-controller']);
    expect(find(zoned, 'ClusterRole', 'tenant-acme.acme.cloud-controller-manager')!.rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]);
    expect(kinds(zoned, 'PodDisruptionBudget')).toEqual(['acme-cloud-controller-manager']);
  });

  test('CSI controller: DataVolumes labelled with the cluster, sidecars leasing in the tenant\'s kube-system', () => {
    expect(container(objects, 'acme-csi-controller', 'csi-driver').args).toEqual(expect.arrayContaining([
      '--infra-cluster-namespace=tenant-acme',
      '--infra-cluster-labels=cluster.x-k8s.io/cluster-name=acme',
      '--run-node-service=false',
    ]));
    expect(container(objects, 'acme-csi-controller', 'csi-provisioner').args).toEqual(expect.arrayContaining(['--leader-election-namespace=kube-system']));
    expect(find(objects, 'HelmRelease', 'acme-csi')!.spec.values).toEqual({
      infraStorageClassName: '',
      storageClass: { name: 'kubevirt', isDefault: true, reclaimPolicy: 'Delete' },
      volumeSnapshotClass: false,
      infraVolumeSnapshotClassName: '',
    });
  });

  test.each([
    ['cni', { addons: { cni: { enabled: false } } }, ['HelmRelease/acme-cni', 'HelmRepository/acme-cilium']],
    ['metricsServer', { addons: { metricsServer: { enabled: false } } }, ['HelmRelease/acme-metrics-server', 'HelmRepository/acme-metrics-server']],
    ['csi', { addons: { csi: { enabled: false } } }, ['HelmRelease/acme-csi', 'HelmRepository/acme-tenant-cluster', 'Deployment/acme-csi-controller', 'Role/acme-csi-controller']],
    ['cloudControllerManager', { addons: { cloudControllerManager: { enabled: false } } }, ['Deployment/acme-cloud-controller-manager', 'ConfigMap/acme-cloud-config']],
    ['clusterAutoscaler', { addons: { clusterAutoscaler: { enabled: false } } }, ['Deployment/acme-cluster-autoscaler', 'ServiceAccount/acme-cluster-autoscaler']],
  ])('%s switches off', (_name, values, gone) => {
    const ids = (objs: K8sObject[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`);
    const before = ids(objects);
    const after = ids(render(values));
    for (const id of gone) {
      expect(before).toContain(id);
      expect(after).not.toContain(id);
    }
  });

  test('a repository in use needs a URL (the CSI chart source has none by default), unused ones not; images tagged latest are refused', () => {
    expect(() => renderChart('tenant-cluster', GROUP, RELEASE)).toThrow('addons.repositories.tenantCluster.url: required while addons.csi.enabled is true');
    expect(() => render({ addons: { cloudControllerManager: { image: 'quay.io/kubevirt/kubevirt-cloud-controller-manager:latest' } } }))
      .toThrow('addons.cloudControllerManager.image: "quay.io/kubevirt/kubevirt-cloud-controller-manager:latest" must name a version tag or digest other than "latest"');
    expect(() => render({ addons: { repositories: { metricsServer: { url: '' } } } }))
      .toThrow('addons.repositories.metricsServer.url: required while addons.metricsServer.enabled is true');
    expect(render({ addons: { repositories: { calico: { url: '' } } } }).length).toBeGreaterThan(0);
    expect(() => render({ addons: { repositories: { cilium: { type: 'oci', url: 'https://helm.cilium.io' } } } }))
      .toThrow('addons.repositories.cilium.url: "https://helm.cilium.io" does not fit addons.repositories.cilium.type "oci"');
  });
});

describe('control plane presets', () => {
  const presets = fs.readdirSync(path.join(ROOT, 'examples', 'presets')).filter((f) => f.endsWith('.yaml'));
  const read = (file: string) => YAML.parse(fs.readFileSync(file, 'utf8'), { version: '1.1' }) as Record<string, unknown>;

  test('there are presets', () => expect(presets.length).toBeGreaterThanOrEqual(2));

  describe.each(helmBinaries().map((h) => [h.name, h] as const))('%s', (_name, helm) => {
    test.each(presets)('%s layered under examples/minimal.yaml renders the preset\'s sizes, schema-valid, ≡ evaluation backend', (preset) => {
      const files = [path.join(ROOT, 'examples', 'presets', preset), path.join(ROOT, 'examples', 'minimal.yaml')];
      const r = helmTemplate(helm, path.join(ROOT, 'charts', 'tenant-cluster'), { ...RELEASE, valuesFiles: files });
      expect(r.stderr).toBe('');
      const fromHelm = parseManifests(r.stdout) as K8sObject[];
      const merged = deepMerge(read(files[0]), read(files[1]));
      expect(byKey(renderChart('tenant-cluster', merged, RELEASE))).toEqual(byKey(fromHelm));
      expect(formatErrors(validateObjects(fromHelm, 'v1beta1'))).toBe('');
      const kcp = fromHelm.find((o) => o.kind === 'KamajiControlPlane')!;
      expect(kcp.spec.apiServer.resources).toEqual((read(files[0]) as any).controlPlane.apiServer.resources);
    });
  });
});
