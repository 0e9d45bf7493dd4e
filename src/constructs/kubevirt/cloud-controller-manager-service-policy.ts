import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { concat, not, ValueSource, whenField } from '../../expr';
import { TenantContext } from '../core/tenant-context';
import { clusterScopedEntry, clusterScopedName } from '../management/cluster-scoped';
import { CEL_STRING_LIST } from './kubevirt-functions';

export { CEL_STRING_LIST } from './kubevirt-functions';

export interface CloudControllerManagerServicePolicyProps {
  /**
   * The tenant cluster's shared facts: the cluster name and namespace that make up the policy's name (cluster-scoped,
   * so named per tenant) and the ServiceAccount user it matches, `system:serviceaccount:<ns>:<cluster>-<suffix>`.
   */
  readonly context: TenantContext;
  /** `addons.cloudControllerManager.servicePolicy` values. */
  readonly values: ValueSource;
  /** The cloud-controller-manager's ServiceAccount in the release namespace, `<cluster>-<suffix>`: the suffix. */
  readonly serviceAccountSuffix: string;
  /** Labels of the ValidatingAdmissionPolicy and its binding (the cloud-controller-manager's component labels). */
  readonly labels: Record<string, string>;
}

const COMPONENT = 'cloud-controller-manager';

/**
 * What the KubeVirt cloud-controller-manager copies from a tenant's Service onto the Service it creates in this
 * namespace is the tenant's choice (kubevirt/cloud-provider-kubevirt v0.6.0 pkg/provider/loadbalancer.go
 * createLoadBalancerService: `Annotations: service.Annotations`, `ExternalIPs`, `LoadBalancerIP`). A
 * ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, Kubernetes ≥ 1.30) and its binding refuse, for Services
 * created by this cluster's cloud-controller-manager only:
 * - `externalIPs`, always: kube-proxy on every management node would capture traffic to those addresses
 *   (CVE-2020-8554), e.g. another tenant's load balancer or the management API;
 * - `loadBalancerIP`, unless `allowLoadBalancerIP`: a tenant would pick addresses from the management cluster's pool;
 * - annotations under `deniedAnnotationPrefixes` (by default the address and sharing annotations of MetalLB, Cilium
 *   LB-IPAM and kube-vip), which would let a tenant choose pools, addresses or share another tenant's address.
 * Only creation is checked: the controller later updates nothing but the ports of its own Services
 * (updateLoadBalancerServicePorts), so existing Services keep working. Shipped rather than only documenting the
 * cluster-wide `DenyServiceExternalIPs` admission plugin: that one needs the management API server's flags, which a
 * chart cannot set, and knows nothing of annotations or load balancer addresses.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
export class CloudControllerManagerServicePolicy extends Construct {
  public constructor(scope: Construct, id: string, props: CloudControllerManagerServicePolicyProps) {
    super(scope, id);
    const { context, values, labels } = props;
    clusterScopedEntry('ValidatingAdmissionPolicy', COMPONENT);
    clusterScopedEntry('ValidatingAdmissionPolicyBinding', COMPONENT);
    const name = clusterScopedName(context, COMPONENT);
    const prefixes = CEL_STRING_LIST.call(values.list('deniedAnnotationPrefixes'));
    const username = concat('system:serviceaccount:', context.namespace, ':', context.clusterName, `-${props.serviceAccountSuffix}`);

    new ApiObject(this, 'Policy', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['services'] }],
        },
        matchConditions: [{
          name: 'created-by-this-cloud-controller-manager',
          expression: `${concat("request.userInfo.username == '", username, "'")}`,
        }],
        validations: [
          {
            expression: '!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0',
            message: 'externalIPs are refused on load balancers of tenant clusters (they capture traffic to any address on every management node)',
            reason: 'Forbidden',
          },
          whenField(not(values.bool('allowLoadBalancerIP')), {
            expression: "!has(object.spec.loadBalancerIP) || object.spec.loadBalancerIP == ''",
            message: 'loadBalancerIP is refused on load balancers of tenant clusters (addons.cloudControllerManager.servicePolicy.allowLoadBalancerIP)',
            reason: 'Forbidden',
          }),
          {
            expression: `${concat('!has(object.metadata.annotations) || object.metadata.annotations.all(k, !', prefixes, '.exists(p, k.startsWith(p)))')}`,
            message: `${concat('annotations starting with any of ', prefixes, ' are refused on load balancers of tenant clusters (addons.cloudControllerManager.servicePolicy.deniedAnnotationPrefixes)')}`,
            reason: 'Forbidden',
          },
        ],
      },
    });

    new ApiObject(this, 'Binding', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name, labels },
      spec: {
        policyName: name,
        validationActions: ['Deny'],
        matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': `${context.namespace}` } } },
      },
    });
  }
}
