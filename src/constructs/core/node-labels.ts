// Module paths rather than the expr index: the CLI loads this (src/template-functions.ts) and no more of the model.
import { setOwn } from '../../expr/coalesce';
import { goString } from '../../expr/expr';
import { TemplateFunction } from '../../expr/functions';
import { goSortedKeys } from '../../expr/go-json';

/**
 * The kubelet's extra flags with the group's node labels added as `node-labels=k=v,…` (sorted by key).
 * kubeadm has no field for node labels; the kubelet flag is how Cluster API users set them.
 */
export const NODE_LABELS_ARG = new TemplateFunction({
  name: 'tenant-cluster-lib.kubeletArgsWithNodeLabels',
  params: ['args', 'labels'],
  result: 'map',
  goBody: `
{{- $out := deepCopy (default dict .args) -}}
{{- $pairs := list -}}
{{- range $key, $value := .labels -}}
{{- $pairs = append $pairs (printf "%s=%s" $key $value) -}}
{{- end -}}
{{- if $pairs -}}{{- $_ := set $out "node-labels" (join "," $pairs) -}}{{- end -}}
{{- toJson $out -}}`,
  evaluate: (args, labels) => {
    // Spread copies own properties as data (also a `__proto__` key); `node-labels` is no special key.
    const out: Record<string, unknown> = { ...((args ?? {}) as Record<string, unknown>) };
    const pairs = goSortedKeys((labels ?? {}) as object).map((k) => `${k}=${(labels as Record<string, string>)[k]}`);
    if (pairs.length > 0) setOwn(out, 'node-labels', pairs.join(','));
    return out;
  },
});

/**
 * Node labels a kubelet may set on its own Node (`--node-labels`), as the kubelet refuses to start
 * otherwise: keys in the `kubernetes.io` or `k8s.io` namespaces (or their subdomains) only under
 * `kubelet.kubernetes.io/` or `node.kubernetes.io/`, or one of these well-known keys. Kubernetes
 * cmd/kubelet/app/options/options.go (ValidateKubeletFlags, isKubernetesLabel) and
 * staging/src/k8s.io/kubelet/pkg/apis/well_known_labels.go (IsKubeletLabel, kubeletLabels).
 */
export const KUBELET_SETTABLE_LABELS: readonly string[] = [
  'beta.kubernetes.io/arch', 'beta.kubernetes.io/instance-type', 'beta.kubernetes.io/os',
  'failure-domain.beta.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/zone',
  'kubernetes.io/arch', 'kubernetes.io/hostname', 'kubernetes.io/os',
  'node.kubernetes.io/instance-type', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone',
];
const KUBERNETES_NAMESPACE = '^([^/]*\\.)?(kubernetes|k8s)\\.io/';
const KUBELET_NAMESPACE = '^([^/]*\\.)?(kubelet|node)\\.kubernetes\\.io/';

/** Whether the kubelet refuses to set a node label key itself. */
export function kubeletRefusesLabel(key: string): boolean {
  return new RegExp(KUBERNETES_NAMESPACE).test(key) && !new RegExp(KUBELET_NAMESPACE).test(key) && !KUBELET_SETTABLE_LABELS.includes(key);
}

/** The first key (in Go's order) of a label map that the kubelet refuses to set, or "". */
export const KUBELET_REFUSED_LABEL = new TemplateFunction({
  name: 'tenant-cluster-lib.kubeletRefusedLabel',
  params: ['labels'],
  result: 'string',
  goBody: `
{{- $settable := list ${KUBELET_SETTABLE_LABELS.map((l) => goString(l)).join(' ')} -}}
{{- $found := "" -}}
{{- range $key, $_ := .labels -}}
{{- if and (not $found) (regexMatch ${goString(KUBERNETES_NAMESPACE)} $key)
    (not (regexMatch ${goString(KUBELET_NAMESPACE)} $key)) (not (has $key $settable)) }}{{ $found = $key }}{{ end -}}
{{- end -}}
{{- $found -}}`,
  evaluate: (labels) => goSortedKeys((labels ?? {}) as object).find(kubeletRefusesLabel) ?? '',
});

/**
 * The first taint (as `key:effect`, in list order) whose key and effect an earlier taint already has,
 * or "": the API server refuses a Node with two (kubernetes pkg/apis/core/validation/validation.go,
 * validateNodeTaints: "taints must be unique by key and effect pair"), so the machine would never join.
 */
export const DUPLICATE_TAINT = new TemplateFunction({
  name: 'tenant-cluster-lib.duplicateTaint',
  params: ['taints'],
  result: 'string',
  goBody: `
{{- $seen := dict -}}
{{- $duplicate := "" -}}
{{- range .taints -}}
{{- $pair := printf "%s:%s" .key .effect -}}
{{- if and (not $duplicate) (hasKey $seen $pair) }}{{ $duplicate = $pair }}{{ end -}}
{{- $_ := set $seen $pair true -}}
{{- end -}}
{{- $duplicate -}}`,
  evaluate: (taints) => {
    const seen = new Set<string>();
    for (const t of (taints ?? []) as Array<{ key: string; effect: string }>) {
      const pair = `${t.key}:${t.effect}`;
      if (seen.has(pair)) return pair;
      seen.add(pair);
    }
    return '';
  },
});
