/**
 * Every version the charts pin outside the support matrix (addon chart versions, images of the
 * management-side helpers and of the `kubevirt-csi-node` chart), each with where it was seen to exist
 * and to be the newest patch of its line. The chart defaults read their pins from here, and
 * `test/pins.test.ts` walks every default image and chart version of every chart and fails on one
 * that has no entry here.
 *
 * To add or move a pin: add (or edit) one entry below with the upstream repository, the tag or file
 * and commit you read, and what it showed; then use `image(...)` / `chartVersion(...)` in the
 * defaults. Snapshots of upstream were read in 2026-11 (each source names its own date).
 */

/** Where a pin was seen: enough for a reviewer to open the same file at the same commit. */
export interface PinSource {
  /** `owner/name` of the repository read. */
  readonly repository: string;
  /** Tag, branch or file and commit that shows the version exists. */
  readonly where: string;
  /** What the source showed (the newest patch of the line, and what is newer if anything). */
  readonly saw: string;
}

export interface ImagePin {
  /** Image reference without the tag, e.g. `registry.k8s.io/sig-storage/csi-provisioner`. */
  readonly repository: string;
  readonly tag: string;
  /** `sha256:…` where the pin is by digest too (the tag alone could move). */
  readonly digest?: string;
  readonly source: PinSource;
}

export interface ChartPin {
  /** Chart name in its repository. */
  readonly chart: string;
  readonly version: string;
  readonly source: PinSource;
}

const K8S_IMAGES = 'kubernetes/k8s.io registry.k8s.io/images/k8s-staging-sig-storage/images.yaml @ 0279c5e0 (promoted tags)';

/** Pinned images, by a stable key. */
export const IMAGE_PINS = {
  busybox: {
    repository: 'docker.io/library/busybox',
    tag: '1.37.0',
    source: {
      repository: 'docker-library/busybox',
      where: 'versions.json @ 9c208781 (2026-08-03)',
      saw: '"latest-1" = 1.37.0 (stable line; 1.38.0 is marked unstable there)',
    },
  },
  kubevirtCsiDriver: {
    repository: 'quay.io/kubermatic/kubevirt-csi-driver',
    tag: 'v0.4.5',
    source: {
      repository: 'kubermatic/kubeone',
      where: 'pkg/templates/images/images.go (stored version, search id 55635650271)',
      saw: 'KubeVirtCSI pinned to quay.io/kubermatic/kubevirt-csi-driver:v0.4.5 (the earlier version of the file: v0.4.4); kubevirt/csi-driver itself has no tags',
    },
  },
  csiProvisioner: {
    repository: 'registry.k8s.io/sig-storage/csi-provisioner',
    tag: 'v5.3.0',
    source: {
      repository: 'kubernetes-csi/external-provisioner',
      where: `tag v5.3.0 = 1a7e9381 (2025-05-30); ${K8S_IMAGES}`,
      saw: 'v5.3.0 is the only v5.3 tag (newer lines: v6.0.0 … v6.3.0)',
    },
  },
  csiAttacher: {
    repository: 'registry.k8s.io/sig-storage/csi-attacher',
    tag: 'v4.10.0',
    source: {
      repository: 'kubernetes-csi/external-attacher',
      where: `tag v4.10.0 = a54838aa (2025-09-12); ${K8S_IMAGES}`,
      saw: 'v4.10.0 is the only v4.10 tag (newer lines: v4.11.0, v4.12.0)',
    },
  },
  csiResizer: {
    repository: 'registry.k8s.io/sig-storage/csi-resizer',
    tag: 'v1.14.0',
    source: {
      repository: 'kubernetes-csi/external-resizer',
      where: `tag v1.14.0 = c82d78bf (2025-06-10); ${K8S_IMAGES}`,
      saw: 'v1.14.0 is the only v1.14 tag (newer lines: v2.0.0 … v2.2.1)',
    },
  },
  livenessProbe: {
    repository: 'registry.k8s.io/sig-storage/livenessprobe',
    tag: 'v2.17.0',
    source: {
      repository: 'kubernetes-csi/livenessprobe',
      where: 'tag v2.17.0 = 064a1024 (2025-09-12)',
      saw: 'v2.17.0 is the only v2.17 tag (newer lines: v2.18.0, v2.19.0)',
    },
  },
  nodeDriverRegistrar: {
    repository: 'registry.k8s.io/sig-storage/csi-node-driver-registrar',
    tag: 'v2.15.0',
    source: {
      repository: 'kubernetes-csi/node-driver-registrar',
      where: `tag v2.15.0 = 87d60a92 (2025-09-12); ${K8S_IMAGES}`,
      saw: 'v2.15.0 is the only v2.15 tag (newer lines: v2.16.0, v2.17.0)',
    },
  },
  csiSnapshotter: {
    repository: 'registry.k8s.io/sig-storage/csi-snapshotter',
    tag: 'v8.6.0',
    source: {
      repository: 'kubernetes-csi/external-snapshotter',
      where: 'tag v8.6.0 = 78e32cd8 (2026-05-28)',
      saw: 'the newest tag; Piraeus\' snapshot-controller chart 5.2.0 runs the same release (appVersion v8.6.0)',
    },
  },
  csiSnapshotterForCinder: {
    repository: 'registry.k8s.io/sig-storage/csi-snapshotter',
    tag: 'v8.3.0',
    source: {
      repository: 'kubernetes/cloud-provider-openstack',
      where: 'tag v1.34.1: manifests/cinder-csi-plugin/cinder-csi-controllerplugin.yaml',
      saw: 'the csi-snapshotter upstream\'s Cinder controller manifest runs beside cinder-csi-plugin v1.34.1 (with csi-provisioner v5.3.0, csi-attacher v4.10.0, csi-resizer v1.14.0, livenessprobe v2.17.0: the pins above)',
    },
  },
  kubevirtCloudControllerManager: {
    repository: 'quay.io/kubevirt/kubevirt-cloud-controller-manager',
    tag: 'v0.6.0',
    source: {
      repository: 'kubevirt/cloud-provider-kubevirt',
      where: 'tag v0.6.0 = 37201f6c (2026-01-26); .github/workflows/publish.yaml pushes quay.io/kubevirt/…:<tag> (Makefile `push`)',
      saw: 'v0.6.0 is the newest tag (adds the EndpointSlice controller for externalTrafficPolicy Local)',
    },
  },
  vpnClient: {
    repository: 'europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-client',
    tag: '0.51.0',
    source: {
      repository: 'gardener/gardener',
      where: 'tag v1.149.3: imagevector/containers.yaml (vpn-client); the image content from gardener/vpn2 tag 0.51.0 Dockerfile',
      saw: 'the version Gardener v1.149.3 itself runs for its API servers\' VPN sidecar',
    },
  },
  vpnServer: {
    repository: 'europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-server',
    tag: '0.51.0',
    source: {
      repository: 'gardener/gardener',
      where: 'tag v1.149.3: imagevector/containers.yaml (vpn-server); the image content from gardener/vpn2 tag 0.51.0 Dockerfile',
      saw: 'the version Gardener v1.149.3 itself runs for its VPN server',
    },
  },
  kubectl: {
    repository: 'docker.io/clastix/kubectl',
    tag: 'v1.32',
    digest: 'sha256:b9ef7d8dbe65bcc81a46c09b8dc7543103055021c4f43287bf59e92a8f4fe05c',
    source: {
      repository: 'cozystack/cozystack',
      where: '3c780acd packages/apps/harbor/templates/hooks/cleanup.yaml:48 (digest kept current by .github/renovate.json "clastix/kubectl")',
      saw: 'the digest Cozystack pins for its cleanup hooks (run non-root with a read-only root filesystem); the tag alone floats',
    },
  },
} as const satisfies Record<string, ImagePin>;

/** Pinned addon chart versions, by a stable key (Cilium's are per Kubernetes minor, in the support matrix). */
export const CHART_PINS = {
  tigeraOperator: {
    chart: 'tigera-operator',
    version: 'v3.32.1',
    source: {
      repository: 'projectcalico/calico',
      where: 'tag v3.32.1 = 0ca9d1b9 (2026-06-24); charts/tigera-operator; release/internal/utils/utils.go AllReleaseCharts',
      saw: 'newest v3.32 tag (branch release-v3.32 at de60d98e, 2026-08-21, has no later tag; v3.33 is not released: only v3.33.0-0.dev). '
        + 'The previously pinned v3.32.2 does not exist there',
    },
  },
  calicoCrds: {
    chart: 'crd.projectcalico.org.v1',
    version: 'v3.32.1',
    source: {
      repository: 'projectcalico/calico',
      where: 'tag v3.32.1: charts/crd.projectcalico.org.v1 (Makefile target crd.projectcalico.org.v1-$(GIT_VERSION).tgz)',
      saw: 'released with every Calico version under the same version as tigera-operator, to https://docs.tigera.io/calico/charts and oci://quay.io/calico/charts',
    },
  },
  metricsServer: {
    chart: 'metrics-server',
    version: '3.13.1',
    source: {
      repository: 'kubernetes-sigs/metrics-server',
      where: 'tag metrics-server-helm-chart-3.13.1 = 842dcc8c (2026-06-11); gh-pages index.yaml',
      saw: 'newest chart version in the gh-pages index (3.13.1, then 3.13.0)',
    },
  },
  kubeletCsrApprover: {
    chart: 'kubelet-csr-approver',
    version: '1.2.14',
    source: {
      repository: 'postfinance/kubelet-csr-approver',
      where: 'tag v1.2.14 = 14dd0aca (2026-04-09); gh-pages index.yaml (created 2026-04-09T15:07:09Z)',
      saw: 'newest chart version in the gh-pages index and newest tag (v1.2.14). The previously pinned 1.2.15 does not exist there',
    },
  },
  snapshotController: {
    chart: 'snapshot-controller',
    version: '5.2.0',
    source: {
      repository: 'piraeusdatastore/helm-charts',
      where: 'tag snapshot-controller-5.2.0 = 5d733d8c (2026-07-21): charts/snapshot-controller/Chart.yaml',
      saw: 'appVersion v8.6.0 (the csi-snapshotter pinned here); published by chart-releaser (.github/workflows/release.yaml)',
    },
  },
} as const satisfies Record<string, ChartPin>;

export type ImagePinKey = keyof typeof IMAGE_PINS;
export type ChartPinKey = keyof typeof CHART_PINS;

/** The pinned image `<repository>:<tag>` of a key. */
export function pinnedImage(key: ImagePinKey): string {
  const pin: ImagePin = IMAGE_PINS[key];
  return `${pin.repository}:${pin.tag}${pin.digest ? `@${pin.digest}` : ''}`;
}

/** The pinned chart version of a key. */
export function pinnedChartVersion(key: ChartPinKey): string {
  return CHART_PINS[key].version;
}

/** The recorded pin of an image reference, if any (`repo:tag`, also `repo:tag@sha256:…`). */
export function imagePinOf(image: string): ImagePin | undefined {
  const withoutDigest = image.replace(/@sha256:[a-f0-9]{64}$/, '');
  return Object.values(IMAGE_PINS as Record<string, ImagePin>).find((p) => `${p.repository}:${p.tag}` === withoutDigest);
}

/** The recorded pin of a chart version, if any. */
export function chartPinOf(chart: string, version: string): ChartPin | undefined {
  return Object.values(CHART_PINS as Record<string, ChartPin>).find((p) => p.chart === chart && p.version === version);
}

/**
 * A `kubectl` image with a shell, for the chart's hooks, pinned by digest: the one Cozystack pins (and keeps current
 * with a Renovate rule) for its cleanup hooks, which run it as a non-root user with a read-only root filesystem
 * (the source is recorded above). Built by Clastix, the makers of Kamaji.
 * Here, not beside the hooks' constructs: the chart defaults read it, and the CLI loads them without any construct.
 */
export const KUBECTL_IMAGE = pinnedImage('kubectl');
