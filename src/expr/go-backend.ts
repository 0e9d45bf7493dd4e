/**
 * The Go-template backend: writes one template file per object, wrapped in file-level
 * `{{- if }}` / `{{- range }}` for its scopes, with typed actions for expressions
 * (`int64`, `toJson`), conditional fields, list items from maps, content hashes
 * through `define`s, a checks file with the render-time checks and `_helpers.tpl`.
 *
 * How each expression kind prints is its own business (`go()` and `goCondition()` in
 * expressions.ts, functions.ts, structure.ts); this file decides where things go in a file: which
 * repeated values a file binds once to a named variable (see `Bindable` in expr.ts), which maps it
 * writes as YAML `define`s, and the YAML layout around the actions.
 */
import { bareCondition, Bindable, Expr, goString, isBindable, withGoBindings } from './expr';
import { Concat, Literal, Logic, Named, Not, ReleaseRef, Ternary } from './expressions';
import { Call, functionsCalled, TemplateFunction } from './functions';
import { Structure, StructureNode } from './structure';
import {
  ChartTemplates, CheckTemplate, checkGroups, expressionsIn, MapEntry, Node, nodeAt, ObjectTemplate, Scope, scopeExpressions,
} from './template-ir';
import { quoteString, scalarText } from './yaml-scalar';

const pad = (n: number) => ' '.repeat(n);

/**
 * The checks file. Helm renders deeper paths first, then reverse-lexically (helm/helm
 * pkg/engine/engine.go `sortTemplates`, `byPathLen` reversed; the same in Helm 3.18 and 4.1), and
 * reports the first template that fails: in a folder named so that it comes before every component
 * folder, a failing check is what Helm reports, as the evaluation backend does (checks first).
 */
export const CHECKS_FILE = 'validate/values.yaml';

/** Files in the order Helm renders them (see {@link CHECKS_FILE}). */
export function helmRenderOrder(files: readonly string[]): string[] {
  const depth = (f: string) => f.split('/').length;
  return [...files].sort((a, b) => depth(b) - depth(a) || (a < b ? 1 : a > b ? -1 : 0));
}

/** Options of the file writers. */
export interface GoTemplateOptions {
  /** The repository file defining a construct class, for the provenance header (`src/constructs/…`). */
  readonly sourceFileOf?: (className: string) => string | undefined;
  /**
   * The chart's values adapter (`ChartTemplates.valuesAdapter`): the file's body is then a `define` included with
   * the adapted values as `.Values` (see {@link adaptedLines}).
   * @default - the body reads the chart's values
   */
  readonly valuesAdapter?: Expr;
}

/** The `define` in `_helpers.tpl` printing the adapted values as JSON (see `ChartTemplates.valuesAdapter`). */
export function adaptedValuesDefine(chartName: string): string {
  return `${chartName}.adaptedValues`;
}

/**
 * The main lines of a file whose chart has a values adapter: in a `define`, included with a root whose `.Values`
 * are the adapted values (and `.Release`, `.Chart` as they are), so that `$.Values` in the body reads them. The
 * body ends with `{{ end }}`, keeping its last line break (a block scalar at the end keeps its value).
 */
function adaptedLines(chartName: string, file: string, lines: readonly string[], adapter: Expr | undefined): string[] {
  if (!adapter) return [...lines];
  const body = defineName(chartName, file, ['adapted']);
  const values = `(include ${goString(adaptedValuesDefine(chartName))} $ | fromJson)`;
  return [`{{- define ${goString(body)} -}}`, ...lines, '{{ end }}', `{{- include ${goString(body)} (dict "Values" ${values} "Release" $.Release "Chart" $.Chart) }}`];
}

/** Text of a subtree rendered by a `define` into a variable (spliced back with `nindent`). */
interface IncludedText {
  readonly variable: string;
}

class Emitter {
  public constructor(private readonly included: ReadonlyMap<Node, IncludedText> = new Map()) {}

  /** Lines of a map's entries at an indent. */
  public mapLines(entries: readonly MapEntry[], indent: number): string[] {
    return conditionalRuns(entries, indent, (e) => (e.splice ? [spliceLine(e.splice, indent)]
      : this.valueLines(`${pad(indent)}${this.key(e.key)}:`, e.value, indent, e.when)));
  }

  /**
   * Lines for `head` (`key:` or `-`) followed by a value whose children sit at indent + 2; `given` is
   * the condition the value is printed under (no need to test again what it implies).
   */
  private valueLines(head: string, value: Node, indent: number, given?: Expr): string[] {
    const inc = this.included.get(value);
    if (inc) return [`${head}{{- $${inc.variable} | nindent ${indent + 2} }}`];
    switch (value.kind) {
      case 'scalar':
        return [`${head} ${this.scalar(value.value)}`];
      case 'expr':
        return [`${head}${exprAction(value.expr)}`];
      case 'map':
        if (value.entries.length === 0) return [`${head} {}`];
        return [`${head}${emptyFallback(value.entries, '{}', given)}`, ...this.mapLines(value.entries, indent + 2)];
      case 'list':
        if (value.items.length === 0 && !value.each) return [`${head} []`];
        return [`${head}${value.each ? '' : emptyFallback(value.items, '[]', given)}`, ...this.listLines(value, indent + 2)];
    }
  }

  private listLines(list: Extract<Node, { kind: 'list' }>, indent: number): string[] {
    const lines = conditionalRuns(list.items, indent, (item) => this.itemLines(item.value, indent, item.when));
    if (list.each) {
      const { collection, keyVar, itemVar, item } = list.each;
      lines.push(`${pad(indent)}{{- range $${keyVar}, $${itemVar} := ${bareCondition(collection.go())} }}`, ...this.itemLines(item, indent));
      // A map with no entries renders `[]`, as the evaluation backend does, rather than null (also when
      // every static item before it is conditional and none is present).
      if (list.items.length === 0) lines.push(`${pad(indent)}{{- else }} []`);
      else if (list.items.every((i) => i.when)) lines.push(`${pad(indent)}{{- else }}${emptyFallback(list.items, '[]')}`);
      lines.push(`${pad(indent)}{{- end }}`);
    }
    return lines;
  }

  private itemLines(item: Node, indent: number, given?: Expr): string[] {
    if (item.kind === 'map' && item.entries.length > 0) {
      const lines = this.mapLines(item.entries, indent + 2);
      // `- key: value` on one line unless the first entry is conditional.
      if (!lines[0].trimStart().startsWith('{{')) lines[0] = `${pad(indent)}- ${lines[0].slice(indent + 2)}`;
      else lines.unshift(`${pad(indent)}-${emptyFallback(item.entries, '{}', given)}`);
      return lines;
    }
    return this.valueLines(`${pad(indent)}-`, item, indent, given);
  }

  /** A static key; one containing `{{` goes through Go like a value would. */
  private key(key: string): string {
    return key.includes('{{') ? `{{ ${quoteString(key)} | toJson }}` : scalarText(key);
  }

  private scalar(value: string | number | boolean | null): string {
    return staticScalar(value);
  }
}

/**
 * Lines of entries (or items), those that exist only under a condition wrapped in `{{- if }}`: one `if`
 * for a run of consecutive ones under the same condition, as a person writes it.
 */
function conditionalRuns<T extends { readonly when?: Expr }>(parts: readonly T[], indent: number, linesOf: (part: T) => string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < parts.length;) {
    const when = parts[i].when;
    if (!when) {
      lines.push(...linesOf(parts[i++]));
      continue;
    }
    const condition = when.goCondition();
    let j = i;
    while (j < parts.length && parts[j].when && parts[j].when!.goCondition() === condition) j++;
    lines.push(`${pad(indent)}{{- if ${bareCondition(condition)} }}`, ...parts.slice(i, j).flatMap(linesOf), `${pad(indent)}{{- end }}`);
    i = j;
  }
  return lines;
}

function staticScalar(value: string | number | boolean | null): string {
  // Literal `{{` in data would be parsed as a template action: print it through Go instead.
  if (typeof value === 'string' && value.includes('{{')) return `{{ ${quoteString(value)} | toJson }}`;
  return scalarText(value);
}

/**
 * A map spliced into a block mapping: a helper that prints YAML (`<chart>.labels`) with `nindent`, any
 * other map expression entry by entry.
 */
function spliceLine(e: Expr, indent: number): string {
  if (e instanceof Call && e.fn.props.yamlKeys) return `${pad(indent)}{{- ${e.goInclude()} | nindent ${indent} }}`;
  return `${pad(indent)}{{- range $key, $value := ${e.go()} }}\n${pad(indent)}{{ $key | toJson }}: {{ $value | toJson }}\n${pad(indent)}{{- end }}`;
}

/**
 * When every entry of a map (or item of a list) is conditional, all may be absent: print `{}` (`[]`)
 * then, as the evaluation backend gives, instead of an empty value that YAML reads as null.
 */
function emptyFallback(parts: ReadonlyArray<{ readonly when?: Expr; readonly splice?: Expr }>, empty: string, given?: Expr): string {
  if (parts.some((p) => !p.when)) return '';
  const conditions = parts.map((p) => p.when!);
  const anyPresent = conditions.length === 1 ? conditions[0] : new Logic('or', conditions);
  // Printed under a condition that implies one is present (`if and A (or B C)` around `if not (or B C)`): never empty.
  const facts = given instanceof Logic && given.op === 'and' ? given.simplifiedOperands() : given ? [given] : [];
  if (facts.some((f) => f.goCondition() === anyPresent.goCondition())) return '';
  return `{{- if ${bareCondition(new Not(anyPresent).goCondition())} }} ${empty}{{- end }}`;
}

/** The typed action for an expression in value position (after `key:` or `-`). */
function exprAction(e: Expr): string {
  switch (e.type) {
    case 'int': return ` {{ ${bareCondition(e.go())} | int64 }}`;
    case 'bool': return ` {{ ${bareCondition(e.go())} }}`;
    // Maps and lists too go out as JSON (valid YAML): Go's YAML writer treats U+2028/U+2029 in
    // strings as line breaks, changing or breaking the document; its JSON escapes them.
    default: return ` {{ ${bareCondition(e.go())} | toJson }}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Variables of one file: scope variables, bound values, content-hash texts
// ---------------------------------------------------------------------------------------------

/** Variables a scope binds, in binding order. */
function scopeVariables(scope: Scope): string[] {
  return scope.kind === 'each' ? [scope.keyVar, scope.itemVar, ...scope.lets.map((l) => l.name)] : [];
}

/** A value a file binds once: `{{- $name := <text> }}` after the first `after` scopes. */
interface Binding {
  readonly name: string;
  readonly inline: string;
  readonly expr: Expr & Bindable;
  /** How many scopes of the file are open where it is bound. */
  readonly after: number;
  /** The Go text bound, when not the expression's own (a value written as a `define`). */
  readonly text?: string;
}

/** What a file binds and where: the plan every text of the file (and its `define`s) is printed with. */
interface FilePlan {
  readonly bindings: readonly Binding[];
  /** Inline text → variable text (`$name`), for `withGoBindings`. */
  readonly replacements: ReadonlyMap<string, string>;
}

/**
 * Binds every bindable value a file prints more than once, at the first place all it reads is in scope
 * (never before the file's leading `if`s: a disabled file computes nothing).
 */
function planFile(scopes: readonly Scope[], roots: readonly Expr[], hashVariables: readonly string[], outer?: FilePlan): FilePlan {
  const counts = new Map<string, { expr: Expr & Bindable; count: number }>();
  const order: string[] = [];
  const visit = (e: Expr) => {
    if (isBindable(e)) {
      const key = e.goInline();
      if (outer?.replacements.has(key)) return;
      const seen = counts.get(key);
      if (seen) {
        seen.count++;
        return;
      }
      counts.set(key, { expr: e, count: 1 });
      e.children().forEach(visit);
      order.push(key);
      return;
    }
    e.children().forEach(visit);
  };
  roots.forEach(visit);

  const available = new Map<string, number>();
  scopes.forEach((s, i) => scopeVariables(s).forEach((v) => available.set(v, i + 1)));
  hashVariables.forEach((v) => available.set(v, scopes.length));
  const leadingWhens = scopes.findIndex((s) => s.kind !== 'when');
  const minimum = leadingWhens < 0 ? scopes.length : leadingWhens;
  const bindings: Binding[] = [];
  const names = new Set<string>([...available.keys(), ...(outer?.bindings.map((b) => b.name) ?? [])]);
  for (const key of order) {
    const { expr, count } = counts.get(key)!;
    if (count < 2) continue;
    const needed = expr.variables().map((v) => available.get(v));
    if (needed.some((n) => n === undefined)) continue;
    let name = expr.bindingName;
    for (let i = 2; names.has(name); i++) name = `${expr.bindingName}${i}`;
    names.add(name);
    const after = Math.max(minimum, ...(needed as number[]));
    bindings.push({ name, inline: key, expr, after });
    available.set(name, after);
  }
  // Bind in scope order; within a scope, in the order found (what a binding reads is bound before it).
  bindings.sort((a, b) => a.after - b.after);
  return { bindings, replacements: new Map([...(outer?.replacements ?? []), ...bindings.map((b): [string, string] => [b.inline, `$${b.name}`])]) };
}

/** Variables (scope variables and bindings) the text of some expressions reads, in binding order. */
function variablesRead(exprs: readonly Expr[], scopes: readonly Scope[], plan: FilePlan): string[] {
  const used = new Set<string>();
  const visit = (e: Expr) => {
    if (isBindable(e) && plan.replacements.has(e.goInline())) {
      used.add(plan.replacements.get(e.goInline())!.slice(1));
      return;
    }
    e.variables().forEach((v) => used.add(v));
    e.children().forEach(visit);
  };
  exprs.forEach(visit);
  // A variable is read through the expressions of its own binding too (when it is not passed itself).
  return [...scopes.flatMap(scopeVariables), ...plan.bindings.map((b) => b.name)].filter((v) => used.has(v));
}

/**
 * The `dict` a `define` of this file is included with: `.Values`, `.Release` and `.Chart` (what helpers
 * that take the root context read) plus the variables it reads.
 */
function defineContext(variables: readonly string[], valueOf: (v: string) => string): string {
  return `(dict "Values" $.Values "Release" $.Release "Chart" $.Chart${variables.map((v) => ` ${goString(v)} ${valueOf(v)}`).join('')})`;
}

function openScopes(scopes: readonly Scope[], plan: FilePlan): string[] {
  const lines: string[] = [];
  const { bindings } = plan;
  const bind = (after: number) => bindings.filter((b) => b.after === after).forEach((b) => {
    // A binding's own text reads the bindings before it (and those of an outer plan), not itself.
    const before = new Map([...plan.replacements].filter(([inline]) => inline !== b.inline && !bindings.slice(bindings.indexOf(b)).some((x) => x.inline === inline)));
    lines.push(`{{- $${b.name} := ${b.text ?? bareCondition(withGoBindings(before, () => b.expr.go()))} }}`);
  });
  bind(0);
  scopes.forEach((s, i) => {
    if (s.kind === 'each') {
      lines.push(`{{- range $${s.keyVar}, $${s.itemVar} := ${bareCondition(s.collection.go())} }}`, ...s.lets.map((l) => `{{- $${l.name} := ${bareCondition(l.expr.go())} }}`));
    } else {
      lines.push(`{{- if ${bareCondition(s.condition.goCondition())} }}`);
    }
    bind(i + 1);
  });
  return lines;
}

function closeScopes(scopes: readonly Scope[]): string[] {
  return scopes.map(() => '{{- end }}');
}

/** The `define` name of a subtree of an object: `<chart>.<folder>.<file>.<path>`. */
function defineName(chartName: string, file: string, path: readonly string[]): string {
  return [chartName, ...file.replace(/\.yaml$/, '').split('/'), ...path].join('.');
}

/**
 * Values an object's file writes as `define`s, so that they read as what they are, with where they sit:
 * map structures (an addon's chart values) as YAML, multi-line strings (a configuration file) as text.
 */
function hoistedIn(node: Node, path: readonly string[] = []): Array<{ expr: Structure | Concat; path: readonly string[] }> {
  const found: Array<{ expr: Structure | Concat; path: readonly string[] }> = [];
  const visit = (e: Expr) => {
    if (e instanceof Structure && e.type === 'map' && Object.keys(e.tree).length > 0) found.push({ expr: e, path });
    else if (e instanceof Concat && e.parts.some((p) => typeof p === 'string' && p.includes('\n'))) found.push({ expr: e, path });
    else e.children().forEach(visit);
  };
  switch (node.kind) {
    case 'expr': visit(node.expr); break;
    case 'map': for (const e of node.entries) if (!e.splice) found.push(...hoistedIn(e.value, [...path, e.key])); break;
    case 'list': for (const i of node.items) found.push(...hoistedIn(i.value, path)); break;
  }
  return found;
}

/** YAML lines of a structure's tree, with typed actions at its expressions. */
function structureLines(n: StructureNode, indent: number): string[] {
  const head = (prefix: string, v: StructureNode): string[] => {
    if (v instanceof Expr) return [`${prefix}${exprAction(v)}`];
    if (typeof v !== 'object') return [`${prefix} ${staticScalar(v)}`];
    if (Array.isArray(v)) return v.length === 0 ? [`${prefix} []`] : [prefix, ...structureLines(v, indent + 2)];
    return Object.keys(v).length === 0 ? [`${prefix} {}`] : [prefix, ...structureLines(v, indent + 2)];
  };
  if (Array.isArray(n)) {
    return n.flatMap((item) => {
      if (item !== null && typeof item === 'object' && !Array.isArray(item) && !(item instanceof Expr) && Object.keys(item).length > 0) {
        const lines = structureLines(item, indent + 2);
        lines[0] = `${pad(indent)}- ${lines[0].slice(indent + 2)}`;
        return lines;
      }
      return head(`${pad(indent)}-`, item);
    });
  }
  return Object.entries(n as { [key: string]: StructureNode }).flatMap(([k, v]) => head(`${pad(indent)}${scalarText(k)}:`, v));
}

/** Whether Go prints a value as `printf "%v"` does when it stands alone in `{{ }}` (never nil: nil prints `<no value>`). */
function printsAsPrintf(e: Expr): boolean {
  if (e instanceof Literal || e instanceof ReleaseRef || e instanceof Concat || e.goIsBool) return true;
  if (e instanceof Call) return true;
  if (e instanceof Named) return printsAsPrintf(e.value);
  if (e instanceof Ternary) return e.children().slice(1).every(printsAsPrintf);
  return false;
}

/**
 * The body of a `define` printing a multi-line string exactly as `printf` would: its text verbatim with
 * the values in place (`{{ int64 x }}`, `{{ x }}`; `print` where a value may be missing). Ends with
 * `{{ end }}` after the text's last newline, or `{{- end }}` when there is none.
 */
function textLines(c: Concat): { lines: string[]; endsWithNewline: boolean } {
  const text = c.parts.map((p) => {
    if (typeof p === 'string') return p.replace(/\{\{/g, '{{ "{{" }}');
    if (p.type === 'int') return `{{ int64 ${p.go()} }}`;
    return printsAsPrintf(p) ? `{{ ${bareCondition(p.go())} }}` : `{{ print ${p.go()} }}`;
  }).join('');
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  // The `-}}` before the text trims whitespace up to the next action: keep a leading one.
  if (/^\s/.test(lines[0]) || lines[0] === '') lines[0] = `{{ "" }}${lines[0]}`;
  return { lines, endsWithNewline };
}

/** The provenance line of a template; the construct path only where the line stays short. */
function headerLine(obj: ObjectTemplate, opts: GoTemplateOptions): string {
  const source = opts.sourceFileOf?.(obj.source.className);
  const from = source ? `${source} (${obj.source.className})` : obj.source.className;
  const full = `{{- /* Generated from ${from}, construct ${obj.source.constructPath}; do not edit. */ -}}`;
  return full.length <= MAX_LINE ? full : `{{- /* Generated from ${from}; do not edit. */ -}}`;
}

/** Longest template line the writer aims at (actions are wrapped inside `dict`s beyond it). */
export const MAX_LINE = 160;

/** A line's length without the contents of Go string literals (messages and data are not code). */
export function codeLength(line: string): number {
  return line.replace(/"(?:[^"\\]|\\.)*"/g, '""').length;
}

/** Code of a line longer than {@link MAX_LINE} that may stay: the rest is data (a message, a script). */
export const MAX_CODE_IN_DATA_LINE = 100;

/** Whether a line is within the budget: at most {@link MAX_LINE} characters, or a data line. */
export function withinLineBudget(line: string): boolean {
  return line.length <= MAX_LINE || codeLength(line) <= MAX_CODE_IN_DATA_LINE;
}

/**
 * A line over the budget: its first long action broken at the operands of its commands, continuation
 * lines indented (Go templates allow newlines inside actions since Go 1.16). String literals stay whole.
 */
export function wrapLine(line: string): string {
  if (withinLineBudget(line)) return line;
  const open = line.indexOf('{{');
  if (open < 0) return line;
  const start = line.startsWith('{{- ', open) ? open + 4 : line.startsWith('{{ ', open) ? open + 3 : -1;
  const close = line.indexOf(' }}', start);
  if (start < 0 || close < 0 || line.indexOf('{{', start) < close && line.indexOf('{{', start) >= 0) return line;
  const indent = line.length - line.trimStart().length;
  const rows = packTokens(splitTopLevel(line.slice(start, close)), start, indent + 4, line.length - close);
  return `${line.slice(0, start)}${rows.join('\n')}${line.slice(close)}`;
}

/**
 * Tokens on rows: the first continues a line at `column`, the others start at `indent`; `reserve`
 * characters follow the last token. A parenthesized command too long for its row is broken itself.
 */
function packTokens(tokens: readonly string[], column: number, indent: number, reserve = 0): string[] {
  const rows: string[] = [];
  let row = '';
  let width = column;
  for (const [i, token] of tokens.entries()) {
    const after = i === tokens.length - 1 ? reserve : 0;
    const here = row === '' ? width : width + 1;
    if (here + token.length + after <= MAX_LINE) {
      row += (row === '' ? '' : ' ') + token;
      width = here + token.length;
      continue;
    }
    if (row !== '' && row.trim() !== '' && indent + token.length + after <= MAX_LINE) {
      rows.push(row);
      row = pad(indent) + token;
      width = indent + token.length;
      continue;
    }
    // Too long for a row of its own: break it (a command), or leave it long (a literal).
    const parenthesized = token.startsWith('(') && token.endsWith(')');
    const text = parenthesized ? wrapParenthesized(token, here + 1, indent + 2, after) : token;
    row += (row === '' ? '' : ' ') + text;
    width = text.split('\n').pop()!.length + (text.includes('\n') ? 0 : here);
  }
  rows.push(row);
  return rows;
}

/** `(command args…)` over several lines, starting at `column`: the args packed at `indent`. */
function wrapParenthesized(token: string, column: number, indent: number, reserve: number): string {
  return `(${packTokens(splitTopLevel(token.slice(1, -1)), column, indent, reserve + 1).join('\n')})`;
}

/** Operands of a Go command split at top-level spaces (not inside strings or parentheses). */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0, inString = false; i <= text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if ((ch === ' ' || ch === undefined) && depth === 0) {
      if (i > start) out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return out;
}

const plans = new WeakMap<ObjectTemplate, FilePlan>();

/** The plan of an object's file (its `define`s are included from other files with the variables they read). */
function planOf(obj: ObjectTemplate): FilePlan {
  let plan = plans.get(obj);
  if (!plan) {
    plan = planFile(obj.scopes, [...scopeExpressions(obj.scopes), ...expressionsIn(obj.root)], obj.hashes.map((h) => h.hash.variable));
    plans.set(obj, plan);
  }
  return plan;
}

/** The template file text of one object. */
export function objectTemplateText(obj: ObjectTemplate, chartName: string, opts: GoTemplateOptions = {}): string {
  const root = obj.root;
  if (root.kind !== 'map') throw new Error(`${obj.file}: an object must be a map`);
  const filePlan = planOf(obj);
  const bindings = [...filePlan.bindings];
  const replacements = new Map(filePlan.replacements);
  const scopeVars = new Map<string, number>();
  obj.scopes.forEach((sc, i) => scopeVariables(sc).forEach((v) => scopeVars.set(v, i + 1)));
  const leadingWhens = obj.scopes.findIndex((sc) => sc.kind !== 'when');

  // Chart values (YAML) and configuration files (text) as `define`s of this file.
  const hoistedDefines: string[] = [];
  const hoisted = hoistedIn(root);
  const names = new Set(bindings.map((b) => b.name));
  hoisted.forEach(({ expr, path }, i) => {
    const samePath = hoisted.filter((h) => h.path.join('.') === path.join('.')).length > 1;
    const name = defineName(chartName, obj.file, samePath ? [...path, String(i)] : path);
    const variables = variablesRead(expr.children(), obj.scopes, filePlan);
    const context = variables.length === 0 ? '$' : defineContext(variables, (v) => `$${v}`);
    const head = [`{{- define ${goString(name)} -}}`, ...variables.map((v) => `{{- $${v} := $.${v} -}}`)];
    if (expr instanceof Structure) {
      hoistedDefines.push(...head, ...withGoBindings(filePlan.replacements, () => structureLines(expr.tree, 0)), '{{- end }}');
      // Bound once where the file's scopes are open: `{{- $values := include "…values" $ | fromYaml }}`.
      let variable = path.length > 0 ? path[path.length - 1].replace(/[^A-Za-z0-9]/g, '') : 'structure';
      for (let n = 2; names.has(variable); n++) variable = `${variable.replace(/\d+$/, '')}${n}`;
      names.add(variable);
      const after = Math.max(leadingWhens < 0 ? obj.scopes.length : leadingWhens, ...variables.map((v) => scopeVars.get(v) ?? 0));
      bindings.push({ name: variable, inline: expr.goInline(), expr: expr as unknown as Expr & Bindable, after, text: `include ${goString(name)} ${context} | fromYaml` });
      replacements.set(expr.goInline(), `$${variable}`);
    } else {
      const { lines, endsWithNewline } = withGoBindings(filePlan.replacements, () => textLines(expr));
      hoistedDefines.push(...head, ...lines, endsWithNewline ? '{{ end }}' : '{{- end }}');
      replacements.set(expr.goInline(), `(include ${goString(name)} ${context})`);
    }
  });
  bindings.sort((a, b) => a.after - b.after);
  const plan: FilePlan = { bindings, replacements };

  return withGoBindings(replacements, () => {
    const defines = obj.hashedPaths.flatMap((path) => {
      const subtree = nodeAt(root, path);
      if (subtree.kind !== 'map') throw new Error(`${obj.file}: hashed subtree ${path.join('.')} must be a map`);
      return [
        `{{- define ${goString(defineName(chartName, obj.file, path))} -}}`,
        ...variablesRead(expressionsIn(subtree), obj.scopes, filePlan).map((v) => `{{- $${v} := $.${v} -}}`),
        ...new Emitter().mapLines(subtree.entries, 0),
        '{{- end }}',
      ];
    });
    const included = new Map<Node, IncludedText>();
    const hashBindings = obj.hashes.map(({ hash, target }) => {
      const subtree = nodeAt(target.root, hash.path);
      if (target === obj) included.set(subtree, { variable: hash.variable });
      const targetPlan = planOf(target);
      const variables = variablesRead(expressionsIn(subtree), target.scopes, targetPlan);
      // A variable of the target's file: the same variable here, or its expression printed here.
      const valueOf = (v: string) => {
        const binding = targetPlan.bindings.find((b) => b.name === v);
        return binding ? (replacements.get(binding.inline) ?? binding.expr.go()) : `$${v}`;
      };
      return `{{- $${hash.variable} := include ${goString(defineName(chartName, target.file, hash.path))} ${defineContext(variables, valueOf)} }}`;
    });
    return [
      headerLine(obj, opts),
      ...hoistedDefines,
      ...defines,
      ...adaptedLines(chartName, obj.file, [
        ...openScopes(obj.scopes, plan),
        ...hashBindings,
        '---',
        ...new Emitter(included).mapLines(root.entries, 0),
        ...closeScopes(obj.scopes),
      ], opts.valuesAdapter),
    ].map(wrapLine).join('\n') + '\n';
  });
}

/**
 * The checks file ({@link CHECKS_FILE}): the render-time checks, renders no object. Checks in the same
 * scopes share one `range`/`if` (one defaults merge per node group for all of them).
 */
export function checksTemplateText(templates: ChartTemplates, chartName = ''): string {
  const header = [
    '{{- /* Render-time checks, also run by the evaluation backend: a failing check renders nothing. This file comes',
    '       first in Helm\'s render order (deeper paths first), so a failing check is the error Helm reports. */ -}}',
  ];
  if (templates.valuesAdapter && chartName === '') throw new Error('checksTemplateText: a chart with a values adapter needs its chart name');
  const lines: string[] = [];
  const groups = checkGroups(templates.checks);
  const rootsOf = (group: readonly CheckTemplate[]) => [...scopeExpressions(group[0].scopes), ...group.flatMap((c) => [c.failWhen, c.message])];
  // Values that need no scope variable are bound once for the whole file.
  const top = planFile([], groups.flatMap(rootsOf), []);
  lines.push(...openScopes([], top));
  for (const group of groups) {
    const scopes = group[0].scopes;
    const plan = planFile(scopes, rootsOf(group), [], top);
    withGoBindings(plan.replacements, () => {
      lines.push(...openScopes(scopes, { bindings: plan.bindings.filter((b) => !top.bindings.includes(b)), replacements: plan.replacements }));
      for (const check of group) lines.push(`{{- if ${bareCondition(check.failWhen.goCondition())} }}`, `{{- fail ${check.message.go()} }}`, '{{- end }}');
      lines.push(...closeScopes(scopes));
    });
  }
  return [...header, ...adaptedLines(chartName, CHECKS_FILE, lines, templates.valuesAdapter)].map(wrapLine).join('\n') + '\n';
}

/** Every template function the chart's expressions call. */
export function chartFunctions(templates: ChartTemplates): TemplateFunction[] {
  const exprs: Expr[] = [];
  for (const o of templates.objects) exprs.push(...expressionsIn(o.root), ...scopeExpressions(o.scopes));
  for (const c of templates.checks) exprs.push(c.failWhen, c.message, ...scopeExpressions(c.scopes));
  if (templates.valuesAdapter) exprs.push(templates.valuesAdapter);
  const called = functionsCalled(exprs);
  // Functions the called ones call in their Go bodies (the labels helper includes the fullname helper).
  for (const f of [...called]) for (const dep of f.props.calls ?? []) if (!called.includes(dep)) called.push(dep);
  return called.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * `_helpers.tpl`: conventional helpers plus the template functions the chart calls, and the adapted values
 * (`<chart>.adaptedValues`, with the chart's root as its context) when the chart has a values adapter.
 */
export function helpersTemplateText(templates: ChartTemplates, preamble: string, chartName = ''): string {
  const adapter = templates.valuesAdapter;
  if (adapter && chartName === '') throw new Error('helpersTemplateText: a chart with a values adapter needs its chart name');
  const adapted = adapter
    ? [[`{{- define ${goString(adaptedValuesDefine(chartName))} -}}`, `{{- toJson ${withGoBindings(new Map(), () => adapter.go())} }}`, '{{- end -}}']
      .map(wrapLine).join('\n') + '\n']
    : [];
  return [preamble.trim() + '\n', ...adapted, ...chartFunctions(templates).map((f) => f.goDefine())].join('\n');
}
