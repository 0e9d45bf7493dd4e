/**
 * The `openstack-cinder-csi-node` chart (tenant side of Cinder CSI, no credentials): renders on Helm 3 and Helm 4
 * with the defaults and with every option on and off, the evaluation backend renders the same objects, every
 * object passes its schema, the plugin's flags and config keys exist in cloud-provider-openstack at every pinned
 * tag, nothing carries credentials, and bad values are refused with the value path named.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { OPENSTACK_CINDER_CSI_NODE_CHART } from '../src/charts/openstack-cinder-csi-node';
import { OPENSTACK_SUPPORT } from '../src/openstack-support';
import { RenderError, renderChart, validateValues, ValuesError } from '../src/render';
import { helmBinaries, helmLint, helmTemplate } from './harness/helm';
import { byKey, K8sObject } from './harness/objects';
import { CPO_TAGS, imageTag, parseGcfg, unknownConfigKeys, unknownFlags, UPSTREAM } from './harness/openstack-upstream';
import { formatErrors, parseManifests, validateObjectsReport } from './harness/validate';

const ROOT = path.resolve(__dirname, '..');
const CHART_NAME = 'openstack-cinder-csi-node';
const CHART = path.join(ROOT, 'charts', CHART_NAME);
const RELEASE = { release: 'cinder-csi', namespace: 'kube-system' };

/** Value documents that between them turn every option on and off. */
const CASES: Record<string, Record<string, unknown>> = {
  'defaults': {},
  // What the tenant-cluster chart's HelmRelease passes (phase 2 of issue 9).
  'tenant-cluster HelmRelease': {
    image: OPENSTACK_SUPPORT['1.34'].cinderCsiPluginImage,
    nodeServiceNoOsClient: false,
    topology: true,
    rescanOnResize: false,
    nodeVolumeAttachLimit: 0,
    storageClasses: {
      standard: { volumeType: 'standard', isDefault: true },
      fast: { volumeType: 'ssd', zones: ['nova-a', 'nova-b'], fsType: 'xfs', reclaimPolicy: 'Retain' },
    },
    volumeSnapshotClass: false,
  },
  'every option flipped': {
    nameOverride: 'cinder',
    fullnameOverride: 'cinder-node',
    image: 'registry.k8s.io/provider-os/cinder-csi-plugin@sha256:' + 'ab'.repeat(32),
    sidecarImages: { nodeDriverRegistrar: 'mirror.example.com/sig-storage/csi-node-driver-registrar:v2.15.0' },
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    sidecarResources: { limits: { memory: '32Mi' } },
    healthPort: 19808,
    nodeServiceNoOsClient: true,
    topology: false,
    rescanOnResize: true,
    nodeVolumeAttachLimit: 64,
    storageClasses: {
      'gold.ssd': { volumeType: 'ssd-gold', isDefault: false, allowVolumeExpansion: false, volumeBindingMode: 'Immediate', availabilityZone: 'nova-a' },
    },
    volumeSnapshotClass: true,
  },
  'Kubernetes 1.31 (node service without an OpenStack client)': {
    image: OPENSTACK_SUPPORT['1.31'].cinderCsiPluginImage,
    nodeServiceNoOsClient: OPENSTACK_SUPPORT['1.31'].cinderNodeServiceNoOsClient,
    storageClasses: { standard: { isDefault: true } },
  },
};

const render = (values: unknown) => renderChart(CHART_NAME, values, RELEASE) as K8sObject[];
const find = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const one = (objects: K8sObject[], kind: string) => {
  const found = find(objects, kind);
  expect(found).toHaveLength(1);
  return found[0];
};
const container = (objects: K8sObject[], name: string) => one(objects, 'DaemonSet').spec.template.spec.containers.find((c: K8sObject) => c.name === name);

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
    const r = helmTemplate(helm, CHART, { ...RELEASE, set: ['healthPort=19000', 'nodeVolumeAttachLimit=12'] });
    expect(r.stderr).toBe('');
    expect(byKey(render({ healthPort: 19000, nodeVolumeAttachLimit: 12 }))).toEqual(byKey(parseManifests(r.stdout) as K8sObject[]));
  });
});

describe('objects (upstream manifests/cinder-csi-plugin, without credentials)', () => {
  const defaults = render({});

  test('the set of objects: CSIDriver, RBAC, ConfigMap, DaemonSet; namespaced ones in the release namespace; no StorageClass by default', () => {
    expect(Object.keys(byKey(defaults))).toEqual([
      'apps/v1/DaemonSet/kube-system/cinder-csi',
      'rbac.authorization.k8s.io/v1/ClusterRole//cinder-csi',
      'rbac.authorization.k8s.io/v1/ClusterRoleBinding//cinder-csi',
      'storage.k8s.io/v1/CSIDriver//cinder.csi.openstack.org',
      'v1/ConfigMap/kube-system/cinder-csi',
      'v1/ServiceAccount/kube-system/cinder-csi',
    ]);
  });

  test('CSIDriver: the driver name upstream registers, attach required, persistent volumes only (inline ephemeral removed in v1.31)', () => {
    const driver = one(defaults, 'CSIDriver');
    for (const tag of CPO_TAGS) expect({ tag, name: UPSTREAM.cloudProviderOpenstack[tag].driver.name }).toEqual({ tag, name: driver.metadata.name });
    expect(driver.spec).toEqual({ attachRequired: true, podInfoOnMount: true, volumeLifecycleModes: ['Persistent'] });
  });

  test.each(Object.keys(CASES))('%s: nothing is a Secret or reads one; the config carries no [Global] section', (name) => {
    const objects = render(CASES[name]);
    expect(find(objects, 'Secret')).toEqual([]);
    const text = JSON.stringify(objects);
    for (const needle of ['secretName', 'secretKeyRef', 'secretRef', 'clouds.yaml', 'application_credential', 'password', 'BEGIN ']) {
      expect({ needle, found: text.includes(needle) }).toEqual({ needle, found: false });
    }
    const conf = parseGcfg(one(objects, 'ConfigMap').data['cloud.conf']);
    expect(Object.keys(conf)).toEqual(['blockstorage']);
  });

  test.each(CPO_TAGS)('cinder-csi-plugin %s reads every config key and takes every flag the node plugin gets', (tag) => {
    const upstream = UPSTREAM.cloudProviderOpenstack[tag];
    for (const name of Object.keys(CASES)) {
      const objects = render(CASES[name]);
      expect({ name, unknown: unknownConfigKeys(parseGcfg(one(objects, 'ConfigMap').data['cloud.conf']), upstream.cinderConfig.sections) }).toEqual({ name, unknown: [] });
      expect({ name, unknown: unknownFlags(container(objects, 'cinder-csi-plugin').args, upstream.cinderCsiPluginFlags.flags) }).toEqual({ name, unknown: [] });
    }
  });

  test('the sidecars\' flags exist in the pinned sidecar versions', () => {
    for (const name of Object.keys(CASES)) {
      const objects = render(CASES[name]);
      for (const [c, repo] of [['node-driver-registrar', 'node-driver-registrar'], ['liveness-probe', 'livenessprobe']]) {
        const sidecar = container(objects, c);
        const known = UPSTREAM.sidecars[repo][imageTag(sidecar.image)].flags;
        expect({ name, c, unknown: unknownFlags(sidecar.args, known) }).toEqual({ name, c, unknown: [] });
      }
    }
  });

  test('the node plugin: node service only, the config file mounted where --cloud-config points, v1.31 without an OpenStack client', () => {
    const plugin = container(defaults, 'cinder-csi-plugin');
    expect(plugin.args).toEqual([
      '/bin/cinder-csi-plugin', '--endpoint=unix:///csi/csi.sock', '--provide-controller-service=false', '--cloud-config=/etc/config/cloud.conf', '--with-topology=true',
    ]);
    const configMount = plugin.volumeMounts.find((m: K8sObject) => m.name === 'cloud-config');
    expect(`${configMount.mountPath}/cloud.conf`).toBe('/etc/config/cloud.conf');
    expect(configMount.readOnly).toBe(true);
    const v131 = container(render(CASES['Kubernetes 1.31 (node service without an OpenStack client)']), 'cinder-csi-plugin');
    expect(v131.args).toContain('--node-service-no-os-client=true');
    expect(v131.image).toBe('registry.k8s.io/provider-os/cinder-csi-plugin:v1.31.4');
    // Upstream v1.31.4 builds an OpenStack client for the node service unless told not to; v1.32+ never does.
    expect(UPSTREAM.cloudProviderOpenstack['v1.31.4'].cinderNode.buildsOpenStackClientUnlessNoClient).toBe(true);
    for (const tag of CPO_TAGS.filter((t) => t !== 'v1.31.4')) expect(UPSTREAM.cloudProviderOpenstack[tag].cinderNode.buildsOpenStackClientUnlessNoClient).toBe(false);
    // v1.31.4 requires --cloud-config in every mode: the node plugin always passes one.
    expect(UPSTREAM.cloudProviderOpenstack['v1.31.4'].cinderNode.cloudConfigRequiredInEveryMode).toBe(true);
    expect(container(render(CASES['every option flipped']), 'cinder-csi-plugin').args).toContain('--with-topology=false');
  });

  test('one socket: the plugin listens where the registrar and the probe dial and where the kubelet is told to look', () => {
    const pod = one(defaults, 'DaemonSet').spec.template.spec;
    const hostPath = (volume: string) => pod.volumes.find((v: K8sObject) => v.name === volume).hostPath.path;
    const mountOf = (c: K8sObject, volume: string) => c.volumeMounts.find((m: K8sObject) => m.name === volume).mountPath;
    const plugin = container(defaults, 'cinder-csi-plugin');
    // ParseEndpoint (pkg/csi/cinder/utils.go) keeps what follows "unix://".
    const endpoint = plugin.args.find((a: string) => a.startsWith('--endpoint=')).slice('--endpoint='.length);
    const socket = endpoint.split('://')[1];
    expect(socket).toBe(`${mountOf(plugin, 'socket-dir')}/csi.sock`);
    for (const name of ['node-driver-registrar', 'liveness-probe']) {
      const c = container(defaults, name);
      expect(c.args).toContain(`--csi-address=${mountOf(c, 'socket-dir')}/csi.sock`);
    }
    expect(container(defaults, 'node-driver-registrar').args).toContain(`--kubelet-registration-path=${hostPath('socket-dir')}/csi.sock`);
    expect(hostPath('socket-dir')).toBe('/var/lib/kubelet/plugins/cinder.csi.openstack.org');
    expect(mountOf(container(defaults, 'node-driver-registrar'), 'registration-dir')).toBe('/registration');
    expect(hostPath('registration-dir')).toBe('/var/lib/kubelet/plugins_registry/');
    expect(plugin.volumeMounts).toContainEqual({ name: 'kubelet-dir', mountPath: '/var/lib/kubelet', mountPropagation: 'Bidirectional' });
    expect(plugin.volumeMounts).toContainEqual({ name: 'pods-probe-dir', mountPath: '/dev', mountPropagation: 'HostToContainer' });
  });

  test('host network (Nova metadata), every node, the health port the probe serves and the kubelet checks', () => {
    for (const values of [{}, CASES['every option flipped']]) {
      const objects = render(values);
      const pod = one(objects, 'DaemonSet').spec.template.spec;
      expect(pod.hostNetwork).toBe(true);
      expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
      expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
      const port = (values as { healthPort?: number }).healthPort ?? 9808;
      const plugin = container(objects, 'cinder-csi-plugin');
      expect(plugin.ports).toEqual([{ name: 'healthz', containerPort: port, protocol: 'TCP' }]);
      expect(plugin.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'healthz' });
      expect(container(objects, 'liveness-probe').args).toContain(`--http-endpoint=:${port}`);
    }
  });

  test('the config: [BlockStorage] from values; the pod template carries its checksum', () => {
    expect(parseGcfg(one(defaults, 'ConfigMap').data['cloud.conf'])).toEqual({ blockstorage: { '': { 'rescan-on-resize': ['false'] } } });
    const flipped = render(CASES['every option flipped']);
    expect(parseGcfg(one(flipped, 'ConfigMap').data['cloud.conf'])).toEqual({
      blockstorage: { '': { 'rescan-on-resize': ['true'], 'node-volume-attach-limit': ['64'] } },
    });
    const checksum = (objects: K8sObject[]) => one(objects, 'DaemonSet').spec.template.metadata.annotations['checksum/config'];
    expect(checksum(defaults)).toMatch(/^[0-9a-f]{8}$/);
    expect(checksum(render({ rescanOnResize: true }))).not.toBe(checksum(defaults));
    expect(checksum(render({ storageClasses: { a: {} } }))).toBe(checksum(defaults));
  });

  test('StorageClasses: one per entry, defaults merged, the default annotation, zones as allowedTopologies on the plugin\'s topology key', () => {
    const objects = render(CASES['tenant-cluster HelmRelease']);
    const classes = Object.fromEntries(find(objects, 'StorageClass').map((o) => [o.metadata.name, o]));
    expect(Object.keys(classes).sort()).toEqual(['fast', 'standard']);
    expect(classes.standard).toMatchObject({
      metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'cinder.csi.openstack.org',
      parameters: { type: 'standard' },
      reclaimPolicy: 'Delete',
      allowVolumeExpansion: true,
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    expect(classes.standard.allowedTopologies).toBeUndefined();
    expect(classes.fast).toMatchObject({
      metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } },
      parameters: { 'type': 'ssd', 'csi.storage.k8s.io/fstype': 'xfs' },
      reclaimPolicy: 'Retain',
    });
    const key = UPSTREAM.cloudProviderOpenstack['v1.34.1'].driver.topologyKey;
    for (const tag of CPO_TAGS) {
      expect(UPSTREAM.cloudProviderOpenstack[tag].driver.topologyKeyExpression).toBe('"topology." + driverName + "/zone"');
      expect(UPSTREAM.cloudProviderOpenstack[tag].driver.topologyKey).toBe(key);
    }
    expect(classes.fast.allowedTopologies).toEqual([{ matchLabelExpressions: [{ key, values: ['nova-a', 'nova-b'] }] }]);
    const gold = one(render(CASES['every option flipped']), 'StorageClass');
    expect(gold).toMatchObject({ metadata: { name: 'gold.ssd' }, parameters: { type: 'ssd-gold', availability: 'nova-a' }, allowVolumeExpansion: false, volumeBindingMode: 'Immediate' });
    expect(one(render({ storageClasses: { plain: {} } }), 'StorageClass').parameters).toEqual({});
  });

  test.each(CPO_TAGS)('StorageClass parameters are what CreateVolume of %s reads (plus the provisioner\'s fstype)', (tag) => {
    const known = new Set([...UPSTREAM.cloudProviderOpenstack[tag].storageClassParameters.keys, 'csi.storage.k8s.io/fstype']);
    for (const name of Object.keys(CASES)) {
      for (const sc of find(render(CASES[name]), 'StorageClass')) {
        expect({ name, unknown: Object.keys(sc.parameters ?? {}).filter((k) => !known.has(k)) }).toEqual({ name, unknown: [] });
      }
    }
  });

  test('VolumeSnapshotClass only when enabled, for the Cinder driver', () => {
    expect(find(defaults, 'VolumeSnapshotClass')).toEqual([]);
    expect(one(render(CASES['every option flipped']), 'VolumeSnapshotClass')).toMatchObject({
      apiVersion: 'snapshot.storage.k8s.io/v1', metadata: { name: 'cinder-node' }, driver: 'cinder.csi.openstack.org', deletionPolicy: 'Delete',
    });
  });

  test.each(Object.keys(CASES))('%s: every container has cpu/memory requests, a memory limit and a pinned image', (name) => {
    for (const c of one(render(CASES[name]), 'DaemonSet').spec.template.spec.containers) {
      expect({ name: c.name, requests: Object.keys(c.resources.requests).sort() }).toEqual({ name: c.name, requests: ['cpu', 'memory'] });
      expect({ name: c.name, memoryLimit: typeof c.resources.limits.memory }).toEqual({ name: c.name, memoryLimit: 'string' });
      expect(c.image).toMatch(/(:[\w.-]+|@sha256:[a-f0-9]{64})$/);
      expect(c.image).not.toMatch(/:latest$/);
    }
  });

  test('names follow fullnameOverride, labels nameOverride; the ClusterRole only records events', () => {
    const objects = render(CASES['every option flipped']);
    for (const kind of ['DaemonSet', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'ConfigMap']) expect(one(objects, kind).metadata.name).toBe('cinder-node');
    for (const o of objects) expect(o.metadata.labels['app.kubernetes.io/name']).toBe('cinder');
    expect(one(objects, 'ClusterRole').rules).toEqual([{ apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] }]);
    expect(one(objects, 'ClusterRoleBinding')).toMatchObject({
      subjects: [{ kind: 'ServiceAccount', name: 'cinder-node', namespace: 'kube-system' }],
      roleRef: { kind: 'ClusterRole', name: 'cinder-node' },
    });
  });
});

/** What a bad values document must name: a schema path (ValuesError) or a render-time check (RenderError). */
const REJECTED: Array<{ name: string; values: Record<string, unknown>; path: string; render?: boolean; message?: string }> = [
  { name: 'two default StorageClasses', values: { storageClasses: { a: { isDefault: true }, b: { isDefault: true }, c: {} } }, path: 'storageClasses', render: true,
    message: 'storageClasses: at most one StorageClass may set isDefault, got a, b' },
  // The schema refuses the key (the CinderStorageClassMap key format of src/values/formats.ts).
  { name: 'StorageClass name not a DNS subdomain', values: { storageClasses: { Fast_SSD: {} } }, path: 'storageClasses.Fast_SSD' },
  { name: 'unknown reclaim policy', values: { storageClasses: { a: { reclaimPolicy: 'Recycle' } } }, path: 'storageClasses.a.reclaimPolicy' },
  { name: 'unknown binding mode', values: { storageClasses: { a: { volumeBindingMode: 'Later' } } }, path: 'storageClasses.a.volumeBindingMode' },
  { name: 'unknown fsType', values: { storageClasses: { a: { fsType: 'btrfs' } } }, path: 'storageClasses.a.fsType' },
  { name: 'unknown StorageClass key', values: { storageClasses: { a: { iops: 3000 } } }, path: 'storageClasses.a.iops' },
  { name: 'zone with a space', values: { storageClasses: { a: { availabilityZone: 'nova a' } } }, path: 'storageClasses.a.availabilityZone' },
  { name: 'healthPort below 1024', values: { healthPort: 80 }, path: 'healthPort' },
  { name: 'attach limit above 256', values: { nodeVolumeAttachLimit: 300 }, path: 'nodeVolumeAttachLimit' },
  { name: 'a memory limit removed with null', values: { sidecarResources: { limits: { memory: null } } }, path: 'sidecarResources.limits.memory' },
  { name: 'image without tag', values: { image: 'registry.k8s.io/provider-os/cinder-csi-plugin' }, path: 'image' },
  { name: 'latest plugin image', values: { image: 'registry.k8s.io/provider-os/cinder-csi-plugin:latest' }, path: 'image', render: true },
  { name: 'fullnameOverride not a DNS label', values: { fullnameOverride: 'Cinder_Node' }, path: 'fullnameOverride', render: true },
];

/** Whether helm's stderr names a dotted value path (a `fail` message starting with it, or a schema error at it). */
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
      if (c.message) expect((error as Error).message).toBe(c.message);
      // `validate` reports the same refusal (issue 8: every render check, given the release).
      expect(validateValues(CHART_NAME, c.values, RELEASE)).toContain((error as Error).message);
    } else {
      expect(error).toBeInstanceOf(ValuesError);
      expect((error as ValuesError).violations.some((v) => v.startsWith(`${c.path}:`))).toBe(true);
    }
  });

  describe.each(helmBinaries().map((h) => [h.name, h] as const))('%s', (_name, helm) => {
    test.each(REJECTED.map((c) => [c.name, c] as const))('%s: helm template fails naming the path', (_n, c) => {
      const r = helmTemplate(helm, CHART, { ...RELEASE, values: c.values });
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect({ stderr: r.stderr, names: helmNames(r.stderr, c.path) }).toEqual({ stderr: r.stderr, names: true });
      if (c.message) expect(r.stderr).toContain(c.message);
    });
  });
});

describe('generated chart', () => {
  test('Chart.yaml: no Cluster API target, its own keywords, version 1.0.0', () => {
    expect(YAML.parse(fs.readFileSync(path.join(CHART, 'Chart.yaml'), 'utf8'))).toEqual({
      apiVersion: 'v2',
      name: CHART_NAME,
      version: '1.0.0',
      description: OPENSTACK_CINDER_CSI_NODE_CHART.description,
      type: 'application',
      keywords: ['kubernetes', 'openstack', 'cinder', 'csi', 'storage'],
    });
  });

  test('values.yaml is the definition\'s defaults, every key commented; the schema is versioned under values-schemas/', () => {
    const text = fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8');
    const lines = text.split('\n');
    expect(lines.filter((line, i) => /^\s*[A-Za-z][\w]*:/.test(line) && !/^\s*#/.test(lines[i - 1] ?? ''))).toEqual([]);
    expect(YAML.parse(text, { version: '1.1' })).toEqual(OPENSTACK_CINDER_CSI_NODE_CHART.defaults);
    const schema = fs.readFileSync(path.join(CHART, 'values.schema.json'), 'utf8');
    expect(JSON.parse(schema).$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(fs.readFileSync(path.join(ROOT, 'values-schemas', `${CHART_NAME}-1.0.0.schema.json`), 'utf8')).toBe(schema);
  });

  test('the default images are v1.34.1\'s (the tenant-cluster chart passes the plugin of the tenant\'s minor)', () => {
    const d = OPENSTACK_CINDER_CSI_NODE_CHART.defaults as { image: string; sidecarImages: Record<string, string> };
    expect(d.image).toBe(OPENSTACK_SUPPORT['1.34'].cinderCsiPluginImage);
    expect(d.sidecarImages).toEqual({
      nodeDriverRegistrar: OPENSTACK_SUPPORT['1.34'].upstreamSidecars.nodeDriverRegistrar,
      livenessProbe: OPENSTACK_SUPPORT['1.34'].upstreamSidecars.livenessProbe,
    });
  });

  test('dist/ serves the chart', () => {
    expect(fs.existsSync(path.join(ROOT, 'dist', `${CHART_NAME}-1.0.0.tgz`))).toBe(true);
    const index = YAML.parse(fs.readFileSync(path.join(ROOT, 'dist', 'index.yaml'), 'utf8'));
    expect(index.entries[CHART_NAME].map((e: K8sObject) => e.version)).toEqual(['1.0.0']);
  });
});
