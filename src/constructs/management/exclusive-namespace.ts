import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { and, lit, not, RenderCheck, templateFolder, ternary, Values, valuesAt, When } from '../../expr';
import { onKubevirt, onOpenStack, TenantContext } from '../core/tenant-context';

export interface ExclusiveNamespaceProps {
  /**
   * The tenant cluster's shared facts: the release namespace the claim ConfigMap is created in, the cluster name it
   * records as the owner, and its labels.
   */
  readonly context: TenantContext;
}

/**
 * Name of the ConfigMap that claims a namespace: the same in every release, so a second release of the chart in the
 * namespace would have to adopt an object another release owns, which Helm refuses ("… exists and cannot be imported
 * into the current release: invalid ownership metadata"; helm/helm v3.18.0 pkg/action/validate.go
 * existingResourceConflict, called by install.go and upgrade.go; v4.1.4 pkg/action/install.go).
 */
export const NAMESPACE_CLAIM_NAME = 'tenant-cluster-owns-this-namespace';

/**
 * One tenant cluster per namespace (`addons.exclusiveNamespace`), enforced with a ConfigMap of a fixed name. Two
 * tenants must not share a namespace:
 * - the KubeVirt CSI controller hot-plugs a volume into the VM named by the node ID the tenant's node reports, looked
 *   up by name only (kubevirt/csi-driver 27b52aa2 pkg/service/controller.go ControllerPublishVolume,
 *   pkg/kubevirt/client.go GetWorkloadManagingVirtualMachine); its DataVolumes are checked against the cluster's
 *   labels, the VMs are not, so a tenant admin could attach its volumes to a neighbour's VM;
 * - the cloud-controller-manager's EndpointSlice controller reconciles every LoadBalancer Service of the namespace
 *   against its own tenant (kubevirt/cloud-provider-kubevirt v0.6.0 pkg/controller/kubevirteps reconcile checks only
 *   that the tenant labels exist), and would empty a neighbour's endpoints: with it on, sharing is refused.
 * On OpenStack neither controller looks at the management cluster's objects, but the release's objects and Kamaji's
 * are still named `<cluster>-<suffix>` (a cluster named like another's `<cluster>-<component>` collides with it), and
 * every release in a namespace can mount any credentials Secret there (`infrastructure.openstack.identity.secretName`).
 */
export class ExclusiveNamespace extends Construct {
  public constructor(scope: Construct, id: string, props: ExclusiveNamespaceProps) {
    super(scope, id);
    templateFolder(this);
    const { context } = props;
    const exclusive = Values.bool('addons.exclusiveNamespace');
    const ccm = valuesAt('addons.cloudControllerManager');
    new RenderCheck(this, 'NotSharedWithEndpointSlices', {
      failWhen: and(not(exclusive), onKubevirt(), ccm.bool('enabled'), ccm.bool('loadBalancer.enabled'), ccm.bool('loadBalancer.enableEPSController')),
      message: lit('addons.exclusiveNamespace: must be true while addons.cloudControllerManager.loadBalancer.enableEPSController is true '
        + '(the EndpointSlice controller reconciles every LoadBalancer Service of the namespace, other tenants\' too)'),
    });
    new ApiObject(new When(this, 'Claimed', exclusive), 'Claim', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: NAMESPACE_CLAIM_NAME, namespace: `${context.namespace}`, labels: context.labels({ 'app.kubernetes.io/component': 'namespace-claim' }) },
      data: {
        cluster: `${context.clusterName}`,
        why: `${ternary(onOpenStack(), 'One tenant cluster per namespace: objects are named <cluster>-<suffix>, so clusters '
          + 'named alike collide, and every release here could use the OpenStack credentials Secrets of the others. A second '
          + 'tenant-cluster release here fails on this ConfigMap (addons.exclusiveNamespace).',
        'One tenant cluster per namespace: the KubeVirt CSI controller attaches volumes to VMs found by name only, and the '
          + 'cloud-controller-manager reconciles every LoadBalancer Service of the namespace. A second tenant-cluster release '
          + 'here fails on this ConfigMap (addons.exclusiveNamespace).')}`,
      },
    });
  }
}
