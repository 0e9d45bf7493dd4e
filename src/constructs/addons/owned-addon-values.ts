import { Construct } from 'constructs';
import { and, Expr, lit, RenderCheck, TemplateFunction, valuesAt } from '../../expr';

type Table = Record<string, unknown>;
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

/** A key of an addon chart's values that this chart sets and the user may not. */
export interface OwnedValue {
  /** Dotted path below the addon's `values`, e.g. `ipam.mode`. */
  readonly path: string;
  /** Why the chart owns it. */
  readonly because: string;
  /** The value of this chart to change instead (a values path); none where the key follows from the release. */
  readonly instead?: string;
  /**
   * Only list items matching this regular expression are owned (e.g. one flag of an `args` list);
   * without it, the key itself is.
   */
  readonly itemPattern?: string;
  /** What the owned items are, for the message (with `itemPattern`). */
  readonly items?: string;
}

export interface OwnedAddonValuesProps {
  /** The addon's values path, e.g. `addons.metricsServer` (its `values` are checked). */
  readonly valuesPath: string;
  readonly owned: readonly OwnedValue[];
  /** When the addon is installed (checks apply only then). */
  readonly when?: Expr;
}

/**
 * Refuses user values for the keys of an addon chart that this chart owns: the settings its own
 * guarantees rest on (the pod CIDR behind the overlap checks, the CSR approver's name and address
 * checks, verified kubelet TLS, …). The message names the path and the value to change instead; the
 * same check runs in Helm (`fail`) and in the evaluation backend.
 */
export class OwnedAddonValues extends Construct {
  public constructor(scope: Construct, id: string, props: OwnedAddonValuesProps) {
    super(scope, id);
    const userValues = valuesAt(props.valuesPath).map('values');
    for (const owned of props.owned) {
      const set = owned.itemPattern
        ? LIST_HAS_MATCH.call(userValues, lit(owned.path), lit(owned.itemPattern))
        : HAS_VALUES_PATH.call(userValues, lit(owned.path));
      const what = owned.itemPattern ? `may not contain ${owned.items ?? owned.itemPattern}` : 'is set by this chart';
      new RenderCheck(this, `Owned-${owned.path}`, {
        failWhen: props.when ? and(props.when, set) : set,
        message: lit(`${props.valuesPath}.values.${owned.path}: ${what} (${owned.because})${owned.instead ? `; change ${owned.instead} instead` : ''}`),
      });
    }
  }
}
