/**
 * The `addons.vpn` part of the `tenant-cluster` values contract: an OpenVPN tunnel from every control
 * plane pod (a `vpn` sidecar in the KamajiControlPlane) to a server in the tenant (the `tenant-vpn-server`
 * chart, delivered by Flux), with routes to the tenant's pod and service networks (and, on OpenStack, its
 * node network). The certificates come from cert-manager in the management cluster; no key is a value.
 *
 * How it combines with Konnectivity (`controlPlane.addons.konnectivity.enabled`) — there is no separate mode
 * value, the two switches are the mode:
 *
 * | Konnectivity | VPN | kube-apiserver's `cluster` egress (kubelets, proxy, service webhooks, aggregated APIs) | everything else the control plane pod dials in the tenant |
 * |---|---|---|---|
 * | on  | off | Konnectivity | nothing (KubeVirt: the VMs' addresses only) |
 * | on  | on  | Konnectivity (Kamaji owns the egress selector) | the VPN routes |
 * | off | on  | direct, over the VPN routes ("VPN only") | the VPN routes |
 * | off | off | refused on OpenStack; on KubeVirt only the VMs' addresses | — |
 *
 * @see https://openvpn.net/community-resources/reference-manual-for-openvpn-2-6/
 * @see https://cert-manager.io/docs/configuration/ca/
 */
import { AddonChartValues, ContainerResources, ImageReference } from './addons-values';
import { Ipv4Cidr, StringMap } from './common';

/**
 * The tunnel's own IPv4 network (OpenVPN `server`): a network address with a prefix from /16 to /29 (what
 * OpenVPN accepts for `server` with `dev tun`).
 * @pattern ^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/(1[6-9]|2[0-9])$
 */
export type VpnTransferNetwork = string;

/**
 * Where the control plane dials: an IPv4 address or a DNS name; empty for the default.
 * @pattern ^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$
 * @maxLength 253
 */
export type VpnEndpointHost = string;

/** Values of `addons.vpn`. */
export interface VpnValues {
  /**
   * An OpenVPN client in every control plane pod and a server in the tenant: the control plane gets routes to the
   * tenant's pod and service networks (and, with `routeNodes`, its node network). Needs cert-manager in the management
   * cluster, Pod Security level `privileged` in the release namespace (the sidecar adds NET_ADMIN and mounts
   * `/dev/net/tun`) and in `targetNamespace` of the tenant. With Konnectivity on, the API server's kubelet, proxy and
   * webhook traffic still takes Konnectivity; the VPN carries what other containers of the pod dial.
   */
  enabled: boolean;
  /**
   * The tunnel's own network (server and client addresses). Must not overlap the tenant's pod, service or node
   * networks nor the management cluster's pod and service networks.
   */
  network: VpnTransferNetwork;
  /**
   * TCP port the control plane dials: the tenant Service's port (on OpenStack the load balancer listener).
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  port: number;
  /**
   * Route the node network through the tunnel too (kubelets without Konnectivity). OpenStack only: there it is
   * `infrastructure.openstack.network.nodeCidr`; on KubeVirt the nodes sit on the management pod network, which the
   * control plane pod itself uses, so it must stay false.
   */
  routeNodes: boolean;
  /**
   * More networks behind the tenant's nodes to route through the tunnel (e.g. customer networks the nodes reach).
   * Must not overlap the management cluster's networks nor `network`.
   * @example
   * - 192.168.10.0/24
   */
  extraRoutes: Ipv4Cidr[];
  /** Where the control plane pods dial the server. */
  endpoint: VpnEndpointValues;
  /** An optional OpenVPN tls-crypt key: packets without it are dropped before any TLS processing. */
  tlsCrypt: VpnTlsCryptValues;
  /**
   * Image of the control plane sidecar (OpenVPN, `ip`, `iptables-nft` and `sh`; its entrypoint is replaced).
   * @see https://github.com/gardener/vpn2
   */
  image: ImageReference;
  /** Resources of the sidecar, added to every control plane replica. */
  resources: ContainerResources;
  /**
   * Seconds without a packet from the other side before a side restarts its connection (OpenVPN `ping-restart`;
   * pings go every 10 seconds).
   * @asType integer
   * @minimum 30
   * @maximum 600
   */
  pingRestartSeconds: number;
  /** The OpenVPN server in the tenant (`tenant-vpn-server` chart). */
  server: VpnServerValues;
  /**
   * Version of this project's `tenant-vpn-server` chart (from `addons.repositories.tenantCluster`).
   * @pattern ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$
   */
  chartVersion: string;
  /**
   * Namespace of the server in the tenant (created if missing; needs Pod Security level `privileged`).
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 63
   */
  targetNamespace: string;
  /**
   * Values merged over those this chart sets for the `tenant-vpn-server` chart.
   * @example
   * priorityClassName: system-node-critical
   */
  values: AddonChartValues;
}

export interface VpnEndpointValues {
  /**
   * OpenStack: required, the floating IP the tenant's load balancer takes (it becomes the Service's
   * `loadBalancerIP`: allocate it in the customer's project first) or a DNS name that resolves to it. KubeVirt: empty
   * dials the management Service `<cluster>-vpn` that targets the server's NodePort (a value overrides it).
   */
  host: VpnEndpointHost;
}

export interface VpnTlsCryptValues {
  /**
   * Secret in the release namespace with the key `tls-crypt.key` (made once with
   * `openvpn --genkey tls-crypt tls-crypt.key`); empty: no tls-crypt. Recommended on OpenStack, where the server's
   * port is reachable from outside the tenant.
   * @pattern ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$
   * @maxLength 253
   */
  secretName: string;
}

export interface VpnServerValues {
  /**
   * Server replicas (each control plane pod connects to one of them; a PodDisruptionBudget keeps one during drains).
   * @asType integer
   * @minimum 1
   * @maximum 5
   */
  replicas: number;
  /**
   * Image of the server (OpenVPN, `ip`, `iptables-nft` and `sh`; its entrypoint is replaced).
   * @see https://github.com/gardener/vpn2
   */
  image: ImageReference;
  /** Resources of the server container. */
  resources: ContainerResources;
  /**
   * KubeVirt: the server's NodePort on every worker, which the management Service `<cluster>-vpn` targets.
   * @asType integer
   * @minimum 30000
   * @maximum 32767
   */
  nodePort: number;
  /** OpenStack: the tenant's Service of type LoadBalancer (Octavia, through the tenant's cloud-controller-manager). */
  loadBalancer: VpnLoadBalancerValues;
}

export interface VpnLoadBalancerValues {
  /**
   * Who may reach the listener: the management cluster's egress addresses (`loadBalancerSourceRanges`; Octavia
   * `allowed_cidrs`). Empty: everyone (mTLS still authenticates every peer).
   * @example
   * - 198.51.100.7/32
   */
  sourceRanges: Ipv4Cidr[];
  /**
   * Annotations of the tenant Service, e.g. `loadbalancer.openstack.org/keep-floatingip: "true"`.
   * @see https://github.com/kubernetes/cloud-provider-openstack/blob/master/docs/openstack-cloud-controller-manager/expose-applications-using-loadbalancer-type-service.md
   * @example
   * loadbalancer.openstack.org/keep-floatingip: "true"
   */
  annotations: StringMap;
}
