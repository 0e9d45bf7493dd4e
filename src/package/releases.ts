/**
 * Released chart archives: the Helm repository in dist/ keeps every version it ever served (Flux
 * HelmReleases and Magnum cluster templates pin versions; a repository that drops one breaks them).
 *
 * The rule for "released": an archive is released once it is listed, with the sha256 of its bytes, in
 * the committed `dist/released.json` (the maintainer adds it when publishing a version). synth never
 * writes or removes a released archive; it packages only the current version of a chart that is not
 * released yet, and the index lists both. A chart whose current version is released but whose content
 * differs from that archive needs a version bump: {@link releaseProblems} says so (and the tests fail).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ArchiveEntry, readTar } from './chart-archive';

export const RELEASED_MANIFEST = 'released.json';

/** `dist/released.json`: archive file name → sha256 (hex) of its bytes. */
export type ReleasedManifest = Readonly<Record<string, string>>;

export function readReleasedManifest(distDir: string): ReleasedManifest {
  const file = path.join(distDir, RELEASED_MANIFEST);
  if (!fs.existsSync(file)) return {};
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) throw new Error(`${file}: must be an object of archive name → sha256`);
  for (const [name, digest] of Object.entries(manifest)) {
    if (!/^[a-z0-9][a-z0-9.-]*-\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?\.tgz$/.test(name)) throw new Error(`${file}: "${name}" is not a chart archive name`);
    if (typeof digest !== 'string' || !/^[a-f0-9]{64}$/.test(digest)) throw new Error(`${file}: "${name}" needs a sha256 digest (64 hex digits)`);
  }
  return manifest as ReleasedManifest;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Copies every released archive from `fromDist` to `toDist` (when they differ), checking each against
 * its recorded digest; throws when one is missing or changed.
 */
export function restoreReleased(fromDist: string, toDist: string): ReleasedManifest {
  const manifest = readReleasedManifest(fromDist);
  fs.mkdirSync(toDist, { recursive: true });
  for (const [name, digest] of Object.entries(manifest)) {
    const file = path.join(fromDist, name);
    if (!fs.existsSync(file)) throw new Error(`dist/${name} is released (dist/${RELEASED_MANIFEST}) but missing: restore it from git, never rebuild it`);
    const data = fs.readFileSync(file);
    if (sha256(data) !== digest) throw new Error(`dist/${name} is released but its bytes changed (sha256 ${sha256(data)}, released ${digest}): restore it from git`);
    if (path.resolve(fromDist) !== path.resolve(toDist)) fs.writeFileSync(path.join(toDist, name), data);
  }
  if (path.resolve(fromDist) !== path.resolve(toDist)) fs.copyFileSync(path.join(fromDist, RELEASED_MANIFEST), path.join(toDist, RELEASED_MANIFEST));
  return manifest;
}

/** Whether two archives hold the same files (paths and bytes; compression aside). */
export function sameChartContent(a: Buffer, b: Buffer): boolean {
  const key = (entries: ArchiveEntry[]) => entries.map((e) => `${e.path}\0${sha256(e.data)}`).sort().join('\n');
  return key(readTar(a)) === key(readTar(b));
}

/** A released chart version whose current content differs: the chart needs a new version. */
export interface ReleaseProblem {
  readonly archive: string;
  readonly message: string;
}

/**
 * For each freshly packaged current archive (`name-version.tgz` → bytes) whose version is released:
 * a problem when its files differ from the released archive's.
 */
export function releaseProblems(distDir: string, current: ReadonlyMap<string, Buffer>): ReleaseProblem[] {
  const manifest = readReleasedManifest(distDir);
  const problems: ReleaseProblem[] = [];
  for (const [archive, fresh] of current) {
    if (!(archive in manifest)) continue;
    const released = fs.readFileSync(path.join(distDir, archive));
    if (!sameChartContent(released, fresh)) {
      const changed = diffEntries(readTar(released), readTar(fresh));
      problems.push({
        archive,
        message: `${archive} is released, but the chart now differs from it (${changed.join(', ')}): bump the chart version (SemVer) and regenerate`,
      });
    }
  }
  return problems;
}

function diffEntries(released: ArchiveEntry[], fresh: ArchiveEntry[]): string[] {
  const byPath = (entries: ArchiveEntry[]) => new Map(entries.map((e) => [e.path, sha256(e.data)]));
  const a = byPath(released);
  const b = byPath(fresh);
  const out: string[] = [];
  for (const [p, d] of b) if (a.get(p) !== d) out.push(a.has(p) ? `${p} changed` : `${p} added`);
  for (const p of a.keys()) if (!b.has(p)) out.push(`${p} removed`);
  return out.length > 8 ? [...out.slice(0, 8), `${out.length - 8} more`] : out;
}
