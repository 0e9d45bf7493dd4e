/**
 * The `addons` part of the values contract: what runs in the tenant (delivered as Flux HelmReleases
 * from the tenant namespace of the management cluster) and what runs beside the control plane in the
 * management cluster (cloud-controller-manager, CSI controller, cluster autoscaler).
 */
import { CommandLineFlags, Duration, ObjectNameOrEmpty, Quantity } from './common';
import { OpenStackAddonsValues } from './openstack-values';
import { VpnValues } from './vpn-values';

/**
 * A duration as Flux takes it, such as `10m` or `1h30m` (no `ns`/`us`).
 * @pattern ^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$
 * @maxLength 64
 */
export type FluxDuration = string;

export interface AddonsValues {
  /** How Flux delivers every addon into the tenant. */
  delivery: AddonDeliveryValues;
  /** Chart repositories of the addons: point them at a mirror here. */
  repositories: AddonRepositoriesValues;
  /** Images of the management-side helpers. */
  images: AddonImagesValues;
  /** The tenant's network plugin. */
  cni: CniValues;
  /** metrics-server in the tenant (`kubectl top`, HorizontalPodAutoscalers), talking to kubelets over verified TLS. */
  metricsServer: FluxAddonValues;
  /**
   * Approves the kubelets' serving-certificate requests in the tenant (postfinance/kubelet-csr-approver): only
   * node names of this cluster, only addresses from `managementCluster.podCidr` (KubeVirt) or
   * `infrastructure.openstack.network.nodeCidr` (OpenStack).
   */
  kubeletServingCertApprover: FluxAddonValues;
  /** KubeVirt CSI (provider `kubevirt`): PersistentVolumeClaims in the tenant become DataVolumes hot-plugged into the worker VMs. */
  csi: CsiValues;
  /** KubeVirt cloud-controller-manager (provider `kubevirt`): node addresses and Services of type LoadBalancer. */
  cloudControllerManager: CloudControllerManagerValues;
  /** Cluster autoscaler for the node groups with `autoscaling.enabled`. */
  clusterAutoscaler: ClusterAutoscalerValues;
  /**
   * OpenStack cloud integration (provider `openstack`, instead of `csi` and `cloudControllerManager`): the OpenStack
   * cloud-controller-manager and the Cinder CSI controller in the management cluster, the Cinder CSI node plugin and
   * StorageClasses in the tenant.
   */
  openstack: OpenStackAddonsValues;
  /**
   * A `pre-delete` hook (a Job in the release namespace) that `helm uninstall` runs first: it suspends and deletes the
   * tenant's HelmReleases (removing their finalizers if they are still there after 45 s: they cannot uninstall from a
   * tenant that is going away), stops the cloud-controller-manager and the CSI controller, and deletes the
   * LoadBalancer Services and the volume DataVolumes of this cluster, which are not part of the release and would
   * otherwise stay (with their addresses and storage). It ends within 3 minutes (Magnum's `helm uninstall --timeout 5m`
   * included); when a step fails the uninstall stops and the Job's log names what is left (remove it, or uninstall with
   * `--no-hooks` and clean up by hand).
   */
  uninstallCleanup: UninstallCleanupValues;
  /**
   * One tenant cluster per namespace: a ConfigMap of a fixed name (`tenant-cluster-owns-this-namespace`) makes Helm refuse
   * a second tenant-cluster release in this namespace. Two tenants in one namespace are not isolated: the KubeVirt CSI
   * controller attaches a volume to whichever VM of the namespace a tenant's node names (it checks the volume's cluster,
   * not the VM's), and the cloud-controller-manager's EndpointSlice controller reconciles the other tenant's load
   * balancers too (so `false` is refused while `cloudControllerManager.loadBalancer.enableEPSController` is on), and
   * Kamaji and this chart both name objects `<cluster>-<suffix>` (a cluster named like another's
   * `<cluster>-cloud-controller-manager` would collide with it). Set `false` only for clusters that trust each other.
   */
  exclusiveNamespace: boolean;
  /**
   * OpenVPN from every control plane pod (a `vpn` sidecar) to a server in the tenant (this project's
   * `tenant-vpn-server` chart): routes to the tenant's pod and service networks (on OpenStack with `routeNodes` also
   * its node network), certificates from cert-manager. Off by default; see the chart README, "Reverse path:
   * Konnectivity and the VPN".
   */
  vpn: VpnValues;
}

export interface UninstallCleanupValues {
  /**
   * Whether the cleanup hook runs on `helm uninstall`.
   */
  enabled: boolean;
  /**
   * Image with `kubectl` and `sh` (`latest` is refused).
   */
  image: ImageReference;
  /** Resources of the hook's container. */
  resources: ContainerResources;
}

export interface AddonDeliveryValues {
  /**
   * How often Flux reconciles each addon HelmRelease (restores what the tenant deleted or changed).
   */
  interval: FluxDuration;
  /**
   * Timeout of each Helm install or upgrade in the tenant.
   */
  timeout: FluxDuration;
  /**
   * Wait between retries of a failed install or upgrade (strategy `RetryOnFailure`: never uninstalls a slow first install).
   */
  retryInterval: FluxDuration;
  /**
   * Flux drift detection: `enabled` corrects objects changed or deleted in the tenant, `warn` only reports them.
   */
  driftDetection: 'enabled' | 'warn' | 'disabled';
}

export interface AddonRepositoriesValues {
  /** Cilium charts. */
  cilium: ChartRepositoryValues;
  /** Calico charts (tigera-operator). */
  calico: ChartRepositoryValues;
  /** metrics-server charts. */
  metricsServer: ChartRepositoryValues;
  /** kubelet-csr-approver charts. */
  kubeletCsrApprover: ChartRepositoryValues;
  /**
   * This project's Helm repository (the `dist/` directory, served over HTTPS or pushed to an OCI registry), for the
   * `kubevirt-csi-node` chart (KubeVirt) and the `openstack-cinder-csi-node` chart (OpenStack). Required when
   * `addons.csi.enabled` (KubeVirt) or `addons.openstack.cinderCsi.enabled` (OpenStack).
   * Also for the `tenant-vpn-server` chart: required when `addons.vpn.enabled`.
   */
  tenantCluster: ChartRepositoryValues;
  /** Piraeus charts (`snapshot-controller`, for `addons.csi.volumeSnapshotClass`); also at `oci://ghcr.io/piraeusdatastore/helm-charts`. */
  snapshotController: ChartRepositoryValues;
}

export interface ChartRepositoryValues {
  /**
   * `default`: a Helm repository (`index.yaml`), one HelmRepository for all its charts; `oci`: an OCI registry, one
   * OCIRepository per chart at `<url>/<chart>`.
   */
  type: 'default' | 'oci';
  /**
   * Repository URL: `https://…` for `default`, `oci://…` for `oci`. Never with credentials (`user:password@` is refused:
   * they would be stored in the HelmRepository or OCIRepository and the Helm release): put them in a Secret and name it
   * in `secretName`.
   * @pattern ^((https?|oci)://[^\s/?#@]+([/?#][^\s]*)?)?$
   * @maxLength 2048
   */
  url: string;
  /**
   * Secret in the release namespace with credentials (`username`/`password`, or a docker config for OCI); empty: none.
   */
  secretName: ObjectNameOrEmpty;
  /**
   * How often Flux checks the repository for the pinned chart.
   */
  interval: FluxDuration;
}

export interface AddonImagesValues {
  /**
   * Image of the init container that waits for the tenant's admin kubeconfig (needs `sh`, `sleep` and `test`).
   */
  waitForKubeconfig: ImageReference;
}

/** A container image with a tag or digest (format `ImageReference`, see formats.ts; `latest` is refused at render time). */
export type ImageReference = string;

/**
 * Chart values of an addon, merged over the chart's own defaults for it (maps deeply, yours win, lists replace). Keys
 * this chart sets itself from other values (the pod CIDR, the API server, the approver's checks, kubelet TLS, …) are
 * refused with the value to change instead.
 */
export type AddonChartValues = { [key: string]: unknown };

/** A Secret in the release namespace holding chart values for an addon (Flux `valuesFrom`). */
export interface AddonValuesFromSecret {
  /**
   * Name of the Secret (in the release namespace, next to the HelmRelease).
   * @pattern ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$
   * @maxLength 253
   */
  secretName: string;
  /**
   * Key of the Secret whose content is a YAML values document (or, with `targetPath`, one value).
   * @pattern ^[-._a-zA-Z0-9]+$
   * @maxLength 253
   * @default "values.yaml"
   */
  valuesKey?: string;
  /**
   * Where the key's content goes in the values (`a.b[0].c`, as `helm --set` paths); empty: it is merged as a values document.
   * @pattern ^([A-Za-z0-9_-]+(\[[0-9]+\])?)(\.[A-Za-z0-9_-]+(\[[0-9]+\])?)*$|^$
   * @maxLength 250
   * @default ""
   */
  targetPath?: string;
  /**
   * Whether a missing Secret or key is ignored instead of failing the release.
   * @default false
   */
  optional?: boolean;
}

/**
 * Secrets with chart values for an addon, merged in order under `values` (Flux `valuesFrom`): for values that are
 * secrets. The chart's own values (and yours in `values`) win over them; their content is not checked at render time.
 * @see https://fluxcd.io/flux/components/helm/helmreleases/#values-references
 * @example
 * - secretName: acme-addon-credentials
 *   valuesKey: values.yaml
 */
export type AddonValuesFrom = AddonValuesFromSecret[];

export interface FluxAddonValues {
  /**
   * Whether the addon is installed.
   */
  enabled: boolean;
  /**
   * Chart version (pinned; change it to upgrade the addon).
   * @pattern ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$
   * @maxLength 128
   */
  chartVersion: string;
  /**
   * Namespace in the tenant (created if missing; also holds the Helm release record).
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 63
   */
  targetNamespace: string;
  /**
   * Chart values merged over this chart's defaults for the addon.
   * @example
   * resources:
   *   requests:
   *     cpu: 10m
   *     memory: 32Mi
   */
  values: AddonChartValues;
  /**
   * Secrets in the release namespace with more chart values (e.g. credentials), merged under `values`.
   */
  valuesFrom: AddonValuesFrom;
}

export interface CniValues {
  /**
   * Whether the chart installs a CNI (off: bring your own; nodes stay NotReady until one runs).
   */
  enabled: boolean;
  /**
   * Which CNI: `cilium` (replaces kube-proxy) or `calico` (needs `controlPlane.addons.kubeProxy.enabled`).
   */
  type: 'cilium' | 'calico';
  /**
   * MTU of the worker VMs' network interface, i.e. of the management cluster's pod network the VXLAN packets travel
   * on (not the pods' MTU). Cilium takes it as is (its `MTU` is the underlying network's; it subtracts the 50 bytes of
   * VXLAN itself), Calico gets it minus 50 (its `mtu` is the pods'). The default fits a management pod network of 1400
   * or more; pods then get 1350.
   * @asType integer
   * @minimum 1330
   * @maximum 9000
   */
  mtu: number;
  /** Cilium settings. */
  cilium: CiliumValues;
  /** Calico settings. */
  calico: FluxAddonChartValues;
}

/** An addon whose `enabled` lives elsewhere (the CNI's `type`). */
export interface FluxAddonChartValues {
  /**
   * Chart version (pinned; change it to upgrade the addon).
   * @pattern ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$
   * @maxLength 128
   */
  chartVersion: string;
  /**
   * Namespace in the tenant (created if missing; also holds the Helm release record).
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 63
   */
  targetNamespace: string;
  /**
   * Chart values merged over this chart's defaults for the addon.
   * @see https://docs.tigera.io/calico/latest/getting-started/kubernetes/helm
   * @example
   * nodeSelector:
   *   kubernetes.io/os: linux
   */
  values: AddonChartValues;
  /**
   * Secrets in the release namespace with more chart values (e.g. credentials), merged under `values`.
   */
  valuesFrom: AddonValuesFrom;
}

export interface CiliumValues {
  /**
   * Chart version; empty: the version the support matrix pins for the Kubernetes minor.
   * @pattern ^([0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?)?$
   * @maxLength 128
   */
  chartVersion: string;
  /**
   * Namespace in the tenant (created if missing; also holds the Helm release record).
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 63
   */
  targetNamespace: string;
  /**
   * Chart values merged over this chart's defaults for Cilium.
   * @see https://docs.cilium.io/en/stable/helm-reference/
   * @example
   * operator:
   *   replicas: 2
   */
  values: AddonChartValues;
  /**
   * Secrets in the release namespace with more chart values (e.g. credentials), merged under `values`.
   */
  valuesFrom: AddonValuesFrom;
  /**
   * Cilium implements Services itself (eBPF) and talks to the API server directly: Kamaji's kube-proxy must then be off.
   */
  kubeProxyReplacement: boolean;
}

export interface CsiValues {
  /**
   * Whether the KubeVirt CSI driver is installed (controller here, node plugin and StorageClass in the tenant).
   */
  enabled: boolean;
  /**
   * StorageClass in the management cluster that backs the tenant's StorageClass (empty: the management cluster's default
   * class). Hot-plugged volumes of live-migratable VMs need `ReadWriteMany` block storage. The CSI controller accepts
   * only this class and `allowedInfraStorageClasses`, and the management default class only while this is empty.
   * Changing it later works: the tenant StorageClass's parameters are immutable, so the `kubevirt-csi-node` chart
   * deletes it before the upgrade recreates it (`addons.csi.values.storageClassUpdate`); existing volumes keep their class.
   * @pattern ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$
   * @maxLength 253
   */
  infraStorageClassName: string;
  /**
   * Further management StorageClasses the tenant may name in StorageClasses of its own (parameter `infraStorageClassName`,
   * provisioner `csi.kubevirt.io`). Any other is refused by the CSI controller (`INFRA_STORAGE_CLASS_ENFORCEMENT`).
   * @see https://github.com/kubevirt/csi-driver/blob/main/docs/snapshot-driver-config.md
   * @example
   * - fast-replicated
   */
  allowedInfraStorageClasses: InfraStorageClassName[];
  /**
   * VolumeSnapshotClass in the management cluster for snapshots of tenant volumes. Required with `volumeSnapshotClass`
   * while `infraStorageClassName` is set (the driver then maps that class to this snapshot class and refuses others);
   * empty: the management cluster's default VolumeSnapshotClass, which the driver uses only while `infraStorageClassName`
   * is empty.
   * @pattern ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$
   * @maxLength 253
   */
  infraVolumeSnapshotClassName: string;
  /** The StorageClass created in the tenant. */
  storageClass: CsiStorageClassValues;
  /**
   * Volume snapshots: a VolumeSnapshotClass in the tenant, the csi-snapshotter sidecar beside the controller, and (with
   * `snapshotController.enabled`) the snapshot CRDs and snapshot-controller in the tenant. Turning it off again
   * uninstalls the CRDs with every VolumeSnapshot in the tenant: delete the snapshots first.
   */
  volumeSnapshotClass: boolean;
  /**
   * With `volumeSnapshotClass`: the VolumeSnapshot CRDs and the snapshot-controller in the tenant, from Piraeus'
   * `snapshot-controller` chart (CRDs and controller of kubernetes-csi/external-snapshotter). Turn it off when the
   * tenant gets them elsewhere (two installations of the CRDs conflict).
   * @see https://github.com/piraeusdatastore/helm-charts/tree/main/charts/snapshot-controller
   */
  snapshotController: FluxAddonValues;
  /**
   * Version of this project's `kubevirt-csi-node` chart.
   * @pattern ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$
   * @maxLength 128
   */
  chartVersion: string;
  /**
   * Namespace of the node plugin in the tenant.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 63
   */
  targetNamespace: string;
  /**
   * Values merged over those the chart sets for the `kubevirt-csi-node` chart.
   * @example
   * logLevel: 5
   */
  values: AddonChartValues;
  /**
   * Secrets in the release namespace with more chart values (e.g. credentials), merged under `values`.
   */
  valuesFrom: AddonValuesFrom;
  /** The controller, in the management cluster beside the VMs. */
  controller: CsiControllerValues;
}

/**
 * A StorageClass name in the management cluster.
 * @pattern ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$
 * @maxLength 253
 */
export type InfraStorageClassName = string;

export interface CsiStorageClassValues {
  /**
   * Name of the StorageClass.
   * @pattern ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$
   * @maxLength 253
   */
  name: string;
  /**
   * Mark it as the tenant's default StorageClass.
   */
  isDefault: boolean;
  /**
   * What happens to a volume when its claim is deleted.
   * @maxLength 512
   */
  reclaimPolicy: 'Delete' | 'Retain';
}

export interface ManagementWorkloadValues {
  /** Container image. */
  image: ImageReference;
  /**
   * Replicas (leader election keeps one active; more than one adds a PodDisruptionBudget).
   * @asType integer
   * @minimum 1
   * @maximum 5
   */
  replicas: number;
  /** Resources of the main container. */
  resources: ContainerResources;
  /**
   * Extra command-line flags, as `flag: value` (rendered as `--flag=value`).
   * @example
   * v: "4"
   */
  extraArgs: CommandLineFlags;
}

/** Requests and limits of a management-side container: both are required (the invariants of DESIGN.md §4). */
export interface ContainerResources {
  /** What the scheduler reserves. */
  requests: RequiredResourceAmounts;
  /** The most the container may use. */
  limits: ResourceLimits;
}

export interface RequiredResourceAmounts {
  /** CPU, e.g. `10m`. */
  cpu: Quantity;
  /** Memory, e.g. `64Mi`. */
  memory: Quantity;
}

export interface ResourceLimits {
  /** CPU limit (empty map key: none, the usual choice for controllers). */
  cpu?: Quantity;
  /** Memory limit. */
  memory: Quantity;
}

export interface CsiControllerValues {
  /**
   * Image of the KubeVirt CSI driver.
   * @maxLength 512
   */
  image: ImageReference;
  /**
   * Replicas (leader election keeps one active; more than one adds a PodDisruptionBudget).
   * @asType integer
   * @minimum 1
   * @maximum 5
   */
  replicas: number;
  /** Resources of the driver container. */
  resources: ContainerResources;
  /** Resources of each CSI sidecar (provisioner, attacher, resizer, liveness probe, and the snapshotter when on). */
  sidecarResources: ContainerResources;
  /** CSI sidecar images. */
  sidecarImages: CsiSidecarImagesValues;
}

export interface CsiSidecarImagesValues {
  /** external-provisioner. */
  provisioner: ImageReference;
  /** external-attacher. */
  attacher: ImageReference;
  /** external-resizer. */
  resizer: ImageReference;
  /**
   * external-snapshotter's csi-snapshotter, run only with `addons.csi.volumeSnapshotClass`.
   * @see https://github.com/kubernetes-csi/external-snapshotter
   */
  snapshotter: ImageReference;
  /** livenessprobe. */
  livenessProbe: ImageReference;
}

export interface CloudControllerManagerValues extends ManagementWorkloadValues {
  /**
   * Whether the KubeVirt cloud-controller-manager runs: it implements the tenant's Services of type LoadBalancer, keeps
   * Node addresses in line with the VMs' and removes Nodes whose VM is gone. Nodes join and run without it (the kubelets
   * have no `--cloud-provider=external`, so they carry no `uninitialized` taint, and Cluster API's KubeVirt provider sets
   * their provider ID); LoadBalancer Services then stay pending.
   */
  enabled: boolean;
  /** Services of type LoadBalancer in the tenant become Services in the management cluster. */
  loadBalancer: CloudLoadBalancerValues;
  /**
   * Copy zone and region labels from the management node of each VM (needs a ClusterRole to read management nodes). The
   * cloud-controller-manager sets these labels only when it initializes a Node, i.e. only on nodes whose kubelet runs
   * with `--cloud-provider=external` (`nodeGroups.*.kubelet.extraArgs`); on the others this only adds the ClusterRole.
   */
  zoneAndRegion: boolean;
  /**
   * An admission policy on the Services this cloud-controller-manager creates in the management cluster: it copies a
   * tenant Service's `externalIPs`, `loadBalancerIP` and annotations onto them, which would let a tenant capture
   * traffic to any address or pick and share management load balancer addresses.
   */
  servicePolicy: CloudServicePolicyValues;
}

export interface CloudServicePolicyValues {
  /**
   * Whether the ValidatingAdmissionPolicy and its binding are rendered (cluster-scoped, `admissionregistration.k8s.io/v1`:
   * Kubernetes ≥ 1.30, and permission to create them). `externalIPs` are then always refused. Without it, run the
   * management API server with the `DenyServiceExternalIPs` admission plugin and accept the rest.
   */
  enabled: boolean;
  /**
   * Let tenants choose their load balancer's address from the management cluster's pool (`loadBalancerIP`).
   */
  allowLoadBalancerIP: boolean;
  /**
   * Annotation key prefixes refused on those Services: the management load balancer's address, pool and sharing
   * annotations (MetalLB, Cilium LB-IPAM, kube-vip by default). Other annotations pass (Helm and others add their own).
   */
  deniedAnnotationPrefixes: AnnotationKeyPrefix[];
}

/**
 * The start of an annotation key, e.g. `metallb.universe.tf/`.
 * @pattern ^[A-Za-z0-9][-A-Za-z0-9_./]*$
 * @maxLength 253
 */
export type AnnotationKeyPrefix = string;

export interface CloudLoadBalancerValues {
  /**
   * Whether tenant LoadBalancer Services are implemented.
   */
  enabled: boolean;
  /**
   * Seconds between checks while a load balancer is being created.
   * @asType integer
   * @minimum 1
   * @maximum 600
   */
  creationPollInterval: number;
  /**
   * Seconds before giving up on a load balancer's address.
   * @asType integer
   * @minimum 1
   * @maximum 3600
   */
  creationPollTimeout: number;
  /**
   * Run the EndpointSlice controller: for a tenant Service with `externalTrafficPolicy: Local`, the management Service
   * gets no selector and points only at the VMs that run a ready endpoint (with a selector it would send traffic to
   * every worker VM, and those without a local endpoint drop it). Needs EndpointSlice permissions in this namespace.
   * The controller reconciles every LoadBalancer Service of the namespace, one more reason for one tenant per namespace
   * (`addons.exclusiveNamespace`).
   * @see https://github.com/kubevirt/cloud-provider-kubevirt/blob/v0.6.0/pkg/controller/kubevirteps/kubevirteps_controller.go
   */
  enableEPSController: boolean;
}

export interface ClusterAutoscalerValues {
  /**
   * Whether the cluster autoscaler runs (node groups with `autoscaling.enabled` need it).
   */
  enabled: boolean;
  /**
   * Image; empty: the autoscaler release matching the Kubernetes minor (support matrix).
   * @pattern ^([a-z0-9]([-a-z0-9._/:]*[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64}))?$
   * @maxLength 512
   */
  image: string;
  /** Resources of the autoscaler. */
  resources: ContainerResources;
  /** Scale-down behaviour. */
  scaleDown: ScaleDownValues;
  /**
   * Which node group to grow when several could.
   */
  expander: 'least-waste' | 'random' | 'most-pods' | 'price' | 'priority';
  /**
   * How long a new node may take to register before the autoscaler gives up on it.
   */
  maxNodeProvisionTime: Duration;
  /**
   * Extra command-line flags, as `flag: value` (rendered as `--flag=value`).
   * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#what-are-the-parameters-to-ca
   * @example
   * balance-similar-node-groups: "true"
   */
  extraArgs: CommandLineFlags;
}

export interface ScaleDownValues {
  /**
   * Whether underused nodes are removed.
   */
  enabled: boolean;
  /**
   * How long a node must be unneeded before it is removed.
   */
  unneededTime: Duration;
  /**
   * Wait after a scale-up before scale-down is considered again.
   */
  delayAfterAdd: Duration;
  /**
   * A node whose requests are below this fraction of its capacity is a candidate for removal.
   * @pattern ^(0(\.[0-9]+)?|1(\.0+)?)$
   * @maxLength 32
   */
  utilizationThreshold: string;
}
