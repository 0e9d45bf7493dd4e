/**
 * Kubernetes versions the charts support, per minor. Sources (checked 2026-11):
 * - default patch: the newest patch release of each minor found in public pins (Cozystack
 *   `packages/apps/kubernetes` version map for 1.31–1.33; release announcements for 1.34–1.35);
 * - worker image: Cozystack's Ubuntu 24.04 container disk with kubeadm/kubelet of that minor
 *   (`ghcr.io/cozystack/cozystack/ubuntu-container-disk:v1.NN`); none is published for 1.36+, which is
 *   why the matrix stops at 1.35 although Kamaji 26.8 accepts 1.36 tenants;
 * - Konnectivity: the newest kas-network-proxy tag of the paired `v0.<minor>` line
 *   (kubernetes/k8s.io `registry.k8s.io/images/k8s-staging-kas-network-proxy/images.yaml`), pinned
 *   rather than left to Kamaji's own `v0.<minor>.0` pairing so a Kamaji upgrade changes nothing;
 * - cluster autoscaler: the newest release of the matching minor (autoscaler releases page, as cited by
 *   kubernetes/k8s.io PR 8815 and aws-ia/terraform-aws-eks-blueprints-addons PR 516; 1.31 from
 *   k8s.io images.yaml);
 * - Cilium chart: the newest 1.19 patch for 1.32–1.35 (its compatibility page lists 1.32–1.35), 1.18
 *   for 1.31 (1.18 lists 1.30–1.33).
 */
// Module paths rather than the expr index: the CLI loads this (src/template-functions.ts) and no more of the model.
import { goString } from './expr/expr';
import { Literal } from './expr/expressions';
import { RenderError, TemplateFunction } from './expr/functions';

export interface KubernetesMinorSupport {
  /** Full version used when values name only the minor. */
  readonly defaultVersion: string;
  /** Default KubeVirt container disk with kubeadm and kubelet of this minor. */
  readonly containerDiskImage: string;
  /** Konnectivity server and agent version. */
  readonly konnectivityVersion: string;
  /** Cluster autoscaler image of this minor. */
  readonly clusterAutoscalerImage: string;
  /** Cilium chart version tested with this minor. */
  readonly ciliumChartVersion: string;
}

const CONTAINER_DISK = 'ghcr.io/cozystack/cozystack/ubuntu-container-disk';
const AUTOSCALER = 'registry.k8s.io/autoscaling/cluster-autoscaler';

const minor = (defaultVersion: string, konnectivityVersion: string, autoscalerTag: string, ciliumChartVersion: string): KubernetesMinorSupport => ({
  defaultVersion,
  containerDiskImage: `${CONTAINER_DISK}:${defaultVersion.split('.').slice(0, 2).join('.')}`,
  konnectivityVersion,
  clusterAutoscalerImage: `${AUTOSCALER}:${autoscalerTag}`,
  ciliumChartVersion,
});

export const SUPPORT_MATRIX: Readonly<Record<string, KubernetesMinorSupport>> = {
  '1.31': minor('v1.31.14', 'v0.31.4', 'v1.31.3', '1.18.14'),
  '1.32': minor('v1.32.13', 'v0.32.1', 'v1.32.5', '1.19.3'),
  '1.33': minor('v1.33.13', 'v0.33.1', 'v1.33.5', '1.19.3'),
  '1.34': minor('v1.34.12', 'v0.34.0', 'v1.34.4', '1.19.3'),
  '1.35': minor('v1.35.9', 'v0.35.0', 'v1.35.1', '1.19.3'),
};

export const SUPPORTED_MINORS = Object.keys(SUPPORT_MATRIX);

/** The support entry of a version string (`1.34`, `v1.34`, `v1.34.2`), or a RenderError naming the supported minors. */
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
  const entry = SUPPORT_MATRIX[`${major}.${minor}`];
  if (!entry) {
    throw new RenderError(`kubernetes.version: ${version} is not supported; supported minors: ${SUPPORTED_MINORS.join(', ')}`);
  }
  return { ...entry, version: patch === undefined ? entry.defaultVersion : `v${bare}` };
}

export type SupportField = 'version' | keyof KubernetesMinorSupport;

/** `kubernetesSupport(version, field)`: a field of the support matrix for a version; fails on unsupported minors. */
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
{{- if ne .field "version" -}}{{- index $matrix $minor .field -}}
{{- else if eq (len $parts) 3 -}}v{{ $bare }}
{{- else -}}{{- index $matrix $minor "defaultVersion" -}}
{{- end -}}`,
  evaluate: (version, field) => supportFor(String(version))[field as SupportField],
});
