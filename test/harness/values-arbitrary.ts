/**
 * fast-check arbitraries of values documents for the `tenant-cluster` chart.
 *
 * - {@link validCaseArb}: VALID user values documents (plus a release name and namespace). Every key of
 *   the values contract appears in some documents and is absent in others; the render-time rules are
 *   respected by construction (CIDRs that don't overlap, a CoreDNS IP inside the service CIDR,
 *   `<cluster>-<group>` at most 50 characters, autoscaling `min <= max` after merging with
 *   `nodeGroupDefaults`, no reserved disk names, kube-proxy on exactly when the CNI needs it, serving
 *   certificates only with their approver, a chart repository for the CSI node chart, repository URL
 *   schemes that match their type, a node capacity for groups that scale from zero with an
 *   instancetype, no `:latest` images). Strings that end up in manifests include awkward ones (quotes,
 *   `{{ ... }}`, YAML 1.1 booleans, newlines, unicode, `<&>`), also as keys of free-form addon values.
 * - {@link invalidCaseArb}: a valid case with exactly one mutation applied; each carries the value
 *   path (dotted, as the chart's messages write it) that an error must name.
 *
 * The generator is independent of the chart implementation on purpose: it merges values, checks
 * CIDR overlaps and computes node capacities with its own code and only reads the chart defaults
 * (values.yaml), the supported Kubernetes versions and the vendored KubevirtMachineTemplate CRD (for
 * DataVolume sources).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { TENANT_CLUSTER_DEFAULTS } from '../../src/charts/tenant-cluster/defaults';
import { SUPPORT_MATRIX, SUPPORTED_MINORS } from '../../src/support-matrix';

/** A JSON object (a values document or a part of one). */
export type Doc = { [key: string]: unknown };

/** A values document with the release it is rendered as. */
export interface ValuesCase {
  /** The user values document (what `-f values.json` holds). */
  readonly values: Doc;
  /** Release name (`helm template <release>`). */
  readonly release: string;
  /** Release namespace. */
  readonly namespace: string;
}

export type MutationKind =
  | 'wrongType'
  | 'unknownKey'
  | 'nullInNodeGroup'
  | 'nullInNodeGroupDefaults'
  | 'nullAtRequiredPath'
  | 'autoscalingMinGreaterThanMax'
  | 'overlongName'
  | 'badClusterName'
  | 'unsupportedVersion'
  | 'badVersionFormat'
  | 'overlappingCidrs'
  | 'coreDnsOutsideServiceCidr'
  | 'badEnum'
  | 'reservedDiskName'
  | 'badKeyName'
  | 'outOfRange'
  | 'badPattern'
  /** R1: Kamaji's kube-proxy together with Cilium's kube-proxy replacement. */
  | 'kubeProxyWithCiliumReplacement'
  /** R2: a CNI without kube-proxy and without Cilium's replacement (nothing implements Services). */
  | 'noServiceImplementation'
  /** R3: `controlPlane.kubelet.serverTLSBootstrap` without `addons.kubeletServingCertApprover`. */
  | 'servingCertsWithoutApprover'
  /** R4: the CSI node chart enabled without `addons.repositories.tenantCluster.url`. */
  | 'csiWithoutChartRepository'
  /** R5: a repository URL whose scheme (`oci://` or not) contradicts its `type`. */
  | 'repositoryTypeMismatch'
  /** R6: a group scaling from zero with an instancetype and no `autoscaling.capacity`. */
  | 'capacityMissingForScaleFromZero'
  /** R7: a management-side image tagged `latest`. */
  | 'latestImageTag'
  /** A chart repository URL carrying credentials (`user:password@`), which belong in `secretName`. */
  | 'credentialsInRepositoryUrl'
  /** R8: CSI snapshots with an infra StorageClass and no infra VolumeSnapshotClass mapped to it. */
  | 'csiSnapshotClassUnmapped'
  /** R9: a shared namespace (`addons.exclusiveNamespace: false`) with the CCM's EndpointSlice controller on. */
  | 'sharedNamespaceWithEndpointSlices'
  /** A Kubernetes patch newer than the support matrix knows. */
  | 'unknownPatch'
  /** R10: `controlPlane.endpoint.type: NodePort` without `nodePort.address`. */
  | 'nodePortWithoutAddress'
  /** R11: NodePort with the API server or Konnectivity port outside the management cluster's NodePort range. */
  | 'nodePortOutOfRange'
  /** R12: kubelet reservations that leave an autoscaled node nothing. */
  | 'reservedLeavesNothing'
  /** R13: a kubeadm file with both or neither of `content` and `contentFrom`. */
  | 'kubeadmFileContent'
  /** R14: `kube-reserved` in a group's kubelet flags (the chart renders it from `kubelet.reserved`). */
  | 'kubeReservedInExtraArgs'
  /** R15: a group booting from a DataVolume without exactly one source (none, or two after merging nodeGroupDefaults). */
  | 'dataVolumeWithoutSource'
  /** A `__proto__`, `constructor` or `prototype` key in a map (top level, free-form values, labels, node groups). */
  | 'reservedKey'
  /** A character Kubernetes' YAML reader refuses or reads as a line break (DEL, C1 incl. NEL, BOM, U+FFFE/U+FFFF) in a value or key. */
  | 'unwritableCharacter'
  /** A release name Helm refuses (ValidateReleaseName). */
  | 'badReleaseName'
  /** A release namespace Kubernetes refuses (no DNS-1123 label). */
  | 'badNamespace'
  /** A CIDR with host bits set (the networks and the load balancer source ranges). */
  | 'cidrHostBits'
  /** The CoreDNS address is the network, first (kubernetes Service) or broadcast address of the service CIDR. */
  | 'reservedServiceAddress'
  /** A node label in the kubernetes.io or k8s.io namespaces that the kubelet may not set (node-role.kubernetes.io/worker). */
  | 'kubeletRefusedLabel'
  /** Two taints of a group with the same key and effect. */
  | 'duplicateTaint'
  /** A container disk image tagged `latest` (in a group or in nodeGroupDefaults). */
  | 'latestContainerDisk'
  /** An autoscaled group while `addons.clusterAutoscaler.enabled` is false. */
  | 'autoscalerOff'
  /** Values that would make the Helm release record larger than its Secret may be. */
  | 'releaseTooLarge'
  /** OpenStack with neither Konnectivity nor the VPN: no reverse path. */
  | 'vpnWithoutReversePath'
  /** The VPN's transfer network inside the tenant's pod network. */
  | 'vpnNetworkOverlap'
  /** Node routes through the VPN on KubeVirt (the nodes are on the control plane pod's own network). */
  | 'vpnNodeRoutesOnKubevirt';

export const MUTATION_KINDS: readonly MutationKind[] = [
  'wrongType', 'unknownKey', 'nullInNodeGroup', 'nullInNodeGroupDefaults', 'nullAtRequiredPath',
  'autoscalingMinGreaterThanMax', 'overlongName', 'badClusterName', 'unsupportedVersion', 'badVersionFormat',
  'overlappingCidrs', 'coreDnsOutsideServiceCidr', 'badEnum', 'reservedDiskName', 'badKeyName', 'outOfRange', 'badPattern',
  'kubeProxyWithCiliumReplacement', 'noServiceImplementation', 'servingCertsWithoutApprover', 'csiWithoutChartRepository',
  'repositoryTypeMismatch', 'capacityMissingForScaleFromZero', 'latestImageTag', 'credentialsInRepositoryUrl', 'csiSnapshotClassUnmapped',
  'sharedNamespaceWithEndpointSlices',
  'unknownPatch', 'nodePortWithoutAddress', 'nodePortOutOfRange', 'reservedLeavesNothing', 'kubeadmFileContent',
  'kubeReservedInExtraArgs', 'dataVolumeWithoutSource',
  'reservedKey', 'unwritableCharacter', 'badReleaseName', 'badNamespace', 'cidrHostBits', 'reservedServiceAddress', 'kubeletRefusedLabel',
  'duplicateTaint', 'latestContainerDisk', 'autoscalerOff', 'releaseTooLarge',
  'vpnWithoutReversePath', 'vpnNetworkOverlap', 'vpnNodeRoutesOnKubevirt',
];

/** An invalid values document: a valid one with one mutation. */
export interface InvalidCase extends ValuesCase {
  readonly kind: MutationKind;
  /** What was changed, for failure messages. */
  readonly description: string;
  /**
   * The value path every backend's error must name, dotted (`nodeGroups.md0.replicas`). For keys
   * that are invalid themselves (unknown or badly named keys) it ends with the key.
   */
  readonly path: string;
  /** The refusal depends on the release name or namespace (so `validate` without them cannot see it). */
  readonly releaseDependent?: boolean;
  /**
   * Helm 3 refuses the case without naming a path: it round-trips values through YAML before validating
   * them and stops at DEL or a C1 control with "control characters are not allowed".
   */
  readonly helm3WithoutPath?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Small helpers (independent of src/)
// ---------------------------------------------------------------------------------------------

const isObject = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep copy through JSON: also drops `undefined` and null prototypes. */
export function jsonCopy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** `over` merged onto `base`: maps deeply, `over` wins, lists and scalars replace. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return jsonCopy(base);
  if (!isObject(base) || !isObject(over)) return jsonCopy(over);
  const out: Doc = jsonCopy(base);
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(out[k], v);
  return out;
}

/** The value at a dotted path (keys must not contain dots). */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const seg of path.split('.')) {
    if (isObject(cur)) cur = cur[seg];
    else if (Array.isArray(cur)) cur = cur[Number(seg)];
    else return undefined;
  }
  return cur;
}

/** Sets a value at a path given as segments, creating maps on the way (replacing non-maps). */
export function setPathSegments(doc: Doc, segments: readonly string[], value: unknown): void {
  let cur: Doc = doc;
  for (const seg of segments.slice(0, -1)) {
    if (!isObject(cur[seg])) cur[seg] = {};
    cur = cur[seg] as Doc;
  }
  cur[segments[segments.length - 1]] = value;
}

/** Sets a value at a dotted path (keys must not contain dots). */
export function setPath(doc: Doc, path: string, value: unknown): void {
  setPathSegments(doc, path.split('.'), value);
}

/** Removes the key at a dotted path, if there is one (parents stay, possibly empty). */
export function deletePath(doc: Doc, path: string): void {
  const segs = path.split('.');
  const parent = getPath(doc, segs.slice(0, -1).join('.'));
  if (segs.length === 1) delete doc[segs[0]];
  else if (isObject(parent)) delete parent[segs[segs.length - 1]];
}

interface Cidr { readonly address: number; readonly prefix: number }

function parseCidr(cidr: string): Cidr {
  const [ip, prefix] = cidr.split('/');
  return { address: ipToNumber(ip), prefix: Number(prefix) };
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Whether two CIDRs share an address (host bits ignored, as the chart does). */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  const size = 2 ** (32 - Math.min(x.prefix, y.prefix));
  return Math.floor(x.address / size) === Math.floor(y.address / size);
}

function networkOf(cidr: string): { first: number; size: number } {
  const { address, prefix } = parseCidr(cidr);
  const size = 2 ** (32 - prefix);
  return { first: Math.floor(address / size) * size, size };
}

const DEFAULTS = TENANT_CLUSTER_DEFAULTS as unknown as Doc;
const DEFAULT_CIDRS = {
  clusterPod: TENANT_CLUSTER_DEFAULTS.clusterNetwork.podCidr,
  clusterService: TENANT_CLUSTER_DEFAULTS.clusterNetwork.serviceCidr,
  managementPod: TENANT_CLUSTER_DEFAULTS.managementCluster.podCidr,
  managementService: TENANT_CLUSTER_DEFAULTS.managementCluster.serviceCidr,
};
type CidrRole = keyof typeof DEFAULT_CIDRS;
const CIDR_PATHS: Record<CidrRole, string> = {
  clusterPod: 'clusterNetwork.podCidr',
  clusterService: 'clusterNetwork.serviceCidr',
  managementPod: 'managementCluster.podCidr',
  managementService: 'managementCluster.serviceCidr',
};
/** The pairs the chart checks (the management networks may overlap each other). */
const CHECKED_PAIRS: ReadonlyArray<[CidrRole, CidrRole]> = [
  ['clusterPod', 'clusterService'], ['clusterPod', 'managementPod'], ['clusterPod', 'managementService'],
  ['clusterService', 'managementPod'], ['clusterService', 'managementService'],
];

/** The effective CIDRs of a document (user values over the chart defaults). */
function effectiveCidrs(values: Doc): Record<CidrRole, string> {
  const out = { ...DEFAULT_CIDRS };
  for (const role of Object.keys(CIDR_PATHS) as CidrRole[]) {
    const v = getPath(values, CIDR_PATHS[role]);
    if (typeof v === 'string') out[role] = v;
  }
  return out;
}

/** The cluster name a case renders: `fullnameOverride`, else the release name. */
export function clusterNameOf(c: ValuesCase): string {
  const f = c.values.fullnameOverride;
  return typeof f === 'string' && f !== '' ? f : c.release;
}

/** A group's values merged over `nodeGroupDefaults` merged over the chart defaults. */
function effectiveGroup(values: Doc, group: string): Doc {
  const defaults = deepMerge(DEFAULTS.nodeGroupDefaults, values.nodeGroupDefaults);
  return deepMerge(defaults, getPath(values, `nodeGroups.${group}`) ?? {}) as Doc;
}

/** Node capacities the repair of R6 writes (cpu, memory): room for any reservation the arbitrary generates. */
const CAPACITY_REPAIRS: ReadonlyArray<[string, string]> = [['2', '4Gi'], ['1', '1536Mi'], ['16', '64G'], ['1.5', '3.5Gi']];

const MEMORY_UNIT_BYTES: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** Approximate bytes of a memory quantity (NaN when it is none). */
function approxBytes(q: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q);
  return m ? Number(m[1]) * MEMORY_UNIT_BYTES[m[2] ?? ''] : NaN;
}

/** Approximate millicores of a CPU quantity (NaN when it is none). */
function approxMillicores(q: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(m)?$/.exec(q);
  return m ? Number(m[1]) * (m[2] ? 1 : 1000) : NaN;
}

/**
 * Whether an autoscaled group's advertised allocatable (size minus `kubelet.reserved`, minus the kubelet's
 * 100Mi eviction threshold for memory) is positive and computable, with margins that keep away from
 * rounding edges (R12). Groups sized by an instancetype without a capacity advertise nothing.
 */
function capacityOk(group: Doc): boolean {
  const a = (group.autoscaling ?? {}) as Doc;
  if (a.enabled !== true) return true;
  const capacity = (a.capacity ?? {}) as Doc;
  const byVm = getPath(group, 'kubevirt.instancetype') === '';
  const cpu = String(capacity.cpu || (byVm ? String(getPath(group, 'kubevirt.cores')) : ''));
  const memory = String(capacity.memory || (byVm ? String(getPath(group, 'kubevirt.memory')) : ''));
  const reservedCpu = approxMillicores(String(getPath(group, 'kubelet.reserved.cpu')));
  const reservedMemory = approxBytes(String(getPath(group, 'kubelet.reserved.memory')));
  const cpuOk = cpu === '' || approxMillicores(cpu) - reservedCpu >= 2;
  const bytes = approxBytes(memory);
  const memoryOk = memory === '' || (bytes < 2 ** 50 && (bytes - reservedMemory) / 2 ** 20 - 100 >= 2);
  return cpuOk && memoryOk;
}

/** Whether a group (merged) scales from zero with an instancetype and lacks a node capacity (R6). */
function needsCapacity(group: Doc): boolean {
  const a = (group.autoscaling ?? {}) as Doc;
  const capacity = (a.capacity ?? {}) as Doc;
  const instancetype = getPath(group, 'kubevirt.instancetype');
  return a.enabled === true && Number(a.min) === 0 && typeof instancetype === 'string' && instancetype !== ''
    && (capacity.cpu === '' || capacity.memory === '' || capacity.cpu === undefined || capacity.memory === undefined);
}

/**
 * Makes a group's effective autoscaling consistent: `min <= max` when enabled, and a node capacity
 * when it scales from zero with an instancetype (R6).
 */
function repairAutoscaling(values: Doc, group: string): void {
  repairGroup(values, group);
  const eff = effectiveGroup(values, group).autoscaling as Doc | undefined;
  if (!eff || eff.enabled !== true) return;
  const min = Number(eff.min);
  const max = Number(eff.max);
  if (min > max) setPath(values, `nodeGroups.${group}.autoscaling.max`, min);
  const merged = effectiveGroup(values, group);
  if (needsCapacity(merged)) {
    const capacity = ((merged.autoscaling as Doc).capacity ?? {}) as Doc;
    // A group name's length picks one of a few sizes, so that repaired documents differ.
    const i = group.length % CAPACITY_REPAIRS.length;
    if (!capacity.cpu) setPath(values, `nodeGroups.${group}.autoscaling.capacity.cpu`, CAPACITY_REPAIRS[i][0]);
    if (!capacity.memory) setPath(values, `nodeGroups.${group}.autoscaling.capacity.memory`, CAPACITY_REPAIRS[i][1]);
  }
  // R12: what the group advertises must be positive (an explicit capacity, or the VM's size, too small for the reservations).
  if (!capacityOk(effectiveGroup(values, group))) {
    const i = group.length % CAPACITY_REPAIRS.length;
    setPath(values, `nodeGroups.${group}.autoscaling.capacity.cpu`, CAPACITY_REPAIRS[i][0]);
    setPath(values, `nodeGroups.${group}.autoscaling.capacity.memory`, CAPACITY_REPAIRS[i][1]);
  }
}

/**
 * A group's boot image consistent with the render checks: a DataVolume boot disk has exactly one source
 * after merging nodeGroupDefaults (R15).
 */
function repairGroup(values: Doc, group: string): void {
  repairOpenStackGroup(values, group);
  const eff = effectiveGroup(values, group);
  const sourceOf = (v: Doc) => getPath(v, 'kubevirt.bootImage.dataVolume.source');
  const keys = (v: unknown) => (isObject(v) ? Object.keys(v).length : 0);
  if (getPath(eff, 'kubevirt.bootImage.type') !== 'dataVolume' || keys(sourceOf(eff)) === 1) return;
  // Two sources: the group's merged into nodeGroupDefaults' (drop the group's); none: give the group one.
  const own = `nodeGroups.${group}.kubevirt.bootImage.dataVolume.source`;
  if (keys(sourceOf(eff)) > 1) deletePath(values, own);
  if (keys(sourceOf(effectiveGroup(values, group))) !== 1) setPath(values, own, { registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04' } });
}

/**
 * A NodePort endpoint has an address (R10) and its ports inside the management cluster's NodePort range
 * (R11): the range is widened to the ports when they are outside it.
 */
function repairNodePort(values: Doc): void {
  const eff = deepMerge(DEFAULTS, values) as Doc;
  if (getPath(eff, 'controlPlane.endpoint.type') !== 'NodePort') return;
  if (getPath(eff, 'controlPlane.endpoint.nodePort.address') === '') setPath(values, 'controlPlane.endpoint.nodePort.address', '192.0.2.10');
  const ports = [Number(getPath(eff, 'clusterNetwork.apiServerPort'))];
  if (getPath(eff, 'controlPlane.addons.konnectivity.enabled') === true) ports.push(Number(getPath(eff, 'controlPlane.addons.konnectivity.serverPort')));
  const [first, last] = String(getPath(eff, 'managementCluster.serviceNodePortRange')).split('-').map(Number);
  if (ports.some((p) => p < first || p > last)) {
    setPath(values, 'managementCluster.serviceNodePortRange', `${Math.min(first, ...ports)}-${Math.max(last, ...ports)}`);
  }
}

/** Keys the values contract refuses in every map (they would change a JavaScript prototype). */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** Groups that autoscale need the cluster autoscaler: where it is off, no group autoscales. */
function repairAutoscalerOff(values: Doc): void {
  if (effectiveLeaf(values, 'addons.clusterAutoscaler.enabled') !== false) return;
  for (const g of groupNames(values)) {
    if ((effectiveGroup(values, g).autoscaling as Doc | undefined)?.enabled === true) setPath(values, `nodeGroups.${g}.autoscaling.enabled`, false);
  }
}

function groupNames(values: Doc): string[] {
  return isObject(values.nodeGroups) ? Object.keys(values.nodeGroups) : [];
}

// ---------------------------------------------------------------------------------------------
// Primitive arbitraries
// ---------------------------------------------------------------------------------------------

const LOWER = 'abcdefghijklmnopqrstuvwxyz'.split('');
const DIGITS = '0123456789'.split('');
const lowerChar = fc.constantFrom(...LOWER);
const alnumChar = fc.constantFrom(...LOWER, ...DIGITS);
const labelMidChar = fc.oneof({ arbitrary: alnumChar, weight: 5 }, { arbitrary: fc.constant('-'), weight: 1 });

/** Characters of a length-bounded string, sometimes short, sometimes up to the bound. */
function charsUpTo(char: fc.Arbitrary<string>, maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.array(char, { maxLength: Math.min(maxLength, 8) }), weight: 4 },
    { arbitrary: fc.array(char, { maxLength, size: 'max' }), weight: 1 },
  ).map((cs) => cs.join(''));
}

/**
 * A DNS label: lowercase letters, digits and `-`, starting and ending alphanumeric (starting with
 * a letter when `dns1035`), 1..maxLength characters.
 */
export function dnsLabelArb(maxLength: number, dns1035 = false): fc.Arbitrary<string> {
  return fc.tuple(dns1035 ? lowerChar : alnumChar, charsUpTo(labelMidChar, maxLength - 1))
    .map(([first, rest]) => (first + rest).replace(/-+$/, ''));
}

/** A DNS subdomain of 1..3 labels. */
function subdomainArb(maxLabels = 3): fc.Arbitrary<string> {
  return fc.array(dnsLabelArb(12), { minLength: 1, maxLength: maxLabels }).map((ls) => ls.join('.'));
}

const hostnameArb = fc.oneof(
  fc.constantFrom('api.example.com', 'k8s.tenant-1.example.org', 'localhost', 'xn--bcher-kva.example'),
  subdomainArb(4),
);

const ipv4Arb = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));

/**
 * An IPv4 CIDR (a network address: host bits zero, which the chart checks) in a private range usually,
 * with one of `prefixes`.
 */
function cidrWithPrefixArb(prefixes: readonly number[]): fc.Arbitrary<string> {
  return fc.tuple(
    fc.oneof(
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)),
    ),
    fc.constantFrom(...prefixes),
  ).map(([octets, prefix]) => {
    const size = 2 ** (32 - prefix);
    return `${numberToIp(Math.floor(ipToNumber(octets.join('.')) / size) * size)}/${prefix}`;
  });
}

/** Prefix lengths the values contract allows per role (src/values/formats.ts), edges included. */
export const CIDR_PREFIXES = {
  clusterPod: [8, 12, 14, 16, 16, 16, 18, 20, 22, 24],
  clusterService: [12, 14, 16, 16, 16, 18, 20, 22, 24, 26, 28],
  managementPod: [8, 12, 16, 16, 20, 24, 28, 30],
  managementService: [12, 16, 16, 20, 24, 30],
  sourceRange: [0, 8, 12, 16, 24, 28, 32, 32],
} as const;

/** An IPv4 CIDR of any prefix length (load balancer source ranges). */
const cidrArb: fc.Arbitrary<string> = cidrWithPrefixArb(CIDR_PREFIXES.sourceRange);


const quantityArb = fc.oneof(
  fc.constantFrom('512Mi', '4Gi', '1', '250m', '0.5', '1.5Gi', '20Gi', '100M', '1k', '2Ti', '0', '1000m', '64Mi', '3E'),
  fc.tuple(fc.nat(4096), fc.option(fc.nat(99), { nil: undefined }), fc.constantFrom('', 'm', 'k', 'M', 'G', 'T', 'Ki', 'Mi', 'Gi', 'Ti'))
    .map(([n, frac, unit]) => `${n}${frac === undefined ? '' : `.${frac}`}${unit}`),
);

const durationArb = fc.oneof(
  fc.constantFrom('10m', '300s', '1h30m', '1.5h', '500ms', '20m', '5m', '1h', '90s', '100us', '2h0m0s'),
  fc.tuple(fc.integer({ min: 1, max: 999 }), fc.constantFrom('ns', 'us', 'ms', 's', 'm', 'h')).map(([n, u]) => `${n}${u}`),
);

/** Durations as Flux's CRDs take them (no `ns`/`us`). */
const fluxDurationArb = durationArb.filter((d) => /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/.test(d));

/** Fragments that are awkward in YAML, in Go templates, in JSON or in shells. */
export const AWKWARD_FRAGMENTS: readonly string[] = [
  '"', '\'', '""', '\'\'', '\\', '\\n', '{{ .Values.x }}', '{{', '}}', '{{- /* c */ -}}', '{{ include "x" . }}',
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'true', 'False', 'null', 'NULL', '~',
  '\n', '\n\n', '\r\n', '\t', ' ', '  ', '#', ' # not a comment', ': ', ':', '- ', '-', '? ', '<&>', '<', '>', '&',
  '&anchor', '*alias', '!tag', '!!str', '%', '@', '`', '|', '>-', '---', '...', '[', ']', '{', '}', ',',
  '0644', '0o17', '0x1F', '1e3', 'e3', '-E7', '.e3', '.5', '+1', '-0', '.inf', '.NaN', '1_000', '12:30', '2001-12-14',
  'é', 'ß', '日本語', '😀', '👩‍👩‍👧', '\u00a0', '\u2028', '\u2029', 'Ω', '\u0301',
  '$(hostname)', '${HOME}', '%s', '%v', '%!d(string=x)', 'echo "hi" > /tmp/x && cat /tmp/x',
];

const plainWordArb = fc.constantFrom('kubeadm', 'echo', 'hello', 'world', 'a', 'x=1', 'node', 'ok', '42');

/** Strings that are awkward in manifests (plus ordinary ones). */
export const awkwardStringArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...AWKWARD_FRAGMENTS), weight: 3 },
  {
    arbitrary: fc.array(fc.oneof(
      { arbitrary: fc.constantFrom(...AWKWARD_FRAGMENTS), weight: 3 },
      { arbitrary: plainWordArb, weight: 2 },
      { arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }), weight: 1 },
    ), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')),
    weight: 5,
  },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.string({ maxLength: 20 }), weight: 1 },
  { arbitrary: fc.constant(''), weight: 1 },
);

/** A valid label value (empty or alphanumeric at both ends), often one that YAML 1.1 would misread. */
const labelValueArb = fc.oneof(
  fc.constantFrom('', 'yes', 'no', 'on', 'off', 'y', 'n', 'true', 'False', 'null', 'NULL', '0644', '1e3', 'e3', 'E7', '0x1F', '1.0', '012', '1_000', '0o17', 'worker'),
  fc.tuple(alnumChar, charsUpTo(fc.oneof(alnumChar, fc.constantFrom('-', '_', '.', 'A', 'Z')), 20), alnumChar)
    .map(([a, mid, b]) => `${a}${mid}${b}`),
);

/** A qualified name (`[prefix/]name`) as used for label, annotation and taint keys. */
const qualifiedNameArb = fc.oneof({ arbitrary: fc.constantFrom('yes', 'on', 'n', 'true', 'null', '1', '0644', 'e3', 'E7', '1e3', 'example.com/no'), weight: 1 }, { arbitrary: fc.tuple(
  fc.option(fc.oneof(fc.constantFrom('node.example.com', 'kubernetes.io', 'example.com', 'nginx.ingress.kubernetes.io'), subdomainArb(3)), { nil: undefined }),
  fc.tuple(fc.oneof(alnumChar, fc.constantFrom('A', 'Z')), charsUpTo(fc.oneof(alnumChar, fc.constantFrom('-', '_', '.', 'Q')), 20), fc.oneof(alnumChar, fc.constantFrom('B'))),
).map(([prefix, [a, mid, b]]) => `${prefix ? `${prefix}/` : ''}${a}${mid}${b}`), weight: 4 });

const annotationsArb = fc.dictionary(qualifiedNameArb, awkwardStringArb, { maxKeys: 3 });

/**
 * Whether the kubelet refuses a node label key (own rule, from kubernetes cmd/kubelet/app/options
 * ValidateKubeletFlags): kubernetes.io/k8s.io namespaces only under node./kubelet.kubernetes.io or
 * a few well-known keys.
 */
export function kubeletRefusesLabel(key: string): boolean {
  const prefix = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  const k8s = /(^|\.)(kubernetes|k8s)\.io$/.test(prefix);
  const kubeletNamespace = /(^|\.)(kubelet|node)\.kubernetes\.io$/.test(prefix);
  const wellKnown = ['kubernetes.io/arch', 'kubernetes.io/os', 'kubernetes.io/hostname', 'beta.kubernetes.io/arch', 'beta.kubernetes.io/os',
    'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type', 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region',
    'failure-domain.beta.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/region'].includes(key);
  return k8s && !kubeletNamespace && !wellKnown;
}

/** Node label keys the kubelet may set, some in its own namespaces. */
const nodeLabelKeyArb = fc.oneof(
  { arbitrary: qualifiedNameArb.filter((k) => !kubeletRefusesLabel(k)), weight: 4 },
  { arbitrary: fc.constantFrom('node.kubernetes.io/pool', 'kubelet.kubernetes.io/x', 'topology.kubernetes.io/zone', 'gpu.node.kubernetes.io/model'), weight: 1 },
);

/** A command-line flag name without dashes. */
const flagNameArb = fc.oneof(
  fc.constantFrom('v', 'audit-log-maxage', 'feature-gates', 'max-pods', 'node-ip', 'tls-cipher-suites', 'profiling', 'kube-reserved'),
  fc.tuple(lowerChar, charsUpTo(fc.oneof(lowerChar, fc.constant('-')), 20)).map(([a, b]) => (a + b).replace(/-+$/, '')),
);

const flagValueArb = fc.oneof(
  fc.constantFrom('30', 'true', 'false', 'yes', 'no', '', 'AllAlpha=false,RotateKubeletServerCertificate=true', 'cpu=100m,memory=256Mi', '0644', '1e3'),
  awkwardStringArb,
);

const extraArgsArb = fc.dictionary(flagNameArb, flagValueArb, { maxKeys: 4 });

/** Container disk images: a tag or a digest, never `latest` (a name alone means `latest`). */
const imageRefArb = fc.oneof(
  fc.constantFrom('quay.io/capk/ubuntu-2404-container-disk:v1.34.1', 'registry.example.com:5000/disks/ubuntu@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'ubuntu:24.04'),
  fc.tuple(subdomainArb(2), dnsLabelArb(20), fc.constantFrom('latest-2', 'v1.34', '2024.11')).map(([host, repo, tag]) => `${host}/${repo}:${tag}`),
);

function partialRecord<T extends Record<string, fc.Arbitrary<unknown>>>(model: T): fc.Arbitrary<Doc> {
  return fc.record(model, { requiredKeys: [] }) as unknown as fc.Arbitrary<Doc>;
}

const amountsArb = partialRecord({ cpu: quantityArb, memory: quantityArb });
const resourcesArb = partialRecord({ requests: amountsArb, limits: amountsArb });

// ---------------------------------------------------------------------------------------------
// Addons
// ---------------------------------------------------------------------------------------------

/** `autoscaling.capacity.cpu`: empty (from `kubevirt.cores`) or CPUs, possibly in millicores. */
const capacityCpuArb = fc.oneof(
  fc.constantFrom('', '', '2', '500m', '0.5', '16', '1.5m', '0', '0128'),
  fc.tuple(fc.integer({ min: 1, max: 256 }), fc.option(fc.nat(99), { nil: undefined }), fc.boolean())
    .map(([n, frac, milli]) => `${milli ? n * 100 : n}${frac === undefined || milli ? '' : `.${frac}`}${milli ? 'm' : ''}`),
);

/** `autoscaling.capacity.memory`: empty (from `kubevirt.memory`) or a size (no milli units, no P/E). */
const capacityMemoryArb = fc.oneof(
  fc.constantFrom('', '', '4Gi', '512Mi', '1.5G', '8G', '1024k', '2T', '0', '1000'),
  fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.option(fc.nat(9), { nil: undefined }), fc.constantFrom('', 'k', 'M', 'G', 'T', 'Ki', 'Mi', 'Gi', 'Ti'))
    .map(([n, frac, unit]) => `${n}${frac === undefined ? '' : `.${frac}`}${unit}`),
);

/** A chart version (`v` allowed unless `noV`), with pre-release and build parts sometimes. */
function chartVersionArb(noV = false): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('1.18.4', '3.13.0', '1.2.11', '0.0.0', '1.16.0-rc.1', '2.0.0+build.5', '10.20.30-alpha.1+meta'),
    fc.tuple(fc.boolean(), fc.nat(20), fc.nat(40), fc.nat(12), fc.constantFrom('', '', '-rc.1', '-0', '+g1a2b3c', '-beta.2+exp.sha.5114f85'))
      .map(([v, a, b, c, suffix]) => `${v && !noV ? 'v' : ''}${a}.${b}.${c}${suffix}`),
  );
}

const tenantNamespaceArb = fc.oneof(fc.constantFrom('kube-system', 'tigera-operator', 'kubevirt-csi', 'monitoring', '0', 'addons-1'), dnsLabelArb(63));

const HEX = '0123456789abcdef'.split('');
const digestArb = fc.array(fc.constantFrom(...HEX), { minLength: 64, maxLength: 64 }).map((h) => `@sha256:${h.join('')}`);

/** Image tags, never `latest` (R7). */
const imageTagArb = fc.oneof(
  fc.constantFrom('v0.4.3', '1.37.0', 'v5.3.0', '2024.11', 'stable', 'v1.34.0-rc.1', 'V1_2', '_x', 'latest-1', 'latest.2', 'Latest0', '0'),
  fc.tuple(fc.boolean(), fc.nat(20), fc.nat(40), fc.nat(12)).map(([v, a, b, c]) => `${v ? 'v' : ''}${a}.${b}.${c}`),
);

/** A container image of a management-side component: a tag or a digest (the schema's pattern), never `:latest` (R7). */
const componentImageArb: fc.Arbitrary<string> = fc.tuple(
  fc.oneof(
    fc.constantFrom('quay.io/kubevirt/kubevirt-csi-driver', 'registry.k8s.io/sig-storage/csi-provisioner', 'registry.example.com:5000/mirror/busybox',
      'busybox', 'docker.io/library/busybox', 'ghcr.io/acme/kubevirt-cloud-controller-manager', 'registry.k8s.io/autoscaling/cluster-autoscaler'),
    fc.tuple(subdomainArb(2), dnsLabelArb(20)).map(([host, repo]) => `${host}/${repo}`),
  ),
  fc.oneof(
    { arbitrary: imageTagArb.map((t) => `:${t}`), weight: 4 },
    { arbitrary: digestArb, weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom('1.37.0', 'v0.4.3', 'stable'), digestArb).map(([t, d]) => `:${t}${d}`), weight: 1 },
  ),
).map(([name, ref]) => `${name}${ref}`);

/** A management-side container's resources: requests never above the limits (also the chart's default limits). */
const componentResourcesArb = partialRecord({
  requests: partialRecord({
    cpu: fc.oneof(fc.constantFrom('1m', '5m', '10m', '100m', '0.1', '250m'), fc.integer({ min: 1, max: 500 }).map((n) => `${n}m`)),
    memory: fc.oneof(fc.constantFrom('8Mi', '16Mi', '24Mi', '64Mi', '96Mi', '50M', '65536k'), fc.integer({ min: 1, max: 96 }).map((n) => `${n}Mi`)),
  }),
  limits: partialRecord({
    cpu: fc.oneof(fc.constantFrom('500m', '1', '2', '1.5', '1000m'), fc.integer({ min: 1, max: 8 }).map((n) => `${n}`)),
    memory: fc.oneof(fc.constantFrom('96Mi', '128Mi', '256Mi', '1Gi', '1.5Gi', '512M', '2G'), fc.integer({ min: 128, max: 8192 }).map((n) => `${n}Mi`)),
  }),
});

/** Keys of free-form chart values: real ones the chart may set itself, and awkward ones. */
const chartValueKeyArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom('replicas', 'image', 'tolerations', 'args', 'ipam', 'mode', 'kubeProxyReplacement', 'k8sServiceHost', 'k8sServicePort',
    'mtu', 'installation', 'hubble', 'resources', 'nodeSelector', 'podAnnotations', 'bypassDnsResolution', 'providerRegex'), weight: 3 },
  { arbitrary: fc.constantFrom('yes', 'on', 'n', 'Y', 'true', 'null', '~', '1e3', 'e3', '0644', '{{ .Values.x }}', '{{', '"quoted"', 'it\'s', 'a.b', 'a/b',
    'é', '日本語', '😀', '', ' ', 'key: value', '- item', '#', '<&>', '\n', 'a\u2028b', '$(x)'), weight: 3 },
  { arbitrary: awkwardStringArb.filter((k) => k.length <= 24), weight: 1 },
).filter((k) => !RESERVED_KEYS.includes(k));

/** Scalars of free-form chart values. */
const chartValueLeafArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: awkwardStringArb, weight: 4 },
  { arbitrary: fc.boolean(), weight: 1 },
  { arbitrary: fc.oneof(fc.constantFrom(0, 1, -1, 2, 1.5, 65535, 2000000, 0.001), fc.integer({ min: -1000, max: 100000 })), weight: 2 },
);

const chartValueNodeArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: chartValueLeafArb, weight: 4 },
  { arbitrary: fc.array(chartValueLeafArb, { maxLength: 3 }), weight: 1 },
  { arbitrary: fc.dictionary(chartValueKeyArb, chartValueLeafArb, { maxKeys: 3 }), weight: 1 },
  { arbitrary: fc.array(fc.dictionary(chartValueKeyArb, chartValueLeafArb, { maxKeys: 2 }), { maxLength: 2 }), weight: 1 },
);

/** `addons.*.values`: empty, realistic, or free-form maps with awkward keys and strings, nested maps and lists. */
const chartValuesArb: fc.Arbitrary<Doc> = fc.oneof(
  { arbitrary: fc.constant({}), weight: 1 },
  {
    arbitrary: fc.constantFrom<Doc>(
      { ipam: { mode: 'kubernetes' }, hubble: { relay: { enabled: true }, ui: { enabled: false } } },
      { kubeProxyReplacement: false, k8sServiceHost: 'api.example.com', k8sServicePort: 6443 },
      { replicas: 2, args: ['--kubelet-insecure-tls', '--metric-resolution=15s'], tolerations: [{ operator: 'Exists' }] },
      { installation: { calicoNetwork: { bgp: 'Disabled', ipPools: [{ cidr: '10.243.0.0/16', encapsulation: 'VXLAN' }] } } },
      { providerRegex: '^tenant-[a-z0-9-]+$', bypassDnsResolution: true, maxExpirationSeconds: '86400' },
      { podAnnotations: { 'example.com/yes': 'no', 'note': '{{ .Release.Name }}' }, nodeSelector: { 'kubernetes.io/os': 'linux' } },
    ),
    weight: 1,
  },
  { arbitrary: fc.dictionary(chartValueKeyArb, fc.oneof(chartValueNodeArb, fc.dictionary(chartValueKeyArb, chartValueNodeArb, { maxKeys: 2 })), { maxKeys: 4 }), weight: 3 },
);

/** A repository URL; its scheme is made to match the repository's type when the document is assembled (R5). */
const repositoryUrlArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant(''), weight: 1 },
  {
    arbitrary: fc.tuple(
      fc.constantFrom('https://', 'http://', 'oci://'),
      fc.oneof(
        fc.constantFrom('charts.example.com', 'registry.example.com:5000/helm', 'ghcr.io/acme/charts', 'mirror.internal/cilium',
          'charts.example.com/a"b', 'charts.example.com/{{.Values.x}}', 'charts.example.com/it\'s', 'charts.example.com/é/日本', 'charts.example.com/?a=1&b=<2>#yes'),
        fc.tuple(subdomainArb(3), fc.array(dnsLabelArb(12), { maxLength: 2 })).map(([host, parts]) => [host, ...parts].join('/')),
      ),
    ).map(([scheme, rest]) => `${scheme}${rest}`),
    weight: 6,
  },
);

const repositoryArb = partialRecord({
  type: fc.constantFrom('default', 'oci'),
  url: repositoryUrlArb,
  secretName: fc.oneof(fc.constant(''), fc.constantFrom('registry-credentials', 'mirror'), dnsLabelArb(40)),
  interval: fluxDurationArb,
});

export const REPOSITORY_KEYS = ['cilium', 'calico', 'metricsServer', 'kubeletCsrApprover', 'tenantCluster', 'snapshotController'] as const;

/** `addons.*.valuesFrom`: Secrets with values, with and without key, target path and `optional`. */
const valuesFromArb = fc.array(partialRecord({
  valuesKey: fc.constantFrom('values.yaml', 'values', 'extra.yaml', 'token'),
  targetPath: fc.constantFrom('', 'image.pullSecrets[0]', 'auth.token', 'a_b.c-d'),
  optional: fc.boolean(),
}).chain((item) => fc.oneof(fc.constantFrom('addon-values', 'mirror.credentials'), dnsLabelArb(40)).map((secretName) => ({ secretName, ...item }))), { maxLength: 2 });

const fluxAddonArb = partialRecord({
  enabled: fc.boolean(),
  chartVersion: chartVersionArb(),
  targetNamespace: tenantNamespaceArb,
  values: chartValuesArb,
  valuesFrom: valuesFromArb,
});

/** Transfer networks of the VPN (a network address, /16 to /29); {@link repairVpn} picks one apart from the others. */
const VPN_NETWORKS = ['10.255.255.0/24', '172.30.255.0/24', '192.168.254.0/28', '100.64.0.0/16', '10.254.0.0/29'];
/** Extra routes of the VPN (none in 203.0.113.0/24, where the generated endpoint address is). */
const VPN_EXTRA_ROUTES = ['192.168.10.0/24', '172.20.0.0/16', '10.50.0.0/16', '198.51.100.0/24', '10.244.128.0/17'];
/** A generated VPN endpoint address outside every generated network but the node CIDR candidate 203.0.113.0/24. */
const VPN_ENDPOINT_ADDRESS = '203.0.113.10';

/**
 * Resources of the VPN's containers: memory requests within the default 64Mi limit or with a larger limit (a request
 * above the limit is refused by the API server; the chart does not compare quantities, for any component).
 */
const vpnResourcesArb = partialRecord({
  requests: partialRecord({
    cpu: fc.oneof(fc.constantFrom('1m', '5m', '10m', '0.1'), fc.integer({ min: 1, max: 100 }).map((n) => `${n}m`)),
    memory: fc.oneof(fc.constantFrom('8Mi', '16Mi', '32Mi', '50M', '65536k'), fc.integer({ min: 1, max: 64 }).map((n) => `${n}Mi`)),
  }),
  limits: partialRecord({
    cpu: fc.constantFrom('100m', '500m', '1'),
    memory: fc.oneof(fc.constantFrom('64Mi', '96Mi', '128Mi', '1Gi'), fc.integer({ min: 64, max: 512 }).map((n) => `${n}Mi`)),
  }),
});

/** `addons.vpn`: on about half the times the key is generated, before {@link repairVpn}. */
const vpnArb = partialRecord({
  enabled: fc.boolean(),
  network: fc.constantFrom(...VPN_NETWORKS),
  port: fc.oneof(fc.constantFrom(1194, 443, 8443), fc.integer({ min: 1, max: 65535 })),
  routeNodes: fc.boolean(),
  extraRoutes: fc.subarray(VPN_EXTRA_ROUTES, { maxLength: 2 }),
  endpoint: partialRecord({ host: fc.constantFrom('', VPN_ENDPOINT_ADDRESS, 'vpn.acme.example.com') }),
  tlsCrypt: partialRecord({ secretName: fc.constantFrom('', 'acme-vpn-tls-crypt') }),
  image: componentImageArb,
  resources: vpnResourcesArb,
  pingRestartSeconds: fc.integer({ min: 30, max: 600 }),
  server: partialRecord({
    replicas: fc.integer({ min: 1, max: 5 }),
    image: componentImageArb,
    resources: vpnResourcesArb,
    nodePort: fc.integer({ min: 30000, max: 32767 }),
    loadBalancer: partialRecord({ sourceRanges: fc.array(cidrArb, { maxLength: 2 }), annotations: annotationsArb }),
  }),
  chartVersion: chartVersionArb(true),
  targetNamespace: tenantNamespaceArb,
  values: chartValuesArb,
});

/** The `addons` section as generated, before the render-time rules are applied by {@link repairAddons}. */
const addonsArb = partialRecord({
  delivery: partialRecord({
    interval: fluxDurationArb,
    timeout: fluxDurationArb,
    retryInterval: fluxDurationArb,
    driftDetection: fc.constantFrom('enabled', 'warn', 'disabled'),
  }),
  repositories: partialRecord(Object.fromEntries(REPOSITORY_KEYS.map((k) => [k, repositoryArb]))),
  images: partialRecord({ waitForKubeconfig: componentImageArb }),
  cni: partialRecord({
    enabled: fc.boolean(),
    type: fc.constantFrom('cilium', 'calico'),
    mtu: fc.oneof(fc.constantFrom(1330, 1400, 1450, 1500, 8950, 9000), fc.integer({ min: 1330, max: 9000 })),
    // Cilium's chart version: empty picks the support matrix's version for the Kubernetes minor.
    cilium: partialRecord({ chartVersion: fc.oneof(fc.constant(''), chartVersionArb(true)), targetNamespace: tenantNamespaceArb, kubeProxyReplacement: fc.boolean(), values: chartValuesArb, valuesFrom: valuesFromArb }),
    calico: partialRecord({ chartVersion: chartVersionArb(), targetNamespace: tenantNamespaceArb, values: chartValuesArb, valuesFrom: valuesFromArb }),
  }),
  metricsServer: fluxAddonArb,
  kubeletServingCertApprover: fluxAddonArb,
  csi: partialRecord({
    enabled: fc.boolean(),
    infraStorageClassName: fc.oneof(fc.constant(''), fc.constantFrom('standard', 'replicated-block', 'ceph-rbd.rwx')),
    allowedInfraStorageClasses: fc.array(fc.constantFrom('standard', 'replicated-block', 'ceph-rbd.rwx', 'fast', '0'), { maxLength: 3 }),
    infraVolumeSnapshotClassName: fc.oneof(fc.constant(''), fc.constantFrom('csi-snapshots', 'ceph-rbd.snap')),
    storageClass: partialRecord({
      name: fc.oneof(fc.constantFrom('kubevirt', 'standard', 'fast.ssd', '0'), subdomainArb(2)),
      isDefault: fc.boolean(),
      reclaimPolicy: fc.constantFrom('Delete', 'Retain'),
    }),
    volumeSnapshotClass: fc.boolean(),
    snapshotController: fluxAddonArb,
    chartVersion: chartVersionArb(true),
    targetNamespace: tenantNamespaceArb,
    values: chartValuesArb,
    valuesFrom: valuesFromArb,
    controller: partialRecord({
      image: componentImageArb,
      replicas: fc.integer({ min: 1, max: 5 }),
      resources: componentResourcesArb,
      sidecarResources: componentResourcesArb,
      sidecarImages: partialRecord({ provisioner: componentImageArb, attacher: componentImageArb, resizer: componentImageArb, livenessProbe: componentImageArb, snapshotter: componentImageArb }),
    }),
  }),
  cloudControllerManager: partialRecord({
    enabled: fc.boolean(),
    image: componentImageArb,
    replicas: fc.integer({ min: 1, max: 5 }),
    resources: componentResourcesArb,
    extraArgs: extraArgsArb,
    loadBalancer: partialRecord({
      enabled: fc.boolean(),
      creationPollInterval: fc.oneof(fc.constantFrom(1, 5, 600), fc.integer({ min: 1, max: 600 })),
      creationPollTimeout: fc.oneof(fc.constantFrom(1, 60, 3600), fc.integer({ min: 1, max: 3600 })),
      enableEPSController: fc.boolean(),
    }),
    zoneAndRegion: fc.boolean(),
    servicePolicy: partialRecord({
      enabled: fc.boolean(),
      allowLoadBalancerIP: fc.boolean(),
      deniedAnnotationPrefixes: fc.array(fc.constantFrom('metallb.universe.tf/', 'io.cilium/', 'example.com/lb-', 'x', 'A_b.c/'), { maxLength: 4 }),
    }),
  }),
  uninstallCleanup: partialRecord({ enabled: fc.boolean(), image: componentImageArb, resources: componentResourcesArb }),
  exclusiveNamespace: fc.boolean(),
  clusterAutoscaler: partialRecord({
    enabled: fc.boolean(),
    image: fc.oneof(fc.constant(''), componentImageArb),
    resources: componentResourcesArb,
    scaleDown: partialRecord({
      enabled: fc.boolean(),
      unneededTime: durationArb,
      delayAfterAdd: durationArb,
      utilizationThreshold: fc.constantFrom('0', '0.5', '1', '1.0', '0.65', '0.05', '1.000', '0.123456789'),
    }),
    expander: fc.constantFrom('least-waste', 'random', 'most-pods', 'price', 'priority'),
    maxNodeProvisionTime: durationArb,
    extraArgs: extraArgsArb,
  }),
  vpn: vpnArb,
});

/** Addons that have an `enabled` switch. */
export const ADDON_SWITCHES = ['addons.cni.enabled', 'addons.metricsServer.enabled', 'addons.kubeletServingCertApprover.enabled',
  'addons.csi.enabled', 'addons.cloudControllerManager.enabled', 'addons.clusterAutoscaler.enabled'] as const;

/** How the addons of a document are chosen and made to follow the render-time rules. */
interface AddonsChoice {
  /** The generated section (undefined: key absent, unless a rule needs a value in it). */
  readonly section: Doc | undefined;
  /** `random`: as generated; `allOff`/`allOn`: every addon switch set to false/true. */
  readonly preset: 'random' | 'allOff' | 'allOn';
  /** R1/R2 repair: set kube-proxy to what the CNI needs (false), or Cilium's replacement to what kube-proxy needs (true). */
  readonly fixCni: boolean;
  /** R3 repair: turn the approver on (true) or serverTLSBootstrap off (false). */
  readonly enableApprover: boolean;
  /** R4 repair: where the CSI node chart comes from when no URL was generated. */
  readonly csiRepositoryHost: string;
}

const addonsChoiceArb: fc.Arbitrary<AddonsChoice> = fc.record({
  section: fc.option(addonsArb, { nil: undefined, freq: 8 }),
  preset: fc.oneof({ arbitrary: fc.constant('random' as const), weight: 6 }, { arbitrary: fc.constantFrom('allOff' as const, 'allOn' as const), weight: 1 }),
  fixCni: fc.boolean(),
  enableApprover: fc.boolean(),
  csiRepositoryHost: fc.oneof(fc.constantFrom('charts.example.com/tenant-cluster', 'registry.example.com/charts', 'ghcr.io/acme/charts'), subdomainArb(3)),
});

/** The effective value at a leaf path: the document's, else the chart default (documents hold no nulls). */
function effectiveLeaf(values: Doc, path: string): unknown {
  const v = getPath(values, path);
  return v !== undefined ? v : getPath(DEFAULTS, path);
}

/** `url` with the scheme its repository type needs (R5). */
function withScheme(url: string, oci: boolean): string {
  const rest = url.replace(/^(https?|oci):\/\//, '');
  return `${oci ? 'oci://' : 'https://'}${rest}`;
}

/**
 * Tenant-side addons whose Flux HelmRelease is named `<cluster>-<suffix>`: enabled, that name must fit in
 * 63 characters (a render-time check of the chart beside R1-R7).
 */
export const ADDON_RELEASE_SUFFIXES: ReadonlyArray<[string, string]> = [
  // Calico's CRD chart is `<cluster>-cni-crds`, the longest of the CNI's names.
  ['addons.cni.enabled', 'cni-crds'],
  ['addons.metricsServer.enabled', 'metrics-server'],
  ['addons.kubeletServingCertApprover.enabled', 'kubelet-csr-approver'],
  ['addons.csi.enabled', 'csi'],
  ['addons.openstack.cinderCsi.enabled', 'cinder-csi'],
  // The VPN's HelmRelease and (KubeVirt) its management Service.
  ['addons.vpn.enabled', 'vpn'],
];

/** Whether the HelmRelease of the addon switched by `switchPath` fits with this cluster name. */
function addonNameFits(cluster: string, switchPath: string): boolean {
  const suffix = ADDON_RELEASE_SUFFIXES.find(([p]) => p === switchPath)?.[1];
  return suffix === undefined || `${cluster}-${suffix}`.length <= 63;
}

/** Turns off the addons whose HelmRelease name would not fit with this cluster name. */
function fitAddonNames(values: Doc, cluster: string): void {
  for (const [p] of ADDON_RELEASE_SUFFIXES) {
    if (effectiveLeaf(values, p) === true && !addonNameFits(cluster, p)) setPath(values, p, false);
  }
  // The snapshot-controller's HelmRelease (with addons.csi.volumeSnapshotClass) is `<cluster>-snapshot-controller`.
  if (`${cluster}-snapshot-controller`.length > 63) setPath(values, 'addons.csi.snapshotController.enabled', false);
  // The uninstall cleanup hook's Job is `<cluster>-cleanup`, and a Job's name is a label value.
  if (`${cluster}-cleanup`.length > 63) setPath(values, 'addons.uninstallCleanup.enabled', false);
}

/** A key of an addon chart's values the chart owns: the key, or (with `item`) list items matching it. */
export interface OwnedAddonKey { readonly path: string; readonly item?: RegExp }

const KUBELET_TLS_FLAG = /^--kubelet-(insecure-tls|certificate-authority)/;

/**
 * R16: addon values paths and the keys of their charts the chart sets itself (a user value for one is
 * refused). Written here from the chart's documented contract, independently of its code.
 */
export const OWNED_ADDON_KEYS: ReadonlyArray<[string, readonly OwnedAddonKey[]]> = [
  ['addons.cni.cilium', ['k8sServiceHost', 'k8sServicePort', 'kubeProxyReplacement', 'ipam.mode', 'ipam.operator.clusterPoolIPv4PodCIDRList',
    'routingMode', 'tunnelProtocol', 'MTU'].map((path) => ({ path }))],
  ['addons.cni.calico', ['kubernetesServiceEndpoint', 'installation.calicoNetwork.ipPools', 'installation.calicoNetwork.mtu',
    'installation.calicoNetwork.bgp'].map((path) => ({ path }))],
  ['addons.metricsServer', [{ path: 'args', item: KUBELET_TLS_FLAG }, { path: 'defaultArgs', item: KUBELET_TLS_FLAG }]],
  ['addons.kubeletServingCertApprover', ['providerRegex', 'providerIpPrefixes', 'bypassHostnameCheck', 'env'].map((path) => ({ path }))],
  ['addons.csi', ['infraStorageClassName', 'storageClass.name', 'storageClass.isDefault', 'storageClass.reclaimPolicy', 'volumeSnapshotClass'].map((path) => ({ path }))],
];

/** The value at a dotted path through maps only (undefined when a step is missing or not a map). */
function mapPath(doc: unknown, path: string): unknown {
  let cur = doc;
  for (const s of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, s)) return undefined;
    cur = (cur as Doc)[s];
  }
  return cur;
}

/** Whether generated addon values set a key the chart owns. */
export function setsOwnedKey(addonValues: unknown, key: OwnedAddonKey): boolean {
  const v = mapPath(addonValues, key.path);
  if (v === undefined) return false;
  return !key.item || (Array.isArray(v) && v.some((i) => typeof i === 'string' && key.item!.test(i)));
}

/** R16: removes generated addon values the chart owns (whole keys, or the owned items of a list). */
function dropOwnedAddonValues(values: Doc): void {
  for (const [base, owned] of OWNED_ADDON_KEYS) {
    const addonValues = getPath(values, `${base}.values`);
    for (const key of owned) {
      if (!setsOwnedKey(addonValues, key)) continue;
      const list = mapPath(addonValues, key.path);
      if (key.item) setPath(values, `${base}.values.${key.path}`, (list as unknown[]).filter((i) => !(typeof i === 'string' && key.item!.test(i))));
      else deletePath(values, `${base}.values.${key.path}`);
    }
  }
}

/** Repair choices for documents made by mutations (no variation needed there). */
const PLAIN_REPAIR: AddonsChoice = { section: undefined, preset: 'random', fixCni: false, enableApprover: false, csiRepositoryHost: 'charts.example.com/tenant-cluster' };

/**
 * Applies R1-R5 to a document, and the addon HelmRelease name lengths (R6 is {@link repairAutoscaling},
 * R7 holds by construction).
 */
function repairAddons(values: Doc, cluster: string, choice: AddonsChoice): void {
  fitAddonNames(values, cluster);
  dropOwnedAddonValues(values);
  // R5: every repository's URL scheme matches its type (the defaults' URLs are `https://`).
  for (const k of REPOSITORY_KEYS) {
    const oci = effectiveLeaf(values, `addons.repositories.${k}.type`) === 'oci';
    const url = String(effectiveLeaf(values, `addons.repositories.${k}.url`));
    if (url !== '' && oci !== url.startsWith('oci://')) setPath(values, `addons.repositories.${k}.url`, withScheme(url, oci));
  }
  // R3: serving certificates need their approver.
  if (effectiveLeaf(values, 'controlPlane.kubelet.serverTLSBootstrap') === true && effectiveLeaf(values, 'addons.kubeletServingCertApprover.enabled') !== true) {
    if (choice.enableApprover && addonNameFits(cluster, 'addons.kubeletServingCertApprover.enabled')) {
      setPath(values, 'addons.kubeletServingCertApprover.enabled', true);
    } else {
      setPath(values, 'controlPlane.kubelet.serverTLSBootstrap', false);
    }
  }
  // R1/R2: exactly one Service implementation when a CNI is installed.
  if (effectiveLeaf(values, 'addons.cni.enabled') === true) {
    const kubeProxy = effectiveLeaf(values, 'controlPlane.addons.kubeProxy.enabled') === true;
    const calico = effectiveLeaf(values, 'addons.cni.type') === 'calico';
    const needsKubeProxy = calico || effectiveLeaf(values, 'addons.cni.cilium.kubeProxyReplacement') !== true;
    if (kubeProxy !== needsKubeProxy) {
      if (choice.fixCni && !calico) setPath(values, 'addons.cni.cilium.kubeProxyReplacement', !kubeProxy);
      else setPath(values, 'controlPlane.addons.kubeProxy.enabled', needsKubeProxy);
    }
  }
  // R8: snapshots through an infra StorageClass need the infra VolumeSnapshotClass mapped to it.
  if (effectiveLeaf(values, 'addons.csi.volumeSnapshotClass') === true && effectiveLeaf(values, 'addons.csi.infraStorageClassName') !== ''
    && effectiveLeaf(values, 'addons.csi.infraVolumeSnapshotClassName') === '') {
    setPath(values, 'addons.csi.infraVolumeSnapshotClassName', 'csi-snapshots');
  }
  // R9: the CCM's EndpointSlice controller needs the namespace to itself.
  if (effectiveLeaf(values, 'addons.exclusiveNamespace') === false && effectiveLeaf(values, 'addons.cloudControllerManager.enabled') === true
    && effectiveLeaf(values, 'addons.cloudControllerManager.loadBalancer.enabled') === true
    && effectiveLeaf(values, 'addons.cloudControllerManager.loadBalancer.enableEPSController') === true) {
    setPath(values, 'addons.cloudControllerManager.loadBalancer.enableEPSController', false);
  }
  // R4 (last: R3 may turn the approver on): every repository an enabled addon installs from has a URL (the CSI node chart's has no default).
  const cniType = effectiveLeaf(values, 'addons.cni.enabled') === true ? effectiveLeaf(values, 'addons.cni.type') : undefined;
  const used: Record<string, boolean> = {
    cilium: cniType === 'cilium',
    calico: cniType === 'calico',
    metricsServer: effectiveLeaf(values, 'addons.metricsServer.enabled') === true,
    kubeletCsrApprover: effectiveLeaf(values, 'addons.kubeletServingCertApprover.enabled') === true,
    tenantCluster: isOpenStack(values) ? effectiveLeaf(values, 'addons.openstack.cinderCsi.enabled') === true : effectiveLeaf(values, 'addons.csi.enabled') === true,
    snapshotController: !isOpenStack(values) && effectiveLeaf(values, 'addons.csi.enabled') === true && effectiveLeaf(values, 'addons.csi.volumeSnapshotClass') === true
      && effectiveLeaf(values, 'addons.csi.snapshotController.enabled') === true,
  };
  for (const k of REPOSITORY_KEYS) {
    if (!used[k] || effectiveLeaf(values, `addons.repositories.${k}.url`) !== '') continue;
    const oci = effectiveLeaf(values, `addons.repositories.${k}.type`) === 'oci';
    setPath(values, `addons.repositories.${k}.url`, withScheme(choice.csiRepositoryHost, oci));
  }
}

// ---------------------------------------------------------------------------------------------
// Sections of the values contract
// ---------------------------------------------------------------------------------------------

/** The newest patch of a minor the support matrix knows (its default version's). */
const maxPatch = (minor: string) => Number(SUPPORT_MATRIX[minor].defaultVersion.split('.')[2]);

/** `kubernetes.version`: each supported minor, with and without a known patch (0, the newest, any between), with and without `v`. */
export const kubernetesVersionArb = fc.tuple(
  fc.constantFrom(...SUPPORTED_MINORS),
  fc.option(fc.oneof(fc.constant(0), fc.constant(-1), fc.nat()), { nil: undefined }),
  fc.boolean(),
).map(([minor, patch, v]) => {
  const p = patch === undefined ? undefined : patch === -1 ? maxPatch(minor) : patch % (maxPatch(minor) + 1);
  return `${v ? 'v' : ''}${minor}${p === undefined ? '' : `.${p}`}`;
});

/** CoreDNS settings; the service IP is chosen later, inside the effective service CIDR. */
interface NetworkChoice {
  readonly cidrs: Partial<Record<CidrRole, string>>;
  /** undefined: key absent; null: `""`; a number: offset into the service CIDR. */
  readonly dnsOffset: number | null | undefined;
}

const networkChoiceArb: fc.Arbitrary<NetworkChoice> = fc.record({
  cidrs: partialRecord({
    clusterPod: cidrWithPrefixArb(CIDR_PREFIXES.clusterPod),
    clusterService: cidrWithPrefixArb(CIDR_PREFIXES.clusterService),
    managementPod: cidrWithPrefixArb(CIDR_PREFIXES.managementPod),
    managementService: cidrWithPrefixArb(CIDR_PREFIXES.managementService),
  }) as fc.Arbitrary<Partial<Record<CidrRole, string>>>,
  dnsOffset: fc.oneof(fc.constant(undefined), fc.constant(null), fc.nat(), fc.constantFrom(0, 1, 10)),
}).filter(({ cidrs }) => {
  const eff = { ...DEFAULT_CIDRS, ...cidrs };
  return CHECKED_PAIRS.every(([a, b]) => !cidrsOverlap(eff[a], eff[b]));
});

const clusterNetworkRestArb = partialRecord({
  serviceDomain: fc.oneof(fc.constant('cluster.local'), subdomainArb(3)),
  apiServerPort: fc.oneof(fc.constantFrom(6443, 443, 1, 65535), fc.integer({ min: 1, max: 65535 })),
});

const managementRestArb = partialRecord({
  clusterDomain: fc.oneof(fc.constant('cluster.local'), subdomainArb(3)),
  egressCidrs: fc.array(cidrWithPrefixArb([24, 28, 32]), { maxLength: 2 }),
  serviceNodePortRange: fc.constantFrom('30000-32767', '20000-40000', '1-65535', '6443-8132'),
});

const componentArb = partialRecord({ resources: resourcesArb, extraArgs: extraArgsArb });

const ADDRESS_TYPES = ['InternalIP', 'ExternalIP', 'Hostname', 'InternalDNS', 'ExternalDNS'];

const controlPlaneArb = partialRecord({
  replicas: fc.integer({ min: 1, max: 9 }),
  dataStoreName: fc.oneof(fc.constantFrom('default', 'etcd-1', 'postgres.main'), subdomainArb(2)),
  endpoint: partialRecord({
    type: fc.constantFrom('LoadBalancer', 'NodePort', 'ClusterIP'),
    nodePort: partialRecord({ address: fc.oneof(fc.constant(''), ipv4Arb) }),
    loadBalancer: partialRecord({
      sourceRanges: fc.array(cidrArb, { maxLength: 3 }),
      className: fc.oneof(fc.constant(''), fc.constantFrom('io.cilium/bgp-control-plane', 'kube-vip.io/kube-vip-class', 'metallb')),
    }),
    ingress: partialRecord({
      hostname: fc.oneof(fc.constant(''), hostnameArb),
      className: fc.oneof(fc.constant(''), fc.constantFrom('nginx', 'haproxy'), dnsLabelArb(20)),
      annotations: fc.oneof(fc.constant({ 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true' }), annotationsArb),
    }),
    serviceAnnotations: annotationsArb,
    advertiseAddress: fc.oneof(fc.constant(''), ipv4Arb),
  }),
  certSANs: fc.array(fc.oneof(hostnameArb, ipv4Arb, hostnameArb.map((h) => `*.${h}`)), { maxLength: 4 }),
  apiServer: componentArb,
  controllerManager: componentArb,
  scheduler: componentArb,
  kubelet: partialRecord({
    cgroupfs: fc.constantFrom('systemd', 'cgroupfs'),
    preferredAddressTypes: fc.shuffledSubarray(ADDRESS_TYPES, { minLength: 1 }),
    serverTLSBootstrap: fc.boolean(),
  }),
  addons: partialRecord({
    kubeProxy: partialRecord({ enabled: fc.boolean() }),
    konnectivity: partialRecord({
      enabled: fc.boolean(),
      serverPort: fc.oneof(fc.constantFrom(8132, 1, 65535), fc.integer({ min: 1, max: 65535 })),
      serverResources: resourcesArb,
      agentMode: fc.constantFrom('DaemonSet', 'Deployment'),
      agentReplicas: fc.integer({ min: 1, max: 10 }),
    }),
  }),
  // coreDNS.enabled here; coreDNS.serviceIP comes from the network choice.
  coreDnsEnabled: fc.boolean(),
});

const storageClassArb = fc.oneof(fc.constant(''), fc.constantFrom('standard', 'replicated', 'local-path', 'ceph-rbd.ssd'));

/** The DataVolume `spec.source` schema of the vendored KubevirtMachineTemplate CRD (CAPK v0.11.2). */
function dataVolumeSourceSchema(): Doc {
  const file = path.join(__dirname, '..', 'schemas', 'crds', 'cluster-api-provider-kubevirt', 'infrastructure.cluster.x-k8s.io_kubevirtmachinetemplates.yaml');
  const crd = YAML.parse(fs.readFileSync(file, 'utf8'));
  const root = crd.spec.versions.find((v: Doc) => v.name === 'v1alpha1').schema.openAPIV3Schema;
  return ['spec', 'template', 'spec', 'virtualMachineTemplate', 'spec', 'dataVolumeTemplates', '[]', 'spec', 'source']
    .reduce((node: Doc, seg) => (seg === '[]' ? node.items : (node.properties as Doc)[seg]) as Doc, root);
}

/** Strings of a CRD string field: real-looking ones and awkward ones. */
const crdStringArb = fc.oneof(
  { arbitrary: fc.constantFrom('https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img', 'docker://quay.io/containerdisks/ubuntu:24.04',
    'node', 'pod', 'amd64', 'image-secret', 'tenant-images', 's3://bucket/image.img', 'http://images.example.com/a b/ü.qcow2?x=1&y=<2>'), weight: 2 },
  { arbitrary: dnsLabelArb(20), weight: 1 },
  { arbitrary: awkwardStringArb, weight: 1 },
);

/**
 * Values valid for an OpenAPI schema of a CRD (objects, strings, booleans, lists of strings): required
 * keys always, other keys present four times in five; `maxProperties: 1` objects get exactly one key.
 */
function schemaValueArb(schema: Doc, maxProperties?: number): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'string': return crdStringArb;
    case 'boolean': return fc.boolean();
    case 'integer': return fc.integer({ min: 0, max: 1000 });
    case 'array': return fc.array(schemaValueArb(schema.items as Doc), { maxLength: 2 });
    case 'object': {
      const props = Object.entries((schema.properties ?? {}) as Record<string, Doc>);
      if (maxProperties === 1) return fc.oneof(...props.map(([k, v]) => schemaValueArb(v).map((x) => ({ [k]: x }))));
      const required = new Set((schema.required ?? []) as string[]);
      return fc.tuple(...props.map(([k, v]) => (required.has(k) ? schemaValueArb(v) : fc.option(schemaValueArb(v), { freq: 5, nil: undefined }))))
        .map((vals) => Object.fromEntries(props.map(([k], i) => [k, vals[i]]).filter(([, x]) => x !== undefined)));
    }
    default: throw new Error(`schemaValueArb: unsupported schema type ${String(schema.type)}`);
  }
}

/** A CDI DataVolume source: exactly one source type, valid for the CRD's schema. */
const dataVolumeSourceArb = schemaValueArb(dataVolumeSourceSchema(), 1) as fc.Arbitrary<Doc>;

/** Extra disk names: not `boot`, `kubelet` nor `cloudinitvolume`. */
const diskNameArb = fc.oneof(fc.constantFrom('data', 'logs', 'scratch', '0', 'etcd-data'), dnsLabelArb(40))
  .filter((n) => n !== 'boot' && n !== 'kubelet' && n !== 'cloudinitvolume');

const taintArb: fc.Arbitrary<Doc> = fc.record({
  key: fc.oneof(qualifiedNameArb, fc.constantFrom('node-role.kubernetes.io/infra', 'dedicated', 'gpu')),
  value: labelValueArb,
  effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute'),
}, { requiredKeys: ['key', 'effect'] }) as unknown as fc.Arbitrary<Doc>;

function nonEmpty(arb: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return arb.map((s) => (s === '' ? 'x' : s));
}

const kubeadmFileBaseArb = fc.record({
  path: fc.oneof(
    fc.constantFrom('/etc/sysctl.d/99-tenant.conf', '/etc/containerd/config.d/registry.toml', '/usr/local/bin/pre kubeadm.sh', '/etc/ünïcode/{{x}}.conf'),
    fc.tuple(dnsLabelArb(10), dnsLabelArb(10)).map(([a, b]) => `/etc/${a}/${b}.conf`),
  ),
  owner: fc.constantFrom('root:root', 'ubuntu:ubuntu', 'root', '1000:1000'),
  permissions: fc.oneof(fc.constantFrom('0644', '0600', '0755', '644', '0400', '000', '777'),
    fc.tuple(fc.boolean(), fc.nat(7), fc.nat(7), fc.nat(7)).map(([zero, a, b, c]) => `${zero ? '0' : ''}${a}${b}${c}`)),
}, { requiredKeys: ['path'] });

/** A Secret key reference for a kubeadm file (R13: exactly one of content and contentFrom). */
const fileSecretArb = fc.record({
  secret: fc.record({
    name: fc.oneof(fc.constantFrom('registry-credentials', 'node-ca.tenant', 'x'), subdomainArb(3)),
    key: fc.oneof(fc.constantFrom('hosts.toml', 'ca.crt', '.dockerconfigjson', 'KEY_1', 'a-b.c'), dnsLabelArb(20)),
  }),
});

const kubeadmFileArb: fc.Arbitrary<Doc> = fc.tuple(kubeadmFileBaseArb, fc.oneof(
  // The KubeadmConfigTemplate CRD refuses empty file contents, owners and commands (so does the schema).
  nonEmpty(awkwardStringArb).map((content) => ({ content })),
  fileSecretArb.map((contentFrom) => ({ contentFrom })),
)).map(([base, content]) => ({ ...base, ...content }) as Doc);

/** A VM's memory: sizes a node runs with (from 1Gi), in every unit Kubernetes quantities have. */
const vmMemoryArb = fc.oneof(
  fc.constantFrom('4Gi', '1Gi', '8Gi', '1.5Gi', '4096Mi', '4G', '1073741824', '16777216k', '1Ti', '0.5Ti', '1048576Ki', '64Gi'),
  fc.tuple(fc.integer({ min: 1, max: 256 }), fc.option(fc.nat(99), { nil: undefined }), fc.constantFrom('G', 'Gi'))
    .map(([n, frac, unit]) => `${n}${frac === undefined ? '' : `.${frac}`}${unit}`),
);

/** The kubelet's reservations: small enough for every VM size above (R12 repairs explicit capacities). */
const kubeletReservedArb = partialRecord({
  cpu: fc.constantFrom('100m', '0', '50m', '0.25', '500m', '1m', '0.5', '200m', '12.5m'),
  memory: fc.constantFrom('512Mi', '0', '256Mi', '768Mi', '100M', '0.5Gi', '262144Ki', '1k', '500M'),
});

/** A group's kubelet flags: `kube-reserved` is the chart's (R14), `max-pods` an integer. */
const kubeletExtraArgsArb = fc.tuple(extraArgsArb, fc.option(fc.constantFrom('110', '150', '250', '1', '500'), { nil: undefined }))
  .map(([args, maxPods]) => {
    const out: Doc = Object.fromEntries(Object.entries(args).filter(([k]) => k !== 'kube-reserved' && k !== 'max-pods'));
    if (maxPods !== undefined) out['max-pods'] = maxPods;
    return out;
  });

/** One node group's values (also the shape of `nodeGroupDefaults`). */
export const nodeGroupArb: fc.Arbitrary<Doc> = partialRecord({
  replicas: fc.oneof(fc.constantFrom(0, 1, 1000), fc.integer({ min: 0, max: 1000 })),
  autoscaling: partialRecord({
    enabled: fc.boolean(),
    min: fc.oneof(fc.constantFrom(0, 1, 1000), fc.integer({ min: 0, max: 1000 })),
    max: fc.oneof(fc.constantFrom(1, 1000), fc.integer({ min: 1, max: 1000 })),
    capacity: partialRecord({ cpu: capacityCpuArb, memory: capacityMemoryArb }),
  }),
  kubevirt: partialRecord({
    instancetype: fc.oneof(fc.constant(''), fc.constantFrom('u1.medium', 'cx1.2xlarge', 'o1.small'), subdomainArb(2)),
    instancetypeKind: fc.constantFrom('VirtualMachineClusterInstancetype', 'VirtualMachineInstancetype'),
    cores: fc.oneof(fc.constantFrom(1, 2, 256), fc.integer({ min: 1, max: 256 })),
    memory: vmMemoryArb,
    bootImage: partialRecord({
      type: fc.constantFrom('containerDisk', 'dataVolume'),
      containerDiskImage: fc.oneof(fc.constant(''), imageRefArb),
      dataVolume: partialRecord({ source: dataVolumeSourceArb, size: quantityArb, storageClassName: storageClassArb }),
    }),
    kubeletDisk: partialRecord({ enabled: fc.boolean(), size: quantityArb, storageClassName: storageClassArb }),
    extraDisks: fc.dictionary(diskNameArb, fc.record({ size: quantityArb, storageClassName: storageClassArb }, { requiredKeys: ['size'] }), { maxKeys: 3 }),
    evictionStrategy: fc.constantFrom('External', 'LiveMigrate', 'LiveMigrateIfPossible', 'None'),
  }),
  labels: fc.dictionary(nodeLabelKeyArb, labelValueArb, { maxKeys: 4 }),
  taints: fc.uniqueArray(taintArb, { maxLength: 3, selector: (t) => `${String(t.key)}:${String(t.effect)}` }),
  kubelet: partialRecord({
    extraArgs: kubeletExtraArgsArb,
    reserved: kubeletReservedArb,
    binariesUrl: fc.constantFrom('', 'https://dl.k8s.io/release', 'http://mirror.example.com:8080/k8s/release', 'https://artifacts.example.com/dl.k8s.io%2Frelease/'),
  }),
  kubeadm: partialRecord({
    files: fc.array(kubeadmFileArb, { maxLength: 3 }),
    preKubeadmCommands: fc.array(nonEmpty(awkwardStringArb), { maxLength: 3 }),
    postKubeadmCommands: fc.array(nonEmpty(awkwardStringArb), { maxLength: 3 }),
  }),
  healthCheck: partialRecord({
    enabled: fc.boolean(),
    maxUnhealthy: fc.oneof(fc.constantFrom('0%', '40%', '100%', '007%'), fc.nat(100).map((n) => `${n}%`)),
    nodeStartupTimeout: durationArb,
    readyUnknownTimeout: durationArb,
    readyFalseTimeout: durationArb,
  }),
});

/** Group names: lowercase letters, digits and `-`, at most 40 characters. */
export const groupNameArb = fc.oneof(
  { arbitrary: fc.constantFrom('md0', 'workers', 'system', 'gpu', '0', 'a', 'pool-1'), weight: 2 },
  { arbitrary: dnsLabelArb(40), weight: 3 },
).filter((g) => !RESERVED_KEYS.includes(g));

interface NameChoice {
  readonly release: string;
  readonly namespace: string;
  /** undefined: key absent. */
  readonly fullnameOverride: string | undefined;
  readonly nameOverride: string | undefined;
}

/**
 * Release, namespace and name overrides. The cluster name (fullnameOverride, else the release name)
 * is a DNS-1035 label of at most 63 characters; a release name is at most 53 characters (Helm's
 * limit) and, when fullnameOverride names the cluster, may be any release name Helm accepts.
 */
const nameChoiceArb: fc.Arbitrary<NameChoice> = fc.oneof(
  // The release names the cluster.
  fc.record({
    release: fc.oneof(fc.constantFrom('demo', 'tenant-a', 'x'), dnsLabelArb(53, true)),
    namespace: fc.oneof(fc.constantFrom('default', 'tenant-root', 'tenant-a'), dnsLabelArb(63)),
    fullnameOverride: fc.constantFrom(undefined, ''),
    nameOverride: fc.option(fc.oneof(fc.constant(''), dnsLabelArb(63, true)), { nil: undefined }),
  }),
  // fullnameOverride names the cluster.
  fc.record({
    release: fc.oneof(fc.constantFrom('demo', '1st', 'r.e.l', 'a-b.c-d'), subdomainArb(3).filter((s) => s.length <= 53)),
    namespace: fc.oneof(fc.constantFrom('default', 'tenant-root'), dnsLabelArb(63)),
    fullnameOverride: fc.oneof(fc.constantFrom('tenant', 'k'), dnsLabelArb(63, true)),
    nameOverride: fc.option(fc.oneof(fc.constant(''), dnsLabelArb(63, true)), { nil: undefined }),
  }),
);

// ---------------------------------------------------------------------------------------------
// OpenStack (infrastructure.provider: openstack)
// ---------------------------------------------------------------------------------------------

/** An OpenStack ID (a UUID, any case). */
const openStackIdArb = fc.oneof(
  { arbitrary: fc.constantFrom('5b7f0c2e-8e0a-4c1f-9d6e-2a3b4c5d6e7f', '9C1E2D3F-4A5B-4C6D-8E7F-0A1B2C3D4E5F'), weight: 1 },
  {
    arbitrary: fc.array(fc.constantFrom(...HEX), { minLength: 32, maxLength: 32 }).map((h) => h.join(''))
      .map((x) => `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`),
    weight: 3,
  },
);
const optionalIdArb = fc.oneof(fc.constant(''), openStackIdArb);
/** A Neutron tag: no comma (CAPO's CRD). */
const neutronTagArb = fc.oneof(fc.constantFrom('k8s', 'customer-acme', 'a b', 'x=1', 'ü', '{{ x }}', 'yes'), dnsLabelArb(20));
/** A Neutron query: at least one criterion. */
const neutronFilterArb: fc.Arbitrary<Doc> = partialRecord({
  name: fc.constantFrom('acme-nodes', 'net 1', '{{ name }}', 'on'),
  projectID: fc.constantFrom('0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e', 'acme'),
  tags: fc.uniqueArray(neutronTagArb, { minLength: 1, maxLength: 2 }),
  tagsAny: fc.uniqueArray(neutronTagArb, { minLength: 1, maxLength: 2 }),
  notTags: fc.uniqueArray(neutronTagArb, { minLength: 1, maxLength: 2 }),
  notTagsAny: fc.uniqueArray(neutronTagArb, { minLength: 1, maxLength: 2 }),
}).map((f) => (Object.keys(f).length > 0 ? f : { name: 'acme-nodes' }));
const neutronResourceArb: fc.Arbitrary<Doc> = fc.oneof(openStackIdArb.map((id) => ({ id })), neutronFilterArb.map((filter) => ({ filter })));
/** Names OpenStack and the cloud.conf take (`OpenStackName`). */
const openStackNameArb = fc.constantFrom('RegionOne', 'region_2', 'az-1', 'nova', 'a.b-c', 'AZ.2');
const securityGroupRuleArb = fc.record({
  direction: fc.constantFrom('ingress', 'egress'),
  etherType: fc.constantFrom('IPv4', 'IPv6'),
  protocol: fc.constantFrom('tcp', 'udp', 'icmp', '4', 'vrrp'),
  portRangeMin: fc.integer({ min: 1, max: 1024 }),
  portRangeMax: fc.integer({ min: 1024, max: 65535 }),
  remoteIPPrefix: cidrArb,
  remoteGroupID: openStackIdArb,
  remoteManagedGroups: fc.uniqueArray(fc.constantFrom('controlplane', 'worker', 'bastion'), { minLength: 1, maxLength: 2 }),
}, { requiredKeys: ['direction'] });

/** How the nodes' network is given. */
const OPENSTACK_NETWORK_MODES = ['id', 'filter', 'subnetID', 'idAndSubnetID', 'filterAndSubnetFilter', 'managed'] as const;

/** `infrastructure.openstack` as generated (the network per its mode; the rules are applied by {@link repairOpenStack}). */
const openStackInfrastructureArb: fc.Arbitrary<Doc> = fc.record({
  identity: partialRecord({
    cloudName: fc.constantFrom('openstack', 'prod_cloud', 'a.b-c', 'Cloud1'),
    region: fc.oneof(fc.constant(''), openStackNameArb),
    caCert: fc.boolean(),
  }),
  secretName: fc.oneof(fc.constantFrom('acme-prod-openstack', 'os.credentials', '0'), subdomainArb(2)),
  mode: fc.constantFrom(...OPENSTACK_NETWORK_MODES),
  networkID: openStackIdArb,
  subnetID: openStackIdArb,
  filter: neutronFilterArb,
  subnetFilter: neutronFilterArb,
  managed: partialRecord({
    dnsNameservers: fc.uniqueArray(ipv4Arb, { minLength: 1, maxLength: 2 }),
    mtu: fc.oneof(fc.constantFrom(0, 1450, 9000, 9216), fc.integer({ min: 0, max: 9216 })),
    routerID: optionalIdArb,
  }),
  rest: partialRecord({
    nodeCidr: cidrWithPrefixArb([16, 20, 22, 24, 26, 28]),
    extraNodeCidrs: fc.array(cidrWithPrefixArb([16, 24, 32]), { maxLength: 2 }),
    externalNetworkID: optionalIdArb,
    egressCidrs: fc.array(cidrWithPrefixArb([24, 28, 32]), { maxLength: 2 }),
    securityGroups: partialRecord({
      managed: fc.boolean(),
      allowAllInClusterTraffic: fc.boolean(),
      workerRules: fc.uniqueArray(fc.tuple(fc.constantFrom('ssh', 'bgp', 'vxlan', 'metrics', 'a b', 'Rule_1'), securityGroupRuleArb)
        .map(([name, rule]) => ({ name, ...rule })), { maxLength: 2, selector: (r) => r.name }),
    }),
    tags: fc.uniqueArray(neutronTagArb, { maxLength: 2 }),
    capacityFromFlavor: fc.boolean(),
  }),
}, { requiredKeys: ['secretName', 'mode', 'networkID', 'subnetID', 'filter', 'subnetFilter'] }).map((g) => {
  const network: Doc = {};
  if (g.mode === 'id' || g.mode === 'idAndSubnetID') network.id = g.networkID;
  if (g.mode === 'filter' || g.mode === 'filterAndSubnetFilter') network.filter = g.filter;
  if (g.mode === 'subnetID' || g.mode === 'idAndSubnetID') network.subnetID = g.subnetID;
  if (g.mode === 'filterAndSubnetFilter') network.subnetFilter = g.subnetFilter;
  if (g.mode === 'managed') Object.assign(network, g.managed ?? {});
  const rest = { ...((g.rest ?? {}) as Doc) };
  if (rest.nodeCidr !== undefined) network.nodeCidr = rest.nodeCidr;
  if (rest.extraNodeCidrs !== undefined) network.extraNodeCidrs = rest.extraNodeCidrs;
  delete rest.nodeCidr;
  delete rest.extraNodeCidrs;
  return { identity: { ...((g.identity ?? {}) as Doc), secretName: g.secretName }, network, ...rest };
});

/** A group's OpenStack server as generated (flavor and image may be missing or doubled: {@link repairOpenStackGroup} decides). */
export const openStackMachineArb: fc.Arbitrary<Doc> = partialRecord({
  flavor: fc.constantFrom('m1.large', 'm1.small', 'gpu.a100 x1', '{{ flavor }}', 'yes'),
  flavorID: fc.oneof(openStackIdArb, fc.constantFrom('42', 'c1-2')),
  image: partialRecord({
    id: optionalIdArb,
    name: fc.constantFrom('ubuntu-2404-kube-v1.34.12', 'Ubuntu 24.04 (kube)', '', 'true'),
    tags: fc.uniqueArray(fc.constantFrom('kubernetes', 'v1.34', 'a,b', 'ü'), { maxLength: 2 }),
  }),
  rootVolume: partialRecord({
    sizeGiB: fc.oneof(fc.constantFrom(0, 1, 50, 65536), fc.integer({ min: 0, max: 65536 })),
    type: fc.constantFrom('', 'ssd', '__DEFAULT__', 'Ceph SSD'),
    availabilityZone: fc.oneof(fc.constant(''), openStackNameArb),
  }),
  availabilityZone: fc.oneof(fc.constant(''), openStackNameArb),
  ports: fc.array(partialRecord({
    fixedIPs: fc.array(partialRecord({ subnet: neutronResourceArb, ipAddress: ipv4Arb }), { maxLength: 2 }),
    securityGroups: fc.array(neutronResourceArb, { maxLength: 2 }),
    nameSuffix: fc.constantFrom('storage', 'sriov-1', 'x'),
    vnicType: fc.constantFrom('normal', 'direct', 'direct-physical', 'macvtap', 'baremetal', 'virtio-forwarder'),
    disablePortSecurity: fc.boolean(),
  }).chain((port) => neutronResourceArb.map((network) => ({ network, ...port }))), { maxLength: 2 }),
  securityGroups: fc.array(neutronResourceArb, { maxLength: 2 }),
  serverGroupID: optionalIdArb,
  sshKeyName: fc.constantFrom('', 'ops', 'acme key', 'on'),
  serverMetadata: fc.dictionary(fc.oneof(fc.constantFrom('owner', 'a b', 'x'.repeat(255), 'yes', '{{ k }}'), dnsLabelArb(20)),
    fc.oneof(fc.constantFrom('acme', '', 'y'.repeat(255)), awkwardStringArb.filter((v) => [...v].length <= 255)), { maxKeys: 3 }),
  configDrive: fc.boolean(),
  tags: fc.uniqueArray(fc.constantFrom('acme-prod', 'a b', 'on'), { maxLength: 2 }),
});

/** `controlPlane.endpoint.openstack` as generated (internal and a floating network may meet: {@link repairOpenStack} decides). */
const endpointOpenStackArb: fc.Arbitrary<Doc> = partialRecord({
  floatingNetworkID: optionalIdArb,
  floatingSubnetID: optionalIdArb,
  internal: fc.boolean(),
  portID: optionalIdArb,
  keepFloatingIP: fc.boolean(),
  flavorID: optionalIdArb,
  availabilityZone: fc.oneof(fc.constant(''), openStackNameArb),
  class: fc.oneof(fc.constant(''), openStackNameArb),
  timeoutClientData: fc.oneof(fc.constantFrom(0, 1, 3600000, 2073600000), fc.integer({ min: 0, max: 2073600000 })),
  timeoutMemberData: fc.oneof(fc.constantFrom(0, 14400000), fc.integer({ min: 0, max: 2073600000 })),
});

/** Cinder StorageClasses: DNS-1123 subdomains (more than one default possible: {@link repairOpenStack} decides). */
const cinderStorageClassesArb: fc.Arbitrary<Doc> = fc.dictionary(
  fc.oneof(fc.constantFrom('standard', 'fast', 'ssd.replicated', '0'), subdomainArb(2)),
  partialRecord({
    volumeType: fc.constantFrom('', 'standard', 'SSD (replicated)', '__DEFAULT__'),
    isDefault: fc.boolean(),
    reclaimPolicy: fc.constantFrom('Delete', 'Retain'),
    allowVolumeExpansion: fc.boolean(),
    volumeBindingMode: fc.constantFrom('WaitForFirstConsumer', 'Immediate'),
    availabilityZone: fc.oneof(fc.constant(''), openStackNameArb),
    zones: fc.uniqueArray(openStackNameArb, { maxLength: 2 }),
    fsType: fc.constantFrom('', 'ext4', 'xfs'),
  }),
  { maxKeys: 3 },
);

/** `addons.openstack`. */
const openStackAddonsArb: fc.Arbitrary<Doc> = partialRecord({
  cloudControllerManager: partialRecord({
    enabled: fc.boolean(),
    image: fc.oneof(fc.constant(''), componentImageArb),
    replicas: fc.integer({ min: 1, max: 5 }),
    resources: componentResourcesArb,
    extraArgs: extraArgsArb,
    loadBalancer: partialRecord({
      enabled: fc.boolean(),
      provider: fc.constantFrom('amphora', 'octavia', 'ovn', 'amphorav2', 'f5'),
      method: fc.constantFrom('ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT'),
      createMonitor: fc.boolean(),
      monitorDelay: durationArb,
      monitorTimeout: durationArb,
      monitorMaxRetries: fc.integer({ min: 1, max: 10 }),
      monitorMaxRetriesDown: fc.integer({ min: 1, max: 10 }),
      floatingNetworkID: optionalIdArb,
      floatingSubnetID: optionalIdArb,
      subnetID: optionalIdArb,
      networkID: optionalIdArb,
      internal: fc.boolean(),
      manageSecurityGroups: fc.boolean(),
    }),
  }),
  cinderCsi: partialRecord({
    enabled: fc.boolean(),
    chartVersion: chartVersionArb(true),
    targetNamespace: tenantNamespaceArb,
    values: chartValuesArb,
    valuesFrom: valuesFromArb,
    topology: fc.boolean(),
    ignoreVolumeAZ: fc.boolean(),
    rescanOnResize: fc.boolean(),
    nodeVolumeAttachLimit: fc.oneof(fc.constantFrom(0, 1, 256), fc.integer({ min: 0, max: 256 })),
    storageClasses: cinderStorageClassesArb,
    volumeSnapshotClass: fc.boolean(),
    controller: partialRecord({
      image: fc.oneof(fc.constant(''), componentImageArb),
      replicas: fc.integer({ min: 1, max: 5 }),
      resources: componentResourcesArb,
      sidecarResources: componentResourcesArb,
      sidecarImages: partialRecord({ provisioner: componentImageArb, attacher: componentImageArb, resizer: componentImageArb,
        snapshotter: componentImageArb, livenessProbe: componentImageArb }),
    }),
  }),
});

/** The effective value at a leaf path of a document with OpenStack values. */
const isOpenStack = (values: Doc) => effectiveLeaf(values, 'infrastructure.provider') === 'openstack';

/**
 * A group's OpenStack server consistent with the render checks, after merging `nodeGroupDefaults`: exactly one of
 * flavor and flavorID, exactly one of image id and image query, a root volume size when its type or zone is set, and
 * a capacity when it scales from zero without `capacityFromFlavor`. Only with the OpenStack provider.
 */
function repairOpenStackGroup(values: Doc, group: string): void {
  if (!isOpenStack(values)) return;
  const base = `nodeGroups.${group}.openstack`;
  const os = () => (effectiveGroup(values, group).openstack ?? {}) as Doc;
  const str = (p: string) => String(getPath(os(), p) ?? '');
  if (str('flavor') === '' && str('flavorID') === '') setPath(values, `${base}.flavor`, 'm1.medium');
  if (str('flavor') !== '' && str('flavorID') !== '') setPath(values, `${base}.flavorID`, '');
  const byQuery = () => str('image.name') !== '' || ((getPath(os(), 'image.tags') ?? []) as unknown[]).length > 0;
  if (str('image.id') === '' && !byQuery()) setPath(values, `${base}.image.name`, 'ubuntu-2404-kube');
  // A group's own id beside a query from nodeGroupDefaults (maps merge): the group clears the query.
  if (str('image.id') !== '' && byQuery()) {
    setPath(values, `${base}.image.name`, '');
    setPath(values, `${base}.image.tags`, []);
  }
  if (Number(getPath(os(), 'rootVolume.sizeGiB') ?? 0) === 0 && (str('rootVolume.type') !== '' || str('rootVolume.availabilityZone') !== '')) {
    setPath(values, `${base}.rootVolume.sizeGiB`, 20);
  }
  const eff = effectiveGroup(values, group);
  const autoscaling = (eff.autoscaling ?? {}) as Doc;
  const capacity = (autoscaling.capacity ?? {}) as Doc;
  if (autoscaling.enabled === true && Number(autoscaling.min) === 0 && effectiveLeaf(values, 'infrastructure.openstack.capacityFromFlavor') !== true
    && (!capacity.cpu || !capacity.memory)) {
    const i = group.length % CAPACITY_REPAIRS.length;
    if (!capacity.cpu) setPath(values, `nodeGroups.${group}.autoscaling.capacity.cpu`, CAPACITY_REPAIRS[i][0]);
    if (!capacity.memory) setPath(values, `nodeGroups.${group}.autoscaling.capacity.memory`, CAPACITY_REPAIRS[i][1]);
  }
  // `cloud-provider` is the chart's kubelet flag on OpenStack.
  for (const p of [`nodeGroups.${group}.kubelet.extraArgs.cloud-provider`, 'nodeGroupDefaults.kubelet.extraArgs.cloud-provider']) deletePath(values, p);
}

/**
 * The VPN's render-time rules (src/constructs/vpn/vpn-checks.ts, TenantCluster's ReversePath), on documents with
 * `addons.vpn.enabled`: a transfer network apart from every network the control plane pod and the server use, extra
 * routes off the management networks and the transfer network, node routes only on OpenStack and there whenever
 * Konnectivity is off, an endpoint on OpenStack and never inside a routed network, no own egress selector file, the
 * server chart's repository. On OpenStack, routed tenant networks that overlap a management network turn the VPN off
 * (and Konnectivity on).
 */
function repairVpn(values: Doc): void {
  if (effectiveLeaf(values, 'addons.vpn.enabled') !== true) return;
  const openstack = isOpenStack(values);
  const cidrs = effectiveCidrs(values);
  const nodeCidr = openstack ? String(effectiveLeaf(values, 'infrastructure.openstack.network.nodeCidr')) : '';
  const management = [cidrs.managementPod, cidrs.managementService];
  const konnectivity = effectiveLeaf(values, 'controlPlane.addons.konnectivity.enabled') === true;
  const turnOff = () => {
    setPath(values, 'addons.vpn.enabled', false);
    if (openstack && !konnectivity) setPath(values, 'controlPlane.addons.konnectivity.enabled', true);
  };
  // Node routes: OpenStack only, required there without Konnectivity.
  let routeNodes = effectiveLeaf(values, 'addons.vpn.routeNodes') === true;
  if (!openstack || nodeCidr === '') routeNodes = false;
  else if (!konnectivity) routeNodes = true;
  setPath(values, 'addons.vpn.routeNodes', routeNodes);
  if (openstack && !konnectivity && !routeNodes) return turnOff();
  const routedTenant = [cidrs.clusterPod, cidrs.clusterService, ...(routeNodes ? [nodeCidr] : [])];
  if (openstack && routedTenant.some((r) => management.some((m) => cidrsOverlap(r, m)))) return turnOff();
  const network = String(effectiveLeaf(values, 'addons.vpn.network'));
  const taken = [cidrs.clusterPod, cidrs.clusterService, ...management, ...(nodeCidr !== '' ? [nodeCidr] : [])];
  const apart = (c: string) => taken.every((t) => !cidrsOverlap(c, t));
  if (!apart(network)) {
    const candidate = VPN_NETWORKS.find(apart);
    if (candidate === undefined) return turnOff();
    setPath(values, 'addons.vpn.network', candidate);
  }
  const transfer = String(effectiveLeaf(values, 'addons.vpn.network'));
  const extraRoutes = ((effectiveLeaf(values, 'addons.vpn.extraRoutes') ?? []) as string[])
    .filter((r) => ![...management, transfer].some((m) => cidrsOverlap(r, m)));
  setPath(values, 'addons.vpn.extraRoutes', extraRoutes);
  const host = String(effectiveLeaf(values, 'addons.vpn.endpoint.host'));
  const routed = [...routedTenant, ...extraRoutes];
  if ((openstack && host === '') || (/^[0-9.]+$/.test(host) && routed.some((r) => cidrsOverlap(`${host}/32`, r)))) {
    setPath(values, 'addons.vpn.endpoint.host', 'vpn.acme.example.com');
  }
  deletePath(values, 'controlPlane.apiServer.extraArgs.egress-selector-config-file');
  if (effectiveLeaf(values, 'addons.repositories.tenantCluster.url') === '') {
    setPath(values, 'addons.repositories.tenantCluster.url', withScheme('charts.example.com/tenant-cluster', effectiveLeaf(values, 'addons.repositories.tenantCluster.type') === 'oci'));
  }
}

/** A node CIDR for OpenStack documents: one of these that overlaps neither the pod nor the Service CIDR. */
const NODE_CIDR_CANDIDATES = ['10.0.0.0/24', '172.31.255.0/24', '192.168.255.0/24', '100.127.255.0/24', '198.18.0.0/24', '203.0.113.0/24'];

/**
 * The document-wide OpenStack rules (with `infrastructure.provider: openstack`): a LoadBalancer endpoint with
 * Konnectivity, the workers' egress when the load balancer is restricted, a node CIDR apart from the pod and
 * Service CIDRs, no floating IP settings on an internal load balancer, at most one default StorageClass, the
 * chart's own `cloud-provider` flags. Without it: no advertised address (KubeVirt refuses one).
 */
function repairOpenStack(values: Doc): void {
  if (!isOpenStack(values)) {
    if (effectiveLeaf(values, 'controlPlane.endpoint.advertiseAddress') !== '') setPath(values, 'controlPlane.endpoint.advertiseAddress', '');
    return;
  }
  setPath(values, 'controlPlane.endpoint.type', 'LoadBalancer');
  if (effectiveLeaf(values, 'infrastructure.openstack.identity.secretName') === '') setPath(values, 'infrastructure.openstack.identity.secretName', 'acme-openstack');
  // A reverse path: Konnectivity or the VPN ({@link repairVpn} turns Konnectivity back on where it turns the VPN off).
  if (effectiveLeaf(values, 'controlPlane.addons.konnectivity.enabled') !== true && effectiveLeaf(values, 'addons.vpn.enabled') !== true) {
    setPath(values, 'controlPlane.addons.konnectivity.enabled', true);
  }
  const sourceRanges = (effectiveLeaf(values, 'controlPlane.endpoint.loadBalancer.sourceRanges') ?? []) as unknown[];
  const egress = (effectiveLeaf(values, 'infrastructure.openstack.egressCidrs') ?? []) as unknown[];
  if (sourceRanges.length > 0 && egress.length === 0) setPath(values, 'infrastructure.openstack.egressCidrs', ['203.0.113.25/32']);
  const cidrs = effectiveCidrs(values);
  const nodeCidr = String(effectiveLeaf(values, 'infrastructure.openstack.network.nodeCidr'));
  const apart = (c: string) => !cidrsOverlap(c, cidrs.clusterPod) && !cidrsOverlap(c, cidrs.clusterService);
  if (!apart(nodeCidr)) setPath(values, 'infrastructure.openstack.network.nodeCidr', NODE_CIDR_CANDIDATES.find(apart));
  if (effectiveLeaf(values, 'controlPlane.endpoint.openstack.internal') === true
    && (effectiveLeaf(values, 'controlPlane.endpoint.openstack.floatingNetworkID') !== ''
      || effectiveLeaf(values, 'controlPlane.endpoint.openstack.floatingSubnetID') !== '')) {
    setPath(values, 'controlPlane.endpoint.openstack.internal', false);
  }
  deletePath(values, 'controlPlane.controllerManager.extraArgs.cloud-provider');
  const classes = getPath(values, 'addons.openstack.cinderCsi.storageClasses');
  if (isObject(classes)) {
    let seen = false;
    for (const c of Object.values(classes)) {
      if (isObject(c) && c.isDefault === true) {
        if (seen) c.isDefault = false;
        seen = true;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Valid documents
// ---------------------------------------------------------------------------------------------

interface ValidChoice {
  readonly names: NameChoice;
  readonly version: string | undefined;
  readonly kubernetesPresent: boolean;
  readonly network: NetworkChoice;
  readonly clusterNetworkRest: Doc;
  readonly managementRest: Doc;
  readonly controlPlane: Doc;
  readonly infrastructure: Doc | undefined;
  readonly nodeGroupDefaults: Doc | undefined;
  readonly nodeGroups: Array<[string, Doc]>;
  readonly addons: AddonsChoice;
  /** OpenStack values (also in KubeVirt documents, where nothing reads them): the endpoint's, the addons', the servers'. */
  readonly openStack: OpenStackParts;
}

interface OpenStackParts {
  readonly endpoint: Doc | undefined;
  readonly addons: Doc | undefined;
  readonly nodeGroupDefaults: Doc | undefined;
  /** Per node group (by position), absent when undefined. */
  readonly nodeGroups: ReadonlyArray<Doc | undefined>;
}

function assemble(choice: ValidChoice): ValuesCase {
  const values: Doc = {};
  const { names } = choice;
  if (names.nameOverride !== undefined) values.nameOverride = names.nameOverride;
  if (names.fullnameOverride !== undefined) values.fullnameOverride = names.fullnameOverride;
  const clusterName = names.fullnameOverride || names.release;

  if (choice.version !== undefined) values.kubernetes = { version: choice.version };
  else if (choice.kubernetesPresent) values.kubernetes = {};

  // Networks.
  const cn: Doc = { ...choice.clusterNetworkRest };
  const mc: Doc = { ...choice.managementRest };
  const { cidrs, dnsOffset } = choice.network;
  if (cidrs.clusterPod !== undefined) cn.podCidr = cidrs.clusterPod;
  if (cidrs.clusterService !== undefined) cn.serviceCidr = cidrs.clusterService;
  if (cidrs.managementPod !== undefined) mc.podCidr = cidrs.managementPod;
  if (cidrs.managementService !== undefined) mc.serviceCidr = cidrs.managementService;
  if (Object.keys(cn).length > 0) values.clusterNetwork = cn;
  if (Object.keys(mc).length > 0) values.managementCluster = mc;

  // Control plane, with CoreDNS inside the effective service CIDR.
  const { coreDnsEnabled, ...controlPlane } = choice.controlPlane;
  const cp: Doc = jsonCopy(controlPlane);
  if (dnsOffset !== undefined || coreDnsEnabled !== undefined) {
    const coreDNS: Doc = {};
    if (coreDnsEnabled !== undefined) coreDNS.enabled = coreDnsEnabled;
    if (dnsOffset === null) coreDNS.serviceIP = '';
    else if (dnsOffset !== undefined) {
      // Not the network address, the first (the kubernetes Service's) nor the broadcast address.
      const { first, size } = networkOf(cidrs.clusterService ?? DEFAULT_CIDRS.clusterService);
      coreDNS.serviceIP = numberToIp(first + 2 + (dnsOffset % (size - 3)));
    }
    setPath(cp, 'addons.coreDNS', coreDNS);
  }
  if (Object.keys(cp).length > 0) values.controlPlane = cp;
  repairNodePort(values);

  if (choice.infrastructure !== undefined) values.infrastructure = choice.infrastructure;
  if (choice.nodeGroupDefaults !== undefined) values.nodeGroupDefaults = jsonCopy(choice.nodeGroupDefaults);
  if (choice.addons.section !== undefined) values.addons = jsonCopy(choice.addons.section);
  const os = choice.openStack;
  if (os.endpoint !== undefined) setPath(values, 'controlPlane.endpoint.openstack', jsonCopy(os.endpoint));
  if (os.addons !== undefined) setPath(values, 'addons.openstack', jsonCopy(os.addons));
  if (os.nodeGroupDefaults !== undefined) setPath(values, 'nodeGroupDefaults.openstack', jsonCopy(os.nodeGroupDefaults));
  if (choice.addons.preset !== 'random') {
    for (const p of ADDON_SWITCHES) setPath(values, p, choice.addons.preset === 'allOn');
  }
  repairAddons(values, clusterName, choice.addons);

  // Node groups: names shortened so that `<cluster>-<group>` fits in 50 characters.
  const room = 50 - clusterName.length - 1;
  const groups: Doc = {};
  for (const [i, [rawName, group]] of choice.nodeGroups.entries()) {
    const name = room > 0 ? rawName.slice(0, room).replace(/-+$/, '') : '';
    if (name === '' || name in groups) continue;
    groups[name] = jsonCopy(group);
    if (os.nodeGroups[i] !== undefined) (groups[name] as Doc).openstack = jsonCopy(os.nodeGroups[i]);
  }
  if (choice.nodeGroups.length > 0 || Object.keys(groups).length > 0) values.nodeGroups = groups;
  repairOpenStack(values);
  repairVpn(values);
  for (const g of Object.keys(groups)) repairAutoscaling(values, g);
  repairAutoscalerOff(values);

  return { values: jsonCopy(values), release: names.release, namespace: names.namespace };
}

/** Valid values documents with the release they are rendered as. */
export const validCaseArb: fc.Arbitrary<ValuesCase> = fc.record({
  names: nameChoiceArb,
  version: fc.option(kubernetesVersionArb, { nil: undefined }),
  kubernetesPresent: fc.boolean(),
  network: networkChoiceArb,
  clusterNetworkRest: clusterNetworkRestArb,
  managementRest: managementRestArb,
  controlPlane: controlPlaneArb,
  infrastructure: fc.option(partialRecord({
    provider: fc.oneof({ arbitrary: fc.constant('kubevirt'), weight: 1 }, { arbitrary: fc.constant('openstack'), weight: 2 }),
    kubevirt: partialRecord({ storageClassName: storageClassArb }),
    openstack: openStackInfrastructureArb,
  }), { nil: undefined }),
  nodeGroupDefaults: fc.option(nodeGroupArb, { nil: undefined }),
  nodeGroups: fc.array(fc.tuple(groupNameArb, nodeGroupArb), { maxLength: 3 }),
  addons: addonsChoiceArb,
  openStack: fc.record({
    endpoint: fc.option(endpointOpenStackArb, { nil: undefined }),
    addons: fc.option(openStackAddonsArb, { nil: undefined }),
    nodeGroupDefaults: fc.option(openStackMachineArb, { nil: undefined }),
    nodeGroups: fc.array(fc.option(openStackMachineArb, { nil: undefined, freq: 4 }), { minLength: 3, maxLength: 3 }),
  }),
}).map((c) => assemble(c as ValidChoice));

// ---------------------------------------------------------------------------------------------
// Invalid documents: one mutation of a valid one
// ---------------------------------------------------------------------------------------------

/** A mutation: generated independently of the case it is applied to (keeps shrinking simple). */
interface Mutation {
  readonly kind: MutationKind;
  apply(c: ValuesCase): InvalidCase;
}

/** A copy of the case's values and a group to mutate: one of its groups, or a new `md0` (with a name that fits). */
function targetGroup(c: ValuesCase, pick: number): { values: Doc; group: string } {
  const values = jsonCopy(c.values);
  const names = groupNames(values);
  if (names.length > 0) return { values, group: names[pick % names.length] };
  // A new group: shorten the cluster name if `<cluster>-md0` would not fit.
  if (clusterNameOf(c).length > 46) values.fullnameOverride = 'c';
  setPath(values, 'nodeGroups.md0', {});
  repairAutoscaling(values, 'md0');
  repairAutoscalerOff(values);
  return { values, group: 'md0' };
}

function done(c: ValuesCase, kind: MutationKind, values: Doc, path: string, description: string, release = c.release,
  extra: Partial<Pick<InvalidCase, 'releaseDependent' | 'helm3WithoutPath' | 'namespace'>> = {}): InvalidCase {
  return { values, release, namespace: c.namespace, kind, path, description, ...extra };
}

/** Paths holding a scalar/list/map of a known type, with values of the wrong type. */
const WRONG_TYPES: ReadonlyArray<[string, unknown[]]> = [
  ['nameOverride', [5, true, ['x']]],
  ['fullnameOverride', [1, false]],
  ['kubernetes', ['v1.34']],
  ['kubernetes.version', [1.34, 134, true]],
  ['managementCluster.podCidr', [16, ['10.244.0.0/16']]],
  ['managementCluster.clusterDomain', [{}]],
  ['clusterNetwork.apiServerPort', ['6443', 6443.5, true]],
  ['clusterNetwork.serviceCidr', [{ cidr: '10.95.0.0/16' }]],
  ['controlPlane', ['x', []]],
  ['controlPlane.replicas', ['2', 2.5, false]],
  ['controlPlane.certSANs', ['api.example.com', {}]],
  ['controlPlane.certSANs.#', [42, null, {}]],
  ['controlPlane.endpoint', ['LoadBalancer']],
  ['controlPlane.endpoint.loadBalancer.sourceRanges', ['10.0.0.0/8']],
  ['controlPlane.endpoint.serviceAnnotations', [['a=b'], 'a=b']],
  ['controlPlane.endpoint.serviceAnnotations.x-annotation', [1, true, null, { a: 'b' }]],
  ['controlPlane.endpoint.ingress.hostname', [7]],
  ['controlPlane.apiServer.extraArgs.v', [2, true, ['1']]],
  ['controlPlane.apiServer.resources.requests.cpu', [1, 0.5]],
  ['controlPlane.addons.coreDNS.enabled', ['true', 'yes', 1]],
  ['controlPlane.addons.kubeProxy', [true]],
  ['controlPlane.addons.konnectivity.agentReplicas', ['2', 1.5]],
  ['controlPlane.kubelet.preferredAddressTypes', ['InternalIP']],
  ['infrastructure.kubevirt.storageClassName', [false, 0]],
  ['nodeGroupDefaults.replicas', ['2', 1.5]],
  ['nodeGroupDefaults.labels', [['a=b'], 'a=b']],
  ['nodeGroupDefaults.kubevirt.cores', ['2']],
  ['nodeGroupDefaults.healthCheck.enabled', ['false']],
  ['nodeGroups', [[], 'md0']],
  ['nodeGroups.@', ['md0', 3, []]],
  ['nodeGroups.@.replicas', ['3', 2.5, true]],
  ['nodeGroups.@.autoscaling.enabled', ['yes', 1]],
  ['nodeGroups.@.autoscaling.max', ['10']],
  ['nodeGroups.@.kubevirt.cores', [2.5, '4']],
  ['nodeGroups.@.kubevirt.memory', [4096]],
  ['nodeGroups.@.kubevirt.bootImage.dataVolume.source', ['docker://x', ['a']]],
  ['nodeGroups.@.kubevirt.extraDisks', [['data']]],
  ['nodeGroups.@.labels.role', [true, 1, null]],
  ['nodeGroups.@.taints', [{ key: 'a', effect: 'NoSchedule' }]],
  ['nodeGroups.@.taints.#.value', [true]],
  ['nodeGroups.@.kubelet.extraArgs.max-pods', [110]],
  ['nodeGroups.@.kubeadm.files.#.content', [1, ['a']]],
  ['nodeGroups.@.kubeadm.preKubeadmCommands', ['echo hi']],
  ['nodeGroups.@.kubeadm.postKubeadmCommands.#', [1]],
  ['nodeGroups.@.healthCheck.maxUnhealthy', [40]],
  ['addons', ['x', []]],
  ['addons.cni', ['cilium', true]],
  ['addons.cni.enabled', ['true', 1]],
  ['addons.cni.mtu', ['1350', 1350.5]],
  ['addons.cni.cilium.kubeProxyReplacement', ['false', 0]],
  ['addons.cni.cilium.values', ['x', ['a'], 1]],
  ['addons.cni.calico.values', [true, 'installation: {}']],
  ['addons.metricsServer.values', ['x', ['--kubelet-insecure-tls'], 2]],
  ['addons.kubeletServingCertApprover.values', ['', []]],
  ['addons.csi.values', [0, 'a: b']],
  ['addons.metricsServer.enabled', ['yes', 1]],
  ['addons.repositories.cilium', ['https://helm.cilium.io']],
  ['addons.repositories.tenantCluster.url', [1, ['https://charts.example.com']]],
  ['addons.delivery.interval', [600, true]],
  ['addons.csi.controller.replicas', ['1', 1.5]],
  ['addons.csi.controller.resources.requests.cpu', [0.1, 1]],
  ['addons.csi.storageClass.isDefault', ['true']],
  ['addons.csi.allowedInfraStorageClasses', ['standard', [1], { a: 'b' }]],
  ['addons.csi.infraVolumeSnapshotClassName', [1, ['x']]],
  ['addons.csi.snapshotController.enabled', ['true', 0]],
  ['addons.uninstallCleanup.enabled', ['false', 1]],
  ['addons.exclusiveNamespace', ['true', 0]],
  ['addons.cloudControllerManager.servicePolicy.deniedAnnotationPrefixes', ['metallb.io/', [1]]],
  ['addons.cloudControllerManager.servicePolicy.allowLoadBalancerIP', ['false']],
  ['addons.cloudControllerManager.extraArgs.v', [2, true]],
  ['addons.cloudControllerManager.loadBalancer.creationPollTimeout', ['60', 1.5]],
  ['addons.cloudControllerManager.loadBalancer.enableEPSController', ['true', 1]],
  ['addons.clusterAutoscaler.image', [1, {}]],
  ['addons.clusterAutoscaler.extraArgs', [['--v=2'], '--v=2']],
  ['controlPlane.kubelet.serverTLSBootstrap', ['true', 1]],
  ['nodeGroupDefaults.autoscaling.capacity', ['2']],
  ['nodeGroups.@.autoscaling.capacity', ['4Gi', ['2', '4Gi']]],
  ['nodeGroups.@.autoscaling.capacity.cpu', [2, 0.5]],
  ['nodeGroups.@.autoscaling.capacity.memory', [4096, true]],
  ['controlPlane.endpoint.nodePort.address', [1, true]],
  ['managementCluster.serviceNodePortRange', [30000, ['30000', '32767']]],
  ['nodeGroups.@.kubelet.reserved.cpu', [0.1, 1]],
  ['nodeGroups.@.kubelet.binariesUrl', [false, ['https://dl.k8s.io/release']]],
  ['nodeGroups.@.kubevirt.kubeletDisk.enabled', ['true', 1]],
  ['nodeGroups.@.kubevirt.bootImage.dataVolume.source.http.url', [1, ['https://x']]],
  ['nodeGroups.@.kubeadm.files.#.contentFrom.secret.name', [1, {}]],
];

/**
 * Sets `value` at the path `pathTemplate` (`@`: the target group; `#`: a one-element list whose element
 * is otherwise valid, at index 0). Returns the mutated copy and the concrete dotted path.
 */
function setMutationPath(c: ValuesCase, pathTemplate: string, value: unknown, pick: number): { values: Doc; path: string } {
  const needsGroup = pathTemplate.includes('@');
  const t = needsGroup ? targetGroup(c, pick) : { values: jsonCopy(c.values), group: '' };
  const segs = pathTemplate.split('.').map((s) => (s === '@' ? t.group
    : s === '@repo' ? REPOSITORY_KEYS[pick % REPOSITORY_KEYS.length]
      : s === '@sidecar' ? SIDECARS[pick % SIDECARS.length] : s));
  const listAt = segs.indexOf('#');
  if (listAt > 0) {
    const listPath = segs.slice(0, listAt);
    const listKey = listPath[listPath.length - 1];
    const element: Doc | string = listKey === 'files' ? { path: '/etc/x', content: 'x' }
      : listKey === 'taints' ? { key: 'dedicated', effect: 'NoSchedule' }
        : 'api.example.com';
    const rest = segs.slice(listAt + 1);
    let item: unknown = value;
    if (rest.length > 0) {
      item = jsonCopy(element);
      setPathSegments(item as Doc, rest, value);
    }
    setPathSegments(t.values, listPath, [item]);
  } else {
    setPathSegments(t.values, segs, value);
  }
  return { values: t.values, path: segs.map((s) => (s === '#' ? '0' : s)).join('.') };
}

const wrongTypeArb: fc.Arbitrary<Mutation> = fc.tuple(fc.nat(WRONG_TYPES.length - 1), fc.nat(), fc.nat(2)).map(([i, pick, j]) => {
  const [template, candidates] = WRONG_TYPES[i];
  const value = candidates[j % candidates.length];
  return {
    kind: 'wrongType' as const,
    apply: (c: ValuesCase) => {
      const { values, path } = setMutationPath(c, template, value, pick);
      return done(c, 'wrongType', values, path, `${path}: ${JSON.stringify(value)} (wrong type)`);
    },
  };
});

/** Objects with a closed set of keys, and keys none of them has. */
const CLOSED_OBJECTS: readonly string[] = [
  '', 'kubernetes', 'managementCluster', 'clusterNetwork', 'controlPlane', 'controlPlane.endpoint',
  'controlPlane.endpoint.loadBalancer', 'controlPlane.endpoint.ingress', 'controlPlane.apiServer',
  'controlPlane.scheduler.resources', 'controlPlane.controllerManager.resources.limits', 'controlPlane.kubelet',
  'controlPlane.addons', 'controlPlane.addons.coreDNS', 'controlPlane.addons.kubeProxy', 'controlPlane.addons.konnectivity',
  'controlPlane.addons.konnectivity.serverResources.requests', 'infrastructure', 'infrastructure.kubevirt', 'nodeGroupDefaults',
  'nodeGroupDefaults.kubevirt', 'nodeGroupDefaults.healthCheck', 'nodeGroupDefaults.kubevirt.bootImage.dataVolume',
  'nodeGroups.@', 'nodeGroups.@.autoscaling', 'nodeGroups.@.kubevirt', 'nodeGroups.@.kubevirt.bootImage',
  'nodeGroups.@.kubevirt.extraDisks.data', 'nodeGroups.@.kubelet', 'nodeGroups.@.kubeadm', 'nodeGroups.@.kubeadm.files.#',
  'nodeGroups.@.taints.#', 'nodeGroups.@.healthCheck', 'addons',
  'nodeGroups.@.autoscaling.capacity', 'nodeGroupDefaults.autoscaling.capacity', 'addons.delivery', 'addons.repositories',
  'addons.repositories.cilium', 'addons.repositories.tenantCluster', 'addons.images', 'addons.cni', 'addons.cni.cilium', 'addons.cni.calico',
  'addons.metricsServer', 'addons.kubeletServingCertApprover', 'addons.csi', 'addons.csi.storageClass', 'addons.csi.controller',
  'addons.csi.controller.resources.limits', 'addons.csi.controller.sidecarImages', 'addons.csi.snapshotController', 'addons.cloudControllerManager',
  'addons.cloudControllerManager.loadBalancer', 'addons.clusterAutoscaler', 'addons.clusterAutoscaler.scaleDown', 'addons.uninstallCleanup',
  'addons.cloudControllerManager.servicePolicy',
  'controlPlane.endpoint.nodePort', 'nodeGroups.@.kubevirt.kubeletDisk', 'nodeGroups.@.kubelet.reserved', 'nodeGroups.@.kubeadm.files.#.contentFrom',
  'nodeGroups.@.kubevirt.bootImage.dataVolume.source.http', 'nodeGroups.@.kubevirt.bootImage.dataVolume.source.blank',
];
const UNKNOWN_KEYS = ['replica', 'enable', 'Replicas', 'extra_args', 'podCIDR', 'foo', 'x-unknown', 'values', 'spec', 'name', 'type2', 'Enabled'];

const unknownKeyArb: fc.Arbitrary<Mutation> = fc.tuple(
  fc.nat(CLOSED_OBJECTS.length - 1), fc.constantFrom(...UNKNOWN_KEYS), fc.constantFrom<unknown>(1, 'x', true, {}, [], { a: 1 }), fc.nat(),
).map(([i, unknownKey, value, pick]) => ({
  kind: 'unknownKey' as const,
  apply: (c: ValuesCase) => {
    const parent = CLOSED_OBJECTS[i];
    let key = unknownKey;
    let values: Doc;
    let path: string;
    if (parent === '') {
      values = jsonCopy(c.values);
      values[key] = value;
      path = key;
    } else {
      // A key the object has (`values`, `name`, `type` under the addons) is no unknown key: rename it.
      const known = getPath(DEFAULTS, parent.replace(/^nodeGroups\.@/, 'nodeGroupDefaults'));
      if (isObject(known) && key in known) key = `${key}X`;
      const template = `${parent}.${key}`;
      ({ values, path } = setMutationPath(c, template, value, pick));
      // A disk holding the unknown key still needs its size (so the only error is the key).
      if (parent.endsWith('extraDisks.data')) setPath(values, path.replace(/\.[^.]+$/, '.size'), '1Gi');
    }
    return done(c, 'unknownKey', values, path, `${path}: unknown key`);
  },
}));

const NODE_GROUP_KEYS = ['replicas', 'autoscaling', 'kubevirt', 'labels', 'taints', 'kubelet', 'kubeadm', 'healthCheck'];
const NESTED_GROUP_KEYS = ['autoscaling.enabled', 'autoscaling.min', 'autoscaling.capacity', 'autoscaling.capacity.cpu', 'autoscaling.capacity.memory', 'kubevirt.cores', 'kubevirt.bootImage', 'kubevirt.bootImage.type',
  'kubevirt.extraDisks', 'kubelet.extraArgs', 'kubeadm.files', 'healthCheck.enabled', 'healthCheck.maxUnhealthy'];

const nullInNodeGroupArb: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom(...NODE_GROUP_KEYS, ...NESTED_GROUP_KEYS), fc.nat()).map(([key, pick]) => ({
  kind: 'nullInNodeGroup' as const,
  apply: (c: ValuesCase) => {
    const { values, path } = setMutationPath(c, `nodeGroups.@.${key}`, null, pick);
    return done(c, 'nullInNodeGroup', values, path, `${path}: null`);
  },
}));

const nullInNodeGroupDefaultsArb: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom(...NODE_GROUP_KEYS, ...NESTED_GROUP_KEYS), fc.boolean(), fc.nat())
  .map(([key, withGroup, pick]) => ({
    kind: 'nullInNodeGroupDefaults' as const,
    apply: (c: ValuesCase) => {
      const values = withGroup ? targetGroup(c, pick).values : jsonCopy(c.values);
      const path = `nodeGroupDefaults.${key}`;
      setPath(values, path, null);
      return done(c, 'nullInNodeGroupDefaults', values, path, `${path}: null`);
    },
  }));

const REQUIRED_PATHS = ['kubernetes.version', 'kubernetes', 'managementCluster.podCidr', 'clusterNetwork', 'clusterNetwork.apiServerPort',
  'controlPlane.replicas', 'controlPlane.endpoint', 'controlPlane.endpoint.loadBalancer.sourceRanges', 'controlPlane.certSANs',
  'controlPlane.addons.coreDNS.serviceIP', 'controlPlane.addons.konnectivity.agentMode', 'infrastructure.provider',
  'infrastructure.kubevirt.storageClassName', 'nodeGroupDefaults', 'nodeGroups', 'addons',
  'controlPlane.kubelet.serverTLSBootstrap', 'addons.delivery.interval', 'addons.repositories', 'addons.repositories.tenantCluster.url',
  'addons.repositories.calico.type', 'addons.images.waitForKubeconfig', 'addons.cni', 'addons.cni.type', 'addons.cni.cilium.kubeProxyReplacement',
  'addons.cni.calico.values', 'addons.metricsServer.values', 'addons.kubeletServingCertApprover.enabled', 'addons.csi.enabled',
  'addons.csi.controller.resources', 'addons.csi.controller.sidecarImages.attacher', 'addons.cloudControllerManager.loadBalancer',
  'addons.clusterAutoscaler.image', 'addons.clusterAutoscaler.scaleDown.utilizationThreshold'];

const nullAtRequiredPathArb: fc.Arbitrary<Mutation> = fc.constantFrom(...REQUIRED_PATHS).map((path) => ({
  kind: 'nullAtRequiredPath' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    setPath(values, path, null);
    return done(c, 'nullAtRequiredPath', values, path, `${path}: null (deletes a required key)`);
  },
}));

const autoscalingArb: fc.Arbitrary<Mutation> = fc.tuple(
  fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 1000 }), fc.boolean(), fc.nat(),
).map(([max, extra, enabledInDefaults, pick]) => ({
  kind: 'autoscalingMinGreaterThanMax' as const,
  apply: (c: ValuesCase) => {
    const t = targetGroup(c, pick);
    const min = Math.min(1000, max + extra);
    const path = `nodeGroups.${t.group}.autoscaling`;
    if (enabledInDefaults) {
      setPath(t.values, 'nodeGroupDefaults.autoscaling.enabled', true);
      setPath(t.values, path, { min, max });
    } else {
      setPath(t.values, path, { enabled: true, min, max });
    }
    for (const g of groupNames(t.values)) if (g !== t.group) repairAutoscaling(t.values, g);
    setPath(t.values, 'addons.clusterAutoscaler.enabled', true);
    return done(c, 'autoscalingMinGreaterThanMax', t.values, path, `${path}: min ${min} > max ${max}`);
  },
}));

const overlongNameArb: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom('group', 'fullnameOverride', 'release'), fc.nat(30), fc.nat())
  .map(([what, extra, pick]) => ({
    kind: 'overlongName' as const,
    apply: (c: ValuesCase) => {
      const values = jsonCopy(c.values);
      if (what === 'fullnameOverride') {
        values.fullnameOverride = `t${'enant-'.repeat(11)}${'x'.repeat(extra)}`.slice(0, 64 + extra); // > 63
        return done(c, 'overlongName', values, 'fullnameOverride', `fullnameOverride of ${String(values.fullnameOverride).length} characters`);
      }
      if (what === 'release') {
        // The release name is the cluster name; a 53-character release (Helm's limit) fits in 63, so
        // the name check can't fail: a group of a 53-character cluster can.
        values.fullnameOverride = '';
        const release = `r${'e'.repeat(52)}`;
        const group = `g${'0'.repeat(extra % 10)}`;
        values.nodeGroups = { [group]: {} };
        repairAutoscaling(values, group);
        repairAutoscalerOff(values);
        // Addons whose HelmRelease name would not fit are turned off (that check names fullnameOverride too).
        repairAddons(values, release, PLAIN_REPAIR);
        return done(c, 'overlongName', values, `nodeGroups.${group}`, `release of 53 characters with group ${group}`, release, { releaseDependent: true });
      }
      // A group name (at most 40) that makes `<cluster>-<group>` longer than 50.
      let cluster = clusterNameOf(c);
      if (cluster.length < 10) {
        cluster = `tenant-cluster-${'a'.repeat(1 + (pick % 20))}`;
        values.fullnameOverride = cluster;
      }
      const length = Math.min(40, Math.max(1, 50 - cluster.length + (extra % 5)));
      const group = `w${'x'.repeat(length - 1)}`;
      setPath(values, `nodeGroups.${group}`, {});
      repairAutoscaling(values, group);
      repairAutoscalerOff(values);
      // Existing groups must still fit with a possibly longer cluster name.
      for (const g of groupNames(values)) {
        if (g !== group && `${cluster}-${g}`.length > 50) delete (values.nodeGroups as Doc)[g];
      }
      return done(c, 'overlongName', values, `nodeGroups.${group}`, `"${cluster}-${group}" is ${cluster.length + 1 + group.length} characters`, c.release,
        { releaseDependent: !values.fullnameOverride });
    },
  }));

const badClusterNameArb: fc.Arbitrary<Mutation> = fc.tuple(
  fc.constantFrom('Tenant', 'tenant_a', '1tenant', 'tenant-', 'ten.ant', 'tenänt', '-tenant'), fc.boolean(),
).map(([name, viaRelease]) => ({
  kind: 'badClusterName' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    // Group names must fit whatever the name is (so that only the name check fails).
    for (const g of groupNames(values)) if (`${name}-${g}`.length > 50) delete (values.nodeGroups as Doc)[g];
    if (viaRelease && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
      // A release name Helm accepts that is no DNS-1035 label.
      values.fullnameOverride = '';
      return done(c, 'badClusterName', values, 'fullnameOverride', `release name ${name} as cluster name`, name, { releaseDependent: true });
    }
    values.fullnameOverride = name;
    return done(c, 'badClusterName', values, 'fullnameOverride', `fullnameOverride ${JSON.stringify(name)}`);
  },
}));

const unsupportedVersionArb: fc.Arbitrary<Mutation> = fc.constantFrom(
  'v1.29', '1.30', 'v1.40', 'v1.36', 'v1.36.1', 'v2.0', '1.9', 'v0.34', 'v1.3', 'v1.340', 'v01.34', 'v1.034', '1.30.5',
).map((version) => ({
  kind: 'unsupportedVersion' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    setPath(values, 'kubernetes.version', version);
    return done(c, 'unsupportedVersion', values, 'kubernetes.version', `kubernetes.version ${version}`);
  },
}));

const badVersionFormatArb: fc.Arbitrary<Mutation> = fc.constantFrom('latest', '1.34.2-rc.1', 'v1', '', 'v1.34.', 'V1.34', ' v1.34', 'v1.34.2+k3s1').map((version) => ({
  kind: 'badVersionFormat' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    setPath(values, 'kubernetes.version', version);
    return done(c, 'badVersionFormat', values, 'kubernetes.version', `kubernetes.version ${JSON.stringify(version)}`);
  },
}));

const overlappingCidrsArb: fc.Arbitrary<Mutation> = fc.tuple(fc.nat(CHECKED_PAIRS.length - 1), fc.boolean(), fc.constantFrom('same', 'inside', 'around'), fc.nat())
  .map(([i, swap, how, n]) => ({
    kind: 'overlappingCidrs' as const,
    apply: (c: ValuesCase) => {
      const values = jsonCopy(c.values);
      const eff = effectiveCidrs(values);
      // OpenStack workers are not on the management networks: only the tenant's own pair is checked there.
      const pair = isOpenStack(values) ? CHECKED_PAIRS[0] : CHECKED_PAIRS[i];
      const [a, b] = swap ? [pair[1], pair[0]] : pair;
      // Make `a` overlap `b`: equal, a subnet of it, or a supernet of it.
      const target = networkOf(eff[b]);
      const prefix = parseCidr(eff[b]).prefix;
      let cidr: string;
      if (how === 'inside' && prefix < 32) {
        const p = Math.min(32, prefix + 1 + (n % (32 - prefix)));
        const size = 2 ** (32 - p);
        cidr = `${numberToIp(target.first + size * (n % (target.size / size)))}/${p}`;
      } else if (how === 'around' && prefix > 0) {
        const p = Math.max(0, prefix - 1 - (n % prefix));
        const size = 2 ** (32 - p);
        cidr = `${numberToIp(Math.floor(target.first / size) * size)}/${p}`;
      } else {
        cidr = eff[b];
      }
      setPath(values, CIDR_PATHS[a], cidr);
      return done(c, 'overlappingCidrs', values, CIDR_PATHS[a], `${CIDR_PATHS[a]}: ${cidr} overlaps ${CIDR_PATHS[b]} ${eff[b]}`);
    },
  }));

const coreDnsOutsideArb: fc.Arbitrary<Mutation> = fc.nat().map((n) => ({
  kind: 'coreDnsOutsideServiceCidr' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    const svc = networkOf(effectiveCidrs(values).clusterService);
    // An address outside the service network (the service CIDR is never /0 in a valid document).
    const outside = (svc.first + svc.size + (n % (2 ** 32 - svc.size))) % 2 ** 32;
    const ip = numberToIp(outside);
    setPath(values, 'controlPlane.addons.coreDNS.serviceIP', ip);
    return done(c, 'coreDnsOutsideServiceCidr', values, 'controlPlane.addons.coreDNS.serviceIP', `CoreDNS IP ${ip} outside the service CIDR`);
  },
}));

const BAD_ENUMS: ReadonlyArray<[string, unknown[]]> = [
  ['controlPlane.endpoint.type', ['Ingress', 'loadbalancer', 'LB', '', 'ExternalName']],
  ['controlPlane.addons.konnectivity.agentMode', ['Sidecar', 'daemonset', '']],
  ['controlPlane.kubelet.cgroupfs', ['cgroupv2', 'Systemd']],
  ['controlPlane.kubelet.preferredAddressTypes.#', ['InternalIp', 'IP']],
  ['infrastructure.provider', ['OpenStack', 'KubeVirt', 'aws']],
  ['nodeGroupDefaults.kubevirt.evictionStrategy', ['Evict']],
  ['nodeGroups.@.kubevirt.bootImage.type', ['pvc', 'ContainerDisk']],
  ['nodeGroups.@.kubevirt.evictionStrategy', ['LiveMigration', 'external']],
  ['nodeGroups.@.kubevirt.instancetypeKind', ['Instancetype', 'VirtualMachinePreference']],
  ['nodeGroups.@.taints.#.effect', ['NoSchedul', 'noschedule']],
  ['addons.cni.type', ['flannel', 'Cilium', 'calico-vxlan', '', 'none']],
  ['addons.repositories.@repo.type', ['helm', 'OCI', 'git', '']],
  ['addons.delivery.driftDetection', ['Enabled', 'true', 'on']],
  ['addons.csi.storageClass.reclaimPolicy', ['Recycle', 'delete']],
  ['addons.clusterAutoscaler.expander', ['least_waste', 'priority,random', '']],
];

const badEnumArb: fc.Arbitrary<Mutation> = fc.tuple(fc.nat(BAD_ENUMS.length - 1), fc.nat(4), fc.nat()).map(([i, j, pick]) => ({
  kind: 'badEnum' as const,
  apply: (c: ValuesCase) => {
    const [template, candidates] = BAD_ENUMS[i];
    const value = candidates[j % candidates.length];
    const { values, path } = setMutationPath(c, template, value, pick);
    return done(c, 'badEnum', values, path, `${path}: ${JSON.stringify(value)}`);
  },
}));

const reservedDiskArb: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom('boot', 'kubelet', 'cloudinitvolume'), fc.nat()).map(([disk, pick]) => ({
  kind: 'reservedDiskName' as const,
  apply: (c: ValuesCase) => {
    const t = targetGroup(c, pick);
    setPath(t.values, `nodeGroups.${t.group}.kubevirt.extraDisks.${disk}`, { size: '10Gi' });
    const path = `nodeGroups.${t.group}.kubevirt.extraDisks`;
    return done(c, 'reservedDiskName', t.values, path, `extra disk named ${disk}`);
  },
}));

const badKeyNameArb: fc.Arbitrary<Mutation> = fc.tuple(
  fc.constantFrom('MD0', 'Workers', 'md_0', '-md', 'md-', 'md.0', 'gpu pool', `g${'x'.repeat(40)}`, 'ü'), fc.boolean(), fc.nat(),
).map(([name, disk, pick]) => ({
  kind: 'badKeyName' as const,
  apply: (c: ValuesCase) => {
    if (disk) {
      const t = targetGroup(c, pick);
      const extraDisks = (getPath(t.values, `nodeGroups.${t.group}.kubevirt.extraDisks`) ?? {}) as Doc;
      setPath(t.values, `nodeGroups.${t.group}.kubevirt.extraDisks`, { ...extraDisks, [name]: { size: '1Gi' } });
      const path = `nodeGroups.${t.group}.kubevirt.extraDisks.${name}`;
      return done(c, 'badKeyName', t.values, path, `extra disk named ${JSON.stringify(name)}`);
    }
    const values = jsonCopy(c.values);
    values.nodeGroups = { ...(isObject(values.nodeGroups) ? values.nodeGroups : {}), [name]: {} };
    return done(c, 'badKeyName', values, `nodeGroups.${name}`, `node group named ${JSON.stringify(name)}`);
  },
}));

const OUT_OF_RANGE: ReadonlyArray<[string, number[]]> = [
  ['controlPlane.replicas', [0, 10, -1]],
  ['clusterNetwork.apiServerPort', [0, 65536, 70000]],
  ['controlPlane.addons.konnectivity.serverPort', [0, 65536]],
  ['controlPlane.addons.konnectivity.agentReplicas', [0, -3]],
  ['nodeGroupDefaults.replicas', [-1, 1001]],
  ['nodeGroups.@.replicas', [-1, 1001, 100000]],
  ['nodeGroups.@.autoscaling.max', [0, 1001]],
  ['nodeGroups.@.autoscaling.min', [-1, 1001]],
  ['nodeGroups.@.kubevirt.cores', [0, 257]],
  ['addons.cni.mtu', [1279, 9001, 0]],
  ['addons.csi.controller.replicas', [0, 6]],
  ['addons.cloudControllerManager.replicas', [0, 6]],
  ['addons.cloudControllerManager.loadBalancer.creationPollInterval', [0, 601]],
  ['addons.cloudControllerManager.loadBalancer.creationPollTimeout', [0, 3601]],
];

const outOfRangeArb: fc.Arbitrary<Mutation> = fc.tuple(fc.nat(OUT_OF_RANGE.length - 1), fc.nat(2), fc.nat()).map(([i, j, pick]) => ({
  kind: 'outOfRange' as const,
  apply: (c: ValuesCase) => {
    const [template, candidates] = OUT_OF_RANGE[i];
    const value = candidates[j % candidates.length];
    const { values, path } = setMutationPath(c, template, value, pick);
    return done(c, 'outOfRange', values, path, `${path}: ${value} out of range`);
  },
}));

const BAD_PATTERNS: ReadonlyArray<[string, string[]]> = [
  ['managementCluster.clusterDomain', ['Cluster.Local', 'cluster.local.', 'cluster..local', 'clüster.local']],
  ['clusterNetwork.serviceDomain', ['-svc.local', 'svc_local']],
  ['controlPlane.dataStoreName', ['My_DS', 'ds/1', '']],
  ['clusterNetwork.podCidr', ['10.0.0.0/33', '10.0.0.0', '10.0.0.256/8', '010.0.0.0/8', '10.0.0.0/16 ', 'fd00::/64']],
  ['managementCluster.serviceCidr', ['10.96.0.0/', 'any']],
  ['controlPlane.endpoint.loadBalancer.sourceRanges.#', ['0.0.0.0', '1.2.3.4/40']],
  ['controlPlane.apiServer.resources.limits.memory', ['1 Gi', '1gb', '-1Gi', '1e3']],
  ['nodeGroups.@.kubevirt.memory', ['4 GiB', '4gi']],
  ['nodeGroups.@.kubevirt.instancetype', ['U1.Large', 'u1_large']],
  ['nodeGroups.@.healthCheck.nodeStartupTimeout', ['10 minutes', '10', '-5m']],
  ['nodeGroups.@.healthCheck.maxUnhealthy', ['40', '40 %', '%']],
  ['nodeGroups.@.kubeadm.files.#.permissions', ['0888', '0o644', '64', 'rw-r--r--']],
  ['nodeGroups.@.taints.#.key', ['bad key', '-x', 'a/b/c']],
  ['addons.repositories.@repo.url', ['helm.cilium.io', 'ftp://charts.example.com', 'https://charts example.com', 'https://', 'oci:/x']],
  ['addons.images.waitForKubeconfig', ['busybox', 'Busybox:1.37.0', 'busybox:', 'busybox@sha256:abc']],
  ['addons.csi.controller.sidecarImages.@sidecar', ['csi-provisioner', 'registry.k8s.io/sig-storage/csi-provisioner:']],
  ['addons.cloudControllerManager.image', ['kubevirt-cloud-controller-manager', ' quay.io/kubevirt/ccm:v1']],
  ['addons.clusterAutoscaler.image', ['cluster-autoscaler', 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.0 ']],
  ['addons.csi.chartVersion', ['v0.1.0', '1.0', 'latest']],
  ['addons.cni.cilium.chartVersion', ['v1.18.4', '1.18']],
  ['addons.metricsServer.chartVersion', ['3.13', '3.13.x', '']],
  ['addons.metricsServer.targetNamespace', ['Kube-System', 'kube_system', '', `n${'s'.repeat(63)}`]],
  ['addons.clusterAutoscaler.scaleDown.utilizationThreshold', ['1.5', '.5', '50%', '']],
  ['addons.delivery.interval', ['10 minutes', '1d', '']],
  ['addons.csi.storageClass.name', ['Fast', '-x', 'a_b']],
  ['addons.csi.allowedInfraStorageClasses.#', ['Fast', '', 'a_b', 'x y']],
  ['addons.csi.infraVolumeSnapshotClassName', ['Snap', 'a_b', '-x']],
  ['addons.cloudControllerManager.servicePolicy.deniedAnnotationPrefixes.#', ['', '"x', "a'b", 'a b', '/x', 'x\\y']],
  ['nodeGroups.@.autoscaling.capacity.cpu', ['2 cores', '1Gi', '-1', '1.5.2']],
  ['nodeGroups.@.autoscaling.capacity.memory', ['4GiB', '4gi', '1m', '1Pi']],
  ['controlPlane.endpoint.nodePort.address', ['10.0.0.256', 'node-1.example.com', '10.0.0.1:6443', '10.0.0.0/24']],
  ['managementCluster.serviceNodePortRange', ['30000', '30000-', 'a-b', '30000:32767']],
  ['nodeGroups.@.kubelet.reserved.memory', ['1 Gi', '1Ti', '-1Mi', '512MB']],
  ['nodeGroups.@.kubelet.reserved.cpu', ['1Gi', '0.1234', '100 m']],
  ['nodeGroups.@.kubelet.binariesUrl', ['https://x.example.com/\'; rm -rf /', 'ftp://mirror.example.com', 'dl.k8s.io/release', 'https://a b']],
  // Values checked as what they become: names, labels, references, networks (src/values/formats.ts).
  ['nameOverride', ['a,b', '-x', `n${'x'.repeat(63)}`, 'tenant cluster']],
  ['nodeGroups.@.labels.role', ['web,gpu=true', 'a=b', 'x y', '-x', `v${'x'.repeat(63)}`]],
  ['nodeGroupDefaults.labels.pool', ['a,b']],
  ['nodeGroups.@.taints.#.value', ['a b', `v${'x'.repeat(63)}`, 'x=y']],
  ['controlPlane.certSANs.#', ['https://api.example.com', 'api.example.com:6443', 'API.example.com', '10.0.0.1:443', 'api example.com']],
  ['controlPlane.endpoint.ingress.hostname', ['https://api.example.com', 'api.example.com:443', 'Api.Example.com']],
  ['controlPlane.endpoint.ingress.className', ['Nginx', 'a/b']],
  ['controlPlane.endpoint.loadBalancer.className', ['a b', 'a/b/c', '-x']],
  ['addons.repositories.@repo.secretName', ['My-Secret', 'a_b', 'x/y', '-x']],
  ['infrastructure.kubevirt.storageClassName', ['Fast', 'a_b', 'x/y']],
  ['nodeGroups.@.kubevirt.bootImage.dataVolume.storageClassName', ['Fast', '.x']],
  ['nodeGroups.@.kubevirt.extraDisks.data.storageClassName', ['Fast']],
  ['nodeGroups.@.kubevirt.bootImage.containerDiskImage', ['ubuntu', 'quay.io/containerdisks/ubuntu', 'Ubuntu:1', 'quay.io/x:']],
  ['clusterNetwork.serviceCidr', ['10.0.0.0/8', '10.95.0.0/29', '10.95.0.0/32']],
  ['clusterNetwork.podCidr', ['10.243.0.0/25', '10.0.0.0/7', '10.243.0.0/32']],
  ['managementCluster.podCidr', ['10.0.0.0/4', '10.244.0.0/31']],
  ['managementCluster.serviceCidr', ['10.0.0.0/7', '10.96.0.0/31']],
  ['nodeGroups.@.labels.bad key', ['x']],
  ['nodeGroups.@.labels.-x', ['x']],
  ['nodeGroups.@.kubelet.extraArgs.--v', ['2']],
  ['controlPlane.endpoint.serviceAnnotations.a b', ['x']],
];

const badPatternArb: fc.Arbitrary<Mutation> = fc.tuple(fc.nat(BAD_PATTERNS.length - 1), fc.nat(5), fc.nat()).map(([i, j, pick]) => ({
  kind: 'badPattern' as const,
  apply: (c: ValuesCase) => {
    const [template, candidates] = BAD_PATTERNS[i];
    const value = candidates[j % candidates.length];
    const { values, path } = setMutationPath(c, template, value, pick);
    return done(c, 'badPattern', values, path, `${path}: ${JSON.stringify(value)}`);
  },
}));

const SIDECARS = ['provisioner', 'attacher', 'resizer', 'livenessProbe', 'snapshotter'];

/** A copy of the case's values whose cluster name leaves room for `<cluster>-<suffix>` HelmReleases (63 characters). */
function withShortClusterName(c: ValuesCase): Doc {
  const values = jsonCopy(c.values);
  if (clusterNameOf(c).length > 40) values.fullnameOverride = 'tenant';
  return values;
}

/** Sets `path` to `value`, or (when `viaDefault`) removes it so that the chart default (`value` too) applies. */
function setOrDefault(values: Doc, path: string, value: unknown, viaDefault: boolean): void {
  if (viaDefault && getPath(DEFAULTS, path) === value) deletePath(values, path);
  else setPath(values, path, value);
}

/** R1: a CNI with Cilium's kube-proxy replacement, and Kamaji's kube-proxy on. */
const kubeProxyWithCiliumArb: fc.Arbitrary<Mutation> = fc.tuple(fc.boolean(), fc.boolean()).map(([viaDefaults, tlsOff]) => ({
  kind: 'kubeProxyWithCiliumReplacement' as const,
  apply: (c: ValuesCase) => {
    const values = withShortClusterName(c);
    setOrDefault(values, 'addons.cni.enabled', true, viaDefaults);
    setOrDefault(values, 'addons.cni.type', 'cilium', viaDefaults);
    setOrDefault(values, 'addons.cni.cilium.kubeProxyReplacement', true, viaDefaults);
    setPath(values, 'controlPlane.addons.kubeProxy.enabled', true);
    if (tlsOff) setPath(values, 'controlPlane.kubelet.serverTLSBootstrap', false);
    const path = 'controlPlane.addons.kubeProxy.enabled';
    return done(c, 'kubeProxyWithCiliumReplacement', values, path, `kube-proxy with Cilium's kube-proxy replacement${viaDefaults ? ' (defaults)' : ''}`);
  },
}));

/** R2: a CNI that needs kube-proxy (Calico, or Cilium without its replacement) and no kube-proxy. */
const noServiceImplementationArb: fc.Arbitrary<Mutation> = fc.tuple(fc.boolean(), fc.boolean()).map(([calico, viaDefaults]) => ({
  kind: 'noServiceImplementation' as const,
  apply: (c: ValuesCase) => {
    const values = withShortClusterName(c);
    setOrDefault(values, 'addons.cni.enabled', true, viaDefaults);
    if (calico) {
      setPath(values, 'addons.cni.type', 'calico');
    } else {
      setOrDefault(values, 'addons.cni.type', 'cilium', viaDefaults);
      setPath(values, 'addons.cni.cilium.kubeProxyReplacement', false);
    }
    setOrDefault(values, 'controlPlane.addons.kubeProxy.enabled', false, viaDefaults);
    const path = 'controlPlane.addons.kubeProxy.enabled';
    return done(c, 'noServiceImplementation', values, path, `no kube-proxy with ${calico ? 'Calico' : 'Cilium without kubeProxyReplacement'}`);
  },
}));

/** R3: serving certificates requested, and nothing approves them. */
const servingCertsWithoutApproverArb: fc.Arbitrary<Mutation> = fc.boolean().map((viaDefault) => ({
  kind: 'servingCertsWithoutApprover' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    setOrDefault(values, 'controlPlane.kubelet.serverTLSBootstrap', true, viaDefault);
    setPath(values, 'addons.kubeletServingCertApprover.enabled', false);
    const path = 'controlPlane.kubelet.serverTLSBootstrap';
    return done(c, 'servingCertsWithoutApprover', values, path, 'serverTLSBootstrap without addons.kubeletServingCertApprover');
  },
}));

/** R4: the CSI node chart without this project's repository. */
const csiWithoutRepositoryArb: fc.Arbitrary<Mutation> = fc.tuple(fc.boolean(), fc.boolean(), fc.constantFrom('default', 'oci', undefined)).map(([csiViaDefault, urlViaDefault, type]) => ({
  kind: 'csiWithoutChartRepository' as const,
  apply: (c: ValuesCase) => {
    const values = withShortClusterName(c);
    setOrDefault(values, 'addons.csi.enabled', true, csiViaDefault);
    setOrDefault(values, 'addons.repositories.tenantCluster.url', '', urlViaDefault);
    if (type !== undefined) setPath(values, 'addons.repositories.tenantCluster.type', type);
    const path = 'addons.repositories.tenantCluster.url';
    return done(c, 'csiWithoutChartRepository', values, path, `addons.csi enabled, tenantCluster repository ${type ?? ''} without URL`);
  },
}));

/** R5: a repository whose URL's scheme contradicts its type (also: type `oci` with a default `https://` URL). */
const repositoryTypeMismatchArb: fc.Arbitrary<Mutation> = fc.tuple(
  fc.constantFrom(...REPOSITORY_KEYS), fc.constantFrom('ociWithHttps', 'defaultWithOci', 'ociWithDefaultUrl'), fc.boolean(),
  fc.constantFrom('charts.example.com', 'registry.example.com:5000/helm', 'ghcr.io/acme/charts'),
).map(([key, how, typeViaDefault, host]) => ({
  kind: 'repositoryTypeMismatch' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    const base = `addons.repositories.${key}`;
    let actual = how;
    if (how === 'ociWithDefaultUrl' && getPath(DEFAULTS, `${base}.url`) === '') actual = 'ociWithHttps';
    if (actual === 'ociWithHttps') {
      setPath(values, `${base}.type`, 'oci');
      setPath(values, `${base}.url`, `https://${host}`);
    } else if (actual === 'defaultWithOci') {
      setOrDefault(values, `${base}.type`, 'default', typeViaDefault);
      setPath(values, `${base}.url`, `oci://${host}`);
    } else {
      setPath(values, `${base}.type`, 'oci');
      deletePath(values, `${base}.url`);
    }
    const path = `${base}.url`;
    return done(c, 'repositoryTypeMismatch', values, path, `${base}: ${actual}`);
  },
}));

/** R6: a group scaling from zero with an instancetype, without cpu or memory capacity. */
const capacityMissingArb: fc.Arbitrary<Mutation> = fc.tuple(
  fc.constantFrom('cpu', 'memory', 'both'), fc.boolean(), fc.boolean(), fc.constantFrom('u1.medium', 'cx1.2xlarge'), fc.nat(),
).map(([missing, viaGroupDefaults, explicitEmpty, instancetype, pick]) => ({
  kind: 'capacityMissingForScaleFromZero' as const,
  apply: (c: ValuesCase) => {
    const t = targetGroup(c, pick);
    const base = `nodeGroups.${t.group}`;
    const capacity: Doc = {};
    if (missing !== 'cpu') capacity.cpu = '4';
    else if (explicitEmpty) capacity.cpu = '';
    if (missing !== 'memory') capacity.memory = '8Gi';
    else if (explicitEmpty) capacity.memory = '';
    if (viaGroupDefaults) {
      // The instancetype and the bounds come from nodeGroupDefaults; the other groups get their capacity.
      setPath(t.values, 'nodeGroupDefaults.kubevirt.instancetype', instancetype);
      setPath(t.values, 'nodeGroupDefaults.autoscaling.enabled', true);
      setPath(t.values, 'nodeGroupDefaults.autoscaling.min', 0);
      setPath(t.values, `${base}.kubevirt.instancetype`, instancetype);
      setPath(t.values, `${base}.autoscaling`, { capacity });
      deletePath(t.values, 'nodeGroupDefaults.autoscaling.capacity');
    } else {
      setPath(t.values, `${base}.kubevirt.instancetype`, instancetype);
      setPath(t.values, `${base}.autoscaling`, { enabled: true, min: 0, max: 3, capacity });
    }
    // Only the target group lacks a capacity, whatever nodeGroupDefaults says (on OpenStack: nor the flavor).
    if (isOpenStack(t.values)) setPath(t.values, 'infrastructure.openstack.capacityFromFlavor', false);
    for (const g of groupNames(t.values)) if (g !== t.group) repairAutoscaling(t.values, g);
    setPath(t.values, 'addons.clusterAutoscaler.enabled', true);
    const effective = ((effectiveGroup(t.values, t.group).autoscaling as Doc).capacity ?? {}) as Doc;
    for (const f of ['cpu', 'memory']) {
      if ((missing === f || missing === 'both') && effective[f] !== '') setPath(t.values, `${base}.autoscaling.capacity.${f}`, '');
    }
    const path = `${base}.autoscaling.capacity`;
    return done(c, 'capacityMissingForScaleFromZero', t.values, path, `${base}: min 0, instancetype ${instancetype}, capacity ${JSON.stringify(capacity)}`);
  },
}));

const IMAGE_PATHS = ['addons.images.waitForKubeconfig', 'addons.csi.controller.image', 'addons.csi.controller.sidecarImages.provisioner',
  'addons.csi.controller.sidecarImages.attacher', 'addons.csi.controller.sidecarImages.resizer', 'addons.csi.controller.sidecarImages.livenessProbe',
  'addons.csi.controller.sidecarImages.snapshotter',
  'addons.cloudControllerManager.image', 'addons.clusterAutoscaler.image', 'addons.uninstallCleanup.image'];

/** R7: an image tagged `latest` (the schema only requires some tag or digest). */
const latestImageArb: fc.Arbitrary<Mutation> = fc.tuple(
  fc.constantFrom(...IMAGE_PATHS), fc.constantFrom('busybox', 'quay.io/kubevirt/kubevirt-csi-driver', 'registry.example.com:5000/mirror/ccm'),
).map(([path, name]) => ({
  kind: 'latestImageTag' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    setPath(values, path, `${name}:latest`);
    return done(c, 'latestImageTag', values, path, `${path}: ${name}:latest`);
  },
}));

/** Credentials in a chart repository URL (used or not: the schema refuses them everywhere). */
const credentialsInUrlArb: fc.Arbitrary<Mutation> = fc.tuple(
  fc.constantFrom(...REPOSITORY_KEYS), fc.constantFrom('user:password@', 'token@', 'robot$ci:s3cr3t@', ':@'), fc.constantFrom('charts.example.com', 'registry.example.com:5000/charts'),
).map(([key, userinfo, host]) => ({
  kind: 'credentialsInRepositoryUrl' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    const path = `addons.repositories.${key}.url`;
    const oci = effectiveLeaf(values, `addons.repositories.${key}.type`) === 'oci';
    setPath(values, path, `${oci ? 'oci' : 'https'}://${userinfo}${host}`);
    return done(c, 'credentialsInRepositoryUrl', values, path, `${path}: ${userinfo}${host}`);
  },
}));

/** R8: CSI snapshots with an infra StorageClass and no infra VolumeSnapshotClass. */
const csiSnapshotClassUnmappedArb: fc.Arbitrary<Mutation> = fc.tuple(fc.boolean(), fc.constantFrom('replicated', 'ceph-rbd.rwx'), fc.boolean()).map(([csiViaDefault, infra, vscViaDefault]) => ({
  kind: 'csiSnapshotClassUnmapped' as const,
  apply: (c: ValuesCase) => {
    const values = withShortClusterName(c);
    setOrDefault(values, 'addons.csi.enabled', true, csiViaDefault);
    for (const k of ['tenantCluster', 'snapshotController']) {
      if (effectiveLeaf(values, `addons.repositories.${k}.url`) !== '') continue;
      const oci = effectiveLeaf(values, `addons.repositories.${k}.type`) === 'oci';
      setPath(values, `addons.repositories.${k}.url`, withScheme('charts.example.com/tenant-cluster', oci));
    }
    setPath(values, 'addons.csi.volumeSnapshotClass', true);
    setPath(values, 'addons.csi.infraStorageClassName', infra);
    setOrDefault(values, 'addons.csi.infraVolumeSnapshotClassName', '', vscViaDefault);
    const path = 'addons.csi.infraVolumeSnapshotClassName';
    return done(c, 'csiSnapshotClassUnmapped', values, path, `snapshots through ${infra} without infraVolumeSnapshotClassName`);
  },
}));

/** R9: a shared namespace while the CCM's EndpointSlice controller runs. */
const sharedNamespaceArb: fc.Arbitrary<Mutation> = fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()).map(([ccmViaDefault, lbViaDefault, epsViaDefault]) => ({
  kind: 'sharedNamespaceWithEndpointSlices' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    setPath(values, 'addons.exclusiveNamespace', false);
    setOrDefault(values, 'addons.cloudControllerManager.enabled', true, ccmViaDefault);
    setOrDefault(values, 'addons.cloudControllerManager.loadBalancer.enabled', true, lbViaDefault);
    setOrDefault(values, 'addons.cloudControllerManager.loadBalancer.enableEPSController', true, epsViaDefault);
    return done(c, 'sharedNamespaceWithEndpointSlices', values, 'addons.exclusiveNamespace', 'exclusiveNamespace false with the EndpointSlice controller');
  },
}));

/** A patch newer than the support matrix's newest for the minor, or one with a leading zero. */
const unknownPatchArb: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom(...SUPPORTED_MINORS), fc.integer({ min: 1, max: 1000 }), fc.boolean(), fc.boolean())
  .map(([minor, over, v, leadingZero]) => ({
    kind: 'unknownPatch' as const,
    apply: (c: ValuesCase) => {
      const values = jsonCopy(c.values);
      const version = `${v ? 'v' : ''}${minor}.${leadingZero ? `0${over % 10}` : maxPatch(minor) + over}`;
      setPath(values, 'kubernetes.version', version);
      return done(c, 'unknownPatch', values, 'kubernetes.version', `kubernetes.version ${version}`);
    },
  }));

/** R10: NodePort without an address (empty or absent; the ports fit). */
const nodePortWithoutAddressArb: fc.Arbitrary<Mutation> = fc.boolean().map((explicitEmpty) => ({
  kind: 'nodePortWithoutAddress' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    setPath(values, 'controlPlane.endpoint.type', 'NodePort');
    setPath(values, 'managementCluster.serviceNodePortRange', '1-65535');
    if (explicitEmpty) setPath(values, 'controlPlane.endpoint.nodePort.address', '');
    else deletePath(values, 'controlPlane.endpoint.nodePort.address');
    const path = 'controlPlane.endpoint.nodePort.address';
    return done(c, 'nodePortWithoutAddress', values, path, `NodePort with ${explicitEmpty ? 'an empty' : 'no'} address`);
  },
}));

/** R11: NodePort with the API server port (or, the API server port fitting, Konnectivity's) outside the NodePort range. */
const nodePortOutOfRangeArb: fc.Arbitrary<Mutation> = fc.tuple(fc.boolean(), fc.constantFrom(6443, 443, 29999, 32768, 65535)).map(([konnectivity, port]) => ({
  kind: 'nodePortOutOfRange' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    setPath(values, 'controlPlane.endpoint.type', 'NodePort');
    setPath(values, 'controlPlane.endpoint.nodePort.address', '192.0.2.10');
    setPath(values, 'managementCluster.serviceNodePortRange', '30000-32767');
    let path = 'clusterNetwork.apiServerPort';
    if (konnectivity) {
      setPath(values, 'clusterNetwork.apiServerPort', 30443);
      setPath(values, 'controlPlane.addons.konnectivity.enabled', true);
      path = 'controlPlane.addons.konnectivity.serverPort';
    }
    setPath(values, path, port);
    return done(c, 'nodePortOutOfRange', values, path, `NodePort with ${path} ${port} outside 30000-32767`);
  },
}));

/** R12: an autoscaled group whose kubelet reservation takes all of the VM's CPU or memory. */
const reservedLeavesNothingArb: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom('cpu', 'memory'), fc.boolean(), fc.nat()).map(([resource, viaCapacity, pick]) => ({
  kind: 'reservedLeavesNothing' as const,
  apply: (c: ValuesCase) => {
    const t = targetGroup(c, pick);
    const base = `nodeGroups.${t.group}`;
    setPath(t.values, `${base}.autoscaling`, { enabled: true, min: 1, max: 3, capacity: viaCapacity ? { cpu: '2', memory: '2Gi' } : { cpu: '', memory: '' } });
    setPath(t.values, 'addons.clusterAutoscaler.enabled', true);
    setPath(t.values, `${base}.kubevirt.instancetype`, '');
    setPath(t.values, `${base}.kubevirt.cores`, 2);
    setPath(t.values, `${base}.kubevirt.memory`, '2Gi');
    setPath(t.values, `${base}.kubelet.reserved`, resource === 'cpu' ? { cpu: '2', memory: '512Mi' } : { cpu: '100m', memory: '1.95Gi' });
    for (const g of groupNames(t.values)) if (g !== t.group) repairAutoscaling(t.values, g);
    const path = `${base}.kubelet.reserved.${resource}`;
    return done(c, 'reservedLeavesNothing', t.values, path, `${base}: reserved ${resource} takes the whole 2-CPU, 2Gi node`);
  },
}));

/** R13: a kubeadm file with both content and contentFrom, or neither. */
const kubeadmFileContentArb: fc.Arbitrary<Mutation> = fc.tuple(fc.boolean(), fc.nat(2), fc.nat()).map(([both, index, pick]) => ({
  kind: 'kubeadmFileContent' as const,
  apply: (c: ValuesCase) => {
    const t = targetGroup(c, pick);
    const files: Doc[] = Array.from({ length: index }, (_, i) => ({ path: `/etc/ok-${i}`, content: 'x' }));
    files.push(both ? { path: '/etc/bad', content: 'x', contentFrom: { secret: { name: 's', key: 'k' } } } : { path: '/etc/bad', permissions: '0600' });
    setPath(t.values, `nodeGroups.${t.group}.kubeadm.files`, files);
    const path = `nodeGroups.${t.group}.kubeadm.files.${index}`;
    return done(c, 'kubeadmFileContent', t.values, path, `${path}: ${both ? 'content and contentFrom' : 'neither content nor contentFrom'}`);
  },
}));

/** R14: `kube-reserved` among a group's kubelet flags. */
const kubeReservedInExtraArgsArb: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom('cpu=100m,memory=512Mi', '', 'memory=1Gi'), fc.nat()).map(([value, pick]) => ({
  kind: 'kubeReservedInExtraArgs' as const,
  apply: (c: ValuesCase) => {
    const t = targetGroup(c, pick);
    setPath(t.values, `nodeGroups.${t.group}.kubelet.extraArgs.kube-reserved`, value);
    const path = `nodeGroups.${t.group}.kubelet.extraArgs.kube-reserved`;
    return done(c, 'kubeReservedInExtraArgs', t.values, path, `kube-reserved=${value}`);
  },
}));

/** R15: a group booting from a DataVolume with no source, or two (its own merged with nodeGroupDefaults'). */
const dataVolumeWithoutSourceArb: fc.Arbitrary<Mutation> = fc.tuple(fc.boolean(), fc.boolean(), fc.nat()).map(([viaDefaults, two, pick]) => ({
  kind: 'dataVolumeWithoutSource' as const,
  apply: (c: ValuesCase) => {
    const t = targetGroup(c, pick);
    if (two) setPath(t.values, 'nodeGroupDefaults.kubevirt.bootImage.dataVolume.source', { http: { url: 'https://images.example.com/a.img' } });
    else deletePath(t.values, 'nodeGroupDefaults.kubevirt.bootImage.dataVolume.source');
    if (viaDefaults) {
      setPath(t.values, 'nodeGroupDefaults.kubevirt.bootImage.type', 'dataVolume');
      deletePath(t.values, `nodeGroups.${t.group}.kubevirt.bootImage.type`);
    } else {
      setPath(t.values, `nodeGroups.${t.group}.kubevirt.bootImage.type`, 'dataVolume');
    }
    setPath(t.values, `nodeGroups.${t.group}.kubevirt.bootImage.dataVolume.source`, two ? { registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04' } } : {});
    for (const g of groupNames(t.values)) if (g !== t.group) repairAutoscaling(t.values, g);
    const path = `nodeGroups.${t.group}.kubevirt.bootImage.dataVolume.source`;
    return done(c, 'dataVolumeWithoutSource', t.values, path,
      `bootImage.type dataVolume${viaDefaults ? ' (from nodeGroupDefaults)' : ''} with ${two ? 'two sources (merged with nodeGroupDefaults\')' : 'no source'}`);
  },
}));

/** Sets a key as an own data property (a `__proto__` key must not change the prototype of the test's own objects). */
function setOwnKey(doc: Doc, key: string, value: unknown): void {
  Object.defineProperty(doc, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Maps where a reserved key can go: `@` the target group, `@repo` an addon with free-form values. */
const RESERVED_KEY_PLACES = ['', 'nodeGroups', 'nodeGroups.@.labels', 'nodeGroups.@.kubelet.extraArgs', 'controlPlane.endpoint.serviceAnnotations',
  'addons.metricsServer.values', 'addons.cni.cilium.values.ipam', 'nodeGroups.@.kubevirt.bootImage.dataVolume.source', 'nodeGroupDefaults.labels', 'controlPlane'];

const reservedKeyArb: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom(...RESERVED_KEYS), fc.constantFrom(...RESERVED_KEY_PLACES),
  fc.constantFrom<unknown>('x', 1, { polluted: true }, { enabled: true, replicas: 3 }), fc.nat())
  .map(([key, place, value, pick]) => ({
    kind: 'reservedKey' as const,
    apply: (c: ValuesCase) => {
      const t = place.includes('@') ? targetGroup(c, pick) : { values: jsonCopy(c.values), group: '' };
      const segs = place === '' ? [] : place.split('.').map((s) => (s === '@' ? t.group : s));
      let map = t.values;
      for (const seg of segs) {
        if (!isObject(map[seg])) map[seg] = {};
        map = map[seg] as Doc;
      }
      setOwnKey(map, key, jsonCopy(value));
      const path = [...segs, key].join('.');
      return done(c, 'reservedKey', t.values, path, `a ${JSON.stringify(key)} key at ${path}`);
    },
  }));

/** Free text where an unwritable character can go (`#`: a one-item list). */
const UNWRITABLE_PLACES = ['controlPlane.endpoint.serviceAnnotations.note', 'nodeGroups.@.kubeadm.postKubeadmCommands.#', 'nodeGroups.@.kubeadm.files.#.content',
  'addons.metricsServer.values.note', 'addons.cni.calico.values.installation.note', 'controlPlane.apiServer.extraArgs.audit-policy', 'nodeGroups.@.kubelet.extraArgs.x'];

const unwritableCharacterArb: fc.Arbitrary<Mutation> = fc.tuple(
  fc.constantFrom('', '', '', '', '﻿', '￾', '￿'), fc.constantFrom(...UNWRITABLE_PLACES), fc.constantFrom('', 'echo ', 'a b '), fc.nat(),
).map(([ch, template, before, pick]) => ({
  kind: 'unwritableCharacter' as const,
  apply: (c: ValuesCase) => {
    const { values, path } = setMutationPath(c, template, `${before}${ch}end`, pick);
    // Helm 3 round-trips values through YAML before it validates them and stops at DEL and the C1 controls other than NEL.
    const helm3WithoutPath = /[--￾￿]/.test(ch);
    return done(c, 'unwritableCharacter', values, path, `U+${ch.charCodeAt(0).toString(16).padStart(4, '0')} in ${path}`, c.release, { helm3WithoutPath });
  },
}));

const badReleaseNameArb: fc.Arbitrary<Mutation> = fc.constantFrom('Tenant', 'tenant_a', 'my tenant', '-tenant', 'tenant-', `r${'e'.repeat(53)}`, 'ten..ant', 'tenänt')
  .map((release) => ({
    kind: 'badReleaseName' as const,
    apply: (c: ValuesCase) => {
      // fullnameOverride names the cluster, so only Helm's own rule for release names is broken.
      const values = withShortClusterName(c);
      if (!values.fullnameOverride) values.fullnameOverride = 'tenant';
      return done(c, 'badReleaseName', values, 'release name', `release ${JSON.stringify(release)}`, release, { releaseDependent: true });
    },
  }));

const badNamespaceArb: fc.Arbitrary<Mutation> = fc.constantFrom('Tenant-A', 'tenant_a', 'tenant.a', '-tenant', `n${'s'.repeat(63)}`, 'tenant a')
  .map((namespace) => ({
    kind: 'badNamespace' as const,
    apply: (c: ValuesCase) => done(c, 'badNamespace', jsonCopy(c.values), 'release namespace', `namespace ${JSON.stringify(namespace)}`, c.release,
      { releaseDependent: true, namespace }),
  }));

const cidrHostBitsArb: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom<CidrRole | 'sourceRange'>('clusterPod', 'clusterService', 'managementPod', 'managementService', 'sourceRange'),
  fc.integer({ min: 1, max: 255 }))
  .map(([role, host]) => ({
    kind: 'cidrHostBits' as const,
    apply: (c: ValuesCase) => {
      const values = jsonCopy(c.values);
      if (role === 'sourceRange') {
        setPath(values, 'controlPlane.endpoint.loadBalancer.sourceRanges', ['203.0.113.0/24', `198.51.100.${host}/24`]);
        return done(c, 'cidrHostBits', values, 'controlPlane.endpoint.loadBalancer.sourceRanges.1', `source range 198.51.100.${host}/24`);
      }
      // The effective network with a host bit set in its last octet (every allowed prefix is at most /30).
      const cidr = effectiveCidrs(values)[role];
      const { first } = networkOf(cidr);
      const prefix = parseCidr(cidr).prefix;
      const withHost = `${numberToIp(first + 1 + (host % (2 ** Math.min(8, 32 - prefix) - 1)))}/${prefix}`;
      setPath(values, CIDR_PATHS[role], withHost);
      return done(c, 'cidrHostBits', values, CIDR_PATHS[role], `${CIDR_PATHS[role]}: ${withHost}`);
    },
  }));

const reservedServiceAddressArb: fc.Arbitrary<Mutation> = fc.constantFrom('network', 'first', 'broadcast').map((which) => ({
  kind: 'reservedServiceAddress' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    const { first, size } = networkOf(effectiveCidrs(values).clusterService);
    const ip = numberToIp(which === 'network' ? first : which === 'first' ? first + 1 : first + size - 1);
    setPath(values, 'controlPlane.addons.coreDNS.serviceIP', ip);
    return done(c, 'reservedServiceAddress', values, 'controlPlane.addons.coreDNS.serviceIP', `CoreDNS IP ${ip}, the ${which} address`);
  },
}));

const kubeletRefusedLabelArb: fc.Arbitrary<Mutation> = fc.tuple(
  fc.constantFrom('node-role.kubernetes.io/worker', 'kubernetes.io/role', 'k8s.io/x', 'node.k8s.io/pool', 'example.kubernetes.io/x', 'app.kubernetes.io/name'),
  fc.boolean(), fc.nat(),
).map(([key, inDefaults, pick]) => ({
  kind: 'kubeletRefusedLabel' as const,
  apply: (c: ValuesCase) => {
    const t = targetGroup(c, pick);
    const base = inDefaults ? 'nodeGroupDefaults.labels' : `nodeGroups.${t.group}.labels`;
    const labels = (getPath(t.values, base) ?? {}) as Doc;
    setPath(t.values, base, { ...labels, [key]: '' });
    return done(c, 'kubeletRefusedLabel', t.values, `${base}.${key}`, `node label ${key}`);
  },
}));

const duplicateTaintArb: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom('dedicated', 'example.com/gpu'), fc.constantFrom('NoSchedule', 'NoExecute'), fc.boolean(), fc.nat())
  .map(([key, effect, inDefaults, pick]) => ({
    kind: 'duplicateTaint' as const,
    apply: (c: ValuesCase) => {
      const t = targetGroup(c, pick);
      const taints = [{ key, value: 'a', effect }, { key: 'other', effect }, { key, value: 'b', effect }];
      if (inDefaults) {
        setPath(t.values, 'nodeGroupDefaults.taints', taints);
        return done(c, 'duplicateTaint', t.values, 'nodeGroupDefaults.taints', `taint ${key}:${effect} twice in nodeGroupDefaults`);
      }
      setPath(t.values, `nodeGroups.${t.group}.taints`, taints);
      return done(c, 'duplicateTaint', t.values, `nodeGroups.${t.group}.taints`, `taint ${key}:${effect} twice`);
    },
  }));

const latestContainerDiskArb: fc.Arbitrary<Mutation> = fc.tuple(fc.boolean(), fc.nat()).map(([inDefaults, pick]) => ({
  kind: 'latestContainerDisk' as const,
  apply: (c: ValuesCase) => {
    const t = targetGroup(c, pick);
    const base = inDefaults ? 'nodeGroupDefaults' : `nodeGroups.${t.group}`;
    setPath(t.values, `${base}.kubevirt.bootImage.type`, 'containerDisk');
    setPath(t.values, `${base}.kubevirt.bootImage.containerDiskImage`, 'quay.io/containerdisks/ubuntu:latest');
    return done(c, 'latestContainerDisk', t.values, `${base}.kubevirt.bootImage.containerDiskImage`, `${base}: container disk :latest`);
  },
}));

const autoscalerOffArb: fc.Arbitrary<Mutation> = fc.tuple(fc.boolean(), fc.nat()).map(([viaDefaults, pick]) => ({
  kind: 'autoscalerOff' as const,
  apply: (c: ValuesCase) => {
    const t = targetGroup(c, pick);
    setPath(t.values, 'addons.clusterAutoscaler.enabled', false);
    for (const g of groupNames(t.values)) setPath(t.values, `nodeGroups.${g}.autoscaling.enabled`, false);
    if (viaDefaults) {
      setPath(t.values, 'nodeGroupDefaults.autoscaling.enabled', true);
      deletePath(t.values, `nodeGroups.${t.group}.autoscaling.enabled`);
    } else {
      setPath(t.values, `nodeGroups.${t.group}.autoscaling.enabled`, true);
    }
    repairAutoscaling(t.values, t.group);
    return done(c, 'autoscalerOff', t.values, `nodeGroups.${t.group}.autoscaling.enabled`, `group ${t.group} autoscales, autoscaler off`);
  },
}));

/** Kubeadm files in nodeGroupDefaults (every group renders them) beyond what the release record holds. */
const releaseTooLargeArb: fc.Arbitrary<Mutation> = fc.integer({ min: 2, max: 4 }).map((groups) => ({
  kind: 'releaseTooLarge' as const,
  apply: (c: ValuesCase) => {
    const values = withShortClusterName(c);
    const files = Array.from({ length: 16 }, (_, i) => ({ path: `/etc/big/${i}`, content: `${i}`.padEnd(10240, 'x') }));
    setPath(values, 'nodeGroupDefaults.kubeadm.files', files);
    values.nodeGroups = Object.fromEntries(Array.from({ length: groups }, (_, i) => [`g${i}`, {}]));
    for (const g of groupNames(values)) repairAutoscaling(values, g);
    repairAutoscalerOff(values);
    return done(c, 'releaseTooLarge', values, 'values', `16 files of 10 KiB in nodeGroupDefaults, ${groups} groups`);
  },
}));

/** A valid document with the VPN on (repaired as generated documents are), a cluster name short enough for `<cluster>-vpn`. */
function withVpn(c: ValuesCase): Doc {
  const values = withShortClusterName(c);
  setPath(values, 'addons.vpn.enabled', true);
  repairVpn(values);
  // On KubeVirt the repair turns the VPN off only when no transfer network is free: then the mutations' own value is the first refusal.
  setPath(values, 'addons.vpn.enabled', true);
  return values;
}

/** OpenStack: Konnectivity and the VPN both off (applied to OpenStack documents). */
const vpnWithoutReversePathArb: fc.Arbitrary<Mutation> = fc.constant({
  kind: 'vpnWithoutReversePath' as const,
  apply: (c: ValuesCase) => {
    const values = jsonCopy(c.values);
    setPath(values, 'controlPlane.addons.konnectivity.enabled', false);
    setPath(values, 'addons.vpn.enabled', false);
    return done(c, 'vpnWithoutReversePath', values, 'controlPlane.addons.konnectivity.enabled', 'OpenStack without Konnectivity and the VPN');
  },
});

/** The VPN on (KubeVirt documents) with its transfer network a /24 (or the whole network) of the tenant's pod network. */
const vpnNetworkOverlapArb: fc.Arbitrary<Mutation> = fc.boolean().map((whole) => ({
  kind: 'vpnNetworkOverlap' as const,
  apply: (c: ValuesCase) => {
    const values = withVpn(c);
    const pods = effectiveCidrs(values).clusterPod;
    const prefix = Number(pods.split('/')[1]);
    setPath(values, 'addons.vpn.network', !whole && prefix <= 24 ? `${pods.split('/')[0]}/24` : pods);
    return done(c, 'vpnNetworkOverlap', values, 'addons.vpn.network', `VPN transfer network in clusterNetwork.podCidr ${pods}`);
  },
}));

/** The VPN on a KubeVirt document with node routes. */
const vpnNodeRoutesOnKubevirtArb: fc.Arbitrary<Mutation> = fc.constant({
  kind: 'vpnNodeRoutesOnKubevirt' as const,
  apply: (c: ValuesCase) => {
    const values = withVpn(c);
    setPath(values, 'addons.vpn.routeNodes', true);
    return done(c, 'vpnNodeRoutesOnKubevirt', values, 'addons.vpn.routeNodes', 'VPN node routes on KubeVirt');
  },
});

const MUTATIONS: Record<MutationKind, fc.Arbitrary<Mutation>> = {
  wrongType: wrongTypeArb,
  unknownKey: unknownKeyArb,
  nullInNodeGroup: nullInNodeGroupArb,
  nullInNodeGroupDefaults: nullInNodeGroupDefaultsArb,
  nullAtRequiredPath: nullAtRequiredPathArb,
  autoscalingMinGreaterThanMax: autoscalingArb,
  overlongName: overlongNameArb,
  badClusterName: badClusterNameArb,
  unsupportedVersion: unsupportedVersionArb,
  badVersionFormat: badVersionFormatArb,
  overlappingCidrs: overlappingCidrsArb,
  coreDnsOutsideServiceCidr: coreDnsOutsideArb,
  badEnum: badEnumArb,
  reservedDiskName: reservedDiskArb,
  badKeyName: badKeyNameArb,
  outOfRange: outOfRangeArb,
  badPattern: badPatternArb,
  kubeProxyWithCiliumReplacement: kubeProxyWithCiliumArb,
  noServiceImplementation: noServiceImplementationArb,
  servingCertsWithoutApprover: servingCertsWithoutApproverArb,
  csiWithoutChartRepository: csiWithoutRepositoryArb,
  repositoryTypeMismatch: repositoryTypeMismatchArb,
  capacityMissingForScaleFromZero: capacityMissingArb,
  latestImageTag: latestImageArb,
  credentialsInRepositoryUrl: credentialsInUrlArb,
  csiSnapshotClassUnmapped: csiSnapshotClassUnmappedArb,
  sharedNamespaceWithEndpointSlices: sharedNamespaceArb,
  unknownPatch: unknownPatchArb,
  nodePortWithoutAddress: nodePortWithoutAddressArb,
  nodePortOutOfRange: nodePortOutOfRangeArb,
  reservedLeavesNothing: reservedLeavesNothingArb,
  kubeadmFileContent: kubeadmFileContentArb,
  kubeReservedInExtraArgs: kubeReservedInExtraArgsArb,
  dataVolumeWithoutSource: dataVolumeWithoutSourceArb,
  reservedKey: reservedKeyArb,
  unwritableCharacter: unwritableCharacterArb,
  badReleaseName: badReleaseNameArb,
  badNamespace: badNamespaceArb,
  cidrHostBits: cidrHostBitsArb,
  reservedServiceAddress: reservedServiceAddressArb,
  kubeletRefusedLabel: kubeletRefusedLabelArb,
  duplicateTaint: duplicateTaintArb,
  latestContainerDisk: latestContainerDiskArb,
  autoscalerOff: autoscalerOffArb,
  releaseTooLarge: releaseTooLargeArb,
  vpnWithoutReversePath: vpnWithoutReversePathArb,
  vpnNetworkOverlap: vpnNetworkOverlapArb,
  vpnNodeRoutesOnKubevirt: vpnNodeRoutesOnKubevirtArb,
};

/**
 * Mutations of what only a KubeVirt tenant reads (its disks, boot images, CSI and CCM, node sizes, NodePort
 * endpoint): applied to KubeVirt documents only, since an OpenStack document ignores those values or refuses the
 * combination earlier with its own check.
 */
const KUBEVIRT_MUTATIONS: ReadonlySet<MutationKind> = new Set<MutationKind>([
  'reservedDiskName', 'csiWithoutChartRepository', 'csiSnapshotClassUnmapped', 'sharedNamespaceWithEndpointSlices',
  'reservedLeavesNothing', 'dataVolumeWithoutSource', 'latestContainerDisk', 'nodePortWithoutAddress', 'nodePortOutOfRange',
  'vpnNetworkOverlap', 'vpnNodeRoutesOnKubevirt',
]);

/** Mutations of what only an OpenStack tenant refuses (no reverse path): applied to OpenStack documents only. */
const OPENSTACK_MUTATIONS: ReadonlySet<MutationKind> = new Set<MutationKind>(['vpnWithoutReversePath']);

/** Valid KubeVirt documents (the provider's default or given). */
const kubevirtCaseArb: fc.Arbitrary<ValuesCase> = validCaseArb.filter((c) => !isOpenStack(c.values));

/** Valid OpenStack documents. */
const openStackCaseArb: fc.Arbitrary<ValuesCase> = validCaseArb.filter((c) => isOpenStack(c.values));

/** Invalid documents: a valid case with one mutation of one of `kinds` (default: all). */
export function invalidCaseArb(kinds: readonly MutationKind[] = MUTATION_KINDS): fc.Arbitrary<InvalidCase> {
  const casesFor = (k: MutationKind) => (KUBEVIRT_MUTATIONS.has(k) ? kubevirtCaseArb : OPENSTACK_MUTATIONS.has(k) ? openStackCaseArb : validCaseArb);
  return fc.oneof(...kinds.map((k) => fc.tuple(casesFor(k), MUTATIONS[k])
    .map(([c, m]) => m.apply(c))));
}
