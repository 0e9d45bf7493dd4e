import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { and, ARGS_LIST, eachItem, eq, Expr, named, ne, or, Structure, ValueSource, whenField } from '../../expr';
import { CONCAT_LISTS } from '../addons/list-functions';
import { KUBECONFIG_SECRET_KEY_ANNOTATION } from '../openstack/openstack-endpoint';
import { ApiKind, apiKind, canonicalApiKind, targetOf } from './api-shapes';
import { controlPlaneNameOf, TenantContext } from './tenant-context';
import { SOURCE_RANGES_WITH, SOURCE_RANGES_WITH_ALL } from './control-plane-functions';

export { PORT_IN_RANGE, SOURCE_RANGES_WITH, SOURCE_RANGES_WITH_ALL } from './control-plane-functions';

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
  /**
   * The key of Kamaji's admin kubeconfig Secret whose server Kamaji publishes in the tenant's `cluster-info` (what
   * joining workers and their kubelets use) and the provider copies into `<cluster>-kubeconfig` (Cluster API's);
   * `""`: no annotation (Kamaji's default, `super-admin.conf`, and the provider's, `admin.svc` with an advertised
   * address, else `admin.conf`).
   */
  readonly kubeconfigSecretKey: Expr;
  /**
   * `network.advertiseAddress`: the address Kamaji gives the workers instead of the Service's (`""`: none).
   * @default - none
   */
  readonly advertiseAddress?: Expr;
  /**
   * `network.serviceAnnotations`.
   * @default - the values' `endpoint.serviceAnnotations`
   */
  readonly serviceAnnotations?: Expr;
  /**
   * More sources the load balancer admits besides `workerNetworkCidr` when its source ranges are restricted (a list).
   * @default - none
   */
  readonly extraSourceRanges?: Expr;
  /**
   * kube-controller-manager's flags as a map (the chart's with the values').
   * @default - the values' `controllerManager.extraArgs`
   */
  readonly controllerManagerArgs?: Expr;
  /**
   * Containers, volumes and pod annotations added to the control plane pod while `when` holds
   * (`spec.deployment.extraContainers`, `extraVolumes`, `podAdditionalMetadata.annotations`; the same fields in
   * provider v0.19's `v1alpha1` and v0.20's `v1alpha2`): the VPN sidecar.
   * @default - no extra containers
   */
  readonly deployment?: KamajiControlPlaneDeployment;
}

/** What the control plane pod carries besides Kamaji's containers (see {@link KamajiControlPlaneProps.deployment}). */
export interface KamajiControlPlaneDeployment {
  /** Whether the fields are rendered. */
  readonly when: Expr;
  /** Containers Kamaji prepends to the pod's (they share its network namespace). */
  readonly extraContainers: readonly unknown[];
  /** Volumes for them (Kamaji prepends them to its own). */
  readonly extraVolumes: readonly unknown[];
  /** Annotations of the pod template (a change rolls the control plane). */
  readonly podAnnotations: Readonly<Record<string, string>>;
}

/**
 * The Kamaji hosted control plane: the tenant's kube-apiserver, controller-manager and scheduler as
 * pods in the management cluster. Named like the Cluster, so Kamaji's admin kubeconfig Secret is
 * `<cluster>-admin-kubeconfig`; annotated with the admin kubeconfig key the tenant's `cluster-info` (what
 * workers' kubelets end up using) and `<cluster>-kubeconfig` take their server from: the in-cluster Service for
 * KubeVirt workers, the public endpoint for OpenStack ones (see `kubeconfigSecretKey`).
 * @see https://github.com/clastix/cluster-api-control-plane-provider-kamaji
 */
export class KamajiControlPlane extends Construct {
  /** The kind the Cluster's `controlPlaneRef` points at (in its canonical version: `contractRef` spells it per target). */
  public static readonly REF: ApiKind = canonicalApiKind('KamajiControlPlane');

  public readonly resource: ApiObject;

  public constructor(scope: Construct, id: string, props: KamajiControlPlaneProps) {
    super(scope, id);
    const { context, values } = props;
    const component = (name: string, args = values.map(`${name}.extraArgs`)) => ({
      extraArgs: ARGS_LIST.call(args),
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
        name: `${controlPlaneNameOf(context)}`,
        namespace: `${context.namespace}`,
        labels: context.labels(),
        annotations: { [KUBECONFIG_SECRET_KEY_ANNOTATION]: whenField(ne(props.kubeconfigSecretKey, ''), `${props.kubeconfigSecretKey}`) },
      },
      spec: {
        version: props.version,
        replicas: values.int('replicas'),
        dataStoreName: values.str('dataStoreName'),
        apiServer: component('apiServer'),
        controllerManager: component('controllerManager', props.controllerManagerArgs),
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
          serviceAnnotations: props.serviceAnnotations ?? values.map('endpoint.serviceAnnotations'),
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
          // Kamaji ≥ 26.3.6-edge (clastix/kamaji e51909fa): kube-apiserver's `--advertise-address`, the Konnectivity
          // agents' server, the `*.conf` kubeconfigs and so `cluster-info`; added to the certificate's SANs.
          advertiseAddress: props.advertiseAddress ? whenField(ne(props.advertiseAddress, ''), props.advertiseAddress) : undefined,
          loadBalancerConfig: whenField(and(eq(endpointType, 'LoadBalancer'), or(sourceRanges, ne(loadBalancerClass, ''))), {
            loadBalancerSourceRanges: whenField(sourceRanges, props.extraSourceRanges
              ? SOURCE_RANGES_WITH_ALL.call(sourceRanges, named('alwaysAllowedSources', CONCAT_LISTS.call(new Structure([props.workerNetworkCidr]), props.extraSourceRanges)))
              : SOURCE_RANGES_WITH.call(sourceRanges, props.workerNetworkCidr)),
            loadBalancerClass: whenField(ne(loadBalancerClass, ''), loadBalancerClass),
          }),
          ingress: whenField(and(eq(endpointType, 'ClusterIP'), ne(ingressHostname, '')), {
            hostname: ingressHostname,
            className: whenField(ne(values.str('endpoint.ingress.className'), ''), values.str('endpoint.ingress.className')),
            extraAnnotations: values.map('endpoint.ingress.annotations'),
          }),
        },
        // The provider copies them to the TenantControlPlane (cluster-api-control-plane-provider-kamaji@v0.19.0,
        // controllers/kamajicontrolplane_controller_tcp.go:235–241: PodAdditionalMetadata, AdditionalContainers,
        // AdditionalVolumes); Kamaji prepends the containers and volumes to its own and merges the annotations into the
        // pod template, so a change rolls the control plane (clastix/kamaji@26.8.2-edge,
        // internal/builders/controlplane/deployment.go: setTemplateAnnotations call at 126, setAdditionalContainers 178,
        // setAdditionalVolumes 383).
        deployment: props.deployment ? whenField(props.deployment.when, {
          podAdditionalMetadata: { annotations: { ...props.deployment.podAnnotations } },
          extraContainers: [...props.deployment.extraContainers],
          extraVolumes: [...props.deployment.extraVolumes],
        }) : undefined,
      },
    });
  }
}
