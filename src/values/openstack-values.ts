/**
 * The OpenStack parts of the `tenant-cluster` values contract (cluster-api-provider-openstack v0.14,
 * the OpenStack cloud-controller-manager and Cinder CSI of kubernetes/cloud-provider-openstack), spliced into
 * {@link TenantClusterValues} at
 * - `infrastructure.provider: 'kubevirt' | 'openstack'` and `infrastructure.openstack`
 *   ({@link OpenStackInfrastructureValues});
 * - `nodeGroups.<g>.openstack` and `nodeGroupDefaults.openstack` ({@link OpenStackMachineValues});
 * - `controlPlane.endpoint.openstack` ({@link EndpointOpenStackValues});
 * - `addons.openstack` ({@link OpenStackAddonsValues}).
 * Defaults: src/charts/tenant-cluster/openstack-defaults.ts. Extend, don't rename.
 *
 * Every OpenStack ID is a UUID (CAPO's CRD declares `format: uuid` on them); an empty string means "not
 * given". Names of OpenStack things (flavors, images, key pairs, volume types, zones) are passed as they are.
 */
import { AddonChartValues, AddonValuesFrom, ContainerResources, ImageReference } from './addons-values';
import { Duration, Ipv4Address, Ipv4Cidr, StringMap } from './common';

/**
 * An OpenStack resource ID (UUID), or empty for "not given".
 * @pattern ^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})?$
 */
export type OptionalOpenStackId = string;

/**
 * An OpenStack resource ID (UUID).
 * @pattern ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$
 */
export type OpenStackId = string;

/**
 * A Neutron tag (no commas).
 * @pattern ^[^,]+$
 * @minLength 1
 * @maxLength 255
 */
export type NeutronTag = string;

/**
 * A name as OpenStack and the INI file of the cloud integration take it: letters, digits, `_`, `.`, `-`.
 * @pattern ^([A-Za-z0-9_.-]{1,255})?$
 */
export type OpenStackName = string;

/**
 * A Neutron query (network, subnet, router or security group): all given criteria must match, and the
 * query must select exactly one resource. Empty: not used.
 * @see https://cluster-api-openstack.sigs.k8s.io/topics/crd-changes/v1alpha7-to-v1beta1
 */
export interface NeutronFilterValues {
  /**
   * Name of the resource.
   * @minLength 1
   */
  name?: string;
  /**
   * Project (tenant) owning the resource.
   * @minLength 1
   */
  projectID?: string;
  /**
   * The resource has all these tags.
   * @minItems 1
   * @uniqueItems true
   */
  tags?: NeutronTag[];
  /**
   * The resource has at least one of these tags.
   * @minItems 1
   * @uniqueItems true
   */
  tagsAny?: NeutronTag[];
  /**
   * The resource does not have all of these tags.
   * @minItems 1
   * @uniqueItems true
   */
  notTags?: NeutronTag[];
  /**
   * The resource has none of these tags.
   * @minItems 1
   * @uniqueItems true
   */
  notTagsAny?: NeutronTag[];
}

/**
 * A Neutron resource by `id` or by `filter` (exactly one of them).
 * @minProperties 1
 * @maxProperties 1
 */
export interface NeutronResourceValues {
  /** Its ID. */
  id?: OpenStackId;
  /**
   * A query selecting exactly one resource.
   * @minProperties 1
   */
  filter?: NeutronFilterValues;
}

// ---------------------------------------------------------------------------------------------
// infrastructure.openstack
// ---------------------------------------------------------------------------------------------

/** `infrastructure.openstack`: the OpenStackCluster (cluster-api-provider-openstack v0.14) and the cloud credentials. */
export interface OpenStackInfrastructureValues {
  /** The credentials CAPO, the cloud-controller-manager and the Cinder CSI controller use (a Secret you create). */
  identity: OpenStackIdentityValues;
  /** The network the nodes are attached to: an existing one, or one CAPO creates. */
  network: OpenStackNetworkValues;
  /**
   * External (provider) network: the gateway of the router CAPO creates for a managed network, and the default
   * floating IP network of tenant Services of type LoadBalancer. Empty with a managed network: CAPO uses the only
   * external network (and fails if there are several); empty with an existing network: not used.
   */
  externalNetworkID: OptionalOpenStackId;
  /**
   * Addresses the workers' traffic reaches the control plane's load balancer from, as the load balancer sees them:
   * the external (SNAT) address of the router of the nodes' network, or `network.nodeCidr` when that network is
   * routed to the load balancer without NAT (`controlPlane.endpoint.openstack.internal`). Added to
   * `controlPlane.endpoint.loadBalancer.sourceRanges`, and required when those are set: without it the workers can
   * never join. The chart cannot read it (the router is the customer's, or CAPO's).
   * @example
   * - 203.0.113.25/32
   * @maxItems 16
   */
  egressCidrs: Ipv4Cidr[];
  /** Security groups of the nodes. */
  securityGroups: OpenStackSecurityGroupsValues;
  /**
   * Tags CAPO sets on every resource it creates (immutable after the cluster is created).
   * @example
   * - customer-acme
   * @uniqueItems true
   */
  tags: NeutronTag[];
  /**
   * CAPO runs with `--feature-gates=AutoScaleFromZero=true` (alpha in v0.14): it then writes each flavor's capacity
   * into the machine templates, and groups may scale from zero without `autoscaling.capacity`.
   * @see https://github.com/kubernetes-sigs/cluster-api-provider-openstack/blob/v0.14.7/feature/feature.go
   */
  capacityFromFlavor: boolean;
}

/**
 * The credentials Secret, created by the operator in the release namespace (the chart never renders it): key
 * `clouds.yaml` (an OpenStack clouds.yaml, e.g. with an application credential of the customer's project) and,
 * optionally, `cacert` (PEM of the cloud's CA). CAPO reads it through `OpenStackCluster.spec.identityRef`; the
 * cloud-controller-manager and the Cinder CSI controller mount it read-only.
 * @see https://cluster-api-openstack.sigs.k8s.io/topics/openstack-cluster-identity
 */
export interface OpenStackIdentityValues {
  /**
   * Name of the Secret (required with the OpenStack provider).
   * @pattern ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$
   * @maxLength 253
   */
  secretName: string;
  /**
   * Entry of `clouds.yaml` to use.
   * @pattern ^[A-Za-z0-9_.-]{1,255}$
   */
  cloudName: string;
  /**
   * Region; empty: `region_name` of the `clouds.yaml` entry. Immutable once the cluster exists.
   */
  region: OpenStackName;
  /**
   * The Secret has a `cacert` key with the CA that signs the cloud's API certificates (`verify: false` in
   * `clouds.yaml` is not honoured by the cloud-controller-manager and Cinder CSI).
   */
  caCert: boolean;
}

/** The nodes' network. */
export interface OpenStackNetworkValues {
  /**
   * Existing network by ID. With neither `id` nor `filter` (nor a subnet), CAPO creates a network, a subnet with
   * `nodeCidr` and a router to `externalNetworkID`, and deletes them with the cluster.
   */
  id: OptionalOpenStackId;
  /**
   * Existing network by query (instead of `id`).
   * @example
   * name: acme-prod-nodes
   * tags:
   *   - kubernetes
   */
  filter: NeutronFilterValues;
  /**
   * Existing subnet of that network by ID; empty: every subnet of the network (or, without a network, the
   * network of this subnet).
   */
  subnetID: OptionalOpenStackId;
  /**
   * Existing subnet by query (instead of `subnetID`).
   * @example
   * name: acme-prod-nodes-v4
   */
  subnetFilter: NeutronFilterValues;
  /**
   * CIDR of the nodes' subnet: the CIDR of the subnet CAPO creates, or that of the existing subnet (the chart
   * cannot read it; the CIDR overlap checks and the kubelet serving-certificate approver use it).
   */
  nodeCidr: Ipv4Cidr;
  /**
   * Other networks the nodes have addresses in, as the OpenStack cloud-controller-manager reports them (the subnets of
   * the groups' extra `ports`, floating IPs on the servers): the kubelet serving-certificate approver signs a kubelet's
   * certificate only when every address in it is in `nodeCidr` or here (postfinance/kubelet-csr-approver
   * `WhitelistedIPCheck`).
   * @example
   * - 10.30.0.0/24
   * @maxItems 16
   */
  extraNodeCidrs: Ipv4Cidr[];
  /**
   * DNS servers of the subnet CAPO creates (managed network only).
   * @example
   * - 198.51.100.53
   * @uniqueItems true
   */
  dnsNameservers: Ipv4Address[];
  /**
   * MTU of the network CAPO creates (managed network only, needs Neutron's net-mtu extension); 0: Neutron's default.
   * @asType integer
   * @minimum 0
   * @maximum 9216
   */
  mtu: number;
  /**
   * Existing router to attach the subnet CAPO creates to (managed network only); empty: CAPO creates one.
   */
  routerID: OptionalOpenStackId;
}

/** Security groups of the nodes. */
export interface OpenStackSecurityGroupsValues {
  /**
   * CAPO creates and manages the worker security group (kubelet from the cluster's groups, NodePorts from the
   * subnet, egress). Without it, give each group's `openstack.securityGroups`.
   */
  managed: boolean;
  /**
   * The managed groups allow all traffic between the cluster's nodes (the CNI overlay: VXLAN, health checks).
   * Without it, add the overlay's ports to `workerRules`.
   */
  allowAllInClusterTraffic: boolean;
  /**
   * Extra rules of the managed worker security group (unique names).
   * @see https://cluster-api-openstack.sigs.k8s.io/clusteropenstack/configuration#security-groups
   * @example
   * - name: ssh-from-bastion
   *   direction: ingress
   *   etherType: IPv4
   *   protocol: tcp
   *   portRangeMin: 22
   *   portRangeMax: 22
   *   remoteIPPrefix: 192.0.2.0/24
   */
  workerRules: OpenStackSecurityGroupRuleValues[];
}

/** A rule of a CAPO-managed security group. */
export interface OpenStackSecurityGroupRuleValues {
  /**
   * Unique name of the rule.
   * @minLength 1
   * @maxLength 255
   */
  name: string;
  /** Direction of the traffic. */
  direction: 'ingress' | 'egress';
  /** IP version. */
  etherType?: 'IPv4' | 'IPv6';
  /**
   * Protocol, e.g. `tcp`, `udp`, `icmp`, `vrrp` or a number.
   * @minLength 1
   */
  protocol?: string;
  /**
   * Lowest port.
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  portRangeMin?: number;
  /**
   * Highest port.
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  portRangeMax?: number;
  /** Traffic from this CIDR. */
  remoteIPPrefix?: Ipv4Cidr;
  /** Traffic from this security group. */
  remoteGroupID?: OpenStackId;
  /**
   * Traffic from the managed groups of these roles (with Kamaji there are only workers).
   * @uniqueItems true
   */
  remoteManagedGroups?: Array<'controlplane' | 'worker' | 'bastion'>;
}

// ---------------------------------------------------------------------------------------------
// nodeGroups.<g>.openstack
// ---------------------------------------------------------------------------------------------

/**
 * The OpenStack server of each node of a group (an OpenStackMachineTemplate; any change makes a new template
 * and rolls the group). Defaults in `nodeGroupDefaults.openstack`.
 * @see https://cluster-api-openstack.sigs.k8s.io/clusteropenstack/configuration
 */
export interface OpenStackMachineValues {
  /**
   * Nova flavor by name (exactly one of `flavor` and `flavorID`).
   */
  flavor?: string;
  /**
   * Nova flavor by ID (exactly one of `flavor` and `flavorID`).
   */
  flavorID?: string;
  /** The boot image: `id`, or `name` and/or `tags` matching exactly one Glance image. */
  image?: OpenStackImageValues;
  /** Boot from a Cinder volume instead of the flavor's local disk. */
  rootVolume?: OpenStackRootVolumeValues;
  /**
   * Nova availability zone of the group's servers (the MachineDeployment's failure domain); empty: Nova chooses.
   * @pattern ^([^ ]+)?$
   */
  availabilityZone?: string;
  /**
   * Extra ports after the one on the cluster network (e.g. a storage network).
   * @example
   * - network:
   *     id: 8c9d0e1f-2a3b-4c4d-8e5f-6a7b8c9d0e1f
   *   nameSuffix: storage
   * @maxItems 16
   */
  ports?: OpenStackPortValues[];
  /**
   * Security groups added to every port of the servers (besides the managed worker group).
   * @example
   * - filter:
   *     name: acme-monitoring
   * @maxItems 16
   */
  securityGroups?: NeutronResourceValues[];
  /**
   * Nova server group (e.g. anti-affinity), created by the operator.
   */
  serverGroupID?: OptionalOpenStackId;
  /**
   * Nova key pair for SSH access; empty: none.
   */
  sshKeyName?: string;
  /**
   * Nova server metadata (keys and values up to 255 characters).
   * @example
   * owner: acme
   */
  serverMetadata?: ServerMetadataMap;
  /**
   * Attach a config drive (cloud-init and the Cinder CSI node plugin then need no metadata service).
   */
  configDrive?: boolean;
  /**
   * Nova server tags.
   * @example
   * - acme-prod
   * @uniqueItems true
   */
  tags?: string[];
}

/** Nova server metadata by key (format `ServerMetadataMap`: keys of 1 to 255 characters, at most 64). */
export type ServerMetadataMap = { [key: string]: ServerMetadataValue };

/**
 * A Nova server metadata value.
 * @maxLength 255
 */
export type ServerMetadataValue = string;

/** The boot image of a group. */
export interface OpenStackImageValues {
  /**
   * Glance image ID; empty: found by `name` and `tags`.
   */
  id?: OptionalOpenStackId;
  /**
   * Glance image name (with `tags`, must match exactly one image).
   */
  name?: string;
  /**
   * Glance image tags.
   * @example
   * - kubernetes-v1.34
   * @uniqueItems true
   */
  tags?: string[];
}

/** A Cinder root volume. */
export interface OpenStackRootVolumeValues {
  /**
   * Size in GiB; 0: boot from the flavor's local disk (no volume).
   * @asType integer
   * @minimum 0
   * @maximum 65536
   */
  sizeGiB?: number;
  /**
   * Cinder volume type; empty: the cloud's default.
   */
  type?: string;
  /**
   * Cinder availability zone of the volume; empty: the server's (`availabilityZone` of the group).
   * @pattern ^([^ ]+)?$
   */
  availabilityZone?: string;
}

/** An extra port of each server. */
export interface OpenStackPortValues {
  /** Its network. */
  network: NeutronResourceValues;
  /**
   * Fixed IPs (by subnet); empty: one from any subnet of the network.
   * @maxItems 8
   */
  fixedIPs?: OpenStackFixedIpValues[];
  /**
   * Security groups of this port (the group's `securityGroups` are added too).
   * @maxItems 16
   */
  securityGroups?: NeutronResourceValues[];
  /**
   * Suffix of the port's name (`<server>-<suffix>`).
   * @minLength 1
   * @maxLength 64
   */
  nameSuffix?: string;
  /** Neutron VNIC type, e.g. `direct` for SR-IOV. */
  vnicType?: 'normal' | 'direct' | 'direct-physical' | 'macvtap' | 'baremetal' | 'virtio-forwarder';
  /** Disable port security (no security groups, no address checks). */
  disablePortSecurity?: boolean;
}

/** A fixed IP of a port. */
export interface OpenStackFixedIpValues {
  /** The subnet. */
  subnet?: NeutronResourceValues;
  /** The address; empty: any free one. */
  ipAddress?: Ipv4Address;
}

// ---------------------------------------------------------------------------------------------
// controlPlane.endpoint.openstack
// ---------------------------------------------------------------------------------------------

/**
 * Octavia settings of the control plane's load balancer: annotations on Kamaji's Service of type
 * LoadBalancer, read by the cloud-controller-manager of the *management* cluster (whose version and
 * `[LoadBalancer]` configuration are the operator's).
 * @see https://github.com/kubernetes/cloud-provider-openstack/blob/v1.34.1/docs/openstack-cloud-controller-manager/expose-applications-using-loadbalancer-type-service.md
 */
export interface EndpointOpenStackValues {
  /**
   * Network of the load balancer's floating IP (`loadbalancer.openstack.org/floating-network-id`); empty: the
   * management cloud-controller-manager's default.
   */
  floatingNetworkID: OptionalOpenStackId;
  /**
   * Subnet of that floating IP (`loadbalancer.openstack.org/floating-subnet-id`).
   */
  floatingSubnetID: OptionalOpenStackId;
  /**
   * No floating IP: the endpoint is the VIP (`service.beta.kubernetes.io/openstack-internal-load-balancer`), for
   * customer networks routed to the management cluster's.
   */
  internal: boolean;
  /**
   * Existing Neutron port for the VIP (`loadbalancer.openstack.org/port-id`); a floating IP already on that port is
   * kept: the way to know the endpoint's address before the cluster exists.
   */
  portID: OptionalOpenStackId;
  /**
   * Keep the floating IP when the Service goes (`loadbalancer.openstack.org/keep-floatingip`).
   */
  keepFloatingIP: boolean;
  /**
   * Octavia flavor (`loadbalancer.openstack.org/flavor-id`).
   */
  flavorID: OptionalOpenStackId;
  /**
   * Octavia availability zone (`loadbalancer.openstack.org/availability-zone`).
   */
  availabilityZone: OpenStackName;
  /**
   * A `[LoadBalancerClass "<name>"]` of the management cloud-controller-manager's configuration
   * (`loadbalancer.openstack.org/class`).
   */
  class: OpenStackName;
  /**
   * Idle timeout of client connections in milliseconds (`loadbalancer.openstack.org/timeout-client-data`; Octavia's
   * default, 50 s, cuts idle `kubectl exec`/`logs -f` streams and idle Konnectivity tunnels, whose keepalive is 1 h);
   * 0: the management cloud-controller-manager's default.
   * @asType integer
   * @minimum 0
   * @maximum 2073600000
   */
  timeoutClientData: number;
  /**
   * Idle timeout of connections to the API server pods in milliseconds
   * (`loadbalancer.openstack.org/timeout-member-data`); 0: the default.
   * @asType integer
   * @minimum 0
   * @maximum 2073600000
   */
  timeoutMemberData: number;
}

// ---------------------------------------------------------------------------------------------
// addons.openstack
// ---------------------------------------------------------------------------------------------

/** `addons.openstack`: the cloud integration, split like KubeVirt's (controllers beside the control plane). */
export interface OpenStackAddonsValues {
  /** The OpenStack cloud-controller-manager, in the management cluster: node addresses and zones, tenant load balancers. */
  cloudControllerManager: OpenStackCloudControllerManagerValues;
  /** Cinder CSI: the controller in the management cluster, the node plugin and StorageClasses in the tenant. */
  cinderCsi: CinderCsiValues;
}

export interface OpenStackCloudControllerManagerValues {
  /**
   * Whether it runs (without it, nodes keep the `node.cloudprovider.kubernetes.io/uninitialized` taint).
   */
  enabled: boolean;
  /**
   * Image; empty: the release of the Kubernetes minor (support table).
   * @pattern ^([a-z0-9]([-a-z0-9._/:]*[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64}))?$
   */
  image: string;
  /**
   * Replicas (leader election keeps one active; more than one adds a PodDisruptionBudget).
   * @asType integer
   * @minimum 1
   * @maximum 5
   */
  replicas: number;
  /** Resources of the container. */
  resources: ContainerResources;
  /**
   * Extra command-line flags, as `flag: value` (rendered as `--flag=value`).
   * @example
   * v: "2"
   */
  extraArgs: StringMap;
  /** Tenant Services of type LoadBalancer, as Octavia load balancers in the customer's project (`[LoadBalancer]`). */
  loadBalancer: OpenStackLoadBalancerValues;
}

/**
 * `[LoadBalancer]` of the tenant's cloud-controller-manager.
 * @see https://github.com/kubernetes/cloud-provider-openstack/blob/v1.34.1/docs/openstack-cloud-controller-manager/using-openstack-cloud-controller-manager.md#load-balancer
 */
export interface OpenStackLoadBalancerValues {
  /**
   * Whether tenant Services of type LoadBalancer get Octavia load balancers.
   */
  enabled: boolean;
  /**
   * Octavia provider (`lb-provider`).
   */
  provider: 'amphora' | 'octavia' | 'ovn' | 'amphorav2' | 'f5';
  /**
   * Pool algorithm (`lb-method`); the `ovn` provider supports only `SOURCE_IP_PORT`.
   */
  method: 'ROUND_ROBIN' | 'LEAST_CONNECTIONS' | 'SOURCE_IP' | 'SOURCE_IP_PORT';
  /**
   * Health monitors on the pools (`create-monitor`; needed for `externalTrafficPolicy: Local`).
   */
  createMonitor: boolean;
  /**
   * Time between health checks (`monitor-delay`).
   */
  monitorDelay: Duration;
  /**
   * Timeout of one health check (`monitor-timeout`, below `monitorDelay`).
   */
  monitorTimeout: Duration;
  /**
   * Successful checks before a member is up (`monitor-max-retries`).
   * @asType integer
   * @minimum 1
   * @maximum 10
   */
  monitorMaxRetries: number;
  /**
   * Failed checks before a member is down (`monitor-max-retries-down`).
   * @asType integer
   * @minimum 1
   * @maximum 10
   */
  monitorMaxRetriesDown: number;
  /**
   * Network of the load balancers' floating IPs (`floating-network-id`); empty: `infrastructure.openstack.externalNetworkID`
   * (and none when that is empty too: then the VIP is the address).
   */
  floatingNetworkID: OptionalOpenStackId;
  /**
   * Subnet of those floating IPs (`floating-subnet-id`).
   */
  floatingSubnetID: OptionalOpenStackId;
  /**
   * Subnet of the VIPs (`subnet-id`); empty: the subnet of the nodes' port.
   */
  subnetID: OptionalOpenStackId;
  /**
   * Network of the VIPs (`network-id`), instead of `subnetID`.
   */
  networkID: OptionalOpenStackId;
  /**
   * No floating IPs at all (`internal-lb`).
   */
  internal: boolean;
  /**
   * The cloud-controller-manager opens the NodePorts of each load balancer in the nodes' security group
   * (`manage-security-groups`; needed with the `ovn` provider, which keeps the client's address).
   */
  manageSecurityGroups: boolean;
}

/** Cinder CSI (cinder.csi.openstack.org). */
export interface CinderCsiValues {
  /**
   * Whether Cinder CSI is installed.
   */
  enabled: boolean;
  /**
   * Version of this project's `openstack-cinder-csi-node` chart (the node plugin and the StorageClasses).
   * @pattern ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$
   */
  chartVersion: string;
  /**
   * Namespace of the node plugin in the tenant (privileged pods: kube-system admits them).
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 63
   */
  targetNamespace: string;
  /**
   * Values merged over those the chart sets for the `openstack-cinder-csi-node` chart.
   * @example
   * resources:
   *   requests:
   *     cpu: 20m
   */
  values: AddonChartValues;
  /**
   * Secrets in the release namespace with more chart values, merged under `values`.
   */
  valuesFrom: AddonValuesFrom;
  /**
   * Topology: volumes are created in the zone of the node that first uses them (`--with-topology`); turn off when
   * Nova and Cinder zones differ.
   */
  topology: boolean;
  /**
   * Don't create volumes in the requesting node's zone (`[BlockStorage] ignore-volume-az`), for clouds whose Cinder
   * zones are not Nova's.
   */
  ignoreVolumeAZ: boolean;
  /**
   * The node plugin rescans a volume's block device after a resize (`[BlockStorage] rescan-on-resize`).
   */
  rescanOnResize: boolean;
  /**
   * Most Cinder volumes per node (`[BlockStorage] node-volume-attach-limit`); 0: the plugin's default (256).
   * @asType integer
   * @minimum 0
   * @maximum 256
   */
  nodeVolumeAttachLimit: number;
  /**
   * StorageClasses in the tenant, keyed by name: one per Cinder volume type you offer (at most one `isDefault`).
   * Empty: none. Parameters of a StorageClass are immutable: delete the class in the tenant before changing them.
   * @example
   * standard:
   *   volumeType: standard
   *   isDefault: true
   * fast:
   *   volumeType: ssd
   *   allowVolumeExpansion: true
   */
  storageClasses: CinderStorageClassMap;
  /**
   * Also create a VolumeSnapshotClass and run the snapshot sidecar (needs the snapshot.storage.k8s.io CRDs and the
   * snapshot controller in the tenant).
   */
  volumeSnapshotClass: boolean;
  /** The controller, in the management cluster. */
  controller: CinderCsiControllerValues;
}

/** StorageClasses by name (format `CinderStorageClassMap`: DNS-1123 subdomains, at most 32). */
export type CinderStorageClassMap = { [name: string]: CinderStorageClassValues };

/** A StorageClass of Cinder volumes. */
export interface CinderStorageClassValues {
  /**
   * Cinder volume type (`type` parameter); empty: the cloud's default type.
   * @maxLength 255
   */
  volumeType?: string;
  /**
   * The tenant's default StorageClass.
   */
  isDefault?: boolean;
  /**
   * What happens to the Cinder volume when its claim is deleted.
   */
  reclaimPolicy?: 'Delete' | 'Retain';
  /**
   * Claims may grow.
   */
  allowVolumeExpansion?: boolean;
  /**
   * When volumes are created: `WaitForFirstConsumer` (in the zone of the pod's node) or `Immediate`.
   */
  volumeBindingMode?: 'WaitForFirstConsumer' | 'Immediate';
  /**
   * Cinder availability zone of the volumes (`availability` parameter); empty: the node's zone (topology).
   * @pattern ^([^ ]+)?$
   */
  availabilityZone?: string;
  /**
   * Zones whose nodes may use the volumes (`allowedTopologies` on `topology.cinder.csi.openstack.org/zone`); empty: all.
   * @uniqueItems true
   */
  zones?: string[];
  /**
   * File system of new volumes (`csi.storage.k8s.io/fstype`); empty: ext4.
   */
  fsType?: '' | 'ext4' | 'xfs';
}

/** The Cinder CSI controller. */
export interface CinderCsiControllerValues {
  /**
   * Image of cinder-csi-plugin; empty: the release of the Kubernetes minor (support table). Also the node plugin's image.
   * @pattern ^([a-z0-9]([-a-z0-9._/:]*[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64}))?$
   */
  image: string;
  /**
   * Replicas (leader election keeps one active; more than one adds a PodDisruptionBudget).
   * @asType integer
   * @minimum 1
   * @maximum 5
   */
  replicas: number;
  /** Resources of the plugin container. */
  resources: ContainerResources;
  /** Resources of each CSI sidecar. */
  sidecarResources: ContainerResources;
  /** CSI sidecar images. */
  sidecarImages: CinderCsiSidecarImagesValues;
}

export interface CinderCsiSidecarImagesValues {
  /**
   * Image of external-provisioner.
   */
  provisioner: ImageReference;
  /**
   * Image of external-attacher.
   */
  attacher: ImageReference;
  /**
   * Image of external-resizer.
   */
  resizer: ImageReference;
  /**
   * Image of external-snapshotter (only with `volumeSnapshotClass`).
   */
  snapshotter: ImageReference;
  /**
   * Image of livenessprobe.
   */
  livenessProbe: ImageReference;
}
