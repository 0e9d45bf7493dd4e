/**
 * Value shapes shared by several charts. The JSDoc of every property becomes its schema
 * `description`, its comment in `values.yaml` and its row in the chart README.
 * (Each property on its own line: ts-json-schema-generator drops JSDoc inside one-line type literals.)
 */

/*
 * Types whose name is a key of STRING_FORMATS or KEY_FORMATS (./formats.ts) get their pattern, length
 * and key rules from there when the schema is generated: what a value becomes decides what it may be.
 */

/** An IPv4 CIDR such as `203.0.113.0/24`, any prefix length (format `Ipv4Cidr`). Host bits must be zero (checked at render time). */
export type Ipv4Cidr = string;

/** A tenant pod CIDR, `/8` to `/24` (format `PodCidr`). Host bits must be zero. */
export type PodCidr = string;

/** A tenant service CIDR, `/12` to `/28` (format `ServiceCidr`). Host bits must be zero. */
export type ServiceCidr = string;

/** A management cluster CIDR, `/8` to `/30` (format `ManagementCidr`). Host bits must be zero. */
export type ManagementCidr = string;

/** An IPv4 address (format `Ipv4Address`). */
export type Ipv4Address = string;

/** Empty, or the name of an object such as a Secret or a StorageClass: a DNS-1123 subdomain (format `ObjectNameOrEmpty`). */
export type ObjectNameOrEmpty = string;

/** Empty, or a host name without port or scheme (format `HostNameOrEmpty`). */
export type HostNameOrEmpty = string;

/** A certificate subject alternative name: a host name (optionally `*.`) or an IPv4 address, no port or scheme (format `SubjectAlternativeName`). */
export type SubjectAlternativeName = string;

/** A label value: at most 63 characters (format `LabelValue`). */
export type LabelValue = string;

/** Empty, or a qualified name such as `example.com/my-class` (format `QualifiedNameOrEmpty`). */
export type QualifiedNameOrEmpty = string;

/** Empty, or a container image with a tag or digest (format `ImageReferenceOrEmpty`; `latest` is refused at render time). */
export type ImageReferenceOrEmpty = string;

/**
 * The value of an annotation.
 * @maxLength 8192
 */
export type AnnotationValue = string;

/**
 * The value of a command-line flag.
 * @maxLength 4096
 */
export type FlagValue = string;

/** Node labels by key (format `NodeLabels`: label keys, label values). */
export type NodeLabels = { [key: string]: LabelValue };

/** Annotations by key (format `Annotations`). */
export type Annotations = { [key: string]: AnnotationValue };

/** Command-line flags as `flag: value`, rendered as `--flag=value` (format `CommandLineFlags`). */
export type CommandLineFlags = { [flag: string]: FlagValue };

/**
 * A Kubernetes quantity such as `512Mi`, `2Gi` or `250m`.
 * @pattern ^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$
 * @maxLength 64
 */
export type Quantity = string;

/**
 * A duration such as `10m` or `300s`.
 * @pattern ^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$
 * @maxLength 64
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
   * @maxLength 316
   */
  key: string;
  /**
   * Taint value (a label value).
   * @default ""
   */
  value?: LabelValue;
  /** Taint effect. */
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}
