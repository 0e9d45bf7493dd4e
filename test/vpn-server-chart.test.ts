/**
 * The `tenant-vpn-server` chart (the tenant side of `addons.vpn`): Helm 3 and Helm 4 render what the evaluation
 * backend renders for hand-picked cases and for generated values; every object passes its schema; the generated
 * `server.conf` (network, port, keepalive, TLS settings, certificate paths — each backed by the pki Secret or the
 * ConfigMap), the Deployment (restricted container but for NET_ADMIN and UID 0, a privileged init container for
 * IPv4 forwarding, probes that do not wait for clients), the Service for each provider; bad values are refused
 * naming the value path; the generated chart files.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { TENANT_VPN_SERVER_CHART } from '../src/charts/tenant-vpn-server';
import { TENANT_VPN_SERVER_DEFAULTS } from '../src/charts/tenant-vpn-server/defaults';
import { CLIENT_COMMON_NAME, DATA_CIPHERS } from '../src/constructs/vpn/openvpn-config';
import { RenderError, renderChart, validateValues, ValuesError } from '../src/render';
import { helmBinaries, helmLint, helmTemplate, runHelmAsync, withTempDirAsync } from './harness/helm';
import { parseHelmOutput } from './harness/mini-chart';
import { byKey, K8sObject } from './harness/objects';
import { params } from './harness/properties';
import { formatErrors, parseManifests, validateObjectsReport } from './harness/validate';
import { directive, directives, fileProblems, PLACEHOLDER_PKI, referencedFiles } from './harness/vpn';

const ROOT = path.resolve(__dirname, '..');
const CHART_NAME = 'tenant-vpn-server';
const CHART = path.join(ROOT, 'charts', CHART_NAME);
const RELEASE = { release: 'vpn', namespace: 'tenant-vpn' };
// As `openvpn --genkey tls-crypt` writes it (2.6.14): comment lines first.
const TLS_CRYPT = '#\n# 2048 bit OpenVPN static key\n#\n-----BEGIN OpenVPN Static key V1-----\n00112233445566778899aabbccddeeff\n-----END OpenVPN Static key V1-----\n';

/** Value documents that between them turn every option on and off (pki always set, as Flux does). */
const CASES: Record<string, Record<string, unknown>> = {
  // What the tenant-cluster chart passes on KubeVirt (test/vpn-management.test.ts renders it).
  'tenant-cluster HelmRelease, KubeVirt': {
    image: 'europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-server:0.51.0',
    replicas: 2,
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
    network: '10.255.255.0/24',
    routes: ['10.243.0.0/16', '10.95.0.0/16'],
    pingRestartSeconds: 60,
    clientCommonName: CLIENT_COMMON_NAME,
    service: { type: 'NodePort', port: 1194, nodePort: 31194, loadBalancerIP: '', loadBalancerSourceRanges: [], annotations: {} },
    pki: PLACEHOLDER_PKI,
  },
  'OpenStack: LoadBalancer on a floating IP, source ranges, annotations, tls-crypt, node routes': {
    routes: ['10.243.0.0/16', '10.95.0.0/16', '10.20.0.0/24'],
    service: {
      type: 'LoadBalancer', port: 443, loadBalancerIP: '203.0.113.10', loadBalancerSourceRanges: ['198.51.100.0/24', '192.0.2.0/28'],
      annotations: { 'loadbalancer.openstack.org/keep-floatingip': 'true' },
    },
    pki: { ...PLACEHOLDER_PKI, tlsCrypt: TLS_CRYPT },
  },
  'every option flipped': {
    nameOverride: 'openvpn',
    fullnameOverride: 'tunnel',
    image: `mirror.example.com/gardener/vpn-server@sha256:${'ab'.repeat(32)}`,
    replicas: 1,
    resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '1', memory: '128Mi' } },
    initResources: { limits: { memory: '24Mi' } },
    network: '10.255.255.248/29',
    routes: ['10.243.0.0/16'],
    pingRestartSeconds: 120,
    clientCommonName: 'other-client',
    service: { type: 'LoadBalancer', nodePort: 30000 },
    priorityClassName: '',
    pki: PLACEHOLDER_PKI,
  },
};
const KUBEVIRT = CASES['tenant-cluster HelmRelease, KubeVirt'];
const OPENSTACK = CASES['OpenStack: LoadBalancer on a floating IP, source ranges, annotations, tls-crypt, node routes'];

const render = (values: unknown, release = RELEASE) => renderChart(CHART_NAME, values, release) as K8sObject[];
const one = (objects: K8sObject[], kind: string) => {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};
const pod = (objects: K8sObject[]) => one(objects, 'Deployment').spec.template;
const serverConf = (objects: K8sObject[]): string => one(objects, 'ConfigMap').data['server.conf'];

describe.each(helmBinaries().map((h) => [h.name, h] as const))('%s', (_name, helm) => {
  test('helm lint --strict with the values tenant-cluster passes', () => {
    const r = helmLint(helm, CHART, { strict: true, namespace: RELEASE.namespace, values: KUBEVIRT });
    expect(r.stderr + r.stdout).toContain('0 chart(s) failed');
  });

  test.each(Object.keys(CASES))('%s: template ≡ evaluation backend, schema-valid, nothing skipped', (name) => {
    const r = helmTemplate(helm, CHART, { ...RELEASE, values: CASES[name] });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const fromHelm = parseManifests(r.stdout) as K8sObject[];
    expect(fromHelm).toHaveLength(6);
    expect(byKey(render(CASES[name]))).toEqual(byKey(fromHelm));
    const report = validateObjectsReport(fromHelm, 'v1beta1');
    expect(formatErrors(report.errors)).toBe('');
    expect(report.skipped).toEqual([]);
  });

  test('--set integers (int64 in Helm) render like the same values from a file', () => {
    const r = helmTemplate(helm, CHART, { ...RELEASE, values: KUBEVIRT, set: ['replicas=3', 'service.nodePort=30001', 'pingRestartSeconds=90'] });
    expect(r.stderr).toBe('');
    const fromFile = render({ ...KUBEVIRT, replicas: 3, service: { ...(KUBEVIRT.service as object), nodePort: 30001 }, pingRestartSeconds: 90 });
    expect(byKey(fromFile)).toEqual(byKey(parseManifests(r.stdout) as K8sObject[]));
  });

  test('the same values render byte-identical output twice', () => {
    const a = helmTemplate(helm, CHART, { ...RELEASE, values: OPENSTACK });
    const b = helmTemplate(helm, CHART, { ...RELEASE, values: OPENSTACK });
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('generated values: Helm 3 ≡ Helm 4 ≡ evaluation backend', () => {
  const octet = fc.integer({ min: 0, max: 255 });
  const network = fc.tuple(fc.integer({ min: 16, max: 29 }), octet, octet).map(([prefix, b, c]) => {
    const size = 2 ** (32 - prefix);
    const address = ((172 * 256 + 31) * 256 + b) * 256 + c;
    const base = address - (address % size);
    return `${[24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.')}/${prefix}`;
  });
  const route = fc.tuple(fc.integer({ min: 1, max: 126 }), octet, fc.integer({ min: 8, max: 30 })).map(([a, b, p]) => `${a}.${b}.0.0/${p}`);
  const valuesArb = fc.record({
    network,
    routes: fc.array(route, { minLength: 1, maxLength: 4 }),
    replicas: fc.integer({ min: 1, max: 5 }),
    pingRestartSeconds: fc.integer({ min: 30, max: 600 }),
    clientCommonName: fc.constantFrom(CLIENT_COMMON_NAME, 'cp', 'a.b-c'),
    fullnameOverride: fc.constantFrom('', 'vpn-x', `v${'x'.repeat(58)}`),
    priorityClassName: fc.constantFrom('', 'system-cluster-critical'),
    service: fc.record({
      type: fc.constantFrom('NodePort', 'LoadBalancer'),
      port: fc.integer({ min: 1, max: 65535 }),
      nodePort: fc.integer({ min: 30000, max: 32767 }),
      loadBalancerIP: fc.constantFrom('', '203.0.113.7'),
      loadBalancerSourceRanges: fc.constantFrom([], ['198.51.100.0/24']),
      annotations: fc.dictionary(fc.constantFrom('a.example.com/x', 'b'), fc.constantFrom('true', 'a "quoted" value', '{{ not a template }}')),
    }),
    pki: fc.record({
      ca: fc.constant(PLACEHOLDER_PKI.ca),
      certificate: fc.constant(PLACEHOLDER_PKI.certificate),
      privateKey: fc.constant(PLACEHOLDER_PKI.privateKey),
      tlsCrypt: fc.constantFrom('', TLS_CRYPT),
    }),
  });

  test('30 runs (rendered, or refused alike by every engine)', async () => {
    let rendered = 0;
    await fc.assert(fc.asyncProperty(valuesArb, async (values) => {
      let expected: K8sObject[] | string;
      try {
        expected = render(values);
      } catch (e) {
        if (!(e instanceof RenderError)) throw e;
        expected = e.message;
      }
      const results = await withTempDirAsync('tenant-vpn-server-property-', async (dir) => {
        const file = path.join(dir, 'values.json');
        fs.writeFileSync(file, JSON.stringify(values));
        return Promise.all(helmBinaries().map((h) => runHelmAsync(h, ['template', RELEASE.release, CHART, '--namespace', RELEASE.namespace, '-f', file])));
      });
      for (const r of results) {
        if (typeof expected === 'string') {
          expect(r.code).not.toBe(0);
          expect(r.stderr).toContain(expected);
        } else {
          expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
          expect(byKey(parseHelmOutput(r.stdout))).toEqual(byKey(expected));
        }
      }
      if (typeof expected !== 'string') rendered++;
    }), params(30));
    expect(rendered).toBeGreaterThan(10);
  }, 600_000);
});

describe('objects', () => {
  const objects = render(KUBEVIRT);

  test('the set: Deployment, Service, ConfigMap, pki Secret, ServiceAccount, PodDisruptionBudget, in the release namespace', () => {
    expect(Object.keys(byKey(objects))).toEqual([
      'apps/v1/Deployment/tenant-vpn/vpn',
      'policy/v1/PodDisruptionBudget/tenant-vpn/vpn',
      'v1/ConfigMap/tenant-vpn/vpn',
      'v1/Secret/tenant-vpn/vpn-pki',
      'v1/Service/tenant-vpn/vpn',
      'v1/ServiceAccount/tenant-vpn/vpn',
    ]);
  });

  test('server.conf: TCP on 1194, the transfer network, one client certificate for all replicas, keepalive, TLS, checks the client\'s name', () => {
    expect(directives(serverConf(objects))).toEqual([
      ['mode', 'server'], ['tls-server', ''], ['proto', 'tcp-server'], ['port', '1194'], ['dev', 'tun0'], ['topology', 'subnet'],
      ['server', '10.255.255.0 255.255.255.0'], ['duplicate-cn', ''], ['keepalive', '10 60'], ['dh', 'none'], ['remote-cert-tls', 'client'],
      ['data-ciphers', DATA_CIPHERS], ['tls-version-min', '1.2'],
      ['ca', '/etc/vpn/pki/ca.crt'], ['cert', '/etc/vpn/pki/tls.crt'], ['key', '/etc/vpn/pki/tls.key'],
      ['verify-x509-name', `${CLIENT_COMMON_NAME} name`],
      ['status', '/run/vpn/status 5'], ['status-version', '2'], ['script-security', '2'],
      ['up', '"/bin/sh /etc/vpn/config/up.sh"'], ['down', '"/bin/sh /etc/vpn/config/down.sh"'], ['verb', '3'],
    ]);
    // No routes pushed: clients carry their own; no client-to-client.
    expect(directives(serverConf(objects)).map(([n]) => n)).not.toEqual(expect.arrayContaining(['push']));
    expect(directives(serverConf(objects)).map(([n]) => n)).not.toContain('client-to-client');
    const flipped = serverConf(render(CASES['every option flipped']));
    expect(directive(flipped, 'server')).toBe('10.255.255.248 255.255.255.248');
    expect(directive(flipped, 'keepalive')).toBe('10 120');
    expect(directive(flipped, 'verify-x509-name')).toBe('other-client name');
  });

  test('routes and network files feed the up script; tls-crypt only with a key', () => {
    expect(one(objects, 'ConfigMap').data.routes).toBe('10.243.0.0/16 10.95.0.0/16\n');
    expect(one(objects, 'ConfigMap').data.network).toBe('10.255.255.0/24\n');
    expect(directives(serverConf(objects)).map(([n]) => n)).not.toContain('tls-crypt');
    const openstack = render(OPENSTACK);
    expect(directive(serverConf(openstack), 'tls-crypt')).toBe('/etc/vpn/pki/tls-crypt.key');
    expect(one(openstack, 'ConfigMap').data.routes).toBe('10.243.0.0/16 10.95.0.0/16 10.20.0.0/24\n');
  });

  test('every file the server reads or writes is on a mounted volume that provides it', () => {
    for (const values of [KUBEVIRT, OPENSTACK]) {
      const rendered = render(values);
      const spec = pod(rendered).spec;
      const container = spec.containers[0];
      const secret = one(rendered, 'Secret');
      const files = [
        ...referencedFiles(serverConf(rendered)).map((f) => ({ ...f, writable: f.directive === 'status' })),
        { directive: 'command', file: container.command[2] },
        { directive: 'readinessProbe', file: container.readinessProbe.exec.command[1] },
        { directive: 'livenessProbe', file: container.livenessProbe.exec.command[1] },
        { directive: 'up.sh network', file: '/etc/vpn/config/network' },
        { directive: 'up.sh routes', file: '/etc/vpn/config/routes' },
      ];
      expect(fileProblems(files, container, spec.volumes, { vpn: one(rendered, 'ConfigMap').data }, { [secret.metadata.name]: Object.keys(secret.data) })).toEqual([]);
    }
  });

  test('the pki Secret holds what valuesFrom injected, as data (base64); the tls-crypt key only when given', () => {
    const decode = (s: K8sObject) => Object.fromEntries(Object.entries<string>(s.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    expect(decode(one(objects, 'Secret'))).toEqual({ 'ca.crt': PLACEHOLDER_PKI.ca, 'tls.crt': PLACEHOLDER_PKI.certificate, 'tls.key': PLACEHOLDER_PKI.privateKey });
    expect(decode(one(render(OPENSTACK), 'Secret'))['tls-crypt.key']).toBe(TLS_CRYPT);
    expect(one(objects, 'Secret').type).toBe('Opaque');
  });

  test('Deployment: one server at a time, spread over nodes, critical, no API token', () => {
    const d = one(objects, 'Deployment');
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    const spec = pod(objects).spec;
    expect(spec.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: d.spec.selector.matchLabels } }]);
    expect(spec.priorityClassName).toBe('system-cluster-critical');
    expect(pod(render(CASES['every option flipped'])).spec.priorityClassName).toBeUndefined();
    expect(spec.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists' }]);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(one(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBe('vpn');
    expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'tenant-vpn-server', 'app.kubernetes.io/instance': 'vpn' });
    expect(pod(objects).metadata.labels).toEqual(d.spec.selector.matchLabels);
  });

  test('the server container: NET_ADMIN and UID 0, otherwise restricted; probes on the status file, not on clients', () => {
    const c = pod(objects).spec.containers[0];
    expect(c.command).toEqual(['/usr/sbin/openvpn', '--config', '/etc/vpn/config/server.conf']);
    expect(c.securityContext).toEqual({
      runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.ports).toEqual([{ name: 'openvpn', containerPort: 1194, protocol: 'TCP' }]);
    expect(c.readinessProbe).toEqual({ exec: { command: ['/bin/sh', '/etc/vpn/config/alive.sh', 'readiness'] }, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 2 });
    expect(c.livenessProbe).toEqual({ exec: { command: ['/bin/sh', '/etc/vpn/config/alive.sh', 'liveness'] }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 4, initialDelaySeconds: 30 });
    expect(pod(objects).spec.volumes[0]).toEqual({ name: 'dev-net-tun', hostPath: { path: '/dev/net/tun', type: 'CharDevice' } });
  });

  test('the init container: privileged, only to turn on IPv4 forwarding, with resources', () => {
    expect(pod(objects).spec.initContainers).toEqual([{
      name: 'ip-forward',
      image: KUBEVIRT.image,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward'],
      securityContext: { privileged: true, runAsUser: 0 },
      resources: { requests: { cpu: '5m', memory: '8Mi' }, limits: { memory: '16Mi' } },
    }]);
  });

  test.each(Object.keys(CASES))('%s: every container has cpu/memory requests, a memory limit and a pinned image', (name) => {
    const spec = pod(render(CASES[name])).spec;
    for (const c of [...spec.initContainers, ...spec.containers]) {
      expect({ name: c.name, requests: Object.keys(c.resources.requests).sort() }).toEqual({ name: c.name, requests: ['cpu', 'memory'] });
      expect({ name: c.name, memoryLimit: typeof c.resources.limits.memory }).toEqual({ name: c.name, memoryLimit: 'string' });
      expect(c.image).not.toMatch(/:latest$/);
    }
  });

  test('checksums roll the servers when the configuration or the certificate changes, not otherwise', () => {
    const annotations = (values: Record<string, unknown>) => pod(render(values)).metadata.annotations;
    const base = annotations(KUBEVIRT);
    expect(Object.keys(base).sort()).toEqual(['checksum/config', 'checksum/pki']);
    expect(annotations(KUBEVIRT)).toEqual(base);
    expect(annotations({ ...KUBEVIRT, routes: ['10.243.0.0/16'] })['checksum/config']).not.toBe(base['checksum/config']);
    expect(annotations({ ...KUBEVIRT, routes: ['10.243.0.0/16'] })['checksum/pki']).toBe(base['checksum/pki']);
    const renewed = annotations({ ...KUBEVIRT, pki: { ...PLACEHOLDER_PKI, certificate: PLACEHOLDER_PKI.certificate.replace('c2Vy', 'cmVu') } });
    expect(renewed['checksum/pki']).not.toBe(base['checksum/pki']);
    expect(renewed['checksum/config']).toBe(base['checksum/config']);
    expect(annotations({ ...KUBEVIRT, replicas: 3 })).toEqual(base);
  });

  test('Service: NodePort on KubeVirt; LoadBalancer with address, source ranges and annotations on OpenStack', () => {
    expect(one(objects, 'Service').spec).toEqual({
      type: 'NodePort',
      selector: one(objects, 'Deployment').spec.selector.matchLabels,
      externalTrafficPolicy: 'Cluster',
      ports: [{ name: 'openvpn', protocol: 'TCP', port: 1194, targetPort: 'openvpn', nodePort: 31194 }],
    });
    const lb = one(render(OPENSTACK), 'Service');
    expect(lb.metadata.annotations).toEqual({ 'loadbalancer.openstack.org/keep-floatingip': 'true' });
    expect(lb.spec).toMatchObject({ type: 'LoadBalancer', loadBalancerIP: '203.0.113.10', loadBalancerSourceRanges: ['198.51.100.0/24', '192.0.2.0/28'] });
    expect(lb.spec.ports[0]).toEqual({ name: 'openvpn', protocol: 'TCP', port: 443, targetPort: 'openvpn' });
    // NodePort: no load balancer fields even when set.
    const nodePort = one(render({ ...KUBEVIRT, service: { ...(KUBEVIRT.service as object), loadBalancerIP: '203.0.113.10', loadBalancerSourceRanges: ['198.51.100.0/24'] } }), 'Service');
    expect(nodePort.spec.loadBalancerIP).toBeUndefined();
    expect(nodePort.spec.loadBalancerSourceRanges).toBeUndefined();
  });

  test('PodDisruptionBudget: one server at a time; unready servers never block a drain', () => {
    expect(one(objects, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: one(objects, 'Deployment').spec.selector.matchLabels },
    });
  });

  test('names follow fullnameOverride, labels nameOverride', () => {
    const flipped = render(CASES['every option flipped']);
    for (const kind of ['Deployment', 'Service', 'ConfigMap', 'ServiceAccount', 'PodDisruptionBudget']) expect(one(flipped, kind).metadata.name).toBe('tunnel');
    expect(one(flipped, 'Secret').metadata.name).toBe('tunnel-pki');
    for (const o of flipped) expect(o.metadata.labels['app.kubernetes.io/name']).toBe('openvpn');
  });
});

/** What a bad values document must name: a schema path (ValuesError) or a render-time check (RenderError). */
const REJECTED: Array<{ name: string; values: Record<string, unknown>; path: string; render?: boolean }> = [
  { name: 'no pki (nothing injected yet)', values: { ...KUBEVIRT, pki: { ca: '', certificate: '', privateKey: '' } }, path: 'pki.ca', render: true },
  { name: 'no private key', values: { ...KUBEVIRT, pki: { ...PLACEHOLDER_PKI, privateKey: '' } }, path: 'pki.privateKey', render: true },
  { name: 'no routes', values: { ...KUBEVIRT, routes: [] }, path: 'routes', render: true },
  { name: 'a transfer network with host bits', values: { ...KUBEVIRT, network: '10.255.255.1/24' }, path: 'network', render: true },
  { name: 'a route over the transfer network', values: { ...KUBEVIRT, routes: ['10.243.0.0/16', '10.255.0.0/16'] }, path: 'routes[1]', render: true },
  { name: 'fullnameOverride not a DNS-1035 label', values: { ...KUBEVIRT, fullnameOverride: '1vpn' }, path: 'fullnameOverride', render: true },
  { name: 'fullnameOverride too long for <name>-pki', values: { ...KUBEVIRT, fullnameOverride: `v${'x'.repeat(59)}` }, path: 'fullnameOverride', render: true },
  { name: 'latest image', values: { ...KUBEVIRT, image: 'europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-server:latest' }, path: 'image', render: true },
  { name: 'a transfer network of /30 (OpenVPN needs /29 or larger)', values: { ...KUBEVIRT, network: '10.255.255.0/30' }, path: 'network' },
  { name: 'a transfer network of /15 (OpenVPN allows at most /16)', values: { ...KUBEVIRT, network: '10.254.0.0/15' }, path: 'network' },
  { name: 'a route that is not a CIDR', values: { ...KUBEVIRT, routes: ['10.243.0.0'] }, path: 'routes.0' },
  { name: 'a key that is not PEM', values: { ...KUBEVIRT, pki: { ...PLACEHOLDER_PKI, privateKey: 'c2VjcmV0' } }, path: 'pki.privateKey' },
  { name: 'a tls-crypt key that is not an OpenVPN static key', values: { ...KUBEVIRT, pki: { ...PLACEHOLDER_PKI, tlsCrypt: PLACEHOLDER_PKI.ca } }, path: 'pki.tlsCrypt' },
  { name: 'unknown service type', values: { ...KUBEVIRT, service: { type: 'ClusterIP' } }, path: 'service.type' },
  { name: 'nodePort outside the NodePort range', values: { ...KUBEVIRT, service: { nodePort: 1194 } }, path: 'service.nodePort' },
  { name: 'loadBalancerIP not an address', values: { ...KUBEVIRT, service: { loadBalancerIP: 'vpn.example.com' } }, path: 'service.loadBalancerIP' },
  { name: 'pingRestartSeconds below the ping interval', values: { ...KUBEVIRT, pingRestartSeconds: 10 }, path: 'pingRestartSeconds' },
  { name: 'replicas as a string', values: { ...KUBEVIRT, replicas: '2' }, path: 'replicas' },
  { name: 'a common name with a space', values: { ...KUBEVIRT, clientCommonName: 'control plane' }, path: 'clientCommonName' },
  { name: 'unknown key', values: { ...KUBEVIRT, pki: { ...PLACEHOLDER_PKI, key: 'x' } }, path: 'pki.key' },
  { name: 'the memory limit removed with null', values: { ...KUBEVIRT, resources: { limits: { memory: null } } }, path: 'resources.limits.memory' },
];

/** Whether helm's stderr names a dotted value path (a `fail` message starting with it, or a Helm 3 / Helm 4 schema error at it). */
function helmNames(stderr: string, dotted: string): boolean {
  const segs = dotted.replace(/\[(\d+)\]/g, '.$1').split('.');
  const key = segs[segs.length - 1];
  const parent = segs.slice(0, -1).join('.');
  const parentPointer = segs.slice(0, -1).map((k) => `/${k}`).join('');
  const failMessage = /execution error at \([^)]*\): (.*)/.exec(stderr)?.[1];
  return [
    failMessage?.startsWith(dotted) ?? false,
    stderr.includes(`- ${segs.join('.')}: `),
    stderr.includes(`- ${parent || '(root)'}: ${key} is required`),
    stderr.includes(`- ${parent || '(root)'}: Additional property ${key} is not allowed`),
    stderr.includes(`at '/${segs.join('/')}': `),
    new RegExp(`at '${parentPointer}': (missing property|additional properties) '${key}'`).test(stderr),
  ].some(Boolean);
}

describe('rejection', () => {
  test.each(REJECTED.map((c) => [c.name, c] as const))('%s: the evaluation backend names the path', (_n, c) => {
    let error: unknown;
    try {
      render(c.values);
    } catch (e) {
      error = e;
    }
    if (c.render) {
      expect(error).toBeInstanceOf(RenderError);
      expect((error as Error).message.startsWith(c.path)).toBe(true);
      // `validate` reports the same refusal (issue 8: every render check, given the release).
      expect(validateValues(CHART_NAME, c.values, RELEASE)).toContain((error as Error).message);
    } else {
      expect(error).toBeInstanceOf(ValuesError);
      expect((error as ValuesError).violations.some((v) => v.startsWith(`${c.path}:`))).toBe(true);
    }
  });

  describe.each(helmBinaries().map((h) => [h.name, h] as const))('%s', (_name, helm) => {
    test.each(REJECTED.map((c) => [c.name, c] as const))('%s: helm template fails naming the path', (_n, c) => {
      const r = helmTemplate(helm, CHART, { ...RELEASE, values: c.values });
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe('');
      expect({ stderr: r.stderr, names: helmNames(r.stderr, c.path) }).toEqual({ stderr: r.stderr, names: true });
    });
  });

  test('the message for missing pki says where it comes from and that keys never go into values files', () => {
    expect(() => render({ ...KUBEVIRT, pki: { ...PLACEHOLDER_PKI, certificate: '' } })).toThrow(
      'pki.certificate: required; the tenant-cluster chart sets pki.* through its HelmRelease\'s valuesFrom from the Secret cert-manager issues (never put a key into a values file)');
  });
});

describe('generated chart', () => {
  test('Chart.yaml: no Cluster API target, its own keywords, the version', () => {
    expect(YAML.parse(fs.readFileSync(path.join(CHART, 'Chart.yaml'), 'utf8'))).toEqual({
      apiVersion: 'v2',
      name: CHART_NAME,
      version: '1.0.0',
      description: TENANT_VPN_SERVER_CHART.description,
      type: 'application',
      keywords: ['kubernetes', 'openvpn', 'vpn', 'kamaji'],
    });
  });

  test('values schema is draft-07, the same as values-schemas/, and its defaults are values.yaml\'s', () => {
    const text = fs.readFileSync(path.join(CHART, 'values.schema.json'), 'utf8');
    const schema = JSON.parse(text);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(fs.readFileSync(path.join(ROOT, 'values-schemas', `${CHART_NAME}-1.0.0.schema.json`), 'utf8')).toBe(text);
    const lines = fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8').split('\n');
    expect(lines.filter((line, i) => /^\s*[A-Za-z][\w]*:/.test(line) && !/^\s*#/.test(lines[i - 1] ?? ''))).toEqual([]);
    expect(YAML.parse(lines.join('\n'), { version: '1.1' })).toEqual(TENANT_VPN_SERVER_DEFAULTS);
  });

  test('README: how the key arrives, the Pod Security level, where the tunnel state is', () => {
    const readme = fs.readFileSync(path.join(CHART, 'README.md'), 'utf8');
    expect(readme).toContain('valuesFrom');
    expect(readme).toContain('pod-security.kubernetes.io/enforce: privileged');
    expect(readme).toContain('/run/vpn/tunnel');
    expect(readme).toContain('| `pki.privateKey` |');
  });

  test('dist/ serves the chart: archive and index entry', () => {
    expect(fs.existsSync(path.join(ROOT, 'dist', `${CHART_NAME}-1.0.0.tgz`))).toBe(true);
    const index = YAML.parse(fs.readFileSync(path.join(ROOT, 'dist', 'index.yaml'), 'utf8'));
    expect(index.entries[CHART_NAME].map((e: K8sObject) => [e.version, e.urls])).toEqual([['1.0.0', [`${CHART_NAME}-1.0.0.tgz`]]]);
  });
});
