/**
 * The intermediate form both backends read: synthesized objects as trees of static data,
 * expressions and structural markers, plus their scopes and render-time checks. Built once per chart
 * from the cdk8s construct tree; the evaluation backend then renders it per values document without
 * touching cdk8s again.
 *
 * Template files: construct ids are a contract. An object's template is `templates/<folder>/<kind>.yaml`,
 * where `<folder>` is the id of the nearest construct marked with {@link templateFolder} (kebab-case,
 * e.g. `Cilium` → `cilium/`, the `NodeGroups` scope → `node-groups/`) and `<kind>` the object's kind
 * (`HelmRelease` → `helm-release`, `OCIRepository` → `oci-repository`), after the prefixes given with
 * {@link templateFilePrefix} on its ancestors, or the name given with {@link templateFileName}. Objects
 * outside any folder sit at `templates/<kind>.yaml`. A name never
 * depends on other objects: two objects that would share a file are an error that names both, so
 * adding an object never renames another file. Renaming a folder construct's id renames its files.
 */
import type { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ContentHash } from './content-hash';
import { Expr, isExpr } from './expr';
import { Concat } from './expressions';
import { Call } from './functions';
import { ChartTemplates, CheckTemplate, expressionsIn, HashUse, ListItem, MapEntry, Node, ObjectTemplate, Scope } from './ir';
import { Each, EachItem, RenderCheck, ValuesAdapter, When, WhenField } from './scopes';
import { isToken, lookupToken, splitTokens } from './tokens';

export * from './ir';

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
    if (parts.every((p) => typeof p === 'string')) return { kind: 'scalar', value };
    return { kind: 'expr', expr: new Concat(parts.map((p) => (typeof p === 'string' ? p : asExpr(p)))) };
  }
  if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', value };
  if (Array.isArray(value)) return { kind: 'list', items: value.map(toListItem) };
  if (typeof value === 'object') {
    const entries: MapEntry[] = [];
    for (const key of Object.keys(value)) {
      let v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (isToken(key)) {
        entries.push({ key: '', value: { kind: 'scalar', value: null }, splice: spliced(lookupToken(key)) });
        continue;
      }
      if (typeof v === 'string' && isToken(v)) v = lookupToken(v);
      if (v instanceof WhenField) entries.push({ key, value: toNode(v.value), when: v.condition });
      else entries.push({ key, value: toNode(v) });
    }
    checkSpliceKeys(entries);
    return { kind: 'map', entries };
  }
  throw new Error(`cannot template a value of type ${typeof value}`);
}

function spliced(o: object): Expr {
  if (!isExpr(o) || o.type !== 'map') throw new Error('only a map expression can stand as a map key (its entries are spliced in)');
  return o;
}

/** A static key beside a splice that prints the same key would be a duplicate YAML key. */
function checkSpliceKeys(entries: readonly MapEntry[]): void {
  const static_ = new Set(entries.filter((e) => !e.splice).map((e) => e.key));
  for (const e of entries) {
    const keys = e.splice instanceof Call ? e.splice.fn.props.yamlKeys ?? [] : [];
    const both = keys.filter((k) => static_.has(k));
    if (both.length > 0) throw new Error(`${both.join(', ')}: given beside ${e.splice instanceof Call ? e.splice.fn.name : 'a spliced map'}, which prints them already`);
  }
}

function toListItem(value: unknown): ListItem {
  const v = typeof value === 'string' && isToken(value) ? lookupToken(value) : value;
  return v instanceof WhenField ? { value: toNode(v.value), when: v.condition } : { value: toNode(v) };
}

function asExpr(o: object): Expr {
  if (!isExpr(o)) throw new Error('only expressions can be interpolated into strings');
  return o;
}

/** Kebab case with word breaks at case changes and acronyms: `OCIRepository` → `oci-repository`. */
export function kebab(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

const FOLDERS = new WeakMap<IConstruct, string>();
const FILE_NAMES = new WeakMap<IConstruct, string>();
const FILE_PREFIXES = new WeakMap<IConstruct, string>();
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Writes the templates of every object below `scope` into `templates/<folder>/`: one folder per
 * component, as Bitnami and kube-prometheus-stack lay charts out. The folder is the construct id in
 * kebab case unless given: construct ids name template files, so renaming one renames files.
 */
export function templateFolder(scope: IConstruct, folder = kebab(scope.node.id)): void {
  if (!NAME.test(folder)) throw new Error(`template folder '${folder}' of ${scope.node.path}: lowercase letters, digits and "-"`);
  FOLDERS.set(scope, folder);
}

/** Names an object's template file (without `.yaml`) where its kind alone is not what a reader looks for. */
export function templateFileName(obj: IConstruct, name: string): void {
  if (!NAME.test(name)) throw new Error(`template file name '${name}' of ${obj.node.path}: lowercase letters, digits and "-"`);
  FILE_NAMES.set(obj, name);
}

/**
 * Names the template files of every object below `scope` `<prefix>-<kind>.yaml` (in the folder they
 * are in): for a part of a component whose objects have the kinds of the component's own, such as
 * Calico's CRD chart beside the Calico chart (`calico/crds-helm-release.yaml`). The prefix is the
 * construct id in kebab case unless given.
 */
export function templateFilePrefix(scope: IConstruct, prefix = kebab(scope.node.id)): void {
  if (!NAME.test(prefix)) throw new Error(`template file prefix '${prefix}' of ${scope.node.path}: lowercase letters, digits and "-"`);
  FILE_PREFIXES.set(scope, prefix);
}

/** The template file of an object: `<folder>/<kind>.yaml` (see the module documentation). */
function templateFile(obj: ApiObject, chart: Chart): string {
  const ancestors = obj.node.scopes.slice(chart.node.scopes.length, -1);
  const folders = ancestors.filter((c) => FOLDERS.has(c));
  if (folders.length > 1) {
    throw new Error(`${obj.node.path}: template folders do not nest (${folders.map((f) => f.node.path).join(', ')} are both folders)`);
  }
  const prefixes = ancestors.filter((c) => FILE_PREFIXES.has(c)).map((c) => FILE_PREFIXES.get(c));
  const name = `${FILE_NAMES.get(obj) ?? [...prefixes, kebab(obj.kind)].join('-')}.yaml`;
  return folders.length === 1 ? `${FOLDERS.get(folders[0])}/${name}` : name;
}

/** The `When`/`Each` scopes around a construct, outermost first, as IR scopes. */
export function scopesOf(c: IConstruct): Scope[] {
  return c.node.scopes.flatMap((s): Scope[] => {
    if (s instanceof When) return [{ kind: 'when', id: s.node.path, condition: s.condition }];
    if (s instanceof Each) return [{ kind: 'each', id: s.node.path, collection: s.props.collection, keyVar: s.props.keyVar, itemVar: s.props.itemVar, lets: s.lets }];
    return [];
  });
}

const METADATA_ORDER = ['name', 'generateName', 'namespace', 'labels', 'annotations'];

/**
 * The object as its construct wrote it: cdk8s sorts keys unless `CDK8S_DISABLE_SORT` is set, and
 * always sorts `metadata`, which then reads as a person writes it (name, namespace, labels, annotations).
 */
function objectJson(obj: ApiObject): unknown {
  const before = process.env.CDK8S_DISABLE_SORT;
  process.env.CDK8S_DISABLE_SORT = '1';
  try {
    const json = obj.toJson() as Record<string, unknown>;
    const metadata = json.metadata as Record<string, unknown> | undefined;
    if (metadata && typeof metadata === 'object') {
      const rank = (k: string) => (METADATA_ORDER.includes(k) ? METADATA_ORDER.indexOf(k) : METADATA_ORDER.length);
      // Labels and annotations in the order the construct gave them (cdk8s sorts metadata).
      const authored = (obj.metadata as unknown as { _additionalAttributes?: Record<string, unknown> })._additionalAttributes ?? {};
      json.metadata = Object.fromEntries(Object.entries(metadata)
        .sort(([a], [b]) => rank(a) - rank(b))
        .map(([k, v]) => [k, orderedLike(v, authored[k])]));
    }
    return json;
  } finally {
    if (before === undefined) delete process.env.CDK8S_DISABLE_SORT;
    else process.env.CDK8S_DISABLE_SORT = before;
  }
}

/** `value` with its maps' keys in the order of `authored` (where it has them), recursively. */
function orderedLike(value: unknown, authored: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !authored || typeof authored !== 'object' || Array.isArray(authored)) return value;
  const v = value as Record<string, unknown>;
  const order = Object.keys(authored).filter((k) => k in v);
  const keys = [...order, ...Object.keys(v).filter((k) => !order.includes(k))];
  return Object.fromEntries(keys.map((k) => [k, orderedLike(v[k], (authored as Record<string, unknown>)[k])]));
}

/** The construct that created an object: its nearest ancestor that is not a scope. */
function creatorOf(obj: ApiObject, chart: Chart): { className: string; constructPath: string } {
  const ancestors = obj.node.scopes.slice(chart.node.scopes.length, -1).filter((c) => !(c instanceof When || c instanceof Each));
  const creator = ancestors[ancestors.length - 1] ?? chart;
  const constructPath = obj.node.scopes.slice(chart.node.scopes.length).filter((c) => !(c instanceof When)).map((c) => c.node.id).join('/');
  return { className: creator.constructor.name, constructPath };
}

/** Collects the object templates and checks of a synthesized chart. */
export function chartTemplates(chart: Chart): ChartTemplates {
  type Mutable = { file: string; scopes: Scope[]; root: Node; hashes: HashUse[]; hashedPaths: string[][]; source: ObjectTemplate['source'] };
  const objects = new Map<IConstruct, Mutable>();
  const checks: CheckTemplate[] = [];
  // cdk8s only here, where the construct tree is read: rendering a precompiled model never loads it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ApiObject: ApiObjectClass } = require('cdk8s') as typeof import('cdk8s');
  const all = chart.node.findAll() as IConstruct[];
  const byFile = new Map<string, ApiObject>();
  for (const c of all.filter((x): x is ApiObject => ApiObjectClass.isApiObject(x))) {
    const file = templateFile(c, chart);
    const other = byFile.get(file);
    if (other) {
      throw new Error(`${c.node.path} and ${other.node.path} would share the template file ${file}: `
        + 'put one of them into its own templateFolder() or give it a templateFileName()');
    }
    byFile.set(file, c);
    objects.set(c, { file, scopes: scopesOf(c), root: toNode(objectJson(c)), hashes: [], hashedPaths: [], source: creatorOf(c, chart) });
  }
  for (const c of all) {
    if (c instanceof RenderCheck) checks.push({ scopes: scopesOf(c), failWhen: c.props.failWhen, message: c.props.message });
  }
  const adapters = all.filter((c): c is ValuesAdapter => c instanceof ValuesAdapter);
  if (adapters.length > 1) throw new Error(`one ValuesAdapter per chart: ${adapters.map((a) => a.node.path).join(', ')}`);
  if (adapters.length === 1 && scopesOf(adapters[0]).length > 0) throw new Error(`${adapters[0].node.path}: a ValuesAdapter is outside every When and Each`);
  // Second pass: link each content hash to the object it hashes, which then defines that subtree.
  const variables = new Map<string, string>();
  for (const obj of objects.values()) {
    const hashes = new Map(expressionsIn(obj.root).flatMap(hashesIn).map((h) => [h.variable, h]));
    for (const hash of hashes.values()) {
      const target = objects.get(hash.target);
      if (!target) throw new Error(`${obj.file}: content hash target ${hash.target.node.path} is not an ApiObject of this chart`);
      const targetKey = `${hash.target.node.path}:${hash.path.join('.')}`;
      const known = variables.get(hash.variable);
      if (known && known !== targetKey) throw new Error(`content hashes of ${known} and ${targetKey} would share the variable $${hash.variable}: rename a construct id`);
      variables.set(hash.variable, targetKey);
      obj.hashes.push({ hash, target });
      if (!target.hashedPaths.some((p) => p.join('.') === hash.path.join('.'))) target.hashedPaths.push([...hash.path]);
    }
  }
  return { objects: [...objects.values()], checks, ...(adapters.length === 1 ? { valuesAdapter: adapters[0].props.values } : {}) };
}

function hashesIn(e: Expr): ContentHash[] {
  return e instanceof ContentHash ? [e] : e.children().flatMap(hashesIn);
}
