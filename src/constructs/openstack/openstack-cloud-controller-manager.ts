import { Construct } from 'constructs';
import { concat, defaultTo, Expr, lit, named, templateFolder, valuesAt } from '../../expr';
import { KUBERNETES_SUPPORT } from '../../support-matrix';
import { checkImagesPinned } from '../management/pinned-images';
import { argsWithExtra, ManagementWorkload, TENANT_KUBECONFIG } from '../management/management-workload';
import { TenantContext } from '../core/tenant-context';
import { below, booleanVariable, CLOUD_CONFIG_FILE, OpenStackCloudConfig, optionalVariable } from './openstack-cloud-config';

export interface OpenStackCloudControllerManagerProps {
  readonly context: TenantContext;
  /** The tenant's Kubernetes version as given in the values (the release of its minor is the default image). */
  readonly kubernetesVersion: Expr;
  /**
   * Values path of the settings ({@link OpenStackCloudControllerManagerValues}).
   * @default 'addons.openstack.cloudControllerManager'
   */
  readonly valuesPath?: string;
  /**
   * Values path of the infrastructure settings (identity, external network).
   * @default 'infrastructure.openstack'
   */
  readonly infrastructurePath?: string;
  /** Image of the init container that waits for the tenant's admin kubeconfig. */
  readonly waitImage: Expr;
}

/** Its component name: the Deployment is `<cluster>-openstack-cloud-controller-manager`. */
export const OPENSTACK_CCM_COMPONENT = 'openstack-cloud-controller-manager';

/** The controllers it runs: nodes (addresses, provider IDs, zones), node lifecycle, Services of type LoadBalancer. */
export const OCCM_CONTROLLERS = ['cloud-node', 'cloud-node-lifecycle', 'service'];

/**
 * The OpenStack cloud-controller-manager of one tenant, in the management cluster beside its control plane: it
 * initializes the tenant's nodes (the kubelets run with `cloud-provider: external`) from Nova and Neutron, removes
 * deleted servers' nodes, and implements the tenant's Services of type LoadBalancer as Octavia load balancers in
 * the customer's project. It talks to the tenant with the admin kubeconfig (also for leader election and delegated
 * authentication) and to OpenStack with the operator's credentials Secret through a credential-free `cloud.conf`;
 * it needs nothing from the management cluster's API, so it gets no Role and no token.
 *
 * Flags as upstream's manifest and chart (manifests/controller-manager/openstack-cloud-controller-manager-ds.yaml
 * at v1.34.1) without the host network: `--cluster-name` is `<namespace>-<cluster>` like CAPO's own resource
 * names (pkg/utils/names/names.go `ClusterResourceName`), so load balancers of two tenants in one OpenStack
 * project never share a name (`kube_service_<cluster-name>_…`); `route` is not run (it needs `[Route] router-id`
 * and routes pod CIDRs, which the overlay CNIs do not need); the secure port listens on localhost only, as upstream.
 * @see https://github.com/kubernetes/cloud-provider-openstack/blob/v1.34.1/docs/openstack-cloud-controller-manager/using-openstack-cloud-controller-manager.md
 */
export class OpenStackCloudControllerManager extends Construct {
  public readonly workload: ManagementWorkload;

  public constructor(scope: Construct, id: string, props: OpenStackCloudControllerManagerProps) {
    super(scope, id);
    // `openstack-…` rather than the id's kebab case (`open-stack-…`).
    templateFolder(this, OPENSTACK_CCM_COMPONENT);
    const { context } = props;
    const path = props.valuesPath ?? 'addons.openstack.cloudControllerManager';
    const values = valuesAt(path);
    const infrastructure = valuesAt(props.infrastructurePath ?? 'infrastructure.openstack');
    checkImagesPinned(this, [`${path}.image`]);
    const lb = (p: string) => values.str(`loadBalancer.${p}`);
    const lbInt = (p: string) => values.int(`loadBalancer.${p}`);
    const lbBool = (p: string) => values.bool(`loadBalancer.${p}`);
    const component = OPENSTACK_CCM_COMPONENT;
    const config = new OpenStackCloudConfig(this, 'CloudConfig', {
      context,
      component,
      identity: below(infrastructure, 'identity'),
      // `LoadBalancerOpts` of pkg/openstack/openstack.go (gcfg names); written out even where they equal
      // ReadConfig's defaults, so the file says what runs.
      sections: concat(
        '[LoadBalancer]\n',
        booleanVariable('enabled', lbBool('enabled')),
        'lb-provider = ', lb('provider'), '\n',
        'lb-method = ', lb('method'), '\n',
        booleanVariable('create-monitor', lbBool('createMonitor')),
        'monitor-delay = ', lb('monitorDelay'), '\n',
        'monitor-timeout = ', lb('monitorTimeout'), '\n',
        'monitor-max-retries = ', lbInt('monitorMaxRetries'), '\n',
        'monitor-max-retries-down = ', lbInt('monitorMaxRetriesDown'), '\n',
        optionalVariable('floating-network-id', named('floatingNetworkID', defaultTo(lb('floatingNetworkID'), infrastructure.str('externalNetworkID')))),
        optionalVariable('floating-subnet-id', lb('floatingSubnetID')),
        optionalVariable('subnet-id', lb('subnetID')),
        optionalVariable('network-id', lb('networkID')),
        booleanVariable('internal-lb', lbBool('internal')),
        booleanVariable('manage-security-groups', lbBool('manageSecurityGroups')),
      ),
    });

    this.workload = new ManagementWorkload(this, 'Workload', {
      context,
      component,
      replicas: values.int('replicas'),
      waitImage: props.waitImage,
      podAnnotations: { 'checksum/cloud-config': config.checksum },
      automountServiceAccountToken: false,
      rules: [],
      containers: [{
        name: 'openstack-cloud-controller-manager',
        image: defaultTo(values.str('image'), KUBERNETES_SUPPORT.call(props.kubernetesVersion, lit('occmImage'))),
        // The image's CMD is the binary behind go-runner: upstream passes it as the first argument.
        args: argsWithExtra([
          '/bin/openstack-cloud-controller-manager',
          '--cloud-provider=openstack',
          `--cloud-config=${CLOUD_CONFIG_FILE}`,
          `--cluster-name=${concat(context.namespace, '-', context.clusterName)}`,
          `--controllers=${OCCM_CONTROLLERS.join(',')}`,
          '--use-service-account-credentials=false',
          `--kubeconfig=${TENANT_KUBECONFIG}`,
          `--authentication-kubeconfig=${TENANT_KUBECONFIG}`,
          `--authorization-kubeconfig=${TENANT_KUBECONFIG}`,
          '--bind-address=127.0.0.1',
          '--cert-dir=/tmp',
          '--leader-elect=true',
        ], values.map('extraArgs')),
        resources: values.map('resources'),
        usesTenantKubeconfig: true,
        volumeMounts: config.volumeMounts,
      }],
      volumes: config.volumes,
    });
  }
}
