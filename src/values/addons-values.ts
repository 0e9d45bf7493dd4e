/**
 * The `addons` part of the values contract: what runs in the tenant (delivered as Flux HelmReleases
 * from the tenant namespace of the management cluster) and what runs beside the control plane in the
 * management cluster (cloud-controller-manager, CSI controller, cluster autoscaler).
 */
import { Duration, Quantity, StringMap } from './common';

/**
 * A duration as Flux takes it, such as `10m` or `1h30m` (no `ns`/`us`).
 * @pattern ^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$
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
   * node names of this cluster, only addresses from `managementCluster.podCidr`.
   */
  kubeletServingCertApprover: FluxAddonValues;
  /** KubeVirt CSI: PersistentVolumeClaims in the tenant become DataVolumes hot-plugged into the worker VMs. */
  csi: CsiValues;
  /** KubeVirt cloud-controller-manager: node addresses and Services of type LoadBalancer. */
  cloudControllerManager: CloudControllerManagerValues;
  /** Cluster autoscaler for the node groups with `autoscaling.enabled`. */
  clusterAutoscaler: ClusterAutoscalerValues;
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
   * `kubevirt-csi-node` chart. Required when `addons.csi.enabled`.
   */
  tenantCluster: ChartRepositoryValues;
}

export interface ChartRepositoryValues {
  /**
   * `default`: a Helm repository (`index.yaml`), one HelmRepository for all its charts; `oci`: an OCI registry, one
   * OCIRepository per chart at `<url>/<chart>`.
   */
  type: 'default' | 'oci';
  /**
   * Repository URL: `https://…` for `default`, `oci://…` for `oci`.
   * @pattern ^((https?|oci)://[^\s]+)?$
   */
  url: string;
  /**
   * Secret in the release namespace with credentials (`username`/`password`, or a docker config for OCI); empty: none.
   */
  secretName: string;
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

/**
 * A container image with a tag or digest (`latest` is refused at render time).
 * @pattern ^[a-z0-9]([-a-z0-9._/:]*[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$
 */
export type ImageReference = string;

/**
 * Chart values of an addon, merged over the chart's own defaults for it (maps deeply, yours win, lists replace).
 */
export type AddonChartValues = { [key: string]: unknown };

export interface FluxAddonValues {
  /**
   * Whether the addon is installed.
   */
  enabled: boolean;
  /**
   * Chart version (pinned; change it to upgrade the addon).
   * @pattern ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$
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
   * MTU of the pod network: the worker VMs' interface MTU (the management cluster's pod MTU) minus the encapsulation.
   * @asType integer
   * @minimum 1280
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
}

export interface CiliumValues {
  /**
   * Chart version; empty: the version the support matrix pins for the Kubernetes minor.
   * @pattern ^([0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?)?$
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
   * StorageClass in the management cluster that backs tenant volumes (empty: its default class). Hot-plugged volumes
   * of live-migratable VMs need `ReadWriteMany` block storage.
   * @pattern ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$
   * @maxLength 253
   */
  infraStorageClassName: string;
  /** The StorageClass created in the tenant. */
  storageClass: CsiStorageClassValues;
  /**
   * Also create a VolumeSnapshotClass in the tenant (needs the snapshot CRDs and controller there).
   */
  volumeSnapshotClass: boolean;
  /**
   * Version of this project's `kubevirt-csi-node` chart.
   * @pattern ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$
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
  /** The controller, in the management cluster beside the VMs. */
  controller: CsiControllerValues;
}

export interface CsiStorageClassValues {
  /**
   * Name of the StorageClass.
   * @pattern ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$
   */
  name: string;
  /**
   * Mark it as the tenant's default StorageClass.
   */
  isDefault: boolean;
  /**
   * What happens to a volume when its claim is deleted.
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
  extraArgs: StringMap;
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
  /** Resources of each CSI sidecar (provisioner, attacher, resizer, liveness probe). */
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
  /** livenessprobe. */
  livenessProbe: ImageReference;
}

export interface CloudControllerManagerValues extends ManagementWorkloadValues {
  /**
   * Whether the KubeVirt cloud-controller-manager runs (nodes stay tainted `uninitialized` without one).
   */
  enabled: boolean;
  /** Services of type LoadBalancer in the tenant become Services in the management cluster. */
  loadBalancer: CloudLoadBalancerValues;
  /**
   * Copy zone and region labels from the management node of each VM: needs a ClusterRole to read management nodes.
   */
  zoneAndRegion: boolean;
}

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
}

export interface ClusterAutoscalerValues {
  /**
   * Whether the cluster autoscaler runs (node groups with `autoscaling.enabled` need it).
   */
  enabled: boolean;
  /**
   * Image; empty: the autoscaler release matching the Kubernetes minor (support matrix).
   * @pattern ^([a-z0-9]([-a-z0-9._/:]*[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64}))?$
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
  extraArgs: StringMap;
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
   */
  utilizationThreshold: string;
}
