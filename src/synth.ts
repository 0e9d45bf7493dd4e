/**
 * `npm run synth`: writes every chart (charts/), its versioned values schema (values-schemas/), the
 * precompiled model the CLI renders with (models/) and the Helm repository (dist/: packaged charts and
 * index.yaml), deterministically.
 *
 * dist/ keeps every released archive (listed in dist/released.json, see src/package/releases.ts)
 * byte for byte; only the current version of a chart that is not released yet is (re)packaged, and
 * the index lists them all. Every version line of a chart (tenant-cluster 1.x and 2.x) goes into the same
 * repository, under the same chart name; a preview line (ChartDefinition.preview) is written and
 * tested but not packaged.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CHARTS, isServed } from './charts';
import { writeChart } from './generator/chart-writer';
import { packageChart, readTar } from './package/chart-archive';
import { ReleaseProblem, releaseProblems, restoreReleased } from './package/releases';
import { writeRepoIndex } from './package/repo-index';

const REPO_ROOT = path.resolve(__dirname, '..');

export interface SynthOptions {
  /**
   * Package preview lines into dist/ too, as they will be once finished (for tests of the repository with
   * every line; the repository's own dist/ never holds a preview).
   * @default false
   */
  readonly packagePreviews?: boolean;
}

/** Writes every generated file under `outRoot` (the repository itself by default); returns their paths. */
export function synth(outRoot = REPO_ROOT, problems: ReleaseProblem[] = [], opts: SynthOptions = {}): string[] {
  const dist = path.join(outRoot, 'dist');
  const released = restoreReleased(path.join(REPO_ROOT, 'dist'), dist);
  fs.rmSync(path.join(outRoot, 'models'), { recursive: true, force: true });
  const written: string[] = [];
  for (const f of fs.readdirSync(dist)) {
    if (f.endsWith('.tgz') && !(f in released)) fs.rmSync(path.join(dist, f));
  }
  written.push(...writeReleasedSchemas(dist, released, outRoot));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-package-'));
  const current = new Map<string, Buffer>();
  try {
    for (const def of Object.values(CHARTS)) {
      const { chartDir, schemaFile, modelFiles } = writeChart(def, REPO_ROOT, outRoot);
      written.push(chartDir, schemaFile, ...modelFiles);
      if (!isServed(def) && !opts.packagePreviews) continue;
      const archive = packageChart(chartDir, scratch);
      const name = path.basename(archive);
      current.set(name, fs.readFileSync(archive));
      // A released version is never rewritten: a changed chart needs a new version (releaseProblems).
      if (!(name in released)) {
        fs.copyFileSync(archive, path.join(dist, name));
        written.push(path.join(dist, name));
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  problems.push(...releaseProblems(dist, current));
  written.push(writeRepoIndex(dist));
  return written;
}

/**
 * `values-schemas/<chart>-<version>.schema.json` of every released version, taken from its archive so
 * that a released schema can never drift from what was served (the current version's is written by
 * writeChart).
 */
function writeReleasedSchemas(dist: string, released: Readonly<Record<string, string>>, outRoot: string): string[] {
  const dir = path.join(outRoot, 'values-schemas');
  fs.mkdirSync(dir, { recursive: true });
  return Object.keys(released).sort().map((archive) => {
    const entries = readTar(fs.readFileSync(path.join(dist, archive)));
    const schema = entries.find((e) => /^[^/]+\/values\.schema\.json$/.test(e.path));
    if (!schema) throw new Error(`dist/${archive}: no values.schema.json in the released archive`);
    const file = path.join(dir, archive.replace(/\.tgz$/, '.schema.json'));
    fs.writeFileSync(file, schema.data);
    return file;
  });
}

if (require.main === module) {
  const started = Date.now();
  const problems: ReleaseProblem[] = [];
  for (const f of synth(REPO_ROOT, problems)) console.log(`wrote ${path.relative(REPO_ROOT, f)}`);
  for (const p of problems) console.warn(`warning: ${p.message}`);
  console.log(`synth finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
