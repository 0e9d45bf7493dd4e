import { ChartDefinition, chartDirectory, chartLines, isServed } from './chart-definition';
import { KUBEVIRT_CSI_NODE_CHART } from './kubevirt-csi-node';
import { MAGNUM_TENANT_CLUSTER_CHART } from './magnum-tenant-cluster';
import { OPENSTACK_CINDER_CSI_NODE_CHART } from './openstack-cinder-csi-node';
import { TENANT_CLUSTER_CHART } from './tenant-cluster';
import { TENANT_VPN_SERVER_CHART } from './tenant-vpn-server';

export * from './chart-definition';

/**
 * Every chart version line the generator writes, by directory under `charts/` (the chart name, or the line's own
 * directory such as `tenant-cluster-v2`): what the CLI's `--chart` and `renderChart` take.
 */
export const CHARTS: Readonly<Record<string, ChartDefinition>> = Object.fromEntries(
  [TENANT_CLUSTER_CHART, KUBEVIRT_CSI_NODE_CHART, OPENSTACK_CINDER_CSI_NODE_CHART, TENANT_VPN_SERVER_CHART, MAGNUM_TENANT_CLUSTER_CHART]
    .flatMap(chartLines)
    .map((def) => [chartDirectory(def), def]),
);

/** The chart lines that are served (packaged into dist/, offered by the CLI): all but previews. */
export const SERVED_CHARTS: Readonly<Record<string, ChartDefinition>> = Object.fromEntries(Object.entries(CHARTS).filter(([, def]) => isServed(def)));

/** The chart definition of a name, or an error listing the known charts. */
export function chartDefinition(name: string): ChartDefinition {
  const def = CHARTS[name];
  if (!def) throw new Error(`unknown chart '${name}'; known charts: ${Object.keys(CHARTS).join(', ')}`);
  return def;
}
