/**
 * `tenant-cluster diff` output: one block per changed object (`+` added, `-` deleted, `~` changed,
 * `~` with `→` for a content-hash rename, `=` kept by resource policy), its changed fields, and `!` lines
 * for what the change does to the running tenant; then a summary. Nothing at all when nothing changes.
 */
import { DiffReport, ObjectDiff } from './compare';
import { FieldChange, formatPath } from './field-diff';
import { describeIdentity } from './objects';

/** What the header says about the two sides. */
export interface SideDescription {
  /** `tenant-cluster 1.1.0` */
  readonly chart: string;
  /** How it was rendered: `dist/tenant-cluster-1.1.0.tgz by helm v4.1.4`. */
  readonly renderedBy: string;
}

export interface FormatOptions {
  readonly release: string;
  readonly releaseNamespace: string;
  readonly before: SideDescription;
  readonly after: SideDescription;
  /**
   * Changed fields printed per object; the rest are counted.
   * @default 12
   */
  readonly maxFields?: number;
  /**
   * Lines printed per changed multi-line string.
   * @default 6
   */
  readonly maxTextLines?: number;
}

const MAX_VALUE = 72;

function scalarText(v: unknown): string {
  const s = typeof v === 'string' && !v.includes('\n') ? JSON.stringify(v) : JSON.stringify(v) ?? 'null';
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

/** Lines of `a` and `b` that differ, by a longest-common-subsequence walk (texts here are small). */
export function lineDiff(a: string, b: string): string[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      i++;
      j++;
    } else if (j < y.length && (i === x.length || lcs[i][j + 1] >= lcs[i + 1][j])) out.push(`+ ${y[j++]}`);
    else out.push(`- ${x[i++]}`);
  }
  return out;
}

function fieldLines(c: FieldChange, maxTextLines: number): string[] {
  const path = formatPath(c.path);
  if (c.kind === 'added') return [`+ ${path}: ${scalarText(c.after)}`];
  if (c.kind === 'removed') return [`- ${path}: ${scalarText(c.before)}`];
  if (typeof c.before === 'string' && typeof c.after === 'string' && (c.before.includes('\n') || c.after.includes('\n'))) {
    const lines = lineDiff(c.before, c.after);
    const shown = lines.slice(0, maxTextLines).map((l) => `    ${l.length > MAX_VALUE + 4 ? `${l.slice(0, MAX_VALUE + 3)}…` : l}`);
    if (lines.length > maxTextLines) shown.push(`    … ${lines.length - maxTextLines} more changed lines`);
    return [`~ ${path}: text`, ...shown];
  }
  if (Array.isArray(c.before) && Array.isArray(c.after) && ![...c.before, ...c.after].some((v) => v !== null && typeof v === 'object')) {
    const b = c.before.map((v) => JSON.stringify(v));
    const a = c.after.map((v) => JSON.stringify(v));
    const gone = b.filter((v) => !a.includes(v));
    const come = a.filter((v) => !b.includes(v));
    const item = (sign: string, v: string) => `${sign}${v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE - 1)}…` : v}`;
    if (gone.length + come.length === 1) return [`~ ${path}: ${gone.map((v) => item('-', v)).concat(come.map((v) => item('+', v)))[0]}`];
    if (gone.length + come.length > 0) return [`~ ${path}:`, ...gone.map((v) => `    ${item('- ', v)}`), ...come.map((v) => `    ${item('+ ', v)}`)];
    return [`~ ${path}: reordered`];
  }
  return [`~ ${path}: ${scalarText(c.before)} → ${scalarText(c.after)}`];
}

const SIGN: Record<ObjectDiff['change'], string> = { added: '+', removed: '-', changed: '~', replaced: '~', kept: '=' };

function objectLines(d: ObjectDiff, opts: FormatOptions): string[] {
  const ns = opts.releaseNamespace;
  const title = d.change === 'replaced' && d.previous
    ? `${describeIdentity(d.previous, ns)} → ${d.identity.name} (content-hash name)`
    : describeIdentity(d.identity, ns);
  const head = `${SIGN[d.change]} ${title}${d.change === 'added' ? ' (created)' : d.change === 'kept' ? ' (kept)' : ''}`;
  const lines = [head];
  const maxFields = opts.maxFields ?? 12;
  const fieldText = d.fields.slice(0, maxFields).flatMap((c) => fieldLines(c, opts.maxTextLines ?? 6));
  lines.push(...fieldText.map((l) => `    ${l}`));
  if (d.fields.length > maxFields) lines.push(`    … ${d.fields.length - maxFields} more changed fields`);
  lines.push(...d.notes.map((n) => `    note: ${n}`));
  lines.push(...d.findings.map((f) => `    ! ${f.flag}: ${f.message}`));
  return lines;
}

/** The text report; empty when nothing changes. */
export function formatReport(report: DiffReport, opts: FormatOptions): string {
  if (report.objects.length === 0 && report.chartLabelOnly === 0) return '';
  const lines: string[] = [
    `tenant-cluster diff ${opts.release} -n ${opts.releaseNamespace}: ${opts.before.chart} → ${opts.after.chart}`,
    `  old: ${opts.before.renderedBy}`,
    `  new: ${opts.after.renderedBy}`,
    '',
  ];
  for (const d of report.objects) lines.push(...objectLines(d, opts));
  if (report.chartLabelOnly > 0 && report.chartLabel) {
    lines.push(`  ${report.chartLabelOnly} more object${report.chartLabelOnly === 1 ? '' : 's'} change only the helm.sh/chart label `
      + `(${report.chartLabel.before} → ${report.chartLabel.after}; every object's label changes the same way)`);
  }
  if (report.unchanged > 0) lines.push(`  ${report.unchanged} object${report.unchanged === 1 ? '' : 's'} unchanged`);
  if (report.upgradeHooks.length > 0) {
    lines.push(`  hooks that run on helm upgrade (not release resources): ${report.upgradeHooks.map((h) => `${h.description} (${h.events.join(', ')})`).join(', ')}`);
  }
  const count = (c: ObjectDiff['change']) => report.objects.filter((d) => d.change === c).length;
  lines.push('');
  lines.push(`Summary: ${count('added')} created, ${count('removed')} deleted, ${count('changed')} changed, `
    + `${count('replaced')} replaced by a new content-hash name, ${count('kept')} kept`);
  lines.push(`Flags:   ${report.flags.length === 0 ? 'none' : report.flags.map((f) => `${f.flag} ×${f.count}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The report as JSON (for CI tooling): the same content, machine-readable. */
export function reportJson(report: DiffReport, opts: FormatOptions): string {
  return `${JSON.stringify({
    release: opts.release,
    namespace: opts.releaseNamespace,
    before: opts.before,
    after: opts.after,
    objects: report.objects.map((d) => ({
      ...d.identity,
      change: d.change,
      previousName: d.previous?.name,
      apiVersion: d.apiVersion,
      fields: d.fields.map((c) => ({ path: formatPath(c.path), kind: c.kind, before: c.before, after: c.after })),
      findings: d.findings,
      notes: d.notes,
    })),
    chartLabelOnly: report.chartLabelOnly,
    unchanged: report.unchanged,
    upgradeHooks: report.upgradeHooks,
    flags: report.flags,
  }, null, 2)}\n`;
}
