/**
 * Deterministic Helm chart repository index: `<distDir>/index.yaml` in the shape `helm repo index`
 * writes (Helm 3.18 and Helm 4.1 write the same shape), but with fixed `created` / `generated`
 * timestamps so that the same archives always give the same bytes.
 *
 * What Helm does, and this module repeats:
 *  - one entry per `*.tgz` in the directory, metadata read from `<chart>/Chart.yaml` inside the archive;
 *  - the chart metadata fields Helm knows (unknown Chart.yaml fields are dropped), empty values omitted
 *    (Go `omitempty`; a dependency always has `name` and `repository`, even if empty);
 *  - strings sanitised like Helm's Metadata.Validate: whitespace becomes a space, other non-printable
 *    characters are removed;
 *  - `digest`: sha256 of the archive, hex; `urls`: `<baseUrl>/<file>` or the bare file name;
 *  - entries grouped by chart name, versions sorted by SemVer, newest first;
 *  - YAML as go-yaml v2 writes it: keys sorted (go-yaml's "natural" order), sequences not indented,
 *    strings that would read back as another type in double quotes, other strings that cannot be plain
 *    in single quotes.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { readTar } from './chart-archive';

export interface RepoIndexOptions {
  /** Prefix of every chart URL (like `helm repo index --url`); without it, URLs are the bare file names. */
  readonly baseUrl?: string;
  /** Value of every `created` field and of `generated` (default 1970-01-01T00:00:00Z). */
  readonly timestamp?: string;
}

export const FIXED_TIMESTAMP = '1970-01-01T00:00:00Z';

/** Writes `<distDir>/index.yaml` for the `*.tgz` files in `distDir` and returns its path. */
export function writeRepoIndex(distDir: string, opts: RepoIndexOptions = {}): string {
  const out = path.join(distDir, 'index.yaml');
  fs.writeFileSync(out, renderRepoIndex(buildRepoIndex(distDir, opts)));
  return out;
}

export interface RepoIndex {
  apiVersion: 'v1';
  entries: Record<string, Record<string, unknown>[]>;
  generated: string;
}

/** The index document for the `*.tgz` files in `distDir` (not written). */
export function buildRepoIndex(distDir: string, opts: RepoIndexOptions = {}): RepoIndex {
  const timestamp = opts.timestamp ?? FIXED_TIMESTAMP;
  const files = fs.readdirSync(distDir).filter((f) => f.endsWith('.tgz')).sort();
  const entries: Record<string, Record<string, unknown>[]> = {};
  for (const file of files) {
    const archive = fs.readFileSync(path.join(distDir, file));
    const meta = chartMetadata(readChartYaml(archive, file), file);
    const entry: Record<string, unknown> = {
      ...meta,
      created: timestamp,
      digest: createHash('sha256').update(archive).digest('hex'),
      urls: [opts.baseUrl ? joinUrl(opts.baseUrl, file) : file],
    };
    (entries[meta.name as string] ??= []).push(entry);
  }
  for (const list of Object.values(entries)) {
    // stable sort: equal versions keep file-name order
    list.sort((a, b) => compareSemver(b.version as string, a.version as string));
  }
  return { apiVersion: 'v1', entries, generated: timestamp };
}

/** index.yaml text for an index document, formatted like go-yaml v2 (see the top of this file). */
export function renderRepoIndex(index: RepoIndex): string {
  const doc = new YAML.Document(index, { version: '1.1', sortMapEntries: goYamlKeyCompare });
  YAML.visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && readsAsNonString(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true });
}

function readChartYaml(archive: Buffer, file: string): string {
  const files = readTar(archive);
  const chartYaml = files.find((f) => /^[^/]+\/Chart\.yaml$/.test(f.path));
  if (!chartYaml) throw new Error(`${file}: no <chart>/Chart.yaml in the archive`);
  return chartYaml.data.toString('utf8').replace(/^\uFEFF/, '');
}

/** Chart.yaml → the metadata fields Helm writes into an index entry. */
function chartMetadata(text: string, file: string): Record<string, unknown> {
  // Helm reads Chart.yaml with YAML 1.1 rules (sigs.k8s.io/yaml over go-yaml)
  const raw = YAML.parse(text, { version: '1.1' });
  if (!isObject(raw)) throw new Error(`${file}: Chart.yaml is not a mapping`);
  const where = (field: string) => `${file}: Chart.yaml ${field}`;
  const meta: Record<string, unknown> = {
    name: str(raw.name, where('name')),
    home: str(raw.home, where('home')),
    sources: strList(raw.sources, where('sources')),
    version: str(raw.version, where('version')),
    description: str(raw.description, where('description')),
    keywords: strList(raw.keywords, where('keywords')),
    maintainers: list(raw.maintainers, where('maintainers')).map((m, i) => {
      const w = (f: string) => where(`maintainers[${i}].${f}`);
      if (!isObject(m)) throw new Error(`${where('maintainers')}[${i}] must be a mapping`);
      return omitEmpty({ name: str(m.name, w('name')), email: str(m.email, w('email')), url: str(m.url, w('url')) });
    }),
    icon: str(raw.icon, where('icon')),
    apiVersion: str(raw.apiVersion, where('apiVersion')),
    condition: str(raw.condition, where('condition')),
    tags: str(raw.tags, where('tags')),
    appVersion: str(raw.appVersion, where('appVersion')),
    deprecated: bool(raw.deprecated, where('deprecated')),
    annotations: strMap(raw.annotations, where('annotations')),
    kubeVersion: str(raw.kubeVersion, where('kubeVersion')),
    dependencies: list(raw.dependencies, where('dependencies')).map((d, i) => {
      const w = (f: string) => where(`dependencies[${i}].${f}`);
      if (!isObject(d)) throw new Error(`${where('dependencies')}[${i}] must be a mapping`);
      return {
        name: str(d.name, w('name')) ?? '',
        repository: str(d.repository, w('repository')) ?? '',
        ...omitEmpty({
          version: str(d.version, w('version')),
          condition: str(d.condition, w('condition')),
          tags: strList(d.tags, w('tags')),
          enabled: bool(d.enabled, w('enabled')),
          'import-values': d['import-values'] === null ? undefined : d['import-values'],
          alias: str(d.alias, w('alias')),
        }),
      };
    }),
    type: str(raw.type, where('type')),
  };
  const out = omitEmpty(meta);
  if (!out.apiVersion) throw new Error(`${where('apiVersion')} is required`);
  if (!out.name) throw new Error(`${where('name')} is required`);
  if (!out.version) throw new Error(`${where('version')} is required`);
  if (!parseSemver(out.version as string)) throw new Error(`${where('version')} ${JSON.stringify(out.version)} is not a valid SemVer 2 version`);
  return out;
}

// --- field readers: strings must be strings (Helm's lint rejects `appVersion: 1.20`, which it would
// --- otherwise turn into "1.2"), everything optional, empty → omitted

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, where: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Error(`${where} must be a string, got ${JSON.stringify(v)} (quote it)`);
  return sanitize(v);
}

function strList(v: unknown, where: string): string[] {
  return list(v, where).map((s, i) => str(s, `${where}[${i}]`) ?? '');
}

function list(v: unknown, where: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Error(`${where} must be a list`);
  return v;
}

function bool(v: unknown, where: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new Error(`${where} must be a boolean`);
  return v;
}

function strMap(v: unknown, where: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new Error(`${where} must be a mapping`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = str(val, `${where}.${k}`) ?? '';
  return out;
}

/** Go omitempty: drop undefined, '', false, empty lists and empty maps. */
function omitEmpty(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (isObject(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** Helm's sanitizeString: whitespace → ' ', other non-printable characters removed. */
function sanitize(s: string): string {
  return s.replace(/\s/g, ' ').replace(/[\p{C}]/gu, '');
}

function joinUrl(base: string, file: string): string {
  return `${base.replace(/\/+$/, '')}/${file}`;
}

// --- SemVer 2 ordering (Masterminds/semver, as Helm sorts index entries)

interface Semver { major: number; minor: number; patch: number; pre: string[] }

function parseSemver(v: string): Semver | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v);
  if (!m) return undefined;
  return { major: +m[1], minor: +(m[2] ?? 0), patch: +(m[3] ?? 0), pre: m[4] ? m[4].split('.') : [] };
}

export function compareSemver(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  for (const k of ['major', 'minor', 'patch'] as const) {
    if (x[k] !== y[k]) return x[k] < y[k] ? -1 : 1;
  }
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length; // release > prerelease
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return +p < +q ? -1 : 1;
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

// --- go-yaml v2 emitter details

/** Would go-yaml read this plain scalar back as something other than a string? Then it quotes it "". */
function readsAsNonString(s: string): boolean {
  if (s === '') return true;
  if (/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s)) return true; // YAML 1.1 base-60
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(s)) return true; // go-yaml float
  if (/^[-+]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|[0-9][0-9_]*)$/.test(s)) return true; // go-yaml int
  try {
    const v = YAML.parse(s, { version: '1.1' });
    return v === null || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date;
  } catch {
    return false;
  }
}

/** go-yaml v2's keyList.Less: letters after non-letters, digit runs compared as numbers. */
function goYamlKeyCompare(a: { key: unknown }, b: { key: unknown }): number {
  const ka = String(YAML.isScalar(a.key) ? a.key.value : a.key);
  const kb = String(YAML.isScalar(b.key) ? b.key.value : b.key);
  return goLess(ka, kb) ? -1 : goLess(kb, ka) ? 1 : 0;
}

function goLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string) => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined) => c !== undefined && /^[0-9]$/.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + +ar[ai];
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + +br[bi];
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}
