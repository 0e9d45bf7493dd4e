import { Construct } from 'constructs';
import { Expr, lit, templateFolder, ValueSource } from '../../expr';
import { argsWithExtra, ManagementWorkload, TENANT_KUBECONFIG } from './management-workload';
import { onOpenStack, TenantContext } from '../core/tenant-context';

export interface ClusterAutoscalerProps {
  /**
   * The tenant cluster's shared facts: the cluster name the objects are named after and the autoscaler limits itself
   * to (`--node-group-auto-discovery`, with the namespace), their namespace, labels, and the admin kubeconfig Secret
   * it reaches the tenant with.
   */
  readonly context: TenantContext;
  /** `addons.clusterAutoscaler` values. */
  readonly values: ValueSource;
  /** Image to run (the values' or the support matrix's for the Kubernetes minor). */
  readonly image: Expr;
  /**
   * Image of the init container that waits until Kamaji has written the tenant's admin kubeconfig
   * (`addons.images.waitForKubeconfig`).
   */
  readonly waitImage: Expr;
}

/**
 * The cluster autoscaler (Cluster API provider) for this tenant, in the management cluster: watches
 * pending pods in the tenant and resizes this cluster's MachineDeployments between the min/max
 * annotations. Discovery and its informers are limited to the release namespace and this cluster, so a
 * namespaced Role suffices.
 * @see https://github.com/kubernetes/autoscaler/tree/master/cluster-autoscaler/cloudprovider/clusterapi
 */
export class ClusterAutoscaler extends Construct {
  public constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    templateFolder(this);
    const { context, values } = props;
    new ManagementWorkload(this, 'Workload', {
      context,
      component: 'cluster-autoscaler',
      // Leader election would keep only one active anyway; a second replica only adds cost.
      replicas: lit(1),
      waitImage: props.waitImage,
      containers: [{
        name: 'cluster-autoscaler',
        image: props.image,
        args: argsWithExtra([
          '--cloud-provider=clusterapi',
          // The tenant; the management cluster is reached in-cluster (no --cloud-config).
          `--kubeconfig=${TENANT_KUBECONFIG}`,
          '--clusterapi-cloud-config-authoritative',
          `--node-group-auto-discovery=clusterapi:namespace=${context.namespace},clusterName=${context.clusterName}`,
          '--enforce-node-group-min-size=true',
          `--expander=${values.str('expander')}`,
          `--scale-down-enabled=${values.bool('scaleDown.enabled')}`,
          `--scale-down-unneeded-time=${values.str('scaleDown.unneededTime')}`,
          `--scale-down-delay-after-add=${values.str('scaleDown.delayAfterAdd')}`,
          `--scale-down-utilization-threshold=${values.str('scaleDown.utilizationThreshold')}`,
          `--max-node-provision-time=${values.str('maxNodeProvisionTime')}`,
        ], values.map('extraArgs')),
        resources: values.map('resources'),
        usesTenantKubeconfig: true,
      }],
      rules: [
        {
          apiGroups: ['cluster.x-k8s.io'],
          resources: ['machinedeployments', 'machinedeployments/scale', 'machines', 'machinesets', 'machinepools', 'machinepools/scale'],
          verbs: ['get', 'list', 'watch', 'update', 'patch'],
        },
        // Scale from zero reads the machine templates' capacity when annotations do not give it (kubernetes/autoscaler
        // cluster-autoscaler-1.34.4 cloudprovider/clusterapi/clusterapi_unstructured.go: the infrastructure template's
        // `status.capacity`), which CAPO writes from the flavor with its AutoScaleFromZero gate.
        { apiGroups: ['infrastructure.cluster.x-k8s.io'], resources: ['kubevirtmachinetemplates'], verbs: ['get', 'list', 'watch'] },
        {
          apiGroups: ['infrastructure.cluster.x-k8s.io'], resources: ['openstackmachinetemplates'], verbs: ['get', 'list', 'watch'], when: onOpenStack(),
        },
      ],
    });
  }
}
