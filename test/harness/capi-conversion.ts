/**
 * A port of Cluster API's conversion webhook from v1beta1 to v1beta2, for the fields the charts render, as the
 * oracle of the shape functions (src/constructs/core/api-shapes.ts): the 2.x render of a values document must
 * equal the 1.x render after this conversion. Each function names the upstream function it ports
 * (kubernetes-sigs/cluster-api v1.13.5). A field the port does not know is an error, so that a construct that
 * starts rendering a new field gets its conversion written (and checked) here first.
 *
 * Durations: the caller passes Cluster API's `ConvertToSeconds` as a lookup (test/data/duration-seconds, computed
 * by Go), so that this oracle does not share the code it checks.
 */
type Obj = Record<string, any>;

/** `ConvertToSeconds` of a v1beta1 duration string (api/core/v1beta2/conversion.go). */
export type ConvertToSeconds = (duration: string) => number;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Fails on a key the port does not convert. */
function known(o: Obj, at: string, keys: readonly string[]): void {
  const unknown = Object.keys(o).filter((k) => !keys.includes(k));
  if (unknown.length > 0) throw new Error(`capi-conversion: ${at} has fields the port does not convert: ${unknown.join(', ')}`);
}

/** `schema.ParseGroupVersion(apiVersion).Group`. */
function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** api/core/v1beta1/conversion.go `convertToContractVersionedObjectReference`: group of apiVersion, kind, name. */
export function convertToContractVersionedObjectReference(ref: Obj, at: string): Obj {
  known(ref, at, ['apiVersion', 'kind', 'name', 'namespace']);
  return { apiGroup: groupOf(ref.apiVersion ?? ''), kind: ref.kind, name: ref.name };
}

/** `json:",omitempty"` of a v1beta2 slice: an empty list is not written. */
function omitEmpty(o: Obj, key: string): void {
  if (Array.isArray(o[key]) && o[key].length === 0) delete o[key];
}

/** api/bootstrap/kubeadm/v1beta2/conversion.go `ConvertToArgs`: one `{name, value}` per key, sorted by name (Go `<`: bytewise). */
export function convertToArgs(args: Record<string, string>): Array<{ name: string; value: string }> {
  return Object.keys(args)
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
    .map((name) => ({ name, value: args[name] }));
}

/** `(*Cluster).ConvertTo`: the references become ContractVersionedObjectReferences; clusterNetwork is the same. */
function convertCluster(o: Obj): Obj {
  const spec = { ...o.spec };
  known(spec, 'Cluster.spec', ['clusterNetwork', 'controlPlaneRef', 'infrastructureRef']);
  if (spec.controlPlaneRef) spec.controlPlaneRef = convertToContractVersionedObjectReference(spec.controlPlaneRef, 'Cluster.spec.controlPlaneRef');
  if (spec.infrastructureRef) spec.infrastructureRef = convertToContractVersionedObjectReference(spec.infrastructureRef, 'Cluster.spec.infrastructureRef');
  return { ...o, apiVersion: 'cluster.x-k8s.io/v1beta2', spec };
}

/** `(*MachineDeployment).ConvertTo` → `convertMachineSpecToContractVersionedObjectReference` for the template's references. */
function convertMachineDeployment(o: Obj): Obj {
  known(o.spec, 'MachineDeployment.spec', ['clusterName', 'replicas', 'selector', 'template']);
  known(o.spec.template, 'MachineDeployment.spec.template', ['metadata', 'spec']);
  const machine = { ...o.spec.template.spec };
  // `failureDomain` (OpenStack) is the same string in v1beta2 (`Convert_v1beta1_MachineSpec_To_v1beta2_MachineSpec` copies it).
  known(machine, 'MachineDeployment.spec.template.spec', ['clusterName', 'version', 'bootstrap', 'infrastructureRef', 'failureDomain']);
  known(machine.bootstrap, 'MachineDeployment.spec.template.spec.bootstrap', ['configRef']);
  machine.bootstrap = { configRef: convertToContractVersionedObjectReference(machine.bootstrap.configRef, 'bootstrap.configRef') };
  machine.infrastructureRef = convertToContractVersionedObjectReference(machine.infrastructureRef, 'infrastructureRef');
  return { ...o, apiVersion: 'cluster.x-k8s.io/v1beta2', spec: { ...o.spec, template: { ...o.spec.template, spec: machine } } };
}

/** `Convert_v1beta1_MachineHealthCheckSpec_To_v1beta2_MachineHealthCheckSpec`. */
function convertMachineHealthCheck(o: Obj, seconds: ConvertToSeconds): Obj {
  const { clusterName, selector, maxUnhealthy, nodeStartupTimeout, unhealthyConditions, ...rest } = o.spec;
  known(rest, 'MachineHealthCheck.spec', []);
  const checks: Obj = {};
  if (nodeStartupTimeout !== undefined) checks.nodeStartupTimeoutSeconds = seconds(nodeStartupTimeout);
  if (Array.isArray(unhealthyConditions) && unhealthyConditions.length > 0) {
    checks.unhealthyNodeConditions = unhealthyConditions.map((c: Obj) => ({ type: c.type, status: c.status, timeoutSeconds: seconds(c.timeout) }));
  }
  const spec: Obj = { clusterName, selector };
  // `omitzero` on checks and remediation: an empty struct is not written.
  if (Object.keys(checks).length > 0) spec.checks = checks;
  if (maxUnhealthy !== undefined) spec.remediation = { triggerIf: { unhealthyLessThanOrEqualTo: maxUnhealthy } };
  return { ...o, apiVersion: 'cluster.x-k8s.io/v1beta2', spec };
}

/**
 * KubeadmConfigTemplate, `spec.template.spec` as rendered: api/bootstrap/kubeadm/v1beta1/conversion.go
 * `Convert_v1beta1_NodeRegistrationOptions_To_v1beta2_NodeRegistrationOptions` (`kubeletExtraArgs` through
 * `ConvertToArgs`; `taints` kept, also empty: `ptr.To(in.Taints)`), and the v1beta2 types' `omitempty` on
 * `files`, `preKubeadmCommands`, `postKubeadmCommands`, `mounts`, `ignorePreflightErrors`, `kubeletExtraArgs`.
 */
function convertKubeadmConfigTemplate(o: Obj): Obj {
  const spec = { ...o.spec.template.spec };
  known(spec, 'KubeadmConfigTemplate.spec.template.spec', ['joinConfiguration', 'diskSetup', 'mounts', 'files', 'preKubeadmCommands', 'postKubeadmCommands']);
  if (spec.joinConfiguration) {
    const join = { ...spec.joinConfiguration };
    known(join, 'joinConfiguration', ['discovery', 'nodeRegistration']);
    if (join.nodeRegistration) {
      const registration = { ...join.nodeRegistration };
      // `name` (OpenStack: the instance's name) is the same string in v1beta2 NodeRegistrationOptions.
      known(registration, 'nodeRegistration', ['name', 'kubeletExtraArgs', 'taints', 'ignorePreflightErrors']);
      if (isObj(registration.kubeletExtraArgs)) registration.kubeletExtraArgs = convertToArgs(registration.kubeletExtraArgs);
      omitEmpty(registration, 'kubeletExtraArgs');
      omitEmpty(registration, 'ignorePreflightErrors');
      join.nodeRegistration = registration;
    }
    spec.joinConfiguration = join;
  }
  for (const list of ['files', 'preKubeadmCommands', 'postKubeadmCommands', 'mounts']) omitEmpty(spec, list);
  return { ...o, apiVersion: 'bootstrap.cluster.x-k8s.io/v1beta2', spec: { ...o.spec, template: { ...o.spec.template, spec } } };
}

/**
 * A rendered 1.x object as Cluster API 1.13 holds it in v1beta2 (and the KamajiControlPlane as `v1alpha2`, whose
 * spec the Kamaji provider did not change for the fields we render; it ships no conversion). Other objects are
 * returned as they are.
 */
export function convertToV1beta2(o: Obj, seconds: ConvertToSeconds): Obj {
  switch (`${o.apiVersion} ${o.kind}`) {
    case 'cluster.x-k8s.io/v1beta1 Cluster': return convertCluster(o);
    case 'cluster.x-k8s.io/v1beta1 MachineDeployment': return convertMachineDeployment(o);
    case 'cluster.x-k8s.io/v1beta1 MachineHealthCheck': return convertMachineHealthCheck(o, seconds);
    case 'bootstrap.cluster.x-k8s.io/v1beta1 KubeadmConfigTemplate': return convertKubeadmConfigTemplate(o);
    case 'controlplane.cluster.x-k8s.io/v1alpha1 KamajiControlPlane': return { ...o, apiVersion: 'controlplane.cluster.x-k8s.io/v1alpha2' };
    default: return o;
  }
}
