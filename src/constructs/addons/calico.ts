import { Construct } from 'constructs';
import { concat, Expr, lit, structure, templateFilePrefix, templateFolder, ternary, Values, valuesAt } from '../../expr';
import { ChartRepository } from './chart-repository';
import { AddonDependency, CNI_ADDON, FluxAddon } from './flux-addon';
import { OwnedAddonValues, OwnedValue } from './owned-addon-values';
import { onOpenStack, TenantContext } from '../core/tenant-context';
import { MINUS } from './addon-functions';

/** Keys of the tigera-operator chart this chart sets (user values for them are refused). */
export const CALICO_OWNED_VALUES: readonly OwnedValue[] = [
  {
    path: 'kubernetesServiceEndpoint',
    because: 'the control plane Service in the management cluster (KubeVirt), the advertised address or none (OpenStack)',
    instead: 'clusterNetwork.apiServerPort',
  },
  { path: 'installation.calicoNetwork.ipPools', because: 'the pod CIDR behind the overlap checks', instead: 'clusterNetwork.podCidr' },
  { path: 'installation.calicoNetwork.mtu', because: 'the workers\' interface MTU minus VXLAN', instead: 'addons.cni.mtu' },
  { path: 'installation.calicoNetwork.bgp', because: 'VXLAN between VMs on the management pod network, which carries no BGP' },
];

export interface CalicoProps {
  /**
   * The tenant cluster's shared facts: the cluster name the two HelmReleases are named after (`<cluster>-cni`,
   * `<cluster>-calico-crds`), their namespace and labels, and the admin kubeconfig Secret they deploy with.
   */
  readonly context: TenantContext;
  /**
   * Where both Calico charts (`crd.projectcalico.org.v1` and `tigera-operator`) come from:
   * `addons.repositories.calico`.
   */
  readonly repository: ChartRepository;
}

/** HelmRelease suffix of Calico's CRD chart (`<cluster>-cni-crds`): installed before the operator. */
export const CALICO_CRDS_ADDON = `${CNI_ADDON}-crds`;

/**
 * Bytes VXLAN adds to each pod packet over IPv4 (outer IPv4 20 + UDP 8 + VXLAN 8 + inner Ethernet 14).
 * Felix subtracts the same when it sizes the VXLAN device itself: projectcalico/calico v3.32.1
 * `felix/dataplane/linux/int_dataplane.go` (`vxlanMTUOverhead = 50`; `VXLANMTU = hostMTU - vxlanMTUOverhead`).
 */
export const VXLAN_OVERHEAD = 50;

/**
 * Calico (tigera-operator) as the tenant's CNI: VXLAN over the workers' pod network (no BGP between
 * VMs), the cluster's pod CIDR as its IP pool, the API server at the control plane Service's full name.
 * Needs Kamaji's kube-proxy.
 *
 * Two HelmReleases: since Calico v3.32 the `tigera-operator` chart ships no CRDs, yet renders an
 * `operator.tigera.io/v1` `Installation` (`templates/crs/custom-resources.yaml`), so Helm cannot install
 * it before the `crd.projectcalico.org.v1` chart of the same version (projectcalico/calico v3.32.1
 * `charts/tigera-operator/README.md`, "Custom Resource Definitions"). Both come from
 * `addons.repositories.calico` at `addons.cni.calico.chartVersion` (Calico releases them together).
 *
 * Upstream applies the CRD chart with `helm template | kubectl apply --server-side` because some CRDs
 * exceed the annotation size client-side apply needs; Helm (and so Flux) creates objects without that
 * annotation. What does bound it is Helm's release Secret (1 MiB): the v3.32.1 CRDs are 3.0 MB of YAML,
 * stored twice (templates and manifest), which we estimate at about 0.94 MB after Helm's gzip+base64,
 * so a future Calico release could outgrow it (then the CRD release fails with "Too long").
 * @see https://docs.tigera.io/calico/latest/getting-started/kubernetes/helm
 */
export class Calico extends Construct {
  /** The operator's release: what the other addons wait for (it waits for the CRDs in turn). */
  public readonly addon: FluxAddon;
  /** The CRD chart's release. */
  public readonly crds: FluxAddon;

  public constructor(scope: Construct, id: string, props: CalicoProps) {
    super(scope, id);
    templateFolder(this);
    const { context } = props;
    const cni = valuesAt('addons.cni');
    const chartVersion = cni.str('calico.chartVersion');
    const targetNamespace = cni.str('calico.targetNamespace');
    this.crds = new FluxAddon(this, 'Crds', {
      context,
      name: CALICO_CRDS_ADDON,
      releaseName: 'calico-crds',
      valuesPath: 'addons.cni.calico',
      // projectcalico/calico v3.32.1 charts/crd.projectcalico.org.v1: CRDs as templates, empty values.yaml.
      chart: 'crd.projectcalico.org.v1',
      chartVersion,
      repository: props.repository,
      targetNamespace,
      values: structure({}),
      userValues: false,
    });
    // The CRD chart's objects beside the Calico chart's in calico/: crds-helm-release.yaml, crds-oci-repository.yaml.
    templateFilePrefix(this.crds);
    const crdsFirst: AddonDependency = { release: this.crds.releaseObjectName };
    this.addon = new FluxAddon(this, 'Addon', {
      context,
      name: CNI_ADDON,
      releaseName: 'tigera-operator',
      valuesPath: 'addons.cni.calico',
      chart: 'tigera-operator',
      chartVersion,
      repository: props.repository,
      targetNamespace,
      values: structure({
        // OpenStack without an advertised address: no host, so the chart renders no `kubernetes-services-endpoint`
        // ConfigMap (projectcalico/calico v3.32.1 charts/tigera-operator/templates/tigera-operator/
        // 01-kubernetes-services-endpoint.yaml renders it only `if .Values.kubernetesServiceEndpoint.host`) and Calico
        // uses the `kubernetes` Service through Kamaji's kube-proxy (required with Calico), whose endpoint is the
        // load balancer's address.
        kubernetesServiceEndpoint: {
          host: ternary(onOpenStack(), Values.str('controlPlane.endpoint.advertiseAddress'), context.controlPlaneServiceFqdn),
          port: concat(context.apiServerPort),
        },
        installation: {
          kubernetesProvider: '',
          cni: { type: 'Calico' },
          calicoNetwork: {
            bgp: 'Disabled',
            // The Installation's `mtu` is the pod network's ("the maximum transmission unit to use on the
            // pod network", operator.tigera.io_installations.yaml at v3.32.1); the operator gives it to the
            // CNI and as FELIX_VXLANMTU. addons.cni.mtu is the workers' interface: take VXLAN off.
            mtu: Calico.podMtu(cni.int('mtu')),
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
      dependsOn: crdsFirst,
      // The operator (before Calico 3.33) writes its defaults back into the Installation's spec.
      driftIgnore: [{ paths: ['/spec'], target: { group: 'operator.tigera.io', kind: 'Installation' } }],
    });
    new OwnedAddonValues(this, 'Owned', { valuesPath: 'addons.cni.calico', owned: CALICO_OWNED_VALUES });
  }

  /** The pod MTU Calico takes, from `addons.cni.mtu` (the workers' interface MTU). */
  public static podMtu(interfaceMtu: Expr): Expr {
    return MINUS.call(interfaceMtu, lit(VXLAN_OVERHEAD));
  }
}
