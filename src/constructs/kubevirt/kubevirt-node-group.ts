import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  concat, ContentHash, defaultTo, eachItem, eq, Expr, named, ne, not, or, ternary, ValueSource, VarRef, whenField,
} from '../../expr';
import { KubevirtMachineTemplate } from '../../imports/kubevirt-machinetemplate-infrastructure.cluster.x-k8s.io';
import { NodeGroup, NodeGroupBootstrap } from '../core/node-group';
import { CLUSTER_NAME_LABEL, controlPlaneNameOf, TenantContext } from '../core/tenant-context';
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
/**
 * One worker node group on KubeVirt: a content-hash-named `KubevirtMachineTemplate` (the VM of every machine;
 * immutable in practice: a change makes a new template and a rollout) and the {@link NodeGroup} around it, whose
 * machines pin the control plane Service's name (they sit on the management pod network) and keep the kubelet's
 * and containerd's state on a disk of their own.
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
    const deploymentName = NodeGroup.deploymentNameOf(context, groupName);
    // Without an instancetype the VM's own cores and memory size a node.
    const sizedByVm = eq(group.str('kubevirt.instancetype'), '');
    const capacityCpu = named('capacityCpu', defaultTo(group.str('autoscaling.capacity.cpu'), ternary(sizedByVm, concat(group.int('kubevirt.cores')), '')));
    const capacityMemory = named('capacityMemory', defaultTo(group.str('autoscaling.capacity.memory'), ternary(sizedByVm, group.str('kubevirt.memory'), '')));
    // The template's name hashes its own spec (hence the late-bound target); the MachineDeployment uses the same name.
    const machineTemplateName = `${deploymentName}-${new ContentHash(() => this.machineTemplate, ['spec'])}`;

    // No `helm.sh/resource-policy: keep`, as for the bootstrap template (see NodeGroup).
    this.machineTemplate = new ApiObject(this, 'MachineTemplate', {
      ...KubevirtMachineTemplate.GVK,
      metadata: {
        name: machineTemplateName,
        namespace: `${context.namespace}`,
        labels: context.labels(),
      },
      spec: { template: { spec: this.machineSpec(props) } },
    });

    const nodeGroup = new NodeGroup(this, 'Machines', {
      context,
      groupName,
      values: group,
      version: props.version,
      machineTemplate: { ref: { apiVersion: KubevirtMachineTemplate.GVK.apiVersion, kind: KubevirtMachineTemplate.GVK.kind }, name: machineTemplateName },
      capacity: { cpu: capacityCpu, memory: capacityMemory },
      bootstrap: this.bootstrap(props),
    });
    this.bootstrapTemplate = nodeGroup.bootstrapTemplate;
    this.machineDeployment = nodeGroup.machineDeployment;
    this.allocatableCpuMilli = nodeGroup.allocatableCpuMilli;
    this.allocatableMemoryMi = nodeGroup.allocatableMemoryMi;
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

  /** How each machine joins: the KubeVirt part of the bootstrap template. */
  private bootstrap(props: KubevirtNodeGroupProps): NodeGroupBootstrap {
    const { context, values: group } = props;
    const fqdn = context.controlPlaneServiceFqdn;
    // Kamaji's cluster-info (what kubeadm and the kubelet use after discovery) names the Service by its
    // short `<name>.<ns>.svc` form; pin it to the Service address so joining never depends on the VM's
    // DNS search path (which breaks with management cluster domains other than cluster.local).
    const pinControlPlaneName = concat(
      'fqdn=', fqdn, '; short=', controlPlaneNameOf(context), '.', context.namespace, '.svc; ',
      'for i in $(seq 1 60); do ip=$(getent ahostsv4 "$fqdn" | awk \'NR==1 {print $1}\'); [ -n "$ip" ] && break; sleep 5; done; ',
      '[ -n "$ip" ] && echo "$ip $short $fqdn" >> /etc/hosts',
    );
    const kubeletDisk = group.bool('kubevirt.kubeletDisk.enabled');
    // Before kubeadm writes anything there: containerd (started at boot, on the boot disk) moves onto the
    // kubelet disk. Without the disk mounted (it failed to attach) the directories stay on the boot disk.
    const moveStateToKubeletDisk = [
      'systemctl stop containerd',
      `mkdir -p ${KUBELET_DISK_MOUNT}/kubelet ${KUBELET_DISK_MOUNT}/containerd /var/lib/kubelet /var/lib/containerd`,
      `mountpoint -q /var/lib/kubelet || mount --bind ${KUBELET_DISK_MOUNT}/kubelet /var/lib/kubelet`,
      `mountpoint -q /var/lib/containerd || mount --bind ${KUBELET_DISK_MOUNT}/containerd /var/lib/containerd`,
      'systemctl start containerd',
    ].join('; ');
    return {
      discovery: { bootstrapToken: { apiServerEndpoint: concat(fqdn, ':', context.apiServerPort) } },
      // kubeadm < 1.32 fails join without a conntrack binary, which the worker image lacks (see the support matrix).
      ignorePreflightErrors: whenField(eq(props.ignoreConntrackPreflight, 'true'), ['FileExisting-conntrack']),
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
      commandsBeforeInstall: [whenField(kubeletDisk, moveStateToKubeletDisk)],
      commandsAfterInstall: [pinControlPlaneName],
    };
  }
}
