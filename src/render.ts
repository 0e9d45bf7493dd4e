/**
 * The evaluation backend as a library: the objects `helm template` would render, computed in-process.
 *
 * Two sources of the chart model, the same objects:
 * - `precompiled`: the model and values validator written by `npm run synth` (models/<chart>.json,
 *   models/<chart>.validate.js, committed and checked for staleness like charts/): no cdk8s, no
 *   construct, no schema compilation, so the CLI starts about as fast as `helm`;
 * - `live`: the construct tree built in this process (and the schema from charts/<chart>/), for working
 *   on constructs from the TypeScript sources without running synth after each change.
 * Compiled code (lib/, the CLI and the npm package) uses the precompiled model when it exists; code run
 * from the sources (ts-node, jest) the live one. `TENANT_CLUSTER_MODEL=live|precompiled` or
 * `RenderOptions.model` choose explicitly.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { coalesceValues, ValuesMap } from './expr/coalesce';
import { ChartTemplates } from './expr/ir';
import { evaluateChart } from './expr/eval-backend';
import { RenderError } from './expr/functions';
import { ChartModelData, readModel } from './expr/model';
import { HELPER_FACTORIES } from './expr/stdlib';

export { formatManifests } from './manifest-yaml';

/** Values that the chart's schema refuses; `violations` name each value path. */
export class ValuesError extends Error {
  public constructor(public readonly violations: readonly string[]) {
    super(`values don't meet the schema:\n${violations.map((v) => `- ${v}`).join('\n')}`);
    this.name = 'ValuesError';
  }
}

export { RenderError };

/** Where the chart model comes from (see the module documentation). */
export type ModelSource = 'precompiled' | 'live';

export interface RenderOptions {
  /** Release name (the cluster name unless `fullnameOverride`). */
  readonly release: string;
  /** Release namespace: the tenant's namespace in the management cluster. */
  readonly namespace: string;
  /**
   * The chart model to render.
   * @default - `TENANT_CLUSTER_MODEL`, else precompiled when running compiled code and the model exists
   */
  readonly model?: ModelSource;
}

const ROOT = path.resolve(__dirname, '..');
/** Where `npm run synth` writes the precompiled models. */
export const MODELS_DIR = path.join(ROOT, 'models');

/** Everything one render of a chart needs. */
interface ChartRuntime {
  readonly name: string;
  readonly version: string;
  readonly defaults: ValuesMap;
  readonly templates: ChartTemplates;
  readonly validate: ValidateFunction;
}

const runtimes = new Map<string, ChartRuntime>();

function defaultSource(): ModelSource {
  const env = process.env.TENANT_CLUSTER_MODEL;
  if (env === 'live' || env === 'precompiled') return env;
  return __filename.endsWith('.js') ? 'precompiled' : 'live';
}

function runtimeFor(chart: string, requested?: ModelSource): ChartRuntime {
  const wanted = requested ?? defaultSource();
  const source: ModelSource = wanted === 'precompiled' && fs.existsSync(path.join(MODELS_DIR, `${chart}.json`)) ? 'precompiled' : 'live';
  const key = `${source}:${chart}`;
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = source === 'precompiled' ? precompiled(chart) : live(chart);
    runtimes.set(key, runtime);
  }
  return runtime;
}

function precompiled(chart: string): ChartRuntime {
  const data = JSON.parse(fs.readFileSync(path.join(MODELS_DIR, `${chart}.json`), 'utf8')) as ChartModelData;
  // Required here: template functions are found by name in the modules that define them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TEMPLATE_FUNCTIONS } = require('./template-functions') as typeof import('./template-functions');
  const model = readModel(data, TEMPLATE_FUNCTIONS, HELPER_FACTORIES);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const validate = require(path.join(MODELS_DIR, `${chart}.validate.js`)) as ValidateFunction;
  return { ...model.chart, defaults: model.defaults, templates: model.templates, validate };
}

/** Options of the values validator: the same for the precompiled one (models/<chart>.validate.js). */
export const AJV_OPTIONS = { allErrors: true, strict: false } as const;

function live(chart: string): ChartRuntime {
  // Required here, not above: the precompiled path loads no construct, no cdk8s and no ajv compiler.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { chartDefinition } = require('./charts') as typeof import('./charts');
  const { chartModel } = require('./generator/chart-model') as typeof import('./generator/chart-model');
  const Ajv = require('ajv').default as typeof import('ajv').default;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const def = chartDefinition(chart);
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'charts', chart, 'values.schema.json'), 'utf8'));
  return {
    name: def.name,
    version: def.version,
    defaults: def.defaults as ValuesMap,
    templates: chartModel(def),
    validate: new Ajv(AJV_OPTIONS).compile(schema),
  };
}

function describeError(e: ErrorObject): string {
  const at = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.') || '(root)';
  switch (e.keyword) {
    case 'additionalProperties': return `${at ? `${at}.` : ''}${e.params.additionalProperty}: unknown key`.replace(/^\(root\)\./, '');
    case 'enum': return `${at}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required': return `${at === '(root)' ? '' : `${at}.`}${e.params.missingProperty}: is required`;
    case 'propertyNames': return `${at}: key "${e.params.propertyName}" is not allowed (lowercase letters, digits and "-", at most 40 characters)`;
    default: return `${at}: ${e.message}`;
  }
}

function violationsOf(validate: ValidateFunction, merged: ValuesMap): string[] {
  if (validate(merged)) return [];
  return [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.propertyName === undefined).map(describeError))].sort();
}

/** Validates user values (merged over the chart defaults) against the chart's schema; returns the violations. */
export function validateValues(chart: string, values: unknown, model?: ModelSource): string[] {
  const runtime = runtimeFor(chart, model);
  return violationsOf(runtime.validate, coalesceValues(runtime.defaults, (values ?? {}) as ValuesMap));
}

/**
 * Renders a chart with the evaluation backend. Throws `ValuesError` for schema violations and
 * `RenderError` for render-time checks, as `helm template` fails for the same values.
 */
export function renderChart(chart: string, values: unknown, opts: RenderOptions): Record<string, unknown>[] {
  const runtime = runtimeFor(chart, opts.model);
  const merged = coalesceValues(runtime.defaults, (values ?? {}) as ValuesMap);
  const violations = violationsOf(runtime.validate, merged);
  if (violations.length > 0) throw new ValuesError(violations);
  return evaluateChart(runtime.templates, {
    values: merged,
    release: { name: opts.release, namespace: opts.namespace },
    chart: { name: runtime.name, version: runtime.version },
  });
}
