/**
 * What the cluster autoscaler and the kubelet are told about a node group's nodes: the capacity
 * annotations a group that scales from zero carries (the autoscaler has no node to look at), and the
 * kubelet flag that reserves the resources those annotations leave out.
 *
 * The autoscaler builds a template node from the MachineDeployment's annotations and uses the
 * capacity as the node's allocatable as it is (kubernetes/autoscaler cluster-autoscaler-1.31.5 …
 * 1.35.2, cloudprovider/clusterapi/clusterapi_nodegroup.go `TemplateNodeInfo`:
 * `node.Status.Allocatable = capacity`), its labels from `capacity.cluster-autoscaler.kubernetes.io/labels`
 * (`key1=value1,key2=value2`), its taints from `…/taints` (`key1=value1:Effect,…`, `parseTaint`) and its
 * pod capacity from `…/maxPods` (an integer, `parseIntKey`; 110 when absent) — clusterapi_unstructured.go
 * `Labels`, `Taints`, `InstanceCapacity` and clusterapi_utils.go, the same in every pinned minor.
 */
import { goString } from '../../expr/expr';
import { TemplateFunction } from '../../expr/functions';
import { goSortedKeys } from '../../expr/go-json';

/**
 * The kubelet's default hard eviction threshold for memory (`memory.available<100Mi`,
 * kubernetes/kubernetes pkg/kubelet/apis/config/v1beta1/defaults_linux.go `DefaultEvictionHard`): the
 * kubelet keeps it from pods on top of the reservations.
 */
export const EVICTION_HARD_MEMORY_MI = 100;

type Table = Record<string, unknown>;

/** Memory quantity units: multiplier in bytes and its number of decimal digits (bounds the arithmetic). */
const MEMORY_UNITS: Record<string, [bigint, number]> = {
  '': [1n, 0], k: [1000n, 3], M: [10n ** 6n, 6], G: [10n ** 9n, 9], T: [10n ** 12n, 12], P: [10n ** 15n, 15], E: [10n ** 18n, 18],
  Ki: [1024n, 4], Mi: [1024n ** 2n, 7], Gi: [1024n ** 3n, 10], Ti: [1024n ** 4n, 13], Pi: [1024n ** 5n, 16], Ei: [1024n ** 6n, 19],
};
const QUANTITY = /^([0-9]+)(?:\.([0-9]+))?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
/** Integer digits plus the unit's digits stay within 18, so every intermediate fits an int64 in Go. */
const MAX_DIGITS = 18;

/** Bytes of a memory quantity (fractions of a byte dropped), or undefined when it is not one or too large. */
export function memoryBytes(q: string): bigint | undefined {
  const m = QUANTITY.exec(q);
  if (!m) return undefined;
  const [, int, fracAll = '', unit = ''] = m;
  const frac = fracAll.slice(0, 6);
  const p = 10n ** BigInt(frac.length);
  const i = BigInt(int);
  const f = frac === '' ? 0n : BigInt(frac);
  if (unit === 'm') {
    if (int.length > MAX_DIGITS) return undefined;
    return i / 1000n + ((i % 1000n) * p + f) / (1000n * p);
  }
  const [mult, digits] = MEMORY_UNITS[unit];
  if (int.length + digits > MAX_DIGITS) return undefined;
  return i * mult + f * (mult / p) + (f * (mult % p)) / p;
}

/** Millicores of a CPU quantity (`2`, `1.5`, `500m`; fractions of a millicore dropped), or undefined. */
export function cpuMillicores(q: string): bigint | undefined {
  const m = /^([0-9]+)(?:\.([0-9]+))?(m)?$/.exec(q);
  if (!m || m[1].length > 12) return undefined;
  const [, int, fracAll = '', unit] = m;
  const frac = fracAll.slice(0, 6);
  const p = 10n ** BigInt(frac.length);
  const f = frac === '' ? 0n : BigInt(frac);
  return unit === 'm' ? BigInt(int) + f / p : BigInt(int) * 1000n + (f * 1000n) / p;
}

/** Go-template fragments shared by the two allocatable functions: split `$q` into `$int`, `$frac`, `$unit`, `$p`. */
const GO_SPLIT_QUANTITY = `
{{- $int := regexFind "^[0-9]+" $q -}}
{{- $rest := trimPrefix $int $q -}}
{{- $fracAll := regexFind "^[.][0-9]+" $rest -}}
{{- $unit := trimPrefix $fracAll $rest -}}
{{- $frac := trunc 6 (trimPrefix "." $fracAll) -}}
{{- $f := 0 -}}{{- if $frac }}{{ $f = atoi $frac }}{{ end -}}
{{- $p := 1 -}}{{- range until (len $frac) }}{{ $p = mul $p 10 }}{{ end -}}`;

/**
 * `allocatableMemoryMi(size, reserved)`: what pods get of a node with `size` memory when the kubelet
 * reserves `reserved` plus its hard eviction threshold, in whole MiB (rounded down: never more than
 * the node has), as a decimal string; `""` when a quantity is not one or too large to compute.
 */
export const ALLOCATABLE_MEMORY_MI = new TemplateFunction({
  name: 'tenant-cluster-lib.allocatableMemoryMi',
  params: ['size', 'reserved'],
  result: 'string',
  goBody: `
{{- $mult := dict "" 1 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000 "P" 1000000000000000 "E" 1000000000000000000
      "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 "Pi" 1125899906842624 "Ei" 1152921504606846976 -}}
{{- $digits := dict "" 0 "k" 3 "M" 6 "G" 9 "T" 12 "P" 15 "E" 18 "Ki" 4 "Mi" 7 "Gi" 10 "Ti" 13 "Pi" 16 "Ei" 19 -}}
{{- $bytes := list -}}
{{- range $q := list (toString .size) (toString .reserved) -}}
{{- if regexMatch ${goString(QUANTITY.source)} $q -}}
${GO_SPLIT_QUANTITY}
{{- if eq $unit "m" -}}
{{- if le (len $int) ${MAX_DIGITS} -}}
{{- $i := atoi $int -}}
{{- $bytes = append $bytes (add (div $i 1000) (div (add (mul (mod $i 1000) $p) $f) (mul 1000 $p))) -}}
{{- end -}}
{{- else if le (add (len $int) (index $digits $unit)) ${MAX_DIGITS} -}}
{{- $m := index $mult $unit -}}
{{- $bytes = append $bytes (add (mul (atoi $int) $m) (mul $f (div $m $p)) (div (mul $f (mod $m $p)) $p)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if eq (len $bytes) 2 -}}
{{- sub (div (sub (index $bytes 0) (index $bytes 1)) 1048576) ${EVICTION_HARD_MEMORY_MI} -}}
{{- end -}}`,
  evaluate: (size, reserved) => {
    const s = memoryBytes(String(size ?? ''));
    const r = memoryBytes(String(reserved ?? ''));
    if (s === undefined || r === undefined) return '';
    // BigInt division truncates towards zero as Go's `div` does (negative results are refused anyway).
    return String((s - r) / 1048576n - BigInt(EVICTION_HARD_MEMORY_MI));
  },
});

/**
 * `allocatableCpuMilli(size, reserved)`: millicores pods get of a node with `size` CPUs when the kubelet
 * reserves `reserved`, as a decimal string; `""` when a quantity is not one.
 */
export const ALLOCATABLE_CPU_MILLI = new TemplateFunction({
  name: 'tenant-cluster-lib.allocatableCpuMilli',
  params: ['size', 'reserved'],
  result: 'string',
  goBody: `
{{- $milli := list -}}
{{- range $q := list (toString .size) (toString .reserved) -}}
{{- if and (regexMatch "^[0-9]+([.][0-9]+)?m?$" $q) (le (len (regexFind "^[0-9]+" $q)) 12) -}}
${GO_SPLIT_QUANTITY}
{{- if eq $unit "m" -}}
{{- $milli = append $milli (add (atoi $int) (div $f $p)) -}}
{{- else -}}
{{- $milli = append $milli (add (mul (atoi $int) 1000) (div (mul $f 1000) $p)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if eq (len $milli) 2 -}}{{- sub (index $milli 0) (index $milli 1) -}}{{- end -}}`,
  evaluate: (size, reserved) => {
    const s = cpuMillicores(String(size ?? ''));
    const r = cpuMillicores(String(reserved ?? ''));
    return s === undefined || r === undefined ? '' : String(s - r);
  },
});

/** `capacity.cluster-autoscaler.kubernetes.io/labels`: the group's node labels as `k=v,…` (sorted by key). */
export const CAPACITY_LABELS = new TemplateFunction({
  name: 'tenant-cluster-lib.capacityLabels',
  params: ['labels'],
  result: 'string',
  goBody: `
{{- $pairs := list -}}
{{- range $key, $value := .labels -}}{{- $pairs = append $pairs (printf "%s=%s" $key $value) -}}{{- end -}}
{{- join "," $pairs -}}`,
  evaluate: (labels) => goSortedKeys((labels ?? {}) as object).map((k) => `${k}=${(labels as Record<string, string>)[k]}`).join(','),
});

/** `capacity.cluster-autoscaler.kubernetes.io/taints`: the group's taints as `key=value:Effect,…` (`key:Effect` without a value). */
export const CAPACITY_TAINTS = new TemplateFunction({
  name: 'tenant-cluster-lib.capacityTaints',
  params: ['taints'],
  result: 'string',
  goBody: `
{{- $out := list -}}
{{- range .taints -}}
{{- if .value }}{{ $out = append $out (printf "%s=%s:%s" .key .value .effect) }}{{ else }}{{ $out = append $out (printf "%s:%s" .key .effect) }}{{ end -}}
{{- end -}}
{{- join "," $out -}}`,
  evaluate: (taints) => ((taints ?? []) as Table[])
    .map((t) => (t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`)).join(','),
});

/** The kubelet's `max-pods` flag of a group's `kubelet.extraArgs`, or `""`. */
export const MAX_PODS_ARG = new TemplateFunction({
  name: 'tenant-cluster-lib.maxPodsArg',
  params: ['args'],
  result: 'string',
  goBody: `{{- index (default dict .args) "max-pods" | default "" | toString -}}`,
  evaluate: (args) => {
    const v = ((args ?? {}) as Table)['max-pods'];
    return v === undefined || v === null ? '' : String(v);
  },
});

/**
 * The kubelet's extra flags with `kube-reserved=cpu=…,memory=…` added: the reservation the capacity
 * annotations subtract is one the node really makes.
 */
export const WITH_KUBE_RESERVED = new TemplateFunction({
  name: 'tenant-cluster-lib.kubeletArgsWithKubeReserved',
  params: ['args', 'cpu', 'memory'],
  result: 'map',
  goBody: `
{{- $out := deepCopy (default dict .args) -}}
{{- $_ := set $out "kube-reserved" (printf "cpu=%s,memory=%s" .cpu .memory) -}}
{{- toJson $out -}}`,
  evaluate: (args, cpu, memory) => ({ ...((args ?? {}) as Table), 'kube-reserved': `cpu=${cpu},memory=${memory}` }),
});
