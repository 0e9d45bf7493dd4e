/**
 * Template functions of the control plane constructs, in a module of their own: the CLI renders from a
 * precompiled model and finds them here (src/template-functions.ts) without loading any construct.
 */
import { TemplateFunction } from '../../expr/functions';

/**
 * The LoadBalancer source ranges with the workers' network added (once). Kamaji advertises the
 * LoadBalancer IP to the tenant: it becomes kube-apiserver's `--advertise-address`, so the endpoint of
 * the tenant's `kubernetes` Service (clastix/kamaji 26.8.2-edge `ddbabd87`
 * internal/builders/controlplane/deployment.go: `AssignedControlPlaneAddress()` → `"--advertise-address"`;
 * api/v1alpha1/tenantcontrolplane_funcs.go `DeclaredControlPlaneAddress`: the Service's LoadBalancer
 * ingress IP), and the Konnectivity agents' `--proxy-server-host` (internal/resources/konnectivity/agent.go).
 * kube-proxy sends traffic for an LB IP through a firewall chain that accepts only sources inside
 * `loadBalancerSourceRanges` and drops the rest, in-cluster sources included (kubernetes/kubernetes
 * pkg/proxy/iptables/proxier.go: `-s <range> -j <external chain>`, then "other traffic to … will be
 * dropped by KUBE-PROXY-FIREWALL"). Tenant pods reach that IP from their VM's address, which is a
 * management pod IP: without the pod CIDR in the ranges, everything in the tenant that uses in-cluster
 * config (CoreDNS, addons, Konnectivity) is cut off.
 */
export const SOURCE_RANGES_WITH = new TemplateFunction({
  name: 'tenant-cluster-lib.sourceRangesWith',
  params: ['ranges', 'cidr'],
  result: 'list',
  goBody: `
{{- $out := list -}}
{{- range .ranges -}}{{- $out = append $out . -}}{{- end -}}
{{- if not (has .cidr $out) -}}{{- $out = append $out .cidr -}}{{- end -}}
{{- toJson $out -}}`,
  evaluate: (ranges, cidr) => {
    const out = [...((ranges ?? []) as string[])];
    if (!out.includes(String(cidr))) out.push(String(cidr));
    return out;
  },
});

/**
 * The LoadBalancer source ranges with each of a list of CIDRs added (once): with OpenStack workers, the sources the
 * load balancer must admit besides the management pod network are the workers' and the management cluster's egress
 * addresses (see {@link SOURCE_RANGES_WITH} and the values `infrastructure.openstack.egressCidrs`,
 * `managementCluster.egressCidrs`).
 */
export const SOURCE_RANGES_WITH_ALL = new TemplateFunction({
  name: 'tenant-cluster-lib.sourceRangesWithAll',
  params: ['ranges', 'cidrs'],
  result: 'list',
  goBody: `
{{- $out := list -}}
{{- range .ranges -}}{{- $out = append $out . -}}{{- end -}}
{{- range .cidrs -}}{{- if not (has . $out) -}}{{- $out = append $out . -}}{{- end -}}{{- end -}}
{{- toJson $out -}}`,
  evaluate: (ranges, cidrs) => {
    const out = [...((ranges ?? []) as string[])];
    for (const cidr of (cidrs ?? []) as string[]) if (!out.includes(String(cidr))) out.push(String(cidr));
    return out;
  },
});

/** Whether a port lies inside a `first-last` port range (both ends included). */
export const PORT_IN_RANGE = new TemplateFunction({
  name: 'tenant-cluster-lib.portInRange',
  params: ['port', 'range'],
  result: 'bool',
  goBody: `
{{- $bounds := splitList "-" .range -}}
{{- if and (ge (int64 .port) (int64 (atoi (index $bounds 0)))) (le (int64 .port) (int64 (atoi (index $bounds 1)))) }}true{{ end -}}`,
  evaluate: (port, range) => {
    const [first, last] = String(range).split('-').map(Number);
    const p = Number(port);
    return p >= first && p <= last;
  },
});
