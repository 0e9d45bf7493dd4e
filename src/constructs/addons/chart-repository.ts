import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  and, concat, eq, Expr, kebab, lit, matches, ne, not, or, RenderCheck, templateFileName, templateFolder, ValueSource, valuesAt, When, whenField,
} from '../../expr';
import { HelmRepository } from '../../imports/flux-helmrepository-source.toolkit.fluxcd.io';
import { TenantContext } from '../core/tenant-context';

export interface ChartRepositoryProps {
  /**
   * The tenant cluster's shared facts: the cluster name the HelmRepository is named after (`<cluster>-<nameSuffix>`),
   * its namespace and labels.
   */
  readonly context: TenantContext;
  /** Key under `addons.repositories`. */
  readonly key: string;
  /** Suffix of the HelmRepository's name, `<cluster>-<suffix>`. */
  readonly nameSuffix: string;
  /** Whether an enabled addon installs charts from this repository (an unused one is not rendered). */
  readonly used: Expr;
  /** The values that make it used, for messages, e.g. `addons.csi.enabled is true`. */
  readonly usedBy: string;
  /**
   * What the URL is, appended to the message when `url` is missing while the repository is used.
   * @default - the message names only the path and the values that make the repository used
   */
  readonly urlHint?: string;
  /**
   * Other addons that install charts from it, each with its own message (e.g. the CSI node chart of another provider).
   * @default - none
   */
  readonly otherUses?: ReadonlyArray<{ readonly used: Expr; readonly usedBy: string; readonly urlHint?: string }>;
}

/**
 * Where addon charts come from, as the operator configured it under `addons.repositories.<key>`: a
 * Flux `HelmRepository` in the tenant namespace for an index-based repository (shared by its charts),
 * or, for an OCI registry, nothing here: each {@link FluxAddon} renders its own `OCIRepository`.
 * @see https://fluxcd.io/flux/components/source/helmrepositories/
 */
export class ChartRepository extends Construct {
  /** The repository's values (`type`, `url`, `secretName`, `interval`). */
  public readonly values: ValueSource;
  /** Values path, for messages. */
  public readonly path: string;
  /** Name of the HelmRepository. */
  public readonly name: string;
  /** Whether the repository is an OCI registry. */
  public readonly isOci: Expr;

  public constructor(scope: Construct, id: string, props: ChartRepositoryProps) {
    super(scope, id);
    const { context } = props;
    this.path = `addons.repositories.${props.key}`;
    this.values = valuesAt(this.path);
    this.name = `${context.clusterName}-${props.nameSuffix}`;
    this.isOci = eq(this.values.str('type'), 'oci');
    const url = this.values.str('url');
    const secretName = this.values.str('secretName');

    new RenderCheck(this, 'UrlGiven', {
      failWhen: and(props.used, eq(url, '')),
      message: lit(`${this.path}.url: required while ${props.usedBy}${props.urlHint ? `: ${props.urlHint}` : ''}`),
    });
    for (const [i, other] of (props.otherUses ?? []).entries()) {
      new RenderCheck(this, `UrlGiven-${i + 1}`, {
        failWhen: and(other.used, eq(url, '')),
        message: lit(`${this.path}.url: required while ${other.usedBy}${other.urlHint ? `: ${other.urlHint}` : ''}`),
      });
    }
    const used = props.otherUses?.length ? or(props.used, ...props.otherUses.map((u) => u.used)) : props.used;
    new RenderCheck(this, 'UrlMatchesType', {
      failWhen: and(ne(url, ''), ne(this.isOci, matches('^oci://', url))),
      message: concat(`${this.path}.url: "`, url, `" does not fit ${this.path}.type "`, this.values.str('type'),
        '": type "oci" takes an oci:// URL, type "default" an http(s):// one'),
    });

    const rendered = new When(this, 'Used', and(used, not(this.isOci)));
    // Every repository's template in one folder: templates/repositories/<key>-helm-repository.yaml.
    templateFolder(this, 'repositories');
    const resource = new ApiObject(rendered, 'Resource', {
      ...HelmRepository.GVK,
      metadata: { name: this.name, namespace: `${context.namespace}`, labels: context.labels() },
      spec: {
        url,
        interval: this.values.str('interval'),
        secretRef: whenField(ne(secretName, ''), { name: secretName }),
      },
    });
    templateFileName(resource, `${kebab(props.key)}-helm-repository`);
  }
}
