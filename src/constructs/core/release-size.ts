import { isTable } from '../../expr/coalesce';
import { TemplateFunction } from '../../expr/functions';
import { goJsonByteLength } from '../../expr/go-json';
import { MERGE_DEFAULTS } from '../../expr/stdlib';

/**
 * How much of the values can reach the Helm release record.
 *
 * Helm stores each release in a Secret (`sh.helm.release.v1.<name>.v<n>`): the release as JSON
 * (chart files, chart defaults, the user's values as `config`, the rendered `manifest`), gzipped and
 * base64-encoded into one data key (helm pkg/storage/driver/util.go, encodeRelease, at v3.18.0 and
 * v4.1.4). The API server refuses a Secret whose data exceeds 1 MiB (kubernetes pkg/apis/core/validation,
 * ValidateSecret: MaxSecretSize = 1 * 1024 * 1024), so `helm install` fails once the gzipped release
 * exceeds 1 MiB * 3/4 = 786,432 bytes, after everything rendered fine.
 *
 * What the values add to the release: the user's values once in `config`, and the rendered manifest,
 * which holds every value once (addon values, annotations, SANs, ...) and a node group's values (with
 * `nodeGroupDefaults` merged in) once per group. This check measures that as Go's JSON of the values
 * (the chart defaults included, ~6 KiB), twice, plus Go's JSON of each merged node group:
 *
 *   size = 2 * len(toJson .Values) + sum over groups of len(toJson (mergeDefaults nodeGroupDefaults group))
 *
 * which is at least the bytes the values add to the release JSON before compression (JSON escapes:
 * the manifest prints every string with `toJson`, so its escapes are counted already). Budget:
 *   786,432 bytes of gzip output
 *   - the chart itself (templates and schema base64 inside JSON, README, defaults): 54 KiB gzipped
 *   - the manifest's own text for 100 node groups: 471 KiB raw, 10 KiB gzipped alone, at most ~100 KiB
 *     when incompressible values sit between its repetitions (they push copies out of gzip's 32 KiB window)
 *   leaves more than 600 KiB for 512 KiB of values even if gzip gained nothing on them; random text from
 * all of Unicode gains ~20 %. test/limits.test.ts builds the worst documents the bound admits (incompressible
 * text in addon values, in node group files, over 100 groups) and measures the Secret as Helm would
 * write it: at most 61 % of 1 MiB.
 *
 * Per-field bounds in the schema (`maxLength`, `maxItems`, `maxProperties`) keep each value sane; their
 * worst-case sum cannot stay under 1 MiB without cutting a node group to about a kilobyte of text (100
 * groups × 2 copies × 4 bytes per character), hence this total.
 */
export const MAX_RELEASE_VALUES_BYTES = 512 * 1024;

/** The size measure above, in-process. */
export function releaseValuesBytes(values: Record<string, unknown>): number {
  let size = 2 * goJsonByteLength(values);
  const groups = isTable(values.nodeGroups) ? values.nodeGroups : {};
  for (const group of Object.values(groups)) size += goJsonByteLength(MERGE_DEFAULTS.props.evaluate(values.nodeGroupDefaults, group));
  return size;
}

/** `releaseValuesBytes(values)`: what the values add to the Helm release record (see {@link MAX_RELEASE_VALUES_BYTES}). */
export const RELEASE_VALUES_BYTES = new TemplateFunction({
  name: 'tenant-cluster-lib.releaseValuesBytes',
  params: ['values'],
  result: 'int',
  goBody: `
{{- $size := mul 2 (len (toJson .values)) -}}
{{- range $name, $group := .values.nodeGroups -}}
{{- $size = add $size (len (include "tenant-cluster-lib.mergeDefaults" (dict "defaults" $.values.nodeGroupDefaults "item" $group))) -}}
{{- end -}}
{{- $size -}}`,
  evaluate: (values) => releaseValuesBytes(values as Record<string, unknown>),
  calls: [MERGE_DEFAULTS],
});
