import { Construct } from 'constructs';
import { Expr, structure, templateFolder, valuesAt } from '../../expr';
import { ChartRepository } from './chart-repository';
import { CNI_ADDON, FluxAddon } from './flux-addon';
import { TenantContext } from '../core/tenant-context';

export interface CiliumProps {
  readonly context: TenantContext;
  readonly repository: ChartRepository;
  /** Chart version (the values' or the support matrix's for the Kubernetes minor). */
  readonly chartVersion: Expr;
}

/**
 * Cilium as the tenant's CNI, by default replacing kube-proxy: it then reaches the API server directly,
 * at the control plane Service's full name in the management cluster (the KubeVirt workers live on its
 * pod network), not through the `kubernetes` Service it implements itself. Hubble is off: its
 * Helm-generated certificates would change on every reconcile.
 * @see https://docs.cilium.io/en/stable/network/kubernetes/kubeproxy-free/
 */
export class Cilium extends Construct {
  public readonly addon: FluxAddon;

  public constructor(scope: Construct, id: string, props: CiliumProps) {
    super(scope, id);
    templateFolder(this);
    const { context } = props;
    const cni = valuesAt('addons.cni');
    this.addon = new FluxAddon(this, 'Addon', {
      context,
      name: CNI_ADDON,
      releaseName: 'cilium',
      valuesPath: 'addons.cni.cilium',
      chart: 'cilium',
      chartVersion: props.chartVersion,
      repository: props.repository,
      targetNamespace: cni.str('cilium.targetNamespace'),
      values: structure({
        k8sServiceHost: context.controlPlaneServiceFqdn,
        k8sServicePort: context.apiServerPort,
        kubeProxyReplacement: cni.bool('cilium.kubeProxyReplacement'),
        ipam: { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: [valuesAt('clusterNetwork').str('podCidr')] } },
        routingMode: 'tunnel',
        tunnelProtocol: 'vxlan',
        MTU: cni.int('mtu'),
        operator: { replicas: 1 },
        hubble: { enabled: false },
      }),
    });
  }
}
