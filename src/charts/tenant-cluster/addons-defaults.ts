import { AddonsValues, ChartRepositoryValues, ContainerResources } from '../../values/addons-values';
import { KUBECTL_IMAGE, pinnedChartVersion, pinnedImage } from '../../pins';
import { KUBEVIRT_CSI_NODE_CHART_VERSION } from '../kubevirt-csi-node/version';
import { OPENSTACK_ADDONS_DEFAULTS } from './openstack-defaults';
import { VPN_DEFAULTS } from './vpn-defaults';

const repository = (url: string): ChartRepositoryValues => ({ type: 'default', url, secretName: '', interval: '1h' });
const resources = (cpu: string, memory: string, memoryLimit: string): ContainerResources => ({
  requests: { cpu, memory },
  limits: { memory: memoryLimit },
});

/**
 * Defaults of `addons`. Chart versions and images are pinned, each with its source in src/pins.ts (the
 * per-minor ones are in the support matrix); requests are sized for a small tenant and summed per tenant by `npm run bench`.
 */
export const ADDONS_DEFAULTS: AddonsValues = {
  delivery: { interval: '10m', timeout: '10m', retryInterval: '1m', driftDetection: 'enabled' },
  repositories: {
    cilium: repository('https://helm.cilium.io'),
    calico: repository('https://docs.tigera.io/calico/charts'),
    metricsServer: repository('https://kubernetes-sigs.github.io/metrics-server'),
    kubeletCsrApprover: repository('https://postfinance.github.io/kubelet-csr-approver'),
    tenantCluster: repository(''),
    // Piraeus' chart repository (chart-releaser, .github/workflows/release.yaml of piraeusdatastore/helm-charts; the URL
    // Cozystack pulls it from, cozystack/cozystack v1.5.4 packages/system/snapshot-controller/Makefile).
    snapshotController: repository('https://piraeus.io/helm-charts/'),
  },
  images: { waitForKubeconfig: pinnedImage('busybox') },
  cni: {
    enabled: true,
    type: 'cilium',
    mtu: 1400,
    cilium: { chartVersion: '', targetNamespace: 'kube-system', kubeProxyReplacement: true, values: {}, valuesFrom: [] },
    calico: { chartVersion: pinnedChartVersion('tigeraOperator'), targetNamespace: 'tigera-operator', values: {}, valuesFrom: [] },
  },
  metricsServer: { enabled: true, chartVersion: pinnedChartVersion('metricsServer'), targetNamespace: 'kube-system', values: {}, valuesFrom: [] },
  kubeletServingCertApprover: { enabled: true, chartVersion: pinnedChartVersion('kubeletCsrApprover'), targetNamespace: 'kube-system', values: {}, valuesFrom: [] },
  csi: {
    enabled: true,
    infraStorageClassName: '',
    allowedInfraStorageClasses: [],
    infraVolumeSnapshotClassName: '',
    storageClass: { name: 'kubevirt', isDefault: true, reclaimPolicy: 'Delete' },
    volumeSnapshotClass: false,
    snapshotController: { enabled: true, chartVersion: pinnedChartVersion('snapshotController'), targetNamespace: 'snapshot-controller', values: {}, valuesFrom: [] },
    chartVersion: KUBEVIRT_CSI_NODE_CHART_VERSION,
    targetNamespace: 'kubevirt-csi',
    values: {},
    valuesFrom: [],
    controller: {
      // Upstream publishes only `latest`; Kubermatic's build of it is versioned.
      image: pinnedImage('kubevirtCsiDriver'),
      replicas: 1,
      resources: resources('10m', '32Mi', '128Mi'),
      sidecarResources: resources('5m', '24Mi', '96Mi'),
      sidecarImages: {
        provisioner: pinnedImage('csiProvisioner'),
        attacher: pinnedImage('csiAttacher'),
        resizer: pinnedImage('csiResizer'),
        snapshotter: pinnedImage('csiSnapshotter'),
        livenessProbe: pinnedImage('livenessProbe'),
      },
    },
  },
  cloudControllerManager: {
    enabled: true,
    image: pinnedImage('kubevirtCloudControllerManager'),
    replicas: 1,
    resources: resources('10m', '48Mi', '192Mi'),
    extraArgs: {},
    loadBalancer: { enabled: true, creationPollInterval: 5, creationPollTimeout: 60, enableEPSController: true },
    zoneAndRegion: false,
    servicePolicy: {
      enabled: true,
      allowLoadBalancerIP: false,
      // MetalLB (metallb.universe.tf/ and metallb.io/ address-pool, loadBalancerIPs, allow-shared-ip), Cilium LB-IPAM
      // (lbipam.cilium.io/ips, sharing-key; io.cilium/lb-ipam-ips), kube-vip (kube-vip.io/loadbalancerIPs).
      deniedAnnotationPrefixes: ['metallb.universe.tf/', 'metallb.io/', 'lbipam.cilium.io/', 'io.cilium/', 'kube-vip.io/'],
    },
  },
  uninstallCleanup: { enabled: true, image: KUBECTL_IMAGE, resources: resources('10m', '64Mi', '128Mi') },
  exclusiveNamespace: true,
  clusterAutoscaler: {
    enabled: true,
    image: '',
    resources: resources('10m', '64Mi', '256Mi'),
    scaleDown: { enabled: true, unneededTime: '10m', delayAfterAdd: '10m', utilizationThreshold: '0.5' },
    expander: 'least-waste',
    maxNodeProvisionTime: '20m',
    extraArgs: {},
  },
  openstack: OPENSTACK_ADDONS_DEFAULTS,
  vpn: VPN_DEFAULTS,
};
