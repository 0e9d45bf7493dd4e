/**
 * Benchmarks: `npm run bench` (ts-node --transpile-only bench/run.ts).
 *
 * Prints, never asserts. Absolute numbers depend on the machine (and on what else runs on it): compare
 * the ratios measured within one run, and on a shared machine the CPU times (user + system of each
 * process, from bash's `time`) rather than wall times.
 *   1. processes, interleaved round by round: `helm template` of the largest example (the example that
 *      renders the most objects), of examples/openstack.yaml (OpenStack workers) and of the floor chart (one
 *      ConfigMap), per helm binary; the CLI (`node lib/cli.js render`, compiled first as `npm run compile` does
 *      when lib/ is older than src/ or models/: tsc, then the bundled CLI with its code cache,
 *      projenrc/bundle-cli.js) for the same values, and `node -e 0`, the floor of any Node process; with
 *      BENCH_CLI_BASELINE=<another build's lib/cli.js>, that CLI too (a before/after in one run);
 *   2. `npm run render` (ts-node from the sources), a few runs;
 *   3. in-process renders per second of the evaluation backend (src/render.ts, renderChart), per wall
 *      and per CPU second;
 *   4. scaling: helm template, the CLI and an in-process render with 1, 10, 50 and 100 node groups (the values schema's limit);
 *   5. wall time of the full synth (src/synth.ts);
 *   6. cost per tenant: the CPU and memory requests everything a release runs in the management cluster
 *      reserves (bench/cost.ts), for examples/minimal.yaml, ha.yaml, platform.yaml, the OpenStack examples and
 *      the two VPN examples, against the HA target, and the cloud integration's share (KubeVirt's or OpenStack's
 *      controllers);
 *   7. the cost of many tenants beyond requests: helm-controller reconciling every tenant's addon
 *      HelmReleases (bench/fleet.ts), with the CPU of loading and rendering each addon chart measured with
 *      real helm when BENCH_UPSTREAM_CHARTS points at the upstream charts (never committed; see README).
 * `npm run bench -- --profile-helm` runs bench/profile-helm.ts instead: where `helm template` of the chart spends its
 * CPU, by ablation. Rows whose inputs do not exist are skipped with a message. Results also go to
 * bench/results/latest.json (gitignored).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as YAML from 'yaml';
import { HelmBinary, helmBinaries, helmEnv } from '../test/harness/helm';
import { pinnedChartVersion } from '../src/pins';
import { cloudIntegrationCost, COST_TARGETS, GiB, MiB, Requests, TenantCost, tenantCost } from './cost';
import { AddonRelease, ASSUMPTIONS, fleetCost, shortestInterval } from './fleet';
import { benchJobs, fmt, Job, nowMs, rel, ROOT, runProcess, Stats, table, tmpDir } from './timing';

// --- inputs -----------------------------------------------------------------------------------
const CHART_DIR = path.join(ROOT, 'charts', 'tenant-cluster');
const CHART_NAME = 'tenant-cluster';
const EXAMPLES_DIR = path.join(ROOT, 'examples');
const FLOOR_CHART = path.join(ROOT, 'bench', 'floor-chart');
const RENDER_MODULE = path.join(ROOT, 'src', 'render.ts');
const SYNTH_ENTRY = path.join(ROOT, 'src', 'synth.ts');
const CLI = path.join(ROOT, 'lib', 'cli.js');
const BUNDLER = path.join(ROOT, 'projenrc', 'bundle-cli.js');
const RESULTS_FILE = path.join(ROOT, 'bench', 'results', 'latest.json');
const COST_EXAMPLES = ['minimal.yaml', 'ha.yaml', 'platform.yaml', 'openstack.yaml', 'openstack-ha.yaml', 'kubevirt-vpn.yaml', 'openstack-vpn.yaml']
  .map((f) => path.join(EXAMPLES_DIR, f));
/** The OpenStack example `helm template` is measured with beside the largest one (section 1). */
const OPENSTACK_EXAMPLE = path.join(EXAMPLES_DIR, 'openstack.yaml');
/** Another build of the CLI (its lib/cli.js) to time beside this one, e.g. main's, for a before/after in one run. */
const CLI_BASELINE = process.env.BENCH_CLI_BASELINE;
/** Where the upstream addon charts were unpacked (`<chart>-<version>/`), outside the repository. */
const UPSTREAM_CHARTS = process.env.BENCH_UPSTREAM_CHARTS;

// --- settings ---------------------------------------------------------------------------------
const RELEASE = 'bench';
const NAMESPACE = 'bench';
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUPS = 3;
const IN_PROCESS_SECONDS = 2;
/** Up to the values schema's limit of 100 node groups (`nodeGroups` maxProperties, bounding the Helm release record). */
const NODE_GROUP_COUNTS = [1, 10, 50, 100];
const FLEET_TENANTS = 1000;
const FLEET_CORE_BUDGET = 1;
const FLEET_INTERVALS = [5, 10, 15, 20, 30, 60];

function missing(...files: string[]): string | undefined {
  const absent = files.filter((f) => !fs.existsSync(f));
  if (absent.length === 0) return undefined;
  return `${absent.map(rel).join(', ')} ${absent.length === 1 ? 'does' : 'do'} not exist (yet)`;
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

type RenderFn = (chart: string, values: unknown, opts: { release: string; namespace: string }) => Record<string, any>[];

function loadRenderChart(): RenderFn | string {
  const absent = missing(RENDER_MODULE);
  if (absent) return absent;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fn = require(RENDER_MODULE).renderChart;
    return typeof fn === 'function' ? fn : `${rel(RENDER_MODULE)} does not export renderChart`;
  } catch (e) {
    return `cannot load ${rel(RENDER_MODULE)}: ${(e as Error).message.split('\n')[0]}`;
  }
}

/** The example that renders the most objects (the largest), by the in-process renderer. */
function largestExample(render: RenderFn | string): { file: string; objects?: number } {
  const files = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.yaml') && !f.startsWith('flux-')).map((f) => path.join(EXAMPLES_DIR, f));
  if (typeof render === 'string') return { file: path.join(EXAMPLES_DIR, 'ha.yaml') };
  const sized = files.flatMap((file) => {
    try {
      return [{ file, objects: render(CHART_NAME, loadValuesLikeHelm(file), { release: RELEASE, namespace: NAMESPACE }).length }];
    } catch {
      return [];
    }
  });
  return sized.sort((a, b) => b.objects - a.objects)[0] ?? { file: path.join(EXAMPLES_DIR, 'ha.yaml') };
}

/**
 * Compiles lib/ as `npm run compile` does (tsc, then the post-compile step projenrc/bundle-cli.js: the bundled CLI
 * with its code cache) when lib/cli.js is missing or older than a source or model file.
 */
function ensureCompiled(): string | undefined {
  const newest = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true })
    .reduce((m, e) => Math.max(m, e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs), 0);
  const sources = Math.max(newest(path.join(ROOT, 'src')), newest(path.join(ROOT, 'models')), fs.statSync(BUNDLER).mtimeMs);
  if (fs.existsSync(CLI) && fs.statSync(CLI).mtimeMs >= sources) return undefined;
  console.log('   compiling lib/ (npx tsc, node projenrc/bundle-cli.js) for the CLI rows …');
  for (const [cmd, args] of [['npx', ['tsc']], [process.execPath, [BUNDLER]]] as const) {
    const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) return `${[cmd, ...args].map((a) => path.basename(a)).join(' ')} failed: ${(r.stdout + r.stderr).trim().split('\n').slice(-3).join(' | ')}`;
  }
  return fs.existsSync(CLI) ? undefined : 'the compile did not write lib/cli.js';
}

// --- 3. in-process ----------------------------------------------------------------------------

interface InProcessRow { rendersPerSecond?: number; rendersPerCpuSecond?: number; meanMs?: number; renders?: number; objects?: number; skipped?: string }

function benchInProcess(render: RenderFn | string, valuesFile: string): InProcessRow {
  if (typeof render === 'string') return { skipped: render };
  const values = loadValuesLikeHelm(valuesFile);
  const opts = { release: RELEASE, namespace: NAMESPACE };
  try {
    let objects = 0;
    for (let i = 0; i < 50 * WARMUPS; i++) objects = render(CHART_NAME, values, opts).length;
    const start = nowMs();
    const cpu0 = process.cpuUsage();
    let renders = 0;
    while (nowMs() - start < IN_PROCESS_SECONDS * 1000) {
      render(CHART_NAME, values, opts);
      renders++;
    }
    const elapsed = nowMs() - start;
    const cpu = process.cpuUsage(cpu0);
    return {
      rendersPerSecond: (renders * 1000) / elapsed,
      rendersPerCpuSecond: renders / ((cpu.user + cpu.system) / 1e6),
      meanMs: elapsed / renders,
      renders,
      objects,
    };
  } catch (e) {
    return { skipped: `renderChart failed: ${(e as Error).message.split('\n')[0]}` };
  }
}

// --- 4. scaling -------------------------------------------------------------------------------

interface ScalingRow { nodeGroups: number; objects?: number; helm: Record<string, Stats | string>; cli?: Stats | string; inProcessMs?: number | string }

/** examples/minimal.yaml with `count` node groups (`g0001` …), as a values file. */
function nodeGroupValues(count: number): string {
  const base = loadValuesLikeHelm(path.join(EXAMPLES_DIR, 'minimal.yaml')) as Record<string, any>;
  base.nodeGroups = Object.fromEntries(Array.from({ length: count }, (_, i) => [`g${String(i + 1).padStart(4, '0')}`, { replicas: 1 + (i % 3) }]));
  const file = path.join(tmpDir, `node-groups-${count}.json`);
  fs.writeFileSync(file, JSON.stringify(base));
  return file;
}

function benchScaling(binaries: HelmBinary[], cliReady: string | undefined, render: RenderFn | string): ScalingRow[] {
  return NODE_GROUP_COUNTS.map((count) => {
    const file = nodeGroupValues(count);
    const runs = count >= 50 ? 3 : 5;
    const jobs: Job[] = [
      ...binaries.map((h) => ({ name: h.name, cmd: h.path, args: ['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE, '-f', file], env: helmEnv() })),
      ...(cliReady ? [] : [{ name: 'cli', cmd: process.execPath, args: [CLI, 'render', '-f', file, '--release', RELEASE, '--namespace', NAMESPACE] }]),
    ];
    const results = benchJobs(jobs, runs, 1);
    const row: ScalingRow = { nodeGroups: count, helm: {} };
    for (const r of results) {
      const value = r.skipped ?? r.wall!;
      if (r.name === 'cli') row.cli = value;
      else row.helm[r.name] = value;
      row.objects ??= r.objects;
    }
    if (cliReady) row.cli = cliReady;
    if (typeof render === 'string') {
      row.inProcessMs = render;
    } else {
      const values = JSON.parse(fs.readFileSync(file, 'utf8'));
      render(CHART_NAME, values, { release: RELEASE, namespace: NAMESPACE });
      const start = nowMs();
      for (let i = 0; i < runs; i++) render(CHART_NAME, values, { release: RELEASE, namespace: NAMESPACE });
      row.inProcessMs = (nowMs() - start) / runs;
    }
    return row;
  });
}

// --- 5. synth ---------------------------------------------------------------------------------

interface SynthRow { command: string; ms?: number; exitCode?: number; skipped?: string }

function benchSynth(): SynthRow {
  const args = ['ts-node', '--transpile-only', rel(SYNTH_ENTRY)];
  const command = `npx ${args.join(' ')}`;
  const absent = missing(SYNTH_ENTRY);
  if (absent) return { command, skipped: absent };
  const start = nowMs();
  const r = spawnSync('npx', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) return { command, skipped: `cannot spawn npx: ${r.error.message}` };
  const row: SynthRow = { command, ms: nowMs() - start, exitCode: r.status ?? -1 };
  if (row.exitCode !== 0) console.error(`synth failed (exit ${row.exitCode}):\n${r.stderr.trim().split('\n').slice(-10).join('\n')}`);
  return row;
}

// --- 6. cost per tenant -----------------------------------------------------------------------

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
  /** The cloud integration's controllers in the management cluster (KubeVirt's or OpenStack's), summed. */
  cloudIntegration?: { provider: string; components: string[]; pods: number; cpuMillicores: number; memoryMiB: number };
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
  const cloud = cloudIntegrationCost(cost, RELEASE);
  const cloudTotal: Requests = cloud.items.reduce((a, i) => ({ cpu: a.cpu + i.total.cpu, memory: a.memory + i.total.memory }), { cpu: 0, memory: 0 });
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
    cloudIntegration: {
      provider: cloud.provider,
      components: cloud.items.map((i) => i.what),
      pods: cloud.items.reduce((a, i) => a + i.pods, 0),
      cpuMillicores: cloudTotal.cpu * 1000,
      memoryMiB: cloudTotal.memory / MiB,
    },
    ...(note ? { note } : {}),
  };
}

function benchCost(render: RenderFn | string): CostRow[] {
  const absent = missing(...COST_EXAMPLES);
  if (absent) return [{ example: '-', skipped: absent }];
  if (typeof render === 'string') return [{ example: '-', skipped: render }];
  const opts = { release: RELEASE, namespace: NAMESPACE };
  const minimal = loadValuesLikeHelm(COST_EXAMPLES[0]) as Record<string, any>;
  return COST_EXAMPLES.map((file) => {
    const example = rel(file);
    const values = loadValuesLikeHelm(file);
    try {
      return costRow(example, tenantCost(render(CHART_NAME, values, opts)));
    } catch (e) {
      const error = (e as Error).message.split('\n')[0];
      const repositories = minimal.addons?.repositories;
      if (repositories) {
        try {
          const cost = tenantCost(render(CHART_NAME, deepMerge({ addons: { repositories } }, values), opts));
          return costRow(example, cost, `does not render as is (${error}); rendered with addons.repositories of ${rel(COST_EXAMPLES[0])}`);
        } catch {
          // fall through
        }
      }
      return { example, skipped: `renderChart failed: ${error}` };
    }
  });
}

// --- 7. the cost of many tenants --------------------------------------------------------------

interface FleetRow extends AddonRelease { source?: string }

/** The addon charts a tenant's HelmReleases install, with their chart costs measured where the chart is here. */
function benchFleetReleases(render: RenderFn | string, helm: HelmBinary | undefined): { releases: FleetRow[]; calico?: FleetRow; cinder?: FleetRow; skipped?: string } {
  if (typeof render === 'string') return { releases: [], skipped: render };
  const releasesOf = (file: string) => render(CHART_NAME, loadValuesLikeHelm(path.join(EXAMPLES_DIR, file)), { release: 'acme', namespace: 'tenant-acme' })
    .filter((o) => o.kind === 'HelmRelease');
  const chartDir = (chart: string, version: string): string | undefined => {
    const own = path.join(ROOT, 'dist', `${chart}-${version}.tgz`);
    if (fs.existsSync(own)) return own;
    if (!UPSTREAM_CHARTS) return undefined;
    const candidates = fs.readdirSync(UPSTREAM_CHARTS).filter((d) => d.startsWith(`${chart}-`) && fs.statSync(path.join(UPSTREAM_CHARTS, d)).isDirectory());
    const exact = candidates.find((d) => d === `${chart}-${version}` || d === `${chart}-v${version.replace(/^v/, '')}`);
    return path.join(UPSTREAM_CHARTS, exact ?? candidates.sort().pop() ?? `${chart}-${version}`);
  };
  const measure = (o: Record<string, any>): FleetRow => {
    const chart: string = o.spec.chart?.spec?.chart ?? o.metadata.name;
    const version: string = o.spec.chart?.spec?.version ?? '';
    const row: FleetRow = { name: o.metadata.name.replace(/^acme-/, ''), chart: `${chart} ${version}` };
    const dir = chartDir(chart, version);
    if (!helm || !dir || !fs.existsSync(dir)) return { ...row, source: `not measured (${UPSTREAM_CHARTS ? `no ${chart} under BENCH_UPSTREAM_CHARTS` : 'BENCH_UPSTREAM_CHARTS not set'})` };
    const valuesFile = path.join(tmpDir, `${row.name}-values.json`);
    fs.writeFileSync(valuesFile, JSON.stringify(o.spec.values ?? {}));
    const ns = o.spec.targetNamespace ?? 'default';
    const env = helmEnv();
    const [floorTemplate, template, floorShow, show] = benchJobs([
      { name: 'floor template', cmd: helm.path, args: ['template', 'r', FLOOR_CHART], env },
      { name: 'template', cmd: helm.path, args: ['template', o.spec.releaseName ?? 'r', dir, '-n', ns, '-f', valuesFile], env },
      { name: 'floor show', cmd: helm.path, args: ['show', 'chart', FLOOR_CHART], env },
      { name: 'show', cmd: helm.path, args: ['show', 'chart', dir], env },
    ], 9, 1);
    if (template.skipped) return { ...row, source: `helm template failed: ${template.skipped}` };
    // A release record: the manifest in gzip'd JSON, base64 in a Secret, decoded each reconcile.
    const manifest = runProcess(helm.path, ['template', o.spec.releaseName ?? 'r', dir, '-n', ns, '-f', valuesFile], env).stdout;
    const record = zlib.gzipSync(JSON.stringify({ name: row.name, manifest, config: o.spec.values ?? {} })).toString('base64');
    const start = nowMs();
    for (let i = 0; i < 50; i++) JSON.parse(zlib.gunzipSync(Buffer.from(record, 'base64')).toString('utf8'));
    return {
      ...row,
      objects: template.objects,
      renderMs: Math.max(0, template.cpu!.medianMs - floorTemplate.cpu!.medianMs),
      loadMs: Math.max(0, show.cpu!.medianMs - floorShow.cpu!.medianMs),
      decodeMs: (nowMs() - start) / 50,
      source: dir.startsWith(ROOT) ? rel(dir) : dir,
    };
  };
  try {
    const releases = releasesOf('minimal.yaml').map(measure);
    const calicoRelease = releasesOf('calico.yaml').find((o) => o.spec.releaseName === 'tigera-operator' || /tigera/.test(JSON.stringify(o.spec.chart ?? {})));
    // An OpenStack tenant's storage release instead of KubeVirt's: this project's openstack-cinder-csi-node chart.
    const cinderRelease = missing(OPENSTACK_EXAMPLE) ? undefined
      : releasesOf(path.basename(OPENSTACK_EXAMPLE)).find((o) => o.spec.chart?.spec?.chart === 'openstack-cinder-csi-node');
    return {
      releases,
      calico: calicoRelease ? measure({ ...calicoRelease, spec: { ...calicoRelease.spec, chart: { spec: { chart: 'tigera-operator', version: pinnedChartVersion('tigeraOperator') } } } }) : undefined,
      cinder: cinderRelease ? measure(cinderRelease) : undefined,
    };
  } catch (e) {
    return { releases: [], skipped: (e as Error).message.split('\n')[0] };
  }
}

// --- main -------------------------------------------------------------------------------------

function main(): void {
  if (process.argv.includes('--profile-helm')) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('./profile-helm').main();
    return;
  }
  const machine = {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
  console.log(`bench: ${machine.node}, ${machine.platform}, ${machine.cpus} x ${machine.cpu}, load average ${machine.loadAverage.join(' ')}\n`);
  const render = loadRenderChart();
  const largest = largestExample(render);

  // 1. processes
  let binaries: HelmBinary[] = [];
  let helmSkipped: string | undefined;
  try {
    binaries = helmBinaries();
  } catch (e) {
    helmSkipped = (e as Error).message;
  }
  const cliSkipped = ensureCompiled();
  const env = helmEnv();
  const jobs: Job[] = binaries.flatMap((h) => [
    { name: `${h.name} floor`, cmd: h.path, args: ['template', RELEASE, FLOOR_CHART, '--namespace', NAMESPACE], env },
    { name: `${h.name} ours`, cmd: h.path, args: ['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE, '-f', largest.file], env },
    ...(missing(OPENSTACK_EXAMPLE) || largest.file === OPENSTACK_EXAMPLE ? [] : [
      { name: `${h.name} openstack`, cmd: h.path, args: ['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE, '-f', OPENSTACK_EXAMPLE], env },
    ]),
  ]);
  if (!cliSkipped) {
    jobs.push({ name: 'cli', cmd: process.execPath, args: [CLI, 'render', '-f', largest.file, '--release', RELEASE, '--namespace', NAMESPACE] });
    jobs.push({ name: 'node', cmd: process.execPath, args: ['-e', '0'] });
    if (CLI_BASELINE) jobs.push({ name: 'cli baseline', cmd: process.execPath, args: [CLI_BASELINE, 'render', '-f', largest.file, '--release', RELEASE, '--namespace', NAMESPACE] });
  }
  const processes = benchJobs(jobs, RUNS, WARMUPS);
  const byName = new Map(processes.map((p) => [p.name, p]));
  console.log(`1. processes (${RUNS} runs after ${WARMUPS} warm-ups, interleaved; ours with -f ${rel(largest.file)}, the largest example; `
    + `openstack with -f ${rel(OPENSTACK_EXAMPLE)})`);
  if (helmSkipped) console.log(`   skipped: ${helmSkipped}`);
  const ratio = (a?: Stats, b?: Stats) => (a && b ? a.medianMs / b.medianMs : undefined);
  const processRows = processes.map((p) => {
    const [helmName] = p.name.split(' ');
    const base = p.name === 'cli' || p.name === 'node' || p.name === 'cli baseline' ? byName.get(`${binaries[0]?.name} ours`) : byName.get(`${helmName} floor`);
    const what = p.name === 'cli' ? `node ${rel(CLI)} render` : p.name === 'cli baseline' ? `node ${CLI_BASELINE} render` : p.name === 'node' ? 'node -e 0'
      : p.name.endsWith('floor') ? rel(FLOOR_CHART) : `${rel(CHART_DIR)} -f ${rel(p.name.endsWith('openstack') ? OPENSTACK_EXAMPLE : largest.file)}`;
    return p.skipped ? [p.name, '', `skipped: ${p.skipped}`] : [
      p.name, what,
      fmt(p.wall!.medianMs), fmt(p.wall!.minMs), fmt(p.cpu!.medianMs), fmt(ratio(p.wall, base?.wall), 2), fmt(ratio(p.cpu, base?.cpu), 2), String(p.objects),
    ];
  });
  if (cliSkipped) processRows.push(['cli', '', `skipped: ${cliSkipped}`]);
  console.log(table(['process', 'what', 'wall med ms', 'wall min ms', 'cpu med ms', 'x base wall', 'x base cpu', 'objects'], processRows));
  console.log(`   base: the floor chart of the same helm for helm rows; ${binaries[0]?.name ?? 'helm'} template of the same values for the cli and node rows`);
  const cliRow = byName.get('cli');
  const nodeRow = byName.get('node');
  if (cliRow?.cpu && nodeRow?.cpu) console.log(`   cli beyond a bare Node process (node -e 0): cpu ${fmt(cliRow.cpu.medianMs - nodeRow.cpu.medianMs)} ms`);
  for (const h of binaries.slice(1)) {
    const cli = byName.get('cli');
    const ours = byName.get(`${h.name} ours`);
    if (cli?.wall && ours?.wall) console.log(`   cli / ${h.name} template: wall ${fmt(ratio(cli.wall, ours.wall), 2)}, cpu ${fmt(ratio(cli.cpu, ours.cpu), 2)}`);
  }

  // 2. npm run render
  console.log('\n2. npm run render (ts-node from the sources, the precompiled model), 3 runs');
  const npmRender = benchJobs([{ name: 'npm run render', cmd: 'npm', args: ['run', '--silent', 'render', '--', '-f', largest.file, '--release', RELEASE, '--namespace', NAMESPACE] }], 3, 0)[0];
  console.log(npmRender.skipped ? `   skipped: ${npmRender.skipped}` : `   wall median ${fmt(npmRender.wall!.medianMs, 0)} ms, cpu median ${fmt(npmRender.cpu!.medianMs, 0)} ms, ${npmRender.objects} objects`);

  // 3. in-process
  const inProcess = benchInProcess(render, largest.file);
  console.log(`\n3. in-process renderChart (${rel(RENDER_MODULE)}, -f ${rel(largest.file)}), ~${IN_PROCESS_SECONDS} s`);
  console.log(inProcess.skipped
    ? `   skipped: ${inProcess.skipped}`
    : `   ${fmt(inProcess.rendersPerSecond)} renders/s (${fmt(inProcess.rendersPerCpuSecond)} per CPU second; ${inProcess.renders} renders, mean ${fmt(inProcess.meanMs, 2)} ms, ${inProcess.objects} objects)`);

  // 4. scaling
  console.log(`\n4. scaling with node groups (examples/minimal.yaml with N groups; wall median ms)`);
  const scaling = benchScaling(binaries, cliSkipped, render);
  const cellOf = (v: Stats | string | number | undefined) => (v === undefined ? '-' : typeof v === 'string' ? 'skipped' : typeof v === 'number' ? fmt(v) : fmt(v.medianMs));
  console.log(table(
    ['node groups', 'objects', ...binaries.map((h) => `${h.name} template`), 'cli process', 'in-process'],
    scaling.map((r) => [String(r.nodeGroups), String(r.objects ?? '-'), ...binaries.map((h) => cellOf(r.helm[h.name])), cellOf(r.cli), cellOf(r.inProcessMs)]),
  ));

  // 5. synth
  const synth = benchSynth();
  console.log(`\n5. synth: ${synth.command}`);
  console.log(synth.skipped ? `   skipped: ${synth.skipped}` : `   ${fmt(synth.ms, 0)} ms (exit code ${synth.exitCode})`);

  // 6. cost per tenant
  const cost = benchCost(render);
  console.log('\n6. cost per tenant: requests in the management cluster (control plane pods + Deployments/StatefulSets/DaemonSets), in-process');
  const costRatio = (r: CostRow, k: keyof typeof COST_TARGETS) => (r.ratios ? `${fmt(r.ratios[k].cpu, 2)} / ${fmt(r.ratios[k].memory, 2)}` : '-');
  console.log(table(
    ['example', 'objects', 'CPU cores', 'memory GiB', 'of which control plane', `x ${COST_TARGETS.ha.label} cpu/mem`, 'x Cozystack cpu/mem'],
    cost.map((r) => (r.skipped
      ? [r.example, '', `skipped: ${r.skipped}`]
      : [r.example, String(r.objects), fmt(r.cpuCores, 3), fmt(r.memoryGiB, 3), `${fmt(r.controlPlane?.cpuCores, 3)} cores, ${fmt(r.controlPlane?.memoryGiB, 3)} GiB`,
        costRatio(r, 'ha'), costRatio(r, 'cozystack')])),
  ));
  console.log(`   ${COST_TARGETS.ha.label}: <= ${COST_TARGETS.ha.cores} cores, <= ${COST_TARGETS.ha.memoryGiB} GiB; `
    + `${COST_TARGETS.cozystack.label}: ${COST_TARGETS.cozystack.cores} cores, ${COST_TARGETS.cozystack.memoryGiB} GiB (ratio > 1: over)`);
  console.log('   the cloud integration\'s controllers in the management cluster (cloud-controller-manager + CSI controller), per tenant:');
  console.log(table(['example', 'provider', 'pods', 'CPU m', 'memory Mi', 'Deployments'],
    cost.filter((r) => r.cloudIntegration).map((r) => {
      const c = r.cloudIntegration!;
      return [r.example, c.provider, String(c.pods), fmt(c.cpuMillicores, 0), fmt(c.memoryMiB, 0), c.components.map((w) => w.replace(/^Deployment\//, '')).join(', ') || '(disabled)'];
    })).split('\n').map((l) => `   ${l}`).join('\n'));
  for (const r of cost) {
    if (r.note) console.log(`   note ${r.example}: ${r.note}`);
    if (r.skipped || !r.items) continue;
    console.log(`   ${r.example}:`);
    for (const i of r.items) {
      console.log(`     ${i.what.padEnd(56)} ${String(i.pods).padStart(2)} x  ${fmt(i.cpuMillicores / i.pods, 0).padStart(5)}m ${fmt(i.memoryMiB / i.pods, 0).padStart(6)}Mi  = ${fmt(i.cpuMillicores, 0).padStart(5)}m ${fmt(i.memoryMiB, 0).padStart(6)}Mi${i.missing ? `  (no request: ${i.missing.join(', ')})` : ''}`);
    }
  }

  // 7. the cost of many tenants
  console.log(`\n7. the cost of ${FLEET_TENANTS} tenants beyond requests: helm-controller keeping every tenant's addon HelmReleases reconciled`);
  const fleet = benchFleetReleases(render, binaries[0]);
  if (fleet.skipped) console.log(`   skipped: ${fleet.skipped}`);
  const releaseRow = (r: FleetRow) => [r.name, r.chart, String(r.objects ?? '-'), fmt(r.loadMs), fmt(r.renderMs), fmt(r.decodeMs, 2), r.source ?? ''];
  console.log(table(['release', 'chart', 'objects', 'load cpu ms', 'render cpu ms', 'decode ms', 'measured with'],
    [...fleet.releases.map(releaseRow), ...(fleet.calico ? [releaseRow({ ...fleet.calico, name: 'cni (calico)' })] : []),
      ...(fleet.cinder ? [releaseRow({ ...fleet.cinder, name: `${fleet.cinder.name} (openstack)` })] : [])]));
  console.log(`   per reconcile: load + decode + objects x ${ASSUMPTIONS.driftControllerMs} ms (drift dry-run, controller side) + ${ASSUMPTIONS.overheadMs} ms; `
    + `tenant API ${ASSUMPTIONS.driftApiServerMs} ms per dry-run; ${ASSUMPTIONS.upgradesPerDay} upgrades (renders) per release per day (assumed: BENCH_DRIFT_*_MS, BENCH_*)`);
  const fleetRows = FLEET_INTERVALS.map((i) => fleetCost(fleet.releases, FLEET_TENANTS, i));
  console.log(table(['interval', 'releases', 'reconciles/h', 'dry-runs/h', 'helm-controller cores', 'tenant API cores'],
    fleetRows.map((f) => [`${f.intervalMinutes}m`, String(f.releasesPerTenant * FLEET_TENANTS), String(Math.round(f.reconcilesPerHour)), String(Math.round(f.dryRunsPerHour)),
      fmt(f.controllerCores, 2), fmt(f.apiServerCores, 2)])));
  const chosen = shortestInterval(fleet.releases, FLEET_TENANTS, FLEET_CORE_BUDGET, FLEET_INTERVALS);
  const unmeasured = fleetRows[0]?.unmeasured ?? [];
  console.log(`   shortest interval within ${FLEET_CORE_BUDGET} helm-controller core per ${FLEET_TENANTS} tenants: ${chosen ? `${chosen}m` : 'none of these'}`
    + `${unmeasured.length ? ` (not measured: ${unmeasured.join(', ')}, counted at the measured releases' mean)` : ''}`);

  const results = {
    date: new Date().toISOString(),
    machine,
    settings: { runs: RUNS, warmups: WARMUPS, inProcessSeconds: IN_PROCESS_SECONDS, release: RELEASE, namespace: NAMESPACE, largestExample: rel(largest.file) },
    helm: binaries.map((b) => ({ name: b.name, version: b.version })),
    ...(helmSkipped ? { helmSkipped } : {}),
    processes,
    npmRender,
    inProcess,
    scaling,
    synth,
    costPerTenant: { targets: COST_TARGETS, examples: cost },
    fleet: { tenants: FLEET_TENANTS, assumptions: ASSUMPTIONS, releases: fleet.releases, calico: fleet.calico, cinder: fleet.cinder, byInterval: fleetRows, chosenIntervalMinutes: chosen },
  };
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwritten: ${rel(RESULTS_FILE)}`);
}

main();
