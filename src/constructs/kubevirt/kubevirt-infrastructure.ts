import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KubevirtCluster } from '../../imports/kubevirt-cluster-infrastructure.cluster.x-k8s.io';
import { ApiKind } from '../core/api-shapes';
import { resourcePrefixOf, TenantContext } from '../core/tenant-context';

export interface KubevirtInfrastructureProps {
  readonly context: TenantContext;
}

/**
 * The `KubevirtCluster`, marked as managed externally: the KubeVirt provider then leaves it alone
 * (no load balancer Service, no SSH keys) and the Kamaji provider sets its endpoint and readiness.
 * @see https://github.com/kubernetes-sigs/cluster-api-provider-kubevirt
 */
export class KubevirtInfrastructure extends Construct {
  /**
   * The kind the Cluster's `infrastructureRef` points at. `infrastructure.cluster.x-k8s.io/v1alpha1` is CAPK's only
   * API, on both chart lines. On line 2.x the Cluster references it by group and Cluster API picks the version from
   * the CRD's contract label: CAPK v0.11.2 labels it `cluster.x-k8s.io/v1beta1: v1alpha1` only
   * (kubernetes-sigs/cluster-api-provider-kubevirt v0.11.2 config/crd/kustomization.yaml), which Cluster API's v1beta2
   * contract still accepts (kubernetes-sigs/cluster-api v1.13.5 internal/contract/version.go `GetCompatibleVersions`:
   * "v1beta2 contract is temporarily be compatible with v1beta1", and `GetLatestContractAndAPIVersionFromContract`
   * falls back to the v1beta1 label); readiness is then `status.ready`, which the Kamaji provider sets on a
   * KubevirtCluster (cluster-api-control-plane-provider-kamaji v0.20.0 controllers/kamajicontrolplane_controller_cluster_patch.go
   * `patchGenericCluster` with `patchStatus` true).
   */
  public static readonly REF: ApiKind = { apiVersion: KubevirtCluster.GVK.apiVersion, kind: KubevirtCluster.GVK.kind };

  public readonly resource: ApiObject;

  public constructor(scope: Construct, id: string, props: KubevirtInfrastructureProps) {
    super(scope, id);
    const { context } = props;
    this.resource = new ApiObject(this, 'Resource', {
      ...KubevirtCluster.GVK,
      metadata: {
        name: `${resourcePrefixOf(context)}`,
        namespace: `${context.namespace}`,
        labels: context.labels(),
        annotations: { 'cluster.x-k8s.io/managed-by': 'kamaji' },
      },
      spec: {},
    });
  }
}
