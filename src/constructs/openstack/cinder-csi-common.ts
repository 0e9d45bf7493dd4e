import { goTruthy, TemplateFunction } from '../../expr';
import { goSortedKeys } from '../../expr/go-json';

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
 * `keysWithTrueField(map, field)`: the keys (sorted, comma-separated) of a map of maps whose `field` is true in Go's
 * sense; for "at most one default" checks.
 */
export const KEYS_WITH_TRUE_FIELD = new TemplateFunction({
  name: 'tenant-cluster-lib.keysWithTrueField',
  params: ['map', 'field'],
  result: 'string',
  goBody: `
{{- $out := list -}}
{{- range $key, $item := .map -}}
{{- if and (kindIs "map" $item) (index $item $.field) -}}
{{- $out = append $out $key -}}
{{- end -}}
{{- end -}}
{{- join ", " $out -}}`,
  evaluate: (map, field) => {
    const m = (map ?? {}) as Record<string, unknown>;
    return goSortedKeys(m).filter((k) => {
      const item = m[k];
      return item !== null && typeof item === 'object' && !Array.isArray(item) && goTruthy((item as Record<string, unknown>)[String(field)]);
    }).join(', ');
  },
});
