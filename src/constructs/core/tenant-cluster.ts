import { Construct } from 'constructs';
import {
  and, CIDR_HAS_HOST_BITS, CIDRS_OVERLAP, concat, defaultTo, Each, eq, Expr, gt, HAS_UNWRITABLE_CHARACTERS, hasKey, labelsHelper, len, lit, matches,
  MERGE_DEFAULTS, named, ne, not, or, Release, RenderCheck, RESERVED_SERVICE_ADDRESS, Structure, templateFileName, templateFilePrefix, templateFolder,
  TemplateFunction, ternary, UNWRITABLE_PATH, Values, valuesAt, VarRef, When, withLabels,
} from '../../expr';
import { KUBERNETES_SUPPORT } from '../../support-matrix';
import { AddonBundle } from '../addons/addon-bundle';
import { CONCAT_LISTS } from '../addons/list-functions';
import { ApiKind, groupOf } from './api-shapes';
import { ClusterApiCluster } from './cluster-api-cluster';
import { KamajiControlPlane, PORT_IN_RANGE } from './kamaji-control-plane';
import { KubevirtInfrastructure } from '../kubevirt/kubevirt-infrastructure';
import { KUBEADM_FILE_WITHOUT_ONE_CONTENT, KUBELET_DISK, KubevirtNodeGroup } from '../kubevirt/kubevirt-node-group';
import { OpenStackInfrastructure } from '../openstack/openstack-infrastructure';
import { OCTAVIA_SERVICE_ANNOTATIONS, OPENSTACK_KUBECONFIG_SECRET_KEY, openStackEndpointChecks } from '../openstack/openstack-endpoint';
import { WITH_EXTERNAL_CLOUD_PROVIDER } from '../openstack/openstack-functions';
import { OpenStackNodeGroup } from '../openstack/openstack-node-group';
import { EVICTION_HARD_MEMORY_MI, MAX_PODS_ARG } from './node-capacity';
import { DUPLICATE_TAINT, KUBELET_REFUSED_LABEL, KUBELET_SETTABLE_LABELS } from './node-labels';
import { MAX_RELEASE_VALUES_BYTES, RELEASE_VALUES_BYTES } from './release-size';
import { ADMIN_KUBECONFIG_KEY, CLUSTER_NAME_LABEL, onKubevirt, onOpenStack, resourcePrefixOf, TenantContext } from './tenant-context';
import { addTenantVpn } from '../vpn/tenant-vpn-wiring';

export interface TenantClusterProps {
  /** Chart name (for `helm.sh/chart` and the default `app.kubernetes.io/name`). */
  readonly chartName: string;
  /** Chart version (for `helm.sh/chart`). */
  readonly chartVersion: string;
  /** The `<chart>.fullname` helper: the cluster name. */
  readonly fullname: TemplateFunction;
  /**
   * Names another program reads objects back by, where they differ from the cluster name (the Magnum driver's).
   * @default - every object is named after the cluster, MachineDeployments `<cluster>-<group>` of at most 50 characters
   */
  readonly names?: TenantClusterNames;
}

/** See {@link TenantClusterProps.names}. */
export interface TenantClusterNames {
  /** The KamajiControlPlane's name (see `TenantContext.controlPlaneName`). */
  readonly controlPlane: Expr;
  /** The infrastructure cluster's name and the MachineDeployments' prefix (see `TenantContext.resourcePrefix`). */
  readonly resourcePrefix: Expr;
  /** Labels on every Machine of a group (see `TenantContext.machineLabels`). @default - none */
  readonly machineLabels?: (groupName: Expr) => Record<string, string>;
  /**
   * The longest MachineDeployment name allowed. Cluster API keeps MachineSet and Machine names within 63 characters
   * by cutting the name before its 5 random characters (kubernetes-sigs/cluster-api v1.10.10
   * internal/controllers/machinedeployment/machinedeployment_sync.go `computeNewMachineSetName`,
   * internal/topology/names/names.go `templateGenerator.GenerateName`), so 63 works where nothing needs the whole name.
   * @default 50
   */
  readonly maxDeploymentName?: number;
  /** Shorter HelmRelease object names of addons (see `TenantContext.addonObjectNames`). @default - none */
  readonly addonObjectNames?: Readonly<Record<string, string>>;
}

/** A Machine and its VM are named after the MachineDeployment plus about 12 characters, within 63. */
const MAX_DEPLOYMENT_NAME = 50;
const DNS1035_LABEL = '^[a-z]([-a-z0-9]*[a-z0-9])?$';
const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/**
 * What gives the API server a path to OpenStack workers, which the management cluster cannot route to: one must be
 * on. Konnectivity (the agents dial out to the control plane) or the VPN (the control plane pods dial the server in
 * the tenant; "VPN only" also needs `addons.vpn.routeNodes`, a check of VpnChecks).
 */
const REVERSE_PATHS = ['controlPlane.addons.konnectivity.enabled', 'addons.vpn.enabled'];
/** The end of a message refusing a node label the kubelet may not set. */
const KUBELET_LABEL_RULE = 'the kubelet refuses to set kubernetes.io and k8s.io labels on its Node (it would never join) except under '
  + `node.kubernetes.io/ and kubelet.kubernetes.io/ and ${KUBELET_SETTABLE_LABELS.join(', ')}; label the Node after it joined instead`;

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
    // Kamaji names the control plane's Service and admin kubeconfig Secret after the KamajiControlPlane.
    const controlPlaneName = props.names ? named('controlPlaneName', props.names.controlPlane) : clusterName;
    const fqdn = concat(controlPlaneName, '.', Release.namespace, '.svc.', Values.str('managementCluster.clusterDomain'));
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
      adminKubeconfigSecret: `${controlPlaneName}-admin-kubeconfig`,
      ...(props.names ? {
        controlPlaneName,
        resourcePrefix: named('resourcePrefix', props.names.resourcePrefix),
        machineLabels: props.names.machineLabels,
        addonObjectNames: props.names.addonObjectNames,
      } : {}),
    };
    this.context = context;

    this.checkInput();
    this.checkNames(clusterName);
    this.checkNetworks();

    const kubevirt = onKubevirt();
    const openstack = onOpenStack();
    const endpoint = valuesAt('controlPlane.endpoint');
    const advertiseAddress = endpoint.str('advertiseAddress');
    // Workers outside the management cluster get the public endpoint in `cluster-info`: the `*.conf` key (Kamaji's
    // default) without an advertised address, no annotation with one (then Cluster API's kubeconfig is in-cluster,
    // `admin.svc`); see OPENSTACK_KUBECONFIG_SECRET_KEY.
    const kubeconfigSecretKey = ternary(openstack, ternary(eq(advertiseAddress, ''), OPENSTACK_KUBECONFIG_SECRET_KEY, ''), ADMIN_KUBECONFIG_KEY);
    const userControllerManagerArgs = Values.map('controlPlane.controllerManager.extraArgs');
    // Before the control plane, which carries its sidecar.
    const vpn = addTenantVpn(this, context);
    const vpnDeployment = vpn.deploymentFields();
    new KamajiControlPlane(this, 'ControlPlane', {
      context,
      version,
      values: valuesAt('controlPlane'),
      konnectivityVersion: KUBERNETES_SUPPORT.call(Values.str('kubernetes.version'), lit('konnectivityVersion')),
      workerNetworkCidr: Values.str('managementCluster.podCidr'),
      kubeconfigSecretKey,
      advertiseAddress,
      serviceAnnotations: ternary(openstack, OCTAVIA_SERVICE_ANNOTATIONS.call(endpoint.map('openstack'), endpoint.map('serviceAnnotations')),
        endpoint.map('serviceAnnotations')),
      extraSourceRanges: ternary(openstack,
        CONCAT_LISTS.call(Values.list('infrastructure.openstack.egressCidrs'), Values.list('managementCluster.egressCidrs')), new Structure([])),
      // The provider's OpenStack example runs kube-controller-manager so (docs/providers-openstack.md, v0.19.0):
      // the cloud's controllers are the OpenStack cloud-controller-manager's.
      controllerManagerArgs: ternary(openstack, WITH_EXTERNAL_CLOUD_PROVIDER.call(userControllerManagerArgs), userControllerManagerArgs),
      deployment: {
        when: Values.bool('addons.vpn.enabled'),
        extraContainers: vpnDeployment.extraContainers,
        extraVolumes: vpnDeployment.extraVolumes,
        podAnnotations: vpnDeployment.podAdditionalMetadata.annotations,
      },
    });
    this.checkEndpoint();
    this.checkOpenStackEndpoint(new When(this, 'OpenStackEndpoint', openstack));

    const kubevirtScope = new When(this, 'KubevirtProvider', kubevirt);
    const openstackScope = new When(this, 'OpenStackProvider', openstack);
    new KubevirtInfrastructure(kubevirtScope, 'Infrastructure', { context });
    const openstackInfrastructure = new OpenStackInfrastructure(openstackScope, 'Infrastructure', {
      context,
      disjointFrom: [
        { path: 'clusterNetwork.podCidr', cidr: network.str('podCidr') },
        { path: 'clusterNetwork.serviceCidr', cidr: network.str('serviceCidr') },
      ],
    });
    templateFileName(openstackInfrastructure.resource, 'openstack-cluster');
    new ClusterApiCluster(this, 'Cluster', {
      context,
      podCidr: network.str('podCidr'),
      serviceCidr: network.str('serviceCidr'),
      serviceDomain: network.str('serviceDomain'),
      controlPlaneRef: KamajiControlPlane.REF,
      // Both providers' kinds are in Cluster API's infrastructure group (a static group is what a v1beta2
      // reference carries); the version and the kind depend on the provider.
      infrastructureRef: {
        apiVersion: `${sameGroupOf(KubevirtInfrastructure.REF, OpenStackInfrastructure.REF)}/${ternary(openstack,
          versionOf(OpenStackInfrastructure.REF.apiVersion), versionOf(KubevirtInfrastructure.REF.apiVersion))}`,
        kind: `${ternary(openstack, OpenStackInfrastructure.REF.kind, KubevirtInfrastructure.REF.kind)}`,
      },
    });

    // Node groups: the checks of every provider, then each provider's machines (in one `Each`, so that a group's
    // values are merged once for all its checks). KubeVirt's templates are node-groups/<kind>.yaml, OpenStack's
    // node-groups/openstack-<kind>.yaml.
    this.checkNodeGroupDefaults(kubevirtScope);
    const groups = new Each(this, 'NodeGroups', { collection: Values.map('nodeGroups'), keyVar: 'groupName', itemVar: 'groupValues' });
    templateFolder(groups);
    const group = groups.let('group', MERGE_DEFAULTS.call(Values.map('nodeGroupDefaults'), groups.item));
    this.checkNodeGroup(groups, resourcePrefixOf(context), group, props.names?.maxDeploymentName ?? MAX_DEPLOYMENT_NAME);
    // Provider checks in plain constructs (no `When`): checks of the same scopes share one `range` in the checks file.
    const kubevirtChecks = new Construct(groups, 'KubevirtChecks');
    this.checkKubevirtNodeGroup(kubevirtChecks, groups, group, kubevirt);
    const nodeGroup = new KubevirtNodeGroup(new When(groups, 'KubevirtNodeGroup', kubevirt), 'NodeGroup', {
      context,
      groupName: groups.key,
      values: group,
      version,
      defaultContainerDiskImage: KUBERNETES_SUPPORT.call(Values.str('kubernetes.version'), lit('containerDiskImage')),
      defaultStorageClassName: Values.str('infrastructure.kubevirt.storageClassName'),
      ignoreConntrackPreflight: KUBERNETES_SUPPORT.call(Values.str('kubernetes.version'), lit('ignoreConntrackPreflight')),
    });
    this.checkNodeCapacity(kubevirtChecks, groups, group, nodeGroup, kubevirt, {
      vmSize: { cpu: concat(group.int('kubevirt.cores')), memory: group.str('kubevirt.memory') },
      vmSizePath: { cpu: '.kubevirt.cores', memory: '.kubevirt.memory' },
      sizedByVm: eq(group.str('kubevirt.instancetype'), ''),
    });
    const openstackNodeGroup = new OpenStackNodeGroup(groups, 'OpenStackNodeGroup', {
      context,
      groupName: groups.key,
      values: group,
      version,
      path: concat('nodeGroups.', groups.key),
      capacityFromFlavor: Values.bool('infrastructure.openstack.capacityFromFlavor'),
      advertiseAddress,
      when: openstack,
    });
    templateFilePrefix(openstackNodeGroup, 'openstack');
    templateFileName(openstackNodeGroup.machineTemplate.resource, 'openstack-machine-template');
    this.checkNodeCapacity(new Construct(groups, 'OpenStackChecks'), groups, group, openstackNodeGroup.nodeGroup, openstack, { sizedByVm: lit(false) });

    new AddonBundle(this, 'Addons', { context, kubernetesVersion: Values.str('kubernetes.version'), vpn });
  }


  /** Checks on the values as a whole: characters Kubernetes cannot read back, and the size of the Helm release record. */
  private checkInput(): void {
    const values = Values.map('');
    new RenderCheck(this, 'WritableCharacters', {
      failWhen: HAS_UNWRITABLE_CHARACTERS.call(values),
      message: concat(UNWRITABLE_PATH.call(values, lit('')), ': holds a character Kubernetes\' YAML reader refuses or reads as a line break '
        + '(DEL, a C1 control such as NEL U+0085, U+FEFF, U+FFFE or U+FFFF); remove it'),
    });
    const bytes = RELEASE_VALUES_BYTES.call(values);
    new RenderCheck(this, 'ReleaseSize', {
      failWhen: gt(bytes, MAX_RELEASE_VALUES_BYTES),
      message: concat('values: ', bytes, ` bytes of values reach the Helm release record, at most ${MAX_RELEASE_VALUES_BYTES} fit (Helm stores the release gzipped `
        + 'in a Secret of at most 1 MiB; node group values count once per group): shorten node group files and commands or addon values'),
    });
    const namespace = Release.namespace;
    new RenderCheck(this, 'NamespaceIsLabel', {
      failWhen: or(not(matches(DNS1123_LABEL, namespace)), gt(len(namespace), 63)),
      message: concat('release namespace: "', namespace, '" must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters'),
    });
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
    // The tenant's networks must not overlap each other nor the management networks KubeVirt VMs live on (OpenStack
    // workers are not on the management pod network: their node CIDR is checked by OpenStackInfrastructure).
    const kubevirtNetworks = new When(this, 'KubevirtNetworks', onKubevirt());
    for (const [i, [pathA, a]] of cidrs.entries()) {
      for (const [pathB, b] of cidrs.slice(i + 1)) {
        if (pathA.startsWith('management') && pathB.startsWith('management')) continue;
        const scope = pathB.startsWith('management') ? kubevirtNetworks : this;
        new RenderCheck(scope, `NoOverlap-${pathA}-${pathB}`, {
          failWhen: CIDRS_OVERLAP.call(a, b),
          message: concat(`${pathA}: `, a, ` overlaps ${pathB} `, b),
        });
      }
    }
    // Kubernetes, Cilium and Calico want network addresses; a CIDR with host bits is a typo more often than not.
    for (const [path, cidr] of [...cidrs, ['infrastructure.openstack.network.nodeCidr', Values.str('infrastructure.openstack.network.nodeCidr')] as [string, Expr]]) {
      new RenderCheck(this, `NetworkAddress-${path}`, {
        failWhen: CIDR_HAS_HOST_BITS.call(cidr),
        message: concat(`${path}: `, cidr, ' has host bits set; write the network address of the range (all bits after the prefix zero)'),
      });
    }
    for (const [id, path] of [
      ['SourceRanges', 'controlPlane.endpoint.loadBalancer.sourceRanges'],
      ['ManagementEgress', 'managementCluster.egressCidrs'],
      ['WorkerEgress', 'infrastructure.openstack.egressCidrs'],
      ['ExtraNodeCidrs', 'infrastructure.openstack.network.extraNodeCidrs'],
    ]) {
      const ranges = new Each(this, id, { collection: Values.list(path), keyVar: 'rangeIndex', itemVar: 'sourceRange' });
      new RenderCheck(ranges, 'NetworkAddress', {
        failWhen: CIDR_HAS_HOST_BITS.call(ranges.item.str('')),
        message: concat(`${path}.`, ranges.key, ': ', ranges.item.str(''), ' has host bits set; write the network address of the range (all bits after the prefix zero)'),
      });
    }
    const dnsIP = Values.str('controlPlane.addons.coreDNS.serviceIP');
    const serviceCidr = Values.str('clusterNetwork.serviceCidr');
    const dnsInServiceCidr = CIDRS_OVERLAP.call(concat(dnsIP, '/32'), serviceCidr);
    new RenderCheck(this, 'DnsServiceIpInServiceCidr', {
      failWhen: and(ne(dnsIP, ''), not(dnsInServiceCidr)),
      message: concat('controlPlane.addons.coreDNS.serviceIP: ', dnsIP, ' is not inside clusterNetwork.serviceCidr ', serviceCidr),
    });
    const reserved = RESERVED_SERVICE_ADDRESS.call(dnsIP, serviceCidr);
    new RenderCheck(this, 'DnsServiceIpAssignable', {
      failWhen: and(ne(dnsIP, ''), dnsInServiceCidr, ne(reserved, '')),
      message: concat('controlPlane.addons.coreDNS.serviceIP: ', dnsIP, ' is ', reserved, ' of clusterNetwork.serviceCidr ', serviceCidr,
        '; choose another address inside it (empty: its 10th address)'),
    });
  }

  /**
   * Checks on `nodeGroupDefaults` itself, so that a value set there is named there (node groups inherit it); the
   * KubeVirt ones in `kubevirtScope`.
   */
  private checkNodeGroupDefaults(kubevirtScope: Construct): void {
    const defaults = valuesAt('nodeGroupDefaults');
    const image = defaults.str('kubevirt.bootImage.containerDiskImage');
    new RenderCheck(kubevirtScope, 'DefaultContainerDiskPinned', {
      failWhen: matches(':latest$', image),
      message: concat('nodeGroupDefaults.kubevirt.bootImage.containerDiskImage: "', image, '" must name a version tag or digest other than "latest"'),
    });
    const refusedLabel = KUBELET_REFUSED_LABEL.call(defaults.map('labels'));
    new RenderCheck(this, 'DefaultLabelsSettable', {
      failWhen: ne(refusedLabel, ''),
      message: concat('nodeGroupDefaults.labels.', refusedLabel, `: ${KUBELET_LABEL_RULE}`),
    });
    const duplicate = DUPLICATE_TAINT.call(defaults.list('taints'));
    new RenderCheck(this, 'DefaultTaintsUnique', {
      failWhen: ne(duplicate, ''),
      message: concat('nodeGroupDefaults.taints: "', duplicate, '" (key:effect) appears twice; each key and effect at most once (the API server refuses the Node)'),
    });
  }

  /**
   * `type: NodePort` needs an address, and Kamaji uses the API server and Konnectivity ports as the
   * node ports themselves (clastix/kamaji ddbabd87 internal/resources/k8s_service_resource.go:
   * `Ports[0].NodePort = NetworkProfile.Port`; internal/resources/konnectivity/service_resource.go:
   * `Ports[1].NodePort = KonnectivityServerSpec.Port`), so they must be inside the management cluster's
   * NodePort range or the API server refuses the Service.
   */
  private checkEndpoint(): void {
    const nodePort = eq(Values.str('controlPlane.endpoint.type'), 'NodePort');
    const address = Values.str('controlPlane.endpoint.nodePort.address');
    new RenderCheck(this, 'NodePortAddress', {
      failWhen: and(nodePort, eq(address, '')),
      message: lit('controlPlane.endpoint.nodePort.address: required with controlPlane.endpoint.type NodePort (the node or VIP address the API server is reached at; Kamaji cannot expose the control plane without it)'),
    });
    const range = Values.str('managementCluster.serviceNodePortRange');
    const ports: Array<[string, Expr, Expr]> = [
      ['clusterNetwork.apiServerPort', Values.int('clusterNetwork.apiServerPort'), nodePort],
      ['controlPlane.addons.konnectivity.serverPort', Values.int('controlPlane.addons.konnectivity.serverPort'),
        and(nodePort, Values.bool('controlPlane.addons.konnectivity.enabled'))],
    ];
    for (const [path, port, applies] of ports) {
      new RenderCheck(this, `NodePortInRange-${path}`, {
        failWhen: and(applies, not(PORT_IN_RANGE.call(port, range))),
        message: concat(`${path}: `, port, ' is outside managementCluster.serviceNodePortRange ', range,
          ' (with controlPlane.endpoint.type NodePort, Kamaji uses it as the node port)'),
      });
    }
    const advertiseAddress = Values.str('controlPlane.endpoint.advertiseAddress');
    new RenderCheck(this, 'AdvertiseAddressOnOpenStack', {
      failWhen: and(not(onOpenStack()), ne(advertiseAddress, '')),
      message: concat('controlPlane.endpoint.advertiseAddress: "', advertiseAddress, '" only applies with infrastructure.provider "openstack" ',
        '(KubeVirt workers reach the control plane Service by its name); leave it empty'),
    });
  }

  /**
   * OpenStack workers sit in the customer's network: they reach the control plane only at a load balancer's
   * address (Kamaji's Service, implemented by the management cluster's OpenStack cloud-controller-manager) whose
   * source ranges must admit them, and the management cluster cannot reach them, so the API server needs a reverse
   * path (Konnectivity: the agents dial out to the same address).
   */
  private checkOpenStackEndpoint(scope: Construct): void {
    const endpointType = Values.str('controlPlane.endpoint.type');
    new RenderCheck(scope, 'LoadBalancerEndpoint', {
      failWhen: ne(endpointType, 'LoadBalancer'),
      message: concat('controlPlane.endpoint.type: "', endpointType, '" with infrastructure.provider "openstack"; must be "LoadBalancer" ',
        '(OpenStack workers reach the control plane only at a load balancer address the management cluster\'s cloud-controller-manager gives it)'),
    });
    new RenderCheck(scope, 'ReversePath', {
      failWhen: not(REVERSE_PATHS.length === 1 ? Values.bool(REVERSE_PATHS[0]) : or(...REVERSE_PATHS.map((p) => Values.bool(p)))),
      message: lit(`${REVERSE_PATHS.join(' or ')}: must be true with infrastructure.provider "openstack" (the management cluster cannot `
        + 'route into the customer\'s network: kubectl logs, exec and port-forward, admission webhooks and metrics.k8s.io need a tunnel the workers open)'),
    });
    new RenderCheck(scope, 'WorkerEgressAllowed', {
      failWhen: and(Values.list('controlPlane.endpoint.loadBalancer.sourceRanges'), not(Values.list('infrastructure.openstack.egressCidrs'))),
      message: lit('infrastructure.openstack.egressCidrs: required while controlPlane.endpoint.loadBalancer.sourceRanges restricts the control plane\'s '
        + 'load balancer: the address the workers\' traffic comes from (the external address of their network\'s router, or the node CIDR when it is '
        + 'routed without NAT); without it no worker can join'),
    });
    const controllerManagerArgs = Values.map('controlPlane.controllerManager.extraArgs');
    new RenderCheck(scope, 'CloudProviderIsChartOwned', {
      failWhen: hasKey(controllerManagerArgs, 'cloud-provider'),
      message: lit('controlPlane.controllerManager.extraArgs.cloud-provider: the chart sets it to "external" on OpenStack (the OpenStack '
        + 'cloud-controller-manager runs the cloud\'s controllers); remove it'),
    });
    openStackEndpointChecks(scope);
  }

  private checkNodeGroup(groups: Each, prefix: Expr, group: VarRef, maxDeploymentName: number): void {
    const path = concat('nodeGroups.', groups.key);
    const deploymentName = concat(prefix, '-', groups.key);
    new RenderCheck(groups, 'DeploymentNameLength', {
      failWhen: gt(len(deploymentName), maxDeploymentName),
      message: concat(path, ': "', deploymentName, `" is longer than ${maxDeploymentName} characters (machine and VM names add about 12); shorten the cluster or group name`),
    });
    new RenderCheck(groups, 'AutoscalingBounds', {
      failWhen: and(group.bool('autoscaling.enabled'), gt(group.int('autoscaling.min'), group.int('autoscaling.max'))),
      message: concat(path, '.autoscaling: min (', group.int('autoscaling.min'), ') must be <= max (', group.int('autoscaling.max'), ')'),
    });
    new RenderCheck(groups, 'AutoscalerRuns', {
      failWhen: and(group.bool('autoscaling.enabled'), not(Values.bool('addons.clusterAutoscaler.enabled'))),
      message: concat(path, '.autoscaling.enabled: needs addons.clusterAutoscaler.enabled (nothing else sizes the group between min and max: '
        + 'it would stay at its minimum); turn the autoscaler on or set the group\'s replicas'),
    });
    const refusedLabel = KUBELET_REFUSED_LABEL.call(groups.item.map('labels'));
    new RenderCheck(groups, 'LabelsSettable', {
      failWhen: ne(refusedLabel, ''),
      message: concat(path, '.labels.', refusedLabel, `: ${KUBELET_LABEL_RULE}`),
    });
    const duplicate = DUPLICATE_TAINT.call(group.list('taints'));
    new RenderCheck(groups, 'TaintsUnique', {
      failWhen: ne(duplicate, ''),
      message: concat(ternary(hasKey(groups.item, 'taints'), concat(path, '.taints'), 'nodeGroupDefaults.taints'), ': "', duplicate,
        '" (key:effect) appears twice; each key and effect at most once (the API server refuses the Node)'),
    });
    const badFile = KUBEADM_FILE_WITHOUT_ONE_CONTENT.call(group.list('kubeadm.files'));
    new RenderCheck(groups, 'KubeadmFileContent', {
      failWhen: ne(badFile, ''),
      message: concat(path, '.kubeadm.files.', badFile, ': give exactly one of content (inline, nothing secret) and contentFrom.secret'),
    });
    new RenderCheck(groups, 'KubeReservedIsChartOwned', {
      failWhen: hasKey(group.map('kubelet.extraArgs'), 'kube-reserved'),
      message: concat(path, '.kubelet.extraArgs.kube-reserved: set nodeGroups.', groups.key, '.kubelet.reserved (cpu, memory) instead: the chart renders kube-reserved from it and advertises the node\'s allocatable to the autoscaler'),
    });
    const maxPods = MAX_PODS_ARG.call(group.map('kubelet.extraArgs'));
    new RenderCheck(groups, 'MaxPodsInteger', {
      failWhen: and(ne(maxPods, ''), not(matches('^[1-9][0-9]{0,5}$', maxPods))),
      message: concat(path, '.kubelet.extraArgs.max-pods: "', maxPods, '" must be a positive integer'),
    });
  }

  /** The checks of a node group's KubeVirt settings (in `scope`, inside the node groups' `Each`), which apply `when` it holds. */
  private checkKubevirtNodeGroup(scope: Construct, groups: Each, group: VarRef, when: Expr): void {
    const path = concat('nodeGroups.', groups.key);
    new RenderCheck(scope, 'ScaleFromZeroCapacity', {
      failWhen: and(
        when,
        group.bool('autoscaling.enabled'), eq(group.int('autoscaling.min'), 0), ne(group.str('kubevirt.instancetype'), ''),
        or(eq(group.str('autoscaling.capacity.cpu'), ''), eq(group.str('autoscaling.capacity.memory'), '')),
      ),
      message: concat(path, '.autoscaling.capacity: cpu and memory are required to scale from zero with instancetype "', group.str('kubevirt.instancetype'),
        '" (the chart cannot read the instancetype; the autoscaler needs a node\'s size before any exists)'),
    });
    const image = group.str('kubevirt.bootImage.containerDiskImage');
    new RenderCheck(scope, 'ContainerDiskPinned', {
      failWhen: and(when, matches(':latest$', image)),
      message: concat(path, '.kubevirt.bootImage.containerDiskImage: "', image, '" must name a version tag or digest other than "latest" (set here or in nodeGroupDefaults)'),
    });
    const extraDisks = group.map('kubevirt.extraDisks');
    new RenderCheck(scope, 'ReservedDiskNames', {
      failWhen: and(when, or(hasKey(extraDisks, 'boot'), hasKey(extraDisks, KUBELET_DISK), hasKey(extraDisks, 'cloudinitvolume'))),
      message: concat(path, `.kubevirt.extraDisks: "boot", "${KUBELET_DISK}" and "cloudinitvolume" are reserved disk names (the boot disk, the kubelet disk and CAPK's cloud-init disk)`),
    });
    // A DataVolume needs exactly one source (CDI); the default `{}` only suits container disk groups, and a
    // group's source merges with nodeGroupDefaults' (maps merge), which can make two.
    const source = group.map('kubevirt.bootImage.dataVolume.source');
    new RenderCheck(scope, 'DataVolumeBootSource', {
      failWhen: and(when, eq(group.str('kubevirt.bootImage.type'), 'dataVolume'), ne(len(source), 1)),
      message: concat(path, '.kubevirt.bootImage.dataVolume.source: exactly one source (e.g. http, registry or pvc) is required with bootImage.type dataVolume, ',
        'found ', len(source), ' (a group\'s source merges with nodeGroupDefaults\' one)'),
    });
  }

  /**
   * The kubelet's reservations must leave the node something (the capacity advertised for scaling from
   * zero is what remains), and the node's size must be computable: `autoscaling.capacity`, or on KubeVirt the VM's
   * cores and memory when no instancetype sizes it.
   */
  private checkNodeCapacity(scope: Construct, groups: Each, group: VarRef, nodeGroup: { allocatableCpuMilli: Expr; allocatableMemoryMi: Expr }, when: Expr,
    sizes: { vmSize?: { cpu: Expr; memory: Expr }; vmSizePath?: { cpu: string; memory: string }; sizedByVm: Expr }): void {
    const path = concat('nodeGroups.', groups.key);
    const autoscaling = group.bool('autoscaling.enabled');
    const checks: Array<[string, Expr, Expr, Expr, string]> = [
      ['cpu', nodeGroup.allocatableCpuMilli, group.str('autoscaling.capacity.cpu'), group.str('kubelet.reserved.cpu'), 'm'],
      ['memory', nodeGroup.allocatableMemoryMi, group.str('autoscaling.capacity.memory'), group.str('kubelet.reserved.memory'), 'Mi'],
    ];
    for (const [resource, allocatable, capacity, reserved, unit] of checks) {
      const r = resource as 'cpu' | 'memory';
      const computed = and(when, autoscaling, or(ne(capacity, ''), sizes.sizedByVm));
      const sizePath = sizes.vmSizePath ? ternary(ne(capacity, ''), `.autoscaling.capacity.${r}`, sizes.vmSizePath[r]) : lit(`.autoscaling.capacity.${r}`);
      const size = sizes.vmSize ? defaultTo(capacity, sizes.vmSize[r]) : capacity;
      new RenderCheck(scope, `ComputableSize-${resource}`, {
        failWhen: and(computed, eq(allocatable, '')),
        message: concat(path, sizePath, ': ', size, ` is too large to compute what a node offers (${resource}) for scaling from zero`),
      });
      new RenderCheck(scope, `ReservedLeavesRoom-${resource}`, {
        failWhen: and(computed, ne(allocatable, ''), matches('^(-|0$)', allocatable)),
        message: concat(path, `.kubelet.reserved.${resource}: `, reserved, resource === 'memory' ? ` plus the kubelet's ${EVICTION_HARD_MEMORY_MI}Mi eviction threshold` : '',
          ' leaves nothing of the node\'s ', size, ' (', allocatable, `${unit} allocatable)`),
      });
    }
  }
}

/** The API group two kinds share (an error where they do not: a reference's group must not depend on values). */
function sameGroupOf(a: ApiKind, b: ApiKind): string {
  if (groupOf(a.apiVersion) !== groupOf(b.apiVersion)) throw new Error(`${a.kind} and ${b.kind} are in different API groups`);
  return groupOf(a.apiVersion);
}

/** The version part of an `apiVersion` (`group/version`). */
function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}
