/**
 * Values contract v1 of the `kubevirt-csi-node` chart (the tenant side of the KubeVirt CSI driver): the
 * single source of its values.schema.json, values.yaml comments and README table. The `tenant-cluster`
 * chart installs it into each tenant and passes `infraStorageClassName`, `storageClass.{name,isDefault,reclaimPolicy}`
 * and `volumeSnapshotClass`: extend, don't rename.
 */
import { ContainerResources, ImageReference } from './addons-values';

/** Values of the `kubevirt-csi-node` chart. */
export interface KubevirtCsiNodeValues {
  /**
   * Overrides the chart name in the `app.kubernetes.io/name` label (also a selector label of the DaemonSet: changing
   * it later needs the DaemonSet recreated).
   * @pattern ^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$
   * @maxLength 63
   * @default ""
   */
  nameOverride: string;
  /**
   * Name of the DaemonSet, its ServiceAccount, ClusterRole and ClusterRoleBinding. The release name when empty.
   * Must be a DNS-1123 label (lowercase letters, digits and `-`), at most 63 characters.
   * @default ""
   * @maxLength 253
   */
  fullnameOverride: string;
  /**
   * Image of the KubeVirt CSI driver (the same image as the controller in the management cluster; `latest` is refused).
   * @see https://github.com/kubevirt/csi-driver
   * @default "quay.io/kubermatic/kubevirt-csi-driver:v0.4.5"
   */
  image: ImageReference;
  /** CSI sidecar images of the node plugin. */
  sidecarImages: CsiNodeSidecarImagesValues;
  /** Resources of the driver container (it formats and mounts the hot-plugged disks). */
  resources: ContainerResources;
  /** Resources of each sidecar (node-driver-registrar, livenessprobe). */
  sidecarResources: ContainerResources;
  /**
   * Log verbosity of the driver and the sidecars (klog `--v`).
   * @asType integer
   * @minimum 0
   * @maximum 10
   * @default 3
   */
  logLevel: number;
  /**
   * StorageClass in the management cluster that backs the tenant's volumes (the DataVolumes the controller creates).
   * Empty: the parameter is left out and the management cluster's default StorageClass is used.
   * @pattern ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$
   * @maxLength 253
   * @default ""
   */
  infraStorageClassName: string;
  /**
   * The StorageClass created in the tenant. Its `parameters` (`infraStorageClassName`), `reclaimPolicy` and
   * `volumeBindingMode` are immutable: `storageClassUpdate` recreates it when one of them changes.
   */
  storageClass: CsiNodeStorageClassValues;
  /**
   * Before an upgrade or rollback that changes an immutable field of the StorageClass, delete it so that the release
   * recreates it (a Job in the release namespace). Without it such an upgrade fails until the StorageClass is deleted by
   * hand.
   */
  storageClassUpdate: StorageClassUpdateValues;
  /**
   * Also create a VolumeSnapshotClass for the driver, named like the StorageClass (needs the snapshot.storage.k8s.io
   * CRDs and the snapshot controller in the tenant).
   * @default false
   */
  volumeSnapshotClass: boolean;
  /**
   * VolumeSnapshotClass in the management cluster, passed as the VolumeSnapshotClass parameter `infraSnapshotClassName`
   * (the controller needs it when it allows only listed infra StorageClasses). Empty: no parameter.
   * @pattern ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$
   * @maxLength 253
   * @default ""
   */
  infraVolumeSnapshotClassName: string;
}

export interface StorageClassUpdateValues {
  /**
   * Whether the pre-upgrade hook runs.
   * @default true
   */
  enabled: boolean;
  /**
   * Image with `kubectl` and `sh` (`latest` is refused). The default is the digest Cozystack pins for its cleanup hooks.
   * @default "docker.io/clastix/kubectl:v1.32@sha256:b9ef7d8dbe65bcc81a46c09b8dc7543103055021c4f43287bf59e92a8f4fe05c"
   */
  image: ImageReference;
  /** Resources of the hook's container. */
  resources: ContainerResources;
}

export interface CsiNodeSidecarImagesValues {
  /**
   * node-driver-registrar: registers the driver's socket with the kubelet.
   * @see https://github.com/kubernetes-csi/node-driver-registrar
   * @default "registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.15.0"
   */
  nodeDriverRegistrar: ImageReference;
  /**
   * livenessprobe: serves the driver container's `/healthz`.
   * @see https://github.com/kubernetes-csi/livenessprobe
   * @default "registry.k8s.io/sig-storage/livenessprobe:v2.17.0"
   */
  livenessProbe: ImageReference;
}

export interface CsiNodeStorageClassValues {
  /**
   * Name of the StorageClass (and of the VolumeSnapshotClass).
   * @pattern ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$
   * @maxLength 253
   * @default "kubevirt"
   */
  name: string;
  /**
   * Mark it as the tenant's default StorageClass (and the VolumeSnapshotClass as the driver's default).
   * @default true
   */
  isDefault: boolean;
  /**
   * What happens to a volume (and its DataVolume in the management cluster) when its claim is deleted.
   * @default "Delete"
   */
  reclaimPolicy: 'Delete' | 'Retain';
  /**
   * Whether claims may grow (the controller resizes the DataVolume, the node plugin the file system).
   * @default true
   */
  allowVolumeExpansion: boolean;
  /**
   * When volumes are provisioned: `Immediate` (upstream's default) or `WaitForFirstConsumer` (when a pod uses the claim).
   * @default "Immediate"
   */
  volumeBindingMode: 'Immediate' | 'WaitForFirstConsumer';
}
