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
   */
  nameOverride: string;
  /**
   * Name of the DaemonSet, its ServiceAccount, ClusterRole and ClusterRoleBinding. The release name when empty.
   * Must be a DNS-1123 label (lowercase letters, digits and `-`), at most 63 characters.
   * @maxLength 253
   */
  fullnameOverride: string;
  /**
   * Image of the KubeVirt CSI driver (the same image as the controller in the management cluster; `latest` is refused).
   * @see https://github.com/kubevirt/csi-driver
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
   */
  logLevel: number;
  /**
   * StorageClass in the management cluster that backs the tenant's volumes (the DataVolumes the controller creates).
   * Empty: the parameter is left out and the management cluster's default StorageClass is used.
   * @pattern ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$
   * @maxLength 253
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
   */
  volumeSnapshotClass: boolean;
  /**
   * VolumeSnapshotClass in the management cluster, passed as the VolumeSnapshotClass parameter `infraSnapshotClassName`
   * (the controller needs it when it allows only listed infra StorageClasses). Empty: no parameter.
   * @pattern ^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$
   * @maxLength 253
   */
  infraVolumeSnapshotClassName: string;
}

export interface StorageClassUpdateValues {
  /**
   * Whether the pre-upgrade hook runs.
   */
  enabled: boolean;
  /**
   * Image with `kubectl` and `sh` (`latest` is refused). The default is the digest Cozystack pins for its cleanup hooks.
   */
  image: ImageReference;
  /** Resources of the hook's container. */
  resources: ContainerResources;
}

export interface CsiNodeSidecarImagesValues {
  /**
   * node-driver-registrar: registers the driver's socket with the kubelet.
   * @see https://github.com/kubernetes-csi/node-driver-registrar
   */
  nodeDriverRegistrar: ImageReference;
  /**
   * livenessprobe: serves the driver container's `/healthz`.
   * @see https://github.com/kubernetes-csi/livenessprobe
   */
  livenessProbe: ImageReference;
}

export interface CsiNodeStorageClassValues {
  /**
   * Name of the StorageClass (and of the VolumeSnapshotClass).
   * @pattern ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$
   * @maxLength 253
   */
  name: string;
  /**
   * Mark it as the tenant's default StorageClass (and the VolumeSnapshotClass as the driver's default).
   */
  isDefault: boolean;
  /**
   * What happens to a volume (and its DataVolume in the management cluster) when its claim is deleted.
   */
  reclaimPolicy: 'Delete' | 'Retain';
  /**
   * Whether claims may grow (the controller resizes the DataVolume, the node plugin the file system).
   */
  allowVolumeExpansion: boolean;
  /**
   * When volumes are provisioned: `Immediate` (upstream's default) or `WaitForFirstConsumer` (when a pod uses the claim).
   */
  volumeBindingMode: 'Immediate' | 'WaitForFirstConsumer';
}
