/**
 * The template functions of the Magnum chart (src/magnum/functions.ts) in both backends: Go through Helm 3 and 4 in a
 * scratch chart, TypeScript in-process, on fixtures (CPython's own answers for `sanitize`,
 * test/data/magnum/cpython-fixtures.json) and on inputs generated like the driver's (test/harness/magnum-arbitrary.ts);
 * each result is also checked against what the driver reads back, computed here independently.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import * as fc from 'fast-check';
import { Each, Values } from '../src/expr';
import {
  MAGNUM_DIG_INT, MAGNUM_DIG_LIST, MAGNUM_DIG_STRING, MAGNUM_FILTER_ID, MAGNUM_STORAGE_CLASS_PROBLEM, MAGNUM_VERSION_PROBLEM, magnumDig,
  magnumStorageClassProblem, magnumVersionProblem,
  MAGNUM_LOAD_BALANCER, MAGNUM_NAME_PROBLEM, MAGNUM_NODE_GROUPS, MAGNUM_PORTS, MAGNUM_PORTS_PROBLEM, MAGNUM_RESOURCE_NAME, MAGNUM_SANITIZE,
  MAGNUM_STORAGE_CLASS_COLLISION, MAGNUM_STORAGE_CLASSES, magnumLoadBalancer, magnumNameProblem, magnumNames, magnumNodeGroups, magnumPorts,
  magnumPortsProblem, magnumResourceName, magnumSanitize, magnumStorageClassCollision, magnumStorageClasses,
} from '../src/magnum/functions';
import { Doc, magnumCaseArb, MagnumCase, sanitize } from './harness/magnum-arbitrary';
import { buildMiniChart, MiniChart, objectNamed, renderAgreeing } from './harness/mini-chart';
import { SEED } from './harness/properties';
import { SUPPORT_MATRIX } from '../src/support-matrix';

const FIXTURES = JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'magnum', 'cpython-fixtures.json'), 'utf8')) as {
  sanitize: Array<{ input: string; output: string }>;
};

/** One probe object per case and function, so that one render answers many inputs. */
function probes(): MiniChart {
  return buildMiniChart((ch) => {
    const each = (id: string, collection: string, body: (item: Each['item']) => Record<string, unknown>) => {
      const scope = new Each(ch, id, { collection: Values.map(collection), keyVar: `${id[0].toLowerCase()}${id.slice(1)}Key`, itemVar: `${id[0].toLowerCase()}${id.slice(1)}` });
      new ApiObject(scope, `${id}Probe`, { apiVersion: 'test/v1', kind: id, metadata: { name: `${scope.key}` }, ...body(scope.item) });
    };
    each('Sanitize', 'sanitize', (c) => ({ out: MAGNUM_SANITIZE.call(c.str('name')) }));
    each('ResourceName', 'resourceName', (c) => ({ out: MAGNUM_RESOURCE_NAME.call(c.str('release'), c.str('suffix')) }));
    each('NameProblem', 'nameProblem', (c) => ({ out: MAGNUM_NAME_PROBLEM.call(c.str('release'), c.list('nodeGroups')) }));
    each('StorageClasses', 'storageClasses', (c) => ({
      classes: MAGNUM_STORAGE_CLASSES.call(c.map('csiCinder')), collision: MAGNUM_STORAGE_CLASS_COLLISION.call(c.map('csiCinder')),
    }));
    each('LoadBalancer', 'loadBalancer', (c) => ({ out: MAGNUM_LOAD_BALANCER.call(c.map('lb')) }));
    each('Ports', 'ports', (c) => ({ out: MAGNUM_PORTS_PROBLEM.call(c.list('ports')), mapped: MAGNUM_PORTS.call(c.list('ports')) }));
    each('NodeGroups', 'nodeGroups', (c) => ({ out: MAGNUM_NODE_GROUPS.call(c.list('nodeGroups')) }));
    each('Version', 'version', (c) => ({ out: MAGNUM_VERSION_PROBLEM.call(c.str('version')) }));
    each('StorageClassProblem', 'storageClassProblem', (c) => ({ out: MAGNUM_STORAGE_CLASS_PROBLEM.call(c.map('csiCinder')) }));
    each('Dig', 'dig', (c) => ({
      filterId: MAGNUM_FILTER_ID.call(c.map('filter')),
      str: MAGNUM_DIG_STRING.call(c.map('map'), c.str('path')),
      int: MAGNUM_DIG_INT.call(c.map('map'), c.str('path')),
      list: MAGNUM_DIG_LIST.call(c.map('map'), c.str('listPath')),
    }));
  }, { sanitize: {}, resourceName: {}, nameProblem: {}, storageClasses: {}, loadBalancer: {}, ports: {}, nodeGroups: {}, version: {}, storageClassProblem: {}, dig: {} });
}

let chart: MiniChart;
beforeAll(() => {
  chart = probes();
});
afterAll(() => chart?.dispose());

const keyed = <T>(items: readonly T[]): Record<string, T> => Object.fromEntries(items.map((v, i) => [`c${String(i).padStart(4, '0')}`, v]));
const probe = (objects: Record<string, unknown>[], kind: string, i: number): any => objectNamed(objects, kind, `c${String(i).padStart(4, '0')}`);

/** Driver documents to take realistic inputs from (release, node groups, StorageClass entries, load balancer options). */
function sampleCases(numRuns: number, seed: number): MagnumCase[] {
  return fc.sample(magnumCaseArb(), { numRuns, seed });
}

describe('sanitize: the driver\'s sanitized_name', () => {
  test(`TypeScript gives CPython's answer for ${FIXTURES.sanitize.length} awkward and random names`, () => {
    const wrong = FIXTURES.sanitize.filter((f) => magnumSanitize(f.input) !== f.output);
    expect(wrong).toEqual([]);
    // The arbitrary's independent sanitize too (it builds the documents the other tests use).
    expect(FIXTURES.sanitize.filter((f) => sanitize(f.input) !== f.output)).toEqual([]);
  });

  test('Go (Helm 3 and 4) gives CPython\'s answer too, also for İ (U+0130), which Go lowercases differently', async () => {
    const objects = await renderAgreeing(chart, { sanitize: keyed(FIXTURES.sanitize.map((f) => ({ name: f.input }))) });
    const wrong = FIXTURES.sanitize.filter((f, i) => probe(objects, 'Sanitize', i).out !== f.output);
    expect(wrong).toEqual([]);
    const dotted = FIXTURES.sanitize.findIndex((f) => f.input === 'x\u0130y');
    expect(probe(objects, 'Sanitize', dotted).out).toBe('xi-y');
  });

  test('both backends agree on generated strings (any code point, graphemes, the driver\'s own names)', async () => {
    const strings = [
      ...fc.sample(fc.string({ unit: 'binary', maxLength: 30 }), { numRuns: 150, seed: SEED }),
      ...fc.sample(fc.string({ unit: 'grapheme', maxLength: 20 }), { numRuns: 100, seed: SEED + 1 }),
      ...sampleCases(40, SEED).flatMap((c) => [c.inputs.clusterName, ...c.inputs.nodeGroups.map((g) => g.name), ...c.inputs.volumeTypes]),
    ];
    const objects = await renderAgreeing(chart, { sanitize: keyed(strings.map((name) => ({ name }))) });
    strings.forEach((s, i) => expect({ s, out: probe(objects, 'Sanitize', i).out }).toEqual({ s, out: magnumSanitize(s) }));
  });
});

describe('resourceName and the names the driver reads back', () => {
  test('sanitize(release-suffix) in both backends, `--` collapsed, no suffix: sanitize(release)', async () => {
    const cases = [
      { release: 'production-kubernetes-cluster--3gqvslrybsgh', suffix: 'control-plane', expected: 'production-kubernetes-cluster-3gqvslrybsgh-control-plane' },
      { release: 'production-kubernetes-cluster--3gqvslrybsgh', suffix: '', expected: 'production-kubernetes-cluster-3gqvslrybsgh' },
      { release: 'demo-k3v7q2xhm4pa', suffix: 'default-worker', expected: 'demo-k3v7q2xhm4pa-default-worker' },
      { release: 'demo-k3v7q2xhm4pa', suffix: 'cloud-credentials', expected: 'demo-k3v7q2xhm4pa-cloud-credentials' },
      { release: 'demo-k3v7q2xhm4pa', suffix: 'GPU_Nodes', expected: 'demo-k3v7q2xhm4pa-gpu-nodes' },
    ];
    const objects = await renderAgreeing(chart, { resourceName: keyed(cases) });
    cases.forEach((c, i) => {
      expect(probe(objects, 'ResourceName', i).out).toBe(c.expected);
      expect(magnumResourceName(c.release, c.suffix)).toBe(c.expected);
    });
  });

  test('generated releases: the driver\'s rule gives at most 43 characters, the control plane at most 57; names as the driver derives them', async () => {
    const cases = sampleCases(60, SEED + 2);
    const inputs = cases.flatMap((c) => [
      { release: c.release, suffix: 'control-plane' }, { release: c.release, suffix: '' },
      ...(c.document.nodeGroups as Doc[]).map((g) => ({ release: c.release, suffix: String(g.name) })),
    ]);
    const objects = await renderAgreeing(chart, { resourceName: keyed(inputs) });
    inputs.forEach((c, i) => expect(probe(objects, 'ResourceName', i).out).toBe(sanitize(c.suffix ? `${c.release}-${c.suffix}` : c.release)));
    for (const c of cases) {
      expect(c.release.length).toBeLessThanOrEqual(43);
      expect(c.release).toMatch(/^[a-z][-a-z0-9]*-[a-z2-7]{12}$/);
      const names = magnumNames(c.release, (c.document.nodeGroups as Doc[]).map((g) => String(g.name)));
      expect(names.cluster).toBe(c.release);
      expect(names.controlPlane.length).toBeLessThanOrEqual(57);
      // The credentials Secret the driver created is named like every other derived name.
      expect(magnumResourceName(c.release, 'cloud-credentials')).toBe(c.document.cloudCredentialsSecretName);
      expect(names.controlPlane.includes('--')).toBe(false);
    }
    expect(cases.some((c) => c.release.includes('--'))).toBe(true);
  });
});

describe('nameProblem: what Magnum could not read back is refused, never truncated', () => {
  const release43 = 'production-kubernetes-cluster--3gqvslrybsgh';
  const examples: Array<{ release: string; groups: string[]; expected: string }> = [
    { release: 'demo-k3v7q2xhm4pa', groups: ['default-worker', 'gpu'], expected: '' },
    // The release holds `--`; every derived name collapses it (42 characters here), so groups of 20 characters fit.
    { release: release43, groups: ['default-worker', 'a'.repeat(20)], expected: '' },
    {
      release: release43, groups: ['default-worker', 'a'.repeat(21)],
      expected: `nodeGroups.1.name: the MachineDeployment "production-kubernetes-cluster-3gqvslrybsgh-${'a'.repeat(21)}" is 64 characters; `
        + `Magnum reads it back by exactly this name and Kubernetes allows 63: rename node group "${'a'.repeat(21)}" to at most 20 characters`,
    },
    {
      release: release43, groups: ['gpu-workers-with-a-long-name'],
      expected: 'nodeGroups.0.name: the MachineDeployment "production-kubernetes-cluster-3gqvslrybsgh-gpu-workers-with-a-long-name" is 71 characters; '
        + 'Magnum reads it back by exactly this name and Kubernetes allows 63: rename node group "gpu-workers-with-a-long-name" to at most 20 characters',
    },
    {
      release: 'demo-k3v7q2xhm4pa', groups: ['gpu', 'default-worker', 'gpu'],
      expected: 'nodeGroups.2.name: node groups 0 and 2 both become MachineDeployment "demo-k3v7q2xhm4pa-gpu" after Magnum\'s sanitising '
        + '(e.g. "GPU" and "gpu"): rename one',
    },
    {
      release: '1st-k3v7q2xhm4pa', groups: [],
      expected: 'release name "1st-k3v7q2xhm4pa": Magnum names the Cluster after the release, which must be a DNS-1035 label (lowercase letters, '
        + 'digits and "-", starting with a letter, at most 63 characters)',
    },
    {
      release: 'a.b', groups: [],
      expected: 'release name "a.b": Magnum names the Cluster after the release, which must be a DNS-1035 label (lowercase letters, '
        + 'digits and "-", starting with a letter, at most 63 characters)',
    },
    {
      release: `r${'x'.repeat(52)}`, groups: [],
      expected: `release name "r${'x'.repeat(52)}": the control plane "r${'x'.repeat(52)}-control-plane" is 67 characters; Magnum reads it back `
        + 'by exactly this name and Kubernetes allows 63 (releases Magnum creates have at most 43)',
    },
  ];

  test('the messages, in both backends', async () => {
    const objects = await renderAgreeing(chart, { nameProblem: keyed(examples.map((e) => ({ release: e.release, nodeGroups: e.groups.map((name) => ({ name })) }))) });
    examples.forEach((e, i) => {
      expect(probe(objects, 'NameProblem', i).out).toBe(e.expected);
      expect(magnumNameProblem(e.release, e.groups.map((name) => ({ name })))).toBe(e.expected);
    });
  });

  test('generated releases and groups: a problem exactly when a MachineDeployment name is over 63 or repeated, in both backends', async () => {
    const groupName = fc.oneof(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,16}[a-z0-9])?$/), fc.stringMatching(/^[a-z][-a-z0-9]{17,40}[a-z0-9]$/), fc.constantFrom('gpu', 'default-worker'));
    const releases = sampleCases(50, SEED + 3).map((c) => c.release);
    const groupLists = fc.sample(fc.array(groupName, { maxLength: 5 }), { numRuns: releases.length, seed: SEED + 4 });
    const inputs = releases.map((release, i) => ({ release, nodeGroups: groupLists[i].map((name) => ({ name })) }));
    const objects = await renderAgreeing(chart, { nameProblem: keyed(inputs) });
    let refused = 0;
    inputs.forEach((c, i) => {
      const deployments = c.nodeGroups.map((g) => sanitize(`${c.release}-${g.name}`));
      const bad = deployments.some((d) => d.length > 63) || new Set(deployments).size !== deployments.length;
      const out = probe(objects, 'NameProblem', i).out as string;
      expect({ c, refused: out !== '' }).toEqual({ c, refused: bad });
      expect(out).toBe(magnumNameProblem(c.release, c.nodeGroups));
      if (bad) {
        refused++;
        expect(out).toMatch(/^nodeGroups\.[0-9]+\.name: /);
      }
    });
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(inputs.length);
  });
});

describe('storageClasses and storageClassCollision: one StorageClass per Cinder volume type', () => {
  const entry = (name: string, volumeType: string, extra: Doc = {}): Doc => ({
    name, reclaimPolicy: 'Retain', allowVolumeExpansion: true, volumeBindingMode: 'WaitForFirstConsumer', availabilityZone: 'nova',
    volumeType, allowedTopologies: [], fstype: 'ext4', enabled: true, ...extra,
  });

  test('the default type is the only default class; fields map onto the tenant-cluster chart\'s; a collision names both types', async () => {
    const csiCinder = [
      { defaultStorageClass: entry('default', '__DEFAULT__'), additionalStorageClasses: [] },
      {
        defaultStorageClass: entry('ceph-hdd', 'ceph_HDD', { reclaimPolicy: 'Delete', allowedTopologies: ['nova'], fstype: 'xfs' }),
        additionalStorageClasses: [entry('nvme-fast', 'NVMe.Fast', { availabilityZone: '' }), entry('default', '__DEFAULT__')],
      },
      { defaultStorageClass: entry('fast-ssd', 'fast_ssd'), additionalStorageClasses: [entry('ssd', 'ssd'), entry('fast-ssd', 'fast-ssd')] },
    ];
    const objects = await renderAgreeing(chart, { storageClasses: keyed(csiCinder.map((c) => ({ csiCinder: c }))) });
    expect(probe(objects, 'StorageClasses', 0).classes).toEqual({
      default: {
        volumeType: '__DEFAULT__', isDefault: true, reclaimPolicy: 'Retain', allowVolumeExpansion: true, volumeBindingMode: 'WaitForFirstConsumer',
        availabilityZone: 'nova', zones: [], fsType: 'ext4',
      },
    });
    const second = probe(objects, 'StorageClasses', 1).classes;
    expect(Object.keys(second).sort()).toEqual(['ceph-hdd', 'default', 'nvme-fast']);
    expect(second['ceph-hdd']).toMatchObject({ volumeType: 'ceph_HDD', isDefault: true, reclaimPolicy: 'Delete', zones: ['nova'], fsType: 'xfs' });
    expect(second.default).toMatchObject({ volumeType: '__DEFAULT__', isDefault: false });
    expect(second['nvme-fast']).toMatchObject({ availabilityZone: '', isDefault: false });
    expect(probe(objects, 'StorageClasses', 0).collision).toEqual([]);
    expect(probe(objects, 'StorageClasses', 1).collision).toEqual([]);
    expect(probe(objects, 'StorageClasses', 2).collision).toEqual(['fast_ssd', 'fast-ssd', 'fast-ssd']);
  });

  test('generated Cinder type lists: both backends agree, and with the driver\'s own entries', async () => {
    const cases = sampleCases(60, SEED + 5);
    const inputs = cases.map((c) => ({ csiCinder: (c.document.addons as any).openstack.csiCinder }));
    const objects = await renderAgreeing(chart, { storageClasses: keyed(inputs) });
    let collisions = 0;
    inputs.forEach(({ csiCinder }, i) => {
      const p = probe(objects, 'StorageClasses', i);
      expect(p.classes).toEqual(magnumStorageClasses(csiCinder));
      expect(p.collision).toEqual(magnumStorageClassCollision(csiCinder));
      const entries: Doc[] = [csiCinder.defaultStorageClass, ...csiCinder.additionalStorageClasses];
      const names = entries.map((e) => String(e.name));
      const firstRepeat = names.findIndex((n, j) => names.indexOf(n) < j);
      if (firstRepeat < 0) {
        expect(p.collision).toEqual([]);
        expect(Object.keys(p.classes).sort()).toEqual([...names].sort());
        expect(Object.entries(p.classes).filter(([, v]: [string, any]) => v.isDefault).map(([k]) => k)).toEqual([csiCinder.defaultStorageClass.name]);
        for (const e of entries) {
          expect(p.classes[String(e.name)]).toEqual({
            volumeType: e.volumeType, isDefault: e === csiCinder.defaultStorageClass, reclaimPolicy: e.reclaimPolicy,
            allowVolumeExpansion: e.allowVolumeExpansion, volumeBindingMode: e.volumeBindingMode, availabilityZone: e.availabilityZone,
            zones: e.allowedTopologies, fsType: e.fstype,
          });
        }
      } else {
        collisions++;
        const first = names.indexOf(names[firstRepeat]);
        expect(p.collision).toEqual([entries[first].volumeType, entries[firstRepeat].volumeType, names[firstRepeat]]);
      }
    });
    expect(cases.some((c) => ((c.document.addons as any).openstack.csiCinder.additionalStorageClasses as unknown[]).length >= 2)).toBe(true);
    // `fast_ssd` and `Fast-SSD` are both in the generator's pool of volume types.
    expect(collisions).toBeGreaterThan(0);
  });
});

describe('loadBalancer: the hyphenated cloud.conf keys', () => {
  test('generated documents: both backends read lb-provider, lb-method and create-monitor', async () => {
    const cases = sampleCases(30, SEED + 6);
    const inputs = cases.map((c) => ({ lb: (c.document.addons as any).openstack.cloudConfig.LoadBalancer }));
    const objects = await renderAgreeing(chart, { loadBalancer: keyed(inputs) });
    inputs.forEach(({ lb }, i) => {
      expect(probe(objects, 'LoadBalancer', i).out).toEqual({ provider: lb['lb-provider'], method: lb['lb-method'], createMonitor: lb['create-monitor'] });
      expect(magnumLoadBalancer(lb)).toEqual(probe(objects, 'LoadBalancer', i).out);
    });
    expect(new Set(inputs.map(({ lb }) => lb['lb-method'])).size).toBeGreaterThan(1);
  });
});

describe('portsProblem: `{}` first and only there in nodeGroupDefaults.machineNetworking.ports', () => {
  const extra = (name: string) => ({ network: { name }, securityGroups: [] });
  const P = 'nodeGroupDefaults.machineNetworking.ports';
  const FIRST = `${P}.0: the first port must be {} (the cluster's own network), as the Magnum driver sends it; the extra networks of label `
    + 'extra_network_names follow it';
  const again = (i: number) => `${P}.${i}: {} (the cluster's own network) must come first and only once; each further port names an extra network`;
  const examples: Array<{ ports: unknown[]; expected: string }> = [
    { ports: [{}, extra('storage')], expected: '' },
    { ports: [{}, extra('storage'), extra('data'), extra('cephfs.net')], expected: '' },
    { ports: [extra('storage'), {}], expected: FIRST },
    { ports: [extra('storage'), extra('data')], expected: FIRST },
    { ports: [{}, extra('storage'), {}], expected: again(2) },
    { ports: [{}, {}], expected: again(1) },
  ];

  test('the messages, in both backends', async () => {
    const objects = await renderAgreeing(chart, { ports: keyed(examples.map((e) => ({ ports: e.ports }))) });
    examples.forEach((e, i) => {
      expect({ ports: e.ports, out: probe(objects, 'Ports', i).out }).toEqual({ ports: e.ports, out: e.expected });
      expect(magnumPortsProblem(e.ports)).toBe(e.expected);
    });
  });

  test('the driver\'s own port lists pass; rotated by one (`{}` no longer first) they are refused, in both backends', async () => {
    const lists = sampleCases(80, SEED + 7)
      .map((c) => (c.document.nodeGroupDefaults as any).machineNetworking?.ports as unknown[] | undefined)
      .filter((p): p is unknown[] => p !== undefined);
    expect(lists.length).toBeGreaterThan(5);
    // Each list rotated by one: `{}` moves to the end (or, for two ports, second).
    const rotated = lists.map((p) => [...p.slice(1), p[0]]);
    const objects = await renderAgreeing(chart, { ports: keyed([...lists, ...rotated].map((ports) => ({ ports }))) });
    lists.forEach((p, i) => expect({ p, out: probe(objects, 'Ports', i).out }).toEqual({ p, out: '' }));
    rotated.forEach((p, i) => expect({ p, out: probe(objects, 'Ports', lists.length + i).out }).toEqual({ p, out: FIRST }));
  });
});

describe('ports: the extra networks as tenant-cluster ports', () => {
  test('one port per extra network by name, the cluster\'s `{}` left out, in both backends (generated documents)', async () => {
    const lists = sampleCases(80, SEED + 8)
      .map((c) => (c.document.nodeGroupDefaults as any).machineNetworking?.ports as unknown[] | undefined)
      .filter((p): p is unknown[] => p !== undefined);
    const objects = await renderAgreeing(chart, { ports: keyed(lists.map((ports) => ({ ports }))) });
    lists.forEach((ports, i) => {
      const names = (ports.slice(1) as Array<{ network: { name: string } }>).map((p) => p.network.name);
      expect(probe(objects, 'Ports', i).mapped).toEqual(names.map((name) => ({ network: { filter: { name } } })));
      expect(magnumPorts(ports)).toEqual(probe(objects, 'Ports', i).mapped);
    });
    expect(lists.some((p) => p.length > 2)).toBe(true);
  });
});

describe('nodeGroups: the driver\'s list as tenant-cluster\'s map', () => {
  const uuid = '3f6a1b2c-4d5e-4f60-8a7b-9c0d1e2f3a4b';

  test('keyed by name; autoscaling only for the string "true"; a UUID flavor by ID, anything else by name', async () => {
    const groups = [
      { name: 'default-worker', machineFlavor: 'm1.large', machineCount: 2 },
      { name: 'gpu', machineFlavor: uuid, machineCount: 3, autoscale: 'true', machineCountMin: 1, machineCountMax: 5 },
      { name: 'numeric', machineFlavor: '42', machineCount: 0 },
      { name: 'upper', machineFlavor: uuid.toUpperCase(), machineCount: 1 },
    ];
    const objects = await renderAgreeing(chart, { nodeGroups: { c0000: { nodeGroups: groups } } });
    const expected = {
      'default-worker': { replicas: 2, autoscaling: { enabled: false }, openstack: { flavor: 'm1.large' } },
      gpu: { replicas: 3, autoscaling: { enabled: true, min: 1, max: 5 }, openstack: { flavorID: uuid } },
      numeric: { replicas: 0, autoscaling: { enabled: false }, openstack: { flavor: '42' } },
      upper: { replicas: 1, autoscaling: { enabled: false }, openstack: { flavorID: uuid.toUpperCase() } },
    };
    expect(probe(objects, 'NodeGroups', 0).out).toEqual(expected);
    expect(magnumNodeGroups(groups)).toEqual(expected);
  });

  test('generated documents: both backends agree, one group per name, the driver\'s counts', async () => {
    const cases = sampleCases(60, SEED + 9);
    const objects = await renderAgreeing(chart, { nodeGroups: keyed(cases.map((c) => ({ nodeGroups: c.document.nodeGroups }))) });
    cases.forEach((c, i) => {
      const out = probe(objects, 'NodeGroups', i).out;
      expect(out).toEqual(magnumNodeGroups(c.document.nodeGroups));
      const groups = c.document.nodeGroups as Doc[];
      expect(Object.keys(out).sort()).toEqual([...new Set(groups.map((g) => String(g.name)))].sort());
      // Names that occur once (a repeated one is refused by nameProblem before anything renders).
      for (const g of groups.filter((x) => groups.filter((y) => y.name === x.name).length === 1)) {
        expect(out[String(g.name)]).toMatchObject({ replicas: g.machineCount, autoscaling: { enabled: g.autoscale === 'true' } });
      }
    });
    expect(cases.some((c) => (c.document.nodeGroups as Doc[]).some((g) => g.autoscale === 'true'))).toBe(true);
  });
});

describe('versionProblem: kube_version the support matrix cannot run, in Magnum\'s words', () => {
  const newest = (minor: string) => SUPPORT_MATRIX[minor].defaultVersion;
  const minors = Object.keys(SUPPORT_MATRIX);

  test('every supported minor, its patches up to the newest known, and minor-only versions pass; others are refused, in both backends', async () => {
    const patch = (minor: string) => Number(newest(minor).split('.')[2]);
    const inputs = [
      ...minors.flatMap((m) => [m, `${m}.0`, `${m}.${patch(m)}`, `${m}.${patch(m) + 1}`, `${m}.01`]),
      '1.30.2', '1.30', '2.0.0', '1.36.0', '0.0',
    ];
    const objects = await renderAgreeing(chart, { version: keyed(inputs.map((version) => ({ version }))) });
    inputs.forEach((v, i) => {
      const out = probe(objects, 'Version', i).out;
      expect(out).toBe(magnumVersionProblem(v));
      const [major, minor, p] = v.split('.');
      const key = `${major}.${minor}`;
      const supported = minors.includes(key) && (p === undefined || (/^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= patch(key)));
      expect({ v, refused: out !== '' }).toEqual({ v, refused: !supported });
    });
    expect(magnumVersionProblem('1.30.2')).toBe(`kubernetesVersion: 1.30.2 (Glance property kube_version of the cluster template's image) is not supported by `
      + `this chart version; supported minors: ${minors.join(', ')}`);
  });
});

describe('storageClassProblem: the message for colliding StorageClass names, in both backends', () => {
  test('generated Cinder type lists: a message exactly when two types collide, naming both and the class', async () => {
    const cases = sampleCases(60, SEED + 10);
    const inputs = cases.map((c) => ({ csiCinder: (c.document.addons as any).openstack.csiCinder }));
    const objects = await renderAgreeing(chart, { storageClassProblem: keyed(inputs) });
    let refused = 0;
    inputs.forEach(({ csiCinder }, i) => {
      const out = probe(objects, 'StorageClassProblem', i).out;
      expect(out).toBe(magnumStorageClassProblem(csiCinder));
      const collision = magnumStorageClassCollision(csiCinder);
      expect(out === '').toBe(collision.length === 0);
      if (collision.length > 0) {
        refused++;
        expect(out).toContain(`Cinder volume types ${JSON.stringify(collision[0])} and ${JSON.stringify(collision[1])} both become StorageClass ${JSON.stringify(collision[2])}`);
      }
    });
    expect(refused).toBeGreaterThan(0);
  });
});

describe('filterId and dig: reading what the driver may leave out or send as null', () => {
  test('both backends: missing maps, nulls, present values', async () => {
    const inputs = [
      { filter: { id: 'abc' }, map: { a: { b: 'x', n: 5, l: [1, 2] } }, path: 'a.b', listPath: 'a.l' },
      { filter: null, map: { a: null }, path: 'a.b', listPath: 'a.l' },
      { map: {}, path: 'a.b', listPath: 'a.l' },
      { filter: {}, map: { a: { n: 7 } }, path: 'a.n', listPath: 'a' },
      { filter: { id: '' }, map: { a: { b: { c: 'deep' } } }, path: 'a.b.c', listPath: 'a.b.c.d' },
    ];
    const objects = await renderAgreeing(chart, { dig: keyed(inputs) });
    const expected = [
      { filterId: 'abc', str: 'x', int: 0, list: [1, 2] },
      { filterId: '', str: '', int: 0, list: [] },
      { filterId: '', str: '', int: 0, list: [] },
      { filterId: '', str: '7', int: 7, list: [] },
      { filterId: '', str: 'deep', int: 0, list: [] },
    ];
    inputs.forEach((input, i) => {
      const p = probe(objects, 'Dig', i);
      expect({ i, filterId: p.filterId, str: p.str, list: p.list }).toEqual({ i, filterId: expected[i].filterId, str: expected[i].str, list: expected[i].list });
      expect(magnumDig(input.map, input.path, '')).toEqual(i === 3 ? 7 : expected[i].str);
    });
    expect(probe(objects, 'Dig', 3).int).toBe(7);
  });
});
