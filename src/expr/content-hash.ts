import { IConstruct } from 'constructs';
import { EvalEnv, Expr } from './expr';
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
   */
  public constructor(private readonly targetRef: IConstruct | (() => IConstruct), public readonly path: readonly string[], variable?: string) {
    super();
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
    return `($${this.variable} | fromYaml | toJson | sha256sum | trunc 8)`;
  }

  public evaluate(env: EvalEnv): unknown {
    if (!env.vars.has(this.variable)) throw new Error(`content hash of ${this.path.join('.')} evaluated before its subtree`);
    const subtree = env.vars.get(this.variable);
    // The name of a template and every reference to it hash the same evaluated subtree: once per render.
    if (!env.memo || subtree === null || typeof subtree !== 'object') return contentHash(subtree);
    let hash = env.memo.get(subtree);
    if (hash === undefined) {
      hash = contentHash(subtree);
      env.memo.set(subtree, hash);
    }
    return hash;
  }

  public variables(): string[] {
    return [this.variable];
  }
}
