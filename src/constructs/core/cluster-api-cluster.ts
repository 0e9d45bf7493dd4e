import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Expr } from '../../expr';
import { ClusterV1Beta1 } from '../../imports/capi-cluster-v1beta1-cluster.x-k8s.io';
import { TenantContext } from './tenant-context';

export interface ClusterApiClusterProps {
  readonly context: TenantContext;
  /** Tenant pod CIDR. */
  readonly podCidr: Expr;
  /** Tenant service CIDR. */
  readonly serviceCidr: Expr;
  /** Tenant service DNS domain. */
  readonly serviceDomain: Expr;
  /** The control plane object (a KamajiControlPlane of the same name). */
  readonly controlPlaneRef: { readonly apiVersion: string; readonly kind: string };
  /** The infrastructure cluster object (e.g. a KubevirtCluster of the same name). */
  readonly infrastructureRef: { readonly apiVersion: string; readonly kind: string };
}

/**
 * The Cluster API `Cluster`. Its `clusterNetwork` is the source of the tenant's CIDRs, domain and
 * API server port: the Kamaji provider copies them into the hosted control plane.
 * @see https://cluster-api.sigs.k8s.io/developer/core/controllers/cluster
 */
export class ClusterApiCluster extends Construct {
  public readonly resource: ApiObject;

  public constructor(scope: Construct, id: string, props: ClusterApiClusterProps) {
    super(scope, id);
    const { context } = props;
    this.resource = new ApiObject(this, 'Resource', {
      ...ClusterV1Beta1.GVK,
      metadata: { name: `${context.clusterName}`, namespace: `${context.namespace}`, labels: context.labels() },
      spec: {
        clusterNetwork: {
          apiServerPort: context.apiServerPort,
          pods: { cidrBlocks: [props.podCidr] },
          services: { cidrBlocks: [props.serviceCidr] },
          serviceDomain: props.serviceDomain,
        },
        controlPlaneRef: { ...props.controlPlaneRef, name: `${context.clusterName}`, namespace: `${context.namespace}` },
        infrastructureRef: { ...props.infrastructureRef, name: `${context.clusterName}`, namespace: `${context.namespace}` },
      },
    });
  }
}
