import { Construct } from 'constructs';
import { concat, structure, templateFolder, valuesAt } from '../../expr';
import { ChartRepository } from './chart-repository';
import { CNI_ADDON, FluxAddon } from './flux-addon';
import { TenantContext } from '../core/tenant-context';

export interface CalicoProps {
  readonly context: TenantContext;
  readonly repository: ChartRepository;
}

/**
 * Calico (tigera-operator) as the tenant's CNI: VXLAN over the workers' pod network (no BGP between
 * VMs), the cluster's pod CIDR as its IP pool, the API server at the control plane Service's full name.
 * Needs Kamaji's kube-proxy.
 * @see https://docs.tigera.io/calico/latest/getting-started/kubernetes/helm
 */
export class Calico extends Construct {
  public readonly addon: FluxAddon;

  public constructor(scope: Construct, id: string, props: CalicoProps) {
    super(scope, id);
    templateFolder(this);
    const { context } = props;
    const cni = valuesAt('addons.cni');
    this.addon = new FluxAddon(this, 'Addon', {
      context,
      name: CNI_ADDON,
      releaseName: 'tigera-operator',
      valuesPath: 'addons.cni.calico',
      chart: 'tigera-operator',
      chartVersion: cni.str('calico.chartVersion'),
      repository: props.repository,
      targetNamespace: cni.str('calico.targetNamespace'),
      values: structure({
        kubernetesServiceEndpoint: { host: context.controlPlaneServiceFqdn, port: concat(context.apiServerPort) },
        installation: {
          kubernetesProvider: '',
          cni: { type: 'Calico' },
          calicoNetwork: {
            bgp: 'Disabled',
            mtu: cni.int('mtu'),
            ipPools: [{
              name: 'default-ipv4-ippool',
              cidr: valuesAt('clusterNetwork').str('podCidr'),
              encapsulation: 'VXLAN',
              natOutgoing: 'Enabled',
              nodeSelector: 'all()',
              blockSize: 26,
            }],
          },
        },
        apiServer: { enabled: false },
        goldmane: { enabled: false },
        whisker: { enabled: false },
      }),
      // The operator (before Calico 3.33) writes its defaults back into the Installation's spec.
      driftIgnore: [{ paths: ['/spec'], target: { group: 'operator.tigera.io', kind: 'Installation' } }],
    });
  }
}
