import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { renderChart } from './render';
import { TenantClusterValues } from './values/tenant-cluster-values';

/** Values as a document may give them: every key optional at every level. */
export type PartialValues<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : PartialValues<T[K]>) : T[K] };

export interface TenantClusterObjectsProps {
  /** The cluster name (what the Helm release name is for the chart). */
  readonly name: string;
  /** Namespace of the tenant in the management cluster. */
  readonly namespace: string;
  /**
   * Values of the `tenant-cluster` chart, typed by its contract.
   * @default - the chart defaults
   */
  readonly values?: PartialValues<TenantClusterValues>;
}

/**
 * A tenant cluster inside any cdk8s app, without Helm: the same objects `helm install` of the
 * `tenant-cluster` chart creates (validated and rendered by the evaluation backend), as ApiObjects.
 * Invalid values throw with the value path, as the chart refuses them.
 */
export class TenantClusterObjects extends Construct {
  public readonly objects: ApiObject[];

  public constructor(scope: Construct, id: string, props: TenantClusterObjectsProps) {
    super(scope, id);
    const rendered = renderChart('tenant-cluster', props.values ?? {}, { release: props.name, namespace: props.namespace });
    this.objects = rendered.map((o) => {
      const { apiVersion, kind, metadata, ...rest } = o as { apiVersion: string; kind: string; metadata: { name: string } };
      return new ApiObject(this, `${kind}-${metadata.name}`, { apiVersion, kind, metadata, ...rest });
    });
  }
}
