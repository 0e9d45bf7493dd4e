import { Construct } from 'constructs';
import { defaultTo, eq, Expr, lit, structure, templateFolder, valuesAt } from '../../expr';
import { KUBERNETES_SUPPORT } from '../../support-matrix';
import { ChartRepository } from '../addons/chart-repository';
import { AddonDependency, FluxAddon } from '../addons/flux-addon';
import { TenantContext } from '../core/tenant-context';
import { checkImagesPinned } from '../management/pinned-images';
import { storageClassChecks } from './cinder-csi-common';
import { CinderCsiController } from './cinder-csi-controller';

export interface CinderCsiProps {
  readonly context: TenantContext;
  /** This project's Helm repository (the `openstack-cinder-csi-node` chart). */
  readonly repository: ChartRepository;
  /** The tenant's Kubernetes version as given in the values (the plugin release of its minor). */
  readonly kubernetesVersion: Expr;
  /** Image of the init container that waits for the tenant's admin kubeconfig. */
  readonly waitImage: Expr;
  /**
   * The addon to install after (the CNI).
   * @default - none
   */
  readonly dependsOn?: AddonDependency;
  /**
   * Values path of the Cinder settings ({@link CinderCsiValues}).
   * @default 'addons.openstack.cinderCsi'
   */
  readonly valuesPath?: string;
  /**
   * Values path of the infrastructure settings (the identity).
   * @default 'infrastructure.openstack'
   */
  readonly infrastructurePath?: string;
}

/**
 * Cinder CSI, split like KubeVirt's: the controller here in the management cluster with the cloud credentials,
 * and this project's `openstack-cinder-csi-node` chart in the tenant (CSIDriver, node plugin without credentials,
 * StorageClasses, optional VolumeSnapshotClass) through a Flux HelmRelease. Controller and node plugin run the same
 * cinder-csi-plugin release: the values' image, else the one of the tenant's Kubernetes minor.
 */
export class CinderCsi extends Construct {
  public readonly controller: CinderCsiController;
  public readonly nodePlugin: FluxAddon;

  public constructor(scope: Construct, id: string, props: CinderCsiProps) {
    super(scope, id);
    templateFolder(this);
    const path = props.valuesPath ?? 'addons.openstack.cinderCsi';
    const values = valuesAt(path);
    const image = defaultTo(values.str('controller.image'), KUBERNETES_SUPPORT.call(props.kubernetesVersion, lit('cinderCsiPluginImage')));
    storageClassChecks(this, values.map('storageClasses'), `${path}.storageClasses`);
    checkImagesPinned(this, ['image', 'sidecarImages.provisioner', 'sidecarImages.attacher', 'sidecarImages.resizer', 'sidecarImages.snapshotter',
      'sidecarImages.livenessProbe'].map((p) => `${path}.controller.${p}`));

    this.controller = new CinderCsiController(this, 'Controller', {
      context: props.context,
      values,
      infrastructure: valuesAt(props.infrastructurePath ?? 'infrastructure.openstack'),
      image,
      waitImage: props.waitImage,
    });
    this.nodePlugin = new FluxAddon(this, 'Node', {
      context: props.context,
      name: 'cinder-csi',
      valuesPath: path,
      chart: 'openstack-cinder-csi-node',
      chartVersion: values.str('chartVersion'),
      repository: props.repository,
      targetNamespace: values.str('targetNamespace'),
      values: structure({
        image,
        nodeServiceNoOsClient: eq(KUBERNETES_SUPPORT.call(props.kubernetesVersion, lit('cinderNodeServiceNoOsClient')), 'true'),
        topology: values.bool('topology'),
        rescanOnResize: values.bool('rescanOnResize'),
        nodeVolumeAttachLimit: values.int('nodeVolumeAttachLimit'),
        storageClasses: values.map('storageClasses'),
        volumeSnapshotClass: values.bool('volumeSnapshotClass'),
      }),
      // Tenant admins may choose another default StorageClass.
      driftIgnore: [{
        paths: ['/metadata/annotations/storageclass.kubernetes.io~1is-default-class'],
        target: { group: 'storage.k8s.io', kind: 'StorageClass' },
      }],
      dependsOn: props.dependsOn,
    });
  }
}
