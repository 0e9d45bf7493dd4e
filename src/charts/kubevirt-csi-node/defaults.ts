import { KUBECTL_IMAGE, pinnedImage } from '../../pins';
import { KubevirtCsiNodeValues } from '../../values/kubevirt-csi-node-values';

/**
 * The chart's `values.yaml`. Images are pinned (the driver image is the controller's default in the
 * `tenant-cluster` chart; the sidecars are those of upstream's `deploy/tenant` manifests). Requests are
 * upstream's; memory limits leave room for `mkfs` on large volumes.
 */
export const KUBEVIRT_CSI_NODE_DEFAULTS: KubevirtCsiNodeValues = {
  nameOverride: '',
  fullnameOverride: '',
  // Upstream publishes only `latest`; Kubermatic's build of it is versioned (same image as the controller's default).
  image: pinnedImage('kubevirtCsiDriver'),
  sidecarImages: {
    nodeDriverRegistrar: pinnedImage('nodeDriverRegistrar'),
    livenessProbe: pinnedImage('livenessProbe'),
  },
  resources: { requests: { cpu: '10m', memory: '50Mi' }, limits: { memory: '256Mi' } },
  sidecarResources: { requests: { cpu: '5m', memory: '20Mi' }, limits: { memory: '64Mi' } },
  logLevel: 3,
  infraStorageClassName: '',
  storageClass: { name: 'kubevirt', isDefault: true, reclaimPolicy: 'Delete', allowVolumeExpansion: true, volumeBindingMode: 'Immediate' },
  storageClassUpdate: {
    enabled: true,
    image: KUBECTL_IMAGE,
    resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '128Mi' } },
  },
  volumeSnapshotClass: false,
  infraVolumeSnapshotClassName: '',
};
