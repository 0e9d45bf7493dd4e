/**
 * The `tenant-cluster diff` command's contract: Helm-like flags, what each side renders with, exit codes for
 * CI, clear usage errors without stack traces, nothing printed for identical inputs, and the README's
 * example output being what the command prints.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { main } from '../src/cli';
import { CHARTS, isServed } from '../src/charts';
import { validCaseArb } from './harness/values-arbitrary';

const ROOT = path.resolve(__dirname, '..');
const HA = path.join('examples', 'ha.yaml');
const CURRENT = CHARTS['tenant-cluster'].version;

function run(args: string[], stdin = ''): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(['diff', ...args], (s) => { out += s; }, (s) => { err += s; }, () => Buffer.from(stdin));
  return { code, out, err };
}

const RELEASE = ['--release', 'acme', '-n', 'tenant-acme'];

function noStackTrace(r: { err: string }): void {
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.err).not.toMatch(/internal error/);
}

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-cli-')); });
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function valuesFile(values: unknown): string {
  const file = path.join(tmp, `v-${Math.random().toString(36).slice(2)}.json`);
  // Non-ASCII escaped: U+2028 and friends are line breaks to Helm's YAML reader, which the CLI's reader refuses raw.
  fs.writeFileSync(file, JSON.stringify(values).replace(/[\u007f-\ud7ff\ue000-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  return file;
}

describe('identical inputs print nothing', () => {
  test('property: the same values and chart version on both sides, for generated valid values', () => {
    fc.assert(fc.property(validCaseArb, (c) => {
      const file = valuesFile(c.values);
      const args = ['--release', c.release, '-n', c.namespace, '-f', file, '--exit-code'];
      for (const extra of [[], ['--from-values', file], ['--from-version', CURRENT, '--version', CURRENT]]) {
        const r = run([...args, ...extra]);
        expect(r).toEqual({ code: 0, out: '', err: '' });
      }
    }), { numRuns: 12, seed: 4242 });
  });
});

describe('a released version against this build (helm on the archive, the evaluation backend for this build)', () => {
  let ha: { code: number; out: string; err: string };
  beforeAll(() => { ha = run([...RELEASE, '-f', HA, '--from-version', '1.1.0']); });

  test('prints what the upgrade changes and exits 0 without --exit-code', () => {
    expect(ha.code).toBe(0);
    expect(ha.err).toBe('');
    expect(ha.out).toMatch(/^tenant-cluster diff acme -n tenant-acme: tenant-cluster 1\.1\.0 → tenant-cluster \d+\.\d+\.\d+\n/);
    expect(ha.out).toMatch(/\n {2}old: dist\/tenant-cluster-1\.1\.0\.tgz \(released\), by helm template \(helm v[34]\.\d+\.\d+\)\n/);
    expect(ha.out).toMatch(/\n {2}new: tenant-cluster \S+ of this build, rendered in-process/);
    expect(ha.out).toMatch(/\n {4}! ROLLS MACHINES: bootstrap\.configRef acme-system-\w{8} → acme-system-\w{8}; infrastructureRef .* \(3 machines\)\n/);
    expect(ha.out).toMatch(/\nFlags: {3}.*ROLLS MACHINES ×2/);
  });

  test('--exit-code exits 1 when something is flagged, 0 when changes are not flagged', () => {
    expect(run([...RELEASE, '-f', HA, '--from-version', '1.1.0', '--exit-code']).code).toBe(1);
    // A replica count: a change, but nothing the tenant notices beyond scaling.
    const r = run([...RELEASE, '-f', HA, '--from-set', 'nodeGroups.system.replicas=3', '--from-values', HA, '--set', 'nodeGroups.system.replicas=4', '--exit-code']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/~ MachineDeployment acme-system\n {4}~ spec\.replicas: 3 → 4\n/);
    expect(r.out).toMatch(/\nFlags: {3}none\n$/);
  });

  test('--output json carries the same findings', () => {
    const r = run([...RELEASE, '-f', HA, '--from-version', '1.1.0', '-o', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.flags).toEqual(expect.arrayContaining([{ flag: 'ROLLS MACHINES', count: 2 }]));
    expect(report.objects.find((o: any) => o.kind === 'MachineDeployment' && o.name === 'acme-system').findings[0].flag).toBe('ROLLS MACHINES');
  });

  test('--from-chart takes an archive path; --from-values gives the old side its own values', () => {
    const r = run([...RELEASE, '-f', HA, '--from-chart', path.join(ROOT, 'dist', 'tenant-cluster-1.1.0.tgz')]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(3)).toEqual(ha.out.split('\n').slice(3));
  });

  test('README: the diff example is this command\'s output', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- diff-example -->\n```text\n([\s\S]*?)```\n/.exec(readme);
    expect(block).not.toBeNull();
    const version = (s: string) => s.replace(/\(helm v\d+\.\d+\.\d+\)/, '(helm vX)');
    // Regenerate: npm run render is not it; run `tenant-cluster diff --release acme -n tenant-acme -f examples/ha.yaml --from-version 1.1.0`.
    expect(version(block![1])).toBe(version(ha.out));
  });
});

describe('this build against itself with other values (no helm involved)', () => {
  test('a Kubernetes patch: the control plane and every node group flagged, exit 1 with --exit-code', () => {
    const r = run([...RELEASE, '-f', HA, '--from-values', HA, '--from-set', 'kubernetes.version=v1.34.11', '--exit-code']);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^tenant-cluster diff acme -n tenant-acme: tenant-cluster ${CURRENT} → tenant-cluster ${CURRENT}\n`));
    expect(r.out).toMatch(/\n~ KamajiControlPlane acme\n {4}~ spec\.version: "v1\.34\.11" → "v1\.34\.12"\n/);
    expect(r.out).toMatch(/\nFlags: {3}ROLLS MACHINES ×2, RECREATES CONTROL PLANE PODS ×1\n$/);
  });
});

describe('version lines: 1.x to 2.x of this build', () => {
  test('--from-version 1.x --version 2.x: only API versions (compared after conversion) and the chart label change, nothing flagged', () => {
    const line2 = Object.values(CHARTS).find((d) => d.name === 'tenant-cluster' && /^2\./.test(d.version))!;
    expect(isServed(line2)).toBe(true);
    const r = run([...RELEASE, '-f', HA, '--from-version', CURRENT, '--version', line2.version, '--exit-code']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^tenant-cluster diff acme -n tenant-acme: tenant-cluster ${CURRENT.replace(/\./g, '\\.')} → tenant-cluster ${line2.version.replace(/\./g, '\\.')}\n`));
    expect(r.out).toMatch(/\n~ KamajiControlPlane acme\n {4}note: apiVersion controlplane\.cluster\.x-k8s\.io\/v1alpha1 → controlplane\.cluster\.x-k8s\.io\/v1alpha2: compared with the old object converted/);
    expect(r.out).toMatch(/\nSummary: 0 created, 0 deleted, \d+ changed, 0 replaced by a new content-hash name, 0 kept\nFlags: {3}none\n$/);
    noStackTrace(r);
  });
});

describe('errors: a clear message, no stack trace', () => {
  test('usage errors exit 2', () => {
    for (const [args, message] of [
      [['-f', HA], /required option '--release <name>' not specified/],
      [[...RELEASE, '--from-version', '1.1.0', '--from-chart', 'x.tgz'], /give --from-version or --from-chart, not both/],
      [[...RELEASE, '--set', 'a[=1'], /^error: /m],
      [[...RELEASE, '-o', 'yaml'], /argument 'yaml' is invalid\. Allowed choices are text, json/],
      [[...RELEASE, '--bogus'], /unknown option '--bogus'/],
    ] as Array<[string[], RegExp]>) {
      const r = run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.err).toMatch(message);
      noStackTrace(r);
    }
  });

  test('a side that cannot render exits 3, naming why', () => {
    const missing = run([...RELEASE, '-f', HA, '--from-version', '0.9.0']);
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(/tenant-cluster 0\.9\.0: no archive .*tenant-cluster-0\.9\.0\.tgz; versions in .*dist: 1\.0\.0, 1\.1\.0/);
    const refused = run([...RELEASE, '-f', HA, '--set', 'controlPlane.replicas=two']);
    expect(refused.code).toBe(3);
    expect(refused.err).toMatch(/controlPlane\.replicas/);
    const oldRefuses = run([...RELEASE, '-f', HA, '--from-version', '1.0.0']);
    expect(oldRefuses.code).toBe(3);
    expect(oldRefuses.err).toMatch(/^helm v\S+ cannot render tenant-cluster 1\.0\.0 \(.*\) with these values:\nError: values don't meet the specifications/);
    const noHelm = run([...RELEASE, '-f', HA, '--from-version', '1.1.0', '--helm', path.join(tmp, 'no-helm')]);
    expect(noHelm.code).toBe(3);
    expect(noHelm.err).toMatch(/--helm=.*no-helm: not an executable file/);
    const notHelm = run([...RELEASE, '-f', HA, '--from-version', '1.1.0', '--helm', '/bin/true']);
    expect(notHelm.code).toBe(3);
    expect(notHelm.err).toMatch(/is not Helm 3 or Helm 4/);
    const notSemver = run([...RELEASE, '--version', 'latest']);
    expect(notSemver.code).toBe(3);
    expect(notSemver.err).toMatch(/chart version "latest" is not a semantic version/);
    for (const r of [missing, refused, oldRefuses, noHelm, notHelm, notSemver]) noStackTrace(r);
  });

  test('a released archive whose bytes changed is refused', () => {
    const dist = path.join(tmp, 'dist');
    fs.mkdirSync(dist, { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'dist', 'released.json'), path.join(dist, 'released.json'));
    fs.writeFileSync(path.join(dist, 'tenant-cluster-1.1.0.tgz'), 'not the release');
    const r = run([...RELEASE, '-f', HA, '--from-version', '1.1.0', '--dist', dist]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/tenant-cluster-1\.1\.0\.tgz is not the released tenant-cluster 1\.1\.0: its sha256 is [0-9a-f]{64}, released\.json records/);
  });

  test('values from stdin are read once, for both sides', () => {
    const r = run([...RELEASE, '-f', '-', '--from-values', '-', '--set', 'controlPlane.replicas=5'], fs.readFileSync(path.join(ROOT, HA), 'utf8'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/~ KamajiControlPlane acme\n {4}~ spec\.replicas: 3 → 5\n/);
  });
});
