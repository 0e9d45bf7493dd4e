import { OPENSTACK_SUPPORT } from '../../openstack-support';
import { pinnedImage } from '../../pins';
import { OpenStackCinderCsiNodeValues } from '../../values/openstack-cinder-csi-node-values';

/**
 * The chart's `values.yaml`. Images are those of cloud-provider-openstack v1.34.1's
 * manifests/cinder-csi-plugin/cinder-csi-nodeplugin.yaml (the `tenant-cluster` chart passes the plugin of the
 * tenant's minor); requests are small, memory limits leave room for `mkfs` on large volumes.
 */
export const OPENSTACK_CINDER_CSI_NODE_DEFAULTS: OpenStackCinderCsiNodeValues = {
  nameOverride: '',
  fullnameOverride: '',
  image: OPENSTACK_SUPPORT['1.34'].cinderCsiPluginImage,
  sidecarImages: {
    nodeDriverRegistrar: pinnedImage('nodeDriverRegistrar'),
    livenessProbe: pinnedImage('livenessProbe'),
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
