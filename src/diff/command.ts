/**
 * `tenant-cluster diff`: what `helm upgrade` from one chart version and values to another would change,
 * object by object, with what each change does to the running tenant (src/diff/rules.ts). Renders only:
 * never contacts a cluster, so it runs in CI before a merge.
 *
 * Exit codes: 0 compared (with `--exit-code`: nothing flagged); 1 with `--exit-code`: something flagged;
 * 2 usage error; 3 a side could not be rendered (values refused, archive or helm missing).
 */
import * as fs from 'fs';
import { Command, Option } from 'commander';
import { SERVED_CHARTS } from '../charts';
import { readValuesFile, ValuesInputError } from '../cli/read-values';
import { applySetArgument, SetValueError } from '../cli/set-values';
import { mergeInto, ValuesMap } from '../expr/coalesce';
import { RenderError, ValuesError } from '../render';
import { SideRenderError } from './errors';
import type { HelmBinary, RenderedSide, ValuesInput } from './render-side';

/**
 * The modules that render and compare, loaded when `diff` runs: the CLI registers every command at start-up, and
 * `render` from the precompiled model must not load the YAML parser or the diff rules (test/precompiled-model.test.ts).
 */
function diffModules() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ...(require('./compare') as typeof import('./compare')),
    ...(require('./convert') as typeof import('./convert')),
    ...(require('./format') as typeof import('./format')),
    ...(require('./render-side') as typeof import('./render-side')),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

type Write = (s: string) => void;

/** The command line's options. */
interface DiffOptions {
  readonly release: string;
  readonly namespace: string;
  readonly chart: string;
  readonly values?: string[];
  readonly set?: string[];
  readonly setString?: string[];
  readonly version?: string;
  readonly fromVersion?: string;
  readonly fromChart?: string;
  readonly fromValues?: string[];
  readonly fromSet?: string[];
  readonly fromSetString?: string[];
  readonly dist?: string;
  readonly helm?: string;
  readonly output: 'text' | 'json';
  readonly showSecrets?: boolean;
  readonly exitCode?: boolean;
}

/** A mistake in how the command was called (exit code 2). */
class DiffUsageError extends Error {}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Exit codes of `diff`. */
export const DIFF_EXIT = { ok: 0, flagged: 1, usage: 2, cannotRender: 3 } as const;

function readSide(files: readonly string[], set: readonly string[], setString: readonly string[], note: Write,
  stdin: () => Uint8Array): ValuesInput {
  const merged: ValuesMap = {};
  const read = files.map((name) => {
    const bytes = name === '-' ? stdin() : fs.readFileSync(name);
    const values = readValuesFile(bytes, name === '-' ? '(stdin)' : name);
    values.notes.forEach((n) => note(`note: ${n}\n`));
    mergeInto(merged, values.values);
    return { name: name === '-' ? '(stdin)' : name, bytes };
  });
  try {
    for (const s of set) applySetArgument(merged, s, false);
    for (const s of setString) applySetArgument(merged, s, true);
  } catch (e) {
    if (e instanceof SetValueError) throw new DiffUsageError(e.message);
    throw e;
  }
  return { files: read, set, setString, merged };
}

/** Registers `diff` on the CLI's root command. `setExit` receives the exit code. */
export function registerDiffCommand(root: Command, out: Write, err: Write, readStdin: () => Uint8Array, setExit: (code: number) => void): void {
  // `diff --version X` is the chart version, as with `helm upgrade --version`: the root's own `--version`
  // (print the CLI's version) must then be recognized only before the command name.
  root.enablePositionalOptions();
  root.command('diff')
    .description('show what `helm upgrade` from one chart version and values to another changes, object by object, and flag what rolls '
      + 'machines, recreates control-plane pods, reinstalls or upgrades addons in the tenant, edits an immutable field or deletes; '
      + 'renders only, never contacts a cluster')
    .requiredOption('--release <name>', 'the release name (the cluster name unless fullnameOverride)')
    .requiredOption('-n, --namespace <namespace>', 'the release namespace')
    .addOption(new Option('--chart <name>', 'the chart').choices(Object.keys(SERVED_CHARTS)).default('tenant-cluster'))
    .option('-f, --values <file>', 'new values file (YAML or JSON), "-" for stdin; repeatable, later files win', collect)
    .option('--set <path=value>', 'new value, as `helm --set`; repeatable', collect)
    .option('--set-string <path=value>', 'new string value, as `helm --set-string`; repeatable', collect)
    .option('--version <version>', 'the chart version to upgrade to, of any version line of the chart (default: this build\'s version of '
      + 'the chart)')
    .option('--from-version <version>', 'the chart version running now, a released archive in --dist (default: the --version)')
    .option('--from-chart <archive.tgz>', 'the chart archive running now, instead of --from-version')
    .option('--from-values <file>', 'values running now (default: the new values, -f/--set/--set-string); repeatable', collect)
    .option('--from-set <path=value>', 'value running now, as `helm --set`; repeatable', collect)
    .option('--from-set-string <path=value>', 'string value running now, as `helm --set-string`; repeatable', collect)
    .option('--dist <dir>', 'the Helm repository directory of released archives (default: this package\'s dist/)')
    .option('--helm <path>', 'the helm binary (3 or 4) that renders archives (default: HELM, HELM4_BIN, HELM3_BIN, .helm/, PATH)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--show-secrets', 'print Secret data values (hidden by default)')
    .option('--exit-code', 'exit with 1 when something is flagged (for CI)')
    .addHelpText('after', '\nExit codes: 0 compared (with --exit-code: nothing flagged); 1 with --exit-code: something flagged; '
      + '2 usage error; 3 a side could not be rendered (values refused, archive or helm missing).')
    .action((opts: DiffOptions) => {
      try {
        setExit(runDiff(opts, out, err, readStdin));
      } catch (e) {
        if (e instanceof DiffUsageError) {
          err(`error: ${e.message}\n(tenant-cluster diff --help lists the options)\n`);
          setExit(DIFF_EXIT.usage);
        } else if (e instanceof ValuesError) {
          err(e.violations.map((v) => `${v}\n`).join(''));
          setExit(DIFF_EXIT.cannotRender);
        } else if (e instanceof SideRenderError || e instanceof RenderError || e instanceof ValuesInputError) {
          err(`${e.message}\n`);
          setExit(DIFF_EXIT.cannotRender);
        } else if (typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).syscall) {
          err(`${(e as Error).message}\n`);
          setExit(DIFF_EXIT.cannotRender);
        } else {
          throw e;
        }
      }
    });
}

function runDiff(opts: DiffOptions, out: Write, err: Write, readStdin: () => Uint8Array): number {
  if (opts.fromChart !== undefined && opts.fromVersion !== undefined) throw new DiffUsageError('give --from-version or --from-chart, not both');
  let stdin: Uint8Array | undefined;
  const readOnce = () => (stdin ??= readStdin());
  const after = readSide(opts.values ?? [], opts.set ?? [], opts.setString ?? [], err, readOnce);
  const ownBefore = opts.fromValues !== undefined || opts.fromSet !== undefined || opts.fromSetString !== undefined;
  const before = ownBefore ? readSide(opts.fromValues ?? [], opts.fromSet ?? [], opts.fromSetString ?? [], err, readOnce) : after;

  const { compareReleases, findHelm, formatReport, LINE_CONVERSIONS, renderSide, reportJson, resolveChartSource } = diffModules();
  const newSource = resolveChartSource(opts.chart, { version: opts.version, distDir: opts.dist });
  const oldSource = resolveChartSource(opts.chart, {
    version: opts.fromVersion ?? (opts.fromChart === undefined ? newSource.version : undefined), archive: opts.fromChart, distDir: opts.dist,
  });
  let helm: HelmBinary | undefined;
  const helmOnce = () => (helm ??= findHelm(opts.helm));
  const rendered: RenderedSide[] = [];
  for (const [source, values, which] of [[oldSource, before, 'old'], [newSource, after, 'new']] as const) {
    try {
      rendered.push(renderSide(source, values, opts.release, opts.namespace, helmOnce));
    } catch (e) {
      if (e instanceof ValuesError || e instanceof RenderError) {
        err(`the ${which} side (${source.chart} ${source.version}) refuses these values:\n`);
      }
      throw e;
    }
  }
  const report = compareReleases(rendered[0].objects, rendered[1].objects, {
    releaseNamespace: opts.namespace, showSecrets: opts.showSecrets, conversions: LINE_CONVERSIONS,
  });
  const formatOpts = {
    release: opts.release,
    releaseNamespace: opts.namespace,
    before: { chart: `${oldSource.chart} ${oldSource.version}`, renderedBy: rendered[0].renderedBy },
    after: { chart: `${newSource.chart} ${newSource.version}`, renderedBy: rendered[1].renderedBy },
  };
  out(opts.output === 'json' ? reportJson(report, formatOpts) : formatReport(report, formatOpts));
  return opts.exitCode && report.flags.length > 0 ? DIFF_EXIT.flagged : DIFF_EXIT.ok;
}
