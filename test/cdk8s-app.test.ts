import { Testing } from 'cdk8s';
import { TenantClusterObjects, renderChart, ValuesError } from '../src';

test('TenantClusterObjects puts the chart\'s objects into a cdk8s chart, typed values, no Helm', () => {
  const chart = Testing.chart();
  new TenantClusterObjects(chart, 'acme', {
    name: 'acme',
    namespace: 'tenant-acme',
    values: { addons: { csi: { enabled: false } }, nodeGroups: { workers: { replicas: 3, kubevirt: { cores: 4 } } } },
  });
  const synthesized = Testing.synth(chart);
  const expected = renderChart('tenant-cluster', { addons: { csi: { enabled: false } }, nodeGroups: { workers: { replicas: 3, kubevirt: { cores: 4 } } } }, { release: 'acme', namespace: 'tenant-acme' });
  const key = (o: any) => `${o.kind}/${o.metadata.name}`;
  expect(synthesized.map(key).sort()).toEqual(expected.map(key).sort());
  const md = synthesized.find((o) => o.kind === 'MachineDeployment');
  expect(md.spec.replicas).toBe(3);
  expect(md.metadata.name).toBe('acme-workers');
});

test('invalid values throw with the value path', () => {
  expect(() => new TenantClusterObjects(Testing.chart(), 'x', { name: 'acme', namespace: 'ns', values: { controlPlane: { replicas: 0 } } }))
    .toThrow(ValuesError);
  expect(() => new TenantClusterObjects(Testing.chart(), 'x', { name: 'acme', namespace: 'ns', values: { controlPlane: { replicas: 0 } } }))
    .toThrow('controlPlane.replicas: must be >= 1');
});
