import { Construct } from 'constructs';
import { and, concat, eq, Expr, ne, RenderCheck, structure, templateFilePrefix, templateFolder, valuesAt, When } from '../../expr';
import { ChartRepository } from '../addons/chart-repository';
import { AddonDependency, FluxAddon } from '../addons/flux-addon';
import { KubevirtCsiController } from './kubevirt-csi-controller';
import { OwnedAddonValues, OwnedValue } from '../addons/owned-addon-values';
import { TenantContext } from '../core/tenant-context';

const agree = 'the controller in the management cluster uses the same setting';

/** Keys of the kubevirt-csi-node chart this chart sets (the node side must agree with the controller here). */
export const CSI_NODE_OWNED_VALUES: readonly OwnedValue[] = [
  { path: 'infraStorageClassName', because: agree, instead: 'addons.csi.infraStorageClassName' },
  { path: 'storageClass.name', because: agree, instead: 'addons.csi.storageClass.name' },
  { path: 'storageClass.isDefault', because: agree, instead: 'addons.csi.storageClass.isDefault' },
  { path: 'storageClass.reclaimPolicy', because: agree, instead: 'addons.csi.storageClass.reclaimPolicy' },
  { path: 'volumeSnapshotClass', because: agree, instead: 'addons.csi.volumeSnapshotClass' },
];

export interface KubevirtCsiProps {
  /**
   * The tenant cluster's shared facts: the cluster name the controller and the HelmReleases are named after, their
   * namespace and labels, and the admin kubeconfig Secret they reach the tenant with.
   */
  readonly context: TenantContext;
  /** This project's Helm repository (the `kubevirt-csi-node` chart). */
  readonly repository: ChartRepository;
  /** Where the `snapshot-controller` chart comes from (for `volumeSnapshotClass`). */
  readonly snapshotControllerRepository: ChartRepository;
  /**
   * Image of the controller's init container that waits until Kamaji has written the tenant's admin kubeconfig
   * (`addons.images.waitForKubeconfig`).
   */
  readonly waitImage: Expr;
  /**
   * The CNI's HelmRelease the node chart and the snapshot-controller wait for, when a CNI is installed.
   * @default - the snapshot-controller waits for nothing, the node chart only for the snapshot-controller (while that
   *   is installed)
   */
  readonly dependsOn?: AddonDependency;
}

/**
 * KubeVirt CSI, split: the controller here in the management cluster (allowing only the configured
 * infra StorageClasses), and this project's `kubevirt-csi-node` chart in the tenant (CSIDriver, node
 * plugin, StorageClass mapped to an infra StorageClass, optional VolumeSnapshotClass); with snapshots,
 * the csi-snapshotter beside the controller and Piraeus' `snapshot-controller` chart (the snapshot CRDs
 * and controller) in the tenant, installed before the node chart.
 */
export class KubevirtCsi extends Construct {
  public constructor(scope: Construct, id: string, props: KubevirtCsiProps) {
    super(scope, id);
    templateFolder(this);
    const values = valuesAt('addons.csi');
    new RenderCheck(this, 'SnapshotClassMapped', {
      failWhen: and(values.bool('volumeSnapshotClass'), ne(values.str('infraStorageClassName'), ''), eq(values.str('infraVolumeSnapshotClassName'), '')),
      message: concat('addons.csi.infraVolumeSnapshotClassName: required with addons.csi.volumeSnapshotClass while addons.csi.infraStorageClassName is "',
        values.str('infraStorageClassName'), '" (only listed infra classes are allowed, and the driver then snapshots only through the infra VolumeSnapshotClass mapped to them)'),
    });
    new KubevirtCsiController(this, 'Controller', {
      context: props.context, values: valuesAt('addons.csi.controller'), csiValues: values, waitImage: props.waitImage,
    });
    // The CRDs and controller the csi-snapshotter sidecar and the tenant's VolumeSnapshotClass need, in the tenant.
    const snapshotController = and(values.bool('volumeSnapshotClass'), values.bool('snapshotController.enabled'));
    const snapshotControllerAddon = new FluxAddon(new When(this, 'SnapshotControllerEnabled', snapshotController), 'SnapshotController', {
      context: props.context,
      name: SNAPSHOT_CONTROLLER_ADDON,
      valuesPath: 'addons.csi.snapshotController',
      chart: 'snapshot-controller',
      chartVersion: values.str('snapshotController.chartVersion'),
      repository: props.snapshotControllerRepository,
      targetNamespace: values.str('snapshotController.targetNamespace'),
      // The chart's defaults install the CRDs (installCRDs: true) and one controller; the VolumeSnapshotClass is the node chart's.
      values: structure({}),
      dependsOn: props.dependsOn,
    });
    // Its objects beside the node chart's in csi/: snapshot-controller-helm-release.yaml, snapshot-controller-oci-repository.yaml.
    templateFilePrefix(snapshotControllerAddon);
    new FluxAddon(this, 'Node', {
      context: props.context,
      name: 'csi',
      valuesPath: 'addons.csi',
      chart: 'kubevirt-csi-node',
      chartVersion: values.str('chartVersion'),
      repository: props.repository,
      targetNamespace: values.str('targetNamespace'),
      values: structure({
        infraStorageClassName: values.str('infraStorageClassName'),
        storageClass: {
          name: values.str('storageClass.name'),
          isDefault: values.bool('storageClass.isDefault'),
          reclaimPolicy: values.str('storageClass.reclaimPolicy'),
        },
        volumeSnapshotClass: values.bool('volumeSnapshotClass'),
        infraVolumeSnapshotClassName: values.str('infraVolumeSnapshotClassName'),
      }),
      // Tenant admins may choose another default StorageClass.
      driftIgnore: [{
        paths: ['/metadata/annotations/storageclass.kubernetes.io~1is-default-class'],
        target: { group: 'storage.k8s.io', kind: 'StorageClass' },
      }],
      dependsOn: [
        ...(props.dependsOn ? [props.dependsOn] : []),
        { release: `${FluxAddon.releaseObjectNameOf(props.context, SNAPSHOT_CONTROLLER_ADDON)}`, when: snapshotController },
      ],
    });
    new OwnedAddonValues(this, 'Owned', { valuesPath: 'addons.csi', owned: CSI_NODE_OWNED_VALUES });
  }
}

/** The snapshot-controller's addon name (HelmRelease `<cluster>-snapshot-controller`). */
export const SNAPSHOT_CONTROLLER_ADDON = 'snapshot-controller';
