import { Construct } from 'constructs';
import {
  and, CIDRS_OVERLAP, concat, defaultTo, Each, eq, Expr, gt, hasKey, labelsHelper, len, lit, matches, MERGE_DEFAULTS, named, ne, not, or, Release,
  RenderCheck, templateFolder, TemplateFunction, Values, valuesAt, VarRef, withLabels,
} from '../../expr';
import { KUBERNETES_SUPPORT } from '../../support-matrix';
import { AddonBundle } from '../addons/addon-bundle';
import { ClusterApiCluster } from './cluster-api-cluster';
import { KamajiControlPlane } from './kamaji-control-plane';
import { KubevirtInfrastructure } from '../kubevirt/kubevirt-infrastructure';
import { KubevirtNodeGroup } from '../kubevirt/kubevirt-node-group';
import { CLUSTER_NAME_LABEL, TenantContext } from './tenant-context';

export interface TenantClusterProps {
  /** Chart name (for `helm.sh/chart` and the default `app.kubernetes.io/name`). */
  readonly chartName: string;
  /** Chart version (for `helm.sh/chart`). */
  readonly chartVersion: string;
  /** The `<chart>.fullname` helper: the cluster name. */
  readonly fullname: TemplateFunction;
}

/** A Machine and its VM are named after the MachineDeployment plus about 12 characters, within 63. */
const MAX_DEPLOYMENT_NAME = 50;
const DNS1035_LABEL = '^[a-z]([-a-z0-9]*[a-z0-9])?$';

/**
 * A complete tenant cluster bound to the values contract v1: the Cluster, the Kamaji control plane,
 * the KubeVirt infrastructure, one node group per `nodeGroups` entry, the addon bundle and the
 * render-time checks (names, CIDR overlaps, autoscaling bounds and capacity).
 */
export class TenantCluster extends Construct {
  public readonly context: TenantContext;

  public constructor(scope: Construct, id: string, props: TenantClusterProps) {
    super(scope, id);
    // Bound once per template file that uses it more than once: `$clusterName`.
    const clusterName = named('clusterName', props.fullname.call());
    const network = valuesAt('clusterNetwork');
    const version = KUBERNETES_SUPPORT.call(Values.str('kubernetes.version'), lit('version'));
    const fqdn = concat(clusterName, '.', Release.namespace, '.svc.', Values.str('managementCluster.clusterDomain'));
    // Every object's labels, through the `tenant-cluster.labels` helper of _helpers.tpl.
    const standardLabels = labelsHelper(props.chartName, {
      'app.kubernetes.io/name': defaultTo(Values.str('nameOverride'), props.chartName),
      'app.kubernetes.io/instance': Release.name,
      'app.kubernetes.io/managed-by': Release.service,
      'helm.sh/chart': `${props.chartName}-${props.chartVersion.replace(/\+/g, '_')}`,
      [CLUSTER_NAME_LABEL]: clusterName,
    }, [props.fullname]);
    const context: TenantContext = {
      clusterName,
      namespace: Release.namespace,
      controlPlaneServiceFqdn: fqdn,
      apiServerPort: network.int('apiServerPort'),
      labels: (extra = {}) => withLabels(standardLabels, extra),
      adminKubeconfigSecret: `${clusterName}-admin-kubeconfig`,
    };
    this.context = context;

    this.checkNames(clusterName);
    this.checkNetworks();

    new KamajiControlPlane(this, 'ControlPlane', {
      context,
      version,
      values: valuesAt('controlPlane'),
      konnectivityVersion: KUBERNETES_SUPPORT.call(Values.str('kubernetes.version'), lit('konnectivityVersion')),
    });
    new KubevirtInfrastructure(this, 'Infrastructure', { context });
    new ClusterApiCluster(this, 'Cluster', {
      context,
      podCidr: network.str('podCidr'),
      serviceCidr: network.str('serviceCidr'),
      serviceDomain: network.str('serviceDomain'),
      controlPlaneRef: KamajiControlPlane.REF,
      infrastructureRef: KubevirtInfrastructure.REF,
    });

    const groups = new Each(this, 'NodeGroups', { collection: Values.map('nodeGroups'), keyVar: 'groupName', itemVar: 'groupValues' });
    templateFolder(groups);
    const group = groups.let('group', MERGE_DEFAULTS.call(Values.map('nodeGroupDefaults'), groups.item));
    this.checkNodeGroup(groups, clusterName, group);
    new KubevirtNodeGroup(groups, 'NodeGroup', {
      context,
      groupName: groups.key,
      values: group,
      version,
      defaultContainerDiskImage: KUBERNETES_SUPPORT.call(Values.str('kubernetes.version'), lit('containerDiskImage')),
      defaultStorageClassName: Values.str('infrastructure.kubevirt.storageClassName'),
    });
    new AddonBundle(this, 'Addons', { context, kubernetesVersion: Values.str('kubernetes.version') });
  }

  private checkNames(clusterName: Expr): void {
    new RenderCheck(this, 'ClusterNameIsLabel', {
      failWhen: or(not(matches(DNS1035_LABEL, clusterName)), gt(len(clusterName), 63)),
      message: concat('fullnameOverride (or the release name): cluster name "', clusterName,
        '" must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter, at most 63 characters'),
    });
  }

  private checkNetworks(): void {
    const cidrs: Array<[string, Expr]> = [
      ['clusterNetwork.podCidr', Values.str('clusterNetwork.podCidr')],
      ['clusterNetwork.serviceCidr', Values.str('clusterNetwork.serviceCidr')],
      ['managementCluster.podCidr', Values.str('managementCluster.podCidr')],
      ['managementCluster.serviceCidr', Values.str('managementCluster.serviceCidr')],
    ];
    // The tenant's networks must not overlap each other nor the management networks its VMs live on.
    for (const [i, [pathA, a]] of cidrs.entries()) {
      for (const [pathB, b] of cidrs.slice(i + 1)) {
        if (pathA.startsWith('management') && pathB.startsWith('management')) continue;
        new RenderCheck(this, `NoOverlap-${pathA}-${pathB}`, {
          failWhen: CIDRS_OVERLAP.call(a, b),
          message: concat(`${pathA}: `, a, ` overlaps ${pathB} `, b),
        });
      }
    }
    const dnsIP = Values.str('controlPlane.addons.coreDNS.serviceIP');
    new RenderCheck(this, 'DnsServiceIpInServiceCidr', {
      failWhen: and(ne(dnsIP, ''), not(CIDRS_OVERLAP.call(concat(dnsIP, '/32'), Values.str('clusterNetwork.serviceCidr')))),
      message: concat('controlPlane.addons.coreDNS.serviceIP: ', dnsIP, ' is not inside clusterNetwork.serviceCidr ', Values.str('clusterNetwork.serviceCidr')),
    });
  }

  private checkNodeGroup(groups: Each, clusterName: Expr, group: VarRef): void {
    const path = concat('nodeGroups.', groups.key);
    const deploymentName = concat(clusterName, '-', groups.key);
    new RenderCheck(groups, 'DeploymentNameLength', {
      failWhen: gt(len(deploymentName), MAX_DEPLOYMENT_NAME),
      message: concat(path, ': "', deploymentName, `" is longer than ${MAX_DEPLOYMENT_NAME} characters (machine and VM names add about 12); shorten the cluster or group name`),
    });
    new RenderCheck(groups, 'AutoscalingBounds', {
      failWhen: and(group.bool('autoscaling.enabled'), gt(group.int('autoscaling.min'), group.int('autoscaling.max'))),
      message: concat(path, '.autoscaling: min (', group.int('autoscaling.min'), ') must be <= max (', group.int('autoscaling.max'), ')'),
    });
    new RenderCheck(groups, 'ScaleFromZeroCapacity', {
      failWhen: and(
        group.bool('autoscaling.enabled'), eq(group.int('autoscaling.min'), 0), ne(group.str('kubevirt.instancetype'), ''),
        or(eq(group.str('autoscaling.capacity.cpu'), ''), eq(group.str('autoscaling.capacity.memory'), '')),
      ),
      message: concat(path, '.autoscaling.capacity: cpu and memory are required to scale from zero with instancetype "', group.str('kubevirt.instancetype'),
        '" (the chart cannot read the instancetype; the autoscaler needs a node\'s size before any exists)'),
    });
    const extraDisks = group.map('kubevirt.extraDisks');
    new RenderCheck(groups, 'ReservedDiskNames', {
      failWhen: or(hasKey(extraDisks, 'boot'), hasKey(extraDisks, 'cloudinitvolume')),
      message: concat(path, '.kubevirt.extraDisks: "boot" and "cloudinitvolume" are reserved disk names (the boot disk and CAPK\'s cloud-init disk)'),
    });
  }
}

