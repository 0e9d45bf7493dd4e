import { Construct } from 'constructs';
import {
  and, CIDRS_OVERLAP, concat, Each, eq, Expr, gt, hasKey, len, lit, matches, not, RenderCheck, ValueSource, VarRef, When,
} from '../../expr';
import { checkImagesPinned } from '../management/pinned-images';
import { IPV4_HOST_BITS_SET } from './vpn-functions';

/** A CIDR value and its path, for messages. */
export interface NamedCidr {
  /** Values path, e.g. `clusterNetwork.podCidr`. */
  readonly path: string;
  readonly cidr: Expr;
}

/** The networks the VPN must fit between. */
export interface VpnNetworks {
  /** The tenant's pod network (always routed). */
  readonly podCidr: NamedCidr;
  /** The tenant's service network (always routed). */
  readonly serviceCidr: NamedCidr;
  /** The tenant's node network (OpenStack: the node subnet; routed with `routeNodes`). Empty on KubeVirt. */
  readonly nodeCidr: NamedCidr;
  /** The management cluster's pod network (the control plane pod's own). */
  readonly managementPodCidr: NamedCidr;
  /** The management cluster's service network. */
  readonly managementServiceCidr: NamedCidr;
}

export interface VpnChecksProps {
  /** The `addons.vpn` values. */
  readonly values: ValueSource;
  /** Their path, for messages (`addons.vpn`). */
  readonly valuesPath: string;
  /** `infrastructure.provider`: `kubevirt` or `openstack`. */
  readonly provider: Expr;
  /** `controlPlane.addons.konnectivity.enabled`. */
  readonly konnectivityEnabled: Expr;
  /** `controlPlane.apiServer.extraArgs` (a map of flags without `--`). */
  readonly apiServerExtraArgs: Expr;
  readonly networks: VpnNetworks;
  /** The routed networks ({@link VPN_ROUTES}), to check the endpoint against. */
  readonly routes: Expr;
  /** The cluster name (the Service and HelmRelease are `<cluster>-vpn`). */
  readonly clusterName: Expr;
}

/** An IPv4 address (an `endpoint.host` that is not a DNS name). */
const IPV4_ADDRESS = '^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$';
/** `<cluster>-vpn` is a Service (DNS-1035 label) and a HelmRelease name Flux labels objects with. */
const MAX_NAME = 63;

/**
 * The render-time checks of `addons.vpn`: combinations with Konnectivity and the provider that cannot work, networks
 * that would collide in the control plane pod or the server pod, names and images. Both backends run them (`fail` in
 * Go, `RenderError` in-process), each message names the value path and what is allowed. "No reverse path at all" on
 * OpenStack (Konnectivity and the VPN both off) is TenantCluster's `ReversePath` check, which names both switches.
 *
 * Why these combinations: Kamaji writes an EgressSelectorConfiguration with the one selection `cluster` through
 * Konnectivity and forces `--egress-selector-config-file` on the API server, overwriting a user's own
 * (clastix/kamaji@26.8.2-edge, `internal/resources/konnectivity/egress_selector_configuration_resource.go:101–112`,
 * `internal/builders/controlplane/konnectivity_server.go`, `buildVolumeMounts`). So with Konnectivity on, kubelet,
 * proxy and service-webhook traffic takes Konnectivity whatever the routes say; without it every dial is direct and
 * only the routes decide.
 */
export class VpnChecks extends Construct {
  public constructor(scope: Construct, id: string, props: VpnChecksProps) {
    super(scope, id);
    const { values, valuesPath: at, networks } = props;
    const enabled = values.bool('enabled');
    const openstack = eq(props.provider, 'openstack');
    const kubevirt = eq(props.provider, 'kubevirt');
    const konnectivity = props.konnectivityEnabled;
    const routeNodes = values.bool('routeNodes');
    const network = values.str('network');
    const host = values.str('endpoint.host');
    const check = (name: string, failWhen: Expr, message: Expr | string) =>
      new RenderCheck(this, name, { failWhen, message: typeof message === 'string' ? lit(message) : message });

    check('VpnEgressSelectorFlag', and(enabled, hasKey(props.apiServerExtraArgs, 'egress-selector-config-file')),
      `controlPlane.apiServer.extraArgs.egress-selector-config-file: not allowed with ${at}.enabled (Kamaji owns the egress selector; the VPN works by routes)`);
    check('VpnNameLength', and(enabled, gt(len(concat(props.clusterName, '-vpn')), MAX_NAME)),
      concat('fullnameOverride (or the release name): "', props.clusterName, `-vpn" (the VPN's Service and HelmRelease) is longer than ${MAX_NAME} characters; shorten the cluster name`));
    check('VpnNetworkAddress', and(enabled, IPV4_HOST_BITS_SET.call(network)),
      concat(`${at}.network: `, network, ' is not a network address (OpenVPN\'s server directive needs the host bits zero, e.g. 10.255.255.0/24)'));
    const others = [networks.podCidr, networks.serviceCidr, networks.managementPodCidr, networks.managementServiceCidr];
    for (const other of others) {
      check(`VpnNetworkOverlap-${other.path}`, and(enabled, CIDRS_OVERLAP.call(network, other.cidr)),
        concat(`${at}.network: `, network, ` overlaps ${other.path} `, other.cidr));
    }
    const nodeCidr = networks.nodeCidr.cidr;
    // The routed tenant networks must not overlap the control plane pod's own networks: the pod would send its own
    // cluster's traffic into the tunnel. On KubeVirt TenantCluster's NoOverlap checks refuse that for every tenant;
    // on OpenStack the tenant's networks may overlap the management ones until the VPN routes them.
    const routedTenantNetworks: Array<[NamedCidr, Expr]> = [[networks.podCidr, lit(true)], [networks.serviceCidr, lit(true)], [networks.nodeCidr, routeNodes]];
    for (const [routed, when] of routedTenantNetworks) {
      for (const management of [networks.managementPodCidr, networks.managementServiceCidr]) {
        check(`VpnRouteOverlap-${routed.path}-${management.path}`, and(enabled, openstack, when, not(eq(routed.cidr, '')), CIDRS_OVERLAP.call(routed.cidr, management.cidr)),
          concat(`${routed.path}: `, routed.cidr, ` overlaps ${management.path} `, management.cidr,
            ` (with ${at}.enabled the control plane pod routes it into the tunnel, and that network is its own)`));
      }
    }
    check(`VpnNetworkOverlap-${networks.nodeCidr.path}`, and(enabled, openstack, not(eq(nodeCidr, '')), CIDRS_OVERLAP.call(network, nodeCidr)),
      concat(`${at}.network: `, network, ` overlaps ${networks.nodeCidr.path} `, nodeCidr));
    check('VpnNodeRouteOnKubevirt', and(enabled, kubevirt, routeNodes),
      `${at}.routeNodes: must be false on KubeVirt (the nodes are on ${networks.managementPodCidr.path}, which the control plane pod itself uses)`);
    check('VpnNodeCidr', and(enabled, openstack, routeNodes, eq(nodeCidr, '')),
      `${at}.routeNodes: needs ${networks.nodeCidr.path} (the node subnet) to route kubelets through the tunnel`);
    check('VpnOnlyNeedsNodes', and(enabled, openstack, not(konnectivity), not(routeNodes)),
      `${at}.routeNodes: must be true on OpenStack when controlPlane.addons.konnectivity.enabled is false (otherwise nothing reaches the kubelets)`);
    check('VpnEndpoint', and(enabled, openstack, eq(host, '')),
      `${at}.endpoint.host: required on OpenStack: the floating IP (set as the tenant Service's loadBalancerIP) or a DNS name that resolves to it`);

    const whenEnabled = new When(this, 'Enabled', enabled);
    const extraRoutes = new Each(whenEnabled, 'ExtraRoutes', { collection: values.list('extraRoutes'), keyVar: 'vpnExtraRouteIndex', itemVar: 'vpnExtraRoute' });
    const route = new VarRef('vpnExtraRoute', 'string');
    const excluded: NamedCidr[] = [networks.managementPodCidr, networks.managementServiceCidr, { path: `${at}.network`, cidr: network }];
    for (const other of excluded) {
      new RenderCheck(extraRoutes, `VpnExtraRouteOverlap-${other.path}`, {
        failWhen: CIDRS_OVERLAP.call(route, other.cidr),
        message: concat(`${at}.extraRoutes[`, extraRoutes.key, ']: ', route, ` overlaps ${other.path} `, other.cidr,
          ' (the control plane pod would send that network into the tunnel)'),
      });
    }
    const hostIsAddress = matches(IPV4_ADDRESS, host);
    const routed = new Each(new When(whenEnabled, 'EndpointIsAddress', hostIsAddress), 'Routes', {
      collection: props.routes, keyVar: 'vpnRoutedIndex', itemVar: 'vpnRoute',
    });
    const routedCidr = new VarRef('vpnRoute', 'string');
    new RenderCheck(routed, 'VpnEndpointRouted', {
      failWhen: CIDRS_OVERLAP.call(concat(host, '/32'), routedCidr),
      message: concat(`${at}.endpoint.host: `, host, ' lies in ', routedCidr, ', a network routed through the tunnel (the tunnel would carry its own packets)'),
    });
    checkImagesPinned(this, [`${at}.image`, `${at}.server.image`]);
  }
}
