/**
 * The version lines of the tenant-cluster chart (DESIGN.md §6), for tests that run on both: 1.x (`v1beta1`,
 * charts/tenant-cluster) and 2.x (`v1beta2`, charts/tenant-cluster-v2).
 */
import * as path from 'path';
import { CHARTS, chartDirectory, isServed } from '../../src/charts';
import { ApiTarget, apiKind, TargetedKind } from '../../src/constructs/core/api-shapes';
import { REPO_ROOT } from './helm';
import { K8sObject } from './objects';

export interface ChartLineUnderTest {
  /** Directory under charts/, and the chart name for `renderChart`. */
  readonly chart: string;
  readonly chartDir: string;
  readonly version: string;
  readonly target: ApiTarget;
  readonly served: boolean;
}

/** tenant-cluster's lines, oldest first. */
export const TENANT_CLUSTER_LINES: readonly ChartLineUnderTest[] = Object.values(CHARTS)
  .filter((def) => def.name === 'tenant-cluster')
  .map((def) => ({
    chart: chartDirectory(def),
    chartDir: path.join(REPO_ROOT, 'charts', chartDirectory(def)),
    version: def.version,
    target: def.apiTarget!,
    served: isServed(def),
  }));

/**
 * The kinds line 2.x still renders in their v1beta1 shape: the node groups, whose constructs phase 2 of issue 12
 * moves onto the shape functions. While this list is not empty, line 2.x is a preview (not served); the tests
 * hold the two together and fail when an object leaves or joins the list unannounced.
 */
export const PENDING_V1BETA2_KINDS: readonly TargetedKind[] = [];

const TARGETED_KINDS: readonly TargetedKind[] = ['Cluster', 'MachineDeployment', 'MachineHealthCheck', 'KubeadmConfigTemplate', 'KamajiControlPlane'];
const TARGETED_GROUPS = new Set(TARGETED_KINDS.map((k) => apiKind('v1beta1', k).apiVersion.split('/')[0]));

/**
 * Objects of a targeted group (Cluster API core and bootstrap, the Kamaji provider) whose apiVersion is not the
 * target's version of their kind, as `Kind/name apiVersion`. Cluster API 1.13 still serves (deprecated) v1beta1,
 * so schema validity alone would let a 2.x object at v1beta1 through.
 */
export function offTargetObjects(objects: readonly K8sObject[], target: ApiTarget): string[] {
  return objects
    .filter((o) => TARGETED_GROUPS.has(String(o.apiVersion).split('/')[0]))
    .filter((o) => !(TARGETED_KINDS as readonly string[]).includes(o.kind) || o.apiVersion !== apiKind(target, o.kind as TargetedKind).apiVersion)
    .map((o) => `${o.kind}/${o.metadata.name} ${o.apiVersion}`)
    .sort();
}
