/**
 * Values documents exactly as the Magnum Cluster API Helm driver builds them, for the `magnum-tenant-cluster` chart.
 *
 * The generator draws what Magnum feeds the driver (a cluster template, a cluster, their labels, node groups, the
 * project's Cinder volume types, the caller's context, the driver's configuration) and runs its own port of the
 * driver's `_update_helm_release` (openstack/magnum-capi-helm 1.4.0, a8b82c2, magnum_capi_helm/driver.py:1001-1217, with
 * `_label` 503-516, `_get_label_bool`/`_get_label_int`/`_get_label_csv` 518-548, `_get_etcd_config` 632-679,
 * `_get_node_counts`/`_validate_allowed_node_counts` 781-851, `_storageclass_definitions` 923-984,
 * `_process_node_groups` 986-999, `_generate_release_name` 1219-1234; helm.py `mergeconcat` and
 * `json.dumps(mergeconcat({}, values))`; driver_utils.py `sanitized_name`, `cluster_namespace`). So documents have
 * the driver's keys in the driver's order, its types (the string "true", nulls) and its quirks (`--` in releases,
 * sanitised names, the leading `{}` port), and inputs the driver itself refuses (node counts) give no document.
 *
 * What Magnum lets reach the driver (openstack/magnum 5a492d64): cluster names `^[a-zA-Z][a-zA-Z0-9_.-]*$` up to 242
 * characters (api/controllers/v1/cluster.py:74), node group names of 1 to 255 characters of anything (nodegroup.py:193),
 * `master_count` odd (drivers/common/driver.py:248), `node_count` ≥ 0, `network_driver` one of flannel, calico, cilium
 * (api/validation.py:292-305, K8sValidator), `dns_nameserver` comma-separated IPv4 addresses (common/utils.py:125),
 * network and subnet IDs passed verbatim when they look like UUIDs (common/neutron.py:81-123), the release's random part
 * 12 characters of lowercase base32 (common/short_id.py).
 *
 * The generator is independent of the chart: it sanitises names and merges with its own code.
 *
 * - {@link magnumCaseArb}: documents the chart's schema accepts. With `supportedOnly`, only documents the chart renders
 *   (no `flatcar`, floating IP on, no Keystone, no monitoring, names that fit and do not collide): for phase 2.
 * - {@link REFUSED_INPUTS}: inputs the driver accepts and turns into documents the schema refuses, with the value path
 *   an error must name.
 */
import * as fc from 'fast-check';

/** A JSON object. */
export type Doc = { [key: string]: unknown };

// ---------------------------------------------------------------------------------------------
// Python's behaviour the driver relies on
// ---------------------------------------------------------------------------------------------

/**
 * `json.dumps(value)` with Python's defaults: `", "` and `": "` separators, keys in insertion order, `ensure_ascii`
 * (every character outside U+0020–U+007E escaped as `\uXXXX`, astral ones as surrogate pairs; `"`, `\`, `\n`, `\r`,
 * `\t`, `\b`, `\f` as short escapes), integers as digits. This is what the driver writes on Helm's stdin.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`the driver sends no floats: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Doc).map(([k, v]) => `${pythonString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  }
  throw new Error(`not JSON: ${String(value)}`);
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function pythonString(s: string): string {
  // JavaScript strings are UTF-16: an astral character is already the surrogate pair Python prints.
  return `"${s.replace(/["\\\u0000-\u001f\u007f-\uffff]/g, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** The driver's `sanitized_name`: `re.sub("[^a-z0-9]+", "-", name.lower()).strip("-")`. */
export function sanitize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** oslo `strutils.bool_from_string(subject, default=default)`. */
function boolFromString(subject: string, fallback: boolean): boolean {
  const s = subject.trim().toLowerCase();
  if (['1', 't', 'true', 'on', 'y', 'yes'].includes(s)) return true;
  if (['0', 'f', 'false', 'off', 'n', 'no'].includes(s)) return false;
  return fallback;
}

/** Python's `int(text)` for what the label sanitizer leaves: whitespace around, a sign, digits with single `_` between. */
function pythonInt(text: string): number | undefined {
  const m = /^\s*([+-]?)([0-9](_?[0-9])*)\s*$/.exec(text);
  if (!m) return undefined;
  return Number(`${m[1]}${m[2].replace(/_/g, '')}`);
}

/** helm.py `mergeconcat(defaults, override)`: maps merge (new keys appended), lists concatenate, `None` keeps the default. */
function mergeconcat(defaults: unknown, override: unknown): unknown {
  if (isMap(defaults) && isMap(override)) {
    const merged: Doc = { ...defaults };
    for (const [k, v] of Object.entries(override)) merged[k] = k in defaults ? mergeconcat(defaults[k], v) : v;
    return merged;
  }
  if (Array.isArray(defaults) && Array.isArray(override)) return [...defaults, ...override];
  return override !== null ? override : defaults;
}

const isMap = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------
// What Magnum feeds the driver
// ---------------------------------------------------------------------------------------------

export interface MagnumNodeGroupInput {
  /** Magnum's node group name (1 to 255 characters of anything). */
  readonly name: string;
  readonly role: 'worker' | 'master';
  readonly isDefaultWorker: boolean;
  readonly flavorId: string;
  readonly nodeCount: number;
  readonly minNodeCount: number | null;
  readonly maxNodeCount: number | null;
}

/** Everything `_update_helm_release` reads. */
export interface MagnumInputs {
  readonly clusterName: string;
  /** The 12 random characters of the release name. */
  readonly shortId: string;
  /** The owner's project ID (the namespace is derived from it). */
  readonly projectId: string;
  readonly template: {
    readonly imageId: string;
    /** Glance properties of the image. */
    readonly kubeVersion: string;
    readonly osDistro: string;
    readonly externalNetworkId: string;
    readonly dnsNameserver: string | null;
    readonly networkDriver: string | null;
    readonly labels: Record<string, string>;
  };
  readonly cluster: {
    readonly keypair: string | null;
    readonly masterFlavorId: string;
    readonly masterCount: number;
    /** Already a UUID-like string (a name would be resolved to the canonical ID; that is what we generate then). */
    readonly fixedNetwork: string | null;
    readonly fixedSubnet: string | null;
    readonly labels: Record<string, string>;
  };
  readonly nodeGroups: readonly MagnumNodeGroupInput[];
  /** The project's Cinder volume types, in Cinder's order (at least one: the driver fails on none). */
  readonly volumeTypes: readonly string[];
  /** The caller's context (Keystone). */
  readonly context: { readonly authUrl: string; readonly projectId: string };
  /** The driver's configuration (`[capi_helm]`, `[capi_helm_cluster_labels]`, `[cinder]`), where it varies by site. */
  readonly conf: {
    readonly csiCinderDefaultVolumeType: string | null;
    readonly csiCinderAllowedTopologies: readonly string[];
    readonly cinderDefaultBootVolumeType: string;
    readonly cinderDefaultBootVolumeSize: number;
  };
}

/** The label defaults of `[capi_helm_cluster_labels]` (conf.py at 1.4.0). */
const LABEL_DEFAULTS = {
  etcd_blockdevice_size: 0,
  etcd_blockdevice_type: 'volume',
  etcd_blockdevice_volume_type: '',
  etcd_blockdevice_volume_az: '',
  monitoring_enabled: false,
  kube_dashboard_enabled: true,
  auto_healing_enabled: true,
  auto_scaling_enabled: false,
  keystone_auth_enabled: false,
  csi_cinder_availability_zone: 'nova',
  csi_cinder_reclaim_policy: 'Retain',
  csi_cinder_volume_binding_mode: 'WaitForFirstConsumer',
  csi_cinder_fstype: 'ext4',
  csi_cinder_allow_volume_expansion: true,
  octavia_provider: 'amphora',
  octavia_lb_algorithm: '',
  octavia_lb_healthcheck: true,
  master_lb_floating_ip_enabled: true,
  fixed_subnet_cidr: '10.0.0.0/24',
  api_master_lb_allowed_cidrs: '',
  extra_network_names: '',
} as const;

/** The release name `_generate_release_name` stores: `sanitize(name)[:30] + "-" + short id`, lowercased. */
export function releaseName(clusterName: string, shortId: string): string {
  return `${sanitize(clusterName).slice(0, 30)}-${shortId}`.toLowerCase();
}

/** `cluster_namespace`: `magnum-<project id lowercased, [^a-z0-9] removed>`. */
export function clusterNamespace(projectId: string): string {
  return `magnum-${projectId.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
}

/** Why the driver stops before Helm. */
export class DriverRefusal {
  public constructor(public readonly reason: string) {}
}

/** The document `_update_helm_release` sends, or the driver's refusal. */
export function driverDocument(input: MagnumInputs): Doc | DriverRefusal {
  const allLabels = mergeconcat(input.template.labels, input.cluster.labels) as Record<string, string>;
  const labelRaw = (key: string, fallback: string): string => {
    if (Object.keys(allLabels).length === 0) return fallback;
    const raw = key in allLabels ? allLabels[key] : fallback;
    return raw.replace(/[^a-zA-Z0-9./\- _]+/g, '');
  };
  const labelBool = (key: string, fallback: boolean) => boolFromString(labelRaw(key, ''), fallback);
  const labelInt = (key: string, fallback: number): number => {
    const text = labelRaw(key, '');
    if (!text) return fallback;
    return pythonInt(text) ?? fallback;
  };
  const labelCsv = (key: string): string[] => {
    const raw = allLabels[key] ?? '';
    if (!raw) return [];
    return raw.split(',').filter((e) => e.trim() !== '').map((e) => e.trim().replace(/[^a-zA-Z0-9./\-:]+/g, ''));
  };
  const release = releaseName(input.clusterName, input.shortId);

  // _get_etcd_config
  const etcdSize = labelInt('etcd_blockdevice_size', labelInt('etcd_volume_size', LABEL_DEFAULTS.etcd_blockdevice_size));
  let etcd: Doc = {};
  if (etcdSize > 0) {
    const blockDevice: Doc = { size: etcdSize };
    if (labelRaw('etcd_blockdevice_type', LABEL_DEFAULTS.etcd_blockdevice_type) === 'local') {
      blockDevice.type = 'Local';
    } else {
      blockDevice.type = 'Volume';
      const volumeType = labelRaw('etcd_blockdevice_volume_type', labelRaw('etcd_volume_type', LABEL_DEFAULTS.etcd_blockdevice_volume_type));
      if (volumeType) blockDevice.volumeType = volumeType;
      const az = labelRaw('etcd_blockdevice_volume_az', LABEL_DEFAULTS.etcd_blockdevice_volume_az);
      if (az) blockDevice.availabilityZone = az;
    }
    etcd = { blockDevice };
  }

  // _process_node_groups, with _get_autoscale_values and its validation for every worker group.
  const autoscaleEnabled = labelBool('auto_scaling_enabled', LABEL_DEFAULTS.auto_scaling_enabled);
  const groups: Doc[] = [];
  for (const ng of input.nodeGroups) {
    if (ng.role === 'master') continue;
    let item: Doc = { name: sanitize(ng.name), machineFlavor: ng.flavorId, machineCount: ng.nodeCount };
    if (autoscaleEnabled) {
      let min = ng.minNodeCount ?? ng.nodeCount;
      let max = ng.maxNodeCount ?? ng.nodeCount;
      if (ng.isDefaultWorker) {
        if (ng.minNodeCount === 1) min = ng.nodeCount;
        min = labelInt('min_node_count', min);
        max = labelInt('max_node_count', max);
      }
      if (min < 1) return new DriverRefusal('Min node count must be greater than or equal to 1 for all node groups.');
      if (min > ng.nodeCount) return new DriverRefusal('Min node count must be less than or equal to current node count');
      if (max < min) return new DriverRefusal('Max node count must be greater than or equal to min node count');
      if (min !== max) item = mergeconcat(item, { autoscale: 'true', machineCountMin: min, machineCountMax: max }) as Doc;
    }
    groups.push(item);
  }

  // _storageclass_definitions
  const types = input.volumeTypes;
  if (types.length === 0) return new DriverRefusal('IndexError: no Cinder volume types');
  const defaultType = input.conf.csiCinderDefaultVolumeType || types[0];
  if (!types.includes(defaultType)) return new DriverRefusal(`${defaultType} is not a valid Cinder volume type.`);
  const allowExpansion = labelBool('csi_cinder_allow_volume_expansion', LABEL_DEFAULTS.csi_cinder_allow_volume_expansion);
  const reclaimPolicy = labelRaw('csi_cinder_reclaim_policy', LABEL_DEFAULTS.csi_cinder_reclaim_policy);
  const bindingMode = labelRaw('csi_cinder_volume_binding_mode', LABEL_DEFAULTS.csi_cinder_volume_binding_mode);
  const fstype = labelRaw('csi_cinder_fstype', LABEL_DEFAULTS.csi_cinder_fstype);
  const availabilityZone = labelRaw('csi_cinder_availability_zone', LABEL_DEFAULTS.csi_cinder_availability_zone);
  let defaultStorageClass: Doc = {};
  const additionalStorageClasses: Doc[] = [];
  for (const volumeType of types) {
    const entry: Doc = {
      name: sanitize(volumeType),
      reclaimPolicy,
      allowVolumeExpansion: allowExpansion,
      volumeBindingMode: bindingMode,
      availabilityZone,
      volumeType,
      allowedTopologies: [...input.conf.csiCinderAllowedTopologies],
      fstype,
      enabled: true,
    };
    if (volumeType === defaultType) defaultStorageClass = entry;
    else additionalStorageClasses.push(entry);
  }

  const octaviaProvider = labelRaw('octavia_provider', LABEL_DEFAULTS.octavia_provider);
  const lbMethod = labelRaw('octavia_lb_algorithm', LABEL_DEFAULTS.octavia_lb_algorithm || (octaviaProvider.toLowerCase() === 'ovn' ? 'SOURCE_IP_PORT' : 'ROUND_ROBIN'));
  const autoheal = labelBool('auto_healing_enabled', LABEL_DEFAULTS.auto_healing_enabled);
  const dns = input.template.dnsNameserver ? input.template.dnsNameserver.split(',').map((s) => s.trim()).filter((s) => s !== '') : null;

  let values: Doc = {
    kubernetesVersion: input.template.kubeVersion.replace(/^v+/, '').replace(/[^0-9.]+/g, ''),
    machineImageId: input.template.imageId,
    machineSSHKeyName: input.cluster.keypair || null,
    cloudCredentialsSecretName: sanitize(`${release}-cloud-credentials`),
    etcd,
    apiServer: {
      associateFloatingIP: labelBool('master_lb_floating_ip_enabled', LABEL_DEFAULTS.master_lb_floating_ip_enabled),
      enableLoadBalancer: true,
      loadBalancerProvider: octaviaProvider,
    },
    clusterNetworking: {
      dnsNameservers: dns,
      externalNetworkId: input.template.externalNetworkId,
      internalNetwork: {
        networkFilter: input.cluster.fixedNetwork ? { id: input.cluster.fixedNetwork } : null,
        subnetFilter: input.cluster.fixedSubnet ? { id: input.cluster.fixedSubnet } : null,
        nodeCidr: labelRaw('fixed_subnet_cidr', LABEL_DEFAULTS.fixed_subnet_cidr),
      },
    },
    osDistro: input.template.osDistro.replace(/[^a-zA-Z0-9./\- ]+/g, ''),
    controlPlane: {
      machineFlavor: input.cluster.masterFlavorId,
      machineCount: input.cluster.masterCount,
      healthCheck: { enabled: autoheal },
    },
    nodeGroupDefaults: { healthCheck: { enabled: autoheal } },
    nodeGroups: groups,
    addons: {
      openstack: {
        csiCinder: { defaultStorageClass, additionalStorageClasses },
        cloudConfig: {
          LoadBalancer: {
            'lb-provider': octaviaProvider,
            'lb-method': lbMethod,
            'create-monitor': labelBool('octavia_lb_healthcheck', LABEL_DEFAULTS.octavia_lb_healthcheck),
          },
        },
      },
      monitoring: { enabled: labelBool('monitoring_enabled', LABEL_DEFAULTS.monitoring_enabled) },
      kubernetesDashboard: { enabled: labelBool('kube_dashboard_enabled', LABEL_DEFAULTS.kube_dashboard_enabled) },
      ingress: { enabled: false },
    },
  };
  const merge = (extra: Doc) => {
    values = mergeconcat(values, extra) as Doc;
  };

  const bootVolumeType = labelRaw('boot_volume_type', input.conf.cinderDefaultBootVolumeType);
  if (bootVolumeType) {
    merge({ controlPlane: { machineRootVolume: { volumeType: bootVolumeType } }, nodeGroupDefaults: { machineRootVolume: { volumeType: bootVolumeType } } });
  }
  const bootVolumeSize = labelInt('boot_volume_size', input.conf.cinderDefaultBootVolumeSize);
  if (bootVolumeSize) {
    merge({ controlPlane: { machineRootVolume: { diskSize: bootVolumeSize } }, nodeGroupDefaults: { machineRootVolume: { diskSize: bootVolumeSize } } });
  }
  const legacyNetwork = labelRaw('extra_network_name', '');
  let networks = labelRaw('extra_network_names', LABEL_DEFAULTS.extra_network_names);
  if (legacyNetwork && !networks) networks = legacyNetwork;
  if (networks) {
    const ports: Doc[] = [{}, ...networks.split(' ').map((name) => ({ network: { name }, securityGroups: [] }))];
    merge({ nodeGroupDefaults: { machineNetworking: { ports } } });
  }
  if (labelBool('keystone_auth_enabled', LABEL_DEFAULTS.keystone_auth_enabled)) {
    merge({
      authWebhook: 'k8s-keystone-auth',
      addons: { openstack: { k8sKeystoneAuth: { enabled: true, values: { openstackAuthUrl: input.context.authUrl, projectId: input.context.projectId } } } },
    });
  }
  const cidrs = labelCsv('api_master_lb_allowed_cidrs');
  if (cidrs.length > 0) merge({ apiServer: { allowedCidrs: cidrs } });
  const cni = input.template.networkDriver ? input.template.networkDriver.replace(/[^a-zA-Z0-9._-]+/g, '') : '';
  if (cni) merge({ addons: { cni: { type: cni } } });
  // helm.py: json.dumps(mergeconcat({}, values)) -- a fresh top-level map, same order.
  return mergeconcat({}, values) as Doc;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

/** A document with the release and namespace the driver calls Helm with, and the exact text it pipes. */
export interface MagnumCase {
  readonly inputs: MagnumInputs;
  readonly release: string;
  readonly namespace: string;
  readonly document: Doc;
  /** `json.dumps(document)`: the bytes on Helm's stdin. */
  readonly text: string;
}

export interface MagnumArbitraryOptions {
  /**
   * Only documents the chart renders (with the operator's site settings of examples/magnum/site-values.yaml):
   * `osDistro` ubuntu, floating IP on, no Keystone, no monitoring, node group and StorageClass names that do not
   * collide after sanitising, MachineDeployment names of at most 63 characters.
   * @default false
   */
  readonly supportedOnly?: boolean;
  /** Most worker node groups besides the default one. @default 4 */
  readonly maxExtraGroups?: number;
}

/** The Kubernetes versions generated: `v`-prefixed Glance properties, full or minor only. */
const KUBE_VERSIONS = ['v1.31.14', 'v1.32.10', '1.33.6', 'v1.34.2', 'v1.34', '1.35.0'];

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const uuidArb = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((p) => p.join('-'));
/** A UUID as a user may type it (Neutron IDs pass verbatim when they look like UUIDs): lowercase or uppercase, dashed. */
const typedUuidArb = fc.oneof({ arbitrary: uuidArb, weight: 4 }, { arbitrary: uuidArb.map((u) => u.toUpperCase()), weight: 1 });
const shortIdArb = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz234567'), minLength: 12, maxLength: 12 });

/**
 * Magnum cluster names (`^[a-zA-Z][a-zA-Z0-9_.-]*$`, at most 242): short and long, with runs of `_.-`, and names whose
 * sanitised 30-character prefix ends in `-` (the driver's release then holds `--`).
 */
export const clusterNameArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_.-]{0,20}$/), weight: 4 },
  { arbitrary: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_.-]{20,80}$/), weight: 2 },
  { arbitrary: fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,10}$/).map((s) => s.padEnd(242, 'x').slice(0, 242)), weight: 1 },
  // sanitize(name)[:30] ends with "-": 29 characters, a separator run, then more.
  { arbitrary: fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{28}$/), fc.constantFrom('-', '_', '.', '__', '-.-'), fc.stringMatching(/^[a-zA-Z0-9]{1,12}$/))
    .map(([a, sep, b]) => `${a}${sep}${b}`), weight: 2 },
  { arbitrary: fc.constantFrom('production-kubernetes-cluster-01', 'k8s', 'a', 'My_Cluster.v2', 'x--y__z'), weight: 1 },
);

/** Nova names (key pairs, flavors): typical ones and awkward strings the chart must carry verbatim. */
const novaNameArb = fc.oneof(
  { arbitrary: fc.constantFrom('m1.small', 'm1.large', 'c2.xlarge', 'gpu.a100', '42', 'ssh-key', 'ops key'), weight: 4 },
  { arbitrary: uuidArb, weight: 1 },
  // Characters of the Basic Multilingual Plane only: see ASTRAL_LIMIT.
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }).filter((n) => !/[\ud800-\udfff]/.test(n)), weight: 1 },
  { arbitrary: fc.constantFrom('{{ .Values }}', 'a"b\\c', 'yes', '123', 'ключ', '\u2028'), weight: 1 },
);

/**
 * A limit of the driver with any chart: `json.dumps` escapes a character outside the Basic Multilingual Plane (an emoji
 * in a flavor, key pair or volume type name) as a UTF-16 surrogate pair (`\ud83d\ude00`), and Helm's YAML reader
 * (go-yaml, reading `--values -`) refuses surrogate escapes ("found invalid Unicode character escape code"), so Helm
 * fails before any chart sees the document. The generator leaves such names out; test/magnum-values.test.ts shows the
 * failure with both Helms.
 */
export const ASTRAL_LIMIT = 'found invalid Unicode character escape code';

/** Node group names as Magnum takes them (anything); the sanitised name is what the document carries. */
const nodeGroupNameArb = (supportedOnly: boolean) => fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), weight: 4 },
  { arbitrary: fc.constantFrom('gpu', 'GPU_Nodes', 'ng', '1gpu', 'big.mem', 'with space', 'ü-nodes'), weight: 2 },
  ...(supportedOnly ? [] : [{ arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{20,60}$/), weight: 1 }]),
).filter((n) => sanitize(n) !== '');

/** Cinder volume type names: `__DEFAULT__`, mixed case, dots, underscores, spaces, non-ASCII. */
const volumeTypeArb = fc.oneof(
  { arbitrary: fc.constantFrom('__DEFAULT__', 'ceph_HDD', 'NVMe.Fast', 'ssd', 'standard', 'High IOPS', 'Größe', 'rbd-1', 'fast_ssd', 'Fast-SSD'), weight: 4 },
  { arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._-]{0,30}$/), weight: 2 },
).filter((t) => sanitize(t) !== '');

const boolLabel = fc.constantFrom('true', 'false', 'True', 'FALSE', '1', '0', 'yes', 'no', 'on', 'off', 't', 'f', 'bogus', '');
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

/** Labels, each present or absent, with values the chart accepts (strings only, as the CLI sends them). */
function labelsArb(supportedOnly: boolean): fc.Arbitrary<Record<string, string>> {
  const entries: Record<string, fc.Arbitrary<string | undefined>> = {
    etcd_blockdevice_size: maybe(fc.constantFrom('0', '10', '20', '-3', 'abc', ' 8 ', '1_0')),
    etcd_volume_size: maybe(fc.constantFrom('0', '5')),
    etcd_blockdevice_type: maybe(fc.constantFrom('local', 'volume', 'LOCAL', 'other')),
    etcd_blockdevice_volume_type: maybe(fc.constantFrom('', 'ssd', 'fast ssd', 'ceph_HDD')),
    etcd_volume_type: maybe(fc.constantFrom('', 'legacy')),
    etcd_blockdevice_volume_az: maybe(fc.constantFrom('', 'nova', 'az 1')),
    monitoring_enabled: supportedOnly ? fc.constant('false') : maybe(boolLabel),
    kube_dashboard_enabled: maybe(boolLabel),
    auto_healing_enabled: maybe(boolLabel),
    auto_scaling_enabled: maybe(fc.constantFrom('true', 'false', 'yes')),
    min_node_count: maybe(fc.constantFrom('1', '2')),
    max_node_count: maybe(fc.constantFrom('3', '5', '10')),
    keystone_auth_enabled: supportedOnly ? fc.constant('false') : maybe(boolLabel),
    csi_cinder_availability_zone: maybe(fc.constantFrom('nova', 'az-1', '', 'zone_b')),
    csi_cinder_reclaim_policy: maybe(fc.constantFrom('Retain', 'Delete')),
    csi_cinder_volume_binding_mode: maybe(fc.constantFrom('WaitForFirstConsumer', 'Immediate')),
    csi_cinder_fstype: maybe(fc.constantFrom('ext4', 'xfs', '')),
    csi_cinder_allow_volume_expansion: maybe(boolLabel),
    octavia_provider: maybe(fc.constantFrom('amphora', 'ovn', 'octavia', 'amphorav2', 'f5')),
    octavia_lb_algorithm: maybe(fc.constantFrom('ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP', 'SOURCE_IP_PORT')),
    octavia_lb_healthcheck: maybe(boolLabel),
    master_lb_floating_ip_enabled: supportedOnly ? fc.constantFrom('true', 'yes') : maybe(boolLabel),
    // Also CIDRs inside the chart's default tenant pod (10.243.0.0/16) and Service (10.95.0.0/16) networks.
    fixed_subnet_cidr: maybe(supportedOnly ? fc.constantFrom('10.0.0.0/24', '192.168.10.0/24', '172.16.0.0/20')
      : fc.constantFrom('10.0.0.0/24', '192.168.10.0/24', '172.16.0.0/20', '10.243.8.0/24', '10.95.0.0/20')),
    api_master_lb_allowed_cidrs: maybe(fc.constantFrom('', '203.0.113.0/24', '203.0.113.0/24, 198.51.100.0/28', ',192.0.2.0/24,,')),
    extra_network_names: maybe(fc.constantFrom('', 'storage', 'storage data-net', 'cephfs.net')),
    extra_network_name: maybe(fc.constantFrom('', 'legacy-net')),
    boot_volume_type: maybe(fc.constantFrom('', 'ssd', 'High IOPS', 'ceph_HDD')),
    boot_volume_size: maybe(fc.constantFrom('0', '20', '50', 'ten')),
    capi_helm_chart_version: maybe(fc.constantFrom('1.0.0')),
    // Labels the driver never reads (Magnum still stores them).
    kube_tag: maybe(fc.constantFrom('v1.34.2')),
    availability_zone: maybe(fc.constantFrom('nova')),
  };
  return fc.record(entries).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Record<string, string>);
}

function nodeGroupsArb(opts: MagnumArbitraryOptions): fc.Arbitrary<MagnumNodeGroupInput[]> {
  const supportedOnly = opts.supportedOnly ?? false;
  const count = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 5 }), weight: 5 }, { arbitrary: fc.constantFrom(0, 20, 1000), weight: 1 });
  const counts = fc.record({
    nodeCount: count,
    minNodeCount: fc.oneof({ arbitrary: fc.constant(null), weight: 1 }, { arbitrary: fc.integer({ min: 0, max: 3 }), weight: 3 }),
    maxNodeCount: fc.oneof({ arbitrary: fc.constant(null), weight: 1 }, { arbitrary: fc.integer({ min: 1, max: 10 }), weight: 3 }),
  });
  const worker = (name: fc.Arbitrary<string>, isDefaultWorker: boolean) => fc.record({
    name, flavorId: novaNameArb, counts,
  }).map(({ name: n, flavorId, counts: c }): MagnumNodeGroupInput => ({ name: n, role: 'worker', isDefaultWorker, flavorId, ...c }));
  const master: MagnumNodeGroupInput = {
    name: 'default-master', role: 'master', isDefaultWorker: false, flavorId: 'm1.medium', nodeCount: 1, minNodeCount: 1, maxNodeCount: null,
  };
  return fc.tuple(
    fc.boolean(),
    worker(fc.constant('default-worker'), true),
    fc.array(worker(nodeGroupNameArb(supportedOnly), false), { maxLength: opts.maxExtraGroups ?? 4 }),
  ).map(([withDefault, def, extra]) => [master, ...(withDefault || extra.length === 0 ? [def] : []), ...extra]);
}

/** What Magnum feeds the driver, within what the chart's schema accepts. */
export function magnumInputsArb(opts: MagnumArbitraryOptions = {}): fc.Arbitrary<MagnumInputs> {
  const supportedOnly = opts.supportedOnly ?? false;
  return fc.record({
    clusterName: clusterNameArb,
    shortId: shortIdArb,
    projectId: hex(32),
    template: fc.record({
      imageId: uuidArb,
      kubeVersion: fc.constantFrom(...KUBE_VERSIONS),
      osDistro: supportedOnly ? fc.constant('ubuntu') : fc.constantFrom('ubuntu', 'ubuntu', 'flatcar'),
      externalNetworkId: typedUuidArb,
      dnsNameserver: fc.constantFrom(null, '8.8.8.8', '8.8.8.8,1.1.1.1', '9.9.9.9, 149.112.112.112'),
      networkDriver: fc.constantFrom(null, 'flannel', 'calico', 'cilium'),
      labels: labelsArb(supportedOnly),
    }),
    cluster: fc.record({
      keypair: fc.option(novaNameArb, { nil: null }),
      masterFlavorId: novaNameArb,
      masterCount: fc.constantFrom(1, 1, 3, 5, 9),
      fixedNetwork: fc.option(typedUuidArb, { nil: null }),
      fixedSubnet: fc.option(typedUuidArb, { nil: null }),
      labels: fc.oneof(labelsArb(supportedOnly), fc.constant({})),
    }),
    nodeGroups: nodeGroupsArb(opts),
    volumeTypes: fc.uniqueArray(volumeTypeArb, { minLength: 1, maxLength: 6 }),
    context: fc.record({ authUrl: fc.constantFrom('https://keystone.example.com/v3', 'http://10.0.0.5:5000', 'https://id.example.org:5000/v3/'), projectId: hex(32) }),
    conf: fc.record({
      csiCinderDefaultVolumeType: fc.constant(null),
      csiCinderAllowedTopologies: fc.constantFrom([], ['nova'], ['az-1', 'az-2']),
      cinderDefaultBootVolumeType: fc.constantFrom('', 'standard'),
      cinderDefaultBootVolumeSize: fc.constantFrom(0, 30),
    }),
  }).chain((inputs) => fc.option(fc.constantFrom(...inputs.volumeTypes), { nil: null })
    .map((csiCinderDefaultVolumeType) => ({ ...inputs, conf: { ...inputs.conf, csiCinderDefaultVolumeType } })));
}

/** The names a supported document must keep apart and short (see `supportedOnly`). */
function namesFit(doc: Doc, release: string): boolean {
  const groups = (doc.nodeGroups as Doc[]).map((g) => String(g.name));
  const deployments = groups.map((g) => sanitize(`${release}-${g}`));
  if (new Set(deployments).size !== deployments.length || deployments.some((d) => d.length > 63)) return false;
  const csi = (doc.addons as any).openstack.csiCinder;
  const classes = [csi.defaultStorageClass, ...csi.additionalStorageClasses].map((c: Doc) => String(c.name));
  return new Set(classes).size === classes.length;
}

/** Driver documents the chart's schema accepts (all of its optional keys, nulls, `"true"`, every CNI, …). */
export function magnumCaseArb(opts: MagnumArbitraryOptions = {}): fc.Arbitrary<MagnumCase> {
  return magnumInputsArb(opts)
    .map((inputs) => ({ inputs, document: driverDocument(inputs), release: releaseName(inputs.clusterName, inputs.shortId) }))
    .filter((c): c is { inputs: MagnumInputs; document: Doc; release: string } => !(c.document instanceof DriverRefusal))
    .filter((c) => !opts.supportedOnly || namesFit(c.document, c.release))
    .map(({ inputs, document, release }) => ({
      inputs, document, release, namespace: clusterNamespace(inputs.projectId), text: pythonJsonDumps(document),
    }));
}

// ---------------------------------------------------------------------------------------------
// Inputs the driver takes and the schema refuses
// ---------------------------------------------------------------------------------------------

/** A change to valid inputs that the driver turns into a document the schema refuses at `path`. */
export interface RefusedInput {
  readonly name: string;
  readonly change: (inputs: MagnumInputs) => MagnumInputs;
  /** The dotted value path an error must name (list items by index). */
  readonly path: string;
}

const withLabels = (labels: Record<string, string>) => (i: MagnumInputs): MagnumInputs => ({
  ...i, cluster: { ...i.cluster, labels: { ...i.cluster.labels, ...labels } },
});
const withoutAutoscaling = (i: MagnumInputs): MagnumInputs => withLabels({ auto_scaling_enabled: 'false' })(i);

export const REFUSED_INPUTS: readonly RefusedInput[] = [
  { name: 'kube_version with a vendor suffix (digits kept: 1.33.4.1)', path: 'kubernetesVersion',
    change: (i) => ({ ...i, template: { ...i.template, kubeVersion: 'v1.33.4-gke.1' } }) },
  { name: 'kube_version without digits', path: 'kubernetesVersion', change: (i) => ({ ...i, template: { ...i.template, kubeVersion: 'latest' } }) },
  { name: 'csi_cinder_reclaim_policy in lowercase', path: 'addons.openstack.csiCinder.defaultStorageClass.reclaimPolicy',
    change: withLabels({ csi_cinder_reclaim_policy: 'retain' }) },
  { name: 'csi_cinder_volume_binding_mode unknown', path: 'addons.openstack.csiCinder.defaultStorageClass.volumeBindingMode',
    change: withLabels({ csi_cinder_volume_binding_mode: 'Later' }) },
  { name: 'csi_cinder_fstype btrfs', path: 'addons.openstack.csiCinder.defaultStorageClass.fstype', change: withLabels({ csi_cinder_fstype: 'btrfs' }) },
  { name: 'csi_cinder_availability_zone with a space', path: 'addons.openstack.csiCinder.defaultStorageClass.availabilityZone',
    change: withLabels({ csi_cinder_availability_zone: 'zone a' }) },
  { name: 'csi_cinder_allowed_topologies with a space', path: 'addons.openstack.csiCinder.defaultStorageClass.allowedTopologies.0',
    change: (i) => ({ ...i, conf: { ...i.conf, csiCinderAllowedTopologies: ['zone a'] } }) },
  { name: 'a Cinder volume type without a letter or digit (name "")', path: 'addons.openstack.csiCinder.defaultStorageClass.name',
    change: (i) => ({ ...i, volumeTypes: ['高速'], conf: { ...i.conf, csiCinderDefaultVolumeType: null } }) },
  { name: '33 Cinder volume types (the openstack-cinder-csi-node chart takes 32 StorageClasses)', path: 'addons.openstack.csiCinder.additionalStorageClasses',
    change: (i) => ({ ...i, volumeTypes: Array.from({ length: 33 }, (_, n) => `type-${n}`), conf: { ...i.conf, csiCinderDefaultVolumeType: null } }) },
  { name: 'octavia_provider unknown to the tenant cloud-controller-manager', path: 'addons.openstack.cloudConfig.LoadBalancer.lb-provider',
    change: withLabels({ octavia_provider: 'vmwareedge' }) },
  { name: 'octavia_lb_algorithm unknown', path: 'addons.openstack.cloudConfig.LoadBalancer.lb-method', change: withLabels({ octavia_lb_algorithm: 'RANDOM' }) },
  { name: 'octavia_lb_algorithm set empty (the driver sends "")', path: 'addons.openstack.cloudConfig.LoadBalancer.lb-method',
    change: withLabels({ octavia_lb_algorithm: '' }) },
  { name: 'api_master_lb_allowed_cidrs with an address, no prefix', path: 'apiServer.allowedCidrs.0',
    change: withLabels({ api_master_lb_allowed_cidrs: '203.0.113.7' }) },
  { name: 'api_master_lb_allowed_cidrs with IPv6', path: 'apiServer.allowedCidrs.1',
    change: withLabels({ api_master_lb_allowed_cidrs: '203.0.113.0/24,2001:db8::/32' }) },
  { name: 'api_master_lb_allowed_cidrs entry the sanitizer empties', path: 'apiServer.allowedCidrs.0', change: withLabels({ api_master_lb_allowed_cidrs: '%%' }) },
  { name: 'boot_volume_size negative', path: 'controlPlane.machineRootVolume.diskSize', change: withLabels({ boot_volume_size: '-5' }) },
  { name: 'extra_network_names with two spaces (an empty name)', path: 'nodeGroupDefaults.machineNetworking.ports.2.network.name',
    change: withLabels({ extra_network_names: 'storage  data' }) },
  { name: 'fixed_subnet_cidr without a prefix', path: 'clusterNetworking.internalNetwork.nodeCidr', change: withLabels({ fixed_subnet_cidr: '10.0.0.0' }) },
  { name: 'dns_nameserver twice the same', path: 'clusterNetworking.dnsNameservers',
    change: (i) => ({ ...i, template: { ...i.template, dnsNameserver: '8.8.8.8,8.8.8.8' } }) },
  { name: 'fixed_network as a UUID without dashes (passed verbatim)', path: 'clusterNetworking.internalNetwork.networkFilter',
    change: (i) => ({ ...i, cluster: { ...i.cluster, fixedNetwork: '1e2f3a4b5c6d4e7f8a9b0c1d2e3f4a5b' } }) },
  { name: 'master_count 11', path: 'controlPlane.machineCount', change: (i) => ({ ...i, cluster: { ...i.cluster, masterCount: 11 } }) },
  { name: 'a node group of 1001 nodes', path: 'nodeGroups.0.machineCount',
    change: (i) => withoutAutoscaling({ ...i, nodeGroups: i.nodeGroups.map((g) => (g.role === 'worker' ? { ...g, nodeCount: 1001 } : g)) }) },
  { name: 'a node group name without a letter or digit (name "")', path: 'nodeGroups.0.name',
    change: (i) => ({ ...i, nodeGroups: i.nodeGroups.map((g) => (g.role === 'worker' ? { ...g, name: '___' } : g)) }) },
];
