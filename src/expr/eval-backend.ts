/**
 * The evaluation backend: renders the same objects as `helm template` in-process from a concrete
 * (already coalesced) values object, reading the chart's templates in their intermediate form.
 *
 * Each node tree is compiled once into closures (per process, cached on the tree), so a render walks
 * no tree structure it does not have to: what is left per render is the values work itself.
 */
import { EvalEnv, Expr, goTruthy, toInt64 } from './expr';
import { RenderError } from './functions';
import { goSortedKeys } from './go-json';
import { ChartTemplates, checkGroups, CheckTemplate, Node, nodeAt, Scope } from './ir';

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
  if (scope.kind === 'when') return goTruthy(scope.condition.evaluate(env)) ? [env] : [];
  return goRangeEntries(scope.collection.evaluate(env)).map(([key, item]) => {
    const vars = new Map(env.vars);
    vars.set(scope.keyVar, key);
    vars.set(scope.itemVar, item);
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

  public constructor(private readonly root: EvalEnv) {}

  public expand(scopes: readonly Scope[]): EvalEnv[] {
    if (scopes.length === 0) return [this.root];
    const key = scopes.map((s) => s.id).join('|');
    let envs = this.byChain.get(key);
    if (!envs) {
      envs = this.expand(scopes.slice(0, -1)).flatMap((env) => expandScope(scopes[scopes.length - 1], env));
      this.byChain.set(key, envs);
    }
    return envs;
  }
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
    const compiled = compile(node);
    fn = hashedNodes.has(node) ? (env) => (env.evaluated?.has(node) ? env.evaluated.get(node) : compiled(env)) : compiled;
    compiledNodes.set(node, fn);
  }
  return fn;
}

const holds = (condition: Expr | undefined, env: EvalEnv) => condition === undefined || goTruthy(condition.evaluate(env));

function compile(node: Node): Compiled {
  switch (node.kind) {
    case 'scalar': {
      const value = node.value;
      return () => value;
    }
    case 'expr': {
      const e = node.expr;
      // `| int64` turns anything (also a missing value) into an integer, as in Go.
      return e.type === 'int' ? (env) => toInt64(e.evaluate(env)) : (env) => e.evaluate(env) ?? null;
    }
    case 'map': {
      const entries = node.entries.map((e) => ({ key: e.key, when: e.when, splice: e.splice, value: compileNode(e.value) }));
      return (env) => {
        const out: Record<string, unknown> = {};
        for (const e of entries) {
          if (!holds(e.when, env)) continue;
          if (e.splice) Object.assign(out, e.splice.evaluate(env));
          else out[e.key] = e.value(env);
        }
        return out;
      };
    }
    case 'list': {
      const items = node.items.map((i) => ({ when: i.when, value: compileNode(i.value) }));
      const each = node.each && { ...node.each, item: compileNode(node.each.item) };
      return (env) => {
        const out: unknown[] = [];
        for (const i of items) if (holds(i.when, env)) out.push(i.value(env));
        if (each) {
          for (const [key, value] of goRangeEntries(each.collection.evaluate(env))) {
            const vars = new Map(env.vars);
            vars.set(each.keyVar, key);
            vars.set(each.itemVar, value);
            out.push(each.item({ ...env, vars }));
          }
        }
        return out;
      };
    }
  }
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
  const env: EvalEnv = {
    values: inputs.values,
    release: { service: 'Helm', ...inputs.release },
    chart: inputs.chart,
    vars: new Map(),
    memo: new Map(),
  };
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
  const hashedSubtrees = new WeakMap<EvalEnv, { byVariable: Map<string, unknown>; byNode: Map<Node, unknown> }>();
  for (const obj of chart.objects) {
    for (const scoped of scopes.expand(obj.scopes)) {
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
      objects.push(obj.root(objectEnv) as Record<string, unknown>);
    }
  }
  return objects;
}
