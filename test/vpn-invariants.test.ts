/**
 * The one exception to the management-side invariants (DESIGN.md §4.6) is exactly the VPN sidecar: the list in
 * src/constructs/management/invariant-exceptions.ts has one entry, and the checker (test/harness/management-
 * invariants.ts) applies it to that container of the KamajiControlPlane and nothing else. The tenant-cluster chart's
 * own output (examples/minimal.yaml) with the VPN's management objects and sidecar added — as phase 2 will render
 * them — is clean; without the exception exactly the three excepted rules fail; and every way of stretching the
 * exception (another container, another capability, another host path, a Deployment, privileged, …) is caught.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { CLUSTER_SCOPED_RBAC } from '../src/constructs/management/cluster-scoped';
import { invariantExceptionsMarkdown } from '../src/constructs/management/invariant-exceptions';
import { VPN_CONTAINER_NAME } from '../src/constructs/vpn/openvpn-config';
import { coalesceValues, evaluateChart } from '../src/expr';
import { renderChart } from '../src/render';
import {
  checkManagementInvariants, ClusterScopedRbacException, formatViolations, K8sObject, MANAGEMENT_INVARIANT_EXCEPTIONS, MANAGEMENT_RULES,
  ManagementInvariantOptions, ManagementRule, Violation,
} from './harness/management-invariants';
import { VPN_MINI_DEFAULTS, vpnMiniChart, disposeVpnMiniChart, vpnOn } from './harness/vpn';

afterAll(disposeVpnMiniChart);

const ROOT = path.resolve(__dirname, '..');
const RELEASE = { release: 'acme', namespace: 'tenant-acme' };
const OPTIONS: ManagementInvariantOptions = {
  clusterScopedRbac: CLUSTER_SCOPED_RBAC.map(({ kind, component, reason }): ClusterScopedRbacException => ({ kind, component, reason })),
};
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** The tenant-cluster chart's objects for examples/minimal.yaml, with the VPN's objects and its sidecar in the KCP. */
function withVpn(vpnValues: Record<string, unknown> = {}): K8sObject[] {
  const example = YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', 'minimal.yaml'), 'utf8'), { version: '1.1' });
  const chart = renderChart('tenant-cluster', example, RELEASE) as K8sObject[];
  const vpn = evaluateChart(vpnMiniChart().templates, {
    values: coalesceValues(VPN_MINI_DEFAULTS, vpnOn(vpnValues)),
    release: { name: RELEASE.release, namespace: RELEASE.namespace },
    chart: { name: 'mini', version: '0.1.0' },
  }) as K8sObject[];
  const kcp = chart.find((o) => o.kind === 'KamajiControlPlane')!;
  kcp.spec.deployment = vpn.find((o) => o.kind === 'KamajiControlPlane')!.spec.deployment;
  return [...chart, ...vpn.filter((o) => o.kind !== 'KamajiControlPlane')];
}

const kcpOf = (objects: K8sObject[]) => objects.find((o) => o.kind === 'KamajiControlPlane')!;
const deploymentOf = (objects: K8sObject[]) => kcpOf(objects).spec.deployment;
const vpnContainer = (objects: K8sObject[]) => deploymentOf(objects).extraContainers.find((c: K8sObject) => c.name === VPN_CONTAINER_NAME);
const key = (v: Violation) => `${v.object} ${v.path} [${v.rule}] ${v.message}`;

describe('the exception list (src/constructs/management/invariant-exceptions.ts)', () => {
  test('exactly one entry: the vpn container of the KamajiControlPlane, three rules, each with what it allows and why', () => {
    expect(MANAGEMENT_INVARIANT_EXCEPTIONS).toHaveLength(1);
    const [only] = MANAGEMENT_INVARIANT_EXCEPTIONS;
    expect({ workload: only.workload, container: only.container, renderedBy: only.renderedBy })
      .toEqual({ workload: 'KamajiControlPlane', container: VPN_CONTAINER_NAME, renderedBy: 'addons.vpn.enabled' });
    expect(only.exemptions.map(({ reason: _reason, ...allows }) => allows)).toEqual([
      { rule: 'capabilities.add', capabilities: ['NET_ADMIN'] },
      { rule: 'runAsNonRoot', runAsUser: 0 },
      { rule: 'hostAccess', hostPath: { path: '/dev/net/tun', type: 'CharDevice' } },
    ]);
    for (const e of only.exemptions) {
      expect(MANAGEMENT_RULES).toContain(e.rule);
      expect({ rule: e.rule, reason: e.reason.length > 40 }).toEqual({ rule: e.rule, reason: true });
    }
  });

  test('the README table lists every exempted rule of it', () => {
    const table = invariantExceptionsMarkdown();
    expect(table.split('\n').filter((l) => l.startsWith('| `vpn`'))).toHaveLength(3);
    expect(table).toContain('adds `NET_ADMIN`');
    expect(table).toContain('runs as UID 0');
    expect(table).toContain('mounts `/dev/net/tun` (hostPath, `CharDevice`)');
  });
});

describe('the chart\'s output with the VPN', () => {
  test('is clean, and the checker really looks at the sidecar', () => {
    const objects = withVpn();
    expect(formatViolations(checkManagementInvariants(objects, OPTIONS))).toBe('');
    expect(vpnContainer(objects).securityContext.capabilities.add).toEqual(['NET_ADMIN']);
    // With tls-crypt too (one more secret volume).
    expect(formatViolations(checkManagementInvariants(withVpn({ tlsCrypt: { secretName: 'acme-vpn-tls-crypt' } }), OPTIONS))).toBe('');
  });

  test('without the exception list exactly the three excepted rules fail, all on the vpn container and its tun device', () => {
    const violations = checkManagementInvariants(withVpn(), { ...OPTIONS, containerExceptions: [] });
    expect(violations.map((v) => [v.rule, v.path])).toEqual([
      ['runAsNonRoot', 'spec.deployment.extraContainers[0].securityContext.runAsNonRoot'],
      ['capabilities.add', 'spec.deployment.extraContainers[0].securityContext.capabilities.add[0]'],
      ['hostAccess', 'spec.deployment.extraVolumes[0].hostPath'],
    ]);
    expect(violations.every((v) => v.object === `KamajiControlPlane/${RELEASE.namespace}/${RELEASE.release}`)).toBe(true);
  });
});

interface Mutation {
  readonly name: string;
  readonly rules: readonly ManagementRule[];
  mutate(objects: K8sObject[]): void;
}

/** Another container in the control plane pod, otherwise exactly like the sidecar. */
function twin(objects: K8sObject[], name: string): K8sObject {
  const c = copy(vpnContainer(objects));
  c.name = name;
  deploymentOf(objects).extraContainers.push(c);
  return c;
}

const MUTATIONS: readonly Mutation[] = [
  { name: 'the sidecar adds NET_RAW too', rules: ['capabilities.add'], mutate: (o) => { vpnContainer(o).securityContext.capabilities.add.push('NET_RAW'); } },
  { name: 'the sidecar adds SYS_ADMIN instead', rules: ['capabilities.add'], mutate: (o) => { vpnContainer(o).securityContext.capabilities.add = ['SYS_ADMIN']; } },
  { name: 'the sidecar is privileged', rules: ['privileged'], mutate: (o) => { vpnContainer(o).securityContext.privileged = true; } },
  { name: 'the sidecar may escalate privileges', rules: ['allowPrivilegeEscalation'], mutate: (o) => { vpnContainer(o).securityContext.allowPrivilegeEscalation = true; } },
  { name: 'the sidecar keeps the other capabilities', rules: ['capabilities.drop'], mutate: (o) => { delete vpnContainer(o).securityContext.capabilities.drop; } },
  { name: 'the sidecar without seccomp', rules: ['seccompProfile'], mutate: (o) => { delete vpnContainer(o).securityContext.seccompProfile; } },
  { name: 'the sidecar with a writable root', rules: ['readOnlyRootFilesystem'], mutate: (o) => { vpnContainer(o).securityContext.readOnlyRootFilesystem = false; } },
  { name: 'the sidecar without a memory limit', rules: ['resources.limits.memory'], mutate: (o) => { delete vpnContainer(o).resources.limits; } },
  { name: 'the sidecar without a CPU request', rules: ['resources.requests.cpu'], mutate: (o) => { delete vpnContainer(o).resources.requests.cpu; } },
  { name: 'the sidecar image :latest', rules: ['image'], mutate: (o) => { vpnContainer(o).image = 'europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-client:latest'; } },
  { name: 'the sidecar binds a host port', rules: ['hostAccess'], mutate: (o) => { vpnContainer(o).ports = [{ containerPort: 1194, hostPort: 1194 }]; } },
  {
    name: 'the sidecar mounts another host path', rules: ['hostAccess'],
    mutate: (o) => {
      deploymentOf(o).extraVolumes.push({ name: 'vpn-modules', hostPath: { path: '/lib/modules', type: 'Directory' } });
      vpnContainer(o).volumeMounts.push({ name: 'vpn-modules', mountPath: '/lib/modules', readOnly: true });
    },
  },
  { name: 'the tun device mounted without its type', rules: ['hostAccess'], mutate: (o) => { delete deploymentOf(o).extraVolumes[0].hostPath.type; } },
  { name: 'the tun device\'s volume mounted by nobody', rules: ['hostAccess'], mutate: (o) => { vpnContainer(o).volumeMounts = vpnContainer(o).volumeMounts.filter((m: K8sObject) => m.name !== 'vpn-dev-net-tun'); } },
  {
    name: 'another extra container, a copy of the sidecar under another name', rules: ['runAsNonRoot', 'capabilities.add', 'hostAccess'],
    mutate: (o) => { twin(o, 'debug'); },
  },
  {
    name: 'another extra container mounting the tun device only', rules: ['hostAccess'],
    mutate: (o) => {
      const c = twin(o, 'debug');
      c.securityContext = { runAsNonRoot: true, runAsUser: 65532, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
    },
  },
  {
    name: 'an extra init container named vpn (the exception is for a container of extraContainers)',
    rules: ['runAsNonRoot', 'capabilities.add', 'hostAccess'],
    mutate: (o) => { deploymentOf(o).extraInitContainers = [copy(vpnContainer(o))]; },
  },
  {
    name: 'a management Deployment container named vpn adding NET_ADMIN (the exception is the KamajiControlPlane\'s)', rules: ['capabilities.add'],
    mutate: (o) => {
      const d = o.find((x) => x.kind === 'Deployment')!;
      d.spec.template.spec.containers[0].name = VPN_CONTAINER_NAME;
      d.spec.template.spec.containers[0].securityContext.capabilities.add = ['NET_ADMIN'];
    },
  },
  {
    name: 'a management Deployment mounting /dev/net/tun', rules: ['hostAccess'],
    mutate: (o) => { o.find((x) => x.kind === 'Deployment')!.spec.template.spec.volumes.push({ name: 'tun', hostPath: { path: '/dev/net/tun', type: 'CharDevice' } }); },
  },
  {
    name: 'the sidecar mounts the tenant\'s admin kubeconfig', rules: ['kubeconfig.consumer'],
    mutate: (o) => { deploymentOf(o).extraVolumes.push({ name: 'vpn-kubeconfig', secret: { secretName: 'acme-admin-kubeconfig' } }); },
  },
];

describe('stretching the exception is caught', () => {
  test.each(MUTATIONS.map((m) => [m.name, m] as const))('%s', (_name, m) => {
    const base = withVpn();
    const before = new Set(checkManagementInvariants(base, OPTIONS).map(key));
    const mutated = copy(base);
    m.mutate(mutated);
    const added = checkManagementInvariants(mutated, OPTIONS).filter((v) => !before.has(key(v)));
    expect({ mutation: m.name, rules: [...new Set(added.map((v) => v.rule))].sort() }).toEqual({ mutation: m.name, rules: [...m.rules].sort() });
  });
});
