import { IConstruct } from 'constructs';
import { EvalEnv, Expr, goString } from './expr';
import type { TemplateFunction } from './functions';
import { contentHash } from './go-json';

/**
 * The content hash of a rendered subtree of an object (for immutable templates named
 * `<name>-<hash>`, and for the references to them). The Go backend renders the subtree through a
 * `define` (emitted in the target's file) into a variable and hashes it with
 * `fromYaml | toJson | sha256sum | trunc 8`; the evaluation backend hashes the evaluated subtree
 * with a Go-compatible JSON encoder. The referencing object must sit in the same scopes as the target.
 */
export class ContentHash extends Expr {
  public readonly type = 'string';
  private variableName?: string;

  /**
   * @param targetRef the ApiObject whose subtree is hashed, or a function returning it (for an object
   *   whose own name contains the hash of its spec, and so does not exist yet)
   * @param path the hashed subtree, relative to the object (e.g. `['spec']`)
   * @param variable the variable's name, where the target's id does not tell it from another hash of the chart (one
   *   construct used twice, e.g. the cloud.conf of two OpenStack components)
   * @default - after the target's construct id and the path (see {@link variable})
   * @param canonical a template function of one parameter (result `map`) that turns the subtree into the form whose
   *   hash names the object (for an object rendered in one of several API shapes whose name must not depend on the
   *   shape: the Go backend hashes `include <canonical> (dict <param> ($var | fromYaml))`, the JSON it prints; the
   *   evaluation backend hashes the function's in-process result)
   * @default - the subtree as rendered
   */
  public constructor(private readonly targetRef: IConstruct | (() => IConstruct), public readonly path: readonly string[], variable?: string,
    public readonly canonical?: TemplateFunction) {
    super();
    if (canonical && (canonical.props.params.length !== 1 || canonical.props.result !== 'map' || canonical.props.yamlKeys)) {
      throw new Error(`content hash canonical form ${canonical.name}: a function of one parameter printing a JSON map`);
    }
    if (path.length === 0 || path.some((p) => !/^[A-Za-z][A-Za-z0-9]*$/.test(p))) {
      throw new Error(`content hash path must be field names, got ${JSON.stringify(path)}`);
    }
    if (variable !== undefined && !/^[a-z][A-Za-z0-9]*$/.test(variable)) throw new Error(`invalid content hash variable '${variable}' (lowerCamelCase)`);
    this.variableName = variable;
  }

  public get target(): IConstruct {
    return typeof this.targetRef === 'function' ? this.targetRef() : this.targetRef;
  }

  /**
   * The variable holding the rendered subtree (text in Go, the evaluated value in-process), named after
   * the target's construct id and the path: `$machineTemplateSpec` for `MachineTemplate` and `['spec']`.
   */
  public get variable(): string {
    if (this.variableName) return this.variableName;
    const words = [this.target.node.id, ...this.path].map((w) => w.replace(/[^A-Za-z0-9]/g, '')).filter((w) => w !== '');
    const camel = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
    this.variableName = camel[0].toLowerCase() + camel.slice(1);
    return this.variableName;
  }

  public go(): string {
    if (this.canonical) {
      const param = goString(this.canonical.props.params[0]);
      return `(include ${goString(this.canonical.name)} (dict ${param} ($${this.variable} | fromYaml)) | sha256sum | trunc 8)`;
    }
    return `($${this.variable} | fromYaml | toJson | sha256sum | trunc 8)`;
  }

  public evaluate(env: EvalEnv): unknown {
    if (!env.vars.has(this.variable)) throw new Error(`content hash of ${this.path.join('.')} evaluated before its subtree`);
    const subtree = env.vars.get(this.variable);
    const hashOf = (value: unknown) => contentHash(this.canonical ? this.canonical.props.evaluate(value) : value);
    // The name of a template and every reference to it hash the same evaluated subtree: once per render (with a
    // canonical form, in a memo of that form's own, so that another form of the same subtree is never mistaken).
    if (!env.memo || subtree === null || typeof subtree !== 'object') return hashOf(subtree);
    const memo = this.canonical ? memoOf(env.memo, this.canonical) : env.memo;
    let hash = memo.get(subtree);
    if (hash === undefined) {
      hash = hashOf(subtree);
      memo.set(subtree, hash);
    }
    return hash;
  }

  public variables(): string[] {
    return [this.variable];
  }
}

/** The memo of the hashes of one canonical form, inside a render's memo. */
function memoOf(memo: Map<object, unknown>, canonical: object): Map<object, unknown> {
  let own = memo.get(canonical) as Map<object, unknown> | undefined;
  if (own === undefined) {
    own = new Map();
    memo.set(canonical, own);
  }
  return own;
}
