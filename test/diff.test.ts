/**
 * `tenant-cluster diff`'s classification: each flag raised by a change that upstream reacts to, and not by
 * its near miss. Both sides are real renders of the current chart (values changed between them) unless the
 * chart cannot produce the change at all (an in-place edit of a machine template, a HelmRelease's release
 * target): those pairs edit one rendered object, the way an older or newer chart version would.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { compareReleases, DiffReport, ObjectDiff } from '../src/diff/compare';
import { convertToSeconds, LINE_CONVERSIONS } from '../src/diff/convert';
import { diffValues, formatPath } from '../src/diff/field-diff';
import { formatReport, lineDiff } from '../src/diff/format';
import { identityOf, KubeObject, parseManifests } from '../src/diff/objects';
import { CHANGE_RULES, Flag, loadBalancerClassTransition, machineRolloutFields, shortenReleaseName } from '../src/diff/rules';
import { renderChart } from '../src/render';
import { convertToV1beta2 } from './harness/capi-conversion';
import { evaluateRule } from './harness/cel';

const RELEASE = { release: 'acme', namespace: 'tenant-acme' };
const ROOT = path.resolve(__dirname, '..');
const BASE = {
  addons: { repositories: { tenantCluster: { url: 'https://charts.example.com/tenant-cluster' } } },
  kubernetes: { version: 'v1.34.1' },
  controlPlane: { replicas: 2 },
  nodeGroups: { workers: { replicas: 2 }, system: { replicas: 1, labels: { tier: 'system' } } },
};

function merge(a: any, b: any): any {
  if (b === undefined) return a;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = v === null ? undefined : merge(a[k], v);
    return out;
  }
  return b;
}

function render(values: object, chart = 'tenant-cluster', release = RELEASE): KubeObject[] {
  return renderChart(chart, values, release) as KubeObject[];
}

function compare(before: readonly KubeObject[], after: readonly KubeObject[]): DiffReport {
  return compareReleases(before, after, { releaseNamespace: RELEASE.namespace });
}

function upgrade(change: object, base: object = BASE): DiffReport {
  return compare(render(base), render(merge(base, change)));
}

function flagged(report: DiffReport, flag: Flag): string[] {
  return report.objects.filter((d) => d.findings.some((f) => f.flag === flag)).map((d) => `${d.identity.kind}/${d.identity.name}`).sort();
}

function find(report: DiffReport, kind: string, name: string): ObjectDiff | undefined {
  return report.objects.find((d) => d.identity.kind === kind && d.identity.name === name);
}

/** A copy of `objects` with `edit` applied to the first object of `kind`. */
function editFirst(objects: readonly KubeObject[], kind: string, edit: (o: KubeObject) => void, name?: string): KubeObject[] {
  const copy = JSON.parse(JSON.stringify(objects)) as KubeObject[];
  const target = copy.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!target) throw new Error(`no ${kind} ${name ?? ''} rendered`);
  edit(target);
  return copy;
}

const base = render(BASE);

describe('identical inputs', () => {
  test('compare to no change, and print nothing', () => {
    const report = compare(base, render(BASE));
    expect(report.objects).toEqual([]);
    expect(report.flags).toEqual([]);
    expect(report.unchanged).toBe(base.filter((o) => !o.metadata.annotations?.['helm.sh/hook']).length);
    expect(formatReport(report, { release: 'acme', releaseNamespace: 'tenant-acme', before: { chart: 'a', renderedBy: 'x' },
      after: { chart: 'a', renderedBy: 'x' } })).toBe('');
  });
});

describe('ROLLS MACHINES (Cluster API MachineTemplateUpToDate)', () => {
  test('a Kubernetes patch rolls every node group: new version and a new bootstrap template', () => {
    const report = upgrade({ kubernetes: { version: 'v1.34.2' } });
    expect(flagged(report, 'ROLLS MACHINES')).toEqual(['MachineDeployment/acme-system', 'MachineDeployment/acme-workers']);
    const md = find(report, 'MachineDeployment', 'acme-workers')!;
    expect(md.findings[0].message).toMatch(/^version "v1\.34\.1" → "v1\.34\.2"; bootstrap\.configRef acme-workers-[0-9a-f]{8} → acme-workers-[0-9a-f]{8} \(2 machines\)$/);
    // The superseded bootstrap templates are replaced, not reported as deletions.
    expect(report.objects.filter((d) => d.identity.kind === 'KubeadmConfigTemplate').map((d) => d.change)).toEqual(['replaced', 'replaced']);
    expect(flagged(report, 'DELETES')).toEqual([]);
  });

  test('a machine size change rolls only that group (a new KubevirtMachineTemplate)', () => {
    const report = upgrade({ nodeGroups: { workers: { kubevirt: { cores: 4 } } } });
    expect(flagged(report, 'ROLLS MACHINES')).toEqual(['MachineDeployment/acme-workers']);
    expect(find(report, 'MachineDeployment', 'acme-workers')!.findings[0].message).toMatch(/^infrastructureRef acme-workers-\w+ → acme-workers-\w+ \(2 machines\)$/);
  });

  test('near miss: replicas and MachineDeployment labels or annotations roll nothing', () => {
    expect(flagged(upgrade({ nodeGroups: { workers: { replicas: 5 } } }), 'ROLLS MACHINES')).toEqual([]);
    const relabelled = editFirst(base, 'MachineDeployment', (md) => {
      md.spec.template.metadata.labels['example.com/x'] = 'y';
      md.metadata.annotations = { 'example.com/note': 'z' };
      md.spec.template.spec.nodeDrainTimeout = '5m';
    });
    expect(flagged(compare(base, relabelled), 'ROLLS MACHINES')).toEqual([]);
  });

  test('a reference\'s apiVersion alone rolls nothing (CAPI drops the version; v1beta2 refs carry only the group)', () => {
    const md = base.find((o) => o.kind === 'MachineDeployment')!;
    const v1beta2 = JSON.parse(JSON.stringify(md));
    for (const ref of [v1beta2.spec.template.spec.infrastructureRef, v1beta2.spec.template.spec.bootstrap.configRef]) {
      ref.apiGroup = ref.apiVersion.split('/')[0];
      delete ref.apiVersion;
    }
    expect(machineRolloutFields(v1beta2)).toEqual(machineRolloutFields(md));
    v1beta2.spec.template.spec.failureDomain = 'zone-a';
    expect(machineRolloutFields(v1beta2)).not.toEqual(machineRolloutFields(md));
  });
});

describe('RECREATES CONTROL PLANE PODS (Kamaji\'s control-plane Deployment)', () => {
  test('an API server flag, the datastore or a certificate SAN recreate the pods', () => {
    expect(flagged(upgrade({ controlPlane: { apiServer: { extraArgs: { 'audit-log-maxage': '7' } } } }), 'RECREATES CONTROL PLANE PODS'))
      .toEqual(['KamajiControlPlane/acme']);
    expect(flagged(upgrade({ controlPlane: { dataStoreName: 'other' } }), 'RECREATES CONTROL PLANE PODS')).toEqual(['KamajiControlPlane/acme']);
    const report = upgrade({ controlPlane: { certSANs: ['api.acme.example.com'] } });
    expect(find(report, 'KamajiControlPlane', 'acme')!.findings.map((f) => f.message))
      .toEqual(['spec.network.certSANs + "api.acme.example.com" (a new API server certificate) (2 replicas)']);
  });

  test('the Kubernetes version recreates the control-plane pods (and rolls the machines)', () => {
    const report = upgrade({ kubernetes: { version: 'v1.34.2' } });
    expect(flagged(report, 'RECREATES CONTROL PLANE PODS')).toEqual(['KamajiControlPlane/acme']);
  });

  test('the pod CIDR (copied into the TenantControlPlane) recreates them through the Cluster', () => {
    const report = upgrade({ clusterNetwork: { podCidr: '10.250.0.0/16' } });
    expect(flagged(report, 'RECREATES CONTROL PLANE PODS')).toEqual(['Cluster/acme']);
  });

  test('near miss: replicas, endpoint source ranges and the Konnectivity agent recreate nothing', () => {
    expect(flagged(upgrade({ controlPlane: { replicas: 3 } }), 'RECREATES CONTROL PLANE PODS')).toEqual([]);
    expect(flagged(upgrade({ controlPlane: { endpoint: { loadBalancer: { sourceRanges: ['203.0.113.0/24'] } } } }), 'RECREATES CONTROL PLANE PODS')).toEqual([]);
    const agent = editFirst(base, 'KamajiControlPlane', (kcp) => {
      kcp.spec.addons.konnectivity.agent = { ...kcp.spec.addons.konnectivity.agent, replicas: 5 };
    });
    expect(flagged(compare(base, agent), 'RECREATES CONTROL PLANE PODS')).toEqual([]);
  });
});

describe('REINSTALLS / UPGRADES IN TENANT (helm-controller)', () => {
  test('a changed chart version or values upgrade the release; near miss: the interval', () => {
    const hr = base.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'acme-metrics-server')!;
    const bumped = editFirst(base, 'HelmRelease', (o) => { o.spec.chart.spec.version = '9.9.9'; }, hr.metadata.name);
    const report = compare(base, bumped);
    expect(flagged(report, 'UPGRADES IN TENANT')).toEqual(['HelmRelease/acme-metrics-server']);
    expect(find(report, 'HelmRelease', 'acme-metrics-server')!.findings[0].message).toBe(`spec.chart.spec.version "${hr.spec.chart.spec.version}" → "9.9.9"`);
    expect(flagged(upgrade({ addons: { cni: { mtu: 1450 } } }), 'UPGRADES IN TENANT')).toEqual(['HelmRelease/acme-cni']);
    const interval = editFirst(base, 'HelmRelease', (o) => { o.spec.interval = '1h'; }, hr.metadata.name);
    expect(compare(base, interval).flags).toEqual([]);
  });

  test('a new release name, target or storage namespace, or chart name reinstalls (and is not also counted as an upgrade)', () => {
    const name = 'acme-metrics-server';
    for (const edit of [
      (o: KubeObject) => { o.spec.releaseName = 'other'; },
      (o: KubeObject) => { o.spec.targetNamespace = 'elsewhere'; },
      (o: KubeObject) => { o.spec.storageNamespace = 'elsewhere'; },
      (o: KubeObject) => { o.spec.chart.spec.chart = 'other-chart'; o.spec.chart.spec.version = '1.0.0'; },
    ]) {
      const report = compare(base, editFirst(base, 'HelmRelease', edit, name));
      expect(flagged(report, 'REINSTALLS IN TENANT')).toEqual([`HelmRelease/${name}`]);
      expect(flagged(report, 'UPGRADES IN TENANT')).toEqual([]);
    }
    const inPlace = editFirst(base, 'HelmRelease', (o) => {
      o.spec.chart.spec.chart = 'other-chart';
      o.spec.upgrade = { ...o.spec.upgrade, chartNameChangeStrategy: 'InPlaceUpdate' };
    }, name);
    expect(flagged(compare(base, inPlace), 'REINSTALLS IN TENANT')).toEqual([]);
  });

  test('an OCIRepository tag behind a chartRef upgrades the HelmRelease that references it', () => {
    const values = merge(BASE, { addons: { repositories: { cilium: { url: 'oci://registry.example.com/charts', type: 'oci' } } } });
    const objects = render(values);
    const oci = objects.find((o) => o.kind === 'OCIRepository');
    expect(oci).toBeDefined();
    const hr = objects.find((o) => o.kind === 'HelmRelease' && o.spec.chartRef?.name === oci!.metadata.name)!;
    const bumped = editFirst(objects, 'OCIRepository', (o) => { o.spec.ref = { tag: '0.0.1' }; }, oci!.metadata.name);
    expect(flagged(compare(objects, bumped), 'UPGRADES IN TENANT')).toEqual([`HelmRelease/${hr.metadata.name}`]);
  });

  test('release names are shortened as helm-controller shortens them', () => {
    expect(shortenReleaseName('a'.repeat(53))).toBe('a'.repeat(53));
    // sha256 of 54 × "a", first 12 hex (computed independently with sha256sum)
    expect(shortenReleaseName('a'.repeat(54))).toMatch(/^a{40}-[0-9a-f]{12}$/);
  });
});

describe('EDITS IMMUTABLE FIELD', () => {
  test('a KubevirtMachineTemplate edited in place (the CAPK webhook refuses it)', () => {
    const edited = editFirst(base, 'KubevirtMachineTemplate', (o) => { o.spec.template.spec.virtualMachineTemplate.spec.runStrategy = 'Manual'; });
    expect(flagged(compare(base, edited), 'EDITS IMMUTABLE FIELD')).toEqual([`KubevirtMachineTemplate/${edited.find((o) => o.kind === 'KubevirtMachineTemplate')!.metadata.name}`]);
  });

  test('the service domain, which the provider copies into the TenantControlPlane\'s immutable clusterDomain', () => {
    expect(flagged(upgrade({ clusterNetwork: { serviceDomain: 'tenant.local' } }), 'EDITS IMMUTABLE FIELD')).toEqual(['Cluster/acme']);
  });

  test('a load balancer class set on a LoadBalancer endpoint that had none (KamajiControlPlane CEL)', () => {
    const report = upgrade({ controlPlane: { endpoint: { type: 'LoadBalancer', loadBalancer: { className: 'example.com/lb' } } } },
      merge(BASE, { controlPlane: { endpoint: { type: 'LoadBalancer' } } }));
    expect(flagged(report, 'EDITS IMMUTABLE FIELD')).toEqual(['KamajiControlPlane/acme']);
  });

  test('a StorageClass parameter: refused without the chart\'s update hook, handled with it', () => {
    const csi = { infraStorageClassName: 'a' };
    const before = render(csi, 'kubevirt-csi-node');
    const withHook = compare(before, render({ infraStorageClassName: 'b' }, 'kubevirt-csi-node'));
    expect(withHook.flags).toEqual([]);
    expect(find(withHook, 'StorageClass', 'kubevirt')!.notes.join(' ')).toMatch(/pre-upgrade hook Job acme-sc-update deletes it first/);
    const withoutHook = compare(before, render({ infraStorageClassName: 'b', storageClassUpdate: { enabled: false } }, 'kubevirt-csi-node'));
    expect(flagged(withoutHook, 'EDITS IMMUTABLE FIELD')).toEqual(['StorageClass/kubevirt']);
  });

  test('RoleBinding roleRef and Deployment selector', () => {
    const rb = editFirst(base, 'RoleBinding', (o) => { o.roleRef.name = 'other'; });
    expect(flagged(compare(base, rb), 'EDITS IMMUTABLE FIELD')).toHaveLength(1);
    const dep = editFirst(base, 'Deployment', (o) => {
      o.spec.selector.matchLabels.extra = 'x';
      o.spec.template.metadata.labels.extra = 'x';
    });
    expect(flagged(compare(base, dep), 'EDITS IMMUTABLE FIELD')).toHaveLength(1);
  });

  test('every transition rule (oldSelf) in the vendored CRDs of kinds we render is represented, and agrees with CEL on rendered pairs', () => {
    const crdDir = path.join(ROOT, 'test', 'schemas', 'crds');
    const found: string[] = [];
    const walk = (s: any, p: string, kind: string) => {
      if (!s || typeof s !== 'object') return;
      for (const v of s['x-kubernetes-validations'] ?? []) if (String(v.rule).includes('oldSelf')) found.push(`${kind}${p}`);
      for (const [k, sub] of Object.entries(s.properties ?? {})) walk(sub, `${p}.${k}`, kind);
      if (s.items) walk(s.items, `${p}[]`, kind);
    };
    const rendered = new Set(base.map((o) => o.kind));
    for (const dir of fs.readdirSync(crdDir)) {
      if (!fs.statSync(path.join(crdDir, dir)).isDirectory()) continue;
      for (const file of fs.readdirSync(path.join(crdDir, dir))) {
        const crd = YAML.parse(fs.readFileSync(path.join(crdDir, dir, file), 'utf8'));
        if (!rendered.has(crd.spec.names.kind)) continue;
        for (const v of crd.spec.versions) walk(v.schema.openAPIV3Schema, '', crd.spec.names.kind);
      }
    }
    // What our rules cover, rule by rule: the KamajiControlPlane's (v0.19 and v0.20) transition rules.
    expect([...new Set(found)].sort()).toEqual([
      'KamajiControlPlane.spec.dataStoreUsername',
      'KamajiControlPlane.spec.network',
      'KamajiControlPlane.spec.network.loadBalancerConfig',
      'KamajiControlPlane.spec.network.loadBalancerConfig.loadBalancerClass',
    ]);
    const kcpRules = CHANGE_RULES.filter((r) => r.kinds.includes('KamajiControlPlane') && r.flag === 'EDITS IMMUTABLE FIELD');
    expect(kcpRules.map((r) => r.fields).join(' ')).toMatch(/dataStoreUsername.*loadBalancerClass/);
    // The v1alpha1 network rule, evaluated by CEL, on the rendered pair the test above flags.
    const lb = merge(BASE, { controlPlane: { endpoint: { type: 'LoadBalancer' } } });
    const kcp = (v: object) => render(v).find((o) => o.kind === 'KamajiControlPlane')!;
    const old = kcp(lb);
    const cur = kcp(merge(lb, { controlPlane: { endpoint: { loadBalancer: { className: 'example.com/lb' } } } }));
    const rule = "self.serviceType != 'LoadBalancer' || (oldSelf.serviceType != 'LoadBalancer' && self.serviceType == 'LoadBalancer') || "
      + '!has(self.loadBalancerConfig) || has(self.loadBalancerConfig) && has(self.loadBalancerConfig.loadBalancerClass) == has(oldSelf.loadBalancerConfig.loadBalancerClass)';
    // The harness runs rules on `self` only: the old object goes in as `self.old`.
    const transition = (a: KubeObject, b: KubeObject) => evaluateRule(rule.replace(/oldSelf/g, 'self.old'), { ...b.spec.network, old: a.spec.network });
    expect(transition(old, cur)).toBe('evaluation error: field not found: loadBalancerConfig');
    expect(transition(old, old)).toBeUndefined();
    // Source ranges added to a LoadBalancer endpoint that had none: the v1alpha1 rule fails to evaluate too, and the rule says so.
    const ranges = kcp(merge(lb, { controlPlane: { endpoint: { loadBalancer: { sourceRanges: ['203.0.113.0/24'] } } } }));
    expect(transition(old, ranges)).toMatch(/^evaluation error/);
    expect(loadBalancerClassTransition(old, ranges)).toBe('error');
    expect(loadBalancerClassTransition(ranges, ranges)).toBe(true);
  });
});

describe('DELETES', () => {
  test('a node group removed: its MachineDeployment (and machines), templates and health check go', () => {
    const report = upgrade({ nodeGroups: { system: null } });
    expect(flagged(report, 'DELETES')).toEqual([
      'KubeadmConfigTemplate/' + base.find((o) => o.kind === 'KubeadmConfigTemplate' && o.metadata.name.startsWith('acme-system'))!.metadata.name,
      'KubevirtMachineTemplate/' + base.find((o) => o.kind === 'KubevirtMachineTemplate' && o.metadata.name.startsWith('acme-system'))!.metadata.name,
      'MachineDeployment/acme-system', 'MachineHealthCheck/acme-system',
    ].sort());
    expect(find(report, 'MachineDeployment', 'acme-system')!.findings[0].message).toMatch(/deletes its MachineSets and Machines/);
  });

  test('an addon switched off: its HelmRelease goes and helm-controller uninstalls it from the tenant', () => {
    const report = upgrade({ addons: { metricsServer: { enabled: false } } });
    expect(flagged(report, 'DELETES')).toContain('HelmRelease/acme-metrics-server');
    expect(find(report, 'HelmRelease', 'acme-metrics-server')!.findings[0].message).toMatch(/uninstalls the release from the tenant/);
  });

  test('near miss: an object with helm.sh/resource-policy: keep stays', () => {
    const kept = editFirst(base, 'ConfigMap', (o) => { o.metadata.annotations = { 'helm.sh/resource-policy': 'keep' }; });
    const name = kept.find((o) => o.kind === 'ConfigMap' && o.metadata.annotations?.['helm.sh/resource-policy'])!.metadata.name;
    const report = compare(kept, kept.filter((o) => !(o.kind === 'ConfigMap' && o.metadata.name === name)));
    expect(report.flags).toEqual([]);
    expect(report.objects.map((d) => d.change)).toEqual(['kept']);
  });
});

describe('matching and field diffs', () => {
  test('objects match by group, kind, namespace and name, not version', () => {
    const cluster = base.find((o) => o.kind === 'Cluster')!;
    const other = { ...cluster, apiVersion: 'cluster.x-k8s.io/v1beta2' };
    const report = compare([cluster], [other]);
    expect(report.objects.map((d) => [d.change, d.apiVersion])).toEqual([['changed', { before: 'cluster.x-k8s.io/v1beta1', after: 'cluster.x-k8s.io/v1beta2' }]]);
    expect(report.objects[0].notes[0]).toMatch(/no conversion known/);
    const converted = compareReleases([cluster], [other], {
      releaseNamespace: 'tenant-acme',
      conversions: [{ group: 'cluster.x-k8s.io', kind: 'Cluster', fromVersion: 'v1beta1', toVersion: 'v1beta2', source: 'test', convert: (o) => ({ ...o, apiVersion: 'cluster.x-k8s.io/v1beta2' }) }],
    });
    expect(converted.objects[0].fields).toEqual([]);
    expect(identityOf({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'x' } }, 'ns').namespace).toBe('');
    expect(identityOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, 'ns').namespace).toBe('ns');
  });

  test('lists of named items compare by name, paths print as people write them', () => {
    const changes = diffValues(
      { spec: { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:1' }] }, metadata: { labels: { 'helm.sh/chart': 'c-1' } } },
      { spec: { containers: [{ name: 'b', image: 'y:2' }, { name: 'a', image: 'x:1' }] }, metadata: { labels: { 'helm.sh/chart': 'c-2' } } },
    );
    expect(changes.map((c) => `${formatPath(c.path)} ${JSON.stringify(c.before)} ${JSON.stringify(c.after)}`)).toEqual([
      'spec.containers[b].image "y:1" "y:2"', 'metadata.labels["helm.sh/chart"] "c-1" "c-2"',
    ]);
    expect(lineDiff('a\nb\nc', 'a\nc\nd')).toEqual(['- b', '+ d']);
  });

  test('hooks are not release resources; Secret values are hidden', () => {
    const hook = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'h', annotations: { 'helm.sh/hook': 'pre-upgrade' } }, spec: {} };
    const secret = (v: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: v } });
    const report = compare([secret('YQ==')], [hook, secret('Yg==')]);
    expect(report.upgradeHooks).toEqual([{ description: 'Job h', events: ['pre-upgrade'] }]);
    expect(report.objects[0].fields).toEqual([{ path: ['data', 'k'], kind: 'changed', before: '(hidden)', after: '(hidden)' }]);
  });

  test('helm template output parses as Kubernetes reads it (YAML 1.1 booleans, timestamps kept as strings)', () => {
    const objects = parseManifests('---\n# Source: x\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  on: yes\n  t: 2001-12-14\n---\n', 'test');
    expect(objects).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { true: true, t: '2001-12-14' } }]);
    expect(() => parseManifests('- a\n', 'test')).toThrow('test: document 1 is not a Kubernetes object');
  });
});

describe('line 1.x → 2.x: old objects converted as the API server holds them (src/diff/convert.ts)', () => {
  const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml') && !f.startsWith('flux-'));
  const exampleValues = (f: string) => YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8'), { version: '1.1' }) ?? {};
  const fixtures = (JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'data', 'duration-seconds', 'fixtures.json'), 'utf8')) as
    { fixtures: Array<{ duration: string; seconds: number | null }> }).fixtures;
  /** Cluster API's own ConvertToSeconds, computed by Go (test/data/duration-seconds/generate.go). */
  const goSeconds = (d: string) => {
    const f = fixtures.find((x) => x.duration === d);
    if (!f || f.seconds === null) throw new Error(`no Go fixture for ${d}`);
    return f.seconds;
  };
  const conversionOf = (o: KubeObject) => LINE_CONVERSIONS.find((c) => `${c.group}/${c.fromVersion}` === o.apiVersion && c.kind === o.kind);

  test('ConvertToSeconds agrees with Go on every fixture (a duration Go cannot read stays as it is)', () => {
    expect(fixtures.length).toBeGreaterThan(400);
    for (const f of fixtures) expect({ d: f.duration, s: convertToSeconds(f.duration) }).toEqual({ d: f.duration, s: f.seconds ?? f.duration });
  });

  test('every converted kind of every example agrees with the independent port of Cluster API\'s conversion (test oracle)', () => {
    const kinds = new Set<string>();
    for (const f of EXAMPLES) {
      for (const o of render(exampleValues(f))) {
        const conversion = conversionOf(o);
        if (!conversion) continue;
        kinds.add(o.kind);
        expect({ example: f, object: conversion.convert(o) }).toEqual({ example: f, object: convertToV1beta2(o, goSeconds) });
      }
    }
    expect([...kinds].sort()).toEqual(['Cluster', 'KamajiControlPlane', 'KubeadmConfigTemplate', 'MachineDeployment', 'MachineHealthCheck']);
  });

  test('the health check fields the charts do not render convert as upstream writes them; unknown fields pass through', () => {
    const mhc = {
      apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'MachineHealthCheck', metadata: { name: 'x' },
      spec: {
        clusterName: 'acme', selector: {}, unhealthyRange: '[1-3]', nodeStartupTimeout: '90s',
        unhealthyMachineConditions: [{ type: 'Ready', status: 'False', timeout: '1m30.9s' }], somethingNew: 1,
      },
    };
    expect(conversionOf(mhc)!.convert(mhc).spec).toEqual({
      clusterName: 'acme', selector: {}, somethingNew: 1,
      checks: { nodeStartupTimeoutSeconds: 90, unhealthyMachineConditions: [{ type: 'Ready', status: 'False', timeoutSeconds: 90 }] },
      remediation: { triggerIf: { unhealthyInRange: '[1-3]' } },
    });
  });

  test('the same values on both lines: only API versions change, nothing flagged; near miss: without the conversions the references differ', () => {
    const values = exampleValues('ha.yaml');
    const [v1, v2] = [render(values), render(values, 'tenant-cluster-v2')];
    const report = compareReleases(v1, v2, { releaseNamespace: RELEASE.namespace, conversions: LINE_CONVERSIONS });
    expect(report.flags).toEqual([]);
    const cluster = find(report, 'Cluster', 'acme')!;
    expect(cluster.apiVersion).toEqual({ before: 'cluster.x-k8s.io/v1beta1', after: 'cluster.x-k8s.io/v1beta2' });
    expect(cluster.fields).toEqual([]);
    expect(cluster.notes.join('\n')).toMatch(/converted to the new version \(kubernetes-sigs\/cluster-api v1\.13\.5/);
    const raw = find(compareReleases(v1, v2, { releaseNamespace: RELEASE.namespace }), 'Cluster', 'acme')!;
    expect(raw.fields.map((c) => formatPath(c.path))).toEqual(expect.arrayContaining(['spec.controlPlaneRef.apiVersion', 'spec.controlPlaneRef.apiGroup']));
    expect(raw.notes.join('\n')).toMatch(/no conversion known, fields compared as rendered/);
  });

  test('a real change across the lines is still flagged (a Kubernetes patch with the line change)', () => {
    const values = exampleValues('ha.yaml');
    const older = merge(values, { kubernetes: { version: 'v1.34.11' } });
    expect(older.kubernetes.version).not.toBe(values.kubernetes?.version);
    const report = compareReleases(render(older), render(values, 'tenant-cluster-v2'), { releaseNamespace: RELEASE.namespace, conversions: LINE_CONVERSIONS });
    expect(flagged(report, 'RECREATES CONTROL PLANE PODS')).toEqual(['KamajiControlPlane/acme']);
    expect(flagged(report, 'ROLLS MACHINES').length).toBeGreaterThanOrEqual(2);
  });
});
