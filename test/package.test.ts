import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as YAML from 'yaml';
import { listChartFiles, packageChart, readTar } from '../src/package/chart-archive';
import { RELEASED_MANIFEST, readReleasedManifest, releaseProblems, restoreReleased, sha256 } from '../src/package/releases';
import { buildRepoIndex, compareSemver, writeRepoIndex } from '../src/package/repo-index';
import { synth } from '../src/synth';
import { HelmBinary, helmBinaries, helmLint, helmTemplate, runHelm, runHelmAsync } from './harness/helm';
import { ServedDirectory, serveDirectory } from './harness/serve-directory';

const LONG_DIR = 'files/' + Array.from({ length: 6 }, (_, i) => `nested-directory-number-${i}`).join('/');
const LONG_FILE = `${LONG_DIR}/a-file-whose-name-alone-is-long-enough-to-need-the-ustar-prefix-field.txt`;
const VERY_LONG_FILE = `files/${'x'.repeat(120)}/${'y'.repeat(90)}/${'z'.repeat(60)}.txt`; // needs a PAX header

function writeDemoChart(dir: string, version: string): void {
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write('Chart.yaml', [
    'apiVersion: v2',
    'name: demo',
    `version: ${version}`,
    'description: Deterministic packaging test chart',
    'type: application',
    'appVersion: "1.20"',
    'kubeVersion: ">=1.28.0-0"',
    'home: https://example.com/demo',
    'keywords: [tenant, "on"]',
    'maintainers:',
    '  - name: Platform Team',
    '    email: platform@example.com',
    'annotations:',
    '  example.com/b10: "x"',
    '  example.com/b9: "y"',
    '  category: Infrastructure',
    'dependencies:',
    '  - name: sub',
    '    version: 0.1.0',
    '    condition: sub.enabled',
    '',
  ].join('\n'));
  write('values.yaml', '"replicas": 2\nsub:\n  enabled: true\n');
  write('values.schema.json', JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { replicas: { type: 'integer', minimum: 1 } },
  }, null, 2) + '\n');
  write('templates/_helpers.tpl', '{{- define "demo.name" -}}{{ .Release.Name }}-demo{{- end -}}\n');
  write('templates/configmap.yaml', [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: {{ include "demo.name" . }}',
    '  namespace: {{ .Release.Namespace }}',
    'data:',
    '  replicas: "{{ .Values.replicas | int64 }}"',
    `  long: {{ .Files.Get "${LONG_FILE}" | quote }}`,
    `  veryLong: {{ .Files.Get "${VERY_LONG_FILE}" | quote }}`,
    '',
  ].join('\n'));
  write('templates/NOTES.txt', 'Installed {{ .Release.Name }}.\n');
  write('templates/.editor-swap', 'ignored by Helm\'s default rule\n');
  write('charts/sub/Chart.yaml', 'apiVersion: v2\nname: sub\nversion: 0.1.0\n');
  write('charts/sub/templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-sub\n');
  write(LONG_FILE, 'long path content\n');
  write(VERY_LONG_FILE, 'very long path content\n');
  write('.helmignore', '# test rules\n*.bak\nscratch/\n/README.*\n');
  write('notes.bak', 'ignored\n');
  write('scratch/tmp.txt', 'ignored\n');
  write('README.md', 'ignored (anchored rule)\n');
  write('files/README.md', 'kept: /README.* only matches at the root\n');
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-package-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const chartDir = path.join(tmp, 'src', 'demo');
const chartDir2 = path.join(tmp, 'src2', 'demo');
const dist = path.join(tmp, 'dist');
let tgz: string;

beforeAll(() => {
  writeDemoChart(chartDir, '1.2.0');
  writeDemoChart(chartDir2, '1.10.0-rc.1');
  tgz = packageChart(chartDir, dist);
  packageChart(chartDir2, dist);
  fs.mkdirSync(path.join(tmp, 'other', 'templates'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'other', 'Chart.yaml'), 'apiVersion: v2\nname: another\nversion: 0.0.1\n');
  packageChart(path.join(tmp, 'other'), dist);
});

describe('packageChart', () => {
  test('writes <name>-<version>.tgz', () => {
    expect(tgz).toBe(path.join(dist, 'demo-1.2.0.tgz'));
    expect(fs.readdirSync(dist).sort()).toEqual(['another-0.0.1.tgz', 'demo-1.10.0-rc.1.tgz', 'demo-1.2.0.tgz']);
  });

  test('is byte-identical across runs, file times and directories', () => {
    const first = fs.readFileSync(tgz);
    const again = packageChart(chartDir, path.join(tmp, 'again'));
    expect(fs.readFileSync(again).equals(first)).toBe(true);

    // a copy with other mtimes, in another place, gives the same bytes
    const copy = path.join(tmp, 'copy', 'demo');
    fs.cpSync(chartDir, copy, { recursive: true });
    const past = new Date('2001-02-03T04:05:06Z');
    for (const f of listChartFiles(copy)) fs.utimesSync(path.join(copy, f), past, past);
    expect(fs.readFileSync(packageChart(copy, path.join(tmp, 'copy-out'))).equals(first)).toBe(true);
  });

  test('gzip header: no name, mtime 0, XFL 2, OS unknown', () => {
    const head = fs.readFileSync(tgz).subarray(0, 10);
    expect([...head]).toEqual([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0xff]);
  });

  test('tar entries: sorted <name>/<path>, .helmignore honoured, normalised headers', () => {
    const entries = readTar(fs.readFileSync(tgz));
    const paths = entries.map((e) => e.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toEqual(listChartFiles(chartDir).map((p) => `demo/${p}`));
    expect(paths).toEqual(expect.arrayContaining([
      'demo/.helmignore', 'demo/Chart.yaml', 'demo/charts/sub/Chart.yaml', 'demo/files/README.md',
      `demo/${LONG_FILE}`, `demo/${VERY_LONG_FILE}`, 'demo/templates/configmap.yaml', 'demo/values.schema.json',
    ]));
    for (const ignored of ['demo/notes.bak', 'demo/scratch/tmp.txt', 'demo/README.md', 'demo/templates/.editor-swap']) {
      expect(paths).not.toContain(ignored);
    }
    for (const e of entries) {
      expect(e.data.equals(fs.readFileSync(path.join(chartDir, e.path.slice('demo/'.length))))).toBe(true);
    }

    const tar = zlib.gunzipSync(fs.readFileSync(tgz));
    const field = (o: number, n: number) => tar.subarray(o, o + n).toString('latin1');
    expect(field(0, 100).replace(/\0+$/, '')).toBe('demo/.helmignore');
    expect(field(100, 8)).toBe('0000644\0'); // mode
    expect(field(108, 16)).toBe('0000000\x000000000\0'); // uid, gid
    expect(field(136, 12)).toBe('00000000000\0'); // mtime
    expect(field(156, 1)).toBe('0'); // regular file
    expect(field(257, 8)).toBe('ustar\x0000'); // POSIX ustar
    expect(field(265, 64)).toBe('\0'.repeat(64)); // uname, gname
  });

  test('file list equals what `helm package` puts in its archive', () => {
    for (const helm of helmBinaries()) {
      const out = path.join(tmp, `helm-package-${helm.name}`);
      const r = runHelm(helm, ['package', chartDir, '-d', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const theirs = readTar(fs.readFileSync(path.join(out, 'demo-1.2.0.tgz'))).map((e) => e.path);
      // helm package writes subcharts in charts/ the same way (as directories), so the sets are equal
      expect([...theirs].sort()).toEqual(readTar(fs.readFileSync(tgz)).map((e) => e.path));
    }
  });

  describe.each(helmBinaries().map((b) => [b.name, b] as const))('%s reads the archive', (_name, helm) => {
    test('helm show chart', () => {
      const r = runHelm(helm, ['show', 'chart', tgz]);
      expect(r.code).toBe(0);
      const shown = YAML.parse(r.stdout);
      expect(shown).toMatchObject({ apiVersion: 'v2', name: 'demo', version: '1.2.0', appVersion: '1.20' });
    });

    test('helm template from the archive equals helm template from the directory', () => {
      const opts = { release: 'rel', namespace: 'tenant-a', values: { replicas: 3 } };
      const fromTgz = helmTemplate(helm, tgz, opts);
      const fromDir = helmTemplate(helm, chartDir, opts);
      expect(fromTgz.stderr).toBe('');
      expect(fromTgz.code).toBe(0);
      expect(fromDir.code).toBe(0);
      expect(fromTgz.stdout).toBe(fromDir.stdout);
      const cm = YAML.parseAllDocuments(fromTgz.stdout).map((d) => d.toJS()).find((d) => d?.metadata?.name === 'rel-demo');
      expect(cm.data).toEqual({ replicas: '3', long: 'long path content\n', veryLong: 'very long path content\n' });
    });

    test('helm lint --strict', () => {
      const r = helmLint(helm, tgz, { strict: true });
      expect(r.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      expect(r.code).toBe(0);
    });
  });
});

describe('writeRepoIndex', () => {
  let indexFile: string;
  let index: any;

  beforeAll(() => {
    indexFile = writeRepoIndex(dist, { baseUrl: 'https://charts.example.com/tenant/' });
    index = YAML.parse(fs.readFileSync(indexFile, 'utf8'));
  });

  test('is deterministic', () => {
    const text = fs.readFileSync(indexFile, 'utf8');
    writeRepoIndex(dist, { baseUrl: 'https://charts.example.com/tenant/' });
    expect(fs.readFileSync(indexFile, 'utf8')).toBe(text);
    expect(text).toContain('generated: "1970-01-01T00:00:00Z"');
  });

  test('entries: by name, newest version first, digest of the archive, url', () => {
    expect(index.apiVersion).toBe('v1');
    expect(Object.keys(index.entries)).toEqual(['another', 'demo']);
    expect(index.entries.demo.map((e: any) => e.version)).toEqual(['1.10.0-rc.1', '1.2.0']);
    for (const [name, versions] of Object.entries<any[]>(index.entries)) {
      for (const e of versions) {
        const file = `${name}-${e.version}.tgz`;
        expect(e.digest).toBe(createHash('sha256').update(fs.readFileSync(path.join(dist, file))).digest('hex'));
        expect(e.urls).toEqual([`https://charts.example.com/tenant/${file}`]);
        expect(e.created).toBe('1970-01-01T00:00:00Z');
      }
    }
    expect(buildRepoIndex(dist).entries.another[0].urls).toEqual(['another-0.0.1.tgz']);
  });

  test('semver order', () => {
    const sorted = ['1.0.0', '1.0.0-rc.10', '1.0.0-rc.2', '1.0.0-alpha', '0.9.9', '1.0.0-alpha.1', '10.0.0', '2.0.0']
      .sort((a, b) => compareSemver(b, a));
    expect(sorted).toEqual(['10.0.0', '2.0.0', '1.0.0', '1.0.0-rc.10', '1.0.0-rc.2', '1.0.0-alpha.1', '1.0.0-alpha', '0.9.9']);
  });

  test.each(helmBinaries().map((b) => [b.name, b] as const))(
    'same document and text as `%s repo index` of the same archives, except the time stamps',
    (_name, helm) => {
      const copy = path.join(tmp, `index-${helm.name}`);
      fs.cpSync(dist, copy, { recursive: true });
      fs.rmSync(path.join(copy, 'index.yaml'));
      const r = runHelm(helm, ['repo', 'index', copy, '--url', 'https://charts.example.com/tenant/']);
      expect(r.code).toBe(0);
      const theirsText = fs.readFileSync(path.join(copy, 'index.yaml'), 'utf8');
      const stamp = /^( *(?:- )?(?:created|generated): )"[^"]*"$/gm;
      const ours = fs.readFileSync(indexFile, 'utf8');
      expect(YAML.parse(ours.replace(stamp, '$1X'))).toEqual(YAML.parse(theirsText.replace(stamp, '$1X')));
      expect(ours.replace(stamp, '$1X')).toBe(theirsText.replace(stamp, '$1X'));
    },
  );

  test('helm accepts the index: repo index --merge reads it', () => {
    for (const helm of helmBinaries()) {
      const dir = path.join(tmp, `merge-${helm.name}`);
      fs.mkdirSync(dir);
      const r = runHelm(helm, ['repo', 'index', dir, '--merge', indexFile]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const merged = YAML.parse(fs.readFileSync(path.join(dir, 'index.yaml'), 'utf8'));
      const strip = (i: any) => JSON.parse(JSON.stringify(i.entries, (k, v) => (k === 'created' ? undefined : v)));
      expect(strip(merged)).toEqual(strip(index));
    }
  });

  describe('served over loopback HTTP (helm has no file:// getter for repositories)', () => {
    let server: ServedDirectory;
    let repoUrl: string;
    const served = path.join(tmp, 'served');

    beforeAll(async () => {
      fs.cpSync(dist, served, { recursive: true });
      server = await serveDirectory(served);
      repoUrl = server.url;
      // chart URLs relative to the repository, so that helm downloads from the loopback server
      writeRepoIndex(served);
    });

    afterAll(() => server.close());

    test.each(helmBinaries().map((b) => [b.name, b] as const))('%s: repo add, search, pull, dependency update', async (name, helm) => {
      await expectOk(helm, ['repo', 'add', `local-${name}`, repoUrl]);
      const search = await expectOk(helm, ['search', 'repo', `local-${name}/`, '--versions', '--devel', '-o', 'json']);
      expect(JSON.parse(search.stdout).map((c: any) => `${c.name}@${c.version}`).sort()).toEqual([
        `local-${name}/another@0.0.1`, `local-${name}/demo@1.10.0-rc.1`, `local-${name}/demo@1.2.0`,
      ]);

      const pulled = path.join(tmp, `pulled-${name}`);
      fs.mkdirSync(pulled);
      await expectOk(helm, ['pull', `local-${name}/demo`, '--version', '1.2.0', '-d', pulled]);
      expect(fs.readFileSync(path.join(pulled, 'demo-1.2.0.tgz')).equals(fs.readFileSync(tgz))).toBe(true);

      // the way a real consumer reads it: a chart that depends on ours through the repository
      const parent = path.join(tmp, `parent-${name}`);
      fs.mkdirSync(path.join(parent, 'templates'), { recursive: true });
      fs.writeFileSync(path.join(parent, 'Chart.yaml'), [
        'apiVersion: v2', 'name: parent', 'version: 0.0.1', 'dependencies:',
        '  - name: demo', '    version: ~1.2.0', `    repository: ${repoUrl}`, '',
      ].join('\n'));
      await expectOk(helm, ['dependency', 'update', parent]);
      expect(fs.readFileSync(path.join(parent, 'charts', 'demo-1.2.0.tgz')).equals(fs.readFileSync(tgz))).toBe(true);
      const lock = YAML.parse(fs.readFileSync(path.join(parent, 'Chart.lock'), 'utf8'));
      expect(lock.dependencies).toEqual([{ name: 'demo', repository: repoUrl, version: '1.2.0' }]);
      expect(server.requests).toContain('/index.yaml');
    });
  });
});

async function expectOk(helm: HelmBinary, args: string[]) {
  const r = await runHelmAsync(helm, args);
  if (r.code !== 0) throw new Error(`${helm.name} ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
  return r;
}

describe('released versions (dist/released.json)', () => {
  const REPO = path.resolve(__dirname, '..');
  const DIST = path.join(REPO, 'dist');
  const manifest = readReleasedManifest(DIST);

  test('lists every version released so far, and each archive is in dist/ with those exact bytes', () => {
    // tenant-cluster 1.0.0 (commit d612337), 1.1.0 and kubevirt-csi-node 1.0.0 (commit 1c2ea45): the digests
    // their index.yaml published then.
    expect(manifest).toEqual({
      'tenant-cluster-1.0.0.tgz': 'e4148f5c552423a930c08eafbdfe752d72155f618ff3171dea4391752582b61c',
      'tenant-cluster-1.1.0.tgz': '04136e4949cd0ce75e57c8c84b9dc4dad28cedc13cbb8c4664f48d29710bbe3f',
      'kubevirt-csi-node-1.0.0.tgz': '22003024a4d5c320acf693f4ee4abeb9341228aa9441f5c4e599a7cebb729bdd',
      ...Object.fromEntries(Object.entries(manifest).filter(([name]) => !/^(tenant-cluster-1\.[01]\.0|kubevirt-csi-node-1\.0\.0)\.tgz$/.test(name))),
    });
    for (const [name, digest] of Object.entries(manifest)) {
      expect({ name, sha256: sha256(fs.readFileSync(path.join(DIST, name))) }).toEqual({ name, sha256: digest });
    }
  });

  test('dist/index.yaml serves every released archive with its digest', () => {
    const index = YAML.parse(fs.readFileSync(path.join(DIST, 'index.yaml'), 'utf8'));
    const served = Object.values<any[]>(index.entries).flat().map((e) => [e.urls[0], e.digest]);
    for (const [name, digest] of Object.entries(manifest)) expect(served).toContainEqual([name, digest]);
  });

  test('a released version is not rebuilt: the current chart content equals the released archive of its version', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-current-'));
    try {
      const current = new Map<string, Buffer>();
      for (const chart of fs.readdirSync(path.join(REPO, 'charts'))) {
        const archive = packageChart(path.join(REPO, 'charts', chart), out);
        current.set(path.basename(archive), fs.readFileSync(archive));
      }
      expect(releaseProblems(DIST, current).map((p) => p.message)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  describe('synth', () => {
    const fakeRepo = path.join(tmp, 'release-check');
    const fakeDist = path.join(fakeRepo, 'dist');
    beforeAll(() => {
      fs.mkdirSync(fakeDist, { recursive: true });
      fs.copyFileSync(tgz, path.join(fakeDist, 'demo-1.2.0.tgz'));
      fs.writeFileSync(path.join(fakeDist, RELEASED_MANIFEST), JSON.stringify({ 'demo-1.2.0.tgz': sha256(fs.readFileSync(tgz)) }));
    });

    test('keeps released archives byte for byte and refuses a changed or missing one', () => {
      const copy = path.join(tmp, 'release-copy');
      restoreReleased(fakeDist, copy);
      expect(fs.readFileSync(path.join(copy, 'demo-1.2.0.tgz')).equals(fs.readFileSync(tgz))).toBe(true);
      fs.appendFileSync(path.join(fakeDist, 'demo-1.2.0.tgz'), 'x');
      expect(() => restoreReleased(fakeDist, copy)).toThrow('dist/demo-1.2.0.tgz is released but its bytes changed');
      fs.rmSync(path.join(fakeDist, 'demo-1.2.0.tgz'));
      expect(() => restoreReleased(fakeDist, copy)).toThrow('dist/demo-1.2.0.tgz is released (dist/released.json) but missing');
      fs.copyFileSync(tgz, path.join(fakeDist, 'demo-1.2.0.tgz'));
    });

    test('reports a released version whose chart content changed (needs a bump), not a merely recompressed one', () => {
      const changedDir = path.join(tmp, 'changed', 'demo');
      fs.cpSync(chartDir, changedDir, { recursive: true });
      fs.appendFileSync(path.join(changedDir, 'values.yaml'), 'extra: 1\n');
      const changed = fs.readFileSync(packageChart(changedDir, path.join(tmp, 'changed-out')));
      expect(releaseProblems(fakeDist, new Map([['demo-1.2.0.tgz', changed]])).map((p) => p.message))
        .toEqual(['demo-1.2.0.tgz is released, but the chart now differs from it (demo/values.yaml changed): bump the chart version (SemVer) and regenerate']);
      const recompressed = zlib.gzipSync(zlib.gunzipSync(fs.readFileSync(tgz)), { level: 1 });
      expect(releaseProblems(fakeDist, new Map([['demo-1.2.0.tgz', recompressed]]))).toEqual([]);
      expect(releaseProblems(fakeDist, new Map([['demo-1.3.0.tgz', changed]]))).toEqual([]);
    });

    test('the repository\'s own synth keeps every released archive and indexes it', () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-synth-release-'));
      try {
        synth(out);
        for (const [name, digest] of Object.entries(manifest)) expect(sha256(fs.readFileSync(path.join(out, 'dist', name)))).toBe(digest);
        const index = YAML.parse(fs.readFileSync(path.join(out, 'dist', 'index.yaml'), 'utf8'));
        expect(index.entries['tenant-cluster'].map((e: any) => e.version)).toEqual(expect.arrayContaining(['1.1.0', '1.0.0']));
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });
  });
});
