/**
 * OpenStack cloud integration per Kubernetes minor: the OpenStack cloud-controller-manager and the Cinder
 * CSI plugin of kubernetes/cloud-provider-openstack, whose release line follows the Kubernetes minor
 * (v1.<minor>.x is built against k8s.io/* v0.<minor>.x, see its go.mod). The sourced table; the support
 * matrix (src/support-matrix.ts) takes `occmImage`, `cinderCsiPluginImage` and `cinderNodeServiceNoOsClient` from
 * it, so templates read them with `kubernetesSupport` like every other per-minor pin.
 *
 * Every pin records where it was read: the image tags are those of upstream's own manifests at the git
 * tag (manifests/controller-manager/openstack-cloud-controller-manager-ds.yaml and
 * manifests/cinder-csi-plugin/cinder-csi-{controllerplugin,nodeplugin}.yaml); the tag is the newest patch
 * release of the line (1.31–1.35; v1.36.0 exists too, but the support matrix stops at 1.35).
 * test/openstack-support.test.ts checks the table against test/data/openstack/upstream.json, which
 * projenrc/extract-openstack-upstream.mjs derives from those files.
 */
// No import of the support matrix: it imports this table.

/** Where a pin was read. */
export interface PinSource {
  readonly repository: string;
  readonly tag: string;
  readonly commit: string;
  readonly files: readonly string[];
}

/** The CSI sidecar images upstream's manifests pair with the plugin at that tag (informational: our sidecars are values). */
export interface UpstreamSidecarPins {
  readonly nodeDriverRegistrar: string;
  readonly livenessProbe: string;
  readonly attacher: string;
  readonly provisioner: string;
  readonly resizer: string;
  readonly snapshotter: string;
}

export interface OpenStackMinorSupport {
  /** cloud-provider-openstack release (git tag) of this minor. */
  readonly cloudProviderOpenStackVersion: string;
  /** The OpenStack cloud-controller-manager image. */
  readonly occmImage: string;
  /** The Cinder CSI plugin image (controller in the management cluster, node plugin in the tenant). */
  readonly cinderCsiPluginImage: string;
  /**
   * Whether the node plugin needs `--node-service-no-os-client=true` to run without credentials: in v1.31 the
   * node service builds an OpenStack client from `[Global]` unless told not to
   * (cmd/cinder-csi-plugin/main.go `GetOpenStackProvider(cloudName, noClient)`); from v1.32 it reads only the
   * config files and the flag is deprecated ("Node service do not use OpenStack credentials anymore").
   */
  readonly cinderNodeServiceNoOsClient: boolean;
  readonly upstreamSidecars: UpstreamSidecarPins;
  readonly source: PinSource;
}

const REPOSITORY = 'kubernetes/cloud-provider-openstack';
const FILES = [
  'manifests/controller-manager/openstack-cloud-controller-manager-ds.yaml',
  'manifests/cinder-csi-plugin/cinder-csi-controllerplugin.yaml',
  'manifests/cinder-csi-plugin/cinder-csi-nodeplugin.yaml',
];
const SIG_STORAGE = 'registry.k8s.io/sig-storage';

const minor = (tag: string, commit: string, noClient: boolean, sidecars: [string, string, string, string, string, string]): OpenStackMinorSupport => ({
  cloudProviderOpenStackVersion: tag,
  occmImage: `registry.k8s.io/provider-os/openstack-cloud-controller-manager:${tag}`,
  cinderCsiPluginImage: `registry.k8s.io/provider-os/cinder-csi-plugin:${tag}`,
  cinderNodeServiceNoOsClient: noClient,
  upstreamSidecars: {
    nodeDriverRegistrar: `${SIG_STORAGE}/csi-node-driver-registrar:${sidecars[0]}`,
    livenessProbe: `${SIG_STORAGE}/livenessprobe:${sidecars[1]}`,
    attacher: `${SIG_STORAGE}/csi-attacher:${sidecars[2]}`,
    provisioner: `${SIG_STORAGE}/csi-provisioner:${sidecars[3]}`,
    resizer: `${SIG_STORAGE}/csi-resizer:${sidecars[4]}`,
    snapshotter: `${SIG_STORAGE}/csi-snapshotter:${sidecars[5]}`,
  },
  source: { repository: REPOSITORY, tag, commit, files: FILES },
});

/** Per Kubernetes minor (the same minors as the support matrix). */
export const OPENSTACK_SUPPORT: Readonly<Record<string, OpenStackMinorSupport>> = {
  '1.31': minor('v1.31.4', '492a867ab1d7207cfc4c6abd60d5b91ba67ab8d7', true, ['v2.9.2', 'v2.11.0', 'v4.4.2', 'v3.6.2', 'v1.9.2', 'v6.3.2']),
  '1.32': minor('v1.32.1', '8045e16064e73d9ee965ecedd40490cba640720e', false, ['v2.12.0', 'v2.14.0', 'v4.7.0', 'v5.1.0', 'v1.12.0', 'v8.1.0']),
  '1.33': minor('v1.33.1', '84f9746289f5ac160351c1e9ddd2ff522cfcd22e', false, ['v2.12.0', 'v2.14.0', 'v4.7.0', 'v5.1.0', 'v1.12.0', 'v8.1.0']),
  '1.34': minor('v1.34.1', '63ec67a04b40fee4ff43fec11c3d31f2a90c9ad2', false, ['v2.15.0', 'v2.17.0', 'v4.10.0', 'v5.3.0', 'v1.14.0', 'v8.3.0']),
  '1.35': minor('v1.35.0', 'a031201ff26f3df433192b91df2be0e7d50acb70', false, ['v2.15.0', 'v2.17.0', 'v4.10.0', 'v5.3.0', 'v1.14.0', 'v8.4.0']),
};
