/**
 * The `addons.vpn` values contract (src/values/vpn-values.ts), generated into a JSON schema the same way the charts'
 * schemas are: the defaults (src/charts/tenant-cluster/vpn-defaults.ts) satisfy it and give every key a value (the
 * defaults are written once, there: a JSDoc `@default` left in the contract must agree), and the values that cannot
 * work for OpenVPN or Kubernetes are refused by the schema. The same defaults check for the tenant-vpn-server chart.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { CHARTS, ChartDefinition } from '../src/charts';
import { VPN_DEFAULTS } from '../src/charts/tenant-cluster/vpn-defaults';
import { TENANT_VPN_SERVER_DEFAULTS } from '../src/charts/tenant-vpn-server/defaults';
import { coalesceValues, ValuesMap } from '../src/expr';
import { generateValuesSchemas } from '../src/generator/values-schema';

const ROOT = path.resolve(__dirname, '..');
type Schema = Record<string, any>;

const VPN_SCHEMAS = generateValuesSchemas({
  name: 'addons-vpn', version: '0.0.0', description: '', readme: '', defaults: VPN_DEFAULTS,
  valuesType: { file: 'src/values/vpn-values.ts', name: 'VpnValues' },
  compose: () => undefined,
} as ChartDefinition, ROOT);
const VPN_SCHEMA: Schema = VPN_SCHEMAS.schema;
/** The tenant-vpn-server chart's schema as the documentation reads it (with what the JSDoc says, `@default`s included). */
const SERVER_DOCS: Schema = generateValuesSchemas(CHARTS['tenant-vpn-server'], ROOT).docs;
const SERVER_SCHEMA: Schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'charts', 'tenant-vpn-server', 'values.schema.json'), 'utf8'));

const validator = (schema: Schema) => new Ajv({ allErrors: true, strict: false, ownProperties: true }).compile(schema);
const validVpn = validator(VPN_SCHEMA);
const vpnErrors = (user: Record<string, unknown>) => {
  validVpn(coalesceValues(VPN_DEFAULTS as unknown as ValuesMap, user as ValuesMap));
  return (validVpn.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};

/** Every `default` in the schema, by dotted path (following local `$ref`s). */
function schemaDefaults(root: Schema, node: Schema | undefined = root, at = '', out = new Map<string, unknown>()): Map<string, unknown> {
  let s = node;
  while (s?.$ref) s = root.definitions[s.$ref.replace('#/definitions/', '')];
  if (!s) return out;
  if (node?.default !== undefined) out.set(at, node.default);
  else if (s.default !== undefined) out.set(at, s.default);
  for (const [k, v] of Object.entries<Schema>(s.properties ?? {})) schemaDefaults(root, v, at ? `${at}.${k}` : k, out);
  return out;
}

/** The leaves of a defaults object (empty maps and lists count as leaves), by dotted path. */
function leaves(value: unknown, at = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, at ? `${at}.${k}` : k, out);
  } else {
    out.set(at, value);
  }
  return out;
}

/** Every required property path of a schema (following local `$ref`s, not into maps or lists), by dotted path. */
function schemaKeys(root: Schema, node: Schema | undefined = root, at = '', out: string[] = []): string[] {
  let s = node;
  while (s?.$ref) s = root.definitions[s.$ref.replace('#/definitions/', '')];
  for (const [k, v] of Object.entries<Schema | false>(s?.properties ?? {})) {
    // Optional keys (a CPU limit) may go without a default; a `false` property is a reserved key the schema refuses.
    if (v === false || !(s?.required ?? []).includes(k)) continue;
    const p = at ? `${at}.${k}` : k;
    out.push(p);
    schemaKeys(root, v, p, out);
  }
  return out;
}

describe.each([
  ['addons.vpn (VpnValues)', VPN_SCHEMA, VPN_SCHEMAS.docs, VPN_DEFAULTS],
  ['tenant-vpn-server', SERVER_SCHEMA, SERVER_DOCS, TENANT_VPN_SERVER_DEFAULTS],
] as const)('%s', (_name, schema, docs, defaults) => {
  test('the defaults satisfy the schema', () => {
    const validate = validator(schema);
    expect(validate(defaults) ? [] : validate.errors).toEqual([]);
  });

  test('every required key of the contract has a default (written once, in the defaults), and a @default left in the contract agrees', () => {
    const shipped = leaves(defaults);
    const missing = schemaKeys(docs).filter((p) => !shipped.has(p) && ![...shipped.keys()].some((l) => l.startsWith(`${p}.`)));
    expect(missing).toEqual([]);
    const documented = schemaDefaults(docs);
    const disagree = [...documented].filter(([p, v]) => shipped.has(p) && JSON.stringify(shipped.get(p)) !== JSON.stringify(v))
      .map(([p, v]) => `${p}: @default ${JSON.stringify(v)}, shipped ${JSON.stringify(shipped.get(p))}`);
    expect(disagree).toEqual([]);
  });
});

describe('addons.vpn: refused by the schema', () => {
  test.each([
    ['a transfer network of /30 (OpenVPN: /29 or larger)', { network: '10.255.255.0/30' }, '/network'],
    ['a transfer network of /8 (OpenVPN: at most /16)', { network: '10.0.0.0/8' }, '/network'],
    ['a transfer network without prefix', { network: '10.255.255.0' }, '/network'],
    ['port 0', { port: 0 }, '/port'],
    ['port above 65535', { port: 65536 }, '/port'],
    ['a fractional port', { port: 1194.5 }, '/port'],
    ['ping-restart below the 10 s ping', { pingRestartSeconds: 10 }, '/pingRestartSeconds'],
    ['a NodePort outside 30000–32767', { server: { nodePort: 1194 } }, '/server/nodePort'],
    ['six server replicas', { server: { replicas: 6 } }, '/server/replicas'],
    ['an endpoint with capitals', { endpoint: { host: 'VPN.example.com' } }, '/endpoint/host'],
    ['an endpoint with a port', { endpoint: { host: '203.0.113.10:1194' } }, '/endpoint/host'],
    ['a tls-crypt Secret name that is no object name', { tlsCrypt: { secretName: 'TLS_Crypt' } }, '/tlsCrypt/secretName'],
    ['an image without tag', { image: 'europe-docker.pkg.dev/gardener-project/releases/gardener/vpn-client' }, '/image'],
    ['an extra route that is no CIDR', { extraRoutes: ['192.168.0.0'] }, '/extraRoutes/0'],
    ['routeNodes as a string', { routeNodes: 'yes' }, '/routeNodes'],
    ['a sidecar without a memory limit', { resources: { limits: { memory: null } } }, '/resources/limits'],
    ['a chart version with a v', { chartVersion: 'v1.0.0' }, '/chartVersion'],
    ['an unknown key', { mode: 'vpn-only' }, ''],
  ] as const)('%s', (_name, user, at) => {
    const errors = vpnErrors(user as Record<string, unknown>);
    expect(errors.some((e) => e.startsWith(`${at} `))).toBe(true);
  });

  test.each([
    ['an IPv4 endpoint', { endpoint: { host: '203.0.113.10' } }],
    ['a DNS endpoint', { endpoint: { host: 'vpn.acme.example.com' } }],
    ['a /16 and a /29 transfer network', { network: '10.255.0.0/16' }],
    ['a /29 transfer network', { network: '10.255.255.248/29' }],
    ['everything set', {
      enabled: true, routeNodes: true, extraRoutes: ['192.168.0.0/16'], tlsCrypt: { secretName: 'acme-vpn-tls-crypt' }, port: 443,
      server: { replicas: 3, nodePort: 30000, loadBalancer: { sourceRanges: ['198.51.100.0/24'], annotations: { 'a/b': 'c' } } },
      values: { anything: { goes: true } },
    }],
  ] as const)('accepted: %s', (_name, user) => {
    expect(vpnErrors(user as Record<string, unknown>)).toEqual([]);
  });
});
