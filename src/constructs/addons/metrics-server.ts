import { Construct } from 'constructs';
import { structure, Structure, templateFolder, ternary, valuesAt } from '../../expr';
import { ChartRepository } from './chart-repository';
import { AddonDependency, FluxAddon } from './flux-addon';
import { TenantContext } from '../core/tenant-context';

export interface MetricsServerProps {
  readonly context: TenantContext;
  readonly repository: ChartRepository;
  /** The CNI's HelmRelease to wait for, when a CNI is installed. */
  readonly dependsOn?: AddonDependency;
}

/**
 * metrics-server in the tenant. It verifies kubelet serving certificates against the cluster CA:
 * kubelets get CA-signed ones through `serverTLSBootstrap` and the approver; only with that turned
 * off does it fall back to `--kubelet-insecure-tls`.
 * @see https://github.com/kubernetes-sigs/metrics-server
 */
export class MetricsServer extends Construct {
  public constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id);
    templateFolder(this);
    const values = valuesAt('addons.metricsServer');
    new FluxAddon(this, 'Addon', {
      context: props.context,
      name: 'metrics-server',
      valuesPath: 'addons.metricsServer',
      chart: 'metrics-server',
      chartVersion: values.str('chartVersion'),
      repository: props.repository,
      targetNamespace: values.str('targetNamespace'),
      values: structure({
        args: ternary(valuesAt('controlPlane.kubelet').bool('serverTLSBootstrap'), new Structure([]), new Structure(['--kubelet-insecure-tls'])),
      }),
      dependsOn: props.dependsOn,
    });
  }
}
