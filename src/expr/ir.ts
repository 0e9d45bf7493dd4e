/**
 * The intermediate form both backends read (types and walks only: no cdk8s, so that rendering a
 * precompiled model loads none). Built from the construct tree by template-ir.ts.
 */
import type { ContentHash } from './content-hash';
import { Expr } from './expr';

/** A scope variable bound once per iteration of an `Each`, after its key and item. */
export interface Let {
  readonly name: string;
  readonly expr: Expr;
}

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
  /**
   * Instead of one key: every entry of this map expression, here (e.g. the standard labels from the
   * `<chart>.labels` helper). `key` is empty and `value` unused.
   */
  readonly splice?: Expr;
}

export interface EachNode {
  readonly collection: Expr;
  readonly keyVar: string;
  readonly itemVar: string;
  readonly item: Node;
}

/** Objects exist only when `condition` holds (Go truthiness). */
export interface WhenScope {
  readonly kind: 'when';
  /** The scope construct's path: scopes with the same id are the same scope. */
  readonly id: string;
  readonly condition: Expr;
}

/** Objects exist once per entry of `collection` (sorted keys, as Go's `range`), with per-entry `lets`. */
export interface EachScope {
  readonly kind: 'each';
  readonly id: string;
  readonly collection: Expr;
  readonly keyVar: string;
  readonly itemVar: string;
  readonly lets: readonly Let[];
}

export type Scope = WhenScope | EachScope;

export interface ObjectTemplate {
  /** Template file path under `templates/` (`cilium/helm-release.yaml`). */
  readonly file: string;
  readonly scopes: readonly Scope[];
  readonly root: Node;
  /** Content hashes the object uses, with the object whose subtree each hashes (rendered first). */
  readonly hashes: readonly HashUse[];
  /** Subtrees of this object that content hashes (here or elsewhere) refer to: rendered by a `define`. */
  readonly hashedPaths: readonly (readonly string[])[];
  /** Where the object comes from: the class of the construct that created it, and the construct path. */
  readonly source: { readonly className: string; readonly constructPath: string };
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
  /**
   * Render-time checks in the order both backends run them. Consecutive checks in the same scopes run
   * as one group: per scope entry (per node group), every check of the group in turn.
   */
  readonly checks: readonly CheckTemplate[];
  /**
   * What every object and check reads as `.Values`, computed from the chart's own values (see `ValuesAdapter`):
   * the Go backend includes each file's body with it as the root, the evaluation backend evaluates it first.
   * @default - the chart's values
   */
  readonly valuesAdapter?: Expr;
}

/** Every expression in a node tree (for collecting variables and functions). */
export function expressionsIn(node: Node): Expr[] {
  switch (node.kind) {
    case 'scalar': return [];
    case 'expr': return [node.expr];
    case 'map': return node.entries.flatMap((e) => [...(e.when ? [e.when] : []), ...(e.splice ? [e.splice] : []), ...expressionsIn(e.value)]);
    case 'list': return [
      ...node.items.flatMap((i) => [...(i.when ? [i.when] : []), ...expressionsIn(i.value)]),
      ...(node.each ? [node.each.collection, ...expressionsIn(node.each.item)] : []),
    ];
  }
}

/** The expressions of a scope chain (conditions, collections, lets). */
export function scopeExpressions(scopes: readonly Scope[]): Expr[] {
  return scopes.flatMap((s) => (s.kind === 'each' ? [s.collection, ...s.lets.map((l) => l.expr)] : [s.condition]));
}

/** The subtree at a path of field names. */
export function nodeAt(node: Node, path: readonly string[]): Node {
  let cur = node;
  for (const key of path) {
    const entry = cur.kind === 'map' ? cur.entries.find((e) => e.key === key && !e.splice) : undefined;
    if (!entry || entry.when) throw new Error(`no unconditional field ${path.join('.')} to hash`);
    cur = entry.value;
  }
  return cur;
}

/** Two scope chains are the same (same scope constructs). */
export function sameScopes(a: readonly Scope[], b: readonly Scope[]): boolean {
  return a.length === b.length && a.every((s, i) => s.id === b[i].id);
}

/** Consecutive checks in the same scopes, as both backends run them (see {@link ChartTemplates.checks}). */
export function checkGroups(checks: readonly CheckTemplate[]): CheckTemplate[][] {
  const groups: CheckTemplate[][] = [];
  for (const c of checks) {
    const last = groups[groups.length - 1];
    if (last && sameScopes(last[0].scopes, c.scopes)) last.push(c);
    else groups.push([c]);
  }
  return groups;
}

