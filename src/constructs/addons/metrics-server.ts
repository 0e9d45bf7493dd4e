import { Construct } from 'constructs';
import { structure, Structure, templateFolder, ternary, valuesAt } from '../../expr';
import { ChartRepository } from './chart-repository';
import { AddonDependency, FluxAddon } from './flux-addon';
import { CONCAT_LISTS } from './list-functions';
import { OwnedAddonValues, OwnedValue } from './owned-addon-values';
import { TenantContext } from '../core/tenant-context';

/**
 * metrics-server flags that decide whether kubelet serving certificates are verified
 * (kubernetes-sigs/metrics-server, `--kubelet-insecure-tls` and `--kubelet-certificate-authority`).
 */
const kubeletTls = {
  itemPattern: '^--kubelet-(insecure-tls|certificate-authority)',
  items: '--kubelet-insecure-tls or --kubelet-certificate-authority',
  because: 'kubelet TLS is verified against the cluster CA exactly when kubelets have CA-signed serving certificates',
  instead: 'controlPlane.kubelet.serverTLSBootstrap',
};

/** Flags of the metrics-server chart's `args`/`defaultArgs` this chart decides (user values with them are refused). */
export const METRICS_SERVER_OWNED_VALUES: readonly OwnedValue[] = [{ path: 'args', ...kubeletTls }, { path: 'defaultArgs', ...kubeletTls }];

export interface MetricsServerProps {
  /**
   * The tenant cluster's shared facts: the names, namespace and labels of the HelmRelease, and the admin kubeconfig
   * Secret it deploys with.
   */
  readonly context: TenantContext;
  /** Where the `metrics-server` chart comes from: `addons.repositories.metricsServer`. */
  readonly repository: ChartRepository;
  /**
   * The CNI's HelmRelease to wait for, when a CNI is installed.
   * @default - no dependency: the HelmRelease is applied at once
   */
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
    const tlsArgs = ternary(valuesAt('controlPlane.kubelet').bool('serverTLSBootstrap'), new Structure([]), new Structure(['--kubelet-insecure-tls']));
    new FluxAddon(this, 'Addon', {
      context: props.context,
      name: 'metrics-server',
      valuesPath: 'addons.metricsServer',
      chart: 'metrics-server',
      chartVersion: values.str('chartVersion'),
      repository: props.repository,
      targetNamespace: values.str('targetNamespace'),
      values: structure({ args: tlsArgs }),
      // The user's `args` come after the chart's instead of replacing them (which would drop the TLS choice).
      finalValues: structure({ args: CONCAT_LISTS.call(tlsArgs, values.list('values.args')) }),
      dependsOn: props.dependsOn,
    });
    new OwnedAddonValues(this, 'Owned', { valuesPath: 'addons.metricsServer', owned: METRICS_SERVER_OWNED_VALUES });
  }
}
