import { Construct } from 'constructs';
import { and, asString, gt, lit, ne, or, RenderCheck, ValueSource, valuesAt, whenField } from '../../expr';

/**
 * The control plane endpoint of an OpenStack tenant: Kamaji's Service of type LoadBalancer in the management
 * cluster, implemented by the management cluster's OpenStack cloud-controller-manager, is the only address the
 * workers (in the customer's network) can reach. Pure helpers for the KamajiControlPlane (phase 2 of issue 9).
 */

/** The Kamaji annotation naming the admin kubeconfig key whose server Kamaji publishes in `cluster-info`. */
export const KUBECONFIG_SECRET_KEY_ANNOTATION = 'kamaji.clastix.io/kubeconfig-secret-key';

/**
 * The key OpenStack tenants use: the public endpoint. Kamaji writes `cluster-info` (what kubeadm joins and the
 * kubelets talk to) from the admin kubeconfig under this annotation's key, default `super-admin.conf`
 * (clastix/kamaji internal/utilities/tenant_client.go `GetTenantKubeconfig`, internal/kubeadm/bootstraptoken.go;
 * the provider copies the annotation from the KamajiControlPlane to the TenantControlPlane,
 * controllers/kamajicontrolplane_controller_tcp.go v0.19.0). The KubeVirt choice, `super-admin.svc`, names the
 * Service's in-cluster DNS name, which OpenStack servers cannot resolve.
 */
export const OPENSTACK_KUBECONFIG_SECRET_KEY = 'super-admin.conf';

/**
 * Annotation keys of cloud-provider-openstack's load balancer (pkg/openstack/loadbalancer.go, `ServiceAnnotation…`
 * constants; present in v1.31.4–v1.35.0), by the values key that sets them.
 */
export const OCTAVIA_ANNOTATIONS = {
  floatingNetworkID: 'loadbalancer.openstack.org/floating-network-id',
  floatingSubnetID: 'loadbalancer.openstack.org/floating-subnet-id',
  internal: 'service.beta.kubernetes.io/openstack-internal-load-balancer',
  portID: 'loadbalancer.openstack.org/port-id',
  keepFloatingIP: 'loadbalancer.openstack.org/keep-floatingip',
  flavorID: 'loadbalancer.openstack.org/flavor-id',
  availabilityZone: 'loadbalancer.openstack.org/availability-zone',
  class: 'loadbalancer.openstack.org/class',
  timeoutClientData: 'loadbalancer.openstack.org/timeout-client-data',
  timeoutMemberData: 'loadbalancer.openstack.org/timeout-member-data',
} as const;

/**
 * The Octavia annotations for Kamaji's Service from `controlPlane.endpoint.openstack`
 * ({@link EndpointOpenStackValues}); unset values are left out (the management cloud-controller-manager's own
 * defaults apply). For `KamajiControlPlane.spec.network.serviceAnnotations`, under the user's own
 * `serviceAnnotations` (which win).
 */
export function openStackEndpointAnnotations(values: ValueSource): Record<string, string> {
  const id = (key: 'floatingNetworkID' | 'floatingSubnetID' | 'portID' | 'flavorID' | 'availabilityZone' | 'class') =>
    whenField(ne(values.str(key), ''), values.str(key)) as unknown as string;
  const flag = (key: 'internal' | 'keepFloatingIP') => whenField(values.bool(key), 'true');
  const millis = (key: 'timeoutClientData' | 'timeoutMemberData') => whenField(gt(values.int(key), 0), asString(values.int(key)));
  return {
    [OCTAVIA_ANNOTATIONS.floatingNetworkID]: id('floatingNetworkID'),
    [OCTAVIA_ANNOTATIONS.floatingSubnetID]: id('floatingSubnetID'),
    [OCTAVIA_ANNOTATIONS.internal]: flag('internal'),
    [OCTAVIA_ANNOTATIONS.portID]: id('portID'),
    [OCTAVIA_ANNOTATIONS.keepFloatingIP]: flag('keepFloatingIP'),
    [OCTAVIA_ANNOTATIONS.flavorID]: id('flavorID'),
    [OCTAVIA_ANNOTATIONS.availabilityZone]: id('availabilityZone'),
    [OCTAVIA_ANNOTATIONS.class]: id('class'),
    [OCTAVIA_ANNOTATIONS.timeoutClientData]: millis('timeoutClientData'),
    [OCTAVIA_ANNOTATIONS.timeoutMemberData]: millis('timeoutMemberData'),
  };
}

/** Render checks of `controlPlane.endpoint.openstack` (at `path`). */
export function openStackEndpointChecks(scope: Construct, path = 'controlPlane.endpoint.openstack'): void {
  const v = valuesAt(path);
  new RenderCheck(scope, 'InternalWithoutFloatingIP', {
    failWhen: and(v.bool('internal'), or(ne(v.str('floatingNetworkID'), ''), ne(v.str('floatingSubnetID'), ''))),
    message: lit(`${path}.internal: an internal load balancer has no floating IP: leave floatingNetworkID and floatingSubnetID empty`),
  });
}
