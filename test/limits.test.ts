/**
 * The Helm release record must fit its Secret (1 MiB of data: the release JSON gzipped, base64). The
 * chart bounds what values add to it (src/constructs/core/release-size.ts): Helm and the evaluation
 * backend refuse past the bound at the same byte, and the worst documents the bound admits (text no
 * compressor shrinks much, where it is copied most) still fit, measured as Helm encodes a release.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { MAX_RELEASE_VALUES_BYTES, releaseValuesBytes } from '../src/constructs/core/release-size';
import { coalesceValues, goJson } from '../src/expr';
import { TENANT_CLUSTER_DEFAULTS } from '../src/charts/tenant-cluster/defaults';
import { renderChart, ValuesError, RenderError } from '../src/render';
import { HelmBinary, helmBinaries } from './harness/helm';
import { CHART_DIR, helmTemplateAsync } from './harness/properties';

/** What the API server allows in a Secret's data (kubernetes pkg/apis/core/validation: MaxSecretSize). */
const MAX_SECRET_BYTES = 1024 * 1024;
const RELEASE = 'tenant-acme';
const NAMESPACE = 'tenant-acme';
const BASE = { addons: { repositories: { tenantCluster: { url: 'https://charts.example.com/tenant-cluster' } } } };

let helms: HelmBinary[];
beforeAll(() => {
  helms = helmBinaries();
});

/** A deterministic PRNG (mulberry32), so that the text is the same in every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Text gzip hardly shrinks: random characters from all of Unicode (astral ones take 4 bytes in UTF-8),
 * none the chart refuses (no controls, surrogates, U+FEFF/U+FFFE/U+FFFF).
 */
function incompressible(codePoints: number, seed: number): string {
  const random = prng(seed);
  const out: string[] = [];
  for (let i = 0; i < codePoints; i++) {
    const r = random();
    if (r < 0.5) out.push(String.fromCodePoint(0x10000 + Math.floor(random() * 0xfffff)));
    else if (r < 0.8) out.push(String.fromCodePoint(0x4e00 + Math.floor(random() * 0x5000)));
    else out.push(String.fromCodePoint(0x21 + Math.floor(random() * 0x5e)));
  }
  return out.join('');
}

/** The chart as Helm stores it in a release: metadata, templates and schema (bytes, so base64 in JSON), defaults, other files. */
function chartRecord(): Record<string, unknown> {
  const read = (rel: string) => fs.readFileSync(path.join(CHART_DIR, rel));
  // Component folders included (templates/<folder>/<kind>.yaml): Helm stores every file under templates/.
  const templates = (fs.readdirSync(path.join(CHART_DIR, 'templates'), { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/')).filter((f) => fs.statSync(path.join(CHART_DIR, 'templates', f)).isFile()).sort()
    .map((f) => ({ name: `templates/${f}`, data: read(`templates/${f}`).toString('base64') }));
  return {
    metadata: { name: 'tenant-cluster', version: '1.1.0', apiVersion: 'v2', description: 'x'.repeat(200), type: 'application' },
    lock: null,
    templates,
    values: TENANT_CLUSTER_DEFAULTS,
    schema: read('values.schema.json').toString('base64'),
    files: [{ name: 'README.md', data: read('README.md').toString('base64') }],
  };
}

/**
 * The size of the `release` key of Helm's release Secret: the release as Go's JSON, gzipped at best
 * compression, base64 (helm pkg/storage/driver/util.go encodeRelease, v3.18.0 and v4.1.4). Node's zlib
 * stands in for Go's compress/gzip (sizes within a few percent: the assertions keep 10 % spare).
 */
function releaseSecretBytes(config: unknown, manifest: string): number {
  const release = {
    name: RELEASE,
    info: { first_deployed: '2026-01-01T00:00:00Z', last_deployed: '2026-01-01T00:00:00Z', deleted: '', description: 'Install complete', status: 'deployed' },
    chart: chartRecord(),
    config,
    manifest,
    version: 1,
    namespace: NAMESPACE,
  };
  const gzipped = zlib.gzipSync(Buffer.from(goJson(release), 'utf8'), { level: 9 });
  return Math.ceil(gzipped.length / 3) * 4;
}

const merged = (values: object) => coalesceValues(TENANT_CLUSTER_DEFAULTS as unknown as Record<string, unknown>, values as Record<string, unknown>);

/** Kubeadm files holding `codePoints` characters in all, each at most the schema's 10240. */
function files(codePoints: number, seed: number): Array<{ path: string; content: string }> {
  const out = [];
  for (let i = 0; codePoints > 0; i++, codePoints -= 10240) out.push({ path: `/etc/big/${i}`, content: incompressible(Math.min(10240, codePoints), seed + i) });
  return out;
}

/** The largest `size` (a multiple of `step`) whose document the bound admits: a binary search (the size grows with `size`). */
function largestSize(make: (size: number) => object, step: number): number {
  let low = 0;
  let high = step;
  while (releaseValuesBytes(merged(make(high))) <= MAX_RELEASE_VALUES_BYTES) high *= 2;
  while (high - low > step) {
    const mid = Math.floor((low + high) / 2 / step) * step || step;
    if (mid === low) break;
    if (releaseValuesBytes(merged(make(mid))) <= MAX_RELEASE_VALUES_BYTES) low = mid;
    else high = mid;
  }
  return low;
}

/** The largest document of a shape the bound admits. */
function largestAdmitted(make: (size: number) => object, step: number): { values: object; bytes: number } {
  const values = make(largestSize(make, step));
  return { values, bytes: releaseValuesBytes(merged(values)) };
}

describe('the release record fits its Secret', () => {
  test('Helm 3, Helm 4 and the evaluation backend refuse at the same byte', async () => {
    // Text in addon values counts twice (config and manifest): two bytes per character.
    const room = MAX_RELEASE_VALUES_BYTES - releaseValuesBytes(merged(BASE));
    const fill = (chars: number) => {
      const values: Record<string, unknown> = {};
      for (let i = 0; chars > 0; i++, chars -= 16000) values[`note${i}`] = 'x'.repeat(Math.min(16000, chars));
      return { ...BASE, addons: { ...BASE.addons, metricsServer: { values } } };
    };
    // Each note adds its key and quotes: the largest fill at or under the bound, by search.
    expect(room).toBeGreaterThan(0);
    const chars = largestSize(fill, 1);
    const atBound = fill(chars);
    const past = fill(chars + 1);
    expect(releaseValuesBytes(merged(atBound))).toBeLessThanOrEqual(MAX_RELEASE_VALUES_BYTES);
    expect(releaseValuesBytes(merged(past))).toBeGreaterThan(MAX_RELEASE_VALUES_BYTES);
    expect(() => renderChart('tenant-cluster', atBound, { release: RELEASE, namespace: NAMESPACE })).not.toThrow();
    expect(() => renderChart('tenant-cluster', past, { release: RELEASE, namespace: NAMESPACE })).toThrow(/^values: \d+ bytes of values reach the Helm release record, at most 524288 fit/);
    for (const [values, refused] of [[atBound, false], [past, true]] as const) {
      const results = await Promise.all(helms.map((h) => helmTemplateAsync(h, { values, release: RELEASE, namespace: NAMESPACE })));
      helms.forEach((h, i) => {
        expect({ helm: h.name, refused: results[i].code !== 0 }).toEqual({ helm: h.name, refused });
        if (refused) expect(results[i].stderr).toContain('bytes of values reach the Helm release record, at most 524288 fit');
      });
    }
  });

  const helm4 = () => helms.find((h) => h.name === 'helm4') ?? helms[0];

  test.each([
    ['incompressible kubeadm files in nodeGroupDefaults, one group', (n: number) => ({ ...BASE, nodeGroupDefaults: { kubeadm: { files: files(n, 1) } }, nodeGroups: { md0: {} } }), 2048],
    ['incompressible addon values', (n: number) => ({ ...BASE, addons: { ...BASE.addons, metricsServer: { values: Object.fromEntries(
      Array.from({ length: Math.ceil(n / 16000) }, (_, i) => [`v${i}`, incompressible(Math.min(16000, n - i * 16000), 7 + i)])) } } }), 2048],
    ['100 groups of 40-character names, each with its own incompressible commands', (n: number) => ({ ...BASE, nodeGroups: Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`${String(i).padStart(3, '0')}${incompressible(0, 0)}${'g'.repeat(37)}`,
        { replicas: 1, kubeadm: { postKubeadmCommands: n === 0 ? [] : [incompressible(Math.ceil(n / 100), 100 + i)] } }])) }), 2000],
  ])('%s: the largest document the bound admits fits, as Helm would store it', async (_name, make, step) => {
    const { values, bytes } = largestAdmitted(make as (n: number) => object, step as number);
    expect(bytes).toBeGreaterThan(MAX_RELEASE_VALUES_BYTES * 0.9);
    // A cluster name that leaves room for 40-character group names.
    const cluster = { ...values, fullnameOverride: 'acme' };
    let rendered: Record<string, unknown>[] | undefined;
    try {
      rendered = renderChart('tenant-cluster', cluster, { release: RELEASE, namespace: NAMESPACE });
    } catch (e) {
      if (e instanceof ValuesError || e instanceof RenderError) throw new Error(`the worst case must render: ${e.message.slice(0, 500)}`);
      throw e;
    }
    expect(rendered.length).toBeGreaterThan(10);
    const helm = await helmTemplateAsync(helm4(), { values: cluster, release: RELEASE, namespace: NAMESPACE });
    expect({ code: helm.code, stderr: helm.stderr.slice(0, 500) }).toEqual({ code: 0, stderr: '' });
    const secret = releaseSecretBytes(cluster, helm.stdout);
    console.log(`${_name}: ${bytes} bytes of values by the bound; release Secret ${secret} bytes (${(100 * secret / MAX_SECRET_BYTES).toFixed(1)} % of 1 MiB)`);
    expect(secret).toBeLessThan(MAX_SECRET_BYTES * 0.9);
  });
});
