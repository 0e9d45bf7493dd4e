/**
 * The expression kinds: references (values, scope variables, release), literals, interpolation,
 * defaults, comparisons and boolean logic. Content hashes and helper functions live in their own files.
 */
import { EvalEnv, Expr, goString, goTruthy, toInt64, ValueType } from './expr';

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

  public evaluate(): unknown {
    return this.value;
  }
}

/** A part of an interpolated string: literal text or an expression of a scalar type. */
export type ConcatPart = string | Expr;

/** String interpolation: `printf` over literal text and string/int expressions. */
export class Concat extends Expr {
  public readonly type = 'string';

  public constructor(public readonly parts: readonly ConcatPart[]) {
    super();
    for (const p of parts) {
      if (typeof p !== 'string' && !['string', 'int', 'bool'].includes(p.type)) {
        throw new Error(`cannot interpolate a ${p.type} expression into a string`);
      }
    }
  }

  public go(): string {
    const format = this.parts.map((p) => (typeof p === 'string' ? p.replace(/%/g, '%%') : '%v')).join('');
    const args = this.parts.filter((p): p is Expr => typeof p !== 'string').map((e) => (e.type === 'int' ? `(int64 ${e.go()})` : e.go()));
    return `(printf ${goString(format)} ${args.join(' ')})`;
  }

  public evaluate(env: EvalEnv): unknown {
    return this.parts.map((p) => (typeof p === 'string' ? p : formatScalar(p, p.evaluate(env)))).join('');
  }

  public children(): readonly Expr[] {
    return this.parts.filter((p): p is Expr => typeof p !== 'string');
  }
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

  public constructor(private readonly op: CompareOp, private readonly left: Expr, private readonly right: Expr) {
    super();
  }

  public go(): string {
    const operand = (e: Expr) => (e.type === 'int' ? `(int64 ${e.go()})` : e.go());
    return `(${this.op} ${operand(this.left)} ${operand(this.right)})`;
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

  public constructor(private readonly op: 'and' | 'or', private readonly operands: readonly Expr[]) {
    super();
    if (operands.length < 2) throw new Error(`${op} needs at least two operands`);
  }

  public go(): string {
    return `(not (not (${this.op} ${this.operands.map((o) => o.go()).join(' ')})))`;
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

  public constructor(private readonly operand: Expr) {
    super();
  }

  public go(): string {
    return `(not ${this.operand.go()})`;
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
    return `(ternary ${this.whenTrue.go()} ${this.whenFalse.go()} (not (not ${this.condition.go()})))`;
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

  public evaluate(env: EvalEnv): unknown {
    const m = this.map.evaluate(env);
    return m !== null && typeof m === 'object' && !Array.isArray(m) && Object.prototype.hasOwnProperty.call(m, this.key);
  }

  public children(): readonly Expr[] {
    return [this.map];
  }
}
