/**
 * What an upgrade does to a running tenant, by the upstream components' own rules: which changes roll
 * machines, recreate control-plane pods, reinstall or upgrade a release inside the tenant, or edit a field
 * the API server or a webhook refuses to change. One list, each rule with the upstream source it comes
 * from; `tenant-cluster diff` applies it, the chart upgrade tests assert with it, and the README table is
 * written from it.
 *
 * Rules read the rendered objects only (never a cluster). A rule that depends on a version of a kind
 * reads both spellings (Cluster API v1beta1 refs carry `apiVersion`, v1beta2 refs `apiGroup`), so the 2.x
 * line plugs in without new rules.
 */
import { createHash } from 'crypto';
import { deepEqual, diffValues, formatPath, valueAt } from './field-diff';
import { groupOf, identityKey, KubeObject } from './objects';

/** What a change does to a running tenant; each flagged change makes `diff --exit-code` fail. */
export type Flag =
  | 'ROLLS MACHINES'
  | 'RECREATES CONTROL PLANE PODS'
  | 'REINSTALLS IN TENANT'
  | 'UPGRADES IN TENANT'
  | 'EDITS IMMUTABLE FIELD'
  | 'DELETES';

/** Every flag, most disruptive first (the order of the summary). */
export const FLAGS: readonly Flag[] = [
  'EDITS IMMUTABLE FIELD', 'DELETES', 'REINSTALLS IN TENANT', 'ROLLS MACHINES', 'RECREATES CONTROL PLANE PODS', 'UPGRADES IN TENANT',
];

/** The objects of both sides, for rules that follow a reference (a HelmRelease's OCIRepository). */
export interface RuleContext {
  /** Old objects by {@link identityKey}. */
  readonly before: ReadonlyMap<string, KubeObject>;
  /** New objects by {@link identityKey}. */
  readonly after: ReadonlyMap<string, KubeObject>;
  readonly releaseNamespace: string;
}

/** One upstream behaviour: which change of which kind it reacts to, and where upstream does it. */
export interface ChangeRule {
  readonly flag: Flag;
  /** API group of the kinds (`''` for core). */
  readonly group: string;
  readonly kinds: readonly string[];
  /** The fields it compares, as the README lists them. */
  readonly fields: string;
  /** What upstream does with such a change, and where (repository, tag, file, function). */
  readonly source: string;
  /** For an object on both sides: one message per effect, empty when the rule does not fire. */
  readonly check: (before: KubeObject, after: KubeObject, ctx: RuleContext) => string[];
}

function show(v: unknown): string {
  if (v === undefined) return '(unset)';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** `path old → new` for each dotted path whose value differs. */
function changedPaths(before: KubeObject, after: KubeObject, paths: readonly string[]): string[] {
  return paths.filter((p) => !deepEqual(valueAt(before, p), valueAt(after, p)))
    .map((p) => `${p} ${show(valueAt(before, p))} → ${show(valueAt(after, p))}`);
}

/** The changed leaves under each dotted path, as paths (`spec.scheduler.resources.requests.cpu`), at most `max` then a count. */
function changedLeaves(before: KubeObject, after: KubeObject, paths: readonly string[], max = 4): string[] {
  const leaves = paths.flatMap((p) => diffValues(valueAt(before, p), valueAt(after, p), p.split('.')).map((c) => formatPath(c.path)));
  return leaves.length <= max ? leaves : [...leaves.slice(0, max), `${leaves.length - max} more`];
}

/**
 * A rule that a field may not change once set. `whenBothSet` for CRD transition rules on optional fields
 * (evaluated only when the old and the new object both have the field); `defaults` for fields the API
 * server defaults when the manifest leaves them out (the live object holds the default).
 */
function immutable(group: string, kinds: readonly string[], paths: readonly string[], source: string,
  opts: { whenBothSet?: boolean; defaults?: Record<string, unknown> } = {}): ChangeRule {
  return {
    flag: 'EDITS IMMUTABLE FIELD',
    group,
    kinds,
    fields: paths.join(', '),
    source,
    check: (before, after) => paths.flatMap((p) => {
      const a = valueAt(before, p) ?? opts.defaults?.[p];
      const b = valueAt(after, p) ?? opts.defaults?.[p];
      if (opts.whenBothSet && (a === undefined || b === undefined)) return [];
      return deepEqual(a, b) ? [] : [`${p} ${show(a)} → ${show(b)}: the API refuses the update, so the upgrade fails`];
    }),
  };
}

const CAPK_WEBHOOK = 'kubernetes-sigs/cluster-api-provider-kubevirt v0.10.5 and v0.11.2 pkg/webhookhandler/validator.go validateUpdate: '
  + '"KubevirtMachineTemplateSpec is immutable" (reflect.DeepEqual of old and new spec)';
const CAPO_WEBHOOK = 'kubernetes-sigs/cluster-api-provider-openstack v0.14.7 pkg/webhooks/openstackmachinetemplate_webhook.go ValidateUpdate: '
  + '"spec.template.spec field is immutable. Please create a new resource instead"';
const CAPI_WEBHOOKS = 'kubernetes-sigs/cluster-api v1.10.10 (and v1.13.5) internal/webhooks/';
const K8S_STORAGE = 'kubernetes/kubernetes pkg/apis/storage/validation/validation.go (stored copy, search id 699239685)';
const KCP_CRD_V019 = 'clastix/cluster-api-control-plane-provider-kamaji v0.19.0 (and v0.20.0) CRD kamajicontrolplanes, x-kubernetes-validations with oldSelf '
  + '(test/schemas/crds/kamaji-controlplane-provider*/)';

/** The `{group, kind, name}` a Cluster API reference points at, in either spelling (v1beta1 apiVersion, v1beta2 apiGroup). */
export function refTarget(ref: unknown): { group: string; kind: string; name: string } | undefined {
  if (ref === null || typeof ref !== 'object') return undefined;
  const r = ref as Record<string, unknown>;
  const group = typeof r.apiGroup === 'string' ? r.apiGroup : groupOf(String(r.apiVersion ?? ''));
  return { group, kind: String(r.kind ?? ''), name: String(r.name ?? '') };
}

/**
 * The MachineDeployment template fields Cluster API compares to decide that the MachineSet (and so every
 * Machine) is out of date: `MachineTemplateUpToDate` compares `version`, the whole `bootstrap` (configRef or
 * dataSecretName), `infrastructureRef` and `failureDomain` after `MachineTemplateDeepCopyRolloutFields` drops
 * labels, annotations, clusterName, timeouts, readiness gates, the references' versions and namespaces
 * (v1.10.10, internal/controllers/machinedeployment/mdutil/util.go:374-452) or compares v1beta2's
 * `{apiGroup, kind, name}` references whole (v1.13.5, same file :361-440). Either way: group, kind, name.
 */
export function machineRolloutFields(md: KubeObject): Record<string, unknown> {
  const spec = (valueAt(md, 'spec.template.spec') ?? {}) as Record<string, any>;
  return {
    version: spec.version,
    'bootstrap.configRef': refTarget(spec.bootstrap?.configRef),
    'bootstrap.dataSecretName': spec.bootstrap?.dataSecretName,
    infrastructureRef: refTarget(spec.infrastructureRef),
    failureDomain: spec.failureDomain,
  };
}

/** How many machines a MachineDeployment runs, as its rendered manifest says. */
export function machineCount(md: KubeObject): string {
  const a = (md.metadata?.annotations ?? {}) as Record<string, string>;
  const min = a['cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size'];
  const max = a['cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size'];
  if (min !== undefined || max !== undefined) return `autoscaled ${min ?? '?'}–${max ?? '?'} machines`;
  const replicas = md.spec?.replicas;
  return replicas === undefined ? 'replicas not set' : `${replicas} machine${replicas === 1 ? '' : 's'}`;
}

function showRef(v: unknown): string {
  if (v && typeof v === 'object' && 'name' in v) return String((v as { name: unknown }).name);
  return show(v);
}

const MACHINE_ROLLOUT: ChangeRule = {
  flag: 'ROLLS MACHINES',
  group: 'cluster.x-k8s.io',
  kinds: ['MachineDeployment'],
  fields: 'spec.template.spec: version, bootstrap (configRef group/kind/name, dataSecretName), infrastructureRef (group/kind/name), failureDomain',
  source: 'kubernetes-sigs/cluster-api v1.10.10 internal/controllers/machinedeployment/mdutil/util.go MachineTemplateUpToDate and '
    + 'MachineTemplateDeepCopyRolloutFields (v1.13.5: the same fields, v1beta2 references): a difference makes a new MachineSet '
    + 'and replaces every Machine; other template fields propagate in place',
  check: (before, after) => {
    const a = machineRolloutFields(before);
    const b = machineRolloutFields(after);
    const changed = Object.keys(a).filter((k) => !deepEqual(a[k], b[k]));
    if (changed.length === 0) return [];
    return [`${changed.map((k) => `${k} ${showRef(a[k])} → ${showRef(b[k])}`).join('; ')} (${machineCount(after)})`];
  },
};

/**
 * KamajiControlPlane fields that change the Deployment Kamaji renders for the control plane, so that its
 * pods are replaced. The provider copies the KCP spec into the TenantControlPlane
 * (clastix/cluster-api-control-plane-provider-kamaji v0.19.0 controllers/kamajicontrolplane_controller_tcp.go
 * createOrUpdateTenantControlPlane); Kamaji builds the Deployment from it (clastix/kamaji 26.8.2-edge
 * internal/builders/controlplane/deployment.go `Build`: images from the version and registry, every
 * component's args, resources, probes and volume mounts, the apiserver's `--enable-admission-plugins`,
 * `--kubelet-preferred-address-types` and `--advertise-address`, the pod template's labels and annotations,
 * node selector, tolerations, affinity, spread, runtime class, service account, extra containers and
 * volumes; konnectivity_server.go adds the Konnectivity server container from `addons.konnectivity.server`).
 * The datastore fields change the storage config and its checksum annotation on the pod template.
 * Not here (no pod change): replicas, `addons.coreDNS`, `addons.kubeProxy`, `addons.konnectivity.agent`
 * (tenant-side), the Service's type-independent metadata and load balancer settings, `kubelet.cgroupfs` and
 * `kubelet.configurationJSONPatches` (the tenant kubelets' config), `deployment.additionalMetadata` and
 * `deployment.strategy` (the Deployment's own metadata and strategy).
 */
export const CONTROL_PLANE_POD_FIELDS: readonly string[] = [
  'spec.version', 'spec.registry', 'spec.dataStoreName', 'spec.dataStoreSchema', 'spec.dataStoreUsername', 'spec.dataStoreOverrides',
  'spec.admissionControllers', 'spec.apiServer', 'spec.controllerManager', 'spec.scheduler', 'spec.kine',
  'spec.kubelet.preferredAddressTypes', 'spec.addons.konnectivity.server', 'spec.network.serviceType', 'spec.network.serviceAddress',
  'spec.network.advertiseAddress', 'spec.network.ingress.hostname', 'spec.network.gateway.hostname',
  'spec.deployment.nodeSelector', 'spec.deployment.runtimeClassName', 'spec.deployment.podAdditionalMetadata',
  'spec.deployment.serviceAccountName', 'spec.deployment.affinity', 'spec.deployment.tolerations',
  'spec.deployment.topologySpreadConstraints', 'spec.deployment.extraInitContainers', 'spec.deployment.extraContainers',
  'spec.deployment.extraVolumes', 'spec.deployment.probes',
];

function controlPlaneReplicas(kcp: KubeObject): string {
  const r = kcp.spec?.replicas;
  return r === undefined ? 'replicas not set' : `${r} replica${r === 1 ? '' : 's'}`;
}

const CONTROL_PLANE_PODS: ChangeRule = {
  flag: 'RECREATES CONTROL PLANE PODS',
  group: 'controlplane.cluster.x-k8s.io',
  kinds: ['KamajiControlPlane'],
  fields: `${CONTROL_PLANE_POD_FIELDS.map((p) => p.replace(/^spec\./, '')).join(', ')}; the presence of addons.konnectivity; `
    + 'a certificate SAN added (network.certSANs)',
  source: 'clastix/cluster-api-control-plane-provider-kamaji v0.19.0 controllers/kamajicontrolplane_controller_tcp.go (KCP → TenantControlPlane); '
    + 'clastix/kamaji 26.8.2-edge internal/builders/controlplane/deployment.go Build, konnectivity_server.go; '
    + 'internal/resources/api_server_certificate.go regenerates the certificate when a SAN is missing, and the pod template '
    + 'carries its hash (deployment.go templateLabels)',
  check: (before, after) => {
    const out = changedLeaves(before, after, CONTROL_PLANE_POD_FIELDS);
    const hadKonnectivity = valueAt(before, 'spec.addons.konnectivity') !== undefined;
    const hasKonnectivity = valueAt(after, 'spec.addons.konnectivity') !== undefined;
    if (hadKonnectivity !== hasKonnectivity) out.push(`spec.addons.konnectivity ${hadKonnectivity ? 'removed' : 'added'}`);
    const sansBefore = (valueAt(before, 'spec.network.certSANs') ?? []) as unknown[];
    const added = ((valueAt(after, 'spec.network.certSANs') ?? []) as unknown[]).filter((s) => !sansBefore.includes(s));
    if (added.length > 0) out.push(`spec.network.certSANs + ${added.map(show).join(', ')} (a new API server certificate)`);
    return out.length === 0 ? [] : [`${out.join(', ')} (${controlPlaneReplicas(after)})`];
  },
};

/**
 * Cluster network fields the provider copies into the TenantControlPlane (controllers/kamajicontrolplane_controller_tcp.go
 * v0.19.0: apiServerPort → networkProfile.port, the first service and pod CIDR → serviceCidr/podCidr) and
 * Kamaji passes to the control plane's containers (deployment.go: `--secure-port` and the probes' port,
 * `--service-cluster-ip-range`, the controller manager's `--cluster-cidr`).
 */
const CLUSTER_NETWORK_PODS: ChangeRule = {
  flag: 'RECREATES CONTROL PLANE PODS',
  group: 'cluster.x-k8s.io',
  kinds: ['Cluster'],
  fields: 'spec.clusterNetwork: apiServerPort, services.cidrBlocks[0], pods.cidrBlocks[0]',
  source: CONTROL_PLANE_PODS.source,
  check: (before, after) => {
    const first = (o: KubeObject, p: string) => ((valueAt(o, p) ?? []) as unknown[])[0];
    const out = changedPaths(before, after, ['spec.clusterNetwork.apiServerPort']);
    for (const p of ['spec.clusterNetwork.services.cidrBlocks', 'spec.clusterNetwork.pods.cidrBlocks']) {
      if (!deepEqual(first(before, p), first(after, p))) out.push(`${p}[0] ${show(first(before, p))} → ${show(first(after, p))}`);
    }
    return out;
  },
};

/** The addons Kamaji installs into the tenant from the KamajiControlPlane (copied into the TenantControlPlane's `spec.addons`). */
const KAMAJI_TENANT_ADDONS = ['coreDNS', 'kubeProxy', 'konnectivity'];
const KAMAJI_ADDONS_SOURCE = 'clastix/kamaji 26.8.2-edge internal/resources/addons/coredns.go and kube_proxy.go ShouldCleanup '
  + '(the addon is removed from the tenant when its spec goes), internal/resources/konnectivity/agent.go; provider v0.19.0 '
  + 'controllers/kamajicontrolplane_controller_tcp.go copies spec.addons';

const KAMAJI_ADDON_REMOVED: ChangeRule = {
  flag: 'DELETES',
  group: 'controlplane.cluster.x-k8s.io',
  kinds: ['KamajiControlPlane'],
  fields: `spec.addons.${KAMAJI_TENANT_ADDONS.join('|')} removed`,
  source: KAMAJI_ADDONS_SOURCE,
  check: (before, after) => KAMAJI_TENANT_ADDONS
    .filter((a) => valueAt(before, `spec.addons.${a}`) !== undefined && valueAt(after, `spec.addons.${a}`) === undefined)
    .map((a) => `spec.addons.${a} removed: Kamaji removes ${a} from the tenant`),
};

const KAMAJI_ADDON_CHANGED: ChangeRule = {
  flag: 'UPGRADES IN TENANT',
  group: 'controlplane.cluster.x-k8s.io',
  kinds: ['KamajiControlPlane'],
  fields: `spec.addons.${KAMAJI_TENANT_ADDONS.join('|')} added or changed (for konnectivity: its agent)`,
  source: KAMAJI_ADDONS_SOURCE,
  check: (before, after) => {
    const out: string[] = [];
    for (const a of KAMAJI_TENANT_ADDONS) {
      const path = a === 'konnectivity' ? 'spec.addons.konnectivity.agent' : `spec.addons.${a}`;
      const [x, y] = [valueAt(before, path), valueAt(after, path)];
      if (y === undefined || deepEqual(x, y)) continue;
      out.push(x === undefined ? `${path} added: Kamaji installs it in the tenant` : `${changedLeaves(before, after, [path]).join(', ')}: Kamaji updates it in the tenant`);
    }
    return out;
  },
};

/** The release Flux's helm-controller manages for a HelmRelease: what `ReleaseTargetChanged` compares. */
export interface HelmReleaseTarget {
  /** `release.ShortenName(GetReleaseName())`. */
  readonly releaseName: string;
  readonly targetNamespace: string;
  readonly storageNamespace: string;
  /** The chart's name, where the manifest says it (`spec.chart.spec.chart`; for an OCIRepository, the last path segment of its URL). */
  readonly chartName?: string;
}

/** helm-controller v1.6.3 internal/release/name.go ShortenName: names over 53 characters become 40 characters, `-` and 12 hex of their sha256. */
export function shortenReleaseName(name: string): string {
  if (Buffer.byteLength(name) <= 53) return name;
  const sum = createHash('sha256').update(name).digest('hex');
  return `${Buffer.from(name).subarray(0, 40).toString()}-${sum.slice(0, 12)}`;
}

/** The OCIRepository (or other source) a HelmRelease's `chartRef` names, looked up among `objects`. */
function chartRefTarget(hr: KubeObject, objects: ReadonlyMap<string, KubeObject>, releaseNamespace: string): KubeObject | undefined {
  const ref = hr.spec?.chartRef;
  if (!ref) return undefined;
  const group = ref.kind === 'OCIRepository' ? 'source.toolkit.fluxcd.io' : ref.kind === 'HelmChart' ? 'source.toolkit.fluxcd.io' : '';
  const namespace = String(ref.namespace ?? hr.metadata?.namespace ?? releaseNamespace);
  return objects.get(identityKey({ group, kind: String(ref.kind), namespace, name: String(ref.name) }));
}

/**
 * helm-controller v1.6.3 api/v2/helmrelease_types.go GetReleaseName (`releaseName`, else
 * `<targetNamespace>-<name>`, else the name), GetReleaseNamespace (`targetNamespace`, else the HelmRelease's
 * namespace), GetStorageNamespace (`storageNamespace`, else the HelmRelease's namespace).
 */
export function helmReleaseTarget(hr: KubeObject, objects: ReadonlyMap<string, KubeObject>, releaseNamespace: string): HelmReleaseTarget {
  const namespace = String(hr.metadata?.namespace ?? releaseNamespace);
  const spec = (hr.spec ?? {}) as Record<string, any>;
  const targetNamespace = spec.targetNamespace ? String(spec.targetNamespace) : namespace;
  const releaseName = spec.releaseName ? String(spec.releaseName)
    : spec.targetNamespace ? `${spec.targetNamespace}-${hr.metadata?.name}` : String(hr.metadata?.name);
  let chartName: string | undefined = spec.chart?.spec?.chart;
  const source = chartRefTarget(hr, objects, releaseNamespace);
  if (chartName === undefined && source?.kind === 'OCIRepository' && typeof source.spec?.url === 'string') {
    chartName = source.spec.url.replace(/\/+$/, '').split('/').pop();
  }
  return {
    releaseName: shortenReleaseName(releaseName),
    targetNamespace,
    storageNamespace: spec.storageNamespace ? String(spec.storageNamespace) : namespace,
    chartName,
  };
}

const HELM_RELEASE_REINSTALL: ChangeRule = {
  flag: 'REINSTALLS IN TENANT',
  group: 'helm.toolkit.fluxcd.io',
  kinds: ['HelmRelease'],
  fields: 'the release name (spec.releaseName, or targetNamespace-name, shortened), spec.targetNamespace, spec.storageNamespace, '
    + 'the chart name (unless spec.upgrade.chartNameChangeStrategy: InPlaceUpdate)',
  source: 'fluxcd/helm-controller v1.6.3 internal/action/verify.go ReleaseTargetChanged, internal/controller/helmrelease_controller.go:376 '
    + '(uninstall the release, then install anew); api/v2/helmrelease_types.go GetChartNameChangeStrategy (default Reinstall)',
  check: (before, after, ctx) => {
    const a = helmReleaseTarget(before, ctx.before, ctx.releaseNamespace);
    const b = helmReleaseTarget(after, ctx.after, ctx.releaseNamespace);
    const out: string[] = [];
    for (const k of ['releaseName', 'targetNamespace', 'storageNamespace'] as const) {
      if (a[k] !== b[k]) out.push(`${k} ${show(a[k])} → ${show(b[k])}`);
    }
    const inPlace = valueAt(after, 'spec.upgrade.chartNameChangeStrategy') === 'InPlaceUpdate';
    if (a.chartName !== b.chartName && !inPlace) out.push(`chart ${show(a.chartName)} → ${show(b.chartName)}`);
    return out.length === 0 ? [] : [`${out.join('; ')}: helm-controller uninstalls ${show(a.releaseName)} from the tenant, then installs anew`];
  },
};

/** The fields whose change makes helm-controller upgrade the release (after a reinstall, nothing more to say). */
const HELM_RELEASE_UPGRADE_FIELDS = ['spec.chart.spec.version', 'spec.values', 'spec.valuesFrom', 'spec.postRenderers', 'spec.commonMetadata'];

const HELM_RELEASE_UPGRADE: ChangeRule = {
  flag: 'UPGRADES IN TENANT',
  group: 'helm.toolkit.fluxcd.io',
  kinds: ['HelmRelease'],
  fields: `${HELM_RELEASE_UPGRADE_FIELDS.join(', ')}; for spec.chartRef the source's spec.url and spec.ref`,
  source: 'fluxcd/helm-controller v1.6.3 internal/reconcile/state.go DetermineReleaseState: OutOfSync on a chart change '
    + '(ErrChartChanged), a values digest change (ErrConfigDigest), a post-renderers or common-metadata digest change; then upgrade',
  check: (before, after, ctx) => {
    if (HELM_RELEASE_REINSTALL.check(before, after, ctx).length > 0) return [];
    const out: string[] = [];
    const version = changedPaths(before, after, ['spec.chart.spec.version']);
    out.push(...version);
    const a = chartRefTarget(before, ctx.before, ctx.releaseNamespace);
    const b = chartRefTarget(after, ctx.after, ctx.releaseNamespace);
    if (a || b) {
      if (a?.kind !== b?.kind || a?.metadata?.name !== b?.metadata?.name) out.push(`spec.chartRef ${show(before.spec?.chartRef)} → ${show(after.spec?.chartRef)}`);
      out.push(...changedPaths(a ?? {}, b ?? {}, ['spec.url', 'spec.ref']).map((m) => `${b?.kind ?? a?.kind} ${m}`));
    }
    for (const p of HELM_RELEASE_UPGRADE_FIELDS.slice(1)) {
      if (!deepEqual(valueAt(before, p), valueAt(after, p))) out.push(`${p} changed`);
    }
    return out.length === 0 ? [] : [out.join('; ')];
  },
};

/** A CEL evaluation error (a missing field), which fails a validation rule. */
const ERROR = Symbol('CEL evaluation error');
/** CEL's three outcomes: true, false, or an error. */
type Tri = boolean | typeof ERROR;
const or = (...xs: Tri[]): Tri => (xs.includes(true) ? true : xs.includes(ERROR) ? ERROR : false);
const and = (...xs: Tri[]): Tri => (xs.includes(false) ? false : xs.includes(ERROR) ? ERROR : true);
const not = (x: Tri): Tri => (x === ERROR ? ERROR : !x);
const eq = (a: unknown, b: unknown): Tri => (a === ERROR || b === ERROR ? ERROR : deepEqual(a, b));
/** CEL field selection: a missing field is an error. */
const sel = (o: unknown, key: string): unknown => (o !== null && typeof o === 'object' && key in o ? (o as Record<string, unknown>)[key] : ERROR);
/** CEL `has(o.key)`: an error when `o` itself is an error. */
const has = (o: unknown, key: string): Tri => (o === ERROR ? ERROR : o !== null && typeof o === 'object' && key in o);

/**
 * The KamajiControlPlane's "LoadBalancerClass cannot be set or unset at runtime" transition rule, on the
 * objects with the CRD's defaults (`network: {serviceType: LoadBalancer}`): true when it holds. v1alpha1
 * (provider v0.19.0) puts it on `spec.network`; v1alpha2 (v0.20.0) on `spec.network.loadBalancerConfig`,
 * where a transition rule runs only when the old object has the field too.
 */
export function loadBalancerClassTransition(before: KubeObject, after: KubeObject): boolean | 'error' {
  const outcome = loadBalancerClassRule(before, after);
  return outcome === ERROR ? 'error' : outcome;
}

function loadBalancerClassRule(before: KubeObject, after: KubeObject): Tri {
  const network = (o: KubeObject) => {
    const n = (valueAt(o, 'spec.network') ?? {}) as Record<string, unknown>;
    return { serviceType: 'LoadBalancer', ...n } as Record<string, unknown>;
  };
  const [oldSelf, self] = [network(before), network(after)];
  if (String(after.apiVersion).endsWith('/v1alpha1')) {
    return or(
      not(eq(sel(self, 'serviceType'), 'LoadBalancer')),
      and(not(eq(sel(oldSelf, 'serviceType'), 'LoadBalancer')), eq(sel(self, 'serviceType'), 'LoadBalancer')),
      not(has(self, 'loadBalancerConfig')),
      and(has(self, 'loadBalancerConfig'), eq(has(sel(self, 'loadBalancerConfig'), 'loadBalancerClass'),
        has(sel(oldSelf, 'loadBalancerConfig'), 'loadBalancerClass'))),
    );
  }
  if (self.loadBalancerConfig === undefined || oldSelf.loadBalancerConfig === undefined) return true;
  return eq(has(self.loadBalancerConfig, 'loadBalancerClass'), has(oldSelf.loadBalancerConfig, 'loadBalancerClass'));
}

/** A ConfigMap or Secret marked `immutable: true` refuses any change of its data (and of the mark). */
const IMMUTABLE_DATA: ChangeRule = {
  flag: 'EDITS IMMUTABLE FIELD',
  group: '',
  kinds: ['ConfigMap', 'Secret'],
  fields: 'data, binaryData, stringData, immutable (when the old object is immutable: true)',
  source: 'kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidateConfigMapUpdate / ValidateSecretUpdate: '
    + '"data: Forbidden: field is immutable when `immutable` is set" (the API\'s answer as fluxcd/pkg ssa tests pin it, search id 2822904810)',
  check: (before, after) => (before.immutable === true ? changedPaths(before, after, ['data', 'binaryData', 'stringData', 'immutable'])
    .map((m) => `${m}: the API refuses the update, so the upgrade fails`) : []),
};

/** Every rule for objects present before and after the upgrade. */
export const CHANGE_RULES: readonly ChangeRule[] = [
  immutable('infrastructure.cluster.x-k8s.io', ['KubevirtMachineTemplate'], ['spec'], CAPK_WEBHOOK),
  immutable('infrastructure.cluster.x-k8s.io', ['OpenStackMachineTemplate'], ['spec.template.spec'], CAPO_WEBHOOK),
  immutable('cluster.x-k8s.io', ['MachineDeployment'], ['spec.clusterName'], `${CAPI_WEBHOOKS}machinedeployment.go validate: "field is immutable"`),
  immutable('cluster.x-k8s.io', ['MachineHealthCheck'], ['spec.clusterName'], `${CAPI_WEBHOOKS}machinehealthcheck.go validate: "field is immutable"`),
  {
    flag: 'EDITS IMMUTABLE FIELD',
    group: 'cluster.x-k8s.io',
    kinds: ['Cluster'],
    fields: 'spec.controlPlaneRef, spec.infrastructureRef (may not be removed)',
    source: `${CAPI_WEBHOOKS}cluster.go validate: "cannot be removed"`,
    check: (before, after) => ['spec.controlPlaneRef', 'spec.infrastructureRef']
      .filter((p) => valueAt(before, p) !== undefined && valueAt(after, p) === undefined)
      .map((p) => `${p} removed: the Cluster webhook refuses it, so the upgrade fails`),
  },
  {
    flag: 'EDITS IMMUTABLE FIELD',
    group: 'cluster.x-k8s.io',
    kinds: ['Cluster'],
    fields: 'spec.clusterNetwork.serviceDomain (the TenantControlPlane\'s clusterDomain)',
    source: 'clastix/cluster-api-control-plane-provider-kamaji v0.19.0 controllers/kamajicontrolplane_controller_tcp.go copies it to '
      + 'TenantControlPlane spec.networkProfile.clusterDomain; clastix/kamaji 26.8.2-edge CRD tenantcontrolplanes: '
      + '"changing the cluster domain is not supported" (self == oldSelf)',
    check: (before, after) => changedPaths(before, after, ['spec.clusterNetwork.serviceDomain'])
      .map((m) => `${m}: the Cluster takes it, but the provider's copy into the TenantControlPlane is refused (the control plane stops reconciling)`),
  },
  immutable('controlplane.cluster.x-k8s.io', ['KamajiControlPlane'], ['spec.dataStoreUsername', 'spec.network.loadBalancerConfig.loadBalancerClass'],
    `${KCP_CRD_V019}: "changing the dataStoreUsername is not supported", "LoadBalancerClass is immutable"`, { whenBothSet: true }),
  {
    flag: 'EDITS IMMUTABLE FIELD',
    group: 'controlplane.cluster.x-k8s.io',
    kinds: ['KamajiControlPlane'],
    fields: 'spec.network.loadBalancerConfig.loadBalancerClass set or unset (v1alpha1: also a loadBalancerConfig added to a LoadBalancer '
      + 'endpoint that had none, where the rule fails to evaluate)',
    source: `${KCP_CRD_V019}: "LoadBalancerClass cannot be set or unset at runtime" (v1alpha1 on spec.network, v1alpha2 on `
      + 'spec.network.loadBalancerConfig); evaluated as the API server evaluates CEL: has() of a field under a missing one is an error, '
      + 'which refuses the update',
    check: (before, after) => (loadBalancerClassTransition(before, after) === true ? []
      : ['spec.network.loadBalancerConfig: the CRD\'s rule "LoadBalancerClass cannot be set or unset at runtime" refuses the update, so the upgrade fails']),
  },
  immutable('storage.k8s.io', ['StorageClass'], ['parameters', 'provisioner', 'reclaimPolicy', 'volumeBindingMode'],
    `${K8S_STORAGE} ValidateStorageClassUpdate: "updates to parameters/provisioner/reclaimPolicy are forbidden", volumeBindingMode immutable`,
    { defaults: { reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' } }),
  immutable('storage.k8s.io', ['CSIDriver'], ['spec.attachRequired', 'spec.volumeLifecycleModes'],
    `${K8S_STORAGE} ValidateCSIDriverUpdate: attachRequired and volumeLifecycleModes immutable`,
    { defaults: { 'spec.attachRequired': true, 'spec.volumeLifecycleModes': ['Persistent'] } }),
  immutable('apps', ['Deployment'], ['spec.selector'],
    'kubernetes/kubernetes pkg/registry/apps/deployment/strategy.go ValidateUpdate: selector immutable in apps/v1 (stored copy, search id 339189963)'),
  immutable('apps', ['DaemonSet'], ['spec.selector'],
    'kubernetes/kubernetes pkg/registry/apps/daemonset/strategy.go ValidateUpdate: selector immutable in apps/v1 (stored copy, search id 172100920)'),
  immutable('rbac.authorization.k8s.io', ['RoleBinding', 'ClusterRoleBinding'], ['roleRef'],
    'kubernetes/kubernetes pkg/apis/rbac/validation/validation.go ValidateRoleBindingUpdate (and ClusterRoleBinding): "cannot change roleRef" '
      + '(stored copy, search id 18434574)'),
  {
    flag: 'EDITS IMMUTABLE FIELD',
    group: '',
    kinds: ['Service'],
    fields: 'spec.clusterIP (once set, unless ExternalName)',
    source: 'kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidateServiceUpdate: "ClusterIP should be immutable for services using it" '
      + '(stored copy, search id 38700836414)',
    check: (before, after) => {
      const ip = valueAt(before, 'spec.clusterIP');
      if (ip === undefined || ip === '' || valueAt(before, 'spec.type') === 'ExternalName' || valueAt(after, 'spec.type') === 'ExternalName') return [];
      return changedPaths(before, after, ['spec.clusterIP']).map((m) => `${m}: the API refuses the update, so the upgrade fails`);
    },
  },
  IMMUTABLE_DATA,
  MACHINE_ROLLOUT,
  CONTROL_PLANE_PODS,
  CLUSTER_NETWORK_PODS,
  KAMAJI_ADDON_REMOVED,
  KAMAJI_ADDON_CHANGED,
  HELM_RELEASE_REINSTALL,
  HELM_RELEASE_UPGRADE,
];

/** What the deletion of an object does beyond removing it, by kind (`group/kind`). */
export const DELETION_EFFECTS: Readonly<Record<string, { readonly effect: string; readonly source: string }>> = {
  'cluster.x-k8s.io/Cluster': {
    effect: 'Cluster API deletes the tenant: its control plane, machines and infrastructure',
    source: 'kubernetes-sigs/cluster-api v1.10.10 internal/controllers/cluster/cluster_controller.go reconcileDelete',
  },
  'cluster.x-k8s.io/MachineDeployment': {
    effect: 'Cluster API deletes its MachineSets and Machines (the node group\'s VMs)',
    source: 'owner references from MachineSet to MachineDeployment and Machine to MachineSet; Kubernetes garbage collection',
  },
  'controlplane.cluster.x-k8s.io/KamajiControlPlane': {
    effect: 'the provider deletes the TenantControlPlane: the tenant\'s API server goes away',
    source: 'clastix/cluster-api-control-plane-provider-kamaji v0.19.0 controllers/kamajicontrolplane_finalizer.go',
  },
  'helm.toolkit.fluxcd.io/HelmRelease': {
    effect: 'helm-controller uninstalls the release from the tenant',
    source: 'fluxcd/helm-controller v1.6.3 internal/controller/helmrelease_controller.go reconcileDelete → reconcileReleaseDeletion',
  },
};

/** The rules that apply to an object of `group`/`kind`. */
export function rulesFor(group: string, kind: string): ChangeRule[] {
  return CHANGE_RULES.filter((r) => r.group === group && r.kinds.includes(kind));
}

/**
 * Recognizes a pre-upgrade hook that deletes an object before Helm updates it, so that Helm creates it anew
 * instead of editing an immutable field (Helm creates a release object that no longer exists: helm v3.18.0
 * pkg/kube/client.go update, `helper.Get` NotFound → create). Returns the fields the hook compares before it
 * deletes, or undefined when `hook` does not handle `target`.
 */
export type HookRecreation = (hook: KubeObject, target: KubeObject) => readonly string[] | undefined;

/**
 * The kubevirt-csi-node chart's StorageClass update hook (src/constructs/kubevirt/storage-class-update-hook.ts):
 * a Job whose container reads the live StorageClass named by `STORAGE_CLASS` with `kubectl get -o jsonpath=…`,
 * compares it with `DESIRED`, and deletes it when they differ. The fields it compares are read from its own
 * jsonpath, so the recognizer follows the hook as the chart renders it.
 */
export const STORAGE_CLASS_HOOK: HookRecreation = (hook, target) => {
  if (hook.kind !== 'Job' || target.kind !== 'StorageClass') return undefined;
  const events = String(hook.metadata?.annotations?.['helm.sh/hook'] ?? '').split(',').map((s) => s.trim());
  if (!events.includes('pre-upgrade')) return undefined;
  for (const c of (hook.spec?.template?.spec?.containers ?? []) as KubeObject[]) {
    const env = new Map(((c.env ?? []) as KubeObject[]).map((e) => [e.name, e.value]));
    if (env.get('STORAGE_CLASS') !== target.metadata?.name || env.get('DESIRED') === undefined) continue;
    const script = ((c.command ?? []) as unknown[]).join(' ');
    const jsonpath = /jsonpath='([^']*)'/.exec(script)?.[1];
    if (!jsonpath || !/kubectl delete storageclass/.test(script)) continue;
    return [...jsonpath.matchAll(/\{\.([^}]*)\}/g)].map((m) => m[1].replace(/\\\./g, '\u0000').replace(/\u0000/g, '.'));
  }
  return undefined;
};

/** Every hook recognizer `diff` knows. */
export const HOOK_RECREATIONS: readonly HookRecreation[] = [STORAGE_CLASS_HOOK];
