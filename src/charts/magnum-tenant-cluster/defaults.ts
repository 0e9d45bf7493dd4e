import { MagnumSiteValues, MagnumTenantClusterValues } from '../../values/magnum-values';
import { OPENSTACK_ENDPOINT_DEFAULTS } from '../tenant-cluster/openstack-defaults';
import { TENANT_CLUSTER_DEFAULTS } from '../tenant-cluster/defaults';

/**
 * `site`: the `tenant-cluster` chart's own defaults for what the driver never sends, written once there and taken from
 * there, so both charts default alike.
 */
export const MAGNUM_SITE_DEFAULTS: MagnumSiteValues = {
  managementCluster: TENANT_CLUSTER_DEFAULTS.managementCluster,
  clusterNetwork: TENANT_CLUSTER_DEFAULTS.clusterNetwork,
  dataStoreName: TENANT_CLUSTER_DEFAULTS.controlPlane.dataStoreName,
  controlPlaneEndpoint: OPENSTACK_ENDPOINT_DEFAULTS,
  workerEgressCidrs: [],
  configDrive: false,
  addonRepositories: TENANT_CLUSTER_DEFAULTS.addons.repositories,
};

/**
 * The chart's `values.yaml`: `site` only. The driver sends every other key in every document (the contract requires
 * them), so a default could only hide a key the driver stopped sending. In particular the four keys the driver may set
 * to `null` have no default: Helm deletes a user's `null` only where the chart has a default, and with a `null`
 * default Helm 3 deletes it while Helm 4 keeps it (nested keys, Helm 3.18.0 and 4.1.4), so without a default both
 * Helms, and the evaluation backend, see exactly the `null` the driver sent.
 */
export const MAGNUM_TENANT_CLUSTER_DEFAULTS: Pick<MagnumTenantClusterValues, 'site'> = {
  site: MAGNUM_SITE_DEFAULTS,
};
