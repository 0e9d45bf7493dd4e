// Module paths rather than the expr index: the CLI loads this (src/template-functions.ts) and no more of the model.
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
    const out: Record<string, unknown> = { ...((args ?? {}) as Record<string, unknown>) };
    const pairs = goSortedKeys((labels ?? {}) as object).map((k) => `${k}=${(labels as Record<string, string>)[k]}`);
    if (pairs.length > 0) out['node-labels'] = pairs.join(',');
    return out;
  },
});
