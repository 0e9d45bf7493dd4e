/**
 * Template functions of the API shapes (api-shapes.ts), in a module of their own: the CLI renders from a
 * precompiled model and finds them here (src/template-functions.ts) without loading any construct.
 *
 * Each repeats, for values known only at render time, what Cluster API's own conversion from v1beta1 to
 * v1beta2 does, so that the 2.x line renders exactly what the API server would hold after converting the
 * 1.x object (kubernetes-sigs/cluster-api v1.13.5).
 */
// Module paths rather than the expr index: the CLI loads this and no more of the model.
import { RenderError, TemplateFunction } from '../../expr/functions';
import { goSortedKeys } from '../../expr/go-json';

/** `1<<63`: the bound of Go's `time.ParseDuration` (a `time.Duration` is an int64 of nanoseconds). */
const GO_DURATION_BOUND = 1n << 63n;
/** Nanoseconds per unit of Go's `time.ParseDuration` (`unitMap` of src/time/format.go). */
const GO_DURATION_UNITS: Readonly<Record<string, bigint>> = {
  'ns': 1n, 'us': 1_000n, '\u00b5s': 1_000n, '\u03bcs': 1_000n, 'ms': 1_000_000n, 's': 1_000_000_000n, 'm': 60_000_000_000n, 'h': 3_600_000_000_000n,
};
/** The longest duration Go can hold, as Go prints it (`time.Duration(math.MaxInt64).String()`). */
export const MAX_GO_DURATION = '2562047h47m16.854775807s';
/** `math.MaxInt32`: where Cluster API caps a duration converted to seconds. */
const MAX_INT32 = 2147483647;
const NANOSECONDS_PER_SECOND = 1_000_000_000n;

/**
 * Go's `time.ParseDuration` (go1.19 … go1.24 src/time/format.go `ParseDuration`, `leadingInt`,
 * `leadingFraction`), statement by statement: nanoseconds as a BigInt (Go's uint64), the fraction of each
 * component through float64 exactly as Go computes it (`v += uint64(float64(f) * (float64(unit) / scale))`,
 * which is not always the exact decimal value: `0.99999999999999999h` is one hour), and `undefined` where Go
 * returns an error (a malformed string, or more than `1<<63 - 1` nanoseconds).
 */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  let negative = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let d = 0n;
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return undefined;
    // leadingInt: overflow is an error.
    let i = 0;
    let v = 0n;
    for (; i < s.length && isDigit(s[i]); i++) {
      if (v > GO_DURATION_BOUND / 10n) return undefined;
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > GO_DURATION_BOUND) return undefined;
    }
    const pre = i > 0;
    s = s.slice(i);
    // leadingFraction: digits past what fits in an int64 are read and ignored.
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s !== '' && s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      for (; j < s.length && isDigit(s[j]); j++) {
        if (overflow) continue;
        if (f > (GO_DURATION_BOUND - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
        if (y > GO_DURATION_BOUND) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) return undefined;
    let u = 0;
    while (u < s.length && !(s[u] === '.' || isDigit(s[u]))) u++;
    if (u === 0) return undefined;
    const unit = Object.prototype.hasOwnProperty.call(GO_DURATION_UNITS, s.slice(0, u)) ? GO_DURATION_UNITS[s.slice(0, u)] : undefined;
    s = s.slice(u);
    if (unit === undefined) return undefined;
    if (v > GO_DURATION_BOUND / unit) return undefined;
    v *= unit;
    if (f > 0n) {
      // Go: float64(f) rounds to nearest (as Number(bigint) does); uint64(x) truncates.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > GO_DURATION_BOUND) return undefined;
    }
    d += v;
    if (d > GO_DURATION_BOUND) return undefined;
  }
  if (negative) return -d;
  if (d > GO_DURATION_BOUND - 1n) return undefined;
  return d;
}

/** Whether a duration string has a component whose integer part is not zero (so it is at least 1ns when Go reads it). */
const NONZERO_COMPONENT = '(^|[a-z])0*[1-9]';

/**
 * A duration string (values format `Duration`) as the integer seconds of the v1beta2 fields that replace
 * Cluster API's v1beta1 durations (`nodeStartupTimeoutSeconds`, `timeoutSeconds`, …), computed as Cluster
 * API's conversion computes them: `ConvertToSeconds` is `math.Trunc(d.Seconds())`, capped at `math.MaxInt32`
 * (kubernetes-sigs/cluster-api v1.13.5 api/core/v1beta2/conversion.go), with Go's `Duration.Seconds()` =
 * `float64(d / Second) + float64(d % Second) / 1e9` (src/time/time.go), in float64: `16777216.999999999s` is
 * 16777217 seconds. So that a 2.x object equals the converted 1.x
 * one. Fails, naming `path`, for a duration longer than Go can hold (which Cluster API's v1beta1 API refuses
 * too: its `metav1.Duration` is read with `time.ParseDuration`).
 *
 * The Go body reads the duration with Go's own `time.ParseDuration`, through sprig's `dateModify` (which adds
 * it to a time; sprig v3.3.0 date.go `dateModify`, which returns the time unchanged when parsing fails), from
 * the Unix epoch in UTC, and takes the seconds (`unixEpoch`) and nanoseconds back; a duration that read as
 * zero although a component has a non-zero integer part failed to parse (the schema's pattern leaves only
 * overflow). Then `Seconds()` in float64: sprig's `divf`/`addf` compute in decimal and round once to float64,
 * which here gives Go's result: the sum `sec + nsec/1e9` of an integer below 2^31 and a 9-digit fraction is
 * never within float64 rounding of a rounding boundary (the tests pin the boundaries from 2^24 seconds up,
 * where the float64 sum starts to round up to the next second).
 */
export const DURATION_SECONDS = new TemplateFunction({
  name: 'tenant-cluster-lib.durationSeconds',
  params: ['duration', 'path'],
  result: 'int',
  goBody: `
{{- $t := dateModify .duration (toDate "2006-01-02T15:04:05Z07:00" "1970-01-01T00:00:00Z") -}}
{{- $sec := unixEpoch $t | int64 -}}
{{- $nsec := dateInZone ".000000000" $t "UTC" | trimPrefix "." | atoi -}}
{{- if and (eq $sec 0) (eq $nsec 0) (regexMatch "${NONZERO_COMPONENT}" .duration) -}}
{{- fail (printf "%s: %q is longer than a duration can be (at most ${MAX_GO_DURATION})" .path .duration) -}}
{{- end -}}
{{- if ge $sec ${MAX_INT32} }}${MAX_INT32}{{ else }}{{ floor (addf (float64 $sec) (divf $nsec 1000000000)) | int64 }}{{ end -}}`,
  evaluate: (duration, path) => {
    const text = String(duration);
    // What the Go body sees: a duration that fails to parse leaves the epoch unchanged (0 seconds, 0 nanoseconds).
    const nanoseconds = parseGoDuration(text) ?? 0n;
    // `Unix()` and `Nanosecond()` of the epoch plus the duration: seconds rounded down, nanoseconds 0…999999999.
    let sec = nanoseconds / NANOSECONDS_PER_SECOND;
    if (nanoseconds < 0n && nanoseconds % NANOSECONDS_PER_SECOND !== 0n) sec -= 1n;
    const nsec = nanoseconds - sec * NANOSECONDS_PER_SECOND;
    if (sec === 0n && nsec === 0n && new RegExp(NONZERO_COMPONENT).test(text)) {
      throw new RenderError(`${String(path)}: ${JSON.stringify(text)} is longer than a duration can be (at most ${MAX_GO_DURATION})`);
    }
    if (sec >= BigInt(MAX_INT32)) return MAX_INT32;
    // Go's Duration.Seconds() in float64, then Trunc (Floor: the schema admits no negative duration).
    return Math.floor(Number(sec) + Number(nsec) / 1e9);
  },
});

/**
 * A map of flags as the v1beta2 list of `{name, value}`, sorted by name: Cluster API's `ConvertToArgs`
 * (kubernetes-sigs/cluster-api v1.13.5 api/bootstrap/kubeadm/v1beta2/conversion.go: one `Arg` per key,
 * sorted by name with Go's `<`, i.e. bytewise, which is the order of Go's `range` over a map), used for
 * v1beta1 `kubeletExtraArgs` and every other `extraArgs` map of the kubeadm bootstrap API
 * (api/bootstrap/kubeadm/v1beta1/conversion.go `Convert_v1beta1_NodeRegistrationOptions_To_v1beta2_NodeRegistrationOptions`).
 */
export const ARGS_NAME_VALUE = new TemplateFunction({
  name: 'tenant-cluster-lib.argsNameValue',
  params: ['args'],
  result: 'list',
  goBody: `
{{- $out := list -}}
{{- range $name, $value := .args -}}
{{- $out = append $out (dict "name" $name "value" (toString $value)) -}}
{{- end -}}
{{- toJson $out -}}`,
  evaluate: (args) => goSortedKeys((args ?? {}) as object).map((name) => ({ name, value: String((args as Record<string, unknown>)[name]) })),
});

/**
 * A KubeadmConfigTemplate `spec` in its canonical (v1beta1, line 1.x) shape, whatever shape it was rendered in: the
 * input of the content hash that names the template, so that the template keeps its name from line 1.x to line 2.x
 * (DESIGN.md §4.5). Cluster API rolls every machine of a MachineDeployment whose `spec.template.spec.bootstrap`
 * changes (kubernetes-sigs/cluster-api v1.13.5 internal/controllers/machinedeployment/mdutil/util.go
 * `MachineTemplateUpToDate` compares it with `reflect.DeepEqual`), and the reference holds the template's name.
 *
 * The inverse of what line 2.x renders differently (api-shapes.ts `kubeadmArgs`, `omitIfEmpty`), exact because line
 * 1.x always renders these fields: `joinConfiguration.nodeRegistration.kubeletExtraArgs` back from the list of
 * `{name, value}` to the map (absent: `{}`), `files`, `preKubeadmCommands` and `postKubeadmCommands` back to `[]` where
 * absent. A spec
 * already in the v1beta1 shape comes back unchanged.
 */
export const CANONICAL_KUBEADM_CONFIG_TEMPLATE_SPEC = new TemplateFunction({
  name: 'tenant-cluster-lib.canonicalKubeadmConfigTemplateSpec',
  params: ['spec'],
  result: 'map',
  goBody: `
{{- $spec := deepCopy .spec -}}
{{- $s := dig "template" "spec" dict $spec -}}
{{- $join := dig "joinConfiguration" dict $s -}}
{{- if hasKey $join "nodeRegistration" -}}
{{- $registration := $join.nodeRegistration -}}
{{- if not (kindIs "map" (get $registration "kubeletExtraArgs")) -}}
{{- $args := dict -}}
{{- range $arg := (get $registration "kubeletExtraArgs" | default list) -}}
{{- $_ := set $args $arg.name $arg.value -}}
{{- end -}}
{{- $_ := set $registration "kubeletExtraArgs" $args -}}
{{- end -}}
{{- end -}}
{{- range $list := list "files" "preKubeadmCommands" "postKubeadmCommands" -}}
{{- if not (hasKey $s $list) }}{{ $_ := set $s $list list }}{{ end -}}
{{- end -}}
{{- toJson $spec -}}`,
  evaluate: (spec) => {
    const copy = JSON.parse(JSON.stringify(spec ?? {})) as Record<string, any>;
    const s = copy.template?.spec;
    if (s === null || typeof s !== 'object') return copy;
    const registration = s.joinConfiguration?.nodeRegistration;
    if (registration !== null && typeof registration === 'object') {
      const args: unknown = registration.kubeletExtraArgs;
      if (args === undefined || args === null || Array.isArray(args)) {
        registration.kubeletExtraArgs = Object.fromEntries(((args ?? []) as Array<{ name: string; value: unknown }>).map((a) => [a.name, a.value]));
      }
    }
    for (const list of ['files', 'preKubeadmCommands', 'postKubeadmCommands']) if (!(list in s)) s[list] = [];
    return copy;
  },
});

/**
 * The first flag (in name order) of an args map whose value has more than `max` characters (Unicode code points,
 * as the API server counts a string's `maxLength`), or `""`: for v1beta2's bound on a kubeadm argument's value
 * (KubeadmConfigTemplate `kubeletExtraArgs[].value`, `maxLength: 1024` in the kubernetes-sigs/cluster-api v1.13.5
 * CRD), where v1beta1's map had none.
 */
export const ARG_VALUE_LONGER_THAN = new TemplateFunction({
  name: 'tenant-cluster-lib.argValueLongerThan',
  params: ['args', 'max'],
  result: 'string',
  variable: 'tooLongArg',
  goBody: `
{{- $found := "" -}}
{{- range $name, $value := .args -}}
{{- if and (eq $found "") (gt (len (splitList "" (toString $value))) (int $.max)) }}{{ $found = $name }}{{ end -}}
{{- end -}}
{{- $found -}}`,
  evaluate: (args, max) => goSortedKeys((args ?? {}) as object)
    .find((name) => [...String((args as Record<string, unknown>)[name])].length > Number(max)) ?? '',
});
