/**
 * Short constructors for expressions, as constructs use them.
 */
import { Expr, ValueType } from './expr';
import { Compare, Concat, ConcatPart, Default, HasKey, Length, Literal, Logic, Named, Not, RegexMatch, ReleaseRef, Ternary, ValuesRef } from './expressions';

const ref = (type: ValueType) => (path: string) => new ValuesRef(path, type);

/** References into `.Values`. */
export const Values = {
  str: ref('string'),
  int: ref('int'),
  bool: ref('bool'),
  map: ref('map'),
  list: ref('list'),
  any: ref('any'),
};

/** `.Release` fields. */
export const Release = {
  name: new ReleaseRef('Name'),
  namespace: new ReleaseRef('Namespace'),
  service: new ReleaseRef('Service'),
};

const operand = (v: Expr | string | number | boolean): Expr => (v instanceof Expr ? v : new Literal(v));

export const lit = (v: string | number | boolean) => new Literal(v);
export const concat = (...parts: ConcatPart[]) => new Concat(parts);
/** An expression printed as a string (e.g. an integer in an annotation), typed for L1 string props. */
export const asString = (e: Expr): string => new Concat([e]) as unknown as string;
export const defaultTo = (value: Expr, fallback: Expr | string | number | boolean) => new Default(value, operand(fallback));
export const eq = (a: Expr, b: Expr | string | number | boolean) => new Compare('eq', a, operand(b));
export const ne = (a: Expr, b: Expr | string | number | boolean) => new Compare('ne', a, operand(b));
export const lt = (a: Expr, b: Expr | number) => new Compare('lt', a, operand(b));
export const le = (a: Expr, b: Expr | number) => new Compare('le', a, operand(b));
export const gt = (a: Expr, b: Expr | number) => new Compare('gt', a, operand(b));
export const ge = (a: Expr, b: Expr | number) => new Compare('ge', a, operand(b));
export const and = (...operands: Expr[]) => new Logic('and', operands);
export const or = (...operands: Expr[]) => new Logic('or', operands);
export const not = (e: Expr) => new Not(e);
export const ternary = (condition: Expr, whenTrue: Expr | string | number | boolean, whenFalse: Expr | string | number | boolean) =>
  new Ternary(condition, operand(whenTrue), operand(whenFalse));
export const matches = (pattern: string, subject: Expr) => new RegexMatch(pattern, subject);
export const len = (subject: Expr) => new Length(subject);
export const hasKey = (map: Expr, key: string) => new HasKey(map, key);
/**
 * A value with a name: a template file that uses it more than once binds it once
 * (`{{- $deploymentName := … }}`) and prints `$deploymentName` at each use.
 */
export const named = (name: string, value: Expr) => new Named(name, value);

/** Typed references below one place in the values (a `.Values` path or a scope variable). */
export interface ValueSource {
  str(path: string): Expr;
  int(path: string): Expr;
  bool(path: string): Expr;
  map(path: string): Expr;
  list(path: string): Expr;
}

/** References below a `.Values` path, e.g. `valuesAt('controlPlane').int('replicas')`. */
export function valuesAt(prefix: string): ValueSource {
  const at = (type: ValueType) => (path: string) => new ValuesRef(`${prefix}.${path}`, type);
  return { str: at('string'), int: at('int'), bool: at('bool'), map: at('map'), list: at('list') };
}
