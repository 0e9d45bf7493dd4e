/**
 * The expression kinds: references (values, scope variables, release), literals, interpolation,
 * defaults, comparisons and boolean logic. Content hashes and helper functions live in their own files.
 */
import { Bindable, EvalEnv, Expr, goBound, goString, goTruthy, memoized, toInt64, ValueType, withGoBindings } from './expr';

function pathSegments(path: string): string[] {
  return path === '' ? [] : path.split('.');
}

function walk(root: unknown, segments: readonly string[]): unknown {
  let cur = root;
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

/** A reference into `.Values` (e.g. `controlPlane.replicas`). Every map on the path must have a chart default. */
export class ValuesRef extends Expr {
  private readonly segments: string[];

  public constructor(public readonly path: string, public readonly type: ValueType) {
    super();
    this.segments = pathSegments(path);
  }

  public go(): string {
    return ['$.Values', ...this.segments].join('.');
  }

  public evaluate(env: EvalEnv): unknown {
    return walk(env.values, this.segments);
  }
}

/** A scope variable (an `each` item or key, or a `let`), optionally with a path into it. */
export class VarRef extends Expr {
  private readonly segments: string[];

  public constructor(public readonly name: string, public readonly type: ValueType, path = '') {
    super();
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error(`invalid template variable name '${name}'`);
    this.segments = pathSegments(path);
  }

  public go(): string {
    return [`$${this.name}`, ...this.segments].join('.');
  }

  public evaluate(env: EvalEnv): unknown {
    if (!env.vars.has(this.name)) throw new Error(`template variable $${this.name} is not in scope`);
    return walk(env.vars.get(this.name), this.segments);
  }

  public variables(): string[] {
    return [this.name];
  }

  /** The field names read below the variable (`['autoscaling', 'enabled']` for `$group.autoscaling.enabled`). */
  public get fieldPath(): readonly string[] {
    return this.segments;
  }

  /** A typed reference to a field inside this variable. */
  public field(path: string, type: ValueType): VarRef {
    return new VarRef(this.name, type, [...this.segments, path].join('.'));
  }
  public str(path: string): VarRef {
    return this.field(path, 'string');
  }
  public int(path: string): VarRef {
    return this.field(path, 'int');
  }
  public bool(path: string): VarRef {
    return this.field(path, 'bool');
  }
  public map(path: string): VarRef {
    return this.field(path, 'map');
  }
  public list(path: string): VarRef {
    return this.field(path, 'list');
  }
}

/** `.Release.Name`, `.Release.Namespace` or `.Release.Service`. */
export class ReleaseRef extends Expr {
  public readonly type = 'string';

  public constructor(private readonly field: 'Name' | 'Namespace' | 'Service') {
    super();
  }

  public go(): string {
    return `$.Release.${this.field}`;
  }

  public evaluate(env: EvalEnv): unknown {
    return { Name: env.release.name, Namespace: env.release.namespace, Service: env.release.service }[this.field];
  }
}

/** A literal value (used where an operand must be an expression). */
export class Literal extends Expr {
  public readonly type: ValueType;

  public constructor(public readonly value: string | number | boolean) {
    super();
    this.type = typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int' : 'number';
  }

  public go(): string {
    return typeof this.value === 'string' ? goString(this.value) : String(this.value);
  }

  public get goIsBool(): boolean {
    return typeof this.value === 'boolean';
  }

  public evaluate(): unknown {
    return this.value;
  }
}

/** A part of an interpolated string: literal text or an expression of a scalar type. */
export type ConcatPart = string | Expr;

/** String interpolation: `printf` over literal text and string/int expressions. */
export class Concat extends Expr {
  public readonly type = 'string';

  public readonly parts: readonly ConcatPart[];
  private inline?: string;

  public constructor(parts: readonly ConcatPart[]) {
    super();
    for (const p of parts) {
      if (typeof p !== 'string' && !['string', 'int', 'bool'].includes(p.type)) {
        throw new Error(`cannot interpolate a ${p.type} expression into a string`);
      }
    }
    // A nested interpolation joins the outer one: one `printf` with one format (same text either way).
    this.parts = parts.flatMap((p) => (p instanceof Concat ? p.parts : [p]));
  }

  /** The `printf` text (the key under which a file may write this string as a `define` instead). */
  public goInline(): string {
    this.inline ??= withGoBindings(new Map(), () => this.goPrintf());
    return this.inline;
  }

  public go(): string {
    return goBound(this) ?? this.goPrintf();
  }

  private goPrintf(): string {
    // A named interpolation the file has not bound joins this one's format (one `printf`).
    const parts = this.parts.flatMap(function inline(p): ConcatPart[] {
      return p instanceof Named && p.value instanceof Concat && goBound(p) === undefined ? p.value.parts.flatMap(inline) : [p];
    });
    const exprs = parts.filter((p): p is Expr => typeof p !== 'string');
    // One string expression and nothing else prints as itself (`printf "%v"` of a string is the string).
    if (parts.length === 1 && exprs.length === 1 && exprs[0].type === 'string') return exprs[0].go();
    const format = parts.map((p) => (typeof p === 'string' ? p.replace(/%/g, '%%') : '%v')).join('');
    const args = exprs.map((e) => (e.type === 'int' ? intOperand(e) : e.go()));
    return `(printf ${[goString(format), ...args].join(' ')})`;
  }

  public evaluate(env: EvalEnv): unknown {
    return this.parts.map((p) => (typeof p === 'string' ? p : formatScalar(p, p.evaluate(env)))).join('');
  }

  public children(): readonly Expr[] {
    return this.parts.filter((p): p is Expr => typeof p !== 'string');
  }
}

/** An integer operand: through `int64` (values from files are float64 in Go), except integer literals. */
export function intOperand(e: Expr): string {
  return e instanceof Literal && typeof e.value === 'number' && Number.isInteger(e.value) ? e.go() : `(int64 ${e.go()})`;
}

function formatScalar(e: Expr, v: unknown): string {
  if (e.type === 'int') return String(toInt64(v));
  if (v === undefined || v === null) return '<nil>';
  return String(v);
}

/** Sprig `default`: the fallback when the value is empty (Go truthiness). */
export class Default extends Expr {
  public readonly type: ValueType;

  public constructor(private readonly value: Expr, private readonly fallback: Expr) {
    super();
    this.type = value.type;
  }

  public go(): string {
    return `(default ${this.fallback.go()} ${this.value.go()})`;
  }

  public evaluate(env: EvalEnv): unknown {
    const v = this.value.evaluate(env);
    return goTruthy(v) ? v : this.fallback.evaluate(env);
  }

  public children(): readonly Expr[] {
    return [this.value, this.fallback];
  }
}

export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

/** A comparison; integer operands go through `int64` first (values from files are float64 in Go). */
export class Compare extends Expr {
  public readonly type = 'bool';

  public constructor(public readonly op: CompareOp, private readonly left: Expr, private readonly right: Expr) {
    super();
  }

  public go(): string {
    const operand = (e: Expr) => (e.type === 'int' ? intOperand(e) : e.go());
    return `(${this.op} ${operand(this.left)} ${operand(this.right)})`;
  }

  public get goIsBool(): boolean {
    return true;
  }

  /** `eq` for `ne` and `ne` for `eq` (what `not` of this comparison prints as); undefined for the others. */
  public negated(): Compare | undefined {
    if (this.op === 'eq') return new Compare('ne', this.left, this.right);
    if (this.op === 'ne') return new Compare('eq', this.left, this.right);
    return undefined;
  }

  public evaluate(env: EvalEnv): unknown {
    const operand = (e: Expr) => (e.type === 'int' ? toInt64(e.evaluate(env)) : e.evaluate(env));
    const a = operand(this.left) as number | string;
    const b = operand(this.right) as number | string;
    switch (this.op) {
      case 'eq': return a === b;
      case 'ne': return a !== b;
      case 'lt': return a < b;
      case 'le': return a <= b;
      case 'gt': return a > b;
      case 'ge': return a >= b;
    }
  }

  public children(): readonly Expr[] {
    return [this.left, this.right];
  }
}

/** `and` / `or` over Go truthiness; the result is a real boolean in both backends. */
export class Logic extends Expr {
  public readonly type = 'bool';

  public constructor(public readonly op: 'and' | 'or', public readonly operands: readonly Expr[]) {
    super();
    if (operands.length < 2) throw new Error(`${op} needs at least two operands`);
  }

  /**
   * The operands as a person writes them: nested `and`s in an `and` (`or`s in an `or`) flattened,
   * repeated operands once, and operands the others absorb left out (`or a (and a b)` is `a`).
   */
  public simplifiedOperands(): Expr[] {
    const flat = this.operands.flatMap((o) => (o instanceof Logic && o.op === this.op ? o.simplifiedOperands() : [o]));
    const seen = new Set<string>();
    const unique = flat.filter((o) => {
      const text = o.goCondition();
      if (seen.has(text)) return false;
      seen.add(text);
      return true;
    });
    // Absorption: in `or`, an `and` containing another operand adds nothing (dually for `and`).
    const dual = this.op === 'and' ? 'or' : 'and';
    return unique.filter((o) => !(o instanceof Logic && o.op === dual && o.simplifiedOperands().some((inner) => seen.has(inner.goCondition()))));
  }

  public goCondition(): string {
    const operands = this.simplifiedOperands();
    return operands.length === 1 ? operands[0].goCondition() : `(${this.op} ${operands.map((o) => o.goCondition()).join(' ')})`;
  }

  public go(): string {
    const operands = this.simplifiedOperands();
    // `and`/`or` give one of their operands: a real bool only when every operand is one.
    if (operands.every((o) => o.goIsBool)) return operands.length === 1 ? operands[0].go() : `(${this.op} ${operands.map((o) => o.go()).join(' ')})`;
    return `(not (not ${this.goCondition()}))`;
  }

  public get goIsBool(): boolean {
    return true;
  }

  public evaluate(env: EvalEnv): unknown {
    return this.op === 'and' ? this.operands.every((o) => goTruthy(o.evaluate(env))) : this.operands.some((o) => goTruthy(o.evaluate(env)));
  }

  public children(): readonly Expr[] {
    return this.operands;
  }
}

/** `not` over Go truthiness. */
export class Not extends Expr {
  public readonly type = 'bool';

  public constructor(public readonly operand: Expr) {
    super();
  }

  public goCondition(): string {
    const o = this.operand;
    if (o instanceof Not) return o.operand.goCondition();
    if (o instanceof Compare && o.negated()) return o.negated()!.go();
    return `(not ${o.goCondition()})`;
  }

  public go(): string {
    const o = this.operand;
    // `not (not x)` where a real bool is needed: x itself when it is one.
    if (o instanceof Not) return o.operand.goIsBool ? o.operand.go() : `(not (not ${o.operand.goCondition()}))`;
    return this.goCondition();
  }

  public get goIsBool(): boolean {
    return true;
  }

  public evaluate(env: EvalEnv): unknown {
    return !goTruthy(this.operand.evaluate(env));
  }

  public children(): readonly Expr[] {
    return [this.operand];
  }
}

/** `ternary`: one of two expressions depending on a condition (both sides are evaluated in Go). */
export class Ternary extends Expr {
  public readonly type: ValueType;

  public constructor(private readonly condition: Expr, private readonly whenTrue: Expr, private readonly whenFalse: Expr) {
    super();
    this.type = whenTrue.type;
  }

  public go(): string {
    // sprig's ternary takes a real bool; `not (not x)` turns Go truthiness into one.
    const condition = this.condition.goIsBool ? this.condition.go() : `(not (not ${this.condition.goCondition()}))`;
    return `(ternary ${this.whenTrue.go()} ${this.whenFalse.go()} ${condition})`;
  }

  public get goIsBool(): boolean {
    return this.whenTrue.goIsBool && this.whenFalse.goIsBool;
  }

  public evaluate(env: EvalEnv): unknown {
    return goTruthy(this.condition.evaluate(env)) ? this.whenTrue.evaluate(env) : this.whenFalse.evaluate(env);
  }

  public children(): readonly Expr[] {
    return [this.condition, this.whenTrue, this.whenFalse];
  }
}

/** Whether a string matches a regular expression (Go `regexMatch`; keep patterns to the RE2/JS common subset). */
export class RegexMatch extends Expr {
  public readonly type = 'bool';
  private readonly regex: RegExp;

  public constructor(private readonly pattern: string, private readonly subject: Expr) {
    super();
    this.regex = new RegExp(pattern);
  }

  public go(): string {
    return `(regexMatch ${goString(this.pattern)} ${this.subject.go()})`;
  }

  public get goIsBool(): boolean {
    return true;
  }

  public evaluate(env: EvalEnv): unknown {
    return this.regex.test(String(this.subject.evaluate(env) ?? ''));
  }

  public children(): readonly Expr[] {
    return [this.subject];
  }
}

/** Length of a string in bytes (Go `len`), or of a list or map. */
export class Length extends Expr {
  public readonly type = 'int';

  public constructor(private readonly subject: Expr) {
    super();
  }

  public go(): string {
    return `(len ${this.subject.go()})`;
  }

  public evaluate(env: EvalEnv): unknown {
    const v = this.subject.evaluate(env);
    if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
    if (Array.isArray(v)) return v.length;
    if (v && typeof v === 'object') return Object.keys(v).length;
    return 0;
  }

  public children(): readonly Expr[] {
    return [this.subject];
  }
}

/** Whether a map has a key (Go `hasKey`). */
export class HasKey extends Expr {
  public readonly type = 'bool';

  public constructor(private readonly map: Expr, private readonly key: string) {
    super();
  }

  public go(): string {
    return `(hasKey ${this.map.go()} ${goString(this.key)})`;
  }

  public get goIsBool(): boolean {
    return true;
  }

  public evaluate(env: EvalEnv): unknown {
    const m = this.map.evaluate(env);
    return m !== null && typeof m === 'object' && !Array.isArray(m) && Object.prototype.hasOwnProperty.call(m, this.key);
  }

  public children(): readonly Expr[] {
    return [this.map];
  }
}

/**
 * A named value: the Go backend binds it once per template file (`{{- $deploymentName := … }}`) when
 * the file uses it more than once, and prints `$deploymentName` at each use; in-process it is just
 * its value.
 */
export class Named extends Expr implements Bindable {
  public readonly type: ValueType;
  private inline?: string;

  public constructor(public readonly bindingName: string, public readonly value: Expr) {
    super();
    if (!/^[a-z][A-Za-z0-9]*$/.test(bindingName)) throw new Error(`invalid variable name '${bindingName}' (lowerCamelCase)`);
    this.type = value.type;
  }

  public goInline(): string {
    this.inline ??= withGoBindings(new Map(), () => this.value.go());
    return this.inline;
  }

  public go(): string {
    return goBound(this) ?? this.value.go();
  }

  public goCondition(): string {
    return goBound(this) ?? this.value.goCondition();
  }

  public get goIsBool(): boolean {
    return this.value.goIsBool;
  }

  public evaluate(env: EvalEnv): unknown {
    return memoized(this, env, () => this.value.evaluate(env));
  }

  public children(): readonly Expr[] {
    return [this.value];
  }
}
