/**
 * The values contracts of the upstream charts our HelmReleases install: `test/contracts/<chart>-<version>.json`,
 * data we derived ourselves (key path → JSON types) from each chart's values.yaml / values.schema.json at
 * the pinned tag, with the provenance in the file. Our own `kubevirt-csi-node`, `openstack-cinder-csi-node` and
 * `tenant-vpn-server` charts' contracts are their generated values schemas (`values-schemas/`).
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
export const CONTRACTS_DIR = path.join(ROOT, 'test', 'contracts');

/** `object`: a map with the listed keys only; `map`: a free-form map; `list`: items unchecked unless `<path>[]` is listed. */
export type ContractType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'map' | 'list' | 'null' | 'any';

export interface ChartContract {
  readonly chart: string;
  readonly version: string;
  readonly provenance: { readonly repository: string; readonly tag: string; readonly files: readonly string[] };
  /** Dotted key path (list items as `<path>[]`) → the types the chart takes there. */
  readonly keys: Readonly<Record<string, readonly ContractType[]>>;
}

/** The contract of a chart version, or undefined when none is recorded. */
export function contractOf(chart: string, version: string): ChartContract | undefined {
  if (chart === 'kubevirt-csi-node' || chart === 'openstack-cinder-csi-node' || chart === 'tenant-vpn-server') return ownChartContract(chart, version);
  const file = path.join(CONTRACTS_DIR, `${chart}-${version}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

/** Our own chart: its generated values schema is the contract (every object there is closed). */
function ownChartContract(chart: string, version: string): ChartContract | undefined {
  const file = path.join(ROOT, 'values-schemas', `${chart}-${version}.schema.json`);
  if (!fs.existsSync(file)) return undefined;
  const keys: Record<string, ContractType[]> = {};
  const visit = (node: any, at: string) => {
    const types: string[] = Array.isArray(node.type) ? node.type : node.type ? [node.type] : ['any'];
    keys[at] = types.map((t) => (t === 'object' ? (node.properties ? 'object' : 'map') : t === 'array' ? 'list' : t) as ContractType);
    for (const [k, v] of Object.entries<any>(node.properties ?? {})) visit(v, at ? `${at}.${k}` : k);
  };
  for (const [k, v] of Object.entries<any>(JSON.parse(fs.readFileSync(file, 'utf8')).properties)) visit(v, k);
  return { chart, version, provenance: { repository: 'this repository', tag: version, files: [path.relative(ROOT, file)] }, keys };
}

function typeOf(v: unknown): ContractType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return 'string';
}

function fits(actual: ContractType, allowed: readonly ContractType[]): boolean {
  if (allowed.includes('any') || allowed.includes(actual)) return true;
  if (actual === 'integer' && allowed.includes('number')) return true;
  if (actual === 'object' && allowed.includes('map')) return true;
  // A null default in values.yaml says nothing about the type the chart takes.
  return allowed.includes('null') && allowed.length === 1;
}

/** Every key of `values` that the contract does not have, or whose value has a type it does not take. */
export function contractViolations(values: unknown, contract: ChartContract): string[] {
  const out: string[] = [];
  const walk = (node: unknown, key: string, shown: string) => {
    const allowed = contract.keys[key];
    if (allowed === undefined) {
      out.push(`${shown}: ${contract.chart} ${contract.version} has no such key`);
      return;
    }
    const actual = typeOf(node);
    if (!fits(actual, allowed)) {
      out.push(`${shown}: ${contract.chart} ${contract.version} takes ${allowed.join(' or ')}, got ${actual} ${JSON.stringify(node)}`);
      return;
    }
    if (actual === 'object' && allowed.includes('object')) {
      for (const [k, v] of Object.entries(node as object)) walk(v, `${key}.${k}`, `${shown}.${k}`);
    } else if (actual === 'list' && contract.keys[`${key}[]`]) {
      (node as unknown[]).forEach((item, i) => walk(item, `${key}[]`, `${shown}[${i}]`));
    }
  };
  for (const [k, v] of Object.entries((values ?? {}) as object)) walk(v, k, k);
  return out;
}
