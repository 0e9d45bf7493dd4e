import { KUBECTL_IMAGE } from '../../constructs/management/pinned-images';
import { AddonsValues, ChartRepositoryValues, ContainerResources } from '../../values/addons-values';
import { KUBEVIRT_CSI_NODE_CHART_VERSION } from '../kubevirt-csi-node/version';

const repository = (url: string): ChartRepositoryValues => ({ type: 'default', url, secretName: '', interval: '1h' });
const resources = (cpu: string, memory: string, memoryLimit: string): ContainerResources => ({
  requests: { cpu, memory },
  limits: { memory: memoryLimit },
});

/**
 * Defaults of `addons`. Chart versions and images are pinned (see the support matrix for the per-minor
 * ones); requests are sized for a small tenant and summed per tenant by `npm run bench`.
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
  images: { waitForKubeconfig: 'docker.io/library/busybox:1.37.0' },
  cni: {
    enabled: true,
    type: 'cilium',
    mtu: 1350,
    cilium: { chartVersion: '', targetNamespace: 'kube-system', kubeProxyReplacement: true, values: {} },
    calico: { chartVersion: 'v3.32.2', targetNamespace: 'tigera-operator', values: {} },
  },
  metricsServer: { enabled: true, chartVersion: '3.13.1', targetNamespace: 'kube-system', values: {} },
  kubeletServingCertApprover: { enabled: true, chartVersion: '1.2.15', targetNamespace: 'kube-system', values: {} },
  csi: {
    enabled: true,
    infraStorageClassName: '',
    allowedInfraStorageClasses: [],
    infraVolumeSnapshotClassName: '',
    storageClass: { name: 'kubevirt', isDefault: true, reclaimPolicy: 'Delete' },
    volumeSnapshotClass: false,
    // Chart 5.2.0 (tag snapshot-controller-5.2.0 = 5d733d8c, 2026-07-21): appVersion v8.6.0, the snapshotter's version below.
    snapshotController: { enabled: true, chartVersion: '5.2.0', targetNamespace: 'snapshot-controller', values: {} },
    chartVersion: KUBEVIRT_CSI_NODE_CHART_VERSION,
    targetNamespace: 'kubevirt-csi',
    values: {},
    controller: {
      // Upstream publishes only `latest`; Kubermatic's build of it is versioned.
      image: 'quay.io/kubermatic/kubevirt-csi-driver:v0.4.5',
      replicas: 1,
      resources: resources('10m', '32Mi', '128Mi'),
      sidecarResources: resources('5m', '24Mi', '96Mi'),
      sidecarImages: {
        provisioner: 'registry.k8s.io/sig-storage/csi-provisioner:v5.3.0',
        attacher: 'registry.k8s.io/sig-storage/csi-attacher:v4.10.0',
        resizer: 'registry.k8s.io/sig-storage/csi-resizer:v1.14.0',
        // Tag v8.6.0 (78e32cd8, 2026-05-28), the newest; Piraeus' snapshot-controller 5.2.0 runs the same release.
        snapshotter: 'registry.k8s.io/sig-storage/csi-snapshotter:v8.6.0',
        livenessProbe: 'registry.k8s.io/sig-storage/livenessprobe:v2.17.0',
      },
    },
  },
  cloudControllerManager: {
    enabled: true,
    // Pushed by the v0.6.0 tag's publish workflow (kubevirt/cloud-provider-kubevirt .github/workflows/publish.yaml,
    // REGISTRY quay.io/kubevirt, VERSION = the tag; Makefile `push`).
    image: 'quay.io/kubevirt/kubevirt-cloud-controller-manager:v0.6.0',
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
};
