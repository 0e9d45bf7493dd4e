/**
 * Kubernetes versions the charts support, per minor, with every pinned version and where it was seen.
 *
 * Each pin is `pin(value, source)`: the source names the upstream record (repository, tag or commit,
 * file) the version was read from, and when. A test fails when a pin has no source. Upstream was read
 * through snapshots of the repositories taken 2026-08-03 … 2026-08-22; a newer patch released since
 * is not known to the chart until it is added here (with its source).
 *
 * Why the matrix stops at 1.35: the worker image (Cozystack's Ubuntu container disk) was last built
 * for 1.30–1.35 (cozystack v1.5.4; from v1.6 Cozystack boots workers with Talos), although Kamaji
 * 26.8 accepts 1.36 tenants.
 */
// Module paths rather than the expr index: the CLI loads this (src/template-functions.ts) and no more of the model.
import { goString } from './expr/expr';
import { Literal } from './expr/expressions';
import { RenderError, TemplateFunction } from './expr/functions';
import { OPENSTACK_SUPPORT } from './openstack-support';

/** A pinned version and where it was seen (repository, tag or commit, file; date of the snapshot). */
export interface Pin {
  readonly value: string;
  readonly source: string;
}

const pin = (value: string, source: string): Pin => ({ value, source });

/** The pinned versions of one Kubernetes minor. */
export interface PinnedMinor {
  /**
   * The newest patch release of the minor known to the chart: the default when values name only the
   * minor, and the highest patch the chart accepts (patch releases of a minor are numbered without gaps,
   * so every patch up to it exists).
   */
  readonly defaultVersion: Pin;
  /** KubeVirt container disk with kubeadm, kubelet and containerd for this minor, pinned by digest. */
  readonly containerDiskImage: Pin;
  /** Konnectivity server and agent version. */
  readonly konnectivityVersion: Pin;
  /** Cluster autoscaler image of this minor. */
  readonly clusterAutoscalerImage: Pin;
  /** Cilium chart version for this minor. */
  readonly ciliumChartVersion: Pin;
}

/** The pinned fields of a minor (each has a source). */
export type PinnedField = keyof PinnedMinor;

const CONTAINER_DISK = 'ghcr.io/cozystack/cozystack/ubuntu-container-disk';
const AUTOSCALER = 'registry.k8s.io/autoscaling/cluster-autoscaler';

/** Where the worker images come from: Cozystack's own digest pins of its last kubeadm-worker release. */
const DISK_SOURCE = (minor: string) =>
  `cozystack/cozystack tag v1.5.4 (fe2fbd0d, 2026-08-19), packages/apps/kubernetes/images/ubuntu-container-disk-v${minor}.tag`;
const KONNECTIVITY_SOURCE = (tag: string) =>
  `kubernetes-sigs/apiserver-network-proxy: ${tag} is the newest tag of its v0.<minor> line (snapshot 2026-08-21)`;
const AUTOSCALER_SOURCE = (tag: string) =>
  `kubernetes/autoscaler tag cluster-autoscaler-${tag}, cluster-autoscaler/version/version.go (newest tag of the minor, snapshot 2026-08-22)`;
const CILIUM_SOURCE = (version: string) =>
  `cilium/charts index.yaml at 009b5e9 (2026-08-03): cilium ${version} is the newest chart of its minor (the repository behind https://helm.cilium.io)`;

/**
 * Per minor. Kubernetes patches: the newest of each line seen in an upstream record; 1.34 and 1.35 keep
 * tenant-cluster 1.1.0's defaults, which are one monthly patch round newer than any record readable here
 * (the chart cannot lower a default a released version used: Kamaji refuses a version downgrade).
 */
export const PINNED: Readonly<Record<string, PinnedMinor>> = {
  '1.31': {
    defaultVersion: pin('v1.31.14', 'cozystack/cozystack v1.5.4 packages/apps/kubernetes/files/versions.yaml; kubernetes/kubernetes#135306 (2025-11-14, "v1.31.14"); 1.31 reached end of life 2025-10-28'),
    containerDiskImage: pin(`${CONTAINER_DISK}:v1.31-v1.5.4@sha256:0b9349137056e05bd99ede79fc650e293aa296b65126fa7a916a299096606340`, DISK_SOURCE('1.31')),
    konnectivityVersion: pin('v0.31.4', KONNECTIVITY_SOURCE('v0.31.4')),
    clusterAutoscalerImage: pin(`${AUTOSCALER}:v1.31.5`, AUTOSCALER_SOURCE('1.31.5')),
    ciliumChartVersion: pin('1.18.12', `${CILIUM_SOURCE('1.18.12')}; 1.18 is the newest Cilium that lists Kubernetes 1.31`),
  },
  '1.32': {
    defaultVersion: pin('v1.32.13', 'kubernetes/autoscaler branch cluster-autoscaler-release-1.32 go.mod (k8s.io/kubernetes v1.32.13, 2026-06-19); cozystack/cozystack 3c780acd files/versions.yaml; 1.32 reached end of life 2026-02-28'),
    containerDiskImage: pin(`${CONTAINER_DISK}:v1.32-v1.5.4@sha256:7042a8ad12a73c5a18002eae195a888cbda5b21251043c27faf8d11bec9cb3d2`, DISK_SOURCE('1.32')),
    konnectivityVersion: pin('v0.32.1', KONNECTIVITY_SOURCE('v0.32.1')),
    clusterAutoscalerImage: pin(`${AUTOSCALER}:v1.32.7`, AUTOSCALER_SOURCE('1.32.7')),
    ciliumChartVersion: pin('1.19.6', CILIUM_SOURCE('1.19.6')),
  },
  '1.33': {
    defaultVersion: pin('v1.33.13', 'kubernetes/autoscaler tag cluster-autoscaler-1.33.6 go.mod (k8s.io/kubernetes v1.33.13, 2026-07-22); kubermatic/kubermatic#15992 (2026-06-16); 1.33 reached end of life 2026-06-28'),
    containerDiskImage: pin(`${CONTAINER_DISK}:v1.33-v1.5.4@sha256:7cb962b00258485ae576d0ce41209fb6209a41ac617cb1e89a1116210e9bb791`, DISK_SOURCE('1.33')),
    konnectivityVersion: pin('v0.33.1', KONNECTIVITY_SOURCE('v0.33.1')),
    clusterAutoscalerImage: pin(`${AUTOSCALER}:v1.33.6`, AUTOSCALER_SOURCE('1.33.6')),
    ciliumChartVersion: pin('1.19.6', CILIUM_SOURCE('1.19.6')),
  },
  '1.34': {
    defaultVersion: pin('v1.34.12', 'tenant-cluster 1.1.0 default (its matrix: release announcements, checked 2026-11); newest upstream record readable here: kubermatic/kubermatic#16293 (2026-08-20) adds v1.34.11'),
    containerDiskImage: pin(`${CONTAINER_DISK}:v1.34-v1.5.4@sha256:3a084dfad0171d9779b56ac36331521088f3506b2bf00da9c115848df4e37272`, DISK_SOURCE('1.34')),
    konnectivityVersion: pin('v0.34.0', KONNECTIVITY_SOURCE('v0.34.0')),
    clusterAutoscalerImage: pin(`${AUTOSCALER}:v1.34.5`, AUTOSCALER_SOURCE('1.34.5')),
    ciliumChartVersion: pin('1.19.6', CILIUM_SOURCE('1.19.6')),
  },
  '1.35': {
    defaultVersion: pin('v1.35.9', 'tenant-cluster 1.1.0 default (its matrix: release announcements, checked 2026-11); newest upstream record readable here: kubermatic/kubermatic#16293 (2026-08-20) adds v1.35.8'),
    containerDiskImage: pin(`${CONTAINER_DISK}:v1.35-v1.5.4@sha256:cac4d5ed8a4178761309bb308f961c990f5c0521d7bf943a601deee498a07112`, DISK_SOURCE('1.35')),
    konnectivityVersion: pin('v0.35.0', KONNECTIVITY_SOURCE('v0.35.0')),
    clusterAutoscalerImage: pin(`${AUTOSCALER}:v1.35.2`, AUTOSCALER_SOURCE('1.35.2')),
    ciliumChartVersion: pin('1.19.6', CILIUM_SOURCE('1.19.6')),
  },
};

export interface KubernetesMinorSupport {
  /** Full version used when values name only the minor; also the highest patch accepted. */
  readonly defaultVersion: string;
  /** Default KubeVirt container disk (tag and digest) with kubeadm and kubelet of this minor. */
  readonly containerDiskImage: string;
  /** Konnectivity server and agent version. */
  readonly konnectivityVersion: string;
  /** Cluster autoscaler image of this minor. */
  readonly clusterAutoscalerImage: string;
  /** Cilium chart version tested with this minor. */
  readonly ciliumChartVersion: string;
  /**
   * `"true"` where the minor's kubeadm still runs the mandatory `FileExisting-conntrack` join preflight
   * check, which workers must ignore (see {@link CONNTRACK_PREFLIGHT_MINORS}); `""` otherwise.
   */
  readonly ignoreConntrackPreflight: string;
  /** The OpenStack cloud-controller-manager image (src/openstack-support.ts, with its source). */
  readonly occmImage: string;
  /** The Cinder CSI plugin image, controller and node plugin (src/openstack-support.ts). */
  readonly cinderCsiPluginImage: string;
  /**
   * `"true"` where the Cinder CSI node plugin needs `--node-service-no-os-client=true` to run without credentials
   * (src/openstack-support.ts `cinderNodeServiceNoOsClient`); `""` otherwise.
   */
  readonly cinderNodeServiceNoOsClient: string;
}

/** The OpenStack entry of a minor; the two tables list the same minors. */
function openStackOf(minor: string) {
  const e = OPENSTACK_SUPPORT[minor];
  if (!e) throw new Error(`src/openstack-support.ts has no entry for Kubernetes ${minor}`);
  return e;
}

/**
 * Minors whose kubeadm fails `kubeadm join` without a `conntrack` binary: kubeadm runs the mandatory
 * `InPathCheck{executable: "conntrack"}` (named `FileExisting-conntrack`, `InPathCheck.Name()` in
 * cmd/kubeadm/app/preflight/checks.go) for versions below 1.32 only (kubernetes/kubernetes PR #126953,
 * `addExecChecks` in cmd/kubeadm/app/preflight/checks_linux.go: `v.LessThan(1.32.0)`; on join kubeadm
 * ≥ 1.32 passes no version, so the check is skipped). The kubelet 1.31.14 package no longer depends on
 * `conntrack` (kubernetes/kubernetes#135306, kubernetes/release#4106), and the Ubuntu container disk
 * installs only `containerd.io`, `kubelet` and `kubeadm` (cozystack v1.5.4
 * packages/apps/kubernetes/images/ubuntu-container-disk/Dockerfile), so 1.31 workers would fail
 * preflight. Cozystack v1.5.4 ignores the same check (templates/cluster.yaml, "ignorePreflightErrors").
 */
export const CONNTRACK_PREFLIGHT_MINORS: readonly string[] = ['1.31'];

export const SUPPORT_MATRIX: Readonly<Record<string, KubernetesMinorSupport>> = Object.fromEntries(
  Object.entries(PINNED).map(([minor, p]) => [minor, {
    defaultVersion: p.defaultVersion.value,
    containerDiskImage: p.containerDiskImage.value,
    konnectivityVersion: p.konnectivityVersion.value,
    clusterAutoscalerImage: p.clusterAutoscalerImage.value,
    ciliumChartVersion: p.ciliumChartVersion.value,
    ignoreConntrackPreflight: CONNTRACK_PREFLIGHT_MINORS.includes(minor) ? 'true' : '',
    occmImage: openStackOf(minor).occmImage,
    cinderCsiPluginImage: openStackOf(minor).cinderCsiPluginImage,
    cinderNodeServiceNoOsClient: openStackOf(minor).cinderNodeServiceNoOsClient ? 'true' : '',
  }]),
);

export const SUPPORTED_MINORS = Object.keys(SUPPORT_MATRIX);

/** The highest patch number of a minor the chart accepts (its default version's patch). */
export function maxPatchOf(minor: string): number {
  return Number(SUPPORT_MATRIX[minor].defaultVersion.split('.')[2]);
}

/** Every version the chart accepts, as ranges: `v1.31.0–v1.31.14, …`. */
export const SUPPORTED_VERSIONS_TEXT = SUPPORTED_MINORS.map((m) => `v${m}.0–v${m}.${maxPatchOf(m)}`).join(', ');

/** A patch number as the chart accepts it: no leading zeros, at most three digits (so Go's `atoi` never overflows). */
const PATCH_PATTERN = '^(0|[1-9][0-9]{0,2})$';

const unknownPatchMessage = (version: string, minor: string) =>
  `kubernetes.version: ${version} is not a known release of Kubernetes ${minor} (the newest the chart knows is ${SUPPORT_MATRIX[minor].defaultVersion}); supported versions: ${SUPPORTED_VERSIONS_TEXT}, or a minor alone for its newest patch`;

/** The support entry of a version string (`1.34`, `v1.34`, `v1.34.2`), or a RenderError naming the supported versions. */
export function supportFor(version: string): KubernetesMinorSupport & { version: string } {
  let support = resolved.get(version);
  if (!support) {
    support = resolveSupport(version);
    resolved.set(version, support);
  }
  return support;
}

const resolved = new Map<string, KubernetesMinorSupport & { version: string }>();

function resolveSupport(version: string): KubernetesMinorSupport & { version: string } {
  const bare = version.replace(/^v/, '');
  const [major, minor, patch] = bare.split('.');
  const key = `${major}.${minor}`;
  const entry = SUPPORT_MATRIX[key];
  if (!entry) {
    throw new RenderError(`kubernetes.version: ${version} is not supported; supported minors: ${SUPPORTED_MINORS.join(', ')}`);
  }
  if (patch === undefined) return { ...entry, version: entry.defaultVersion };
  if (!new RegExp(PATCH_PATTERN).test(patch) || Number(patch) > maxPatchOf(key)) {
    throw new RenderError(unknownPatchMessage(version, key));
  }
  return { ...entry, version: `v${bare}` };
}

export type SupportField = 'version' | keyof KubernetesMinorSupport;

/**
 * `kubernetesSupport(version, field)`: a field of the support matrix for a version; fails on unsupported
 * minors and on patches the matrix does not know (higher than the minor's newest, or not a plain number).
 */
export const KUBERNETES_SUPPORT = new TemplateFunction({
  name: 'tenant-cluster-lib.kubernetesSupport',
  params: ['version', 'field'],
  result: 'string',
  // A file that looks a field up more than once binds it: `$kubernetesVersion`, `$konnectivityVersion`, ….
  variable: ([, field]) => (field instanceof Literal && typeof field.value === 'string'
    ? (field.value === 'version' ? 'kubernetesVersion' : field.value) : undefined),
  goBody: `
{{- $matrix := dict${Object.entries(SUPPORT_MATRIX).map(([minor, e]) =>
    `\n      ${goString(minor)} (dict ${Object.entries(e).map(([k, v]) => `${goString(k)} ${goString(v)}`).join(' ')})`).join('')} -}}
{{- $bare := trimPrefix "v" .version -}}
{{- $parts := splitList "." $bare -}}
{{- $minor := printf "%s.%s" (index $parts 0) (index $parts 1) -}}
{{- if not (hasKey $matrix $minor) -}}
{{- fail (printf "kubernetes.version: %s is not supported; supported minors: %s" .version ${goString(SUPPORTED_MINORS.join(', '))}) -}}
{{- end -}}
{{- $newest := index $matrix $minor "defaultVersion" -}}
{{- if eq (len $parts) 3 -}}
{{- $patch := index $parts 2 -}}
{{- if or (not (regexMatch ${goString(PATCH_PATTERN)} $patch)) (gt (atoi $patch) (atoi (index (splitList "." $newest) 2))) -}}
{{- fail (printf "kubernetes.version: %s is not a known release of Kubernetes %s (the newest the chart knows is %s); supported versions: %s, or a minor alone for its newest patch" .version $minor $newest ${goString(SUPPORTED_VERSIONS_TEXT)}) -}}
{{- end -}}
{{- end -}}
{{- if ne .field "version" -}}{{- index $matrix $minor .field -}}
{{- else if eq (len $parts) 3 -}}v{{ $bare }}
{{- else -}}{{- $newest -}}
{{- end -}}`,
  evaluate: (version, field) => supportFor(String(version))[field as SupportField],
});
