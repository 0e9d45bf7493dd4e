import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../src/cli';
import { helmBinaries, helmTemplate } from './harness/helm';
import { byKey, K8sObject } from './harness/objects';
import { parseManifests } from './harness/validate';

const ROOT = path.resolve(__dirname, '..');

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(args, (s) => { out += s; }, (s) => { err += s; });
  return { code, out, err };
}

test('render prints the objects helm template prints', () => {
  const values = path.join(ROOT, 'examples', 'ha.yaml');
  const r = run(['render', '-f', values, '--release', 'acme', '--namespace', 'tenant-acme']);
  expect(r.code).toBe(0);
  const helm = helmTemplate(helmBinaries()[0], path.join(ROOT, 'charts', 'tenant-cluster'), { release: 'acme', namespace: 'tenant-acme', valuesFiles: [values] });
  expect(byKey(parseManifests(r.out) as K8sObject[])).toEqual(byKey(parseManifests(helm.stdout) as K8sObject[]));
});

test('validate prints every violation with its path and exits non-zero', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-cli-'));
  try {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'controlPlane:\n  replicas: "3"\n  endpoint:\n    type: Ingress\nnodeGroups:\n  md0:\n    bogus: 1\n');
    const r = run(['validate', '-f', bad]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toEqual([
      'controlPlane.endpoint.type: must be one of "LoadBalancer", "NodePort", "ClusterIP"',
      'controlPlane.replicas: must be integer',
      'nodeGroups.md0.bogus: unknown key',
    ]);
    expect(run(['validate', '-f', path.join(ROOT, 'examples', 'minimal.yaml')])).toEqual({ code: 0, out: 'values are valid\n', err: '' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('usage errors name the problem and exit 2', () => {
  expect(run(['render', '-f', path.join(ROOT, 'examples', 'minimal.yaml')])).toMatchObject({ code: 2, err: expect.stringContaining('render needs --release and --namespace') });
  expect(run(['frobnicate'])).toMatchObject({ code: 2, err: expect.stringContaining('unknown command frobnicate') });
  expect(run(['render', '--chart', 'nope'])).toMatchObject({ code: 2, err: expect.stringContaining('unknown chart nope; known charts: tenant-cluster') });
});

test('render failures from render-time checks print the message', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tc-cli-'));
  try {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'nodeGroups:\n  gpu:\n    autoscaling:\n      enabled: true\n      min: 5\n      max: 2\n');
    const r = run(['render', '-f', bad, '--release', 'acme', '--namespace', 'ns']);
    expect(r).toEqual({ code: 1, out: '', err: 'nodeGroups.gpu.autoscaling: min (5) must be <= max (2)\n' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
