/**
 * Template functions of the KubeVirt constructs, in a module of their own: the CLI renders from a
 * precompiled model and finds them here (src/template-functions.ts) without loading any construct.
 */
import { TemplateFunction } from '../../expr/functions';

/** A list of strings as a CEL list literal (JSON strings are CEL strings; the schema keeps the items plain). */
export const CEL_STRING_LIST = new TemplateFunction({
  name: 'tenant-cluster.celStringList',
  params: ['items'],
  result: 'string',
  goBody: `{{- toJson (default list .items) -}}`,
  evaluate: (items) => JSON.stringify((items ?? []) as unknown[]),
});

/** The infra StorageClass enforcement as the driver reads it, from the classes the values allow. */
export function infraStorageClassEnforcement(defaultClass: string, allowed: readonly string[], snapshotClass: string): string {
  const allowList = [...new Set([...(defaultClass ? [defaultClass] : []), ...allowed])];
  let out = `allowAll: false\nallowDefault: ${defaultClass === ''}\nallowList: ${JSON.stringify(allowList)}\n`;
  if (defaultClass && snapshotClass) {
    out += `storageSnapshotMapping:\n- storageClasses: ${JSON.stringify([defaultClass])}\n  volumeSnapshotClasses: ${JSON.stringify([snapshotClass])}\n`;
  }
  return out;
}

/**
 * `INFRA_STORAGE_CLASS_ENFORCEMENT` of the driver (kubevirt/csi-driver cmd/kubevirt-csi-driver parseConfig, decoded
 * as YAML into pkg/util/util.go StorageClassEnforcement; checked in pkg/service/controller.go
 * validateCreateVolumeRequest): never `allowAll`; the list is `infraStorageClassName` plus
 * `allowedInfraStorageClasses`; a tenant StorageClass without the parameter (the management cluster's default class)
 * only while `infraStorageClassName` is empty. With the default class disallowed, snapshots need an explicit mapping
 * of the infra StorageClass to an infra VolumeSnapshotClass (pkg/kubevirt/client.go
 * getSnapshotClassNameFromVolumeClaimName), given by `infraVolumeSnapshotClassName`. Class names match the schema's
 * DNS-subdomain pattern, so JSON lists are valid YAML flow sequences.
 */
export const INFRA_STORAGE_CLASS_ENFORCEMENT = new TemplateFunction({
  name: 'tenant-cluster.kubevirtCsi.infraStorageClassEnforcement',
  params: ['default', 'allowed', 'snapshotClass'],
  result: 'string',
  goBody: `
{{- $list := list -}}
{{- if .default -}}{{- $list = append $list .default -}}{{- end -}}
{{- range .allowed -}}{{- if not (has . $list) -}}{{- $list = append $list . -}}{{- end -}}{{- end -}}
{{- $out := printf "allowAll: false\\nallowDefault: %t\\nallowList: %s\\n" (empty .default) (toJson $list) -}}
{{- if and .default .snapshotClass -}}
{{- $out = printf "%sstorageSnapshotMapping:\\n- storageClasses: %s\\n  volumeSnapshotClasses: %s\\n" $out (toJson (list .default)) (toJson (list .snapshotClass)) -}}
{{- end -}}
{{- $out -}}`,
  evaluate: (defaultClass, allowed, snapshotClass) =>
    infraStorageClassEnforcement(String(defaultClass ?? ''), ((allowed ?? []) as unknown[]).map(String), String(snapshotClass ?? '')),
});

/**
 * The index of the first kubeadm file with neither or both of `content` and `contentFrom`, or `""`.
 * The KubeadmConfigTemplate CRD allows both (kubernetes-sigs/cluster-api v1.10.10 `File`: `content`,
 * `contentFrom.secret {name, key}`), but the bootstrap provider's webhook refuses both at once
 * (bootstrap/kubeadm/api/v1beta1/kubeadmconfig_types.go: "only one of content or contentFrom may be
 * specified for a single file"), and a file with neither is empty.
 */
export const KUBEADM_FILE_WITHOUT_ONE_CONTENT = new TemplateFunction({
  name: 'tenant-cluster-lib.kubeadmFileWithoutOneContent',
  params: ['files'],
  result: 'string',
  goBody: `
{{- $bad := "" -}}
{{- range $i, $file := .files -}}
{{- if and (eq $bad "") (eq (hasKey $file "content") (hasKey $file "contentFrom")) }}{{ $bad = toString $i }}{{ end -}}
{{- end -}}
{{- $bad -}}`,
  evaluate: (files) => {
    const i = ((files ?? []) as Array<Record<string, unknown>>).findIndex((f) => ('content' in f) === ('contentFrom' in f));
    return i < 0 ? '' : String(i);
  },
});
