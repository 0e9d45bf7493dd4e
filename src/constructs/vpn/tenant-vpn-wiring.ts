import { Construct } from 'constructs';
import { templateFolder, Values, valuesAt, When } from '../../expr';
import { TenantContext } from '../core/tenant-context';
import { TenantVpn, VPN_TEMPLATE_FOLDER } from './tenant-vpn';
import { VpnChecks, VpnNetworks } from './vpn-checks';

/** The tenant's networks the VPN routes and checks, each with the value path it comes from (tenant-cluster's layout). */
export function tenantVpnNetworks(): VpnNetworks {
  const cidr = (path: string) => ({ path, cidr: Values.str(path) });
  return {
    podCidr: cidr('clusterNetwork.podCidr'),
    serviceCidr: cidr('clusterNetwork.serviceCidr'),
    nodeCidr: cidr('infrastructure.openstack.network.nodeCidr'),
    managementPodCidr: cidr('managementCluster.podCidr'),
    managementServiceCidr: cidr('managementCluster.serviceCidr'),
  };
}

/**
 * `addons.vpn` under `scope`: its checks (outside the VPN's `When`: some combinations fail with it on, the reverse
 * path check with it off), and under `When(addons.vpn.enabled)` its management side (cert-manager PKI, the client's
 * ConfigMap, on KubeVirt the Service the sidecars dial), whose sidecar the KamajiControlPlane carries and whose
 * server chart values the caller delivers. Its templates are in `openvpn/`.
 */
export function addTenantVpn(scope: Construct, context: TenantContext): TenantVpn {
  const values = valuesAt('addons.vpn');
  const provider = Values.str('infrastructure.provider');
  const networks = tenantVpnNetworks();
  const vpn = new TenantVpn(new When(scope, 'VpnEnabled', values.bool('enabled')), 'Vpn', {
    context, values, provider, networks, managementClusterDomain: Values.str('managementCluster.clusterDomain'),
  });
  // Not `vpn/`: Helm renders that after `validate/`, so an object's error would hide a failing check.
  templateFolder(vpn, VPN_TEMPLATE_FOLDER);
  new VpnChecks(scope, 'VpnChecks', {
    values,
    valuesPath: 'addons.vpn',
    provider,
    konnectivityEnabled: Values.bool('controlPlane.addons.konnectivity.enabled'),
    apiServerExtraArgs: Values.map('controlPlane.apiServer.extraArgs'),
    networks,
    routes: vpn.routes,
    clusterName: context.clusterName,
  });
  return vpn;
}
