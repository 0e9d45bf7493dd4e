/**
 * The upgrade from one rendered release to another, object by object, as Helm performs it: objects matched
 * by group, kind, namespace and name; the new ones created, the missing ones deleted (unless
 * `helm.sh/resource-policy: keep`), the others updated; hooks are not release resources. Each change is
 * classified by the rules of src/diff/rules.ts.
 */
import { deepEqual, diffValues, FieldChange } from './field-diff';
import { describeIdentity, hookEvents, identityKey, identityOf, isKept, KubeObject, ObjectIdentity } from './objects';
import { ChangeRule, DELETION_EFFECTS, Flag, FLAGS, HOOK_RECREATIONS, RuleContext, rulesFor } from './rules';

/** One effect of a change on the running tenant. */
export interface Finding {
  readonly flag: Flag;
  readonly message: string;
  /** The upstream behaviour behind it. */
  readonly source: string;
}

/**
 * - `added`, `removed`, `changed`: as Helm creates, deletes and updates;
 * - `replaced`: a content-hash-named object (`<name>-<8 hex>`) superseded by one with a new hash: Helm
 *   deletes the old and creates the new one, and whatever referenced it now references the new name;
 * - `kept`: no longer rendered, but `helm.sh/resource-policy: keep` leaves it in place.
 */
export type ObjectChange = 'added' | 'removed' | 'changed' | 'replaced' | 'kept';

export interface ObjectDiff {
  /** The object's identity (the new one for `replaced`). */
  readonly identity: ObjectIdentity;
  readonly change: ObjectChange;
  /** For `replaced`: the superseded object. */
  readonly previous?: ObjectIdentity;
  readonly apiVersion: { readonly before?: string; readonly after?: string };
  /** Changed fields (not for `added`, `removed`, `kept`); the `helm.sh/chart` label is left out (see {@link DiffReport.chartLabel}). */
  readonly fields: readonly FieldChange[];
  readonly findings: readonly Finding[];
  readonly notes: readonly string[];
}

/**
 * Turns an object of an older apiVersion into the newer one, as the API server's conversion would, so that
 * only real changes remain. The 2.x line (Cluster API v1beta2) registers its conversions here; 1.x needs none.
 */
export interface ObjectConversion {
  readonly group: string;
  readonly kind: string;
  readonly fromVersion: string;
  readonly toVersion: string;
  /** Where upstream converts the same way (repository, tag, file, function). */
  readonly source: string;
  readonly convert: (o: KubeObject) => KubeObject;
}

export interface DiffOptions {
  /** The release namespace (objects without a namespace land there). */
  readonly releaseNamespace: string;
  /**
   * Conversions applied to old objects whose apiVersion differs from the new one's.
   * @default - none: objects of another apiVersion are compared as rendered
   */
  readonly conversions?: readonly ObjectConversion[];
  /**
   * Show Secret data and stringData values.
   * @default false
   */
  readonly showSecrets?: boolean;
}

/** A hook (not a release resource): Helm runs it on its events, whatever the diff says. */
export interface HookInfo {
  readonly description: string;
  readonly events: readonly string[];
}

export interface DiffReport {
  /** Every object that changes, sorted by kind and name. */
  readonly objects: readonly ObjectDiff[];
  /** Objects whose only change is the `helm.sh/chart` label. */
  readonly chartLabelOnly: number;
  /** The `helm.sh/chart` label before and after, when it changed on some object. */
  readonly chartLabel?: { readonly before: string; readonly after: string };
  /** Objects that do not change at all. */
  readonly unchanged: number;
  /** The new chart's hooks that run on `helm upgrade`. */
  readonly upgradeHooks: readonly HookInfo[];
  /** How many objects raise each flag, in {@link FLAGS} order, flags not raised left out. */
  readonly flags: ReadonlyArray<{ readonly flag: Flag; readonly count: number }>;
}

const HASH_SUFFIX = /^(.+)-[0-9a-f]{8}$/;
/** Workloads whose pods Kubernetes replaces when the pod template changes. */
const POD_TEMPLATE_KINDS = new Set(['apps/Deployment', 'apps/DaemonSet', 'apps/StatefulSet']);
const CHART_LABEL = 'helm.sh/chart';

function byIdentity(objects: readonly KubeObject[], releaseNamespace: string, source: string): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const o of objects) {
    const key = identityKey(identityOf(o, releaseNamespace));
    if (out.has(key)) throw new Error(`${source} renders ${describeIdentity(identityOf(o, releaseNamespace), releaseNamespace)} twice: Helm refuses such a release`);
    out.set(key, o);
  }
  return out;
}

function isChartLabel(c: FieldChange): boolean {
  return c.path.length === 3 && c.path[0] === 'metadata' && c.path[1] === 'labels' && c.path[2] === CHART_LABEL;
}

function hideSecrets(o: KubeObject, fields: FieldChange[], showSecrets: boolean): FieldChange[] {
  if (showSecrets || o.kind !== 'Secret') return fields;
  return fields.map((c) => (c.path[0] === 'data' || c.path[0] === 'stringData'
    ? { ...c, before: c.before === undefined ? undefined : '(hidden)', after: c.after === undefined ? undefined : '(hidden)' } : c));
}

function applyRules(rules: readonly ChangeRule[], before: KubeObject, after: KubeObject, ctx: RuleContext): Finding[] {
  return rules.flatMap((r) => r.check(before, after, ctx).map((message) => ({ flag: r.flag, message, source: r.source })));
}

/** Drops immutable-field findings that a pre-upgrade hook of the new chart handles by deleting the object first. */
function recreatedByHook(findings: Finding[], before: KubeObject, after: KubeObject, afterObjects: readonly KubeObject[], notes: string[]): Finding[] {
  if (!findings.some((f) => f.flag === 'EDITS IMMUTABLE FIELD')) return findings;
  const changed = immutableChanges(before, after);
  for (const hook of afterObjects.filter((o) => hookEvents(o).includes('pre-upgrade'))) {
    for (const recognize of HOOK_RECREATIONS) {
      const compared = recognize(hook, after);
      if (compared && changed.every((p) => compared.includes(p))) {
        notes.push(`the pre-upgrade hook ${hook.kind} ${hook.metadata?.name} deletes it first (it compares ${compared.join(', ')}), `
          + 'then Helm creates it anew: existing volumes keep their parameters');
        return findings.filter((f) => f.flag !== 'EDITS IMMUTABLE FIELD');
      }
    }
  }
  return findings;
}

/** The immutable paths of a StorageClass that differ, per parameter key (what a hook must compare to cover them). */
function immutableChanges(before: KubeObject, after: KubeObject): string[] {
  const out: string[] = [];
  const defaults: Record<string, unknown> = { reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' };
  for (const p of ['provisioner', 'reclaimPolicy', 'volumeBindingMode']) {
    if (!deepEqual(before[p] ?? defaults[p], after[p] ?? defaults[p])) out.push(p);
  }
  const pa = (before.parameters ?? {}) as Record<string, unknown>;
  const pb = (after.parameters ?? {}) as Record<string, unknown>;
  for (const k of new Set([...Object.keys(pa), ...Object.keys(pb)])) if (!deepEqual(pa[k], pb[k])) out.push(`parameters.${k}`);
  return out;
}

function convertOld(before: KubeObject, after: KubeObject, conversions: readonly ObjectConversion[], notes: string[]): KubeObject {
  if (before.apiVersion === after.apiVersion) return before;
  const [fromVersion, toVersion] = [String(before.apiVersion).split('/').pop(), String(after.apiVersion).split('/').pop()];
  const conversion = conversions.find((c) => c.kind === after.kind && c.fromVersion === fromVersion && c.toVersion === toVersion
    && String(after.apiVersion).startsWith(`${c.group}/`));
  if (!conversion) {
    notes.push(`apiVersion ${before.apiVersion} → ${after.apiVersion}: no conversion known, fields compared as rendered`);
    return before;
  }
  const converted = conversion.convert(before);
  notes.push(`apiVersion ${before.apiVersion} → ${after.apiVersion}: compared with the old object converted to the new version (${conversion.source})`);
  return converted;
}

/** The upgrade from `beforeObjects` to `afterObjects` (each a full render, hooks included). */
export function compareReleases(beforeObjects: readonly KubeObject[], afterObjects: readonly KubeObject[], opts: DiffOptions): DiffReport {
  const ns = opts.releaseNamespace;
  const resources = (objects: readonly KubeObject[]) => objects.filter((o) => hookEvents(o).length === 0);
  const before = byIdentity(resources(beforeObjects), ns, 'the old chart');
  const after = byIdentity(resources(afterObjects), ns, 'the new chart');
  const ctx: RuleContext = { before, after, releaseNamespace: ns };
  const diffs: ObjectDiff[] = [];
  let unchanged = 0;
  let chartLabelOnly = 0;
  let chartLabel: DiffReport['chartLabel'];

  const removed = [...before.keys()].filter((k) => !after.has(k));
  const added = [...after.keys()].filter((k) => !before.has(k));
  // Content-hash names: pair a removed `<base>-<hash>` with the added `<base>-<other hash>` of the same kind.
  const replacedBy = new Map<string, string>();
  for (const r of removed) {
    const id = identityOf(before.get(r)!, ns);
    const base = HASH_SUFFIX.exec(id.name)?.[1];
    if (base === undefined) continue;
    const match = added.find((a) => {
      const other = identityOf(after.get(a)!, ns);
      return other.group === id.group && other.kind === id.kind && other.namespace === id.namespace
        && HASH_SUFFIX.exec(other.name)?.[1] === base && ![...replacedBy.values()].includes(a);
    });
    if (match) replacedBy.set(r, match);
  }

  for (const [key, a] of after) {
    const identity = identityOf(a, ns);
    const previousKey = [...replacedBy.entries()].find(([, v]) => v === key)?.[0];
    const b = before.get(key) ?? (previousKey === undefined ? undefined : before.get(previousKey));
    if (!b) {
      const notes = a.kind === 'HelmRelease' ? ['helm-controller installs the release into the tenant'] : [];
      diffs.push({ identity, change: 'added', apiVersion: { after: a.apiVersion }, fields: [], findings: [], notes });
      continue;
    }
    const notes: string[] = [];
    const converted = convertOld(b, a, opts.conversions ?? [], notes);
    const all = diffValues(converted, a);
    const label = all.find(isChartLabel);
    if (label) chartLabel = { before: String(label.before), after: String(label.after) };
    let fields = all.filter((c) => !isChartLabel(c));
    if (previousKey !== undefined) {
      fields = fields.filter((c) => !(c.path.length === 2 && c.path[0] === 'metadata' && c.path[1] === 'name'));
      if (fields.length === 0) notes.push('renamed with the same content: the name\'s hash changed although the content did not');
      if (isKept(b)) notes.push(`the superseded ${identity.kind} ${identityOf(b, ns).name} stays: it carries helm.sh/resource-policy: keep, so Helm does not delete it`);
      diffs.push({
        identity, change: 'replaced', previous: identityOf(b, ns), apiVersion: { before: b.apiVersion, after: a.apiVersion },
        fields: hideSecrets(a, fields, opts.showSecrets ?? false), findings: [], notes,
      });
      continue;
    }
    let findings = applyRules(rulesFor(identity.group, identity.kind), converted, a, ctx);
    if (fields.length === 0 && b.apiVersion === a.apiVersion && findings.length === 0) {
      if (label) chartLabelOnly++;
      else unchanged++;
      continue;
    }
    if (fields.length === 0 && b.apiVersion === a.apiVersion) notes.push('unchanged itself: what it refers to changed');
    findings = recreatedByHook(findings, converted, a, afterObjects, notes);
    if (POD_TEMPLATE_KINDS.has(`${identity.group}/${identity.kind}`) && fields.some((c) => c.path[0] === 'spec' && c.path[1] === 'template')) {
      notes.push('the pod template changes: Kubernetes replaces its pods (a rolling update)');
    }
    diffs.push({
      identity, change: 'changed', apiVersion: { before: b.apiVersion, after: a.apiVersion },
      fields: hideSecrets(a, fields, opts.showSecrets ?? false), findings, notes,
    });
  }

  for (const key of removed) {
    if (replacedBy.has(key)) continue;
    const b = before.get(key)!;
    const identity = identityOf(b, ns);
    if (isKept(b)) {
      diffs.push({
        identity, change: 'kept', apiVersion: { before: b.apiVersion }, fields: [], findings: [],
        notes: ['helm.sh/resource-policy: keep: Helm leaves it in place, no longer managed by the release'],
      });
      continue;
    }
    const effect = DELETION_EFFECTS[`${identity.group}/${identity.kind}`];
    diffs.push({
      identity, change: 'removed', apiVersion: { before: b.apiVersion }, fields: [], notes: [],
      findings: [{
        flag: 'DELETES',
        message: effect ? `Helm deletes it: ${effect.effect}` : 'Helm deletes it',
        source: effect ? `helm v3.18.0 pkg/kube/client.go update (deletes what the new release no longer renders); ${effect.source}`
          : 'helm v3.18.0 pkg/kube/client.go update (deletes what the new release no longer renders, unless helm.sh/resource-policy: keep)',
      }],
    });
  }

  const sortKey = (d: ObjectDiff) => `${d.identity.kind}\0${d.identity.namespace}\0${d.identity.name}`;
  diffs.sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : sortKey(x) > sortKey(y) ? 1 : 0));
  const upgradeHooks = afterObjects
    .filter((o) => hookEvents(o).some((e) => e === 'pre-upgrade' || e === 'post-upgrade'))
    .map((o) => ({ description: describeIdentity(identityOf(o, ns), ns), events: hookEvents(o) }));
  const flags = FLAGS.map((flag) => ({ flag, count: diffs.filter((d) => d.findings.some((f) => f.flag === flag)).length }))
    .filter((f) => f.count > 0);
  return { objects: diffs, chartLabelOnly, chartLabel, unchanged, upgradeHooks, flags };
}

/** Whether a report has anything to show (no objects changed, no chart label changed). */
export function isEmptyReport(report: DiffReport): boolean {
  return report.objects.length === 0 && report.chartLabelOnly === 0;
}

/** The findings of every object, with the object they belong to. */
export function allFindings(report: DiffReport): Array<Finding & { readonly object: ObjectDiff }> {
  return report.objects.flatMap((object) => object.findings.map((f) => ({ ...f, object })));
}

/** Deep equality of two objects, for callers that compare specs (re-exported for tests). */
export { deepEqual };
