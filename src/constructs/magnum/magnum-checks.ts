import { Construct } from 'constructs';
import {
  and, CIDRS_OVERLAP, concat, eq, Expr, HAS_UNWRITABLE_CHARACTERS, hasKey, len, lit, ne, not, or, Release, RenderCheck, UNWRITABLE_PATH, Values, valuesAt,
} from '../../expr';
import {
  MAGNUM_DIG_LIST, MAGNUM_NAME_PROBLEM, MAGNUM_PORTS_PROBLEM, MAGNUM_STORAGE_CLASS_PROBLEM, MAGNUM_VERSION_PROBLEM,
} from '../../magnum/functions';

export interface MagnumChecksProps {
  /** Where the driver's document is in the values the chart's templates read (the values adapter keeps it there). */
  readonly documentPath: string;
}

/**
 * What the Magnum driver can send and this chart cannot build, refused before anything renders and in Magnum's
 * words (the driver's key, the label or template field it comes from), in both backends and `validate`. They run
 * before `tenant-cluster`'s own checks (construct order), so a Magnum operator reads these messages, not those
 * naming `tenant-cluster`'s values. The schema refuses everything the driver never sends.
 */
export class MagnumChecks extends Construct {
  public constructor(scope: Construct, id: string, props: MagnumChecksProps) {
    super(scope, id);
    const doc = valuesAt(props.documentPath);
    const document = Values.map(props.documentPath);
    const check = (checkId: string, failWhen: Expr, message: Expr | string) =>
      new RenderCheck(this, checkId, { failWhen, message: typeof message === 'string' ? lit(message) : message });
    const problem = (checkId: string, message: Expr) => check(checkId, ne(message, ''), message);

    check('WritableCharacters', HAS_UNWRITABLE_CHARACTERS.call(document),
      concat(UNWRITABLE_PATH.call(document, lit('')), ': holds a character Kubernetes\' YAML reader refuses or reads as a line break (DEL, a C1 '
        + 'control such as NEL U+0085, U+FEFF, U+FFFE or U+FFFF); remove it from the cluster template, cluster or node group'));
    problem('Names', MAGNUM_NAME_PROBLEM.call(Release.name, doc.list('nodeGroups')));
    problem('KubernetesVersion', MAGNUM_VERSION_PROBLEM.call(doc.str('kubernetesVersion')));
    const osDistro = doc.str('osDistro');
    check('OsDistro', ne(osDistro, 'ubuntu'), concat('osDistro: "', osDistro, '" (Glance property os_distro of the cluster template\'s image) is not '
      + 'supported by this chart: its nodes join with kubeadm through cloud-init; use an image whose os_distro is ubuntu'));
    check('FloatingIp', not(doc.bool('apiServer.associateFloatingIP')), 'apiServer.associateFloatingIP: false (label master_lb_floating_ip_enabled=false) is '
      + 'not supported: the control plane runs in the management cluster, and the nodes reach it only through a floating IP');
    check('KeystoneAuth', or(hasKey(document, 'authWebhook'), hasKey(doc.map('addons.openstack'), 'k8sKeystoneAuth')),
      'authWebhook: k8s-keystone-auth (label keystone_auth_enabled=true) is not supported by this chart yet; remove the label');
    check('Monitoring', doc.bool('addons.monitoring.enabled'), 'addons.monitoring.enabled: true (label monitoring_enabled=true) is not supported by this '
      + 'chart (it installs no monitoring stack); remove the label or set it to false');
    problem('ExtraNetworkOrder', MAGNUM_PORTS_PROBLEM.call(MAGNUM_DIG_LIST.call(doc.map('nodeGroupDefaults'), lit('machineNetworking.ports'))));
    problem('StorageClassNames', MAGNUM_STORAGE_CLASS_PROBLEM.call(doc.map('addons.openstack.csiCinder')));
    check('TenantClusterRepository', eq(doc.str('site.addonRepositories.tenantCluster.url'), ''), 'site.addonRepositories.tenantCluster.url: required, '
      + 'in this chart\'s values.yaml (the operator\'s setting): the repository Flux fetches this project\'s openstack-cinder-csi-node chart from, '
      + 'for each cluster\'s Cinder CSI node plugin (this project\'s dist/ served over HTTPS, or an OCI registry with type "oci")');
    // The subnet CAPO creates must not overlap the tenant's pod and Service networks (tenant-cluster refuses it too,
    // naming its own values).
    const nodeCidr = doc.str('clusterNetworking.internalNetwork.nodeCidr');
    for (const [name, key] of [['pod', 'podCidr'], ['Service', 'serviceCidr']] as const) {
      const other = doc.str(`site.clusterNetwork.${key}`);
      check(`NodeCidrNotIn-${key}`, CIDRS_OVERLAP.call(nodeCidr, other), concat('clusterNetworking.internalNetwork.nodeCidr (label fixed_subnet_cidr): ', nodeCidr,
        ` overlaps the clusters' ${name} network `, other, ` (site.clusterNetwork.${key}); choose another fixed_subnet_cidr`));
    }
    const allowed = or(doc.list('apiServer.allowedCidrs'), doc.list('apiServer.allowedCIDRs'));
    check('WorkerEgressKnown', and(allowed, eq(len(doc.list('site.workerEgressCidrs')), 0)),
      'apiServer.allowedCidrs (label api_master_lb_allowed_cidrs): the operator must set site.workerEgressCidrs in this chart\'s values.yaml first '
      + '(the addresses the clusters\' nodes reach the control plane\'s load balancer from, e.g. the external network\'s subnet): without them no '
      + 'node could join; remove the label until then');
  }
}
