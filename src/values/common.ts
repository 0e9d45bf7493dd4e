/**
 * Value shapes shared by several charts. The JSDoc of every property becomes its schema
 * `description`, its comment in `values.yaml` and its row in the chart README.
 * (Each property on its own line: ts-json-schema-generator drops JSDoc inside one-line type literals.)
 */

/**
 * An IPv4 CIDR such as `10.96.0.0/16`.
 * @pattern ^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/(3[0-2]|[12]?[0-9])$
 */
export type Ipv4Cidr = string;

/**
 * An IPv4 address.
 * @pattern ^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$
 */
export type Ipv4Address = string;

/**
 * A Kubernetes quantity such as `512Mi`, `2Gi` or `250m`.
 * @pattern ^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$
 */
export type Quantity = string;

/**
 * A duration such as `10m` or `300s`.
 * @pattern ^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$
 */
export type Duration = string;

/** CPU and memory amounts of a container. */
export interface ResourceAmounts {
  /** CPU, e.g. `100m`. */
  cpu?: Quantity;
  /** Memory, e.g. `256Mi`. */
  memory?: Quantity;
}

/** Container resources, as in a Pod spec. */
export interface Resources {
  /** What the scheduler reserves for the container. */
  requests?: ResourceAmounts;
  /** The most the container may use. */
  limits?: ResourceAmounts;
}

/**
 * Free-form string map passed through unchanged (labels, annotations, flags).
 */
export type StringMap = { [key: string]: string };

/** A node taint. */
export interface Taint {
  /**
   * Taint key.
   * @pattern ^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?){0,}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$
   */
  key: string;
  /**
   * Taint value.
   * @default ""
   */
  value?: string;
  /** Taint effect. */
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}
