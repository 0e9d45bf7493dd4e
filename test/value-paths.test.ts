/**
 * Typed value paths: every path the chart models read exists in the chart's values schema (generated
 * from the TypeScript values interfaces) with the type read (`int` an integer, `bool` a boolean …), so
 * a construct that reads `controlPlane.replicaz`, or `replicas` as a string, fails here rather than
 * rendering an empty field. The checker itself is tested on a model with such mistakes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { CHARTS } from '../src/charts';
import { MAGNUM_DOCUMENT } from '../src/charts/magnum-tenant-cluster/adapter';
import { ChartTemplates, Each, eachItem, lit, MERGE_DEFAULTS, RenderCheck, Values, valuesAt, When } from '../src/expr';
import { chartModel } from '../src/generator/chart-model';
import { buildMiniChart } from './harness/mini-chart';
import { valuePathProblems, valuePathsRead } from './harness/value-paths';

const ROOT = path.resolve(__dirname, '..');
const schemaOf = (chart: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'charts', chart, 'values.schema.json'), 'utf8'));

/**
 * What a chart's templates read as `.Values`: its values, or for a chart with a values adapter (the Magnum chart)
 * the adapted values: `tenant-cluster`'s contract, with the chart's own values under `magnum` (adapter.ts).
 */
function readSchemaOf(chart: string, model: ChartTemplates): Record<string, any> {
  const own = schemaOf(chart);
  if (!model.valuesAdapter) return own;
  const tenant = schemaOf('tenant-cluster');
  const { $schema: _s, title: _t, definitions, ...root } = own;
  return { ...tenant, properties: { ...tenant.properties, [MAGNUM_DOCUMENT]: { $ref: '#/definitions/AdaptedDocument' } },
    definitions: { ...tenant.definitions, ...definitions, AdaptedDocument: root } };
}

test.each(Object.keys(CHARTS))('%s: every value path the model reads is in the values schema with the type read', (chart) => {
  const model = chartModel(CHARTS[chart]);
  expect(valuePathProblems(model, readSchemaOf(chart, model))).toEqual([]);
  // The adapter itself reads the chart's own values.
  if (model.valuesAdapter) {
    expect(valuePathProblems({ objects: [], checks: [{ scopes: [], failWhen: model.valuesAdapter, message: lit('') }] }, schemaOf(chart))).toEqual([]);
  }
  // The check sees the model's reads (not an empty walk): the top-level values each chart is built on.
  expect(valuePathsRead(model).length).toBeGreaterThan(chart === 'tenant-cluster' ? 100 : 10);
});

test('the checker names missing paths and wrong types, through values, node-group variables and eachItem lists', () => {
  const schema = schemaOf('tenant-cluster');
  const mini = buildMiniChart((ch) => {
    const groups = new Each(ch, 'Groups', { collection: Values.map('nodeGroups'), keyVar: 'groupName', itemVar: 'groupValues' });
    const group = groups.let('group', MERGE_DEFAULTS.call(Values.map('nodeGroupDefaults'), groups.item));
    new ApiObject(new When(groups, 'On', group.bool('autoscaling.enabled')), 'Probe', {
      apiVersion: 'test/v1',
      kind: 'Probe',
      metadata: { name: 'p' },
      ok: [valuesAt('controlPlane').int('replicas'), group.int('replicas'), group.str('kubevirt.memory')],
      typo: valuesAt('controlPlane').int('replicaz'),
      wrongType: Values.str('controlPlane.replicas'),
      groupTypo: group.str('kubevirt.memroy'),
      groupWrongType: group.bool('replicas'),
      disks: eachItem(group.map('kubevirt.extraDisks'), { key: 'diskName', item: 'disk' }, (disk) => ({ size: disk.str('size'), bad: disk.int('size') })),
    });
    new RenderCheck(ch, 'Check', { failWhen: Values.bool('addons.cni.enabledd'), message: Values.str('addons.cni.type') });
  });
  try {
    expect(valuePathProblems(mini.templates, schema)).toEqual([
      { path: '$disk.size', read: 'int', schema: 'string' },
      { path: '$group.kubevirt.memroy', read: 'string', schema: 'missing' },
      { path: '$group.replicas', read: 'bool', schema: 'integer' },
      { path: '.Values.addons.cni.enabledd', read: 'bool', schema: 'missing' },
      { path: '.Values.controlPlane.replicas', read: 'string', schema: 'integer' },
      { path: '.Values.controlPlane.replicaz', read: 'int', schema: 'missing' },
    ]);
  } finally {
    mini.dispose();
  }
});

// ---------------------------------------------------------------------------------------------
// The OpenStack and VPN constructs, not wired into tenant-cluster yet: their reads against their
// contracts, grafted at the paths phase 2 gives them (as test/harness/openstack-mini.ts and
// test/harness/vpn.ts place their defaults)
// ---------------------------------------------------------------------------------------------

type Schema = Record<string, any>;

/** `sub` (a generated schema) at `at` below `root`, its definitions renamed `<prefix><name>` so they never clash. */
function graft(root: Schema, at: string[], sub: Schema, prefix: string): void {
  const rename = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rename);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(node)) {
      const v = (node as Record<string, unknown>)[k];
      out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/definitions/', `#/definitions/${prefix}`) : rename(v);
    }
    return out;
  };
  for (const [name, def] of Object.entries<Schema>(sub.definitions ?? {})) root.definitions[`${prefix}${name}`] = rename(def);
  const { definitions: _d, $schema: _s, title: _t, ...body } = rename(sub) as Schema;
  let node = root;
  for (const seg of at.slice(0, -1)) {
    const prop = node.properties[seg];
    node = prop.$ref ? root.definitions[prop.$ref.replace('#/definitions/', '')] : prop;
  }
  node.properties[at[at.length - 1]] = body;
}

function contractSchema(file: string, type: string): Schema {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generateValuesSchema } = require('../src/generator/values-schema') as typeof import('../src/generator/values-schema');
  return generateValuesSchema({ name: type, version: '0.0.0', valuesType: { file, name: type } } as never, ROOT);
}

test('OpenStack and VPN constructs: every value path they read is in their contracts (at the paths phase 2 gives them) with the type read', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { openStackMiniChart } = require('./harness/openstack-mini') as typeof import('./harness/openstack-mini');
  const { addVpn, VPN_MINI_DEFAULTS } = require('./harness/vpn') as typeof import('./harness/vpn');
  const { concat } = require('../src/expr') as typeof import('../src/expr');
  const { ChartRepository } = require('../src/constructs/addons/chart-repository') as typeof import('../src/constructs/addons/chart-repository');
  const { OpenStackInfrastructure } = require('../src/constructs/openstack/openstack-infrastructure') as typeof import('../src/constructs/openstack/openstack-infrastructure');
  const { OpenStackMachineTemplate } = require('../src/constructs/openstack/openstack-machine-template') as typeof import('../src/constructs/openstack/openstack-machine-template');
  const { OpenStackCloudControllerManager } = require('../src/constructs/openstack/openstack-cloud-controller-manager') as
    typeof import('../src/constructs/openstack/openstack-cloud-controller-manager');
  const { CinderCsi } = require('../src/constructs/openstack/cinder-csi') as typeof import('../src/constructs/openstack/cinder-csi');
  const { openStackEndpointChecks } = require('../src/constructs/openstack/openstack-endpoint') as typeof import('../src/constructs/openstack/openstack-endpoint');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const schema = schemaOf('tenant-cluster');
  const openstack = 'src/values/openstack-values.ts';
  graft(schema, ['infrastructure', 'openstack'], contractSchema(openstack, 'OpenStackInfrastructureValues'), 'OsInfra');
  const machine = contractSchema(openstack, 'OpenStackMachineValues');
  graft(schema, ['nodeGroupDefaults', 'openstack'], machine, 'OsMachineDefaults');
  const groupDef = resolveGroup(schema);
  graft({ definitions: schema.definitions, properties: { g: groupDef } } as Schema, ['g', 'openstack'], machine, 'OsMachine');
  graft(schema, ['controlPlane', 'endpoint', 'openstack'], contractSchema(openstack, 'EndpointOpenStackValues'), 'OsEndpoint');
  graft(schema, ['addons', 'openstack'], contractSchema(openstack, 'OpenStackAddonsValues'), 'OsAddons');
  graft(schema, ['addons', 'vpn'], contractSchema('src/values/vpn-values.ts', 'VpnValues'), 'Vpn');

  const os = openStackMiniChart((c, context) => {
    const values = valuesAt('addons.openstack');
    const version = Values.str('kubernetes.version');
    const waitImage = Values.str('addons.images.waitForKubeconfig');
    new OpenStackInfrastructure(c, 'Infrastructure', { context });
    const groups = new Each(c, 'NodeGroups', { collection: Values.map('nodeGroups'), keyVar: 'groupName', itemVar: 'groupValues' });
    const group = groups.let('group', MERGE_DEFAULTS.call(Values.map('nodeGroupDefaults'), groups.item));
    new OpenStackMachineTemplate(groups, 'MachineTemplate', {
      context, deploymentName: concat(context.clusterName, '-', groups.key), group, path: concat('nodeGroups.', groups.key),
      capacityFromFlavor: Values.bool('infrastructure.openstack.capacityFromFlavor'),
    });
    const cinder = values.bool('cinderCsi.enabled');
    const repository = new ChartRepository(c, 'Repository', {
      context, key: 'tenantCluster', nameSuffix: 'tenant-cluster', used: cinder, usedBy: 'addons.openstack.cinderCsi.enabled is true',
    });
    new OpenStackCloudControllerManager(new When(c, 'OccmEnabled', values.bool('cloudControllerManager.enabled')), 'CloudControllerManager', {
      context, kubernetesVersion: version, waitImage,
    });
    new CinderCsi(new When(c, 'CinderEnabled', cinder), 'CinderCsi', { context, repository, kubernetesVersion: version, waitImage });
    openStackEndpointChecks(c);
  });
  const vpn = buildMiniChart((c) => { addVpn(c); }, VPN_MINI_DEFAULTS);
  try {
    expect(valuePathProblems(os.templates, schema)).toEqual([]);
    expect(valuePathsRead(os.templates).filter((p) => p.includes('openstack')).length).toBeGreaterThan(40);
    expect(valuePathProblems(vpn.templates, schema)).toEqual([]);
    expect(valuePathsRead(vpn.templates).filter((p) => p.startsWith('addons.vpn.')).length).toBeGreaterThan(10);
  } finally {
    os.dispose();
    vpn.dispose();
  }
});

/** The schema of one node group (the values of `nodeGroups`). */
function resolveGroup(schema: Schema): Schema {
  let s = schema.properties.nodeGroups;
  while (s.$ref) s = schema.definitions[s.$ref.replace('#/definitions/', '')];
  const item = typeof s.additionalProperties === 'object' ? s.additionalProperties : Object.values<Schema>(s.patternProperties)[0];
  return item.$ref ? schema.definitions[item.$ref.replace('#/definitions/', '')] : item;
}
