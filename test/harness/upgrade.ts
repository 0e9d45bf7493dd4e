/**
 * Chart upgrade harness: the released versions of a chart (dist/released.json), their archives rendered by
 * real Helm, and values documents that an old chart and the current one both accept.
 */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { compareReleases, DiffReport } from '../../src/diff/compare';
import { LINE_CONVERSIONS } from '../../src/diff/convert';
import { KubeObject, parseManifests } from '../../src/diff/objects';
import { readTar } from '../../src/package/chart-archive';
import { compareSemver } from '../../src/package/repo-index';
import { HelmBinary, helmTemplate, REPO_ROOT } from './helm';

export const DIST_DIR = path.join(REPO_ROOT, 'dist');

/** A released archive of a chart. */
export interface ReleasedChart {
  readonly chart: string;
  readonly version: string;
  readonly archive: string;
}

/** The released versions of `chart`, oldest first, from dist/released.json. */
export function releasedVersions(chart: string): ReleasedChart[] {
  const released = JSON.parse(fs.readFileSync(path.join(DIST_DIR, 'released.json'), 'utf8')) as Record<string, string>;
  return Object.keys(released)
    .map((file) => new RegExp(`^${chart}-(\\d+\\.\\d+\\.\\d+)\\.tgz$`).exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ chart, version: m[1], archive: path.join(DIST_DIR, m[0]) }))
    .sort((a, b) => compareSemver(a.version, b.version));
}

/** The values schema inside a chart archive (`<chart>/values.schema.json`). */
export function archiveSchema(archive: string): Record<string, any> {
  const entry = readTar(gunzipSync(fs.readFileSync(archive))).find((e) => /^[^/]+\/values\.schema\.json$/.test(e.path));
  if (!entry) throw new Error(`${archive} has no values.schema.json`);
  return JSON.parse(entry.data.toString('utf8'));
}

type Schema = Record<string, any>;

/**
 * `values` without what `schema` forbids as an unknown key (`additionalProperties: false`): how a values
 * document written for the current chart looks to an older one whose contract lacked the newer keys.
 * Values of known keys are kept as they are (the old chart may still refuse them; callers filter).
 */
export function pruneToSchema(values: unknown, schema: Schema, root: Schema = schema): unknown {
  let s = schema;
  for (let i = 0; i < 20 && typeof s?.$ref === 'string'; i++) s = root.definitions?.[s.$ref.split('/').pop()!] ?? root.$defs?.[s.$ref.split('/').pop()!];
  if (!s || typeof s !== 'object') return values;
  if (Array.isArray(values)) return s.items && typeof s.items === 'object' ? values.map((v) => pruneToSchema(v, s.items, root)) : values;
  if (values === null || typeof values !== 'object') return values;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values as Record<string, unknown>)) {
    const prop = s.properties?.[k];
    const pattern = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>).find(([re]) => new RegExp(re, 'u').test(k))?.[1];
    if (prop !== undefined) out[k] = pruneToSchema(v, prop, root);
    else if (pattern !== undefined) out[k] = pruneToSchema(v, pattern, root);
    else if (s.additionalProperties === false) continue;
    else if (s.additionalProperties && typeof s.additionalProperties === 'object') out[k] = pruneToSchema(v, s.additionalProperties, root);
    else out[k] = v;
  }
  return out;
}

/** `helm template` of an archive: the objects, or Helm's refusal. */
export function renderArchive(helm: HelmBinary, archive: string, values: unknown, release: string, namespace: string):
{ objects: KubeObject[] } | { error: string } {
  const r = helmTemplate(helm, archive, { release, namespace, values });
  if (r.code !== 0) return { error: r.stderr.trim() };
  return { objects: parseManifests(r.stdout, archive) };
}

/** The upgrade from `before` to `after` rendered objects, as `tenant-cluster diff` sees it (with the 1.x → 2.x conversions). */
export function upgradeReport(before: readonly KubeObject[], after: readonly KubeObject[], namespace: string): DiffReport {
  return compareReleases(before, after, { releaseNamespace: namespace, conversions: LINE_CONVERSIONS });
}
