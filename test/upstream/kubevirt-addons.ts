/**
 * What the pinned KubeVirt addons read, derived by hand from their source (no upstream text copied): the
 * flags each binary defines and the configuration keys it parses, with where each list was read. Tests
 * check every flag and key the chart renders against these lists, so a flag that does not exist at the
 * pinned version, or a misspelt key that the component would silently ignore, fails a test.
 */

/** A configuration key path and the Go type it decodes into. */
export type KeyType = 'string' | 'bool' | 'int' | 'map' | 'list';

/**
 * kubevirt/cloud-provider-kubevirt tag v0.6.0 (commit 37201f6c, 2026-01-26).
 * - cloud-config: `pkg/provider/cloud.go` structs CloudConfig, LoadBalancerConfig, InstancesV2Config (yaml tags),
 *   decoded with gopkg.in/yaml.v2 `Unmarshal`, which ignores unknown keys.
 * - flags: vendored k8s.io/cloud-provider v0.34.3 `options/` (cloudprovider.go, options.go, kubecloudshared.go),
 *   k8s.io/apiserver v0.34.3 `pkg/server/options/` (authentication.go, authorization.go, serving.go),
 *   k8s.io/component-base v0.34.3 `config/options/leaderelectionconfig.go`, k8s.io/controller-manager
 *   `options/generic.go`; only the flags this chart may use are listed.
 */
export const KUBEVIRT_CCM_V0_6_0 = {
  cloudConfigKeys: {
    'kubeconfig': 'string',
    'namespace': 'string',
    'infraLabels': 'map',
    'loadBalancer.enabled': 'bool',
    'loadBalancer.creationPollInterval': 'int',
    'loadBalancer.creationPollTimeout': 'int',
    'loadBalancer.selectorless': 'bool',
    'loadBalancer.enableEPSController': 'bool',
    'instancesV2.enabled': 'bool',
    'instancesV2.zoneAndRegionEnabled': 'bool',
  } as Record<string, KeyType>,
  flags: [
    'cloud-provider', 'cloud-config', 'kubeconfig', 'cluster-name', 'allow-untagged-cloud', 'controllers',
    'authentication-kubeconfig', 'authorization-kubeconfig', 'cert-dir', 'bind-address', 'secure-port',
    'leader-elect', 'v',
  ],
};

/**
 * kubevirt/csi-driver HEAD 27b52aa2 (2026-06-24; the project has no tags, the image is Kubermatic's build `v0.4.5`).
 * - flags: `cmd/kubevirt-csi-driver/kubevirt-csi-driver.go` parseConfig (fs.StringVar/BoolVar), plus klog's `v`.
 * - INFRA_STORAGE_CLASS_ENFORCEMENT: read by parseConfig with os.Getenv, decoded with gopkg.in/yaml.v2 into
 *   `pkg/util/util.go` StorageClassEnforcement (present since cc71b72b, 2022-11; storageSnapshotMapping since
 *   4f94084b, 2024-04).
 */
export const KUBEVIRT_CSI_DRIVER = {
  flags: [
    'endpoint', 'node-name', 'infra-cluster-namespace', 'infra-cluster-kubeconfig', 'infra-cluster-labels', 'volume-prefix',
    'tenant-cluster-kubeconfig', 'run-node-service', 'run-controller-service', 'v',
  ],
  storageClassEnforcementKeys: {
    allowList: 'list',
    allowAll: 'bool',
    allowDefault: 'bool',
    storageSnapshotMapping: 'list',
  } as Record<string, KeyType>,
  /** `pkg/util/util.go` StorageSnapshotMapping. */
  storageSnapshotMappingKeys: { volumeSnapshotClasses: 'list', storageClasses: 'list' } as Record<string, KeyType>,
  /** The prefix the controller gives DataVolumes and checks before touching one (`--volume-prefix`, default "pvc"). */
  volumePrefix: 'pvc',
};

/**
 * kubernetes-csi/external-snapshotter tag v8.6.0 (commit 78e32cd8, 2026-05-28): `cmd/csi-snapshotter/main.go`
 * flags and the vendored kubernetes-csi/csi-lib-utils `standardflags/flags.go` RegisterCommonFlags.
 */
export const CSI_SNAPSHOTTER_V8_6_0 = {
  flags: [
    'resync-period', 'snapshot-name-prefix', 'snapshot-name-uuid-length', 'worker-threads', 'timeout', 'extra-create-metadata',
    'retry-interval-start', 'retry-interval-max', 'node-deployment', 'groupsnapshot-name-prefix', 'groupsnapshot-name-uuid-length',
    'feature-gates', 'version', 'kubeconfig', 'csi-address', 'leader-election', 'leader-election-namespace',
    'leader-election-lease-duration', 'leader-election-renew-deadline', 'leader-election-retry-period', 'leader-election-labels',
    'kube-api-qps', 'kube-api-burst', 'http-endpoint', 'metrics-address', 'metrics-path', 'v',
  ],
};

/** The flag names of `--name=value` / `--name` arguments. */
export function flagNames(args: readonly string[]): string[] {
  return args.map((a) => /^--([^=]+)/.exec(a)?.[1] ?? `<not a flag: ${a}>`);
}

/** Every leaf key path of a parsed YAML/JSON document with the type of its value; maps listed as leaves where `mapPaths` says so. */
export function keyPaths(doc: unknown, mapPaths: ReadonlySet<string> = new Set(), prefix = ''): Record<string, KeyType> {
  const out: Record<string, KeyType> = {};
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return out;
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) out[p] = 'list';
    else if (v !== null && typeof v === 'object') {
      if (mapPaths.has(p)) out[p] = 'map';
      else Object.assign(out, keyPaths(v, mapPaths, p));
    } else if (typeof v === 'boolean') out[p] = 'bool';
    else if (typeof v === 'number') out[p] = Number.isInteger(v) ? 'int' : 'string';
    else out[p] = 'string';
  }
  return out;
}
