/**
 * Timing helpers shared by the benchmarks (bench/run.ts, bench/profile-helm.ts): processes timed by CPU
 * (user + system from bash's `time`) and wall clock, interleaved round by round so a noisy machine slows
 * every job alike; medians; plain-text tables.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..');

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export interface Stats { runs: number; meanMs: number; medianMs: number; minMs: number; maxMs: number }

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return {
    runs: s.length,
    meanMs: s.reduce((a, b) => a + b, 0) / s.length,
    medianMs: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2,
    minMs: s[0],
    maxMs: s[s.length - 1],
  };
}

export const rel = (p: string) => path.relative(ROOT, p);
export const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));

/** Documents of a multi-document YAML stream that have a top-level `kind:`. */
export function countObjects(stream: string): number {
  return stream.split(/^---[ \t]*$/m).filter((doc) => /^kind:[ \t]*\S/m.test(doc)).length;
}

/** A scratch directory for this process, removed at exit. */
export const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-cluster-bench-'));
const tmpOut = path.join(tmpDir, 'stdout');
const tmpErr = path.join(tmpDir, 'stderr');
process.on('exit', () => fs.rmSync(tmpDir, { recursive: true, force: true }));

export interface ProcessRun { wallMs: number; cpuMs: number; stdout: string }

/**
 * Runs a command; wall time from here, CPU time (user + system of the process and its children) from
 * bash's `time`, in milliseconds. Throws with the end of stderr when it fails.
 */
export function runProcess(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): ProcessRun {
  const start = nowMs();
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%3U %3S"; { time "$@" > "$OUT" 2>"$ERR"; } 2>&1', 'bench', cmd, ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...env, OUT: tmpOut, ERR: tmpErr }, maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = nowMs() - start;
  if (r.error) throw r.error;
  const times = r.stdout.trim().split('\n').pop() ?? '';
  const [user, system] = times.split(' ').map(Number);
  const stderr = fs.readFileSync(tmpErr, 'utf8');
  const status = Number.isFinite(user) ? 0 : 1;
  if (r.status !== 0 || status !== 0) throw new Error(`${path.basename(cmd)} failed: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { wallMs, cpuMs: (user + system) * 1000, stdout: fs.readFileSync(tmpOut, 'utf8') };
}

export interface Job { name: string; cmd: string; args: string[]; env?: NodeJS.ProcessEnv }
export interface JobResult { name: string; wall?: Stats; cpu?: Stats; objects?: number; skipped?: string }

/**
 * Runs jobs `runs` times after `warmups` rounds, interleaved (one run of each job per round), so that a
 * noisy machine slows every job alike and ratios stay meaningful.
 */
export function benchJobs(jobs: readonly Job[], runs: number, warmups: number): JobResult[] {
  const wall: number[][] = jobs.map(() => []);
  const cpu: number[][] = jobs.map(() => []);
  const failed: (string | undefined)[] = jobs.map(() => undefined);
  const objects: (number | undefined)[] = jobs.map(() => undefined);
  for (let round = 0; round < warmups + runs; round++) {
    jobs.forEach((job, i) => {
      if (failed[i]) return;
      try {
        const r = runProcess(job.cmd, job.args, job.env);
        if (round >= warmups) {
          wall[i].push(r.wallMs);
          cpu[i].push(r.cpuMs);
        }
        objects[i] = countObjects(r.stdout);
      } catch (e) {
        failed[i] = (e as Error).message;
      }
    });
  }
  return jobs.map((job, i) => (failed[i] ? { name: job.name, skipped: failed[i] } : { name: job.name, wall: stats(wall[i]), cpu: stats(cpu[i]), objects: objects[i] }));
}

/** A table with left-aligned text columns (first two) and right-aligned numbers; a row of 3 cells is a skip message. */
export function table(header: string[], rows: string[][]): string {
  const full = rows.filter((r) => r.length === header.length);
  const widths = header.map((h, i) => Math.max(h.length, ...[...full, ...rows.map((r) => r.slice(0, 2))].map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells
    .map((c, i) => (cells.length !== header.length && i === 2 ? c : i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
    .join('  ')
    .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
