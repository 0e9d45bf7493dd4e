import { TenantContext } from '../core/tenant-context';

/** Kinds of cluster-scoped objects the `tenant-cluster` chart may render in the management cluster. */
export type ClusterScopedKind = 'ClusterRole' | 'ClusterRoleBinding' | 'ValidatingAdmissionPolicy' | 'ValidatingAdmissionPolicyBinding';

/** A cluster-scoped object the chart may render, when, and why a namespaced object does not do (DESIGN.md §4.6). */
export interface ClusterScopedObject {
  readonly kind: ClusterScopedKind;
  /** The component it belongs to: the last part of its name and its `app.kubernetes.io/component` label. */
  readonly component: string;
  /** The values under which it is rendered. */
  readonly when: string;
  /** Why the component cannot do without it, with the upstream source that says so. */
  readonly reason: string;
}

/**
 * Every cluster-scoped object the `tenant-cluster` chart may render (printed in the chart README; the
 * management invariants refuse any other). Each is named by {@link clusterScopedName}.
 */
export const CLUSTER_SCOPED_RBAC: readonly ClusterScopedObject[] = [
  {
    kind: 'ClusterRole',
    component: 'cloud-controller-manager',
    when: 'addons.cloudControllerManager.enabled and zoneAndRegion',
    reason: 'nodes get: reads the management node of each VM for its zone and region labels '
      + '(kubevirt/cloud-provider-kubevirt v0.6.0 pkg/provider/instances_v2.go getRegionAndZone); nodes are cluster-scoped',
  },
  {
    kind: 'ClusterRoleBinding',
    component: 'cloud-controller-manager',
    when: 'addons.cloudControllerManager.enabled and zoneAndRegion',
    reason: 'binds the ClusterRole above to the cloud-controller-manager\'s ServiceAccount',
  },
  {
    kind: 'ValidatingAdmissionPolicy',
    component: 'cloud-controller-manager',
    when: 'addons.cloudControllerManager.enabled and servicePolicy.enabled',
    reason: 'refuses externalIPs, loadBalancerIP and address annotations on the Services this cloud-controller-manager creates '
      + 'from tenant Services (kubevirt/cloud-provider-kubevirt v0.6.0 pkg/provider/loadbalancer.go copies them); admission policies are cluster-scoped',
  },
  {
    kind: 'ValidatingAdmissionPolicyBinding',
    component: 'cloud-controller-manager',
    when: 'addons.cloudControllerManager.enabled and servicePolicy.enabled',
    reason: 'applies the policy above in the release namespace; policy bindings are cluster-scoped',
  },
  {
    kind: 'ClusterRole',
    component: 'csi-controller',
    when: 'addons.csi.enabled',
    reason: 'persistentvolumes get: volume expansion waits until the infra PersistentVolume has grown '
      + '(kubevirt/csi-driver pkg/kubevirt/client.go EnsureControllerResize; upstream deploy/infra-cluster-service-account.yaml '
      + 'ClusterRole kubevirt-csi-cluster); PersistentVolumes are cluster-scoped',
  },
  {
    kind: 'ClusterRoleBinding',
    component: 'csi-controller',
    when: 'addons.csi.enabled',
    reason: 'binds the ClusterRole above to the CSI controller\'s ServiceAccount',
  },
];

/**
 * Name of a cluster-scoped object of one tenant: `<namespace>.<cluster>.<component>`. Namespaces and
 * cluster names are DNS labels and never contain a dot, so two different (namespace, cluster) pairs can
 * never give the same name (release `b-c` in namespace `a` is `a.b-c.<component>`, release `c` in
 * namespace `a-b` is `a-b.c.<component>`), and the name is a DNS subdomain of at most 63 + 1 + 63 + 1 +
 * the component's length (< 253) characters, valid for RBAC and admission objects alike.
 */
export function clusterScopedName(context: TenantContext, component: string): string {
  return `${context.namespace}.${context.clusterName}.${component}`;
}

/** The listed entry for a cluster-scoped object; throws at synth time when it is not listed. */
export function clusterScopedEntry(kind: ClusterScopedKind, component: string): ClusterScopedObject {
  const entry = CLUSTER_SCOPED_RBAC.find((e) => e.kind === kind && e.component === component);
  if (!entry) throw new Error(`${kind} of ${component}: every cluster-scoped object must be listed in CLUSTER_SCOPED_RBAC with its reason`);
  return entry;
}
