/**
 * The bundled CLI (projenrc/bundle-cli.js: what `npm run compile` makes of lib/cli.js, one file with a V8
 * code cache) prints exactly what the CLI from the sources prints, refuses what it refuses with the same
 * messages and exit codes, and starts from its code cache (V8 accepts it). Speed itself is measured by
 * `npm run bench`, never here.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { main } from '../src/cli';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml') && !f.startsWith('flux-'));

/** A folder beside lib/ (the bundle finds models/ at `<its folder>/../models`, as lib/ does), removed after the tests. */
let out: string;

beforeAll(() => {
  out = fs.mkdtempSync(path.join(ROOT, '.bundled-cli-'));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'projenrc', 'bundle-cli.js'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bundle-cli.js failed: ${r.stderr}`);
}, 120_000);

afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

interface Run { code: number; out: string; err: string }

function bundled(args: string[], stdin = ''): Run {
  const r = spawnSync(process.execPath, [path.join(out, 'cli.js'), ...args], { cwd: ROOT, encoding: 'utf8', input: stdin, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function fromSources(args: string[], stdin = ''): Run {
  let stdout = '';
  let stderr = '';
  const code = main(args, (s) => { stdout += s; }, (s) => { stderr += s; }, () => Buffer.from(stdin, 'utf8'));
  return { code, out: stdout, err: stderr };
}

test.each(EXAMPLES)('render examples/%s: the same bytes as the CLI from the sources', (file) => {
  const args = ['render', '-f', path.join('examples', file), '--release', 'acme', '--namespace', 'tenant-acme'];
  const expected = fromSources(args);
  expect(expected.code).toBe(0);
  expect(bundled(args)).toEqual(expected);
});

test('refusals, usage errors, JSON from stdin and --version: the same output and exit codes', () => {
  const cases: Array<[string[], string]> = [
    [['validate', '-f', '-'], '{"nodeGroups": {"md0": {"replicas": "three"}}, "kubernetes": {"version": "v1.20.0"}}'],
    [['render', '-f', '-', '--release', 'acme', '-n', 'tenant-acme'], '{"kubernetes": {"version": "v1.99"}}'],
    [['render', '-f', '-', '--release', 'Not_A_Name', '-n', 'tenant-acme'], '{}'],
    [['render', '-f', '-', '--release', 'acme', '-n', 'tenant-acme', '--set', 'controlPlane.replicas=5'], '{"nodeGroups": {"md0": {}}}'],
    [['render', '--chart', 'tenant-vpn-server', '-f', '-', '--release', 'acme', '-n', 'tenant-acme'], ''],
    // A preview line (tenant-cluster 2.x) is not offered; its model is not needed to say so.
    [['render', '--chart', 'tenant-cluster-v2', '-f', '-', '--release', 'acme', '-n', 'tenant-acme'], ''],
    [['render', '--release', 'acme'], ''],
    [['no-such-command'], ''],
    [['--version'], ''],
  ];
  for (const [args, stdin] of cases) {
    const expected = fromSources(args, stdin);
    expect({ args, ...bundled(args, stdin) }).toEqual({ args, ...expected });
  }
});

test('V8 accepts the code cache written for the bundle (a rejected one would compile everything again)', () => {
  const caches = fs.readdirSync(out).filter((f) => /^cli\.bundle\.[0-9a-f]+\.cache$/.test(f));
  expect(caches).toHaveLength(1);
  const file = path.join(out, 'cli.bundle.js');
  // The loader's own reading of the bundle (the same wrapper, so that the cache matches), in a plain Node process
  // as the CLI runs (V8 refuses a cache made under other flags, and the test runner's process has its own).
  const probe = `const fs = require('fs'); const vm = require('vm'); const source = require('module').wrap(fs.readFileSync(${JSON.stringify(file)}, 'utf8'));
    const script = new vm.Script(source, { filename: ${JSON.stringify(file)}, cachedData: fs.readFileSync(${JSON.stringify(path.join(out, caches[0]))}) });
    console.log(JSON.stringify({ length: source.length, rejected: script.cachedDataRejected }));`;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  const { length, rejected } = JSON.parse(r.stdout) as { length: number; rejected: boolean };
  expect(rejected).toBe(false);
  expect(fs.readFileSync(path.join(out, 'cli.js'), 'utf8')).toContain(`source.length === ${length}`);
});

test('the bundle holds no construct, cdk8s or ajv compiler: those stay lazy requires of the live model', () => {
  const text = fs.readFileSync(path.join(out, 'cli.bundle.js'), 'utf8');
  expect(text).not.toMatch(/class TenantCluster\b/);
  expect(text).toMatch(/require\("cdk8s"\)|require\("\.\.\/lib\/charts"\)/);
  expect(text).not.toMatch(/node_modules\/ajv\/dist\/core\.js/);
  expect(text).toMatch(/node_modules\/yaml\/dist\/index\.js/);
});

test('the bundle is ASCII and holds each byte-identical validator once (less text for every start to read and decode)', () => {
  const text = fs.readFileSync(path.join(out, 'cli.bundle.js'), 'utf8');
  // Node decodes a file with any non-ASCII character as two-byte UTF-16: slower than the one-byte ASCII path.
  expect(text.match(/[^\x00-\x7f]/g) ?? []).toEqual([]);
  const models = path.join(ROOT, 'models');
  const byBytes = new Map<string, string[]>();
  for (const f of fs.readdirSync(models).filter((n) => n.endsWith('.validate.js')).sort()) {
    const bytes = fs.readFileSync(path.join(models, f), 'utf8');
    byBytes.set(bytes, [...(byBytes.get(bytes) ?? []), f]);
  }
  const bundledModules = (name: string) => text.split(`"models/${name}"`).length - 1;
  for (const files of byBytes.values()) {
    expect(files.map(bundledModules).reduce((a, b) => a + b, 0)).toBe(1);
  }
});

test('npm pack ships the loader, the bundle and its code cache with the models, not the sources (the project\'s .npmignore)', () => {
  // A package of the same package.json and .npmignore with the files the compile writes, packed as npm packs the project.
  const dir = fs.mkdtempSync(path.join(ROOT, '.bundled-cli-pack-'));
  try {
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
    fs.copyFileSync(path.join(ROOT, '.npmignore'), path.join(dir, '.npmignore'));
    const files = ['lib/cli.js', 'lib/cli.bundle.js', 'lib/cli.bundle.0123456789ab.cache', 'lib/render.js', 'lib/render.d.ts', 'models/tenant-cluster.json', 'models/validators.js'];
    for (const f of [...files, 'src/cli.ts', 'lib/render.ts.map']) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), '//\n');
    }
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const packed = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
    expect(packed).toEqual(expect.arrayContaining(files));
    expect(packed).not.toContain('src/cli.ts');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a reader that closes the pipe early ends the output quietly (no EPIPE stack trace), as with helm', () => {
  // `head -c 1` exits after one byte: the CLI's next writes fail with EPIPE.
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${path.join(out, 'cli.js')}" render -f examples/platform.yaml --release acme -n tenant-acme | head -c 1`],
    { cwd: ROOT, encoding: 'utf8' });
  expect(r.stdout).toBe('-');
  expect(r.stderr).toBe('');
});
