import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { concat, Expr } from '../../expr';
import { CLUSTER_NAME_LABEL, TenantContext } from '../core/tenant-context';

export interface VpnEndpointServiceProps {
  /** The tenant: name, namespace and labels. */
  readonly context: TenantContext;
  /** Port the control plane dials (`addons.vpn.port`). */
  readonly port: Expr;
  /** The tenant server's NodePort on every worker (`addons.vpn.server.nodePort`). */
  readonly nodePort: Expr;
  /** The management cluster's DNS domain, for the Service's full name. */
  readonly clusterDomain: Expr;
}

/** Cluster API's role label on KubeVirt worker VMs (and so their virt-launcher pods). */
const ROLE_LABEL = 'cluster.x-k8s.io/role';

/**
 * KubeVirt only: the management-side address the control plane pods dial, a `ClusterIP` Service `<cluster>-vpn`
 * that selects the tenant's worker VMs and targets the server's NodePort on them — no load balancer, no port
 * outside the management pod network. CAPK labels each VM's template with `cluster.x-k8s.io/role: worker` and
 * `cluster.x-k8s.io/cluster-name` (kubernetes-sigs/cluster-api-provider-kubevirt@v0.11.2, `pkg/kubevirt/utils.go:134–137`);
 * the KubeVirt cloud-controller-manager builds its load balancer Services from the same labels and targets
 * NodePorts the same way (kubevirt/cloud-provider-kubevirt@v0.6.0, `pkg/provider/loadbalancer.go:27–28, 83–84, 241–244`).
 */
export class VpnEndpointService extends Construct {
  /** Name of the Service, `<cluster>-vpn`. */
  public readonly name: string;
  /** Its full DNS name, `<cluster>-vpn.<namespace>.svc.<domain>` (the short `.svc` form breaks with another cluster domain). */
  public readonly fqdn: Expr;

  public constructor(scope: Construct, id: string, props: VpnEndpointServiceProps) {
    super(scope, id);
    const { context } = props;
    this.name = `${context.clusterName}-vpn`;
    this.fqdn = VpnEndpointService.fqdnOf(context, props.clusterDomain);
    new ApiObject(this, 'Resource', {
      ...k8s.KubeService.GVK,
      metadata: { name: this.name, namespace: `${context.namespace}`, labels: context.labels({ 'app.kubernetes.io/component': 'vpn' }) },
      spec: {
        type: 'ClusterIP',
        selector: { [CLUSTER_NAME_LABEL]: `${context.clusterName}`, [ROLE_LABEL]: 'worker' },
        ports: [{ name: 'openvpn', protocol: 'TCP', port: props.port, targetPort: props.nodePort }],
      },
    });
  }

  /** `<cluster>-vpn.<namespace>.svc.<domain>`: where the control plane pods dial on KubeVirt. */
  public static fqdnOf(context: TenantContext, clusterDomain: Expr): Expr {
    return concat(context.clusterName, '-vpn.', context.namespace, '.svc.', clusterDomain);
  }
}
