import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  and, asString, concat, ContentHash, defaultTo, eachItem, eq, Expr, named, ne, not, or, ternary, ValueSource, VarRef, When, whenField,
} from '../../expr';
import { KubeadmConfigTemplateV1Beta1 } from '../../imports/capi-kubeadmconfigtemplate-v1beta1-bootstrap.cluster.x-k8s.io';
import { MachineDeploymentV1Beta1 } from '../../imports/capi-machinedeployment-v1beta1-cluster.x-k8s.io';
import { MachineHealthCheckV1Beta1 } from '../../imports/capi-machinehealthcheck-v1beta1-cluster.x-k8s.io';
import { KubevirtMachineTemplate } from '../../imports/kubevirt-machinetemplate-infrastructure.cluster.x-k8s.io';
import { NODE_LABELS_ARG } from '../core/node-labels';
import { CLUSTER_NAME_LABEL, DEPLOYMENT_NAME_LABEL, TenantContext } from '../core/tenant-context';
import { ALLOCATABLE_CPU_MILLI, ALLOCATABLE_MEMORY_MI, CAPACITY_LABELS, CAPACITY_TAINTS, MAX_PODS_ARG, WITH_KUBE_RESERVED } from './node-capacity';
export { KUBEADM_FILE_WITHOUT_ONE_CONTENT } from './kubevirt-functions';

export interface KubevirtNodeGroupProps {
  readonly context: TenantContext;
  /** The group's name (a key of `nodeGroups`). */
  readonly groupName: VarRef;
  /** The group's values, merged with `nodeGroupDefaults` (see the values contract). */
  readonly values: ValueSource;
  /** Full Kubernetes version of the machines. */
  readonly version: Expr;
  /** Container disk image used when the group names none. */
  readonly defaultContainerDiskImage: Expr;
  /** StorageClass of DataVolumes when the group names none (empty: the cluster default). */
  readonly defaultStorageClassName: Expr;
  /** `"true"` where the Kubernetes minor's kubeadm still runs the `FileExisting-conntrack` join preflight check. */
  readonly ignoreConntrackPreflight: Expr;
}

/** The disk name (and serial) of the kubelet disk; `/dev/disk/by-id/virtio-<serial>` inside the VM. */
export const KUBELET_DISK = 'kubelet';
/** File system label of the kubelet disk (ext4 allows 16 characters). */
const KUBELET_DISK_LABEL = 'kubelet-data';
/** Where the kubelet disk is mounted; its `kubelet` and `containerd` directories are bind-mounted over `/var/lib/…`. */
const KUBELET_DISK_MOUNT = '/var/lib/node-data';
/** The chart's script that installs kubelet and kubeadm of one version (see `kubelet.binariesUrl`). */
const INSTALL_SCRIPT = '/usr/local/sbin/tenant-cluster-install-kubernetes';

/**
 * Installs kubelet and kubeadm of exactly one version from a Kubernetes release mirror, each checked
 * against the `.sha256` published beside it (dl.k8s.io layout: `<base>/<version>/bin/linux/<arch>/<binary>`),
 * and replaced by rename so a running kubelet never sees a half-written file. Static text: the base URL
 * and version come as arguments. Cozystack v1.5.4 does the same with `/usr/bin/update-k8s.sh`
 * (packages/apps/kubernetes/templates/cluster.yaml) because its disk carries whichever patch was current
 * when it was built (images/ubuntu-container-disk/Dockerfile: `apt-get install -yq kubelet kubeadm` from
 * `pkgs.k8s.io/core:/stable:/<minor>`).
 */
const INSTALL_SCRIPT_CONTENT = `#!/bin/sh
# Installs kubelet and kubeadm of exactly one Kubernetes version (written by the tenant-cluster chart).
# Usage: ${INSTALL_SCRIPT} <base URL> <version>
set -eu
base="$1"
version="$2"
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) echo "tenant-cluster: no Kubernetes binaries for $(uname -m)" >&2; exit 1 ;;
esac
if [ "$(kubelet --version 2>/dev/null)" = "Kubernetes $version" ] && [ "$(kubeadm version -o short 2>/dev/null)" = "$version" ]; then
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for binary in kubelet kubeadm; do
  url="$base/$version/bin/linux/$arch/$binary"
  curl -fsSL --retry 5 --connect-timeout 10 --max-time 600 -o "$tmp/$binary" "$url"
  echo "$(curl -fsSL --retry 5 --connect-timeout 10 --max-time 60 "$url.sha256")  $tmp/$binary" | sha256sum -c - >/dev/null
done
for binary in kubelet kubeadm; do
  install -m 0755 "$tmp/$binary" "/usr/bin/.$binary.new"
  mv -f "/usr/bin/.$binary.new" "/usr/bin/$binary"
done
echo "tenant-cluster: installed kubelet and kubeadm $version"
`;

/**
 * One worker node group on KubeVirt: a content-hash-named `KubevirtMachineTemplate` and
 * `KubeadmConfigTemplate` (immutable in practice: a change makes new templates and a rollout),
 * the `MachineDeployment` pointing at them and a `MachineHealthCheck`.
 * @see https://cluster-api.sigs.k8s.io/tasks/automated-machine-management/healthchecking
 */
export class KubevirtNodeGroup extends Construct {
  public readonly machineTemplate: ApiObject;
  public readonly bootstrapTemplate: ApiObject;
  public readonly machineDeployment: ApiObject;
  /** Millicores a node offers pods, as advertised for scaling from zero (a decimal string; `""` when it cannot be computed). */
  public readonly allocatableCpuMilli: Expr;
  /** MiB of memory a node offers pods, as advertised for scaling from zero (a decimal string; `""` when it cannot be computed). */
  public readonly allocatableMemoryMi: Expr;

  public constructor(scope: Construct, id: string, props: KubevirtNodeGroupProps) {
    super(scope, id);
    const { context, values: group, groupName } = props;
    const deploymentName = `${named('deploymentName', concat(context.clusterName, '-', groupName))}`;
    const autoscaling = group.bool('autoscaling.enabled');
    const sizedByVm = eq(group.str('kubevirt.instancetype'), '');
    const capacityCpu = named('capacityCpu', defaultTo(group.str('autoscaling.capacity.cpu'), ternary(sizedByVm, concat(group.int('kubevirt.cores')), '')));
    const capacityMemory = named('capacityMemory', defaultTo(group.str('autoscaling.capacity.memory'), ternary(sizedByVm, group.str('kubevirt.memory'), '')));
    // What pods get of such a node: the size minus the kubelet's reservations (the autoscaler takes the
    // advertised capacity as the node's allocatable); TenantCluster refuses what leaves nothing.
    this.allocatableCpuMilli = ALLOCATABLE_CPU_MILLI.call(capacityCpu, group.str('kubelet.reserved.cpu'));
    this.allocatableMemoryMi = ALLOCATABLE_MEMORY_MI.call(capacityMemory, group.str('kubelet.reserved.memory'));
    const labels = CAPACITY_LABELS.call(group.map('labels'));
    const taints = CAPACITY_TAINTS.call(group.list('taints'));
    const maxPods = MAX_PODS_ARG.call(group.map('kubelet.extraArgs'));
    const selectorLabels = { [CLUSTER_NAME_LABEL]: `${context.clusterName}`, [DEPLOYMENT_NAME_LABEL]: deploymentName };
    // Each template's name hashes its own spec (hence the late-bound targets); the MachineDeployment uses the same names.
    const machineTemplateName = `${deploymentName}-${new ContentHash(() => this.machineTemplate, ['spec'])}`;
    const bootstrapTemplateName = `${deploymentName}-${new ContentHash(() => this.bootstrapTemplate, ['spec'])}`;

    // No `helm.sh/resource-policy: keep`: Helm deletes a superseded template on upgrade. Cluster API tolerates
    // a missing template for every MachineSet but the MachineDeployment's current revision (which references
    // the new templates): kubernetes-sigs/cluster-api v1.10.10 … v1.14.0 MachineSet controller
    // `reconcileExternalTemplateReference`: "When the MachineSet is part of a MachineDeployment but isn't the
    // current revision, we should ignore the not found references and allow the controller to proceed", and
    // it remediates no machine of a non-current revision. Old machines keep their own cloned
    // KubevirtMachine and KubeadmConfig. Kept templates would pile up until the Cluster is deleted.
    this.machineTemplate = new ApiObject(this, 'MachineTemplate', {
      ...KubevirtMachineTemplate.GVK,
      metadata: {
        name: machineTemplateName,
        namespace: `${context.namespace}`,
        labels: context.labels(),
      },
      spec: { template: { spec: this.machineSpec(props) } },
    });

    this.bootstrapTemplate = new ApiObject(this, 'BootstrapTemplate', {
      ...KubeadmConfigTemplateV1Beta1.GVK,
      metadata: {
        name: bootstrapTemplateName,
        namespace: `${context.namespace}`,
        labels: context.labels(),
      },
      spec: { template: { spec: this.bootstrapSpec(props) } },
    });

    this.machineDeployment = new ApiObject(this, 'MachineDeployment', {
      ...MachineDeploymentV1Beta1.GVK,
      metadata: {
        name: deploymentName,
        namespace: `${context.namespace}`,
        labels: context.labels(),
        annotations: {
          // Cluster API seeds `replicas` from the min size on create and keeps the live value afterwards.
          'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': whenField(autoscaling, asString(group.int('autoscaling.min'))),
          'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': whenField(autoscaling, asString(group.int('autoscaling.max'))),
          // For scaling up from zero: what a node offers pods (its size, given or the VM's own when no
          // instancetype sizes it, minus the kubelet's reservations), its labels, taints and pod capacity.
          'capacity.cluster-autoscaler.kubernetes.io/cpu': whenField(and(autoscaling, ne(capacityCpu, '')), asString(concat(this.allocatableCpuMilli, 'm'))),
          'capacity.cluster-autoscaler.kubernetes.io/memory': whenField(and(autoscaling, ne(capacityMemory, '')), asString(concat(this.allocatableMemoryMi, 'Mi'))),
          'capacity.cluster-autoscaler.kubernetes.io/labels': whenField(and(autoscaling, ne(labels, '')), asString(labels)),
          'capacity.cluster-autoscaler.kubernetes.io/taints': whenField(and(autoscaling, ne(taints, '')), asString(taints)),
          'capacity.cluster-autoscaler.kubernetes.io/maxPods': whenField(and(autoscaling, ne(maxPods, '')), asString(maxPods)),
        },
      },
      spec: {
        clusterName: `${context.clusterName}`,
        replicas: whenField(not(autoscaling), group.int('replicas')),
        selector: { matchLabels: selectorLabels },
        template: {
          metadata: { labels: selectorLabels },
          spec: {
            clusterName: `${context.clusterName}`,
            version: props.version,
            bootstrap: {
              configRef: {
                apiVersion: KubeadmConfigTemplateV1Beta1.GVK.apiVersion,
                kind: KubeadmConfigTemplateV1Beta1.GVK.kind,
                name: bootstrapTemplateName,
              },
            },
            infrastructureRef: {
              apiVersion: KubevirtMachineTemplate.GVK.apiVersion,
              kind: KubevirtMachineTemplate.GVK.kind,
              name: machineTemplateName,
            },
          },
        },
      },
    });

    const healthCheck = new When(this, 'HealthCheckEnabled', group.bool('healthCheck.enabled'));
    new ApiObject(healthCheck, 'MachineHealthCheck', {
      ...MachineHealthCheckV1Beta1.GVK,
      metadata: { name: deploymentName, namespace: `${context.namespace}`, labels: context.labels() },
      spec: {
        clusterName: `${context.clusterName}`,
        selector: { matchLabels: selectorLabels },
        maxUnhealthy: group.str('healthCheck.maxUnhealthy'),
        nodeStartupTimeout: group.str('healthCheck.nodeStartupTimeout'),
        unhealthyConditions: [
          { type: 'Ready', status: 'Unknown', timeout: group.str('healthCheck.readyUnknownTimeout') },
          { type: 'Ready', status: 'False', timeout: group.str('healthCheck.readyFalseTimeout') },
        ],
      },
    });
  }

  /** `KubevirtMachineTemplate.spec.template.spec`: the VM of every machine of the group. */
  private machineSpec(props: KubevirtNodeGroupProps): unknown {
    const { values: group } = props;
    const instancetype = group.str('kubevirt.instancetype');
    const sizedByInstancetype = ne(instancetype, '');
    const bootType = group.str('kubevirt.bootImage.type');
    const bootFromDataVolume = eq(bootType, 'dataVolume');
    const extraDisks = group.map('kubevirt.extraDisks');
    // A missing or empty class falls back to the infrastructure default (extra disks have no defaults merged in).
    const storageClass = (name: Expr) => defaultTo(name, props.defaultStorageClassName);
    const dataVolumeStorage = (size: Expr, storageClassName: Expr) => ({
      resources: { requests: { storage: size } },
      storageClassName: whenField(ne(storageClassName, ''), storageClassName),
    });
    const bootStorageClass = storageClass(group.str('kubevirt.bootImage.dataVolume.storageClassName'));
    const kubeletDisk = group.bool('kubevirt.kubeletDisk.enabled');
    return {
      // Kamaji-managed clusters have no SSH keys for CAPK's bootstrap check.
      virtualMachineBootstrapCheck: { checkStrategy: 'none' },
      virtualMachineTemplate: {
        metadata: { namespace: `${props.context.namespace}` },
        spec: {
          runStrategy: 'Always',
          instancetype: whenField(sizedByInstancetype, { kind: group.str('kubevirt.instancetypeKind'), name: instancetype }),
          // CAPK prefixes these names with the machine name and rewrites the volumes that use them.
          dataVolumeTemplates: whenField(or(bootFromDataVolume, kubeletDisk, extraDisks), eachItem<unknown>(extraDisks, { key: 'diskName', item: 'disk' }, (disk, diskName) => ({
            metadata: { name: diskName },
            spec: { source: { blank: {} }, storage: dataVolumeStorage(disk.str('size'), storageClass(disk.str('storageClassName'))) },
          }), [whenField(bootFromDataVolume, {
            metadata: { name: 'boot' },
            spec: {
              source: group.map('kubevirt.bootImage.dataVolume.source'),
              storage: dataVolumeStorage(group.str('kubevirt.bootImage.dataVolume.size'), bootStorageClass),
            },
          }), whenField(kubeletDisk, {
            metadata: { name: KUBELET_DISK },
            spec: {
              source: { blank: {} },
              storage: dataVolumeStorage(group.str('kubevirt.kubeletDisk.size'), storageClass(group.str('kubevirt.kubeletDisk.storageClassName'))),
            },
          })])),
          template: {
            metadata: {
              labels: { [CLUSTER_NAME_LABEL]: `${props.context.clusterName}` },
              annotations: { 'kubevirt.io/allow-pod-bridge-network-live-migration': 'true' },
            },
            spec: {
              domain: {
                cpu: whenField(not(sizedByInstancetype), { cores: group.int('kubevirt.cores') }),
                memory: whenField(not(sizedByInstancetype), { guest: group.str('kubevirt.memory') }),
                devices: {
                  disks: eachItem<unknown>(extraDisks, { key: 'diskName', item: 'disk' }, (_disk, diskName) => ({
                    name: diskName,
                    serial: diskName,
                    disk: { bus: 'virtio' },
                  }), [
                    { name: 'boot', disk: { bus: 'virtio' } },
                    // The serial names the disk inside the VM: /dev/disk/by-id/virtio-kubelet (bootstrapSpec formats and mounts it).
                    whenField(kubeletDisk, { name: KUBELET_DISK, serial: KUBELET_DISK, disk: { bus: 'virtio' } }),
                  ]),
                  // Bridge binding: the VM owns the pod IP, which the kubelet registers as its InternalIP.
                  interfaces: [{ name: 'default', bridge: {} }],
                },
              },
              networks: [{ name: 'default', pod: {} }],
              evictionStrategy: group.str('kubevirt.evictionStrategy'),
              volumes: eachItem<unknown>(extraDisks, { key: 'diskName', item: 'disk' }, (_disk, diskName) => ({
                name: diskName,
                dataVolume: { name: diskName },
              }), [{
                name: 'boot',
                containerDisk: whenField(not(bootFromDataVolume), {
                  image: ternary(ne(group.str('kubevirt.bootImage.containerDiskImage'), ''), group.str('kubevirt.bootImage.containerDiskImage'), props.defaultContainerDiskImage),
                }),
                dataVolume: whenField(bootFromDataVolume, { name: 'boot' }),
              }, whenField(kubeletDisk, { name: KUBELET_DISK, dataVolume: { name: KUBELET_DISK } })]),
            },
          },
        },
      },
    };
  }

  /** `KubeadmConfigTemplate.spec.template.spec`: how each machine joins. */
  private bootstrapSpec(props: KubevirtNodeGroupProps): unknown {
    const { context, values: group } = props;
    const fqdn = context.controlPlaneServiceFqdn;
    // Kamaji's cluster-info (what kubeadm and the kubelet use after discovery) names the Service by its
    // short `<name>.<ns>.svc` form; pin it to the Service address so joining never depends on the VM's
    // DNS search path (which breaks with management cluster domains other than cluster.local).
    const pinControlPlaneName = concat(
      'fqdn=', fqdn, '; short=', context.clusterName, '.', context.namespace, '.svc; ',
      'for i in $(seq 1 60); do ip=$(getent ahostsv4 "$fqdn" | awk \'NR==1 {print $1}\'); [ -n "$ip" ] && break; sleep 5; done; ',
      '[ -n "$ip" ] && echo "$ip $short $fqdn" >> /etc/hosts',
    );
    const kubeletDisk = group.bool('kubevirt.kubeletDisk.enabled');
    const binariesUrl = group.str('kubelet.binariesUrl');
    const installBinaries = ne(binariesUrl, '');
    // Before kubeadm writes anything there: containerd (started at boot, on the boot disk) moves onto the
    // kubelet disk. Without the disk mounted (it failed to attach) the directories stay on the boot disk.
    const moveStateToKubeletDisk = [
      'systemctl stop containerd',
      `mkdir -p ${KUBELET_DISK_MOUNT}/kubelet ${KUBELET_DISK_MOUNT}/containerd /var/lib/kubelet /var/lib/containerd`,
      `mountpoint -q /var/lib/kubelet || mount --bind ${KUBELET_DISK_MOUNT}/kubelet /var/lib/kubelet`,
      `mountpoint -q /var/lib/containerd || mount --bind ${KUBELET_DISK_MOUNT}/containerd /var/lib/containerd`,
      'systemctl start containerd',
    ].join('; ');
    // Quoted as single shell words: the URL's schema pattern and the support matrix's versions hold no quote.
    const installCommand = concat(INSTALL_SCRIPT, " '", binariesUrl, "' '", props.version, "' || echo 'tenant-cluster: keeping the kubelet and kubeadm of the worker image' >&2");
    return {
      joinConfiguration: {
        discovery: { bootstrapToken: { apiServerEndpoint: concat(fqdn, ':', context.apiServerPort) } },
        nodeRegistration: {
          kubeletExtraArgs: WITH_KUBE_RESERVED.call(NODE_LABELS_ARG.call(group.map('kubelet.extraArgs'), group.map('labels')),
            group.str('kubelet.reserved.cpu'), group.str('kubelet.reserved.memory')),
          taints: group.list('taints'),
          // kubeadm < 1.32 fails join without a conntrack binary, which the worker image lacks (see the support matrix).
          ignorePreflightErrors: whenField(eq(props.ignoreConntrackPreflight, 'true'), ['FileExisting-conntrack']),
        },
      },
      // cloud-init formats the kubelet disk and mounts it by label (KubeadmConfigTemplate v1beta1 `diskSetup.filesystems`
      // and `mounts`, kubernetes-sigs/cluster-api v1.10.10 bootstrap/kubeadm CRD). With `partition: none` cloud-init
      // formats the raw device whenever it sets the node up, `-F`, without looking for an existing file system
      // (canonical/cloud-init cloudinit/config/cc_disk_setup.py `mkfs`: only numbered partitions are checked;
      // the by-id symlink is resolved with `os.path.realpath`): a container-disk VM gets a fresh root at every
      // boot and so a fresh kubelet disk too, never kubelet state that its /etc/kubernetes no longer matches;
      // `overwrite: true` says so. Cozystack v1.5.4 formats xfs on /dev/vdb the same way (templates/cluster.yaml,
      // with `overwrite: false`, which `partition: none` ignores); the serial keeps the device name independent
      // of the disk order.
      diskSetup: whenField(kubeletDisk, {
        filesystems: [{
          device: `/dev/disk/by-id/virtio-${KUBELET_DISK}`, filesystem: 'ext4', label: KUBELET_DISK_LABEL, partition: 'none', overwrite: true,
        }],
      }),
      // In fstab too, so that a VM whose root persists (a DataVolume boot disk; cloud-init does not run again)
      // mounts them at boot; on first boot the bind sources do not exist yet (`nofail`): preKubeadmCommands binds them.
      mounts: whenField(kubeletDisk, [
        [`LABEL=${KUBELET_DISK_LABEL}`, KUBELET_DISK_MOUNT, 'ext4', 'defaults,nofail'],
        [`${KUBELET_DISK_MOUNT}/kubelet`, '/var/lib/kubelet', 'none', 'bind,nofail'],
        [`${KUBELET_DISK_MOUNT}/containerd`, '/var/lib/containerd', 'none', 'bind,nofail'],
      ]),
      files: eachItem<unknown>(group.list('kubeadm.files'), { key: 'fileIndex', item: 'file' }, (f) => f, [
        whenField(installBinaries, { path: INSTALL_SCRIPT, owner: 'root:root', permissions: '0755', content: INSTALL_SCRIPT_CONTENT }),
      ]),
      preKubeadmCommands: eachItem<unknown>(group.list('kubeadm.preKubeadmCommands'), { key: 'commandIndex', item: 'command', itemType: 'string' }, (c) => c, [
        whenField(kubeletDisk, moveStateToKubeletDisk),
        whenField(installBinaries, installCommand),
        pinControlPlaneName,
      ]),
      postKubeadmCommands: group.list('kubeadm.postKubeadmCommands'),
    };
  }
}

