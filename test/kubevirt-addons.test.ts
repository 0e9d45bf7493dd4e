/**
 * The KubeVirt addons by upstream's own code (issue 7): the CSI controller and the cloud-controller-manager in
 * the management cluster, their cluster-scoped objects and names, the snapshot sidecar, infra StorageClass
 * enforcement, the uninstall cleanup hook and the admission policy. Each test names the upstream source its
 * expectation comes from; the fix for each lives in the construct that owns it.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { CLUSTER_SCOPED_RBAC } from '../src/constructs/management/cluster-scoped';
import { renderChart } from '../src/render';
import { evaluateAdmissionExpression } from './harness/cel';
import { jobScript, runWithFakeKubectl } from './harness/fake-kubectl';
import { helmBinaries, helmTemplate } from './harness/helm';
import { K8sObject } from './harness/objects';
import { parseManifests } from './harness/validate';
import { CHART_DIR } from './harness/properties';
import { deepMerge } from './harness/values-arbitrary';
import { CSI_SNAPSHOTTER_V8_6_0, flagNames, keyPaths, KUBEVIRT_CCM_V0_6_0, KUBEVIRT_CSI_DRIVER } from './upstream/kubevirt-addons';

const ROOT = path.resolve(__dirname, '..');
const RELEASE = { release: 'acme', namespace: 'tenant-acme' };
const SOURCE = { addons: { repositories: { tenantCluster: { url: 'https://charts.example.com/tc' } } } };
const GROUP = { nodeGroups: { workers: { replicas: 2 } } };

function render(values: object = {}, release = RELEASE): K8sObject[] {
  return renderChart('tenant-cluster', deepMerge(deepMerge(SOURCE, GROUP), values as Record<string, unknown>), release) as K8sObject[];
}
const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const container = (objects: K8sObject[], deployment: string, name: string) =>
  find(objects, 'Deployment', deployment)!.spec.template.spec.containers.find((c: K8sObject) => c.name === name);
const CLUSTER_SCOPED_KINDS = new Set(['ClusterRole', 'ClusterRoleBinding', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
const clusterScoped = (objects: K8sObject[]) => objects.filter((o) => CLUSTER_SCOPED_KINDS.has(o.kind));

/** Values that switch on every optional cluster-scoped object. */
const ALL_CLUSTER_SCOPED = { addons: { cloudControllerManager: { zoneAndRegion: true } } };

describe('cluster-scoped objects (B1, issue 7 #5)', () => {
  test('the CSI controller may read PersistentVolumes cluster-wide (volume expansion), bound to its own ServiceAccount', () => {
    // kubevirt/csi-driver 27b52aa2 pkg/kubevirt/client.go EnsureControllerResize: PersistentVolumes().Get on the infra client.
    const objects = render();
    const role = find(objects, 'ClusterRole', 'tenant-acme.acme.csi-controller');
    expect(role?.rules).toEqual([{ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get'] }]);
    expect(find(objects, 'ClusterRoleBinding', 'tenant-acme.acme.csi-controller')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'tenant-acme.acme.csi-controller' },
      subjects: [{ kind: 'ServiceAccount', name: 'acme-csi-controller', namespace: 'tenant-acme' }],
    });
    expect(find(render({ addons: { csi: { enabled: false } } }), 'ClusterRole', 'tenant-acme.acme.csi-controller')).toBeUndefined();
  });

  test('release b-c in namespace a and release c in namespace a-b never share a cluster-scoped name', () => {
    const first = clusterScoped(render(ALL_CLUSTER_SCOPED, { release: 'b-c', namespace: 'a' }));
    const second = clusterScoped(render(ALL_CLUSTER_SCOPED, { release: 'c', namespace: 'a-b' }));
    expect(first.length).toBeGreaterThanOrEqual(4);
    expect(second.length).toBe(first.length);
    const ids = (objects: K8sObject[]) => new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
    const shared = [...ids(first)].filter((id) => ids(second).has(id));
    expect(shared).toEqual([]);
    for (const o of first) expect(o.metadata.name).toMatch(/^a\.b-c\.[a-z-]+$/);
    for (const o of second) expect(o.metadata.name).toMatch(/^a-b\.c\.[a-z-]+$/);
  });

  test('the longest namespace and a long cluster name still give a valid DNS subdomain', () => {
    // Namespaces are DNS labels (63); HelmRelease names `<cluster>-kubelet-csr-approver` limit the cluster name to 42 here.
    const namespace = `n${'s'.repeat(61)}9`;
    const release = `c${'l'.repeat(40)}9`;
    const objects = renderChart('tenant-cluster', deepMerge(SOURCE, ALL_CLUSTER_SCOPED), { release, namespace }) as K8sObject[];
    expect(clusterScoped(objects).length).toBeGreaterThanOrEqual(4);
    for (const o of clusterScoped(objects)) {
      expect(o.metadata.name.length).toBeLessThanOrEqual(253);
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);
      expect(o.metadata.name.startsWith(`${namespace}.${release}.`)).toBe(true);
    }
  });

  test('CLUSTER_SCOPED_RBAC lists exactly the cluster-scoped objects the chart renders, and the README prints it', () => {
    const rendered = clusterScoped(render(ALL_CLUSTER_SCOPED)).map((o) => `${o.kind}/${o.metadata.labels['app.kubernetes.io/component']}`).sort();
    expect(rendered).toEqual(CLUSTER_SCOPED_RBAC.map((e) => `${e.kind}/${e.component}`).sort());
    const readme = fs.readFileSync(path.join(ROOT, 'charts', 'tenant-cluster', 'README.md'), 'utf8');
    for (const e of CLUSTER_SCOPED_RBAC) expect(readme).toContain(`| ${e.kind} | ${e.component} | ${e.when} | ${e.reason} |`);
  });
});

describe('cloud-controller-manager v0.6.0 (C1, issue 7 #8)', () => {
  const objects = render();
  const ccm = () => container(objects, 'acme-cloud-controller-manager', 'cloud-controller-manager');
  const cloudConfig = (objs: K8sObject[]) => YAML.parse(find(objs, 'ConfigMap', 'acme-cloud-config')!.data['cloud-config']);

  test('runs v0.6.0 with its EndpointSlice controller on (ETP Local services reach only VMs with an endpoint)', () => {
    expect(ccm().image).toBe('quay.io/kubevirt/kubevirt-cloud-controller-manager:v0.6.0');
    expect(cloudConfig(objects).loadBalancer).toEqual({ enabled: true, creationPollInterval: 5, creationPollTimeout: 60, enableEPSController: true });
    expect(cloudConfig(render({ addons: { cloudControllerManager: { loadBalancer: { enableEPSController: false } } } })).loadBalancer.enableEPSController).toBe(false);
  });

  test('every cloud-config key is one the v0.6.0 CloudConfig struct decodes, with its type', () => {
    for (const values of [{}, ALL_CLUSTER_SCOPED, { addons: { cloudControllerManager: { loadBalancer: { enabled: false, enableEPSController: false } } } }]) {
      const keys = keyPaths(cloudConfig(render(values)), new Set(['infraLabels']));
      for (const [key, type] of Object.entries(keys)) expect({ key, type }).toEqual({ key, type: KUBEVIRT_CCM_V0_6_0.cloudConfigKeys[key] });
    }
  });

  test('every flag exists at v0.6.0', () => {
    expect(flagNames(ccm().args).filter((f) => !KUBEVIRT_CCM_V0_6_0.flags.includes(f))).toEqual([]);
  });

  test('the Role covers what the EndpointSlice controller calls, only while it runs', () => {
    const rule = { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'] };
    expect(find(objects, 'Role', 'acme-cloud-controller-manager')!.rules).toContainEqual(rule);
    expect(find(objects, 'Role', 'acme-cloud-controller-manager')!.rules).toContainEqual(
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] });
    const off = render({ addons: { cloudControllerManager: { loadBalancer: { enableEPSController: false } } } });
    expect(find(off, 'Role', 'acme-cloud-controller-manager')!.rules).not.toContainEqual(rule);
  });
});

describe('infra StorageClass enforcement (C3, issue 7 #10)', () => {
  const enforcement = (objects: K8sObject[]) => {
    const env = container(objects, 'acme-csi-controller', 'csi-driver').env ?? [];
    const value = env.find((e: K8sObject) => e.name === 'INFRA_STORAGE_CLASS_ENFORCEMENT')?.value;
    return value === undefined ? undefined : YAML.parse(value);
  };
  /**
   * Whether the driver accepts a CreateVolume for a tenant StorageClass with this `infraStorageClassName` parameter
   * ('' = none): kubevirt/csi-driver pkg/service/controller.go validateCreateVolumeRequest, restated.
   */
  const accepts = (e: { allowAll?: boolean; allowDefault?: boolean; allowList?: string[] }, infraClass: string) =>
    e.allowAll === true || (infraClass === '' ? e.allowDefault === true : (e.allowList ?? []).includes(infraClass));

  test('by default only the management default class (what the tenant StorageClass uses), never any other', () => {
    const e = enforcement(render());
    expect(e).toEqual({ allowAll: false, allowDefault: true, allowList: [] });
    expect(accepts(e, '')).toBe(true);
    expect(accepts(e, 'premium-ssd')).toBe(false);
  });

  test('with infraStorageClassName: that class and allowedInfraStorageClasses, not the default class', () => {
    const e = enforcement(render({ addons: { csi: { infraStorageClassName: 'replicated', allowedInfraStorageClasses: ['fast', 'replicated'] } } }));
    expect(e).toEqual({ allowAll: false, allowDefault: false, allowList: ['replicated', 'fast'] });
    expect(['replicated', 'fast', '', 'other'].map((c) => accepts(e, c))).toEqual([true, true, false, false]);
  });

  test('every key is one the driver decodes, with its type', () => {
    const e = enforcement(render({ addons: { csi: { infraStorageClassName: 'replicated', volumeSnapshotClass: true, infraVolumeSnapshotClassName: 'snap' } } }));
    for (const [key, type] of Object.entries(keyPaths(e))) expect({ key, type }).toEqual({ key, type: KUBEVIRT_CSI_DRIVER.storageClassEnforcementKeys[key] });
    for (const mapping of e.storageSnapshotMapping) {
      for (const [key, type] of Object.entries(keyPaths(mapping))) expect({ key, type }).toEqual({ key, type: KUBEVIRT_CSI_DRIVER.storageSnapshotMappingKeys[key] });
    }
  });

  test('snapshots through an infra class map it to infraVolumeSnapshotClassName, in the controller and the tenant VolumeSnapshotClass', () => {
    const objects = render({ addons: { csi: { infraStorageClassName: 'replicated', volumeSnapshotClass: true, infraVolumeSnapshotClassName: 'replicated-snap' } } });
    expect(enforcement(objects).storageSnapshotMapping).toEqual([{ storageClasses: ['replicated'], volumeSnapshotClasses: ['replicated-snap'] }]);
    expect(find(objects, 'HelmRelease', 'acme-csi')!.spec.values).toMatchObject({ volumeSnapshotClass: true, infraVolumeSnapshotClassName: 'replicated-snap' });
    // Without an infra class the driver uses the management default VolumeSnapshotClass: no mapping needed.
    expect(enforcement(render({ addons: { csi: { volumeSnapshotClass: true } } }))).not.toHaveProperty('storageSnapshotMapping');
  });

  test('snapshots through an infra class without an infra VolumeSnapshotClass are refused, in-process and by Helm', () => {
    const values = deepMerge(deepMerge(SOURCE, GROUP), { addons: { csi: { infraStorageClassName: 'replicated', volumeSnapshotClass: true } } });
    const message = 'addons.csi.infraVolumeSnapshotClassName: required with addons.csi.volumeSnapshotClass while addons.csi.infraStorageClassName is "replicated"';
    expect(() => renderChart('tenant-cluster', values, RELEASE)).toThrow(message);
    for (const helm of helmBinaries()) {
      const r = helmTemplate(helm, CHART_DIR, { ...RELEASE, values });
      expect({ helm: helm.name, code: r.code === 0 ? 0 : 1, stderr: r.stderr.includes(message) }).toEqual({ helm: helm.name, code: 1, stderr: true });
    }
  });
});

describe('changing infraStorageClassName (C7, issue 7 #10)', () => {
  test('reaches the tenant through the node chart, whose pre-upgrade hook deletes the StorageClass with the old parameters', () => {
    const nodeValues = (infra: string) => find(render({ addons: { csi: { infraStorageClassName: infra } } }), 'HelmRelease', 'acme-csi')!.spec.values;
    const nodeRelease = { release: 'csi', namespace: 'kubevirt-csi' };
    const before = (renderChart('kubevirt-csi-node', nodeValues('standard'), nodeRelease) as K8sObject[]).find((o) => o.kind === 'StorageClass')!;
    const after = renderChart('kubevirt-csi-node', nodeValues('replicated'), nodeRelease) as K8sObject[];
    const job = after.find((o) => o.kind === 'Job' && o.metadata.annotations?.['helm.sh/hook'] === 'pre-upgrade,pre-rollback')!;
    const { script, env } = jobScript(job);
    const live = `${before.provisioner}|csi|${before.parameters.infraStorageClassName}|${before.parameters.bus}|${before.reclaimPolicy}|${before.volumeBindingMode}`;
    const r = runWithFakeKubectl(script, env, [{ match: 'get storageclass *', stdout: live }, { match: 'delete storageclass *' }]);
    expect(r.code).toBe(0);
    expect(r.calls[1]).toBe('delete storageclass kubevirt --request-timeout=20s --wait=false');
  });
});

describe('volume snapshots (B2, issue 7 #6)', () => {
  const SNAPSHOTS = { addons: { csi: { volumeSnapshotClass: true } } };
  const snapshotter = (objects: K8sObject[]) => container(objects, 'acme-csi-controller', 'csi-snapshotter');

  test('off by default: no snapshotter, no snapshot-controller', () => {
    const objects = render();
    expect(snapshotter(objects)).toBeUndefined();
    expect(find(objects, 'HelmRelease', 'acme-snapshot-controller')).toBeUndefined();
    expect(find(objects, 'HelmRepository', 'acme-snapshot-controller')).toBeUndefined();
  });

  test('the pinned csi-snapshotter serves the tenant\'s VolumeSnapshotContents, leasing in the tenant\'s kube-system', () => {
    const objects = render(SNAPSHOTS);
    const c = snapshotter(objects);
    expect(c.image).toBe('registry.k8s.io/sig-storage/csi-snapshotter:v8.6.0');
    expect(c.args).toEqual([
      '--csi-address=/csi/csi.sock', '--kubeconfig=/etc/kubernetes/kubeconfig/super-admin.svc', '--timeout=3m', '--leader-election=true',
      '--leader-election-namespace=kube-system', '--retry-interval-max=1m',
    ]);
    expect(flagNames(c.args).filter((f) => !CSI_SNAPSHOTTER_V8_6_0.flags.includes(f))).toEqual([]);
    expect(c.resources).toEqual({ requests: { cpu: '5m', memory: '24Mi' }, limits: { memory: '96Mi' } });
    expect(c.volumeMounts).toContainEqual({ name: 'tenant-kubeconfig', mountPath: '/etc/kubernetes/kubeconfig', readOnly: true });
    expect(c.volumeMounts).toContainEqual({ name: 'socket-dir', mountPath: '/csi' });
  });

  test('the snapshot CRDs and controller reach the tenant before the VolumeSnapshotClass that needs them', () => {
    const objects = render(SNAPSHOTS);
    expect(find(objects, 'HelmRepository', 'acme-snapshot-controller')!.spec.url).toBe('https://piraeus.io/helm-charts/');
    expect(find(objects, 'HelmRelease', 'acme-snapshot-controller')!.spec).toMatchObject({
      releaseName: 'snapshot-controller',
      targetNamespace: 'snapshot-controller',
      chart: { spec: { chart: 'snapshot-controller', version: '5.2.0', sourceRef: { kind: 'HelmRepository', name: 'acme-snapshot-controller' } } },
      kubeConfig: { secretRef: { name: 'acme-admin-kubeconfig', key: 'super-admin.svc' } },
      dependsOn: [{ name: 'acme-cni' }],
    });
    expect(find(objects, 'HelmRelease', 'acme-csi')!.spec.dependsOn).toEqual([{ name: 'acme-cni' }, { name: 'acme-snapshot-controller' }]);
    expect(find(objects, 'HelmRelease', 'acme-csi')!.spec.values.volumeSnapshotClass).toBe(true);
  });

  test('snapshotController.enabled false: bring your own CRDs and controller; the sidecar stays', () => {
    const objects = render({ addons: { csi: { volumeSnapshotClass: true, snapshotController: { enabled: false } } } });
    expect(find(objects, 'HelmRelease', 'acme-snapshot-controller')).toBeUndefined();
    expect(find(objects, 'HelmRepository', 'acme-snapshot-controller')).toBeUndefined();
    expect(find(objects, 'HelmRelease', 'acme-csi')!.spec.dependsOn).toEqual([{ name: 'acme-cni' }]);
    expect(snapshotter(objects)).toBeDefined();
    // Without a CNI addon nothing is waited for.
    expect(find(render({ addons: { cni: { enabled: false } }, controlPlane: { addons: { kubeProxy: { enabled: true } } } }), 'HelmRelease', 'acme-csi')!.spec.dependsOn)
      .toBeUndefined();
  });
});


describe('uninstall cleanup hook (C6, issue 7 #11)', () => {
  const objects = render();
  const hookObjects = (objs: K8sObject[]) => objs.filter((o) => o.metadata.annotations?.['helm.sh/hook'] === 'pre-delete');
  const job = (objs: K8sObject[]) => hookObjects(objs).find((o) => o.kind === 'Job')!;
  const HRS = 'helmrelease.helm.toolkit.fluxcd.io/acme-cni\nhelmrelease.helm.toolkit.fluxcd.io/acme-csi\n';
  const DVS = 'datavolume.cdi.kubevirt.io/pvc-1b2c\ndatavolume.cdi.kubevirt.io/acme-workers-x7k2p-boot\ndatavolume.cdi.kubevirt.io/pvc-9f8e\n';
  const run = (responses: Parameters<typeof runWithFakeKubectl>[2]) => {
    const { script, env } = jobScript(job(objects));
    return runWithFakeKubectl(script, env, responses);
  };
  /** The fake API: the listed objects exist and every write succeeds, unless a response earlier in the list says otherwise. */
  const api = (overrides: Parameters<typeof runWithFakeKubectl>[2] = []) => [
    ...overrides,
    { match: '* get helmreleases.helm.toolkit.fluxcd.io *', stdout: HRS },
    { match: '* get datavolumes.cdi.kubevirt.io *', stdout: DVS },
    { match: '* patch *' }, { match: '* delete *' },
  ];

  test('a pre-delete Job with its own ServiceAccount and a namespaced Role, created first and always removed', () => {
    expect(hookObjects(objects).map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'Job/tenant-acme/acme-cleanup', 'Role/tenant-acme/acme-cleanup', 'RoleBinding/tenant-acme/acme-cleanup', 'ServiceAccount/tenant-acme/acme-cleanup',
    ]);
    for (const o of hookObjects(objects).filter((x) => x.kind !== 'Job')) {
      expect(o.metadata.annotations).toEqual({ 'helm.sh/hook': 'pre-delete', 'helm.sh/hook-weight': '-5', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded,hook-failed' });
    }
    expect(job(objects).metadata.annotations).toEqual({ 'helm.sh/hook': 'pre-delete', 'helm.sh/hook-weight': '0', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' });
    expect(hookObjects(objects).find((o) => o.kind === 'Role')!.rules).toEqual([
      { apiGroups: ['helm.toolkit.fluxcd.io'], resources: ['helmreleases'], verbs: ['get', 'list', 'watch', 'patch', 'delete'] },
      { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['acme-cloud-controller-manager', 'acme-csi-controller'], verbs: ['get', 'list', 'watch', 'delete'] },
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'delete'] },
      { apiGroups: ['cdi.kubevirt.io'], resources: ['datavolumes'], verbs: ['get', 'list', 'delete'] },
    ]);
    // The Deployments it may delete are exactly this release's controllers.
    for (const name of ['acme-cloud-controller-manager', 'acme-csi-controller']) expect(find(objects, 'Deployment', name)).toBeDefined();
  });

  test('bounded well under Magnum\'s 5-minute helm uninstall: one attempt, a deadline, a timeout on every call and wait', () => {
    const spec = job(objects).spec;
    expect(spec.backoffLimit).toBe(0);
    expect(spec.activeDeadlineSeconds).toBeLessThanOrEqual(180);
    const r = run(api());
    expect(r.calls.every((c) => c.startsWith('--namespace tenant-acme --request-timeout=15s '))).toBe(true);
    expect(r.calls.filter((c) => c.includes('--wait=true')).every((c) => c.includes('--timeout=45s'))).toBe(true);
    expect(r.calls.filter((c) => / (delete|wait) /.test(c) && !c.includes('--wait='))).toEqual([]);
  });

  test('a restricted pod with a pinned image', () => {
    const pod = job(objects).spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.serviceAccountName).toBe('acme-cleanup');
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(pod.containers[0].image).toBe('docker.io/clastix/kubectl:v1.32@sha256:b9ef7d8dbe65bcc81a46c09b8dc7543103055021c4f43287bf59e92a8f4fe05c');
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '128Mi' } });
    // No management workload's selector selects the hook's pod.
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      const selector = d.spec.selector.matchLabels;
      expect(Object.entries(selector).every(([k, v]) => job(objects).spec.template.metadata.labels[k] === v)).toBe(false);
    }
  });

  test('the steps in order: suspend, delete the HelmReleases, stop the controllers, delete LB Services, then only the CSI volumes', () => {
    const r = run(api());
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const calls = r.calls.map((c) => c.replace('--namespace tenant-acme --request-timeout=15s ', ''));
    expect(calls).toEqual([
      'get helmreleases.helm.toolkit.fluxcd.io -l cluster.x-k8s.io/cluster-name=acme -o name',
      'patch helmrelease.helm.toolkit.fluxcd.io/acme-cni --type=merge -p {"spec":{"suspend":true}}',
      'patch helmrelease.helm.toolkit.fluxcd.io/acme-csi --type=merge -p {"spec":{"suspend":true}}',
      'delete helmrelease.helm.toolkit.fluxcd.io/acme-cni helmrelease.helm.toolkit.fluxcd.io/acme-csi --ignore-not-found --wait=true --timeout=45s',
      'delete deployments.apps acme-cloud-controller-manager acme-csi-controller --ignore-not-found --cascade=foreground --wait=true --timeout=45s',
      'delete services -l cluster.x-k8s.io/cluster-name=acme,cluster.x-k8s.io/tenant-service-name --ignore-not-found --wait=false',
      'get datavolumes.cdi.kubevirt.io -l cluster.x-k8s.io/cluster-name=acme -o name',
      // The VM's boot disk (no `pvc` prefix) is CAPI's to remove with the VM.
      'delete datavolume.cdi.kubevirt.io/pvc-1b2c datavolume.cdi.kubevirt.io/pvc-9f8e --ignore-not-found --wait=false',
    ]);
  });

  test('HelmReleases that do not go in time (dead tenant, helm-controller away) lose their finalizers', () => {
    const r = run(api([{ match: '* delete helmrelease.helm.toolkit.fluxcd.io/*', exit: 1 }]));
    expect(r.code).toBe(0);
    const calls = r.calls.map((c) => c.replace('--namespace tenant-acme --request-timeout=15s ', ''));
    const i = calls.findIndex((c) => c.startsWith('delete helmrelease'));
    expect(calls.slice(i + 1, i + 4)).toEqual([
      'get helmreleases.helm.toolkit.fluxcd.io -l cluster.x-k8s.io/cluster-name=acme -o name',
      'patch helmrelease.helm.toolkit.fluxcd.io/acme-cni --type=merge -p {"metadata":{"finalizers":null}}',
      'patch helmrelease.helm.toolkit.fluxcd.io/acme-csi --type=merge -p {"metadata":{"finalizers":null}}',
    ]);
    expect(calls.some((c) => c.startsWith('delete datavolume'))).toBe(true);
  });

  test('a failed step is reported, the later ones still run, and the hook fails (the uninstall stops with the log)', () => {
    const r = run(api([{ match: '* delete services *', exit: 1 }]));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ERROR: cannot delete the LoadBalancer Services');
    expect(r.calls.some((c) => c.includes('delete datavolume.cdi.kubevirt.io/pvc-1b2c'))).toBe(true);
  });

  test('nothing to clean up: no HelmRelease, no volume, still succeeds', () => {
    const r = run([{ match: '* get *', stdout: '' }, { match: '* delete *' }]);
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.includes(' patch ') || c.includes('delete helmrelease') || c.includes('delete datavolume'))).toEqual([]);
  });

  test('switchable, and named per release', () => {
    expect(hookObjects(render({ addons: { uninstallCleanup: { enabled: false } } }))).toEqual([]);
    expect(job(render({}, { release: 'other', namespace: 'tenant-acme' })).metadata.name).toBe('other-cleanup');
  });

  test('Helm 3 and 4 render the hook (helm template prints hooks) exactly as the evaluation backend does', () => {
    const values = deepMerge(SOURCE, GROUP);
    for (const helm of helmBinaries()) {
      const r = helmTemplate(helm, CHART_DIR, { ...RELEASE, values });
      expect(r.stderr).toBe('');
      const fromHelm = hookObjects(parseManifests(r.stdout) as K8sObject[]);
      expect(fromHelm).toEqual(hookObjects(render()));
    }
  });
});

describe('what the cloud-controller-manager may create (C4, issue 7 #12)', () => {
  const objects = render();
  const policy = (objs: K8sObject[]) => objs.find((o) => o.kind === 'ValidatingAdmissionPolicy');
  const SA = 'system:serviceaccount:tenant-acme:acme-cloud-controller-manager';
  /** Whether the API server would admit this Service created by `username`: match conditions, then every validation. */
  const admits = (objs: K8sObject[], service: K8sObject, username = SA): boolean | string => {
    const spec = policy(objs)!.spec;
    const vars = { object: service, request: { userInfo: { username }, operation: 'CREATE' } };
    for (const m of spec.matchConditions) {
      const r = evaluateAdmissionExpression(m.expression, vars);
      if (r !== true) return typeof r === 'string' ? r : true; // not matched: the policy does not apply
    }
    for (const v of spec.validations) {
      const r = evaluateAdmissionExpression(v.expression, vars);
      if (r !== true) return typeof r === 'string' ? r : v.message;
    }
    return true;
  };
  const lb = (spec: object = {}, annotations?: Record<string, string>): K8sObject => ({
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'a1b2c3', namespace: 'tenant-acme', ...(annotations ? { annotations } : {}) },
    spec: { type: 'LoadBalancer', ports: [{ port: 443, targetPort: 30443 }], ...spec },
  });

  test('a policy and binding, named per tenant, for Services this cloud-controller-manager creates in this namespace', () => {
    const p = policy(objects)!;
    expect(p.metadata.name).toBe('tenant-acme.acme.cloud-controller-manager');
    expect(p.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['services'] }]);
    expect(p.spec.failurePolicy).toBe('Fail');
    expect(find(objects, 'ValidatingAdmissionPolicyBinding', 'tenant-acme.acme.cloud-controller-manager')!.spec).toEqual({
      policyName: 'tenant-acme.acme.cloud-controller-manager',
      validationActions: ['Deny'],
      matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tenant-acme' } } },
    });
    // The ServiceAccount it names is the cloud-controller-manager's.
    expect(find(objects, 'Deployment', 'acme-cloud-controller-manager')!.spec.template.spec.serviceAccountName).toBe('acme-cloud-controller-manager');
  });

  test('refuses externalIPs, loadBalancerIP and load balancer annotations; admits what the controller normally creates', () => {
    expect(admits(objects, lb())).toBe(true);
    expect(admits(objects, lb({}, { 'meta.helm.sh/release-name': 'web', 'external-dns.alpha.kubernetes.io/hostname': 'x.example.com' }))).toBe(true);
    expect(admits(objects, lb({ externalIPs: ['10.96.0.1'] }))).toMatch(/^externalIPs are refused/);
    expect(admits(objects, lb({ externalIPs: [] }))).toBe(true);
    expect(admits(objects, lb({ loadBalancerIP: '192.0.2.10' }))).toMatch(/^loadBalancerIP is refused/);
    expect(admits(objects, lb({}, { 'metallb.universe.tf/allow-shared-ip': 'other-tenant' }))).toMatch(/^annotations starting with any of \["metallb\.universe\.tf\/"/);
    expect(admits(objects, lb({}, { 'lbipam.cilium.io/ips': '192.0.2.10' }))).toMatch(/^annotations/);
    // Other users (the platform, other tenants' controllers) are not this policy's business.
    expect(admits(objects, lb({ externalIPs: ['10.96.0.1'] }), 'system:serviceaccount:tenant-other:other-cloud-controller-manager')).toBe(true);
  });

  test('allowLoadBalancerIP and deniedAnnotationPrefixes change what passes; enabled false renders no policy', () => {
    const custom = render({ addons: { cloudControllerManager: { servicePolicy: { allowLoadBalancerIP: true, deniedAnnotationPrefixes: ['example.com/lb-'] } } } });
    expect(admits(custom, lb({ loadBalancerIP: '192.0.2.10' }))).toBe(true);
    expect(admits(custom, lb({}, { 'metallb.universe.tf/address-pool': 'x' }))).toBe(true);
    expect(admits(custom, lb({}, { 'example.com/lb-pool': 'x' }))).toMatch(/^annotations starting with any of \["example\.com\/lb-"\]/);
    expect(admits(custom, lb({ externalIPs: ['10.96.0.1'] }))).toMatch(/^externalIPs/);
    const none = render({ addons: { cloudControllerManager: { servicePolicy: { deniedAnnotationPrefixes: [] } } } });
    expect(admits(none, lb({}, { 'metallb.universe.tf/address-pool': 'x' }))).toBe(true);
    expect(policy(render({ addons: { cloudControllerManager: { servicePolicy: { enabled: false } } } }))).toBeUndefined();
    expect(policy(render({ addons: { cloudControllerManager: { enabled: false } } }))).toBeUndefined();
  });

  test('no unresolved construct token reaches any rendered object', () => {
    const all = render({ ...ALL_CLUSTER_SCOPED, addons: { ...ALL_CLUSTER_SCOPED.addons, csi: { volumeSnapshotClass: true } } });
    expect(JSON.stringify(all)).not.toMatch(/__TC_\d+__/);
    const files = (fs.readdirSync(path.join(CHART_DIR, 'templates'), { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(CHART_DIR, 'templates', f)).isFile());
    expect(files.length).toBeGreaterThan(40);
    expect(files.filter((f) => /__TC_\d+__/.test(fs.readFileSync(path.join(CHART_DIR, 'templates', f), 'utf8')))).toEqual([]);
  });
});

describe('one tenant per namespace (C5, issue 7 #12)', () => {
  const claim = (objs: K8sObject[]) => objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'tenant-cluster-owns-this-namespace');

  test('every release renders the same claim in its namespace: Helm refuses to adopt another release\'s', () => {
    const first = claim(render({}, { release: 'acme', namespace: 'shared' }))!;
    const second = claim(render({}, { release: 'other', namespace: 'shared' }))!;
    expect(first.metadata.namespace).toBe('shared');
    expect(`${second.kind}/${second.metadata.namespace}/${second.metadata.name}`).toBe(`${first.kind}/${first.metadata.namespace}/${first.metadata.name}`);
    expect(first.data.cluster).toBe('acme');
    expect(second.data.cluster).toBe('other');
  });

  test('sharing is possible only without the EndpointSlice controller, and refused with it', () => {
    const shared = { addons: { exclusiveNamespace: false, cloudControllerManager: { loadBalancer: { enableEPSController: false } } } };
    expect(claim(render(shared))).toBeUndefined();
    expect(() => render({ addons: { exclusiveNamespace: false } }))
      .toThrow('addons.exclusiveNamespace: must be true while addons.cloudControllerManager.loadBalancer.enableEPSController is true');
  });
});

describe('documentation and small fixes (D1, D2, D5)', () => {
  const readme = () => fs.readFileSync(path.join(CHART_DIR, 'README.md'), 'utf8');
  const valuesYaml = () => fs.readFileSync(path.join(CHART_DIR, 'values.yaml'), 'utf8');

  test('D1: no claim that nodes stay tainted without the cloud-controller-manager (no --cloud-provider=external; CAPK sets the provider ID)', () => {
    for (const text of [readme(), valuesYaml()]) {
      expect(text).not.toMatch(/stay tainted/);
      expect(text).toMatch(/carry no `uninitialized` taint/);
    }
    // The kubelets indeed run without an external cloud provider.
    const kubeadm = render().find((o) => o.kind === 'KubeadmConfigTemplate')!;
    expect(JSON.stringify(kubeadm.spec)).not.toMatch(/cloud-provider/);
  });

  test('D2: no container hook runs a shell in the distroless node-driver-registrar (or anywhere in the node plugin)', () => {
    const objects = renderChart('kubevirt-csi-node', {}, { release: 'csi', namespace: 'kubevirt-csi' }) as K8sObject[];
    const ds = objects.find((o) => o.kind === 'DaemonSet')!;
    for (const c of ds.spec.template.spec.containers) expect({ container: c.name, lifecycle: c.lifecycle }).toEqual({ container: c.name, lifecycle: undefined });
  });

  test('D5: documented, and prevented by the namespace claim (every object of a release is in its own namespace)', () => {
    expect(readme()).toMatch(/would collide/);
    expect(valuesYaml()).toMatch(/would collide/);
  });
});
