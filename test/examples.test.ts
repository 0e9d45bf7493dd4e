/**
 * Every example renders on Helm 3 and Helm 4 (`helm lint --strict`, `helm template`), the evaluation
 * backend renders the same objects, and every object passes its upstream schema.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { renderChart } from '../src/render';
import { helmBinaries, helmLint, helmTemplate } from './harness/helm';
import { byKey, K8sObject } from './harness/objects';
import { formatErrors, parseManifests, validateObjects } from './harness/validate';

const ROOT = path.resolve(__dirname, '..');
const CHART = path.join(ROOT, 'charts', 'tenant-cluster');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml') && !f.startsWith('flux-'));
const RELEASE = { release: 'acme', namespace: 'tenant-acme' };

function exampleValues(file: string): Record<string, unknown> {
  return YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'), { version: '1.1' }) ?? {};
}

describe.each(helmBinaries().map((h) => [h.name, h] as const))('%s', (_name, helm) => {
  test('helm lint --strict of the chart with its defaults', () => {
    const r = helmLint(helm, CHART, { strict: true });
    expect(r.stderr + r.stdout).toContain('0 chart(s) failed');
  });

  test.each(EXAMPLES)('%s: lint --strict, template ≡ evaluation backend, schema-valid', (file) => {
    const lint = helmLint(helm, CHART, { strict: true, valuesFiles: [path.join(ROOT, 'examples', file)] });
    expect({ code: lint.code, out: lint.code === 0 ? '' : lint.stdout + lint.stderr }).toEqual({ code: 0, out: '' });
    const r = helmTemplate(helm, CHART, { ...RELEASE, valuesFiles: [path.join(ROOT, 'examples', file)] });
    expect(r.stderr).toBe('');
    const fromHelm = parseManifests(r.stdout) as K8sObject[];
    expect(fromHelm.length).toBeGreaterThanOrEqual(5);
    expect(byKey(renderChart('tenant-cluster', exampleValues(file), RELEASE))).toEqual(byKey(fromHelm));
    expect(formatErrors(validateObjects(fromHelm, 'v1beta1'))).toBe('');
  });
});

describe('examples/flux-helmrelease.yaml', () => {
  const docs = parseManifests(fs.readFileSync(path.join(ROOT, 'examples', 'flux-helmrelease.yaml'), 'utf8')) as K8sObject[];

  test('its HelmRepository and HelmRelease pass the Flux CRD schemas', () => {
    expect(docs.map((d) => d.kind)).toEqual(['HelmRepository', 'HelmRelease']);
    expect(formatErrors(validateObjects(docs, 'v1beta1'))).toBe('');
  });

  test('its values render a schema-valid tenant, named after the release', () => {
    const release = docs.find((d) => d.kind === 'HelmRelease')!;
    const objects = renderChart('tenant-cluster', release.spec.values, { release: release.spec.releaseName, namespace: release.metadata.namespace });
    expect(objects.find((o) => o.kind === 'Cluster')).toMatchObject({ metadata: { name: 'acme', namespace: 'tenant-acme' } });
    expect(formatErrors(validateObjects(objects, 'v1beta1'))).toBe('');
  });
});
