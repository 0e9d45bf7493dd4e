/**
 * What a value becomes decides what it may be: a name, a label, a reference, a network. The values
 * schema generator applies these formats to the types of the same name in the values contract (so the
 * pattern lives in one place), and `validateValues` turns a pattern error into the `allowed` text.
 *
 * Patterns are anchored and use only the syntax Go's RE2 (Helm 3's gojsonschema, Helm 4's
 * santhosh-tekuri/jsonschema) and JavaScript (ajv) read alike.
 */

/** A string format: the pattern, the longest value, and what is allowed, for messages. */
export interface StringFormat {
  readonly pattern: string;
  readonly maxLength?: number;
  /** Completes "must be …". */
  readonly allowed: string;
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN = `${LABEL}(\\.${LABEL})*`;
/** A label key: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters (Kubernetes IsQualifiedName). */
const QUALIFIED_NAME = `(${DNS_SUBDOMAIN}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?`;
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `(${OCTET}\\.){3}${OCTET}`;
/** An image reference with a tag or a digest (a name alone means `latest`). */
const IMAGE_REFERENCE = '[a-z0-9]([-a-z0-9._/:]*[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})';

const cidr = (prefix: string) => `^${IPV4}/${prefix}$`;

/**
 * CIDR prefix ranges:
 * - a tenant's pod network must hold at least one node's share (Cilium's cluster-pool and the
 *   controller-manager both give every node a /24 by default): /8 to /24;
 * - kube-apiserver refuses a service range with more than 20 host bits ("for 32-bit addresses, the mask
 *   must be >= 12", kubernetes cmd/kube-apiserver/app/options/validation.go, validateMaxCIDRRange with
 *   maxCIDRBits 20), and the default CoreDNS address is the 10th of the range: /12 to /28;
 * - the management cluster's networks are facts we only compare with: /8 to /30;
 * - load balancer source ranges may be anything from 0.0.0.0/0 to one address.
 */
export const STRING_FORMATS: Readonly<Record<string, StringFormat>> = {
  PodCidr: { pattern: cidr('(8|9|1[0-9]|2[0-4])'), allowed: 'an IPv4 CIDR with a prefix from /8 to /24 (every node takes a /24 of it), e.g. 10.243.0.0/16' },
  ServiceCidr: { pattern: cidr('(1[2-9]|2[0-8])'), allowed: 'an IPv4 CIDR with a prefix from /12 (kube-apiserver\'s largest) to /28, e.g. 10.95.0.0/16' },
  ManagementCidr: { pattern: cidr('(8|9|1[0-9]|2[0-9]|30)'), allowed: 'an IPv4 CIDR with a prefix from /8 to /30, e.g. 10.244.0.0/16' },
  Ipv4Cidr: { pattern: cidr('(3[0-2]|[12]?[0-9])'), allowed: 'an IPv4 CIDR such as 203.0.113.0/24' },
  Ipv4Address: { pattern: `^${IPV4}$`, allowed: 'an IPv4 address such as 10.95.0.10' },
  ObjectNameOrEmpty: {
    pattern: `^(${DNS_SUBDOMAIN})?$`,
    maxLength: 253,
    allowed: 'empty or the name of an object: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters',
  },
  HostNameOrEmpty: {
    pattern: `^(${DNS_SUBDOMAIN})?$`,
    maxLength: 253,
    allowed: 'empty or a host name: lowercase letters, digits, "-" and ".", no port or scheme, at most 253 characters',
  },
  SubjectAlternativeName: {
    pattern: `^(\\*\\.)?${DNS_SUBDOMAIN}$`,
    maxLength: 253,
    allowed: 'a host name (lowercase, optionally starting with "*.") or an IPv4 address, without port or scheme',
  },
  LabelValue: {
    pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$',
    maxLength: 63,
    allowed: 'a label value: empty or at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
  },
  QualifiedNameOrEmpty: {
    pattern: `^(${QUALIFIED_NAME})?$`,
    maxLength: 316,
    allowed: 'empty or a qualified name such as example.com/my-class (an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" and ".")',
  },
  ImageReference: {
    pattern: `^${IMAGE_REFERENCE}$`,
    maxLength: 512,
    allowed: 'an image reference with a tag or a digest, such as registry.example.com/disk:v1.34 (not "latest")',
  },
  ImageReferenceOrEmpty: {
    pattern: `^(${IMAGE_REFERENCE})?$`,
    maxLength: 512,
    allowed: 'empty or an image reference with a tag or a digest, such as registry.example.com/disk:v1.34 (not "latest")',
  },
};

const QUALIFIED_NAME_KEYS = 'keys are qualified names: an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit';

/** A map whose keys have a format: the key pattern (JSON schema `patternProperties`) and what is allowed. */
export interface KeyFormat {
  readonly pattern: string;
  /** What keys may be, for messages. */
  readonly allowed: string;
  /** Most entries. */
  readonly maxProperties: number;
}

/**
 * Maps whose keys become part of something with a format. Applied as `patternProperties` plus
 * `additionalProperties: false` (not `propertyNames`, which Helm 4 reports at `''` without the path).
 */
export const KEY_FORMATS: Readonly<Record<string, KeyFormat>> = {
  NodeGroupMap: {
    pattern: '^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$',
    allowed: 'keys are lowercase letters, digits and "-", starting and ending with a letter or digit, at most 40 characters',
    maxProperties: 100,
  },
  ExtraDiskMap: {
    pattern: '^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$',
    allowed: 'keys are lowercase letters, digits and "-", starting and ending with a letter or digit, at most 40 characters',
    maxProperties: 16,
  },
  NodeLabels: {
    pattern: `^${QUALIFIED_NAME}$`,
    allowed: QUALIFIED_NAME_KEYS,
    maxProperties: 64,
  },
  Annotations: {
    pattern: `^${QUALIFIED_NAME}$`,
    allowed: QUALIFIED_NAME_KEYS,
    maxProperties: 64,
  },
  // Nova server metadata keys: at most 255 characters (OpenStackMachineTemplate CRD of cluster-api-provider-openstack
  // v0.14.7, `serverMetadata[].key` maxLength 255); Nova's default quota is 128 items.
  // `[^\n]`, not `.`: JavaScript's `.` also refuses \r, U+2028 and U+2029, Go's only \n.
  ServerMetadataMap: {
    pattern: '^[^\\n]{1,255}$',
    allowed: 'keys are 1 to 255 characters without a line feed',
    maxProperties: 64,
  },
  // StorageClass names (DNS-1123 subdomains; the 253-character limit is a render check).
  CinderStorageClassMap: {
    pattern: `^${DNS_SUBDOMAIN}$`,
    allowed: 'keys are StorageClass names: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
    maxProperties: 32,
  },
  CommandLineFlags: {
    pattern: '^[A-Za-z0-9]([-A-Za-z0-9_.]{0,126}[A-Za-z0-9])?$',
    allowed: 'keys are flag names without leading dashes: letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
    maxProperties: 64,
  },
};

/**
 * Keys refused in every map of values: assigning them in JavaScript changes an object's prototype
 * instead of adding a key. The schema refuses them (so Helm does too) and the evaluation backend's
 * merges never assign through them.
 */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** The message for a reserved key. */
export const RESERVED_KEY_MESSAGE = `key is reserved (${RESERVED_KEYS.map((k) => `"${k}"`).join(', ')} are refused in every map)`;
