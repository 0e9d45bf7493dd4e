import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { concat, defaultTo, eachItem, Expr, gt, len, MERGE_DEFAULTS, ne, not, or, RenderCheck, Structure, valuesAt, When, whenField } from '../../expr';
import { HelmRelease } from '../../imports/flux-helmrelease-helm.toolkit.fluxcd.io';
import { HelmRepository } from '../../imports/flux-helmrepository-source.toolkit.fluxcd.io';
import { OciRepository } from '../../imports/flux-ocirepository-source.toolkit.fluxcd.io';
import { ChartRepository } from './chart-repository';
import { ADMIN_KUBECONFIG_KEY, TenantContext } from '../core/tenant-context';

/** A Flux drift-detection ignore rule: JSON pointers, optionally limited to some objects. */
export interface DriftIgnoreRule {
  readonly paths: readonly string[];
  readonly target?: { readonly group?: string; readonly version?: string; readonly kind?: string; readonly name?: string };
}

/** Another addon's HelmRelease to wait for (the CNI), when the condition holds. */
export interface AddonDependency {
  /** Name of that HelmRelease ({@link FluxAddon.releaseObjectNameOf}). */
  readonly release: string;
  /** @default - always */
  readonly when?: Expr;
}

export interface FluxAddonProps {
  readonly context: TenantContext;
  /** The addon's name: the HelmRelease is `<cluster>-<name>`. */
  readonly name: string;
  /**
   * Name of the Helm release in the tenant (at most 53 characters).
   * @default - the addon's name
   */
  readonly releaseName?: string;
  /** Values path of the addon (for messages and its `values`), e.g. `addons.metricsServer`. */
  readonly valuesPath: string;
  /** Chart name in the repository. */
  readonly chart: string;
  readonly chartVersion: Expr;
  readonly repository: ChartRepository;
  /** Namespace in the tenant (also the Helm storage namespace). */
  readonly targetNamespace: Expr;
  /**
   * This chart's values for the addon; the user's `<valuesPath>.values` are merged over them, and
   * `<valuesPath>.valuesFrom` Secrets under them (Flux merges `spec.values` last).
   */
  readonly values: Structure;
  /**
   * Whether the addon takes the user's `<valuesPath>.values` and `.valuesFrom` (a chart with no
   * values, such as a CRD chart, takes none and renders no `values`).
   * @default true
   */
  readonly userValues?: boolean;
  /**
   * Values merged over the result (they win over the user's): for a key the chart combines with the
   * user's own, such as a list it appends to.
   * @default - none
   */
  readonly finalValues?: Structure;
  /** HelmReleases to wait for (each while its condition holds). */
  readonly dependsOn?: AddonDependency | readonly AddonDependency[];
  /** Fields that controllers or admins in the tenant legitimately change. */
  readonly driftIgnore?: readonly DriftIgnoreRule[];
  /**
   * The chart's own `spec.valuesFrom` items (each may be a `whenField`), instead of the user's
   * `<valuesPath>.valuesFrom`: for values that must come from Secrets this chart's objects create, such as the
   * VPN server's cert-manager certificate (Flux reads them in the HelmRelease's namespace).
   * @default - the user's `<valuesPath>.valuesFrom`
   */
  readonly valuesFrom?: readonly unknown[];
}

/** The CNI's addon name: both CNIs use it, so other addons wait for `<cluster>-cni` whichever it is. */
export const CNI_ADDON = 'cni';

/** Longest object name Flux can label tenant objects with (`helm.toolkit.fluxcd.io/name`). */
const MAX_RELEASE_OBJECT_NAME = 63;

/**
 * An addon installed into the tenant by Flux from the tenant namespace of the management cluster: a
 * `HelmRelease` with the tenant's admin kubeconfig, a pinned chart version, retries instead of
 * uninstalls on failure and drift detection (objects deleted in the tenant come back), plus an
 * `OCIRepository` when the chart comes from an OCI registry.
 * @see https://fluxcd.io/flux/components/helm/helmreleases/
 */
export class FluxAddon extends Construct {
  /** Name of an addon's HelmRelease (and OCIRepository), `<cluster>-<name>`. */
  public static releaseObjectNameOf(context: TenantContext, name: string): Expr {
    return concat(context.clusterName, `-${context.addonObjectNames?.[name] ?? name}`);
  }

  /** Name of the HelmRelease, `<cluster>-<name>`. */
  public readonly releaseObjectName: string;

  public constructor(scope: Construct, id: string, props: FluxAddonProps) {
    super(scope, id);
    const { context, repository } = props;
    const delivery = valuesAt('addons.delivery');
    const name = FluxAddon.releaseObjectNameOf(context, props.name);
    this.releaseObjectName = `${name}`;
    const metadata = { name: this.releaseObjectName, namespace: `${context.namespace}`, labels: context.labels() };
    const repo = repository.values;
    const secretName = repo.str('secretName');
    const strategy = { name: 'RetryOnFailure', retryInterval: delivery.str('retryInterval') };
    const driftIgnore = props.driftIgnore ?? [];
    const userValues = props.userValues ?? true;

    new RenderCheck(this, 'NameLength', {
      failWhen: gt(len(name), MAX_RELEASE_OBJECT_NAME),
      message: concat('fullnameOverride (or the release name): HelmRelease "', name, `" of ${props.valuesPath} is longer than ${MAX_RELEASE_OBJECT_NAME} characters; shorten the cluster name`),
    });

    const oci = new When(this, 'FromOci', repository.isOci);
    new ApiObject(oci, 'OciRepository', {
      ...OciRepository.GVK,
      metadata,
      spec: {
        url: concat(repo.str('url'), `/${props.chart}`),
        ref: { tag: props.chartVersion },
        interval: repo.str('interval'),
        secretRef: whenField(ne(secretName, ''), { name: secretName }),
        // The chart itself, as Helm packaged it (what HelmRelease.chartRef expects).
        layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
      },
    });

    new ApiObject(this, 'HelmRelease', {
      ...HelmRelease.GVK,
      metadata,
      spec: {
        releaseName: props.releaseName ?? props.name,
        targetNamespace: props.targetNamespace,
        storageNamespace: props.targetNamespace,
        kubeConfig: { secretRef: { name: context.adminKubeconfigSecret, key: ADMIN_KUBECONFIG_KEY } },
        chart: whenField(not(repository.isOci), {
          spec: {
            chart: props.chart,
            version: props.chartVersion,
            sourceRef: { kind: HelmRepository.GVK.kind, name: repository.name },
            interval: repo.str('interval'),
          },
        }),
        chartRef: whenField(repository.isOci, { kind: OciRepository.GVK.kind, name: this.releaseObjectName }),
        interval: delivery.str('interval'),
        timeout: delivery.str('timeout'),
        install: { createNamespace: true, strategy },
        upgrade: { strategy },
        driftDetection: {
          mode: delivery.str('driftDetection'),
          ignore: driftIgnore.length > 0 ? driftIgnore.map((rule) => ({ paths: [...rule.paths], target: rule.target })) : undefined,
        },
        dependsOn: dependsOnField(props.dependsOn),
        valuesFrom: props.valuesFrom ? [...props.valuesFrom] : userValues ? valuesFrom(props.valuesPath) : undefined,
        values: userValues ? mergedValues(props) : undefined,
      },
    });
  }
}

/** `spec.dependsOn`: the dependencies whose condition holds (one without a condition always does); absent when none does. */
function dependsOnField(dependsOn: AddonDependency | readonly AddonDependency[] | undefined): unknown {
  const all: readonly AddonDependency[] = dependsOn === undefined ? [] : 'release' in dependsOn ? [dependsOn as AddonDependency] : dependsOn as readonly AddonDependency[];
  if (all.length === 0) return undefined;
  const items = all.map((d) => (d.when ? whenField(d.when, { name: d.release }) : { name: d.release }));
  const conditions = all.map((d) => d.when);
  // Some item is always present: a plain list; otherwise the field exists only while one condition holds.
  if (conditions.some((c) => c === undefined)) return items;
  if (all.length === 1) return whenField(all[0].when!, [{ name: all[0].release }]);
  return whenField(or(...(conditions as Expr[])), items);
}

/** The chart's values, the user's merged over them, then the chart's final ones over both. */
function mergedValues(props: FluxAddonProps): Expr {
  const merged = MERGE_DEFAULTS.call(props.values, valuesAt(props.valuesPath).map('values'));
  return props.finalValues ? MERGE_DEFAULTS.call(merged, props.finalValues) : merged;
}

/**
 * `<valuesPath>.valuesFrom`: Secrets in the release namespace whose values Flux merges in order, under
 * `spec.values` (so keys the chart sets always win; what a Secret holds is not checked here).
 * @see https://fluxcd.io/flux/components/helm/helmreleases/#values-references
 */
function valuesFrom(valuesPath: string): unknown {
  const list = valuesAt(valuesPath).list('valuesFrom');
  return whenField(gt(len(list), 0), eachItem<unknown>(list, { key: 'valuesFromIndex', item: 'valuesFromItem' }, (item) => {
    const targetPath = defaultTo(item.str('targetPath'), '');
    return {
      kind: 'Secret',
      name: item.str('secretName'),
      valuesKey: defaultTo(item.str('valuesKey'), 'values.yaml'),
      targetPath: whenField(ne(targetPath, ''), targetPath),
      optional: whenField(item.bool('optional'), true),
    };
  }));
}
