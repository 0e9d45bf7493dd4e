/**
 * Template functions of the OpenStack constructs (Go `define` + the same logic in-process; the tests render both).
 */
import { goString, goTruthy, toInt64 } from '../../expr/expr';
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

/**
 * Annotation keys of cloud-provider-openstack's load balancer (pkg/openstack/loadbalancer.go, `ServiceAnnotation…`
 * constants, the same in v1.31.4–v1.35.0), by the key of `controlPlane.endpoint.openstack` that sets them: IDs and
 * names when not empty, flags when true, timeouts (ms) when above 0.
 */
export const OCTAVIA_ANNOTATIONS = {
  floatingNetworkID: 'loadbalancer.openstack.org/floating-network-id',
  floatingSubnetID: 'loadbalancer.openstack.org/floating-subnet-id',
  internal: 'service.beta.kubernetes.io/openstack-internal-load-balancer',
  portID: 'loadbalancer.openstack.org/port-id',
  keepFloatingIP: 'loadbalancer.openstack.org/keep-floatingip',
  flavorID: 'loadbalancer.openstack.org/flavor-id',
  availabilityZone: 'loadbalancer.openstack.org/availability-zone',
  class: 'loadbalancer.openstack.org/class',
  timeoutClientData: 'loadbalancer.openstack.org/timeout-client-data',
  timeoutMemberData: 'loadbalancer.openstack.org/timeout-member-data',
} as const;

type OctaviaKey = keyof typeof OCTAVIA_ANNOTATIONS;
const FLAGS: readonly OctaviaKey[] = ['internal', 'keepFloatingIP'];
const MILLISECONDS: readonly OctaviaKey[] = ['timeoutClientData', 'timeoutMemberData'];
const KEYS = Object.keys(OCTAVIA_ANNOTATIONS) as OctaviaKey[];

/**
 * `octaviaAnnotations(settings, annotations)`: the Service annotations for `controlPlane.endpoint.openstack`
 * (`settings`) with the user's `serviceAnnotations` over them (the user's win): a map, for
 * `KamajiControlPlane.spec.network.serviceAnnotations`.
 */
export const OCTAVIA_SERVICE_ANNOTATIONS = new TemplateFunction({
  name: 'tenant-cluster-lib.octaviaServiceAnnotations',
  params: ['settings', 'annotations'],
  result: 'map',
  goBody: `
{{- $s := .settings -}}
{{- $out := dict -}}
${KEYS.map((k) => {
    const key = goString(OCTAVIA_ANNOTATIONS[k]);
    if (FLAGS.includes(k)) return `{{- if index $s ${goString(k)} }}{{ $_ := set $out ${key} "true" }}{{ end -}}`;
    if (MILLISECONDS.includes(k)) {
      return `{{- $ms := int64 (index $s ${goString(k)}) -}}\n{{- if gt $ms 0 }}{{ $_ := set $out ${key} (printf "%d" $ms) }}{{ end -}}`;
    }
    return `{{- $v := index $s ${goString(k)} -}}\n{{- if ne $v "" }}{{ $_ := set $out ${key} $v }}{{ end -}}`;
  }).join('\n')}
{{- range $key, $value := .annotations }}{{ $_ := set $out $key $value }}{{ end -}}
{{- toJson $out -}}`,
  evaluate: (settings, annotations) => {
    const s = (settings ?? {}) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of KEYS) {
      const v = s[k];
      if (FLAGS.includes(k)) {
        if (goTruthy(v)) out[OCTAVIA_ANNOTATIONS[k]] = 'true';
      } else if (MILLISECONDS.includes(k)) {
        if (toInt64(v) > 0) out[OCTAVIA_ANNOTATIONS[k]] = String(toInt64(v));
      } else if (v !== '' && v !== undefined && v !== null) {
        out[OCTAVIA_ANNOTATIONS[k]] = v;
      }
    }
    for (const [k, v] of Object.entries((annotations ?? {}) as Record<string, unknown>)) {
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
  },
});

/**
 * `withExternalCloudProvider(args)`: a map of command-line flags with `cloud-provider: external` set (over the
 * map's own, which a render check refuses): what the OpenStack cloud-controller-manager needs of the kubelets (which
 * then register their node tainted `node.cloudprovider.kubernetes.io/uninitialized` and leave addresses, provider ID
 * and zone to it) and of kube-controller-manager (which leaves the cloud's controllers to it): `--cloud-provider` of
 * k8s.io/cloud-provider v0.34.1 options/cloudprovider.go, "external" per plugins.go `IsExternal`.
 * @see https://kubernetes.io/docs/tasks/administer-cluster/running-cloud-controller/
 */
export const WITH_EXTERNAL_CLOUD_PROVIDER = new TemplateFunction({
  name: 'tenant-cluster-lib.withExternalCloudProvider',
  params: ['args'],
  result: 'map',
  goBody: `
{{- $out := deepCopy (default dict .args) -}}
{{- $_ := set $out "cloud-provider" "external" -}}
{{- toJson $out -}}`,
  evaluate: (args) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((args ?? {}) as Record<string, unknown>)) {
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    out['cloud-provider'] = 'external';
    return out;
  },
});
