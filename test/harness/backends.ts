/**
 * One values document through every backend: the evaluation backend (`renderChart`), `helm template`
 * with Helm 3 and with Helm 4, and the schema check `validate` uses (`validateValues`).
 */
import { renderChart, validateValues } from '../../src/render';
import { helmBinaries, helmTemplate } from './helm';
import { byKey, K8sObject } from './objects';
import { CHART_DIR } from './properties';
import { parseManifests } from './validate';

export const RELEASE = { release: 'acme', namespace: 'tenant-acme' };

/** What the evaluation backend, Helm 3 and Helm 4 make of a document. */
export interface Outcomes {
  /** The objects, or the error message. */
  readonly render: { objects?: K8sObject[]; error?: string };
  readonly helm: Array<{ name: string; code: number; stderr: string; objects?: K8sObject[] }>;
  /** Schema violations (`tenant-cluster validate`). */
  readonly validate: string[];
}

export function outcomes(values: object, release = RELEASE): Outcomes {
  let render: Outcomes['render'];
  try {
    render = { objects: renderChart('tenant-cluster', values, release) as K8sObject[] };
  } catch (e) {
    render = { error: (e as Error).message };
  }
  const helm = helmBinaries().map((h) => {
    const r = helmTemplate(h, CHART_DIR, { ...release, values });
    return { name: h.name, code: r.code, stderr: r.stderr, objects: r.code === 0 ? parseManifests(r.stdout) as K8sObject[] : undefined };
  });
  return { render, helm, validate: validateValues('tenant-cluster', values) };
}

/**
 * Every backend refuses the document and names `path` (Helm 3 writes schema paths dotted, Helm 4 as
 * JSON pointers; render-time checks print the message). `message` must be in the evaluation backend's error.
 */
export function expectRefused(values: object, path: string, message: string | RegExp, opts: { schema?: boolean } = {}): void {
  const o = outcomes(values);
  const pointer = `/${path.split('.').join('/')}`;
  const received = {
    render: o.render.error === undefined ? 'rendered' : (typeof message === 'string' ? o.render.error.includes(message) : message.test(o.render.error)) || o.render.error,
    helm: o.helm.map((h) => ({ name: h.name, refused: h.code !== 0, namesPath: h.stderr.includes(path) || h.stderr.includes(pointer) || h.stderr })),
    validate: opts.schema ? o.validate.some((v) => v.startsWith(path)) || o.validate : undefined,
  };
  expect(received).toEqual({
    render: true,
    helm: o.helm.map((h) => ({ name: h.name, refused: true, namesPath: true })),
    validate: opts.schema ? true : undefined,
  });
}

/** Every backend renders the document to the same objects; returns them. */
export function expectRendered(values: object): K8sObject[] {
  const o = outcomes(values);
  if (o.render.error !== undefined) throw new Error(`renderChart refused: ${o.render.error}`);
  for (const h of o.helm) {
    expect({ name: h.name, code: h.code, stderr: h.stderr }).toEqual({ name: h.name, code: 0, stderr: '' });
    expect(byKey(h.objects!)).toEqual(byKey(o.render.objects!));
  }
  expect(o.validate).toEqual([]);
  return o.render.objects!;
}
