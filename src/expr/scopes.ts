/**
 * Structural scopes: `When` (resources exist or not) and `Each` (one set of resources per map entry)
 * as constructs that wrap ApiObjects, `whenField`/`eachItem` for fields and list items inside one
 * object, and `RenderCheck` for render-time validation (`fail` in Go, `RenderError` in-process).
 */
import { Construct } from 'constructs';
import { Expr, ValueType } from './expr';
import { VarRef } from './expressions';
import { Let } from './ir';
import { tokenFor } from './tokens';

/** Resources under a `When` are rendered only when the condition holds (Go truthiness). */
export class When extends Construct {
  public constructor(scope: Construct, id: string, public readonly condition: Expr) {
    super(scope, id);
  }
}

export interface EachProps {
  /** A map expression (iterated in sorted key order, as Go's `range` does). */
  readonly collection: Expr;
  /** Go variable name of the map key, e.g. `groupName`. */
  readonly keyVar: string;
  /** Go variable name of the raw map value, e.g. `groupValues`. */
  readonly itemVar: string;
}

/** Resources under an `Each` are rendered once per entry of a map. */
export class Each extends Construct {
  /** The current key (a string). */
  public readonly key: VarRef;
  /** The current raw value. */
  public readonly item: VarRef;
  private readonly _lets: Let[] = [];

  public constructor(scope: Construct, id: string, public readonly props: EachProps) {
    super(scope, id);
    this.key = new VarRef(props.keyVar, 'string');
    this.item = new VarRef(props.itemVar, 'map');
  }

  /** Binds a derived variable per iteration (e.g. the item merged with defaults). */
  public let(name: string, expr: Expr): VarRef {
    this._lets.push({ name, expr });
    return new VarRef(name, expr.type);
  }

  public get lets(): readonly Let[] {
    return this._lets;
  }
}

/** Fails the render when `failWhen` holds, with `message` (which names the value path). */
export class RenderCheck extends Construct {
  public constructor(scope: Construct, id: string, public readonly props: { readonly failWhen: Expr; readonly message: Expr }) {
    super(scope, id);
  }
}

/**
 * The values every template of the chart reads: `.Values` is `values`, a map computed from the chart's own
 * (coalesced, schema-checked) values, in both backends. For a chart whose values contract is another program's
 * document (the Magnum driver's) bound to constructs written for another contract (tenant-cluster's): the
 * constructs stay as they are, and one expression maps one contract onto the other. At most one per chart.
 */
export class ValuesAdapter extends Construct {
  public constructor(scope: Construct, id: string, public readonly props: { readonly values: Expr }) {
    super(scope, id);
    if (props.values.type !== 'map') throw new Error(`${this.node.path}: the adapted values must be a map expression`);
  }
}

/** A field that exists only when the condition holds (marker placed as the field's value). */
export class WhenField {
  public constructor(public readonly condition: Expr, public readonly value: unknown) {}

  public resolve(): string {
    return tokenFor(this);
  }
}

/** Present `value` under its key only when `condition` holds. Typed as the value for L1 props. */
export function whenField<T>(condition: Expr, value: T): T {
  return new WhenField(condition, value) as unknown as T;
}

/** A list rendered from a map: one item per entry (sorted keys), after optional static items. */
export class EachItem {
  public readonly key: VarRef;
  public readonly item: VarRef;
  public readonly template: unknown;

  public constructor(
    public readonly collection: Expr,
    keyVar: string,
    itemVar: string,
    produce: (item: VarRef, key: VarRef) => unknown,
    public readonly before: readonly unknown[] = [],
    itemType: ValueType = 'map',
  ) {
    this.key = new VarRef(keyVar, 'string');
    this.item = new VarRef(itemVar, itemType);
    this.template = produce(this.item, this.key);
  }

  public resolve(): string {
    return tokenFor(this);
  }
}

/** A list field built from a map (or list) of values, after optional static items; typed as a list for L1 props. */
export function eachItem<T>(
  collection: Expr,
  vars: { key: string; item: string; itemType?: ValueType },
  produce: (item: VarRef, key: VarRef) => T,
  before: readonly T[] = [],
): T[] {
  return new EachItem(collection, vars.key, vars.item, produce, before, vars.itemType) as unknown as T[];
}
