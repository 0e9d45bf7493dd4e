/**
 * Benchmarks: `npm run bench` (ts-node --transpile-only bench/run.ts).
 *
 * Prints, never asserts. Absolute numbers depend on the machine; the ratios measured within one run
 * are what to compare across commits:
 *   1. `helm template` wall time of our chart with examples/ha.yaml vs. the floor chart (one ConfigMap),
 *      per helm binary, N runs after warm-ups: mean/median ms, ratio to the floor, rendered objects;
 *   2. in-process renders per second of the evaluation backend (src/render.ts, renderChart), and how
 *      many in-process renders fit in one `helm template` process;
 *   3. wall time of the full synth (src/synth.ts);
 *   4. cost per tenant: the CPU and memory requests everything a release runs in the management cluster
 *      reserves (bench/cost.ts), for examples/minimal.yaml and examples/ha.yaml, against the HA target.
 * Rows whose inputs do not exist (yet) are skipped with a message. Results also go to
 * bench/results/latest.json (gitignored).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { HelmBinary, helmBinaries, helmEnv } from '../test/harness/helm';
import { COST_TARGETS, GiB, MiB, TenantCost, tenantCost } from './cost';

// --- inputs -----------------------------------------------------------------------------------
const ROOT = path.resolve(__dirname, '..');
const CHART_DIR = path.join(ROOT, 'charts', 'tenant-cluster');
const CHART_NAME = 'tenant-cluster';
const EXAMPLE_VALUES = path.join(ROOT, 'examples', 'ha.yaml');
const FLOOR_CHART = path.join(ROOT, 'bench', 'floor-chart');
const RENDER_MODULE = path.join(ROOT, 'src', 'render.ts');
const SYNTH_ENTRY = path.join(ROOT, 'src', 'synth.ts');
const RESULTS_FILE = path.join(ROOT, 'bench', 'results', 'latest.json');
const COST_EXAMPLES = ['minimal.yaml', 'ha.yaml'].map((f) => path.join(ROOT, 'examples', f));

// --- settings ---------------------------------------------------------------------------------
const RELEASE = 'bench';
const NAMESPACE = 'bench';
const RUNS = 20;
const WARMUPS = 3;
const IN_PROCESS_SECONDS = 2;

// --- timing -----------------------------------------------------------------------------------
function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function timed<T>(fn: () => T): { ms: number; result: T } {
  const start = nowMs();
  const result = fn();
  return { ms: nowMs() - start, result };
}

interface Stats { runs: number; meanMs: number; medianMs: number; minMs: number; maxMs: number }

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return {
    runs: s.length,
    meanMs: s.reduce((a, b) => a + b, 0) / s.length,
    medianMs: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2,
    minMs: s[0],
    maxMs: s[s.length - 1],
  };
}

const rel = (p: string) => path.relative(ROOT, p);
const fmt = (n: number | undefined, digits = 1) => (n === undefined ? '-' : n.toFixed(digits));

/** Documents of a multi-document YAML stream that have a top-level `kind:`. */
function countObjects(stream: string): number {
  return stream.split(/^---[ \t]*$/m).filter((doc) => /^kind:[ \t]*\S/m.test(doc)).length;
}

// --- 1. helm template -------------------------------------------------------------------------

interface TemplateRow {
  helm: string;
  chart: string;
  stats?: Stats;
  objects?: number;
  ratioToFloor?: number;
  skipped?: string;
}

interface TemplateJob { chart: string; valuesFiles: string[] }

/**
 * Times `helm template` of each job: WARMUPS rounds, then RUNS rounds. Within a round the jobs run
 * back to back, so that drift of a noisy machine hits every job alike and the ratios stay meaningful.
 */
function benchHelmTemplate(helm: HelmBinary, jobs: TemplateJob[]): Omit<TemplateRow, 'helm' | 'chart'>[] {
  const env = helmEnv();
  const once = (job: TemplateJob) => {
    const args = ['template', RELEASE, job.chart, '--namespace', NAMESPACE, ...job.valuesFiles.flatMap((f) => ['-f', f])];
    const r = spawnSync(helm.path, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`exit code ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    return r.stdout;
  };
  const failed: (string | undefined)[] = jobs.map(() => undefined);
  const samples: number[][] = jobs.map(() => []);
  const outputs: string[] = jobs.map(() => '');
  for (let round = 0; round < WARMUPS + RUNS; round++) {
    jobs.forEach((job, i) => {
      if (failed[i]) return;
      try {
        const t = timed(() => once(job));
        if (round >= WARMUPS) samples[i].push(t.ms);
        outputs[i] = t.result;
      } catch (e) {
        failed[i] = `helm template failed: ${(e as Error).message}`;
      }
    });
  }
  return jobs.map((_, i) => (failed[i]
    ? { skipped: failed[i] }
    : { stats: stats(samples[i]), objects: countObjects(outputs[i]) }));
}

function missing(...files: string[]): string | undefined {
  const absent = files.filter((f) => !fs.existsSync(f));
  if (absent.length === 0) return undefined;
  return `${absent.map(rel).join(', ')} ${absent.length === 1 ? 'does' : 'do'} not exist (yet)`;
}

// --- 2. in-process renders --------------------------------------------------------------------

interface InProcessRow {
  rendersPerSecond?: number;
  meanMs?: number;
  renders?: number;
  objects?: number;
  /** helm name → how many in-process renders take as long as one `helm template` of our chart */
  rendersPerHelmProcess?: Record<string, number>;
  skipped?: string;
}

/**
 * Values as `helm template -f` sees them: YAML 1.1 scalars (`yes`/`no`/`on`/`off`/`y`/`n` are booleans,
 * also as keys), timestamps left as strings, then a JSON round trip (all keys strings), which is what
 * sigs.k8s.io/yaml does before helm gets the values.
 */
function loadValuesLikeHelm(file: string): unknown {
  const parsed = YAML.parse(fs.readFileSync(file, 'utf8'), {
    version: '1.1',
    customTags: (tags) => tags.filter((t) => typeof t !== 'object' || t.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  return JSON.parse(JSON.stringify(parsed ?? {}));
}

function benchInProcess(helmRows: TemplateRow[]): InProcessRow {
  const absent = missing(RENDER_MODULE, CHART_DIR, EXAMPLE_VALUES);
  if (absent) return { skipped: absent };
  let renderChart: (chart: string, values: unknown, opts: { release: string; namespace: string }) => unknown[];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    renderChart = require(RENDER_MODULE).renderChart;
  } catch (e) {
    return { skipped: `cannot load ${rel(RENDER_MODULE)}: ${(e as Error).message.split('\n')[0]}` };
  }
  if (typeof renderChart !== 'function') return { skipped: `${rel(RENDER_MODULE)} does not export renderChart` };

  const values = loadValuesLikeHelm(EXAMPLE_VALUES);
  const opts = { release: RELEASE, namespace: NAMESPACE };
  try {
    let objects = 0;
    for (let i = 0; i < WARMUPS; i++) objects = renderChart(CHART_NAME, values, opts).length;
    const start = nowMs();
    let renders = 0;
    while (nowMs() - start < IN_PROCESS_SECONDS * 1000) {
      renderChart(CHART_NAME, values, opts);
      renders++;
    }
    const elapsed = nowMs() - start;
    const meanMs = elapsed / renders;
    const rendersPerHelmProcess: Record<string, number> = {};
    for (const row of helmRows) {
      if (row.chart === rel(CHART_DIR) && row.stats) rendersPerHelmProcess[row.helm] = row.stats.meanMs / meanMs;
    }
    return { rendersPerSecond: (renders * 1000) / elapsed, meanMs, renders, objects, rendersPerHelmProcess };
  } catch (e) {
    return { skipped: `renderChart failed: ${(e as Error).message.split('\n')[0]}` };
  }
}

// --- 3. synth ---------------------------------------------------------------------------------

interface SynthRow { command: string; ms?: number; exitCode?: number; skipped?: string }

function benchSynth(): SynthRow {
  const args = ['ts-node', '--transpile-only', rel(SYNTH_ENTRY)];
  const command = `npx ${args.join(' ')}`;
  const absent = missing(SYNTH_ENTRY);
  if (absent) return { command, skipped: absent };
  const t = timed(() => spawnSync('npx', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
  if (t.result.error) return { command, skipped: `cannot spawn npx: ${t.result.error.message}` };
  const row: SynthRow = { command, ms: t.ms, exitCode: t.result.status ?? -1 };
  if (row.exitCode !== 0) {
    console.error(`synth failed (exit ${row.exitCode}):\n${t.result.stderr.trim().split('\n').slice(-10).join('\n')}`);
  }
  return row;
}

// --- 4. cost per tenant -----------------------------------------------------------------------

interface CostRow {
  example: string;
  objects?: number;
  cpuCores?: number;
  memoryGiB?: number;
  controlPlane?: { cpuCores: number; memoryGiB: number };
  workloads?: { cpuCores: number; memoryGiB: number };
  /** cores / target cores and GiB / target GiB, per target. */
  ratios?: Record<string, { cpu: number; memory: number }>;
  items?: Array<{ what: string; pods: number; cpuMillicores: number; memoryMiB: number; missing?: string[] }>;
  /** Set when the example did not render as is and was rendered with an addition (see `note`). */
  note?: string;
  skipped?: string;
}

function deepMerge(base: unknown, over: unknown): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

function costRow(example: string, cost: TenantCost, note?: string): CostRow {
  const cores = (r: { cpu: number }) => r.cpu;
  const gib = (r: { memory: number }) => r.memory / GiB;
  return {
    example,
    objects: cost.objects,
    cpuCores: cores(cost.total),
    memoryGiB: gib(cost.total),
    controlPlane: { cpuCores: cores(cost.controlPlane), memoryGiB: gib(cost.controlPlane) },
    workloads: { cpuCores: cores(cost.workloads), memoryGiB: gib(cost.workloads) },
    ratios: Object.fromEntries(Object.entries(COST_TARGETS).map(([k, t]) => [k, { cpu: cores(cost.total) / t.cores, memory: gib(cost.total) / t.memoryGiB }])),
    items: cost.items.map((i) => ({
      what: i.what, pods: i.pods, cpuMillicores: i.total.cpu * 1000, memoryMiB: i.total.memory / MiB, ...(i.missing.length ? { missing: i.missing } : {}),
    })),
    ...(note ? { note } : {}),
  };
}

function benchCost(): CostRow[] {
  const absent = missing(RENDER_MODULE, ...COST_EXAMPLES);
  if (absent) return [{ example: '-', skipped: absent }];
  let renderChart: (chart: string, values: unknown, opts: { release: string; namespace: string }) => Record<string, any>[];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    renderChart = require(RENDER_MODULE).renderChart;
  } catch (e) {
    return [{ example: '-', skipped: `cannot load ${rel(RENDER_MODULE)}: ${(e as Error).message.split('\n')[0]}` }];
  }
  const opts = { release: RELEASE, namespace: NAMESPACE };
  const minimal = loadValuesLikeHelm(COST_EXAMPLES[0]) as Record<string, any>;
  return COST_EXAMPLES.map((file) => {
    const example = rel(file);
    const values = loadValuesLikeHelm(file);
    try {
      return costRow(example, tenantCost(renderChart(CHART_NAME, values, opts)));
    } catch (e) {
      const error = (e as Error).message.split('\n')[0];
      // An example that does not render as is (e.g. lacks the repository every example needs): with the
      // repositories of examples/minimal.yaml beneath it, so the row still shows a cost; the note says so.
      const repositories = minimal.addons?.repositories;
      if (repositories) {
        try {
          const cost = tenantCost(renderChart(CHART_NAME, deepMerge({ addons: { repositories } }, values), opts));
          return costRow(example, cost, `does not render as is (${error}); rendered with addons.repositories of ${rel(COST_EXAMPLES[0])}`);
        } catch {
          // fall through
        }
      }
      return { example, skipped: `renderChart failed: ${error}` };
    }
  });
}

// --- report -----------------------------------------------------------------------------------

/** A table with left-aligned text columns (first two) and right-aligned numbers; a row of 3 cells is a skip message. */
function table(header: string[], rows: string[][]): string {
  const full = rows.filter((r) => r.length === header.length);
  const widths = header.map((h, i) => Math.max(h.length, ...[...full, ...rows.map((r) => r.slice(0, 2))].map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells
    .map((c, i) => (cells.length !== header.length && i === 2 ? c : i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
    .join('  ')
    .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function main(): void {
  const machine = {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
  };
  console.log(`bench: ${machine.node}, ${machine.platform}, ${machine.cpus} x ${machine.cpu}\n`);

  // 1. helm template
  let binaries: HelmBinary[] = [];
  let helmSkipped: string | undefined;
  try {
    binaries = helmBinaries();
  } catch (e) {
    helmSkipped = (e as Error).message;
  }
  const templateRows: TemplateRow[] = [];
  const oursMissing = missing(CHART_DIR, EXAMPLE_VALUES);
  for (const helm of binaries) {
    const jobs: TemplateJob[] = [{ chart: FLOOR_CHART, valuesFiles: [] }];
    if (!oursMissing) jobs.push({ chart: CHART_DIR, valuesFiles: [EXAMPLE_VALUES] });
    const [floorResult, oursResult] = benchHelmTemplate(helm, jobs);
    const floor: TemplateRow = { helm: helm.name, chart: rel(FLOOR_CHART), ...floorResult };
    if (floor.stats) floor.ratioToFloor = 1;
    const ours: TemplateRow = { helm: helm.name, chart: rel(CHART_DIR), ...(oursResult ?? { skipped: oursMissing }) };
    if (ours.stats && floor.stats) ours.ratioToFloor = ours.stats.meanMs / floor.stats.meanMs;
    templateRows.push(floor, ours);
  }
  console.log(`1. helm template (${RUNS} runs after ${WARMUPS} warm-ups, charts interleaved; ours with -f ${rel(EXAMPLE_VALUES)})`);
  if (helmSkipped) console.log(`   skipped: ${helmSkipped}`);
  const versionOf = (name: string) => binaries.find((b) => b.name === name)?.version ?? '';
  console.log(table(
    ['helm', 'chart', 'mean ms', 'median ms', 'min ms', 'x floor', 'objects'],
    templateRows.map((r) => (r.skipped
      ? [`${r.helm} ${versionOf(r.helm)}`, r.chart, `skipped: ${r.skipped}`]
      : [`${r.helm} ${versionOf(r.helm)}`, r.chart, fmt(r.stats?.meanMs), fmt(r.stats?.medianMs), fmt(r.stats?.minMs), fmt(r.ratioToFloor, 2), String(r.objects)])),
  ));

  // 2. in-process
  const inProcess = benchInProcess(templateRows);
  console.log(`\n2. in-process renderChart (${rel(RENDER_MODULE)}), ~${IN_PROCESS_SECONDS} s`);
  if (inProcess.skipped) {
    console.log(`   skipped: ${inProcess.skipped}`);
  } else {
    console.log(`   ${fmt(inProcess.rendersPerSecond)} renders/s (${inProcess.renders} renders, mean ${fmt(inProcess.meanMs, 2)} ms, ${inProcess.objects} objects)`);
    for (const [helm, n] of Object.entries(inProcess.rendersPerHelmProcess ?? {})) {
      console.log(`   ${fmt(n)} in-process renders per ${helm} template process`);
    }
  }

  // 3. synth
  const synth = benchSynth();
  console.log(`\n3. synth: ${synth.command}`);
  console.log(synth.skipped
    ? `   skipped: ${synth.skipped}`
    : `   ${fmt(synth.ms, 0)} ms (exit code ${synth.exitCode})`);

  // 4. cost per tenant
  const cost = benchCost();
  console.log(`\n4. cost per tenant: requests in the management cluster (control plane pods + Deployments/StatefulSets/DaemonSets), in-process`);
  const ratio = (r: CostRow, k: keyof typeof COST_TARGETS) => (r.ratios ? `${fmt(r.ratios[k].cpu, 2)} / ${fmt(r.ratios[k].memory, 2)}` : '-');
  console.log(table(
    ['example', 'objects', 'CPU cores', 'memory GiB', 'of which control plane', `x ${COST_TARGETS.ha.label} cpu/mem`, 'x Cozystack cpu/mem'],
    cost.map((r) => (r.skipped
      ? [r.example, '', `skipped: ${r.skipped}`]
      : [r.example, String(r.objects), fmt(r.cpuCores, 3), fmt(r.memoryGiB, 3), `${fmt(r.controlPlane?.cpuCores, 3)} cores, ${fmt(r.controlPlane?.memoryGiB, 3)} GiB`,
        ratio(r, 'ha'), ratio(r, 'cozystack')])),
  ));
  console.log(`   ${COST_TARGETS.ha.label}: <= ${COST_TARGETS.ha.cores} cores, <= ${COST_TARGETS.ha.memoryGiB} GiB; `
    + `${COST_TARGETS.cozystack.label}: ${COST_TARGETS.cozystack.cores} cores, ${COST_TARGETS.cozystack.memoryGiB} GiB (ratio > 1: over)`);
  for (const r of cost) {
    if (r.note) console.log(`   note ${r.example}: ${r.note}`);
    if (r.skipped || !r.items) continue;
    console.log(`   ${r.example}:`);
    for (const i of r.items) {
      console.log(`     ${i.what.padEnd(56)} ${String(i.pods).padStart(2)} x  ${fmt(i.cpuMillicores / i.pods, 0).padStart(5)}m ${fmt(i.memoryMiB / i.pods, 0).padStart(6)}Mi  = ${fmt(i.cpuMillicores, 0).padStart(5)}m ${fmt(i.memoryMiB, 0).padStart(6)}Mi${i.missing ? `  (no request: ${i.missing.join(', ')})` : ''}`);
    }
  }

  const results = {
    date: new Date().toISOString(),
    machine,
    settings: { runs: RUNS, warmups: WARMUPS, inProcessSeconds: IN_PROCESS_SECONDS, release: RELEASE, namespace: NAMESPACE },
    helm: binaries.map((b) => ({ name: b.name, version: b.version })),
    ...(helmSkipped ? { helmSkipped } : {}),
    helmTemplate: templateRows,
    inProcess,
    synth,
    costPerTenant: { targets: COST_TARGETS, examples: cost },
  };
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwritten: ${rel(RESULTS_FILE)}`);
}

main();
