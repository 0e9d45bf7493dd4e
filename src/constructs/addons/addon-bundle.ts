import { Construct } from 'constructs';
import { and, concat, defaultTo, eq, Expr, lit, not, RenderCheck, templateFolder, Values, valuesAt, When } from '../../expr';
import { KUBERNETES_SUPPORT } from '../../support-matrix';
import { Calico } from './calico';
import { ChartRepository, ChartRepositoryProps } from './chart-repository';
import { Cilium } from './cilium';
import { ClusterAutoscaler } from '../management/cluster-autoscaler';
import { CNI_ADDON, FluxAddon } from './flux-addon';
import { KubeletServingCertApprover } from './kubelet-serving-cert-approver';
import { KubevirtCloudControllerManager } from '../kubevirt/kubevirt-cloud-controller-manager';
import { KubevirtCsi } from '../kubevirt/kubevirt-csi';
import { MetricsServer } from './metrics-server';
import { checkImagesPinned } from '../management/pinned-images';
import { UninstallCleanup } from '../management/uninstall-cleanup';
import { ExclusiveNamespace } from '../management/exclusive-namespace';
import { KUBEVIRT_CSI_VOLUME_PREFIX } from '../kubevirt/kubevirt-csi-controller';
import { onKubevirt, onOpenStack, TenantContext } from '../core/tenant-context';
import { CinderCsi } from '../openstack/cinder-csi';
import { CINDER_CSI_CONTROLLER_COMPONENT } from '../openstack/cinder-csi-controller';
import { OPENSTACK_CCM_COMPONENT, OpenStackCloudControllerManager } from '../openstack/openstack-cloud-controller-manager';
import { TenantVpn, VPN_TEMPLATE_FOLDER } from '../vpn/tenant-vpn';

export interface AddonBundleProps {
  readonly context: TenantContext;
  /** The tenant's Kubernetes version as given in the values (for per-minor pins). */
  readonly kubernetesVersion: Expr;
  /**
   * The VPN's management side (built before the control plane, which carries its sidecar): its server chart is
   * delivered here while `addons.vpn.enabled`.
   * @default - no VPN
   */
  readonly vpn?: TenantVpn;
}

/** Images a user may set, checked for the `latest` tag (the schema already requires a tag or digest). */
const IMAGE_PATHS = [
  'addons.images.waitForKubeconfig',
  'addons.csi.controller.image',
  'addons.csi.controller.sidecarImages.provisioner',
  'addons.csi.controller.sidecarImages.attacher',
  'addons.csi.controller.sidecarImages.resizer',
  'addons.csi.controller.sidecarImages.livenessProbe',
  'addons.csi.controller.sidecarImages.snapshotter',
  'addons.cloudControllerManager.image',
  'addons.clusterAutoscaler.image',
  'addons.uninstallCleanup.image',
];

/**
 * Everything that makes the tenant usable, bound to `addons`: the CNI, metrics-server with the
 * kubelet serving-certificate approver and the CSI node side as Flux HelmReleases into the
 * tenant (the CNI first), their chart sources, and the management-side cloud-controller-manager, CSI
 * controller and cluster autoscaler. The cloud integration follows `infrastructure.provider`: KubeVirt's
 * (`addons.cloudControllerManager`, `addons.csi`) or OpenStack's (`addons.openstack`: the OpenStack
 * cloud-controller-manager and Cinder CSI). Each part is switchable.
 */
export class AddonBundle extends Construct {
  public constructor(scope: Construct, id: string, props: AddonBundleProps) {
    super(scope, id);
    const { context } = props;
    const addons = valuesAt('addons');
    const cniEnabled = addons.bool('cni.enabled');
    const cilium = and(cniEnabled, eq(addons.str('cni.type'), 'cilium'));
    const calico = and(cniEnabled, eq(addons.str('cni.type'), 'calico'));
    const metricsServer = addons.bool('metricsServer.enabled');
    const approver = addons.bool('kubeletServingCertApprover.enabled');
    const kubevirt = onKubevirt();
    const openstack = onOpenStack();
    const csi = and(kubevirt, addons.bool('csi.enabled'));
    const cinderCsi = and(openstack, addons.bool('openstack.cinderCsi.enabled'));
    const vpnEnabled = addons.bool('vpn.enabled');
    const waitImage = addons.str('images.waitForKubeconfig');
    const dependsOnCni = { release: `${FluxAddon.releaseObjectNameOf(context, CNI_ADDON)}`, when: cniEnabled };
    this.checks(cniEnabled);

    const repository = (key: string, nameSuffix: string, used: Expr, usedBy: string, urlHint?: string, otherUses?: ChartRepositoryProps['otherUses']) =>
      new ChartRepository(this, `Repository-${key}`, { context, key, nameSuffix, used, usedBy, urlHint, otherUses });
    const ciliumRepository = repository('cilium', 'cilium', cilium, 'addons.cni.type is "cilium"');
    const calicoRepository = repository('calico', 'calico', calico, 'addons.cni.type is "calico"');
    const metricsServerRepository = repository('metricsServer', 'metrics-server', metricsServer, 'addons.metricsServer.enabled is true');
    const approverRepository = repository('kubeletCsrApprover', 'kubelet-csr-approver', approver, 'addons.kubeletServingCertApprover.enabled is true');
    const tenantClusterRepository = repository('tenantCluster', 'tenant-cluster', csi, 'addons.csi.enabled is true',
      'the tenant side of the KubeVirt CSI driver is this project\'s kubevirt-csi-node chart, which Flux installs from a chart repository; '
      + 'serve this project\'s dist/ directory over HTTPS (https://…) or push its kubevirt-csi-node-*.tgz to an OCI registry (oci://…, with type "oci") '
      + 'and set the URL, or set addons.csi.enabled to false (see the chart README, "The CSI node chart")', [{
        used: cinderCsi,
        usedBy: 'addons.openstack.cinderCsi.enabled is true',
        urlHint: 'the tenant side of Cinder CSI is this project\'s openstack-cinder-csi-node chart, which Flux installs from a chart repository; '
          + 'serve this project\'s dist/ directory over HTTPS (https://…) or push its openstack-cinder-csi-node-*.tgz to an OCI registry (oci://…, '
          + 'with type "oci") and set the URL, or set addons.openstack.cinderCsi.enabled to false (see the chart README, "The CSI node chart")',
      }, {
        used: vpnEnabled,
        usedBy: 'addons.vpn.enabled is true',
        urlHint: 'the tenant side of the VPN is this project\'s tenant-vpn-server chart, which Flux installs from a chart repository; '
          + 'serve this project\'s dist/ directory over HTTPS (https://…) or push its tenant-vpn-server-*.tgz to an OCI registry (oci://…, '
          + 'with type "oci") and set the URL, or set addons.vpn.enabled to false (see the chart README, "Reverse path: Konnectivity and the VPN")',
      }]);
    const snapshotControllerRepository = repository('snapshotController', 'snapshot-controller',
      and(csi, addons.bool('csi.volumeSnapshotClass'), addons.bool('csi.snapshotController.enabled')),
      'addons.csi.enabled, addons.csi.volumeSnapshotClass and addons.csi.snapshotController.enabled are true');

    new Cilium(new When(this, 'CiliumEnabled', cilium), 'Cilium', {
      context,
      repository: ciliumRepository,
      chartVersion: defaultTo(addons.str('cni.cilium.chartVersion'), KUBERNETES_SUPPORT.call(props.kubernetesVersion, lit('ciliumChartVersion'))),
    });
    new Calico(new When(this, 'CalicoEnabled', calico), 'Calico', { context, repository: calicoRepository });
    new MetricsServer(new When(this, 'MetricsServerEnabled', metricsServer), 'MetricsServer', { context, repository: metricsServerRepository, dependsOn: dependsOnCni });
    new KubeletServingCertApprover(new When(this, 'ApproverEnabled', approver), 'KubeletServingCertApprover', {
      context, repository: approverRepository, dependsOn: dependsOnCni,
    });
    new KubevirtCsi(new When(this, 'CsiEnabled', csi), 'Csi', {
      context, repository: tenantClusterRepository, snapshotControllerRepository, waitImage, dependsOn: dependsOnCni,
    });
    new KubevirtCloudControllerManager(new When(this, 'CloudControllerManagerEnabled', and(kubevirt, addons.bool('cloudControllerManager.enabled'))),
      'CloudControllerManager', { context, values: valuesAt('addons.cloudControllerManager'), waitImage });
    new OpenStackCloudControllerManager(new When(this, 'OpenStackCloudControllerManagerEnabled', and(openstack, addons.bool('openstack.cloudControllerManager.enabled'))),
      'OpenStackCloudControllerManager', { context, kubernetesVersion: props.kubernetesVersion, waitImage });
    new CinderCsi(new When(this, 'CinderCsiEnabled', cinderCsi), 'CinderCsi', {
      context, repository: tenantClusterRepository, kubernetesVersion: props.kubernetesVersion, waitImage, dependsOn: dependsOnCni,
    });
    if (props.vpn) {
      // The server's certificate and key reach the tenant only through valuesFrom (Secrets cert-manager writes in the
      // release namespace; fluxcd/helm-controller@v1.6.3, docs/spec/v2/helmreleases.md, "Values references"), so the
      // user's addons.vpn.values go over this chart's values but there is no user valuesFrom.
      const vpnScope = new When(this, 'VpnEnabled', vpnEnabled);
      templateFolder(vpnScope, VPN_TEMPLATE_FOLDER);
      new FluxAddon(vpnScope, 'Server', {
        context,
        name: 'vpn',
        valuesPath: 'addons.vpn',
        chart: 'tenant-vpn-server',
        chartVersion: addons.str('vpn.chartVersion'),
        repository: tenantClusterRepository,
        targetNamespace: addons.str('vpn.targetNamespace'),
        values: props.vpn.serverChartValues,
        valuesFrom: props.vpn.serverValuesFrom,
        dependsOn: dependsOnCni,
      });
    }
    new ExclusiveNamespace(this, 'ExclusiveNamespace', { context });
    new UninstallCleanup(new When(this, 'UninstallCleanupEnabled', addons.bool('uninstallCleanup.enabled')), 'UninstallCleanup', {
      context,
      values: valuesAt('addons.uninstallCleanup'),
      controllers: ['cloud-controller-manager', 'csi-controller'],
      openStackControllers: [OPENSTACK_CCM_COMPONENT, CINDER_CSI_CONTROLLER_COMPONENT],
      volumePrefix: KUBEVIRT_CSI_VOLUME_PREFIX,
    });
    const autoscalerImage = addons.str('clusterAutoscaler.image');
    new ClusterAutoscaler(new When(this, 'ClusterAutoscalerEnabled', addons.bool('clusterAutoscaler.enabled')), 'ClusterAutoscaler', {
      context,
      values: valuesAt('addons.clusterAutoscaler'),
      image: defaultTo(autoscalerImage, KUBERNETES_SUPPORT.call(props.kubernetesVersion, lit('clusterAutoscalerImage'))),
      waitImage,
    });
  }

  private checks(cniEnabled: Expr): void {
    const addons = valuesAt('addons');
    const kubeProxy = Values.bool('controlPlane.addons.kubeProxy.enabled');
    const replacement = and(eq(addons.str('cni.type'), 'cilium'), addons.bool('cni.cilium.kubeProxyReplacement'));
    new RenderCheck(this, 'KubeProxyReplaced', {
      failWhen: and(cniEnabled, replacement, kubeProxy),
      message: lit('controlPlane.addons.kubeProxy.enabled: must be false while addons.cni.cilium.kubeProxyReplacement is true (Cilium implements Services itself; both would program them)'),
    });
    new RenderCheck(this, 'ServicesImplemented', {
      failWhen: and(cniEnabled, not(replacement), not(kubeProxy)),
      message: concat('controlPlane.addons.kubeProxy.enabled: must be true with addons.cni.type "', addons.str('cni.type'),
        '" and no Cilium kube-proxy replacement (nothing else implements Services)'),
    });
    new RenderCheck(this, 'ServingCertsApproved', {
      failWhen: and(Values.bool('controlPlane.kubelet.serverTLSBootstrap'), not(addons.bool('kubeletServingCertApprover.enabled'))),
      message: lit('controlPlane.kubelet.serverTLSBootstrap: needs addons.kubeletServingCertApprover.enabled (kubelets serve no TLS, so logs and exec fail, until their certificate requests are approved)'),
    });
    checkImagesPinned(this, IMAGE_PATHS);
  }
}
