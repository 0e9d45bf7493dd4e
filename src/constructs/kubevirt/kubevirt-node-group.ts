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
import { CLUSTER_NAME_LABEL, DEPLOYMENT_NAME_LABEL, KEEP_ON_UPGRADE, TenantContext } from '../core/tenant-context';

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
}

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

  public constructor(scope: Construct, id: string, props: KubevirtNodeGroupProps) {
    super(scope, id);
    const { context, values: group, groupName } = props;
    const deploymentName = `${named('deploymentName', concat(context.clusterName, '-', groupName))}`;
    const autoscaling = group.bool('autoscaling.enabled');
    const sizedByVm = eq(group.str('kubevirt.instancetype'), '');
    const capacityCpu = named('capacityCpu', defaultTo(group.str('autoscaling.capacity.cpu'), ternary(sizedByVm, concat(group.int('kubevirt.cores')), '')));
    const capacityMemory = named('capacityMemory', defaultTo(group.str('autoscaling.capacity.memory'), ternary(sizedByVm, group.str('kubevirt.memory'), '')));
    const selectorLabels = { [CLUSTER_NAME_LABEL]: `${context.clusterName}`, [DEPLOYMENT_NAME_LABEL]: deploymentName };
    // Each template's name hashes its own spec (hence the late-bound targets); the MachineDeployment uses the same names.
    const machineTemplateName = `${deploymentName}-${new ContentHash(() => this.machineTemplate, ['spec'])}`;
    const bootstrapTemplateName = `${deploymentName}-${new ContentHash(() => this.bootstrapTemplate, ['spec'])}`;

    this.machineTemplate = new ApiObject(this, 'MachineTemplate', {
      ...KubevirtMachineTemplate.GVK,
      metadata: {
        name: machineTemplateName,
        namespace: `${context.namespace}`,
        labels: context.labels(),
        annotations: KEEP_ON_UPGRADE,
      },
      spec: { template: { spec: this.machineSpec(props) } },
    });

    this.bootstrapTemplate = new ApiObject(this, 'BootstrapTemplate', {
      ...KubeadmConfigTemplateV1Beta1.GVK,
      metadata: {
        name: bootstrapTemplateName,
        namespace: `${context.namespace}`,
        labels: context.labels(),
        annotations: KEEP_ON_UPGRADE,
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
          // A node's size, for scaling up from zero: given, or the VM's own when no instancetype sizes it.
          'capacity.cluster-autoscaler.kubernetes.io/cpu': whenField(and(autoscaling, ne(capacityCpu, '')), asString(capacityCpu)),
          'capacity.cluster-autoscaler.kubernetes.io/memory': whenField(and(autoscaling, ne(capacityMemory, '')), asString(capacityMemory)),
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
    return {
      // Kamaji-managed clusters have no SSH keys for CAPK's bootstrap check.
      virtualMachineBootstrapCheck: { checkStrategy: 'none' },
      virtualMachineTemplate: {
        metadata: { namespace: `${props.context.namespace}` },
        spec: {
          runStrategy: 'Always',
          instancetype: whenField(sizedByInstancetype, { kind: group.str('kubevirt.instancetypeKind'), name: instancetype }),
          // CAPK prefixes these names with the machine name and rewrites the volumes that use them.
          dataVolumeTemplates: whenField(or(bootFromDataVolume, extraDisks), eachItem<unknown>(extraDisks, { key: 'diskName', item: 'disk' }, (disk, diskName) => ({
            metadata: { name: diskName },
            spec: { source: { blank: {} }, storage: dataVolumeStorage(disk.str('size'), storageClass(disk.str('storageClassName'))) },
          }), [whenField(bootFromDataVolume, {
            metadata: { name: 'boot' },
            spec: {
              source: group.map('kubevirt.bootImage.dataVolume.source'),
              storage: dataVolumeStorage(group.str('kubevirt.bootImage.dataVolume.size'), bootStorageClass),
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
                  }), [{ name: 'boot', disk: { bus: 'virtio' } }]),
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
              }]),
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
    return {
      joinConfiguration: {
        discovery: { bootstrapToken: { apiServerEndpoint: concat(fqdn, ':', context.apiServerPort) } },
        nodeRegistration: {
          kubeletExtraArgs: NODE_LABELS_ARG.call(group.map('kubelet.extraArgs'), group.map('labels')),
          taints: group.list('taints'),
        },
      },
      files: group.list('kubeadm.files'),
      preKubeadmCommands: eachItem<unknown>(group.list('kubeadm.preKubeadmCommands'), { key: 'commandIndex', item: 'command', itemType: 'string' }, (c) => c, [pinControlPlaneName]),
      postKubeadmCommands: group.list('kubeadm.postKubeadmCommands'),
    };
  }
}

