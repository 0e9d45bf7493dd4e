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
  /**
   * Name of the KamajiControlPlane, and so of what Kamaji names after it (its Service, `<name>-admin-kubeconfig`).
   * @default - the cluster name
   */
  readonly controlPlaneName?: Expr;
  /**
   * Prefix of the infrastructure cluster object's name (the name itself) and of each MachineDeployment's,
   * `<prefix>-<group>` (and so of every Machine's and node's name).
   * @default - the cluster name
   */
  readonly resourcePrefix?: Expr;
  /**
   * Labels on every Machine of a node group (`MachineDeployment.spec.template.metadata.labels`, which Cluster API
   * copies to the MachineSets and Machines), besides the selector's.
   * @default - none
   */
  readonly machineLabels?: (groupName: Expr) => Record<string, string>;
  /**
   * Shorter names for addons' HelmRelease objects, `<cluster>-<short name>` (by the addon's name), where a chart's
   * cluster names are long (Flux labels what it installs with the HelmRelease's name, at most 63 characters).
   * @default - `<cluster>-<addon name>`
   */
  readonly addonObjectNames?: Readonly<Record<string, string>>;
}

/** The KamajiControlPlane's name (see {@link TenantContext.controlPlaneName}). */
export function controlPlaneNameOf(context: TenantContext): Expr {
  return context.controlPlaneName ?? context.clusterName;
}

/** The prefix of the infrastructure cluster's and the MachineDeployments' names (see {@link TenantContext.resourcePrefix}). */
export function resourcePrefixOf(context: TenantContext): Expr {
  return context.resourcePrefix ?? context.clusterName;
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
