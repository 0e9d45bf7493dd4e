/**
 * The `magnum-tenant-cluster` values contract as the tests check it before the chart exists (phase 1 of issue 10): its
 * schema generated from src/values/magnum-values.ts by the project's generator, ajv over it, and a scratch chart that
 * holds only that schema, the chart's values.yaml (src/charts/magnum-tenant-cluster/defaults.ts) and one template that
 * prints the values the templates see. Helm gets the document the way the driver gives it: `--values -` on stdin.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { MAGNUM_TENANT_CLUSTER_DEFAULTS } from '../../src/charts/magnum-tenant-cluster/defaults';
import { ChartDefinition } from '../../src/charts/chart-definition';
import { generateValuesSchema } from '../../src/generator/values-schema';
import { HelmBinary, helmBinaries, HelmName, helmEnv, REPO_ROOT } from './helm';

type Schema = Record<string, any>;

/**
 * The chart's values schema, as the generator writes it for the chart definition of phase 2: with
 * `requireEveryNodeGroupDefault: false`, since the driver sends `nodeGroupDefaults.machineRootVolume` and
 * `.machineNetworking` only when their labels are set (tenant-cluster's values.yaml defaults every key there).
 */
export function magnumValuesSchema(): Schema {
  const def = {
    name: 'magnum-tenant-cluster', version: '1.0.0', valuesType: { file: 'src/values/magnum-values.ts', name: 'MagnumTenantClusterValues' },
    requireEveryNodeGroupDefault: false,
  } as unknown as ChartDefinition;
  return generateValuesSchema(def, REPO_ROOT);
}

/** ajv as `validate` runs it (all errors, own properties only). */
export function magnumValidator(schema: Schema): ValidateFunction {
  return new Ajv({ allErrors: true, strict: false, ownProperties: true }).compile(schema);
}

/** Dotted value paths (list items by index) that ajv's errors name: the failing value, or the key added or missing. */
export function ajvErrorPaths(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const at = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (e.keyword === 'additionalProperties') at.push(String(e.params.additionalProperty));
    if (e.keyword === 'required') at.push(String(e.params.missingProperty));
    return at.join('.');
  });
}

/** A chart directory with the schema, values.yaml and a template printing `.Values` as JSON. */
export interface SchemaChart {
  readonly dir: string;
  dispose(): void;
}

export function schemaOnlyChart(schema: Schema, defaults: object = MAGNUM_TENANT_CLUSTER_DEFAULTS): SchemaChart {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'magnum-schema-chart-'));
  fs.mkdirSync(path.join(dir, 'templates'));
  fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: magnum-tenant-cluster\nversion: 1.0.0\n');
  fs.writeFileSync(path.join(dir, 'values.yaml'), `${JSON.stringify(defaults, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'values.schema.json'), `${JSON.stringify(schema, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'templates', 'values.yaml'), [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: {{ .Release.Name | quote }}',
    'data:',
    '  values: {{ .Values | toJson | quote }}',
    '',
  ].join('\n'));
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface StdinHelmResult {
  readonly name: HelmName;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `helm template <release> <chart> --namespace <ns> --values -` with `text` on stdin, as the driver pipes it. */
export function helmTemplateStdin(helm: HelmBinary, chartDir: string, release: string, namespace: string, text: string): Promise<StdinHelmResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(helm.path, ['template', '--namespace', namespace, '--values', '-', '--', release, chartDir], {
      cwd: REPO_ROOT, env: helmEnv(), stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({
      name: helm.name, code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'),
    }));
    child.stdin.end(text, 'utf8');
  });
}

/** Both Helms, concurrently. */
export function helmsTemplateStdin(chartDir: string, release: string, namespace: string, text: string): Promise<StdinHelmResult[]> {
  return Promise.all(helmBinaries().map((h) => helmTemplateStdin(h, chartDir, release, namespace, text)));
}

/** The `.Values` a successful render of {@link schemaOnlyChart} printed. */
export function renderedValues(stdout: string): unknown {
  const m = /^ {2}values: (".*")$/m.exec(stdout);
  if (!m) throw new Error(`no values in:\n${stdout}`);
  return JSON.parse(JSON.parse(m[1]) as string);
}

const fromPointer = (p: string) => p.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
const join = (parent: string, key: string) => (parent === '' ? key : `${parent}.${key}`);

/**
 * Value paths a schema failure names. Helm 3 (gojsonschema): `- a.b: Invalid type…`, `- a: b is required`,
 * `- (root): Additional property b is not allowed`. Helm 4 (santhosh-tekuri/jsonschema): `at '/a/b': …`,
 * `at '/a': missing property 'b'`, `at '/a': additional properties 'b' not allowed`, nested under `validation failed`.
 */
export function helmSchemaErrorPaths(stderr: string): string[] {
  const out: string[] = [];
  for (const line of stderr.split('\n')) {
    const h4 = /^\s*- at '([^']*)': (.*)$/.exec(line);
    if (h4) {
      const at = fromPointer(h4[1]);
      const keys = /^(additional propert(y|ies)|missing propert(y|ies)) /.test(h4[2]) ? [...h4[2].matchAll(/'([^']*)'/g)].map((k) => k[1]) : [];
      if (keys.length > 0) out.push(...keys.map((k) => join(at, k)));
      else out.push(at);
      continue;
    }
    const h3 = /^- ((?:\(root\)|[^:\s][^:]*)): (.*)$/.exec(line);
    if (h3) {
      const at = h3[1] === '(root)' ? '' : h3[1];
      const additional = /^Additional property (.+) is not allowed$/.exec(h3[2]);
      const required = /^(.+) is required$/.exec(h3[2]);
      out.push(additional ? join(at, additional[1]) : required ? join(at, required[1]) : at);
    }
  }
  return out;
}
