import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KubevirtCluster } from '../../imports/kubevirt-cluster-infrastructure.cluster.x-k8s.io';
import { TenantContext } from '../core/tenant-context';

export interface KubevirtInfrastructureProps {
  readonly context: TenantContext;
}

/**
 * The `KubevirtCluster`, marked as managed externally: the KubeVirt provider then leaves it alone
 * (no load balancer Service, no SSH keys) and the Kamaji provider sets its endpoint and readiness.
 * @see https://github.com/kubernetes-sigs/cluster-api-provider-kubevirt
 */
export class KubevirtInfrastructure extends Construct {
  /** The `apiVersion`/`kind` the Cluster's `infrastructureRef` uses. */
  public static readonly REF = { apiVersion: KubevirtCluster.GVK.apiVersion, kind: KubevirtCluster.GVK.kind };

  public readonly resource: ApiObject;

  public constructor(scope: Construct, id: string, props: KubevirtInfrastructureProps) {
    super(scope, id);
    const { context } = props;
    this.resource = new ApiObject(this, 'Resource', {
      ...KubevirtCluster.GVK,
      metadata: {
        name: `${context.clusterName}`,
        namespace: `${context.namespace}`,
        labels: context.labels(),
        annotations: { 'cluster.x-k8s.io/managed-by': 'kamaji' },
      },
      spec: {},
    });
  }
}
