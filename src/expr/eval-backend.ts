/**
 * The evaluation backend: renders the same objects as `helm template` in-process from a concrete
 * (already coalesced) values object, reading the chart's templates in their intermediate form.
 *
 * Each node tree is compiled once into closures (per process, cached on the tree), so a render walks
 * no tree structure it does not have to: what is left per render is the values work itself.
 */
import { clone, setOwn } from './coalesce';
import { EvalEnv, goTruthy, toInt64 } from './expr';
import { RELEASE_READ_COUNTS, ReleaseReadCounts, ReleaseReads, RenderError } from './functions';
import { goSortedKeys } from './go-json';
import { ChartTemplates, checkGroups, CheckTemplate, Node, nodeAt, Scope } from './ir';

export interface RenderInputs {
  /** Values after coalescing with the chart defaults (the chart's own: a values adapter maps them first). */
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
  if (scope.kind === 'when') return goTruthy(scope.condition.evaluate(env)) ? [env] : [];
  return goRangeEntries(scope.collection.evaluate(env)).map(([key, item]) => {
    const vars = new Map(env.vars);
    vars.set(scope.keyVar, key);
    vars.set(scope.itemVar, item);
    for (const l of scope.lets) vars.set(l.name, l.expr.evaluate({ ...env, vars }));
    return { ...env, vars };
  });
}

const chainKeys = new WeakMap<readonly Scope[], string>();

/** A scope chain's key (the ids of its scopes), computed once per chain. */
function chainKey(scopes: readonly Scope[]): string {
  let key = chainKeys.get(scopes);
  if (key === undefined) {
    key = scopes.map((s) => s.id).join('|');
    chainKeys.set(scopes, key);
  }
  return key;
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
    if (scopes.length === 0) return [this.root];
    const key = chainKey(scopes);
    let envs = this.byChain.get(key);
    if (!envs) {
      const before = this.counts && { ...this.counts };
      envs = this.expand(scopes.slice(0, -1)).flatMap((env) => expandScope(scopes[scopes.length - 1], env));
      this.byChain.set(key, envs);
      if (this.counts && before) {
        const parent = this.readsByChain.get(chainKey(scopes.slice(0, -1))) ?? NO_READS;
        this.readsByChain.set(key, mergeReads(parent, readsSince(before, this.counts)));
      }
    }
    return envs;
  }

  /** What of the release expanding these scopes read (collections and `let`s), when tracked. */
  public readsOf(scopes: readonly Scope[]): ReleaseReads {
    return this.readsByChain.get(chainKey(scopes)) ?? NO_READS;
  }
}

const NO_READS: ReleaseReads = { name: false, namespace: false };

function readsSince(before: ReleaseReadCounts, now: ReleaseReadCounts): ReleaseReads {
  return { name: now.name > before.name, namespace: now.namespace > before.namespace };
}

function mergeReads(a: ReleaseReads, b: ReleaseReads): ReleaseReads {
  return { name: a.name || b.name, namespace: a.namespace || b.namespace };
}

/** An environment in which some subtrees are already evaluated (a content hash's, for its own object). */
interface ObjectEnv extends EvalEnv {
  readonly evaluated?: ReadonlyMap<Node, unknown>;
}

type Compiled = (env: ObjectEnv) => unknown;

const compiledNodes = new WeakMap<Node, Compiled>();
/** Subtrees that content hashes evaluate first: their objects reuse the value rather than evaluate them twice. */
const hashedNodes = new WeakSet<Node>();

/** A node tree as a function of the environment (what `helm template` prints for it, parsed). */
export function compileNode(node: Node): Compiled {
  let fn = compiledNodes.get(node);
  if (!fn) {
    const compiled = node.kind === 'map' || node.kind === 'list' ? generate(node) : compileLeaf(node);
    fn = hashedNodes.has(node) ? (env) => (env.evaluated?.has(node) ? env.evaluated.get(node) : compiled(env)) : compiled;
    compiledNodes.set(node, fn);
  }
  return fn;
}

function compileLeaf(node: Node & { kind: 'scalar' | 'expr' }): Compiled {
  if (node.kind === 'scalar') {
    const value = node.value;
    return () => value;
  }
  const e = node.expr;
  // `| int64` turns anything (also a missing value) into an integer, as in Go.
  if (e.type === 'int') return (env) => toInt64(e.evaluate(env));
  // A map or list from the values is copied: rendered objects never share parts (with each other or the values).
  return (env) => {
    const v = e.evaluate(env);
    return v !== null && typeof v === 'object' ? clone(v) : v ?? null;
  };
}

/** Copies a map's entries into `target` as data (`Object.assign` would set the prototype for a `__proto__` key). */
function assignData(target: Record<string, unknown>, source: unknown): void {
  if (source === null || typeof source !== 'object') return;
  for (const key of Object.keys(source)) {
    const v = (source as Record<string, unknown>)[key];
    if (key === '__proto__') setOwn(target, key, v);
    else target[key] = v;
  }
}

/** Runtime helpers of generated code (see {@link generate}). */
const GENERATED_HELPERS = { goTruthy, goRangeEntries, assignData, setOwn };

/**
 * A map or list tree as one generated JavaScript function: static parts as object and array literals, keys
 * as constant property stores in the author's order, and each value expression called directly. What the
 * evaluation of a node costs is then the values work itself, not a walk of the tree. Against one closure per
 * node (measured on a loaded 2-core machine, examples/platform.yaml): about a fifth more in-process renders per
 * CPU second, and the bundled CLI's one render costs ~25 ms less CPU, because closures run cold once each. Scalars are written as JSON literals; expressions, conditions,
 * spliced maps, `each` items and hashed subtrees (which their object may have evaluated already) are called
 * through a table. Evaluation order is the tree's order, as before: the first failing template function is the
 * same one.
 */
function generate(root: Node & { kind: 'map' | 'list' }): Compiled {
  const table: unknown[] = [];
  const ref = (v: unknown) => `R[${table.push(v) - 1}]`;
  let temps = 0;
  const lines: string[] = [];

  /**
   * A JavaScript expression for the node's value; statements it needs first go to `out`, in evaluation order:
   * anything that evaluates an expression is bound to a temporary where the tree has it, so that literals
   * built from temporaries evaluate nothing out of order.
   */
  const value = (node: Node, out: string[]): string => {
    const bound = (code: string) => {
      const t = `t${temps++}`;
      out.push(`const ${t} = ${code};`);
      return t;
    };
    if (node !== root && hashedNodes.has(node)) return bound(`${ref(compileNode(node))}(env)`);
    switch (node.kind) {
      case 'scalar': {
        const v = node.value;
        return typeof v === 'number' && (Object.is(v, -0) || !Number.isFinite(v)) ? ref(v) : JSON.stringify(v);
      }
      case 'expr': return bound(`${ref(compileLeaf(node))}(env)`);
      case 'map': {
        const entries = node.entries;
        // The leading entries that always exist: one object literal (a `__proto__` key would set the prototype there).
        let lead = 0;
        while (lead < entries.length && !entries[lead].when && !entries[lead].splice && entries[lead].key !== '__proto__') lead++;
        const literal = `{${entries.slice(0, lead).map((e) => `${JSON.stringify(e.key)}: ${value(e.value, out)}`).join(', ')}}`;
        if (lead === entries.length) return literal;
        const o = bound(literal);
        for (const e of entries.slice(lead)) {
          const body: string[] = [];
          if (e.splice) body.push(`H.assignData(${o}, ${ref(e.splice)}.evaluate(env));`);
          else {
            const v = value(e.value, body);
            // An assignment to `__proto__` would set the prototype: that key is written as data.
            body.push(e.key === '__proto__' ? `H.setOwn(${o}, "__proto__", ${v});` : `${o}[${JSON.stringify(e.key)}] = ${v};`);
          }
          if (e.when) out.push(`if (H.goTruthy(${ref(e.when)}.evaluate(env))) {`, ...body, '}');
          else out.push(...body);
        }
        return o;
      }
      case 'list': {
        const items = node.items;
        let lead = 0;
        while (lead < items.length && !items[lead].when) lead++;
        const literal = `[${items.slice(0, lead).map((i) => value(i.value, out)).join(', ')}]`;
        if (lead === items.length && !node.each) return literal;
        const a = bound(literal);
        for (const i of items.slice(lead)) {
          const body: string[] = [];
          body.push(`${a}.push(${value(i.value, body)});`);
          if (i.when) out.push(`if (H.goTruthy(${ref(i.when)}.evaluate(env))) {`, ...body, '}');
          else out.push(...body);
        }
        if (node.each) {
          const each = node.each;
          const item = ref(compileNode(each.item));
          out.push(
            `for (const [key, item] of H.goRangeEntries(${ref(each.collection)}.evaluate(env))) {`,
            `const vars = new Map(env.vars); vars.set(${JSON.stringify(each.keyVar)}, key); vars.set(${JSON.stringify(each.itemVar)}, item);`,
            `${a}.push(${item}({ ...env, vars }));`,
            '}',
          );
        }
        return a;
      }
    }
  };

  const result = value(root, lines);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function('R', 'H', `return function generated(env) {\n${lines.join('\n')}\nreturn ${result};\n};`);
  return factory(table, GENERATED_HELPERS) as Compiled;
}

interface CompiledObject {
  readonly scopes: readonly Scope[];
  readonly root: Compiled;
  /** Content hashes: the variable and the hashed subtree (of this or another object). */
  readonly hashes: ReadonlyArray<{ readonly variable: string; readonly node: Node; readonly subtree: Compiled }>;
}

interface CompiledChart {
  readonly objects: readonly CompiledObject[];
  readonly checkGroups: readonly CheckTemplate[][];
}

const compiledCharts = new WeakMap<ChartTemplates, CompiledChart>();

function compiledChart(templates: ChartTemplates): CompiledChart {
  let c = compiledCharts.get(templates);
  if (!c) {
    // Hashed subtrees first: their compiled form reuses a value the hash already evaluated.
    for (const o of templates.objects) for (const { hash, target } of o.hashes) hashedNodes.add(nodeAt(target.root, hash.path));
    c = {
      objects: templates.objects.map((obj) => ({
        scopes: obj.scopes,
        root: compileNode(obj.root),
        hashes: obj.hashes.map(({ hash, target }) => {
          const node = nodeAt(target.root, hash.path);
          return { variable: hash.variable, node, subtree: compileNode(node) };
        }),
      })),
      checkGroups: checkGroups(templates.checks),
    };
    compiledCharts.set(templates, c);
  }
  return c;
}

/**
 * Renders every object of a chart. Throws `RenderError` where Helm would `fail`, before rendering
 * anything (a failing values document renders nothing). Checks run as the checks file runs them:
 * group by group, per scope entry every check of the group.
 */
export function evaluateChart(templates: ChartTemplates, inputs: RenderInputs): Record<string, unknown>[] {
  const env: EvalEnv = { ...rootEnv(templates, inputs), memo: new Map() };
  const scopes = new ScopeExpander(env);
  const chart = compiledChart(templates);
  for (const group of chart.checkGroups) {
    for (const scoped of scopes.expand(group[0].scopes)) {
      for (const check of group) {
        if (goTruthy(check.failWhen.evaluate(scoped))) throw new RenderError(String(check.message.evaluate(scoped)));
      }
    }
  }
  const objects: Record<string, unknown>[] = [];
  const render = objectRenderer();
  for (const obj of chart.objects) {
    for (const scoped of scopes.expand(obj.scopes)) objects.push(render(obj, scoped));
  }
  return objects;
}

function rootEnv(templates: ChartTemplates, inputs: RenderInputs, release: EvalEnv['release'] = { service: 'Helm', ...inputs.release }): EvalEnv {
  const env: EvalEnv = { values: inputs.values, release, chart: inputs.chart, vars: new Map() };
  if (!templates.valuesAdapter) return env;
  // What the Go backend's `toJson`/`fromJson` round trip gives: a missing value is a null.
  return { ...env, values: asGoData(templates.valuesAdapter.evaluate(env)) as Record<string, unknown> };
}

/** A value as Go's JSON round trip leaves it: `undefined` (a missing map key read) becomes null. */
function asGoData(v: unknown): unknown {
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.map(asGoData);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asGoData(x)]));
  return v;
}

/**
 * Renders one object in one scope environment. Content-hashed subtrees are evaluated once per
 * environment, and the object that holds one reuses that value rather than evaluate it twice.
 */
function objectRenderer(): (obj: CompiledObject, scoped: EvalEnv) => Record<string, unknown> {
  const hashedSubtrees = new WeakMap<EvalEnv, { byVariable: Map<string, unknown>; byNode: Map<Node, unknown> }>();
  return (obj, scoped) => {
    let objectEnv: ObjectEnv = scoped;
    if (obj.hashes.length > 0) {
      const vars = new Map(scoped.vars);
      let subtrees = hashedSubtrees.get(scoped);
      if (!subtrees) {
        subtrees = { byVariable: new Map(), byNode: new Map() };
        hashedSubtrees.set(scoped, subtrees);
      }
      for (const { variable, node, subtree } of obj.hashes) {
        if (!subtrees.byVariable.has(variable)) {
          const value = subtree(scoped);
          subtrees.byVariable.set(variable, value);
          subtrees.byNode.set(node, value);
        }
        vars.set(variable, subtrees.byVariable.get(variable));
      }
      objectEnv = { ...scoped, vars, evaluated: subtrees.byNode };
    }
    return obj.root(objectEnv) as Record<string, unknown>;
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
  const env = rootEnv(templates, inputs, trackReleaseReads({ service: 'Helm', ...inputs.release }, counts));
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
  for (const obj of compiledChart(templates).objects) {
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
