import { Construct } from 'constructs';
import { and, concat, Expr, hasKey, named, ne, RenderCheck, VarRef, When, whenField } from '../../expr';
import { NodeGroup } from '../core/node-group';
import { TenantContext } from '../core/tenant-context';
import { WITH_EXTERNAL_CLOUD_PROVIDER } from './openstack-functions';
import { OpenStackMachineTemplate } from './openstack-machine-template';

export interface OpenStackNodeGroupProps {
  /**
   * The tenant cluster's shared facts: the MachineDeployment names (`<prefix>-<group>`) and the API server port the
   * workers join through, plus names, namespace and labels for the group's objects.
   */
  readonly context: TenantContext;
  /** The group's name (a key of `nodeGroups`). */
  readonly groupName: VarRef;
  /** The group's values, merged with `nodeGroupDefaults` (see the values contract). */
  readonly values: VarRef;
  /** Full Kubernetes version of the machines. */
  readonly version: Expr;
  /** Values path of the group, for messages (`nodeGroups.<g>`). */
  readonly path: Expr;
  /** Whether CAPO writes the flavors' capacity into the machine templates (`infrastructure.openstack.capacityFromFlavor`). */
  readonly capacityFromFlavor: Expr;
  /**
   * The address the workers reach the API server at when one is advertised (`controlPlane.endpoint.advertiseAddress`;
   * `""`: the load balancer's, which Cluster API fills in).
   */
  readonly advertiseAddress: Expr;
  /**
   * Render the group only while this holds (e.g. `infrastructure.provider` is `openstack`): its objects then sit in a
   * `When`, its render checks (which apply only then) in the enclosing scope, beside the other node group checks.
   * @default - always
   */
  readonly when?: Expr;
}

/**
 * cloud-init's instance host name, which kubeadm gets literally (cloud-init renders it): the node is named like its
 * Nova server, and so like its Machine, as CAPO's own templates do (cluster-api-provider-openstack v0.14.7
 * templates/cluster-template.yaml, `nodeRegistration.name: '{{ local_hostname }}'`). The OpenStack
 * cloud-controller-manager finds a node's server by that name until the provider ID is set
 * (pkg/openstack/instances.go `getInstance`, cloud-provider-openstack v1.34.1).
 */
export const CLOUD_INIT_HOSTNAME = '{{ local_hostname }}';

/**
 * One worker node group on OpenStack: a content-hash-named `OpenStackMachineTemplate` (the Nova server of every
 * machine) and the {@link NodeGroup} around it. Unlike KubeVirt's, its machines join at the address Cluster API
 * knows (`Cluster.spec.controlPlaneEndpoint`: the load balancer's, which the Kamaji provider patched into the
 * OpenStackCluster) or the advertised one, pin no host name (the control plane is not a Service they could
 * resolve), run the kubelet with `cloud-provider: external` and take their zone from the group's
 * `availabilityZone` (the MachineDeployment's failure domain).
 */
export class OpenStackNodeGroup extends Construct {
  public readonly machineTemplate: OpenStackMachineTemplate;
  public readonly nodeGroup: NodeGroup;

  public constructor(scope: Construct, id: string, props: OpenStackNodeGroupProps) {
    super(scope, id);
    const { context, values: group, groupName } = props;
    const deploymentName = NodeGroup.deploymentNameOf(context, groupName);
    const objects = props.when ? new When(this, 'Enabled', props.when) : this;
    const applies = (condition: Expr) => (props.when ? and(props.when, condition) : condition);
    this.machineTemplate = new OpenStackMachineTemplate(objects, 'MachineTemplate', {
      context,
      deploymentName,
      group,
      path: props.path,
      capacityFromFlavor: props.capacityFromFlavor,
      checks: props.when ? { scope: new Construct(this, 'MachineTemplateChecks'), applies: props.when } : undefined,
    });
    const advertised = ne(props.advertiseAddress, '');
    this.nodeGroup = new NodeGroup(objects, 'Machines', {
      context,
      groupName,
      values: group,
      version: props.version,
      machineTemplate: { ref: OpenStackMachineTemplate.REF, name: this.machineTemplate.name },
      failureDomain: this.machineTemplate.failureDomain,
      bootstrapSpecVariable: 'openStackBootstrapTemplateSpec',
      // Only what the values say: the chart cannot read Nova (CAPO's AutoScaleFromZero fills the templates' status instead).
      capacity: { cpu: named('givenCapacityCpu', group.str('autoscaling.capacity.cpu')), memory: named('givenCapacityMemory', group.str('autoscaling.capacity.memory')) },
      bootstrap: {
        // Cluster API fills an empty endpoint with `Cluster.spec.controlPlaneEndpoint` (kubernetes-sigs/cluster-api
        // v1.10.10 bootstrap/kubeadm/internal/controllers/kubeadmconfig_controller.go `reconcileDiscovery`), which
        // the Kamaji provider sets to the TenantControlPlane's assigned address, the load balancer's
        // (cluster-api-control-plane-provider-kamaji v0.19.0 controllers/kamajicontrolplane_controller.go `patchCluster`
        // with `tcp.Status.ControlPlaneEndpoint`). An advertised address is what the workers can reach instead: they
        // discover `cluster-info` there (which names the advertised address too, see KamajiControlPlane).
        discovery: whenField(advertised, { bootstrapToken: { apiServerEndpoint: concat(props.advertiseAddress, ':', context.apiServerPort) } }),
        nodeName: CLOUD_INIT_HOSTNAME,
        kubeletArgs: WITH_EXTERNAL_CLOUD_PROVIDER.call(group.map('kubelet.extraArgs')),
      },
    });
    new RenderCheck(this, 'CloudProviderIsChartOwned', {
      failWhen: applies(hasKey(group.map('kubelet.extraArgs'), 'cloud-provider')),
      message: concat(props.path, '.kubelet.extraArgs.cloud-provider: the chart sets it to "external" on OpenStack (the OpenStack ',
        'cloud-controller-manager initializes the nodes); remove it'),
    });
  }
}
