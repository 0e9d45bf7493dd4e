/**
 * The infrastructure and control-plane providers each chart line pairs with (src/charts/tenant-cluster/provider-pairing.ts),
 * held to what the providers' releases say at their tags (test/data/provider-contracts/provider-contracts.json, derived
 * by derive.py beside it): the contract each release declares is one Cluster API accepts on the line's contract, the
 * versions Cluster API resolves from the CRDs' contract labels are served, every provider kind the line renders is at a
 * version its paired release serves, and the vendored CRDs the tests validate with are those releases'.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { PROVIDER_PAIRINGS, PairedProvider } from '../src/charts/tenant-cluster/provider-pairing';
import { ApiTarget } from '../src/constructs/core/api-shapes';
import { renderChart } from '../src/render';
import { REPO_ROOT } from './harness/helm';
import { TENANT_CLUSTER_LINES } from './harness/lines';
import { K8sObject } from './harness/objects';

interface VersionFacts { readonly name: string; readonly served: boolean; readonly storage: boolean; readonly fields?: Record<string, boolean> }
interface ReleaseFacts {
  readonly commit: string;
  readonly contract: string | null;
  readonly contractLabels: Record<string, string>;
  readonly kinds: Record<string, VersionFacts[]>;
}
const DATA = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/data/provider-contracts/provider-contracts.json'), 'utf8')) as {
  providers: Record<PairedProvider, { repository: string; releases: Record<string, ReleaseFacts> }>;
};
const release = (provider: PairedProvider, tag: string): ReleaseFacts => {
  const r = DATA.providers[provider].releases[tag];
  if (!r) throw new Error(`no facts for ${provider} ${tag}: add the tag to test/data/provider-contracts/derive.py`);
  return r;
};

/** Kubernetes' version priority (GA > beta > alpha, then by number): k8s.io/apimachinery version.CompareKubeAwareVersionStrings. */
function kubeAwareCompare(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) throw new Error(`not a Kubernetes API version: ${v}`);
    return [Number(m[1]), m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0, Number(m[3] ?? 0)];
  };
  const [x, y] = [parse(a), parse(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** kubernetes-sigs/cluster-api v1.13.5 internal/contract/version.go `GetCompatibleVersions`: v1beta2 accepts v1beta1 until it is dropped. */
const compatibleContracts = (contract: ApiTarget): string[] => (contract === 'v1beta2' ? ['v1beta2', 'v1beta1'] : ['v1beta1']);

/**
 * `GetLatestContractAndAPIVersionFromContract` (same file): the newest compatible contract with a
 * `cluster.x-k8s.io/<contract>` label on the CRD, and the newest of the `_`-separated versions it lists.
 */
function resolvedVersion(labels: Record<string, string>, contract: ApiTarget): string | undefined {
  for (const c of compatibleContracts(contract)) {
    const listed = labels[`cluster.x-k8s.io/${c}`];
    if (listed) return listed.split('_').sort(kubeAwareCompare).at(-1);
  }
  return undefined;
}

const KINDS: Record<PairedProvider, readonly string[]> = {
  'cluster-api-control-plane-provider-kamaji': ['KamajiControlPlane'],
  'cluster-api-provider-kubevirt': ['KubevirtCluster', 'KubevirtMachineTemplate'],
  'cluster-api-provider-openstack': ['OpenStackCluster', 'OpenStackMachineTemplate'],
};
const providerOf = (kind: string) => (Object.keys(KINDS) as PairedProvider[]).find((p) => KINDS[p].includes(kind));
const served = (r: ReleaseFacts, kind: string) => r.kinds[kind].filter((v) => v.served).map((v) => v.name);

const EXAMPLES = fs.readdirSync(path.join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.yaml') && !f.startsWith('flux-'));
const exampleValues = (file: string) => YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'), { version: '1.1' }) ?? {};

describe.each(PROVIDER_PAIRINGS.map((p) => [p.line, p] as const))('line %s', (line, pairing) => {
  const chartLine = TENANT_CLUSTER_LINES.find((l) => l.target === pairing.contract)!;

  test('one pairing per chart line, at the line\'s contract', () => {
    expect(chartLine.version.split('.')[0]).toBe(line.split('.')[0]);
  });

  test.each(Object.keys(KINDS) as PairedProvider[])('%s: its release declares a contract Cluster API accepts on the line, and its contract labels resolve served versions', (provider) => {
    const r = release(provider, pairing.providers[provider]);
    // clusterctl reads the release series; a release without one (Kamaji provider v0.19.0) is installed by manifest.
    if (r.contract === null) expect(pairing.notes[provider]).toMatch(/no 0\.\d+ release series/);
    else expect(compatibleContracts(pairing.contract)).toContain(r.contract);
    for (const kind of KINDS[provider]) {
      const version = resolvedVersion(r.contractLabels, pairing.contract);
      expect({ kind, resolved: version !== undefined && served(r, kind).includes(version) }).toEqual({ kind, resolved: true });
    }
  });

  test.each(EXAMPLES)('examples/%s: every provider kind at a version its paired release serves, and the one Cluster API resolves a reference to', (file) => {
    const objects = renderChart(chartLine.chart, exampleValues(file), { release: 'acme', namespace: 'tenant-acme' }) as K8sObject[];
    const providerObjects = objects.filter((o) => providerOf(o.kind) !== undefined);
    expect(providerObjects.length).toBeGreaterThan(0);
    for (const o of providerObjects) {
      const provider = providerOf(o.kind)!;
      const r = release(provider, pairing.providers[provider]);
      const version = String(o.apiVersion).split('/')[1];
      expect({ object: `${o.kind}/${o.metadata.name}`, version, served: served(r, o.kind).includes(version) })
        .toEqual({ object: `${o.kind}/${o.metadata.name}`, version, served: true });
      // The Kamaji provider reads the infrastructure cluster at the version Cluster API resolves from the labels:
      // what the chart renders, so the same object, the same schema.
      if (o.kind !== 'KamajiControlPlane') expect({ kind: o.kind, resolved: resolvedVersion(r.contractLabels, pairing.contract) }).toEqual({ kind: o.kind, resolved: version });
    }
  });
});

describe('the OpenStack provider of line 2.x', () => {
  const twoX = PROVIDER_PAIRINGS.find((p) => p.contract === 'v1beta2')!;
  /** The version a RESTMapper prefers for a CRD: its served versions by Kubernetes' version priority [inference: discovery order]. */
  const preferred = (r: ReleaseFacts, kind: string) => served(r, kind).sort(kubeAwareCompare).at(-1)!;

  test('its preferred OpenStackCluster version has spec.apiServerFixedIP and spec.apiServerPort, which the Kamaji provider v0.20.0 sets', () => {
    const r = release('cluster-api-provider-openstack', twoX.providers['cluster-api-provider-openstack']);
    const facts = r.kinds.OpenStackCluster.find((v) => v.name === preferred(r, 'OpenStackCluster'))!;
    expect(facts.fields).toEqual({ 'spec.apiServerFixedIP': true, 'spec.apiServerPort': true });
  });

  test('why not CAPO v0.15: it is the only release series of the v1beta2 contract, and its preferred v1beta2 lost both fields', () => {
    const next = release('cluster-api-provider-openstack', 'v0.15.0-beta.0');
    expect(next.contract).toBe('v1beta2');
    expect(preferred(next, 'OpenStackCluster')).toBe('v1beta2');
    expect(next.kinds.OpenStackCluster.find((v) => v.name === 'v1beta2')!.fields).toEqual({ 'spec.apiServerFixedIP': false, 'spec.apiServerPort': false });
    expect(twoX.notes['cluster-api-provider-openstack']).toContain('not v0.15');
  });
});

test('the vendored provider CRDs (test/schemas/crds) are the paired releases\': the tags in SOURCES.md, the versions they serve', () => {
  const sources = fs.readFileSync(path.join(REPO_ROOT, 'test/schemas/crds/SOURCES.md'), 'utf8');
  const vendored: Record<string, { provider: PairedProvider; lines: string[] }> = {
    'cluster-api-provider-kubevirt': { provider: 'cluster-api-provider-kubevirt', lines: ['2.x'] },
    'cluster-api-provider-openstack': { provider: 'cluster-api-provider-openstack', lines: ['1.x', '2.x'] },
    'kamaji-controlplane-provider': { provider: 'cluster-api-control-plane-provider-kamaji', lines: ['2.x'] },
    'kamaji-controlplane-provider-v0.19': { provider: 'cluster-api-control-plane-provider-kamaji', lines: ['1.x'] },
  };
  for (const [dir, { provider, lines }] of Object.entries(vendored)) {
    const tags = new Set(lines.map((l) => PROVIDER_PAIRINGS.find((p) => p.line === l)!.providers[provider]));
    expect({ dir, tags: tags.size }).toEqual({ dir, tags: 1 });
    const [tag] = tags;
    const r = release(provider, tag);
    for (const file of fs.readdirSync(path.join(REPO_ROOT, 'test/schemas/crds', dir))) {
      const row = sources.split('\n').find((l) => l.startsWith(`| \`${dir}/${file}\``));
      const crd = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/schemas/crds', dir, file), 'utf8'));
      const kind = crd.spec.names.kind as string;
      if (!r.kinds[kind]) continue;
      expect({ file, source: row?.includes(`| \`${tag}\` | \`${r.commit}\``) }).toEqual({ file, source: true });
      expect({ kind, versions: crd.spec.versions.map((v: VersionFacts) => ({ name: v.name, served: v.served, storage: v.storage })) })
        .toEqual({ kind, versions: r.kinds[kind].map(({ name, served: s, storage }) => ({ name, served: s, storage })) });
    }
  }
});

test('the READMEs state each line\'s pairing: the 2.x chart README and the project README name every paired release', () => {
  const v2Readme = fs.readFileSync(path.join(TENANT_CLUSTER_LINES[1].chartDir, 'README.md'), 'utf8');
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('## Chart lines: 1.x and 2.x');
  expect(at).toBeGreaterThan(0);
  const section = readme.slice(at, readme.indexOf('\n## ', at + 1));
  for (const p of PROVIDER_PAIRINGS) {
    const row = section.split('\n').find((l) => l.startsWith(`| ${p.line} |`));
    expect({ line: p.line, row: row !== undefined }).toEqual({ line: p.line, row: true });
    for (const [provider, tag] of Object.entries(p.providers)) expect({ line: p.line, provider, tag, inRow: row!.includes(tag) }).toEqual({ line: p.line, provider, tag, inRow: true });
    if (p.line === '2.x') for (const tag of Object.values(p.providers)) expect(v2Readme).toContain(tag);
  }
});
