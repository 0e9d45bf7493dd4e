/**
 * DESIGN.md §4 item 6, "Management-side workloads", as a checker over a rendered object set.
 *
 * Everything the `tenant-cluster` chart renders lands in the management cluster, in the release (tenant)
 * namespace. The checker looks at:
 * - every pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, bare Pod): resources,
 *   security context, images, ServiceAccount, selectors, PodDisruptionBudget, use of the admin kubeconfig;
 * - RBAC: namespaced Roles and RoleBindings in the release namespace, cluster-scoped RBAC only as a listed
 *   exception with a reason;
 * - the KamajiControlPlane: requests of every control plane container (they run as pods here too), and its extra
 *   containers and volumes (`spec.deployment.extraContainers`, `extraInitContainers`, `extraVolumes`: they run in
 *   the control plane pod) under every container rule;
 * - namespaces: every namespaced object in the release namespace, no other cluster-scoped kinds.
 * Flux `HelmRelease.spec.values` go to the tenant: they are data, never looked into.
 *
 * `checkManagementInvariants` returns every violation (empty: all invariants hold); each names its object
 * (`Kind/namespace/name`), the field path, the rule and what is wrong. The only containers that may break a rule
 * are those of the chart's one exception list, MANAGEMENT_INVARIANT_EXCEPTIONS (src/constructs/management/
 * invariant-exceptions.ts), and only the rules it names, as narrowly as it says.
 */
import {
  MANAGEMENT_INVARIANT_EXCEPTIONS, ManagementInvariantException, RuleExemption,
} from '../../src/constructs/management/invariant-exceptions';

export { MANAGEMENT_INVARIANT_EXCEPTIONS };
export type { ManagementInvariantException };

/** A rendered Kubernetes object (parsed YAML). */
export type K8sObject = Record<string, any>;

/** The rules; a test can assert that a mutation breaks exactly one of them. */
export const MANAGEMENT_RULES = [
  /** every container and init container requests CPU */
  'resources.requests.cpu',
  /** every container and init container requests memory */
  'resources.requests.memory',
  /** every container and init container has a memory limit (not below its request) */
  'resources.limits.memory',
  /** runAsNonRoot: true (pod or container; a container's own setting wins), and no runAsUser 0; excepted containers may run as UID 0 */
  'runAsNonRoot',
  /** allowPrivilegeEscalation: false on every container */
  'allowPrivilegeEscalation',
  /** no privileged container */
  'privileged',
  /** capabilities.drop contains ALL */
  'capabilities.drop',
  /** capabilities.add only as an exception lists it for that container */
  'capabilities.add',
  /** seccompProfile.type RuntimeDefault (pod or container; a container's own setting wins) */
  'seccompProfile',
  /** readOnlyRootFilesystem: true on every container */
  'readOnlyRootFilesystem',
  /** no host network/PID/IPC, no hostPath volumes (but an excepted container's listed one, mounted by it alone), no host ports */
  'hostAccess',
  /** images pinned by tag or digest, tag not `latest` */
  'image',
  /** serviceAccountName set and not `default` */
  'serviceAccount.name',
  /** the ServiceAccount is rendered by the chart, in the workload's namespace */
  'serviceAccount.missing',
  /** no two workloads share a ServiceAccount */
  'serviceAccount.shared',
  /** a workload's selector selects its own pod template and no other workload's */
  'selector',
  /** replicas > 1 has a PodDisruptionBudget selecting its pods; every PDB selects something and allows a disruption */
  'pdb',
  /** Roles and RoleBindings live in the release namespace, as do their ServiceAccount subjects */
  'rbac.namespace',
  /**
   * cluster-scoped objects (ClusterRoles, ClusterRoleBindings, admission policies and their bindings; RoleBindings to
   * ClusterRoles) only as listed exceptions, named `<namespace>.<…>` so that no two tenants' names can collide
   */
  'rbac.clusterScoped',
  /** bindings refer to rendered roles and bind only rendered ServiceAccounts */
  'rbac.binding',
  /** no `*` in apiGroups, resources or verbs */
  'rbac.wildcard',
  /** only the workloads that need it (KUBECONFIG_CONSUMERS) reference the admin kubeconfig Secret, and they do */
  'kubeconfig.consumer',
  /** the admin kubeconfig Secret reaches a pod only as a `secret` volume (not projected, not env) */
  'kubeconfig.secretVolume',
  /** every volumeMount of the admin kubeconfig is readOnly: true */
  'kubeconfig.readOnly',
  /** KamajiControlPlane: CPU and memory requests for apiServer, controllerManager, scheduler, Konnectivity server (its extra containers get the container rules) */
  'controlPlane.resources',
  /** every namespaced object in the release namespace; no cluster-scoped kinds besides the listed exceptions */
  'namespace',
] as const;

export type ManagementRule = (typeof MANAGEMENT_RULES)[number];

export interface Violation {
  /** `Kind/namespace/name` (namespace empty for cluster-scoped objects). */
  readonly object: string;
  /** Dotted field path inside the object, e.g. `spec.template.spec.containers[0].resources.limits.memory`. */
  readonly path: string;
  readonly rule: ManagementRule;
  readonly message: string;
}

/**
 * For tests of the checker itself: a Linux capability a management-side Deployment's container may add, matched by
 * workload component (see {@link isComponent}) and container name. The chart's own exceptions are
 * MANAGEMENT_INVARIANT_EXCEPTIONS (option `containerExceptions`); this list is empty unless a test passes one.
 */
export interface CapabilityException {
  /** Component of the workload (`app.kubernetes.io/component` label, or the end of the workload name). */
  readonly component: string;
  /** Container (or init container) name. */
  readonly container: string;
  /** Capability names without `CAP_` (e.g. `NET_ADMIN`). */
  readonly capabilities: readonly string[];
  readonly reason: string;
}

/** A cluster-scoped object the chart may render, with the reason the component cannot do without it. */
export interface ClusterScopedRbacException {
  readonly kind: 'ClusterRole' | 'ClusterRoleBinding' | 'ValidatingAdmissionPolicy' | 'ValidatingAdmissionPolicyBinding';
  /** Component it belongs to: matches the `app.kubernetes.io/component` label or the end of the object name. */
  readonly component: string;
  /** Why a namespaced Role does not do. */
  readonly reason: string;
}

/** Components of the tenant-cluster chart that mount the tenant's admin kubeconfig (DESIGN.md §4.6, §7). */
export const KUBECONFIG_CONSUMERS: readonly string[] = ['cloud-controller-manager', 'csi-controller', 'cluster-autoscaler'];

/**
 * The same with OpenStack workers (objects with an OpenStackCluster): the cloud-controller-manager and CSI controller
 * are OpenStack's (`openstack-cloud-controller-manager`, `cinder-csi-controller`: the suffixes match), and the
 * uninstall cleanup hook deletes the tenant's LoadBalancer Services through the tenant's API.
 */
export const OPENSTACK_KUBECONFIG_CONSUMERS: readonly string[] = [...KUBECONFIG_CONSUMERS, 'uninstall-cleanup'];

export interface ManagementInvariantOptions {
  /**
   * The release namespace. Default: the namespace of the KamajiControlPlane, else the most common
   * `metadata.namespace` of the objects.
   */
  readonly namespace?: string;
  /**
   * Names of the admin kubeconfig Secrets (`<control plane>-admin-kubeconfig`). Default: derived from the
   * KamajiControlPlanes in `objects`; any Secret name ending in `-admin-kubeconfig` counts as well.
   */
  readonly kubeconfigSecrets?: readonly string[];
  /** Components that need the admin kubeconfig. Default: {@link KUBECONFIG_CONSUMERS} ({@link OPENSTACK_KUBECONFIG_CONSUMERS} with an OpenStackCluster). */
  readonly kubeconfigConsumers?: readonly string[];
  /** Extra capabilities for Deployment containers, for tests of the checker. Default: none. */
  readonly capabilityExceptions?: readonly CapabilityException[];
  /** Containers that may break listed rules. Default: the chart's {@link MANAGEMENT_INVARIANT_EXCEPTIONS}. */
  readonly containerExceptions?: readonly ManagementInvariantException[];
  /** Cluster-scoped RBAC the chart may render. Default: none. */
  readonly clusterScopedRbac?: readonly ClusterScopedRbacException[];
}

// ---------------------------------------------------------------------------------------------
// Quantities
// ---------------------------------------------------------------------------------------------

const QUANTITY_SUFFIX: Record<string, number> = {
  'n': 1e-9, 'u': 1e-6, 'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
};

/**
 * A Kubernetes resource quantity in base units (cores for CPU, bytes for memory): `100m` → 0.1,
 * `64Mi` → 67108864, `1G` → 1e9, `2` → 2, `1.5` → 1.5, `1e3` → 1000. Throws on anything else.
 */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number' && Number.isFinite(q)) return q;
  if (typeof q !== 'string') throw new Error(`not a quantity: ${JSON.stringify(q)}`);
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(q.trim());
  if (!m) throw new Error(`not a quantity: ${JSON.stringify(q)}`);
  const n = Number(m[1]);
  if (m[2] !== undefined) return n * 10 ** Number(m[2].slice(1));
  return n * QUANTITY_SUFFIX[m[3] ?? ''];
}

function tryQuantity(q: unknown): number | undefined {
  try {
    return parseQuantity(q);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Object helpers
// ---------------------------------------------------------------------------------------------

/** `Kind/namespace/name`. */
export function objectId(o: K8sObject): string {
  return `${o?.kind}/${o?.metadata?.namespace ?? ''}/${o?.metadata?.name}`;
}

const isMap = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/** Kinds that carry a pod template, and where. */
const POD_TEMPLATE_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Pod: [],
};

/** Kinds with a `spec.replicas` (default 1). */
const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

/** Cluster-scoped kinds a chart might render (anything else is treated as namespaced). */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'PriorityClass', 'StorageClass', 'VolumeAttachment', 'CSIDriver', 'CSINode', 'IngressClass', 'RuntimeClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'VolumeSnapshotClass', 'GatewayClass',
  'ClusterIssuer', 'ClusterInstancetype', 'VirtualMachineClusterInstancetype', 'VirtualMachineClusterPreference',
  'FlowSchema', 'PriorityLevelConfiguration',
]);

export interface Workload {
  readonly object: K8sObject;
  readonly id: string;
  readonly namespace: string | undefined;
  /** Dotted path of the pod template (`spec.template`; empty for a Pod). */
  readonly templatePath: string;
  readonly template: K8sObject;
  readonly podSpec: K8sObject;
  readonly replicas: number;
}

/** Every object with a pod template. */
export function workloadsOf(objects: readonly K8sObject[]): Workload[] {
  const out: Workload[] = [];
  for (const o of objects) {
    const where = isMap(o) ? POD_TEMPLATE_PATHS[o.kind] : undefined;
    if (!where) continue;
    let template: any = o;
    for (const k of where) template = isMap(template) ? template[k] : undefined;
    const replicas = REPLICATED_KINDS.has(o.kind) ? Number(o.spec?.replicas ?? 1) : 1;
    out.push({
      object: o,
      id: objectId(o),
      namespace: o.metadata?.namespace,
      templatePath: where.join('.'),
      template: isMap(template) ? template : {},
      podSpec: isMap(template?.spec) ? template.spec : {},
      replicas,
    });
  }
  return out;
}

/** Whether an object belongs to a component: its `app.kubernetes.io/component` label, or its name is or ends in `-<component>`. */
export function isComponent(o: K8sObject, component: string): boolean {
  if (o?.metadata?.labels?.['app.kubernetes.io/component'] === component) return true;
  const name = String(o?.metadata?.name ?? '');
  return name === component || name.endsWith(`-${component}`) || name.endsWith(`.${component}`);
}

/** Whether a label selector (`matchLabels` + `matchExpressions`) selects the labels. An empty selector selects everything. */
export function selectorMatches(selector: unknown, labels: Record<string, unknown> | undefined): boolean {
  if (!isMap(selector)) return false;
  const have = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (have[k] !== v) return false;
  for (const e of list(selector.matchExpressions)) {
    const has = Object.prototype.hasOwnProperty.call(have, e.key);
    const values = list(e.values);
    switch (e.operator) {
      case 'In': if (!has || !values.includes(have[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(have[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

const selectorIsEmpty = (s: unknown) => !isMap(s) || (Object.keys(s.matchLabels ?? {}).length === 0 && list(s.matchExpressions).length === 0);

/**
 * The problem of an image reference, if any: it needs a tag or a digest, and the tag must not be `latest`.
 * A digest pins the image whatever the tag says.
 */
export function imageProblem(image: unknown): string | undefined {
  if (typeof image !== 'string' || image.trim() === '') return 'no image';
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return undefined;
  if (image.includes('@')) return `image ${JSON.stringify(image)}: malformed digest`;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return `image ${JSON.stringify(image)} has neither tag nor digest`;
  const tag = lastSegment.slice(colon + 1);
  if (tag === '') return `image ${JSON.stringify(image)} has an empty tag`;
  if (tag.toLowerCase() === 'latest') return `image ${JSON.stringify(image)} uses the tag "latest"`;
  return undefined;
}

/** An IntOrString disruption setting as the number of pods of `replicas` (percentages rounded up, as the disruption controller does). */
function scaled(v: unknown, replicas: number): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+%$/.test(v)) return Math.ceil((replicas * Number(v.slice(0, -1))) / 100);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** How many of `replicas` pods a PDB lets go at once (undefined: cannot tell). */
function allowedDisruptions(pdb: K8sObject, replicas: number): number | undefined {
  const spec = pdb.spec ?? {};
  if (present(spec.maxUnavailable)) return scaled(spec.maxUnavailable, replicas);
  if (present(spec.minAvailable)) {
    const min = scaled(spec.minAvailable, replicas);
    return min === undefined ? undefined : replicas - min;
  }
  return undefined;
}

const normalizeCapability = (c: unknown) => String(c).toUpperCase().replace(/^CAP_/, '');

/** A container of a pod spec with its field path and a description for messages. */
interface PodContainer {
  readonly c: any;
  readonly path: string;
  readonly what: string;
  readonly init: boolean;
}

/** The init containers, then the containers, of a pod spec (or of the control plane's extra containers). */
function podContainers(spec: Record<string, any>, initPath: string, path: string, initKey = 'initContainers', key = 'containers'): PodContainer[] {
  return [
    ...list(spec[initKey]).map((c, i) => ({ c, path: `${initPath}[${i}]`, what: `init container ${JSON.stringify(c?.name)}`, init: true })),
    ...list(spec[key]).map((c, i) => ({ c, path: `${path}[${i}]`, what: `container ${JSON.stringify(c?.name)}`, init: false })),
  ];
}

/** What a container may do beyond the rules: only what an exception lists for it. */
interface ContainerAllowances {
  /** Capabilities it may add (normalized, without `CAP_`). */
  readonly capabilities: readonly string[];
  readonly runAsRoot: boolean;
  /** Host paths it may mount. */
  readonly hostPaths?: ReadonlyArray<{ readonly path: string; readonly type: string }>;
}

const NO_ALLOWANCES: ContainerAllowances = { capabilities: [], runAsRoot: false, hostPaths: [] };

/** The allowances of the exceptions listed for a container of a workload kind. */
export function allowancesOf(exceptions: readonly ManagementInvariantException[], workload: string, container: unknown): ContainerAllowances {
  const exemptions: RuleExemption[] = exceptions.filter((e) => e.workload === workload && e.container === container).flatMap((e) => [...e.exemptions]);
  return {
    capabilities: exemptions.flatMap((e) => (e.rule === 'capabilities.add' ? e.capabilities.map(normalizeCapability) : [])),
    runAsRoot: exemptions.some((e) => e.rule === 'runAsNonRoot'),
    hostPaths: exemptions.flatMap((e) => (e.rule === 'hostAccess' ? [e.hostPath] : [])),
  };
}


// ---------------------------------------------------------------------------------------------
// The checker
// ---------------------------------------------------------------------------------------------

function releaseNamespace(objects: readonly K8sObject[], given: string | undefined): string | undefined {
  if (given !== undefined) return given;
  const kcp = objects.find((o) => o?.kind === 'KamajiControlPlane' && o.metadata?.namespace);
  if (kcp) return kcp.metadata.namespace;
  const counts = new Map<string, number>();
  for (const o of objects) {
    const ns = o?.metadata?.namespace;
    if (typeof ns === 'string') counts.set(ns, (counts.get(ns) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Checks DESIGN.md §4.6 over everything a tenant-cluster release renders; returns every violation. */
export function checkManagementInvariants(objects: readonly K8sObject[], options: ManagementInvariantOptions = {}): Violation[] {
  const violations: Violation[] = [];
  const add = (o: K8sObject | string, path: string, rule: ManagementRule, message: string) =>
    violations.push({ object: typeof o === 'string' ? o : objectId(o), path, rule, message });

  const namespace = releaseNamespace(objects, options.namespace);
  const capabilityExceptions = options.capabilityExceptions ?? [];
  const containerExceptions = options.containerExceptions ?? MANAGEMENT_INVARIANT_EXCEPTIONS;
  const clusterRbac = options.clusterScopedRbac ?? [];
  const consumers = options.kubeconfigConsumers
    ?? (objects.some((o) => o?.kind === 'OpenStackCluster') ? OPENSTACK_KUBECONFIG_CONSUMERS : KUBECONFIG_CONSUMERS);
  const kubeconfigSecrets = new Set(options.kubeconfigSecrets
    ?? objects.filter((o) => o?.kind === 'KamajiControlPlane').map((o) => `${o.metadata?.name}-admin-kubeconfig`));
  const isKubeconfigSecret = (name: unknown) => typeof name === 'string' && (kubeconfigSecrets.has(name) || name.endsWith('-admin-kubeconfig'));

  const workloads = workloadsOf(objects);
  const rendered = (kind: string, ns: string | undefined, name: unknown) => objects.some((o) =>
    o?.kind === kind && o.metadata?.name === name && (ns === undefined || (o.metadata?.namespace ?? namespace) === ns));

  /** Checks one container of a pod (a workload's or the control plane's) against every container rule, minus its allowances. */
  const checkContainer = (object: K8sObject, { c, path, what }: PodContainer, podSc: Record<string, any>, allowed: ContainerAllowances) => {
    const res = isMap(c?.resources) ? c.resources : {};
    if (!present(res.requests?.cpu)) add(object, `${path}.resources.requests.cpu`, 'resources.requests.cpu', `${what} has no CPU request`);
    if (!present(res.requests?.memory)) add(object, `${path}.resources.requests.memory`, 'resources.requests.memory', `${what} has no memory request`);
    if (!present(res.limits?.memory)) {
      add(object, `${path}.resources.limits.memory`, 'resources.limits.memory', `${what} has no memory limit`);
    } else if (present(res.requests?.memory)) {
      const limit = tryQuantity(res.limits.memory);
      const request = tryQuantity(res.requests.memory);
      if (limit === undefined) add(object, `${path}.resources.limits.memory`, 'resources.limits.memory', `${what}: memory limit ${JSON.stringify(res.limits.memory)} is not a quantity`);
      else if (request !== undefined && limit < request) add(object, `${path}.resources.limits.memory`, 'resources.limits.memory', `${what}: memory limit ${res.limits.memory} is below its request ${res.requests.memory}`);
    }

    const sc = isMap(c?.securityContext) ? c.securityContext : {};
    const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (allowed.runAsRoot) {
      // Excepted: may run as UID 0 (any other user is less privileged and passes too).
    } else if (runAsNonRoot !== true) {
      add(object, `${path}.securityContext.runAsNonRoot`, 'runAsNonRoot', `${what}: runAsNonRoot is ${JSON.stringify(runAsNonRoot ?? null)} (pod or container), must be true`);
    } else if ((sc.runAsUser ?? podSc.runAsUser) === 0) {
      add(object, `${path}.securityContext.runAsUser`, 'runAsNonRoot', `${what}: runAsUser 0 with runAsNonRoot true never starts`);
    }
    if (sc.allowPrivilegeEscalation !== false) {
      add(object, `${path}.securityContext.allowPrivilegeEscalation`, 'allowPrivilegeEscalation', `${what}: allowPrivilegeEscalation is ${JSON.stringify(sc.allowPrivilegeEscalation ?? null)}, must be false`);
    }
    if (sc.privileged === true) add(object, `${path}.securityContext.privileged`, 'privileged', `${what} is privileged`);
    const drop = list(sc.capabilities?.drop).map(normalizeCapability);
    if (!drop.includes('ALL')) add(object, `${path}.securityContext.capabilities.drop`, 'capabilities.drop', `${what}: capabilities.drop ${JSON.stringify(drop)} does not contain ALL`);
    list(sc.capabilities?.add).forEach((cap, i) => {
      const name = normalizeCapability(cap);
      if (!allowed.capabilities.includes(name)) add(object, `${path}.securityContext.capabilities.add[${i}]`, 'capabilities.add', `${what} adds ${name}, which no exception lists for it`);
    });
    const seccomp = sc.seccompProfile ?? podSc.seccompProfile;
    if (seccomp?.type !== 'RuntimeDefault') {
      add(object, `${path}.securityContext.seccompProfile.type`, 'seccompProfile', `${what}: seccompProfile.type is ${JSON.stringify(seccomp?.type ?? null)} (pod or container), must be RuntimeDefault`);
    }
    if (sc.readOnlyRootFilesystem !== true) {
      add(object, `${path}.securityContext.readOnlyRootFilesystem`, 'readOnlyRootFilesystem', `${what}: readOnlyRootFilesystem is ${JSON.stringify(sc.readOnlyRootFilesystem ?? null)}, must be true`);
    }
    list(c?.ports).forEach((p, i) => {
      if (present(p?.hostPort)) add(object, `${path}.ports[${i}].hostPort`, 'hostAccess', `${what} binds host port ${p.hostPort}`);
    });
    const imageIssue = imageProblem(c?.image);
    if (imageIssue) add(object, `${path}.image`, 'image', `${what}: ${imageIssue}`);
  };

  const exceptionFor = (o: K8sObject) => clusterRbac.find((e) => e.kind === o.kind && isComponent(o, e.component));
  // A cluster-scoped name must start with the release namespace and a dot: namespaces are DNS labels (no dot), so
  // two releases in different namespaces can never render the same name, whatever their release names.
  const checkClusterScopedName = (o: K8sObject) => {
    if (namespace !== undefined && !String(o.metadata?.name ?? '').startsWith(`${namespace}.`)) {
      add(o, 'metadata.name', 'rbac.clusterScoped', `cluster-scoped name ${JSON.stringify(o.metadata?.name)} does not start with "<release namespace>." (${JSON.stringify(`${namespace}.`)}): two tenants' releases could collide`);
    }
  };

  // --- namespaces -----------------------------------------------------------------------------
  for (const o of objects) {
    if (!isMap(o) || typeof o.kind !== 'string') continue;
    if (o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding') continue; // RBAC rules below
    if (o.kind === 'Role' || o.kind === 'RoleBinding') continue; // RBAC rules below
    if (CLUSTER_SCOPED_KINDS.has(o.kind) && exceptionFor(o)) {
      if (!present(exceptionFor(o)!.reason)) add(o, 'kind', 'rbac.clusterScoped', `the exception for ${o.kind} of ${exceptionFor(o)!.component} gives no reason`);
      checkClusterScopedName(o);
    } else if (CLUSTER_SCOPED_KINDS.has(o.kind)) {
      add(o, 'metadata', 'namespace', `${o.kind} is cluster-scoped: a tenant chart renders only namespaced objects in its release namespace`);
    } else if (namespace !== undefined && o.metadata?.namespace !== namespace) {
      add(o, 'metadata.namespace', 'namespace', `in namespace ${JSON.stringify(o.metadata?.namespace ?? null)}, not the release namespace ${JSON.stringify(namespace)}`);
    }
  }

  // --- pod templates ----------------------------------------------------------------------------
  for (const w of workloads) {
    const tp = w.templatePath === '' ? '' : `${w.templatePath}.`;
    const spec = w.podSpec;
    const podSc = isMap(spec.securityContext) ? spec.securityContext : {};
    const component = (c: string) => isComponent(w.object, c);

    // host access
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
      if (spec[f] === true) add(w.object, `${tp}spec.${f}`, 'hostAccess', `${f}: true`);
    }
    list(spec.volumes).forEach((v, i) => {
      if (isMap(v?.hostPath)) add(w.object, `${tp}spec.volumes[${i}].hostPath`, 'hostAccess', `hostPath volume ${JSON.stringify(v.name)}`);
    });

    const containers = podContainers(spec, `${tp}spec.initContainers`, `${tp}spec.containers`);
    for (const entry of containers) {
      // Deployments have no listed exceptions; tests of the checker may pass capabilities for a component's container.
      const capabilities = capabilityExceptions.filter((e) => component(e.component) && e.container === entry.c?.name).flatMap((e) => e.capabilities);
      checkContainer(w.object, entry, podSc, { capabilities: capabilities.map(normalizeCapability), runAsRoot: false });
    }

    // service account
    const sa = spec.serviceAccountName ?? spec.serviceAccount;
    if (!present(sa) || sa === 'default') {
      add(w.object, `${tp}spec.serviceAccountName`, 'serviceAccount.name', `serviceAccountName is ${JSON.stringify(sa ?? null)}: each workload needs a ServiceAccount of its own`);
    } else if (!rendered('ServiceAccount', w.namespace ?? namespace, sa)) {
      add(w.object, `${tp}spec.serviceAccountName`, 'serviceAccount.missing', `ServiceAccount ${JSON.stringify(sa)} is not rendered by the chart`);
    }

    // selector
    if (w.object.kind !== 'Pod' && w.object.kind !== 'Job' && w.object.kind !== 'CronJob') {
      const selector = w.object.spec?.selector;
      if (selectorIsEmpty(selector) || !selectorMatches(selector, w.template.metadata?.labels)) {
        add(w.object, 'spec.selector', 'selector', `spec.selector ${JSON.stringify(selector ?? null)} does not select the pod template labels ${JSON.stringify(w.template.metadata?.labels ?? {})}`);
      } else {
        for (const other of workloads) {
          if (other === w || (other.namespace ?? namespace) !== (w.namespace ?? namespace)) continue;
          if (selectorMatches(selector, other.template.metadata?.labels)) {
            add(w.object, 'spec.selector', 'selector', `spec.selector also selects the pods of ${other.id}`);
          }
        }
      }
    }

    // PodDisruptionBudget
    if (w.replicas > 1) {
      const pdbs = objects.filter((o) => o?.kind === 'PodDisruptionBudget' && (o.metadata?.namespace ?? namespace) === (w.namespace ?? namespace)
        && !selectorIsEmpty(o.spec?.selector) && selectorMatches(o.spec.selector, w.template.metadata?.labels));
      if (pdbs.length === 0) add(w.object, 'spec.replicas', 'pdb', `${w.replicas} replicas and no PodDisruptionBudget selects its pods`);
    }

    // admin kubeconfig
    const kubeconfigVolumes = new Set<string>();
    let references = 0;
    list(spec.volumes).forEach((v, i) => {
      if (isKubeconfigSecret(v?.secret?.secretName)) {
        kubeconfigVolumes.add(v.name);
        references++;
      }
      list(v?.projected?.sources).forEach((s, j) => {
        if (isKubeconfigSecret(s?.secret?.name)) {
          references++;
          add(w.object, `${tp}spec.volumes[${i}].projected.sources[${j}].secret`, 'kubeconfig.secretVolume', `the admin kubeconfig ${JSON.stringify(s.secret.name)} in a projected volume: mount it as a secret volume`);
        }
      });
    });
    for (const { c, path, what } of containers) {
      list(c?.env).forEach((e, i) => {
        if (isKubeconfigSecret(e?.valueFrom?.secretKeyRef?.name)) {
          references++;
          add(w.object, `${path}.env[${i}].valueFrom.secretKeyRef`, 'kubeconfig.secretVolume', `${what} reads the admin kubeconfig ${JSON.stringify(e.valueFrom.secretKeyRef.name)} into an environment variable: mount it as a read-only secret volume`);
        }
      });
      list(c?.envFrom).forEach((e, i) => {
        if (isKubeconfigSecret(e?.secretRef?.name)) {
          references++;
          add(w.object, `${path}.envFrom[${i}].secretRef`, 'kubeconfig.secretVolume', `${what} reads the admin kubeconfig ${JSON.stringify(e.secretRef.name)} into its environment: mount it as a read-only secret volume`);
        }
      });
      list(c?.volumeMounts).forEach((m, i) => {
        if (kubeconfigVolumes.has(m?.name) && m.readOnly !== true) {
          add(w.object, `${path}.volumeMounts[${i}].readOnly`, 'kubeconfig.readOnly', `${what} mounts the admin kubeconfig (volume ${JSON.stringify(m.name)}) writable: readOnly must be true`);
        }
      });
    }
    const consumer = consumers.some(component);
    if (references > 0 && !consumer) {
      add(w.object, `${tp}spec.volumes`, 'kubeconfig.consumer', `uses the tenant's admin kubeconfig, but only ${consumers.join(', ')} may`);
    } else if (consumer && kubeconfigSecrets.size > 0 && kubeconfigVolumes.size === 0) {
      add(w.object, `${tp}spec.volumes`, 'kubeconfig.consumer', `needs the tenant's admin kubeconfig (${[...kubeconfigSecrets].join(', ')}) as a secret volume, and mounts none`);
    }
  }

  // service accounts shared by several workloads
  const bySa = new Map<string, Workload[]>();
  for (const w of workloads) {
    const sa = w.podSpec.serviceAccountName ?? w.podSpec.serviceAccount;
    if (!present(sa) || sa === 'default') continue;
    const key = `${w.namespace ?? namespace}/${sa}`;
    bySa.set(key, [...(bySa.get(key) ?? []), w]);
  }
  for (const [key, ws] of bySa) {
    if (ws.length < 2) continue;
    for (const w of ws) {
      add(w.object, `${w.templatePath === '' ? '' : `${w.templatePath}.`}spec.serviceAccountName`, 'serviceAccount.shared',
        `ServiceAccount ${key} is shared by ${ws.map((x) => x.id).join(', ')}`);
    }
  }

  // PodDisruptionBudgets: each selects some workload and lets at least one pod go
  for (const pdb of objects.filter((o) => o?.kind === 'PodDisruptionBudget')) {
    const selector = pdb.spec?.selector;
    if (selectorIsEmpty(selector)) {
      add(pdb, 'spec.selector', 'pdb', 'empty selector: selects every pod in the namespace');
      continue;
    }
    const selected = workloads.filter((w) => (w.namespace ?? namespace) === (pdb.metadata?.namespace ?? namespace) && selectorMatches(selector, w.template.metadata?.labels));
    if (selected.length === 0) add(pdb, 'spec.selector', 'pdb', `selects no pod template the chart renders: ${JSON.stringify(selector)}`);
    if (selected.length > 1) add(pdb, 'spec.selector', 'pdb', `selects the pods of several workloads: ${selected.map((w) => w.id).join(', ')}`);
    for (const w of selected) {
      const allowed = allowedDisruptions(pdb, w.replicas);
      if (allowed === undefined) add(pdb, 'spec', 'pdb', 'neither a readable minAvailable nor maxUnavailable');
      else if (allowed < 1) add(pdb, 'spec', 'pdb', `allows no disruption of ${w.id} (${w.replicas} replicas): node drains in the management cluster would block`);
    }
  }

  // --- RBAC -------------------------------------------------------------------------------------
  const clusterRoleAllowed = (name: unknown) => clusterRbac.some((e) => e.kind === 'ClusterRole' && isComponent({ metadata: { name } }, e.component))
    || objects.some((o) => o?.kind === 'ClusterRole' && o.metadata?.name === name && exceptionFor(o));
  for (const o of objects) {
    if (!isMap(o)) continue;
    const roleLike = o.kind === 'Role' || o.kind === 'ClusterRole';
    const bindingLike = o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding';
    if (!roleLike && !bindingLike) continue;
    const clusterScoped = o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding';

    if (!clusterScoped && (namespace === undefined ? !present(o.metadata?.namespace) : o.metadata?.namespace !== namespace)) {
      add(o, 'metadata.namespace', 'rbac.namespace', `${o.kind} in namespace ${JSON.stringify(o.metadata?.namespace ?? null)}, not the release namespace ${JSON.stringify(namespace ?? null)}`);
    }
    if (clusterScoped) {
      const exception = exceptionFor(o);
      if (!exception) {
        add(o, 'kind', 'rbac.clusterScoped', `${o.kind} is not a listed cluster-scoped RBAC exception: use a namespaced ${o.kind === 'ClusterRole' ? 'Role' : 'RoleBinding'}`);
      } else if (!present(exception.reason)) {
        add(o, 'kind', 'rbac.clusterScoped', `the exception for ${o.kind} of ${exception.component} gives no reason`);
      }
      checkClusterScopedName(o);
    }
    if (roleLike) {
      list(o.rules).forEach((r, i) => {
        for (const f of ['apiGroups', 'resources', 'verbs']) {
          if (list(r?.[f]).includes('*')) add(o, `rules[${i}].${f}`, 'rbac.wildcard', `${f} contains "*"`);
        }
        if (list(r?.nonResourceURLs).some((u: string) => String(u).includes('*'))) add(o, `rules[${i}].nonResourceURLs`, 'rbac.wildcard', 'nonResourceURLs contains "*"');
      });
      if (isMap(o.aggregationRule)) add(o, 'aggregationRule', 'rbac.wildcard', 'an aggregated ClusterRole grants whatever other roles add');
    }
    if (bindingLike) {
      const ref = o.roleRef ?? {};
      if (ref.kind === 'ClusterRole') {
        if (!clusterRoleAllowed(ref.name)) {
          add(o, 'roleRef', 'rbac.clusterScoped', `binds ClusterRole ${JSON.stringify(ref.name)}, which is not a listed cluster-scoped RBAC exception`);
        }
      } else if (ref.kind === 'Role') {
        if (o.kind === 'ClusterRoleBinding' || !rendered('Role', o.metadata?.namespace ?? namespace, ref.name)) {
          add(o, 'roleRef', 'rbac.binding', `binds Role ${JSON.stringify(ref.name)}, which the chart does not render beside it`);
        }
      } else {
        add(o, 'roleRef.kind', 'rbac.binding', `roleRef.kind ${JSON.stringify(ref.kind ?? null)}`);
      }
      const subjects = list(o.subjects);
      if (subjects.length === 0) add(o, 'subjects', 'rbac.binding', 'no subjects');
      subjects.forEach((s, i) => {
        if (s?.kind !== 'ServiceAccount') {
          add(o, `subjects[${i}]`, 'rbac.binding', `binds ${s?.kind} ${JSON.stringify(s?.name)}: only the chart's own ServiceAccounts`);
          return;
        }
        if (namespace !== undefined && s.namespace !== namespace) {
          add(o, `subjects[${i}].namespace`, 'rbac.namespace', `ServiceAccount subject in namespace ${JSON.stringify(s.namespace ?? null)}, not the release namespace ${JSON.stringify(namespace)}`);
        } else if (!rendered('ServiceAccount', s.namespace, s.name)) {
          add(o, `subjects[${i}]`, 'rbac.binding', `binds ServiceAccount ${JSON.stringify(s.name)}, which the chart does not render`);
        }
      });
    }
  }

  // --- control plane ----------------------------------------------------------------------------
  for (const kcp of objects.filter((o) => o?.kind === 'KamajiControlPlane')) {
    const parts: Array<[string, unknown]> = [
      ['spec.apiServer', kcp.spec?.apiServer],
      ['spec.controllerManager', kcp.spec?.controllerManager],
      ['spec.scheduler', kcp.spec?.scheduler],
    ];
    const konnectivity = kcp.spec?.addons?.konnectivity;
    if (konnectivity !== undefined && konnectivity !== null) parts.push(['spec.addons.konnectivity.server', konnectivity.server]);
    for (const [path, part] of parts) {
      const requests = (part as any)?.resources?.requests;
      for (const r of ['cpu', 'memory']) {
        if (!present(requests?.[r])) add(kcp, `${path}.resources.requests.${r}`, 'controlPlane.resources', `no ${r} request: the control plane runs as pods in the management cluster`);
        else if (tryQuantity(requests[r]) === undefined) add(kcp, `${path}.resources.requests.${r}`, 'controlPlane.resources', `${r} request ${JSON.stringify(requests[r])} is not a quantity`);
      }
    }

    // Extra containers run in the control plane pod (Kamaji prepends them to its own; the pod has no security
    // context of ours): every container rule applies, relaxed only as MANAGEMENT_INVARIANT_EXCEPTIONS lists.
    const deployment = isMap(kcp.spec?.deployment) ? kcp.spec.deployment : {};
    const extra = podContainers(deployment, 'spec.deployment.extraInitContainers', 'spec.deployment.extraContainers', 'extraInitContainers', 'extraContainers');
    // The exceptions name containers of `extraContainers`; an init container of the same name gets nothing.
    const allowances = (entry: PodContainer) => (entry.init ? NO_ALLOWANCES : allowancesOf(containerExceptions, 'KamajiControlPlane', entry.c?.name));
    for (const entry of extra) checkContainer(kcp, entry, {}, allowances(entry));
    list(deployment.extraVolumes).forEach((v, i) => {
      const at = `spec.deployment.extraVolumes[${i}]`;
      if (isKubeconfigSecret(v?.secret?.secretName) || list(v?.projected?.sources).some((src) => isKubeconfigSecret(src?.secret?.name))) {
        add(kcp, at, 'kubeconfig.consumer', `the control plane pod's extra volume ${JSON.stringify(v?.name)} is the tenant's admin kubeconfig: only ${consumers.join(', ')} may use it`);
      }
      if (!isMap(v?.hostPath)) return;
      // A listed hostPath is allowed only when exactly the excepted containers mount it, each with that path and type.
      const mountedBy = extra.filter(({ c }) => list(c?.volumeMounts).some((m) => m?.name === v.name));
      const listed = (entry: PodContainer) => (allowances(entry).hostPaths ?? []).some((h) => h.path === v.hostPath.path && h.type === (v.hostPath.type ?? ''));
      const strangers = mountedBy.filter((entry) => !listed(entry));
      if (mountedBy.length === 0 || strangers.length > 0) {
        const who = strangers.length > 0 ? `, mounted by ${strangers.map((x) => x.what).join(', ')}, which no exception lists for it` : '';
        add(kcp, `${at}.hostPath`, 'hostAccess', `hostPath volume ${JSON.stringify(v.name)} (${JSON.stringify(v.hostPath.path)}, type ${JSON.stringify(v.hostPath.type ?? '')})${who}`);
      }
    });
  }

  return violations;
}

/** Violations as lines, for failure messages. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.object} ${v.path} [${v.rule}]: ${v.message}`).join('\n');
}
