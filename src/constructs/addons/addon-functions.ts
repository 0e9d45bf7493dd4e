/**
 * Template functions of the addon constructs, in a module of their own: the CLI renders from a
 * precompiled model and finds them here (src/template-functions.ts) without loading any construct.
 */
import { toInt64 } from '../../expr/expr';
import { TemplateFunction } from '../../expr/functions';

type Table = Record<string, unknown>;

/** `a - b` on integers. */
export const MINUS = new TemplateFunction({
  name: 'tenant-cluster-lib.minus',
  params: ['a', 'b'],
  result: 'int',
  goBody: '{{- sub (int64 .a) (int64 .b) -}}',
  evaluate: (a, b) => toInt64(a) - toInt64(b),
});

const isTable = (v: unknown): v is Table => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether a map has a value at a dotted path (every step a map; a null or list on the way: no). */
export function hasValuesPath(values: unknown, path: string): boolean {
  let cur: unknown = values;
  for (const segment of path.split('.')) {
    if (!isTable(cur) || !Object.prototype.hasOwnProperty.call(cur, segment)) return false;
    cur = cur[segment];
  }
  return true;
}

/** `hasPath(map, path)`: whether the user's addon values set a key the chart owns. */
export const HAS_VALUES_PATH = new TemplateFunction({
  name: 'tenant-cluster-lib.hasValuesPath',
  params: ['values', 'path'],
  result: 'bool',
  goBody: `
{{- $cur := .values -}}
{{- $found := true -}}
{{- range splitList "." .path -}}
{{- if and $found (kindIs "map" $cur) -}}
{{- if hasKey $cur . -}}{{- $cur = index $cur . -}}{{- else -}}{{- $found = false -}}{{- end -}}
{{- else -}}{{- $found = false -}}
{{- end -}}
{{- end -}}
{{- if $found }}true{{ end -}}`,
  evaluate: (values, path) => hasValuesPath(values, String(path)),
});

/** Whether a list (at a dotted path of a map) has a string item matching a regular expression. */
export function listHasMatch(values: unknown, path: string, pattern: string): boolean {
  if (!hasValuesPath(values, path)) return false;
  const list = path.split('.').reduce<unknown>((cur, s) => (cur as Table)[s], values);
  const re = new RegExp(pattern);
  return Array.isArray(list) && list.some((item) => typeof item === 'string' && re.test(item));
}

/** `listHasMatch(map, path, pattern)`: whether a list in the user's addon values carries a flag the chart owns. */
export const LIST_HAS_MATCH = new TemplateFunction({
  name: 'tenant-cluster-lib.listHasMatch',
  params: ['values', 'path', 'pattern'],
  result: 'bool',
  goBody: `
{{- if eq (include "tenant-cluster-lib.hasValuesPath" (dict "values" .values "path" .path)) "true" -}}
{{- $list := .values -}}
{{- range splitList "." .path -}}{{- $list = index $list . -}}{{- end -}}
{{- $found := false -}}
{{- $pattern := .pattern -}}
{{- if kindIs "slice" $list -}}
{{- range $list -}}
{{- if and (kindIs "string" .) (regexMatch $pattern (toString .)) -}}{{- $found = true -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- if $found }}true{{ end -}}
{{- end -}}`,
  evaluate: (values, path, pattern) => listHasMatch(values, String(path), String(pattern)),
});
