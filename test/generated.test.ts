/**
 * Generated files are committed: a stale chart, schema or package fails here (run `npm run synth`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synth } from '../src/synth';
import { unifiedDiff } from './harness/unified-diff';

const REPO_ROOT = path.resolve(__dirname, '..');

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

/** Files that the diff shows in full; the others are only named. */
const MAX_FILES_SHOWN = 8;

/**
 * What `npm run synth` would change, as a reviewer reads it: files to add or remove, and a unified diff
 * (committed → fresh) of each changed text file, the first {@link MAX_FILES_SHOWN} in full (up to 60
 * changed lines each), the rest by name. Empty when nothing is stale.
 */
function staleReport(committed: readonly string[], fresh: readonly string[], committedBytes: (f: string) => Buffer, freshBytes: (f: string) => Buffer): string {
  const lines: string[] = [];
  const missing = fresh.filter((f) => !committed.includes(f));
  const extra = committed.filter((f) => !fresh.includes(f));
  if (missing.length > 0) lines.push(`not committed (synth writes them): ${missing.join(', ')}`);
  if (extra.length > 0) lines.push(`committed but no longer generated: ${extra.join(', ')}`);
  const changed = fresh.filter((f) => committed.includes(f) && !committedBytes(f).equals(freshBytes(f)));
  changed.forEach((f, i) => {
    if (i >= MAX_FILES_SHOWN) return;
    const a = committedBytes(f);
    const b = freshBytes(f);
    const binary = (x: Buffer) => x.includes(0);
    lines.push(binary(a) || binary(b)
      ? `binary ${f} differs (${a.length} → ${b.length} bytes)`
      : unifiedDiff(`${f} (committed)`, `${f} (npm run synth)`, a.toString('utf8'), b.toString('utf8')));
  });
  if (changed.length > MAX_FILES_SHOWN) lines.push(`… and ${changed.length - MAX_FILES_SHOWN} more stale files: ${changed.slice(MAX_FILES_SHOWN).join(', ')}`);
  return lines.length === 0 ? '' : `run npm run synth and commit the result:\n${lines.join('\n')}`;
}

describe('generated files', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-synth-'));
    synth(out);
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test.each(['charts', 'values-schemas', 'models', 'dist'])('%s/ is up to date (npm run synth)', (dir) => {
    const fresh = filesUnder(path.join(out, dir)).map((f) => path.relative(out, f)).sort();
    const committed = filesUnder(path.join(REPO_ROOT, dir)).map((f) => path.relative(REPO_ROOT, f)).sort();
    expect(staleReport(committed, fresh, (rel) => fs.readFileSync(path.join(REPO_ROOT, rel)), (rel) => fs.readFileSync(path.join(out, rel)))).toBe('');
  });

  test('a stale file is reported as a unified diff, a new or removed file by name', () => {
    const files: Record<string, string> = {
      'charts/x/a.yaml': 'a: 1\nb: 2\nc: 3\n',
      'charts/x/gone.yaml': 'x\n',
    };
    const fresh: Record<string, string> = { 'charts/x/a.yaml': 'a: 1\nb: 20\nc: 3\n', 'charts/x/new.yaml': 'y\n' };
    const report = staleReport(Object.keys(files).sort(), Object.keys(fresh).sort(), (f) => Buffer.from(files[f]), (f) => Buffer.from(fresh[f]));
    expect(report.split('\n')).toEqual([
      'run npm run synth and commit the result:',
      'not committed (synth writes them): charts/x/new.yaml',
      'committed but no longer generated: charts/x/gone.yaml',
      '--- charts/x/a.yaml (committed)',
      '+++ charts/x/a.yaml (npm run synth)',
      '@@ -1,4 +1,4 @@',
      ' a: 1',
      '-b: 2',
      '+b: 20',
      ' c: 3',
      ' ',
    ]);
    expect(staleReport(['a'], ['a'], () => Buffer.from('same'), () => Buffer.from('same'))).toBe('');
  });

  test('synth is deterministic: a second run gives the same bytes', () => {
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-synth-'));
    try {
      synth(again);
      for (const f of filesUnder(out)) {
        const rel = path.relative(out, f);
        expect({ file: rel, same: fs.readFileSync(f).equals(fs.readFileSync(path.join(again, rel))) }).toEqual({ file: rel, same: true });
      }
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });

  test('the values schema is draft-07 with "$schema" (Helm 4 would apply 2020-12 rules otherwise)', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'charts/tenant-cluster/values.schema.json'), 'utf8'));
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(JSON.stringify(schema)).not.toMatch(/"\$ref":"http/);
  });

  test('every key in values.yaml carries a comment', () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'charts/tenant-cluster/values.yaml'), 'utf8');
    const lines = text.split('\n');
    const uncommented = lines.filter((line, i) => /^\s*[A-Za-z][\w]*:/.test(line) && !/^\s*#/.test(lines[i - 1] ?? ''));
    expect(uncommented).toEqual([]);
  });
});
