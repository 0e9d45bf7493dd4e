import { OpenStackCinderCsiNodeValues } from '../../values/openstack-cinder-csi-node-values';

/**
 * The chart's `values.yaml`. Images are those of cloud-provider-openstack v1.34.1's
 * manifests/cinder-csi-plugin/cinder-csi-nodeplugin.yaml (the `tenant-cluster` chart passes the plugin of the
 * tenant's minor); requests are small, memory limits leave room for `mkfs` on large volumes.
 */
export const OPENSTACK_CINDER_CSI_NODE_DEFAULTS: OpenStackCinderCsiNodeValues = {
  nameOverride: '',
  fullnameOverride: '',
  image: 'registry.k8s.io/provider-os/cinder-csi-plugin:v1.34.1',
  sidecarImages: {
    nodeDriverRegistrar: 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.15.0',
    livenessProbe: 'registry.k8s.io/sig-storage/livenessprobe:v2.17.0',
  },
  resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '256Mi' } },
  sidecarResources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { memory: '64Mi' } },
  healthPort: 9808,
  nodeServiceNoOsClient: false,
  topology: true,
  rescanOnResize: false,
  nodeVolumeAttachLimit: 0,
  storageClasses: {},
  volumeSnapshotClass: false,
};
