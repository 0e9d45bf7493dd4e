import {
  EndpointOpenStackValues, OpenStackAddonsValues, OpenStackInfrastructureValues, OpenStackMachineValues,
} from '../../values/openstack-values';
import { pinnedImage } from '../../pins';
import { OPENSTACK_CINDER_CSI_NODE_CHART_VERSION } from '../openstack-cinder-csi-node/version';

/**
 * Defaults of the OpenStack parts of the values contract (src/values/openstack-values.ts), parts of
 * TENANT_CLUSTER_DEFAULTS (defaults.ts, addons-defaults.ts): `infrastructure.openstack`, `nodeGroupDefaults.openstack`,
 * `controlPlane.endpoint.openstack`, `addons.openstack`.
 */

/** `infrastructure.openstack`. */
export const OPENSTACK_INFRASTRUCTURE_DEFAULTS: OpenStackInfrastructureValues = {
  identity: { secretName: '', cloudName: 'openstack', region: '', caCert: false },
  network: { id: '', filter: {}, subnetID: '', subnetFilter: {}, nodeCidr: '10.0.0.0/24', extraNodeCidrs: [], dnsNameservers: [], mtu: 0, routerID: '' },
  externalNetworkID: '',
  egressCidrs: [],
  securityGroups: { managed: true, allowAllInClusterTraffic: true, workerRules: [] },
  tags: [],
  capacityFromFlavor: false,
};

/** `nodeGroupDefaults.openstack`: every key, so that templates read groups without nil checks. */
export const OPENSTACK_MACHINE_DEFAULTS: Required<OpenStackMachineValues> = {
  flavor: '',
  flavorID: '',
  image: { id: '', name: '', tags: [] },
  rootVolume: { sizeGiB: 0, type: '', availabilityZone: '' },
  availabilityZone: '',
  ports: [],
  securityGroups: [],
  serverGroupID: '',
  sshKeyName: '',
  serverMetadata: {},
  configDrive: false,
  tags: [],
};

/** `controlPlane.endpoint.openstack`. */
export const OPENSTACK_ENDPOINT_DEFAULTS: EndpointOpenStackValues = {
  floatingNetworkID: '',
  floatingSubnetID: '',
  internal: false,
  portID: '',
  keepFloatingIP: false,
  flavorID: '',
  availabilityZone: '',
  class: '',
  // Above the Konnectivity agent's gRPC keepalive (1 h, apiserver-network-proxy cmd/agent/app/options), so idle
  // tunnels and streams survive; Octavia's own default is 50 s.
  timeoutClientData: 14400000,
  timeoutMemberData: 14400000,
};

const resources = (cpu: string, memory: string, memoryLimit: string) => ({ requests: { cpu, memory }, limits: { memory: memoryLimit } });

/** `addons.openstack`. */
export const OPENSTACK_ADDONS_DEFAULTS: OpenStackAddonsValues = {
  cloudControllerManager: {
    enabled: true,
    image: '',
    replicas: 1,
    resources: resources('10m', '64Mi', '256Mi'),
    extraArgs: {},
    loadBalancer: {
      enabled: true,
      // The ReadConfig defaults of cloud-provider-openstack (pkg/openstack/openstack.go), written out.
      provider: 'amphora',
      method: 'ROUND_ROBIN',
      createMonitor: false,
      monitorDelay: '5s',
      monitorTimeout: '3s',
      monitorMaxRetries: 1,
      monitorMaxRetriesDown: 3,
      floatingNetworkID: '',
      floatingSubnetID: '',
      subnetID: '',
      networkID: '',
      internal: false,
      manageSecurityGroups: false,
    },
  },
  cinderCsi: {
    enabled: true,
    chartVersion: OPENSTACK_CINDER_CSI_NODE_CHART_VERSION,
    targetNamespace: 'kube-system',
    values: {},
    valuesFrom: [],
    topology: true,
    ignoreVolumeAZ: false,
    rescanOnResize: false,
    nodeVolumeAttachLimit: 0,
    storageClasses: {},
    volumeSnapshotClass: false,
    controller: {
      image: '',
      replicas: 1,
      resources: resources('10m', '32Mi', '128Mi'),
      sidecarResources: resources('5m', '24Mi', '96Mi'),
      // The sidecars upstream's manifests pair with cinder-csi-plugin v1.34.1 (src/openstack-support.ts; sources in src/pins.ts).
      sidecarImages: {
        provisioner: pinnedImage('csiProvisioner'),
        attacher: pinnedImage('csiAttacher'),
        resizer: pinnedImage('csiResizer'),
        snapshotter: pinnedImage('csiSnapshotterForCinder'),
        livenessProbe: pinnedImage('livenessProbe'),
      },
    },
  },
};
