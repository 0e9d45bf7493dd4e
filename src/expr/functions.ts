/**
 * Template functions: logic too involved for one Go action (recursive merges, CIDR arithmetic,
 * version tables). Each has a Go `define` body, emitted into `_helpers.tpl` and called with
 * `include`, and an in-process implementation. The equivalence tests prove the two agree.
 */
import { Bindable, EvalEnv, Expr, goBound, goString, memoized, ValueType, withGoBindings } from './expr';

/** Which parts of `.Release` a computation read (a check that reads neither can run without a release). */
export interface ReleaseReads {
  readonly name: boolean;
  readonly namespace: boolean;
}

/** Thrown by the evaluation backend where the Go backend calls `fail`. */
export class RenderError extends Error {
  /** What of the release the failing computation read, when known (set by {@link Call} for template functions). */
  public releaseReads?: ReleaseReads;

  public constructor(message: string) {
    super(message);
    this.name = 'RenderError';
  }
}

/**
 * Key of the read counters on a release object made by `trackReleaseReads` (eval-backend.ts): a
 * template function's failure is attributed the release reads of its own arguments.
 */
export const RELEASE_READ_COUNTS = Symbol('releaseReadCounts');

/** Counts of `.Release.Name` and `.Release.Namespace` reads so far. */
export interface ReleaseReadCounts {
  name: number;
  namespace: number;
}

/** The read counters of an environment's release, if it is tracked. */
export function releaseReadCounts(env: EvalEnv): ReleaseReadCounts | undefined {
  return (env.release as unknown as Record<symbol, ReleaseReadCounts | undefined>)[RELEASE_READ_COUNTS];
}

export type FunctionResult = 'string' | 'int' | 'bool' | 'map' | 'list';

export interface TemplateFunctionProps {
  /** The `define` name, e.g. `tenant-cluster.mergeDefaults`. */
  readonly name: string;
  /** Parameter names; the Go body reads them as `.<name>`. */
  readonly params: readonly string[];
  readonly result: FunctionResult;
  /**
   * Go template body. Prints the result: plain text for string/int, `true` or nothing for bool,
   * `toJson` for map/list. Calls `fail` on invalid input.
   */
  readonly goBody: string;
  /** The same function in-process; throws `RenderError` where the Go body fails. */
  readonly evaluate: (...args: unknown[]) => unknown;
  /**
   * Pass the whole root context (`$`) instead of named parameters: for the conventional helpers
   * such as `<chart>.fullname` that read `.Values` and `.Release` themselves.
   * @default false
   */
  readonly takesRoot?: boolean;
  /**
   * For a `map` result: the body prints YAML map entries (`key: value` lines, values through `toJson`)
   * rather than JSON, so that a template can splice them into a block mapping with `nindent`
   * (as the `<chart>.labels` helper is used). `keys` lists the keys it prints.
   * @default - the body prints JSON
   */
  readonly yamlKeys?: readonly string[];
  /**
   * The variable a template file binds a call to when it uses the call more than once
   * (`$clusterName` for `<chart>.fullname`); a function of the arguments for calls that differ by them.
   * @default - calls are printed at every use
   */
  readonly variable?: string | ((args: readonly Expr[]) => string | undefined);
  /**
   * Other template functions the Go body includes (written to `_helpers.tpl` with it).
   * @default - none
   */
  readonly calls?: readonly TemplateFunction[];
  /**
   * For a function built per chart (the fullname and labels helpers): how to build it again from data
   * (a factory name and its arguments), so that a chart model written at synth time can be rendered
   * without the constructs. Module-level functions are found by name instead (src/template-functions.ts).
   * @default - found by name
   */
  readonly rebuild?: { readonly factory: string; readonly args: unknown };
}

export class TemplateFunction {
  public constructor(public readonly props: TemplateFunctionProps) {}

  public get name(): string {
    return this.props.name;
  }

  /** The `define` block for `_helpers.tpl`. */
  public goDefine(): string {
    return `{{- define ${goString(this.name)} -}}\n${this.props.goBody.trim()}\n{{- end -}}\n`;
  }

  /** An expression calling this function. */
  public call(...args: Expr[]): Call {
    const expected = this.props.takesRoot ? 0 : this.props.params.length;
    if (args.length !== expected) throw new Error(`${this.name} takes ${expected} arguments, got ${args.length}`);
    return new Call(this, args);
  }
}

const RESULT_TYPES: Record<FunctionResult, ValueType> = { string: 'string', int: 'int', bool: 'bool', map: 'map', list: 'list' };

/** A call of a template function. */
export class Call extends Expr implements Bindable {
  public readonly type: ValueType;
  private inline?: string;

  public constructor(public readonly fn: TemplateFunction, public readonly args: readonly Expr[]) {
    super();
    this.type = RESULT_TYPES[fn.props.result];
  }

  /** The variable a file binds this call to, if the function names one (see `TemplateFunctionProps.variable`). */
  public get bindingName(): string {
    const v = this.fn.props.variable;
    return (typeof v === 'function' ? v(this.args) : v) ?? '';
  }

  /** `include "<name>" <context>`: the call as a pipeline head, without the conversion of its text. */
  public goInclude(): string {
    const p = this.fn.props;
    const context = p.takesRoot ? '$' : `(dict ${p.params.map((name, i) => `${goString(name)} ${this.args[i].go()}`).join(' ')})`;
    return `include ${goString(p.name)} ${context}`;
  }

  public goInline(): string {
    this.inline ??= withGoBindings(new Map(), () => this.goUnbound());
    return this.inline;
  }

  public go(): string {
    return (this.bindingName && goBound(this)) || this.goUnbound();
  }

  private goUnbound(): string {
    const p = this.fn.props;
    const include = this.goInclude();
    switch (p.result) {
      case 'string': return `(${include})`;
      case 'int': return `(${include} | int64)`;
      case 'bool': return `(eq (${include}) "true")`;
      case 'map': return p.yamlKeys ? `(${include} | fromYaml)` : `(${include} | fromJson)`;
      case 'list': return `(${include} | fromJsonArray)`;
    }
  }

  /** A bool function prints `true` or nothing: where only truthiness counts, the `include` itself is the condition. */
  public goCondition(): string {
    if (this.fn.props.result !== 'bool') return this.go();
    return (this.bindingName && goBound(this)) || `(${this.goInclude()})`;
  }

  public get goIsBool(): boolean {
    return this.fn.props.result === 'bool';
  }

  public evaluate(env: EvalEnv): unknown {
    const counts = releaseReadCounts(env);
    const before = counts && { ...counts };
    try {
      return memoized(this, env, () => (this.fn.props.takesRoot
        ? this.fn.props.evaluate(env)
        : this.fn.props.evaluate(...this.args.map((a) => a.evaluate(env)))), this.args.length === 0 ? this.fn : this);
    } catch (e) {
      if (e instanceof RenderError && counts && before && e.releaseReads === undefined) {
        e.releaseReads = { name: counts.name > before.name, namespace: counts.namespace > before.namespace };
      }
      throw e;
    }
  }

  public children(): readonly Expr[] {
    return this.args;
  }
}

/** Every template function called anywhere inside the given expressions. */
export function functionsCalled(exprs: Iterable<Expr>): TemplateFunction[] {
  const found = new Map<string, TemplateFunction>();
  const add = (fn: TemplateFunction) => {
    if (found.has(fn.name)) return;
    found.set(fn.name, fn);
    (fn.props.calls ?? []).forEach(add);
  };
  const visit = (e: Expr) => {
    if (e instanceof Call) add(e.fn);
    // A content hash's canonical form (content-hash.ts) is a function its Go text includes.
    const canonical = (e as { canonical?: unknown }).canonical;
    if (canonical instanceof TemplateFunction) add(canonical);
    e.children().forEach(visit);
  };
  for (const e of exprs) visit(e);
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
