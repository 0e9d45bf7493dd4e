import { Construct } from 'constructs';
import { and, lit, ne, or, RenderCheck, valuesAt } from '../../expr';
export { OCTAVIA_ANNOTATIONS, OCTAVIA_SERVICE_ANNOTATIONS } from './openstack-functions';

/**
 * The control plane endpoint of an OpenStack tenant: Kamaji's Service of type LoadBalancer in the management
 * cluster, implemented by the management cluster's OpenStack cloud-controller-manager, is the only address the
 * workers (in the customer's network) can reach. Facts and checks the KamajiControlPlane of an OpenStack tenant uses.
 */

/** The Kamaji annotation naming the admin kubeconfig key whose server Kamaji publishes in `cluster-info`. */
export const KUBECONFIG_SECRET_KEY_ANNOTATION = 'kamaji.clastix.io/kubeconfig-secret-key';

/**
 * The key OpenStack tenants use: the public endpoint. Kamaji writes `cluster-info` (what kubeadm joins and the
 * kubelets talk to) from the admin kubeconfig under this annotation's key, default `super-admin.conf`
 * (clastix/kamaji 26.8.2-edge internal/utilities/tenant_client.go `GetTenantKubeconfig`, read by
 * internal/kubeadm/bootstraptoken.go for `cluster-info`'s server); its `*.conf` keys name the advertised address, or
 * the load balancer's (internal/resources/kubeadm_config.go `AdvertisedControlPlaneAddress`), its `*.svc` keys the
 * Service's in-cluster name (internal/resources/kubeconfig.go), which OpenStack servers cannot resolve. The provider
 * copies the annotation from the KamajiControlPlane to the TenantControlPlane and takes the key for
 * `<cluster>-kubeconfig` (Cluster API's) from it too (cluster-api-control-plane-provider-kamaji v0.19.0
 * controllers/kamajicontrolplane_controller_tcp.go, controllers/kamajicontrolplane_controller_resources.go).
 */
export const OPENSTACK_KUBECONFIG_SECRET_KEY = 'super-admin.conf';

/** Render checks of `controlPlane.endpoint.openstack` (at `path`). */
export function openStackEndpointChecks(scope: Construct, path = 'controlPlane.endpoint.openstack'): void {
  const v = valuesAt(path);
  new RenderCheck(scope, 'InternalWithoutFloatingIP', {
    failWhen: and(v.bool('internal'), or(ne(v.str('floatingNetworkID'), ''), ne(v.str('floatingSubnetID'), ''))),
    message: lit(`${path}.internal: an internal load balancer has no floating IP: leave floatingNetworkID and floatingSubnetID empty`),
  });
}
