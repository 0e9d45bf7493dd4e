import { Construct } from 'constructs';
import { concat, Structure, structure, templateFolder, ternary, valuesAt } from '../../expr';
import { CONCAT_LISTS } from './list-functions';
import { ChartRepository } from './chart-repository';
import { AddonDependency, FluxAddon } from './flux-addon';
import { OwnedAddonValues, OwnedValue } from './owned-addon-values';
import { onOpenStack, resourcePrefixOf, TenantContext } from '../core/tenant-context';

const approves = 'what the approver signs for';

/**
 * Keys of the kubelet-csr-approver chart this chart sets (user values for them are refused):
 * postfinance/kubelet-csr-approver v1.2.14 charts/kubelet-csr-approver/templates/deployment.yaml turns them into
 * PROVIDER_REGEX, PROVIDER_IP_PREFIXES and BYPASS_HOSTNAME_CHECK, and appends `env` after them (a later entry of
 * the same name overrides them).
 */
export const APPROVER_OWNED_VALUES: readonly OwnedValue[] = [
  { path: 'providerRegex', because: `${approves}: this cluster's node names only` },
  {
    path: 'providerIpPrefixes',
    because: `${approves}: addresses of the workers' network only`,
    instead: 'managementCluster.podCidr (KubeVirt), infrastructure.openstack.network.nodeCidr and extraNodeCidrs (OpenStack)',
  },
  { path: 'bypassHostnameCheck', because: `${approves}: the requested names must match the node` },
  { path: 'env', because: 'an environment entry would override PROVIDER_REGEX and PROVIDER_IP_PREFIXES', instead: 'the chart\'s own keys for other settings' },
];

export interface KubeletServingCertApproverProps {
  readonly context: TenantContext;
  readonly repository: ChartRepository;
  readonly dependsOn?: AddonDependency;
}

/**
 * Approves kubelet serving-certificate requests in the tenant (postfinance/kubelet-csr-approver), but
 * only for this cluster's node names (machines are `<cluster>-<group>-…`) and addresses on the
 * management pod network the VMs take theirs from (KubeVirt), or in the nodes' subnet and the other networks
 * the values name (OpenStack: every address of a certificate must be in one, postfinance/kubelet-csr-approver
 * v1.2.14 internal/controller/regex_ip_checks.go `WhitelistedIPCheck`). Node names do not resolve in DNS, so
 * the DNS check is bypassed; names are still checked against the pattern.
 * @see https://github.com/postfinance/kubelet-csr-approver
 */
export class KubeletServingCertApprover extends Construct {
  public constructor(scope: Construct, id: string, props: KubeletServingCertApproverProps) {
    super(scope, id);
    templateFolder(this);
    const values = valuesAt('addons.kubeletServingCertApprover');
    const network = valuesAt('infrastructure.openstack.network');
    new FluxAddon(this, 'Addon', {
      context: props.context,
      name: 'kubelet-csr-approver',
      valuesPath: 'addons.kubeletServingCertApprover',
      chart: 'kubelet-csr-approver',
      chartVersion: values.str('chartVersion'),
      repository: props.repository,
      targetNamespace: values.str('targetNamespace'),
      values: structure({
        providerRegex: concat('^', resourcePrefixOf(props.context), '-[a-z0-9-]+$'),
        providerIpPrefixes: ternary(onOpenStack(),
          CONCAT_LISTS.call(new Structure([network.str('nodeCidr')]), network.list('extraNodeCidrs')),
          new Structure([valuesAt('managementCluster').str('podCidr')])),
        bypassDnsResolution: true,
      }),
      dependsOn: props.dependsOn,
    });
    new OwnedAddonValues(this, 'Owned', { valuesPath: 'addons.kubeletServingCertApprover', owned: APPROVER_OWNED_VALUES });
  }
}
