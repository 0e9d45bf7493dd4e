import { TemplateFunction } from '../../expr/functions';

/** `concatLists(a, b)`: the items of `a`, then those of `b` (a missing or non-list `b` adds nothing). */
export const CONCAT_LISTS = new TemplateFunction({
  name: 'tenant-cluster-lib.concatLists',
  params: ['a', 'b'],
  result: 'list',
  goBody: `
{{- $out := list -}}
{{- range .a }}{{ $out = append $out . }}{{ end -}}
{{- if kindIs "slice" .b }}{{ range .b }}{{ $out = append $out . }}{{ end }}{{ end -}}
{{- toJson $out -}}`,
  evaluate: (a, b) => [...(a as unknown[]), ...(Array.isArray(b) ? b : [])],
});
