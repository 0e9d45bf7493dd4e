/**
 * Go's YAML reader as an oracle: Kubernetes reads manifests and Helm reads values with go-yaml v2
 * through sigs.k8s.io/yaml, which is also what Helm's `fromYaml` runs. One Helm process answers many
 * inputs (files of a throw-away chart read with `.Files.Get`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { HelmBinary, HelmName, helmBinaries, runHelmAsync, withTempDirAsync } from './helm';
import { parseManifests } from './validate';

/**
 * Parses `helm template` outputs as Kubernetes reads them: with go-yaml through sigs.k8s.io/yaml, which
 * is what Helm's own `fromYaml` runs (one more helm run for all outputs). parseManifests (the `yaml`
 * package with YAML 1.1) is not used for this on purpose, it reads some documents differently:
 * - U+0085/U+2028/U+2029 are line breaks for go-yaml, not for `yaml`: go-yaml reads `'a\u2028  b'`
 *   as "a\u2028b", `yaml` as "a\u2028  b";
 * - `yaml`'s YAML 1.1 float pattern takes plain `e3`, `E7`, `-e3`, `e+3` for floats (NaN); go-yaml
 *   reads strings.
 */
export async function parseAsKubernetes(helm: HelmBinary, texts: readonly string[]): Promise<unknown[][]> {
  return withTempDirAsync('tenant-cluster-goyaml-', async (dir) => {
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.mkdirSync(path.join(dir, 'manifests'));
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: goyaml\nversion: 0.1.0\n');
    texts.forEach((t, i) => fs.writeFileSync(path.join(dir, 'manifests', `${i}.yaml`), t));
    fs.writeFileSync(path.join(dir, 'templates', 'parsed.yaml'), [
      '{{- $streams := list }}',
      `{{- range $i := until ${texts.length} }}`,
      '{{- $docs := list }}',
      '{{- range regexSplit "(?m)^---[ \\t]*$" ($.Files.Get (printf "manifests/%d.yaml" $i)) -1 }}',
      '{{- $docs = append $docs (fromYaml .) }}',
      '{{- end }}',
      '{{- $streams = append $streams $docs }}',
      '{{- end }}',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: parsed',
      'data:',
      // base64: Go's JSON leaves DEL and the C1 controls raw, which this output's own YAML could not carry.
      '  json: {{ $streams | toJson | b64enc | quote }}',
      '',
    ].join('\n'));
    const r = await runHelmAsync(helm, ['template', 'parse', dir]);
    if (r.code !== 0) throw new Error(`${helm.name} could not parse manifests: ${r.stderr}`);
    const json = Buffer.from((parseManifests(r.stdout)[0] as { data: { json: string } }).data.json, 'base64').toString('utf8');
    const streams = JSON.parse(json) as Array<Array<Record<string, unknown>>>;
    return streams.map((docs, i) => {
      const broken = docs.find((d) => typeof d.Error === 'string');
      if (broken) throw new Error(`output ${i} is no YAML for go-yaml: ${String(broken.Error)}`);
      return docs.filter((d) => Object.keys(d).length > 0);
    });
  });
}

/** What Helm reads from one values text: the values (JSON), or Helm's error. */
export type GoRead = { readonly ok: true; readonly values: unknown } | { readonly ok: false; readonly error: string };

/**
 * Each text read as Helm reads a one-document values file: `fromYaml` is sigs.k8s.io/yaml's Unmarshal
 * into a map, the call Helm 3 makes on a whole `-f` file and Helm 4 on each of its documents
 * (helm v3.18.0 pkg/cli/values/options.go, v4.1.4 pkg/chart/v2/loader/load.go LoadValues). One process
 * per Helm binary for all texts.
 */
export async function goReadValues(texts: readonly string[]): Promise<Array<{ name: HelmName; reads: GoRead[] }>> {
  return withTempDirAsync('tenant-cluster-goread-', async (dir) => {
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.mkdirSync(path.join(dir, 'inputs'));
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: goread\nversion: 0.1.0\n');
    texts.forEach((t, i) => fs.writeFileSync(path.join(dir, 'inputs', `${i}.yaml`), t));
    fs.writeFileSync(path.join(dir, 'templates', 'read.yaml'), [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: read',
      'data:',
      `{{- range $i := until ${texts.length} }}`,
      '  r{{ $i }}: {{ $.Files.Get (printf "inputs/%d.yaml" $i) | fromYaml | toJson | b64enc | quote }}',
      '{{- end }}',
      '',
    ].join('\n'));
    return Promise.all(helmBinaries().map(async (h) => {
      const r = await runHelmAsync(h, ['template', 'read', dir]);
      if (r.code !== 0) throw new Error(`${h.name} could not read the inputs: ${r.stderr}`);
      const data = (parseManifests(r.stdout)[0] as { data?: Record<string, string> }).data ?? {};
      const reads = texts.map((_, i): GoRead => {
        const value = JSON.parse(Buffer.from(data[`r${i}`] ?? '', 'base64').toString('utf8')) as Record<string, unknown>;
        const keys = Object.keys(value);
        // fromYaml reports an error as the only key "Error" (a document whose only key is Error would read the same).
        return keys.length === 1 && keys[0] === 'Error' && typeof value.Error === 'string' ? { ok: false, error: value.Error } : { ok: true, values: value };
      });
      return { name: h.name, reads };
    }));
  });
}

/** One `helm template -f <file>` per text: the values Helm itself reads (`.Values` of a chart with no defaults), or its error. */
export async function helmReadValuesFiles(helm: HelmBinary, texts: readonly string[]): Promise<GoRead[]> {
  return withTempDirAsync('tenant-cluster-goread-f-', async (dir) => {
    fs.mkdirSync(path.join(dir, 'chart', 'templates'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: values\nversion: 0.1.0\n');
    fs.writeFileSync(path.join(dir, 'chart', 'templates', 'values.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: values\ndata:\n  json: {{ .Values | toJson | b64enc | quote }}\n');
    return Promise.all(texts.map(async (t, i) => {
      const file = path.join(dir, `${i}.yaml`);
      fs.writeFileSync(file, t);
      const r = await runHelmAsync(helm, ['template', 'values', path.join(dir, 'chart'), '-f', file]);
      if (r.code !== 0) return { ok: false as const, error: r.stderr.trim() };
      const data = (parseManifests(r.stdout)[0] as { data: { json: string } }).data;
      return { ok: true as const, values: JSON.parse(Buffer.from(data.json, 'base64').toString('utf8')) };
    }));
  });
}
