/**
 * The expression model: every value in the construct tree that depends on Helm values is an `Expr`.
 * Each expression has two interpretations, proven equal by the equivalence tests:
 *  - `go()`: a Go template operand (a pipeline that can stand in parentheses), for the Helm backend;
 *  - `evaluate(env)`: the value computed in-process from concrete values, for the evaluation backend.
 *
 * Expressions are placed into cdk8s props directly (the App resolver turns them into sentinel tokens)
 * or interpolated into strings (`${expr}` registers a token through `toString()`).
 */
import { tokenFor } from './tokens';

/** What an expression renders as; drives the typed output in templates (`int64`, `toJson`, `toYaml`). */
export type ValueType = 'string' | 'int' | 'number' | 'bool' | 'map' | 'list' | 'any';

/** Concrete inputs of one render, as Helm exposes them to templates. */
export interface EvalEnv {
  readonly values: Record<string, unknown>;
  readonly release: { readonly name: string; readonly namespace: string; readonly service: string };
  readonly chart: { readonly name: string; readonly version: string };
  /** Scope variables (each-item, each-key, lets), by Go variable name without `$`. */
  readonly vars: ReadonlyMap<string, unknown>;
  /**
   * Values of expressions that read no scope variable, computed once per render (the fullname and
   * labels helpers, support-matrix lookups): what a template file binds once, the evaluation backend
   * computes once.
   */
  readonly memo?: Map<object, unknown>;
}

const scopeFree = new WeakMap<Expr, boolean>();

/**
 * `compute()` once per render for an expression that reads no scope variable (see `EvalEnv.memo`);
 * `key` identifies equal expressions (a helper's calls without arguments share it).
 */
export function memoized(e: Expr, env: EvalEnv, compute: () => unknown, key: object = e): unknown {
  const memo = env.memo;
  if (!memo) return compute();
  let free = scopeFree.get(e);
  if (free === undefined) {
    free = e.variables().length === 0;
    scopeFree.set(e, free);
  }
  if (!free) return compute();
  if (memo.has(key)) return memo.get(key);
  const v = compute();
  memo.set(key, v);
  return v;
}

export abstract class Expr {
  public abstract readonly type: ValueType;

  /** Go template operand; parenthesized when it is a pipeline or a function call. */
  public abstract go(): string;

  /**
   * The Go operand where only Go truthiness counts (`if`, and the operands of `and`, `or`, `not`,
   * `default`): as a person writes it, without the coercion to a real bool that `go()` needs where the
   * value is printed, compared or passed to `ternary`.
   */
  public goCondition(): string {
    return this.go();
  }

  /** True when `go()` always gives a real Go bool (a comparison, `not`, `hasKey`, a coerced `and`/`or`). */
  public get goIsBool(): boolean {
    return false;
  }

  /** The same value computed in-process. */
  public abstract evaluate(env: EvalEnv): unknown;

  /** Direct sub-expressions (for walking: variables read, functions called). */
  public children(): readonly Expr[] {
    return [];
  }

  /** Variables (scope names) this expression reads; the Go backend re-binds them inside `define`s. */
  public variables(): string[] {
    return [...new Set(this.children().flatMap((c) => c.variables()))];
  }

  /** The sentinel token standing for this expression in synthesized JSON and strings. */
  public toString(): string {
    return tokenFor(this);
  }

  /** Called by cdk8s' implicit token resolution: an expression placed in props becomes its token. */
  public resolve(): string {
    return tokenFor(this);
  }

  /** Typed cast for placing an expression where the L1 props expect a number. */
  public asNumber(): number {
    return this as unknown as number;
  }

  /** Typed cast for placing an expression where the L1 props expect a boolean. */
  public asBoolean(): boolean {
    return this as unknown as boolean;
  }

  /** Typed cast for placing an expression where the L1 props expect some structure. */
  public as<T>(): T {
    return this as unknown as T;
  }
}

/**
 * An expression the Go backend may bind once per template file to a named variable (`$clusterName`)
 * instead of printing it at every use: named expressions (`named()`) and calls of template functions
 * that declare a variable name. The evaluation backend just evaluates it.
 */
export interface Bindable {
  /** The variable name (without `$`). */
  readonly bindingName: string;
  /** The Go text of the expression itself, ignoring any binding (also the key of the binding). */
  goInline(): string;
}

export function isBindable(e: Expr): e is Expr & Bindable {
  const b = e as Partial<Bindable>;
  return typeof b.goInline === 'function' && typeof b.bindingName === 'string' && b.bindingName !== '';
}

/**
 * What the Go backend prints instead of some expressions in the text it is writing, by their inline
 * Go text: `$clusterName` for a bound call, `(include "…" $ | fromYaml)` for a map written as a `define`.
 */
let goBindings: ReadonlyMap<string, string> = new Map();

/** The text standing for an expression in the current Go text (a bound variable), if any. */
export function goBound(e: { goInline(): string }): string | undefined {
  return goBindings.size === 0 ? undefined : goBindings.get(e.goInline());
}

/** Prints Go text with some expressions replaced (bound variables, see {@link Bindable}). */
export function withGoBindings<T>(bindings: ReadonlyMap<string, string>, print: () => T): T {
  const outer = goBindings;
  goBindings = bindings;
  try {
    return print();
  } finally {
    goBindings = outer;
  }
}

/**
 * The text of a Go condition for `{{- if … }}`: without the outer parentheses when they enclose it all
 * (`if and a b`, not `if (and a b)`).
 */
export function bareCondition(text: string): string {
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0 && i < text.length - 1) return text;
    }
  }
  return text.slice(1, -1);
}

/** True when `v` is an expression (also across module copies). */
export function isExpr(v: unknown): v is Expr {
  return v instanceof Expr;
}

/** Go string literal for `s` (Go accepts JSON's escapes inside interpreted string literals). */
export function goString(s: string): string {
  return JSON.stringify(s);
}

/**
 * Go template truthiness (`if`, `and`, `or`, `not`, sprig `empty`/`default`):
 * false, 0, "", nil, empty list and empty map are false.
 */
export function goTruthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** Go's `int64` conversion as sprig does it (`cast.ToInt64`): truncates floats, parses strings. */
export function toInt64(v: unknown): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isFinite(n) && /^-?\d+$/.test(v.trim()) ? Math.trunc(n) : 0;
  }
  return 0;
}
