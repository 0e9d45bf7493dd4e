/**
 * The Magnum driver's document mapped onto `tenant-cluster`'s values (src/values/tenant-cluster-values.ts, OpenStack
 * provider): one map expression (a `ValuesAdapter`), so that the chart renders with `tenant-cluster`'s own constructs.
 * Key by key (design note: notes/magnum-design.md §2):
 *
 * | driver key | tenant-cluster value |
 * |---|---|
 * | `kubernetesVersion` | `kubernetes.version` (`v` + it) |
 * | `machineImageId`, `machineSSHKeyName` | `nodeGroupDefaults.openstack.image.id`, `.sshKeyName` (`null`: none) |
 * | `cloudCredentialsSecretName` | `infrastructure.openstack.identity` (cloud `openstack`, with `cacert`: the driver writes both) |
 * | `apiServer.allowedCidrs`, `allowedCIDRs` | `controlPlane.endpoint.loadBalancer.sourceRanges` (both lists) |
 * | `clusterNetworking.*` | `infrastructure.openstack.externalNetworkID`, `network.{id, subnetID, nodeCidr, dnsNameservers}` |
 * | `controlPlane.machineCount` | `controlPlane.replicas` (API server pods) |
 * | `nodeGroupDefaults.healthCheck.enabled` | `nodeGroupDefaults.healthCheck.enabled` |
 * | `nodeGroupDefaults.machineRootVolume` | `nodeGroupDefaults.openstack.rootVolume.{type, sizeGiB}` |
 * | `nodeGroupDefaults.machineNetworking.ports` | `nodeGroupDefaults.openstack.ports` (extra networks by name) |
 * | `nodeGroups` | `nodeGroups` (a map by name, see `magnumNodeGroups`) |
 * | `addons.openstack.csiCinder` | `addons.openstack.cinderCsi.storageClasses` (see `magnumStorageClasses`) |
 * | `addons.openstack.cloudConfig.LoadBalancer` | `addons.openstack.cloudControllerManager.loadBalancer.{provider, method, createMonitor}` |
 * | `addons.cni.type` | `addons.cni.type` (`flannel` and none: Calico) and `controlPlane.addons.kubeProxy.enabled` (all but Cilium) |
 * | `site.*` | `managementCluster`, `clusterNetwork`, `controlPlane.dataStoreName`, `controlPlane.endpoint.openstack`, `infrastructure.openstack.egressCidrs`, `nodeGroupDefaults.openstack.configDrive`, `addons.repositories` |
 *
 * Fixed for every Magnum cluster: `infrastructure.provider: openstack`, no uninstall cleanup hooks (the driver waits
 * for no hook), no exclusive namespace (the driver puts all clusters of a project in one namespace). The driver's
 * document itself stays under `magnum`, for the chart's own checks. Everything else is `tenant-cluster`'s default.
 * Accepted and ignored (README): `etcd`, `apiServer.enableLoadBalancer`, `apiServer.loadBalancerProvider`,
 * `controlPlane.machineFlavor`, `controlPlane.healthCheck`, `controlPlane.machineRootVolume`, `osDistro` (checked),
 * `addons.monitoring`, `addons.kubernetesDashboard`, `addons.ingress`, `addons.openstack.k8sKeystoneAuth`, `authWebhook`
 * (the last ones checked).
 */
import { concat, defaultTo, Expr, gt, lit, MERGE_DEFAULTS, ne, or, Structure, structure, ternary, Values, valuesAt } from '../../expr';
import { CONCAT_LISTS } from '../../constructs/addons/list-functions';
import {
  MAGNUM_DIG_INT, MAGNUM_DIG_LIST, MAGNUM_DIG_STRING, MAGNUM_FILTER_ID, MAGNUM_LOAD_BALANCER, MAGNUM_NODE_GROUPS, MAGNUM_PORTS, MAGNUM_STORAGE_CLASSES,
} from '../../magnum/functions';
import { MAGNUM_TENANT_DEFAULTS } from '../../magnum/tenant-defaults';

/** Where the driver's document is kept in the adapted values (for the Magnum checks). */
export const MAGNUM_DOCUMENT = 'magnum';

/**
 * The approver's IP prefixes when the chart cannot know the nodes' addresses: with an existing network (the driver's
 * `nodeCidr` is the label's default then, not the subnet's CIDR: "This is only used if a fixed network is not
 * specified", driver.py `_update_helm_release`) or with extra networks (their subnets are Neutron's). Node names
 * are still checked (`<release>-<group>-…`). A documented weakening of the kubelet serving-certificate approval.
 */
export const ANY_NODE_ADDRESS = '0.0.0.0/0';

/** `cni.type`: the CNI the chart installs for a template's `network_driver` (flannel and none: Calico, see the README). */
export function cniOf(driverCni: Expr): Expr {
  return ternary(ne(driverCni, 'cilium'), 'calico', 'cilium');
}

/** The `tenant-cluster` values for the driver's document (with the chart's `site` block). */
export function magnumTenantValues(): Expr {
  const doc = Values;
  const site = valuesAt('site');
  const network = valuesAt('clusterNetworking.internalNetwork');
  const networkId = MAGNUM_FILTER_ID.call(network.map('networkFilter'));
  const subnetId = MAGNUM_FILTER_ID.call(network.map('subnetFilter'));
  const existingNetwork = or(ne(networkId, ''), ne(subnetId, ''));
  // Maps the driver may leave out, read through `dig`: a Go field chain through a missing map fails.
  const nodeGroupDefaults = doc.map('nodeGroupDefaults');
  const ports = MAGNUM_DIG_LIST.call(nodeGroupDefaults, lit('machineNetworking.ports'));
  const rootVolumeSize = MAGNUM_DIG_INT.call(nodeGroupDefaults, lit('machineRootVolume.diskSize'));
  const cni = cniOf(defaultTo(MAGNUM_DIG_STRING.call(doc.map('addons'), lit('cni.type')), 'flannel'));
  const emptyList = new Structure([]);
  const mapped = structure({
    kubernetes: { version: concat('v', doc.str('kubernetesVersion')) },
    managementCluster: site.map('managementCluster'),
    clusterNetwork: site.map('clusterNetwork'),
    controlPlane: {
      replicas: doc.int('controlPlane.machineCount'),
      dataStoreName: site.str('dataStoreName'),
      endpoint: {
        loadBalancer: {
          sourceRanges: CONCAT_LISTS.call(defaultTo(doc.list('apiServer.allowedCidrs'), emptyList), doc.list('apiServer.allowedCIDRs')),
        },
        // The control plane's floating IP: from the template's external network unless the operator names another
        // (the load balancer is in the management cluster's project, whose external networks may differ).
        openstack: MERGE_DEFAULTS.call(site.map('controlPlaneEndpoint'), structure({
          floatingNetworkID: defaultTo(site.str('controlPlaneEndpoint.floatingNetworkID'), doc.str('clusterNetworking.externalNetworkId')),
        })),
      },
      addons: { kubeProxy: { enabled: ne(cni, 'cilium') } },
    },
    infrastructure: {
      provider: 'openstack',
      openstack: {
        // The driver's Secret: clouds.yaml with cloud `openstack`, and `cacert` (helm driver `_ensure_app_cred_secret`).
        identity: { secretName: doc.str('cloudCredentialsSecretName'), cloudName: 'openstack', caCert: true },
        network: {
          id: networkId,
          subnetID: subnetId,
          nodeCidr: network.str('nodeCidr'),
          // Only for a network CAPO creates (the driver sends them regardless).
          dnsNameservers: ternary(existingNetwork, emptyList, defaultTo(doc.list('clusterNetworking.dnsNameservers'), emptyList)),
          extraNodeCidrs: ternary(or(existingNetwork, ports), new Structure([ANY_NODE_ADDRESS]), emptyList),
        },
        externalNetworkID: doc.str('clusterNetworking.externalNetworkId'),
        egressCidrs: site.list('workerEgressCidrs'),
      },
    },
    nodeGroupDefaults: {
      healthCheck: { enabled: doc.bool('nodeGroupDefaults.healthCheck.enabled') },
      openstack: {
        image: { id: doc.str('machineImageId') },
        sshKeyName: defaultTo(doc.str('machineSSHKeyName'), ''),
        // A volume type alone (label boot_volume_type, or Magnum's [cinder] default_boot_volume_type, without a size)
        // means no root volume: servers boot from the flavor's disk, as they do with Azimuth's chart.
        rootVolume: {
          sizeGiB: rootVolumeSize,
          type: ternary(gt(rootVolumeSize, 0), MAGNUM_DIG_STRING.call(nodeGroupDefaults, lit('machineRootVolume.volumeType')), ''),
        },
        ports: MAGNUM_PORTS.call(ports),
        configDrive: site.bool('configDrive'),
      },
    },
    nodeGroups: MAGNUM_NODE_GROUPS.call(doc.list('nodeGroups')),
    addons: {
      repositories: site.map('addonRepositories'),
      cni: { type: cni },
      uninstallCleanup: { enabled: false },
      exclusiveNamespace: false,
      openstack: {
        cloudControllerManager: { loadBalancer: MAGNUM_LOAD_BALANCER.call(doc.map('addons.openstack.cloudConfig.LoadBalancer')) },
        cinderCsi: { storageClasses: MAGNUM_STORAGE_CLASSES.call(doc.map('addons.openstack.csiCinder')) },
      },
    },
    [MAGNUM_DOCUMENT]: doc.map(''),
  });
  return MERGE_DEFAULTS.call(MAGNUM_TENANT_DEFAULTS.call(), mapped);
}
