/**
 * Values contract v1 of the `tenant-cluster` chart: the single source of its values.schema.json,
 * values.yaml comments and README table. Extend, don't rename: GitOps repositories and the
 * Magnum driver pass these keys.
 */
import { AddonsValues } from './addons-values';
import { EndpointOpenStackValues, OpenStackInfrastructureValues, OpenStackMachineValues } from './openstack-values';
import {
  Annotations, CommandLineFlags, Duration, HostNameOrEmpty, ImageReferenceOrEmpty, Ipv4Address, Ipv4Cidr, LabelValue, ManagementCidr, NodeLabels,
  ObjectNameOrEmpty, PodCidr, QualifiedNameOrEmpty, Quantity, Resources, ServiceCidr, SubjectAlternativeName, Taint,
} from './common';

/** Values of the `tenant-cluster` chart. */
export interface TenantClusterValues {
  /**
   * Overrides the chart name in the `app.kubernetes.io/name` label (a label value: at most 63 letters, digits, `-`, `_` and `.`).
   */
  nameOverride?: LabelValue;
  /**
   * The tenant cluster's name (Cluster, KamajiControlPlane and every derived name). The release name when empty.
   * Must be a DNS-1035 label (lowercase letters, digits and `-`, starting with a letter), at most 63 characters.
   * @maxLength 253
   */
  fullnameOverride?: string;
  /** Kubernetes of the tenant cluster. */
  kubernetes: KubernetesValues;
  /** Facts about the management cluster the tenant's control plane (and KubeVirt workers) run in. */
  managementCluster: ManagementClusterValues;
  /** The tenant cluster's networks (copied into the hosted control plane by the Kamaji provider). */
  clusterNetwork: ClusterNetworkValues;
  /** The hosted control plane (Kamaji). */
  controlPlane: ControlPlaneValues;
  /** Where the worker machines run. */
  infrastructure: InfrastructureValues;
  /** Settings merged into every node group (maps deeply; a group's own values win; lists replace). */
  nodeGroupDefaults: NodeGroupValues;
  /**
   * Worker node groups, keyed by group name (lowercase letters, digits and `-`).
   * Each becomes a MachineDeployment `<cluster>-<group>`; `<cluster>-<group>` must not exceed 50 characters.
   * @see https://cluster-api.sigs.k8s.io/user/concepts#machinedeployment
   * @example
   * system:
   *   replicas: 3
   *   kubevirt:
   *     cores: 2
   *     memory: 4Gi
   * workers:
   *   autoscaling:
   *     enabled: true
   *     min: 1
   *     max: 10
   *   kubevirt:
   *     instancetype: u1.large
   */
  nodeGroups: NodeGroupMap;
  /**
   * The addon bundle: CNI, metrics-server and the kubelet serving-certificate approver, the KubeVirt CSI node side
   * (Flux HelmReleases into the tenant), and the management-side cloud-controller-manager, CSI controller and cluster autoscaler.
   */
  addons: AddonsValues;
}

/** Node groups by name (format `NodeGroupMap`: DNS labels of at most 40 characters, at most 100 groups). */
export type NodeGroupMap = { [name: string]: NodeGroupValues };

/** Extra disks by name (format `ExtraDiskMap`: DNS labels of at most 40 characters, at most 16 disks). */
export type ExtraDiskMap = { [name: string]: ExtraDiskValues };

export interface KubernetesValues {
  /**
   * Kubernetes version: a supported minor (`v1.34`: its newest patch the support matrix knows) or a full version
   * (`v1.34.2`) up to that patch; newer patches are refused until the support matrix knows them (the chart README lists them).
   * @pattern ^v?[0-9]+\.[0-9]+(\.[0-9]+)?$
   */
  version: string;
}

export interface ManagementClusterValues {
  /**
   * DNS domain of the management cluster, used for the control plane Service's full name `<cluster>.<namespace>.svc.<domain>`.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  clusterDomain: string;
  /**
   * Pod CIDR of the management cluster: KubeVirt workers get their node addresses from it, so tenant networks must not overlap it.
   */
  podCidr: ManagementCidr;
  /**
   * Service CIDR of the management cluster (the control plane Service's address comes from it).
   */
  serviceCidr: ManagementCidr;
  /**
   * Addresses the management cluster's own traffic to a load balancer's external address leaves it from (its
   * nodes' or router's SNAT address), as the load balancer sees them. Added to
   * `controlPlane.endpoint.loadBalancer.sourceRanges` (when set) of OpenStack tenants without
   * `controlPlane.endpoint.advertiseAddress`: Cluster API then reaches the tenant at the load balancer's address.
   * Traffic that the management cluster's kube-proxy (or Cilium) short-circuits to the Service never leaves it and
   * comes from `podCidr`, which is always added.
   * @example
   * - 198.51.100.7/32
   * @maxItems 16
   */
  egressCidrs: Ipv4Cidr[];
  /**
   * The management cluster's NodePort range (kube-apiserver `--service-node-port-range`). With
   * `controlPlane.endpoint.type: NodePort` Kamaji uses `clusterNetwork.apiServerPort` and the Konnectivity
   * server port as node ports, so both must lie inside it.
   * @pattern ^[0-9]{1,5}-[0-9]{1,5}$
   */
  serviceNodePortRange: string;
}

export interface ClusterNetworkValues {
  /**
   * Pod CIDR of the tenant cluster.
   */
  podCidr: PodCidr;
  /**
   * Service CIDR of the tenant cluster.
   */
  serviceCidr: ServiceCidr;
  /**
   * DNS domain of the tenant cluster's Services.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  serviceDomain: string;
  /**
   * Port of the tenant's kube-apiserver (the control plane Service's port).
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  apiServerPort: number;
}

export interface ControlPlaneValues {
  /**
   * Number of control plane pods (kube-apiserver, controller-manager, scheduler).
   * @asType integer
   * @minimum 1
   * @maximum 9
   */
  replicas: number;
  /**
   * Kamaji DataStore (cluster-scoped) holding the tenant's state.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  dataStoreName: string;
  /** How the tenant's API server is exposed outside the management cluster. */
  endpoint: EndpointValues;
  /**
   * Extra subject alternative names for the API server certificate (hosts or IPs, no ports).
   * The Service's full name in the management cluster domain is always added.
   * @example
   * - api.acme.example.com
   * - 203.0.113.10
   * @maxItems 64
   */
  certSANs: SubjectAlternativeName[];
  /** kube-apiserver container. */
  apiServer: ControlPlaneComponentValues;
  /** kube-controller-manager container. */
  controllerManager: ControlPlaneComponentValues;
  /** kube-scheduler container. */
  scheduler: ControlPlaneComponentValues;
  /** Kubelet settings Kamaji applies in the tenant (rendered whole: Kamaji defaults the object as a whole). */
  kubelet: ControlPlaneKubeletValues;
  /** Addons Kamaji installs into the tenant itself. */
  addons: KamajiAddonsValues;
}

export interface EndpointValues {
  /**
   * Service type of the control plane: `LoadBalancer`, `NodePort`, or `ClusterIP` (with `ingress.hostname` for outside access).
   */
  type: 'LoadBalancer' | 'NodePort' | 'ClusterIP';
  /** Settings used when `type` is `LoadBalancer`. */
  loadBalancer: LoadBalancerValues;
  /** Settings used when `type` is `NodePort`. */
  nodePort: NodePortValues;
  /** Ingress with TLS passthrough for `type: ClusterIP` (empty hostname: no Ingress). */
  ingress: IngressValues;
  /**
   * Annotations on the control plane Service (with the OpenStack provider, over those `openstack` sets).
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
   * @example
   * service.beta.kubernetes.io/openstack-internal-load-balancer: "true"
   */
  serviceAnnotations: Annotations;
  /**
   * OpenStack provider only: the address the workers use for the API server and Konnectivity (`cluster-info`,
   * kube-apiserver `--advertise-address`, the Konnectivity agents, their `kubeadm join`), e.g. a floating IP on the
   * load balancer's `openstack.portID` known before the cluster exists; Kamaji adds it to the certificate. Empty: the
   * load balancer's address. With it Cluster API reaches the tenant in-cluster (`admin.svc`) instead of through the
   * load balancer. Needs Kamaji 26.3.6-edge or newer. Set it at creation: Kamaji writes `cluster-info` once.
   */
  advertiseAddress: '' | Ipv4Address;
  /** OpenStack provider only: Octavia settings of the control plane's load balancer (annotations read by the management cluster's OpenStack cloud-controller-manager). */
  openstack: EndpointOpenStackValues;
}

export interface LoadBalancerValues {
  /**
   * CIDRs allowed to reach the API server through the load balancer (empty: everyone). When set,
   * `managementCluster.podCidr` is always added: Kamaji advertises the load balancer's IP inside the tenant
   * (the `kubernetes` Service and the Konnectivity agents use it), tenant traffic comes from the KubeVirt
   * VMs' addresses in that CIDR, and kube-proxy drops traffic to a load balancer IP from sources outside
   * the ranges, in-cluster traffic included. With the OpenStack provider `infrastructure.openstack.egressCidrs`
   * (the workers' egress, required then) and `managementCluster.egressCidrs` are added too.
   * @example
   * - 203.0.113.0/24
   * @maxItems 128
   */
  sourceRanges: Ipv4Cidr[];
  /**
   * LoadBalancer class of the Service (immutable once set; empty: the cluster default).
   */
  className: QualifiedNameOrEmpty;
}

export interface NodePortValues {
  /**
   * The address the API server is reached at on a node port (a node IP or a VIP in front of the nodes):
   * required with `type: NodePort` (Kamaji cannot expose the control plane without one). It becomes the
   * API server's `--advertise-address`, the cluster endpoint and a certificate SAN. The ports are
   * `clusterNetwork.apiServerPort` and the Konnectivity server port.
   */
  address: '' | Ipv4Address;
}

export interface IngressValues {
  /**
   * Host name of the API server behind the management cluster's ingress; added to the certificate SANs.
   */
  hostname: HostNameOrEmpty;
  /**
   * IngressClass of that Ingress (must support TLS passthrough).
   */
  className: ObjectNameOrEmpty;
  /**
   * Annotations on the Ingress, e.g. `nginx.ingress.kubernetes.io/ssl-passthrough: "true"`.
   * @example
   * nginx.ingress.kubernetes.io/ssl-passthrough: "true"
   */
  annotations: Annotations;
}

export interface ControlPlaneComponentValues {
  /** Container resources (requests on every control plane container keep them from being evicted first). */
  resources: Resources;
  /**
   * Extra command-line flags, as `flag: value` (rendered as `--flag=value`).
   * @see https://kubernetes.io/docs/reference/command-line-tools-reference/
   * @example
   * v: "2"
   */
  extraArgs: CommandLineFlags;
}

export interface ControlPlaneKubeletValues {
  /**
   * Cgroup driver of the workers' kubelets.
   */
  cgroupfs: 'systemd' | 'cgroupfs';
  /**
   * Node address types the API server tries, in order, to reach kubelets (KubeVirt VM host names do not resolve from the control plane pods).
   * @minItems 1
   * @maxItems 5
   */
  preferredAddressTypes: Array<'InternalIP' | 'ExternalIP' | 'Hostname' | 'InternalDNS' | 'ExternalDNS'>;
  /**
   * Kubelets request serving certificates signed by the cluster CA (`serverTLSBootstrap`), so metrics-server and the
   * API server can verify them. Needs `addons.kubeletServingCertApprover` (nothing else approves those requests).
   */
  serverTLSBootstrap: boolean;
}

export interface KamajiAddonsValues {
  /** CoreDNS installed by Kamaji. */
  coreDNS: CoreDnsValues;
  /** kube-proxy installed by Kamaji: needed by Calico, replaced by Cilium (`addons.cni.cilium.kubeProxyReplacement`). */
  kubeProxy: ToggleValues;
  /** Konnectivity: the API server's path to kubelets, pods and webhooks in the tenant network. */
  konnectivity: KonnectivityValues;
}

export interface ToggleValues {
  /**
   * Whether the component is installed.
   */
  enabled: boolean;
}

export interface CoreDnsValues {
  /**
   * Whether Kamaji installs CoreDNS.
   */
  enabled: boolean;
  /**
   * ClusterIP of the DNS Service; must lie inside `clusterNetwork.serviceCidr` (empty: the 10th address of it).
   */
  serviceIP: '' | Ipv4Address;
}

export interface KonnectivityValues {
  /**
   * Whether Konnectivity is installed.
   * It carries the API server's traffic to kubelets, Services, webhooks and aggregated APIs; on OpenStack it or
   * `addons.vpn.enabled` must be true (see the README, "Reverse path: Konnectivity and the VPN").
   */
  enabled: boolean;
  /**
   * Port of the Konnectivity server on the control plane Service.
   * @asType integer
   * @minimum 1
   * @maximum 65535
   */
  serverPort: number;
  /** Resources of the Konnectivity server sidecar in each control plane pod. */
  serverResources: Resources;
  /**
   * How the agent runs in the tenant.
   */
  agentMode: 'DaemonSet' | 'Deployment';
  /**
   * Agent replicas when `agentMode` is `Deployment`.
   * @asType integer
   * @minimum 1
   */
  agentReplicas: number;
}

export interface InfrastructureValues {
  /**
   * Infrastructure provider of the workers: KubeVirt VMs in the management cluster, or OpenStack servers in the
   * customer's project (cluster-api-provider-openstack v0.14).
   */
  provider: 'kubevirt' | 'openstack';
  /** KubeVirt (cluster-api-provider-kubevirt) settings. */
  kubevirt: KubevirtInfrastructureValues;
  /**
   * OpenStack (cluster-api-provider-openstack v0.14) settings, used when `provider` is `openstack`.
   * @see https://cluster-api-openstack.sigs.k8s.io/clusteropenstack/configuration
   */
  openstack: OpenStackInfrastructureValues;
}

export interface KubevirtInfrastructureValues {
  /**
   * StorageClass of DataVolumes (boot disks from a DataVolume source, extra disks) when a group names none (empty: the cluster default).
   */
  storageClassName: ObjectNameOrEmpty;
}

export interface NodeGroupValues {
  /**
   * Number of machines when autoscaling is off.
   * @asType integer
   * @minimum 0
   * @maximum 1000
   */
  replicas?: number;
  /** Cluster-autoscaler bounds; when enabled, `replicas` is not rendered (Cluster API keeps the live value). */
  autoscaling?: AutoscalingValues;
  /** The KubeVirt virtual machine of each node (provider `kubevirt`). */
  kubevirt?: KubevirtMachineValues;
  /** The OpenStack server of each node (provider `openstack`). */
  openstack?: OpenStackMachineValues;
  /**
   * Node labels (kubelet `--node-labels`): label keys and values; the kubelet may set `kubernetes.io`/`k8s.io` keys only under
   * `node.kubernetes.io/` and `kubelet.kubernetes.io/` (and a few well-known ones).
   * @example
   * node.acme.example.com/pool: workers
   */
  labels?: NodeLabels;
  /**
   * Node taints registered at join (each key and effect at most once).
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
   * @example
   * - key: node.acme.example.com/dedicated
   *   value: gpu
   *   effect: NoSchedule
   * @maxItems 32
   */
  taints?: Taint[];
  /** Kubelet settings of the group's nodes. */
  kubelet?: NodeKubeletValues;
  /** Extra kubeadm bootstrap settings. */
  kubeadm?: KubeadmValues;
  /** MachineHealthCheck of the group. */
  healthCheck?: HealthCheckValues;
}

export interface AutoscalingValues {
  /**
   * Whether the cluster autoscaler sizes this group between `min` and `max`.
   */
  enabled?: boolean;
  /**
   * Smallest size.
   * @asType integer
   * @minimum 0
   * @maximum 1000
   */
  min?: number;
  /**
   * Largest size.
   * @asType integer
   * @minimum 1
   * @maximum 1000
   */
  max?: number;
  /**
   * The size of one node's VM, for scaling up from zero (the autoscaler has no node to look at): empty
   * fields come from `kubevirt.cores` and `kubevirt.memory`; required when the group uses an instancetype
   * and `min` is 0 (the chart cannot read a cluster-scoped instancetype). On OpenStack the flavor's vCPUs and
   * RAM, required when `min` is 0 (the chart cannot read Nova) unless `infrastructure.openstack.capacityFromFlavor`. The autoscaler takes what the
   * MachineDeployment advertises as the node's allocatable, so the chart advertises the size minus
   * `kubelet.reserved` and the kubelet's hard eviction threshold for memory (100Mi), rounded down, together
   * with the group's `labels`, `taints` and `kubelet.extraArgs.max-pods`.
   */
  capacity?: NodeCapacityValues;
}

export interface NodeCapacityValues {
  /**
   * CPUs of one node (empty: `kubevirt.cores` on KubeVirt).
   * @pattern ^([0-9]+(\.[0-9]+)?m?)?$
   * @maxLength 32
   */
  cpu?: string;
  /**
   * Memory of one node (empty: `kubevirt.memory` on KubeVirt).
   * @pattern ^([0-9]+(\.[0-9]+)?(k|M|G|T|Ki|Mi|Gi|Ti)?)?$
   * @maxLength 32
   */
  memory?: string;
}

export interface KubevirtMachineValues {
  /**
   * Instancetype that sizes the VM (overrides `cores` and `memory`); empty: sized by `cores` and `memory`.
   * @pattern ^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$
   * @maxLength 253
   */
  instancetype?: string;
  /**
   * Kind of the instancetype.
   */
  instancetypeKind?: 'VirtualMachineClusterInstancetype' | 'VirtualMachineInstancetype';
  /**
   * Virtual CPU cores when no instancetype is set.
   * @asType integer
   * @minimum 1
   * @maximum 256
   */
  cores?: number;
  /**
   * Guest memory when no instancetype is set.
   */
  memory?: Quantity;
  /** Boot disk of the VM. */
  bootImage?: BootImageValues;
  /**
   * A disk for the kubelet's and containerd's state (`/var/lib/kubelet`, `/var/lib/containerd`: images,
   * container logs, emptyDirs), instead of the boot disk (a container disk's root is 5 GiB and lives in the
   * VM pod's ephemeral storage). A blank DataVolume `kubelet` (serial `kubelet`), formatted ext4 whenever
   * cloud-init sets the node up (with a container disk boot image: at every boot, like the root) and
   * bind-mounted over both directories before `kubeadm join`; it needs a StorageClass (`storageClassName`,
   * else `infrastructure.kubevirt.storageClassName`, else the management cluster's default).
   */
  kubeletDisk?: KubeletDiskValues;
  /**
   * Extra blank disks (DataVolumes) by name, attached as virtio disks with serial `<name>`
   * (`boot`, `kubelet` and `cloudinitvolume` are taken).
   * @example
   * data:
   *   size: 50Gi
   */
  extraDisks?: ExtraDiskMap;
  /**
   * What happens to the VM when its management node drains: `External` lets Cluster API replace the machine.
   */
  evictionStrategy?: 'External' | 'LiveMigrate' | 'LiveMigrateIfPossible' | 'None';
}

export interface BootImageValues {
  /**
   * `containerDisk` (an OCI image, ephemeral root disk) or `dataVolume` (a persistent disk imported by CDI).
   */
  type?: 'containerDisk' | 'dataVolume';
  /**
   * Container disk image with kubeadm, with a tag or digest (not `latest`); empty: the default image for the Kubernetes minor.
   */
  containerDiskImage?: ImageReferenceOrEmpty;
  /** DataVolume boot disk settings. */
  dataVolume?: DataVolumeBootValues;
}

export interface DataVolumeBootValues {
  /**
   * CDI DataVolume source, exactly one of CDI's source types, e.g. `{http: {url: https://…/image.qcow2}}` or
   * `{registry: {url: docker://…}}`; required with `type: dataVolume`. Its schema is the DataVolume's (from the
   * KubevirtMachineTemplate CRD), so a misspelt key is refused at install.
   * @see https://github.com/kubevirt/containerized-data-importer/blob/main/doc/datavolumes.md
   * @example
   * http:
   *   url: https://images.example.com/ubuntu-2404-kube-v1.34.qcow2
   */
  source?: { [key: string]: unknown };
  /**
   * Size of the boot disk.
   */
  size?: Quantity;
  /**
   * StorageClass of the boot disk (empty: `infrastructure.kubevirt.storageClassName`).
   */
  storageClassName?: ObjectNameOrEmpty;
}

export interface KubeletDiskValues {
  /**
   * Whether the node's VM gets the kubelet disk.
   */
  enabled?: boolean;
  /**
   * Size of the disk.
   */
  size?: Quantity;
  /**
   * StorageClass of the disk (empty: `infrastructure.kubevirt.storageClassName`).
   */
  storageClassName?: string;
}

export interface ExtraDiskValues {
  /**
   * Size of the disk.
   */
  size: Quantity;
  /**
   * StorageClass of the disk (empty: `infrastructure.kubevirt.storageClassName`).
   */
  storageClassName?: ObjectNameOrEmpty;
}

export interface NodeKubeletValues {
  /**
   * Extra kubelet flags, as `flag: value` (`kube-reserved` is `reserved`; `max-pods` is also advertised to the
   * autoscaler for scaling from zero).
   * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/
   * @example
   * max-pods: "150"
   */
  extraArgs?: CommandLineFlags;
  /**
   * CPU and memory the kubelet keeps from pods for the OS, the kubelet and containerd (rendered as the
   * kubelet's `--kube-reserved`). The autoscaler is told the node's size minus this and the kubelet's hard
   * eviction threshold for memory (100Mi). The defaults suit a node of a few GiB; raise them for larger ones.
   */
  reserved?: KubeletReservedValues;
  /**
   * Base URL of the Kubernetes release binaries (`https://dl.k8s.io/release` or a mirror of it): before
   * joining, each node installs kubelet and kubeadm of exactly `kubernetes.version` from
   * `<url>/<version>/bin/linux/<arch>/`, checked against the published `.sha256`, so nodes run the version
   * the MachineDeployment names. The worker image carries the newest patch of its minor from the day it was
   * built; that one stays when the download fails (no egress) or this is empty.
   * @pattern ^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/-]*)?)?$
   */
  binariesUrl?: string;
}

export interface KubeletReservedValues {
  /**
   * CPU kept from pods, e.g. `100m`.
   * @pattern ^[0-9]{1,6}(\.[0-9]{1,3})?m?$
   */
  cpu?: string;
  /**
   * Memory kept from pods, e.g. `512Mi`.
   * @pattern ^[0-9]{1,6}(\.[0-9]{1,3})?(k|M|G|Ki|Mi|Gi)?$
   */
  memory?: string;
}

export interface KubeadmValues {
  /**
   * Extra files written on the node before kubeadm runs (all values together must fit the Helm release record: see
   * the project README, "Limits").
   * @see https://cluster-api.sigs.k8s.io/tasks/bootstrap/kubeadm-bootstrap/
   * @example
   * - path: /etc/sysctl.d/90-acme.conf
   *   content: |
   *     vm.max_map_count = 262144
   *   permissions: "0644"
   * @maxItems 32
   */
  files?: KubeadmFile[];
  /**
   * Commands run before `kubeadm join` (after the chart's own; on KubeVirt they pin the control plane's name).
   * @example
   * - sysctl --system
   * @maxItems 64
   */
  preKubeadmCommands?: KubeadmCommand[];
  /**
   * Commands run after `kubeadm join`.
   * @example
   * - echo "joined" > /var/log/acme-joined
   * @maxItems 64
   */
  postKubeadmCommands?: KubeadmCommand[];
}

/**
 * A shell command run by cloud-init.
 * @minLength 1
 * @maxLength 10240
 */
export type KubeadmCommand = string;

/**
 * A file written on the node before kubeadm runs: `content` inline, or `contentFrom` a Secret. Anything
 * secret (registry credentials, keys, tokens) goes in a Secret, never inline: inline content ends up in
 * the KubeadmConfigTemplate, readable by everyone who can read Cluster API objects, and in the release.
 */
export interface KubeadmFile {
  /**
   * Absolute path of the file.
   * @pattern ^/
   * @maxLength 512
   */
  path: string;
  /**
   * Content of the file, for what is not secret (the KubeadmConfigTemplate allows at most 10240 characters).
   * Exactly one of `content` and `contentFrom`.
   * @minLength 1
   * @maxLength 10240
   */
  content?: string;
  /**
   * Where the content comes from instead: a key of a Secret in the release namespace, which Cluster API's
   * kubeadm bootstrap provider copies into the node's bootstrap data (the Secret must exist before
   * machines are created).
   */
  contentFrom?: KubeadmFileSource;
  /**
   * Owner, e.g. `root:root`.
   * @minLength 1
   * @maxLength 256
   */
  owner?: string;
  /**
   * Permissions, e.g. `0644`.
   * @pattern ^0?[0-7]{3}$
   */
  permissions?: string;
}

export interface KubeadmFileSource {
  /** The Secret holding the content. */
  secret: KubeadmFileSecretRef;
}

export interface KubeadmFileSecretRef {
  /**
   * Name of the Secret, in the release namespace.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  name: string;
  /**
   * Key of the Secret's data holding the content.
   * @pattern ^[-._a-zA-Z0-9]+$
   * @maxLength 253
   */
  key: string;
}

export interface HealthCheckValues {
  /**
   * Whether a MachineHealthCheck remediates unhealthy machines of the group.
   */
  enabled?: boolean;
  /**
   * Remediation stops when more than this percentage of the group is unhealthy (rounds down: `100%` always remediates).
   * @pattern ^[0-9]+%$
   * @maxLength 16
   */
  maxUnhealthy?: string;
  /**
   * How long a new machine may take to become a node.
   */
  nodeStartupTimeout?: Duration;
  /**
   * How long a node may be `Ready=Unknown` (unreachable) before remediation.
   */
  readyUnknownTimeout?: Duration;
  /**
   * How long a node may be `Ready=False` before remediation.
   */
  readyFalseTimeout?: Duration;
}
