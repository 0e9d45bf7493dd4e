/**
 * The management side of `addons.vpn` (test/harness/vpn.ts: the constructs in a mini chart, wired as phase 2 will
 * wire them), rendered by Helm 3, Helm 4 and the evaluation backend alike:
 * - off: nothing of the VPN, no sidecar; on: the cert-manager PKI, the client ConfigMap, the KubeVirt Service, the
 *   sidecar in the KamajiControlPlane, the server's HelmRelease — all valid against their upstream schemas
 *   (cert-manager and Flux included, CEL rules evaluated) on both API targets;
 * - the generated client configuration: remote, routes, certificate paths (each backed by a mounted key), TLS
 *   settings, the common names both sides check against what cert-manager issues;
 * - what the tenant-vpn-server chart gets: values its schema accepts, `valuesFrom` for every key, no key anywhere;
 * - the combinations that cannot work are refused with the value path named.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { CA_COMMON_NAME, CLIENT_COMMON_NAME, DATA_CIPHERS, SERVER_COMMON_NAME, VPN_CONTAINER_NAME } from '../src/constructs/vpn/openvpn-config';
import { VPN_CONFIG_CHECKSUM_ANNOTATION } from '../src/constructs/vpn/vpn-client-sidecar';
import { coalesceValues, evaluateChart } from '../src/expr';
import { renderChart, validateValues } from '../src/render';
import { renderAgreeing, renderFailing } from './harness/mini-chart';
import { byKey, K8sObject } from './harness/objects';
import { formatErrors, validateObjectsReport } from './harness/validate';
import {
  CERT_MANAGER_SECRET_KEYS, CLUSTER, directive, directives, disposeVpnMiniChart, fileProblems, forTarget, NAMESPACE, ofKind, openstackVpn,
  PLACEHOLDER_PKI, referencedFiles, VPN_MINI_DEFAULTS, vpnMiniChart, vpnOn,
} from './harness/vpn';

/**
 * What the server chart's own checks say of `spec.values` alone: only the PKI is missing, which Flux merges
 * in from the cert-manager Secret (`valuesFrom`), never from values.
 */
const PKI_FROM_VALUES_FROM = ['ca', 'certificate', 'privateKey'].map((k) => `pki.${k}: required; the tenant-cluster chart sets pki.* through its HelmRelease's `
  + 'valuesFrom from the Secret cert-manager issues (never put a key into a values file)');

afterAll(disposeVpnMiniChart);

const render = (values: Record<string, unknown>) => renderAgreeing(vpnMiniChart(), values) as Promise<K8sObject[]>;
const one = (objects: K8sObject[], kind: string, name?: string) => {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''}, found ${found.length}`);
  return found[0];
};
const kcp = (objects: K8sObject[]) => one(objects, 'KamajiControlPlane');
const sidecar = (objects: K8sObject[]) => kcp(objects).spec.deployment.extraContainers[0];
const clientConfigMap = (objects: K8sObject[]) => one(objects, 'ConfigMap', `${CLUSTER}-vpn-client`);
const clientConf = (objects: K8sObject[]): string => clientConfigMap(objects).data['client.conf'];
const serverRelease = (objects: K8sObject[]) => one(objects, 'HelmRelease', `${CLUSTER}-vpn`);

function expectValid(objects: K8sObject[]): void {
  for (const target of ['v1beta1', 'v1beta2'] as const) {
    const report = validateObjectsReport(forTarget(objects, target), target);
    expect({ target, errors: formatErrors(report.errors), skipped: report.skipped }).toEqual({ target, errors: '', skipped: [] });
  }
}

describe('template files (construct ids are a contract: they name the files)', () => {
  test('one file per object in the openvpn/ folder (as in the tenant-cluster chart), named after the kind and, where kinds repeat, what each is', () => {
    expect(Object.keys(vpnMiniChart().files).filter((f) => f.startsWith('templates/') && !f.startsWith('templates/_')).sort()).toEqual([
      'templates/helm-release.yaml', 'templates/kamaji-control-plane.yaml',
      'templates/openvpn/ca-certificate.yaml', 'templates/openvpn/ca-issuer.yaml', 'templates/openvpn/client-certificate.yaml',
      'templates/openvpn/config-map.yaml', 'templates/openvpn/self-signed-issuer.yaml', 'templates/openvpn/server-certificate.yaml',
      'templates/openvpn/service.yaml', 'templates/validate/values.yaml',
    ]);
  });
});

describe('off (the default)', () => {
  test('no VPN object, no extra containers in the control plane', async () => {
    const objects = await render({});
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([`KamajiControlPlane/${CLUSTER}`]);
    expect(kcp(objects).spec.deployment).toBeUndefined();
    // Also when everything else about the VPN is set.
    const configured = await render({ addons: { vpn: { enabled: false, tlsCrypt: { secretName: 'tc' }, extraRoutes: ['192.168.0.0/16'] } } });
    expect(configured).toEqual(objects);
  });
});

describe('on, KubeVirt (defaults)', () => {
  let objects: K8sObject[];
  beforeAll(async () => { objects = await render(vpnOn()); });

  test('the objects: PKI, client ConfigMap, Service, sidecar, the server\'s HelmRelease — names per tenant', () => {
    expect(Object.keys(byKey(objects))).toEqual([
      `cert-manager.io/v1/Certificate/${NAMESPACE}/${CLUSTER}-vpn-ca`,
      `cert-manager.io/v1/Certificate/${NAMESPACE}/${CLUSTER}-vpn-client`,
      `cert-manager.io/v1/Certificate/${NAMESPACE}/${CLUSTER}-vpn-server`,
      `cert-manager.io/v1/Issuer/${NAMESPACE}/${CLUSTER}-vpn-ca`,
      `cert-manager.io/v1/Issuer/${NAMESPACE}/${CLUSTER}-vpn-selfsigned`,
      `controlplane.cluster.x-k8s.io/v1alpha1/KamajiControlPlane/${NAMESPACE}/${CLUSTER}`,
      `helm.toolkit.fluxcd.io/v2/HelmRelease/${NAMESPACE}/${CLUSTER}-vpn`,
      `v1/ConfigMap/${NAMESPACE}/${CLUSTER}-vpn-client`,
      `v1/Service/${NAMESPACE}/${CLUSTER}-vpn`,
    ]);
  });

  test('every object is valid against its upstream schema (cert-manager, Flux, KCP v1alpha1 and v1alpha2), nothing skipped', () => {
    expectValid(objects);
  });

  test('the validator really checks cert-manager objects: enums, unknown fields, required fields and the Issuer\'s CEL rule', () => {
    const errorsOf = (mutate: (o: K8sObject[]) => void) => {
      const mutated: K8sObject[] = JSON.parse(JSON.stringify(objects));
      mutate(mutated);
      return formatErrors(validateObjectsReport(mutated, 'v1beta1').errors);
    };
    expect(errorsOf((o) => { one(o, 'Certificate', `${CLUSTER}-vpn-server`).spec.usages = ['server-auth']; })).toMatch(/spec\.usages\[0\]/);
    expect(errorsOf((o) => { one(o, 'Certificate', `${CLUSTER}-vpn-ca`).spec.privateKey.algorithm = 'DSA'; })).toMatch(/spec\.privateKey\.algorithm/);
    expect(errorsOf((o) => { delete one(o, 'Certificate', `${CLUSTER}-vpn-client`).spec.issuerRef; })).toMatch(/issuerRef/);
    expect(errorsOf((o) => { one(o, 'Issuer', `${CLUSTER}-vpn-ca`).spec.ca.secret = 'x'; })).toMatch(/spec\.ca/);
    // A CEL rule of the Issuer CRD (x-kubernetes-validations), evaluated, not skipped.
    expect(errorsOf((o) => {
      one(o, 'Issuer', `${CLUSTER}-vpn-selfsigned`).spec = { venafi: { zone: 'z', tpp: { url: 'https://tpp.example.com', credentialsRef: { name: 'c' } }, cloud: { apiTokenSecretRef: { name: 't', key: 'k' } } } };
    })).toContain('exactly one of tpp, cloud, or ngts must be configured');
  });

  test('PKI: self-signed CA, a CA issuer, server and client certificates with their usages; the server Secret wakes Flux', () => {
    const ca = one(objects, 'Certificate', `${CLUSTER}-vpn-ca`).spec;
    expect(ca).toEqual({
      isCA: true, commonName: CA_COMMON_NAME, secretName: `${CLUSTER}-vpn-ca`, duration: '87600h',
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Never' },
      issuerRef: { name: `${CLUSTER}-vpn-selfsigned`, kind: 'Issuer', group: 'cert-manager.io' },
    });
    expect(one(objects, 'Issuer', `${CLUSTER}-vpn-selfsigned`).spec).toEqual({ selfSigned: {} });
    expect(one(objects, 'Issuer', `${CLUSTER}-vpn-ca`).spec).toEqual({ ca: { secretName: ca.secretName } });
    const server = one(objects, 'Certificate', `${CLUSTER}-vpn-server`).spec;
    const client = one(objects, 'Certificate', `${CLUSTER}-vpn-client`).spec;
    for (const [leaf, usage, cn] of [[server, 'server auth', SERVER_COMMON_NAME], [client, 'client auth', CLIENT_COMMON_NAME]] as const) {
      expect(leaf).toMatchObject({ commonName: cn, issuerRef: { name: `${CLUSTER}-vpn-ca`, kind: 'Issuer', group: 'cert-manager.io' } });
      expect(leaf.usages).toEqual(['digital signature', 'key encipherment', usage]);
      expect(leaf.privateKey.rotationPolicy).toBe('Always');
    }
    expect(server.secretTemplate).toEqual({ labels: { 'reconcile.fluxcd.io/watch': 'Enabled' } });
    expect(client.secretTemplate).toBeUndefined();
    // X.509 (and cert-manager's webhook) allow at most 64 characters.
    for (const cn of [CA_COMMON_NAME, SERVER_COMMON_NAME, CLIENT_COMMON_NAME]) expect(cn.length).toBeLessThanOrEqual(64);
  });

  test('client.conf: TCP to the management Service, mutual TLS against the tenant CA, nothing pushed accepted, keepalive', () => {
    const conf = clientConf(objects);
    expect(directive(conf, 'remote')).toBe(`${CLUSTER}-vpn.${NAMESPACE}.svc.cluster.local 1194`);
    expect(directives(conf)).toEqual([
      ['client', ''], ['dev', 'tun0'], ['proto', 'tcp-client'], ['remote', `${CLUSTER}-vpn.${NAMESPACE}.svc.cluster.local 1194`],
      ['nobind', ''], ['connect-retry', '1 5'], ['resolv-retry', 'infinite'], ['remote-cert-tls', 'server'],
      ['route-nopull', ''], ['pull-filter', 'ignore "route"'], ['pull-filter', 'ignore "redirect-gateway"'], ['pull-filter', 'ignore "dhcp-option"'],
      ['ping', '10'], ['ping-restart', '60'],
      ['data-ciphers', DATA_CIPHERS], ['tls-version-min', '1.2'],
      ['ca', '/etc/vpn/pki/ca.crt'], ['cert', '/etc/vpn/pki/tls.crt'], ['key', '/etc/vpn/pki/tls.key'],
      ['verify-x509-name', `${SERVER_COMMON_NAME} name`],
      ['status', '/run/vpn/status 5'], ['status-version', '2'], ['script-security', '2'],
      ['up', '"/bin/sh /etc/vpn/config/up.sh"'], ['down', '"/bin/sh /etc/vpn/config/down.sh"'], ['verb', '3'],
    ]);
    // The key is re-read at every reconnect (renewed certificates), and no cipher outside the AEAD list.
    expect(directives(conf).map(([n]) => n)).not.toContain('persist-key');
    expect(DATA_CIPHERS.split(':')).toEqual(['AES-256-GCM', 'CHACHA20-POLY1305']);
  });

  test('the common name each side checks is the one cert-manager issues to the other side', () => {
    expect(directive(clientConf(objects), 'verify-x509-name')).toBe(`${one(objects, 'Certificate', `${CLUSTER}-vpn-server`).spec.commonName} name`);
    expect(serverRelease(objects).spec.values.clientCommonName).toBe(one(objects, 'Certificate', `${CLUSTER}-vpn-client`).spec.commonName);
  });

  test('routes: the tenant pod and service networks, nothing else on KubeVirt', () => {
    expect(clientConfigMap(objects).data.routes).toBe('10.243.0.0/16 10.95.0.0/16\n');
    expect(serverRelease(objects).spec.values.routes).toEqual(['10.243.0.0/16', '10.95.0.0/16']);
  });

  test('the sidecar: restricted but for NET_ADMIN and UID 0, resources, liveness only, the entrypoint replaced', () => {
    const c = sidecar(objects);
    expect(kcp(objects).spec.deployment.extraContainers.map((x: K8sObject) => x.name)).toEqual([VPN_CONTAINER_NAME]);
    expect(c.image).toBe('europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-client:0.51.0');
    expect(c.command).toEqual(['/bin/sh', '/etc/vpn/config/start.sh']);
    expect(c.securityContext).toEqual({
      runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } });
    expect(c.readinessProbe).toBeUndefined();
    expect(c.startupProbe).toBeUndefined();
    expect(c.livenessProbe.exec.command).toEqual(['/bin/sh', '/etc/vpn/config/alive.sh', 'liveness']);
    expect(kcp(objects).spec.deployment.podAdditionalMetadata.annotations['kubectl.kubernetes.io/default-container']).toBe('kube-apiserver');
    // Volumes are named apart from Kamaji's own (etc-kubernetes-pki, konnectivity-uds, …).
    expect(kcp(objects).spec.deployment.extraVolumes.map((v: K8sObject) => v.name)).toEqual(['vpn-dev-net-tun', 'vpn-config', 'vpn-pki', 'vpn-run']);
    expect(kcp(objects).spec.deployment.extraVolumes[0]).toEqual({ name: 'vpn-dev-net-tun', hostPath: { path: '/dev/net/tun', type: 'CharDevice' } });
  });

  test('every file the client reads or writes is on a mounted volume that provides it', () => {
    const deployment = kcp(objects).spec.deployment;
    const c = sidecar(objects);
    const files = [
      ...referencedFiles(clientConf(objects)).map((f) => ({ ...f, writable: f.directive === 'status' })),
      { directive: 'command', file: c.command[1] },
      { directive: 'livenessProbe', file: c.livenessProbe.exec.command[1] },
      { directive: 'client.conf', file: '/etc/vpn/config/client.conf' },
      { directive: 'routes', file: '/etc/vpn/config/routes' },
      { directive: 'tunnel state', file: '/run/vpn/tunnel', writable: true },
    ];
    expect(files.length).toBeGreaterThanOrEqual(11);
    const configMaps = { [`${CLUSTER}-vpn-client`]: clientConfigMap(objects).data };
    const secrets = { [`${CLUSTER}-vpn-client`]: CERT_MANAGER_SECRET_KEYS };
    expect(fileProblems(files, c, deployment.extraVolumes, configMaps, secrets)).toEqual([]);
    // The client Secret is the one cert-manager issues for the client certificate.
    expect(deployment.extraVolumes.find((v: K8sObject) => v.name === 'vpn-pki').secret.secretName).toBe(one(objects, 'Certificate', `${CLUSTER}-vpn-client`).spec.secretName);
    // A renamed key is caught.
    expect(fileProblems([{ directive: 'cert', file: '/etc/vpn/pki/client.crt' }], c, deployment.extraVolumes, configMaps, secrets)).toHaveLength(1);
  });

  test('the management Service selects this cluster\'s worker VMs and targets the server\'s NodePort', () => {
    expect(one(objects, 'Service', `${CLUSTER}-vpn`).spec).toEqual({
      type: 'ClusterIP',
      selector: { 'cluster.x-k8s.io/cluster-name': CLUSTER, 'cluster.x-k8s.io/role': 'worker' },
      ports: [{ name: 'openvpn', protocol: 'TCP', port: 1194, targetPort: 31194 }],
    });
  });

  test('the server chart\'s values: its own schema accepts them, with the NodePort the Service targets', () => {
    const values = serverRelease(objects).spec.values;
    expect(validateValues('tenant-vpn-server', values)).toEqual(PKI_FROM_VALUES_FROM);
    expect(values.service).toEqual({ type: 'NodePort', port: 1194, nodePort: 31194, loadBalancerIP: '', loadBalancerSourceRanges: [], annotations: {} });
    expect(values.network).toBe('10.255.255.0/24');
    expect(values.pki).toBeUndefined();
  });

  test('valuesFrom: certificate, key and CA from the server Secret, verbatim; Secret keys as cert-manager writes them', () => {
    expect(serverRelease(objects).spec.valuesFrom).toEqual([
      { kind: 'Secret', name: `${CLUSTER}-vpn-server`, valuesKey: 'ca.crt', targetPath: 'pki.ca', literal: true },
      { kind: 'Secret', name: `${CLUSTER}-vpn-server`, valuesKey: 'tls.crt', targetPath: 'pki.certificate', literal: true },
      { kind: 'Secret', name: `${CLUSTER}-vpn-server`, valuesKey: 'tls.key', targetPath: 'pki.privateKey', literal: true },
    ]);
    for (const ref of serverRelease(objects).spec.valuesFrom) expect(CERT_MANAGER_SECRET_KEYS).toContain(ref.valuesKey);
    expect(serverRelease(objects).spec.valuesFrom[0].name).toBe(one(objects, 'Certificate', `${CLUSTER}-vpn-server`).spec.secretName);
  });

  test('the tenant chart renders from these values plus what valuesFrom injects: same routes, network and port', () => {
    const release = serverRelease(objects);
    const tenant = renderChart('tenant-vpn-server', { ...release.spec.values, pki: PLACEHOLDER_PKI }, { release: 'vpn', namespace: release.spec.targetNamespace }) as K8sObject[];
    const config = one(tenant, 'ConfigMap', 'vpn').data;
    expect(config.routes).toBe(clientConfigMap(objects).data.routes);
    expect(directive(config['server.conf'], 'server')).toBe('10.255.255.0 255.255.255.0');
    expect(directive(config['server.conf'], 'verify-x509-name')).toBe(`${CLIENT_COMMON_NAME} name`);
    const service = one(tenant, 'Service', 'vpn');
    expect(service.spec.ports[0]).toMatchObject({ port: 1194, nodePort: one(objects, 'Service', `${CLUSTER}-vpn`).spec.ports[0].targetPort });
  });
});

describe('on, OpenStack', () => {
  test('dials endpoint.host; no management Service; routes the node network with routeNodes, then the extra routes', async () => {
    const objects = await render(openstackVpn({ routeNodes: true, extraRoutes: ['192.168.10.0/24', '172.30.0.0/16'], port: 443 }));
    expect(directive(clientConf(objects), 'remote')).toBe('203.0.113.10 443');
    expect(ofKind(objects, 'Service')).toEqual([]);
    expect(clientConfigMap(objects).data.routes).toBe('10.243.0.0/16 10.95.0.0/16 10.20.0.0/24 192.168.10.0/24 172.30.0.0/16\n');
    const values = serverRelease(objects).spec.values;
    expect(values.routes).toEqual(['10.243.0.0/16', '10.95.0.0/16', '10.20.0.0/24', '192.168.10.0/24', '172.30.0.0/16']);
    expect(values.service).toMatchObject({ type: 'LoadBalancer', port: 443, loadBalancerIP: '203.0.113.10' });
    expect(validateValues('tenant-vpn-server', values)).toEqual(PKI_FROM_VALUES_FROM);
    expectValid(objects);
  });

  test('without routeNodes the node network stays outside (Konnectivity carries the kubelets)', async () => {
    const objects = await render(openstackVpn());
    expect(clientConfigMap(objects).data.routes).toBe('10.243.0.0/16 10.95.0.0/16\n');
  });

  test('a DNS name as endpoint: dialled as is, the load balancer takes any address; source ranges and annotations pass', async () => {
    const objects = await render(openstackVpn({
      endpoint: { host: 'vpn.acme.example.com' },
      server: { loadBalancer: { sourceRanges: ['198.51.100.0/24'], annotations: { 'loadbalancer.openstack.org/keep-floatingip': 'true' } } },
    }));
    expect(directive(clientConf(objects), 'remote')).toBe('vpn.acme.example.com 1194');
    expect(serverRelease(objects).spec.values.service).toEqual({
      type: 'LoadBalancer', port: 1194, nodePort: 31194, loadBalancerIP: '',
      loadBalancerSourceRanges: ['198.51.100.0/24'], annotations: { 'loadbalancer.openstack.org/keep-floatingip': 'true' },
    });
  });
});

describe('tls-crypt', () => {
  test('a referenced Secret adds the directive, the volume and mount, and a valuesFrom item; nothing without it', async () => {
    const objects = await render(vpnOn({ tlsCrypt: { secretName: 'acme-vpn-tls-crypt' } }));
    expect(directive(clientConf(objects), 'tls-crypt')).toBe('/etc/vpn/tls-crypt/tls-crypt.key');
    const deployment = kcp(objects).spec.deployment;
    expect(deployment.extraVolumes.find((v: K8sObject) => v.name === 'vpn-tls-crypt')).toEqual({
      name: 'vpn-tls-crypt', secret: { secretName: 'acme-vpn-tls-crypt', items: [{ key: 'tls-crypt.key', path: 'tls-crypt.key' }], defaultMode: 256 },
    });
    expect(fileProblems(referencedFiles(clientConf(objects)), sidecar(objects), deployment.extraVolumes,
      { [`${CLUSTER}-vpn-client`]: clientConfigMap(objects).data }, { [`${CLUSTER}-vpn-client`]: CERT_MANAGER_SECRET_KEYS })).toEqual([]);
    expect(serverRelease(objects).spec.valuesFrom[3]).toEqual({ kind: 'Secret', name: 'acme-vpn-tls-crypt', valuesKey: 'tls-crypt.key', targetPath: 'pki.tlsCrypt', literal: true });
    expectValid(objects);

    const without = await render(vpnOn());
    expect(directives(clientConf(without)).map(([n]) => n)).not.toContain('tls-crypt');
    expect(sidecar(without).volumeMounts.map((m: K8sObject) => m.name)).not.toContain('vpn-tls-crypt');
    expect(serverRelease(without).spec.valuesFrom).toHaveLength(3);
  });
});

describe('the configuration checksum on the control plane pods', () => {
  const checksumOf = (objects: K8sObject[]) => kcp(objects).spec.deployment.podAdditionalMetadata.annotations[VPN_CONFIG_CHECKSUM_ANNOTATION];

  test('changes with what the client reads, not with what it does not; same values, same checksum', async () => {
    const base = checksumOf(await render(vpnOn()));
    expect(base).toMatch(/^[0-9a-f]{8}$/);
    expect(checksumOf(await render(vpnOn()))).toBe(base);
    expect(checksumOf(await render(vpnOn({ port: 1195 })))).not.toBe(base);
    expect(checksumOf(await render(vpnOn({ extraRoutes: ['192.168.0.0/16'] })))).not.toBe(base);
    expect(checksumOf(await render(vpnOn({ tlsCrypt: { secretName: 'tc' } })))).not.toBe(base);
    // Server-side values do not restart the control plane.
    expect(checksumOf(await render(vpnOn({ server: { replicas: 3 } })))).toBe(base);
  });
});

describe('per tenant: two releases in one namespace share no object name', () => {
  test('every name carries the cluster name', () => {
    const names = (release: string) => evaluateChart(vpnMiniChart().templates, {
      values: coalesceValues(VPN_MINI_DEFAULTS, vpnOn()),
      release: { name: release, namespace: NAMESPACE },
      chart: { name: 'mini', version: '0.1.0' },
    }).map((o: K8sObject) => `${o.kind}/${o.metadata.name}`);
    const a = names('acme');
    const b = names('globex');
    expect(a.length).toBe(9);
    expect(a.filter((n) => b.includes(n))).toEqual([]);
  });
});

describe('no key material in any values or rendered management object', () => {
  test('the values contract has no key field; rendered objects hold no PEM; the HelmRelease passes keys only by reference', async () => {
    const contract = fs.readFileSync(path.join(__dirname, '..', 'src', 'values', 'vpn-values.ts'), 'utf8');
    expect(contract).not.toMatch(/privateKey|BEGIN/);
    for (const values of [vpnOn({ tlsCrypt: { secretName: 'tc' } }), openstackVpn({ routeNodes: true })]) {
      const text = YAML.stringify(await render(values));
      expect(text).not.toMatch(/-----BEGIN|PRIVATE KEY/);
      expect(serverRelease(await render(values)).spec.values).not.toHaveProperty('pki');
    }
  });
});

/** Values that cannot work, and the message that refuses them (both backends, both Helm versions). */
const REFUSED: Array<[string, Record<string, unknown>, string]> = [
  // OpenStack with neither Konnectivity nor the VPN: TenantCluster's ReversePath check (test/vpn-tenant-cluster.test.ts).
  ['an egress selector of our own with the VPN', vpnOn({}, { controlPlane: { apiServer: { extraArgs: { 'egress-selector-config-file': '/x.yaml' } } } }),
    'controlPlane.apiServer.extraArgs.egress-selector-config-file: not allowed with addons.vpn.enabled (Kamaji owns the egress selector; the VPN works by routes)'],
  ['the transfer network overlapping the tenant pods', vpnOn({ network: '10.243.8.0/24' }),
    'addons.vpn.network: 10.243.8.0/24 overlaps clusterNetwork.podCidr 10.243.0.0/16'],
  ['the transfer network overlapping the management services', vpnOn({ network: '10.96.0.0/24' }),
    'addons.vpn.network: 10.96.0.0/24 overlaps managementCluster.serviceCidr 10.96.0.0/16'],
  ['the transfer network overlapping the OpenStack nodes', openstackVpn({ network: '10.20.0.0/24' }),
    'addons.vpn.network: 10.20.0.0/24 overlaps infrastructure.openstack.network.nodeCidr 10.20.0.0/24'],
  ['the transfer network with host bits', vpnOn({ network: '10.255.255.7/24' }),
    'addons.vpn.network: 10.255.255.7/24 is not a network address (OpenVPN\'s server directive needs the host bits zero, e.g. 10.255.255.0/24)'],
  ['node routes on KubeVirt', vpnOn({ routeNodes: true }),
    'addons.vpn.routeNodes: must be false on KubeVirt (the nodes are on managementCluster.podCidr, which the control plane pod itself uses)'],
  ['node routes on OpenStack without a node network', openstackVpn({ routeNodes: true }, { infrastructure: { provider: 'openstack', openstack: { network: { nodeCidr: '' } } } }),
    'addons.vpn.routeNodes: needs infrastructure.openstack.network.nodeCidr (the node subnet) to route kubelets through the tunnel'],
  ['VPN only on OpenStack without node routes', openstackVpn({}, { controlPlane: { addons: { konnectivity: { enabled: false } } } }),
    'addons.vpn.routeNodes: must be true on OpenStack when controlPlane.addons.konnectivity.enabled is false (otherwise nothing reaches the kubelets)'],
  ['OpenStack without an endpoint', openstackVpn({ endpoint: { host: '' } }),
    'addons.vpn.endpoint.host: required on OpenStack: the floating IP (set as the tenant Service\'s loadBalancerIP) or a DNS name that resolves to it'],
  ['an extra route into the management pod network', vpnOn({ extraRoutes: ['192.168.0.0/16', '10.244.128.0/17'] }),
    'addons.vpn.extraRoutes[1]: 10.244.128.0/17 overlaps managementCluster.podCidr 10.244.0.0/16 (the control plane pod would send that network into the tunnel)'],
  ['an extra route over the transfer network', vpnOn({ extraRoutes: ['10.255.0.0/16'] }),
    'addons.vpn.extraRoutes[0]: 10.255.0.0/16 overlaps addons.vpn.network 10.255.255.0/24 (the control plane pod would send that network into the tunnel)'],
  ['an endpoint inside a routed network', openstackVpn({ endpoint: { host: '192.168.10.5' }, extraRoutes: ['192.168.10.0/24'] }),
    'addons.vpn.endpoint.host: 192.168.10.5 lies in 192.168.10.0/24, a network routed through the tunnel (the tunnel would carry its own packets)'],
  ['the latest sidecar image', vpnOn({ image: 'europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-client:latest' }),
    'addons.vpn.image: "europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-client:latest" must name a version tag or digest other than "latest"'],
  ['the latest server image', vpnOn({ server: { image: 'europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-server:latest' } }),
    'addons.vpn.server.image: "europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-server:latest" must name a version tag or digest other than "latest"'],
];

describe('combinations that cannot work are refused, naming the value path', () => {
  test.each(REFUSED)('%s', async (_name, values, message) => {
    await renderFailing(vpnMiniChart(), values, message);
  });

  test('a cluster name too long for <cluster>-vpn (in-process: the mini chart\'s release is fixed)', () => {
    const name = `a${'b'.repeat(59)}`;
    expect(() => evaluateChart(vpnMiniChart().templates, {
      values: coalesceValues(VPN_MINI_DEFAULTS, vpnOn()),
      release: { name, namespace: NAMESPACE },
      chart: { name: 'mini', version: '0.1.0' },
    })).toThrow(`fullnameOverride (or the release name): "${name}-vpn" (the VPN's Service and HelmRelease) is longer than 63 characters; shorten the cluster name`);
  });

  test('the same combinations pass with the VPN off where only the VPN makes them fail', async () => {
    await render({ addons: { vpn: { enabled: false, network: '10.243.8.0/24', routeNodes: true, extraRoutes: ['10.244.0.0/16'] } } });
    // Konnectivity alone on OpenStack, and both on.
    await render({ infrastructure: { provider: 'openstack', openstack: { network: { nodeCidr: '10.20.0.0/24' } } } });
    await render(openstackVpn());
    // VPN only on OpenStack with node routes: the founding talk's mode.
    const vpnOnly = await render(openstackVpn({ routeNodes: true }, { controlPlane: { addons: { konnectivity: { enabled: false } } } }));
    expect(clientConfigMap(vpnOnly).data.routes).toContain('10.20.0.0/24');
  });
});
