import { EvalEnv, Expr, goBound, goString, isExpr, toInt64, ValueType, withGoBindings } from './expr';
import { intOperand } from './expressions';

/** A static tree of maps, lists and scalars with expressions at its leaves. */
export type StructureNode = Expr | string | number | boolean | readonly StructureNode[] | { readonly [key: string]: StructureNode };

/**
 * A map or list built at render time from a static tree with expressions inside: `dict`/`list` in Go,
 * the evaluated tree in-process. For values that template functions combine further, e.g. an addon's
 * chart values merged with the user's (`mergeDefaults`), where a field-by-field render cannot be used.
 */
export class Structure extends Expr {
  public readonly type: ValueType;
  private inline?: string;

  public constructor(public readonly tree: readonly StructureNode[] | { readonly [key: string]: StructureNode }) {
    super();
    this.type = Array.isArray(tree) ? 'list' : 'map';
    checkNode(tree);
  }

  /** `dict`/`list` calls building the tree (the Go backend may write a map as a YAML `define` instead). */
  public goInline(): string {
    this.inline ??= withGoBindings(new Map(), () => goNode(this.tree));
    return this.inline;
  }

  public go(): string {
    return goBound(this) ?? goNode(this.tree);
  }

  public evaluate(env: EvalEnv): unknown {
    return evaluateNode(this.tree, env);
  }

  public children(): readonly Expr[] {
    const found: Expr[] = [];
    const visit = (n: StructureNode) => {
      if (isExpr(n)) found.push(n);
      else if (Array.isArray(n)) n.forEach(visit);
      else if (typeof n === 'object') Object.values(n).forEach(visit);
    };
    visit(this.tree as StructureNode);
    return found;
  }
}

/** A map built from a static tree with expressions inside (see {@link Structure}). */
export const structure = (tree: { readonly [key: string]: StructureNode }) => new Structure(tree);

function checkNode(n: unknown): void {
  if (isExpr(n) || typeof n === 'string' || typeof n === 'boolean') return;
  if (typeof n === 'number') {
    // Go template number literals are int or float64; keep to integers so both backends print alike.
    if (!Number.isInteger(n)) throw new Error(`Structure: only integer numbers, got ${n}`);
    return;
  }
  if (Array.isArray(n)) return n.forEach(checkNode);
  if (n && typeof n === 'object' && Object.getPrototypeOf(n) === Object.prototype) return Object.values(n).forEach(checkNode);
  throw new Error(`Structure: unsupported node ${String(n)} (whenField/eachItem markers are not allowed inside)`);
}

function goNode(n: StructureNode): string {
  if (isExpr(n)) return n.type === 'int' ? intOperand(n) : n.go();
  if (typeof n === 'string') return goString(n);
  if (typeof n === 'number' || typeof n === 'boolean') return String(n);
  if (Array.isArray(n)) return n.length === 0 ? '(list)' : `(list ${n.map(goNode).join(' ')})`;
  const entries = Object.entries(n as { [key: string]: StructureNode });
  return entries.length === 0 ? '(dict)' : `(dict ${entries.map(([k, v]) => `${goString(k)} ${goNode(v)}`).join(' ')})`;
}

function evaluateNode(n: StructureNode, env: EvalEnv): unknown {
  if (isExpr(n)) return n.type === 'int' ? toInt64(n.evaluate(env)) : n.evaluate(env);
  if (typeof n !== 'object') return n;
  if (Array.isArray(n)) return n.map((c) => evaluateNode(c, env));
  return Object.fromEntries(Object.entries(n as { [key: string]: StructureNode }).map(([k, v]) => [k, evaluateNode(v, env)]));
}
