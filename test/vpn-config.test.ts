/**
 * The OpenVPN side of `addons.vpn` without a network: the template functions (IPv4 arithmetic for OpenVPN's
 * `server` line, the routes, join, checksum, base64) agree between Go (Helm 3 and 4) and the evaluation backend and
 * give the known answers; and the scripts the containers run do exactly what they should, run by `/bin/sh` with an
 * empty PATH (so nothing but builtins and the absolute tool paths of the vpn2 images) against recording stubs of
 * `iptables-nft`, `ip`, `openvpn` and `busybox`: firewall before routes, every rule once, fail-closed, the tunnel
 * state, the probe, and an entrypoint that never exits on its own but stops on SIGTERM.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TemplateFunction } from '../src/expr';
import {
  ALIVE_SCRIPT, CLIENT_START_SCRIPT, CLIENT_UP_SCRIPT, DOWN_SCRIPT, SERVER_UP_SCRIPT, TOOLS,
} from '../src/constructs/vpn/openvpn-config';
import { BASE64, CHECKSUM, IPV4_HOST_BITS_SET, IPV4_NETMASK, IPV4_NETWORK_ADDRESS, JOIN, VPN_ROUTES } from '../src/constructs/vpn/vpn-functions';
import { helmRaw, parseHelmOutput, valuesJson } from './harness/mini-chart';

/** Each function's Go answer for each argument list, per Helm binary (results as JSON text through `toJson`). */
async function goAnswers(fn: TemplateFunction, inputs: readonly unknown[][]): Promise<Array<{ name: string; outputs: unknown[] }>> {
  const args = fn.props.params.map((p, i) => `${JSON.stringify(p)} (index $in ${i})`).join(' ');
  const call = `include ${JSON.stringify(fn.name)} (dict ${args})`;
  const print = fn.props.result === 'list' || fn.props.result === 'map' ? call : `${call} | toJson`;
  const template = [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: oracle}', 'data:',
    '{{- range $i, $in := .Values.inputs }}',
    `  o{{ $i }}: {{ ${print} | b64enc | quote }}`,
    '{{- end }}', '',
  ].join('\n');
  const outs = await helmRaw({ '_helpers.tpl': fn.goDefine(), 'oracle.yaml': template }, valuesJson({ inputs }));
  return outs.map(({ name, stdout }) => {
    const data = (parseHelmOutput(stdout)[0]?.data ?? {}) as Record<string, string>;
    return { name, outputs: inputs.map((_, i) => {
      const text = Buffer.from(data[`o${i}`] ?? '', 'base64').toString('utf8');
      if (fn.props.result === 'bool') return text === '"true"';
      return JSON.parse(text);
    }) };
  });
}

async function expectGoAgrees(fn: TemplateFunction, inputs: readonly unknown[][], expected: readonly unknown[]): Promise<void> {
  const inProcess = inputs.map((args) => fn.props.evaluate(...args));
  expect(inProcess).toEqual(expected);
  for (const { name, outputs } of await goAnswers(fn, inputs)) expect({ engine: name, outputs }).toEqual({ engine: name, outputs: expected });
}

const CIDRS = ['10.255.255.0/24', '10.255.0.0/16', '10.255.255.248/29', '10.255.255.7/24', '192.168.1.128/25', '172.16.5.4/20', '0.0.0.0/0', '255.255.255.255/32'];

describe('template functions: Go (Helm 3 and 4) and in-process give the known answers', () => {
  test('ipv4Netmask', async () => {
    await expectGoAgrees(IPV4_NETMASK, CIDRS.map((c) => [c]),
      ['255.255.255.0', '255.255.0.0', '255.255.255.248', '255.255.255.0', '255.255.255.128', '255.255.240.0', '0.0.0.0', '255.255.255.255']);
  });

  test('ipv4NetworkAddress', async () => {
    await expectGoAgrees(IPV4_NETWORK_ADDRESS, CIDRS.map((c) => [c]),
      ['10.255.255.0', '10.255.0.0', '10.255.255.248', '10.255.255.0', '192.168.1.128', '172.16.0.0', '0.0.0.0', '255.255.255.255']);
  });

  test('ipv4HostBitsSet', async () => {
    await expectGoAgrees(IPV4_HOST_BITS_SET, CIDRS.map((c) => [c]), [false, false, false, true, false, true, false, false]);
  });

  test('vpnRoutes: pods, services, the node network when routed and given, then the extra routes in order', async () => {
    await expectGoAgrees(VPN_ROUTES, [
      ['10.243.0.0/16', '10.95.0.0/16', '', true, []],
      ['10.243.0.0/16', '10.95.0.0/16', '10.20.0.0/24', true, ['192.168.0.0/16', '172.30.0.0/16']],
      ['10.243.0.0/16', '10.95.0.0/16', '10.20.0.0/24', false, ['192.168.0.0/16']],
      ['10.243.0.0/16', '10.95.0.0/16', '', false, null],
    ], [
      ['10.243.0.0/16', '10.95.0.0/16'],
      ['10.243.0.0/16', '10.95.0.0/16', '10.20.0.0/24', '192.168.0.0/16', '172.30.0.0/16'],
      ['10.243.0.0/16', '10.95.0.0/16', '192.168.0.0/16'],
      ['10.243.0.0/16', '10.95.0.0/16'],
    ]);
  });

  test('join', async () => {
    await expectGoAgrees(JOIN, [[' ', ['a', 'b', 'c']], [' ', []], [',', ['x']]], ['a b c', '', 'x']);
  });

  test('checksum: Go\'s toJson (sorted keys, <>& and U+2028 escaped) then sha256, 8 characters', async () => {
    const inputs = [[{ b: 'x', a: 'y' }], [{ 'client.conf': 'remote a <b> & c\u2028\n', routes: '10.0.0.0/8\n' }], [{}]];
    const inProcess = inputs.map(([d]) => CHECKSUM.props.evaluate(d) as string);
    for (const h of inProcess) expect(h).toMatch(/^[0-9a-f]{8}$/);
    expect(new Set(inProcess).size).toBe(3);
    await expectGoAgrees(CHECKSUM, inputs, inProcess);
  });

  test('base64', async () => {
    await expectGoAgrees(BASE64, [['-----BEGIN CERTIFICATE-----\nÄ\n'], ['']], [Buffer.from('-----BEGIN CERTIFICATE-----\nÄ\n').toString('base64'), '']);
  });
});

// ---------------------------------------------------------------------------------------------
// The scripts, under recording stubs
// ---------------------------------------------------------------------------------------------

const STUBS: Record<string, string> = {
  // A rule exists once appended; `-C` answers from that state, like iptables.
  'iptables-nft': `#!/bin/sh
PATH=/usr/bin:/bin
echo "iptables $*" >> "$CALLS"
case " $* " in
  *" -C "*) key=$(echo " $* " | sed 's/ -C / /'); grep -qxF -- "$key" "$RULES" 2>/dev/null && exit 0; echo "iptables: Bad rule" >&2; exit 1;;
  *" -A "*) [ -z "$IPTABLES_FAIL" ] || { echo "iptables: failed" >&2; exit 4; }; echo " $* " | sed 's/ -A / /' >> "$RULES";;
esac
exit 0
`,
  'ip': `#!/bin/sh
echo "ip $*" >> "$CALLS"
`,
  // First run exits at once (as after a failing up script), later runs wait to be terminated.
  'openvpn': `#!/bin/sh
PATH=/usr/bin:/bin
echo "openvpn $*" >> "$CALLS"
if [ ! -e "$STATE/openvpn-ran" ]; then : > "$STATE/openvpn-ran"; exit 1; fi
trap 'echo "openvpn terminated" >> "$CALLS"; exit 0' TERM
while :; do sleep 0.1; done
`,
  'busybox': `#!/bin/sh
echo "busybox $*" >> "$CALLS"
exec /bin/sleep 0.2
`,
};

interface Sandbox {
  readonly dir: string;
  readonly calls: string;
  /** A script with the container paths rewritten into the sandbox. */
  script(text: string): string;
  /** Lines of the calls log, without the sandbox prefix. */
  log(): string[];
  read(file: string): string | undefined;
  env: NodeJS.ProcessEnv;
}

function sandbox(routes: string, network = '10.255.255.0/24'): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vpn-scripts-'));
  for (const d of ['bin', 'etc/vpn/config', 'run/vpn', 'state']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  for (const [name, text] of Object.entries(STUBS)) fs.writeFileSync(path.join(dir, 'bin', name), text, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'etc/vpn/config/routes'), routes);
  fs.writeFileSync(path.join(dir, 'etc/vpn/config/network'), `${network}\n`);
  const calls = path.join(dir, 'calls');
  fs.writeFileSync(calls, '');
  const rewrite = (text: string) => text
    .split(TOOLS.iptables).join(`${dir}/bin/iptables-nft`)
    .split(TOOLS.openvpn).join(`${dir}/bin/openvpn`)
    .split(TOOLS.busybox).join(`${dir}/bin/busybox`)
    .split(TOOLS.ip).join(`${dir}/bin/ip`)
    .split('/etc/vpn/').join(`${dir}/etc/vpn/`)
    .split('/run/vpn').join(`${dir}/run/vpn`);
  let n = 0;
  return {
    dir,
    calls,
    script: (text) => {
      const file = path.join(dir, `script-${n++}.sh`);
      fs.writeFileSync(file, rewrite(text));
      return file;
    },
    log: () => fs.readFileSync(calls, 'utf8').split('\n').filter((l) => l !== '').map((l) => l.split(`${dir}/`).join('/')),
    read: (file) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), 'utf8') : undefined),
    // No PATH: the scripts may use builtins and absolute paths only (the images have no applet links).
    env: { PATH: '', CALLS: calls, RULES: path.join(dir, 'state/rules'), STATE: path.join(dir, 'state') },
  };
}

const sandboxes: Sandbox[] = [];
function newSandbox(routes: string, network?: string): Sandbox {
  const s = sandbox(routes, network);
  sandboxes.push(s);
  return s;
}
afterAll(() => sandboxes.forEach((s) => fs.rmSync(s.dir, { recursive: true, force: true })));

function run(s: Sandbox, script: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  return spawnSync('/bin/sh', [s.script(script), ...args], { env: { ...s.env, ...extraEnv }, encoding: 'utf8', timeout: 20_000 });
}

describe('client up.sh', () => {
  const firewall = [
    'INPUT -i tun0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    'INPUT -i tun0 -j DROP',
    'FORWARD -i tun0 -j DROP',
  ];

  test('firewall first (each rule checked, then added), then the routes, then the state "up"', () => {
    const s = newSandbox('10.243.0.0/16 10.95.0.0/16\n');
    const r = run(s, CLIENT_UP_SCRIPT, ['tun0', '1500', '0', '10.255.255.2', '255.255.255.0', 'init']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(s.log()).toEqual([
      ...firewall.flatMap((rule) => [`iptables -C ${rule}`, `iptables -A ${rule}`]),
      'ip route replace 10.243.0.0/16 dev tun0 metric 100',
      'ip route replace 10.95.0.0/16 dev tun0 metric 100',
    ]);
    expect(s.read('run/vpn/tunnel')).toBe('up\n');
  });

  test('a second run (a reconnect, or a restarted container in the same pod) adds no rule twice', () => {
    const s = newSandbox('10.243.0.0/16 10.95.0.0/16\n');
    run(s, CLIENT_UP_SCRIPT, ['tun0']);
    fs.writeFileSync(s.calls, '');
    const r = run(s, CLIENT_UP_SCRIPT, ['tun0']);
    expect(r.status).toBe(0);
    expect(s.log().filter((l) => l.startsWith('iptables -A'))).toEqual([]);
    expect(s.log().filter((l) => l.startsWith('iptables -C'))).toHaveLength(3);
    expect(fs.readFileSync(s.env.RULES!, 'utf8').split('\n').filter((l) => l !== '')).toHaveLength(3);
  });

  test('fail-closed: when the firewall cannot be installed, no route and no "up", and OpenVPN gets a non-zero exit', () => {
    const s = newSandbox('10.243.0.0/16 10.95.0.0/16\n');
    const r = run(s, CLIENT_UP_SCRIPT, ['tun0'], { IPTABLES_FAIL: '1' });
    expect(r.status).not.toBe(0);
    expect(s.log().filter((l) => l.startsWith('ip '))).toEqual([]);
    expect(s.read('run/vpn/tunnel')).toBeUndefined();
  });

  test('down.sh: the state "down"', () => {
    const s = newSandbox('10.243.0.0/16\n');
    run(s, CLIENT_UP_SCRIPT, ['tun0']);
    expect(run(s, DOWN_SCRIPT, ['tun0']).status).toBe(0);
    expect(s.read('run/vpn/tunnel')).toBe('down\n');
  });
});

describe('server up.sh', () => {
  test('masquerade, MSS clamp, forward only to the routes, nothing into the tunnel, every rule once', () => {
    const s = newSandbox('10.243.0.0/16 10.95.0.0/16 10.20.0.0/24\n');
    const r = run(s, SERVER_UP_SCRIPT, ['tun0']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    const added = s.log().filter((l) => l.startsWith('iptables -t')).filter((_, i) => i % 2 === 1);
    expect(added).toEqual([
      'iptables -t nat -A POSTROUTING -s 10.255.255.0/24 -o eth0 -j MASQUERADE',
      'iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu',
      'iptables -t filter -A FORWARD -i tun0 -d 10.243.0.0/16 -j ACCEPT',
      'iptables -t filter -A FORWARD -i tun0 -d 10.95.0.0/16 -j ACCEPT',
      'iptables -t filter -A FORWARD -i tun0 -d 10.20.0.0/24 -j ACCEPT',
      'iptables -t filter -A FORWARD -i tun0 -j DROP',
      'iptables -t filter -A FORWARD -o tun0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
      'iptables -t filter -A FORWARD -o tun0 -j DROP',
      'iptables -t filter -A INPUT -i tun0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
      'iptables -t filter -A INPUT -i tun0 -j DROP',
    ]);
    expect(s.read('run/vpn/tunnel')).toBe('up\n');
    fs.writeFileSync(s.calls, '');
    expect(run(s, SERVER_UP_SCRIPT, ['tun0']).status).toBe(0);
    expect(s.log().filter((l) => l.includes(' -A '))).toEqual([]);
  });
});

describe('alive.sh (the probes)', () => {
  test('fails without a status file; then passes while OpenVPN rewrites it, fails when it stalls; each probe has its own mark', () => {
    const s = newSandbox('10.243.0.0/16\n');
    const probe = (which: string) => run(s, ALIVE_SCRIPT, [which]).status;
    const status = path.join(s.dir, 'run/vpn/status');
    expect(probe('liveness')).toBe(1);
    fs.writeFileSync(status, 'OpenVPN STATISTICS\n');
    const t0 = Date.now() / 1000 - 100;
    fs.utimesSync(status, t0, t0);
    expect(probe('liveness')).toBe(0);
    expect(probe('readiness')).toBe(0);
    // Marks are now newer than the status file: nothing was rewritten since.
    expect(probe('liveness')).toBe(1);
    expect(probe('readiness')).toBe(1);
    // OpenVPN rewrites the file: both pass again, once.
    const later = Date.now() / 1000 + 10;
    fs.utimesSync(status, later, later);
    expect(probe('liveness')).toBe(0);
    expect(probe('readiness')).toBe(0);
  });
});

describe('client start.sh (the sidecar\'s entrypoint)', () => {
  test('unreachable routes first; OpenVPN restarted when it exits (heartbeat written); SIGTERM stops both, exit 0', async () => {
    const s = newSandbox('10.243.0.0/16 10.95.0.0/16\n');
    const child = spawn('/bin/sh', [s.script(CLIENT_START_SCRIPT)], { env: s.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const waitFor = async (what: () => boolean, label: string) => {
      for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 50));
      if (!what()) throw new Error(`timed out waiting for ${label}; calls:\n${s.log().join('\n')}`);
    };
    await waitFor(() => s.log().filter((l) => l.startsWith('openvpn --config')).length === 2, 'the second OpenVPN run');
    expect(s.log()).toEqual([
      'ip route replace unreachable 10.243.0.0/16 metric 4000',
      'ip route replace unreachable 10.95.0.0/16 metric 4000',
      'openvpn --config /etc/vpn/config/client.conf',
      'busybox sleep 10',
      'openvpn --config /etc/vpn/config/client.conf',
    ]);
    expect(stderr).toContain('openvpn exited with status 1; starting it again in 10 seconds');
    expect(s.read('run/vpn/status')).toBe('restarting\n');
    expect(s.read('run/vpn/tunnel')).toBe('down\n');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await waitFor(() => s.log().includes('openvpn terminated'), 'OpenVPN to be terminated');
    expect(s.read('run/vpn/tunnel')).toBe('down\n');
  });
});
