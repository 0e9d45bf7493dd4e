import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { concat, ContentHash, Expr, templateFolder, ternary, ValueSource, valuesAt, When } from '../../expr';
import { argsWithExtra, ManagementWorkload, TENANT_KUBECONFIG } from '../management/management-workload';
import { TenantContext } from '../core/tenant-context';
import { CloudControllerManagerServicePolicy } from './cloud-controller-manager-service-policy';

export interface KubevirtCloudControllerManagerProps {
  /**
   * The tenant cluster's shared facts: the cluster name the objects are named after, the controller's `--cluster-name`
   * and the `infraLabels` it finds the VMs by, their namespace and labels, and the admin kubeconfig Secret the
   * controller reaches the tenant with.
   */
  readonly context: TenantContext;
  /** `addons.cloudControllerManager` values. */
  readonly values: ValueSource;
  /**
   * Image of the init container that waits until Kamaji has written the tenant's admin kubeconfig
   * (`addons.images.waitForKubeconfig`).
   */
  readonly waitImage: Expr;
}

const CLOUD_CONFIG_DIR = '/etc/cloud';

/**
 * The KubeVirt cloud-controller-manager (v0.6.0), in the management cluster beside the VMs: implements
 * tenant Services of type LoadBalancer as Services in this namespace, keeps tenant Node addresses in
 * line with the VMs' and removes Nodes whose VM is gone. It initializes no Node: the kubelets run
 * without `--cloud-provider=external`, so no Node carries the `uninitialized` taint its node controller
 * waits for (k8s.io/cloud-provider v0.34.3 controllers/node/node_controller.go syncNode), and CAPK sets
 * the provider ID itself. For `externalTrafficPolicy: Local` Services its EndpointSlice controller
 * points the infra Service only at the VMs that run a local endpoint (a selector would send traffic to
 * every worker, and those without an endpoint drop it). Talks to the tenant with the admin kubeconfig
 * (also for delegated authentication and its lease, so it needs nothing in the management cluster's
 * kube-system) and to the VMs with its ServiceAccount.
 * @see https://github.com/kubevirt/cloud-provider-kubevirt/tree/v0.6.0
 */
export class KubevirtCloudControllerManager extends Construct {
  public constructor(scope: Construct, id: string, props: KubevirtCloudControllerManagerProps) {
    super(scope, id);
    templateFolder(this);
    const { context, values } = props;
    const flag = (e: Expr) => ternary(e, 'true', 'false');
    // The provider reads YAML (gopkg.in/yaml.v2, unknown keys ignored); every interpolated value is a DNS name, a
    // number or a boolean. Keys are those of the CloudConfig struct at v0.6.0 (pkg/provider/cloud.go:45-77).
    const cloudConfig = concat(
      'namespace: ', context.namespace, '\n',
      'infraLabels:\n  cluster.x-k8s.io/cluster-name: ', context.clusterName, '\n',
      'loadBalancer:\n',
      '  enabled: ', flag(values.bool('loadBalancer.enabled')), '\n',
      '  creationPollInterval: ', values.int('loadBalancer.creationPollInterval'), '\n',
      '  creationPollTimeout: ', values.int('loadBalancer.creationPollTimeout'), '\n',
      // v0.6.0 cmd/kubevirt-cloud-controller-manager/kubevirteps.go starts kubevirt_eps_controller only when this is
      // true; pkg/provider/loadbalancer.go createLoadBalancerService then leaves the infra Service of an ETP Local
      // tenant Service without selector and the controller writes its EndpointSlices.
      '  enableEPSController: ', flag(values.bool('loadBalancer.enableEPSController')), '\n',
      'instancesV2:\n',
      '  enabled: true\n',
      '  zoneAndRegionEnabled: ', flag(values.bool('zoneAndRegion')), '\n',
    );
    const configMap: ApiObject = new ApiObject(this, 'CloudConfig', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${context.clusterName}-cloud-config`, namespace: `${context.namespace}`, labels: context.labels({ 'app.kubernetes.io/component': 'cloud-controller-manager' }) },
      data: { 'cloud-config': cloudConfig },
    });

    new ManagementWorkload(this, 'Workload', {
      context,
      component: 'cloud-controller-manager',
      replicas: values.int('replicas'),
      waitImage: props.waitImage,
      podAnnotations: { 'checksum/cloud-config': `${new ContentHash(() => configMap, ['data'])}` },
      containers: [{
        name: 'cloud-controller-manager',
        image: values.str('image'),
        // Every flag exists at v0.6.0 (vendored k8s.io/cloud-provider v0.34.3 options/cloudprovider.go:37,40 cloud-provider
        // and cloud-config, options/options.go:165 kubeconfig, kubecloudshared.go:63 cluster-name; k8s.io/apiserver
        // options/authentication.go:312, authorization.go:145, serving.go:171 cert-dir; component-base
        // leaderelectionconfig.go:26). The lease lives in the tenant's kube-system (options.go:126-127, through the
        // --kubeconfig client, app/controllermanager.go leaderElectAndRun). ENTRYPOINT is the binary (Dockerfile).
        args: argsWithExtra([
          '--cloud-provider=kubevirt',
          `--cloud-config=${CLOUD_CONFIG_DIR}/cloud-config`,
          `--kubeconfig=${TENANT_KUBECONFIG}`,
          `--authentication-kubeconfig=${TENANT_KUBECONFIG}`,
          `--authorization-kubeconfig=${TENANT_KUBECONFIG}`,
          `--cluster-name=${context.clusterName}`,
          '--cert-dir=/tmp',
          '--leader-elect=true',
        ], values.map('extraArgs')),
        resources: values.map('resources'),
        usesTenantKubeconfig: true,
        volumeMounts: [{ name: 'cloud-config', mountPath: CLOUD_CONFIG_DIR, readOnly: true }],
      }],
      volumes: [{ name: 'cloud-config', configMap: { name: configMap.name } }],
      // Upstream's Role (v0.6.0 config/rbac/kccm_role.yaml) minus its namespaced `nodes` rule (meaningless: nodes are
      // cluster-scoped), plus what the EndpointSlice controller calls, which that Role lacks.
      rules: [
        { apiGroups: ['kubevirt.io'], resources: ['virtualmachines'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['kubevirt.io'], resources: ['virtualmachineinstances'], verbs: ['get', 'list', 'watch', 'update'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
        // Load balancers are Services in this namespace, created and removed as tenant Services come and go; the
        // EndpointSlice controller watches them too (namespaced informer, kubevirteps_controller.go:71,112).
        { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        // v0.6.0 pkg/controller/kubevirteps/kubevirteps_controller.go: an EndpointSlice informer in this namespace (:190),
        // List (:367), Create (:610), Update (:624) and Delete (:454, :634).
        {
          apiGroups: ['discovery.k8s.io'],
          resources: ['endpointslices'],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'],
          when: values.bool('loadBalancer.enableEPSController'),
        },
      ],
      clusterRules: {
        when: values.bool('zoneAndRegion'),
        rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }],
      },
    });

    new CloudControllerManagerServicePolicy(new When(this, 'ServicePolicyEnabled', values.bool('servicePolicy.enabled')), 'ServicePolicy', {
      context,
      values: valuesAt('addons.cloudControllerManager.servicePolicy'),
      // The Workload's ServiceAccount, ManagementWorkload.nameOf(context, 'cloud-controller-manager').
      serviceAccountSuffix: 'cloud-controller-manager',
      labels: context.labels({ 'app.kubernetes.io/component': 'cloud-controller-manager' }),
    });
  }
}
