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

/**
 * A values document as JSON for `-f`: JSON.stringify, with U+0085, U+2028 and U+2029 (and the characters below) escaped (Go's encoder
 * escapes U+2028/U+2029, Python's escapes all non-ASCII by default). Helm reads `-f` files as YAML, where
 * these are line breaks: a map key holding one unescaped makes the file unparseable (`did not find expected
 * ',' or '}'`), so the chart would never see it.
 */
export function valuesJson(values: unknown): string {
  // Also DEL, the C1 controls, BOM and U+FFFE/U+FFFF: go-yaml refuses them raw ("control characters are not allowed"), so a
  // value holding one reaches the chart (which refuses it with its path) only escaped.
  return JSON.stringify(values, null, 2).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `helm template` with the case's values (as a JSON file), asynchronously so both Helms run at once; `chartDir`: another line of the chart. */
export function helmTemplateAsync(helm: HelmBinary, c: ValuesCase, chartDir = CHART_DIR): Promise<HelmResult> {
  return withTempDirAsync('tenant-cluster-property-', async (dir) => {
    const file = path.join(dir, 'values.json');
    fs.writeFileSync(file, valuesJson(c.values));
    // Flags first, then `--`: a release name starting with `-` must reach Helm's own name check, not its flag parser.
    return runHelmAsync(helm, ['template', '--namespace', c.namespace, '-f', file, '--', c.release, chartDir]);
  });
}
