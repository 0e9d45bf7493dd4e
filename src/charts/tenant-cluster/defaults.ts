import { TenantClusterValues } from '../../values/tenant-cluster-values';
import { ADDONS_DEFAULTS } from './addons-defaults';
import { OPENSTACK_ENDPOINT_DEFAULTS, OPENSTACK_INFRASTRUCTURE_DEFAULTS, OPENSTACK_MACHINE_DEFAULTS } from './openstack-defaults';

/**
 * The chart's `values.yaml`. Every map that a template reads through has a default here, so that
 * templates can walk paths without nil checks. Control plane requests are sized for a small tenant
 * (see bench/ for the cost per tenant); raise them for larger ones.
 */
export const TENANT_CLUSTER_DEFAULTS: TenantClusterValues = {
  nameOverride: '',
  fullnameOverride: '',
  kubernetes: { version: 'v1.34' },
  managementCluster: {
    clusterDomain: 'cluster.local', podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16', egressCidrs: [], serviceNodePortRange: '30000-32767',
  },
  clusterNetwork: { podCidr: '10.243.0.0/16', serviceCidr: '10.95.0.0/16', serviceDomain: 'cluster.local', apiServerPort: 6443 },
  controlPlane: {
    replicas: 2,
    dataStoreName: 'default',
    endpoint: {
      type: 'LoadBalancer',
      loadBalancer: { sourceRanges: [], className: '' },
      nodePort: { address: '' },
      ingress: { hostname: '', className: '', annotations: {} },
      serviceAnnotations: {},
      advertiseAddress: '',
      openstack: OPENSTACK_ENDPOINT_DEFAULTS,
    },
    certSANs: [],
    apiServer: { resources: { requests: { cpu: '100m', memory: '384Mi' }, limits: { memory: '1Gi' } }, extraArgs: {} },
    controllerManager: { resources: { requests: { cpu: '25m', memory: '128Mi' }, limits: { memory: '512Mi' } }, extraArgs: {} },
    scheduler: { resources: { requests: { cpu: '5m', memory: '64Mi' }, limits: { memory: '256Mi' } }, extraArgs: {} },
    kubelet: { cgroupfs: 'systemd', preferredAddressTypes: ['InternalIP', 'ExternalIP'], serverTLSBootstrap: true },
    addons: {
      coreDNS: { enabled: true, serviceIP: '' },
      // Cilium replaces kube-proxy (addons.cni).
      kubeProxy: { enabled: false },
      konnectivity: {
        enabled: true,
        serverPort: 8132,
        serverResources: { requests: { cpu: '5m', memory: '48Mi' }, limits: { memory: '256Mi' } },
        agentMode: 'DaemonSet',
        agentReplicas: 2,
      },
    },
  },
  infrastructure: { provider: 'kubevirt', kubevirt: { storageClassName: '' }, openstack: OPENSTACK_INFRASTRUCTURE_DEFAULTS },
  nodeGroupDefaults: {
    replicas: 2,
    autoscaling: { enabled: false, min: 1, max: 3, capacity: { cpu: '', memory: '' } },
    kubevirt: {
      instancetype: '',
      instancetypeKind: 'VirtualMachineClusterInstancetype',
      cores: 2,
      memory: '4Gi',
      bootImage: { type: 'containerDisk', containerDiskImage: '', dataVolume: { source: {}, size: '20Gi', storageClassName: '' } },
      kubeletDisk: { enabled: true, size: '20Gi', storageClassName: '' },
      extraDisks: {},
      evictionStrategy: 'External',
    },
    openstack: OPENSTACK_MACHINE_DEFAULTS,
    labels: {},
    taints: [],
    kubelet: { extraArgs: {}, reserved: { cpu: '100m', memory: '512Mi' }, binariesUrl: 'https://dl.k8s.io/release' },
    kubeadm: { files: [], preKubeadmCommands: [], postKubeadmCommands: [] },
    healthCheck: { enabled: true, maxUnhealthy: '100%', nodeStartupTimeout: '20m', readyUnknownTimeout: '5m', readyFalseTimeout: '10m' },
  },
  nodeGroups: {},
  addons: ADDONS_DEFAULTS,
};
