/**
 * The evaluation backend: renders the same objects as `helm template` in-process from a concrete
 * (already coalesced) values object, reading the chart's templates in their intermediate form.
 */
import { clone } from './coalesce';
import { EvalEnv, goTruthy, toInt64 } from './expr';
import { RELEASE_READ_COUNTS, ReleaseReadCounts, ReleaseReads, RenderError } from './functions';
import { goSortedKeys } from './go-json';
import { Each } from './scopes';
import { ChartTemplates, Node, nodeAt, ObjectTemplate, Scope } from './template-ir';

export interface RenderInputs {
  /** Values after coalescing with the chart defaults. */
  readonly values: Record<string, unknown>;
  readonly release: { readonly name: string; readonly namespace: string; readonly service?: string };
  readonly chart: { readonly name: string; readonly version: string };
}

/** What Go's `range` visits: a list's integer indexes, or a map's keys in sorted order. */
function goRangeEntries(collection: unknown): Array<[string | number, unknown]> {
  if (collection === null || collection === undefined) return [];
  if (Array.isArray(collection)) return collection.map((v, i) => [i, v]);
  if (typeof collection !== 'object') throw new RenderError(`range can't iterate over ${String(collection)}`);
  return goSortedKeys(collection).map((k) => [k, (collection as Record<string, unknown>)[k]]);
}

/** The environments one scope produces from one outer environment, in Go's iteration order. */
function expandScope(scope: Scope, env: EvalEnv): EvalEnv[] {
  if (!(scope instanceof Each)) return goTruthy(scope.condition.evaluate(env)) ? [env] : [];
  return goRangeEntries(scope.props.collection.evaluate(env)).map(([key, item]) => {
    const vars = new Map(env.vars);
    vars.set(scope.props.keyVar, key);
    vars.set(scope.props.itemVar, item);
    for (const l of scope.lets) vars.set(l.name, l.expr.evaluate({ ...env, vars }));
    return { ...env, vars };
  });
}

/**
 * Expands scope chains once per render: objects in the same scopes (a node group's templates) share
 * the environments, so per-item `let`s such as the defaults merge run once, and so do content hashes.
 */
class ScopeExpander {
  private readonly byChain = new Map<string, EvalEnv[]>();
  private readonly readsByChain = new Map<string, ReleaseReads>();

  /** @param counts the root environment's release read counters, when tracked */
  public constructor(private readonly root: EvalEnv, private readonly counts?: ReleaseReadCounts) {}

  public expand(scopes: readonly Scope[]): EvalEnv[] {
    const key = scopes.map((s) => s.node.path).join('|');
    let envs = this.byChain.get(key);
    if (!envs) {
      const outer = scopes.length === 0 ? [this.root] : this.expand(scopes.slice(0, -1));
      const before = this.counts && { ...this.counts };
      envs = scopes.length === 0 ? outer : outer.flatMap((env) => expandScope(scopes[scopes.length - 1], env));
      this.byChain.set(key, envs);
      if (this.counts && before) {
        const parent = scopes.length === 0 ? NO_READS : this.readsByChain.get(scopes.slice(0, -1).map((s) => s.node.path).join('|')) ?? NO_READS;
        this.readsByChain.set(key, mergeReads(parent, readsSince(before, this.counts)));
      }
    }
    return envs;
  }

  /** What of the release expanding these scopes read (collections and `let`s), when tracked. */
  public readsOf(scopes: readonly Scope[]): ReleaseReads {
    return this.readsByChain.get(scopes.map((s) => s.node.path).join('|')) ?? NO_READS;
  }
}

const NO_READS: ReleaseReads = { name: false, namespace: false };

function readsSince(before: ReleaseReadCounts, now: ReleaseReadCounts): ReleaseReads {
  return { name: now.name > before.name, namespace: now.namespace > before.namespace };
}

function mergeReads(a: ReleaseReads, b: ReleaseReads): ReleaseReads {
  return { name: a.name || b.name, namespace: a.namespace || b.namespace };
}

function evaluateNode(node: Node, env: EvalEnv): unknown {
  switch (node.kind) {
    case 'scalar': return node.value;
    case 'expr': {
      // `| int64` turns anything (also a missing value) into an integer, as in Go.
      const v = node.expr.evaluate(env);
      if (node.expr.type === 'int') return toInt64(v);
      // A map or list from the values is copied: rendered objects never share parts (with each other or the values).
      return v !== null && typeof v === 'object' ? clone(v) : v ?? null;
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) {
        if (e.when && !goTruthy(e.when.evaluate(env))) continue;
        out[e.key] = evaluateNode(e.value, env);
      }
      return out;
    }
    case 'list': {
      const items = node.items.filter((i) => !i.when || goTruthy(i.when.evaluate(env))).map((i) => evaluateNode(i.value, env));
      if (node.each) {
        const { keyVar, itemVar, item } = node.each;
        for (const [key, value] of goRangeEntries(node.each.collection.evaluate(env))) {
          const vars = new Map(env.vars);
          vars.set(keyVar, key);
          vars.set(itemVar, value);
          items.push(evaluateNode(item, { ...env, vars }));
        }
      }
      return items;
    }
  }
}

/**
 * Renders every object of a chart. Throws `RenderError` where Helm would `fail`, before rendering
 * anything (a failing values document renders nothing).
 */
export function evaluateChart(templates: ChartTemplates, inputs: RenderInputs): Record<string, unknown>[] {
  const env = rootEnv(inputs);
  const scopes = new ScopeExpander(env);
  for (const check of templates.checks) {
    for (const scoped of scopes.expand(check.scopes)) {
      if (goTruthy(check.failWhen.evaluate(scoped))) throw new RenderError(String(check.message.evaluate(scoped)));
    }
  }
  const objects: Record<string, unknown>[] = [];
  const render = objectRenderer();
  for (const obj of templates.objects) {
    for (const scoped of scopes.expand(obj.scopes)) objects.push(render(obj, scoped));
  }
  return objects;
}

function rootEnv(inputs: RenderInputs, release: EvalEnv['release'] = { service: 'Helm', ...inputs.release }): EvalEnv {
  return { values: inputs.values, release, chart: inputs.chart, vars: new Map() };
}

/** Renders one object in one scope environment; content-hashed subtrees are evaluated once per environment. */
function objectRenderer(): (obj: ObjectTemplate, scoped: EvalEnv) => Record<string, unknown> {
  const hashedSubtrees = new WeakMap<EvalEnv, Map<string, unknown>>();
  return (obj, scoped) => {
    const vars = new Map(scoped.vars);
    const subtrees = hashedSubtrees.get(scoped) ?? new Map<string, unknown>();
    hashedSubtrees.set(scoped, subtrees);
    for (const { hash, target } of obj.hashes) {
      if (!subtrees.has(hash.variable)) subtrees.set(hash.variable, evaluateNode(nodeAt(target.root, hash.path), scoped));
      vars.set(hash.variable, subtrees.get(hash.variable));
    }
    return evaluateNode(obj.root, { ...scoped, vars }) as Record<string, unknown>;
  };
}

/** One render-time check in one scope environment (or a failing template function while rendering objects). */
export interface CheckOutcome {
  readonly failed: boolean;
  /** The check's message (also when it holds: its subject names what it checks). */
  readonly message: string;
  /** What of the release deciding the outcome read: with a placeholder release, the outcome means nothing then. */
  readonly reads: ReleaseReads;
}

/**
 * Every render-time check in every scope, and every failure of a template function while rendering the
 * objects (e.g. an unsupported Kubernetes version), each with what of the release it read: for
 * `validate`, which reports all failures rather than the first and runs without a release, skipping
 * only what depends on one.
 */
export function evaluateChecks(templates: ChartTemplates, inputs: RenderInputs): CheckOutcome[] {
  const counts: ReleaseReadCounts = { name: 0, namespace: 0 };
  const env = rootEnv(inputs, trackReleaseReads({ service: 'Helm', ...inputs.release }, counts));
  const scopes = new ScopeExpander(env, counts);
  const outcomes: CheckOutcome[] = [];
  /** Runs `step`; a RenderError becomes a failed outcome with what of the release led to it. */
  const guarded = (scopeReads: ReleaseReads, step: () => void): boolean => {
    const before = { ...counts };
    try {
      step();
      return true;
    } catch (e) {
      if (!(e instanceof RenderError)) throw e;
      outcomes.push({ failed: true, message: e.message, reads: mergeReads(scopeReads, e.releaseReads ?? readsSince(before, counts)) });
      return false;
    }
  };
  for (const check of templates.checks) {
    let envs: EvalEnv[] = [];
    if (!guarded(NO_READS, () => { envs = scopes.expand(check.scopes); })) continue;
    for (const scoped of envs) {
      const scopeReads = scopes.readsOf(check.scopes);
      guarded(scopeReads, () => {
        const before = { ...counts };
        const failed = goTruthy(check.failWhen.evaluate(scoped));
        const reads = mergeReads(scopeReads, readsSince(before, counts));
        outcomes.push({ failed, message: String(check.message.evaluate(scoped)), reads });
      });
    }
  }
  const render = objectRenderer();
  for (const obj of templates.objects) {
    let envs: EvalEnv[] = [];
    if (!guarded(NO_READS, () => { envs = scopes.expand(obj.scopes); })) continue;
    // Objects always read the release (names, namespaces): only a template function's failure says what it read itself.
    for (const scoped of envs) guarded(scopes.readsOf(obj.scopes), () => { render(obj, scoped); });
  }
  return outcomes;
}

/** A release whose `name` and `namespace` reads are counted (see {@link RELEASE_READ_COUNTS}). */
function trackReleaseReads(release: EvalEnv['release'], counts: ReleaseReadCounts): EvalEnv['release'] {
  const tracked = {
    get name() { counts.name++; return release.name; },
    get namespace() { counts.namespace++; return release.namespace; },
    service: release.service,
  };
  Object.defineProperty(tracked, RELEASE_READ_COUNTS, { value: counts });
  return tracked;
}
