/**
 * The chart's two version lines from one model (DESIGN.md §6, issue 12): tenant-cluster 1.x renders Cluster API
 * v1beta1 and the Kamaji provider's v1alpha1, 2.x v1beta2 and v1alpha2. Both come from the same constructs and
 * values; they differ only where the API target's shapes differ (src/constructs/core/api-shapes.ts), and a 2.x
 * object is what Cluster API's conversion makes of the 1.x one. Both lines go into one Helm repository under one
 * chart name; an unfinished line is generated and tested but not served.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { CHARTS, isServed, SERVED_CHARTS } from '../src/charts';
import { readReleasedManifest } from '../src/package/releases';
import { renderChart } from '../src/render';
import { synth } from '../src/synth';
import { convertToV1beta2 } from './harness/capi-conversion';
import { convertToSeconds } from './harness/duration-fixtures';
import { HelmBinary, helmBinaries, REPO_ROOT, runHelmAsync } from './harness/helm';
import { ServedDirectory, serveDirectory } from './harness/serve-directory';
import { PENDING_V1BETA2_KINDS, TENANT_CLUSTER_LINES } from './harness/lines';
import { K8sObject } from './harness/objects';
import { params } from './harness/properties';
import { parseManifests } from './harness/validate';
import { validCaseArb } from './harness/values-arbitrary';

const EXAMPLES = fs.readdirSync(path.join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.yaml') && !f.startsWith('flux-'));
const RELEASE = { release: 'acme', namespace: 'tenant-acme' };
const exampleValues = (file: string) => YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'), { version: '1.1' }) ?? {};
const [V1, V2] = TENANT_CLUSTER_LINES;

describe('the lines of tenant-cluster', () => {
  test('1.x renders v1beta1 from charts/tenant-cluster, 2.x v1beta2 from charts/tenant-cluster-v2; one chart name', () => {
    expect(TENANT_CLUSTER_LINES.map(({ chart, version, target }) => ({ chart, major: version.split('.')[0], target }))).toEqual([
      { chart: 'tenant-cluster', major: '1', target: 'v1beta1' },
      { chart: 'tenant-cluster-v2', major: '2', target: 'v1beta2' },
    ]);
    for (const line of TENANT_CLUSTER_LINES) {
      const chartYaml = YAML.parse(fs.readFileSync(path.join(line.chartDir, 'Chart.yaml'), 'utf8'));
      expect(chartYaml).toMatchObject({ name: 'tenant-cluster', version: line.version, annotations: { 'tenant-cluster.io/api-target': line.target } });
      expect(fs.existsSync(path.join(REPO_ROOT, 'values-schemas', `tenant-cluster-${line.version}.schema.json`))).toBe(true);
      expect(fs.existsSync(path.join(REPO_ROOT, 'models', `${line.chart}.json`))).toBe(true);
    }
  });

  test('2.x is served exactly because no object is pending: in SERVED_CHARTS, dist/ and the index beside 1.x', () => {
    expect({ preview: !V2.served, pending: PENDING_V1BETA2_KINDS.length > 0 }).toEqual({ preview: false, pending: false });
    expect(V1.served).toBe(true);
    expect(Object.keys(SERVED_CHARTS)).toEqual(expect.arrayContaining([V1.chart, V2.chart]));
    // In the Helm repository: its archive and an index entry under the one chart name, beside every 1.x release.
    const dist = path.join(REPO_ROOT, 'dist');
    expect(fs.readdirSync(dist).filter((f) => f.startsWith(`tenant-cluster-${V2.version.split('.')[0]}.`))).toEqual([`tenant-cluster-${V2.version}.tgz`]);
    const index = YAML.parse(fs.readFileSync(path.join(dist, 'index.yaml'), 'utf8'));
    const versions = index.entries['tenant-cluster'].map((e: { version: string }) => e.version);
    expect(versions.filter((v: string) => v.startsWith('2.'))).toEqual([V2.version]);
    expect(versions).toContain(V1.version);
    // Its README states the line and what it pairs with first, and claims no preview.
    const readme = fs.readFileSync(path.join(V2.chartDir, 'README.md'), 'utf8');
    expect(readme.split('\n').slice(0, 3).join('\n')).toMatch(/^# tenant-cluster 2\.0\.0\n\n\*\*Chart line 2\.x\*\*/);
    for (const line of TENANT_CLUSTER_LINES) expect(fs.readFileSync(path.join(line.chartDir, 'README.md'), 'utf8')).not.toContain('Preview');
  });
});

// ---------------------------------------------------------------------------------------------
// One model: the lines differ only where the target's shapes differ
// ---------------------------------------------------------------------------------------------

/** The value of `helm.sh/chart` differs between the lines by the version alone. */
function withoutChartVersion(o: K8sObject): K8sObject {
  return JSON.parse(JSON.stringify(o).replace(/"tenant-cluster-[12]\.\d+\.\d+"/g, '"tenant-cluster-VERSION"'));
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isMap = (x: unknown): x is { [k: string]: Json } => typeof x === 'object' && x !== null && !Array.isArray(x);

/** RFC 7386 `CreateMergePatch(old, new)` as evanphx/json-patch computes it: changed keys, `null` for removed ones, lists whole. */
function createMergePatch(from: Json, to: Json): Json {
  if (!isMap(from) || !isMap(to)) return to;
  const patch: { [k: string]: Json } = {};
  for (const k of Object.keys(from)) if (!(k in to)) patch[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (!(k in from)) patch[k] = v;
    else if (JSON.stringify(from[k]) !== JSON.stringify(v)) patch[k] = isMap(from[k]) && isMap(v) ? createMergePatch(from[k], v) : v;
  }
  return patch;
}

/** RFC 7386 apply: what the API server does with a `merge-patch+json` PATCH. */
function applyMergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return patch;
  const out: { [k: string]: Json } = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k] ?? null, v);
  }
  return out;
}

describe.each(EXAMPLES)('%s on both lines', (file) => {
  const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  let v1: Map<string, K8sObject>;
  let v2: Map<string, K8sObject>;
  beforeAll(() => {
    v1 = new Map(renderChart(V1.chart, exampleValues(file), RELEASE).map((o) => [key(o as K8sObject), withoutChartVersion(o as K8sObject)]));
    v2 = new Map(renderChart(V2.chart, exampleValues(file), RELEASE).map((o) => [key(o as K8sObject), withoutChartVersion(o as K8sObject)]));
  });

  test('the same objects by kind, namespace and name (what Helm matches an upgrade by), so no name changes', () => {
    expect([...v2.keys()].sort()).toEqual([...v1.keys()].sort());
  });

  test('each 2.x object is the 1.x object after Cluster API\'s conversion (the KamajiControlPlane: the same spec as v1alpha2)', () => {
    const differing: string[] = [];
    for (const [k, old] of v1) {
      const converted = (PENDING_V1BETA2_KINDS as readonly string[]).includes(old.kind) ? old : convertToV1beta2(old, convertToSeconds);
      if (JSON.stringify(converted) !== JSON.stringify(v2.get(k))) differing.push(k);
      expect({ k, object: v2.get(k) }).toEqual({ k, object: converted });
    }
    expect(differing).toEqual([]);
    expect(v2.get(`KamajiControlPlane/tenant-acme/acme`)?.apiVersion).toBe('controlplane.cluster.x-k8s.io/v1alpha2');
    const infrastructureKind = v1.get(`Cluster/tenant-acme/acme`)?.spec.infrastructureRef.kind;
    expect(['KubevirtCluster', 'OpenStackCluster']).toContain(infrastructureKind);
    expect(v2.get(`Cluster/tenant-acme/acme`)?.spec.infrastructureRef).toEqual({ apiGroup: 'infrastructure.cluster.x-k8s.io', kind: infrastructureKind, name: 'acme' });
  });

  test('helm upgrade from 1.x to 2.x with the same values (Helm 3: a two-way JSON merge patch from the 1.x to the 2.x manifest, '
    + 'sent to the object Cluster API converted) leaves exactly the 2.x object', () => {
    // helm v3.18.0 pkg/kube/client.go `createPatch`: custom resources get `jsonpatch.CreateMergePatch(old manifest, new
    // manifest)` unless the three-way merge is asked for; Helm matches the object by group, kind, namespace and name.
    for (const [k, old] of v1) {
      const stored = convertToV1beta2(old, convertToSeconds) as Json;
      const patched = applyMergePatch(stored, createMergePatch(old as Json, v2.get(k) as Json));
      expect({ k, object: patched }).toEqual({ k, object: v2.get(k) });
    }
  });
});

describe('hash-named templates keep their names from 1.x to 2.x (the KubeadmConfigTemplate hashes its canonical v1beta1 spec)', () => {
  const HASHED = ['KubeadmConfigTemplate', 'KubevirtMachineTemplate', 'OpenStackMachineTemplate'];
  const templates = (objects: K8sObject[]) => objects.filter((o) => HASHED.includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`).sort();
  /** Every MachineDeployment's two template references, by its name (group, kind and name: what Cluster API compares). */
  const refs = (objects: K8sObject[]) => Object.fromEntries(objects.filter((o) => o.kind === 'MachineDeployment').map((o) => {
    const { bootstrap, infrastructureRef } = o.spec.template.spec;
    const group = (r: Record<string, string>) => r.apiGroup ?? r.apiVersion.split('/')[0];
    return [o.metadata.name, [bootstrap.configRef, infrastructureRef].map((r) => `${group(r)}/${r.kind}/${r.name}`)];
  }));

  test(`for generated valid values (${Math.max(200, Number(process.env.FC_NUM_RUNS ?? 0))} runs): the same template names and MachineDeployment references on both lines`, () => {
    let groups = 0;
    fc.assert(fc.property(validCaseArb, (c) => {
      const release = { release: c.release, namespace: c.namespace };
      const v1 = renderChart(V1.chart, c.values, release) as K8sObject[];
      const v2 = renderChart(V2.chart, c.values, release) as K8sObject[];
      expect(templates(v2)).toEqual(templates(v1));
      expect(refs(v2)).toEqual(refs(v1));
      groups += Object.keys(refs(v1)).length;
      // The 2.x template really is in the v1beta2 shape (else the names would be equal trivially).
      for (const kct of v2.filter((o) => o.kind === 'KubeadmConfigTemplate')) {
        const args = kct.spec.template.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs;
        expect(args === undefined || Array.isArray(args)).toBe(true);
      }
    }), params(Math.max(200, Number(process.env.FC_NUM_RUNS ?? 0))));
    expect(groups).toBeGreaterThan(0);
  }, 900_000);
});

describe('the KamajiControlPlane spec: provider v0.19 v1alpha1 and v0.20 v1alpha2', () => {
  type Schema = Record<string, any>;
  const specOf = (dir: string, version: string): Schema => {
    const crd = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'test/schemas/crds', dir, 'controlplane.cluster.x-k8s.io_kamajicontrolplanes.yaml'), 'utf8'));
    const strip = (s: unknown) => JSON.parse(JSON.stringify(s, (k, v) => (k === 'description' ? undefined : v)));
    return strip(crd.spec.versions.find((v: { name: string }) => v.name === version).schema.openAPIV3Schema.properties.spec);
  };
  /** Where two schemas differ, as `+`/`-`/`~` and a path of object fields (schema keywords between them dropped). */
  const schemaDiff = (a: Schema, b: Schema): string[] => {
    const out: string[] = [];
    const walk = (x: any, y: any, at: string[]) => {
      if (JSON.stringify(x) === JSON.stringify(y)) return;
      if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) {
        for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
          if (!(k in x)) out.push(`+ ${[...at, k].join('.')}`);
          else if (!(k in y)) out.push(`- ${[...at, k].join('.')}`);
          else walk(x[k], y[k], [...at, k]);
        }
      } else out.push(`~ ${at.join('.')}`);
    };
    walk(a, b, []);
    return out.map((d) => d.replace(/properties\./g, ''));
  };

  test('they differ only in fields the chart does not render (computed from the vendored CRDs)', () => {
    const diff = schemaDiff(specOf('kamaji-controlplane-provider-v0.19', 'v1alpha1'), specOf('kamaji-controlplane-provider', 'v1alpha2'));
    expect(diff).toEqual([
      '+ controlPlaneEndpoint.host.minLength', '+ controlPlaneEndpoint.port.maximum', '+ controlPlaneEndpoint.port.minimum',
      '- controlPlaneEndpoint.required', '+ controlPlaneEndpoint.minProperties',
      '+ network.gateway.port', '+ network.gateway.sectionName', '+ network.loadBalancerConfig.x-kubernetes-validations',
      '+ network.additionalServicePorts', '~ network.x-kubernetes-validations',
    ]);
    // No example renders controlPlaneEndpoint, network.gateway or additionalServicePorts on either line; the two
    // CEL changes concern loadBalancerConfig against the old object (`oldSelf`), which a new render never meets.
    for (const file of EXAMPLES) {
      for (const line of TENANT_CLUSTER_LINES) {
        const kcp = renderChart(line.chart, exampleValues(file), RELEASE).find((o) => o.kind === 'KamajiControlPlane') as K8sObject;
        expect({ file, line: line.chart, endpoint: kcp.spec.controlPlaneEndpoint, gateway: kcp.spec.network.gateway, ports: kcp.spec.network.additionalServicePorts })
          .toEqual({ file, line: line.chart, endpoint: undefined, gateway: undefined, ports: undefined });
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// No construct tests the target itself
// ---------------------------------------------------------------------------------------------

/** Construct files still spelling a target themselves: the node groups, which phase 2 of issue 12 moves onto the shapes. */
const PENDING_CONSTRUCT_FILES: string[] = [];

test('no construct file outside api-shapes.ts names an API target or imports a versioned Cluster API / Kamaji provider class', () => {
  const root = path.join(REPO_ROOT, 'src', 'constructs');
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  const offending = files(root).filter((f) => f.endsWith('.ts')).map((f) => path.relative(root, f).split(path.sep).join('/'))
    .filter((rel) => rel !== 'core/api-shapes.ts')
    .filter((rel) => {
      // Code only: comments may name versions (they cite upstream).
      const text = fs.readFileSync(path.join(root, rel), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
      return /['"`]v1(beta[12]|alpha[12])['"`]/.test(text) || /imports\/(capi-|kamaji-controlplane-)/.test(text);
    });
  expect(offending.sort()).toEqual(PENDING_CONSTRUCT_FILES);
});

// ---------------------------------------------------------------------------------------------
// One Helm repository for both lines
// ---------------------------------------------------------------------------------------------

describe('both lines in one Helm repository (a fresh synth)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-lines-'));
  const dist = path.join(out, 'dist');
  let server: ServedDirectory;
  let repoUrl: string;
  beforeAll(async () => {
    synth(out, [], { packagePreviews: true });
    server = await serveDirectory(dist);
    repoUrl = server.url;
  }, 300_000);
  afterAll(async () => {
    await server.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  test('dist/ keeps every released archive byte for byte and indexes 1.x and 2.x under one name', () => {
    const released = readReleasedManifest(path.join(REPO_ROOT, 'dist'));
    for (const archive of Object.keys(released)) {
      expect({ archive, same: fs.readFileSync(path.join(dist, archive)).equals(fs.readFileSync(path.join(REPO_ROOT, 'dist', archive))) }).toEqual({ archive, same: true });
    }
    const index = YAML.parse(fs.readFileSync(path.join(dist, 'index.yaml'), 'utf8'));
    const versions = index.entries['tenant-cluster'].map((e: { version: string }) => e.version);
    expect(versions).toEqual(expect.arrayContaining([V2.version, V1.version, ...Object.keys(released).filter((a) => a.startsWith('tenant-cluster-1.')).map((a) => a.slice('tenant-cluster-'.length, -'.tgz'.length))]));
    expect(versions[0]).toBe(V2.version);
    expect(Object.keys(index.entries).filter((n) => n.startsWith('tenant-cluster'))).toEqual(['tenant-cluster']);
  });

  const expectOk = async (helm: HelmBinary, args: string[]) => {
    const r = await runHelmAsync(helm, args);
    if (r.code !== 0) throw new Error(`${helm.name} ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
    return r;
  };

  test.each(helmBinaries().map((b) => [b.name, b] as const))('%s: pulls either line; a `~1` dependency stays on 1.x; 2.x renders as renderChart does', async (name, helm) => {
    const repo = `lines-${name}`;
    await expectOk(helm, ['repo', 'add', repo, repoUrl]);
    const search = await expectOk(helm, ['search', 'repo', `${repo}/tenant-cluster`, '--versions', '-o', 'json']);
    expect(JSON.parse(search.stdout).filter((c: { name: string }) => c.name === `${repo}/tenant-cluster`).map((c: { version: string }) => c.version))
      .toEqual(expect.arrayContaining([V2.version, V1.version]));
    const pulled = path.join(out, `pulled-${name}`);
    fs.mkdirSync(pulled);
    await expectOk(helm, ['pull', `${repo}/tenant-cluster`, '--version', V2.version, '-d', pulled]);
    const archive = path.join(pulled, `tenant-cluster-${V2.version}.tgz`);
    expect(fs.readFileSync(archive).equals(fs.readFileSync(path.join(dist, `tenant-cluster-${V2.version}.tgz`)))).toBe(true);
    // A consumer pinned to the 1.x line (a Flux HelmRelease `version: "~1"`, a dependency) never gets 2.x.
    const parent = path.join(out, `parent-${name}`);
    fs.mkdirSync(path.join(parent, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(parent, 'Chart.yaml'), ['apiVersion: v2', 'name: parent', 'version: 0.0.1', 'dependencies:',
      '  - name: tenant-cluster', '    version: "~1"', `    repository: ${repoUrl}`, ''].join('\n'));
    await expectOk(helm, ['dependency', 'update', parent]);
    expect(fs.readdirSync(path.join(parent, 'charts'))).toEqual([`tenant-cluster-${V1.version}.tgz`]);
    // The pulled 2.x archive renders what the evaluation backend renders for the line.
    const rendered = await expectOk(helm, ['template', RELEASE.release, archive, '--namespace', RELEASE.namespace, '-f', path.join(REPO_ROOT, 'examples', 'ha.yaml')]);
    const byKey = (objects: K8sObject[]) => Object.fromEntries(objects.map((o) => [`${o.apiVersion}/${o.kind}/${o.metadata.name}`, o]));
    expect(byKey(parseManifests(rendered.stdout) as K8sObject[])).toEqual(byKey(renderChart(V2.chart, exampleValues('ha.yaml'), RELEASE) as K8sObject[]));
  }, 300_000);
});

test('the CHARTS table: every line of a definition, by directory; only served ones in SERVED_CHARTS', () => {
  expect(Object.entries(CHARTS).filter(([, def]) => def.name === 'tenant-cluster').map(([dir, def]) => `${dir} ${def.version} ${def.apiTarget}`))
    .toEqual([`${V1.chart} ${V1.version} v1beta1`, `${V2.chart} ${V2.version} v1beta2`]);
  expect(Object.values(SERVED_CHARTS).every(isServed)).toBe(true);
});
