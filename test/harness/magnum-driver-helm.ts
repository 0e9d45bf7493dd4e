/**
 * Helm run the way the Magnum CAPI Helm driver runs it (openstack/magnum-capi-helm 1.4.0 magnum_capi_helm/helm.py,
 * `Client.install_or_upgrade` and `Client._run`):
 *
 *     helm upgrade <release> <chart> --history-max 10 --install --output json --timeout 5m --values - \
 *          --namespace <namespace> [--repo <repo>] [--version <version>] [--kubeconfig <file>]
 *
 * with `json.dumps(values)` on stdin and stdout parsed as JSON. The one addition is `--dry-run=client`, so that no
 * cluster is needed: Helm keeps its release record in memory (`HELM_DRIVER=memory`) and asks a fake API server only
 * for its version and discovery (Helm 3.18 does even with a client dry run), which {@link fakeKubeApi} answers.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { HelmBinary, helmEnv, REPO_ROOT } from './helm';
import { parseHelmOutput } from './mini-chart';

/** A local stand-in for the Kubernetes API: `/version` and empty discovery, nothing else. */
export interface FakeKubeApi {
  /** A kubeconfig pointing at it (what `[capi_helm] kubeconfig_file` would be). */
  readonly kubeconfig: string;
  /** Every request path it got. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function fakeKubeApi(): Promise<FakeKubeApi> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(`${req.method} ${url}`);
    res.setHeader('Content-Type', 'application/json');
    const at = url.split('?')[0];
    if (at === '/version') return res.end(JSON.stringify({ major: '1', minor: '34', gitVersion: 'v1.34.2', platform: 'linux/amd64' }));
    if (at === '/api') return res.end(JSON.stringify({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] }));
    if (at === '/apis') return res.end(JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] }));
    if (at === '/api/v1') return res.end(JSON.stringify({ kind: 'APIResourceList', groupVersion: 'v1', resources: [] }));
    res.statusCode = 404;
    return res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'magnum-fake-kube-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: fake, cluster: {server: "http://127.0.0.1:${(server.address() as AddressInfo).port}"}}]`,
    'contexts: [{name: fake, context: {cluster: fake, user: fake}}]',
    'users: [{name: fake, user: {}}]',
    'current-context: fake',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'releases.yaml'), '');
  return {
    kubeconfig,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      fs.rmSync(dir, { recursive: true, force: true });
    }),
  };
}

export interface DriverCall {
  readonly release: string;
  /** `[capi_helm] helm_chart_name`: a chart reference (a directory here, or a name with `repo`). */
  readonly chart: string;
  readonly namespace: string;
  /** `json.dumps(values)`: the bytes on stdin. */
  readonly stdin: string;
  /** `[capi_helm] helm_chart_repo` (the driver passes `--repo` only when it is not empty). */
  readonly repo?: string;
  /** The template's `capi_helm_chart_version` label, or `[capi_helm] default_helm_chart_version`. */
  readonly version?: string;
  readonly api: FakeKubeApi;
}

export interface DriverHelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The arguments Helm got, for the record. */
  readonly args: readonly string[];
}

/** The driver's argument list (helm.py `install_or_upgrade`, then `_run` appends `--kubeconfig`), plus `--dry-run=client`. */
export function driverArgs(call: Omit<DriverCall, 'stdin' | 'api'>, kubeconfig: string): string[] {
  return [
    'upgrade', call.release, call.chart, '--history-max', '10', '--install', '--output', 'json', '--timeout', '5m', '--values', '-',
    '--namespace', call.namespace,
    ...(call.repo ? ['--repo', call.repo] : []),
    ...(call.version ? ['--version', call.version] : []),
    '--kubeconfig', kubeconfig,
    '--dry-run=client',
  ];
}

/** Runs one Helm binary as the driver does. */
export function driverHelm(helm: HelmBinary, call: DriverCall): Promise<DriverHelmResult> {
  const args = driverArgs(call, call.api.kubeconfig);
  const env = helmEnv({ HELM_DRIVER: 'memory', HELM_MEMORY_DRIVER_DATA: path.join(path.dirname(call.api.kubeconfig), 'releases.yaml') });
  return new Promise((resolve, reject) => {
    const child = spawn(helm.path, args, { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], timeout: 300_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), args }));
    child.stdin.end(call.stdin, 'utf8');
  });
}

/** What the driver reads of Helm's answer (`json.loads(stdout)`), and the rendered objects in its `manifest`. */
export function driverRelease(r: DriverHelmResult): { release: Record<string, any>; objects: Record<string, unknown>[] } {
  const release = JSON.parse(r.stdout) as Record<string, any>;
  return { release, objects: parseHelmOutput(String(release.manifest ?? '')) };
}
