/**
 * Cost per tenant: the CPU and memory REQUESTS of everything a tenant-cluster release runs in the
 * management cluster, from the rendered objects (what the scheduler reserves, not what is used):
 * - the control plane: per KamajiControlPlane replica, apiServer + controllerManager + scheduler (+ the
 *   Konnectivity server when `spec.addons.konnectivity` is rendered, + every `spec.deployment.extraContainers`
 *   entry such as the VPN sidecar, + what `extraInitContainers` add by the scheduler's max rule), times
 *   `spec.replicas` (Kamaji's default: 2);
 * - every Deployment, StatefulSet and DaemonSet: the effective pod request times replicas (a DaemonSet
 *   counts one pod: per management node, which the chart cannot know). The effective pod request is the
 *   scheduler's: max(max over init containers, sum over containers), with native sidecars (init
 *   containers with `restartPolicy: Always`) added to the containers and to every init container after them.
 * Flux HelmReleases run in the tenant, on the tenant's nodes: not counted.
 */
import { parseQuantity, workloadsOf } from '../test/harness/management-invariants';
import { K8sObject } from '../test/harness/objects';

/** CPU in cores, memory in bytes. */
export interface Requests { cpu: number; memory: number }

export interface CostItem {
  /** `Kind/name` or `KamajiControlPlane/name: apiServer`. */
  what: string;
  /** Pods (replicas) the per-pod requests are multiplied by. */
  pods: number;
  perPod: Requests;
  total: Requests;
  /** Requests the item lacks (counted as 0). */
  missing: string[];
}

export interface TenantCost {
  objects: number;
  controlPlane: Requests;
  workloads: Requests;
  total: Requests;
  items: CostItem[];
}

const ZERO: Requests = { cpu: 0, memory: 0 };
const plus = (a: Requests, b: Requests): Requests => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory });
const times = (a: Requests, n: number): Requests => ({ cpu: a.cpu * n, memory: a.memory * n });
const max = (a: Requests, b: Requests): Requests => ({ cpu: Math.max(a.cpu, b.cpu), memory: Math.max(a.memory, b.memory) });

/** The requests of one container's `resources` (absent ones are 0 and listed in `missing` as `<label>.<resource>`). */
function requestsOf(resources: any, label: string, missing: string[]): Requests {
  const get = (r: 'cpu' | 'memory') => {
    const q = resources?.requests?.[r];
    if (q === undefined || q === null || q === '') {
      missing.push(`${label}.${r}`);
      return 0;
    }
    return parseQuantity(q);
  };
  return { cpu: get('cpu'), memory: get('memory') };
}

/** The scheduler's view of a pod spec's requests. */
export function effectivePodRequests(podSpec: any, missing: string[] = []): Requests {
  let sidecars = ZERO;
  let initMax = ZERO;
  for (const c of podSpec?.initContainers ?? []) {
    const r = requestsOf(c.resources, `initContainers[${c.name}]`, missing);
    if (c.restartPolicy === 'Always') {
      sidecars = plus(sidecars, r);
      initMax = max(initMax, sidecars);
    } else {
      initMax = max(initMax, plus(sidecars, r));
    }
  }
  const containers = (podSpec?.containers ?? []).reduce(
    (sum: Requests, c: any) => plus(sum, requestsOf(c.resources, `containers[${c.name}]`, missing)), ZERO);
  return max(initMax, plus(sidecars, containers));
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const CONTROL_PLANE_PARTS: Array<[string, (spec: any) => any]> = [
  ['apiServer', (s) => s?.apiServer?.resources],
  ['controllerManager', (s) => s?.controllerManager?.resources],
  ['scheduler', (s) => s?.scheduler?.resources],
];
/** KamajiControlPlane `spec.replicas` default (CRD). */
const KAMAJI_DEFAULT_REPLICAS = 2;

/** Sums the management-side requests of a rendered release. */
export function tenantCost(objects: readonly K8sObject[]): TenantCost {
  const items: CostItem[] = [];
  let controlPlane = ZERO;
  let workloads = ZERO;
  for (const o of objects.filter((x) => x?.kind === 'KamajiControlPlane')) {
    const replicas = Number(o.spec?.replicas ?? KAMAJI_DEFAULT_REPLICAS);
    const parts = [...CONTROL_PLANE_PARTS];
    if (o.spec?.addons?.konnectivity !== undefined && o.spec?.addons?.konnectivity !== null) {
      parts.push(['konnectivity server', (s) => s?.addons?.konnectivity?.server?.resources]);
    }
    for (const [part, resources] of parts) {
      const missing: string[] = [];
      const perPod = requestsOf(resources(o.spec), part, missing);
      const total = times(perPod, replicas);
      items.push({ what: `KamajiControlPlane/${o.metadata?.name}: ${part}`, pods: replicas, perPod, total, missing });
      controlPlane = plus(controlPlane, total);
    }
    // Containers added to the control plane pod (the VPN sidecar): each its own item.
    let podContainers = parts.reduce((sum, [, resources]) => plus(sum, requestsOf(resources(o.spec), '', [])), ZERO);
    for (const c of o.spec?.deployment?.extraContainers ?? []) {
      const missing: string[] = [];
      const perPod = requestsOf(c.resources, `extraContainers[${c.name}]`, missing);
      const total = times(perPod, replicas);
      items.push({ what: `KamajiControlPlane/${o.metadata?.name}: extraContainers[${c.name}]`, pods: replicas, perPod, total, missing });
      controlPlane = plus(controlPlane, total);
      podContainers = plus(podContainers, perPod);
    }
    // Init containers count only where they need more than the pod's containers (the scheduler's max rule).
    const initContainers = o.spec?.deployment?.extraInitContainers ?? [];
    if (initContainers.length > 0) {
      const missing: string[] = [];
      const pod = effectivePodRequests({ initContainers, containers: [] }, missing);
      const perPod = { cpu: Math.max(0, pod.cpu - podContainers.cpu), memory: Math.max(0, pod.memory - podContainers.memory) };
      const total = times(perPod, replicas);
      items.push({ what: `KamajiControlPlane/${o.metadata?.name}: extraInitContainers (beyond the containers)`, pods: replicas, perPod, total, missing });
      controlPlane = plus(controlPlane, total);
    }
  }
  // A DaemonSet counts one pod (per management node, which the chart cannot know): workloadsOf gives it 1 replica.
  for (const w of workloadsOf(objects).filter((x) => WORKLOAD_KINDS.has(x.object.kind))) {
    const o = w.object;
    const missing: string[] = [];
    const perPod = effectivePodRequests(w.podSpec, missing);
    const total = times(perPod, w.replicas);
    items.push({ what: `${o.kind}/${o.metadata?.name}${o.kind === 'DaemonSet' ? ' (per node)' : ''}`, pods: w.replicas, perPod, total, missing });
    workloads = plus(workloads, total);
  }
  return { objects: objects.length, controlPlane, workloads, total: plus(controlPlane, workloads), items };
}

export const GiB = 2 ** 30;
export const MiB = 2 ** 20;

/** Targets of DESIGN / the product: an HA tenant within 0.5 cores and 2.5 GiB; Cozystack's default tenant for comparison. */
export const COST_TARGETS = {
  ha: { cores: 0.5, memoryGiB: 2.5, label: 'HA target' },
  cozystack: { cores: 0.8, memoryGiB: 5, label: "Cozystack's default tenant (approx.)" },
} as const;

/**
 * The Deployments of the cloud integration a tenant runs in the management cluster, by provider: KubeVirt's
 * cloud-controller-manager and CSI controller (`addons.cloudControllerManager`, `addons.csi`), or OpenStack's
 * cloud-controller-manager and Cinder CSI controller (`addons.openstack.*`). Named `<cluster>-<component>`
 * (ManagementWorkload.nameOf).
 */
export const CLOUD_INTEGRATION_COMPONENTS = {
  kubevirt: ['cloud-controller-manager', 'csi-controller'],
  openstack: ['openstack-cloud-controller-manager', 'cinder-csi-controller'],
} as const;

/** The cost items of a tenant's cloud integration: the provider's controller Deployments (those rendered). */
export function cloudIntegrationCost(cost: TenantCost, cluster: string): { provider: keyof typeof CLOUD_INTEGRATION_COMPONENTS; items: CostItem[] } {
  const itemsOf = (provider: keyof typeof CLOUD_INTEGRATION_COMPONENTS) => CLOUD_INTEGRATION_COMPONENTS[provider]
    .flatMap((c) => cost.items.filter((i) => i.what === `Deployment/${cluster}-${c}`));
  const openstack = itemsOf('openstack');
  return openstack.length > 0 ? { provider: 'openstack', items: openstack } : { provider: 'kubevirt', items: itemsOf('kubevirt') };
}
