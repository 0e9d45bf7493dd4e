import { Construct } from 'constructs';
import { and, defaultTo, eq, Expr, matches, ne, structure, Structure, templateFolder, ternary, ValueSource, When, whenField } from '../../expr';
import { TenantContext } from '../core/tenant-context';
import { CLIENT_COMMON_NAME, TLS_CRYPT_KEY } from './openvpn-config';
import { VpnNetworks } from './vpn-checks';
import { VpnClientSidecar } from './vpn-client-sidecar';
import { VpnEndpointService } from './vpn-endpoint-service';
import { VPN_ROUTES } from './vpn-functions';
import { VpnPki } from './vpn-pki';

export interface TenantVpnProps {
  /** The tenant: names, namespace and labels. */
  readonly context: TenantContext;
  /** The `addons.vpn` values. */
  readonly values: ValueSource;
  /** `infrastructure.provider`: `kubevirt` or `openstack`. */
  readonly provider: Expr;
  /** The tenant's and the management cluster's networks. */
  readonly networks: VpnNetworks;
  /** `managementCluster.clusterDomain` (the KubeVirt Service's full name). */
  readonly managementClusterDomain: Expr;
}

/**
 * The template folder of the VPN's objects in the tenant-cluster chart (`templates/openvpn/`): a name Helm renders
 * before `validate/` (deeper paths first, then in reverse order), as every folder must.
 */
export const VPN_TEMPLATE_FOLDER = 'openvpn';

/** A Flux `HelmRelease.spec.valuesFrom` item. */
export interface ValuesFromReference {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
  readonly valuesKey: string;
  readonly targetPath: string;
  readonly literal: boolean;
}

/**
 * The networks routed through the tunnel, in order: pods, services, the node network (OpenStack with
 * `routeNodes`), the extra routes.
 */
export function vpnRoutes(values: ValueSource, provider: Expr, networks: VpnNetworks): Expr {
  return VPN_ROUTES.call(
    networks.podCidr.cidr,
    networks.serviceCidr.cidr,
    networks.nodeCidr.cidr,
    and(eq(provider, 'openstack'), values.bool('routeNodes')),
    values.list('extraRoutes'),
  );
}

/** An IPv4 address (an `endpoint.host` usable as the Service's `loadBalancerIP`). */
const IPV4_ADDRESS = '^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$';

/**
 * The management side of `addons.vpn` for one tenant, to be placed under `When(addons.vpn.enabled)`: the
 * cert-manager PKI, the client ConfigMap, on KubeVirt the Service the control plane dials, and — for the other
 * constructs to carry — the sidecar for the KamajiControlPlane ({@link sidecar}) and the values and `valuesFrom`
 * of the tenant-side `tenant-vpn-server` chart ({@link serverChartValues}, {@link serverValuesFrom}). The server's
 * key reaches the tenant only through `valuesFrom` (Flux reads the Secret in the HelmRelease's namespace; `literal`
 * injects the PEM text verbatim: fluxcd/helm-controller@v1.6.3, `docs/spec/v2/helmreleases.md`, "Values
 * references"); no key is ever a value of this chart. The checks are {@link VpnChecks}, outside the `When`.
 */
export class TenantVpn extends Construct {
  public readonly pki: VpnPki;
  public readonly sidecar: VpnClientSidecar;
  /** The networks routed through the tunnel, in order: pods, services, nodes (OpenStack with `routeNodes`), extra routes. */
  public readonly routes: Expr;
  /** Where the control plane pods dial: `endpoint.host`, else (KubeVirt) the management Service's full name. */
  public readonly remoteHost: Expr;
  /** Values for the `tenant-vpn-server` chart (the user's `addons.vpn.values` go over them). */
  public readonly serverChartValues: Structure;
  /** `valuesFrom` of its HelmRelease: the server's certificate, key and CA (and the tls-crypt key when set). */
  public readonly serverValuesFrom: ValuesFromReference[];

  public constructor(scope: Construct, id: string, props: TenantVpnProps) {
    super(scope, id);
    templateFolder(this);
    const { context, values, networks } = props;
    const openstack = eq(props.provider, 'openstack');
    const host = values.str('endpoint.host');
    this.routes = vpnRoutes(values, props.provider, networks);
    this.remoteHost = defaultTo(host, VpnEndpointService.fqdnOf(context, props.managementClusterDomain));

    this.pki = new VpnPki(this, 'Pki', { context });
    this.sidecar = new VpnClientSidecar(this, 'Client', {
      context, values, remoteHost: this.remoteHost, routes: this.routes, clientSecretName: this.pki.clientSecretName,
    });
    new VpnEndpointService(new When(this, 'OnKubevirt', eq(props.provider, 'kubevirt')), 'EndpointService', {
      context, port: values.int('port'), nodePort: values.int('server.nodePort'), clusterDomain: props.managementClusterDomain,
    });

    this.serverChartValues = structure({
      image: values.str('server.image'),
      replicas: values.int('server.replicas'),
      resources: values.map('server.resources'),
      network: values.str('network'),
      routes: this.routes,
      pingRestartSeconds: values.int('pingRestartSeconds'),
      clientCommonName: CLIENT_COMMON_NAME,
      service: {
        type: ternary(openstack, 'LoadBalancer', 'NodePort'),
        port: values.int('port'),
        nodePort: values.int('server.nodePort'),
        // OCCM takes an existing floating IP from spec.loadBalancerIP (kubernetes/cloud-provider-openstack@v1.36.0,
        // docs/openstack-cloud-controller-manager/expose-applications-using-loadbalancer-type-service.md).
        loadBalancerIP: ternary(and(openstack, matches(IPV4_ADDRESS, host)), host, ''),
        loadBalancerSourceRanges: values.list('server.loadBalancer.sourceRanges'),
        annotations: values.map('server.loadBalancer.annotations'),
      },
    });

    const fromServerSecret = (valuesKey: string, targetPath: string): ValuesFromReference =>
      ({ kind: 'Secret', name: this.pki.serverSecretName, valuesKey, targetPath, literal: true });
    const tlsCryptSecret = values.str('tlsCrypt.secretName');
    this.serverValuesFrom = [
      fromServerSecret('ca.crt', 'pki.ca'),
      fromServerSecret('tls.crt', 'pki.certificate'),
      fromServerSecret('tls.key', 'pki.privateKey'),
      whenField(ne(tlsCryptSecret, ''), { kind: 'Secret', name: `${tlsCryptSecret}`, valuesKey: TLS_CRYPT_KEY, targetPath: 'pki.tlsCrypt', literal: true }),
    ];
  }

  /**
   * The KamajiControlPlane's `spec.deployment` fields that carry the sidecar (place them under
   * `whenField(addons.vpn.enabled, …)`; the fields exist in provider v0.19's `v1alpha1` and v0.20's `v1alpha2`).
   */
  public deploymentFields(): { extraContainers: unknown[]; extraVolumes: unknown[]; podAdditionalMetadata: { annotations: Record<string, string> } } {
    return {
      extraContainers: this.sidecar.containers,
      extraVolumes: this.sidecar.volumes,
      podAdditionalMetadata: { annotations: this.sidecar.podAnnotations },
    };
  }
}
