/**
 * Shared plumbing of the property suites: reproducible fast-check parameters and `helm template`
 * of one generated values case.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { HelmBinary, HelmResult, REPO_ROOT, runHelmAsync, withTempDirAsync } from './helm';
import { ValuesCase } from './values-arbitrary';

export const CHART = 'tenant-cluster';
export const CHART_DIR = path.join(REPO_ROOT, 'charts', CHART);
export const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20261122;
export const REPLAY_PATH = process.env.FC_PATH;

/** Wall-clock budget of one property, shrinking included (a Helm run per shrink step adds up). */
const TIME_LIMIT_MS = Number(process.env.FC_TIME_LIMIT_S ?? 240) * 1000;

/**
 * fast-check parameters: fixed seed (printed on failure), replayable path; a property that runs out of
 * time fails (while shrinking: with the smallest counterexample found so far).
 */
export function params<T>(numRuns: number): fc.Parameters<T> {
  return {
    seed: SEED, numRuns, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: true,
    ...(REPLAY_PATH ? { path: REPLAY_PATH } : {}),
  };
}

/** `helm template` with the case's values (as a JSON file), asynchronously so both Helms run at once. */
export function helmTemplateAsync(helm: HelmBinary, c: ValuesCase): Promise<HelmResult> {
  return withTempDirAsync('tenant-cluster-property-', async (dir) => {
    const file = path.join(dir, 'values.json');
    fs.writeFileSync(file, JSON.stringify(c.values, null, 2));
    return runHelmAsync(helm, ['template', c.release, CHART_DIR, '--namespace', c.namespace, '-f', file]);
  });
}
