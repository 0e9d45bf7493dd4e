/**
 * Values contract v1 of the `tenant-vpn-server` chart (the tenant side of `addons.vpn`): the single source of its
 * values.schema.json, values.yaml comments and README table. The `tenant-cluster` chart installs it into each tenant
 * with a Flux HelmRelease: `image`, `replicas`, `resources`, `network`, `routes`, `pingRestartSeconds`,
 * `clientCommonName` and `service` as values, `pki.*` through `valuesFrom` from the Secret cert-manager issues.
 * Extend, don't rename.
 */
import { ContainerResources, ImageReference } from './addons-values';
import { Ipv4Address, Ipv4Cidr, StringMap } from './common';
import { VpnTransferNetwork } from './vpn-values';

/** Values of the `tenant-vpn-server` chart. */
export interface TenantVpnServerValues {
  /**
   * Overrides the chart name in the `app.kubernetes.io/name` label (a selector label: changing it later needs the
   * Deployment recreated).
   * @pattern ^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$
   */
  nameOverride: string;
  /**
   * Name of the Deployment, Service, ConfigMap and ServiceAccount (the Secret adds `-pki`). The release name when
   * empty. Must be a DNS-1035 label (lowercase letters, digits and `-`, starting with a letter), at most 59 characters.
   */
  fullnameOverride: string;
  /**
   * Image with OpenVPN, `ip`, `iptables-nft` and `sh` (its entrypoint is replaced; `latest` is refused).
   * @see https://github.com/gardener/vpn2
   */
  image: ImageReference;
  /**
   * Server replicas: each control plane pod connects to one of them through the Service.
   * @asType integer
   * @minimum 1
   * @maximum 5
   */
  replicas: number;
  /** Resources of the OpenVPN container. */
  resources: ContainerResources;
  /** Resources of the init container that turns on IPv4 forwarding in the pod. */
  initResources: ContainerResources;
  /**
   * The tunnel's own network: clients get addresses from it; their traffic leaves this pod with the pod's address.
   */
  network: VpnTransferNetwork;
  /**
   * The tenant networks the control plane may reach through this server (pod, service and maybe node networks);
   * everything else arriving through the tunnel is dropped. At least one.
   * @example
   * - 10.243.0.0/16
   * - 10.95.0.0/16
   */
  routes: Ipv4Cidr[];
  /**
   * Seconds without a packet from a client before the server drops it (pings go every 10 seconds; pushed to the
   * clients as their `ping-restart`).
   * @asType integer
   * @minimum 30
   * @maximum 600
   */
  pingRestartSeconds: number;
  /**
   * Common name the clients' certificate must carry (OpenVPN `verify-x509-name`), as the tenant-cluster chart's
   * cert-manager Certificate issues it.
   * @pattern ^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$
   * @maxLength 64
   */
  clientCommonName: string;
  /** How the control plane reaches the server. */
  service: TenantVpnServiceValues;
  /**
   * Priority class of the server pods (empty: none).
   */
  priorityClassName: string;
  /**
   * The server's certificate, key and CA: the tenant-cluster chart passes them through the HelmRelease's
   * `valuesFrom` from the Secret cert-manager issues in the management cluster. Never put a key into a values file.
   */
  pki: TenantVpnPkiValues;
}

export interface TenantVpnServiceValues {
  /**
   * `NodePort` (KubeVirt: the management cluster reaches the workers' NodePort directly) or `LoadBalancer`
   * (OpenStack: an Octavia load balancer through the tenant's cloud-controller-manager).
   */
  type: 'NodePort' | 'LoadBalancer';
  /**
   * Port of the Service (the load balancer listener).
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  port: number;
  /**
   * `NodePort`: the Service's port on every node (the management side targets it on KubeVirt). A `LoadBalancer`
   * Service gets whatever NodePort Kubernetes picks.
   * @asType integer
   * @minimum 30000
   * @maximum 32767
   */
  nodePort: number;
  /**
   * `LoadBalancer`: the address to take, e.g. a floating IP allocated in advance (the control plane dials it).
   * Empty: the cloud picks one.
   */
  loadBalancerIP: '' | Ipv4Address;
  /**
   * `LoadBalancer`: who may reach the listener (the management cluster's egress addresses). Empty: everyone.
   * @example
   * - 203.0.113.0/24
   */
  loadBalancerSourceRanges: Ipv4Cidr[];
  /**
   * Annotations of the Service (e.g. `loadbalancer.openstack.org/keep-floatingip: "true"`).
   * @example
   * loadbalancer.openstack.org/keep-floatingip: "true"
   */
  annotations: StringMap;
}

/**
 * A PEM block as cert-manager writes it into a Secret; empty until set through `valuesFrom`.
 * @pattern ^(-----BEGIN [A-Z0-9 ]+-----[\s\S]*-----END [A-Z0-9 ]+-----\s*)?$
 */
export type PemBlock = string;

export interface TenantVpnPkiValues {
  /**
   * The CA that signed both sides' certificates (`ca.crt` of the server's Secret).
   */
  ca: PemBlock;
  /**
   * The server's certificate (`tls.crt`).
   */
  certificate: PemBlock;
  /**
   * The server's private key (`tls.key`).
   */
  privateKey: PemBlock;
  /**
   * The OpenVPN tls-crypt key, when the control plane uses one (`tls-crypt.key`, as `openvpn --genkey tls-crypt`
   * writes it: `#` comment lines, then the key block). Empty: none.
   * @pattern ^((#[^\n]*\n)*-----BEGIN OpenVPN Static key V1-----[\s\S]*-----END OpenVPN Static key V1-----\s*)?$
   */
  tlsCrypt: string;
}
