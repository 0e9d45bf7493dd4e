/**
 * The values contract of `magnum-tenant-cluster` (src/values/magnum-values.ts): its generated schema accepts every
 * document the Magnum driver builds (test/harness/magnum-arbitrary.ts, a port of the driver's `_update_helm_release`)
 * and refuses, with the value's path, every key the driver never sends and every value the chart cannot use. Checked
 * with ajv (what `validate` runs) and with Helm 3 and 4 on a scratch chart that holds only the schema and values.yaml,
 * fed the way the driver feeds it: Python's `json.dumps` text on stdin (`--values -`).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { MAGNUM_TENANT_CLUSTER_DEFAULTS } from '../src/charts/magnum-tenant-cluster/defaults';
import { coalesceValues } from '../src/expr';
import {
  ASTRAL_LIMIT, clusterNamespace, Doc, driverDocument, DriverRefusal, magnumCaseArb, MagnumCase, MagnumInputs, pythonJsonDumps, REFUSED_INPUTS, releaseName,
} from './harness/magnum-arbitrary';
import {
  ajvErrorPaths, helmSchemaErrorPaths, helmsTemplateStdin, magnumValidator, magnumValuesSchema, renderedValues, SchemaChart, schemaOnlyChart,
} from './harness/magnum-chart';
import { params, SEED } from './harness/properties';

type Schema = Record<string, any>;

const FIXTURES = JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'magnum', 'cpython-fixtures.json'), 'utf8')) as {
  dumps: Array<{ value: unknown; text: string }>;
};

let schema: Schema;
let validate: ReturnType<typeof magnumValidator>;
let chart: SchemaChart;
beforeAll(() => {
  schema = magnumValuesSchema();
  validate = magnumValidator(schema);
  chart = schemaOnlyChart(schema);
}, 120_000);
afterAll(() => chart?.dispose());

/** What Helm validates and the templates see: the chart's values.yaml under the driver's document. */
const coalesced = (doc: Doc) => coalesceValues(JSON.parse(JSON.stringify(MAGNUM_TENANT_CLUSTER_DEFAULTS)), JSON.parse(JSON.stringify(doc)));
const ajvPaths = (doc: Doc): string[] => (validate(coalesced(doc)) ? [] : ajvErrorPaths(validate.errors));
/** Whether an error names `path` or a value below it (a `null`-or-object key fails at the object's field). */
const names = (paths: readonly string[], p: string) => paths.some((x) => x === p || x.startsWith(`${p}.`));

const resolve = (s: Schema | undefined): Schema | undefined => {
  let cur = s;
  while (cur && typeof cur.$ref === 'string') cur = schema.definitions[cur.$ref.replace('#/definitions/', '')];
  return cur;
};

/** Every object of a document with its dotted path (list items by index). */
function objectPaths(v: unknown, at = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => objectPaths(x, at === '' ? `${i}` : `${at}.${i}`));
  if (v === null || typeof v !== 'object') return [];
  return [at, ...Object.entries(v).flatMap(([k, x]) => objectPaths(x, at === '' ? k : `${at}.${k}`))];
}

const at = (doc: unknown, dotted: string): any => (dotted === '' ? doc : dotted.split('.').reduce((o: any, k) => o?.[k], doc));

/** Inputs with every optional key of the document present (see the `maximal` test). */
function maximalInputs(): MagnumInputs {
  const labels = {
    etcd_blockdevice_size: '10', etcd_blockdevice_volume_type: 'ssd', etcd_blockdevice_volume_az: 'nova', auto_scaling_enabled: 'true',
    min_node_count: '1', max_node_count: '5', keystone_auth_enabled: 'true', api_master_lb_allowed_cidrs: '203.0.113.0/24',
    extra_network_names: 'storage', boot_volume_type: 'ssd', boot_volume_size: '40',
  };
  return {
    clusterName: 'maximal', shortId: 'abcdefghijk2', projectId: '9f3c2a7be41d4c0f8a6e5d2b1c0a7f93',
    template: {
      imageId: '3f6a1b2c-4d5e-4f60-8a7b-9c0d1e2f3a4b', kubeVersion: 'v1.34.2', osDistro: 'ubuntu', externalNetworkId: '1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
      dnsNameserver: '8.8.8.8', networkDriver: 'calico', labels,
    },
    cluster: {
      keypair: 'ops', masterFlavorId: 'm1.medium', masterCount: 3, fixedNetwork: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
      fixedSubnet: '6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e', labels: {},
    },
    nodeGroups: [
      { name: 'default-master', role: 'master', isDefaultWorker: false, flavorId: 'm1.medium', nodeCount: 3, minNodeCount: 1, maxNodeCount: null },
      { name: 'default-worker', role: 'worker', isDefaultWorker: true, flavorId: 'm1.large', nodeCount: 3, minNodeCount: 1, maxNodeCount: null },
    ],
    volumeTypes: ['__DEFAULT__', 'ceph_HDD'],
    context: { authUrl: 'https://keystone.example.com/v3', projectId: '0a1b2c3d4e5f60718293a4b5c6d7e8f9' },
    conf: { csiCinderDefaultVolumeType: null, csiCinderAllowedTopologies: ['nova'], cinderDefaultBootVolumeType: '', cinderDefaultBootVolumeSize: 0 },
  };
}

function documentOf(inputs: MagnumInputs): Doc {
  const doc = driverDocument(inputs);
  if (doc instanceof DriverRefusal) throw new Error(`the driver refuses: ${doc.reason}`);
  return doc;
}

describe('the port of the driver (test/harness/magnum-arbitrary.ts)', () => {
  test('json.dumps: the same text as CPython for the fixture values (separators, ensure_ascii, escapes, key order)', () => {
    for (const f of FIXTURES.dumps) expect(pythonJsonDumps(f.value)).toBe(f.text);
  });

  test('the maximal document: every optional key, in the order the driver emits them', () => {
    const doc = documentOf(maximalInputs());
    expect(Object.keys(doc)).toEqual([
      'kubernetesVersion', 'machineImageId', 'machineSSHKeyName', 'cloudCredentialsSecretName', 'etcd', 'apiServer', 'clusterNetworking',
      'osDistro', 'controlPlane', 'nodeGroupDefaults', 'nodeGroups', 'addons', 'authWebhook',
    ]);
    expect(Object.keys(doc.apiServer as Doc)).toEqual(['associateFloatingIP', 'enableLoadBalancer', 'loadBalancerProvider', 'allowedCidrs']);
    expect(Object.keys(doc.controlPlane as Doc)).toEqual(['machineFlavor', 'machineCount', 'healthCheck', 'machineRootVolume']);
    expect(Object.keys(doc.nodeGroupDefaults as Doc)).toEqual(['healthCheck', 'machineRootVolume', 'machineNetworking']);
    expect(Object.keys(doc.addons as Doc)).toEqual(['openstack', 'monitoring', 'kubernetesDashboard', 'ingress', 'cni']);
    expect(Object.keys((doc.addons as any).openstack)).toEqual(['csiCinder', 'cloudConfig', 'k8sKeystoneAuth']);
    expect(doc.nodeGroups).toEqual([{ name: 'default-worker', machineFlavor: 'm1.large', machineCount: 3, autoscale: 'true', machineCountMin: 1, machineCountMax: 5 }]);
    expect((doc.nodeGroupDefaults as any).machineNetworking.ports).toEqual([{}, { network: { name: 'storage' }, securityGroups: [] }]);
    expect(doc.etcd).toEqual({ blockDevice: { size: 10, type: 'Volume', volumeType: 'ssd', availabilityZone: 'nova' } });
  });

  test('the driver refuses autoscaled groups with a minimum below 1 (Magnum\'s default min_node_count is 0): no document, no Helm call', () => {
    const inputs = maximalInputs();
    const gpu = { name: 'gpu', role: 'worker' as const, isDefaultWorker: false, flavorId: 'g1', nodeCount: 2, minNodeCount: 0, maxNodeCount: 4 };
    expect(driverDocument({ ...inputs, nodeGroups: [...inputs.nodeGroups, gpu] })).toBeInstanceOf(DriverRefusal);
    expect(driverDocument({ ...inputs, nodeGroups: [...inputs.nodeGroups, { ...gpu, minNodeCount: 1 }] })).not.toBeInstanceOf(DriverRefusal);
  });

  test('releases and namespaces: sanitize(name)[:30]-<12>, `--` when the prefix ends in a separator', () => {
    expect(releaseName('production-kubernetes-cluster-01', 'abcdefghijk2')).toBe('production-kubernetes-cluster--abcdefghijk2');
    expect(releaseName('My_Cluster.v2', 'abcdefghijk2')).toBe('my-cluster-v2-abcdefghijk2');
    expect(releaseName('x'.repeat(242), 'abcdefghijk2')).toHaveLength(43);
    expect(clusterNamespace('9F3C2A7B-E41D-4C0F-8A6E-5D2B1C0A7F93')).toBe('magnum-9f3c2a7be41d4c0f8a6e5d2b1c0a7f93');
  });
});

describe('the schema mirrors the driver\'s document', () => {
  test('its properties are in the driver\'s order, for every object of the maximal document', () => {
    const doc = documentOf(maximalInputs());
    const check = (node: Schema | undefined, value: unknown, where: string) => {
      const s = resolve(node);
      if (!s || value === null || typeof value !== 'object') return;
      if (Array.isArray(value)) {
        value.forEach((v, i) => check(Array.isArray(s.items) ? s.items[Math.min(i, s.items.length - 1)] : s.items, v, `${where}.${i}`));
        return;
      }
      const sent = Object.keys(value);
      // Of a union (`T | null`, the two kinds of port), the object type that declares every key sent.
      const declares = (b: Schema | undefined) => b?.type === 'object' && sent.every((k) => b.properties?.[k] !== undefined);
      const object = s.anyOf ? s.anyOf.map(resolve).find(declares) ?? s : s;
      const declared = Object.keys(object.properties ?? {}).filter((k) => object.properties[k] !== false);
      expect({ where, order: declared.filter((k) => sent.includes(k)) }).toEqual({ where, order: sent });
      for (const k of sent) check(object.properties?.[k], (value as Doc)[k], where === '' ? k : `${where}.${k}`);
    };
    check(schema, doc, '');
  });

  test('the driver\'s types: four nullable keys, the string "true", consts, hyphenated keys', () => {
    const doc = documentOf(maximalInputs());
    const withValue = (dotted: string, value: unknown): Doc => {
      const copy = JSON.parse(JSON.stringify(doc));
      const keys = dotted.split('.');
      at(copy, keys.slice(0, -1).join('.'))[keys[keys.length - 1]] = value;
      return copy;
    };
    for (const p of ['machineSSHKeyName', 'clusterNetworking.dnsNameservers', 'clusterNetworking.internalNetwork.networkFilter', 'clusterNetworking.internalNetwork.subnetFilter']) {
      expect({ p, refused: ajvPaths(withValue(p, null)) }).toEqual({ p, refused: [] });
    }
    for (const p of ['kubernetesVersion', 'machineImageId', 'etcd', 'controlPlane.machineFlavor', 'nodeGroups', 'addons.cni.type', 'apiServer.allowedCidrs']) {
      expect({ p, named: names(ajvPaths(withValue(p, null)), p) }).toEqual({ p, named: true });
    }
    for (const [p, accepted, refused] of [
      ['nodeGroups.0.autoscale', ['true'], [true, 'false', 'True', 1]],
      ['apiServer.enableLoadBalancer', [true], [false, 'true']],
      ['addons.ingress.enabled', [false], [true, 'false']],
      ['addons.openstack.csiCinder.defaultStorageClass.enabled', [true], [false]],
      ['addons.openstack.cloudConfig.LoadBalancer.create-monitor', [true, false], ['true']],
      ['addons.openstack.cloudConfig.LoadBalancer.lb-method', ['SOURCE_IP_PORT'], ['source_ip_port', '']],
      ['etcd.blockDevice.type', ['Volume', 'Local'], ['volume', 'local']],
      ['addons.cni.type', ['calico', 'cilium', 'flannel'], ['weave', 'Calico']],
      ['osDistro', ['ubuntu', 'flatcar'], ['fedora-coreos']],
      ['kubernetesVersion', ['1.34.2', '1.34'], ['v1.34.2', '1.34.2.1', '']],
      ['nodeGroupDefaults.machineNetworking.ports.1.securityGroups', [[]], [[{ name: 'default' }]]],
    ] as Array<[string, unknown[], unknown[]]>) {
      for (const v of accepted) expect({ p, v, refused: ajvPaths(withValue(p, v)) }).toEqual({ p, v, refused: [] });
      for (const v of refused) expect({ p, v, named: names(ajvPaths(withValue(p, v)), p) }).toEqual({ p, v, named: true });
    }
    // A port is `{}` (nothing in it) or an extra network with exactly the driver's keys; the order is a render-time check
    // (magnumPortsProblem, test/magnum-functions.test.ts). At least one extra network: the driver sends none without one.
    const ports = 'nodeGroupDefaults.machineNetworking.ports';
    expect(names(ajvPaths(withValue(`${ports}.0`, { securityGroups: [] })), `${ports}.0`)).toBe(true);
    expect(names(ajvPaths(withValue(`${ports}.1`, { network: { name: 'x' } })), `${ports}.1`)).toBe(true);
    expect(names(ajvPaths(withValue(`${ports}.1`, { network: { name: 'x', id: 'y' }, securityGroups: [] })), `${ports}.1`)).toBe(true);
    expect(names(ajvPaths(withValue(ports, [{}])), ports)).toBe(true);
  });

  test('apiServer.allowedCIDRs, Azimuth\'s spelling, is accepted beside or instead of the driver\'s allowedCidrs (the one alias)', () => {
    const doc = documentOf(maximalInputs());
    const apiServer = doc.apiServer as Doc;
    const { allowedCidrs, ...rest } = apiServer;
    for (const variant of [{ ...rest, allowedCIDRs: allowedCidrs }, { ...apiServer, allowedCIDRs: ['198.51.100.0/28'] }]) {
      expect(ajvPaths({ ...doc, apiServer: variant })).toEqual([]);
    }
    expect(names(ajvPaths({ ...doc, apiServer: { ...apiServer, allowedCIDRs: ['198.51.100.7'] } }), 'apiServer.allowedCIDRs.0')).toBe(true);
    expect(names(ajvPaths({ ...doc, apiServer: { ...apiServer, allowedCIDRs: [] } }), 'apiServer.allowedCIDRs')).toBe(true);
  });

  test('every key a 1.4.0 document always has is required (a driver that drops one is refused by name)', () => {
    const doc = documentOf(maximalInputs());
    const optional = new Set([
      'etcd.blockDevice', 'etcd.blockDevice.volumeType', 'etcd.blockDevice.availabilityZone', 'apiServer.allowedCidrs', 'controlPlane.machineRootVolume',
      'controlPlane.machineRootVolume.volumeType', 'controlPlane.machineRootVolume.diskSize', 'nodeGroupDefaults.machineRootVolume',
      'nodeGroupDefaults.machineRootVolume.volumeType', 'nodeGroupDefaults.machineRootVolume.diskSize', 'nodeGroupDefaults.machineNetworking',
      'nodeGroups.0.autoscale', 'nodeGroups.0.machineCountMin', 'nodeGroups.0.machineCountMax', 'addons.cni', 'addons.openstack.k8sKeystoneAuth',
      'authWebhook',
    ]);
    const problems: string[] = [];
    for (const parent of objectPaths(doc)) {
      for (const key of Object.keys(at(doc, parent))) {
        const p = parent === '' ? key : `${parent}.${key}`;
        if (/^nodeGroupDefaults\.machineNetworking\.ports\./.test(p)) continue;
        const copy = JSON.parse(JSON.stringify(doc));
        delete at(copy, parent)[key];
        const refused = names(ajvPaths(copy), p);
        if (refused === optional.has(p)) problems.push(`${p}: ${refused ? 'required' : 'optional'}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('every document the driver builds is accepted', () => {
  test('ajv: 400 generated documents (under the chart\'s values.yaml, as Helm validates them)', () => {
    fc.assert(fc.property(magnumCaseArb(), (c) => {
      expect({ text: c.text, refused: ajvPaths(c.document) }).toEqual({ text: c.text, refused: [] });
    }), params(400));
  });

  test('the generator reaches every optional key, null, the string "true", every CNI, one to many volume types, `--` releases', () => {
    const cases = fc.sample(magnumCaseArb(), { numRuns: 400, seed: SEED });
    const seen = (p: (c: MagnumCase) => boolean) => cases.some(p);
    const d = (c: MagnumCase): any => c.document;
    expect(seen((c) => d(c).machineSSHKeyName === null) && seen((c) => typeof d(c).machineSSHKeyName === 'string')).toBe(true);
    expect(seen((c) => d(c).clusterNetworking.dnsNameservers === null) && seen((c) => Array.isArray(d(c).clusterNetworking.dnsNameservers))).toBe(true);
    expect(seen((c) => d(c).clusterNetworking.internalNetwork.networkFilter === null) && seen((c) => d(c).clusterNetworking.internalNetwork.networkFilter !== null)).toBe(true);
    expect(seen((c) => d(c).clusterNetworking.internalNetwork.subnetFilter === null) && seen((c) => d(c).clusterNetworking.internalNetwork.subnetFilter !== null)).toBe(true);
    expect(seen((c) => d(c).nodeGroups.some((g: Doc) => g.autoscale === 'true')) && seen((c) => d(c).nodeGroups.some((g: Doc) => !('autoscale' in g)))).toBe(true);
    expect(new Set(cases.map((c) => d(c).addons.cni?.type ?? 'absent'))).toEqual(new Set(['calico', 'cilium', 'flannel', 'absent']));
    expect(new Set(cases.map((c) => d(c).addons.openstack.csiCinder.additionalStorageClasses.length)).size).toBeGreaterThanOrEqual(5);
    expect(seen((c) => d(c).addons.openstack.csiCinder.defaultStorageClass.volumeType === '__DEFAULT__')).toBe(true);
    expect(seen((c) => d(c).addons.openstack.csiCinder.additionalStorageClasses.some((s: Doc) => s.volumeType === '__DEFAULT__'))).toBe(true);
    expect(seen((c) => c.release.includes('--')) && seen((c) => c.release.length === 43) && seen((c) => c.release.length < 20)).toBe(true);
    expect(new Set(cases.map((c) => d(c).nodeGroups.length))).toEqual(new Set([1, 2, 3, 4, 5]));
    for (const p of ['etcd.blockDevice', 'apiServer.allowedCidrs', 'controlPlane.machineRootVolume', 'nodeGroupDefaults.machineRootVolume',
      'nodeGroupDefaults.machineNetworking', 'addons.openstack.k8sKeystoneAuth', 'authWebhook', 'addons.cni']) {
      expect({ p, present: seen((c) => at(c.document, p) !== undefined), absent: seen((c) => at(c.document, p) === undefined) })
        .toEqual({ p, present: true, absent: true });
    }
  });

  test('Helm 3 and 4: generated documents on stdin pass the schema, and the templates see exactly the document under the chart\'s values.yaml', async () => {
    const cases = fc.sample(magnumCaseArb(), { numRuns: 30, seed: SEED + 7 });
    for (const c of cases) {
      const expected = coalesced(c.document);
      for (const r of await helmsTemplateStdin(chart.dir, c.release, c.namespace, c.text)) {
        expect({ helm: r.name, text: c.text, code: r.code, stderr: r.stderr }).toEqual({ helm: r.name, text: c.text, code: 0, stderr: '' });
        expect({ helm: r.name, values: renderedValues(r.stdout) }).toEqual({ helm: r.name, values: expected });
      }
      // The driver's nulls reach the templates as nulls (no chart default deletes them), the site block from values.yaml.
      expect(expected.machineSSHKeyName).toBe(c.document.machineSSHKeyName);
      expect(expected.site).toEqual(MAGNUM_TENANT_CLUSTER_DEFAULTS.site);
    }
  });
});

describe('a key the driver never sends is refused with its path', () => {
  /** A valid document with one key added under one of its objects (the site block's too). */
  const withUnknownKey = magnumCaseArb().chain((c) => {
    const values = coalesced(c.document);
    return fc.record({ parent: fc.constantFrom(...objectPaths(values)), key: fc.constantFrom('extra', 'enabled2', 'allowedCIDRs', 'isClusterDefault', 'x-y', 'Values') })
      // `apiServer.allowedCIDRs` is the one alias the contract accepts (see its own test).
      .filter(({ parent, key }) => !(key in at(values, parent)) && !(parent === 'apiServer' && key === 'allowedCIDRs'))
      .map(({ parent, key }) => {
        const copy = JSON.parse(JSON.stringify(c.document));
        // Under `site` the key goes into the chart's values.yaml part: add the block to the document (a user's -f would).
        if (parent.startsWith('site') || parent === '') {
          const target = parent === '' ? copy : (copy.site ??= JSON.parse(JSON.stringify(MAGNUM_TENANT_CLUSTER_DEFAULTS.site)), at(copy, parent));
          target[key] = 'x';
        } else {
          at(copy, parent)[key] = 'x';
        }
        return { c, doc: copy as Doc, path: parent === '' ? key : `${parent}.${key}` };
      });
  });

  test('ajv: one added key anywhere in 300 generated documents', () => {
    fc.assert(fc.property(withUnknownKey, ({ doc, path: p }) => {
      expect({ p, named: ajvPaths(doc).includes(p) }).toEqual({ p, named: true });
    }), params(300));
  });

  test('Helm 3 and 4 name it too (25 generated documents)', async () => {
    for (const { c, doc, path: p } of fc.sample(withUnknownKey, { numRuns: 25, seed: SEED + 8 })) {
      for (const r of await helmsTemplateStdin(chart.dir, c.release, c.namespace, pythonJsonDumps(doc))) {
        expect({ helm: r.name, p, code: r.code, named: helmSchemaErrorPaths(r.stderr).includes(p) }).toEqual({ helm: r.name, p, code: 1, named: true });
      }
    }
  });

  test.each([
    ['apiServer.allowedCidrs', 'allowedCidr'], ['apiServer.allowedCidrs', 'allowedCIDR'], ['machineSSHKeyName', 'machineSshKeyName'], ['addons.kubernetesDashboard', 'dashboard'],
    ['addons.openstack.cloudConfig.LoadBalancer.lb-provider', 'lb_provider'], ['clusterNetworking.dnsNameservers', 'dnsNameServers'],
    ['nodeGroups.0.autoscale', 'autoScale'], ['addons.openstack.csiCinder', 'cinderCsi'], ['addons.openstack.csiCinder.defaultStorageClass.fstype', 'fsType'],
  ])('a renamed key: %s → %s is refused by name in ajv, Helm 3 and Helm 4', async (from, to) => {
    const doc = documentOf(maximalInputs());
    const keys = from.split('.');
    const parent = at(doc, keys.slice(0, -1).join('.'));
    const renamed: Doc = JSON.parse(JSON.stringify(doc));
    const target = at(renamed, keys.slice(0, -1).join('.'));
    target[to] = parent[keys[keys.length - 1]];
    delete target[keys[keys.length - 1]];
    const newPath = [...keys.slice(0, -1), to].join('.');
    expect(ajvPaths(renamed)).toContain(newPath);
    const release = releaseName('maximal', 'abcdefghijk2');
    for (const r of await helmsTemplateStdin(chart.dir, release, 'magnum-x', pythonJsonDumps(renamed))) {
      expect({ helm: r.name, named: helmSchemaErrorPaths(r.stderr).includes(newPath) }).toEqual({ helm: r.name, named: true });
    }
  });
});

describe('values the driver can send and the chart cannot use are refused with their path', () => {
  const base = fc.sample(magnumCaseArb().map((c) => c.inputs), { numRuns: REFUSED_INPUTS.length, seed: SEED + 9 });

  test.each(REFUSED_INPUTS.map((r, i) => [r.name, r, i] as const))('%s', async (_name, r, i) => {
    const inputs = r.change(base[i]);
    const doc = documentOf(inputs);
    expect({ path: r.path, ajv: names(ajvPaths(doc), r.path) }).toEqual({ path: r.path, ajv: true });
    const release = releaseName(inputs.clusterName, inputs.shortId);
    for (const h of await helmsTemplateStdin(chart.dir, release, clusterNamespace(inputs.projectId), pythonJsonDumps(doc))) {
      expect({ helm: h.name, code: h.code, named: names(helmSchemaErrorPaths(h.stderr), r.path) }).toEqual({ helm: h.name, code: 1, named: true });
    }
  });
});

describe('a limit of the driver with any chart', () => {
  test('a name outside the Basic Multilingual Plane: json.dumps writes a surrogate pair escape, which Helm 3 and 4 refuse before any chart', async () => {
    const doc = documentOf(maximalInputs());
    (doc.nodeGroups as Doc[])[0].machineFlavor = 'gpu-\u{1F680}';
    const text = pythonJsonDumps(doc);
    expect(text).toContain('"gpu-\\ud83d\\ude80"');
    for (const r of await helmsTemplateStdin(chart.dir, releaseName('maximal', 'abcdefghijk2'), 'magnum-x', text)) {
      expect({ helm: r.name, code: r.code, limit: r.stderr.includes(ASTRAL_LIMIT) }).toEqual({ helm: r.name, code: 1, limit: true });
    }
    // The same name as a raw UTF-8 character (not what the driver writes) passes the schema.
    expect(ajvPaths(doc)).toEqual([]);
  });
});
