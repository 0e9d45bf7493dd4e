/**
 * The OpenStack parts of the values contract (src/values/openstack-values.ts) before they join TenantClusterValues:
 * the JSON schema generated from each interface accepts the defaults (src/charts/tenant-cluster/openstack-defaults.ts),
 * every key of an interface has a default (written once, there: a JSDoc `@default` left in the contract must agree), and every string that ends up in a gcfg
 * file or a CRD field with a format is constrained by the schema, so that values the schema accepts render objects
 * and config files the upstream readers accept.
 */
import Ajv, { ValidateFunction } from 'ajv';
import * as path from 'path';
import {
  OPENSTACK_ADDONS_DEFAULTS, OPENSTACK_ENDPOINT_DEFAULTS, OPENSTACK_INFRASTRUCTURE_DEFAULTS, OPENSTACK_MACHINE_DEFAULTS,
} from '../src/charts/tenant-cluster/openstack-defaults';
import { ChartDefinition } from '../src/charts/chart-definition';
import { generateValuesSchemas } from '../src/generator/values-schema';

const ROOT = path.resolve(__dirname, '..');
type Schema = Record<string, any>;

/** The schema as the documentation reads it: with what the JSDoc says (a `@default` left in the contract included). */
function schemaOf(type: string): Schema {
  const def = { name: `openstack-${type}`, version: '0.0.0', valuesType: { file: 'src/values/openstack-values.ts', name: type } } as unknown as ChartDefinition;
  return generateValuesSchemas(def, ROOT).docs;
}

const TYPES: Record<string, object> = {
  OpenStackInfrastructureValues: OPENSTACK_INFRASTRUCTURE_DEFAULTS,
  OpenStackMachineValues: OPENSTACK_MACHINE_DEFAULTS,
  EndpointOpenStackValues: OPENSTACK_ENDPOINT_DEFAULTS,
  OpenStackAddonsValues: OPENSTACK_ADDONS_DEFAULTS,
};

const schemas: Record<string, Schema> = {};
const validators: Record<string, ValidateFunction> = {};
beforeAll(() => {
  for (const type of Object.keys(TYPES)) {
    schemas[type] = schemaOf(type);
    validators[type] = new Ajv({ allErrors: true, strict: false, ownProperties: true }).compile(schemas[type]);
  }
}, 120_000);

const resolve = (root: Schema, s: Schema | undefined): Schema | undefined => {
  let cur = s;
  while (cur && typeof cur.$ref === 'string') cur = root.definitions?.[cur.$ref.replace('#/definitions/', '')];
  return cur;
};

/** Every object-typed property path of a schema with its node, walking into the defaults' own shape. */
function walk(root: Schema, node: Schema | undefined, value: unknown, at: string, visit: (path: string, s: Schema, v: unknown) => void): void {
  const s = resolve(root, node);
  if (!s) return;
  visit(at, s, value);
  if (s.properties && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, sub] of Object.entries<Schema>(s.properties)) walk(root, sub, (value as Record<string, unknown>)[k], at ? `${at}.${k}` : k, visit);
  }
}

describe.each(Object.keys(TYPES))('%s', (type) => {
  test('the defaults meet the schema', () => {
    const ok = validators[type](TYPES[type]);
    expect(validators[type].errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  // Node group settings are merged from nodeGroupDefaults, whose schema requires every key (values-schema.ts
  // `requireEveryDefault`); elsewhere the required keys need a default.
  const everyKey = type === 'OpenStackMachineValues';
  test(`every ${everyKey ? '' : 'required '}key of every object has a default, and a @default left in the contract is the default`, () => {
    const problems: string[] = [];
    walk(schemas[type], schemas[type], TYPES[type], '', (p, s, v) => {
      if ('default' in s && JSON.stringify(s.default) !== JSON.stringify(v)) problems.push(`${p}: @default ${JSON.stringify(s.default)} but the default is ${JSON.stringify(v)}`);
      if (s.properties && v !== null && typeof v === 'object' && !Array.isArray(v)) {
        // A `false` property is a key the schema refuses (`__proto__`, `constructor`, `prototype`), not one to default.
        const keys = (everyKey ? Object.keys(s.properties) : (s.required ?? [])).filter((k: string) => s.properties[k] !== false);
        for (const k of keys) if (!(k in (v as object))) problems.push(`${p ? `${p}.` : ''}${k}: no default`);
      }
    });
    expect(problems).toEqual([]);
  });
});

describe('strings that reach gcfg files or CRD formats are constrained', () => {
  const EVIL = ['a b', 'a;b', 'a#b', 'a\nb', 'a"b', 'a=b', ''];
  const cases: Array<[string, string, Array<string | number>, Array<string | number>]> = [
    // [type, dotted path, accepted, refused]
    ['OpenStackInfrastructureValues', 'identity.cloudName', ['openstack', 'acme_prod.v2'], EVIL],
    ['OpenStackInfrastructureValues', 'identity.region', ['RegionOne', ''], EVIL.filter((e) => e !== '')],
    ['OpenStackInfrastructureValues', 'identity.secretName', ['acme-prod-openstack', ''], ['Acme', 'a_b', 'a b']],
    ['OpenStackInfrastructureValues', 'externalNetworkID', ['', '1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b'], ['ext-net', '1e2f3a4b5c6d4e7f8a9b0c1d2e3f4a5b', 'a b']],
    ['OpenStackInfrastructureValues', 'network.id', [''], ['net-1']],
    ['OpenStackInfrastructureValues', 'network.routerID', [''], ['router']],
    ['OpenStackInfrastructureValues', 'network.mtu', [0, 1450, 9000], [-1, 1.5, 10000]],
    ['EndpointOpenStackValues', 'floatingNetworkID', [''], ['public']],
    ['EndpointOpenStackValues', 'class', ['public', ''], EVIL.filter((e) => e !== '')],
    ['EndpointOpenStackValues', 'timeoutClientData', [0, 14400000], [-1, 2073600001, 1.5]],
    ['OpenStackAddonsValues', 'cloudControllerManager.loadBalancer.method', ['ROUND_ROBIN', 'SOURCE_IP_PORT'], ['round_robin', 'RANDOM']],
    ['OpenStackAddonsValues', 'cloudControllerManager.loadBalancer.provider', ['amphora', 'ovn'], ['haproxy', '']],
    ['OpenStackAddonsValues', 'cloudControllerManager.loadBalancer.monitorDelay', ['5s', '1m30s'], ['5', 'five', '5 s']],
    ['OpenStackAddonsValues', 'cloudControllerManager.loadBalancer.floatingNetworkID', [''], ['public net']],
    ['OpenStackAddonsValues', 'cloudControllerManager.image', ['', 'registry.k8s.io/provider-os/openstack-cloud-controller-manager:v1.34.1'],
      ['registry.k8s.io/provider-os/openstack-cloud-controller-manager']],
    ['OpenStackAddonsValues', 'cinderCsi.nodeVolumeAttachLimit', [0, 256], [257, -1]],
  ];

  const set = (doc: unknown, dotted: string, value: unknown) => {
    const copy = JSON.parse(JSON.stringify(doc));
    const keys = dotted.split('.');
    let cur = copy;
    for (const k of keys.slice(0, -1)) cur = cur[k];
    cur[keys[keys.length - 1]] = value;
    return copy;
  };

  test.each(cases)('%s %s', (type, dotted, accepted, refused) => {
    for (const v of accepted) expect({ v, ok: validators[type](set(TYPES[type], dotted, v)) }).toEqual({ v, ok: true });
    for (const v of refused) expect({ v, ok: validators[type](set(TYPES[type], dotted, v)) }).toEqual({ v, ok: false });
  });

  test('a Neutron reference is an id or a filter, never both, never empty; filters need a criterion', () => {
    const sg = (securityGroups: unknown[]) => ({ ...OPENSTACK_MACHINE_DEFAULTS, securityGroups });
    const validate = validators.OpenStackMachineValues;
    expect(validate(sg([{ id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' }, { filter: { name: 'web' } }, { filter: { tags: ['a'] } }]))).toBe(true);
    for (const bad of [{}, { id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', filter: { name: 'web' } }, { filter: {} }, { filter: { tags: [] } }, { filter: { tags: ['a,b'] } }, { filter: { name: '' } }]) {
      expect({ bad, ok: validate(sg([bad])) }).toEqual({ bad, ok: false });
    }
  });
});
