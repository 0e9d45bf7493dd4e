/**
 * The OpenStack examples as a whole chart renders them (examples.test.ts proves Helm 3 ≡ Helm 4 ≡ the evaluation
 * backend for every example; these checks run on the evaluation backend's objects, on each line of the chart):
 * - every object is valid against its upstream schema, the CAPO v0.14.7 CRDs (CEL included) for the OpenStackCluster
 *   and the OpenStackMachineTemplates, with no check skipped;
 * - no object carries a credential: no Secret is rendered, no string looks like clouds.yaml content, and the
 *   operator's credentials Secret is only referenced, by the OpenStackCluster's `identityRef` and by the read-only
 *   volumes of the two controllers that talk to OpenStack (nothing that reaches the tenant names it).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { renderChart } from '../src/render';
import { TENANT_CLUSTER_LINES } from './harness/lines';
import { K8sObject } from './harness/objects';
import { formatErrors, validateObjectsReport } from './harness/validate';

const ROOT = path.resolve(__dirname, '..');
const RELEASE = { release: 'acme', namespace: 'tenant-acme' };
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.yaml') && /^\s*provider:\s*openstack\s*$/m.test(fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8')));
/** What a clouds.yaml or a PEM key would put into a string (CAPO's and cloud-provider-openstack's key names). */
const CREDENTIAL_MARKERS = ['application_credential', 'password', 'auth_url', 'BEGIN ', 'clouds:'];

function values(file: string): Record<string, any> {
  return YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'), { version: '1.1' });
}

test('every OpenStack example is found (with the VPN-only one)', () => {
  expect(EXAMPLES.sort()).toEqual(['openstack-ha.yaml', 'openstack-vpn.yaml', 'openstack.yaml']);
});

describe.each(TENANT_CLUSTER_LINES.map((l) => [l.chart, l] as const))('%s', (chart, line) => {
  test.each(EXAMPLES)('%s: every object valid against its schema (CAPO v0.14.7 CRDs for the OpenStack kinds), nothing skipped', (file) => {
    const objects = renderChart(chart, values(file), RELEASE) as K8sObject[];
    const report = validateObjectsReport(objects, line.target);
    expect(formatErrors(report.errors)).toBe('');
    expect(report.skipped).toEqual([]);
    const openstack = objects.filter((o) => o.apiVersion === 'infrastructure.cluster.x-k8s.io/v1beta1').map((o) => o.kind);
    expect(openstack).toContain('OpenStackCluster');
    expect(openstack.filter((k) => k === 'OpenStackMachineTemplate')).toHaveLength(Object.keys(values(file).nodeGroups).length);
    expect(objects.some((o) => /^Kubevirt/.test(o.kind))).toBe(false);
  });

  test.each(EXAMPLES)('%s: no credentials; the credentials Secret is only referenced by the OpenStackCluster and the two controllers\' read-only volumes', (file) => {
    const secret: string = values(file).infrastructure.openstack.identity.secretName;
    const objects = renderChart(chart, values(file), RELEASE) as K8sObject[];
    expect(objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name)).toEqual([]);
    const found: string[] = [];
    const references: string[] = [];
    const walk = (v: unknown, at: string): void => {
      if (typeof v === 'string') {
        for (const marker of CREDENTIAL_MARKERS) if (v.includes(marker)) found.push(`${at}: ${marker}`);
        if (v.includes(secret)) references.push(at);
      } else if (Array.isArray(v)) {
        v.forEach((x, i) => walk(x, `${at}[${i}]`));
      } else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          for (const marker of CREDENTIAL_MARKERS) if (k.includes(marker)) found.push(`${at}.${k} (key): ${marker}`);
          walk(x, `${at}.${k}`);
        }
      }
    };
    objects.forEach((o) => walk(o, `${o.kind}/${o.metadata.name}`));
    expect(found).toEqual([]);
    expect(references.map((r) => r.replace(/volumes\[\d+\]/, 'volumes[]')).sort()).toEqual([
      'Deployment/acme-cinder-csi-controller.spec.template.spec.volumes[].secret.secretName',
      'Deployment/acme-openstack-cloud-controller-manager.spec.template.spec.volumes[].secret.secretName',
      'OpenStackCluster/acme.spec.identityRef.name',
    ]);
    for (const d of objects.filter((o) => o.kind === 'Deployment' && /-(openstack-cloud-controller-manager|cinder-csi-controller)$/.test(o.metadata.name))) {
      const volume = d.spec.template.spec.volumes.find((v: any) => v.secret?.secretName === secret);
      const mounts = [...d.spec.template.spec.containers, ...(d.spec.template.spec.initContainers ?? [])]
        .flatMap((c: any) => (c.volumeMounts ?? []).filter((m: any) => m.name === volume.name));
      expect(mounts.length).toBeGreaterThan(0);
      for (const m of mounts) expect({ deployment: d.metadata.name, mount: m.mountPath, readOnly: m.readOnly }).toEqual({ deployment: d.metadata.name, mount: m.mountPath, readOnly: true });
    }
  });
});
