import { ChartDefinition } from './chart-definition';
import { KUBEVIRT_CSI_NODE_CHART } from './kubevirt-csi-node';
import { OPENSTACK_CINDER_CSI_NODE_CHART } from './openstack-cinder-csi-node';
import { TENANT_CLUSTER_CHART } from './tenant-cluster';
import { TENANT_VPN_SERVER_CHART } from './tenant-vpn-server';

export * from './chart-definition';

/** Every chart the generator writes, by name. */
export const CHARTS: Readonly<Record<string, ChartDefinition>> = {
  [TENANT_CLUSTER_CHART.name]: TENANT_CLUSTER_CHART,
  [KUBEVIRT_CSI_NODE_CHART.name]: KUBEVIRT_CSI_NODE_CHART,
  [OPENSTACK_CINDER_CSI_NODE_CHART.name]: OPENSTACK_CINDER_CSI_NODE_CHART,
  [TENANT_VPN_SERVER_CHART.name]: TENANT_VPN_SERVER_CHART,
};

/** The chart definition of a name, or an error listing the known charts. */
export function chartDefinition(name: string): ChartDefinition {
  const def = CHARTS[name];
  if (!def) throw new Error(`unknown chart '${name}'; known charts: ${Object.keys(CHARTS).join(', ')}`);
  return def;
}
