/**
 * The OpenStackCluster (src/constructs/openstack/openstack-infrastructure.ts) in a scratch chart: Helm 3 ≡ Helm 4
 * ≡ the evaluation backend for each network mode, every object valid against CAPO v0.14.7's CRD (CEL rules
 * included, both API targets), the fields the Kamaji provider and CAPO own never rendered, the credentials only
 * referenced, and the render checks of `infrastructure.openstack` in every engine.
 */
import { Values } from '../src/expr';
import { OpenStackInfrastructure } from '../src/constructs/openstack/openstack-infrastructure';
import { MiniChart, objectNamed, renderAgreeing, renderFailing } from './harness/mini-chart';
import { IDS, openStackMiniChart } from './harness/openstack-mini';
import { formatErrors, validateObjects, validateObjectsReport } from './harness/validate';
import { targetSchemas } from './harness/validate-schemas';
import { applyDefaults, refResolver } from './harness/validate-walk';

const CLUSTER = 'rel';

let chart: MiniChart;
beforeAll(() => {
  chart = openStackMiniChart((c, context) => {
    new OpenStackInfrastructure(c, 'Infrastructure', {
      context,
      disjointFrom: [
        { path: 'clusterNetwork.podCidr', cidr: Values.str('clusterNetwork.podCidr') },
        { path: 'clusterNetwork.serviceCidr', cidr: Values.str('clusterNetwork.serviceCidr') },
      ],
    });
  });
});
afterAll(() => chart.dispose());

const identity = { secretName: 'acme-prod-openstack' };
const os = (openstack: Record<string, unknown>) => ({ infrastructure: { openstack: { identity, ...openstack } } });

/** Value documents covering the network modes and every optional field. */
const CASES: Record<string, Record<string, unknown>> = {
  'existing network and subnet by ID, no external network': os({ network: { id: IDS.network, subnetID: IDS.subnet, nodeCidr: '10.20.0.0/24' } }),
  'existing network by filter, external network named': os({
    network: { filter: { name: 'acme-net', tags: ['k8s'] }, subnetFilter: { name: 'acme-subnet' } },
    externalNetworkID: IDS.external,
  }),
  'existing subnet only (CAPO takes its network)': os({ network: { subnetID: IDS.subnet } }),
  'managed network with DNS, MTU, router, external network, tags and rules': os({
    network: { nodeCidr: '10.30.0.0/24', dnsNameservers: ['192.0.2.53', '192.0.2.54'], mtu: 1450, routerID: IDS.router },
    externalNetworkID: IDS.external,
    tags: ['tenant-acme', 'prod'],
    identity: { ...identity, cloudName: 'acme', region: 'RegionTwo', caCert: true },
    securityGroups: {
      allowAllInClusterTraffic: false,
      workerRules: [
        { name: 'vxlan', direction: 'ingress', etherType: 'IPv4', protocol: 'udp', portRangeMin: 8472, portRangeMax: 8472, remoteManagedGroups: ['worker'] },
        { name: 'ssh-from-bastion', direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIPPrefix: '198.51.100.0/24' },
      ],
    },
  }),
  'managed network, security groups not managed': os({ securityGroups: { managed: false } }),
};

async function cluster(values: Record<string, unknown>): Promise<any> {
  const objects = await renderAgreeing(chart, values);
  expect(objects).toHaveLength(1);
  return objectNamed(objects, 'OpenStackCluster', CLUSTER);
}

describe('rendered OpenStackCluster', () => {
  test.each(Object.keys(CASES))('%s: Helm 3 ≡ Helm 4 ≡ eval, valid against CAPO v0.14.7 (CEL included), in both API targets', async (name) => {
    const osc = await cluster(CASES[name]);
    for (const target of ['v1beta1', 'v1beta2'] as const) {
      const report = validateObjectsReport([osc], target);
      expect(formatErrors(report.errors)).toBe('');
      expect(report.skipped).toEqual([]);
    }
    // Fields the Kamaji provider patches or CAPO derives: never Helm's.
    for (const field of ['apiServerFixedIP', 'apiServerPort', 'controlPlaneEndpoint', 'apiServerFloatingIP', 'bastion']) {
      expect({ field, present: field in osc.spec }).toEqual({ field, present: false });
    }
    // CAPO must reconcile it (network, security groups, status.ready).
    expect(osc.metadata.annotations?.['cluster.x-k8s.io/managed-by']).toBeUndefined();
    expect(osc.metadata.labels['cluster.x-k8s.io/cluster-name']).toBe(CLUSTER);
    expect(osc.spec.disableAPIServerFloatingIP).toBe(true);
    expect(osc.spec.apiServerLoadBalancer).toEqual({ enabled: false });
    // The credentials are referenced by name only.
    expect(osc.spec.identityRef.name).toBe('acme-prod-openstack');
    expect(JSON.stringify(osc)).not.toMatch(/clouds\.yaml|application_credential|password|BEGIN /);
  });

  test('existing network: network and subnet by ID, external network disabled (CAPO would pick among several)', async () => {
    const osc = await cluster(CASES['existing network and subnet by ID, no external network']);
    expect(osc.spec).toEqual({
      identityRef: { name: 'acme-prod-openstack', cloudName: 'openstack' },
      network: { id: IDS.network },
      subnets: [{ id: IDS.subnet }],
      disableExternalNetwork: true,
      apiServerLoadBalancer: { enabled: false },
      disableAPIServerFloatingIP: true,
      managedSecurityGroups: { allowAllInClusterTraffic: true },
    });
  });

  test('existing network by filter with a named external network: filters passed through, external network not disabled', async () => {
    const osc = await cluster(CASES['existing network by filter, external network named']);
    expect(osc.spec.network).toEqual({ filter: { name: 'acme-net', tags: ['k8s'] } });
    expect(osc.spec.subnets).toEqual([{ filter: { name: 'acme-subnet' } }]);
    expect(osc.spec.externalNetwork).toEqual({ id: IDS.external });
    expect(osc.spec.disableExternalNetwork).toBeUndefined();
    expect(osc.spec.managedSubnets).toBeUndefined();
  });

  test('existing subnet only: no network, no managed subnet', async () => {
    const osc = await cluster(CASES['existing subnet only (CAPO takes its network)']);
    expect(osc.spec.network).toBeUndefined();
    expect(osc.spec.subnets).toEqual([{ id: IDS.subnet }]);
    expect(osc.spec.managedSubnets).toBeUndefined();
    expect(osc.spec.disableExternalNetwork).toBe(true);
  });

  test('managed network: one managed subnet with the node CIDR and DNS servers, MTU, router, external network, identity region, rules', async () => {
    const osc = await cluster(CASES['managed network with DNS, MTU, router, external network, tags and rules']);
    expect(osc.spec).toEqual({
      identityRef: { name: 'acme-prod-openstack', cloudName: 'acme', region: 'RegionTwo' },
      managedSubnets: [{ cidr: '10.30.0.0/24', dnsNameservers: ['192.0.2.53', '192.0.2.54'] }],
      router: { id: IDS.router },
      networkMTU: 1450,
      externalNetwork: { id: IDS.external },
      apiServerLoadBalancer: { enabled: false },
      disableAPIServerFloatingIP: true,
      managedSecurityGroups: {
        allowAllInClusterTraffic: false,
        workerNodesSecurityGroupRules: [
          { name: 'vxlan', direction: 'ingress', etherType: 'IPv4', protocol: 'udp', portRangeMin: 8472, portRangeMax: 8472, remoteManagedGroups: ['worker'] },
          { name: 'ssh-from-bastion', direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIPPrefix: '198.51.100.0/24' },
        ],
      },
      tags: ['tenant-acme', 'prod'],
    });
  });

  test('the defaults make a managed network with the default node CIDR; unmanaged security groups render none', async () => {
    const osc = await cluster(CASES['managed network, security groups not managed']);
    expect(osc.spec.managedSubnets).toEqual([{ cidr: '10.0.0.0/24' }]);
    expect(osc.spec.managedSecurityGroups).toBeUndefined();
    expect(osc.spec.disableExternalNetwork).toBeUndefined();
  });
});

describe('CAPO v0.14.7 CRD rules the validator evaluates on OpenStackClusters', () => {
  const base = {
    apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
    kind: 'OpenStackCluster',
    metadata: { name: 'acme', namespace: 'tenant-acme' },
    spec: { identityRef: { name: 's', cloudName: 'openstack' }, disableExternalNetwork: true, disableAPIServerFloatingIP: true },
  };
  const messages = (spec: Record<string, unknown>) => validateObjects([{ ...base, spec: { ...base.spec, ...spec } }], 'v1beta1').map((e) => `${e.path}: ${e.message}`);

  test('the valid base passes', () => expect(messages({})).toEqual([]));
  test('CEL: disableExternalNetwork needs disableAPIServerFloatingIP', () => {
    expect(messages({ disableAPIServerFloatingIP: false })).toEqual(['spec: disableAPIServerFloatingIP cannot be false when disableExternalNetwork is true']);
  });
  test('network by id and filter at once, a non-UUID id, a second managed subnet, a comma in a tag', () => {
    expect(messages({ network: { id: IDS.network, filter: { name: 'x' } } })).toEqual(['spec.network: must NOT have more than 1 properties']);
    expect(messages({ network: { id: 'net-1' } })).toEqual(['spec.network.id: must be a valid uuid, got string "net-1"']);
    expect(messages({ managedSubnets: [{ cidr: '10.0.0.0/24' }, { cidr: '10.0.1.0/24' }] })).toEqual(['spec.managedSubnets: must NOT have more than 1 items']);
    expect(messages({ network: { filter: { tags: ['a,b'] } } })).toEqual(['spec.network.filter.tags[0]: must match pattern "^[^,]+$", got string "a,b"']);
  });
  test('the default of apiServerLoadBalancer.enabled is true: an empty object would ask CAPO for a load balancer', () => {
    // Why the construct renders `enabled: false` explicitly (nil would also do; {} would not).
    const ks = targetSchemas('v1beta1').get('infrastructure.cluster.x-k8s.io/v1beta1 OpenStackCluster')!;
    const data: any = structuredClone({ ...base, spec: { ...base.spec, apiServerLoadBalancer: {} } });
    applyDefaults(data, ks.schema, refResolver(ks.schema));
    expect(data.spec.apiServerLoadBalancer).toEqual({ enabled: true });
  });
});

describe('render checks of infrastructure.openstack (every engine)', () => {
  const FAILING: Array<[string, Record<string, unknown>, string]> = [
    ['no credentials Secret', { infrastructure: { openstack: { network: { id: IDS.network } } } },
      'infrastructure.openstack.identity.secretName: required: the Secret (keys clouds.yaml and, optionally, cacert) with the OpenStack credentials, in the release namespace'],
    ['network by id and filter', os({ network: { id: IDS.network, filter: { name: 'n' } } }), 'infrastructure.openstack.network: give id or filter, not both'],
    ['subnet by id and filter', os({ network: { subnetID: IDS.subnet, subnetFilter: { name: 's' } } }), 'infrastructure.openstack.network: give subnetID or subnetFilter, not both'],
    ['DNS servers with an existing network', os({ network: { id: IDS.network, dnsNameservers: ['192.0.2.53'] } }),
      'infrastructure.openstack.network.dnsNameservers: only applies when CAPO creates the network (no id, filter, subnetID or subnetFilter given)'],
    ['MTU with an existing subnet', os({ network: { subnetID: IDS.subnet, mtu: 1400 } }),
      'infrastructure.openstack.network.mtu: only applies when CAPO creates the network (no id, filter, subnetID or subnetFilter given)'],
    ['router with an existing network filter', os({ network: { filter: { name: 'n' }, routerID: IDS.router } }),
      'infrastructure.openstack.network.routerID: only applies when CAPO creates the network (no id, filter, subnetID or subnetFilter given)'],
    ['two rules of one name', os({ securityGroups: { workerRules: [{ name: 'a', direction: 'ingress' }, { name: 'b', direction: 'egress' }, { name: 'a', direction: 'egress' }] } }),
      'infrastructure.openstack.securityGroups.workerRules: two rules are named "a" (names must be unique)'],
    ['node CIDR inside the pod CIDR', os({ network: { nodeCidr: '10.243.7.0/24' } }), 'infrastructure.openstack.network.nodeCidr: 10.243.7.0/24 overlaps clusterNetwork.podCidr 10.243.0.0/16'],
    ['node CIDR inside the Service CIDR', os({ network: { nodeCidr: '10.95.128.0/24' } }), 'infrastructure.openstack.network.nodeCidr: 10.95.128.0/24 overlaps clusterNetwork.serviceCidr 10.95.0.0/16'],
  ];

  test.each(FAILING)('%s', async (_name, values, message) => {
    await renderFailing(chart, values, message);
  });
});
