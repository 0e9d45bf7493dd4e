/**
 * The evaluation backend as a library: the objects `helm template` would render, computed in-process.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { chartDefinition } from './charts';
import { coalesceValues, evaluateChart, RenderError, ValuesMap } from './expr';
import { chartModel } from './generator/chart-model';

/** Values that the chart's schema refuses; `violations` name each value path. */
export class ValuesError extends Error {
  public constructor(public readonly violations: readonly string[]) {
    super(`values don't meet the schema:\n${violations.map((v) => `- ${v}`).join('\n')}`);
    this.name = 'ValuesError';
  }
}

export { RenderError };

export interface RenderOptions {
  /** Release name (the cluster name unless `fullnameOverride`). */
  readonly release: string;
  /** Release namespace: the tenant's namespace in the management cluster. */
  readonly namespace: string;
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(chart: string): ValidateFunction {
  let validate = validators.get(chart);
  if (!validate) {
    const schemaFile = path.resolve(__dirname, '..', 'charts', chart, 'values.schema.json');
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    validators.set(chart, validate);
  }
  return validate;
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

/** Validates user values (merged over the chart defaults) against the chart's schema; returns the violations. */
export function validateValues(chart: string, values: unknown): string[] {
  const def = chartDefinition(chart);
  return violationsOf(chart, coalesceValues(def.defaults as ValuesMap, (values ?? {}) as ValuesMap));
}

function violationsOf(chart: string, merged: ValuesMap): string[] {
  const validate = validatorFor(chart);
  if (validate(merged)) return [];
  return [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.propertyName === undefined).map(describeError))].sort();
}

/**
 * Renders a chart with the evaluation backend. Throws `ValuesError` for schema violations and
 * `RenderError` for render-time checks, as `helm template` fails for the same values.
 */
export function renderChart(chart: string, values: unknown, opts: RenderOptions): Record<string, unknown>[] {
  const def = chartDefinition(chart);
  const merged = coalesceValues(def.defaults as ValuesMap, (values ?? {}) as ValuesMap);
  const violations = violationsOf(chart, merged);
  if (violations.length > 0) throw new ValuesError(violations);
  return evaluateChart(chartModel(def), {
    values: merged,
    release: { name: opts.release, namespace: opts.namespace },
    chart: { name: def.name, version: def.version },
  });
}
