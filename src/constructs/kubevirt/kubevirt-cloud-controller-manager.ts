import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { concat, ContentHash, Expr, templateFolder, ternary, ValueSource } from '../../expr';
import { argsWithExtra, ManagementWorkload, TENANT_KUBECONFIG } from '../management/management-workload';
import { TenantContext } from '../core/tenant-context';

export interface KubevirtCloudControllerManagerProps {
  readonly context: TenantContext;
  /** `addons.cloudControllerManager` values. */
  readonly values: ValueSource;
  readonly waitImage: Expr;
}

const CLOUD_CONFIG_DIR = '/etc/cloud';

/**
 * The KubeVirt cloud-controller-manager, in the management cluster beside the VMs: initializes tenant
 * nodes (addresses, provider IDs) and implements tenant Services of type LoadBalancer as Services in
 * this namespace that select the cluster's worker VMs. Talks to the tenant with the admin kubeconfig
 * (also for delegated authentication, so it needs nothing in the management cluster's kube-system) and
 * to the VMs with its ServiceAccount.
 * @see https://github.com/kubevirt/cloud-provider-kubevirt
 */
export class KubevirtCloudControllerManager extends Construct {
  public constructor(scope: Construct, id: string, props: KubevirtCloudControllerManagerProps) {
    super(scope, id);
    templateFolder(this);
    const { context, values } = props;
    const flag = (e: Expr) => ternary(e, 'true', 'false');
    // The provider reads YAML; every interpolated value is a DNS name, a number or a boolean.
    const cloudConfig = concat(
      'namespace: ', context.namespace, '\n',
      'infraLabels:\n  cluster.x-k8s.io/cluster-name: ', context.clusterName, '\n',
      'loadBalancer:\n',
      '  enabled: ', flag(values.bool('loadBalancer.enabled')), '\n',
      '  creationPollInterval: ', values.int('loadBalancer.creationPollInterval'), '\n',
      '  creationPollTimeout: ', values.int('loadBalancer.creationPollTimeout'), '\n',
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
      rules: [
        { apiGroups: ['kubevirt.io'], resources: ['virtualmachines'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['kubevirt.io'], resources: ['virtualmachineinstances'], verbs: ['get', 'list', 'watch', 'update'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
        // Load balancers are Services in this namespace, created and removed as tenant Services come and go.
        { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      ],
      clusterRules: {
        when: values.bool('zoneAndRegion'),
        rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }],
      },
    });
  }
}
