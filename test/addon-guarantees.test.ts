/**
 * What the addon HelmReleases guarantee by upstream's own code: Calico's CRD chart before the operator
 * (tigera-operator v3.32 ships none), each CNI given the MTU it means, chart-owned keys refused in user
 * values (same message in Helm 3, Helm 4 and the evaluation backend), Secrets for addon values instead
 * of inline ones, and no credentials in chart repository URLs.
 */
import * as path from 'path';
import { renderChart, validateValues } from '../src/render';
import { helmBinaries, helmTemplate } from './harness/helm';
import { K8sObject } from './harness/objects';
import { formatErrors, validateObjects } from './harness/validate';
import { deepMerge } from './harness/values-arbitrary';

const ROOT = path.resolve(__dirname, '..');
const CHART = path.join(ROOT, 'charts', 'tenant-cluster');
const RELEASE = { release: 'acme', namespace: 'tenant-acme' };
const BASE = { addons: { repositories: { tenantCluster: { url: 'https://charts.example.com/tc' } } }, nodeGroups: { workers: { replicas: 1 } } };
const CALICO = { addons: { cni: { type: 'calico' } }, controlPlane: { addons: { kubeProxy: { enabled: true } } } };

const withBase = (values: object) => deepMerge(BASE, values) as Record<string, unknown>;
const render = (values: object = {}) => renderChart('tenant-cluster', withBase(values), RELEASE) as K8sObject[];
const release = (objects: K8sObject[], name: string) => objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === name);

describe('Calico: the CRD chart first', () => {
  const objects = render(CALICO);

  test('crd.projectcalico.org.v1 at the operator\'s version from the same repository, no values; the operator waits for it', () => {
    const crds = release(objects, 'acme-cni-crds')!;
    const operator = release(objects, 'acme-cni')!;
    expect(crds.spec).toMatchObject({
      releaseName: 'calico-crds',
      targetNamespace: 'tigera-operator',
      chart: { spec: { chart: 'crd.projectcalico.org.v1', version: operator.spec.chart.spec.version, sourceRef: { kind: 'HelmRepository', name: 'acme-calico' } } },
    });
    expect(crds.spec.values).toBeUndefined();
    expect(crds.spec.valuesFrom).toBeUndefined();
    expect(crds.spec.dependsOn).toBeUndefined();
    expect(operator.spec.dependsOn).toEqual([{ name: 'acme-cni-crds' }]);
  });

  test('everything that needs the CNI waits for the operator, which waits for the CRDs', () => {
    for (const name of ['acme-metrics-server', 'acme-kubelet-csr-approver', 'acme-csi']) {
      expect(release(objects, name)!.spec.dependsOn).toEqual([{ name: 'acme-cni' }]);
    }
  });

  test('mirrored over OCI: one OCIRepository per chart, both at the pinned version', () => {
    const oci = render(deepMerge(CALICO, { addons: { repositories: { calico: { type: 'oci', url: 'oci://mirror.example.com/calico', secretName: 'pull' } } } }) as object);
    const repos = oci.filter((o) => o.kind === 'OCIRepository').map((o) => [o.metadata.name, o.spec.url, o.spec.ref.tag]);
    const version = release(oci, 'acme-cni')!.spec.chartRef && oci.find((o) => o.metadata.name === 'acme-cni' && o.kind === 'OCIRepository')!.spec.ref.tag;
    expect(repos).toEqual(expect.arrayContaining([
      ['acme-cni-crds', 'oci://mirror.example.com/calico/crd.projectcalico.org.v1', version],
      ['acme-cni', 'oci://mirror.example.com/calico/tigera-operator', version],
    ]));
    expect(release(oci, 'acme-cni-crds')!.spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'acme-cni-crds' });
    expect(formatErrors(validateObjects(oci, 'v1beta1'))).toBe('');
  });

  test('no CRD release with Cilium', () => {
    expect(release(render(), 'acme-cni-crds')).toBeUndefined();
  });
});

describe('MTU: addons.cni.mtu is the workers\' interface MTU', () => {
  test.each([[undefined, 1400, 1350], [1500, 1500, 1450], [9000, 9000, 8950]])('mtu %s: Cilium MTU %d (it subtracts VXLAN itself), Calico pod mtu %d', (mtu, cilium, calico) => {
    const cni = mtu === undefined ? {} : { addons: { cni: { mtu } } };
    expect(release(render(cni), 'acme-cni')!.spec.values.MTU).toBe(cilium);
    expect(release(render(deepMerge(CALICO, cni) as object), 'acme-cni')!.spec.values.installation.calicoNetwork.mtu).toBe(calico);
  });

  test('below 1330 pods would get less than 1280: refused by the schema', () => {
    expect(validateValues('tenant-cluster', withBase({ addons: { cni: { mtu: 1329 } } })).join('\n')).toMatch(/addons\.cni\.mtu/);
  });
});

describe('chart-owned addon values are refused with the value to change instead', () => {
  const cases: Array<[string, object, string]> = [
    ['Cilium pod CIDR', { addons: { cni: { cilium: { values: { ipam: { operator: { clusterPoolIPv4PodCIDRList: ['10.0.0.0/8'] } } } } } } },
      'addons.cni.cilium.values.ipam.operator.clusterPoolIPv4PodCIDRList: is set by this chart (the pod CIDR behind the overlap checks); change clusterNetwork.podCidr instead'],
    ['Cilium API server', { addons: { cni: { cilium: { values: { k8sServiceHost: 'api.example.com' } } } } },
      'addons.cni.cilium.values.k8sServiceHost: is set by this chart (the control plane\'s address: the Service\'s full name (KubeVirt), '
      + 'cluster-info\'s or controlPlane.endpoint.advertiseAddress (OpenStack))'],
    ['Cilium kube-proxy replacement', { addons: { cni: { cilium: { values: { kubeProxyReplacement: false } } } } },
      'addons.cni.cilium.values.kubeProxyReplacement: is set by this chart (it must agree with Kamaji\'s kube-proxy); change addons.cni.cilium.kubeProxyReplacement instead'],
    ['Cilium MTU', { addons: { cni: { cilium: { values: { MTU: 1500 } } } } }, 'addons.cni.cilium.values.MTU: is set by this chart (the workers\' interface MTU); change addons.cni.mtu instead'],
    ['Calico IP pools', deepMerge(CALICO, { addons: { cni: { calico: { values: { installation: { calicoNetwork: { ipPools: [] } } } } } } }) as object,
      'addons.cni.calico.values.installation.calicoNetwork.ipPools: is set by this chart (the pod CIDR behind the overlap checks); change clusterNetwork.podCidr instead'],
    ['metrics-server insecure kubelet TLS', { addons: { metricsServer: { values: { args: ['--v=2', '--kubelet-insecure-tls'] } } } },
      'addons.metricsServer.values.args: may not contain --kubelet-insecure-tls or --kubelet-certificate-authority (kubelet TLS is verified against the cluster CA exactly when kubelets have CA-signed serving certificates); change controlPlane.kubelet.serverTLSBootstrap instead'],
    ['metrics-server defaultArgs', { addons: { metricsServer: { values: { defaultArgs: ['--kubelet-certificate-authority=/x'] } } } },
      'addons.metricsServer.values.defaultArgs: may not contain --kubelet-insecure-tls or --kubelet-certificate-authority'],
    ['approver name pattern', { addons: { kubeletServingCertApprover: { values: { providerRegex: '.*' } } } },
      'addons.kubeletServingCertApprover.values.providerRegex: is set by this chart (what the approver signs for: this cluster\'s node names only)'],
    ['approver address prefixes', { addons: { kubeletServingCertApprover: { values: { providerIpPrefixes: ['0.0.0.0/0'] } } } },
      'addons.kubeletServingCertApprover.values.providerIpPrefixes: is set by this chart (what the approver signs for: addresses of the workers\' '
      + 'network only); change managementCluster.podCidr (KubeVirt), infrastructure.openstack.network.nodeCidr and extraNodeCidrs (OpenStack) instead'],
    ['approver environment', { addons: { kubeletServingCertApprover: { values: { env: [{ name: 'PROVIDER_REGEX', value: '.*' }] } } } },
      'addons.kubeletServingCertApprover.values.env: is set by this chart (an environment entry would override PROVIDER_REGEX and PROVIDER_IP_PREFIXES)'],
    ['CSI node storage class', { addons: { csi: { values: { infraStorageClassName: 'other' } } } },
      'addons.csi.values.infraStorageClassName: is set by this chart (the controller in the management cluster uses the same setting); change addons.csi.infraStorageClassName instead'],
  ];

  test.each(cases)('%s: evaluation backend', (_name, values, message) => {
    expect(() => render(values)).toThrow(message);
  });

  describe.each(helmBinaries().map((h) => [h.name, h] as const))('%s', (_name, helm) => {
    test.each(cases)('%s', (_case, values, message) => {
      const r = helmTemplate(helm, CHART, { ...RELEASE, values: withBase(values) });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(message);
    });
  });

  test('the same keys elsewhere, other flags and a disabled addon pass; the user\'s args follow the chart\'s', () => {
    const objects = render({
      controlPlane: { kubelet: { serverTLSBootstrap: false } },
      addons: {
        kubeletServingCertApprover: { enabled: false },
        metricsServer: { values: { args: ['--v=2'], defaultArgs: ['--cert-dir=/tmp'] } },
        cni: { cilium: { values: { ipam: { operator: { clusterPoolIPv4MaskSize: 25 } }, hubble: { enabled: true } } }, calico: { values: { installation: { calicoNetwork: { ipPools: [] } } } } },
      },
    });
    expect(release(objects, 'acme-metrics-server')!.spec.values.args).toEqual(['--kubelet-insecure-tls', '--v=2']);
    expect(release(objects, 'acme-cni')!.spec.values.ipam.operator).toEqual({ clusterPoolIPv4PodCIDRList: ['10.243.0.0/16'], clusterPoolIPv4MaskSize: 25 });
    expect(render({ addons: { kubeletServingCertApprover: { enabled: false, values: { providerRegex: '.*' } }, csi: { enabled: false } }, controlPlane: { kubelet: { serverTLSBootstrap: false } } }).length).toBeGreaterThan(0);
  });
});

describe('addon values from Secrets (Flux valuesFrom), never inline', () => {
  test('each addon takes Secrets in order, with key, target path and optional; none: no valuesFrom', () => {
    const objects = render({
      addons: {
        metricsServer: { valuesFrom: [{ secretName: 'metrics-values' }, { secretName: 'metrics-token', valuesKey: 'token', targetPath: 'extraEnv[0].value', optional: true }] },
        cni: { cilium: { valuesFrom: [{ secretName: 'cilium-values', valuesKey: 'cilium.yaml' }] } },
      },
    });
    expect(release(objects, 'acme-metrics-server')!.spec.valuesFrom).toEqual([
      { kind: 'Secret', name: 'metrics-values', valuesKey: 'values.yaml' },
      { kind: 'Secret', name: 'metrics-token', valuesKey: 'token', targetPath: 'extraEnv[0].value', optional: true },
    ]);
    expect(release(objects, 'acme-cni')!.spec.valuesFrom).toEqual([{ kind: 'Secret', name: 'cilium-values', valuesKey: 'cilium.yaml' }]);
    expect(release(objects, 'acme-csi')!.spec.valuesFrom).toBeUndefined();
    expect(formatErrors(validateObjects(objects, 'v1beta1'))).toBe('');
  });

  test.each([
    [{ secretName: 'Bad_Name' }, 'addons.metricsServer.valuesFrom.0.secretName'],
    [{ secretName: 'ok', valuesKey: 'a/b' }, 'addons.metricsServer.valuesFrom.0.valuesKey'],
    [{ secretName: 'ok', inline: 'x' }, 'addons.metricsServer.valuesFrom.0'],
    [{ valuesKey: 'x' }, 'addons.metricsServer.valuesFrom.0'],
  ])('schema refuses %j', (item, pathNamed) => {
    expect(validateValues('tenant-cluster', withBase({ addons: { metricsServer: { valuesFrom: [item] } } })).join('\n')).toContain(pathNamed);
  });
});

describe('no credentials in chart repository URLs', () => {
  const urls = ['https://user:secret@charts.example.com', 'https://token@charts.example.com/x', 'oci://robot:pw@registry.example.com/charts', 'http://a:b@127.0.0.1:8080'];

  test.each(urls)('%s is refused by validate and render, naming the path', (url) => {
    const type = url.startsWith('oci://') ? 'oci' : 'default';
    const values = withBase({ addons: { repositories: { metricsServer: { type, url } } } });
    expect(validateValues('tenant-cluster', values).join('\n')).toContain('addons.repositories.metricsServer.url');
    expect(() => renderChart('tenant-cluster', values, RELEASE)).toThrow('addons.repositories.metricsServer.url');
  });

  describe.each(helmBinaries().map((h) => [h.name, h] as const))('%s', (_name, helm) => {
    test.each(urls)('%s is refused, naming the path', (url) => {
      const type = url.startsWith('oci://') ? 'oci' : 'default';
      const r = helmTemplate(helm, CHART, { ...RELEASE, values: withBase({ addons: { repositories: { metricsServer: { type, url } } } }) });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/addons[./]repositories[./]metricsServer[./]url/);
    });
  });

  test('an @ after the host (a path or digest) is not a credential', () => {
    expect(validateValues('tenant-cluster', withBase({ addons: { repositories: { metricsServer: { url: 'https://charts.example.com/a@b' } } } }))).toEqual([]);
  });
});

describe('the CSI node chart source', () => {
  test('without a URL the message says what the chart is, where to serve it and how to do without', () => {
    expect(() => renderChart('tenant-cluster', {}, RELEASE)).toThrow(/addons\.repositories\.tenantCluster\.url: required while addons\.csi\.enabled is true: .*kubevirt-csi-node chart.*dist\/.*oci:\/\/.*addons\.csi\.enabled to false/);
  });
});
