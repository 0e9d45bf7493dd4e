/**
 * Generated files are committed: a stale chart, schema or package fails here (run `npm run synth`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synth } from '../src/synth';

const REPO_ROOT = path.resolve(__dirname, '..');

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

describe('generated files', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-synth-'));
    synth(out);
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test.each(['charts', 'values-schemas', 'dist'])('%s/ is up to date (npm run synth)', (dir) => {
    const fresh = filesUnder(path.join(out, dir)).map((f) => path.relative(out, f)).sort();
    const committed = filesUnder(path.join(REPO_ROOT, dir)).map((f) => path.relative(REPO_ROOT, f)).sort();
    expect(committed).toEqual(fresh);
    for (const rel of fresh) {
      expect({ file: rel, same: fs.readFileSync(path.join(out, rel)).equals(fs.readFileSync(path.join(REPO_ROOT, rel))) })
        .toEqual({ file: rel, same: true });
    }
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
