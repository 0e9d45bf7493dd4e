/**
 * The evaluation backend: renders the same objects as `helm template` in-process from a concrete
 * (already coalesced) values object, reading the chart's templates in their intermediate form.
 */
import { EvalEnv, goTruthy, toInt64 } from './expr';
import { RenderError } from './functions';
import { goSortedKeys } from './go-json';
import { Each } from './scopes';
import { ChartTemplates, Node, nodeAt, Scope } from './template-ir';

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

  public constructor(private readonly root: EvalEnv) {}

  public expand(scopes: readonly Scope[]): EvalEnv[] {
    const key = scopes.map((s) => s.node.path).join('|');
    let envs = this.byChain.get(key);
    if (!envs) {
      envs = scopes.length === 0 ? [this.root] : this.expand(scopes.slice(0, -1)).flatMap((env) => expandScope(scopes[scopes.length - 1], env));
      this.byChain.set(key, envs);
    }
    return envs;
  }
}

function evaluateNode(node: Node, env: EvalEnv): unknown {
  switch (node.kind) {
    case 'scalar': return node.value;
    case 'expr': {
      // `| int64` turns anything (also a missing value) into an integer, as in Go.
      const v = node.expr.evaluate(env);
      return node.expr.type === 'int' ? toInt64(v) : v ?? null;
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
  const env: EvalEnv = {
    values: inputs.values,
    release: { service: 'Helm', ...inputs.release },
    chart: inputs.chart,
    vars: new Map(),
  };
  const scopes = new ScopeExpander(env);
  for (const check of templates.checks) {
    for (const scoped of scopes.expand(check.scopes)) {
      if (goTruthy(check.failWhen.evaluate(scoped))) throw new RenderError(String(check.message.evaluate(scoped)));
    }
  }
  const objects: Record<string, unknown>[] = [];
  const hashedSubtrees = new WeakMap<EvalEnv, Map<string, unknown>>();
  for (const obj of templates.objects) {
    for (const scoped of scopes.expand(obj.scopes)) {
      const vars = new Map(scoped.vars);
      const subtrees = hashedSubtrees.get(scoped) ?? new Map<string, unknown>();
      hashedSubtrees.set(scoped, subtrees);
      for (const { hash, target } of obj.hashes) {
        if (!subtrees.has(hash.variable)) subtrees.set(hash.variable, evaluateNode(nodeAt(target.root, hash.path), scoped));
        vars.set(hash.variable, subtrees.get(hash.variable));
      }
      objects.push(evaluateNode(obj.root, { ...scoped, vars }) as Record<string, unknown>);
    }
  }
  return objects;
}
