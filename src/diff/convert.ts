/**
 * The conversions an upgrade from chart line 1.x to 2.x goes through (DESIGN.md §6): Helm matches the 1.x and
 * 2.x objects by group and kind, not version (src/diff/objects.ts), and the API server holds the running 1.x
 * object in the new version after converting it. `diff` compares the 2.x manifest with that converted object,
 * so that only real changes remain and a pure change of API version shows as such.
 *
 * Each conversion ports the fields of Cluster API's conversion webhook (kubernetes-sigs/cluster-api v1.13.5)
 * that the charts render, plus the few neighbours upstream converts the same simple way; a field it does not
 * know passes through unchanged (and then shows as a change, never hides one). Test oracle: the independent
 * port in test/harness/capi-conversion.ts, which refuses unknown fields (test/diff.test.ts compares the two).
 */
import { parseGoDuration } from '../constructs/core/api-shape-functions';
import { ObjectConversion } from './compare';
import { groupOf, KubeObject } from './objects';

type Obj = Record<string, any>;

const CAPI = 'kubernetes-sigs/cluster-api v1.13.5';
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const MAX_INT32 = 2147483647;

/**
 * `ConvertToSeconds` (api/core/v1beta2/conversion.go): `math.Trunc(d.Seconds())`, capped at `math.MaxInt32`;
 * the duration read by Go's `time.ParseDuration` (a v1beta1 `metav1.Duration`), `Seconds()` in float64 as Go
 * computes it. A string Go cannot read stays as it is (the API server would have refused the v1beta1 object).
 */
export function convertToSeconds(duration: unknown): unknown {
  if (typeof duration !== 'string') return duration;
  const nanoseconds = parseGoDuration(duration);
  if (nanoseconds === undefined) return duration;
  const second = 1_000_000_000n;
  const seconds = Math.trunc(Number(nanoseconds / second) + Number(nanoseconds % second) / 1e9);
  return seconds > MAX_INT32 ? MAX_INT32 : seconds;
}

/** api/core/v1beta1/conversion.go `convertToContractVersionedObjectReference`: the group of apiVersion, kind, name. */
export function contractVersionedReference(ref: unknown): unknown {
  if (!isObj(ref) || !('apiVersion' in ref)) return ref;
  return { apiGroup: groupOf(String(ref.apiVersion ?? '')), kind: ref.kind, name: ref.name };
}

/**
 * api/bootstrap/kubeadm/v1beta2/conversion.go `ConvertToArgs`: one `{name, value}` per key, sorted by name with
 * Go's `<` (bytewise; the value breaks ties, which cannot happen for map keys).
 */
export function convertToArgs(args: Record<string, unknown>): Array<{ name: string; value: string }> {
  return Object.keys(args)
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
    .map((name) => ({ name, value: String(args[name]) }));
}

/** Moves `from[key]` to `to[target]` through `convert`, when present. */
function move(from: Obj, key: string, to: Obj, target: string, convert: (v: unknown) => unknown = (v) => v): void {
  if (from[key] === undefined) return;
  to[target] = convert(from[key]);
  delete from[key];
}

/** `json:",omitempty"` / `omitzero` of the v1beta2 types: an empty string, list or struct is not written. */
function omitEmpty(o: Obj, key: string): void {
  const v = o[key];
  if (v === '' || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0)) delete o[key];
}

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

/** `(*Cluster).ConvertTo`: the control plane and infrastructure references become contract-versioned references. */
function convertCluster(o: KubeObject): KubeObject {
  const out = clone(o);
  const spec = (out.spec ??= {}) as Obj;
  for (const ref of ['controlPlaneRef', 'infrastructureRef']) if (spec[ref] !== undefined) spec[ref] = contractVersionedReference(spec[ref]);
  return out;
}

/**
 * `(*MachineDeployment).ConvertTo`: the machine template's references (`convertMachineSpecToContractVersionedObjectReference`)
 * and `Convert_v1beta1_MachineSpec_To_v1beta2_MachineSpec`'s deletion timeouts in seconds.
 */
function convertMachineDeployment(o: KubeObject): KubeObject {
  const out = clone(o);
  const machine = out.spec?.template?.spec as Obj | undefined;
  if (!isObj(machine)) return out;
  if (isObj(machine.bootstrap) && machine.bootstrap.configRef !== undefined) {
    machine.bootstrap.configRef = contractVersionedReference(machine.bootstrap.configRef);
  }
  if (machine.infrastructureRef !== undefined) machine.infrastructureRef = contractVersionedReference(machine.infrastructureRef);
  const deletion: Obj = { ...(machine.deletion ?? {}) };
  move(machine, 'nodeDrainTimeout', deletion, 'nodeDrainTimeoutSeconds', convertToSeconds);
  move(machine, 'nodeVolumeDetachTimeout', deletion, 'nodeVolumeDetachTimeoutSeconds', convertToSeconds);
  move(machine, 'nodeDeletionTimeout', deletion, 'nodeDeletionTimeoutSeconds', convertToSeconds);
  if (Object.keys(deletion).length > 0) machine.deletion = deletion;
  return out;
}

/** api/core/v1beta1/conversion.go `Convert_v1beta1_MachineHealthCheckSpec_To_v1beta2_MachineHealthCheckSpec`. */
function convertMachineHealthCheck(o: KubeObject): KubeObject {
  const out = clone(o);
  const spec = out.spec as Obj | undefined;
  if (!isObj(spec)) return out;
  const checks: Obj = { ...(spec.checks ?? {}) };
  const conditions = (list: unknown) => (Array.isArray(list) ? list.map((c: Obj) => {
    const { timeout, ...rest } = c;
    return { ...rest, timeoutSeconds: convertToSeconds(timeout) };
  }) : list);
  move(spec, 'nodeStartupTimeout', checks, 'nodeStartupTimeoutSeconds', convertToSeconds);
  move(spec, 'unhealthyConditions', checks, 'unhealthyNodeConditions', conditions);
  move(spec, 'unhealthyMachineConditions', checks, 'unhealthyMachineConditions', conditions);
  omitEmpty(checks, 'unhealthyNodeConditions');
  omitEmpty(checks, 'unhealthyMachineConditions');
  const triggerIf: Obj = { ...(spec.remediation?.triggerIf ?? {}) };
  move(spec, 'maxUnhealthy', triggerIf, 'unhealthyLessThanOrEqualTo');
  move(spec, 'unhealthyRange', triggerIf, 'unhealthyInRange');
  omitEmpty(triggerIf, 'unhealthyInRange');
  if (Object.keys(checks).length > 0) spec.checks = checks;
  if (Object.keys(triggerIf).length > 0) spec.remediation = { ...(spec.remediation ?? {}), triggerIf };
  return out;
}

/**
 * api/bootstrap/kubeadm/v1beta1/conversion.go `Convert_v1beta1_NodeRegistrationOptions_To_v1beta2_NodeRegistrationOptions`
 * (`kubeletExtraArgs` through `ConvertToArgs`), for the join and init configurations, and the v1beta2 types'
 * `omitempty` on the lists the charts may render empty.
 */
function convertKubeadmConfigTemplate(o: KubeObject): KubeObject {
  const out = clone(o);
  const spec = out.spec?.template?.spec as Obj | undefined;
  if (!isObj(spec)) return out;
  for (const configuration of ['joinConfiguration', 'initConfiguration']) {
    const registration = spec[configuration]?.nodeRegistration as Obj | undefined;
    if (!isObj(registration)) continue;
    if (isObj(registration.kubeletExtraArgs)) registration.kubeletExtraArgs = convertToArgs(registration.kubeletExtraArgs);
    omitEmpty(registration, 'kubeletExtraArgs');
    omitEmpty(registration, 'ignorePreflightErrors');
  }
  for (const list of ['files', 'preKubeadmCommands', 'postKubeadmCommands', 'mounts']) omitEmpty(spec, list);
  return out;
}

function capiConversion(group: string, kind: string, fromVersion: string, toVersion: string, source: string,
  convert: (o: KubeObject) => KubeObject): ObjectConversion {
  return {
    group, kind, fromVersion, toVersion, source,
    convert: (o) => ({ ...convert(o), apiVersion: `${group}/${toVersion}` }),
  };
}

/** The conversions from chart line 1.x's API versions to 2.x's. */
export const LINE_CONVERSIONS: readonly ObjectConversion[] = [
  capiConversion('cluster.x-k8s.io', 'Cluster', 'v1beta1', 'v1beta2', `${CAPI} api/core/v1beta1/conversion.go (*Cluster).ConvertTo`, convertCluster),
  capiConversion('cluster.x-k8s.io', 'MachineDeployment', 'v1beta1', 'v1beta2', `${CAPI} api/core/v1beta1/conversion.go (*MachineDeployment).ConvertTo`,
    convertMachineDeployment),
  capiConversion('cluster.x-k8s.io', 'MachineHealthCheck', 'v1beta1', 'v1beta2',
    `${CAPI} api/core/v1beta1/conversion.go Convert_v1beta1_MachineHealthCheckSpec_To_v1beta2_MachineHealthCheckSpec`, convertMachineHealthCheck),
  capiConversion('bootstrap.cluster.x-k8s.io', 'KubeadmConfigTemplate', 'v1beta1', 'v1beta2',
    `${CAPI} api/bootstrap/kubeadm/v1beta1/conversion.go (*KubeadmConfigTemplate).ConvertTo`, convertKubeadmConfigTemplate),
  // The Kamaji provider's v0.20.0 dropped v1alpha1 without a conversion (commit e8e211d); the spec fields the chart
  // renders are the same in both versions (test/chart-lines.test.ts computes the CRD schema diff), so the object
  // the bridge procedure of the README ("From 1.x to 2.x") stores is the v1alpha1 one under the new version.
  capiConversion('controlplane.cluster.x-k8s.io', 'KamajiControlPlane', 'v1alpha1', 'v1alpha2',
    'clastix/cluster-api-control-plane-provider-kamaji v0.20.0: no conversion; the rendered spec fields are the same in v1alpha1 and v1alpha2', clone),
];
