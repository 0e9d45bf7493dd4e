/**
 * Chart upgrade tests: every released version of each chart line (dist/released.json) against the current
 * chart, with the same values. The old side is the released archive rendered by real `helm template` (Helm 3
 * and Helm 4); the new side the current chart. Values: every example the old chart accepts, plus generated
 * valid values (test/harness/values-arbitrary.ts) without the keys the old contract did not have, kept when
 * both charts accept them after the documented upgrade steps (README "Upgrading").
 *
 * Asserted with the rules `tenant-cluster diff` applies (src/diff/rules.ts, each with its upstream source):
 * no field upstream treats as immutable is edited in place; content-hash names change exactly when the
 * content does, and the MachineDeployments follow; nothing a running tenant needs is deleted; no HelmRelease
 * changes its release target (Flux would uninstall and reinstall the addon); and the machine rollouts and
 * control-plane restarts that happen are the documented ones.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { DiffReport } from '../src/diff/compare';
import { FieldChange, formatPath } from '../src/diff/field-diff';
import { KubeObject } from '../src/diff/objects';
import { CONTROL_PLANE_POD_FIELDS } from '../src/diff/rules';
import { KUBEVIRT_CSI_NODE_CHART_VERSION } from '../src/charts/kubevirt-csi-node/version';
import { compareSemver } from '../src/package/repo-index';
import { checkValues, renderChart } from '../src/render';
import { HelmBinary, helmBinaries, REPO_ROOT } from './harness/helm';
import { ChartLineUnderTest, TENANT_CLUSTER_LINES } from './harness/lines';
import { archiveSchema, pruneToSchema, ReleasedChart, releasedVersions, renderArchive, upgradeReport } from './harness/upgrade';
import { Doc, getPath, setPath, validCaseArb } from './harness/values-arbitrary';

const GENERATED_CASES = 60;
/** Generated values for the line-to-line step (in-process renders only). */
const CROSS_LINE_GENERATED_CASES = 30;
const SEED = 20261201;

/**
 * What an operator does when a newer chart refuses values the released one accepted: each entry names the
 * refusal (the new chart's message) and either the change to the values that the README's upgrade notes ask
 * for, or `excluded` with why such a tenant cannot exist. A refusal not listed here fails the tests: a
 * contract that tightened without an upgrade note.
 */
interface UpgradeStep {
  /** The first chart version that needs it (applies to upgrades from older versions). */
  readonly since: string;
  /** The new chart's refusal it answers; absent: applied to every upgrade from an older version (to keep the tenant as it runs). */
  readonly refusal?: RegExp;
  readonly why: string;
  readonly fix?: (values: Doc) => void;
  readonly excluded?: string;
}

export const UPGRADE_STEPS: readonly UpgradeStep[] = [
  {
    since: '1.1.0',
    why: '1.0.0 installed no CNI and ran Kamaji\'s kube-proxy: a 1.0.0 tenant keeps the CNI it runs (addons.cni.enabled: false) and '
      + 'kube-proxy (1.1.0 turned it off by default), or Kamaji removes kube-proxy from the tenant',
    fix: (v) => {
      setPath(v, 'addons.cni.enabled', false);
      if (getPath(v, 'controlPlane.addons.kubeProxy.enabled') === undefined) setPath(v, 'controlPlane.addons.kubeProxy.enabled', true);
    },
  },
  {
    since: '1.1.0',
    refusal: /^addons\.repositories\.tenantCluster\.url: required while addons\.csi\.enabled is true/,
    why: '1.1.0 installs the KubeVirt CSI node chart into the tenant, from the repository that serves dist/',
    fix: (v) => setPath(v, 'addons.repositories.tenantCluster.url', 'https://charts.example.com/tenant-cluster'),
  },
  {
    since: '1.1.0',
    refusal: /^fullnameOverride \(or the release name\): HelmRelease ".*" of addons\.\w+(\.\w+)? is longer than \d+ characters/,
    why: 'the addon HelmReleases of 1.1.0 are named <cluster>-<addon>, which must fit Helm\'s release name limit',
    excluded: 'clusters whose name leaves no room for the addon release names keep the addons off (a different values document)',
  },
  {
    since: '1.1.0',
    refusal: /^nodeGroups\.[^.]+\.autoscaling\.capacity: cpu and memory are required to scale from zero with instancetype/,
    why: '1.1.0 tells the cluster autoscaler the size of a node group that scales from zero',
    fix: (v) => {
      for (const g of Object.values((v.nodeGroups ?? {}) as Record<string, Doc>)) {
        if (g && getPath(g, 'kubevirt.instancetype') !== undefined) setPath(g, 'autoscaling.capacity', { cpu: '2', memory: '4Gi' });
      }
    },
  },
  {
    since: '1.2.0',
    refusal: /^controlPlane\.endpoint\.nodePort\.address: required with controlPlane\.endpoint\.type NodePort/,
    why: '1.2.0 needs the address a NodePort control plane is reached at (1.1.0 rendered no advertised address)',
    fix: (v) => setPath(v, 'controlPlane.endpoint.nodePort.address', '192.0.2.10'),
  },
  {
    since: '1.2.0',
    refusal: /^(clusterNetwork\.apiServerPort|controlPlane\.addons\.konnectivity\.serverPort): \d+ is outside managementCluster\.serviceNodePortRange/,
    why: 'with a NodePort endpoint Kamaji uses these ports as node ports',
    excluded: 'Kubernetes refuses a node port outside the service node port range: such a tenant never came up',
  },
  {
    since: '1.2.0',
    refusal: /^addons\.csi\.infraVolumeSnapshotClassName: required with addons\.csi\.volumeSnapshotClass while addons\.csi\.infraStorageClassName is/,
    why: '1.2.0 maps the tenant\'s snapshots to an infra VolumeSnapshotClass (the driver snapshots only through it)',
    fix: (v) => setPath(v, 'addons.csi.infraVolumeSnapshotClassName', 'infra-snapshots'),
  },
  {
    since: '1.2.0',
    refusal: /^fullnameOverride \(or the release name\): cluster name ".*" is longer than \d+ characters, too long for the Job ".*" of addons\.uninstallCleanup/,
    why: '1.2.0 adds a pre-delete cleanup Job named after the cluster',
    fix: (v) => setPath(v, 'addons.uninstallCleanup.enabled', false),
  },
  {
    since: '1.2.0',
    refusal: /^fullnameOverride \(or the release name\): HelmRelease ".*-snapshot-controller" of addons\.csi\.snapshotController is longer than \d+ characters/,
    why: '1.2.0 installs the snapshot controller with addons.csi.volumeSnapshotClass as the HelmRelease <cluster>-snapshot-controller',
    fix: (v) => setPath(v, 'addons.csi.snapshotController.enabled', false),
  },
  {
    since: '1.2.0',
    refusal: /^nodeGroups\.[^.]+\.kubelet\.reserved\.memory: \S+ plus the kubelet's \S+ eviction threshold leaves nothing of the node's/,
    why: '1.2.0 reserves memory for the kubelet and the runtime (kube-reserved)',
    excluded: 'a node whose memory the reservation exceeds cannot run pods: give it more memory or a smaller kubelet.reserved',
  },
];

/**
 * What an upgrade from each release does to a running tenant by design (README "Upgrading"). `machineTemplate`
 * lists the spec paths (prefixes) of the machine and bootstrap templates that may change: each change renames
 * the template and rolls the node group's machines. Any other template change fails the test.
 */
interface ExpectedEffects {
  readonly machineTemplatePaths: readonly string[];
  /**
   * Control-plane component flags the old chart wrote differently: 1.0.0 and 1.1.0 passed the flag list
   * through YAML, which collapsed the trailing whitespace of a value; 1.2.0 passes values as given. A
   * control plane whose flag values end in more than one space restarts once.
   */
  readonly flagWhitespaceFixed: boolean;
  /** Changed KamajiControlPlane leaves that recreate the control-plane pods (prefixes). */
  readonly controlPlanePaths: readonly string[];
  readonly why: string;
}

const KUBELET_DISK_AND_RESERVED: ExpectedEffects = {
  why: 'kube-reserved for the kubelet and the runtime; the kubelet and containerd state on a disk of its own (diskSetup, mounts, '
    + 'the bind mounts before kubeadm, a kubelet DataVolume); the worker image pinned by digest; the kubelet and kubeadm of the '
    + 'chosen Kubernetes patch installed before kubeadm join (an install script in files and preKubeadmCommands), so kubeadm\'s '
    + 'FileExisting-conntrack preflight check is ignored on the minors below 1.32 that still run it',
  // A NodePort control plane gets the address it is reached at (the new controlPlane.endpoint.nodePort.address).
  controlPlanePaths: ['spec.network.serviceAddress'],
  flagWhitespaceFixed: true,
  machineTemplatePaths: [
    'KubeadmConfigTemplate spec.template.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs',
    'KubeadmConfigTemplate spec.template.spec.files',
    'KubeadmConfigTemplate spec.template.spec.preKubeadmCommands',
    'KubeadmConfigTemplate spec.template.spec.diskSetup',
    'KubeadmConfigTemplate spec.template.spec.mounts',
    'KubevirtMachineTemplate spec.template.spec.virtualMachineTemplate.spec.dataVolumeTemplates',
    'KubevirtMachineTemplate spec.template.spec.virtualMachineTemplate.spec.template.spec.domain.devices.disks',
    'KubevirtMachineTemplate spec.template.spec.virtualMachineTemplate.spec.template.spec.volumes',
    'KubeadmConfigTemplate spec.template.spec.joinConfiguration.nodeRegistration.ignorePreflightErrors',
  ],
};

const EXPECTED: Readonly<Record<string, ExpectedEffects>> = {
  'tenant-cluster 1.0.0': {
    why: `1.1.0 lowered the scheduler's and the Konnectivity server's requests and pinned the Konnectivity version; ${KUBELET_DISK_AND_RESERVED.why}`,
    controlPlanePaths: ['spec.scheduler.resources', 'spec.addons.konnectivity.server.resources', 'spec.addons.konnectivity.server.version',
      ...KUBELET_DISK_AND_RESERVED.controlPlanePaths],
    machineTemplatePaths: KUBELET_DISK_AND_RESERVED.machineTemplatePaths,
    flagWhitespaceFixed: true,
  },
  'tenant-cluster 1.1.0': KUBELET_DISK_AND_RESERVED,
};

interface UpgradeCase {
  readonly label: string;
  readonly release: string;
  readonly namespace: string;
  readonly oldValues: unknown;
  readonly newValues: unknown;
  /** The upgrade steps applied to the new values. */
  readonly steps: readonly string[];
  /** The released archive rendered by the Helm that selected the case (not rendered twice). */
  readonly oldObjects: { readonly helm: string; readonly objects: KubeObject[] };
}

const helms = helmBinaries();
const ROOT = REPO_ROOT;

/** The `###` headings of the README (the upgrade notes name each released version). */
function readmeHeadings(): string[] {
  return fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').filter((l) => l.startsWith('### '));
}

function exampleValues(): Array<{ label: string; values: Doc }> {
  const dir = path.join(ROOT, 'examples');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'flux-helmrelease.yaml')
    .map((f) => ({ label: `examples/${f}`, values: YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Doc }));
}

/** The other control-plane endpoints (the examples all use a LoadBalancer), with ports a NodePort can have. */
const ENDPOINT_CASES: ReadonlyArray<{ label: string; values: Doc }> = [
  {
    label: 'NodePort endpoint',
    values: {
      addons: { repositories: { tenantCluster: { url: 'https://charts.example.com/tenant-cluster' } } },
      clusterNetwork: { apiServerPort: 31443 },
      controlPlane: { endpoint: { type: 'NodePort' }, addons: { konnectivity: { serverPort: 31132 } } },
      nodeGroups: { workers: { replicas: 2 } },
    },
  },
  {
    label: 'ClusterIP endpoint behind an ingress',
    values: {
      addons: { repositories: { tenantCluster: { url: 'https://charts.example.com/tenant-cluster' } } },
      controlPlane: { endpoint: { type: 'ClusterIP', ingress: { hostname: 'api.acme.example.com' } } },
      nodeGroups: { workers: { replicas: 1 } },
    },
  },
];

/** The new chart's refusals of `values`, resolved by the documented steps; or why the case is out. */
function applySteps(chart: string, fromVersion: string, values: Doc, release: string, namespace: string):
{ values: Doc; steps: string[] } | { excluded: string } | { undocumented: string[] } {
  const v = JSON.parse(JSON.stringify(values)) as Doc;
  const steps: string[] = [];
  for (const step of UPGRADE_STEPS.filter((s) => s.refusal === undefined && s.since > fromVersion)) {
    step.fix!(v);
    steps.push(step.why);
  }
  for (let round = 0; round < 5; round++) {
    const { violations } = checkValues(chart, v, { release, namespace });
    if (violations.length === 0) return { values: v, steps };
    const unknown: string[] = [];
    for (const violation of violations) {
      const step = UPGRADE_STEPS.find((s) => s.since > fromVersion && s.refusal?.test(violation));
      if (!step) unknown.push(violation);
      else if (step.excluded) return { excluded: step.excluded };
      else if (!steps.includes(step.why)) {
        step.fix!(v);
        steps.push(step.why);
      }
    }
    if (unknown.length > 0) return { undocumented: unknown };
  }
  return { undocumented: checkValues(chart, v, { release, namespace }).violations };
}

/** Examples and generated values the released chart accepts, with the new values after the documented steps. */
function upgradeCases(chart: string, archive: string, fromVersion: string, helm: HelmBinary): { cases: UpgradeCase[]; undocumented: string[] } {
  const schema = archiveSchema(archive);
  const candidates = [
    ...exampleValues().map((e) => ({ label: e.label, values: e.values, release: 'acme', namespace: 'tenant-acme' })),
    ...ENDPOINT_CASES.map((e) => ({ label: e.label, values: pruneToSchema(e.values, schema) as Doc, release: 'acme', namespace: 'tenant-acme' })),
    ...fc.sample(validCaseArb, { numRuns: GENERATED_CASES, seed: SEED }).map((c, i) => ({
      label: `generated #${i}`, values: pruneToSchema(c.values, schema) as Doc, release: c.release, namespace: c.namespace,
    })),
  ];
  const cases: UpgradeCase[] = [];
  const undocumented: string[] = [];
  for (const c of candidates) {
    const old = renderArchive(helm, archive, c.values, c.release, c.namespace);
    if ('error' in old) continue;
    const next = applySteps(chart, fromVersion, c.values, c.release, c.namespace);
    if ('undocumented' in next) undocumented.push(...next.undocumented.map((m) => `${c.label}: ${m}`));
    if (!('values' in next)) continue;
    cases.push({
      label: c.label, release: c.release, namespace: c.namespace, oldValues: c.values, newValues: next.values, steps: next.steps,
      oldObjects: { helm: helm.name, objects: old.objects },
    });
  }
  return { cases, undocumented };
}

interface Rendered {
  readonly upgrade: UpgradeCase;
  /** The old archive per Helm major. */
  readonly old: Record<string, KubeObject[]>;
  readonly current: KubeObject[];
  readonly report: DiffReport;
}

const TEMPLATE_KINDS = new Set(['KubevirtMachineTemplate', 'KubeadmConfigTemplate', 'OpenStackMachineTemplate']);

/** A flag list change where only the trailing whitespace of values differs. */
function onlyTrailingWhitespace(c: FieldChange): boolean {
  if (!/^spec\.(apiServer|controllerManager|scheduler)\.extraArgs$/.test(formatPath(c.path))) return false;
  const trim = (v: unknown) => (Array.isArray(v) ? v.map((x) => String(x).replace(/\s+$/, '')) : v);
  return Array.isArray(c.before) && JSON.stringify(trim(c.before)) === JSON.stringify(trim(c.after));
}

/**
 * Objects an upgrade renames on purpose: Helm creates the new one before it deletes the old (pkg/kube/client.go
 * update: creations in the loop over the new release, deletions after it), so the permission never lapses.
 * 1.2.0 names cluster-scoped objects `<namespace>.<cluster>.<component>`, which cannot collide between
 * tenants (`<namespace>-<cluster>-<component>` could: release `b-c` in namespace `a` and release `c` in `a-b`).
 */
function renamedOnPurpose(removed: KubeObject, current: readonly KubeObject[], namespace: string): boolean {
  const cluster = current.find((o) => o.kind === 'Cluster')?.metadata.name;
  if (!['ClusterRole', 'ClusterRoleBinding'].includes(removed.kind)) return false;
  const component = 'cloud-controller-manager';
  if (removed.metadata.name !== `${namespace}-${cluster}-${component}`) return false;
  const renamed = current.find((o) => o.kind === removed.kind && o.metadata.name === `${namespace}.${cluster}.${component}`);
  if (!renamed) return false;
  if (removed.kind === 'ClusterRole') return JSON.stringify(renamed.rules) === JSON.stringify(removed.rules);
  return JSON.stringify(renamed.subjects) === JSON.stringify(removed.subjects) && renamed.roleRef.name === `${namespace}.${cluster}.${component}`;
}

function describeChange(kind: string, c: FieldChange): string {
  return `${kind} ${formatPath(c.path)}`;
}

const tenantUpgrades = new Map<string, { rendered: Rendered[]; undocumented: string[] }>();

const major = (version: string) => version.split('.')[0];

/** The version line (DESIGN.md §6) a tenant-cluster version belongs to: the line of this build with its major version. */
function lineOf(version: string): ChartLineUnderTest {
  const line = TENANT_CLUSTER_LINES.find((l) => major(l.version) === major(version));
  if (!line) throw new Error(`tenant-cluster ${version} belongs to no version line of this build (lines: ${TENANT_CLUSTER_LINES.map((l) => l.version).join(', ')})`);
  return line;
}

/** The upgrade cases from a released tenant-cluster archive to the current chart of its line, rendered (once per test file). */
function tenantUpgradesFrom(released: ReleasedChart): { rendered: Rendered[]; undocumented: string[] } {
  const cached = tenantUpgrades.get(released.version);
  if (cached) return cached;
  const chart = lineOf(released.version).chart;
  const found = upgradeCases(chart, released.archive, released.version, helms[helms.length - 1]);
  const rendered = found.cases.map((upgrade) => {
    const old: Record<string, KubeObject[]> = {};
    for (const helm of helms) {
      if (helm.name === upgrade.oldObjects.helm) {
        old[helm.name] = upgrade.oldObjects.objects;
        continue;
      }
      const r = renderArchive(helm, released.archive, upgrade.oldValues, upgrade.release, upgrade.namespace);
      if ('error' in r) throw new Error(`${helm.name} refuses ${upgrade.label} for ${released.version}: ${r.error}`);
      old[helm.name] = r.objects;
    }
    const current = renderChart(chart, upgrade.newValues, upgrade) as KubeObject[];
    return { upgrade, old, current, report: upgradeReport(old[helms[0].name], current, upgrade.namespace) };
  });
  const result = { rendered, undocumented: found.undocumented };
  tenantUpgrades.set(released.version, result);
  return result;
}

/** The released versions of a chart older than `current` (the released current version itself upgrades to itself). */
function releasedBefore(chart: string, current: string): ReleasedChart[] {
  return releasedVersions(chart).filter((r) => compareSemver(r.version, current) < 0);
}

/** Each line's earlier released versions; a line with none (a new line, or a preview) has nothing to upgrade from yet, and says so. */
const RELEASED_BY_LINE = TENANT_CLUSTER_LINES.map((line) => ({
  line, released: releasedBefore('tenant-cluster', line.version).filter((r) => major(r.version) === major(line.version)),
}));

for (const { line, released } of RELEASED_BY_LINE.filter((l) => l.released.length === 0)) {
  describe(`tenant-cluster line ${major(line.version)}.x (${line.chart} ${line.version})`, () => {
    const why = line.served ? '' : ` (${line.version} is a preview, not packaged)`;
    test.skip(`no released version of line ${major(line.version)}.x before ${line.version} in dist/released.json${why}: nothing to upgrade from within the line yet`,
      () => expect(released).toEqual([]));
  });
}

for (const released of RELEASED_BY_LINE.flatMap((l) => l.released)) {
  describe(`tenant-cluster ${released.version} → current (${lineOf(released.version).chart} ${lineOf(released.version).version})`, () => {
    let rendered: Rendered[] = [];
    let undocumented: string[] = [];
    let exampleCount = 0;

    beforeAll(() => {
      ({ rendered, undocumented } = tenantUpgradesFrom(released));
      exampleCount = rendered.filter((r) => r.upgrade.label.startsWith('examples/')).length;
    });

    test('the released chart accepts examples and generated values; every new refusal is a documented upgrade step', () => {
      expect(undocumented).toEqual([]);
      expect(rendered.length).toBeGreaterThanOrEqual(released.version === '1.0.0' ? 12 : 16);
      if (released.version !== '1.0.0') expect(exampleCount).toBeGreaterThanOrEqual(4);
      // The endpoints the examples do not use are covered from every release.
      for (const e of ENDPOINT_CASES) expect(rendered.map((r) => r.upgrade.label)).toContain(e.label);
      // Helm 3 and Helm 4 render the released archive alike, so one upgrade report covers both.
      for (const r of rendered) for (const helm of helms.slice(1)) expect(r.old[helm.name]).toEqual(r.old[helms[0].name]);
    });

    test('no field upstream treats as immutable is edited in place', () => {
      const edits = rendered.flatMap((r) => r.report.objects.flatMap((d) => d.findings.filter((f) => f.flag === 'EDITS IMMUTABLE FIELD')
        .map((f) => `${r.upgrade.label}: ${d.identity.kind} ${d.identity.name}: ${f.message}`)));
      expect(edits).toEqual([]);
    });

    test('content-hash names change exactly when the content changes, and the MachineDeployments point at the new names', () => {
      const problems: string[] = [];
      for (const r of rendered) {
        for (const d of r.report.objects.filter((o) => TEMPLATE_KINDS.has(o.identity.kind))) {
          const specChanged = d.fields.some((c) => c.path[0] === 'spec');
          if (d.change === 'replaced' && !specChanged) problems.push(`${r.upgrade.label}: ${d.identity.name} renamed with the same spec`);
          if (d.change === 'changed' && specChanged) problems.push(`${r.upgrade.label}: ${d.identity.name} spec edited under the same name`);
        }
        const names = new Set(r.current.filter((o) => TEMPLATE_KINDS.has(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`));
        for (const md of r.current.filter((o) => o.kind === 'MachineDeployment')) {
          const spec = md.spec.template.spec;
          for (const ref of [spec.infrastructureRef, spec.bootstrap.configRef]) {
            if (!names.has(`${ref.kind}/${ref.name}`)) problems.push(`${r.upgrade.label}: ${md.metadata.name} refers to ${ref.kind} ${ref.name}, not rendered`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    test('nothing a running tenant needs is deleted, and no HelmRelease changes its release target', () => {
      const oldObject = (r: Rendered, kind: string, name: string) => r.old[helms[0].name].find((o) => o.kind === kind && o.metadata.name === name)!;
      const deleted = rendered.flatMap((r) => r.report.objects
        .filter((d) => d.change === 'removed' && !renamedOnPurpose(oldObject(r, d.identity.kind, d.identity.name), r.current, r.upgrade.namespace))
        .map((d) => `${r.upgrade.label}: ${d.identity.kind} ${d.identity.name}`));
      expect(deleted).toEqual([]);
      const tenantDeletes = rendered.flatMap((r) => r.report.objects.filter((d) => d.change !== 'removed').flatMap((d) => d.findings
        .filter((f) => f.flag === 'DELETES').map((f) => `${r.upgrade.label}: ${d.identity.kind} ${d.identity.name}: ${f.message}`)));
      expect(tenantDeletes).toEqual([]);
      const reinstalls = rendered.flatMap((r) => r.report.objects.flatMap((d) => d.findings.filter((f) => f.flag === 'REINSTALLS IN TENANT')
        .map((f) => `${r.upgrade.label}: ${d.identity.name}: ${f.message}`)));
      expect(reinstalls).toEqual([]);
      // The objects a running tenant is: still there under the same identity.
      for (const r of rendered) {
        for (const kind of ['Cluster', 'KamajiControlPlane', 'KubevirtCluster', 'MachineDeployment', 'MachineHealthCheck']) {
          const names = (objects: KubeObject[]) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();
          expect({ label: r.upgrade.label, kind, names: names(r.current) }).toEqual({ label: r.upgrade.label, kind, names: names(r.old[helms[0].name]) });
        }
      }
    });

    test('the kubeconfig Secrets the management-side workloads and Flux read keep their names', () => {
      const kubeconfigRefs = (objects: KubeObject[]) => objects.flatMap((o) => [
        ...(o.kind === 'HelmRelease' ? [`HelmRelease ${o.metadata.name} ${o.spec.kubeConfig?.secretRef?.name}:${o.spec.kubeConfig?.secretRef?.key ?? ''}`] : []),
        ...((o.spec?.template?.spec?.volumes ?? []) as KubeObject[]).filter((v) => v.secret)
          .map((v) => `${o.kind} ${o.metadata.name} volume ${v.name}: ${v.secret.secretName}`),
      ]).sort();
      for (const r of rendered) {
        const before = new Set(kubeconfigRefs(r.old[helms[0].name]));
        // Every reference the old release had is still there (new workloads may add their own).
        expect({ label: r.upgrade.label, missing: [...before].filter((x) => !kubeconfigRefs(r.current).includes(x)) })
          .toEqual({ label: r.upgrade.label, missing: [] });
      }
    });

    test('the machines roll and the control plane restarts only for the documented reasons (README "Upgrading")', () => {
      const expected = EXPECTED[`tenant-cluster ${released.version}`];
      const unexpected: string[] = [];
      let rolled = 0;
      for (const r of rendered) {
        for (const d of r.report.objects.filter((o) => TEMPLATE_KINDS.has(o.identity.kind))) {
          for (const c of d.fields.filter((f) => f.path[0] === 'spec')) {
            const described = describeChange(d.identity.kind, c);
            if (!expected.machineTemplatePaths.some((p) => described === p || described.startsWith(`${p}.`) || described.startsWith(`${p}[`))) {
              unexpected.push(`${r.upgrade.label}: ${described}`);
            }
          }
        }
        rolled += r.report.objects.filter((d) => d.findings.some((f) => f.flag === 'ROLLS MACHINES')).length;
        // A machine rolls only because its templates were renamed (the version does not change with the same values).
        for (const d of r.report.objects.filter((o) => o.findings.some((f) => f.flag === 'ROLLS MACHINES'))) {
          expect(d.findings.find((f) => f.flag === 'ROLLS MACHINES')!.message).not.toMatch(/^version /);
        }
        const kcp = r.report.objects.find((d) => d.identity.kind === 'KamajiControlPlane');
        const restarts = r.report.objects.filter((d) => d.findings.some((f) => f.flag === 'RECREATES CONTROL PLANE PODS'));
        expect(restarts.filter((d) => d !== kcp).map((d) => d.identity.kind)).toEqual([]);
        for (const c of (restarts.length > 0 ? kcp!.fields : [])) {
          const leaf = formatPath(c.path);
          if (expected.flagWhitespaceFixed && onlyTrailingWhitespace(c)) continue;
          if (!expected.controlPlanePaths.some((p) => leaf === p || leaf.startsWith(`${p}.`))
            && CONTROL_PLANE_POD_FIELDS.some((p) => leaf === p || leaf.startsWith(`${p}.`) || leaf.startsWith(`${p}[`))) {
            unexpected.push(`${r.upgrade.label}: KamajiControlPlane ${leaf}`);
          }
        }
      }
      expect(unexpected).toEqual([]);
      // The documented effect happens: every node group of every case rolls once.
      const groups = rendered.reduce((n, r) => n + r.current.filter((o) => o.kind === 'MachineDeployment').length, 0);
      expect(rolled).toBe(groups);
      expect(readmeHeadings()).toContain(`### From ${released.version}`);
    });
  });
}

/**
 * The Helm step of the path from line 1.x to 2.x (README "From 1.x to 2.x"): `helm upgrade` from the current 1.x
 * chart to the current 2.x chart with the same values. Helm matches the objects by group and kind, not version;
 * the API server holds each running 1.x object at its 2.x version after conversion (src/diff/convert.ts). The step
 * must change nothing but API versions: no object created or deleted, no field changed after conversion (besides
 * the chart label every chart upgrade changes), nothing flagged.
 */
describe('line 1.x → line 2.x with the same values (the Helm step of the 1.x → 2.x path)', () => {
  const [v1, v2] = [TENANT_CLUSTER_LINES.find((l) => major(l.version) === '1')!, TENANT_CLUSTER_LINES.find((l) => major(l.version) === '2')!];
  interface LineCase { label: string; values: Doc; release: string; namespace: string }
  let cases: LineCase[] = [];
  let refusedBy2x: string[] = [];

  beforeAll(() => {
    const candidates: LineCase[] = [
      ...exampleValues().map((e) => ({ ...e, release: 'acme', namespace: 'tenant-acme' })),
      ...ENDPOINT_CASES.map((e) => ({ ...e, values: e.label.startsWith('NodePort') ? { ...e.values, controlPlane: { ...(e.values.controlPlane as Doc),
        endpoint: { type: 'NodePort', nodePort: { address: '192.0.2.10' } } } } : e.values, release: 'acme', namespace: 'tenant-acme' })),
      ...fc.sample(validCaseArb, { numRuns: CROSS_LINE_GENERATED_CASES, seed: SEED + 1 })
        .map((c, i) => ({ label: `generated #${i}`, values: c.values as Doc, release: c.release, namespace: c.namespace })),
    ];
    cases = candidates.filter((c) => checkValues(v1.chart, c.values, c).violations.length === 0);
    refusedBy2x = cases.flatMap((c) => checkValues(v2.chart, c.values, c).violations.map((m) => `${c.label}: ${m}`));
  });

  test('both lines are in this build; every values document line 1.x accepts, line 2.x accepts', () => {
    expect([v1, v2].map((l) => l?.chart)).toEqual(['tenant-cluster', 'tenant-cluster-v2']);
    expect(cases.filter((c) => c.label.startsWith('examples/')).length).toBe(exampleValues().length);
    expect(cases.length).toBeGreaterThanOrEqual(exampleValues().length + ENDPOINT_CASES.length + 5);
    expect(refusedBy2x).toEqual([]);
  });

  test('only API versions change: same objects, no field changed after conversion, nothing flagged', () => {
    const problems: string[] = [];
    let converted = 0;
    for (const c of cases) {
      const report = upgradeReport(renderChart(v1.chart, c.values, c) as KubeObject[], renderChart(v2.chart, c.values, c) as KubeObject[], c.namespace);
      for (const d of report.objects) {
        const where = `${c.label}: ${d.identity.kind} ${d.identity.name}`;
        if (d.change !== 'changed') problems.push(`${where} ${d.change}`);
        // The pod templates carry the chart label (helm.sh/chart), as on every chart upgrade: those Deployments roll once.
        const fields = d.fields.map((f) => formatPath(f.path)).filter((p) => p !== 'apiVersion' && !p.endsWith('.labels["helm.sh/chart"]'));
        if (fields.length > 0) problems.push(`${where}: ${fields.join(', ')}`);
        problems.push(...d.findings.map((f) => `${where}: ${f.flag}: ${f.message}`));
        if (d.apiVersion.before !== d.apiVersion.after) {
          converted++;
          if (!d.notes.some((n) => n.includes('compared with the old object converted to the new version'))) {
            problems.push(`${where}: ${d.apiVersion.before} → ${d.apiVersion.after} not converted`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // Every case moves at least the Cluster and the KamajiControlPlane to the 2.x API versions.
    expect(converted).toBeGreaterThanOrEqual(2 * cases.length);
    expect(readmeHeadings()).toContain('### From 1.x to 2.x');
  });
});

/**
 * The KubeVirt CSI node chart, installed into each tenant by a HelmRelease of tenant-cluster: its upgrades are
 * the ones a tenant-cluster upgrade triggers (the old tenant chart's HelmRelease values with the CSI chart
 * version it pins → the current tenant chart's values with the current CSI chart), plus the chart's defaults.
 */
for (const released of releasedBefore('kubevirt-csi-node', KUBEVIRT_CSI_NODE_CHART_VERSION)) {
  describe(`kubevirt-csi-node ${released.version} → current`, () => {
    interface CsiCase { label: string; release: string; namespace: string; oldValues: unknown; newValues: unknown }
    let cases: CsiCase[] = [];
    let reports: Array<{ label: string; report: DiffReport; old: Record<string, KubeObject[]> }> = [];

    beforeAll(() => {
      cases = [{ label: 'defaults', release: 'acme-csi', namespace: 'kube-system', oldValues: {}, newValues: {} }];
      for (const tenant of RELEASED_BY_LINE.flatMap((l) => l.released)) {
        for (const r of tenantUpgradesFrom(tenant).rendered) {
          const hr = (objects: KubeObject[]) => objects.find((o) => o.kind === 'HelmRelease' && o.spec?.chart?.spec?.chart === 'kubevirt-csi-node');
          const [before, after] = [hr(r.old[helms[0].name]), hr(r.current)];
          if (!before || !after || before.spec.chart.spec.version !== released.version) continue;
          cases.push({
            label: `tenant-cluster ${tenant.version} ${r.upgrade.label}`, release: before.spec.releaseName, namespace: before.spec.targetNamespace,
            oldValues: before.spec.values ?? {}, newValues: after.spec.values ?? {},
          });
        }
      }
      reports = cases.map((c) => {
        const old: Record<string, KubeObject[]> = {};
        for (const helm of helms) {
          const r = renderArchive(helm, released.archive, c.oldValues, c.release, c.namespace);
          if ('error' in r) throw new Error(`${helm.name} refuses ${c.label} for kubevirt-csi-node ${released.version}: ${r.error}`);
          old[helm.name] = r.objects;
        }
        const current = renderChart('kubevirt-csi-node', c.newValues, c) as KubeObject[];
        return { label: c.label, old, report: upgradeReport(old[helms[0].name], current, c.namespace) };
      });
    });

    test('the tenant-cluster upgrades give cases, and Helm 3 and 4 render the released archive alike', () => {
      expect(cases.length).toBeGreaterThanOrEqual(5);
      for (const r of reports) for (const helm of helms.slice(1)) expect(r.old[helm.name]).toEqual(r.old[helms[0].name]);
    });

    test('no immutable field is edited in place (StorageClass, CSIDriver, DaemonSet selector, bindings), nothing is deleted', () => {
      const flagged = reports.flatMap((r) => r.report.objects.flatMap((d) => d.findings
        .filter((f) => f.flag === 'EDITS IMMUTABLE FIELD' || f.flag === 'DELETES')
        .map((f) => `${r.label}: ${d.identity.kind} ${d.identity.name}: ${f.message}`)));
      expect(flagged).toEqual([]);
    });
  });
}
