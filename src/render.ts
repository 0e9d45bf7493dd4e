/**
 * The evaluation backend as a library: the objects `helm template` would render, computed in-process,
 * and the checks `helm template` runs (release name, values schema, render-time checks).
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
import { clone, coalesceValues, deepFreeze, isTable, ValuesMap } from './expr/coalesce';
import { evaluateChart, evaluateChecks } from './expr/eval-backend';
import { RenderError } from './expr/functions';
import { ChartTemplates } from './expr/ir';
import { ChartModelData, readModel } from './expr/model';
import { HELPER_FACTORIES } from './expr/stdlib';
import { KEY_FORMATS, RESERVED_KEY_MESSAGE, RESERVED_KEYS, STRING_FORMATS } from './values/formats';

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
  /**
   * The chart model to check with.
   * @default - as for {@link RenderOptions.model}
   */
  readonly model?: ModelSource;
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

/** The runtime a request resolved to, by `<requested source>:<chart>`: a render asks the file system nothing. */
const resolved = new Map<string, ChartRuntime>();

function runtimeFor(chart: string, requested?: ModelSource): ChartRuntime {
  const wanted = requested ?? defaultSource();
  const request = `${wanted}:${chart}`;
  const known = resolved.get(request);
  if (known) return known;
  const source: ModelSource = wanted === 'precompiled' && fs.existsSync(path.join(MODELS_DIR, `${chart}.json`)) ? 'precompiled' : 'live';
  const key = `${source}:${chart}`;
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = source === 'precompiled' ? precompiled(chart) : live(chart);
    runtimes.set(key, runtime);
  }
  resolved.set(request, runtime);
  return runtime;
}

function precompiled(chart: string): ChartRuntime {
  const data = JSON.parse(fs.readFileSync(path.join(MODELS_DIR, `${chart}.json`), 'utf8')) as ChartModelData;
  // Required here: template functions are found by name in the modules that define them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TEMPLATE_FUNCTIONS } = require('./template-functions') as typeof import('./template-functions');
  const model = readModel(data, TEMPLATE_FUNCTIONS, HELPER_FACTORIES);
  // Through the index (a literal path), not by a computed one: the bundled CLI (projenrc/bundle-cli.js) holds the
  // validators, so their compiled code is in its code cache too.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const validators = require('../models/validators.js') as Readonly<Record<string, (() => ValidateFunction) | undefined>>;
  const validator = Object.prototype.hasOwnProperty.call(validators, chart) ? validators[chart] : undefined;
  if (!validator) throw new Error(`models/validators.js has no validator of ${chart}: run npm run synth`);
  const validate = validator();
  return { ...model.chart, defaults: sharedDefaults(model.defaults), templates: model.templates, validate };
}

/** A chart's defaults as every render shares them: normalized as a copy is, then frozen (see deepFreeze). */
function sharedDefaults(defaults: ValuesMap): ValuesMap {
  return deepFreeze(clone(defaults));
}

/** Options of the values validator: the same for the precompiled one (models/<chart>.validate.js). */
export const AJV_OPTIONS = {
  allErrors: true,
  strict: false,
  // The schema refuses `constructor` and the like, which every object inherits.
  ownProperties: true,
} as const;

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
    defaults: sharedDefaults(def.defaults as ValuesMap),
    templates: chartModel(def),
    validate: new Ajv(AJV_OPTIONS).compile(schema),
  };
}

/** A values schema as data (the committed values.schema.json), read only to name what a failed format allows. */
type SchemaNode = { readonly [key: string]: any };

const schemas = new Map<string, SchemaNode | null>();

/** The chart's committed schema, read once, on the first error that needs it (never on a valid render). */
function schemaOf(chart: string): SchemaNode | undefined {
  if (!schemas.has(chart)) {
    const file = path.join(ROOT, 'charts', chart, 'values.schema.json');
    schemas.set(chart, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null);
  }
  return schemas.get(chart) ?? undefined;
}

/**
 * The names of the definitions that apply at an instance path, outermost reference first, found by walking the
 * schema as the validator does (properties, the map value's schema by key pattern, list items, `$ref`s). Ajv's
 * `schemaPath` does not say it: a reference it inlines reports `#/additionalProperties`.
 */
function definitionsAt(root: SchemaNode, instancePath: string): string[] {
  const names: string[] = [];
  const follow = (node: SchemaNode | undefined): SchemaNode | undefined => {
    let cur = node;
    while (cur && typeof cur.$ref === 'string' && cur.$ref.startsWith('#/definitions/')) {
      const name = cur.$ref.slice('#/definitions/'.length);
      names.push(name);
      cur = root.definitions?.[name];
    }
    return cur;
  };
  let node = follow(root);
  for (const seg of instancePath.split('/').slice(1).map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (!node) return [];
    names.length = 0;
    const own = node.properties && Object.prototype.hasOwnProperty.call(node.properties, seg) ? node.properties[seg] : undefined;
    const byPattern = Object.entries<SchemaNode>(node.patternProperties ?? {}).find(([pattern]) => new RegExp(pattern, 'u').test(seg))?.[1];
    const mapValue = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
    const next = own ?? byPattern ?? mapValue ?? (/^[0-9]+$/.test(seg) && typeof node.items === 'object' ? node.items : undefined);
    node = typeof next === 'object' ? follow(next) : undefined;
  }
  return names;
}

/**
 * What the format of the values at an error's path allows, for the message: by the definition that applies there
 * (the formats of src/values/formats.ts are definitions of the same name), the same in the live and the
 * precompiled validator. Formats may share a pattern and still mean different things, so never by the pattern.
 */
function formatAllowed(chart: string, e: ErrorObject): string | undefined {
  const formats: Readonly<Record<string, { readonly allowed: string }>> = e.keyword === 'pattern' ? STRING_FORMATS : KEY_FORMATS;
  const fromPath = /^#\/definitions\/([^/]+)\/(pattern|additionalProperties)$/.exec(e.schemaPath)?.[1];
  const root = fromPath === undefined ? schemaOf(chart) : undefined;
  const candidates = fromPath !== undefined ? [fromPath] : root ? definitionsAt(root, e.instancePath).reverse() : [];
  const name = candidates.find((n) => Object.prototype.hasOwnProperty.call(formats, n));
  return name === undefined ? undefined : formats[name].allowed;
}

/** The value an error is about, read from the values at its instance path (what ajv's `verbose` would copy into every error). */
function valueAt(values: unknown, instancePath: string): unknown {
  let cur = values;
  for (const seg of instancePath.split('/').slice(1).map((x) => x.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function describeError(chart: string, e: ErrorObject, values: unknown): string {
  const at = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.') || '(root)';
  const child = (key: string) => (at === '(root)' ? key : `${at}.${key}`);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const allowed = formatAllowed(chart, e);
      return allowed ? `${child(key)}: key is not allowed (${allowed})` : `${child(key)}: unknown key`;
    }
    case 'false schema': return `${at}: ${RESERVED_KEY_MESSAGE}`;
    case 'enum': return `${at}: must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required': return `${child(String(e.params.missingProperty))}: is required`;
    case 'pattern': {
      const allowed = formatAllowed(chart, e);
      return allowed ? `${at}: ${JSON.stringify(valueAt(values, e.instancePath))} is not allowed: must be ${allowed}` : `${at}: ${e.message}`;
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

function schemaViolations(chart: string, validate: ValidateFunction, merged: ValuesMap): string[] {
  if (validate(merged)) return [];
  return [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.propertyName === undefined).map((e) => describeError(chart, e, merged)))].sort();
}

/** User values merged over the chart defaults, after the checks no merge may precede. */
function mergedValues(runtime: ChartRuntime, values: unknown): { merged?: ValuesMap; violations: string[] } {
  const structural = structuralViolations(values ?? {});
  if (structural.length > 0) return { violations: structural };
  const merged = coalesceValues(runtime.defaults, (values ?? {}) as ValuesMap);
  return { merged, violations: schemaViolations(runtime.name, runtime.validate, merged) };
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
  const runtime = runtimeFor(chart, opts.model);
  const releaseProblem = opts.release === undefined ? undefined : releaseNameViolation(opts.release);
  const { merged, violations } = mergedValues(runtime, values);
  if (releaseProblem) violations.unshift(releaseProblem);
  if (!merged || violations.length > 0) return { violations, skipped: [] };
  const outcomes = evaluateChecks(runtime.templates, {
    values: merged,
    release: { name: opts.release ?? PLACEHOLDER_RELEASE.release, namespace: opts.namespace ?? PLACEHOLDER_RELEASE.namespace },
    chart: { name: runtime.name, version: runtime.version },
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
  const runtime = runtimeFor(chart, opts.model);
  const releaseProblem = releaseNameViolation(opts.release);
  if (releaseProblem) throw new RenderError(releaseProblem);
  const { merged, violations } = mergedValues(runtime, values);
  if (!merged || violations.length > 0) throw new ValuesError(violations);
  return evaluateChart(runtime.templates, {
    values: merged,
    release: { name: opts.release, namespace: opts.namespace },
    chart: { name: runtime.name, version: runtime.version },
  });
}
