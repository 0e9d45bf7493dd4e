/**
 * Kubernetes-flavoured CEL for `x-kubernetes-validations` rules, on top of @bufbuild/cel.
 *
 * What the API server does and we mimic:
 * - `self` is the value at the schema node carrying the rule, typed from the schema:
 *   `integer` -> CEL int (bigint), `number` -> double, objects -> maps (field selection on a
 *   missing field is an error, `has()` tests presence), property names escaped like
 *   Kubernetes does (`__dash__`, reserved words as `__namespace__`, ...).
 *   Not mimicked: strings with `format: date-time`/`duration`/`byte` stay CEL strings (the API
 *   server makes them timestamp/duration/bytes); no rule in the vendored CRDs reads such a field.
 * - Rules that reference `oldSelf` are transition rules: they never run on create, so we
 *   never run them either.
 * - Extension libraries: CEL's standard library (incl. `matches`), the strings extension
 *   (from @bufbuild/cel/ext), and Kubernetes' `isIP`/`isCIDR`. Every function a rule calls is
 *   checked against this environment before it runs (see {@link checkRule}); a rule that
 *   needs something else must be listed in {@link UNSUPPORTED_CEL_RULES} or validation fails
 *   loudly, so no rule is ever skipped silently.
 */
import { isIPv6 } from 'node:net';
import type * as CelModule from '@bufbuild/cel';

/**
 * Rules we knowingly cannot evaluate: exact rule text -> reason. test/validate.test.ts
 * asserts this list, and an unsupported rule not listed here is reported as an error.
 * Empty: every non-transition rule in the vendored CRDs evaluates (they use the standard
 * library, `matches`, the `all`/`exists_one`/`filter` macros, and `isIP`/`isCIDR`).
 */
export const UNSUPPORTED_CEL_RULES: ReadonlyMap<string, string> = new Map<string, string>([]);

/** Outcome of checking one rule's text against our CEL environment. */
export type RuleCheck =
  | { kind: 'evaluate' }
  | { kind: 'transition' } // references oldSelf: runs only on update
  | { kind: 'unsupported'; reason: string; listed: boolean };

// @bufbuild/cel is loaded lazily so a missing peer dependency (@bufbuild/protobuf) turns into
// one clear error instead of a module-load failure of every test importing the harness.
let celModule: typeof CelModule | undefined;
function cel(): typeof CelModule {
  if (!celModule) {
    try {
      celModule = require('@bufbuild/cel') as typeof CelModule;
    } catch (e) {
      throw new Error(`cannot load @bufbuild/cel (it needs its peer dependency @bufbuild/protobuf ^2 installed): ${(e as Error).message}`);
    }
  }
  return celModule;
}

// Operators and macros the planner implements itself: they are not in the function registry.
const BUILTIN_OPERATORS = ['_&&_', '_||_', '_?_:_', '@not_strictly_false', '_[_]', '@in'];

let envCache: { env: CelModule.CelEnv; functions: Set<string> } | undefined;
function environment() {
  if (!envCache) {
    const { celEnv, celFunc, CelScalar } = cel();
    const { strings } = require('@bufbuild/cel/ext') as typeof import('@bufbuild/cel/ext');
    const kubernetes = [
      celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (s) => isKubernetesIP(s)),
      celFunc('isCIDR', [CelScalar.STRING], CelScalar.BOOL, (s) => isKubernetesCIDR(s)),
    ];
    const env = celEnv({ funcs: [...strings, ...kubernetes] });
    envCache = { env, functions: new Set([...[...env.funcs].map((f) => f.name), ...BUILTIN_OPERATORS]) };
  }
  return envCache;
}

/** Names of all functions/operators called in a parsed CEL expression (macros expanded). */
function calledFunctions(expr: any, acc = new Set<string>()): Set<string> {
  const k = expr?.exprKind;
  switch (k?.case) {
    case 'callExpr':
      acc.add(k.value.function);
      if (k.value.target) calledFunctions(k.value.target, acc);
      k.value.args.forEach((a: unknown) => calledFunctions(a, acc));
      break;
    case 'selectExpr':
      calledFunctions(k.value.operand, acc);
      break;
    case 'listExpr':
      k.value.elements.forEach((a: unknown) => calledFunctions(a, acc));
      break;
    case 'structExpr':
      for (const e of k.value.entries) {
        if (e.keyKind?.case === 'mapKey') calledFunctions(e.keyKind.value, acc);
        calledFunctions(e.value, acc);
      }
      break;
    case 'comprehensionExpr':
      for (const part of ['iterRange', 'accuInit', 'loopCondition', 'loopStep', 'result']) calledFunctions(k.value[part], acc);
      break;
  }
  return acc;
}

/** True if the parsed expression reads the identifier `oldSelf`. */
function usesOldSelf(expr: any): boolean {
  return JSON.stringify(expr, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)).includes('"name":"oldSelf"');
}

type Compiled = { check: RuleCheck; run?: (self: unknown) => unknown };
const compiled = new Map<string, Compiled>();

function compile(rule: string): Compiled {
  let c = compiled.get(rule);
  if (c) return c;
  const { parse, plan } = cel();
  const { env, functions } = environment();
  let parsed: ReturnType<typeof parse> | undefined;
  let parseError: string | undefined;
  try {
    parsed = parse(rule);
  } catch (e) {
    parseError = `does not parse: ${(e as Error).message}`;
  }
  const missing = parsed ? [...calledFunctions(parsed.expr)].filter((f) => !functions.has(f)) : [];
  if (parsed && usesOldSelf(parsed.expr)) {
    c = { check: { kind: 'transition' } };
  } else if (!parsed || missing.length > 0) {
    const listed = UNSUPPORTED_CEL_RULES.get(rule);
    c = { check: { kind: 'unsupported', reason: listed ?? parseError ?? `unsupported function(s): ${missing.join(', ')}`, listed: listed !== undefined } };
  } else {
    const program = plan(env, parsed);
    c = { check: { kind: 'evaluate' }, run: (self) => program({ self: self as CelModule.CelInput }) };
  }
  compiled.set(rule, c);
  return c;
}

/** Classifies a rule: evaluated, transition (oldSelf) or unsupported (listed or not). */
export function checkRule(rule: string): RuleCheck {
  return compile(rule).check;
}

/**
 * Evaluates a rule on a CEL value (see {@link toCelValue}). Returns undefined when it holds,
 * otherwise why not: "false", or the evaluation error (e.g. a missing field, as in Kubernetes).
 */
export function evaluateRule(rule: string, self: unknown): string | undefined {
  const c = compile(rule);
  if (!c.run) throw new Error(`CEL rule is not evaluable (${c.check.kind}): ${rule}`);
  const result = c.run(self);
  if (result === true) return undefined;
  if (cel().isCelError(result)) return `evaluation error: ${result.message}`;
  return result === false ? 'false' : `evaluated to a non-bool value`;
}

/** Evaluates a `messageExpression`; undefined if it fails or does not yield a string. */
export function evaluateMessage(expression: string, self: unknown): string | undefined {
  try {
    const c = compile(expression);
    const out = c.run?.(self);
    return typeof out === 'string' && out.length > 0 ? out : undefined;
  } catch {
    return undefined;
  }
}

const CEL_RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/** Kubernetes' escaping of object property names for CEL (apiextensions `cel.Escape`). */
export function escapeCelProperty(name: string): string {
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  return name.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

/** The subset of a JSON schema node that decides how a JSON value looks in CEL. */
export interface CelSchema {
  type?: string | string[];
  properties?: Record<string, any>;
  additionalProperties?: boolean | Record<string, any>;
  items?: Record<string, any>;
}

/**
 * Converts a JSON value to its CEL form as the API server would type it from the schema.
 * `resolve` follows `$ref`s of the schema (core kinds use them).
 */
export function toCelValue(value: unknown, schema: CelSchema | undefined, resolve: (s: any) => any = (s) => s): unknown {
  const s: CelSchema | undefined = schema ? resolve(schema) : undefined;
  if (Array.isArray(value)) return value.map((v) => toCelValue(v, s?.items, resolve));
  if (typeof value === 'number') {
    const types = ([] as string[]).concat(s?.type ?? []);
    // `type: number` is a CEL double even when the value is integral; integers are CEL ints.
    return types.includes('number') || !Number.isInteger(value) ? value : BigInt(value);
  }
  if (value !== null && typeof value === 'object') {
    const out = new Map<string, unknown>();
    for (const [k, v] of Object.entries(value)) {
      const prop = s?.properties?.[k];
      const sub = prop ?? (typeof s?.additionalProperties === 'object' ? s.additionalProperties : undefined);
      out.set(prop ? escapeCelProperty(k) : k, toCelValue(v, sub, resolve));
    }
    return out;
  }
  return value;
}

/** Kubernetes CEL `isIP`: IPv4 without leading zeros or IPv6, no zone, not IPv4-mapped IPv6. */
export function isKubernetesIP(s: string): boolean {
  return isIPv4Strict(s) || (isIPv6(s) && !s.includes('%') && !isIPv4MappedIPv6(s));
}

/** Kubernetes CEL `isCIDR`: `<isIP address>/<prefix>`, host bits may be set. */
export function isKubernetesCIDR(s: string): boolean {
  const m = /^([^/]+)\/(0|[1-9][0-9]{0,2})$/.exec(s);
  if (!m || !isKubernetesIP(m[1])) return false;
  return Number(m[2]) <= (isIPv4Strict(m[1]) ? 32 : 128);
}

function isIPv4Strict(s: string): boolean {
  return /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/.test(s);
}

function isIPv4MappedIPv6(s: string): boolean {
  // The WHATWG URL parser normalizes IPv6 (e.g. ::FFFF:1.2.3.4 -> ::ffff:102:304).
  const host = new URL(`http://[${s}]/`).hostname;
  return /^\[::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}\]$/.test(host);
}

/**
 * Evaluates an admission expression (a ValidatingAdmissionPolicy validation or match condition) with the given
 * variables (`object`, `request`, …, plain JSON turned into CEL maps and lists). Returns the CEL result: a boolean, or
 * an error message.
 */
export function evaluateAdmissionExpression(expression: string, variables: Record<string, unknown>): boolean | string {
  const { parse, plan, isCelError } = cel();
  const { env, functions } = environment();
  const parsed = parse(expression);
  const missing = [...calledFunctions(parsed.expr)].filter((f) => !functions.has(f));
  if (missing.length > 0) throw new Error(`unsupported function(s) ${missing.join(', ')} in ${expression}`);
  const input = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, toCelValue(v, undefined)]));
  const result = plan(env, parsed)(input as CelModule.CelInput);
  if (isCelError(result)) return `evaluation error: ${result.message}`;
  if (typeof result !== 'boolean') return `evaluated to a non-bool value`;
  return result;
}
