/**
 * `npm run synth`: writes every chart (charts/), its versioned values schema (values-schemas/), the
 * precompiled model the CLI renders with (models/) and the Helm repository (dist/: packaged charts and
 * index.yaml), deterministically.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CHARTS } from './charts';
import { writeChart } from './generator/chart-writer';
import { packageChart } from './package/chart-archive';
import { writeRepoIndex } from './package/repo-index';

const REPO_ROOT = path.resolve(__dirname, '..');

/** Writes every generated file under `outRoot` (the repository itself by default); returns their paths. */
export function synth(outRoot = REPO_ROOT): string[] {
  const dist = path.join(outRoot, 'dist');
  fs.rmSync(dist, { recursive: true, force: true });
  fs.rmSync(path.join(outRoot, 'models'), { recursive: true, force: true });
  fs.mkdirSync(dist, { recursive: true });
  const written: string[] = [];
  for (const def of Object.values(CHARTS)) {
    const { chartDir, schemaFile, modelFiles } = writeChart(def, REPO_ROOT, outRoot);
    written.push(chartDir, schemaFile, ...modelFiles, packageChart(chartDir, dist));
  }
  written.push(writeRepoIndex(dist));
  return written;
}

if (require.main === module) {
  const started = Date.now();
  for (const f of synth()) console.log(`wrote ${path.relative(REPO_ROOT, f)}`);
  console.log(`synth finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
