import { Construct } from 'constructs';
import { concat, structure, templateFolder, valuesAt } from '../../expr';
import { ChartRepository } from './chart-repository';
import { AddonDependency, FluxAddon } from './flux-addon';
import { TenantContext } from '../core/tenant-context';

export interface KubeletServingCertApproverProps {
  readonly context: TenantContext;
  readonly repository: ChartRepository;
  readonly dependsOn?: AddonDependency;
}

/**
 * Approves kubelet serving-certificate requests in the tenant (postfinance/kubelet-csr-approver), but
 * only for this cluster's node names (machines are `<cluster>-<group>-…`) and addresses on the
 * management pod network the VMs take theirs from. Node names do not resolve in DNS, so the DNS
 * check is bypassed; names are still checked against the pattern.
 * @see https://github.com/postfinance/kubelet-csr-approver
 */
export class KubeletServingCertApprover extends Construct {
  public constructor(scope: Construct, id: string, props: KubeletServingCertApproverProps) {
    super(scope, id);
    templateFolder(this);
    const values = valuesAt('addons.kubeletServingCertApprover');
    new FluxAddon(this, 'Addon', {
      context: props.context,
      name: 'kubelet-csr-approver',
      valuesPath: 'addons.kubeletServingCertApprover',
      chart: 'kubelet-csr-approver',
      chartVersion: values.str('chartVersion'),
      repository: props.repository,
      targetNamespace: values.str('targetNamespace'),
      values: structure({
        providerRegex: concat('^', props.context.clusterName, '-[a-z0-9-]+$'),
        providerIpPrefixes: [valuesAt('managementCluster').str('podCidr')],
        bypassDnsResolution: true,
      }),
      dependsOn: props.dependsOn,
    });
  }
}
