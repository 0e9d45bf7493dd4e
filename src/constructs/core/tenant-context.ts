import { eq, Expr, Values } from '../../expr';
import type { ApiTarget } from './api-shapes';

/** Facts every construct of one tenant cluster shares: its name, namespace and labels. */
export interface TenantContext {
  /** The cluster name (Cluster, KamajiControlPlane and KubevirtCluster are all named so). */
  readonly clusterName: Expr;
  /** Namespace of every object (the release namespace). */
  readonly namespace: Expr;
  /** Full DNS name of the control plane Service in the management cluster, `<cluster>.<ns>.svc.<domain>`. */
  readonly controlPlaneServiceFqdn: Expr;
  /** Port of the tenant API server. */
  readonly apiServerPort: Expr;
  /** Standard labels (Helm, app.kubernetes.io, Cluster API cluster name), plus extra ones. */
  labels(extra?: Record<string, string>): Record<string, string>;
  /** Kamaji's admin kubeconfig Secret of the tenant, `<cluster>-admin-kubeconfig` (named after the KamajiControlPlane). */
  readonly adminKubeconfigSecret: string;
  /**
   * The API target of the chart line (DESIGN.md §6): a constant of the chart definition, never a value.
   * Constructs pass it to the shape functions of api-shapes.ts (`targetOf(context, this)`) and never test it.
   * @default - the target of the chart the constructs are composed in (`apiTargetOf`), which the generator sets
   *   from the chart definition
   */
  readonly target?: ApiTarget;
}

/**
 * Key of the admin kubeconfig that reaches the tenant API server through its in-cluster Service. The
 * `super-admin` identity cannot be revoked from inside the tenant (`admin` depends on a binding there).
 */
export const ADMIN_KUBECONFIG_KEY = 'super-admin.svc';

/** Cluster API label naming the cluster an object belongs to. */
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';
/** Cluster API label naming a machine's MachineDeployment. */
export const DEPLOYMENT_NAME_LABEL = 'cluster.x-k8s.io/deployment-name';

/** Whether the workers are KubeVirt VMs (`infrastructure.provider`). */
export function onKubevirt(): Expr {
  return eq(Values.str('infrastructure.provider'), 'kubevirt');
}

/** Whether the workers are OpenStack servers (`infrastructure.provider`). */
export function onOpenStack(): Expr {
  return eq(Values.str('infrastructure.provider'), 'openstack');
}
