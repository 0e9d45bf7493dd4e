/**
 * Template functions of the OpenStack constructs (Go `define` + the same logic in-process; the tests render both).
 */
import { goTruthy } from '../../expr/expr';
import { TemplateFunction } from '../../expr/functions';
import { goSortedKeys } from '../../expr/go-json';

/**
 * `keysWithTrueField(map, field)`: the keys (sorted, comma-separated) of a map of maps whose `field` is true in Go's
 * sense; for "at most one default" checks.
 */
export const KEYS_WITH_TRUE_FIELD = new TemplateFunction({
  name: 'tenant-cluster-lib.keysWithTrueField',
  params: ['map', 'field'],
  result: 'string',
  goBody: `
{{- $out := list -}}
{{- range $key, $item := .map -}}
{{- if and (kindIs "map" $item) (index $item $.field) -}}
{{- $out = append $out $key -}}
{{- end -}}
{{- end -}}
{{- join ", " $out -}}`,
  evaluate: (map, field) => {
    const m = (map ?? {}) as Record<string, unknown>;
    return goSortedKeys(m).filter((k) => {
      const item = m[k];
      return item !== null && typeof item === 'object' && !Array.isArray(item) && goTruthy((item as Record<string, unknown>)[String(field)]);
    }).join(', ');
  },
});

/**
 * `duplicateField(list, field)`: the first value of `field` (a string) that a later item of a list of maps repeats,
 * or "" when all differ; for list-map keys the API server requires unique (e.g. security group rule names).
 */
export const DUPLICATE_FIELD = new TemplateFunction({
  name: 'tenant-cluster-lib.duplicateField',
  params: ['list', 'field'],
  result: 'string',
  goBody: `
{{- $seen := dict -}}
{{- $found := "" -}}
{{- range $item := .list -}}
{{- $value := toString (default "" (index $item $.field)) -}}
{{- if and (eq $found "") (hasKey $seen $value) -}}
{{- $found = $value -}}
{{- end -}}
{{- $_ := set $seen $value true -}}
{{- end -}}
{{- $found -}}`,
  evaluate: (list, field) => {
    const seen = new Set<string>();
    for (const item of (Array.isArray(list) ? list : []) as Array<Record<string, unknown>>) {
      const raw = item?.[String(field)];
      const value = goTruthy(raw) ? String(raw) : '';
      if (seen.has(value)) return value;
      seen.add(value);
    }
    return '';
  },
});
