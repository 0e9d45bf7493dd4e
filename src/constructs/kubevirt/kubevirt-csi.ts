import { Construct } from 'constructs';
import { Expr, structure, templateFolder, valuesAt } from '../../expr';
import { ChartRepository } from '../addons/chart-repository';
import { AddonDependency, FluxAddon } from '../addons/flux-addon';
import { KubevirtCsiController } from './kubevirt-csi-controller';
import { TenantContext } from '../core/tenant-context';

export interface KubevirtCsiProps {
  readonly context: TenantContext;
  /** This project's Helm repository (the `kubevirt-csi-node` chart). */
  readonly repository: ChartRepository;
  readonly waitImage: Expr;
  readonly dependsOn?: AddonDependency;
}

/**
 * KubeVirt CSI, split: the controller here in the management cluster, and this project's
 * `kubevirt-csi-node` chart in the tenant (CSIDriver, node plugin, StorageClass mapped to an infra
 * StorageClass, optional VolumeSnapshotClass).
 */
export class KubevirtCsi extends Construct {
  public constructor(scope: Construct, id: string, props: KubevirtCsiProps) {
    super(scope, id);
    templateFolder(this);
    const values = valuesAt('addons.csi');
    new KubevirtCsiController(this, 'Controller', { context: props.context, values: valuesAt('addons.csi.controller'), waitImage: props.waitImage });
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
