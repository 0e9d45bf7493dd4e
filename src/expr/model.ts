/**
 * A chart's templates in their intermediate form as data (JSON), written at synth time and read back
 * without cdk8s or any construct: what the CLI renders from, so that it starts as fast as `helm`.
 *
 * Expressions are written field by field with the name of their class; template functions by name:
 * those of modules (the support matrix, the defaults merge) are found in the registry given to
 * {@link readModel}, those built per chart (`<chart>.fullname`, `<chart>.labels`) from the data they
 * were built from (`TemplateFunctionProps.rebuild`).
 */
import { ContentHash } from './content-hash';
import { Expr, isExpr } from './expr';
import * as expressions from './expressions';
import { Call, TemplateFunction } from './functions';
import { ChartTemplates, CheckTemplate, HashUse, ListItem, MapEntry, Node, ObjectTemplate, Scope } from './ir';
import { Structure } from './structure';

/** Version of the model format: a reader refuses any other. */
export const MODEL_FORMAT = 1;

/** The written model of one chart. */
export interface ChartModelData {
  readonly format: number;
  readonly chart: { readonly name: string; readonly version: string };
  /** The chart's values.yaml as data (coalesced under the user's values). */
  readonly defaults: Record<string, unknown>;
  /** Template functions built per chart, as the data they are rebuilt from. */
  readonly functions: ReadonlyArray<{ readonly name: string; readonly factory: string; readonly args: unknown }>;
  /** Every expression once (the templates share them), referred to by index as `{ "r": n }`. */
  readonly exprs: readonly unknown[];
  readonly objects: readonly unknown[];
  readonly checks: readonly unknown[];
  /** The values adapter (`ChartTemplates.valuesAdapter`), if the chart has one. */
  readonly valuesAdapter?: unknown;
}

/** Functions built per chart from data: name of the factory → the factory. */
export type FunctionFactories = Readonly<Record<string, (args: any, call: (name: string) => TemplateFunction) => TemplateFunction>>;

const EXPR_CLASSES: Record<string, { prototype: object }> = {
  ...Object.fromEntries(Object.entries(expressions).filter(([, v]) => typeof v === 'function' && v.prototype instanceof Expr)),
  Call,
  ContentHash,
  Structure,
};

/** Own fields that are caches, rebuilt on demand. */
const CACHES = new Set(['inline']);

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

class Writer {
  public readonly functions = new Map<string, TemplateFunction>();
  public readonly exprs: unknown[] = [];
  private readonly indexes = new Map<Expr, number>();
  private readonly byText = new Map<string, number>();

  /** A reference to the expression in the table (written there once; equal expressions share an entry). */
  public expr(e: Expr): unknown {
    let index = this.indexes.get(e);
    if (index === undefined) {
      const written = this.exprData(e);
      const text = JSON.stringify(written);
      index = this.byText.get(text);
      if (index === undefined) {
        index = this.exprs.length;
        this.exprs.push(written);
        this.byText.set(text, index);
      }
      this.indexes.set(e, index);
    }
    return { r: index };
  }

  private exprData(e: Expr): unknown {
    const name = e.constructor.name;
    if (!EXPR_CLASSES[name] || EXPR_CLASSES[name].prototype !== Object.getPrototypeOf(e)) {
      throw new Error(`expression ${name} cannot be written to a chart model: add its class to EXPR_CLASSES in src/expr/model.ts`);
    }
    if (e instanceof ContentHash) {
      const canonical = e.canonical ? { canonical: this.value(e.canonical, 'ContentHash.canonical') } : {};
      return { e: name, f: { variableName: e.variable, path: this.value([...e.path], 'ContentHash.path'), ...canonical } };
    }
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) {
      if (CACHES.has(k) || v === undefined) continue;
      fields[k] = this.value(v, `${name}.${k}`);
    }
    return { e: name, f: fields };
  }

  public value(v: unknown, where: string): unknown {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (isExpr(v)) return this.expr(v);
    if (v instanceof TemplateFunction) {
      this.functions.set(v.name, v);
      return { fn: v.name };
    }
    if (v instanceof RegExp) return { re: v.source, flags: v.flags };
    if (Array.isArray(v)) return { l: v.map((x, i) => this.value(x, `${where}[${i}]`)) };
    if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return { m: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.value(x, `${where}.${k}`)])) };
    }
    throw new Error(`${where}: a ${typeof v === 'object' ? (v as object).constructor.name : typeof v} cannot be written to a chart model`);
  }

  public node(n: Node): unknown {
    switch (n.kind) {
      case 'scalar': return { s: n.value };
      case 'expr': return { x: this.expr(n.expr) };
      case 'map': return { m: n.entries.map((e) => this.entry(e)) };
      case 'list': return {
        l: n.items.map((i) => ({ v: this.node(i.value), ...(i.when ? { w: this.expr(i.when) } : {}) })),
        ...(n.each ? { each: { c: this.expr(n.each.collection), k: n.each.keyVar, i: n.each.itemVar, v: this.node(n.each.item) } } : {}),
      };
    }
  }

  private entry(e: MapEntry): unknown {
    if (e.splice) return { splice: this.expr(e.splice) };
    return { k: e.key, v: this.node(e.value), ...(e.when ? { w: this.expr(e.when) } : {}) };
  }

  public scopes(scopes: readonly Scope[]): unknown[] {
    return scopes.map((s) => (s.kind === 'when'
      ? { when: s.id, c: this.expr(s.condition) }
      : { each: s.id, c: this.expr(s.collection), k: s.keyVar, i: s.itemVar, lets: s.lets.map((l) => ({ n: l.name, x: this.expr(l.expr) })) }));
  }
}

/**
 * The model of a chart as data. Every template function the templates call must be in `registry`
 * (by name) or declare how it is rebuilt (`rebuild`), else this throws naming it.
 */
export function writeModel(templates: ChartTemplates, chart: ChartModelData['chart'], defaults: object, registry: readonly TemplateFunction[]): ChartModelData {
  const w = new Writer();
  const objects = templates.objects.map((o) => ({
    file: o.file,
    scopes: w.scopes(o.scopes),
    root: w.node(o.root),
    hashes: o.hashes.map((h) => ({ variable: h.hash.variable, path: [...h.hash.path], target: templates.objects.indexOf(h.target) })),
    hashedPaths: o.hashedPaths.map((p) => [...p]),
    source: o.source,
  }));
  const checks = templates.checks.map((c) => ({ scopes: w.scopes(c.scopes), failWhen: w.expr(c.failWhen), message: w.expr(c.message) }));
  const valuesAdapter = templates.valuesAdapter ? { valuesAdapter: w.expr(templates.valuesAdapter) } : {};
  // Functions rebuilt from data may call others (the labels helper calls the fullname helper).
  const functions: Array<{ name: string; factory: string; args: unknown }> = [];
  const done = new Set<string>();
  for (let more = true; more;) {
    more = false;
    for (const f of [...w.functions.values()]) {
      if (done.has(f.name)) continue;
      done.add(f.name);
      more = true;
      for (const dep of f.props.calls ?? []) w.functions.set(dep.name, dep);
      if (registry.includes(f)) continue;
      const rebuild = f.props.rebuild;
      if (!rebuild) {
        throw new Error(`template function ${f.name} is neither registered (src/template-functions.ts) nor rebuilt from data (TemplateFunctionProps.rebuild)`);
      }
      functions.push({ name: f.name, factory: rebuild.factory, args: w.value(rebuild.args, `${f.name} rebuild`) });
    }
  }
  functions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { format: MODEL_FORMAT, chart, defaults: JSON.parse(JSON.stringify(defaults)), functions, exprs: w.exprs, objects, checks, ...valuesAdapter };
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/** A model read back: the templates, as `chartTemplates` built them, and the chart's defaults. */
export interface LoadedModel {
  readonly chart: ChartModelData['chart'];
  readonly defaults: Record<string, unknown>;
  readonly templates: ChartTemplates;
}

/** Reads a model written by {@link writeModel}; `registry` holds the module-level template functions. */
export function readModel(data: ChartModelData, registry: readonly TemplateFunction[], factories: FunctionFactories): LoadedModel {
  if (data.format !== MODEL_FORMAT) throw new Error(`chart model format ${data.format} is not ${MODEL_FORMAT}: run npm run synth`);
  const known = new Map(registry.map((f) => [f.name, f]));
  const built = new Map<string, TemplateFunction>();
  const specs = new Map(data.functions.map((f) => [f.name, f]));
  const fn = (name: string): TemplateFunction => {
    const found = known.get(name) ?? built.get(name);
    if (found) return found;
    const spec = specs.get(name);
    if (!spec) throw new Error(`chart model calls template function ${name}, which is not registered (src/template-functions.ts)`);
    const factory = factories[spec.factory];
    if (!factory) throw new Error(`chart model: no factory ${spec.factory} for template function ${name}`);
    const f = factory(value(spec.args), fn);
    built.set(name, f);
    return f;
  };
  const table: Array<Expr | undefined> = [];
  const value = (v: any): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if ('r' in v) return expr(v);
    if ('fn' in v) return fn(v.fn);
    if ('re' in v) return new RegExp(v.re, v.flags);
    if ('l' in v) return (v.l as unknown[]).map(value);
    if ('m' in v) return Object.fromEntries(Object.entries(v.m as Record<string, unknown>).map(([k, x]) => [k, value(x)]));
    throw new Error(`chart model: unreadable value ${JSON.stringify(v).slice(0, 80)}`);
  };
  const expr = (ref: { r: number }): Expr => {
    const known = table[ref.r];
    if (known) return known;
    const v = data.exprs[ref.r] as { e: string; f: Record<string, unknown> };
    const cls = EXPR_CLASSES[v.e];
    if (!cls) throw new Error(`chart model: unknown expression ${v.e}`);
    const e = Object.create(cls.prototype);
    for (const [k, x] of Object.entries(v.f)) e[k] = value(x);
    table[ref.r] = e;
    return e;
  };
  const node = (n: any): Node => {
    if ('s' in n) return { kind: 'scalar', value: n.s };
    if ('x' in n) return { kind: 'expr', expr: expr(n.x) };
    if ('m' in n) {
      return {
        kind: 'map',
        entries: (n.m as any[]).map((e): MapEntry => (e.splice
          ? { key: '', value: { kind: 'scalar', value: null }, splice: expr(e.splice) }
          : { key: e.k, value: node(e.v), ...(e.w ? { when: expr(e.w) } : {}) })),
      };
    }
    return {
      kind: 'list',
      items: (n.l as any[]).map((i): ListItem => ({ value: node(i.v), ...(i.w ? { when: expr(i.w) } : {}) })),
      ...(n.each ? { each: { collection: expr(n.each.c), keyVar: n.each.k, itemVar: n.each.i, item: node(n.each.v) } } : {}),
    };
  };
  const scopes = (list: any[]): Scope[] => list.map((s) => (s.when !== undefined
    ? { kind: 'when', id: s.when, condition: expr(s.c) }
    : { kind: 'each', id: s.each, collection: expr(s.c), keyVar: s.k, itemVar: s.i, lets: s.lets.map((l: any) => ({ name: l.n, expr: expr(l.x) })) }));

  const objects: Array<ObjectTemplate & { hashes: HashUse[] }> = (data.objects as any[]).map((o) => ({
    file: o.file, scopes: scopes(o.scopes), root: node(o.root), hashes: [], hashedPaths: o.hashedPaths, source: o.source,
  }));
  (data.objects as any[]).forEach((o, i) => {
    for (const h of o.hashes) {
      const hash = Object.create(ContentHash.prototype) as ContentHash;
      Object.assign(hash, { variableName: h.variable, path: h.path });
      objects[i].hashes.push({ hash, target: objects[h.target] });
    }
  });
  const checks: CheckTemplate[] = (data.checks as any[]).map((c) => ({ scopes: scopes(c.scopes), failWhen: expr(c.failWhen), message: expr(c.message) }));
  const valuesAdapter = data.valuesAdapter === undefined ? {} : { valuesAdapter: expr(data.valuesAdapter as { r: number }) };
  return { chart: data.chart, defaults: data.defaults, templates: { objects, checks, ...valuesAdapter } };
}
