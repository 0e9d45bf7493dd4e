/**
 * Where `helm template` of our chart spends its CPU: `npm run bench -- --profile-helm`
 * (or `ts-node --transpile-only bench/profile-helm.ts`).
 *
 * Helm has no template profiler, so this measures by ablation: copies of charts/tenant-cluster with one
 * part removed or replaced, each rendered with the largest example's values (`-f`, default
 * examples/platform.yaml; BENCH_PROFILE_VALUES overrides), all variants interleaved round by round
 * (BENCH_RUNS rounds, default 15, after 2 warm-ups) with CPU medians (user + system). The cost of a part
 * is the full chart's median minus the median without it. Rows:
 *   - the floor chart (one ConfigMap) and the full chart;
 *   - loading: the chart with only templates/_helpers.tpl (Chart.yaml, values.yaml, coalescing with -f,
 *     values.schema.json validation), without the schema, with values.yaml stripped of comments or empty;
 *   - the schema: removed, minified, without descriptions, a minimal draft-07 schema;
 *   - all templates parsed but not executed (their text inside `{{- if false }}`, the `define`s kept);
 *   - each folder or file of templates/ removed (a row fails, and is skipped, when another file includes a
 *     `define` of the removed one), and each file of the folders in BENCH_PROFILE_FILES (comma-separated,
 *     default node-groups,validate) parsed but not executed, its `define`s kept.
 * A variant that fails to render (a removed part another part needs) is printed as skipped. Prints,
 * never asserts; results also go to bench/results/profile-helm.json (gitignored).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { HelmBinary, helmBinaries, helmEnv } from '../test/harness/helm';
import { benchJobs, fmt, Job, rel, ROOT, table, tmpDir } from './timing';

const CHART_DIR = path.join(ROOT, 'charts', 'tenant-cluster');
const FLOOR_CHART = path.join(ROOT, 'bench', 'floor-chart');
const VALUES = path.resolve(ROOT, process.env.BENCH_PROFILE_VALUES ?? path.join('examples', 'platform.yaml'));
const RESULTS_FILE = path.join(ROOT, 'bench', 'results', 'profile-helm.json');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUPS = 2;
/** Folders of templates/ profiled file by file too (BENCH_PROFILE_FILES, comma-separated): the costliest folder by default. */
const DETAIL_FOLDERS = (process.env.BENCH_PROFILE_FILES ?? 'node-groups,validate').split(',').filter(Boolean);

/** A copy of the chart changed by `change` (a function of the copy's directory). */
interface Variant { name: string; group: 'base' | 'loading' | 'schema' | 'templates' | 'files'; change?: (dir: string) => void; chart?: string }

const templatesDir = (dir: string) => path.join(dir, 'templates');
const schemaFile = (dir: string) => path.join(dir, 'values.schema.json');
const valuesFile = (dir: string) => path.join(dir, 'values.yaml');

/** Keeps only templates/_helpers.tpl: Helm still loads the chart, coalesces values and validates the schema. */
function helpersOnly(dir: string): void {
  for (const entry of fs.readdirSync(templatesDir(dir))) {
    if (entry !== '_helpers.tpl') fs.rmSync(path.join(templatesDir(dir), entry), { recursive: true });
  }
}

/**
 * Every template file except _helpers.tpl parsed but not executed: the text outside top-level `define` blocks goes
 * inside `{{- if false }}` … `{{- end }}` (Go's parser still reads it all), so the helpers are what is left to run.
 */
function parsedNotExecuted(dir: string): void {
  const files = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(d, e.name)) : e.name === '_helpers.tpl' ? [] : [path.join(d, e.name)]));
  files(templatesDir(dir)).forEach(notExecuted);
}

/** One template file parsed but not executed (see parsedNotExecuted): its `define`s stay for other files to include. */
function notExecuted(file: string): void {
  const { defines, rest } = splitDefines(fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(file, `${defines.join('\n')}\n{{- if false }}\n${rest}\n{{- end }}\n`);
}

/** A template's top-level `define` … `end` blocks and the rest, by counting the actions that open and close blocks. */
function splitDefines(text: string): { defines: string[]; rest: string } {
  const action = /\{\{-?\s*(?:(if|range|with|define|block)\b|(end)\b)[^}]*\}\}/g;
  const defines: string[] = [];
  let rest = '';
  let depth = 0;
  let defineStart = -1;
  let last = 0;
  for (let m = action.exec(text); m; m = action.exec(text)) {
    if (m[2]) {
      depth--;
      if (depth === 0 && defineStart >= 0) {
        defines.push(text.slice(defineStart, m.index + m[0].length));
        defineStart = -1;
        last = m.index + m[0].length;
      }
    } else {
      if (depth === 0 && m[1] === 'define') {
        rest += text.slice(last, m.index);
        defineStart = m.index;
      }
      depth++;
    }
  }
  return { defines, rest: rest + text.slice(last) };
}

function withoutDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDescriptions);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([k, v]) => !(k === 'description' && typeof v === 'string')).map(([k, v]) => [k, withoutDescriptions(v)]));
}

function variants(): Variant[] {
  const schema = () => JSON.parse(fs.readFileSync(schemaFile(CHART_DIR), 'utf8'));
  const templateEntries = fs.readdirSync(templatesDir(CHART_DIR)).filter((e) => e !== '_helpers.tpl').sort();
  return [
    { name: 'floor chart', group: 'base', chart: FLOOR_CHART },
    { name: 'full chart', group: 'base' },
    { name: 'only _helpers.tpl', group: 'loading', change: helpersOnly },
    { name: 'only _helpers.tpl, no schema', group: 'loading', change: (d) => { helpersOnly(d); fs.rmSync(schemaFile(d)); } },
    { name: 'only _helpers.tpl, no schema, values.yaml without comments', group: 'loading', change: (d) => {
      helpersOnly(d); fs.rmSync(schemaFile(d));
      fs.writeFileSync(valuesFile(d), YAML.stringify(YAML.parse(fs.readFileSync(valuesFile(d), 'utf8'))));
    } },
    { name: 'only _helpers.tpl, no schema, empty values.yaml', group: 'loading', change: (d) => { helpersOnly(d); fs.rmSync(schemaFile(d)); fs.writeFileSync(valuesFile(d), ''); } },
    { name: 'no templates, no schema, empty values.yaml', group: 'loading', change: (d) => {
      fs.rmSync(templatesDir(d), { recursive: true }); fs.mkdirSync(templatesDir(d)); fs.rmSync(schemaFile(d)); fs.writeFileSync(valuesFile(d), '');
    } },
    { name: 'templates parsed, not executed', group: 'loading', change: parsedNotExecuted },
    { name: 'templates parsed, not executed, no schema', group: 'loading', change: (d) => { parsedNotExecuted(d); fs.rmSync(schemaFile(d)); } },
    { name: 'no values.schema.json', group: 'schema', change: (d) => fs.rmSync(schemaFile(d)) },
    { name: 'schema minified', group: 'schema', change: (d) => fs.writeFileSync(schemaFile(d), JSON.stringify(schema())) },
    { name: 'schema without descriptions', group: 'schema', change: (d) => fs.writeFileSync(schemaFile(d), JSON.stringify(withoutDescriptions(schema()), null, 2)) },
    { name: 'schema: draft-07, type object only', group: 'schema', change: (d) => fs.writeFileSync(schemaFile(d), JSON.stringify({ $schema: schema().$schema, type: 'object' })) },
    ...templateEntries.map((entry): Variant => ({
      name: `without templates/${entry}`, group: 'templates', change: (d) => fs.rmSync(path.join(templatesDir(d), entry), { recursive: true }),
    })),
    ...DETAIL_FOLDERS.filter((folder) => fs.existsSync(path.join(templatesDir(CHART_DIR), folder))).flatMap((folder) => fs.readdirSync(path.join(templatesDir(CHART_DIR), folder)).sort()
      .map((file): Variant => ({
        name: `templates/${folder}/${file} not executed`, group: 'files', change: (d) => notExecuted(path.join(templatesDir(d), folder, file)),
      }))),
  ];
}

interface Row { variant: string; group: string; cpuMedianMs?: number; cpuMinMs?: number; wallMedianMs?: number; objects?: number; deltaMs?: number; skipped?: string }

function profile(helm: HelmBinary): Row[] {
  const list = variants();
  const jobs: Job[] = list.map((v, i) => {
    let chart = v.chart ?? CHART_DIR;
    if (v.change) {
      chart = path.join(tmpDir, `variant-${i}`, 'tenant-cluster');
      fs.cpSync(CHART_DIR, chart, { recursive: true });
      v.change(chart);
    }
    const valueArgs = v.chart === FLOOR_CHART ? [] : ['-f', VALUES];
    return { name: v.name, cmd: helm.path, args: ['template', 'bench', chart, '--namespace', 'bench', ...valueArgs], env: helmEnv() };
  });
  const results = benchJobs(jobs, RUNS, WARMUPS);
  const full = results.find((r) => r.name === 'full chart')?.cpu?.medianMs;
  return results.map((r, i) => (r.skipped ? { variant: r.name, group: list[i].group, skipped: r.skipped } : {
    variant: r.name,
    group: list[i].group,
    cpuMedianMs: r.cpu!.medianMs,
    cpuMinMs: r.cpu!.minMs,
    wallMedianMs: r.wall!.medianMs,
    objects: r.objects,
    deltaMs: full === undefined ? undefined : full - r.cpu!.medianMs,
  }));
}

/** The full chart's CPU split into the floor, loading, schema validation, template parsing and executing. */
function decomposition(rows: Row[], of: (r: Row) => number | undefined) {
  const at = (name: string) => {
    const row = rows.find((r) => r.variant === name);
    return row ? of(row) : undefined;
  };
  const [floor, full, noSchema, helpersOnly, helpersNoSchema, parsedNoSchema] = ['floor chart', 'full chart', 'no values.schema.json',
    'only _helpers.tpl', 'only _helpers.tpl, no schema', 'templates parsed, not executed, no schema'].map(at);
  if ([floor, full, noSchema, helpersOnly, helpersNoSchema, parsedNoSchema].some((v) => v === undefined)) return undefined;
  return {
    floorMs: floor!,
    fullMs: full!,
    ratio: full! / floor!,
    loadingBeyondFloorMs: helpersNoSchema! - floor!,
    schemaValidationMs: full! - noSchema!,
    schemaValidationWithoutTemplatesMs: helpersOnly! - helpersNoSchema!,
    renderingMs: noSchema! - helpersNoSchema!,
    parsingMs: parsedNoSchema! - helpersNoSchema!,
    executingMs: noSchema! - parsedNoSchema!,
  };
}

export function main(): void {
  const binaries = helmBinaries();
  const onlyHelm = process.env.BENCH_PROFILE_HELM;
  const selected = onlyHelm ? binaries.filter((b) => b.name === onlyHelm) : binaries;
  const output: Record<string, unknown> = { date: new Date().toISOString(), values: rel(VALUES), runs: RUNS };
  for (const helm of selected) {
    console.log(`profile of ${helm.name} (${helm.version}) template ${rel(CHART_DIR)} -f ${rel(VALUES)}: ${RUNS} rounds after ${WARMUPS} warm-ups, interleaved; CPU ms`);
    const rows = profile(helm);
    console.log(table(
      ['variant', 'group', 'cpu med', 'cpu min', 'saves vs full', 'objects'],
      rows.map((r) => (r.skipped ? [r.variant, r.group, `skipped: ${r.skipped}`]
        : [r.variant, r.group, fmt(r.cpuMedianMs), fmt(r.cpuMinMs), r.variant === 'full chart' ? '' : fmt(r.deltaMs), String(r.objects)])),
    ));
    // By medians, and by minimums: on a loaded machine the least-disturbed run of each variant is the steadier estimate.
    const summary = { median: decomposition(rows, (r) => r.cpuMedianMs), min: decomposition(rows, (r) => r.cpuMinMs) };
    for (const [by, d] of Object.entries(summary)) {
      if (!d) continue;
      console.log(`   by ${by}: full / floor ${fmt(d.ratio, 2)}: floor ${fmt(d.floorMs)} ms + loading beyond the floor ${fmt(d.loadingBeyondFloorMs)} ms`
        + ` + schema validation ${fmt(d.schemaValidationMs)} ms (${fmt(d.schemaValidationWithoutTemplatesMs)} ms without templates)`
        + ` + rendering ${fmt(d.renderingMs)} ms (parsing ${fmt(d.parsingMs)}, executing ${fmt(d.executingMs)})`);
    }
    console.log('');
    output[helm.name] = { version: helm.version, rows, summary };
  }
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(output, null, 2) + '\n');
  console.log(`written: ${rel(RESULTS_FILE)}`);
}

if (require.main === module) main();
