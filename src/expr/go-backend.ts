/**
 * The Go-template backend: writes one template file per object, wrapped in file-level
 * `{{- if }}` / `{{- range }}` for its scopes, with typed actions for expressions
 * (`int64`, `toJson`), conditional fields, list items from maps, content hashes
 * through `define`s, a `validate.yaml` with the render-time checks and `_helpers.tpl`.
 */
import { Expr, goString } from './expr';
import { functionsCalled, TemplateFunction } from './functions';
import { Each } from './scopes';
import { ChartTemplates, expressionsIn, MapEntry, Node, nodeAt, ObjectTemplate, Scope } from './template-ir';
import { quoteString, scalarText } from './yaml-scalar';

const pad = (n: number) => ' '.repeat(n);

/** Text of a subtree rendered by a `define` into a variable (spliced back with `nindent`). */
interface IncludedText {
  readonly variable: string;
}

class Emitter {
  public constructor(private readonly included: ReadonlyMap<Node, IncludedText> = new Map()) {}

  /** Lines of a map's entries at an indent. */
  public mapLines(entries: readonly MapEntry[], indent: number): string[] {
    return entries.flatMap((e) => {
      const lines = this.valueLines(`${pad(indent)}${this.key(e.key)}:`, e.value, indent);
      return e.when ? [`${pad(indent)}{{- if ${e.when.go()} }}`, ...lines, `${pad(indent)}{{- end }}`] : lines;
    });
  }

  /** Lines for `head` (`key:` or `-`) followed by a value whose children sit at indent + 2. */
  private valueLines(head: string, value: Node, indent: number): string[] {
    const inc = this.included.get(value);
    if (inc) return [`${head}{{- $${inc.variable} | nindent ${indent + 2} }}`];
    switch (value.kind) {
      case 'scalar':
        return [`${head} ${this.scalar(value.value)}`];
      case 'expr':
        return [`${head}${exprAction(value.expr)}`];
      case 'map':
        if (value.entries.length === 0) return [`${head} {}`];
        return [`${head}${emptyFallback(value.entries, '{}')}`, ...this.mapLines(value.entries, indent + 2)];
      case 'list':
        if (value.items.length === 0 && !value.each) return [`${head} []`];
        return [`${head}${value.each ? '' : emptyFallback(value.items, '[]')}`, ...this.listLines(value, indent + 2)];
    }
  }

  private listLines(list: Extract<Node, { kind: 'list' }>, indent: number): string[] {
    const lines = list.items.flatMap((item) => {
      const itemLines = this.itemLines(item.value, indent);
      return item.when ? [`${pad(indent)}{{- if ${item.when.go()} }}`, ...itemLines, `${pad(indent)}{{- end }}`] : itemLines;
    });
    if (list.each) {
      const { collection, keyVar, itemVar, item } = list.each;
      lines.push(`${pad(indent)}{{- range $${keyVar}, $${itemVar} := ${collection.go()} }}`, ...this.itemLines(item, indent));
      // A map with no entries renders `[]`, as the evaluation backend does, rather than null (also when
      // every static item before it is conditional and none is present).
      if (list.items.length === 0) lines.push(`${pad(indent)}{{- else }} []`);
      else if (list.items.every((i) => i.when)) lines.push(`${pad(indent)}{{- else }}${emptyFallback(list.items, '[]')}`);
      lines.push(`${pad(indent)}{{- end }}`);
    }
    return lines;
  }

  private itemLines(item: Node, indent: number): string[] {
    if (item.kind === 'map' && item.entries.length > 0) {
      const lines = this.mapLines(item.entries, indent + 2);
      // `- key: value` on one line unless the first entry is conditional.
      if (!lines[0].trimStart().startsWith('{{')) lines[0] = `${pad(indent)}- ${lines[0].slice(indent + 2)}`;
      else lines.unshift(`${pad(indent)}-${emptyFallback(item.entries, '{}')}`);
      return lines;
    }
    return this.valueLines(`${pad(indent)}-`, item, indent);
  }

  /** A static key; one containing `{{` goes through Go like a value would. */
  private key(key: string): string {
    return key.includes('{{') ? `{{ ${quoteString(key)} | toJson }}` : scalarText(key);
  }

  private scalar(value: string | number | boolean | null): string {
    // Literal `{{` in data would be parsed as a template action: print it through Go instead.
    if (typeof value === 'string' && value.includes('{{')) return `{{ ${quoteString(value)} | toJson }}`;
    return scalarText(value);
  }
}

/**
 * When every entry of a map (or item of a list) is conditional, all may be absent: print `{}` (`[]`)
 * then, as the evaluation backend gives, instead of an empty value that YAML reads as null.
 */
function emptyFallback(parts: ReadonlyArray<{ readonly when?: Expr }>, empty: string): string {
  if (parts.some((p) => !p.when)) return '';
  const conditions = parts.map((p) => p.when!.go());
  const anyPresent = conditions.length === 1 ? conditions[0] : `(or ${conditions.join(' ')})`;
  return `{{- if not ${anyPresent} }} ${empty}{{- end }}`;
}

/** The typed action for an expression in value position (after `key:` or `-`). */
function exprAction(e: Expr): string {
  switch (e.type) {
    case 'int': return ` {{ ${e.go()} | int64 }}`;
    case 'bool': return ` {{ ${e.go()} }}`;
    // Maps and lists too go out as JSON (valid YAML): Go's YAML writer treats U+2028/U+2029 in
    // strings as line breaks, changing or breaking the document; its JSON escapes them.
    default: return ` {{ ${e.go()} | toJson }}`;
  }
}

/** Variables a scope binds, in binding order. */
function scopeVariables(scope: Scope): string[] {
  return scope instanceof Each ? [scope.props.keyVar, scope.props.itemVar, ...scope.lets.map((l) => l.name)] : [];
}

function openScopes(scopes: readonly Scope[]): string[] {
  return scopes.flatMap((s) => (s instanceof Each
    ? [`{{- range $${s.props.keyVar}, $${s.props.itemVar} := ${s.props.collection.go()} }}`, ...s.lets.map((l) => `{{- $${l.name} := ${l.expr.go()} }}`)]
    : [`{{- if ${s.condition.go()} }}`]));
}

function closeScopes(scopes: readonly Scope[]): string[] {
  return scopes.map(() => '{{- end }}');
}

/** The `define` name of an object's subtree. */
function defineName(chartName: string, obj: ObjectTemplate, path: readonly string[]): string {
  return `${chartName}.${obj.file.replace(/\.yaml$/, '')}.${path.join('.')}`;
}

/** Scope variables a subtree reads (passed into its `define`). */
function variablesPassed(obj: ObjectTemplate, subtree: Node): string[] {
  const used = new Set(expressionsIn(subtree).flatMap((e) => e.variables()));
  return obj.scopes.flatMap(scopeVariables).filter((v) => used.has(v));
}

/** The template file text of one object. */
export function objectTemplateText(obj: ObjectTemplate, chartName: string): string {
  const defines = obj.hashedPaths.flatMap((path) => {
    const subtree = nodeAt(obj.root, path);
    if (subtree.kind !== 'map') throw new Error(`${obj.file}: hashed subtree ${path.join('.')} must be a map`);
    return [
      `{{- define ${goString(defineName(chartName, obj, path))} -}}`,
      ...variablesPassed(obj, subtree).map((v) => `{{- $${v} := $.${v} -}}`),
      ...new Emitter().mapLines(subtree.entries, 0),
      '{{- end }}',
    ];
  });
  const included = new Map<Node, IncludedText>();
  const bindings = obj.hashes.map(({ hash, target }) => {
    const subtree = nodeAt(target.root, hash.path);
    if (target === obj) included.set(subtree, { variable: hash.variable });
    const context = ['"Values" $.Values', '"Release" $.Release', '"Chart" $.Chart', '"Capabilities" $.Capabilities',
      ...variablesPassed(target, subtree).map((v) => `${goString(v)} $${v}`)];
    return `{{- $${hash.variable} := include ${goString(defineName(chartName, target, hash.path))} (dict ${context.join(' ')}) }}`;
  });
  if (obj.root.kind !== 'map') throw new Error(`${obj.file}: an object must be a map`);
  return [
    ...defines,
    ...openScopes(obj.scopes),
    ...bindings,
    '---',
    ...new Emitter(included).mapLines(obj.root.entries, 0),
    ...closeScopes(obj.scopes),
  ].join('\n') + '\n';
}

/** `templates/validate.yaml`: the render-time checks; renders no object. */
export function checksTemplateText(templates: ChartTemplates): string {
  const lines = ['{{- /* Render-time checks, also run by the evaluation backend: a failing check renders nothing. */ -}}'];
  for (const check of templates.checks) {
    lines.push(...openScopes(check.scopes), `{{- if ${check.failWhen.go()} }}`, `{{- fail ${check.message.go()} }}`, '{{- end }}', ...closeScopes(check.scopes));
  }
  return lines.join('\n') + '\n';
}

/** Every template function the chart's expressions call. */
export function chartFunctions(templates: ChartTemplates): TemplateFunction[] {
  const exprs: Expr[] = [];
  const scopeExprs = (scopes: readonly Scope[]) => scopes.flatMap((s) => (s instanceof Each ? [s.props.collection, ...s.lets.map((l) => l.expr)] : [s.condition]));
  for (const o of templates.objects) exprs.push(...expressionsIn(o.root), ...scopeExprs(o.scopes));
  for (const c of templates.checks) exprs.push(c.failWhen, c.message, ...scopeExprs(c.scopes));
  return functionsCalled(exprs);
}

/** `_helpers.tpl`: conventional helpers plus the template functions the chart calls. */
export function helpersTemplateText(templates: ChartTemplates, preamble: string): string {
  return [preamble.trim() + '\n', ...chartFunctions(templates).map((f) => f.goDefine())].join('\n');
}

