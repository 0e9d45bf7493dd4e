/**
 * General-purpose template functions shared by every chart.
 */
import { isDeeplyFrozen, isTable } from './coalesce';
import { bareCondition, EvalEnv, Expr, isExpr } from './expr';
import { TemplateFunction } from './functions';
import { goSortedKeys } from './go-json';
import { quoteString, scalarText, UNWRITABLE_CHARACTERS } from './yaml-scalar';

type Table = Record<string, unknown>;

const own = (o: Table, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Sets a key as data (a `__proto__` key too, as JSON.parse makes it). */
function put(o: Table, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/**
 * `item` with the keys it lacks taken from `defaults`, recursing where both have a map. New maps only
 * where the two merge; the rest is shared with the inputs (the evaluation backend never changes values).
 */
function mergeDefaults(defaults: unknown, item: unknown): Table {
  const out: Table = { ...((item ?? {}) as Table) };
  if (!isTable(defaults)) return out;
  for (const k of Object.keys(defaults)) {
    const d = defaults[k];
    if (!own(out, k)) put(out, k, d);
    else if (isTable(d) && isTable(out[k])) put(out, k, mergeDefaults(d, out[k]));
  }
  return out;
}

/**
 * `nodeGroupDefaults` merged into one group: maps deeply, the group's own values win (including
 * `false`, `0` and `""`, which sprig's `merge`/`mergeOverwrite` get wrong), lists replace.
 */
export const MERGE_DEFAULTS = new TemplateFunction({
  name: 'tenant-cluster-lib.mergeDefaults',
  params: ['defaults', 'item'],
  result: 'map',
  goBody: `
{{- $out := deepCopy (default dict .item) -}}
{{- range $key, $default := .defaults -}}
{{- if not (hasKey $out $key) -}}
{{- $_ := set $out $key $default -}}
{{- else if and (kindIs "map" $default) (kindIs "map" (index $out $key)) -}}
{{- $_ := set $out $key (include "tenant-cluster-lib.mergeDefaults" (dict "defaults" $default "item" (index $out $key)) | fromJson) -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}`,
  evaluate: mergeDefaults,
});

function ipv4ToNumber(cidr: string): { address: number; prefix: number } {
  const [ip, prefix] = cidr.split('/');
  const address = ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return { address, prefix: Number(prefix) };
}

/** Whether two IPv4 CIDRs overlap (their common prefix selects the same network). */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = ipv4ToNumber(a);
  const y = ipv4ToNumber(b);
  const size = 2 ** (32 - Math.min(x.prefix, y.prefix));
  return Math.floor(x.address / size) === Math.floor(y.address / size);
}

/** Whether two IPv4 CIDRs overlap. Both must match the schema's CIDR pattern. */
export const CIDRS_OVERLAP = new TemplateFunction({
  name: 'tenant-cluster-lib.cidrsOverlap',
  params: ['a', 'b'],
  result: 'bool',
  goBody: `
{{- $a := splitList "/" .a -}}
{{- $b := splitList "/" .b -}}
{{- $addressA := 0 -}}
{{- range splitList "." (index $a 0) }}{{ $addressA = add (mul $addressA 256) (atoi .) }}{{ end -}}
{{- $addressB := 0 -}}
{{- range splitList "." (index $b 0) }}{{ $addressB = add (mul $addressB 256) (atoi .) }}{{ end -}}
{{- $size := 1 -}}
{{- range until (int (sub 32 (min (atoi (index $a 1)) (atoi (index $b 1))))) }}{{ $size = mul $size 2 }}{{ end -}}
{{- if eq (div $addressA $size) (div $addressB $size) }}true{{ end -}}`,
  evaluate: (a, b) => cidrsOverlap(String(a), String(b)),
});

/** Whether `inner` (an IPv4 address) lies inside `cidr`. */
export function ipInCidr(ip: string, cidr: string): boolean {
  return cidrsOverlap(`${ip}/32`, cidr);
}

/** A map of flags as the `--flag=value` list that Kamaji's `extraArgs` take, sorted by flag. */
export const ARGS_LIST = new TemplateFunction({
  name: 'tenant-cluster-lib.argsList',
  params: ['args'],
  result: 'list',
  goBody: `
{{- $out := list -}}
{{- range $flag, $value := .args -}}
{{- $out = append $out (printf "--%s=%v" $flag $value) -}}
{{- end -}}
{{- toJson $out -}}`,
  evaluate: (args) => goSortedKeys((args ?? {}) as Table).map((k) => `--${k}=${String((args as Table)[k])}`),
});


/** An IPv4 address (or the address of a CIDR) as a number. */
function ipv4Number(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** Go: `$<name>` := the IPv4 address of `<operand>` (an address or the address part of a CIDR) as an int64. */
const goIpv4Number = (name: string, operand: string) =>
  `{{- $${name} := 0 -}}\n{{- range splitList "." (index (splitList "/" ${operand}) 0) }}{{ $${name} = add (mul $${name} 256) (atoi .) }}{{ end -}}`;

/** Go: `$<name>` := the number of addresses of the CIDR `<operand>`. */
const goCidrSize = (name: string, operand: string) =>
  `{{- $${name} := 1 -}}\n{{- range until (int (sub 32 (atoi (index (splitList "/" ${operand}) 1)))) }}{{ $${name} = mul $${name} 2 }}{{ end -}}`;

/** Whether an IPv4 CIDR has host bits set (`10.0.0.1/8`): Kubernetes and the CNIs want the network address. */
export function cidrHasHostBits(cidr: string): boolean {
  const { address, prefix } = ipv4ToNumber(cidr);
  return address % 2 ** (32 - prefix) !== 0;
}

/** Whether an IPv4 CIDR (matching the schema's CIDR pattern) has host bits set. */
export const CIDR_HAS_HOST_BITS = new TemplateFunction({
  name: 'tenant-cluster-lib.cidrHasHostBits',
  params: ['cidr'],
  result: 'bool',
  goBody: `
${goIpv4Number('address', '.cidr')}
${goCidrSize('size', '.cidr')}
{{- if ne (mod $address $size) 0 }}true{{ end -}}`,
  evaluate: (cidr) => cidrHasHostBits(String(cidr)),
});

/**
 * Why an address inside a service CIDR cannot be a Service's ClusterIP, or "": the network and
 * broadcast addresses are no host addresses, and kube-apiserver gives the first one to the `kubernetes`
 * Service (kubernetes pkg/controlplane/services.go, ServiceIPRange: "the first IP in the range").
 */
export function reservedServiceAddress(ip: string, cidr: string): string {
  const { address, prefix } = ipv4ToNumber(cidr);
  const size = 2 ** (32 - prefix);
  const offset = ipv4Number(ip) - Math.floor(address / size) * size;
  if (offset === 0) return 'the network address';
  if (offset === 1) return 'the first address, which the kubernetes Service takes';
  if (offset === size - 1) return 'the broadcast address';
  return '';
}

/** {@link reservedServiceAddress} as a template function (the address must lie inside the CIDR). */
export const RESERVED_SERVICE_ADDRESS = new TemplateFunction({
  name: 'tenant-cluster-lib.reservedServiceAddress',
  params: ['ip', 'cidr'],
  result: 'string',
  goBody: `
${goIpv4Number('network', '.cidr')}
${goIpv4Number('address', '.ip')}
${goCidrSize('size', '.cidr')}
{{- $offset := sub $address (mul (div $network $size) $size) -}}
{{- if eq $offset 0 }}the network address
{{- else if eq $offset 1 }}the first address, which the kubernetes Service takes
{{- else if eq $offset (sub $size 1) }}the broadcast address
{{- end -}}`,
  evaluate: (ip, cidr) => reservedServiceAddress(String(ip), String(cidr)),
});

const UNWRITABLE = new RegExp(`[${UNWRITABLE_CHARACTERS}]`);
/** The same character class as a Go string literal, the characters escaped (`"[\u007f-…]"`). */
const UNWRITABLE_GO = quoteString(`[${UNWRITABLE_CHARACTERS}]`);

/**
 * The path of the first value (or key) holding a character Kubernetes' YAML reader refuses or misreads
 * (see UNWRITABLE_CHARACTERS), in Go's order (map keys sorted, list items in order), or "".
 */
export function unwritablePath(value: unknown, path = ''): string {
  const at = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
  if (isTable(value)) {
    for (const key of goSortedKeys(value)) {
      if (UNWRITABLE.test(key)) return at(key);
      const found = unwritablePath(value[key], at(key));
      if (found !== '') return found;
    }
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unwritablePath(item, at(i));
      if (found !== '') return found;
    }
  } else if (typeof value === 'string' && UNWRITABLE.test(value)) {
    return path;
  }
  return '';
}

/**
 * Whether any value or key (at any depth) holds an unwritable character. The Go body tests Go's JSON of
 * the values with one regular expression: the same answer, since Go's JSON leaves these characters raw
 * and spells everything it escapes in ASCII; here the strings are tested where they are, without the text.
 */
export function hasUnwritableCharacters(value: unknown): boolean {
  if (typeof value === 'string') return UNWRITABLE.test(value);
  if (value === null || typeof value !== 'object') return false;
  if (isDeeplyFrozen(value)) {
    let found = frozenUnwritable.get(value);
    if (found === undefined) {
      found = holdsUnwritable(value);
      frozenUnwritable.set(value, found);
    }
    return found;
  }
  return holdsUnwritable(value);
}

/** The answers for deeply frozen (so unchanging) maps and lists: a chart's shared defaults, walked once. */
const frozenUnwritable = new WeakMap<object, boolean>();

function holdsUnwritable(value: object): boolean {
  if (Array.isArray(value)) return value.some(hasUnwritableCharacters);
  for (const key of Object.keys(value)) {
    if (UNWRITABLE.test(key) || hasUnwritableCharacters((value as Table)[key])) return true;
  }
  return false;
}

/** `hasUnwritableCharacters` as a template function (Go's `toJson` leaves these characters raw, as goJson does). */
export const HAS_UNWRITABLE_CHARACTERS = new TemplateFunction({
  name: 'tenant-cluster-lib.hasUnwritableCharacters',
  params: ['value'],
  result: 'bool',
  goBody: `{{- if regexMatch ${UNWRITABLE_GO} (toJson .value) }}true{{ end -}}`,
  evaluate: (value) => hasUnwritableCharacters(value),
});

/**
 * {@link unwritablePath} as a template function (recursive `include`). `typeIs "string"`, not `kindIs`:
 * Helm 3.18.0 gives chart defaults' numbers as json.Number, whose kind is string but which regexMatch refuses.
 */
export const UNWRITABLE_PATH = new TemplateFunction({
  name: 'tenant-cluster-lib.unwritablePath',
  params: ['value', 'path'],
  result: 'string',
  goBody: `
{{- $found := "" -}}
{{- if kindIs "map" .value -}}
{{- range $key, $item := .value -}}
{{- if not $found -}}
{{- $at := ternary $key (printf "%s.%s" $.path $key) (eq $.path "") -}}
{{- if regexMatch ${UNWRITABLE_GO} $key }}{{ $found = $at }}
{{- else }}{{ $found = include "tenant-cluster-lib.unwritablePath" (dict "value" $item "path" $at) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- else if kindIs "slice" .value -}}
{{- range $i, $item := .value -}}
{{- if not $found -}}
{{- $at := ternary (toString $i) (printf "%s.%d" $.path $i) (eq $.path "") -}}
{{- $found = include "tenant-cluster-lib.unwritablePath" (dict "value" $item "path" $at) -}}
{{- end -}}
{{- end -}}
{{- else if and (typeIs "string" .value) (regexMatch ${UNWRITABLE_GO} .value) -}}
{{- $found = .path -}}
{{- end -}}
{{- $found -}}`,
  evaluate: (value, path) => unwritablePath(value, String(path ?? '')),
});

/**
 * The `<chart>.labels` helper: a chart's standard labels as YAML lines, each value through `toJson`
 * (any string survives), which templates splice into `metadata.labels` with `nindent`, as Bitnami's
 * `common.labels.standard` is used. Constructs place it as a map key: `{ [`${labels.call()}`]: '', ...extra }`.
 * @param calls template functions the label values include (e.g. the fullname helper)
 */
export function labelsHelper(chartName: string, labels: Readonly<Record<string, Expr | string>>, calls: readonly TemplateFunction[] = []): TemplateFunction {
  const entries = Object.entries(labels);
  return new TemplateFunction({
    name: `${chartName}.labels`,
    params: [],
    takesRoot: true,
    result: 'map',
    yamlKeys: entries.map(([k]) => k),
    calls,
    rebuild: { factory: 'labels', args: { chartName, labels, calls } },
    goBody: entries.map(([k, v]) => `${scalarText(k)}: ${isExpr(v) ? `{{ ${bareCondition(v.go())} | toJson }}` : scalarText(v)}`).join('\n'),
    evaluate: (env) => Object.fromEntries(entries.map(([k, v]) => [k, isExpr(v) ? (v.evaluate(env as EvalEnv) ?? null) : v])),
  });
}

/** A map with the chart's standard labels (from {@link labelsHelper}) and `extra` after them. */
export function withLabels(helper: TemplateFunction, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { [`${helper.call()}`]: '', ...extra };
}

/** The conventional `<chart>.fullname` helper: `fullnameOverride`, else the release name. Never truncated: checked instead. */
export function fullnameHelper(chartName: string): TemplateFunction {
  return new TemplateFunction({
    name: `${chartName}.fullname`,
    params: [],
    result: 'string',
    takesRoot: true,
    variable: 'fullname',
    goBody: '{{- default .Release.Name .Values.fullnameOverride -}}',
    evaluate: (env) => {
      const e = env as { values: { fullnameOverride?: string }; release: { name: string } };
      return e.values.fullnameOverride || e.release.name;
    },
    rebuild: { factory: 'fullname', args: { chartName } },
  });
}

/** How chart models rebuild the helpers built per chart (see `TemplateFunctionProps.rebuild`). */
export const HELPER_FACTORIES = {
  fullname: (args: { chartName: string }) => fullnameHelper(args.chartName),
  labels: (args: { chartName: string; labels: Record<string, Expr | string>; calls: TemplateFunction[] }) => labelsHelper(args.chartName, args.labels, args.calls),
};
