/**
 * A throw-away chart for testing the expression compiler: a cdk8s `Chart` that a test fills with
 * ApiObjects and scopes (`When`, `Each`, `RenderCheck`), compiled once into a temp Helm chart directory
 * (Go-template backend) and rendered per values document with BOTH Helm binaries and with the
 * evaluation backend, so that a test can assert that all three agree and what they give.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import {
  ChartTemplates, chartTemplates, CHECKS_FILE, checksTemplateText, coalesceValues, evaluateChart, helpersTemplateText,
  objectTemplateText, RenderError, ValuesMap,
} from '../../src/expr';
import { helmBinaries, HelmBinary, HelmName, runHelmAsync } from './helm';

export const MINI_CHART_NAME = 'mini';
export const MINI_RELEASE = { name: 'rel', namespace: 'ns' } as const;

/** What one engine gave for one values document: the rendered objects, or the failure message. */
export type Outcome =
  | { readonly ok: true; readonly objects: Record<string, unknown>[] }
  | { readonly ok: false; readonly error: string };

export interface RenderOutcomes {
  readonly eval: Outcome;
  /** One outcome per Helm binary found (normally helm3 and helm4). */
  readonly helm: ReadonlyArray<{ readonly name: HelmName; readonly outcome: Outcome; readonly stdout: string }>;
}

export interface MiniChart {
  readonly templates: ChartTemplates;
  readonly defaults: ValuesMap;
  /** The chart directory (Chart.yaml, values.yaml, templates/). */
  readonly dir: string;
  /** Template file name → text, for debugging and for assertions on the Go output. */
  readonly files: Readonly<Record<string, string>>;
  /** Removes the chart directory. */
  dispose(): void;
}

/**
 * Builds a chart: `build` adds constructs to a fresh `Chart({ disableResourceNameHashes: true })`; the
 * chart is compiled and written to a temp directory with `defaults` as values.yaml (as JSON).
 */
export function buildMiniChart(build: (chart: Chart) => void, defaults: ValuesMap = {}): MiniChart {
  const app = new App();
  const chart = new Chart(app, 'mini', { disableResourceNameHashes: true });
  build(chart);
  const templates = chartTemplates(chart);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-mini-chart-'));
  const files: Record<string, string> = {};
  files['Chart.yaml'] = `apiVersion: v2\nname: ${MINI_CHART_NAME}\nversion: 0.1.0\n`;
  files['values.yaml'] = valuesJson(defaults);
  for (const o of templates.objects) files[`templates/${o.file}`] = objectTemplateText(o, MINI_CHART_NAME, { valuesAdapter: templates.valuesAdapter });
  files[`templates/${CHECKS_FILE}`] = checksTemplateText(templates, MINI_CHART_NAME);
  files['templates/_helpers.tpl'] = helpersTemplateText(templates, '', MINI_CHART_NAME);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return { templates, defaults, dir, files, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Values as JSON text that Helm's YAML 1.1 reader reads back unchanged: JSON.stringify leaves DEL, C1 controls,
 * BOM and U+FFFE/U+FFFF raw, which YAML forbids in a stream ("control characters are not allowed"), and NEL,
 * U+2028 and U+2029 raw, which YAML 1.1 reads as line breaks (folded in a quoted scalar): escape them.
 */
export function valuesJson(values: unknown): string {
  return JSON.stringify(values, null, 2).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}

/** Parses `helm template` output as YAML 1.1 documents, dropping empty ones; throws on invalid YAML. */
export function parseHelmOutput(text: string): Record<string, unknown>[] {
  const docs = YAML.parseAllDocuments(text, { version: '1.1' });
  const out: Record<string, unknown>[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) throw new Error(`invalid YAML in helm output: ${d.errors.map((e) => e.message).join('; ')}\n${text}`);
    const js = d.toJS({ maxAliasCount: -1 });
    if (js !== null && js !== undefined) out.push(js);
  }
  return out;
}

/** Objects in a stable order: by kind, then metadata.name, then their JSON text. */
export function sortObjects(objects: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const keyOf = (o: Record<string, unknown>) => {
    const meta = (o.metadata ?? {}) as Record<string, unknown>;
    return `${String(o.kind)}\u0000${String(meta.name)}\u0000${JSON.stringify(o)}`;
  };
  return [...objects].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

export interface RenderOptions {
  /**
   * The user values file as raw text (JSON or YAML) instead of `JSON.stringify(user)`: for numbers that
   * JSON.stringify cannot spell (`3.0`, `-0.0`). `user` must still be the same values, for the evaluation backend.
   */
  readonly userText?: string;
}

/** Renders the chart with the evaluation backend and every Helm binary (concurrently). */
export async function renderMini(chart: MiniChart, user: ValuesMap = {}, opts: RenderOptions = {}): Promise<RenderOutcomes> {
  const valuesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-mini-values-')), 'values.json');
  fs.writeFileSync(valuesFile, opts.userText ?? valuesJson(user));
  try {
    const helm = await Promise.all(helmBinaries().map((h) => renderHelm(h, chart.dir, valuesFile)));
    return { eval: renderEval(chart, user), helm };
  } finally {
    fs.rmSync(path.dirname(valuesFile), { recursive: true, force: true });
  }
}

async function renderHelm(helm: HelmBinary, dir: string, valuesFile: string) {
  const r = await runHelmAsync(helm, ['template', MINI_RELEASE.name, dir, '--namespace', MINI_RELEASE.namespace, '-f', valuesFile]);
  const outcome: Outcome = r.code === 0 ? { ok: true, objects: sortObjects(parseHelmOutput(r.stdout)) } : { ok: false, error: r.stderr };
  return { name: helm.name, outcome, stdout: r.stdout };
}

/** The evaluation backend's outcome: objects, or the message of a `RenderError` (other errors propagate). */
export function renderEval(chart: MiniChart, user: ValuesMap = {}): Outcome {
  try {
    const objects = evaluateChart(chart.templates, {
      values: coalesceValues(chart.defaults, user),
      release: MINI_RELEASE,
      chart: { name: MINI_CHART_NAME, version: '0.1.0' },
    });
    return { ok: true, objects: sortObjects(objects) };
  } catch (e) {
    if (e instanceof RenderError) return { ok: false, error: e.message };
    throw e;
  }
}

/**
 * Renders and asserts that the evaluation backend and every Helm binary give the same objects;
 * returns them (sorted by kind/name).
 */
export async function renderAgreeing(chart: MiniChart, user: ValuesMap = {}, opts: RenderOptions = {}): Promise<Record<string, unknown>[]> {
  return expectAgreement(await renderMini(chart, user, opts));
}

/** Asserts that every engine of a render succeeded with the same objects; returns them (sorted by kind/name). */
export function expectAgreement(r: RenderOutcomes): Record<string, unknown>[] {
  for (const h of r.helm) {
    if (!h.outcome.ok) throw new Error(`${h.name} failed:\n${h.outcome.error}`);
  }
  if (!r.eval.ok) throw new Error(`evaluation backend failed: ${r.eval.error}`);
  for (const h of r.helm) {
    expect({ engine: h.name, objects: (h.outcome as { objects: unknown }).objects }).toEqual({ engine: h.name, objects: r.eval.objects });
  }
  return r.eval.objects;
}

/**
 * Renders and asserts that every engine fails: each Helm binary exits non-zero with `message` in
 * stderr, and the evaluation backend throws a `RenderError` with exactly `message`.
 */
export async function renderFailing(chart: MiniChart, user: ValuesMap, message: string): Promise<void> {
  const r = await renderMini(chart, user);
  expect(r.eval).toEqual({ ok: false, error: message });
  for (const h of r.helm) {
    expect({ engine: h.name, ok: h.outcome.ok }).toEqual({ engine: h.name, ok: false });
    expect((h.outcome as { error: string }).error).toContain(message);
  }
}

/** The object of a kind and name among rendered objects (fails the test when absent). */
export function objectNamed(objects: readonly Record<string, unknown>[], kind: string, name: string): any {
  const found = objects.filter((o) => o.kind === kind && (o.metadata as Record<string, unknown> | undefined)?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length} among ${objects.map((o) => `${String(o.kind)}/${String((o.metadata as any)?.name)}`).join(', ')}`);
  return found[0];
}

/**
 * Renders a hand-written chart (template file name → text) with every Helm binary, values given as
 * raw text: for asking Go itself (its `toJson`, its YAML reader through `fromYaml`) rather than
 * trusting what we remember of it. Fails the test when a binary exits non-zero.
 */
export async function helmRaw(templates: Record<string, string>, valuesText: string): Promise<Array<{ name: HelmName; stdout: string }>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-raw-chart-'));
  try {
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: raw\nversion: 0.1.0\n');
    fs.writeFileSync(path.join(dir, 'values.yaml'), '{}\n');
    fs.writeFileSync(path.join(dir, 'user.json'), valuesText);
    for (const [name, text] of Object.entries(templates)) fs.writeFileSync(path.join(dir, 'templates', name), text);
    return await Promise.all(helmBinaries().map(async (h) => {
      const r = await runHelmAsync(h, ['template', 'x', dir, '-f', path.join(dir, 'user.json')]);
      if (r.code !== 0) throw new Error(`${h.name} failed:\n${r.stderr}`);
      return { name: h.name, stdout: r.stdout };
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Go's answer for each input: the template prints `{{ <expression over $in> | b64enc }}` per input
 * into a ConfigMap (base64, so that any bytes survive the YAML Helm must parse); returns one list of
 * decoded strings per Helm binary.
 */
export async function goEach(inputs: readonly unknown[], expression: string): Promise<Array<{ name: HelmName; outputs: string[] }>> {
  const template = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: oracle}',
    'data:',
    '{{- range $i, $in := .Values.inputs }}',
    `  o{{ $i }}: {{ ${expression} | b64enc | quote }}`,
    '{{- end }}',
    '',
  ].join('\n');
  const outs = await helmRaw({ 'oracle.yaml': template }, valuesJson({ inputs }));
  return outs.map(({ name, stdout }) => {
    const data = (parseHelmOutput(stdout)[0]?.data ?? {}) as Record<string, string>;
    return { name, outputs: inputs.map((_, i) => Buffer.from(data[`o${i}`] ?? '', 'base64').toString('utf8')) };
  });
}

/**
 * Helm output as Go reads it: every document of `helm template` output through Helm's own YAML
 * reader (`fromYaml`, sigs.k8s.io/yaml as Kubernetes clients use it), back as JSON. For strings where
 * the `yaml` package's YAML 1.1 mode and Go disagree (NEL and U+2028 as line breaks).
 */
export async function goYamlDocs(helmStdout: string): Promise<Array<{ name: HelmName; docs: unknown[] }>> {
  const docs = helmStdout.split(/^---[^\n]*\n/m).filter((d) => d.replace(/^#.*$/gm, '').trim() !== '');
  return (await goEach(docs, '$in | fromYaml | toJson')).map(({ name, outputs }) => ({ name, docs: outputs.map((o) => JSON.parse(o)) }));
}
