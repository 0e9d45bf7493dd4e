import { Construct } from 'constructs';
import { and, Expr, lit, RenderCheck, valuesAt } from '../../expr';
import { HAS_VALUES_PATH, LIST_HAS_MATCH } from './addon-functions';

export { HAS_VALUES_PATH, hasValuesPath, LIST_HAS_MATCH, listHasMatch } from './addon-functions';

/** A key of an addon chart's values that this chart sets and the user may not. */
export interface OwnedValue {
  /** Dotted path below the addon's `values`, e.g. `ipam.mode`. */
  readonly path: string;
  /** Why the chart owns it. */
  readonly because: string;
  /** The value of this chart to change instead (a values path); none where the key follows from the release. */
  readonly instead?: string;
  /**
   * Only list items matching this regular expression are owned (e.g. one flag of an `args` list);
   * without it, the key itself is.
   */
  readonly itemPattern?: string;
  /** What the owned items are, for the message (with `itemPattern`). */
  readonly items?: string;
}

export interface OwnedAddonValuesProps {
  /** The addon's values path, e.g. `addons.metricsServer` (its `values` are checked). */
  readonly valuesPath: string;
  /**
   * The keys this chart owns: one render-time check each, refusing the key (or, with `itemPattern`, the matching list
   * items) in the user's `<valuesPath>.values`.
   */
  readonly owned: readonly OwnedValue[];
  /**
   * When the addon is installed (checks apply only then).
   * @default - the checks apply whenever the scope this construct is in renders
   */
  readonly when?: Expr;
}

/**
 * Refuses user values for the keys of an addon chart that this chart owns: the settings its own
 * guarantees rest on (the pod CIDR behind the overlap checks, the CSR approver's name and address
 * checks, verified kubelet TLS, …). The message names the path and the value to change instead; the
 * same check runs in Helm (`fail`) and in the evaluation backend.
 */
export class OwnedAddonValues extends Construct {
  public constructor(scope: Construct, id: string, props: OwnedAddonValuesProps) {
    super(scope, id);
    const userValues = valuesAt(props.valuesPath).map('values');
    for (const owned of props.owned) {
      const set = owned.itemPattern
        ? LIST_HAS_MATCH.call(userValues, lit(owned.path), lit(owned.itemPattern))
        : HAS_VALUES_PATH.call(userValues, lit(owned.path));
      const what = owned.itemPattern ? `may not contain ${owned.items ?? owned.itemPattern}` : 'is set by this chart';
      new RenderCheck(this, `Owned-${owned.path}`, {
        failWhen: props.when ? and(props.when, set) : set,
        message: lit(`${props.valuesPath}.values.${owned.path}: ${what} (${owned.because})${owned.instead ? `; change ${owned.instead} instead` : ''}`),
      });
    }
  }
}
