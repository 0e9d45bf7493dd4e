import { Construct } from 'constructs';
import { defaultTo, Expr, structure, templateFolder, ternary, Values, valuesAt } from '../../expr';
import { ChartRepository } from './chart-repository';
import { CNI_ADDON, FluxAddon } from './flux-addon';
import { OwnedAddonValues, OwnedValue } from './owned-addon-values';
import { onOpenStack, TenantContext } from '../core/tenant-context';

const podCidr = 'the pod CIDR behind the overlap checks';

/** Keys of the Cilium chart this chart sets (user values for them are refused). */
export const CILIUM_OWNED_VALUES: readonly OwnedValue[] = [
  {
    path: 'k8sServiceHost',
    because: 'the control plane\'s address: the Service\'s full name (KubeVirt), cluster-info\'s or controlPlane.endpoint.advertiseAddress (OpenStack)',
  },
  { path: 'k8sServicePort', because: 'the control plane Service port', instead: 'clusterNetwork.apiServerPort' },
  { path: 'kubeProxyReplacement', because: 'it must agree with Kamaji\'s kube-proxy', instead: 'addons.cni.cilium.kubeProxyReplacement' },
  { path: 'ipam.mode', because: podCidr, instead: 'clusterNetwork.podCidr' },
  { path: 'ipam.operator.clusterPoolIPv4PodCIDRList', because: podCidr, instead: 'clusterNetwork.podCidr' },
  { path: 'routingMode', because: 'VXLAN: the management pod network does not route pod CIDRs between VMs' },
  { path: 'tunnelProtocol', because: 'addons.cni.mtu allows for VXLAN', instead: 'addons.cni.mtu' },
  { path: 'MTU', because: 'the workers\' interface MTU', instead: 'addons.cni.mtu' },
];

export interface CiliumProps {
  /**
   * The tenant cluster's shared facts: the cluster name the HelmRelease is named after (`<cluster>-cni`), its
   * namespace and labels, and the control plane Service's name and port Cilium reaches the API server at (KubeVirt).
   */
  readonly context: TenantContext;
  /** Where the `cilium` chart comes from: `addons.repositories.cilium`. */
  readonly repository: ChartRepository;
  /** Chart version (the values' or the support matrix's for the Kubernetes minor). */
  readonly chartVersion: Expr;
}

/**
 * Cilium as the tenant's CNI, by default replacing kube-proxy: it then reaches the API server directly,
 * not through the `kubernetes` Service it implements itself: KubeVirt workers (on the management cluster's pod
 * network) at the control plane Service's full name; OpenStack workers at the advertised address or, without one,
 * at `auto`: the chart reads the server of the tenant's `cluster-info` ConfigMap, which Kamaji writes with the
 * address the workers joined at (cilium/charts cilium-1.18.12.tgz and cilium-1.19.6.tgz
 * templates/_helpers.tpl `k8sServiceHost`/`k8sServicePort`: `lookup` of `kube-public/cluster-info`, host and port of
 * its kubeconfig's server; 1.19.6 fails the render when the ConfigMap is missing, 1.18.12 passes `auto` through).
 * `lookup` sees the tenant because Flux's helm-controller installs for real (no dry run). Hubble is off: its
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
        k8sServiceHost: ternary(onOpenStack(), defaultTo(Values.str('controlPlane.endpoint.advertiseAddress'), 'auto'), context.controlPlaneServiceFqdn),
        k8sServicePort: context.apiServerPort,
        kubeProxyReplacement: cni.bool('cilium.kubeProxyReplacement'),
        ipam: { mode: 'cluster-pool', operator: { clusterPoolIPv4PodCIDRList: [valuesAt('clusterNetwork').str('podCidr')] } },
        routingMode: 'tunnel',
        tunnelProtocol: 'vxlan',
        // Cilium's `MTU` is the underlying network's: "the underlying network MTU … It changes the MTU for
        // cilium_net, cilium_host, cilium_vxlan and lxc_health" (cilium/cilium chart 1.19.3 values.yaml);
        // the agent subtracts the tunnel overhead (50 for VXLAN) for the pod routes itself (pkg/mtu/mtu.go,
        // getRouteMTU). addons.cni.mtu is exactly that: the workers' interface MTU.
        MTU: cni.int('mtu'),
        operator: { replicas: 1 },
        hubble: { enabled: false },
      }),
    });
    new OwnedAddonValues(this, 'Owned', { valuesPath: 'addons.cni.cilium', owned: CILIUM_OWNED_VALUES });
  }
}
