/**
 * Kubernetes versions the charts support, per minor. Sources (checked 2026-11):
 * - default patch: the newest patch release of each minor found in public pins (Cozystack
 *   `packages/apps/kubernetes` version map for 1.31–1.33; release announcements for 1.34–1.35);
 * - worker image: Cozystack's Ubuntu 24.04 container disk with kubeadm/kubelet of that minor
 *   (`ghcr.io/cozystack/cozystack/ubuntu-container-disk:v1.NN`); none is published for 1.36+, which is
 *   why the matrix stops at 1.35 although Kamaji 26.8 accepts 1.36 tenants;
 * - Konnectivity: Kamaji pairs `v0.<minor>.0` itself; kas-network-proxy images stop at v0.34.x, so
 *   1.35 pins v0.34.0 (as Cozystack does).
 */
import { RenderError, TemplateFunction } from './expr';
import { goString } from './expr/expr';

export interface KubernetesMinorSupport {
  /** Full version used when values name only the minor. */
  readonly defaultVersion: string;
  /** Default KubeVirt container disk with kubeadm and kubelet of this minor. */
  readonly containerDiskImage: string;
  /** Konnectivity server/agent version to pin; empty: Kamaji's own pairing. */
  readonly konnectivityVersion: string;
}

const CONTAINER_DISK = 'ghcr.io/cozystack/cozystack/ubuntu-container-disk';

export const SUPPORT_MATRIX: Readonly<Record<string, KubernetesMinorSupport>> = {
  '1.31': { defaultVersion: 'v1.31.14', containerDiskImage: `${CONTAINER_DISK}:v1.31`, konnectivityVersion: '' },
  '1.32': { defaultVersion: 'v1.32.13', containerDiskImage: `${CONTAINER_DISK}:v1.32`, konnectivityVersion: '' },
  '1.33': { defaultVersion: 'v1.33.13', containerDiskImage: `${CONTAINER_DISK}:v1.33`, konnectivityVersion: '' },
  '1.34': { defaultVersion: 'v1.34.12', containerDiskImage: `${CONTAINER_DISK}:v1.34`, konnectivityVersion: '' },
  '1.35': { defaultVersion: 'v1.35.9', containerDiskImage: `${CONTAINER_DISK}:v1.35`, konnectivityVersion: 'v0.34.0' },
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
  goBody: `
{{- $matrix := dict ${Object.entries(SUPPORT_MATRIX).map(([minor, e]) =>
    `${goString(minor)} (dict "defaultVersion" ${goString(e.defaultVersion)} "containerDiskImage" ${goString(e.containerDiskImage)} "konnectivityVersion" ${goString(e.konnectivityVersion)})`).join(' ')} -}}
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
