/**
 * The string paths a chart model reads (`Values.int('controlPlane.replicas')`, `valuesAt('x').str('y')`,
 * `group.bool('autoscaling.enabled')` on a node group, `disk.str('size')` on an extra disk), checked
 * against the chart's values schema: every path must exist there, with a type that fits the one read.
 *
 * Scope variables get their schema from what binds them: an `Each` over a map or list gives its items'
 * schema to the item variable (a string to the key variable), a `let` of `mergeDefaults(defaults, item)`
 * the item's schema, and a list rendered with `eachItem` the same to its own variables.
 */
import {
  ChartTemplates, Expr, Call, MERGE_DEFAULTS, Node, Scope, scopeExpressions, ValueType, ValuesRef, VarRef,
} from '../../src/expr';

type Schema = Record<string, any>;

/** One path a model reads that the schema does not have, or has with another type. */
export interface PathProblem {
  /** `.Values.controlPlane.replicaz` or `$group.autoscaling.enabled`. */
  readonly path: string;
  readonly read: ValueType;
  /** What the schema says (`missing`, or the schema types found). */
  readonly schema: string;
}

function resolve(root: Schema, s: Schema | undefined): Schema | undefined {
  let cur = s;
  while (cur && typeof cur.$ref === 'string') cur = root.definitions?.[cur.$ref.replace('#/definitions/', '')];
  return cur;
}

/** The schema at a dotted path below `s`, through objects' properties and maps' item schemas. */
function schemaAt(root: Schema, s: Schema | undefined, segments: readonly string[]): Schema | undefined {
  let cur = resolve(root, s);
  for (const seg of segments) {
    if (!cur) return undefined;
    const own = cur.properties && Object.prototype.hasOwnProperty.call(cur.properties, seg) ? cur.properties[seg] : undefined;
    const prop = own ?? mapValueSchema(cur);
    cur = prop === false ? undefined : resolve(root, prop);
  }
  return cur;
}

/** The schema of one item of a map (its values) or a list. */
function itemSchema(root: Schema, s: Schema | undefined): Schema | undefined {
  const r = resolve(root, s);
  if (!r) return undefined;
  if (r.type === 'array') return resolve(root, r.items);
  return resolve(root, mapValueSchema(r));
}

/** The schema of a map's values: `additionalProperties`, or (maps whose keys have a format) the `patternProperties` entry. */
function mapValueSchema(s: Schema): Schema | undefined {
  if (typeof s.additionalProperties === 'object') return s.additionalProperties;
  return Object.values<Schema>(s.patternProperties ?? {})[0];
}

/** A schema that constrains no type (the chart's `FreeFormValue`: addon chart values passed through) allows every one. */
const ANY_TYPE = ['string', 'integer', 'number', 'boolean', 'object', 'array', 'null'];

/** The JSON schema types a schema allows (through `anyOf`/`oneOf`, and `enum`s' values). */
function typesOf(root: Schema, s: Schema): Set<string> {
  const out = new Set<string>();
  const r = resolve(root, s) ?? {};
  if (typeof r.type === 'string') out.add(r.type);
  if (Array.isArray(r.type)) r.type.forEach((t: string) => out.add(t));
  if (Array.isArray(r.enum)) r.enum.forEach((v: unknown) => out.add(Number.isInteger(v) ? 'integer' : typeof v === 'object' ? 'object' : typeof v));
  for (const alt of [...(r.anyOf ?? []), ...(r.oneOf ?? [])]) typesOf(root, alt).forEach((t) => out.add(t));
  if (r.type === undefined && r.enum === undefined && r.anyOf === undefined && r.oneOf === undefined && r.const === undefined) ANY_TYPE.forEach((t) => out.add(t));
  return out;
}

const FITS: Record<ValueType, (types: Set<string>) => boolean> = {
  string: (t) => t.has('string'),
  int: (t) => t.has('integer'),
  number: (t) => t.has('number') || t.has('integer'),
  bool: (t) => t.has('boolean'),
  map: (t) => t.has('object'),
  list: (t) => t.has('array'),
  any: (t) => t.size > 0,
};

type Env = ReadonlyMap<string, Schema | undefined>;

/** Every path a chart model reads that its values schema does not have with a fitting type. */
export function valuePathProblems(templates: ChartTemplates, schema: Schema): PathProblem[] {
  const problems = new Map<string, PathProblem>();
  const check = (shown: string, at: Schema | undefined, read: ValueType) => {
    if (!at) {
      problems.set(`${shown}:${read}`, { path: shown, read, schema: 'missing' });
      return;
    }
    const types = typesOf(schema, at);
    if (!FITS[read](types)) problems.set(`${shown}:${read}`, { path: shown, read, schema: [...types].join(' | ') || 'untyped' });
  };
  /** The schema of what an expression gives, where the model reads paths below it. */
  const schemaOf = (e: Expr, env: Env): Schema | undefined => {
    if (e instanceof ValuesRef) return schemaAt(schema, schema, e.path === '' ? [] : e.path.split('.'));
    if (e instanceof VarRef) return env.has(e.name) ? schemaAt(schema, env.get(e.name), segmentsOf(e)) : undefined;
    // `mergeDefaults(defaults, item)` has the item's schema (the defaults fill it).
    if (e instanceof Call && e.fn === MERGE_DEFAULTS) return schemaOf(e.args[1], env);
    return undefined;
  };
  const visit = (e: Expr, env: Env) => {
    if (e instanceof ValuesRef) check(`.Values.${e.path}`, schemaOf(e, env), e.type);
    else if (e instanceof VarRef && env.has(e.name) && env.get(e.name) !== undefined && segmentsOf(e).length > 0) {
      check(`$${e.name}.${segmentsOf(e).join('.')}`, schemaOf(e, env), e.type);
    }
    e.children().forEach((c) => visit(c, env));
  };
  const withScopes = (scopes: readonly Scope[]): Env => {
    const env = new Map<string, Schema | undefined>();
    for (const s of scopes) {
      if (s.kind !== 'each') continue;
      env.set(s.keyVar, { type: 'string' });
      env.set(s.itemVar, itemSchema(schema, schemaOf(s.collection, env)));
      for (const l of s.lets) env.set(l.name, schemaOf(l.expr, env));
    }
    return env;
  };
  const walk = (node: Node, env: Env) => {
    switch (node.kind) {
      case 'scalar': return;
      case 'expr': return visit(node.expr, env);
      case 'map': return node.entries.forEach((e) => {
        if (e.when) visit(e.when, env);
        if (e.splice) visit(e.splice, env);
        walk(e.value, env);
      });
      case 'list': {
        node.items.forEach((i) => {
          if (i.when) visit(i.when, env);
          walk(i.value, env);
        });
        if (node.each) {
          visit(node.each.collection, env);
          const inner = new Map(env);
          const collection = resolve(schema, schemaOf(node.each.collection, env));
          inner.set(node.each.keyVar, collection?.type === 'array' ? { type: 'integer' } : { type: 'string' });
          inner.set(node.each.itemVar, itemSchema(schema, collection));
          walk(node.each.item, inner);
        }
      }
    }
  };
  for (const o of templates.objects) {
    const env = withScopes(o.scopes);
    scopeExpressions(o.scopes).forEach((e) => visit(e, env));
    walk(o.root, env);
  }
  for (const c of templates.checks) {
    const env = withScopes(c.scopes);
    [...scopeExpressions(c.scopes), c.failWhen, c.message].forEach((e) => visit(e, env));
  }
  return [...problems.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function segmentsOf(v: VarRef): readonly string[] {
  return v.fieldPath;
}

/** Every path a chart model reads (for the test that the checker sees them all). */
export function valuePathsRead(templates: ChartTemplates): string[] {
  const found = new Set<string>();
  const visit = (e: Expr) => {
    if (e instanceof ValuesRef) found.add(e.path);
    e.children().forEach(visit);
  };
  const walk = (n: Node): void => {
    if (n.kind === 'expr') visit(n.expr);
    if (n.kind === 'map') n.entries.forEach((e) => [e.when, e.splice].forEach((x) => x && visit(x)) || walk(e.value));
    if (n.kind === 'list') {
      n.items.forEach((i) => (i.when && visit(i.when), walk(i.value)));
      if (n.each) (visit(n.each.collection), walk(n.each.item));
    }
  };
  for (const o of templates.objects) (scopeExpressions(o.scopes).forEach(visit), walk(o.root));
  for (const c of templates.checks) [...scopeExpressions(c.scopes), c.failWhen, c.message].forEach(visit);
  return [...found].sort();
}
