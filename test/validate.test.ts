import { checkRule, isKubernetesCIDR, isKubernetesIP } from './harness/cel';
import {
  celRuleInventory,
  formatErrors,
  parseManifests,
  UNSUPPORTED_CEL_RULES,
  validateObjects,
  validateObjectsReport,
  type ValidationError,
} from './harness/validate';
import { compiledValidator, ignoredFormats, targetSchemas } from './harness/validate-schemas';
import { refResolver, walkSchema } from './harness/validate-walk';

type Obj = Record<string, any>;

const NS = 'tenant-root';
const CLUSTER = 'tenant-demo';
const clusterLabel = () => ({ 'cluster.x-k8s.io/cluster-name': CLUSTER });
const meta = (name: string, namespace: string | undefined = NS) => ({ name, ...(namespace ? { namespace } : {}), labels: { 'app.kubernetes.io/part-of': CLUSTER } });

/** Hand-written valid objects of every kind we render in target v1beta1. */
const VALID: Record<string, () => Obj> = {
  Cluster: () => ({
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'Cluster',
    metadata: { ...meta(CLUSTER), labels: clusterLabel() },
    spec: {
      clusterNetwork: { pods: { cidrBlocks: ['10.243.0.0/16'] }, services: { cidrBlocks: ['10.95.0.0/16'] }, serviceDomain: 'cluster.local' },
      controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1alpha1', kind: 'KamajiControlPlane', name: CLUSTER, namespace: NS },
      infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha1', kind: 'KubevirtCluster', name: CLUSTER, namespace: NS },
      availabilityGates: [{ conditionType: 'ControlPlaneReady' }],
    },
  }),
  KamajiControlPlane: () => ({
    apiVersion: 'controlplane.cluster.x-k8s.io/v1alpha1',
    kind: 'KamajiControlPlane',
    metadata: meta(CLUSTER),
    spec: {
      dataStoreName: 'default',
      version: 'v1.32.4',
      replicas: 2,
      addons: { coreDNS: {}, konnectivity: { server: { port: 8132 }, agent: { mode: 'Deployment', replicas: 2 } }, kubeProxy: {} },
      apiServer: { extraArgs: ['--audit-log-maxage=7'], resources: { requests: { cpu: '250m', memory: 512 } } },
      kubelet: { cgroupfs: 'systemd', preferredAddressTypes: ['InternalIP', 'ExternalIP'] },
      network: { serviceType: 'ClusterIP', certSANs: [`${CLUSTER}.example.org`] },
    },
  }),
  KubevirtCluster: () => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha1',
    kind: 'KubevirtCluster',
    metadata: { ...meta(CLUSTER), annotations: { 'cluster.x-k8s.io/managed-by': 'kamaji' } },
    spec: { controlPlaneServiceTemplate: { metadata: null, spec: { type: 'ClusterIP' } } },
  }),
  KubevirtMachineTemplate: () => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha1',
    kind: 'KubevirtMachineTemplate',
    metadata: meta(`${CLUSTER}-md0`),
    spec: {
      template: {
        spec: {
          virtualMachineBootstrapCheck: { checkStrategy: 'ssh' },
          virtualMachineTemplate: {
            metadata: { namespace: NS, labels: { 'kubevirt.io/vm': 'worker' } },
            spec: {
              runStrategy: 'Always',
              dataVolumeTemplates: [
                {
                  metadata: { name: `${CLUSTER}-md0-system` },
                  spec: { source: { http: { url: 'https://images.example.org/ubuntu.qcow2' } }, storage: { resources: { requests: { storage: '20Gi' } } } },
                },
              ],
              template: {
                metadata: { labels: { 'kubevirt.io/domain': 'worker' } },
                spec: {
                  domain: {
                    cpu: { cores: 2, sockets: 1, threads: 1 },
                    memory: { guest: '4Gi' },
                    devices: { disks: [{ name: 'system', disk: { bus: 'virtio' } }], interfaces: [{ name: 'default', bridge: {} }] },
                  },
                  evictionStrategy: 'External',
                  networks: [{ name: 'default', pod: {} }],
                  volumes: [{ name: 'system', dataVolume: { name: `${CLUSTER}-md0-system` } }],
                },
              },
            },
          },
        },
      },
    },
  }),
  KubeadmConfigTemplate: () => ({
    apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1',
    kind: 'KubeadmConfigTemplate',
    metadata: meta(`${CLUSTER}-md0`),
    spec: {
      template: {
        spec: {
          joinConfiguration: { nodeRegistration: { kubeletExtraArgs: { 'provider-id': 'kubevirt://{{ ds.meta_data.local_hostname }}' } } },
          files: [{ path: '/etc/sysctl.d/99-tenant.conf', content: 'fs.inotify.max_user_watches = 524288', owner: 'root:root', permissions: '0644' }],
          preKubeadmCommands: ['sysctl --system'],
          users: [{ name: 'admin', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza admin@example.org'] }],
        },
      },
    },
  }),
  MachineDeployment: () => ({
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'MachineDeployment',
    metadata: meta(`${CLUSTER}-md0`),
    spec: {
      clusterName: CLUSTER,
      replicas: 2,
      selector: { matchLabels: clusterLabel() },
      template: {
        metadata: { labels: clusterLabel() },
        spec: {
          clusterName: CLUSTER,
          version: 'v1.32.4',
          bootstrap: { configRef: { apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta1', kind: 'KubeadmConfigTemplate', name: `${CLUSTER}-md0` } },
          infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1alpha1', kind: 'KubevirtMachineTemplate', name: `${CLUSTER}-md0` },
        },
      },
    },
  }),
  MachineHealthCheck: () => ({
    apiVersion: 'cluster.x-k8s.io/v1beta1',
    kind: 'MachineHealthCheck',
    metadata: meta(`${CLUSTER}-md0`),
    spec: {
      clusterName: CLUSTER,
      maxUnhealthy: '100%',
      nodeStartupTimeout: '10m',
      selector: { matchLabels: clusterLabel() },
      unhealthyConditions: [{ type: 'Ready', status: 'Unknown', timeout: '300s' }],
    },
  }),
  HelmRelease: () => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: meta(`${CLUSTER}-cilium`),
    spec: {
      interval: '5m',
      releaseName: 'cilium',
      targetNamespace: 'kube-system',
      chart: { spec: { chart: 'cilium', version: '1.17.x', sourceRef: { kind: 'HelmRepository', name: 'cilium' } } },
      kubeConfig: { secretRef: { name: `${CLUSTER}-admin-kubeconfig`, key: 'value' } },
      install: { remediation: { retries: -1 } },
      upgrade: { strategy: { name: 'RetryOnFailure', retryInterval: '1m' } },
      values: { anything: { goes: [1, true, null, 'here'] } },
    },
  }),
  HelmRepository: () => ({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmRepository',
    metadata: meta('cilium'),
    spec: { url: 'https://helm.cilium.io', interval: '1h' },
  }),
  Deployment: () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('csi-controller'),
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'csi-controller' } },
      template: {
        metadata: { labels: { app: 'csi-controller' }, annotations: { 'kubectl.kubernetes.io/default-container': 'csi' } },
        spec: {
          serviceAccountName: 'csi-controller',
          containers: [
            {
              name: 'csi',
              image: 'quay.io/kubevirt/csi-driver:v0.4.0',
              args: ['--endpoint=unix:/csi/csi.sock'],
              ports: [{ name: 'healthz', containerPort: 9808, protocol: 'TCP' }],
              livenessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, periodSeconds: 10 },
              resources: { requests: { cpu: '10m', memory: '50Mi' } },
              volumeMounts: [{ name: 'socket-dir', mountPath: '/csi' }],
            },
          ],
          volumes: [{ name: 'socket-dir', emptyDir: {} }],
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
        },
      },
    },
  }),
  Role: () => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: meta('csi-controller'),
    rules: [{ apiGroups: ['kubevirt.io'], resources: ['virtualmachineinstances'], verbs: ['get', 'list', 'watch'] }],
  }),
};

/**
 * Per kind: where to put an unknown field, a wrongly typed value, a null; which required field
 * to drop (optionally after setting its parent).
 */
const VARIANTS: Record<string, { unknown: string; wrongType: [string, unknown]; nullAt: string; required: string | { set: [string, unknown]; missing: string } }> = {
  Cluster: { unknown: 'spec.clusterNetwork.bogus', wrongType: ['spec.paused', 'true'], nullAt: 'spec.controlPlaneRef', required: 'spec.clusterNetwork.pods.cidrBlocks' },
  KamajiControlPlane: { unknown: 'spec.network.bogus', wrongType: ['spec.replicas', '2'], nullAt: 'spec.addons', required: 'spec.version' },
  // The v0.11 KubevirtCluster only knows `type` in the service template spec (no ports, no loadBalancerClass).
  KubevirtCluster: { unknown: 'spec.controlPlaneServiceTemplate.spec.loadBalancerClass', wrongType: ['spec.controlPlaneServiceTemplate.spec.type', 1], nullAt: 'spec.controlPlaneServiceTemplate.spec', required: { set: ['spec.controlPlaneEndpoint', { port: 6443 }], missing: 'spec.controlPlaneEndpoint.host' } },
  KubevirtMachineTemplate: {
    unknown: 'spec.template.spec.virtualMachineTemplate.spec.template.spec.domain.cpu.bogus',
    wrongType: ['spec.template.spec.virtualMachineTemplate.spec.template.spec.domain.cpu.cores', '2'],
    nullAt: 'spec.template.spec.virtualMachineTemplate.spec.template.spec.domain.cpu',
    required: 'spec.template.spec.virtualMachineTemplate.spec.template.spec.domain.devices.disks[0].name',
  },
  KubeadmConfigTemplate: { unknown: 'spec.template.spec.joinConfiguration.bogus', wrongType: ['spec.template.spec.preKubeadmCommands', 'sysctl --system'], nullAt: 'spec.template.spec.files[0].content', required: 'spec.template.spec.files[0].path' },
  MachineDeployment: { unknown: 'spec.template.spec.bogus', wrongType: ['spec.replicas', 2.5], nullAt: 'spec.template.spec.version', required: 'spec.template.spec.bootstrap' },
  MachineHealthCheck: { unknown: 'spec.unhealthyConditions[0].bogus', wrongType: ['spec.maxUnhealthy', true], nullAt: 'spec.nodeStartupTimeout', required: 'spec.unhealthyConditions[0].timeout' },
  HelmRelease: { unknown: 'spec.chart.spec.bogus', wrongType: ['spec.install.remediation.retries', '3'], nullAt: 'spec.releaseName', required: 'spec.interval' },
  HelmRepository: { unknown: 'spec.bogus', wrongType: ['spec.insecure', 'yes'], nullAt: 'spec.interval', required: 'spec.url' },
  Deployment: { unknown: 'spec.template.spec.containers[0].bogus', wrongType: ['spec.template.spec.containers[0].ports[0].containerPort', '9808'], nullAt: 'spec.replicas', required: 'spec.template.spec.containers[0].name' },
  Role: { unknown: 'rules[0].bogus', wrongType: ['rules[0].verbs', 'get'], nullAt: 'rules[0].apiGroups', required: 'rules[0].verbs' },
};

/** Splits `a.b[0].c` into ['a', 'b', 0, 'c']. */
function segments(path: string): Array<string | number> {
  return path.split(/\.|(?=\[)/).map((s) => (s.startsWith('[') ? Number(s.slice(1, -1)) : s));
}
function setPath(obj: Obj, path: string, value: unknown): Obj {
  const segs = segments(path);
  let o: any = obj;
  for (const s of segs.slice(0, -1)) o = o[s] ??= {};
  o[segs[segs.length - 1]] = value;
  return obj;
}
function deletePath(obj: Obj, path: string): Obj {
  const segs = segments(path);
  let o: any = obj;
  for (const s of segs.slice(0, -1)) o = o[s];
  delete o[segs[segs.length - 1]];
  return obj;
}
const errorsOf = (obj: Obj, target: 'v1beta1' | 'v1beta2' = 'v1beta1'): ValidationError[] => validateObjects([obj], target);
const pathsOf = (obj: Obj) => errorsOf(obj).map((e) => e.path);

describe.each(Object.keys(VALID))('%s (target v1beta1)', (kind) => {
  const v = VARIANTS[kind];
  const valid = VALID[kind];

  test('a hand-written valid object passes', () => {
    expect(formatErrors(errorsOf(valid()))).toBe('');
  });

  test('unknown field', () => {
    const errors = errorsOf(setPath(valid(), v.unknown, 'x'));
    expect(errors).toContainEqual(expect.objectContaining({ path: v.unknown, message: expect.stringContaining('unknown field') }));
  });

  test('wrong type', () => {
    const errors = errorsOf(setPath(valid(), v.wrongType[0], v.wrongType[1]));
    expect(errors).toContainEqual(expect.objectContaining({ path: v.wrongType[0], message: expect.stringMatching(/^must be /) }));
  });

  test('null where not nullable', () => {
    expect(errorsOf(setPath(valid(), v.nullAt, null))).toContainEqual(expect.objectContaining({ path: v.nullAt, message: expect.stringContaining('got null') }));
  });

  test('missing required field', () => {
    const [obj, missing] = typeof v.required === 'string' ? [deletePath(valid(), v.required), v.required] : [setPath(valid(), ...v.required.set), v.required.missing];
    expect(errorsOf(obj)).toContainEqual({ object: expect.any(String), path: missing, message: 'required field missing' });
  });

  test('label value of 65 characters', () => {
    const errors = errorsOf(setPath(valid(), 'metadata.labels.tier', 'a'.repeat(65)));
    expect(errors).toEqual([expect.objectContaining({ path: 'metadata.labels.tier', message: 'label value must be at most 63 characters (has 65)' })]);
  });

  test('boolean label value', () => {
    const errors = errorsOf(setPath(valid(), 'metadata.labels.enabled', true));
    expect(errors).toEqual([expect.objectContaining({ path: 'metadata.labels.enabled', message: 'label value must be a string, got boolean true' })]);
  });
});

describe('CEL rules', () => {
  test('KamajiControlPlane: loadBalancerClass needs serviceType LoadBalancer', () => {
    const kcp = setPath(VALID.KamajiControlPlane(), 'spec.network.loadBalancerConfig', { loadBalancerClass: 'metallb' });
    expect(errorsOf(kcp)).toEqual([
      { object: `KamajiControlPlane/${NS}/${CLUSTER}`, path: 'spec.network', message: 'LoadBalancerClass is supported only with LoadBalancer service type' },
    ]);
    expect(errorsOf(setPath(kcp, 'spec.network.serviceType', 'LoadBalancer'))).toEqual([]);
  });

  test('KamajiControlPlane: rules see defaulted values (konnectivity agent mode defaults to DaemonSet)', () => {
    const kcp = setPath(VALID.KamajiControlPlane(), 'spec.addons.konnectivity.agent', { replicas: 2 });
    expect(errorsOf(kcp)).toEqual([expect.objectContaining({ path: 'spec.addons.konnectivity.agent', message: expect.stringContaining('replicas must be 0 (or unset) when mode is DaemonSet') })]);
  });

  test('HelmRelease: exactly one of chart and chartRef', () => {
    const both = setPath(VALID.HelmRelease(), 'spec.chartRef', { kind: 'OCIRepository', name: 'cilium' });
    expect(errorsOf(both)).toEqual([expect.objectContaining({ path: 'spec', message: 'either chart or chartRef must be set' })]);
    expect(errorsOf(deletePath(VALID.HelmRelease(), 'spec.chart'))).toEqual([expect.objectContaining({ path: 'spec', message: 'either chart or chartRef must be set' })]);
  });

  test('HelmRelease: upgrade retryInterval only with RetryOnFailure', () => {
    const hr = setPath(VALID.HelmRelease(), 'spec.upgrade.strategy.name', 'RemediateOnFailure');
    expect(errorsOf(hr)).toEqual([expect.objectContaining({ path: 'spec.upgrade.strategy', message: ".retryInterval can only be set when .name is 'RetryOnFailure'" })]);
  });

  test('an evaluation error (missing field) fails the rule, as in the API server', () => {
    const ds = {
      apiVersion: 'kamaji.clastix.io/v1alpha1',
      kind: 'DataStore',
      metadata: { name: 'default' },
      spec: { driver: 'etcd', endpoints: ['etcd-0:2379'], tlsConfig: { certificateAuthority: { certificate: { content: 'Y2E=' } } } },
    };
    const messages = errorsOf(ds).map((e) => e.message);
    expect(messages).toContainEqual(expect.stringMatching(/^clientCertificate must have secretReference or content when driver is etcd \(evaluation error: .*clientCertificate/));
  });

  test('Kubernetes isIP/isCIDR semantics', () => {
    expect(['10.0.0.1', '::1', '2001:db8::1'].map(isKubernetesIP)).toEqual([true, true, true]);
    expect(['010.0.0.1', '::ffff:10.0.0.1', 'fe80::1%eth0', '10.0.0', 'host'].map(isKubernetesIP)).toEqual([false, false, false, false, false]);
    expect(['10.0.0.0/8', '10.0.0.1/24', '2001:db8::/32'].map(isKubernetesCIDR)).toEqual([true, true, true]);
    expect(['10.0.0.0/33', '10.0.0.0/08', '10.0.0.0', '::/129'].map(isKubernetesCIDR)).toEqual([false, false, false, false]);
  });

  test('rule classification, unlisted unsupported rules, messageExpression, fieldPath, escaping', () => {
    expect(checkRule('self == oldSelf')).toEqual({ kind: 'transition' });
    expect(checkRule('self.isSorted()')).toEqual({ kind: 'unsupported', reason: 'unsupported function(s): isSorted', listed: false });
    const schema = {
      type: 'object',
      properties: {
        'max-size': { type: 'integer' },
        items: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-validations': [{ rule: 'self.isSorted()' }] },
      },
      'x-kubernetes-validations': [
        { rule: 'size(self.items) <= self.max__dash__size', messageExpression: "'at most ' + string(self.max__dash__size) + ' items'", fieldPath: '.items' },
      ],
    };
    expect(walkSchema({ 'max-size': 1, 'items': [2, 1] }, schema, 'spec', refResolver(schema))).toEqual([
      { path: 'spec.items', message: 'at most 1 items' },
      { path: 'spec.items', message: 'CEL rule cannot be evaluated (unsupported function(s): isSorted) and is not listed in UNSUPPORTED_CEL_RULES: self.isSorted()' },
    ]);
  });

  test.each(['v1beta1', 'v1beta2'] as const)('every non-transition rule of target %s is evaluated; the unsupported list is exact', (target) => {
    expect([...UNSUPPORTED_CEL_RULES.entries()]).toEqual([]);
    const inventory = celRuleInventory(target);
    const unsupported = inventory.filter((r) => r.check.kind === 'unsupported');
    expect(unsupported.map((r) => `${r.kind} ${r.path}: ${r.rule}`)).toEqual([]);
    expect(inventory.filter((r) => r.check.kind === 'evaluate').length).toBeGreaterThan(40);
    expect(inventory.filter((r) => r.check.kind === 'transition').every((r) => r.rule.includes('oldSelf'))).toBe(true);
  });
});

describe('other checks', () => {
  test('every schema of both targets compiles, with only known formats', () => {
    // 3 core kinds more since the uninstall hook and the admission policy: batch/v1 Job, ValidatingAdmissionPolicy(+Binding).
    const kinds = (['v1beta1', 'v1beta2'] as const).map((t) => [...targetSchemas(t).values()]);
    for (const ks of kinds.flat()) expect(typeof compiledValidator(ks)).toBe('function');
    expect(kinds.map((k) => k.length)).toEqual([39, 44]);
    expect([...ignoredFormats]).toEqual([]);
  });

  test('kinds outside the target are errors', () => {
    expect(errorsOf(VALID.KamajiControlPlane(), 'v1beta2')).toEqual([
      { object: `KamajiControlPlane/${NS}/${CLUSTER}`, path: '', message: 'no schema for controlplane.cluster.x-k8s.io/v1alpha1 KamajiControlPlane in target v1beta2' },
    ]);
    const v1alpha4 = { ...VALID.Cluster(), apiVersion: 'cluster.x-k8s.io/v1alpha4' };
    expect(errorsOf(v1alpha4)[0].message).toBe('no schema for cluster.x-k8s.io/v1alpha4 Cluster in target v1beta1');
  });

  test('v1beta2 target: CAPI 1.13 serves both Cluster versions', () => {
    expect(errorsOf(VALID.Cluster(), 'v1beta2')).toEqual([]);
    const v1beta2 = {
      apiVersion: 'cluster.x-k8s.io/v1beta2',
      kind: 'Cluster',
      metadata: meta(CLUSTER),
      spec: { controlPlaneRef: { apiGroup: 'controlplane.cluster.x-k8s.io', kind: 'KamajiControlPlane', name: CLUSTER } },
    };
    expect(formatErrors(errorsOf(v1beta2, 'v1beta2'))).toBe('');
    expect(errorsOf(v1beta2, 'v1beta1')[0].message).toBe('no schema for cluster.x-k8s.io/v1beta2 Cluster in target v1beta1');
  });

  test('int-or-string, nullable and free-form (preserve-unknown-fields) values', () => {
    expect(errorsOf(setPath(VALID.MachineHealthCheck(), 'spec.maxUnhealthy', 2))).toEqual([]);
    expect(errorsOf(setPath(VALID.KubevirtCluster(), 'spec.controlPlaneServiceTemplate.metadata', { labels: { a: 'b' } }))).toEqual([]);
    expect(errorsOf(setPath(VALID.HelmRelease(), 'spec.values.deep', { x: { y: [null, 1.5, { z: false }] } }))).toEqual([]);
  });

  test('duplicate keys of x-kubernetes-list-type map lists', () => {
    const cluster = setPath(VALID.Cluster(), 'spec.availabilityGates[1]', { conditionType: 'ControlPlaneReady' });
    expect(errorsOf(cluster)).toEqual([expect.objectContaining({ path: 'spec.availabilityGates[1]', message: 'duplicate entry for key(s) conditionType (same as [0])' })]);
  });

  test('labels of nested metadata (templates) are checked too', () => {
    const md = setPath(VALID.MachineDeployment(), 'spec.template.metadata.labels.tier', 'x'.repeat(64));
    expect(pathsOf(md)).toEqual(['spec.template.metadata.labels.tier']);
    const vm = setPath(VALID.KubevirtMachineTemplate(), 'spec.template.spec.virtualMachineTemplate.metadata.labels.on', true);
    expect(pathsOf(vm)).toEqual(['spec.template.spec.virtualMachineTemplate.metadata.labels.on']);
    const dep = VALID.Deployment();
    dep.spec.template.metadata.labels['bad key'] = 'x';
    expect(errorsOf(dep)).toEqual([expect.objectContaining({ path: 'spec.template.metadata.labels["bad key"]', message: expect.stringContaining('invalid label key') })]);
  });

  test('ObjectMeta: names, namespaces, label keys, annotation values, unknown fields', () => {
    const o = VALID.HelmRepository();
    o.metadata = { name: 'Cilium_Repo', namespace: 'a.b', uid: 'x', labels: { 'example.org/a/b': 'x' }, annotations: { note: 3 } };
    expect(errorsOf(o).map((e) => e.path)).toEqual(['metadata.uid', 'metadata.name', 'metadata.namespace', 'metadata.labels["example.org/a/b"]', 'metadata.annotations.note']);
    expect(errorsOf(deletePath(VALID.Role(), 'metadata.name'))).toEqual([expect.objectContaining({ path: 'metadata.name', message: 'name or generateName is required' })]);
    const owned = VALID.Role();
    owned.metadata.finalizers = ['example.org/cleanup', 'bad/finalizer/name'];
    owned.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', controller: 'true', extra: 1 }];
    expect(pathsOf(owned)).toEqual(['metadata.finalizers[1]', 'metadata.ownerReferences[0].controller', 'metadata.ownerReferences[0].extra', 'metadata.ownerReferences[0].uid']);
    expect(pathsOf({ ...VALID.Role(), metadata: undefined })).toEqual(['metadata']);
  });

  test('an object schema without properties accepts no fields (the API server prunes them)', () => {
    const interfaces = 'spec.template.spec.virtualMachineTemplate.spec.template.spec.domain.devices.interfaces[0]';
    const vm = setPath(VALID.KubevirtMachineTemplate(), `${interfaces}.bridge.mtu`, 1400);
    expect(errorsOf(vm)).toEqual([expect.objectContaining({ path: `${interfaces}.bridge.mtu`, message: 'unknown field "mtu"' })]);
  });

  test('core kinds: integer formats, quantities, base64 data, int-or-string ports', () => {
    expect(pathsOf(setPath(VALID.Deployment(), 'spec.replicas', 2 ** 31))).toEqual(['spec.replicas']);
    const limits = 'spec.template.spec.containers[0].resources.limits';
    expect(errorsOf(setPath(VALID.Deployment(), limits, { 'cpu': 1, 'memory': '128Mi', 'ephemeral-storage': 1.5e9 }))).toEqual([]);
    expect(pathsOf(setPath(VALID.Deployment(), limits, { memory: '1 GB' }))).toEqual([`${limits}.memory`]);
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), type: 'Opaque', data: { ok: 'aGk=', bad: 'not base64!' }, stringData: { x: 'y' } };
    expect(pathsOf(secret)).toEqual(['data.bad']);
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: meta('api'), spec: { ports: [{ port: 6443, targetPort: 'https' }, { port: 80, targetPort: 8080 }] } };
    expect(errorsOf(svc)).toEqual([]);
    expect(pathsOf(setPath(svc, 'spec.ports[1].port', '80'))).toEqual(['spec.ports[1].port']);
  });

  test('VolumeSnapshotClass is validated against the external-snapshotter CRD', () => {
    const vsc = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'kubevirt' }, driver: 'csi.kubevirt.io', deletionPolicy: 'Delete' };
    expect(validateObjectsReport([vsc], 'v1beta1')).toEqual({ errors: [], skipped: [] });
    expect(pathsOf({ ...vsc, deletionPolicy: 'Keep' })).toEqual(['deletionPolicy']);
  });

  test('formatErrors', () => {
    expect(formatErrors([])).toBe('');
    expect(formatErrors([{ object: 'Role/ns/r', path: 'rules[0].bogus', message: 'unknown field "bogus"' }, { object: 'Role/ns/r', path: '', message: 'x' }])).toBe('Role/ns/r: rules[0].bogus: unknown field "bogus"\nRole/ns/r: x');
  });
});

describe('parseManifests', () => {
  test('YAML 1.1 scalars like Kubernetes', () => {
    const [doc] = parseManifests('a: yes\nb: on\nc: y\nd: off\ne: NO\nf: 012\ng: 0x1F\nh: "yes"\ni: 2001-12-14\nj: 1:20\n');
    expect(doc).toEqual({ a: true, b: true, c: true, d: false, e: false, f: 10, g: 31, h: 'yes', i: '2001-12-14', j: '1:20' });
  });

  test('multi-document streams skip empty documents', () => {
    expect(parseManifests('---\n# only a comment\n---\na: 1\n---\n---\nb: 2\n...\n')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parseManifests('')).toEqual([]);
  });

  test('a parse error names the document index', () => {
    expect(() => parseManifests('a: 1\n---\nb: [1\n')).toThrow(/^YAML document 1: /);
    expect(() => parseManifests('a: 1\na: 2\n')).toThrow(/^YAML document 0: /);
  });

  test('the YAML 1.1 label trap: an unquoted yes becomes a boolean and fails validation', () => {
    const [role] = parseManifests(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: r
  namespace: ${NS}
  labels:
    managed: yes
rules: []
`);
    expect(formatErrors(validateObjects([role], 'v1beta1'))).toBe(`Role/${NS}/r: metadata.labels.managed: label value must be a string, got boolean true`);
  });
});
