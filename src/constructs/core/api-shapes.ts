/**
 * The two API targets' spellings of what the constructs render (DESIGN.md §6, issue 12): small pure functions
 * of `(target, target-neutral input)` that return the structure, with expressions, the target's API wants.
 * Constructs call them and never test the target themselves (a test holds every construct file but this one
 * to that), so that one model renders chart line 1.x (`v1beta1`: Cluster API v1beta1, Kamaji provider
 * `v1alpha1`, ≤ v0.19) and line 2.x (`v1beta2`: Cluster API v1beta2, Kamaji provider `v1alpha2`, ≥ v0.20).
 *
 * Each v1beta2 shape is what Cluster API's own conversion webhook makes of the v1beta1 shape
 * (kubernetes-sigs/cluster-api v1.13.5, functions cited below): a 2.x object equals the 1.x object after
 * conversion, so moving a tenant from 1.x to 2.x changes nothing Cluster API compares (test/api-shapes.test.ts
 * converts the 1.x render with a port of those functions and compares).
 */
import { IConstruct } from 'constructs';
import { Expr, whenField } from '../../expr';
import { ClusterV1Beta1 } from '../../imports/capi-cluster-v1beta1-cluster.x-k8s.io';
import { KubeadmConfigTemplateV1Beta1 } from '../../imports/capi-kubeadmconfigtemplate-v1beta1-bootstrap.cluster.x-k8s.io';
import { MachineDeploymentV1Beta1 } from '../../imports/capi-machinedeployment-v1beta1-cluster.x-k8s.io';
import { MachineHealthCheckV1Beta1 } from '../../imports/capi-machinehealthcheck-v1beta1-cluster.x-k8s.io';
import { KamajiControlPlane as KamajiControlPlaneV1Alpha1 } from '../../imports/kamaji-controlplane-v1alpha1-controlplane.cluster.x-k8s.io';
import { TemplateFunction } from '../../expr/functions';
import { ARGS_NAME_VALUE, CANONICAL_KUBEADM_CONFIG_TEMPLATE_SPEC, DURATION_SECONDS } from './api-shape-functions';
import type { TenantContext } from './tenant-context';

/** The API target of a chart version line: `v1beta1` for line 1.x, `v1beta2` for line 2.x (DESIGN.md §6). */
export type ApiTarget = 'v1beta1' | 'v1beta2';

/** Every API target, oldest first. */
export const API_TARGETS: readonly ApiTarget[] = ['v1beta1', 'v1beta2'];

/**
 * The construct-tree context key under which a chart holds its API target (set by the generator from the
 * chart definition before the chart's constructs are added; see src/generator/chart-model.ts).
 */
export const API_TARGET_CONTEXT = 'tenant-cluster:apiTarget';

/** The API target of the chart a construct is composed in: a constant of the chart definition, never a value. */
export function apiTargetOf(scope: IConstruct): ApiTarget {
  const target: unknown = scope.node.tryGetContext(API_TARGET_CONTEXT);
  if (target === 'v1beta1' || target === 'v1beta2') return target;
  throw new Error(`${scope.node.path}: no API target in the construct tree (context "${API_TARGET_CONTEXT}" is ${JSON.stringify(target)}); `
    + `compose it in a chart whose definition has an apiTarget (${API_TARGETS.join(' or ')})`);
}

/** The tenant's API target: `context.target`, else the chart's ({@link apiTargetOf}). */
export function targetOf(context: TenantContext, scope: IConstruct): ApiTarget {
  return context.target ?? apiTargetOf(scope);
}

/** The kinds whose API version depends on the target. */
export type TargetedKind = 'Cluster' | 'MachineDeployment' | 'MachineHealthCheck' | 'KubeadmConfigTemplate' | 'KamajiControlPlane';

/** An object's `apiVersion` and `kind`. */
export interface ApiKind {
  readonly apiVersion: string;
  readonly kind: string;
}

/**
 * API versions per target. v1beta1: the L1 classes imported from the Cluster API 1.10.10 and Kamaji provider
 * v0.19.0 CRDs. v1beta2: the storage versions of the Cluster API 1.13.5 CRDs (`cluster.x-k8s.io/v1beta2`,
 * `bootstrap.cluster.x-k8s.io/v1beta2`) and of the provider v0.20.0 CRD (`controlplane.cluster.x-k8s.io/v1alpha2`,
 * its only version: commit e8e211d "BREAKING CHANGE: API version changed from v1alpha1 to v1alpha2").
 * test/api-shapes.test.ts checks each against the vendored CRDs of its target.
 */
const API_VERSIONS: Readonly<Record<ApiTarget, Readonly<Record<TargetedKind, string>>>> = {
  v1beta1: {
    Cluster: ClusterV1Beta1.GVK.apiVersion,
    MachineDeployment: MachineDeploymentV1Beta1.GVK.apiVersion,
    MachineHealthCheck: MachineHealthCheckV1Beta1.GVK.apiVersion,
    KubeadmConfigTemplate: KubeadmConfigTemplateV1Beta1.GVK.apiVersion,
    KamajiControlPlane: KamajiControlPlaneV1Alpha1.GVK.apiVersion,
  },
  v1beta2: {
    Cluster: 'cluster.x-k8s.io/v1beta2',
    MachineDeployment: 'cluster.x-k8s.io/v1beta2',
    MachineHealthCheck: 'cluster.x-k8s.io/v1beta2',
    KubeadmConfigTemplate: 'bootstrap.cluster.x-k8s.io/v1beta2',
    KamajiControlPlane: 'controlplane.cluster.x-k8s.io/v1alpha2',
  },
};

/** `apiVersion` and `kind` of a kind whose version depends on the target. */
export function apiKind(target: ApiTarget, kind: TargetedKind): ApiKind {
  return { apiVersion: API_VERSIONS[target][kind], kind };
}

/**
 * A kind in its canonical version, the line 1.x (`v1beta1` target) one: what target-neutral inputs carry (the
 * kinds a reference points at, the shape a content hash is computed over); the shape functions turn it into the
 * target's spelling ({@link contractRef} keeps only its group on v1beta2).
 */
export function canonicalApiKind(kind: TargetedKind): ApiKind {
  return apiKind('v1beta1', kind);
}

/** The API group of an `apiVersion` (`group/version`); the core group (`v1`) has none and cannot be referenced. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  if (slash <= 0) throw new Error(`"${apiVersion}" has no API group: a Cluster API reference names an API group`);
  return apiVersion.slice(0, slash);
}

/**
 * A Cluster API reference to an object of the same namespace (Cluster `controlPlaneRef`/`infrastructureRef`,
 * MachineDeployment `bootstrap.configRef`/`infrastructureRef`).
 * - v1beta1: an ObjectReference `{apiVersion, kind, name}`, plus `namespace` where given;
 * - v1beta2: a ContractVersionedObjectReference `{apiGroup, kind, name}` (all three required by the CRD):
 *   Cluster API finds the version from the contract label of the referenced CRD. This is what its conversion
 *   makes of the v1beta1 reference: kubernetes-sigs/cluster-api v1.13.5 api/core/v1beta1/conversion.go
 *   `convertToContractVersionedObjectReference` (the group of `apiVersion`, `kind`, `name`; the namespace
 *   dropped), called for the Cluster from `(*Cluster).ConvertTo` and for a machine template from
 *   `convertMachineSpecToContractVersionedObjectReference`.
 * Only the group of `of.apiVersion` counts on v1beta2.
 */
export function contractRef(target: ApiTarget, of: ApiKind, name: string, namespace?: string): Record<string, string> {
  if (target === 'v1beta1') return { apiVersion: of.apiVersion, kind: of.kind, name, ...(namespace === undefined ? {} : { namespace }) };
  return { apiGroup: groupOf(of.apiVersion), kind: of.kind, name };
}

/**
 * A list that v1beta2 refuses empty (`minItems: 1`, e.g. KubeadmConfigTemplate `files`, `preKubeadmCommands`,
 * `postKubeadmCommands`): rendered as it is on v1beta1 (`[]` included, as line 1.x always did), omitted on
 * v1beta2 when `nonEmpty` is false. Cluster API's conversion drops such an empty list the same way: the v1beta2
 * fields are `omitempty` (kubernetes-sigs/cluster-api v1.13.5 api/bootstrap/kubeadm/v1beta2/kubeadm_types.go).
 * @param nonEmpty an expression true exactly when the list has an item
 */
export function omitIfEmpty(target: ApiTarget, nonEmpty: Expr, list: unknown): unknown {
  return target === 'v1beta1' ? list : whenField(nonEmpty, list);
}

/**
 * kubeadm extra arguments (`nodeRegistration.kubeletExtraArgs`): a map on v1beta1; on v1beta2 the list of
 * `{name, value}` sorted by name that Cluster API's `ConvertToArgs` makes of the map
 * (api/bootstrap/kubeadm/v1beta2/conversion.go; called by api/bootstrap/kubeadm/v1beta1/conversion.go
 * `Convert_v1beta1_NodeRegistrationOptions_To_v1beta2_NodeRegistrationOptions`), omitted when the map is empty
 * (the field is `omitempty` and the CRD says `minItems: 1`).
 */
export function kubeadmArgs(target: ApiTarget, args: Expr): unknown {
  return target === 'v1beta1' ? args : whenField(args, ARGS_NAME_VALUE.call(args));
}

/** A duration from the values and the value path it was read from (for the error message). */
export interface DurationValue {
  /** The duration (values format `Duration`, e.g. `10m`). */
  readonly value: Expr;
  /** Its value path, e.g. `nodeGroups.md0.healthCheck.nodeStartupTimeout`. */
  readonly path: Expr;
}

/**
 * A duration field: the duration string on v1beta1 (`metav1.Duration`), its integer seconds on v1beta2 (every
 * v1beta2 timeout is an int32 `…Seconds` field), computed as Cluster API's `ConvertToSeconds` computes it
 * (see DURATION_SECONDS).
 */
export function durationField(target: ApiTarget, duration: DurationValue): Expr {
  return target === 'v1beta1' ? duration.value : DURATION_SECONDS.call(duration.value, duration.path);
}

/** One condition of a node that makes a MachineHealthCheck remediate its machine. */
export interface UnhealthyNodeCondition {
  /** The Node condition type, e.g. `Ready`. */
  readonly type: string;
  /** Its status, e.g. `Unknown` or `False`. */
  readonly status: string;
  /** How long the node may be in it. */
  readonly timeout: DurationValue;
}

/** What a MachineHealthCheck checks and when it remediates, independent of the target. */
export interface HealthCheckInput {
  /** Remediate only while at most this many (int) or this share (`40%`) of the machines are unhealthy. */
  readonly maxUnhealthy: Expr;
  /** How long a machine may take to get a Node. */
  readonly nodeStartupTimeout: DurationValue;
  /** The node conditions that make a machine unhealthy (at least one). */
  readonly unhealthyNodeConditions: readonly UnhealthyNodeCondition[];
}

/**
 * The MachineHealthCheck `spec` fields besides `clusterName` and `selector`.
 * - v1beta1: `maxUnhealthy`, `nodeStartupTimeout`, `unhealthyConditions[{type, status, timeout}]`;
 * - v1beta2: `checks.nodeStartupTimeoutSeconds`, `checks.unhealthyNodeConditions[{type, status, timeoutSeconds}]`,
 *   `remediation.triggerIf.unhealthyLessThanOrEqualTo`: what api/core/v1beta1/conversion.go
 *   `Convert_v1beta1_MachineHealthCheckSpec_To_v1beta2_MachineHealthCheckSpec` makes of the v1beta1 fields
 *   (each timeout through `ConvertToSeconds`, `MaxUnhealthy` as it is).
 */
export function healthCheckSpec(target: ApiTarget, input: HealthCheckInput): Record<string, unknown> {
  if (input.unhealthyNodeConditions.length === 0) throw new Error('a MachineHealthCheck needs at least one unhealthy node condition (v1beta2: minItems 1)');
  if (target === 'v1beta1') {
    return {
      maxUnhealthy: input.maxUnhealthy,
      nodeStartupTimeout: input.nodeStartupTimeout.value,
      unhealthyConditions: input.unhealthyNodeConditions.map((c) => ({ type: c.type, status: c.status, timeout: c.timeout.value })),
    };
  }
  return {
    checks: {
      nodeStartupTimeoutSeconds: durationField(target, input.nodeStartupTimeout),
      unhealthyNodeConditions: input.unhealthyNodeConditions.map((c) => ({ type: c.type, status: c.status, timeoutSeconds: durationField(target, c.timeout) })),
    },
    remediation: { triggerIf: { unhealthyLessThanOrEqualTo: input.maxUnhealthy } },
  };
}

/** The kinds whose content-hashed name is computed over a canonical shape (see {@link canonicalHashForm}). */
export type CanonicallyHashedKind = 'KubeadmConfigTemplate';

/**
 * What a content-hashed name of `kind` hashes its `spec` through, so that the name is the same on both lines
 * (DESIGN.md §4.5: the hash is over the spec in its canonical, v1beta1, shape):
 * - v1beta1: nothing (the rendered spec is the canonical one; line 1.x hashes exactly what it always did);
 * - v1beta2: CANONICAL_KUBEADM_CONFIG_TEMPLATE_SPEC, the inverse of the v1beta2 shapes ({@link kubeadmArgs},
 *   {@link omitIfEmpty}). A KubeadmConfigTemplate renamed by the 1.x → 2.x upgrade would roll every machine
 *   (Cluster API's `MachineTemplateUpToDate` compares `spec.bootstrap.configRef`, name included).
 */
export function canonicalHashForm(target: ApiTarget, kind: CanonicallyHashedKind): TemplateFunction | undefined {
  const forms: Record<CanonicallyHashedKind, TemplateFunction> = { KubeadmConfigTemplate: CANONICAL_KUBEADM_CONFIG_TEMPLATE_SPEC };
  return target === 'v1beta1' ? undefined : forms[kind];
}

/**
 * The most characters a kubeadm argument's value may have: none on v1beta1 (`kubeletExtraArgs` is a map of strings);
 * 1024 on v1beta2 (`kubeletExtraArgs[].value`, `maxLength: 1024`, bootstrap.cluster.x-k8s.io_kubeadmconfigtemplates.yaml
 * of kubernetes-sigs/cluster-api v1.13.5), which the values allow longer (a flag value up to 4096, `node-labels`
 * joining up to 64 labels): line 2.x refuses such values at render time, naming them.
 */
export function kubeadmArgValueMaxLength(target: ApiTarget): number | undefined {
  return target === 'v1beta1' ? undefined : 1024;
}
