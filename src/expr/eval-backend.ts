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
import { ChartTemplates, checkGroups, CheckTemplate, Node, nodeAt, ObjectTemplate, Scope } from './template-ir';

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

type Compiled = (env: EvalEnv) => unknown;

const compiledNodes = new WeakMap<Node, Compiled>();

/** A node tree as a function of the environment (what `helm template` prints for it, parsed). */
export function compileNode(node: Node): Compiled {
  let fn = compiledNodes.get(node);
  if (!fn) {
    fn = compile(node);
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
  readonly hashes: ReadonlyArray<{ readonly variable: string; readonly subtree: Compiled }>;
}

const compiledObjects = new WeakMap<ObjectTemplate, CompiledObject>();

function compiledObject(obj: ObjectTemplate): CompiledObject {
  let c = compiledObjects.get(obj);
  if (!c) {
    c = {
      scopes: obj.scopes,
      root: compileNode(obj.root),
      hashes: obj.hashes.map(({ hash, target }) => ({ variable: hash.variable, subtree: compileNode(nodeAt(target.root, hash.path)) })),
    };
    compiledObjects.set(obj, c);
  }
  return c;
}

const checkGroupsOf = new WeakMap<readonly CheckTemplate[], CheckTemplate[][]>();

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
  };
  const scopes = new ScopeExpander(env);
  let groups = checkGroupsOf.get(templates.checks);
  if (!groups) {
    groups = checkGroups(templates.checks);
    checkGroupsOf.set(templates.checks, groups);
  }
  for (const group of groups) {
    for (const scoped of scopes.expand(group[0].scopes)) {
      for (const check of group) {
        if (goTruthy(check.failWhen.evaluate(scoped))) throw new RenderError(String(check.message.evaluate(scoped)));
      }
    }
  }
  const objects: Record<string, unknown>[] = [];
  const hashedSubtrees = new WeakMap<EvalEnv, Map<string, unknown>>();
  for (const template of templates.objects) {
    const obj = compiledObject(template);
    for (const scoped of scopes.expand(obj.scopes)) {
      let objectEnv = scoped;
      if (obj.hashes.length > 0) {
        const vars = new Map(scoped.vars);
        let subtrees = hashedSubtrees.get(scoped);
        if (!subtrees) {
          subtrees = new Map<string, unknown>();
          hashedSubtrees.set(scoped, subtrees);
        }
        for (const { variable, subtree } of obj.hashes) {
          if (!subtrees.has(variable)) subtrees.set(variable, subtree(scoped));
          vars.set(variable, subtrees.get(variable));
        }
        objectEnv = { ...scoped, vars };
      }
      objects.push(obj.root(objectEnv) as Record<string, unknown>);
    }
  }
  return objects;
}
