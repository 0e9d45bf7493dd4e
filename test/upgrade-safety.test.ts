/**
 * Machine and bootstrap templates are immutable in practice: a change must produce a new name (and so
 * a rollout), an unrelated change must rename nothing, and the MachineDeployment must follow. On both chart
 * lines (the 2.x KubeadmConfigTemplate hashes its spec in the 1.x shape, so the same changes rename the same).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { renderChart } from '../src/render';
import { TENANT_CLUSTER_LINES } from './harness/lines';
import { K8sObject } from './harness/objects';

const RELEASE = { release: 'acme', namespace: 'tenant-acme' };
/** The CSI node chart's source URL has no default; these tests are about machines. */
const WITHOUT_CSI = { addons: { csi: { enabled: false } } };
const BASE = { nodeGroups: { workers: { replicas: 2 }, system: { replicas: 1 } } };

function namesOn(chart: string, values: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of renderChart(chart, { ...values, ...WITHOUT_CSI }, RELEASE) as K8sObject[]) {
    if (o.kind === 'KubevirtMachineTemplate' || o.kind === 'KubeadmConfigTemplate') {
      out[`${o.kind}/${o.metadata.name.replace(/-[0-9a-f]{8}$/, '')}`] = o.metadata.name;
    }
    if (o.kind === 'MachineDeployment') {
      out[`MachineDeployment/${o.metadata.name}/infrastructureRef`] = o.spec.template.spec.infrastructureRef.name;
      out[`MachineDeployment/${o.metadata.name}/configRef`] = o.spec.template.spec.bootstrap.configRef.name;
    }
  }
  return out;
}

function changed(a: Record<string, string>, b: Record<string, string>): string[] {
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  return Object.keys(a).filter((k) => a[k] !== b[k]).sort();
}

describe.each(TENANT_CLUSTER_LINES.map((l) => [l.chart, l.chart] as const))('%s', (_line, chart) => {
  const names = (values: object) => namesOn(chart, values);
  const base = names(BASE);

  test('template names carry an 8-hex content hash', () => {
    expect(base['KubevirtMachineTemplate/acme-workers']).toMatch(/^acme-workers-[0-9a-f]{8}$/);
    expect(base['KubeadmConfigTemplate/acme-workers']).toMatch(/^acme-workers-[0-9a-f]{8}$/);
  });

  test('changing a group\'s image renames exactly its machine template, and its MachineDeployment follows', () => {
    const next = names({ nodeGroups: { ...BASE.nodeGroups, workers: { replicas: 2, kubevirt: { bootImage: { containerDiskImage: 'registry.example.com/disk:v2' } } } } });
    expect(changed(base, next)).toEqual(['KubevirtMachineTemplate/acme-workers', 'MachineDeployment/acme-workers/infrastructureRef']);
    expect(next['MachineDeployment/acme-workers/infrastructureRef']).toBe(next['KubevirtMachineTemplate/acme-workers']);
  });

  test('changing a group\'s size renames exactly its machine template', () => {
    const next = names({ nodeGroups: { ...BASE.nodeGroups, workers: { replicas: 2, kubevirt: { cores: 4, memory: '8Gi' } } } });
    expect(changed(base, next)).toEqual(['KubevirtMachineTemplate/acme-workers', 'MachineDeployment/acme-workers/infrastructureRef']);
  });

  test('changing replicas or autoscaling renames nothing', () => {
    expect(changed(base, names({ nodeGroups: { workers: { replicas: 5 }, system: { replicas: 1 } } }))).toEqual([]);
    expect(changed(base, names({ nodeGroups: { workers: { autoscaling: { enabled: true, min: 1, max: 4 } }, system: { replicas: 1 } } }))).toEqual([]);
  });

  test('a bootstrap change renames only the bootstrap template', () => {
    const next = names({ nodeGroups: { ...BASE.nodeGroups, workers: { replicas: 2, labels: { tier: 'batch' } } } });
    expect(changed(base, next)).toEqual(['KubeadmConfigTemplate/acme-workers', 'MachineDeployment/acme-workers/configRef']);
    expect(next['MachineDeployment/acme-workers/configRef']).toBe(next['KubeadmConfigTemplate/acme-workers']);
  });

  test('a change in nodeGroupDefaults renames the templates of every group', () => {
    const next = names({ ...BASE, nodeGroupDefaults: { kubevirt: { cores: 3 } } });
    expect(changed(base, next)).toEqual([
      'KubevirtMachineTemplate/acme-system', 'KubevirtMachineTemplate/acme-workers',
      'MachineDeployment/acme-system/infrastructureRef', 'MachineDeployment/acme-workers/infrastructureRef',
    ]);
  });

  test('superseded templates are not kept (Helm deletes them on upgrade; they would pile up) and autoscaled groups render no replicas', () => {
    const objects = renderChart(chart, { ...WITHOUT_CSI, nodeGroups: { workers: { autoscaling: { enabled: true, min: 2, max: 6 } } } }, RELEASE) as K8sObject[];
    // Cluster API ignores missing templates of MachineSets that are not the MachineDeployment's current revision
    // (cluster-api v1.10.10 … v1.14.0 MachineSet `reconcileExternalTemplateReference`); the current revision's are in the release.
    for (const o of objects.filter((x) => x.kind.endsWith('Template'))) {
      expect(o.metadata.annotations?.['helm.sh/resource-policy']).toBeUndefined();
    }
    const md = objects.find((o) => o.kind === 'MachineDeployment')!;
    expect(md.spec.replicas).toBeUndefined();
    expect(md.metadata.annotations).toEqual({
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': '2',
      'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': '6',
      // Scale from zero: what the VM (nodeGroupDefaults: 2 cores, 4Gi) offers pods after kube-reserved (100m, 512Mi)
      // and the kubelet's 100Mi hard eviction threshold.
      'capacity.cluster-autoscaler.kubernetes.io/cpu': '1900m',
      'capacity.cluster-autoscaler.kubernetes.io/memory': '3484Mi',
    });
  });

  test('a change of the Kubernetes patch renames only the bootstrap templates (the kubelet they install) and rolls the groups', () => {
    const a = names({ ...BASE, kubernetes: { version: 'v1.34.1' } });
    const b = names({ ...BASE, kubernetes: { version: 'v1.34.2' } });
    expect(changed(a, b)).toEqual([
      'KubeadmConfigTemplate/acme-system', 'KubeadmConfigTemplate/acme-workers',
      'MachineDeployment/acme-system/configRef', 'MachineDeployment/acme-workers/configRef',
    ]);
  });
});

/**
 * The same promises on OpenStack workers, from the OpenStack examples. CAPO v0.14.7 never reads a Machine's
 * `spec.version` (no `Spec.Version` in its controllers/ or pkg/): the server is the flavor and the image of the
 * OpenStackMachineTemplate, so a Kubernetes version change must not rename it (the MachineDeployment's own
 * `spec.template.spec.version` and the bootstrap template roll the group), while a flavor or image change must
 * rename exactly the template of the group it touches (CAPO's webhook refuses spec changes of an
 * OpenStackMachineTemplate, pkg/webhooks/openstackmachinetemplate_webhook.go `ValidateUpdate`).
 */
describe('OpenStack examples', () => {
  const example = (file: string): Record<string, any> => YAML.parse(fs.readFileSync(path.join(__dirname, '..', 'examples', file), 'utf8'), { version: '1.1' });
  const render = (values: object) => renderChart('tenant-cluster', values, RELEASE) as K8sObject[];
  /** Every object by kind and name without its content hash: its name and its content. */
  function objectsOf(values: object): Record<string, { name: string; json: string }> {
    const out: Record<string, { name: string; json: string }> = {};
    for (const o of render(values)) {
      const key = `${o.kind}/${o.metadata.name.replace(/-[0-9a-f]{8}$/, '')}`;
      expect(out[key]).toBeUndefined();
      out[key] = { name: o.metadata.name, json: JSON.stringify(o) };
    }
    return out;
  }
  /** Objects whose name changed, and objects whose content changed under the same name. */
  function diff(a: ReturnType<typeof objectsOf>, b: ReturnType<typeof objectsOf>): { renamed: string[]; changed: string[] } {
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    const keys = Object.keys(a).sort();
    return {
      renamed: keys.filter((k) => a[k].name !== b[k].name),
      changed: keys.filter((k) => a[k].name === b[k].name && a[k].json !== b[k].json),
    };
  }
  const withGroup = (values: Record<string, any>, group: string, openstack: object) => ({
    ...values,
    nodeGroups: { ...values.nodeGroups, [group]: { ...values.nodeGroups[group], openstack: { ...values.nodeGroups[group].openstack, ...openstack } } },
  });
  const mdRef = (objects: K8sObject[], group: string) => objects.find((o) => o.kind === 'MachineDeployment' && o.metadata.name === `acme-${group}`)!
    .spec.template.spec.infrastructureRef.name;

  const ha = example('openstack-ha.yaml');
  const haBase = objectsOf(ha);
  const minimal = example('openstack.yaml');

  test('the examples have one hash-named OpenStackMachineTemplate per group', () => {
    expect(haBase['OpenStackMachineTemplate/acme-workers'].name).toMatch(/^acme-workers-[0-9a-f]{8}$/);
    expect(haBase['OpenStackMachineTemplate/acme-system'].name).toMatch(/^acme-system-[0-9a-f]{8}$/);
    expect(objectsOf(minimal)['OpenStackMachineTemplate/acme-md0'].name).toMatch(/^acme-md0-[0-9a-f]{8}$/);
  });

  test.each([
    ['flavor', 'workers', { flavor: 'm1.4xlarge' }],
    ['flavor-by-ID', 'system', { flavor: '', flavorID: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' }],
    ['image-name', 'system', { image: { name: 'ubuntu-2404-kube-v1.34.13' } }],
    ['image-ID', 'workers', { image: { id: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d', name: '' } }],
    ['root-volume', 'workers', { rootVolume: { sizeGiB: 200, type: 'ssd' } }],
  ])('a %s change renames exactly that group\'s OpenStackMachineTemplate and no KubeadmConfigTemplate; its MachineDeployment follows', (_what, group, change) => {
    const values = withGroup(ha, group, change);
    const next = objectsOf(values);
    expect(diff(haBase, next)).toEqual({ renamed: [`OpenStackMachineTemplate/acme-${group}`], changed: [`MachineDeployment/acme-${group}`] });
    expect(mdRef(render(values), group)).toBe(next[`OpenStackMachineTemplate/acme-${group}`].name);
  });

  test('the minimal example: a flavor change renames its one OpenStackMachineTemplate only', () => {
    expect(diff(objectsOf(minimal), objectsOf(withGroup(minimal, 'md0', { flavor: 'm1.xlarge' }))))
      .toEqual({ renamed: ['OpenStackMachineTemplate/acme-md0'], changed: ['MachineDeployment/acme-md0'] });
  });

  test('an image change in nodeGroupDefaults renames every group\'s OpenStackMachineTemplate, no KubeadmConfigTemplate', () => {
    const next = objectsOf({ ...ha, nodeGroupDefaults: { ...ha.nodeGroupDefaults, openstack: { ...ha.nodeGroupDefaults.openstack, image: { name: 'ubuntu-2404-kube-v1.34.13' } } } });
    expect(diff(haBase, next)).toEqual({
      renamed: ['OpenStackMachineTemplate/acme-system', 'OpenStackMachineTemplate/acme-workers'],
      changed: ['MachineDeployment/acme-system', 'MachineDeployment/acme-workers'],
    });
  });

  test.each([
    ['a patch', 'v1.34.1', 'v1.34.2'],
    ['a minor', 'v1.33', 'v1.34'],
  ])('%s change of kubernetes.version renames no OpenStackMachineTemplate', (_what, from, to) => {
    const a = objectsOf({ ...ha, kubernetes: { version: from } });
    const b = objectsOf({ ...ha, kubernetes: { version: to } });
    const { renamed } = diff(a, b);
    expect(renamed.filter((k) => k.startsWith('OpenStackMachineTemplate/'))).toEqual([]);
    // The groups still roll: their bootstrap templates (the kubelet they install) and versions change.
    expect(renamed.filter((k) => k.startsWith('KubeadmConfigTemplate/'))).toEqual(['KubeadmConfigTemplate/acme-system', 'KubeadmConfigTemplate/acme-workers']);
    for (const group of ['system', 'workers']) {
      const md = (values: object) => render(values).find((o) => o.kind === 'MachineDeployment' && o.metadata.name === `acme-${group}`)!.spec.template.spec.version;
      expect(md({ ...ha, kubernetes: { version: to } })).not.toBe(md({ ...ha, kubernetes: { version: from } }));
    }
  });

  // Changes Kubernetes accepts on a StorageClass (its parameters, provisioner, reclaimPolicy and volumeBindingMode are
  // immutable: kubernetes pkg/apis/storage/validation `ValidateStorageClassUpdate`), and a new class.
  test('a storageClasses change touches only the Cinder CSI node HelmRelease', () => {
    const cinder = ha.addons.openstack.cinderCsi;
    const next = objectsOf({
      ...ha,
      addons: { ...ha.addons, openstack: { ...ha.addons.openstack, cinderCsi: { ...cinder, storageClasses: {
        ...cinder.storageClasses, fast: { ...cinder.storageClasses.fast, allowVolumeExpansion: false, zones: ['az-1'] }, archive: { volumeType: 'hdd' },
      } } } },
    });
    expect(diff(haBase, next)).toEqual({ renamed: [], changed: ['HelmRelease/acme-cinder-csi'] });
  });
});
