/**
 * A unified diff of two texts (`diff -u` style, line based, Myers' algorithm), for test failures that
 * should show what changed rather than that something did.
 */

type Op = { kind: ' ' | '-' | '+'; line: string };

/** The shortest edit script from `a` to `b` (Myers 1986, O((N+M)·D)). */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  // Walk the trace back from the end.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: ' ', line: a[--x] }), y--;
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[--y] });
      else ops.push({ kind: '-', line: a[--x] });
    }
  }
  while (x > 0 && y > 0) ops.push({ kind: ' ', line: a[--x] }), y--;
  return ops.reverse();
}

/**
 * `--- a` / `+++ b` and `@@` hunks with `context` lines around each change; at most `maxLines` lines
 * of hunks (then a line saying how many more changed lines there are).
 */
export function unifiedDiff(aName: string, bName: string, a: string, b: string, opts: { context?: number; maxLines?: number } = {}): string {
  const context = opts.context ?? 3;
  const maxLines = opts.maxLines ?? 60;
  if (a === b) return '';
  const ops = editScript(a.split('\n'), b.split('\n'));
  const changed = ops.map((o, i) => (o.kind !== ' ' ? i : -1)).filter((i) => i >= 0);
  const out = [`--- ${aName}`, `+++ ${bName}`];
  let shown = 0;
  let i = 0;
  while (i < changed.length) {
    // A hunk: changes closer than 2·context lines apart belong together.
    let j = i;
    while (j + 1 < changed.length && changed[j + 1] - changed[j] <= 2 * context) j++;
    const from = Math.max(0, changed[i] - context);
    const to = Math.min(ops.length - 1, changed[j] + context);
    const before = ops.slice(0, from);
    const aStart = before.filter((o) => o.kind !== '+').length + 1;
    const bStart = before.filter((o) => o.kind !== '-').length + 1;
    const hunk = ops.slice(from, to + 1);
    out.push(`@@ -${aStart},${hunk.filter((o) => o.kind !== '+').length} +${bStart},${hunk.filter((o) => o.kind !== '-').length} @@`);
    for (let h = 0; h < hunk.length; h++) {
      if (shown >= maxLines) {
        out.push(`… (${changed.filter((c) => c >= from + h).length} more changed lines not shown)`);
        return out.join('\n');
      }
      out.push(`${hunk[h].kind}${hunk[h].line}`);
      shown++;
    }
    i = j + 1;
  }
  return out.join('\n');
}
