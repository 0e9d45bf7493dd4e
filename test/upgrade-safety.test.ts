/**
 * Machine and bootstrap templates are immutable in practice: a change must produce a new name (and so
 * a rollout), an unrelated change must rename nothing, and the MachineDeployment must follow. On both chart
 * lines (the 2.x KubeadmConfigTemplate hashes its spec in the 1.x shape, so the same changes rename the same).
 */
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
