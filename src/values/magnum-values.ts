/**
 * Values contract of the `magnum-tenant-cluster` chart: the document the OpenStack Magnum Cluster API Helm driver
 * pipes into `helm upgrade <release> <chart> --install --values -`, key for key and type for type, plus one block
 * the driver never writes (`site`, the operator's settings, from the chart's values.yaml).
 *
 * Source: openstack/magnum-capi-helm 1.4.0 (a8b82c2480a286a10b60ecc1d94c6cd9f1d01823), `magnum_capi_helm/driver.py`
 * `Driver._update_helm_release` (lines 1001-1217) and the helpers it calls (`_get_etcd_config`, `_process_node_groups`,
 * `_get_autoscale_values`, `_storageclass_definitions`, `_get_allowed_cidrs`, `_label`), `helm.py`
 * (`json.dumps(mergeconcat({}, values))`), and what Magnum itself lets reach them (openstack/magnum 5a492d64:
 * `api/controllers/v1/cluster.py`, `nodegroup.py`, `cluster_template.py`, `api/validation.py`, `common/neutron.py`).
 *
 * The rules this contract keeps:
 * - **Every key the driver sends, with the JSON type it sends**: the string `"true"` of `autoscale`, the four keys that
 *   may be `null` (`machineSSHKeyName`, `clusterNetworking.dnsNameservers`, `internalNetwork.networkFilter`,
 *   `internalNetwork.subnetFilter`), the hyphenated `cloudConfig.LoadBalancer` keys, the legacy
 *   `addons.kubernetesDashboard` and `addons.ingress`. A key the driver sends in every document is required: a driver
 *   that stops sending it (or renames it) is refused instead of silently falling back to a default.
 * - **Nothing else**: every object refuses keys the driver never sends, with their path, so a renamed key can never be
 *   dropped silently (what broke Azimuth's chart for `apiServer.allowedCidrs`). One alias is accepted:
 *   `apiServer.allowedCIDRs`, Azimuth's spelling since its 0.24.0, so that a driver following that rename keeps working.
 * - **Values the tenant can use**: where a value reaches an object or a configuration file as it is, the schema
 *   allows what that field allows (a CIDR, a UUID, an enum). Values the driver can send but this chart does not
 *   support as a product choice (`osDistro: flatcar`, no floating IP, Keystone auth, monitoring) pass the schema and
 *   are refused at render time with a message naming the Magnum label (both backends, `validate` too).
 *
 * The driver's strings pass through sanitizers before they get here: label values keep only `[a-zA-Z0-9./\- _]`
 * (`Driver._label`), the CIDR list only `[a-zA-Z0-9./\-:]` (`_get_label_csv`), `network_driver` only
 * `[a-zA-Z0-9._-]`, the image's `kube_version` only `[0-9.]`, and names `sanitized_name` (lowercase, every run of
 * `[^a-z0-9]` → `-`, `-` stripped at both ends). The patterns below are never wider than what comes out of those.
 *
 * Defaults: src/charts/magnum-tenant-cluster/defaults.ts (`site` only: the driver sends every other key).
 */
import { AddonRepositoriesValues } from './addons-values';
import { Ipv4Address, Ipv4Cidr, LabelValue } from './common';
import { EndpointOpenStackValues, OpenStackId } from './openstack-values';
import { ClusterNetworkValues, ManagementClusterValues } from './tenant-cluster-values';

/** Values of the `magnum-tenant-cluster` chart, in the order the driver emits its keys. */
export interface MagnumTenantClusterValues {
  /**
   * Kubernetes version of the tenant, from the Glance property `kube_version` of the cluster template's image
   * (leading `v`s stripped, then everything but digits and dots): `1.34.2` or `1.34`.
   * @pattern ^[0-9]+\.[0-9]+(\.[0-9]+)?$
   * @maxLength 32
   */
  kubernetesVersion: string;
  /** Glance ID of the cluster template's image (the driver resolves a name to its ID); every node group boots it. */
  machineImageId: OpenStackId;
  /**
   * Nova key pair of the nodes (`--keypair`, else the template's `keypair_id`); `null`: none.
   */
  machineSSHKeyName: NovaName | null;
  /**
   * The Secret the driver creates before Helm (`<release>-cloud-credentials`, key `clouds.yaml` with the
   * application credential under cloud `openstack`, and `cacert`). The chart references it and never renders it.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 253
   */
  cloudCredentialsSecretName: string;
  /**
   * Labels `etcd_blockdevice_*` (`etcd_volume_*`): `{}` unless a size is given. Accepted and ignored: the control plane's
   * state lives in the operator's Kamaji DataStore.
   */
  etcd: MagnumEtcdValues;
  /** The API server's load balancer. */
  apiServer: MagnumApiServerValues;
  /** The nodes' networks. */
  clusterNetworking: MagnumClusterNetworkingValues;
  /**
   * Glance property `os_distro` of the image. The driver serves `ubuntu` and `flatcar` (`Driver.provides`); this chart
   * bootstraps with kubeadm and cloud-init and refuses `flatcar` at render time.
   */
  osDistro: 'ubuntu' | 'flatcar';
  /** The master node group. */
  controlPlane: MagnumControlPlaneValues;
  /** Settings of every worker node group (the driver sends root volumes and extra networks only here). */
  nodeGroupDefaults: MagnumNodeGroupDefaultsValues;
  /**
   * Every worker node group of the cluster (or of the request: a node group being deleted is left out), in creation
   * order. Each becomes a MachineDeployment `<release>-<name>`, which Magnum reads back by that name.
   * @maxItems 100
   */
  nodeGroups: MagnumNodeGroupValues[];
  /** Addons, in the shapes Azimuth's chart once read. */
  addons: MagnumAddonsValues;
  /**
   * `k8s-keystone-auth` with label `keystone_auth_enabled=true` (the driver's last key); absent otherwise. Refused at
   * render time by this chart for now.
   */
  authWebhook?: 'k8s-keystone-auth';
  /**
   * The operator's settings for every cluster of the site: the driver never sends this key, so they come from the
   * chart's values.yaml (republish the chart with your values, see the README's Magnum section).
   */
  site: MagnumSiteValues;
}

/**
 * A Nova name as the driver passes it (key pair, flavor name or ID): verbatim from Magnum's API (1 to 255 characters).
 * @minLength 1
 * @maxLength 255
 */
export type NovaName = string;

/**
 * A label value after the driver's sanitizer (`Driver._label`: letters, digits, `.`, `/`, `-`, space, `_`).
 * @pattern ^[A-Za-z0-9./ _-]*$
 * @maxLength 255
 */
export type MagnumLabelString = string;

/**
 * A label value after the driver's sanitizer, not empty (the driver sends these keys only when the label is set).
 * @pattern ^[A-Za-z0-9./ _-]+$
 * @maxLength 255
 */
export type MagnumLabelValue = string;

/**
 * A name after the driver's `sanitized_name`: lowercase letters, digits and `-`, starting and ending with a letter or
 * digit (the driver can produce an empty one from a name without letters or digits: refused).
 * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
 * @maxLength 255
 */
export type MagnumSanitizedName = string;

/** `etcd`: `{}`, or `{blockDevice: …}` with label `etcd_blockdevice_size` (`etcd_volume_size`) above 0. */
export interface MagnumEtcdValues {
  /** The etcd disk of kubeadm control-plane machines (none here). */
  blockDevice?: MagnumEtcdBlockDeviceValues;
}

export interface MagnumEtcdBlockDeviceValues {
  /**
   * Size in GB (label `etcd_blockdevice_size`, else `etcd_volume_size`).
   * @asType integer
   * @minimum 1
   */
  size: number;
  /**
   * `Local` with label `etcd_blockdevice_type=local`, else `Volume`.
   */
  type: 'Volume' | 'Local';
  /**
   * Cinder volume type (label `etcd_blockdevice_volume_type`, else `etcd_volume_type`; type `Volume` only).
   */
  volumeType?: MagnumLabelValue;
  /**
   * Cinder availability zone (label `etcd_blockdevice_volume_az`; type `Volume` only).
   */
  availabilityZone?: MagnumLabelValue;
}

/** `apiServer`: the control plane's load balancer. */
export interface MagnumApiServerValues {
  /**
   * Label `master_lb_floating_ip_enabled` (default true; the template's `floating_ip_enabled` is not read). The hosted
   * control plane's load balancer lives in the management cluster's project: workers reach it only through a floating
   * IP, so `false` is refused at render time.
   */
  associateFloatingIP: boolean;
  /**
   * Always `true` (the template's `master_lb_enabled` is not read): the control plane Service is a load balancer.
   */
  enableLoadBalancer: true;
  /**
   * Label `octavia_provider` (default `amphora`). Accepted and ignored for the control plane's load balancer (the
   * management cluster's cloud-controller-manager chooses its provider); the same label reaches tenant load balancers
   * through `addons.openstack.cloudConfig.LoadBalancer.lb-provider`.
   */
  loadBalancerProvider: MagnumLabelString;
  /**
   * Label `api_master_lb_allowed_cidrs` (comma-separated), sent only when it has an entry: the sources the control
   * plane's load balancer admits. The chart adds the workers' and the management cluster's egress
   * (`site.workerEgressCidrs`, `site.managementCluster`): without them the nodes could never join.
   * @minItems 1
   * @maxItems 64
   */
  allowedCidrs?: Ipv4Cidr[];
  /**
   * Azimuth's spelling of `allowedCidrs` (its chart renamed the key in 0.24.0 and has dropped the driver's spelling
   * silently since). No driver version sends it; accepted so that a driver following that rename keeps its CIDRs:
   * the sources are both lists together.
   * @minItems 1
   * @maxItems 64
   */
  allowedCIDRs?: Ipv4Cidr[];
}

/** `clusterNetworking`: the nodes' networks. */
export interface MagnumClusterNetworkingValues {
  /**
   * The template's `dns_nameserver` (comma-separated IPv4 addresses); `null` when the template has none. Used for the
   * subnet CAPO creates; ignored with an existing network (the driver sends it regardless).
   * @minItems 1
   * @maxItems 16
   * @uniqueItems true
   */
  dnsNameservers: Ipv4Address[] | null;
  /**
   * ID of the template's `external_network_id` (a name is resolved to the external network's ID): the router's gateway
   * for a network CAPO creates, the floating IPs of tenant load balancers and of the control plane.
   */
  externalNetworkId: OpenStackId;
  /** The network the nodes are attached to. */
  internalNetwork: MagnumInternalNetworkValues;
}

export interface MagnumInternalNetworkValues {
  /**
   * The cluster's `fixed_network` (the template's by default) by ID; `null`: CAPO creates a network.
   */
  networkFilter: MagnumIdFilter | null;
  /**
   * The cluster's `fixed_subnet` by ID; `null`: every subnet of the network (or the one CAPO creates).
   */
  subnetFilter: MagnumIdFilter | null;
  /**
   * Label `fixed_subnet_cidr` (default `10.0.0.0/24`), always sent: the CIDR of the subnet CAPO creates. With an
   * existing network the driver's own comment says it is unused; the chart then cannot know the nodes' CIDR.
   */
  nodeCidr: Ipv4Cidr;
}

/** A Neutron resource by ID, as the driver writes it. */
export interface MagnumIdFilter {
  /** Its ID. */
  id: OpenStackId;
}

/** `controlPlane`: the master node group. With a hosted control plane only `machineCount` is used. */
export interface MagnumControlPlaneValues {
  /**
   * The cluster's `master_flavor_id` verbatim. Accepted and ignored: there are no control-plane servers.
   */
  machineFlavor: NovaName;
  /**
   * `master_count` (odd, Magnum checks it): the number of control plane pods (kube-apiserver, controller-manager,
   * scheduler).
   * @asType integer
   * @minimum 1
   * @maximum 9
   */
  machineCount: number;
  /** Label `auto_healing_enabled`. Accepted and ignored: Kamaji's Deployment replaces failed control plane pods. */
  healthCheck: MagnumHealthCheckValues;
  /** Labels `boot_volume_type` and `boot_volume_size`. Accepted and ignored: there are no control-plane servers. */
  machineRootVolume?: MagnumRootVolumeValues;
}

/** `healthCheck`: label `auto_healing_enabled` (default true). */
export interface MagnumHealthCheckValues {
  /**
   * Whether a MachineHealthCheck replaces unhealthy machines.
   */
  enabled: boolean;
}

/**
 * Root volume (labels `boot_volume_type`, `boot_volume_size`, falling back to Magnum's `[cinder]` defaults); each key
 * only when set.
 * @minProperties 1
 */
export interface MagnumRootVolumeValues {
  /**
   * Cinder volume type of the root volume (label `boot_volume_type`).
   */
  volumeType?: MagnumLabelValue;
  /**
   * Size of the root volume in GB (label `boot_volume_size`); without it the servers boot from the flavor's disk.
   * @asType integer
   * @minimum 1
   * @maximum 65536
   */
  diskSize?: number;
}

/** `nodeGroupDefaults`: what the driver sends for every worker node group. */
export interface MagnumNodeGroupDefaultsValues {
  /** Label `auto_healing_enabled` (default true): a MachineHealthCheck per node group. */
  healthCheck: MagnumHealthCheckValues;
  /** Labels `boot_volume_type`, `boot_volume_size`. */
  machineRootVolume?: MagnumRootVolumeValues;
  /** Label `extra_network_names` (`extra_network_name`). */
  machineNetworking?: MagnumMachineNetworkingValues;
}

/** `machineNetworking`: extra networks of every worker. */
export interface MagnumMachineNetworkingValues {
  /**
   * `{}` (the cluster's own network) followed by one port per name of label `extra_network_names` (split on single
   * spaces: two spaces give an empty name, refused). `{}` comes first and only there (a render-time check: as a
   * tuple schema, Helm 4.1.4 would name a bad extra port by its index among the extra ports, `ports.0` for `ports.2`).
   * @minItems 2
   * @maxItems 17
   */
  ports: MagnumPortValues[];
}

/** A port of `machineNetworking.ports`: `{}` (the cluster's own network, first) or one on an extra network. */
export type MagnumPortValues = MagnumClusterNetworkPort | MagnumExtraNetworkPort;

/**
 * The first port: `{}`, the cluster's own network.
 * @maxProperties 0
 */
export interface MagnumClusterNetworkPort {}

/** A port on an extra network, by name. */
export interface MagnumExtraNetworkPort {
  /** The network. */
  network: MagnumNetworkByName;
  /**
   * Always `[]`: CAPO then puts the port in the cluster's managed worker security group.
   * @maxItems 0
   */
  securityGroups: never[];
}

export interface MagnumNetworkByName {
  /**
   * Name of the Neutron network (one word of label `extra_network_names`).
   * @pattern ^[A-Za-z0-9./_-]+$
   * @maxLength 255
   */
  name: string;
}

/** A worker node group. */
export interface MagnumNodeGroupValues {
  /**
   * The node group's name after the driver's `sanitized_name` (`default-worker` for the default group). Names the
   * MachineDeployment `<release>-<name>` and the Machines' label `capi.stackhpc.com/node-group`.
   */
  name: MagnumSanitizedName;
  /**
   * The node group's `flavor_id` verbatim: a Nova flavor name or ID.
   */
  machineFlavor: NovaName;
  /**
   * `node_count`; sent also when autoscaling, where Cluster API keeps the live size instead.
   * @asType integer
   * @minimum 0
   * @maximum 1000
   */
  machineCount: number;
  /**
   * The string `"true"` when label `auto_scaling_enabled` is true and the group's minimum and maximum differ; absent
   * otherwise (the driver never sends `"false"`).
   */
  autoscale?: 'true';
  /**
   * Smallest size (with `autoscale`; the driver refuses a minimum below 1 or above `node_count` before calling Helm).
   * @asType integer
   * @minimum 1
   * @maximum 1000
   */
  machineCountMin?: number;
  /**
   * Largest size (with `autoscale`).
   * @asType integer
   * @minimum 1
   * @maximum 1000
   */
  machineCountMax?: number;
}

/** `addons`. */
export interface MagnumAddonsValues {
  /** The OpenStack cloud integration. */
  openstack: MagnumOpenStackAddonsValues;
  /** Label `monitoring_enabled` (default false). `true` is refused at render time: this chart has no monitoring addon. */
  monitoring: MagnumToggleValues;
  /** Label `kube_dashboard_enabled` (default **true**), a legacy key. Accepted and ignored: no dashboard addon. */
  kubernetesDashboard: MagnumToggleValues;
  /** Always `{enabled: false}`. */
  ingress: MagnumDisabledValues;
  /** The template's `network_driver`; absent only for a template without one (Magnum's API fills `flannel`). */
  cni?: MagnumCniValues;
}

export interface MagnumToggleValues {
  /**
   * Whether the addon is asked for.
   */
  enabled: boolean;
}

export interface MagnumDisabledValues {
  /**
   * Always `false`.
   */
  enabled: false;
}

export interface MagnumCniValues {
  /**
   * `calico` and `cilium` install those; `flannel`, Magnum's default, installs Calico with VXLAN (this chart has no
   * flannel, and Calico VXLAN with kube-proxy is flannel's data path plus NetworkPolicy).
   */
  type: 'calico' | 'cilium' | 'flannel';
}

/** `addons.openstack`. */
export interface MagnumOpenStackAddonsValues {
  /** One StorageClass per Cinder volume type. */
  csiCinder: MagnumCsiCinderValues;
  /** The tenant cloud-controller-manager's `cloud.conf`. */
  cloudConfig: MagnumCloudConfigValues;
  /** Label `keystone_auth_enabled=true` only; refused at render time for now. */
  k8sKeystoneAuth?: MagnumKeystoneAuthValues;
}

/** `addons.openstack.csiCinder`: one entry per Cinder volume type the project sees. */
export interface MagnumCsiCinderValues {
  /** The type of `[capi_helm] csi_cinder_default_volume_type`, else the first Cinder lists: the default StorageClass. */
  defaultStorageClass: MagnumStorageClassValues;
  /**
   * Every other volume type, in Cinder's order (with the default one at most 32 StorageClasses, what this project's
   * `openstack-cinder-csi-node` chart takes).
   * @maxItems 31
   */
  additionalStorageClasses: MagnumStorageClassValues[];
}

/** A StorageClass entry: the same label-driven parameters for every volume type. */
export interface MagnumStorageClassValues {
  /**
   * `sanitized_name(volume type)` (`__DEFAULT__` → `default`, `ceph_HDD` → `ceph-hdd`): the StorageClass's name. Two
   * volume types with the same sanitised name are refused at render time.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 253
   */
  name: string;
  /**
   * Label `csi_cinder_reclaim_policy` (default `Retain`).
   */
  reclaimPolicy: 'Retain' | 'Delete';
  /**
   * Label `csi_cinder_allow_volume_expansion` (default true).
   */
  allowVolumeExpansion: boolean;
  /**
   * Label `csi_cinder_volume_binding_mode` (default `WaitForFirstConsumer`).
   */
  volumeBindingMode: 'WaitForFirstConsumer' | 'Immediate';
  /**
   * Label `csi_cinder_availability_zone` (default `nova`): the Cinder zone of new volumes; empty: the node's zone.
   * @pattern ^[A-Za-z0-9./_-]*$
   * @maxLength 255
   */
  availabilityZone: string;
  /**
   * The Cinder volume type, as Cinder names it.
   * @minLength 1
   * @maxLength 255
   */
  volumeType: string;
  /**
   * `[capi_helm] csi_cinder_allowed_topologies` (default `[]`): zones (values of `topology.cinder.csi.openstack.org/zone`)
   * whose nodes may use the volumes; empty: all.
   * @maxItems 32
   * @uniqueItems true
   */
  allowedTopologies: MagnumZoneName[];
  /**
   * Label `csi_cinder_fstype` (default `ext4`); empty: ext4.
   */
  fstype: '' | 'ext4' | 'xfs';
  /**
   * Always `true`.
   */
  enabled: true;
}

/**
 * A Nova/Cinder availability zone in a topology selector (a label value, not empty).
 * @pattern ^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$
 * @maxLength 63
 */
export type MagnumZoneName = LabelValue;

/** `addons.openstack.cloudConfig`: sections of the tenant cloud-controller-manager's `cloud.conf`. */
export interface MagnumCloudConfigValues {
  /** `[LoadBalancer]`: tenant Services of type LoadBalancer. */
  LoadBalancer: MagnumCloudConfigLoadBalancerValues;
}

/** `[LoadBalancer]` options, under the names `cloud.conf` spells them. */
export interface MagnumCloudConfigLoadBalancerValues {
  /**
   * Label `octavia_provider` (default `amphora`).
   */
  'lb-provider': 'amphora' | 'octavia' | 'ovn' | 'amphorav2' | 'f5';
  /**
   * Label `octavia_lb_algorithm` (default `SOURCE_IP_PORT` with provider `ovn`, else `ROUND_ROBIN`).
   */
  'lb-method': 'ROUND_ROBIN' | 'LEAST_CONNECTIONS' | 'SOURCE_IP' | 'SOURCE_IP_PORT';
  /**
   * Label `octavia_lb_healthcheck` (default true): health monitors on the pools.
   */
  'create-monitor': boolean;
}

/** `addons.openstack.k8sKeystoneAuth`, with label `keystone_auth_enabled=true`. */
export interface MagnumKeystoneAuthValues {
  /**
   * Always `true`.
   */
  enabled: true;
  /** The webhook's settings. */
  values: MagnumKeystoneAuthSettings;
}

export interface MagnumKeystoneAuthSettings {
  /**
   * Magnum's `[keystone_authtoken] www_authenticate_uri` verbatim.
   * @pattern ^https?://[^\s]+$
   * @maxLength 2048
   */
  openstackAuthUrl: string;
  /**
   * The project of whoever triggered the operation (normally the cluster's owner).
   * @pattern ^[A-Za-z0-9_-]+$
   * @maxLength 64
   */
  projectId: string;
}

/**
 * `site`: what every cluster of one Magnum deployment shares and the driver cannot know. Defaults are the
 * `tenant-cluster` chart's; change them by republishing this chart with your values.yaml.
 */
export interface MagnumSiteValues {
  /** Facts about the management cluster the control planes run in. */
  managementCluster: ManagementClusterValues;
  /** The tenants' pod and Service networks, DNS domain and API server port (Magnum sends none of them). */
  clusterNetwork: ClusterNetworkValues;
  /**
   * Kamaji DataStore (cluster-scoped) holding every tenant's state.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  dataStoreName: string;
  /**
   * Octavia settings of the control planes' load balancers (in the management cluster's project). With
   * `floatingNetworkID` empty, a cluster's floating IP comes from its template's external network.
   */
  controlPlaneEndpoint: EndpointOpenStackValues;
  /**
   * Addresses the workers' traffic reaches a control plane's load balancer from (the external addresses of the
   * customers' routers, e.g. the external network's subnet): added to `apiServer.allowedCidrs` when a cluster sets
   * label `api_master_lb_allowed_cidrs`, which the chart refuses while this is empty.
   * @example
   * - 203.0.113.0/24
   * @maxItems 16
   */
  workerEgressCidrs: Ipv4Cidr[];
  /**
   * Attach a config drive to every server (the Cinder CSI node plugin and cloud-init then need no metadata service).
   */
  configDrive: boolean;
  /** Chart repositories of the addons (mirrors), and this project's repository serving `openstack-cinder-csi-node`. */
  addonRepositories: AddonRepositoriesValues;
}
