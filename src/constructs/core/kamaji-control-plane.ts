import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { and, ARGS_LIST, eachItem, eq, Expr, ne, or, ValueSource, whenField } from '../../expr';
import { ApiKind, apiKind, canonicalApiKind, targetOf } from './api-shapes';
import { ADMIN_KUBECONFIG_KEY, TenantContext } from './tenant-context';
import { SOURCE_RANGES_WITH } from './control-plane-functions';

export { PORT_IN_RANGE, SOURCE_RANGES_WITH } from './control-plane-functions';

export interface KamajiControlPlaneProps {
  readonly context: TenantContext;
  /** Full Kubernetes version (`v1.34.12`). */
  readonly version: Expr;
  /**
   * The control plane values: `replicas`, `dataStoreName`, `endpoint.*`, `certSANs`,
   * `apiServer`/`controllerManager`/`scheduler` (`resources`, `extraArgs`), `kubelet.*`, `addons.*`
   * (see the values contract).
   */
  readonly values: ValueSource;
  /** Konnectivity version to pin (empty: Kamaji pairs one with the Kubernetes minor). */
  readonly konnectivityVersion: Expr;
  /**
   * The network the workers' traffic comes from (the management cluster's pod CIDR, where KubeVirt VMs
   * get their addresses): always allowed through the LoadBalancer's source ranges.
   */
  readonly workerNetworkCidr: Expr;
}

/**
 * The Kamaji hosted control plane: the tenant's kube-apiserver, controller-manager and scheduler as
 * pods in the management cluster. Named like the Cluster, so Kamaji's admin kubeconfig Secret is
 * `<cluster>-admin-kubeconfig`; annotated so that Kamaji's own client, the tenant's `cluster-info`
 * (what workers' kubelets end up using) and `<cluster>-kubeconfig` use the in-cluster Service endpoint.
 * @see https://github.com/clastix/cluster-api-control-plane-provider-kamaji
 */
export class KamajiControlPlane extends Construct {
  /** The kind the Cluster's `controlPlaneRef` points at (in its canonical version: `contractRef` spells it per target). */
  public static readonly REF: ApiKind = canonicalApiKind('KamajiControlPlane');

  public readonly resource: ApiObject;

  public constructor(scope: Construct, id: string, props: KamajiControlPlaneProps) {
    super(scope, id);
    const { context, values } = props;
    const component = (name: string) => ({
      extraArgs: ARGS_LIST.call(values.map(`${name}.extraArgs`)),
      resources: values.map(`${name}.resources`),
    });
    const endpointType = values.str('endpoint.type');
    const sourceRanges = values.list('endpoint.loadBalancer.sourceRanges');
    const nodePortAddress = values.str('endpoint.nodePort.address');
    const loadBalancerClass = values.str('endpoint.loadBalancer.className');
    const ingressHostname = values.str('endpoint.ingress.hostname');
    const dnsServiceIP = values.str('addons.coreDNS.serviceIP');
    const agentMode = values.str('addons.konnectivity.agentMode');

    // `controlplane.cluster.x-k8s.io/v1alpha1` (provider ≤ v0.19) or `v1alpha2` (provider ≥ v0.20): every spec field
    // rendered here has the same schema in both (test/api-shapes.test.ts compares the two CRDs).
    this.resource = new ApiObject(this, 'Resource', {
      ...apiKind(targetOf(context, this), 'KamajiControlPlane'),
      metadata: {
        name: `${context.clusterName}`,
        namespace: `${context.namespace}`,
        labels: context.labels(),
        annotations: { 'kamaji.clastix.io/kubeconfig-secret-key': ADMIN_KUBECONFIG_KEY },
      },
      spec: {
        version: props.version,
        replicas: values.int('replicas'),
        dataStoreName: values.str('dataStoreName'),
        apiServer: component('apiServer'),
        controllerManager: component('controllerManager'),
        scheduler: component('scheduler'),
        // Kamaji defaults `kubelet` as a whole: render all of it.
        kubelet: {
          cgroupfs: values.str('kubelet.cgroupfs'),
          preferredAddressTypes: values.list('kubelet.preferredAddressTypes'),
          // Serving certificates signed through the cluster CA (approved in the tenant), so clients can verify kubelets.
          configurationJSONPatches: whenField(values.bool('kubelet.serverTLSBootstrap'), [{ op: 'add', path: '/serverTLSBootstrap', value: true }]),
        },
        addons: {
          coreDNS: whenField(values.bool('addons.coreDNS.enabled'), {
            dnsServiceIPs: whenField(ne(dnsServiceIP, ''), [dnsServiceIP]),
          }),
          kubeProxy: whenField(values.bool('addons.kubeProxy.enabled'), {}),
          konnectivity: whenField(values.bool('addons.konnectivity.enabled'), {
            // Kamaji sets the server count from the replicas itself.
            server: {
              port: values.int('addons.konnectivity.serverPort'),
              resources: values.map('addons.konnectivity.serverResources'),
              version: whenField(ne(props.konnectivityVersion, ''), props.konnectivityVersion),
            },
            agent: {
              mode: agentMode,
              replicas: whenField(eq(agentMode, 'Deployment'), values.int('addons.konnectivity.agentReplicas')),
              version: whenField(ne(props.konnectivityVersion, ''), props.konnectivityVersion),
            },
          }),
        },
        network: {
          serviceType: endpointType,
          serviceAnnotations: values.map('endpoint.serviceAnnotations'),
          // Kamaji only adds `<name>.<ns>.svc` and `.svc.cluster.local`: workers use the full name in the real domain.
          certSANs: eachItem(values.list('certSANs'), { key: 'sanIndex', item: 'san', itemType: 'string' }, (san) => san, [context.controlPlaneServiceFqdn]),
          // Only with LoadBalancer (a CEL rule of the CRD), and only when something is set.
          // Kamaji exposes a NodePort Service only at a given address: without one `DeclaredControlPlaneAddress`
          // returns `MissingValidIPError`, which the controller ignores, and the control plane is never exposed
          // (clastix/kamaji ddbabd87 api/v1alpha1/tenantcontrolplane_funcs.go, internal/errors/utils_controllers.go
          // `ShouldReconcileErrorBeIgnored`). The provider copies it to the TenantControlPlane's
          // `networkProfile.address` (cluster-api-control-plane-provider-kamaji v0.19.0
          // controllers/kamajicontrolplane_controller_tcp.go:150); a render check requires it with NodePort.
          serviceAddress: whenField(and(eq(endpointType, 'NodePort'), ne(nodePortAddress, '')), nodePortAddress),
          loadBalancerConfig: whenField(and(eq(endpointType, 'LoadBalancer'), or(sourceRanges, ne(loadBalancerClass, ''))), {
            loadBalancerSourceRanges: whenField(sourceRanges, SOURCE_RANGES_WITH.call(sourceRanges, props.workerNetworkCidr)),
            loadBalancerClass: whenField(ne(loadBalancerClass, ''), loadBalancerClass),
          }),
          ingress: whenField(and(eq(endpointType, 'ClusterIP'), ne(ingressHostname, '')), {
            hostname: ingressHostname,
            className: whenField(ne(values.str('endpoint.ingress.className'), ''), values.str('endpoint.ingress.className')),
            extraAnnotations: values.map('endpoint.ingress.annotations'),
          }),
        },
      },
    });
  }
}
