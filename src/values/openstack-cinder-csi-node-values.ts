/**
 * Values contract v1 of the `openstack-cinder-csi-node` chart (the tenant side of Cinder CSI: the node plugin,
 * the CSIDriver and the StorageClasses; the controller runs in the management cluster): the single source of its
 * values.schema.json, values.yaml comments and README table. The `tenant-cluster` chart installs it into each
 * OpenStack tenant and passes `image`, `nodeServiceNoOsClient`, `topology`, `rescanOnResize`,
 * `nodeVolumeAttachLimit`, `storageClasses` and `volumeSnapshotClass`: extend, don't rename.
 */
import { ContainerResources, ImageReference } from './addons-values';
import { CinderStorageClassMap } from './openstack-values';

/** Values of the `openstack-cinder-csi-node` chart. */
export interface OpenStackCinderCsiNodeValues {
  /**
   * Overrides the chart name in the `app.kubernetes.io/name` label (also a selector label of the DaemonSet: changing
   * it later needs the DaemonSet recreated).
   * @pattern ^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$
   */
  nameOverride: string;
  /**
   * Name of the DaemonSet, its ServiceAccount, ClusterRole, ClusterRoleBinding and ConfigMap. The release name when
   * empty. Must be a DNS-1123 label (lowercase letters, digits and `-`), at most 63 characters.
   */
  fullnameOverride: string;
  /**
   * Image of cinder-csi-plugin (`latest` is refused); the `tenant-cluster` chart passes the release of the tenant's
   * Kubernetes minor, the same image as the controller's.
   * @see https://github.com/kubernetes/cloud-provider-openstack/tree/master/docs/cinder-csi-plugin
   */
  image: ImageReference;
  /** CSI sidecar images of the node plugin. */
  sidecarImages: CinderCsiNodeSidecarImagesValues;
  /** Resources of the plugin container (it formats and mounts the volumes). */
  resources: ContainerResources;
  /** Resources of each sidecar (node-driver-registrar, livenessprobe). */
  sidecarResources: ContainerResources;
  /**
   * Host port of the plugin's health endpoint (the DaemonSet uses the host network, as upstream's, to reach Nova's
   * metadata service): must be free on every node.
   * @asType integer
   * @minimum 1024
   * @maximum 65535
   */
  healthPort: number;
  /**
   * Pass `--node-service-no-os-client=true`: needed by cinder-csi-plugin v1.31, whose node service otherwise
   * builds an OpenStack client (this chart gives it no credentials); deprecated and ignored from v1.32.
   */
  nodeServiceNoOsClient: boolean;
  /**
   * Report the node's availability zone as topology (`--with-topology`); must match the controller's setting.
   */
  topology: boolean;
  /**
   * Rescan a volume's block device after a resize (`[BlockStorage] rescan-on-resize`).
   */
  rescanOnResize: boolean;
  /**
   * Most Cinder volumes per node (`[BlockStorage] node-volume-attach-limit`); 0: the plugin's default.
   * @asType integer
   * @minimum 0
   * @maximum 256
   */
  nodeVolumeAttachLimit: number;
  /**
   * StorageClasses, keyed by name (a DNS-1123 subdomain): one per Cinder volume type, at most one `isDefault`.
   * Missing settings take the defaults `volumeType: ""`, `isDefault: false`, `reclaimPolicy: Delete`,
   * `allowVolumeExpansion: true`, `volumeBindingMode: WaitForFirstConsumer`, no zone, ext4.
   * @see https://github.com/kubernetes/cloud-provider-openstack/blob/master/docs/cinder-csi-plugin/using-cinder-csi-plugin.md
   * @example
   * standard:
   *   volumeType: standard
   *   isDefault: true
   * fast:
   *   volumeType: ssd
   */
  storageClasses: CinderStorageClassMap;
  /**
   * Also create a VolumeSnapshotClass named like the release (needs the snapshot.storage.k8s.io CRDs and the
   * snapshot controller in the tenant, and the controller's snapshot sidecar).
   */
  volumeSnapshotClass: boolean;
}

export interface CinderCsiNodeSidecarImagesValues {
  /**
   * node-driver-registrar: registers the plugin's socket with the kubelet.
   * @see https://github.com/kubernetes-csi/node-driver-registrar
   */
  nodeDriverRegistrar: ImageReference;
  /**
   * livenessprobe: serves the plugin's `/healthz`.
   * @see https://github.com/kubernetes-csi/livenessprobe
   */
  livenessProbe: ImageReference;
}
