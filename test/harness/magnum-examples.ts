/**
 * The situations of examples/magnum/: what Magnum feeds the driver for each, and the document the driver's
 * `_update_helm_release` builds from it (the port in magnum-arbitrary.ts), written as the driver pipes it
 * (`json.dumps`, one line, its key order). test/magnum-chart.test.ts checks that every file is exactly that document
 * and renders it. Regenerate after changing a situation:
 *
 *     npx ts-node --transpile-only -P test/tsconfig.json test/harness/magnum-examples.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { clusterNamespace, Doc, driverDocument, DriverRefusal, MagnumInputs, pythonJsonDumps, releaseName } from './magnum-arbitrary';

export const MAGNUM_EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples', 'magnum');

export interface MagnumExample {
  /** File under examples/magnum/ (without `.json`). */
  readonly name: string;
  /** What it shows. */
  readonly situation: string;
  readonly inputs: MagnumInputs;
  /** Values an operator sets by republishing the chart (`site`), needed by this situation. @default - none */
  readonly site?: Doc;
}

const PROJECT = '9f3c2a7be41d4c0f8a6e5d2b1c0a7f93';
const IMAGE = '3f6a1b2c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const EXTERNAL_NETWORK = '1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b';

function inputs(overrides: {
  clusterName?: string; shortId?: string; labels?: Record<string, string>; networkDriver?: string | null; dnsNameserver?: string | null;
  keypair?: string | null; masterCount?: number; fixedNetwork?: string | null; fixedSubnet?: string | null; volumeTypes?: string[];
  defaultVolumeType?: string | null; allowedTopologies?: string[]; workers?: MagnumInputs['nodeGroups']; kubeVersion?: string; imageId?: string;
}): MagnumInputs {
  return {
    clusterName: overrides.clusterName ?? 'demo',
    shortId: overrides.shortId ?? 'k3v7q2xhm4pa',
    projectId: PROJECT,
    template: {
      imageId: overrides.imageId ?? IMAGE,
      kubeVersion: overrides.kubeVersion ?? 'v1.34.2',
      osDistro: 'ubuntu',
      externalNetworkId: EXTERNAL_NETWORK,
      dnsNameserver: overrides.dnsNameserver === undefined ? '8.8.8.8' : overrides.dnsNameserver,
      networkDriver: overrides.networkDriver === undefined ? 'flannel' : overrides.networkDriver,
      labels: overrides.labels ?? {},
    },
    cluster: {
      keypair: overrides.keypair === undefined ? null : overrides.keypair,
      masterFlavorId: 'm1.medium',
      masterCount: overrides.masterCount ?? 1,
      fixedNetwork: overrides.fixedNetwork ?? null,
      fixedSubnet: overrides.fixedSubnet ?? null,
      labels: {},
    },
    nodeGroups: [
      { name: 'default-master', role: 'master', isDefaultWorker: false, flavorId: 'm1.medium', nodeCount: overrides.masterCount ?? 1, minNodeCount: 1, maxNodeCount: null },
      ...(overrides.workers ?? [{ name: 'default-worker', role: 'worker', isDefaultWorker: true, flavorId: 'm1.large', nodeCount: 2, minNodeCount: 1, maxNodeCount: null }]),
    ],
    volumeTypes: overrides.volumeTypes ?? ['__DEFAULT__'],
    context: { authUrl: 'https://keystone.example.com/v3', projectId: PROJECT },
    conf: {
      csiCinderDefaultVolumeType: overrides.defaultVolumeType ?? null,
      csiCinderAllowedTopologies: overrides.allowedTopologies ?? [],
      cinderDefaultBootVolumeType: '',
      cinderDefaultBootVolumeSize: 0,
    },
  };
}

const worker = (name: string, flavorId: string, nodeCount: number, min: number | null = null, max: number | null = null): MagnumInputs['nodeGroups'][number] => ({
  name, role: 'worker', isDefaultWorker: name === 'default-worker', flavorId, nodeCount, minNodeCount: min, maxNodeCount: max,
});

export const MAGNUM_EXAMPLES: readonly MagnumExample[] = [
  { name: 'minimal', situation: 'a template with Magnum\'s defaults: network_driver flannel (installed as Calico), one worker group, no key pair, the project\'s one volume type',
    inputs: inputs({}) },
  { name: 'existing-network', situation: 'the cluster on an existing network and subnet (fixed_network, fixed_subnet), no DNS servers, a key pair',
    inputs: inputs({ clusterName: 'on-net', shortId: 'q4x7m2pa5bce', fixedNetwork: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d', fixedSubnet: '6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e',
      dnsNameserver: null, keypair: 'ops' }) },
  { name: 'autoscaled', situation: 'auto_scaling_enabled with min_node_count/max_node_count for the default group and a second group with its own bounds, auto-healing off',
    inputs: inputs({ clusterName: 'elastic', shortId: 'b7c2d4e6f3a5', labels: { auto_scaling_enabled: 'true', min_node_count: '1', max_node_count: '5', auto_healing_enabled: 'false' },
      workers: [worker('default-worker', 'm1.large', 2, 1), worker('gpu', 'gpu.a100', 1, 1, 4)] }) },
  { name: 'extra-networks', situation: 'extra_network_names with two networks, boot volumes (boot_volume_type, boot_volume_size)',
    inputs: inputs({ clusterName: 'storage', shortId: 'c3d5e7f2a4b6', labels: { extra_network_names: 'storage data-net', boot_volume_type: 'ssd', boot_volume_size: '40' } }) },
  { name: 'volume-types', situation: 'three Cinder volume types, the configured default not the first, allowed topologies, label-driven StorageClass parameters',
    inputs: inputs({ clusterName: 'volumes', shortId: 'd4e6f2a3b5c7', volumeTypes: ['__DEFAULT__', 'ceph_HDD', 'NVMe.Fast'], defaultVolumeType: 'ceph_HDD', allowedTopologies: ['nova'],
      labels: { csi_cinder_reclaim_policy: 'Delete', csi_cinder_fstype: 'xfs', csi_cinder_volume_binding_mode: 'Immediate', csi_cinder_availability_zone: '' } }) },
  { name: 'allowed-cidrs', situation: 'api_master_lb_allowed_cidrs (the operator set site.workerEgressCidrs and the management egress)',
    inputs: inputs({ clusterName: 'locked', shortId: 'e5f7a2b4c6d3', labels: { api_master_lb_allowed_cidrs: '203.0.113.0/24,198.51.100.0/28' } }),
    site: { workerEgressCidrs: ['192.0.2.0/24'], managementCluster: { egressCidrs: ['198.51.100.200/32'] } } },
  { name: 'calico', situation: 'network_driver calico, the ovn Octavia provider (its SOURCE_IP_PORT default), no health monitors',
    inputs: inputs({ clusterName: 'calico', shortId: 'f6a2b3c5d7e4', networkDriver: 'calico', labels: { octavia_provider: 'ovn', octavia_lb_healthcheck: 'false' } }) },
  { name: 'cilium', situation: 'network_driver cilium (kube-proxy replaced), three control plane replicas, flavors by ID',
    inputs: inputs({ clusterName: 'cilium', shortId: 'a2b4c6d3e5f7', networkDriver: 'cilium', masterCount: 3,
      workers: [worker('default-worker', '7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f', 2)] }) },
  { name: 'long-names', situation: 'the longest release (a 32-character cluster name: 30 characters kept, ending in "-", so the release holds "--") and a node group whose MachineDeployment name is exactly 63 characters',
    inputs: inputs({ clusterName: 'production-kubernetes-cluster-01', shortId: 'g7h2j3k4m5n6', workers: [worker('default-worker', 'm1.large', 2), worker('twenty-character-grp', 'm1.large', 1)] }) },
];

/** The driver's document for an example (the port refuses nothing here). */
export function exampleDocument(e: MagnumExample): Doc {
  const doc = driverDocument(e.inputs);
  if (doc instanceof DriverRefusal) throw new Error(`${e.name}: the driver refuses: ${doc.reason}`);
  return doc;
}

/** The release and namespace the driver calls Helm with for an example. */
export function exampleRelease(e: MagnumExample): { release: string; namespace: string } {
  return { release: releaseName(e.inputs.clusterName, e.inputs.shortId), namespace: clusterNamespace(e.inputs.projectId) };
}

/** The file text: `json.dumps(document)` and a line break. */
export function exampleText(e: MagnumExample): string {
  return `${pythonJsonDumps(exampleDocument(e))}\n`;
}

if (require.main === module) {
  fs.mkdirSync(MAGNUM_EXAMPLES_DIR, { recursive: true });
  for (const e of MAGNUM_EXAMPLES) {
    fs.writeFileSync(path.join(MAGNUM_EXAMPLES_DIR, `${e.name}.json`), exampleText(e));
    // eslint-disable-next-line no-console
    console.log(`wrote examples/magnum/${e.name}.json (release ${exampleRelease(e).release})`);
  }
}
