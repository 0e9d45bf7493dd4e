import { Construct } from 'constructs';
import { concat, Each, Expr, gt, len, lit, matches, not, or, RenderCheck } from '../../expr';
import { KEYS_WITH_TRUE_FIELD } from './openstack-functions';

/**
 * Facts shared by the Cinder CSI controller (management cluster) and node plugin (tenant), read in
 * kubernetes/cloud-provider-openstack at v1.31.4–v1.35.0 (test/data/openstack/upstream.json).
 */

/** The CSI driver's name (pkg/csi/cinder/driver.go `driverName`): CSIDriver, StorageClass provisioner. */
export const CINDER_CSI_DRIVER_NAME = 'cinder.csi.openstack.org';
/** Topology key of the nodes' zone (pkg/csi/cinder/driver.go `topologyKey = "topology." + driverName + "/zone"`). */
export const CINDER_TOPOLOGY_KEY = `topology.${CINDER_CSI_DRIVER_NAME}/zone`;
/** Directory of the plugin's socket in every container of a plugin pod. */
export const CSI_SOCKET_DIR = '/csi';
/**
 * The plugin's `--endpoint`: `ParseEndpoint` (pkg/csi/cinder/utils.go) keeps what follows `unix://`, so three
 * slashes make it the absolute `/csi/csi.sock` the sidecars dial.
 */
export const CSI_ENDPOINT = `unix://${CSI_SOCKET_DIR}/csi.sock`;
/** A StorageClass name: a DNS-1123 subdomain. */
export const STORAGE_CLASS_NAME = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/**
 * The checks of a `storageClasses` map (at `path` in the values): at most one default, names that are DNS-1123
 * subdomains. Both the node chart and `tenant-cluster` run them, so a bad map fails where the user wrote it.
 */
export function storageClassChecks(scope: Construct, classes: Expr, path: string): void {
  const defaults = KEYS_WITH_TRUE_FIELD.call(classes, lit('isDefault'));
  new RenderCheck(scope, 'OneDefaultClass', {
    failWhen: matches(',', defaults),
    message: concat(`${path}: at most one StorageClass may set isDefault, got `, defaults),
  });
  const each = new Each(scope, 'StorageClassNames', { collection: classes, keyVar: 'checkedClassName', itemVar: 'checkedClassValues' });
  new RenderCheck(each, 'NameIsSubdomain', {
    failWhen: or(not(matches(STORAGE_CLASS_NAME, each.key)), gt(len(each.key), 253)),
    message: concat(`${path}: "`, each.key, '" is not a valid StorageClass name (lowercase letters, digits, "-" and ".", at most 253 characters)'),
  });
}
