/**
 * The per-group OpenStackMachineTemplate (src/constructs/openstack/openstack-machine-template.ts) in a scratch
 * chart shaped like TenantCluster's node groups (an `Each` over `nodeGroups`, `nodeGroupDefaults` merged in, a
 * stand-in for the MachineDeployment that references the template): Helm 3 ≡ Helm 4 ≡ the evaluation backend,
 * valid against CAPO v0.14.7's CRD (CEL included), content-hash names that change exactly when the group's
 * server changes, and the per-group render checks.
 */
import { ApiObject } from 'cdk8s';
import { concat, Each, MERGE_DEFAULTS, Values } from '../src/expr';
import { OpenStackMachineTemplate } from '../src/constructs/openstack/openstack-machine-template';
import { MiniChart, renderAgreeing, renderFailing } from './harness/mini-chart';
import { IDS, openStackMiniChart } from './harness/openstack-mini';
import { formatErrors, validateObjects, validateObjectsReport } from './harness/validate';

let chart: MiniChart;
beforeAll(() => {
  chart = openStackMiniChart((c, context) => {
    const groups = new Each(c, 'NodeGroups', { collection: Values.map('nodeGroups'), keyVar: 'groupName', itemVar: 'groupValues' });
    const group = groups.let('group', MERGE_DEFAULTS.call(Values.map('nodeGroupDefaults'), groups.item));
    const template = new OpenStackMachineTemplate(groups, 'MachineTemplate', {
      context,
      deploymentName: concat(context.clusterName, '-', groups.key),
      group,
      path: concat('nodeGroups.', groups.key),
      capacityFromFlavor: Values.bool('infrastructure.openstack.capacityFromFlavor'),
    });
    // Stands in for the MachineDeployment: what it would reference.
    new ApiObject(groups, 'Reference', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${context.clusterName}-${groups.key}`, namespace: `${context.namespace}` },
      data: { ...OpenStackMachineTemplate.REF, name: template.name, failureDomain: template.failureDomain },
    });
  });
});
afterAll(() => chart.dispose());

const MINIMAL = { flavor: 'm1.large', image: { name: 'ubuntu-2404-kube-v1.34.12' } };
const FULL = {
  flavorID: 'c2a7f3d1',
  image: { id: IDS.image },
  rootVolume: { sizeGiB: 50, type: 'ssd', availabilityZone: 'nova-b' },
  availabilityZone: 'nova-a',
  ports: [
    {
      network: { id: IDS.storageNetwork },
      fixedIPs: [{ subnet: { filter: { name: 'storage-v4' } } }, { subnet: { id: IDS.storageSubnet }, ipAddress: '192.0.2.10' }],
      securityGroups: [{ filter: { name: 'storage', tags: ['nfs'] } }],
      nameSuffix: 'storage',
      vnicType: 'direct',
    },
    { network: { filter: { name: 'backup', projectID: 'p-1' } }, disablePortSecurity: true },
  ],
  securityGroups: [{ id: IDS.securityGroup }, { filter: { name: 'monitoring' } }],
  serverGroupID: IDS.serverGroup,
  sshKeyName: 'ops',
  serverMetadata: { owner: 'acme', 'cost-center': 'k8s-42', empty: '' },
  configDrive: true,
  tags: ['tenant-acme', 'md1'],
};
const groups = (g: Record<string, unknown>) => ({ nodeGroups: g });
/** A group with these server settings (and other group settings). */
const os = (openstack: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({ openstack, ...rest });

async function templates(values: Record<string, unknown>) {
  const objects = await renderAgreeing(chart, values);
  const byGroup: Record<string, any> = {};
  for (const ref of objects.filter((o: any) => o.kind === 'ConfigMap') as any[]) {
    const group = ref.metadata.name.replace(/^rel-/, '');
    byGroup[group] = { reference: ref.data, template: objects.find((o: any) => o.kind === 'OpenStackMachineTemplate' && o.metadata.name === ref.data.name) };
  }
  return { objects, byGroup };
}

describe('rendered templates', () => {
  test('minimal and full groups: Helm 3 ≡ Helm 4 ≡ eval, valid in both API targets (CEL included), referenced by their hashed name', async () => {
    const { objects, byGroup } = await templates(groups({ md0: os(MINIMAL), md1: os(FULL) }));
    expect(objects.filter((o: any) => o.kind === 'OpenStackMachineTemplate')).toHaveLength(2);
    for (const target of ['v1beta1', 'v1beta2'] as const) {
      const report = validateObjectsReport(objects.filter((o: any) => o.kind === 'OpenStackMachineTemplate'), target);
      expect(formatErrors(report.errors)).toBe('');
      expect(report.skipped).toEqual([]);
    }
    for (const g of ['md0', 'md1']) {
      const { reference, template } = byGroup[g];
      expect(template).toBeDefined();
      expect(reference.name).toMatch(new RegExp(`^rel-${g}-[0-9a-f]{8}$`));
      expect(reference.apiVersion).toBe('infrastructure.cluster.x-k8s.io/v1beta1');
      expect(reference.kind).toBe('OpenStackMachineTemplate');
      expect(template.metadata.annotations).toBeUndefined(); // superseded templates go with the upgrade, as KubeVirt's
      expect(template.metadata.labels['cluster.x-k8s.io/cluster-name']).toBe('rel');
      // Machines use the OpenStackCluster's identity; providerID is refused in templates.
      expect('identityRef' in template.spec.template.spec).toBe(false);
      expect('providerID' in template.spec.template.spec).toBe(false);
    }
    expect(byGroup.md0.template.spec.template.spec).toEqual({ flavor: 'm1.large', image: { filter: { name: 'ubuntu-2404-kube-v1.34.12' } } });
    expect(byGroup.md0.reference.failureDomain).toBe('');
    expect(byGroup.md1.reference.failureDomain).toBe('nova-a');
  });

  test('every server setting of a full group, in CAPO\'s shape', async () => {
    const { byGroup } = await templates(groups({ md1: os(FULL) }));
    expect(byGroup.md1.template.spec.template.spec).toEqual({
      flavorID: 'c2a7f3d1',
      image: { id: IDS.image },
      rootVolume: { sizeGiB: 50, type: 'ssd', availabilityZone: { from: 'Name', name: 'nova-b' } },
      // The first port is the cluster network's (CAPO fills in network and subnets).
      ports: [{}, ...FULL.ports],
      securityGroups: FULL.securityGroups,
      serverGroup: { id: IDS.serverGroup },
      sshKeyName: 'ops',
      serverMetadata: [{ key: 'cost-center', value: 'k8s-42' }, { key: 'empty', value: '' }, { key: 'owner', value: 'acme' }],
      configDrive: true,
      tags: ['tenant-acme', 'md1'],
    });
  });

  test('image by tags only; a root volume without a zone follows the machine\'s failure domain', async () => {
    const { objects, byGroup } = await templates(groups({ md2: os({ flavor: 'm1.small', image: { tags: ['kube-v1.34', 'ubuntu'] }, rootVolume: { sizeGiB: 20 } }) }));
    expect(formatErrors(validateObjects(objects, 'v1beta1'))).toBe('');
    expect(byGroup.md2.template.spec.template.spec).toEqual({
      flavor: 'm1.small',
      image: { filter: { tags: ['kube-v1.34', 'ubuntu'] } },
      rootVolume: { sizeGiB: 20, availabilityZone: { from: 'Machine' } },
    });
  });
});

describe('upgrade safety: the hash follows the server, and only it', () => {
  const base = groups({ md0: os(MINIMAL), md1: os(FULL) });
  const names = async (values: Record<string, unknown>) => {
    const { byGroup } = await templates(values);
    return Object.fromEntries(Object.entries(byGroup).map(([g, v]) => [g, v.reference.name]));
  };

  test('changing a group\'s flavor or image renames exactly that group\'s template', async () => {
    const before = await names(base);
    const flavor = await names(groups({ md0: os({ ...MINIMAL, flavor: 'm1.xlarge' }), md1: os(FULL) }));
    expect(flavor.md0).not.toBe(before.md0);
    expect(flavor.md1).toBe(before.md1);
    const image = await names(groups({ md0: os(MINIMAL), md1: os({ ...FULL, image: { id: IDS.network } }) }));
    expect(image.md0).toBe(before.md0);
    expect(image.md1).not.toBe(before.md1);
  });

  test('settings outside the server (labels, replicas, Kubernetes version, defaults of unset keys) rename nothing', async () => {
    const before = await names(base);
    const after = await names({
      ...groups({ md0: os(MINIMAL, { labels: { tier: 'web' }, replicas: 5 }), md1: os(FULL, { autoscaling: { enabled: true, min: 1, max: 3 } }) }),
      kubernetes: { version: 'v1.33' },
      nodeGroupDefaults: { kubelet: { extraArgs: { 'max-pods': '50' } } },
    });
    expect(after).toEqual(before);
  });

  test('the hash does not depend on the order keys are written in', async () => {
    const reordered = { serverMetadata: { owner: 'acme', empty: '', 'cost-center': 'k8s-42' }, flavorID: FULL.flavorID, image: FULL.image };
    const a = await names(groups({ md1: os({ ...FULL }) }));
    const b = await names(groups({ md1: os({ ...FULL, ...reordered }) }));
    expect(b).toEqual(a);
  });
});

describe('CAPO v0.14.7 CRD rules the validator evaluates on OpenStackMachineTemplates', () => {
  const osmt = (spec: Record<string, unknown>) => ({
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'OpenStackMachineTemplate',
    metadata: { name: 'rel-md0-0123abcd', namespace: 'ns' },
    spec: { template: { spec } },
  });
  const messages = (spec: Record<string, unknown>) => validateObjects([osmt(spec)], 'v1beta1').map((e) => `${e.path}: ${e.message}`);

  test('CEL: a flavor is required', () => {
    expect(messages({ image: { id: IDS.image } })).toEqual(['spec.template.spec: at least one of flavor or flavorID must be set']);
  });
  test('CEL: a volume zone from Name needs the name, from Machine none', () => {
    const root = (availabilityZone: unknown) => ({ flavor: 'f', image: { id: IDS.image }, rootVolume: { sizeGiB: 1, availabilityZone } });
    expect(messages(root({ from: 'Name' }))).toEqual(["spec.template.spec.rootVolume.availabilityZone: name is required when from is 'Name' or default"]);
    expect(messages(root({ from: 'Machine', name: 'x' }))).toEqual(["spec.template.spec.rootVolume.availabilityZone: name is required when from is 'Name' or default"]);
    expect(messages(root({ from: 'Machine' }))).toEqual([]);
  });
  test('an image by id and filter at once, an empty filter, a volume of size 0', () => {
    expect(messages({ flavor: 'f', image: { id: IDS.image, filter: { name: 'x' } } })).toEqual(['spec.template.spec.image: must NOT have more than 1 properties']);
    expect(messages({ flavor: 'f', image: { filter: {} } })).toEqual(['spec.template.spec.image.filter: must NOT have fewer than 1 properties']);
    expect(messages({ flavor: 'f', image: { id: IDS.image }, rootVolume: { sizeGiB: 0 } })).toEqual(['spec.template.spec.rootVolume.sizeGiB: must be >= 1, got number 0']);
  });
});

describe('render checks of nodeGroups.<g>.openstack (every engine)', () => {
  const FAILING: Array<[string, Record<string, unknown>, string]> = [
    ['no flavor', groups({ md0: os({ image: MINIMAL.image }) }), 'nodeGroups.md0.openstack: flavor or flavorID is required (the Nova flavor of the group\'s servers)'],
    ['both flavors', groups({ md0: os({ ...MINIMAL, flavorID: 'abc' }) }), 'nodeGroups.md0.openstack: give flavor or flavorID, not both'],
    ['no image', groups({ md0: os({ flavor: 'm1.large' }) }), 'nodeGroups.md0.openstack.image: id, or name and/or tags, is required (the Glance image of the group\'s servers)'],
    ['image by id and tags', groups({ md0: os({ flavor: 'm1.large', image: { id: IDS.image, tags: ['x'] } }) }), 'nodeGroups.md0.openstack.image: give id, or name and/or tags, not both'],
    ['volume type without a size', groups({ md0: os({ ...MINIMAL, rootVolume: { type: 'ssd' } }) }),
      'nodeGroups.md0.openstack.rootVolume: type and availabilityZone need sizeGiB (without a size the server boots from the flavor\'s disk)'],
    ['scaling from zero without a capacity', groups({ md0: os(MINIMAL, { autoscaling: { enabled: true, min: 0, max: 3, capacity: { cpu: '4' } } }) }),
      'nodeGroups.md0.autoscaling.capacity: cpu and memory are required to scale from zero (the chart cannot read the flavor; or run CAPO with --feature-gates=AutoScaleFromZero=true and set infrastructure.openstack.capacityFromFlavor)'],
    ['a bad group among good ones', { nodeGroupDefaults: { openstack: MINIMAL }, nodeGroups: { a: {}, b: os({ image: { id: IDS.image } }) } }, 'nodeGroups.b.openstack.image: give id, or name and/or tags, not both'],
  ];

  test.each(FAILING)('%s', async (_name, values, message) => {
    await renderFailing(chart, values, message);
  });

  test('scaling from zero passes with a capacity, or when CAPO reads the flavor', async () => {
    const autoscaling = { enabled: true, min: 0, max: 3 };
    await renderAgreeing(chart, groups({ md0: os(MINIMAL, { autoscaling: { ...autoscaling, capacity: { cpu: '4', memory: '8Gi' } } }) }));
    await renderAgreeing(chart, { ...groups({ md0: os(MINIMAL, { autoscaling }) }), infrastructure: { openstack: { capacityFromFlavor: true } } });
  });
});
