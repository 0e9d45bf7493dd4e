/**
 * The intermediate form both backends read: synthesized objects as trees of static data,
 * expressions and structural markers, plus their scopes and render-time checks. Built once per chart
 * from the cdk8s construct tree; the evaluation backend then renders it per values document without
 * touching cdk8s again.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ContentHash } from './content-hash';
import { Expr, isExpr } from './expr';
import { Concat } from './expressions';
import { Each, EachItem, RenderCheck, scopesOf, When, WhenField } from './scopes';
import { isToken, lookupToken, splitTokens } from './tokens';

export type Node =
  | { readonly kind: 'scalar'; readonly value: string | number | boolean | null }
  | { readonly kind: 'expr'; readonly expr: Expr }
  | { readonly kind: 'map'; readonly entries: readonly MapEntry[] }
  | { readonly kind: 'list'; readonly items: readonly ListItem[]; readonly each?: EachNode };

export interface ListItem {
  readonly value: Node;
  /** The item exists only when this holds. */
  readonly when?: Expr;
}

export interface MapEntry {
  readonly key: string;
  readonly value: Node;
  /** The entry exists only when this holds. */
  readonly when?: Expr;
}

export interface EachNode {
  readonly collection: Expr;
  readonly keyVar: string;
  readonly itemVar: string;
  readonly item: Node;
}

export type Scope = When | Each;

export interface ObjectTemplate {
  /** Template file name under `templates/`. */
  readonly file: string;
  readonly scopes: readonly Scope[];
  readonly root: Node;
  /** Content hashes the object uses, with the object whose subtree each hashes (rendered first). */
  readonly hashes: readonly HashUse[];
  /** Subtrees of this object that content hashes (here or elsewhere) refer to: rendered by a `define`. */
  readonly hashedPaths: readonly (readonly string[])[];
}

export interface HashUse {
  readonly hash: ContentHash;
  readonly target: ObjectTemplate;
}

export interface CheckTemplate {
  readonly scopes: readonly Scope[];
  readonly failWhen: Expr;
  readonly message: Expr;
}

export interface ChartTemplates {
  readonly objects: readonly ObjectTemplate[];
  readonly checks: readonly CheckTemplate[];
}

/** Turns synthesized JSON (with tokens) or live markers into a node tree. */
export function toNode(value: unknown): Node {
  if (value === null || value === undefined) return { kind: 'scalar', value: null };
  if (isExpr(value)) return { kind: 'expr', expr: value };
  if (value instanceof EachItem) {
    return {
      kind: 'list',
      items: value.before.map(toListItem),
      each: { collection: value.collection, keyVar: value.key.name, itemVar: value.item.name, item: toNode(value.template) },
    };
  }
  if (value instanceof WhenField) throw new Error('whenField() is only allowed as the value of a map key or a list item');
  if (typeof value === 'string') {
    if (isToken(value)) return toNode(lookupToken(value));
    const parts = splitTokens(value);
    if (parts.length === 1 && typeof parts[0] === 'string') return { kind: 'scalar', value };
    return { kind: 'expr', expr: new Concat(parts.map((p) => (typeof p === 'string' ? p : asExpr(p)))) };
  }
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', value };
  if (Array.isArray(value)) return { kind: 'list', items: value.map(toListItem) };
  if (typeof value === 'object') {
    const entries: MapEntry[] = [];
    for (const key of Object.keys(value)) {
      let v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (typeof v === 'string' && isToken(v)) v = lookupToken(v);
      if (v instanceof WhenField) entries.push({ key, value: toNode(v.value), when: v.condition });
      else entries.push({ key, value: toNode(v) });
    }
    return { kind: 'map', entries };
  }
  throw new Error(`cannot template a value of type ${typeof value}`);
}

function toListItem(value: unknown): ListItem {
  const v = typeof value === 'string' && isToken(value) ? lookupToken(value) : value;
  return v instanceof WhenField ? { value: toNode(v.value), when: v.condition } : { value: toNode(v) };
}

function asExpr(o: object): Expr {
  if (!isExpr(o)) throw new Error('only expressions can be interpolated into strings');
  return o;
}

/** Every expression in a node tree (for collecting variables and functions). */
export function expressionsIn(node: Node): Expr[] {
  switch (node.kind) {
    case 'scalar': return [];
    case 'expr': return [node.expr];
    case 'map': return node.entries.flatMap((e) => [...(e.when ? [e.when] : []), ...expressionsIn(e.value)]);
    case 'list': return [
      ...node.items.flatMap((i) => [...(i.when ? [i.when] : []), ...expressionsIn(i.value)]),
      ...(node.each ? [node.each.collection, ...expressionsIn(node.each.item)] : []),
    ];
  }
}

/** The subtree at a path of field names. */
export function nodeAt(node: Node, path: readonly string[]): Node {
  let cur = node;
  for (const key of path) {
    const entry = cur.kind === 'map' ? cur.entries.find((e) => e.key === key) : undefined;
    if (!entry || entry.when) throw new Error(`no unconditional field ${path.join('.')} to hash`);
    cur = entry.value;
  }
  return cur;
}

function kebab(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
}

/**
 * Template file names: the kind (`machine-deployment.yaml`), prefixed with the nearest construct ids
 * only where several objects share a kind (`cni-helm-release.yaml`, `csi-helm-release.yaml`).
 */
function templateFileNames(objs: readonly ApiObject[], chart: Chart): string[] {
  const ids = objs.map((o) => o.node.scopes.slice(chart.node.scopes.length).map((s) => s.node.id).filter((id) => id !== 'Resource'));
  const names = objs.map((o, i) => {
    for (let depth = 0; depth <= ids[i].length; depth++) {
      const prefix = depth === 0 ? [] : ids[i].slice(-depth);
      const name = [...prefix.map(kebab), kebab(o.kind)].join('-');
      const clash = objs.some((other, j) => j !== i && other.kind === o.kind && [...(depth === 0 ? [] : ids[j].slice(-depth)).map(kebab), kebab(other.kind)].join('-') === name);
      if (!clash) return `${name}.yaml`;
    }
    throw new Error(`cannot give ${o.node.path} a unique template file name`);
  });
  return names;
}

/** Collects the object templates and checks of a synthesized chart. */
export function chartTemplates(chart: Chart): ChartTemplates {
  const objects = new Map<IConstruct, { file: string; scopes: Scope[]; root: Node; hashes: HashUse[]; hashedPaths: string[][] }>();
  const checks: CheckTemplate[] = [];
  const all = chart.node.findAll() as IConstruct[];
  const apiObjects = all.filter((c): c is ApiObject => ApiObject.isApiObject(c));
  const files = templateFileNames(apiObjects, chart);
  apiObjects.forEach((c, i) => objects.set(c, { file: files[i], scopes: scopesOf(c), root: toNode(c.toJson()), hashes: [], hashedPaths: [] }));
  for (const c of all) {
    if (c instanceof RenderCheck) checks.push({ scopes: scopesOf(c), failWhen: c.props.failWhen, message: c.props.message });
  }
  // Second pass: link each content hash to the object it hashes, which then defines that subtree.
  for (const obj of objects.values()) {
    const hashes = new Map(expressionsIn(obj.root).flatMap(hashesIn).map((h) => [h.variable, h]));
    for (const hash of hashes.values()) {
      const target = objects.get(hash.target);
      if (!target) throw new Error(`${obj.file}: content hash target ${hash.target.node.path} is not an ApiObject of this chart`);
      obj.hashes.push({ hash, target });
      if (!target.hashedPaths.some((p) => p.join('.') === hash.path.join('.'))) target.hashedPaths.push([...hash.path]);
    }
  }
  return { objects: [...objects.values()], checks };
}

function hashesIn(e: Expr): ContentHash[] {
  return e instanceof ContentHash ? [e] : e.children().flatMap(hashesIn);
}
