/**
 * Values that land in a CRD field unchanged carry the field's own schema in values.schema.json,
 * generated from the vendored CRD (issue 7 #15): a misspelt key or a wrong type is refused by Helm 3,
 * Helm 4 and `validate` at install, instead of being pruned or refused by the API server afterwards.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CRD_FIELD_VALUES, crdFieldSchema } from '../src/generator/values-schema';
import { expectRefused, expectRendered } from './harness/backends';

const ROOT = path.resolve(__dirname, '..');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'charts', 'tenant-cluster', 'values.schema.json'), 'utf8'));
const BASE = { addons: { csi: { enabled: false } } };
const dataVolume = (source: unknown) => ({ ...BASE, nodeGroups: { md0: { kubevirt: { bootImage: { type: 'dataVolume', dataVolume: { source } } } } } });
const SOURCE_PATH = 'nodeGroups.md0.kubevirt.bootImage.dataVolume.source';

/** Every property path of an OpenAPI/JSON schema object tree. */
function keysOf(s: any, prefix = ''): string[] {
  return Object.entries<any>(s.properties ?? {}).flatMap(([k, v]) => [`${prefix}${k}`, ...keysOf(v, `${prefix}${k}.`)]);
}

describe('kubevirt.bootImage.dataVolume.source has the DataVolume source schema of the vendored CRD', () => {
  const field = CRD_FIELD_VALUES.find((f) => f.definition === 'DataVolumeBootValues' && f.property === 'source')!;

  test.each(['DataVolumeBootValues', 'DataVolumeBootValuesAllRequired'])('%s.source: the CRD field\'s keys, closed, exactly one source', (def) => {
    const source = schema.definitions[def].properties.source;
    expect(keysOf(source).sort()).toEqual(keysOf(crdFieldSchema(ROOT, field)).sort());
    expect(source).toMatchObject({ type: 'object', additionalProperties: false, maxProperties: 1 });
    expect(source.properties.http).toMatchObject({ required: ['url'], additionalProperties: false });
    // An object without properties in the CRD accepts no keys (the API server would prune them).
    expect(source.properties.blank).toEqual({ type: 'object', additionalProperties: false });
  });

  test('a real source renders on every backend', () => {
    expectRendered(dataVolume({ http: { url: 'https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img', extraHeaders: ['X-A: b'] } }));
    expectRendered(dataVolume({ registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04', pullMethod: 'node', platform: { architecture: 'amd64' } } }));
  });

  test('a misspelt source type is refused', () => {
    // Both Helms name the object and the key: `<path>: Additional property htpp …`, `at '<pointer>': additional properties 'htpp' …`.
    expectRefused(dataVolume({ htpp: { url: 'https://x' } }), SOURCE_PATH, `${SOURCE_PATH}.htpp: unknown key`, { schema: true });
  });

  test('a misspelt key inside a source is refused', () => {
    expectRefused(dataVolume({ http: { uri: 'https://x' } }), `${SOURCE_PATH}.http`, `${SOURCE_PATH}.http.uri: unknown key`, { schema: true });
  });

  test('a wrong type is refused', () => {
    expectRefused(dataVolume({ http: { url: 'https://x', extraHeaders: 'X-A: b' } }), `${SOURCE_PATH}.http.extraHeaders`,
      `${SOURCE_PATH}.http.extraHeaders: must be array`, { schema: true });
  });

  test('keys inside an object the CRD leaves empty are refused', () => {
    expectRefused(dataVolume({ blank: { size: '1Gi' } }), `${SOURCE_PATH}.blank`, `${SOURCE_PATH}.blank.size: unknown key`, { schema: true });
  });

  test('two sources are refused (CDI takes exactly one)', () => {
    expectRefused(dataVolume({ http: { url: 'https://x' }, blank: {} }), SOURCE_PATH, `${SOURCE_PATH}: must NOT have more than 1 properties`, { schema: true });
  });

  test('no source with bootImage.type dataVolume is refused at render time', () => {
    expectRefused(dataVolume({}), SOURCE_PATH, `${SOURCE_PATH}: exactly one source (e.g. http, registry or pvc) is required with bootImage.type dataVolume, found 0`);
  });

  test('a group\'s source merged with nodeGroupDefaults\' into two is refused at render time', () => {
    expectRefused({ ...dataVolume({ registry: { url: 'docker://x' } }), nodeGroupDefaults: { kubevirt: { bootImage: { dataVolume: { source: { http: { url: 'https://x' } } } } } } },
      SOURCE_PATH, `${SOURCE_PATH}: exactly one source (e.g. http, registry or pvc) is required with bootImage.type dataVolume, found 2`);
  });

  test('nodeGroupDefaults too', () => {
    expectRefused({ ...BASE, nodeGroupDefaults: { kubevirt: { bootImage: { dataVolume: { source: { http: { url: 'https://x', secretref: 's' } } } } } } },
      'nodeGroupDefaults.kubevirt.bootImage.dataVolume.source.http', 'nodeGroupDefaults.kubevirt.bootImage.dataVolume.source.http.secretref: unknown key', { schema: true });
  });
});
