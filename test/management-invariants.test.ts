/**
 * DESIGN.md §4.6, management-side workloads (test/harness/management-invariants.ts):
 * (a) the examples (in-process, Helm 3 and Helm 4) and generated valid values render no violation, and the
 *     management workloads expected with the defaults are really there (no vacuous pass);
 * (b) each rule catches a one-field mutation of a clean object set: of a hand-written fixture, and of the
 *     chart's own output;
 * (c) a cdk8s construct that breaks the invariants fails the checker.
 *
 * Reproduce the property with `FC_SEED=<seed> npx jest test/management-invariants.test.ts`; FC_NUM_RUNS
 * overrides its number of runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { TenantClusterObjects } from '../src';
import { CLUSTER_SCOPED_RBAC } from '../src/constructs/management/cluster-scoped';
import { renderChart } from '../src/render';
import { helmBinaries, helmTemplate } from './harness/helm';
import {
  CapabilityException, checkManagementInvariants, ClusterScopedRbacException, formatViolations, imageProblem,
  isComponent, K8sObject, KUBECONFIG_CONSUMERS, MANAGEMENT_RULES, ManagementInvariantOptions, ManagementRule, parseQuantity,
  selectorMatches, Violation,
} from './harness/management-invariants';
import { TENANT_CLUSTER_LINES } from './harness/lines';
import { CHART, CHART_DIR, params, REPLAY_PATH, SEED } from './harness/properties';
import { parseManifests } from './harness/validate';
import { validCaseArb } from './harness/values-arbitrary';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml') && f !== 'flux-helmrelease.yaml' && !f.startsWith('flux-'));
const RELEASE = { release: 'acme', namespace: 'tenant-acme' };
const NUM_RUNS = Math.max(50, Number(process.env.FC_NUM_RUNS ?? 150));

/** CLUSTER_SCOPED_RBAC of src/ (kind, component, reason) as the checker's exception list. */
const CLUSTER_RBAC: readonly ClusterScopedRbacException[] = CLUSTER_SCOPED_RBAC.map(({ kind, component, reason }) => ({ kind, component, reason }));

const OPTIONS: ManagementInvariantOptions = { clusterScopedRbac: CLUSTER_RBAC };

/** The management workloads every example renders with the addon defaults: one Deployment each. */
const EXPECTED_WORKLOADS = ['cloud-controller-manager', 'csi-controller', 'cluster-autoscaler'];
/**
 * The same with OpenStack workers, with the number of Roles each has: the OpenStack cloud-controller-manager and
 * the Cinder CSI controller talk only to OpenStack and the tenant (no Role, no ServiceAccount token).
 */
const EXPECTED_OPENSTACK_WORKLOADS: ReadonlyArray<[string, number]> = [
  ['openstack-cloud-controller-manager', 0], ['cinder-csi-controller', 0], ['cluster-autoscaler', 1],
];

function exampleValues(file: string): Record<string, unknown> {
  return YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'), { version: '1.1' }) ?? {};
}

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function expectNoViolations(objects: readonly K8sObject[], options: ManagementInvariantOptions = OPTIONS): void {
  expect(formatViolations(checkManagementInvariants(objects, options))).toBe('');
}

/** The chart renders a Deployment, ServiceAccount, Role and RoleBinding for each expected management workload. */
function expectManagementWorkloads(objects: readonly K8sObject[]): void {
  const openstack = objects.some((o) => o.kind === 'OpenStackCluster');
  const expected: ReadonlyArray<[string, number]> = openstack ? EXPECTED_OPENSTACK_WORKLOADS : EXPECTED_WORKLOADS.map((c) => [c, 1]);
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  expect(deployments.length).toBeGreaterThanOrEqual(expected.length);
  // Exact names: the OpenStack components end like the KubeVirt ones (`…-cloud-controller-manager`, `…-csi-controller`).
  const mine = (kind: string, component: string) => objects.filter((o) => o.kind === kind && o.metadata.name === `acme-${component}`);
  for (const [component, roles] of expected) {
    expect({ component, deployments: mine('Deployment', component).length, serviceAccounts: mine('ServiceAccount', component).length,
      roles: mine('Role', component).length, roleBindings: mine('RoleBinding', component).length })
      .toEqual({ component, deployments: 1, serviceAccounts: 1, roles, roleBindings: roles });
  }
  // Every expected consumer mounts the admin kubeconfig (checked as a rule too; here so the rule cannot be vacuous).
  for (const [component] of expected) {
    const d = mine('Deployment', component)[0];
    expect((d.spec.template.spec.volumes ?? []).some((v: any) => v.secret?.secretName === 'acme-admin-kubeconfig')).toBe(true);
  }
  // On OpenStack the uninstall hook reaches the tenant too (to delete its load balancers); on KubeVirt it does not.
  const cleanup = objects.find((o) => o.kind === 'Job' && o.metadata.name === 'acme-cleanup');
  if (cleanup) {
    expect((cleanup.spec.template.spec.volumes ?? []).some((v: any) => v.secret?.secretName === 'acme-admin-kubeconfig')).toBe(openstack);
  }
  expect(objects.filter((o) => o.kind === 'KamajiControlPlane')).toHaveLength(1);
}

// ---------------------------------------------------------------------------------------------
// (a) the chart's own output
// ---------------------------------------------------------------------------------------------

describe('the chart renders no violation', () => {
  test('CLUSTER_SCOPED_RBAC (src/) gives a reason for each object', () => {
    expect(CLUSTER_SCOPED_RBAC.length).toBeGreaterThan(0);
    for (const { kind, component, reason } of CLUSTER_SCOPED_RBAC) {
      expect({ kind, component, reason: reason.trim().length > 20 }).toEqual({ kind, component, reason: true });
    }
    // The container exceptions (only the VPN sidecar) are pinned by test/vpn-invariants.test.ts.
  });

  test.each(EXAMPLES)('examples/%s, in-process', (file) => {
    const objects = renderChart(CHART, exampleValues(file), RELEASE);
    expectNoViolations(objects);
    expectManagementWorkloads(objects);
  });

  test.each(EXAMPLES)('line 2.x: examples/%s, in-process', (file) => {
    const v2 = TENANT_CLUSTER_LINES.find((l) => l.target === 'v1beta2')!;
    const objects = renderChart(v2.chart, exampleValues(file), RELEASE);
    expectNoViolations(objects);
    expectManagementWorkloads(objects);
  });

  describe.each(helmBinaries().map((h) => [h.name, h] as const))('%s', (_name, helm) => {
    test.each(EXAMPLES)('examples/%s', (file) => {
      const r = helmTemplate(helm, CHART_DIR, { ...RELEASE, valuesFiles: [path.join(ROOT, 'examples', file)] });
      expect(r.stderr).toBe('');
      const objects = parseManifests(r.stdout) as K8sObject[];
      expectNoViolations(objects);
      expectManagementWorkloads(objects);
    });
  });

  test('replicated workloads and the documented cluster-scoped exceptions (in-process)', () => {
    const objects = renderChart(CHART, realBaseValues(), RELEASE);
    expectNoViolations(objects);
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget').length).toBeGreaterThanOrEqual(2);
    const clusterScoped = objects.filter((o) => ['ClusterRole', 'ClusterRoleBinding', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'].includes(o.kind));
    expect(clusterScoped.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole/tenant-acme.acme.cloud-controller-manager', 'ClusterRole/tenant-acme.acme.csi-controller',
      'ClusterRoleBinding/tenant-acme.acme.cloud-controller-manager', 'ClusterRoleBinding/tenant-acme.acme.csi-controller',
      'ValidatingAdmissionPolicy/tenant-acme.acme.cloud-controller-manager', 'ValidatingAdmissionPolicyBinding/tenant-acme.acme.cloud-controller-manager',
    ]);
    // Without the exception list, the same output is refused: RBAC as such, the admission objects as cluster-scoped kinds.
    const refused = checkManagementInvariants(objects, { clusterScopedRbac: [] });
    expect(new Set(refused.map((v) => v.rule))).toEqual(new Set(['rbac.clusterScoped', 'namespace']));
    expect(refused.filter((v) => v.rule === 'namespace').map((v) => v.object).sort()).toEqual([
      'ValidatingAdmissionPolicy//tenant-acme.acme.cloud-controller-manager', 'ValidatingAdmissionPolicyBinding//tenant-acme.acme.cloud-controller-manager',
    ]);
  });

  test('the TenantClusterObjects construct (cdk8s app, no Helm) with default addons', () => {
    const chart = Testing.chart();
    new TenantClusterObjects(chart, 'acme', { name: 'acme', namespace: 'tenant-acme', values: exampleValues('minimal.yaml') });
    const objects = Testing.synth(chart);
    expectNoViolations(objects);
    expectManagementWorkloads(objects);
  });

  test(`generated valid values (${NUM_RUNS} runs, in-process)`, () => {
    console.log(`management invariants: fast-check seed ${SEED}${REPLAY_PATH ? ` path ${REPLAY_PATH}` : ''}, ${NUM_RUNS} runs`);
    const seen = { cases: 0, withWorkloads: 0, replicated: 0, clusterScoped: 0, kinds: new Set<string>() };
    fc.assert(fc.property(validCaseArb, (c) => {
      const objects: K8sObject[] = renderChart(CHART, c.values, { release: c.release, namespace: c.namespace });
      const violations = checkManagementInvariants(objects, { ...OPTIONS, namespace: c.namespace });
      if (violations.length > 0) throw new Error(`${formatViolations(violations)}\ncase: ${JSON.stringify(c)}`);
      seen.cases++;
      const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(o.kind));
      if (workloads.length > 0) seen.withWorkloads++;
      if (workloads.some((o) => Number(o.spec?.replicas ?? 1) > 1)) seen.replicated++;
      if (objects.some((o) => o.kind === 'ClusterRole')) seen.clusterScoped++;
      workloads.forEach((o) => seen.kinds.add(o.kind));
    }), params(NUM_RUNS));
    console.log(`management invariants: ${seen.withWorkloads}/${seen.cases} cases with management workloads, ${seen.replicated} replicated, `
      + `${seen.clusterScoped} with a ClusterRole; kinds ${[...seen.kinds].sort().join(', ')}`);
    expect(seen.withWorkloads).toBeGreaterThan(0);
  }, 600_000);
});

// ---------------------------------------------------------------------------------------------
// (b) each rule catches a mutation
// ---------------------------------------------------------------------------------------------

const NS = 'tenant-acme';
const KUBECONFIG_SECRET = 'acme-admin-kubeconfig';
const restricted = () => ({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
const labelsOf = (component: string) => ({
  'app.kubernetes.io/name': 'tenant-cluster', 'app.kubernetes.io/instance': 'acme', 'app.kubernetes.io/component': component,
});

/** A clean management workload as the invariants want it (independent of src/). */
function workload(component: string, replicas: number, containers: string[]): K8sObject[] {
  const name = `acme-${component}`;
  const metadata = { name, namespace: NS, labels: labelsOf(component) };
  const selector = { matchLabels: { 'app.kubernetes.io/instance': 'acme', 'app.kubernetes.io/component': component } };
  const mount = { name: 'tenant-kubeconfig', mountPath: '/etc/kubernetes/kubeconfig', readOnly: true };
  const container = (n: string) => ({
    name: n,
    image: `registry.example.com/${n}:v1.2.3`,
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
    securityContext: restricted(),
    volumeMounts: [mount, { name: 'tmp', mountPath: '/tmp' }],
  });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata, rules: [{ apiGroups: ['kubevirt.io'], resources: ['virtualmachines'], verbs: ['get', 'list', 'watch'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: NS }],
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata,
      spec: {
        replicas,
        selector,
        template: {
          metadata: { labels: { ...labelsOf(component), ...selector.matchLabels } },
          spec: {
            serviceAccountName: name,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            initContainers: [{ ...container('wait-for-kubeconfig'), image: 'docker.io/library/busybox:1.37.0', volumeMounts: [mount] }],
            containers: containers.map(container),
            volumes: [
              { name: 'tenant-kubeconfig', secret: { secretName: KUBECONFIG_SECRET, optional: true } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    },
    ...(replicas > 1 ? [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata, spec: { maxUnavailable: 1, selector } }] : []),
  ];
}

/** A clean object set: control plane, the three workloads (one replicated), the CCM's ClusterRole exception, a HelmRelease. */
function fixture(): K8sObject[] {
  const res = (cpu: string, memory: string) => ({ resources: { requests: { cpu, memory }, limits: { memory: '1Gi' } } });
  const clusterName = `${NS}.acme.cloud-controller-manager`;
  return [
    {
      apiVersion: 'controlplane.cluster.x-k8s.io/v1alpha1', kind: 'KamajiControlPlane', metadata: { name: 'acme', namespace: NS },
      spec: {
        replicas: 2,
        apiServer: res('100m', '384Mi'), controllerManager: res('25m', '128Mi'), scheduler: res('10m', '64Mi'),
        addons: { konnectivity: { server: { port: 8132, ...res('10m', '64Mi') } } },
      },
    },
    { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { name: 'acme', namespace: NS }, spec: {} },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'acme-cloud-config', namespace: NS }, data: { 'cloud-config': 'namespace: tenant-acme\n' } },
    ...workload('cloud-controller-manager', 2, ['cloud-controller-manager']),
    ...workload('csi-controller', 1, ['csi-driver', 'csi-provisioner']),
    ...workload('cluster-autoscaler', 1, ['cluster-autoscaler']),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: clusterName, labels: labelsOf('cloud-controller-manager') },
      rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: clusterName, labels: labelsOf('cloud-controller-manager') },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: [{ kind: 'ServiceAccount', name: 'acme-cloud-controller-manager', namespace: NS }],
    },
    {
      // Tenant-side values: a pod spec in here is not a management workload.
      apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'acme-cilium', namespace: NS },
      spec: {
        interval: '10m', chart: { spec: { chart: 'cilium', version: '1.18.4', sourceRef: { kind: 'HelmRepository', name: 'acme-cilium' } } },
        values: { kind: 'Deployment', spec: { template: { spec: { containers: [{ name: 'x', image: 'cilium:latest', securityContext: { privileged: true } }] } } } },
      },
    },
  ];
}

const FIXTURE_OPTIONS: ManagementInvariantOptions = {
  clusterScopedRbac: [
    { kind: 'ClusterRole', component: 'cloud-controller-manager', reason: 'reads management nodes for zone and region labels' },
    { kind: 'ClusterRoleBinding', component: 'cloud-controller-manager', reason: 'binds the ClusterRole above' },
  ],
};

/** examples/minimal.yaml with a replicated CCM and CSI controller and the CCM's zone/region ClusterRole. */
function realBaseValues(): Record<string, any> {
  const values: Record<string, any> = exampleValues('minimal.yaml');
  const addons = values.addons ?? (values.addons = {});
  addons.cloudControllerManager = { ...(addons.cloudControllerManager ?? {}), replicas: 2, zoneAndRegion: true };
  addons.csi = { ...(addons.csi ?? {}), controller: { ...(addons.csi?.controller ?? {}), replicas: 2 } };
  return values;
}

// --- finders for the mutations (work on the fixture and on the chart's output alike) ---------
function find(objects: K8sObject[], kind: string, component: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && isComponent(x, component));
  if (!o) throw new Error(`no ${kind} of ${component} in ${objects.map((x) => `${x.kind}/${x.metadata?.name}`).join(', ')}`);
  return o;
}
const deployment = (objects: K8sObject[], component = 'cloud-controller-manager') => find(objects, 'Deployment', component);
const podSpec = (objects: K8sObject[], component?: string) => deployment(objects, component).spec.template.spec;
const mainContainer = (objects: K8sObject[], component?: string) => podSpec(objects, component).containers[0];
const allContainers = (spec: any): any[] => [...(spec.initContainers ?? []), ...spec.containers];

/** A copy of a component's Deployment and ServiceAccount as a new, otherwise clean component (1 replica). */
function cloneWorkload(objects: K8sObject[], from: string, to: string): K8sObject {
  const d = copy(deployment(objects, from));
  const name = `acme-${to}`;
  d.metadata.name = name;
  d.metadata.labels = { ...d.metadata.labels, 'app.kubernetes.io/component': to };
  d.spec.replicas = 1;
  d.spec.selector.matchLabels['app.kubernetes.io/component'] = to;
  d.spec.template.metadata.labels['app.kubernetes.io/component'] = to;
  d.spec.template.spec.serviceAccountName = name;
  objects.push(d, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: d.metadata.namespace, labels: d.metadata.labels } });
  return d;
}

/** Removes the admin kubeconfig volume and its mounts from a pod spec. */
function dropKubeconfig(spec: any): void {
  const names = new Set((spec.volumes ?? []).filter((v: any) => /-admin-kubeconfig$/.test(v.secret?.secretName ?? '')).map((v: any) => v.name));
  spec.volumes = spec.volumes.filter((v: any) => !names.has(v.name));
  for (const c of allContainers(spec)) c.volumeMounts = (c.volumeMounts ?? []).filter((m: any) => !names.has(m.name));
}

interface Mutation {
  readonly name: string;
  /** The rules the mutation must break, and no other. */
  readonly rules: readonly ManagementRule[];
  mutate(objects: K8sObject[]): void;
  readonly options?: ManagementInvariantOptions;
}

const MUTATIONS: readonly Mutation[] = [
  { name: 'drop a memory limit', rules: ['resources.limits.memory'], mutate: (o) => { delete mainContainer(o).resources.limits.memory; } },
  { name: 'memory limit below the request', rules: ['resources.limits.memory'], mutate: (o) => { const r = mainContainer(o).resources; r.requests.memory = '1Gi'; r.limits.memory = '512Mi'; } },
  { name: 'drop all limits', rules: ['resources.limits.memory'], mutate: (o) => { delete mainContainer(o).resources.limits; } },
  { name: 'drop a CPU request', rules: ['resources.requests.cpu'], mutate: (o) => { delete mainContainer(o).resources.requests.cpu; } },
  { name: 'drop an init container\'s memory request', rules: ['resources.requests.memory'], mutate: (o) => { delete podSpec(o).initContainers[0].resources.requests.memory; } },
  {
    name: 'no runAsNonRoot anywhere', rules: ['runAsNonRoot'], mutate: (o) => {
      const spec = podSpec(o);
      delete spec.securityContext.runAsNonRoot;
      for (const c of allContainers(spec)) delete c.securityContext.runAsNonRoot;
    },
  },
  { name: 'a container with runAsNonRoot false', rules: ['runAsNonRoot'], mutate: (o) => { mainContainer(o).securityContext.runAsNonRoot = false; } },
  { name: 'a container with runAsUser 0', rules: ['runAsNonRoot'], mutate: (o) => { mainContainer(o).securityContext.runAsUser = 0; } },
  { name: 'allowPrivilegeEscalation true', rules: ['allowPrivilegeEscalation'], mutate: (o) => { mainContainer(o).securityContext.allowPrivilegeEscalation = true; } },
  { name: 'allowPrivilegeEscalation unset', rules: ['allowPrivilegeEscalation'], mutate: (o) => { delete podSpec(o, 'csi-controller').initContainers[0].securityContext.allowPrivilegeEscalation; } },
  { name: 'a privileged container', rules: ['privileged'], mutate: (o) => { mainContainer(o).securityContext.privileged = true; } },
  { name: 'capabilities not dropped', rules: ['capabilities.drop'], mutate: (o) => { mainContainer(o).securityContext.capabilities.drop = ['NET_RAW']; } },
  { name: 'capabilities unset', rules: ['capabilities.drop'], mutate: (o) => { delete mainContainer(o).securityContext.capabilities; } },
  { name: 'a capability added', rules: ['capabilities.add'], mutate: (o) => { mainContainer(o).securityContext.capabilities.add = ['NET_ADMIN']; } },
  {
    name: 'a capability added that the exception list does not cover (other capability)', rules: ['capabilities.add'],
    options: { capabilityExceptions: [{ component: 'cloud-controller-manager', container: 'cloud-controller-manager', capabilities: ['NET_ADMIN'], reason: 'test' }] },
    mutate: (o) => { mainContainer(o).securityContext.capabilities.add = ['NET_ADMIN', 'SYS_ADMIN']; },
  },
  {
    name: 'a capability added that the exception list covers for another container', rules: ['capabilities.add'],
    options: { capabilityExceptions: [{ component: 'cloud-controller-manager', container: 'other', capabilities: ['NET_ADMIN'], reason: 'test' }] },
    mutate: (o) => { mainContainer(o).securityContext.capabilities.add = ['NET_ADMIN']; },
  },
  { name: 'no seccomp profile', rules: ['seccompProfile'], mutate: (o) => { const spec = podSpec(o); delete spec.securityContext.seccompProfile; for (const c of allContainers(spec)) delete c.securityContext.seccompProfile; } },
  { name: 'a container Unconfined under a RuntimeDefault pod', rules: ['seccompProfile'], mutate: (o) => { mainContainer(o).securityContext.seccompProfile = { type: 'Unconfined' }; } },
  { name: 'readOnlyRootFilesystem false', rules: ['readOnlyRootFilesystem'], mutate: (o) => { mainContainer(o).securityContext.readOnlyRootFilesystem = false; } },
  { name: 'readOnlyRootFilesystem unset on an init container', rules: ['readOnlyRootFilesystem'], mutate: (o) => { delete podSpec(o, 'cluster-autoscaler').initContainers[0].securityContext.readOnlyRootFilesystem; } },
  { name: 'hostNetwork', rules: ['hostAccess'], mutate: (o) => { podSpec(o).hostNetwork = true; } },
  { name: 'a hostPath volume', rules: ['hostAccess'], mutate: (o) => { podSpec(o).volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); } },
  { name: 'a host port', rules: ['hostAccess'], mutate: (o) => { mainContainer(o).ports = [{ containerPort: 8080, hostPort: 8080 }]; } },
  { name: 'image :latest', rules: ['image'], mutate: (o) => { mainContainer(o).image = 'quay.io/kubevirt/kubevirt-cloud-controller-manager:latest'; } },
  { name: 'image without tag', rules: ['image'], mutate: (o) => { podSpec(o).initContainers[0].image = 'registry.example.com:5000/busybox'; } },
  { name: 'serviceAccountName unset', rules: ['serviceAccount.name'], mutate: (o) => { delete podSpec(o).serviceAccountName; } },
  { name: 'serviceAccountName default', rules: ['serviceAccount.name'], mutate: (o) => { podSpec(o).serviceAccountName = 'default'; } },
  { name: 'a ServiceAccount the chart does not render', rules: ['serviceAccount.missing'], mutate: (o) => { podSpec(o).serviceAccountName = 'ghost'; } },
  {
    name: 'the ServiceAccount object removed', rules: ['serviceAccount.missing', 'rbac.binding'],
    mutate: (o) => { o.splice(o.indexOf(find(o, 'ServiceAccount', 'cluster-autoscaler')), 1); },
  },
  { name: 'two workloads share a ServiceAccount', rules: ['serviceAccount.shared'], mutate: (o) => { podSpec(o, 'csi-controller').serviceAccountName = podSpec(o).serviceAccountName; } },
  { name: 'a selector that misses its pods', rules: ['selector'], mutate: (o) => { deployment(o, 'csi-controller').spec.selector.matchLabels['app.kubernetes.io/component'] = 'other'; } },
  {
    name: 'a selector that also selects another workload\'s pods', rules: ['selector'],
    mutate: (o) => { delete deployment(o, 'csi-controller').spec.selector.matchLabels['app.kubernetes.io/component']; },
  },
  { name: 'the PDB removed while replicas 2', rules: ['pdb'], mutate: (o) => { o.splice(o.indexOf(find(o, 'PodDisruptionBudget', 'cloud-controller-manager')), 1); } },
  {
    name: 'a PDB that allows no disruption', rules: ['pdb'],
    mutate: (o) => { const pdb = find(o, 'PodDisruptionBudget', 'cloud-controller-manager'); pdb.spec = { minAvailable: 2, selector: pdb.spec.selector }; },
  },
  {
    name: 'a PDB that selects nothing', rules: ['pdb'],
    mutate: (o) => { const pdb = copy(find(o, 'PodDisruptionBudget', 'cloud-controller-manager')); pdb.metadata.name = 'acme-stale'; pdb.spec.selector = { matchLabels: { stale: 'true' } }; o.push(pdb); },
  },
  {
    name: 'a PDB with an empty selector', rules: ['pdb'],
    mutate: (o) => { const pdb = copy(find(o, 'PodDisruptionBudget', 'cloud-controller-manager')); pdb.metadata.name = 'acme-all'; pdb.spec.selector = {}; o.push(pdb); },
  },
  {
    name: 'a Role and RoleBinding in another namespace', rules: ['rbac.namespace'],
    mutate: (o) => { find(o, 'Role', 'csi-controller').metadata.namespace = 'kube-system'; find(o, 'RoleBinding', 'csi-controller').metadata.namespace = 'kube-system'; },
  },
  { name: 'a RoleBinding subject in another namespace', rules: ['rbac.namespace'], mutate: (o) => { find(o, 'RoleBinding', 'csi-controller').subjects[0].namespace = 'default'; } },
  {
    name: 'an extra ClusterRole', rules: ['rbac.clusterScoped'],
    mutate: (o) => { const role = copy(find(o, 'Role', 'csi-controller')); role.kind = 'ClusterRole'; delete role.metadata.namespace; role.metadata.name = `${NS}-${role.metadata.name}`; o.push(role); },
  },
  {
    name: 'an extra ClusterRoleBinding to a Role', rules: ['rbac.clusterScoped', 'rbac.binding'],
    mutate: (o) => { const b = copy(find(o, 'RoleBinding', 'csi-controller')); b.kind = 'ClusterRoleBinding'; delete b.metadata.namespace; b.metadata.name = `${NS}-${b.metadata.name}`; o.push(b); },
  },
  {
    name: 'an excepted ClusterRole named without the namespace', rules: ['rbac.clusterScoped'],
    mutate: (o) => { find(o, 'ClusterRole', 'cloud-controller-manager').metadata.name = 'acme-cloud-controller-manager'; find(o, 'ClusterRoleBinding', 'cloud-controller-manager').roleRef.name = 'acme-cloud-controller-manager'; },
  },
  {
    name: 'an excepted admission policy named without the namespace', rules: ['rbac.clusterScoped'],
    options: { clusterScopedRbac: [...FIXTURE_OPTIONS.clusterScopedRbac!, { kind: 'ValidatingAdmissionPolicy', component: 'cloud-controller-manager', reason: 'refuses externalIPs on its Services' }] },
    mutate: (o) => { o.push({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'acme.cloud-controller-manager', labels: labelsOf('cloud-controller-manager') }, spec: {} }); },
  },
  { name: 'an admission policy that is not a listed exception', rules: ['namespace'], mutate: (o) => { o.push({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: `${NS}.acme.anything`, labels: labelsOf('vpn') }, spec: {} }); } },
  {
    // `<namespace>-<release>-…` collides across tenants (release b-c in namespace a, release c in namespace a-b).
    name: 'an excepted ClusterRole named <namespace>-<cluster>-<component>', rules: ['rbac.clusterScoped'],
    mutate: (o) => {
      const name = `${NS}-acme-cloud-controller-manager`;
      find(o, 'ClusterRole', 'cloud-controller-manager').metadata.name = name;
      find(o, 'ClusterRoleBinding', 'cloud-controller-manager').roleRef.name = name;
    },
  },
  { name: 'a RoleBinding to the ClusterRole admin', rules: ['rbac.clusterScoped'], mutate: (o) => { find(o, 'RoleBinding', 'csi-controller').roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' }; } },
  { name: 'a RoleBinding to a group', rules: ['rbac.binding'], mutate: (o) => { find(o, 'RoleBinding', 'csi-controller').subjects.push({ kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' }); } },
  { name: 'a RoleBinding to a Role not rendered', rules: ['rbac.binding'], mutate: (o) => { find(o, 'RoleBinding', 'csi-controller').roleRef.name = 'acme-ghost'; } },
  { name: 'a wildcard verb', rules: ['rbac.wildcard'], mutate: (o) => { find(o, 'Role', 'cluster-autoscaler').rules[0].verbs = ['*']; } },
  { name: 'a wildcard resource', rules: ['rbac.wildcard'], mutate: (o) => { find(o, 'Role', 'cluster-autoscaler').rules[0].resources = ['*']; } },
  {
    name: 'the admin kubeconfig mounted writable', rules: ['kubeconfig.readOnly'],
    mutate: (o) => { mainContainer(o).volumeMounts.find((m: any) => m.name === podSpec(o).volumes.find((v: any) => /-admin-kubeconfig$/.test(v.secret?.secretName ?? '')).name).readOnly = false; },
  },
  {
    name: 'the admin kubeconfig mount without readOnly (init container)', rules: ['kubeconfig.readOnly'],
    mutate: (o) => { for (const m of podSpec(o, 'csi-controller').initContainers[0].volumeMounts) delete m.readOnly; },
  },
  { name: 'the admin kubeconfig in a workload that does not need it', rules: ['kubeconfig.consumer'], mutate: (o) => { cloneWorkload(o, 'cloud-controller-manager', 'vpn'); } },
  { name: 'a consumer without the admin kubeconfig', rules: ['kubeconfig.consumer'], mutate: (o) => { dropKubeconfig(podSpec(o, 'cluster-autoscaler')); } },
  {
    name: 'the admin kubeconfig as a projected volume', rules: ['kubeconfig.secretVolume', 'kubeconfig.consumer'],
    mutate: (o) => {
      const v = podSpec(o).volumes.find((x: any) => /-admin-kubeconfig$/.test(x.secret?.secretName ?? ''));
      v.projected = { sources: [{ secret: { name: v.secret.secretName } }] };
      delete v.secret;
    },
  },
  {
    name: 'the admin kubeconfig in an environment variable', rules: ['kubeconfig.secretVolume'],
    mutate: (o) => { mainContainer(o).env = [{ name: 'KUBECONFIG_DATA', valueFrom: { secretKeyRef: { name: KUBECONFIG_SECRET, key: 'super-admin.svc' } } }]; },
  },
  { name: 'no CPU request for the API server', rules: ['controlPlane.resources'], mutate: (o) => { delete o.find((x) => x.kind === 'KamajiControlPlane')!.spec.apiServer.resources.requests.cpu; } },
  { name: 'no resources for the scheduler', rules: ['controlPlane.resources'], mutate: (o) => { delete o.find((x) => x.kind === 'KamajiControlPlane')!.spec.scheduler.resources; } },
  { name: 'no requests for the Konnectivity server', rules: ['controlPlane.resources'], mutate: (o) => { delete o.find((x) => x.kind === 'KamajiControlPlane')!.spec.addons.konnectivity.server.resources; } },
  { name: 'an object in another namespace', rules: ['namespace'], mutate: (o) => { o.find((x) => x.kind === 'Cluster')!.metadata.namespace = 'default'; } },
  { name: 'a cluster-scoped Namespace object', rules: ['namespace'], mutate: (o) => { o.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-acme-extra' } }); } },
];

const key = (v: Violation) => `${v.object} ${v.path} [${v.rule}] ${v.message}`;

function expectMutationCaught(base: K8sObject[], m: Mutation, options: ManagementInvariantOptions): void {
  const before = new Set(checkManagementInvariants(base, { ...options, ...m.options }).map(key));
  const mutated = copy(base);
  m.mutate(mutated);
  const added = checkManagementInvariants(mutated, { ...options, ...m.options }).filter((v) => !before.has(key(v)));
  expect({ mutation: m.name, rules: [...new Set(added.map((v) => v.rule))].sort() }).toEqual({ mutation: m.name, rules: [...m.rules].sort() });
}

describe('every rule catches a one-field mutation', () => {
  test('every rule has a mutation', () => {
    const covered = new Set(MUTATIONS.flatMap((m) => m.rules));
    expect(MANAGEMENT_RULES.filter((r) => !covered.has(r))).toEqual([]);
  });

  describe('of the fixture', () => {
    test('the fixture itself is clean and has every kind the mutations need', () => {
      expectNoViolations(fixture(), FIXTURE_OPTIONS);
    });
    test.each(MUTATIONS.map((m) => [m.name, m] as const))('%s', (_name, m) => expectMutationCaught(fixture(), m, FIXTURE_OPTIONS));
  });

  describe('of the chart\'s output (examples/minimal.yaml, CCM and CSI controller replicated, zoneAndRegion)', () => {
    let base: K8sObject[] | undefined;
    const real = () => (base ??= renderChart(CHART, realBaseValues(), RELEASE));
    test.each(MUTATIONS.map((m) => [m.name, m] as const))('%s', (_name, m) => expectMutationCaught(real(), m, OPTIONS));
  });

  test('a capability listed as an exception passes, for that component and container only', () => {
    const exceptions: CapabilityException[] = [{ component: 'vpn', container: 'cloud-controller-manager', capabilities: ['NET_ADMIN'], reason: 'routes the reverse path' }];
    const objects = fixture();
    const vpn = cloneWorkload(objects, 'cloud-controller-manager', 'vpn');
    dropKubeconfig(vpn.spec.template.spec);
    vpn.spec.template.spec.containers[0].securityContext.capabilities.add = ['CAP_NET_ADMIN'];
    expectNoViolations(objects, { ...FIXTURE_OPTIONS, capabilityExceptions: exceptions });
    expect(checkManagementInvariants(objects, FIXTURE_OPTIONS).map((v) => v.rule)).toEqual(['capabilities.add']);
  });

  test('HelmRelease values are tenant-side: never checked', () => {
    const objects = fixture();
    const hr = objects.find((o) => o.kind === 'HelmRelease')!;
    hr.spec.values = { ...workload('agent', 3, ['agent'])[3], extra: { hostNetwork: true } };
    expectNoViolations(objects, FIXTURE_OPTIONS);
  });

  test('a pinned digest passes even with the tag latest; other image forms', () => {
    const digest = `@sha256:${'a'.repeat(64)}`;
    expect(imageProblem(`quay.io/x/y:latest${digest}`)).toBeUndefined();
    expect(imageProblem(`quay.io/x/y${digest}`)).toBeUndefined();
    expect(imageProblem('registry:5000/x/y:v1')).toBeUndefined();
    expect(imageProblem('registry:5000/x/y')).toMatch(/neither tag nor digest/);
    expect(imageProblem('y:latest')).toMatch(/latest/);
    expect(imageProblem('y:')).toMatch(/empty tag/);
    expect(imageProblem(undefined)).toBe('no image');
  });

  test('label selectors: matchLabels and every matchExpressions operator', () => {
    const labels = { a: '1', b: '2' };
    expect(selectorMatches({ matchLabels: { a: '1' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { a: '2' } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '3'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'c', operator: 'NotIn', values: ['1'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'b', operator: 'Exists' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }] }, labels)).toBe(false);
  });

  test('quantities', () => {
    expect(parseQuantity('100m')).toBeCloseTo(0.1);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity('1.5')).toBe(1.5);
    expect(parseQuantity('64Mi')).toBe(64 * 2 ** 20);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('512Ki')).toBe(512 * 1024);
    expect(parseQuantity('1k')).toBe(1000);
    expect(parseQuantity('128M')).toBe(128e6);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(() => parseQuantity('1 Gi')).toThrow();
    expect(() => parseQuantity('Gi')).toThrow();
    expect(() => parseQuantity('1GB')).toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
// (c) a construct that breaks the invariants
// ---------------------------------------------------------------------------------------------

describe('a cdk8s construct that breaks the invariants fails the checker', () => {
  test('a plain Deployment ApiObject without securityContext, resources or ServiceAccount', () => {
    const app = new App();
    const chart = new Chart(app, 'bad', { namespace: NS, disableResourceNameHashes: true });
    new ApiObject(chart, 'sidecar', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'acme-sidecar' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'sidecar' } },
        template: {
          metadata: { labels: { app: 'sidecar' } },
          spec: {
            containers: [{ name: 'sidecar', image: 'nginx' }],
            volumes: [{ name: 'kubeconfig', secret: { secretName: KUBECONFIG_SECRET } }],
          },
        },
      },
    });
    const objects = chart.toJson();
    const violations = checkManagementInvariants(objects, { namespace: NS });
    expect(new Set(violations.map((v) => v.rule))).toEqual(new Set<ManagementRule>([
      'resources.requests.cpu', 'resources.requests.memory', 'resources.limits.memory', 'runAsNonRoot', 'allowPrivilegeEscalation',
      'capabilities.drop', 'seccompProfile', 'readOnlyRootFilesystem', 'image', 'serviceAccount.name', 'pdb', 'kubeconfig.consumer',
    ]));
    expect(violations.every((v) => v.object === `Deployment/${NS}/acme-sidecar`)).toBe(true);
    expect(violations.find((v) => v.rule === 'resources.limits.memory')!.path).toBe('spec.template.spec.containers[0].resources.limits.memory');
  });

  test('consumers are identified by component: KUBECONFIG_CONSUMERS are the three management workloads', () => {
    expect([...KUBECONFIG_CONSUMERS].sort()).toEqual([...EXPECTED_WORKLOADS].sort());
  });
});
