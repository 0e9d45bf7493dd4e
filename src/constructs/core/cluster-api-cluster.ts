import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Expr } from '../../expr';
import { ApiKind, apiKind, contractRef, targetOf } from './api-shapes';
import { controlPlaneNameOf, resourcePrefixOf, TenantContext } from './tenant-context';

export interface ClusterApiClusterProps {
  readonly context: TenantContext;
  /** Tenant pod CIDR. */
  readonly podCidr: Expr;
  /** Tenant service CIDR. */
  readonly serviceCidr: Expr;
  /** Tenant service DNS domain. */
  readonly serviceDomain: Expr;
  /**
   * The control plane object (a KamajiControlPlane of the same name). Line 2.x references it by API group
   * (Cluster API finds the version from the CRD's contract label), so only the group counts there.
   */
  readonly controlPlaneRef: ApiKind;
  /** The infrastructure cluster object (e.g. a KubevirtCluster of the same name); only its group counts on line 2.x. */
  readonly infrastructureRef: ApiKind;
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
    const target = targetOf(context, this);
    const ref = (of: ApiKind, name: Expr) => contractRef(target, of, `${name}`, `${context.namespace}`);
    this.resource = new ApiObject(this, 'Resource', {
      ...apiKind(target, 'Cluster'),
      metadata: { name: `${context.clusterName}`, namespace: `${context.namespace}`, labels: context.labels() },
      spec: {
        clusterNetwork: {
          apiServerPort: context.apiServerPort,
          pods: { cidrBlocks: [props.podCidr] },
          services: { cidrBlocks: [props.serviceCidr] },
          serviceDomain: props.serviceDomain,
        },
        controlPlaneRef: ref(props.controlPlaneRef, controlPlaneNameOf(context)),
        infrastructureRef: ref(props.infrastructureRef, resourcePrefixOf(context)),
      },
    });
  }
}
