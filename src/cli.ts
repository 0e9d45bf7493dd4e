#!/usr/bin/env node
/**
 * `tenant-cluster render` prints the objects `helm template` prints for the same values, computed
 * in-process; `tenant-cluster validate` reports everything `helm template` would refuse. Values are
 * read as Helm 4 reads them (src/cli/read-values.ts), `--set` parsed as Helm parses it
 * (src/cli/set-values.ts), and the output written so that Kubernetes reads back exactly the rendered
 * objects (src/cli/write-yaml.ts).
 *
 * Exit codes: 0 success, 1 values or render errors (the message names the value path), 2 usage errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import { SERVED_CHARTS } from './charts';
import { readValuesFile, ValuesInputError } from './cli/read-values';
import { applySetArgument, SetValueError } from './cli/set-values';
import { yamlDocuments } from './cli/write-yaml';
import { registerDiffCommand } from './diff/command';
import { mergeInto, ValuesMap } from './expr/coalesce';
import { checkValues, RenderError, renderChart, ValuesError } from './render';

/** A mistake in how the command was called; exit code 2. */
class UsageError extends Error {}

interface ValuesOptions {
  readonly values?: string[];
  readonly set?: string[];
  readonly setString?: string[];
  readonly chart: string;
  /** A chart version or version line (`--version`), resolved to the chart directory by {@link chartOfVersion}. */
  readonly version?: string;
  readonly release?: string;
  readonly namespace?: string;
}

type Write = (s: string) => void;

function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version as string;
  } catch {
    return 'unknown';
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The options `render` and `validate` share. */
function valuesOptions(command: Command): Command {
  return command
    .option('-f, --values <file>', 'a values file (YAML or JSON), "-" for stdin; repeat to merge several, later files win', collect)
    .option('--set <path=value>', 'set a value as `helm --set` does (applied after every file); repeatable', collect)
    .option('--set-string <path=value>', 'set a string value as `helm --set-string` does (applied after every --set); repeatable', collect)
    .addOption(new Option('--chart <name>', 'the chart').choices(Object.keys(SERVED_CHARTS)).default('tenant-cluster'))
    .option('--version <version>', 'the chart version or line, as `helm --version` takes it: 2.0.0, 2.x, ~1, ^2 '
      + '(tenant-cluster 1.x: Cluster API v1beta1; 2.x: v1beta2; default: the --chart as named)');
}

/**
 * The version constraints `--version` takes: an exact version, a line (`2`, `2.x`, `2.0.x`) or a tilde/caret range
 * (`~1`, `~1.2`, `^2`, `^2.0.0`), as Helm's (Masterminds/semver) constraints read them for versions without
 * pre-release: `~1.2.3` is `>=1.2.3 <1.3.0`, `~1` and `^1.2.3` keep the major.
 */
function versionMatches(constraint: string, version: string): boolean | undefined {
  const m = /^([~^]?)v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?$/.exec(constraint.trim());
  if (!m) return undefined;
  const [major, minor, patch] = version.split('.').map(Number);
  const [, op, wantMajor, wantMinor, wantPatch] = m;
  const num = (x: string | undefined) => (x === undefined || /^[xX*]$/.test(x) ? undefined : Number(x));
  const [a, b, c] = [Number(wantMajor), num(wantMinor), num(wantPatch)];
  if (major !== a) return false;
  if (op === '^') return b === undefined || minor > b || (minor === b && (c === undefined || patch >= c));
  if (op === '~') return b === undefined || (minor === b && (c === undefined || patch >= c));
  return (b === undefined || minor === b) && (c === undefined || patch === c);
}

/** The served chart directory `--chart` and `--version` name together (the line of the chart's name that satisfies the version). */
function chartOfVersion(command: Command, opts: ValuesOptions): string {
  if (opts.version === undefined) return opts.chart;
  const name = SERVED_CHARTS[opts.chart].name;
  const lines = Object.entries(SERVED_CHARTS).filter(([, def]) => def.name === name);
  const matching = lines.filter(([, def]) => versionMatches(opts.version!, def.version));
  if (versionMatches(opts.version, lines[0][1].version) === undefined) {
    throw new UsageError(`--version "${opts.version}": not a chart version (e.g. ${lines.map(([, def]) => def.version).join(', ')}, ${lines.map(([, def]) => `${def.version.split('.')[0]}.x`).join(', ')})`);
  }
  const available = lines.map(([, def]) => `${def.version} (line ${def.version.split('.')[0]}.x)`).join(' and ');
  if (matching.length === 0) {
    throw new UsageError(`--version "${opts.version}": this build renders ${name} ${available}; render another release with \`helm template\` and its archive from dist/`);
  }
  const [chart] = matching[matching.length - 1];
  if (command.getOptionValueSource('chart') === 'cli' && chart !== opts.chart) {
    throw new UsageError(`--chart ${opts.chart} is ${name} ${SERVED_CHARTS[opts.chart].version}, not --version "${opts.version}": give one of them`);
  }
  return chart;
}

/** Values files merged in order, then `--set`, then `--set-string`: Helm's order, whatever the order on the command line. */
function readValues(opts: ValuesOptions, note: Write, readStdin: () => Uint8Array): ValuesMap {
  const values: ValuesMap = {};
  for (const file of opts.values ?? []) {
    const bytes = file === '-' ? readStdin() : fs.readFileSync(file);
    const read = readValuesFile(bytes, file === '-' ? '(stdin)' : file);
    read.notes.forEach((n) => note(`note: ${n}\n`));
    mergeInto(values, read.values);
  }
  try {
    for (const s of opts.set ?? []) applySetArgument(values, s, false);
    for (const s of opts.setString ?? []) applySetArgument(values, s, true);
  } catch (e) {
    if (e instanceof SetValueError) throw new UsageError(e.message);
    throw e;
  }
  return values;
}

function program(out: Write, err: Write, readStdin: () => Uint8Array, setExit: (code: number) => void): Command {
  const root = new Command('tenant-cluster')
    .description('Render and validate tenant-cluster charts without Helm: the same objects and the same refusals as `helm template`.')
    .version(`${packageVersion()} (charts: ${Object.values(SERVED_CHARTS).map((c) => `${c.name} ${c.version}`).join(', ')})`, '--version', 'print the version')
    .helpOption('-h, --help', 'show help')
    // `render --version 2.x` is the chart's version (as in `helm template --version`), `tenant-cluster --version` this program's.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err })
    .showHelpAfterError('(tenant-cluster --help lists the commands, tenant-cluster <command> --help their options)')
    .addHelpText('after', `\nCharts: ${Object.keys(SERVED_CHARTS).join(', ')} (default tenant-cluster; --version 2.x picks tenant-cluster's line 2.x).\nExit codes: 0 ok, 1 values refused (each message names its value path), 2 usage error.`);

  valuesOptions(root.command('render'))
    .description('print the objects `helm template RELEASE charts/<chart> -n NAMESPACE -f …` prints, as YAML documents')
    .requiredOption('--release <name>', 'the release name (the cluster name unless fullnameOverride)')
    .requiredOption('-n, --namespace <namespace>', 'the release namespace (the tenant\'s namespace in the management cluster)')
    .action((opts: ValuesOptions, command: Command) => {
      const chart = chartOfVersion(command, opts);
      const values = readValues(opts, err, readStdin);
      const objects = renderChart(chart, values, { release: opts.release!, namespace: opts.namespace! });
      out(yamlDocuments(objects));
      setExit(0);
    });

  valuesOptions(root.command('validate'))
    .description('report every value `helm template` would refuse, each with its path; checks that need the release name or namespace run when they are given')
    .option('--release <name>', 'the release name, to also run the checks that read it')
    .option('-n, --namespace <namespace>', 'the release namespace, to also run the checks that read it')
    .action((opts: ValuesOptions, command: Command) => {
      const chart = chartOfVersion(command, opts);
      const values = readValues(opts, err, readStdin);
      const report = checkValues(chart, values, { release: opts.release, namespace: opts.namespace });
      if (report.skipped.length > 0) {
        const missing = [opts.release === undefined ? '--release' : undefined, opts.namespace === undefined ? '--namespace' : undefined].filter(Boolean).join(' and ');
        err(`note: skipped the checks that read the release name or namespace (of ${report.skipped.join('; ')}); give ${missing} to run them\n`);
      }
      if (report.violations.length > 0) {
        err(report.violations.map((v) => `${v}\n`).join(''));
        setExit(1);
      } else {
        out('values are valid\n');
        setExit(0);
      }
    });

  registerDiffCommand(root, out, err, readStdin, setExit);
  return root;
}

/**
 * Runs the CLI with `argv` (without `node` and the script); returns the exit code. Never throws.
 * @param readStdin what `-f -` reads (standard input by default)
 */
export function main(argv: string[], out: Write = (s) => process.stdout.write(s), err: Write = (s) => process.stderr.write(s),
  readStdin: () => Uint8Array = () => fs.readFileSync(0)): number {
  let code = 2;
  try {
    program(out, err, readStdin, (c) => { code = c; }).parse(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      err(`error: ${e.message}\n(tenant-cluster <command> --help lists the options)\n`);
      return 2;
    }
    if (e instanceof ValuesError) err(e.violations.map((v) => `${v}\n`).join(''));
    else if (e instanceof RenderError || e instanceof ValuesInputError) err(`${e.message}\n`);
    else if (typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).syscall) err(`${(e as Error).message}\n`);
    else err(`internal error (a bug in tenant-cluster, please report it): ${(e as Error)?.message ?? String(e)}\n`);
    return 1;
  }
}

/**
 * A reader that closes the pipe early (`tenant-cluster … | head`) ends the output, as it does for helm: without
 * this, Node reports the failed write (EPIPE) as an unhandled error with a stack trace.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
}

if (require.main === module) {
  exitQuietlyOnClosedPipe();
  process.exitCode = main(process.argv.slice(2));
}
