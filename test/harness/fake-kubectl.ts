/**
 * Runs a hook's shell script (as the chart renders it) with `/bin/sh` against a fake `kubectl` that
 * answers from a table and records every call: the script's commands, their order, their flags and its
 * exit code can be asserted without an API server.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** One answer of the fake: the first entry whose shell glob matches the arguments (joined by spaces) wins. */
export interface FakeResponse {
  /** A shell `case` pattern over `$*`, e.g. `get storageclass *`. */
  readonly match: string;
  readonly stdout?: string;
  /** @default 0 */
  readonly exit?: number;
}

export interface ScriptRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Every `kubectl` call, its arguments joined by spaces, in order. */
  readonly calls: string[];
}

const FAKE_KUBECTL = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_KUBECTL_LOG"
tab="$(printf '\\t')"
while IFS="$tab" read -r pattern code out; do
  case "$*" in
    $pattern) printf '%b' "$out"; exit "$code" ;;
  esac
done < "$FAKE_KUBECTL_RESPONSES"
echo "fake kubectl: no response for: $*" >&2
exit 97
`;

/** Runs `script` with `sh -c`, `env` and a fake `kubectl` first on the PATH. */
export function runWithFakeKubectl(script: string, env: Record<string, string>, responses: readonly FakeResponse[]): ScriptRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-kubectl-'));
  try {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'kubectl'), FAKE_KUBECTL, { mode: 0o755 });
    const encode = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
    for (const r of responses) if (r.match.includes('\t')) throw new Error(`a pattern must not contain a tab: ${r.match}`);
    fs.writeFileSync(path.join(dir, 'responses'), responses.map((r) => `${r.match}\t${r.exit ?? 0}\t${encode(r.stdout ?? '')}\n`).join(''));
    const log = path.join(dir, 'calls');
    fs.writeFileSync(log, '');
    const r = spawnSync('/bin/sh', ['-c', script], {
      env: { ...env, PATH: `${bin}:/usr/bin:/bin`, FAKE_KUBECTL_LOG: log, FAKE_KUBECTL_RESPONSES: path.join(dir, 'responses') },
      encoding: 'utf8',
      timeout: 20_000,
    });
    const calls = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, calls };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The script and environment of a Job's first container (command `[/bin/sh, -c, script]`). */
export function jobScript(job: Record<string, any>): { script: string; env: Record<string, string> } {
  const c = job.spec.template.spec.containers[0];
  if (c.command?.[0] !== '/bin/sh' || c.command?.[1] !== '-c') throw new Error(`not a shell Job: ${JSON.stringify(c.command)}`);
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) if (typeof e.value === 'string') env[e.name] = e.value;
  return { script: c.command[2], env };
}
