/**
 * The evaluation backend as a library: the objects `helm template` would render, computed in-process,
 * and the checks `helm template` runs (release name, values schema, render-time checks).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { chartDefinition } from './charts';
import { coalesceValues, evaluateChart, evaluateChecks, isTable, RenderError, ValuesMap } from './expr';
import { chartModel } from './generator/chart-model';
import { KEY_FORMATS, RESERVED_KEY_MESSAGE, RESERVED_KEYS, STRING_FORMATS } from './values/formats';

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

export interface ValidateOptions {
  /**
   * The release name, if known: checks that read it run only then.
   * @default - checks that read the release name are skipped
   */
  readonly release?: string;
  /**
   * The release namespace, if known: checks that read it run only then.
   * @default - checks that read the release namespace are skipped
   */
  readonly namespace?: string;
}

/** What `validate` found: the violations, and the checks it could not run without a release name or namespace. */
export interface ValidationReport {
  /** Every violation, each naming its value path (or the release name or namespace). */
  readonly violations: string[];
  /**
   * The subjects (value paths) of the render-time checks that read the release name or namespace not given,
   * and so were skipped. Empty when nothing was skipped, or when the schema already failed.
   */
  readonly skipped: string[];
}

/**
 * Helm's rule for release names (helm v3.18.0 pkg/chartutil/validate_name.go and v4.1.4
 * pkg/chart/v2/util/validate_name.go, ValidateReleaseName, checked by `helm install` and `helm template`
 * before anything renders): a DNS-1123 subdomain of at most 53 characters.
 */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_RELEASE_NAME = 53;

/** Helm's error for a release name it refuses (the same words), or undefined. */
export function releaseNameViolation(name: string): string | undefined {
  if (name === '') return 'release name "": no name provided';
  if (name.length > MAX_RELEASE_NAME || !RELEASE_NAME.test(name)) {
    return `release name ${JSON.stringify(name)}: invalid release name, must match regex ${RELEASE_NAME.source} and the length must not be longer than ${MAX_RELEASE_NAME}`;
  }
  return undefined;
}

const validators = new Map<string, ValidateFunction>();
/** What a format allows, by the schema node that applies it (formats may share a pattern and still mean different things). */
const allowedBySchema = new WeakMap<object, string>();

function validatorFor(chart: string): ValidateFunction {
  let validate = validators.get(chart);
  if (!validate) {
    const schemaFile = path.resolve(__dirname, '..', 'charts', chart, 'values.schema.json');
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
    const defs = (schema.definitions ?? {}) as Record<string, object>;
    for (const [name, format] of [...Object.entries(STRING_FORMATS), ...Object.entries(KEY_FORMATS)]) {
      if (defs[name]) allowedBySchema.set(defs[name], format.allowed);
    }
    // ownProperties: the schema refuses `constructor` and the like, which every object inherits.
    validate = new Ajv({ allErrors: true, strict: false, ownProperties: true, verbose: true }).compile(schema);
    validators.set(chart, validate);
  }
  return validate;
}

function describeError(e: ErrorObject): string {
  const at = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.') || '(root)';
  const child = (key: string) => (at === '(root)' ? key : `${at}.${key}`);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = e.parentSchema ? allowedBySchema.get(e.parentSchema) : undefined;
      return allowed ? `${child(key)}: key is not allowed (${allowed})` : `${child(key)}: unknown key`;
    }
    case 'false schema': return `${at}: ${RESERVED_KEY_MESSAGE}`;
    case 'enum': return `${at}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required': return `${child(String(e.params.missingProperty))}: is required`;
    case 'pattern': {
      const allowed = e.parentSchema ? allowedBySchema.get(e.parentSchema) : undefined;
      return allowed ? `${at}: ${JSON.stringify(e.data)} is not allowed: must be ${allowed}` : `${at}: ${e.message}`;
    }
    default: return `${at}: ${e.message}`;
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What the values must not hold before anything merges them: reserved keys (assigning one in
 * JavaScript changes a prototype; the schema refuses them too, so Helm does) and lone surrogates (no
 * UTF-8 spelling: Helm's YAML reader refuses the escape, so Helm never sees one).
 */
function structuralViolations(values: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, at: string) => {
    const here = at === '' ? '(root)' : at;
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) out.push(`${here}: holds a lone UTF-16 surrogate, which has no UTF-8 spelling; remove it`);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, at === '' ? String(i) : `${at}.${i}`));
    } else if (isTable(v)) {
      for (const key of Object.keys(v)) {
        const path = at === '' ? key : `${at}.${key}`;
        if (RESERVED_KEYS.includes(key)) out.push(`${path}: ${RESERVED_KEY_MESSAGE}`);
        else if (LONE_SURROGATE.test(key)) out.push(`${path}: the key holds a lone UTF-16 surrogate, which has no UTF-8 spelling; remove it`);
        else walk(v[key], path);
      }
    }
  };
  walk(values, '');
  return out;
}

function schemaViolations(chart: string, merged: ValuesMap): string[] {
  const validate = validatorFor(chart);
  if (validate(merged)) return [];
  return [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.propertyName === undefined).map(describeError))].sort();
}

/** User values merged over the chart defaults, after the checks no merge may precede. */
function mergedValues(chart: string, values: unknown): { merged?: ValuesMap; violations: string[] } {
  const structural = structuralViolations(values ?? {});
  if (structural.length > 0) return { violations: structural };
  const def = chartDefinition(chart);
  const merged = coalesceValues(def.defaults as ValuesMap, (values ?? {}) as ValuesMap);
  return { merged, violations: schemaViolations(chart, merged) };
}

/** Stand-ins for a release not given; checks that read them are skipped, so their spelling never shows. */
const PLACEHOLDER_RELEASE = { release: 'release', namespace: 'namespace' };

/**
 * Everything `helm template` (and so `renderChart`) would refuse, as far as it does not depend on a
 * release name or namespace that is not given: the release name, the values schema, and every
 * render-time check (all of them, not only the first). Checks that read a release name or namespace
 * not given are skipped and listed.
 */
export function checkValues(chart: string, values: unknown, opts: ValidateOptions = {}): ValidationReport {
  const releaseProblem = opts.release === undefined ? undefined : releaseNameViolation(opts.release);
  const { merged, violations } = mergedValues(chart, values);
  if (releaseProblem) violations.unshift(releaseProblem);
  if (!merged || violations.length > 0) return { violations, skipped: [] };
  const def = chartDefinition(chart);
  const outcomes = evaluateChecks(chartModel(def), {
    values: merged,
    release: { name: opts.release ?? PLACEHOLDER_RELEASE.release, namespace: opts.namespace ?? PLACEHOLDER_RELEASE.namespace },
    chart: { name: def.name, version: def.version },
  });
  const failures = new Set<string>();
  const skipped = new Set<string>();
  for (const o of outcomes) {
    const blind = (o.reads.name && opts.release === undefined) || (o.reads.namespace && opts.namespace === undefined);
    if (blind) skipped.add(checkSubject(o.message));
    else if (o.failed) failures.add(o.message);
  }
  return { violations: [...failures], skipped: [...skipped].sort() };
}

/** The subject of a check, the part of its message before the first `: ` (checks fail with `<path>: <what is wrong>`). */
function checkSubject(message: string): string {
  return message.split(': ')[0];
}

/**
 * Validates user values (merged over the chart defaults) against the chart's schema and, once the schema
 * holds, its render-time checks; returns the violations, each naming its value path. Checks that read
 * a release name or namespace not given in `opts` are skipped ({@link checkValues} lists them).
 */
export function validateValues(chart: string, values: unknown, opts: ValidateOptions = {}): string[] {
  return checkValues(chart, values, opts).violations;
}

/**
 * Renders a chart with the evaluation backend. Throws `RenderError` for a release name Helm refuses and
 * for render-time checks, and `ValuesError` for schema violations, as `helm template` fails for the same
 * values.
 */
export function renderChart(chart: string, values: unknown, opts: RenderOptions): Record<string, unknown>[] {
  const def = chartDefinition(chart);
  const releaseProblem = releaseNameViolation(opts.release);
  if (releaseProblem) throw new RenderError(releaseProblem);
  const { merged, violations } = mergedValues(chart, values);
  if (!merged || violations.length > 0) throw new ValuesError(violations);
  return evaluateChart(chartModel(def), {
    values: merged,
    release: { name: opts.release, namespace: opts.namespace },
    chart: { name: def.name, version: def.version },
  });
}
