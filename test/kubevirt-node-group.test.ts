/**
 * KubeVirt node groups by the upstream components' own code: kubeadm's join preflight (A3), what the
 * cluster autoscaler needs to scale a group up from zero (B3, C8), the worker image and the disk the
 * kubelet and containerd write to (C2), and kubeadm files whose content comes from a Secret (issue 8).
 * Each document runs on the evaluation backend, Helm 3 and Helm 4.
 */
import { memoryBytes, cpuMillicores } from '../src/constructs/core/node-capacity';
import { SUPPORT_MATRIX } from '../src/support-matrix';
import { expectRefused, expectRendered } from './harness/backends';
import { K8sObject } from './harness/objects';
import { formatErrors, validateObjects } from './harness/validate';

const BASE = { addons: { csi: { enabled: false } } };
const find = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const one = (objects: K8sObject[], kind: string) => {
  const found = find(objects, kind);
  expect(found).toHaveLength(1);
  return found[0];
};
const join = (objects: K8sObject[]) => one(objects, 'KubeadmConfigTemplate').spec.template.spec;
const vm = (objects: K8sObject[]) => one(objects, 'KubevirtMachineTemplate').spec.template.spec.virtualMachineTemplate.spec;

describe('kubeadm join preflight (A3)', () => {
  test.each(Object.keys(SUPPORT_MATRIX))('Kubernetes %s: FileExisting-conntrack ignored exactly where kubeadm runs it (< 1.32)', (minor) => {
    const objects = expectRendered({ ...BASE, kubernetes: { version: `v${minor}` }, nodeGroups: { md0: {} } });
    const ignored = join(objects).joinConfiguration.nodeRegistration.ignorePreflightErrors;
    if (minor === '1.31') expect(ignored).toEqual(['FileExisting-conntrack']);
    else expect(ignored).toBeUndefined();
    expect(formatErrors(validateObjects(objects, 'v1beta1'))).toBe('');
  });
});

describe('scaling from zero (B3, C8)', () => {
  const group = {
    autoscaling: { enabled: true, min: 0, max: 5 },
    kubevirt: { cores: 4, memory: '8Gi' },
    labels: { 'node.example.com/pool': 'batch', tier: 'b' },
    taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }, { key: 'gpu', effect: 'NoExecute' }],
    kubelet: { extraArgs: { 'max-pods': '200' } },
  };

  test('the MachineDeployment advertises labels, taints, max pods and allocatable (size minus reservations and eviction threshold)', () => {
    const md = one(expectRendered({ ...BASE, nodeGroups: { batch: group } }), 'MachineDeployment');
    expect(md.metadata.annotations).toEqual({
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '0',
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '5',
      // 4 CPUs minus kube-reserved 100m; 8Gi = 8192Mi minus 512Mi reserved minus the kubelet's 100Mi hard eviction.
      'capacity.cluster-autoscaler.kubernetes.io/cpu': '3900m',
      'capacity.cluster-autoscaler.kubernetes.io/memory': '7580Mi',
      // clusterapi_unstructured.go Labels(): "key1=value1,key2=value2"; Taints(): "key1=value1:condition,…".
      'capacity.cluster-autoscaler.kubernetes.io/labels': 'node.example.com/pool=batch,tier=b',
      'capacity.cluster-autoscaler.kubernetes.io/taints': 'dedicated=batch:NoSchedule,gpu:NoExecute',
      'capacity.cluster-autoscaler.kubernetes.io/maxPods': '200',
    });
  });

  test('the reservation the annotations subtract is the one the kubelet makes', () => {
    const objects = expectRendered({ ...BASE, nodeGroups: { batch: { ...group, kubelet: { ...group.kubelet, reserved: { cpu: '250m', memory: '1Gi' } } } } });
    expect(join(objects).joinConfiguration.nodeRegistration.kubeletExtraArgs).toEqual({
      'kube-reserved': 'cpu=250m,memory=1Gi', 'max-pods': '200', 'node-labels': 'node.example.com/pool=batch,tier=b',
    });
    expect(one(objects, 'MachineDeployment').metadata.annotations).toMatchObject({
      'capacity.cluster-autoscaler.kubernetes.io/cpu': '3750m',
      'capacity.cluster-autoscaler.kubernetes.io/memory': '7068Mi',
    });
  });

  test('an instancetype-sized group advertises the given size minus the reservations (examples/ha.yaml: u1.large, 2 CPUs, 8Gi)', () => {
    const md = one(expectRendered({ ...BASE, nodeGroups: { workers: { autoscaling: { enabled: true, min: 0, max: 10, capacity: { cpu: '2', memory: '8Gi' } }, kubevirt: { instancetype: 'u1.large' } } } }), 'MachineDeployment');
    expect(md.metadata.annotations).toMatchObject({ 'capacity.cluster-autoscaler.kubernetes.io/cpu': '1900m', 'capacity.cluster-autoscaler.kubernetes.io/memory': '7580Mi' });
  });

  test('quantities in every unit, rounded down: 1.5 CPUs, 4G, 3.5Gi, bytes', () => {
    const annotations = (cpu: string, memory: string) => one(expectRendered({
      ...BASE, nodeGroups: { md0: { autoscaling: { enabled: true, min: 0, max: 2, capacity: { cpu, memory } }, kubevirt: { instancetype: 'u1.medium' } } },
    }), 'MachineDeployment').metadata.annotations;
    expect(annotations('1.5', '4G')).toMatchObject({ 'capacity.cluster-autoscaler.kubernetes.io/cpu': '1400m', 'capacity.cluster-autoscaler.kubernetes.io/memory': '3202Mi' });
    expect(annotations('1500m', '3.5Gi')).toMatchObject({ 'capacity.cluster-autoscaler.kubernetes.io/cpu': '1400m', 'capacity.cluster-autoscaler.kubernetes.io/memory': '2972Mi' });
    expect(annotations('0128', '4294967296')).toMatchObject({ 'capacity.cluster-autoscaler.kubernetes.io/cpu': '127900m', 'capacity.cluster-autoscaler.kubernetes.io/memory': '3484Mi' });
  });

  test('groups that do not autoscale advertise nothing, nor do empty labels and taints', () => {
    expect(one(expectRendered({ ...BASE, nodeGroups: { md0: { labels: { a: 'b' } } } }), 'MachineDeployment').metadata.annotations).toEqual({});
    expect(Object.keys(one(expectRendered({ ...BASE, nodeGroups: { md0: { autoscaling: { enabled: true } } } }), 'MachineDeployment').metadata.annotations).sort())
      .toEqual(['capacity.cluster-autoscaler.kubernetes.io/cpu', 'capacity.cluster-autoscaler.kubernetes.io/memory',
        'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size', 'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size']);
  });

  test('reservations that leave a node nothing are refused, naming the value', () => {
    expectRefused({ ...BASE, nodeGroups: { md0: { autoscaling: { enabled: true }, kubevirt: { cores: 1 }, kubelet: { reserved: { cpu: '1' } } } } },
      'nodeGroups.md0.kubelet.reserved.cpu', 'nodeGroups.md0.kubelet.reserved.cpu: 1 leaves nothing of the node\'s 1 (0m allocatable)');
    expectRefused({ ...BASE, nodeGroups: { md0: { autoscaling: { enabled: true }, kubevirt: { memory: '1Gi' }, kubelet: { reserved: { memory: '1000Mi' } } } } },
      'nodeGroups.md0.kubelet.reserved.memory', /^nodeGroups\.md0\.kubelet\.reserved\.memory: 1000Mi plus the kubelet's 100Mi eviction threshold leaves nothing of the node's 1Gi \(-76Mi allocatable\)/);
  });

  test('a VM memory too large to compute is refused for autoscaled groups', () => {
    expectRefused({ ...BASE, nodeGroups: { md0: { autoscaling: { enabled: true }, kubevirt: { memory: '3E' } } } },
      'nodeGroups.md0.kubevirt.memory', 'nodeGroups.md0.kubevirt.memory: 3E is too large to compute what a node offers (memory) for scaling from zero');
  });

  test('kube-reserved is the chart\'s flag, max-pods an integer', () => {
    expectRefused({ ...BASE, nodeGroups: { md0: { kubelet: { extraArgs: { 'kube-reserved': 'cpu=1' } } } } },
      'nodeGroups.md0.kubelet.extraArgs.kube-reserved', 'set nodeGroups.md0.kubelet.reserved (cpu, memory) instead');
    expectRefused({ ...BASE, nodeGroups: { md0: { kubelet: { extraArgs: { 'max-pods': '1e3' } } } } },
      'nodeGroups.md0.kubelet.extraArgs.max-pods', 'nodeGroups.md0.kubelet.extraArgs.max-pods: "1e3" must be a positive integer');
  });

  test('quantity arithmetic: exact in every unit, bounded so Go\'s int64 never overflows', () => {
    expect(memoryBytes('1.5Gi')).toBe(1610612736n);
    expect(memoryBytes('0.1Ki')).toBe(102n);
    expect(memoryBytes('1500m')).toBe(1n);
    expect(memoryBytes('99999Ti')).toBe(99999n * 1024n ** 4n);
    expect(memoryBytes('999999Ti')).toBeUndefined();
    expect(memoryBytes('1E')).toBeUndefined();
    expect(memoryBytes('1Mb')).toBeUndefined();
    expect(cpuMillicores('0.0015')).toBe(1n);
    expect(cpuMillicores('2.5m')).toBe(2n);
    expect(cpuMillicores('9999999999999')).toBeUndefined();
  });
});

describe('worker image and kubelet disk (C2)', () => {
  test.each(Object.entries(SUPPORT_MATRIX))('Kubernetes %s: the default image is pinned by digest', (minor, support) => {
    const objects = expectRendered({ ...BASE, kubernetes: { version: `v${minor}` }, nodeGroups: { md0: {} } });
    const boot = vm(objects).template.spec.volumes.find((v: K8sObject) => v.name === 'boot');
    expect(boot.containerDisk.image).toBe(support.containerDiskImage);
    expect(boot.containerDisk.image).toMatch(new RegExp(`^ghcr\\.io/cozystack/cozystack/ubuntu-container-disk:v${minor.replace('.', '\\.')}-v1\\.5\\.4@sha256:[0-9a-f]{64}$`));
  });

  test('by default each VM gets a 20Gi kubelet disk, formatted when cloud-init sets the node up and holding /var/lib/kubelet and /var/lib/containerd', () => {
    const objects = expectRendered({ ...BASE, nodeGroups: { md0: {} }, infrastructure: { kubevirt: { storageClassName: 'replicated' } } });
    const spec = vm(objects);
    expect(spec.dataVolumeTemplates).toEqual([{
      metadata: { name: 'kubelet' },
      spec: { source: { blank: {} }, storage: { resources: { requests: { storage: '20Gi' } }, storageClassName: 'replicated' } },
    }]);
    expect(spec.template.spec.domain.devices.disks).toContainEqual({ name: 'kubelet', serial: 'kubelet', disk: { bus: 'virtio' } });
    expect(spec.template.spec.volumes).toContainEqual({ name: 'kubelet', dataVolume: { name: 'kubelet' } });
    const bootstrap = join(objects);
    expect(bootstrap.diskSetup).toEqual({
      filesystems: [{ device: '/dev/disk/by-id/virtio-kubelet', filesystem: 'ext4', label: 'kubelet-data', partition: 'none', overwrite: true }],
    });
    expect(bootstrap.mounts).toEqual([
      ['LABEL=kubelet-data', '/var/lib/node-data', 'ext4', 'defaults,nofail'],
      ['/var/lib/node-data/kubelet', '/var/lib/kubelet', 'none', 'bind,nofail'],
      ['/var/lib/node-data/containerd', '/var/lib/containerd', 'none', 'bind,nofail'],
    ]);
    expect(bootstrap.preKubeadmCommands[0]).toMatch(/^systemctl stop containerd; .*mount --bind \/var\/lib\/node-data\/kubelet \/var\/lib\/kubelet; .*mount --bind \/var\/lib\/node-data\/containerd \/var\/lib\/containerd; systemctl start containerd$/);
    expect(formatErrors(validateObjects(objects, 'v1beta1'))).toBe('');
  });

  test('the kubelet disk can be sized or turned off', () => {
    const off = expectRendered({ ...BASE, nodeGroups: { md0: { kubevirt: { kubeletDisk: { enabled: false } } } } });
    expect(vm(off).dataVolumeTemplates).toBeUndefined();
    expect(join(off).diskSetup).toBeUndefined();
    expect(join(off).mounts).toBeUndefined();
    const sized = expectRendered({ ...BASE, nodeGroups: { md0: { kubevirt: { kubeletDisk: { size: '80Gi', storageClassName: 'fast' } } } } });
    expect(vm(sized).dataVolumeTemplates[0].spec.storage).toEqual({ resources: { requests: { storage: '80Gi' } }, storageClassName: 'fast' });
    expectRefused({ ...BASE, nodeGroups: { md0: { kubevirt: { extraDisks: { kubelet: { size: '1Gi' } } } } } },
      'nodeGroups.md0.kubevirt.extraDisks', 'nodeGroups.md0.kubevirt.extraDisks: "boot", "kubelet" and "cloudinitvolume" are reserved disk names');
  });

  test('nodes install kubelet and kubeadm of exactly kubernetes.version before joining (checked against the published SHA-256)', () => {
    const bootstrap = join(expectRendered({ ...BASE, kubernetes: { version: 'v1.33.4' }, nodeGroups: { md0: {} } }));
    const script = bootstrap.files.find((f: K8sObject) => f.path === '/usr/local/sbin/tenant-cluster-install-kubernetes');
    expect(script).toMatchObject({ owner: 'root:root', permissions: '0755' });
    expect(script.content).toContain('url="$base/$version/bin/linux/$arch/$binary"');
    expect(script.content).toContain('sha256sum -c -');
    expect(bootstrap.preKubeadmCommands[1]).toBe("/usr/local/sbin/tenant-cluster-install-kubernetes 'https://dl.k8s.io/release' 'v1.33.4' || echo 'tenant-cluster: keeping the kubelet and kubeadm of the worker image' >&2");
    const off = join(expectRendered({ ...BASE, nodeGroups: { md0: { kubelet: { binariesUrl: '' } } } }));
    expect(off.files).toEqual([]);
    expect(off.preKubeadmCommands.some((c: string) => c.includes('tenant-cluster-install-kubernetes'))).toBe(false);
  });

  test('a binaries URL that would break out of its shell quotes is refused by the schema', () => {
    expectRefused({ ...BASE, nodeGroups: { md0: { kubelet: { binariesUrl: "https://x.example.com/'; reboot; '" } } } },
      'nodeGroups.md0.kubelet.binariesUrl', 'nodeGroups.md0.kubelet.binariesUrl', { schema: true });
  });
});

describe('kubeadm files from Secrets (issue 8)', () => {
  test('contentFrom.secret is passed to the KubeadmConfigTemplate, after the chart\'s own file, beside inline files', () => {
    const files = [
      { path: '/etc/containerd/certs.d/registry.example.com/hosts.toml', contentFrom: { secret: { name: 'registry-mirror', key: 'hosts.toml' } }, permissions: '0400' },
      { path: '/etc/sysctl.d/90-tenant.conf', content: 'vm.max_map_count = 262144\n' },
    ];
    const objects = expectRendered({ ...BASE, nodeGroups: { md0: { kubeadm: { files } } } });
    expect(join(objects).files.slice(1)).toEqual(files);
    expect(formatErrors(validateObjects(objects, 'v1beta1'))).toBe('');
  });

  test('a file with both content and contentFrom, or neither, is refused, naming it', () => {
    const bad = { path: '/etc/x', content: 'a', contentFrom: { secret: { name: 's', key: 'k' } } };
    expectRefused({ ...BASE, nodeGroups: { md0: { kubeadm: { files: [{ path: '/etc/ok', content: 'x' }, bad] } } } },
      'nodeGroups.md0.kubeadm.files.1', 'nodeGroups.md0.kubeadm.files.1: give exactly one of content (inline, nothing secret) and contentFrom.secret');
    expectRefused({ ...BASE, nodeGroups: { md0: { kubeadm: { files: [{ path: '/etc/x' }] } } } },
      'nodeGroups.md0.kubeadm.files.0', 'nodeGroups.md0.kubeadm.files.0: give exactly one of content');
  });

  test('a Secret reference needs a name and a key', () => {
    expectRefused({ ...BASE, nodeGroups: { md0: { kubeadm: { files: [{ path: '/etc/x', contentFrom: { secret: { name: 'creds' } } }] } } } },
      'nodeGroups.md0.kubeadm.files.0.contentFrom.secret', 'nodeGroups.md0.kubeadm.files.0.contentFrom.secret.key: is required', { schema: true });
  });
});
