/**
 * What the READMEs tell an operator about OpenStack workers agrees with upstream at the pinned tags (read into
 * test/data/openstack/upstream.json by projenrc/extract-openstack-upstream.mjs) and with what the chart renders:
 * the Cluster API version CAPO's minor needs, the ORC major it is built against, the first Kamaji release with
 * `advertiseAddress`, the CRD version the objects are validated against, and the credentials Secret's keys, which
 * CAPO reads by name and the two controllers read as files of the same Secret.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { renderChart } from '../src/render';
import { K8sObject } from './harness/objects';
import { parseGcfg, UPSTREAM } from './harness/openstack-upstream';

const ROOT = path.resolve(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const CHART_README = fs.readFileSync(path.join(ROOT, 'charts', 'tenant-cluster', 'README.md'), 'utf8');
/** Prose with its line breaks as spaces. */
const flat = (text: string) => text.replace(/\s+/g, ' ');
const CAPO = UPSTREAM.clusterApiProviderOpenstack;
const capoRow = (text: string) => text.split('\n').filter((l) => l.startsWith('| cluster-api-provider-openstack'));

describe('management prerequisites', () => {
  test('CAPO: the minor and the Cluster API its README pairs with it (">=v1.12" → "≥ 1.12"), and the CRDs validated against', () => {
    const clusterApi = /^>=v(\d+\.\d+)$/.exec(CAPO.clusterApiCompatibility.clusterApi);
    expect(clusterApi).not.toBeNull();
    const rows = capoRow(README);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(`${CAPO.clusterApiCompatibility.minor}.x with Cluster API ≥ ${clusterApi![1]}`);
    expect(rows[0]).toContain(`validated against the ${CAPO.tag} CRDs`);
    expect(rows[1]).toContain(`${CAPO.clusterApiCompatibility.minor}.x (CRDs of ${CAPO.tag}`);
    expect(README).toContain(`| Cluster API | ≥ ${clusterApi![1]} |`);
    expect(CHART_README).toContain(`| ${CAPO.tag} (needs Cluster API ≥ ${clusterApi![1]}`);
    // The vendored CRDs the validator uses are those of that tag.
    const sources = fs.readFileSync(path.join(ROOT, 'test', 'schemas', 'crds', 'SOURCES.md'), 'utf8').split('\n')
      .filter((l) => l.includes('cluster-api-provider-openstack/'));
    expect(sources.length).toBe(2);
    for (const l of sources) expect(l).toContain(`| \`${CAPO.tag}\` |`);
  });

  test('ORC: the major CAPO is built against', () => {
    const major = CAPO.builtAgainst.openstackResourceController.split('.')[0];
    expect(README).toContain(`ORC ${major}`);
    expect(README).toContain(`built against ${CAPO.builtAgainst.openstackResourceController}`);
    expect(flat(CHART_README)).toContain(`with ORC ${major}`);
  });

  test('Kamaji: the first release with advertiseAddress', () => {
    const { firstTag, commit } = UPSTREAM.kamaji.advertiseAddress;
    expect(flat(README)).toContain(`≥ ${firstTag} for \`controlPlane.endpoint.advertiseAddress\``);
    expect(flat(README)).toContain(`e51909f (#1111), first in tag ${firstTag}`);
    expect(commit.startsWith('e51909f')).toBe(true);
    expect(flat(CHART_README)).toContain(`Kamaji ≥ ${firstTag} for \`controlPlane.endpoint.advertiseAddress\``);
  });
});

describe('the credentials Secret', () => {
  const values = YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', 'openstack-ha.yaml'), 'utf8'), { version: '1.1' });
  const objects = renderChart('tenant-cluster', values, { release: 'acme', namespace: 'tenant-acme' }) as K8sObject[];
  const secret: string = values.infrastructure.openstack.identity.secretName;

  test('the README names the keys CAPO reads', () => {
    const { cloudsYaml, caCert } = CAPO.credentialsSecretKeys;
    expect(flat(README)).toContain(`CAPO reads its key \`${cloudsYaml}\` and the optional key \`${caCert}\``);
    expect(README).toContain(`--from-file=${cloudsYaml} --from-file=${caCert}=ca.pem`);
    expect(flat(CHART_README)).toContain(`with the key \`${cloudsYaml}\``);
    expect(flat(CHART_README)).toContain(`the key \`${caCert}\` (PEM)`);
  });

  test.each(['acme-openstack-cloud-controller-manager', 'acme-cinder-csi-controller'])(
    '%s reads CAPO\'s keys of the same Secret as its files, the CA included with identity.caCert', (name) => {
      const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!;
      const volume = d.spec.template.spec.volumes.find((v: any) => v.secret?.secretName === secret);
      // The file each Secret key becomes (a projected key, or the whole Secret): only CAPO's keys are read.
      const items: Array<{ key: string; path: string }> | undefined = volume.secret.items;
      const { cloudsYaml, caCert } = CAPO.credentialsSecretKeys;
      if (items) expect(items.map((i) => i.key).sort()).toEqual([caCert, cloudsYaml].sort());
      const fileOf = (key: string) => (items ? items.find((i) => i.key === key)!.path : key);
      const mountPath: string = d.spec.template.spec.containers.flatMap((c: any) => c.volumeMounts ?? []).find((m: any) => m.name === volume.name).mountPath;
      const configMap = d.spec.template.spec.volumes.find((v: any) => v.name === 'cloud-config').configMap.name;
      const gcfg = parseGcfg(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === configMap)!.data['cloud.conf']);
      expect(values.infrastructure.openstack.identity.caCert).toBe(true);
      expect(gcfg.global['']['clouds-file']).toEqual([`${mountPath}/${fileOf(cloudsYaml)}`]);
      expect(gcfg.global['']['ca-file']).toEqual([`${mountPath}/${fileOf(caCert)}`]);
    });
});
