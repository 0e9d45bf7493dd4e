#!/usr/bin/env node
/**
 * `tenant-cluster render` prints the objects `helm template` prints for the same values, computed
 * in-process; `tenant-cluster validate` reports every violation of the values contract.
 */
import * as fs from 'fs';
import * as YAML from 'yaml';
import { CHARTS } from './charts';
import { mergeValuesFiles, ValuesMap } from './expr/coalesce';
import { formatManifests, RenderError, renderChart, validateValues, ValuesError } from './render';

const USAGE = `Usage:
  tenant-cluster render -f values.yaml [-f more.yaml ...] --release NAME --namespace NS [--chart NAME]
  tenant-cluster validate -f values.yaml [-f more.yaml ...] [--chart NAME]

Charts: ${Object.keys(CHARTS).join(', ')} (default tenant-cluster)`;

interface Args {
  readonly command: string;
  readonly files: string[];
  readonly release?: string;
  readonly namespace?: string;
  readonly chart: string;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  const files: string[] = [];
  let release: string | undefined;
  let namespace: string | undefined;
  let chart = 'tenant-cluster';
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    if (['-f', '--values', '--release', '--namespace', '-n', '--chart'].includes(flag) && value === undefined) {
      throw new UsageError(`${flag} needs a value`);
    }
    switch (flag) {
      case '-f': case '--values': files.push(value); i++; break;
      case '--release': release = value; i++; break;
      case '-n': case '--namespace': namespace = value; i++; break;
      case '--chart': chart = value; i++; break;
      default: throw new UsageError(`unknown argument ${flag}`);
    }
  }
  if (!CHARTS[chart]) throw new UsageError(`unknown chart ${chart}; known charts: ${Object.keys(CHARTS).join(', ')}`);
  return { command, files, release, namespace, chart };
}

/** Values files parsed as Helm reads them (YAML 1.1) and merged in order. */
function readValues(files: readonly string[]): ValuesMap {
  return mergeValuesFiles(files.map((f) => {
    const text = f === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(f, 'utf8');
    const doc = YAML.parse(text, { version: '1.1' }) ?? {};
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`${f}: a values file must be a map`);
    return doc as ValuesMap;
  }));
}

export function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  try {
    const args = parseArgs(argv);
    const values = readValues(args.files);
    if (args.command === 'validate') {
      const violations = validateValues(args.chart, values);
      if (violations.length === 0) {
        out('values are valid\n');
        return 0;
      }
      err(violations.map((v) => `${v}\n`).join(''));
      return 1;
    }
    if (args.command === 'render') {
      if (!args.release || !args.namespace) throw new UsageError('render needs --release and --namespace');
      const objects = renderChart(args.chart, values, { release: args.release, namespace: args.namespace });
      out(formatManifests(objects));
      return 0;
    }
    throw new UsageError(argv.length === 0 ? 'no command' : `unknown command ${args.command}`);
  } catch (e) {
    if (e instanceof UsageError) err(`${e.message}\n\n${USAGE}\n`);
    else if (e instanceof ValuesError) err(e.violations.map((v) => `${v}\n`).join(''));
    else if (e instanceof RenderError) err(`${e.message}\n`);
    else if ((e as NodeJS.ErrnoException).code === 'ENOENT') err(`${(e as Error).message}\n`);
    else throw e;
    return e instanceof UsageError ? 2 : 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
