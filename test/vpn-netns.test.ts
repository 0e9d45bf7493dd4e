/**
 * Opt-in (`VPN_NETNS_TEST=1`, as root, with `/dev/net/tun`, `openvpn`, `iptables-nft`, `ip`, `openssl`, `curl` and
 * `setpriv`): the generated OpenVPN configuration and scripts of both sides, run for real in three network
 * namespaces made by this test — `cp` (the control plane pod, on a "management" link), `srv` (the tenant's server
 * pod, with its `eth0` on the tenant pod network) and `pod` (a tenant pod with an HTTP server). Both OpenVPN
 * processes run as root with only CAP_NET_ADMIN in their bounding set and no_new_privs, as the containers do
 * (`drop: [ALL]`, `add: [NET_ADMIN]`, `allowPrivilegeEscalation: false`). The certificates are made here with
 * openssl the way cert-manager issues them (ECDSA P-256, CN and EKU as the Certificates ask); the server's pki files
 * come from the tenant chart's rendered Secret. Only paths are rewritten (into temp directories) and the one busybox
 * applet is stood in for.
 *
 * What it shows: the tunnel comes up with mutual TLS, tls-crypt and the name checks; the control plane pod reaches a
 * tenant pod through it, seen with the server pod's address; the tenant side cannot open a connection into the
 * control plane pod; when the server goes away, connections to the tenant fail at once (the unreachable route)
 * and the tunnel comes back with the server. What it cannot show: the images, Kamaji, Kubernetes, Services,
 * Octavia. Not run in CI (it needs root and changes nothing outside its namespaces).
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IP_FORWARD_COMMAND, TOOLS } from '../src/constructs/vpn/openvpn-config';
import { coalesceValues, evaluateChart } from '../src/expr';
import { renderChart } from '../src/render';
import { K8sObject } from './harness/objects';
import { disposeVpnMiniChart, VPN_MINI_DEFAULTS, vpnMiniChart, vpnOn } from './harness/vpn';

const TOOLS_NEEDED = ['openvpn', 'iptables-nft', 'ip', 'openssl', 'curl', 'setpriv', 'node'];
const missing = TOOLS_NEEDED.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const reasons = [
  process.env.VPN_NETNS_TEST === '1' ? '' : 'VPN_NETNS_TEST=1 not set',
  process.getuid?.() === 0 ? '' : 'not root',
  fs.existsSync('/dev/net/tun') ? '' : 'no /dev/net/tun',
  missing.length === 0 ? '' : `missing ${missing.join(', ')}`,
].filter((r) => r !== '');
const suite = reasons.length === 0 ? describe : describe.skip;

const ID = `${process.pid}`;
const NS = { cp: `vpn-cp-${ID}`, srv: `vpn-srv-${ID}`, pod: `vpn-pod-${ID}` };
const SERVER_ADDRESS = '172.31.255.2';

function sh(command: string, allowFail = false): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-c', command], { encoding: 'utf8', timeout: 30_000 });
  if (!allowFail && r.status !== 0) throw new Error(`${command}: exit ${r.status}\n${r.stderr}`);
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const inNs = (ns: string, command: string, allowFail = false) => sh(`ip netns exec ${ns} ${command}`, allowFail);

async function waitFor(what: () => boolean, label: string, logs: () => string, seconds = 40): Promise<void> {
  for (let i = 0; i < seconds * 10 && !what(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!what()) throw new Error(`timed out waiting for ${label}\n${logs()}`);
}

/** A CA and two leaves as cert-manager issues them for the VPN (EC keys in SEC1 PEM, as cert-manager writes ECDSA keys). */
function makePki(dir: string): void {
  const ossl = (args: string) => sh(`cd ${dir} && openssl ${args}`);
  ossl('ecparam -genkey -name prime256v1 -noout -out ca.key');
  ossl('req -x509 -new -key ca.key -sha256 -days 1 -subj /CN=tenant-cluster-vpn-ca -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out ca.crt');
  for (const [name, cn, eku] of [['server', 'tenant-cluster-vpn-server', 'serverAuth'], ['client', 'tenant-cluster-vpn-client', 'clientAuth']]) {
    ossl(`ecparam -genkey -name prime256v1 -noout -out ${name}.key`);
    ossl(`req -new -key ${name}.key -subj /CN=${cn} -out ${name}.csr`);
    fs.writeFileSync(path.join(dir, `${name}.ext`), `keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=${eku}\n`);
    ossl(`x509 -req -in ${name}.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -sha256 -extfile ${name}.ext -out ${name}.crt`);
  }
  sh(`openvpn --genkey tls-crypt ${dir}/tls-crypt.key`);
}

suite(`OpenVPN in network namespaces (opt-in${reasons.length ? `; skipped: ${reasons.join(', ')}` : ''})`, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vpn-netns-'));
  const client = path.join(root, 'client');
  const server = path.join(root, 'server');
  const pki = path.join(root, 'pki');
  const children: ChildProcess[] = [];
  const output: Record<string, string> = {};
  const logs = () => Object.entries(output).map(([k, v]) => `--- ${k}\n${v.slice(-3000)}`).join('\n');
  let serverProcess: ChildProcess | undefined;

  /** Config files with the container paths moved into a directory; the busybox applet stood in for. */
  const place = (dir: string, files: Record<string, string>, into: string) => {
    fs.mkdirSync(path.join(dir, into), { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      const moved = text.split('/etc/vpn/').join(`${dir}/etc/vpn/`).split('/run/vpn').join(`${dir}/run/vpn`).split(TOOLS.busybox).join(`${root}/busybox`);
      fs.writeFileSync(path.join(dir, into, name), moved);
    }
  };
  const start = (name: string, ns: string, command: string[]) => {
    const child = spawn('ip', ['netns', 'exec', ns, 'setpriv', '--bounding-set', '-all,+net_admin', '--no-new-privs', ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
    output[name] = '';
    child.stdout!.on('data', (d) => { output[name] += String(d); });
    child.stderr!.on('data', (d) => { output[name] += String(d); });
    children.push(child);
    return child;
  };
  const startServer = () => {
    serverProcess = start(`server ${children.length}`, NS.srv, [TOOLS.openvpn, '--config', `${server}/etc/vpn/config/server.conf`]);
  };
  const tunnelState = () => (fs.existsSync(`${client}/run/vpn/tunnel`) ? fs.readFileSync(`${client}/run/vpn/tunnel`, 'utf8').trim() : '');
  const get = (url: string) => inNs(NS.cp, `curl -s -o - -w ' %{http_code}' --max-time 5 ${url}`, true);

  beforeAll(async () => {
    fs.mkdirSync(pki);
    makePki(pki);
    fs.writeFileSync(`${root}/busybox`, '#!/bin/sh\n[ "$1" = sleep ] && exec sleep "$2"\nexit 1\n', { mode: 0o755 });

    // The management side as phase 2 renders it: a KubeVirt tenant whose control plane dials SERVER_ADDRESS.
    const objects = evaluateChart(vpnMiniChart().templates, {
      values: coalesceValues(VPN_MINI_DEFAULTS, vpnOn({ endpoint: { host: SERVER_ADDRESS }, tlsCrypt: { secretName: 'acme-vpn-tls-crypt' } })),
      release: { name: 'acme', namespace: 'tenant-acme' },
      chart: { name: 'mini', version: '0.1.0' },
    }) as K8sObject[];
    place(client, objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'acme-vpn-client')!.data, 'etc/vpn/config');
    fs.mkdirSync(`${client}/etc/vpn/pki`, { recursive: true });
    fs.mkdirSync(`${client}/etc/vpn/tls-crypt`, { recursive: true });
    fs.copyFileSync(`${pki}/client.crt`, `${client}/etc/vpn/pki/tls.crt`);
    fs.copyFileSync(`${pki}/client.key`, `${client}/etc/vpn/pki/tls.key`);
    fs.copyFileSync(`${pki}/ca.crt`, `${client}/etc/vpn/pki/ca.crt`);
    fs.copyFileSync(`${pki}/tls-crypt.key`, `${client}/etc/vpn/tls-crypt/tls-crypt.key`);
    fs.mkdirSync(`${client}/run/vpn`, { recursive: true });

    // The tenant side: the chart rendered with the HelmRelease's values plus what valuesFrom injects.
    const release = objects.find((o) => o.kind === 'HelmRelease')!;
    const read = (f: string) => fs.readFileSync(`${pki}/${f}`, 'utf8');
    const tenant = renderChart('tenant-vpn-server', {
      ...release.spec.values,
      pki: { ca: read('ca.crt'), certificate: read('server.crt'), privateKey: read('server.key'), tlsCrypt: read('tls-crypt.key') },
    }, { release: 'vpn', namespace: 'tenant-vpn' }) as K8sObject[];
    place(server, tenant.find((o) => o.kind === 'ConfigMap')!.data, 'etc/vpn/config');
    const secret = tenant.find((o) => o.kind === 'Secret')!;
    place(server, Object.fromEntries(Object.entries<string>(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])), 'etc/vpn/pki');
    fs.mkdirSync(`${server}/run/vpn`, { recursive: true });

    for (const ns of Object.values(NS)) sh(`ip netns add ${ns} && ip -n ${ns} link set lo up`);
    sh(`ip link add vcp${ID} netns ${NS.cp} type veth peer name vmg${ID} netns ${NS.srv}`);
    sh(`ip -n ${NS.cp} link set vcp${ID} name eth0 && ip -n ${NS.cp} addr add 172.31.255.1/30 dev eth0 && ip -n ${NS.cp} link set eth0 up`);
    sh(`ip -n ${NS.srv} addr add ${SERVER_ADDRESS}/30 dev vmg${ID} && ip -n ${NS.srv} link set vmg${ID} up`);
    sh(`ip link add vsv${ID} netns ${NS.srv} type veth peer name vpd${ID} netns ${NS.pod}`);
    sh(`ip -n ${NS.srv} link set vsv${ID} name eth0 && ip -n ${NS.srv} addr add 10.243.1.1/24 dev eth0 && ip -n ${NS.srv} link set eth0 up`);
    sh(`ip -n ${NS.pod} link set vpd${ID} name eth0 && ip -n ${NS.pod} addr add 10.243.1.2/24 dev eth0 && ip -n ${NS.pod} link set eth0 up`);
    // The server pod's init container, as rendered.
    inNs(NS.srv, IP_FORWARD_COMMAND.map((a) => `'${a}'`).join(' '));

    const web = spawn('ip', ['netns', 'exec', NS.pod, 'node', '-e',
      'require("http").createServer((q, r) => r.end(q.socket.remoteAddress)).listen(8080, "10.243.1.2")'], { stdio: 'ignore' });
    children.push(web);
    const listener = spawn('ip', ['netns', 'exec', NS.cp, 'node', '-e',
      'require("http").createServer((q, r) => r.end("reached the control plane pod")).listen(9999, "0.0.0.0")'], { stdio: 'ignore' });
    children.push(listener);
    startServer();
    start('client', NS.cp, [TOOLS.shell, `${client}/etc/vpn/config/start.sh`]);
    await waitFor(() => tunnelState() === 'up', 'the tunnel', logs);
  }, 120_000);

  afterAll(() => {
    for (const c of children.reverse()) if (c.exitCode === null && c.pid) { try { process.kill(c.pid, 'SIGTERM'); } catch { /* gone */ } }
    for (const ns of Object.values(NS)) sh(`ip netns del ${ns}`, true);
    fs.rmSync(root, { recursive: true, force: true });
    disposeVpnMiniChart();
  });

  test('the control plane pod reaches a tenant pod through the tunnel, seen with the server pod\'s address', () => {
    expect(get('http://10.243.1.2:8080/').stdout).toBe('10.243.1.1 200');
    const routes = inNs(NS.cp, 'ip route show').stdout;
    expect(routes).toMatch(/^10\.243\.0\.0\/16 dev tun0 .*metric 100/m);
    expect(routes).toMatch(/^10\.95\.0\.0\/16 dev tun0 .*metric 100/m);
    expect(routes).toMatch(/^unreachable 10\.243\.0\.0\/16 .*metric 4000/m);
  });

  test('mutual TLS with the generated names, AEAD cipher, tls-crypt; the server lists the client', async () => {
    expect(output.client).toContain('Initialization Sequence Completed');
    expect(output.client).toMatch(/VERIFY OK: depth=0, CN=tenant-cluster-vpn-server/);
    expect(output.client).toMatch(/Data Channel: cipher 'AES-256-GCM'/);
    // The status file is rewritten every few seconds.
    const listed = () => /^CLIENT_LIST,tenant-cluster-vpn-client,/m.test(fs.readFileSync(`${server}/run/vpn/status`, 'utf8'));
    await waitFor(listed, 'the server\'s status file to list the client', logs, 15);
    expect(fs.readFileSync(`${server}/run/vpn/tunnel`, 'utf8')).toBe('up\n');
    expect(spawnSync('sh', [`${client}/etc/vpn/config/alive.sh`, 'liveness']).status).toBe(0);
  });

  test('the tenant side cannot open a connection into the control plane pod', () => {
    const tunAddress = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(inNs(NS.cp, 'ip -4 addr show dev tun0').stdout)![1];
    // Sanity: the listener answers inside the pod.
    expect(inNs(NS.cp, 'curl -s --max-time 3 http://127.0.0.1:9999/').stdout).toBe('reached the control plane pod');
    const fromServer = inNs(NS.srv, `curl -s --max-time 3 http://${tunAddress}:9999/`, true);
    expect(fromServer.stdout).toBe('');
    expect(fromServer.status).not.toBe(0);
  });

  test('server gone: connections to the tenant fail at once (not a timeout); the tunnel comes back with the server', async () => {
    serverProcess!.kill('SIGTERM');
    await waitFor(() => tunnelState() === 'down', 'the client to notice', logs);
    const failed = get('http://10.243.1.2:8080/');
    // curl: 7 = failed to connect (the unreachable route), 28 would be a timeout.
    expect(failed.status).toBe(7);
    startServer();
    await waitFor(() => tunnelState() === 'up', 'the tunnel to come back', logs);
    expect(get('http://10.243.1.2:8080/').stdout).toBe('10.243.1.1 200');
  }, 120_000);
});

