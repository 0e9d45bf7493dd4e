/**
 * `addons.vpn` wired into the tenant-cluster chart (issue 11, phase 2): the sidecar in the real
 * KamajiControlPlane only while the VPN is on, the server chart's HelmRelease (version, `valuesFrom`, order, values
 * the tenant-vpn-server chart accepts), the combinations with Konnectivity and OpenStack that are refused, no key
 * material anywhere, what turning the VPN on restarts, and the one invariant exception in the chart's own output.
 * Every render goes through the evaluation backend, Helm 3 and Helm 4 (`expectRendered`/`expectRefused`).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { tenantCost } from '../bench/cost';
import { VPN_DEFAULTS } from '../src/charts/tenant-cluster/vpn-defaults';
import { TENANT_VPN_SERVER_CHART_VERSION } from '../src/charts/tenant-vpn-server/version';
import { invariantExceptionsMarkdown } from '../src/constructs/management/invariant-exceptions';
import { renderChart, validateValues } from '../src/render';
import { expectRefused, expectRendered } from './harness/backends';
import { helmBinaries, helmTemplate } from './harness/helm';
import { TENANT_CLUSTER_LINES } from './harness/lines';
import { parseManifests } from './harness/validate';
import { checkManagementInvariants } from './harness/management-invariants';
import { K8sObject } from './harness/objects';
import { directive, PLACEHOLDER_PKI } from './harness/vpn';

const ROOT = path.join(__dirname, '..');
const example = (file: string): Record<string, any> => YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'), { version: '1.1' }) ?? {};
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml') && !f.startsWith('flux-'));
const VPN_EXAMPLES = ['kubevirt-vpn.yaml', 'openstack-vpn.yaml'];

/** A deep merge of values documents (maps merge, everything else replaces). */
function merge(...docs: Array<Record<string, any>>): Record<string, any> {
  const out: Record<string, any> = {};
  const into = (t: Record<string, any>, s: Record<string, any>) => {
    for (const [k, v] of Object.entries(s)) {
      if (v && typeof v === 'object' && !Array.isArray(v) && t[k] && typeof t[k] === 'object' && !Array.isArray(t[k])) into(t[k], v);
      else t[k] = JSON.parse(JSON.stringify(v));
    }
  };
  for (const d of docs) into(out, d);
  return out;
}

const one = (objects: readonly K8sObject[], kind: string, name?: string): K8sObject => {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
};
const kcp = (objects: readonly K8sObject[]) => one(objects, 'KamajiControlPlane');
const VPN_KINDS = ['Issuer', 'Certificate'];
const vpnObjects = (objects: readonly K8sObject[]) => objects.filter((o) => VPN_KINDS.includes(o.kind) || /^acme-vpn/.test(o.metadata.name));

describe('VPN off: the chart renders nothing of it', () => {
  test.each(EXAMPLES.filter((f) => !VPN_EXAMPLES.includes(f) && !f.startsWith('presets')))('examples/%s', (file) => {
    const objects = expectRendered(example(file));
    expect(kcp(objects).spec.deployment).toBeUndefined();
    expect(vpnObjects(objects).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });
});

describe('KubeVirt with the VPN (examples/kubevirt-vpn.yaml: Konnectivity stays on)', () => {
  let objects: K8sObject[];
  beforeAll(() => { objects = expectRendered(example('kubevirt-vpn.yaml')); });

  test('exactly one extra container, "vpn", in the KamajiControlPlane, with its volumes and the checksum annotation', () => {
    const deployment = kcp(objects).spec.deployment;
    expect(deployment.extraContainers.map((c: K8sObject) => c.name)).toEqual(['vpn']);
    expect(deployment.extraVolumes.map((v: K8sObject) => v.name)).toEqual(['vpn-dev-net-tun', 'vpn-config', 'vpn-pki', 'vpn-run']);
    expect(deployment.podAdditionalMetadata.annotations['tenant-cluster.io/vpn-config']).toMatch(/^[0-9a-f]{8}$/);
    expect(deployment.podAdditionalMetadata.annotations['kubectl.kubernetes.io/default-container']).toBe('kube-apiserver');
    // Konnectivity is untouched: it keeps the API server's `cluster` egress.
    expect(kcp(objects).spec.addons.konnectivity).toBeDefined();
  });

  test('routes: the tenant pods and services, never the nodes (they share the management pod network)', () => {
    const config = one(objects, 'ConfigMap', 'acme-vpn-client').data;
    expect(config.routes).toBe('10.243.0.0/16 10.95.0.0/16\n');
    expect(directive(config['client.conf'], 'remote')).toBe('acme-vpn.tenant-acme.svc.cluster.local 1194');
  });

  test('the management Service the sidecars dial targets the server\'s NodePort on the worker VMs', () => {
    const service = one(objects, 'Service', 'acme-vpn');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([expect.objectContaining({ port: 1194, targetPort: 31194 })]);
    expect(service.spec.selector).toEqual({ 'cluster.x-k8s.io/cluster-name': 'acme', 'cluster.x-k8s.io/role': 'worker' });
  });

  test('the server chart: HelmRelease <cluster>-vpn after the CNI, pinned version, PKI only by valuesFrom, values the chart accepts', () => {
    const release = one(objects, 'HelmRelease', 'acme-vpn');
    expect(release.spec.chart.spec).toEqual(expect.objectContaining({ chart: 'tenant-vpn-server', version: TENANT_VPN_SERVER_CHART_VERSION }));
    expect(release.spec.chart.spec.sourceRef).toEqual({ kind: 'HelmRepository', name: 'acme-tenant-cluster' });
    expect(release.spec.dependsOn).toEqual([{ name: 'acme-cni' }]);
    expect(release.spec.targetNamespace).toBe('tenant-vpn');
    expect(release.spec.valuesFrom).toEqual(['ca.crt', 'tls.crt', 'tls.key'].map((valuesKey, i) => ({
      kind: 'Secret', name: 'acme-vpn-server', valuesKey, targetPath: ['pki.ca', 'pki.certificate', 'pki.privateKey'][i], literal: true,
    })));
    expect(release.spec.values).not.toHaveProperty('pki');
    expect(release.spec.values.service).toEqual(expect.objectContaining({ type: 'NodePort', nodePort: 31194, port: 1194 }));
    // What Flux hands the chart: these values plus the PKI from the Secret.
    expect(validateValues('tenant-vpn-server', { ...release.spec.values, pki: PLACEHOLDER_PKI })).toEqual([]);
  });

  test('the tenant-cluster repository is rendered for the VPN alone (CSI off)', () => {
    const values = merge(example('kubevirt-vpn.yaml'), { addons: { csi: { enabled: false } } });
    expect(one(expectRendered(values), 'HelmRepository', 'acme-tenant-cluster').spec.url).toBe('https://charts.example.com/tenant-cluster');
  });

  // test/management-invariants.test.ts runs every example (this one included) with the chart's cluster-scoped
  // exceptions; here: the control plane pod with the sidecar, so that its pass is not vacuous.
  test('the control plane pod keeps the management invariants with the sidecar as the one listed exception, and a second NET_ADMIN container fails', () => {
    const onControlPlane = (all: readonly K8sObject[]) => checkManagementInvariants(all).filter((v) => v.object.startsWith('KamajiControlPlane'));
    expect(onControlPlane(objects)).toEqual([]);
    const mutated = JSON.parse(JSON.stringify(objects)) as K8sObject[];
    const containers = kcp(mutated).spec.deployment.extraContainers;
    containers.push({ ...containers[0], name: 'debug' });
    expect(onControlPlane(mutated).map((v) => v.rule)).toEqual(expect.arrayContaining(['capabilities.add', 'runAsNonRoot']));
  });
});

describe('OpenStack with the VPN only (examples/openstack-vpn.yaml: Konnectivity off)', () => {
  let objects: K8sObject[];
  beforeAll(() => { objects = expectRendered(example('openstack-vpn.yaml')); });

  test('the sidecar dials the floating IP and routes the node subnet too; no Konnectivity, no management Service', () => {
    expect(kcp(objects).spec.addons.konnectivity).toBeUndefined();
    const config = one(objects, 'ConfigMap', 'acme-vpn-client').data;
    expect(config.routes).toBe('10.243.0.0/16 10.95.0.0/16 10.20.0.0/24\n');
    expect(directive(config['client.conf'], 'remote')).toBe('203.0.113.10 1194');
    expect(directive(config['client.conf'], 'tls-crypt')).toBe('/etc/vpn/tls-crypt/tls-crypt.key');
    expect(objects.filter((o) => o.kind === 'Service')).toEqual([]);
    expect(kcp(objects).spec.deployment.extraVolumes.map((v: K8sObject) => v.name)).toContain('vpn-tls-crypt');
  });

  test('the tenant Service is a load balancer on the floating IP, limited to the management egress', () => {
    const release = one(objects, 'HelmRelease', 'acme-vpn');
    expect(release.spec.values.service).toEqual(expect.objectContaining({
      type: 'LoadBalancer', loadBalancerIP: '203.0.113.10', loadBalancerSourceRanges: ['198.51.100.7/32'],
      annotations: { 'loadbalancer.openstack.org/keep-floatingip': 'true' },
    }));
    expect(release.spec.valuesFrom.map((v: K8sObject) => `${v.name}:${v.valuesKey}`)).toEqual([
      'acme-vpn-server:ca.crt', 'acme-vpn-server:tls.crt', 'acme-vpn-server:tls.key', 'acme-vpn-tls-crypt:tls-crypt.key',
    ]);
    expect(validateValues('tenant-vpn-server', { ...release.spec.values, pki: { ...PLACEHOLDER_PKI } })).toEqual([]);
  });

  test('both reverse paths on (Konnectivity and the VPN) render too', () => {
    const both = merge(example('openstack-vpn.yaml'), { controlPlane: { addons: { konnectivity: { enabled: true } } }, addons: { vpn: { routeNodes: false } } });
    const rendered = expectRendered(both);
    expect(kcp(rendered).spec.addons.konnectivity).toBeDefined();
    expect(one(rendered, 'ConfigMap', 'acme-vpn-client').data.routes).toBe('10.243.0.0/16 10.95.0.0/16\n');
  });
});

describe('combinations that cannot work are refused by every backend, naming the value path', () => {
  const openstack = example('openstack.yaml');
  const openstackVpn = example('openstack-vpn.yaml');
  const kubevirtVpn = example('kubevirt-vpn.yaml');

  test('OpenStack with neither Konnectivity nor the VPN: no path to kubelets, webhooks and aggregated APIs', () => {
    expectRefused(merge(openstack, { controlPlane: { addons: { konnectivity: { enabled: false } } } }), 'controlPlane.addons.konnectivity.enabled',
      'controlPlane.addons.konnectivity.enabled or addons.vpn.enabled: must be true with infrastructure.provider "openstack"');
  });

  test('VPN only on OpenStack without the node routes', () => {
    expectRefused(merge(openstackVpn, { addons: { vpn: { routeNodes: false } } }), 'addons.vpn.routeNodes',
      'addons.vpn.routeNodes: must be true on OpenStack when controlPlane.addons.konnectivity.enabled is false (otherwise nothing reaches the kubelets)');
  });

  test('OpenStack: a routed tenant network over the management pod network (allowed with the VPN off)', () => {
    const overlapping = { clusterNetwork: { podCidr: '10.244.0.0/16' } };
    expectRendered(merge(openstack, overlapping));
    expectRefused(merge(openstackVpn, overlapping), 'clusterNetwork.podCidr',
      'clusterNetwork.podCidr: 10.244.0.0/16 overlaps managementCluster.podCidr 10.244.0.0/16 (with addons.vpn.enabled the control plane pod routes it into the tunnel, and that network is its own)');
    expectRefused(merge(openstackVpn, { infrastructure: { openstack: { network: { nodeCidr: '10.96.0.0/24' } } } }), 'infrastructure.openstack.network.nodeCidr',
      'infrastructure.openstack.network.nodeCidr: 10.96.0.0/24 overlaps managementCluster.serviceCidr 10.96.0.0/16');
  });

  test('OpenStack without the floating IP to dial', () => {
    expectRefused(merge(openstackVpn, { addons: { vpn: { endpoint: { host: '' } } } }), 'addons.vpn.endpoint.host',
      'addons.vpn.endpoint.host: required on OpenStack');
  });

  test('an egress selector of our own beside the VPN', () => {
    expectRefused(merge(kubevirtVpn, { controlPlane: { apiServer: { extraArgs: { 'egress-selector-config-file': '/x.yaml' } } } }),
      'controlPlane.apiServer.extraArgs.egress-selector-config-file', 'not allowed with addons.vpn.enabled');
  });

  test('no repository for the server chart', () => {
    expectRefused(merge(kubevirtVpn, { addons: { csi: { enabled: false }, repositories: { tenantCluster: { url: '' } } } }), 'addons.repositories.tenantCluster.url',
      'addons.repositories.tenantCluster.url: required while addons.vpn.enabled is true: the tenant side of the VPN is this project\'s tenant-vpn-server chart');
  });

  test('node routes on KubeVirt', () => {
    expectRefused(merge(kubevirtVpn, { addons: { vpn: { routeNodes: true } } }), 'addons.vpn.routeNodes', 'addons.vpn.routeNodes: must be false on KubeVirt');
  });
});

describe('no key material in values, examples or rendered objects', () => {
  test.each(VPN_EXAMPLES)('examples/%s and its objects hold no PEM block', (file) => {
    expect(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8')).not.toMatch(/-----BEGIN|PRIVATE KEY/);
    expect(YAML.stringify(expectRendered(example(file)))).not.toMatch(/-----BEGIN|PRIVATE KEY/);
  });
  test('no template of the chart generates randomness or keys', () => {
    const templates = path.join(ROOT, 'charts', 'tenant-cluster', 'templates');
    const files = fs.readdirSync(templates, { recursive: true }).map(String).filter((f) => f.endsWith('.yaml') || f.endsWith('.tpl'));
    expect(files).toContain(path.join('openvpn', 'server-certificate.yaml'));
    for (const f of files) expect([f, fs.readFileSync(path.join(templates, f), 'utf8')]).not.toEqual([f, expect.stringMatching(/genCA|genPrivateKey|genSelfSignedCert|randAlpha|randBytes|uuidv4/)]);
  });
});

describe('upgrade safety: what turning the VPN on or changing it restarts', () => {
  const minimal = example('minimal.yaml');
  const on = example('kubevirt-vpn.yaml');
  const kcpOf = (values: Record<string, any>) => kcp(expectRendered(values));

  test('turning it on changes the KamajiControlPlane only in spec.deployment (the pod template: Kamaji rolls the control plane)', () => {
    const off = kcpOf(minimal);
    const withVpn = kcpOf(on);
    const { deployment, ...rest } = withVpn.spec;
    expect(deployment).toBeDefined();
    expect({ ...withVpn, spec: rest }).toEqual(off);
  });

  test('client-side values change the checksum annotation; server-side values leave the control plane alone', () => {
    const checksum = (values: Record<string, any>) => kcpOf(values).spec.deployment.podAdditionalMetadata.annotations['tenant-cluster.io/vpn-config'];
    const base = checksum(on);
    expect(checksum(merge(on, { addons: { vpn: { extraRoutes: ['192.168.0.0/16'] } } }))).not.toBe(base);
    expect(checksum(merge(on, { addons: { vpn: { port: 1195 } } }))).not.toBe(base);
    expect(kcpOf(merge(on, { addons: { vpn: { server: { replicas: 3, nodePort: 31195 } } } }))).toEqual(kcpOf(merge(on, {})));
  });
});

describe('the chart README', () => {
  test('lists the one invariant exception and the Pod Security level it needs', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'charts', 'tenant-cluster', 'README.md'), 'utf8');
    expect(readme).toContain(invariantExceptionsMarkdown());
    expect(readme).toContain('pod-security.kubernetes.io/enforce: privileged');
    expect(readme).toContain('## Reverse path: Konnectivity and the VPN');
  });
});

describe('cost (npm run bench, section 6): the sidecar per control plane replica', () => {
  const costOf = (values: Record<string, any>) => tenantCost(renderChart('tenant-cluster', values, { release: 'acme', namespace: 'tenant-acme' }) as K8sObject[]);
  const millicores = (cpu: number) => Math.round(cpu * 1000);
  const mebibytes = (memory: number) => Math.round(memory / 2 ** 20);

  test.each([[2, 'kubevirt-vpn.yaml'], [3, 'kubevirt-vpn.yaml']])('%i replicas: an item extraContainers[vpn] of replicas × the sidecar\'s requests, and nothing else added', (replicas, file) => {
    const values = merge(example(file), { controlPlane: { replicas } });
    const item = costOf(values).items.find((i) => i.what === 'KamajiControlPlane/acme: extraContainers[vpn]');
    const requests = VPN_DEFAULTS.resources.requests!;
    expect(item && { pods: item.pods, cpu: millicores(item.total.cpu), memory: mebibytes(item.total.memory) })
      .toEqual({ pods: replicas, cpu: replicas * parseInt(requests.cpu!, 10), memory: replicas * parseInt(requests.memory!, 10) });
    const off = costOf(merge(values, { addons: { vpn: { enabled: false } } }));
    const on = costOf(values);
    expect([millicores(on.total.cpu - off.total.cpu), mebibytes(on.total.memory - off.total.memory)]).toEqual([millicores(item!.total.cpu), mebibytes(item!.total.memory)]);
  });
});

describe.each(TENANT_CLUSTER_LINES.map((l) => [`${l.chart} ${l.version}`, l] as const))('line %s: the sidecar only with the VPN on, at the line\'s KamajiControlPlane version', (_name, line) => {
  const expectedVersion = line.target === 'v1beta2' ? 'controlplane.cluster.x-k8s.io/v1alpha2' : 'controlplane.cluster.x-k8s.io/v1alpha1';
  const outputs = (file: string): Array<[string, K8sObject[]]> => [
    ['in-process', renderChart(line.chart, example(file), { release: 'acme', namespace: 'tenant-acme' }) as K8sObject[]],
    ...helmBinaries().map((h): [string, K8sObject[]] => {
      const r = helmTemplate(h, line.chartDir, { release: 'acme', namespace: 'tenant-acme', valuesFiles: [path.join(ROOT, 'examples', file)] });
      expect(r.stderr).toBe('');
      return [h.name, parseManifests(r.stdout) as K8sObject[]];
    }),
  ];
  test.each(['kubevirt-vpn.yaml', 'openstack-vpn.yaml', 'minimal.yaml', 'openstack.yaml'])('%s', (file) => {
    const vpn = VPN_EXAMPLES.includes(file);
    for (const [backend, objects] of outputs(file)) {
      const controlPlane = kcp(objects);
      expect({ backend, apiVersion: controlPlane.apiVersion, containers: controlPlane.spec.deployment?.extraContainers?.map((c: K8sObject) => c.name) ?? [] })
        .toEqual({ backend, apiVersion: expectedVersion, containers: vpn ? ['vpn'] : [] });
    }
  });
});
