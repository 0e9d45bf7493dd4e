/**
 * The `magnum-tenant-cluster` chart rendered the ways the tests compare: the evaluation backend (`renderChart`, what
 * the CLI runs), and Helm 3 and 4 invoked exactly as the Magnum driver invokes them (magnum-driver-helm.ts) on a copy
 * of the chart "republished" with the operator's `site` settings in its values.yaml, as the README tells operators to.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { coalesceValues, ValuesMap } from '../../src/expr';
import { renderChart, validateValues } from '../../src/render';
import { helmBinaries, HelmName, REPO_ROOT } from './helm';
import { Doc, pythonJsonDumps } from './magnum-arbitrary';
import { driverHelm, driverRelease, FakeKubeApi } from './magnum-driver-helm';
import { K8sObject } from './objects';

export const MAGNUM_CHART = 'magnum-tenant-cluster';
export const MAGNUM_CHART_DIR = path.join(REPO_ROOT, 'charts', MAGNUM_CHART);

/** examples/magnum/site-values.yaml: the operator's settings every example is rendered with. */
export function exampleSite(): ValuesMap {
  return YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'magnum', 'site-values.yaml'), 'utf8')) as ValuesMap;
}

/** A copy of the chart whose values.yaml holds `site` over the chart's defaults: what an operator publishes. */
export interface RepublishedChart {
  readonly dir: string;
  dispose(): void;
}

export function republishedChart(site: ValuesMap): RepublishedChart {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'magnum-chart-'));
  fs.cpSync(MAGNUM_CHART_DIR, dir, { recursive: true });
  const defaults = YAML.parse(fs.readFileSync(path.join(MAGNUM_CHART_DIR, 'values.yaml'), 'utf8')) as ValuesMap;
  fs.writeFileSync(path.join(dir, 'values.yaml'), `${JSON.stringify(coalesceValues(defaults, site), null, 2)}\n`);
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The release and namespace the driver calls Helm with. */
export interface DriverRelease {
  readonly release: string;
  readonly namespace: string;
}

/** The evaluation backend: the document under the republished chart's values. */
export function renderMagnumEval(doc: Doc, at: DriverRelease, site: ValuesMap): { objects?: K8sObject[]; error?: string } {
  try {
    return { objects: renderChart(MAGNUM_CHART, coalesceValues(site, doc as ValuesMap), { ...at, model: 'live' }) as K8sObject[] };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** `validate --release --namespace` on the same values. */
export function validateMagnum(doc: Doc, at: DriverRelease, site: ValuesMap): string[] {
  return validateValues(MAGNUM_CHART, coalesceValues(site, doc as ValuesMap), { ...at, model: 'live' });
}

export interface MagnumHelmOutcome {
  readonly name: HelmName;
  readonly code: number;
  readonly stderr: string;
  readonly objects?: K8sObject[];
  /** The release record Helm prints (`--output json`). */
  readonly release?: Record<string, any>;
}

/** Helm 3 and 4 as the driver runs them, the document on stdin as `json.dumps` writes it. */
export async function renderMagnumHelm(chart: RepublishedChart, doc: Doc, at: DriverRelease, api: FakeKubeApi): Promise<MagnumHelmOutcome[]> {
  return Promise.all(helmBinaries().map(async (helm) => {
    const r = await driverHelm(helm, { ...at, chart: chart.dir, stdin: pythonJsonDumps(doc), api });
    if (r.code !== 0) return { name: helm.name, code: r.code, stderr: r.stderr };
    const { release, objects } = driverRelease(r);
    return { name: helm.name, code: r.code, stderr: r.stderr, objects: objects as K8sObject[], release };
  }));
}
