/**
 * The `kubevirt-csi-node` chart (tenant side of KubeVirt CSI): renders on Helm 3 and Helm 4 with the
 * defaults and with every option on and off, the evaluation backend renders the same objects, every
 * object passes its upstream schema, the objects match upstream's `deploy/tenant` manifests where it
 * matters, and bad values are refused with the value path named.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { KUBEVIRT_CSI_NODE_CHART } from '../src/charts/kubevirt-csi-node';
import { RenderError, renderChart, validateValues, ValuesError } from '../src/render';
import { helmBinaries, helmLint, helmTemplate } from './harness/helm';
import { jobScript, runWithFakeKubectl } from './harness/fake-kubectl';
import { byKey, K8sObject } from './harness/objects';
import { formatErrors, parseManifests, validateObjectsReport } from './harness/validate';

const ROOT = path.resolve(__dirname, '..');
const CHART_NAME = 'kubevirt-csi-node';
const CHART = path.join(ROOT, 'charts', CHART_NAME);
const RELEASE = { release: 'kubevirt-csi-node', namespace: 'kubevirt-csi' };

/** Value documents that between them turn every option on and off. */
const CASES: Record<string, Record<string, unknown>> = {
  'defaults': {},
  // What the tenant-cluster chart's HelmRelease passes (addons.csi defaults).
  'tenant-cluster HelmRelease': {
    infraStorageClassName: '',
    storageClass: { name: 'kubevirt', isDefault: true, reclaimPolicy: 'Delete' },
    volumeSnapshotClass: false,
    infraVolumeSnapshotClassName: '',
  },
  'every option flipped': {
    nameOverride: 'kv-csi',
    fullnameOverride: 'csi-node',
    image: 'quay.io/kubevirt/kubevirt-csi-driver@sha256:' + 'ab'.repeat(32),
    sidecarImages: { nodeDriverRegistrar: 'mirror.example.com/sig-storage/csi-node-driver-registrar:v2.15.0' },
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    sidecarResources: { limits: { memory: '32Mi' } },
    logLevel: 0,
    infraStorageClassName: 'ceph-rbd-rwx',
    storageClass: { name: 'fast.ssd', isDefault: false, reclaimPolicy: 'Retain', allowVolumeExpansion: false, volumeBindingMode: 'WaitForFirstConsumer' },
    storageClassUpdate: { enabled: false },
    volumeSnapshotClass: true,
    infraVolumeSnapshotClassName: 'ceph-rbd-snapshots',
  },
  'snapshots with a default class': { volumeSnapshotClass: true, logLevel: 10 },
  'StorageClass update hook from a mirror': {
    infraStorageClassName: 'replicated',
    storageClassUpdate: { image: 'mirror.example.com/clastix/kubectl:v1.32.4', resources: { requests: { cpu: '5m', memory: '48Mi' }, limits: { memory: '96Mi' } } },
  },
};

const CONTAINERS = ['csi-driver', 'csi-node-driver-registrar', 'csi-liveness-probe'];

const render = (values: unknown) => renderChart(CHART_NAME, values, RELEASE) as K8sObject[];
const isHook = (o: K8sObject) => o.metadata?.annotations?.['helm.sh/hook'] !== undefined;
/** The release's own objects (hooks are checked on their own below). */
const find = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind && !isHook(o));
const hooks = (objects: K8sObject[]) => objects.filter(isHook);
const one = (objects: K8sObject[], kind: string) => {
  const found = find(objects, kind);
  expect(found).toHaveLength(1);
  return found[0];
};

describe.each(helmBinaries().map((h) => [h.name, h] as const))('%s', (_name, helm) => {
  test('helm lint --strict of the chart with its defaults', () => {
    const r = helmLint(helm, CHART, { strict: true, namespace: RELEASE.namespace });
    expect(r.stderr + r.stdout).toContain('0 chart(s) failed');
  });

  test.each(Object.keys(CASES))('%s: template ≡ evaluation backend, schema-valid, nothing skipped', (name) => {
    const r = helmTemplate(helm, CHART, { ...RELEASE, values: CASES[name] });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const fromHelm = parseManifests(r.stdout) as K8sObject[];
    expect(fromHelm.length).toBeGreaterThanOrEqual(6);
    expect(byKey(render(CASES[name]))).toEqual(byKey(fromHelm));
    const report = validateObjectsReport(fromHelm, 'v1beta1');
    expect(formatErrors(report.errors)).toBe('');
    expect(report.skipped).toEqual([]);
  });

  test('--set integers (int64 in Helm) render like the same values from a file', () => {
    const r = helmTemplate(helm, CHART, { ...RELEASE, set: ['logLevel=7', 'volumeSnapshotClass=true'] });
    expect(r.stderr).toBe('');
    expect(byKey(render({ logLevel: 7, volumeSnapshotClass: true }))).toEqual(byKey(parseManifests(r.stdout) as K8sObject[]));
  });

  test('the same values render byte-identical output twice', () => {
    const a = helmTemplate(helm, CHART, { ...RELEASE, values: CASES['every option flipped'] });
    const b = helmTemplate(helm, CHART, { ...RELEASE, values: CASES['every option flipped'] });
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('objects (upstream deploy/tenant)', () => {
  const defaults = render({});

  test('the set of objects: CSIDriver, RBAC, DaemonSet, StorageClass; namespaced ones in the release namespace', () => {
    expect(Object.keys(byKey(defaults.filter((o) => !isHook(o))))).toEqual([
      'apps/v1/DaemonSet/kubevirt-csi/kubevirt-csi-node',
      'rbac.authorization.k8s.io/v1/ClusterRole//kubevirt-csi-node',
      'rbac.authorization.k8s.io/v1/ClusterRoleBinding//kubevirt-csi-node',
      'storage.k8s.io/v1/CSIDriver//csi.kubevirt.io',
      'storage.k8s.io/v1/StorageClass//kubevirt',
      'v1/ServiceAccount/kubevirt-csi/kubevirt-csi-node',
    ]);
    // The node service reads no ConfigMap (driver-config is the controller's).
    expect(find(defaults, 'ConfigMap')).toEqual([]);
  });

  test('CSIDriver spec', () => {
    expect(one(defaults, 'CSIDriver').spec).toEqual({ attachRequired: true, podInfoOnMount: true, fsGroupPolicy: 'ReadWriteOnceWithFSType' });
  });

  test('StorageClass: provisioner, parameters, default annotation, policies', () => {
    const sc = one(defaults, 'StorageClass');
    expect(sc).toMatchObject({
      metadata: { name: 'kubevirt', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'csi.kubevirt.io',
      reclaimPolicy: 'Delete',
      allowVolumeExpansion: true,
      volumeBindingMode: 'Immediate',
    });
    // Empty infraStorageClassName: no parameter, the management cluster's default class backs the DataVolumes.
    expect(sc.parameters).toEqual({ bus: 'scsi' });

    const flipped = one(render(CASES['every option flipped']), 'StorageClass');
    expect(flipped).toMatchObject({
      metadata: { name: 'fast.ssd', annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } },
      reclaimPolicy: 'Retain',
      allowVolumeExpansion: false,
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    expect(flipped.parameters).toEqual({ bus: 'scsi', infraStorageClassName: 'ceph-rbd-rwx' });
  });

  test('VolumeSnapshotClass only when enabled, named like the StorageClass', () => {
    expect(find(defaults, 'VolumeSnapshotClass')).toEqual([]);
    expect(find(render(CASES['tenant-cluster HelmRelease']), 'VolumeSnapshotClass')).toEqual([]);
    expect(one(render({ volumeSnapshotClass: true }), 'VolumeSnapshotClass')).toEqual(expect.objectContaining({
      apiVersion: 'snapshot.storage.k8s.io/v1',
      metadata: expect.objectContaining({ name: 'kubevirt', annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'true' } }),
      driver: 'csi.kubevirt.io',
      deletionPolicy: 'Delete',
    }));
    expect(one(render(CASES['every option flipped']), 'VolumeSnapshotClass').metadata)
      .toMatchObject({ name: 'fast.ssd', annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'false' } });
  });

  test('DaemonSet: every node, system-node-critical, the ServiceAccount, selectors on name + instance', () => {
    const ds = one(defaults, 'DaemonSet');
    const pod = ds.spec.template.spec;
    expect(ds.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'kubevirt-csi-node', 'app.kubernetes.io/instance': 'kubevirt-csi-node' });
    expect(ds.spec.template.metadata.labels).toEqual(ds.spec.selector.matchLabels);
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.serviceAccountName).toBe(one(defaults, 'ServiceAccount').metadata.name);
    expect(pod.containers.map((c: K8sObject) => c.name)).toEqual(CONTAINERS);
    expect(pod.volumes.map((v: K8sObject) => [v.name, v.hostPath.path])).toEqual([
      ['kubelet-dir', '/var/lib/kubelet'],
      ['plugin-dir', '/var/lib/kubelet/plugins/csi.kubevirt.io/'],
      ['registration-dir', '/var/lib/kubelet/plugins_registry/'],
      ['device-dir', '/dev'],
      ['udev', '/run/udev'],
    ]);
  });

  test('the driver runs the node service only, privileged, with bidirectional kubelet mounts', () => {
    const driver = one(defaults, 'DaemonSet').spec.template.spec.containers[0];
    expect(driver.args).toEqual(['--endpoint=unix:/csi/csi.sock', '--node-name=$(KUBE_NODE_NAME)', '--run-node-service=true', '--run-controller-service=false', '--v=3']);
    expect(driver.env).toEqual([{ name: 'KUBE_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
    expect(driver.securityContext).toEqual({ privileged: true, allowPrivilegeEscalation: true });
    expect(driver.volumeMounts).toContainEqual({ name: 'kubelet-dir', mountPath: '/var/lib/kubelet', mountPropagation: 'Bidirectional' });
    expect(driver.image).toBe('quay.io/kubermatic/kubevirt-csi-driver:v0.4.5');
  });

  test.each(Object.keys(CASES))('%s: every container has cpu/memory requests, a memory limit and a pinned image', (name) => {
    for (const c of one(render(CASES[name]), 'DaemonSet').spec.template.spec.containers) {
      expect({ name: c.name, requests: Object.keys(c.resources.requests).sort() }).toEqual({ name: c.name, requests: ['cpu', 'memory'] });
      expect({ name: c.name, memoryLimit: typeof c.resources.limits.memory }).toEqual({ name: c.name, memoryLimit: 'string' });
      expect(c.image).not.toMatch(/:latest$/);
      expect(c.image).toMatch(/(:[\w.-]+|@sha256:[a-f0-9]{64})$/);
    }
  });

  test('user resources merge over the defaults (maps deeply)', () => {
    const [, registrar, probe] = one(render(CASES['every option flipped']), 'DaemonSet').spec.template.spec.containers;
    expect(registrar.resources).toEqual({ requests: { cpu: '5m', memory: '20Mi' }, limits: { memory: '32Mi' } });
    expect(probe.resources).toEqual(registrar.resources);
  });

  test('ClusterRole: upstream node rules, bound to the ServiceAccount', () => {
    const role = one(defaults, 'ClusterRole');
    expect(role.rules).toContainEqual({ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'update', 'patch'] });
    expect(role.rules).toContainEqual({ apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['get', 'list', 'watch', 'update'] });
    expect(one(defaults, 'ClusterRoleBinding')).toMatchObject({
      subjects: [{ kind: 'ServiceAccount', name: 'kubevirt-csi-node', namespace: 'kubevirt-csi' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kubevirt-csi-node' },
    });
  });

  test('names follow fullnameOverride, labels nameOverride', () => {
    const objects = render(CASES['every option flipped']);
    for (const kind of ['DaemonSet', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']) expect(one(objects, kind).metadata.name).toBe('csi-node');
    for (const o of objects) expect(o.metadata.labels['app.kubernetes.io/name']).toBe('kv-csi');
  });
});

/** What a bad values document must name: a schema path (ValuesError) or a render-time check (RenderError). */
const REJECTED: Array<{ name: string; values: Record<string, unknown>; path: string; render?: boolean }> = [
  { name: 'unknown reclaim policy', values: { storageClass: { reclaimPolicy: 'Recycle' } }, path: 'storageClass.reclaimPolicy' },
  { name: 'unknown binding mode', values: { storageClass: { volumeBindingMode: 'Later' } }, path: 'storageClass.volumeBindingMode' },
  { name: 'StorageClass name not a DNS subdomain', values: { storageClass: { name: 'Fast_SSD' } }, path: 'storageClass.name' },
  { name: 'infra StorageClass name not a DNS subdomain', values: { infraStorageClassName: 'Ceph RBD' }, path: 'infraStorageClassName' },
  { name: 'volumeSnapshotClass as a string', values: { volumeSnapshotClass: 'yes' }, path: 'volumeSnapshotClass' },
  { name: 'isDefault as a string', values: { storageClass: { isDefault: 'true' } }, path: 'storageClass.isDefault' },
  { name: 'logLevel not an integer', values: { logLevel: 2.5 }, path: 'logLevel' },
  { name: 'logLevel out of range', values: { logLevel: 11 }, path: 'logLevel' },
  { name: 'a memory request removed with null', values: { resources: { requests: { memory: null } } }, path: 'resources.requests.memory' },
  { name: 'the memory limit removed with null', values: { sidecarResources: { limits: { memory: null } } }, path: 'sidecarResources.limits.memory' },
  { name: 'unknown key', values: { storageClass: { fsType: 'xfs' } }, path: 'storageClass.fsType' },
  { name: 'image without tag', values: { image: 'quay.io/kubevirt/kubevirt-csi-driver' }, path: 'image' },
  { name: 'latest driver image', values: { image: 'quay.io/kubevirt/kubevirt-csi-driver:latest' }, path: 'image', render: true },
  { name: 'latest sidecar image', values: { sidecarImages: { livenessProbe: 'registry.k8s.io/sig-storage/livenessprobe:latest' } }, path: 'sidecarImages.livenessProbe', render: true },
  { name: 'fullnameOverride not a DNS label', values: { fullnameOverride: 'CSI_Node' }, path: 'fullnameOverride', render: true },
];

/**
 * Whether helm's stderr names a dotted value path: a `fail` message starting with it, or a schema error at it
 * (Helm 3: `- a.b: ...`, `- a: b is required`, `- a: Additional property b is not allowed`; Helm 4:
 * `at '/a/b': ...`, `at '/a': missing property 'b'`, `at '/a': additional properties 'b' not allowed`).
 */
function helmNames(stderr: string, dotted: string): boolean {
  const segs = dotted.split('.');
  const key = segs[segs.length - 1];
  const parent = segs.slice(0, -1).join('.');
  const parentPointer = segs.slice(0, -1).map((k) => `/${k}`).join('');
  const failMessage = /execution error at \([^)]*\): (.*)/.exec(stderr)?.[1];
  return [
    failMessage?.startsWith(`${dotted}`) ?? false,
    stderr.includes(`- ${dotted}: `),
    stderr.includes(`- ${parent || '(root)'}: ${key} is required`),
    stderr.includes(`- ${parent || '(root)'}: Additional property ${key} is not allowed`),
    stderr.includes(`at '/${segs.join('/')}': `),
    new RegExp(`at '${parentPointer}': (missing property|additional properties) '${key}'`).test(stderr),
  ].some(Boolean);
}

describe('StorageClass update hook (issue 7 #10: a changed infraStorageClassName must not wedge the release)', () => {
  const job = (objects: K8sObject[]) => hooks(objects).find((o) => o.kind === 'Job')!;
  const hookRole = (objects: K8sObject[]) => hooks(objects).find((o) => o.kind === 'ClusterRole')!;
  /** What the script reads from a live StorageClass, as kubectl's jsonpath prints it. */
  const liveState = (sc: K8sObject, release = RELEASE.release) =>
    `${sc.provisioner}|${release}|${sc.parameters.infraStorageClassName ?? ''}|${sc.parameters.bus}|${sc.reclaimPolicy}|${sc.volumeBindingMode}`;
  const run = (objects: K8sObject[], live: string | undefined, getFails = false) => {
    const { script, env } = jobScript(job(objects));
    return runWithFakeKubectl(script, env, [
      { match: 'get storageclass *', stdout: live ?? '', exit: getFails ? 1 : 0 },
      { match: 'delete storageclass *' },
    ]);
  };

  test('pre-upgrade and pre-rollback hooks: a bounded Job, its ServiceAccount and a ClusterRole for this StorageClass only', () => {
    const objects = render({ infraStorageClassName: 'replicated' });
    expect(hooks(objects).map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole/kubevirt-csi-node-sc-update', 'ClusterRoleBinding/kubevirt-csi-node-sc-update', 'Job/kubevirt-csi-node-sc-update',
      'ServiceAccount/kubevirt-csi-node-sc-update',
    ]);
    for (const o of hooks(objects)) expect(o.metadata.annotations['helm.sh/hook']).toBe('pre-upgrade,pre-rollback');
    // RBAC first, and gone whatever the outcome; the Job's pod stays after a failure (its log says why).
    expect(hookRole(objects).metadata.annotations['helm.sh/hook-weight']).toBe('-5');
    expect(hookRole(objects).metadata.annotations['helm.sh/hook-delete-policy']).toBe('before-hook-creation,hook-succeeded,hook-failed');
    expect(job(objects).metadata.annotations).toMatchObject({ 'helm.sh/hook-weight': '0', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' });
    expect(hookRole(objects).rules).toEqual([
      { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], resourceNames: ['kubevirt'], verbs: ['get', 'delete'] },
    ]);
    const spec = job(objects).spec;
    expect(spec.activeDeadlineSeconds).toBeLessThanOrEqual(120);
    expect(spec.backoffLimit).toBeLessThanOrEqual(1);
    const pod = spec.template.spec;
    expect(pod.serviceAccountName).toBe('kubevirt-csi-node-sc-update');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(pod.containers[0].image).toMatch(/@sha256:[a-f0-9]{64}$/);
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '128Mi' } });
    // The DaemonSet's selector must not select the hook's pod.
    const selector = one(objects, 'DaemonSet').spec.selector.matchLabels;
    expect(Object.entries(selector).every(([k, v]) => spec.template.metadata.labels[k] === v)).toBe(false);
    expect(hooks(render({ storageClassUpdate: { enabled: false } }))).toEqual([]);
  });

  test.each(Object.keys(CASES).filter((c) => one(render(CASES[c]), 'StorageClass') && hooks(render(CASES[c])).length > 0))(
    '%s: the state the hook wants is the StorageClass the chart renders (no delete on an unchanged upgrade)', (name) => {
      const objects = render(CASES[name]);
      const r = run(objects, liveState(one(objects, 'StorageClass')));
      expect(r.code).toBe(0);
      expect(r.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
    });

  test('infraStorageClassName changed: the live StorageClass is deleted before the upgrade recreates it', () => {
    const before = one(render({ infraStorageClassName: 'standard' }), 'StorageClass');
    const r = run(render({ infraStorageClassName: 'replicated' }), liveState(before));
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([
      'get storageclass kubevirt --ignore-not-found --request-timeout=20s -o jsonpath={.provisioner}|{.metadata.annotations.meta\\.helm\\.sh/release-name}|{.parameters.infraStorageClassName}|{.parameters.bus}|{.reclaimPolicy}|{.volumeBindingMode}',
      'delete storageclass kubevirt --request-timeout=20s --wait=false',
    ]);
    // From the default class to a named one, and a changed reclaim policy or binding mode, alike.
    expect(run(render({ infraStorageClassName: 'replicated' }), liveState(one(render({}), 'StorageClass'))).calls).toHaveLength(2);
    expect(run(render({ storageClass: { reclaimPolicy: 'Retain' } }), liveState(one(render({}), 'StorageClass'))).calls).toHaveLength(2);
    expect(run(render({ storageClass: { volumeBindingMode: 'WaitForFirstConsumer' } }), liveState(one(render({}), 'StorageClass'))).calls).toHaveLength(2);
  });

  test('leaves alone what is not its own: a missing StorageClass, another release\'s or provisioner\'s; fails when it cannot read it', () => {
    const objects = render({ infraStorageClassName: 'replicated' });
    const sc = one(render({}), 'StorageClass');
    for (const live of [undefined, liveState(sc, 'other-release'), liveState({ ...sc, provisioner: 'rbd.csi.ceph.com' })]) {
      const r = run(objects, live);
      expect({ live, code: r.code, deletes: r.calls.filter((c) => c.startsWith('delete')) }).toEqual({ live, code: 0, deletes: [] });
    }
    const failed = run(objects, liveState(sc), true);
    expect(failed.code).not.toBe(0);
    expect(failed.calls.filter((c) => c.startsWith('delete'))).toEqual([]);
  });
});

describe('rejection', () => {
  test.each(REJECTED.map((c) => [c.name, c] as const))('%s: the evaluation backend names the path', (_n, c) => {
    let error: unknown;
    try {
      render(c.values);
    } catch (e) {
      error = e;
    }
    if (c.render) {
      expect(error).toBeInstanceOf(RenderError);
      expect((error as Error).message.startsWith(`${c.path}`)).toBe(true);
      // validate reports render-time refusals too (these read no release name or namespace), with the same message.
      expect(validateValues(CHART_NAME, c.values)).toEqual([(error as Error).message]);
    } else {
      expect(error).toBeInstanceOf(ValuesError);
      const violations = (error as ValuesError).violations;
      expect(violations.some((v) => v.startsWith(`${c.path}:`))).toBe(true);
    }
  });

  describe.each(helmBinaries().map((h) => [h.name, h] as const))('%s', (_name, helm) => {
    test.each(REJECTED.map((c) => [c.name, c] as const))('%s: helm template fails naming the path', (_n, c) => {
      const r = helmTemplate(helm, CHART, { ...RELEASE, values: c.values });
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect({ stderr: r.stderr, names: helmNames(r.stderr, c.path) }).toEqual({ stderr: r.stderr, names: true });
    });
  });
});

describe('generated chart', () => {
  test('Chart.yaml: no Cluster API target, its own keywords, the pinned version', () => {
    const chartYaml = YAML.parse(fs.readFileSync(path.join(CHART, 'Chart.yaml'), 'utf8'));
    expect(chartYaml).toEqual({
      apiVersion: 'v2',
      name: CHART_NAME,
      version: KUBEVIRT_CSI_NODE_CHART.version,
      description: KUBEVIRT_CSI_NODE_CHART.description,
      type: 'application',
      keywords: ['kubernetes', 'kubevirt', 'csi', 'storage'],
    });
  });

  test('values schema is draft-07 and the same as values-schemas/<chart>-<version>.schema.json', () => {
    const text = fs.readFileSync(path.join(CHART, 'values.schema.json'), 'utf8');
    expect(JSON.parse(text).$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(text).not.toMatch(/"\$ref": "http/);
    expect(fs.readFileSync(path.join(ROOT, 'values-schemas', `${CHART_NAME}-${KUBEVIRT_CSI_NODE_CHART.version}.schema.json`), 'utf8')).toBe(text);
  });

  test('every key in values.yaml carries a comment, and values.yaml is the definition\'s defaults', () => {
    const text = fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8');
    const lines = text.split('\n');
    expect(lines.filter((line, i) => /^\s*[A-Za-z][\w]*:/.test(line) && !/^\s*#/.test(lines[i - 1] ?? ''))).toEqual([]);
    expect(YAML.parse(text, { version: '1.1' })).toEqual(KUBEVIRT_CSI_NODE_CHART.defaults);
  });

  test('the tenant-cluster HelmRelease keys are part of the contract', () => {
    expect(validateValues(CHART_NAME, CASES['tenant-cluster HelmRelease'])).toEqual([]);
  });

  test('dist/ serves the chart: archive and index entry of the current version, next to the released ones', () => {
    expect(fs.existsSync(path.join(ROOT, 'dist', `${CHART_NAME}-${KUBEVIRT_CSI_NODE_CHART.version}.tgz`))).toBe(true);
    const index = YAML.parse(fs.readFileSync(path.join(ROOT, 'dist', 'index.yaml'), 'utf8'));
    expect(index.entries[CHART_NAME].map((e: K8sObject) => [e.version, e.urls])).toContainEqual(
      [KUBEVIRT_CSI_NODE_CHART.version, [`${CHART_NAME}-${KUBEVIRT_CSI_NODE_CHART.version}.tgz`]],
    );
    expect(index.entries[CHART_NAME].map((e: K8sObject) => e.version)).toContain('1.0.0');
  });
});
