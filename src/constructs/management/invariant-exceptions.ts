/**
 * The one list of exceptions to the management-side workload invariants (DESIGN.md §4.6): which container may break
 * which rule, and why. The test harness (test/harness/management-invariants.ts) applies exactly these, and the chart
 * README prints them ({@link invariantExceptionsMarkdown}). Anything not listed here is held to every rule.
 */
import { VPN_CONTAINER_NAME } from '../vpn/vpn-functions';

/** A rule of DESIGN.md §4.6 that an exception may relax (names as the test harness's `MANAGEMENT_RULES`). */
export type ExemptibleRule = 'capabilities.add' | 'runAsNonRoot' | 'hostAccess';

/** One relaxed rule: exactly what it allows, and why. */
export type RuleExemption =
  | { readonly rule: 'capabilities.add'; readonly capabilities: readonly string[]; readonly reason: string }
  | { readonly rule: 'runAsNonRoot'; readonly runAsUser: 0; readonly reason: string }
  | { readonly rule: 'hostAccess'; readonly hostPath: { readonly path: string; readonly type: string }; readonly reason: string };

/** A container that may break some rules. Every other rule still holds for it. */
export interface ManagementInvariantException {
  /**
   * Where the container is declared: `KamajiControlPlane` means its `spec.deployment.extraContainers` (the
   * container runs in the tenant's control plane pod).
   */
  readonly workload: 'KamajiControlPlane';
  /** The container's name. */
  readonly container: string;
  /** The values that render it. */
  readonly renderedBy: string;
  readonly exemptions: readonly RuleExemption[];
}

/**
 * Exactly one: the VPN sidecar in the control plane pod (`addons.vpn`). It creates `tun0`, its routes and a firewall
 * in the pod's network namespace. Its namespace then needs Pod Security level `privileged` (baseline allows neither
 * NET_ADMIN nor hostPath volumes).
 */
export const MANAGEMENT_INVARIANT_EXCEPTIONS: readonly ManagementInvariantException[] = [
  {
    workload: 'KamajiControlPlane',
    container: VPN_CONTAINER_NAME,
    renderedBy: 'addons.vpn.enabled',
    exemptions: [
      {
        rule: 'capabilities.add',
        capabilities: ['NET_ADMIN'],
        reason: 'OpenVPN opens a tun device and, in its up script, installs routes and iptables rules in the control plane pod\'s network namespace; nothing else is added (iptables-nft needs no NET_RAW)',
      },
      {
        rule: 'runAsNonRoot',
        runAsUser: 0,
        reason: 'Kubernetes grants no ambient capabilities, so a non-root process would not hold NET_ADMIN; all other capabilities stay dropped, privilege escalation off (Gardener runs its API server VPN sidecar the same way)',
      },
      {
        rule: 'hostAccess',
        hostPath: { path: '/dev/net/tun', type: 'CharDevice' },
        reason: 'the tun device node is not in a container\'s /dev unless mounted; a CharDevice hostPath of exactly this path, read by no other container',
      },
    ],
  },
];

/** The list as a Markdown table, for the chart README. */
export function invariantExceptionsMarkdown(): string {
  const allows = (e: RuleExemption) => {
    switch (e.rule) {
      case 'capabilities.add': return `adds ${e.capabilities.map((c) => `\`${c}\``).join(', ')}`;
      case 'runAsNonRoot': return `runs as UID ${e.runAsUser}`;
      case 'hostAccess': return `mounts \`${e.hostPath.path}\` (hostPath, \`${e.hostPath.type}\`)`;
    }
  };
  const rows = MANAGEMENT_INVARIANT_EXCEPTIONS.flatMap((x) => x.exemptions.map((e) =>
    `| \`${x.container}\` in the ${x.workload} (\`${x.renderedBy}\`) | \`${e.rule}\` | ${allows(e)} | ${e.reason} |`));
  return ['| container | rule | allows | why |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}
