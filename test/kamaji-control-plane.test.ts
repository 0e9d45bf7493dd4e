/**
 * The KamajiControlPlane's exposure: what Kamaji advertises inside the tenant must be reachable from the
 * tenant's nodes (A1), and a NodePort control plane has an address and node ports the management cluster
 * accepts (A2). Each check runs on the evaluation backend, Helm 3 and Helm 4.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { expectRefused, expectRendered } from './harness/backends';
import { K8sObject } from './harness/objects';
import { formatErrors, validateObjects } from './harness/validate';

const ROOT = path.resolve(__dirname, '..');
const SOURCE = { addons: { repositories: { tenantCluster: { url: 'https://charts.example.com/tc' } } } };
const kcpOf = (objects: K8sObject[]) => objects.find((o) => o.kind === 'KamajiControlPlane')!;

describe('LoadBalancer source ranges (A1)', () => {
  test('the management pod CIDR (the workers\' addresses) is always allowed: Kamaji advertises the LB IP in the tenant', () => {
    const kcp = kcpOf(expectRendered({ ...SOURCE, controlPlane: { endpoint: { loadBalancer: { sourceRanges: ['203.0.113.0/24'] } } } }));
    expect(kcp.spec.network.loadBalancerConfig.loadBalancerSourceRanges).toEqual(['203.0.113.0/24', '10.244.0.0/16']);
  });

  test('it follows managementCluster.podCidr and is not added twice', () => {
    const kcp = kcpOf(expectRendered({
      ...SOURCE, managementCluster: { podCidr: '172.20.0.0/16' },
      controlPlane: { endpoint: { loadBalancer: { sourceRanges: ['172.20.0.0/16', '198.51.100.7/32'] } } },
    }));
    expect(kcp.spec.network.loadBalancerConfig.loadBalancerSourceRanges).toEqual(['172.20.0.0/16', '198.51.100.7/32']);
  });

  test('no source ranges: everyone may connect, nothing is rendered', () => {
    expect(kcpOf(expectRendered(SOURCE)).spec.network.loadBalancerConfig).toBeUndefined();
  });

  test('examples/ha.yaml restricts the load balancer and keeps its workers in', () => {
    const values = YAML.parse(fs.readFileSync(path.join(ROOT, 'examples', 'ha.yaml'), 'utf8'), { version: '1.1' });
    const kcp = kcpOf(expectRendered(values));
    expect(kcp.spec.network.loadBalancerConfig.loadBalancerSourceRanges).toEqual(['203.0.113.0/24', '198.51.100.0/24', '10.244.0.0/16']);
  });
});

describe('NodePort (A2)', () => {
  const NODE_PORT = { ...SOURCE, controlPlane: { endpoint: { type: 'NodePort', nodePort: { address: '192.0.2.10' } } } };

  test('the address becomes network.serviceAddress (Kamaji\'s networkProfile.address)', () => {
    const objects = expectRendered({ ...NODE_PORT, clusterNetwork: { apiServerPort: 30443 }, controlPlane: { ...NODE_PORT.controlPlane, addons: { konnectivity: { serverPort: 30132 } } } });
    expect(kcpOf(objects).spec.network).toMatchObject({ serviceType: 'NodePort', serviceAddress: '192.0.2.10' });
    expect(kcpOf(objects).spec.network.loadBalancerConfig).toBeUndefined();
    expect(formatErrors(validateObjects(objects, 'v1beta1'))).toBe('');
  });

  test('other endpoint types render no serviceAddress', () => {
    expect(kcpOf(expectRendered({ ...SOURCE, controlPlane: { endpoint: { nodePort: { address: '192.0.2.10' } } } })).spec.network.serviceAddress).toBeUndefined();
  });

  test('NodePort without an address is refused', () => {
    expectRefused({ ...SOURCE, controlPlane: { endpoint: { type: 'NodePort' } }, managementCluster: { serviceNodePortRange: '1-65535' } },
      'controlPlane.endpoint.nodePort.address', 'controlPlane.endpoint.nodePort.address: required with controlPlane.endpoint.type NodePort');
  });

  test('the address must be an IPv4 address (it becomes --advertise-address)', () => {
    expectRefused({ ...SOURCE, controlPlane: { endpoint: { type: 'NodePort', nodePort: { address: 'api.example.com' } } } },
      'controlPlane.endpoint.nodePort.address', 'controlPlane.endpoint.nodePort.address', { schema: true });
  });

  test('Kamaji uses the API server port as the node port: the default 6443 is outside the NodePort range', () => {
    expectRefused(NODE_PORT, 'clusterNetwork.apiServerPort',
      'clusterNetwork.apiServerPort: 6443 is outside managementCluster.serviceNodePortRange 30000-32767');
  });

  test('and the Konnectivity server port too (only when Konnectivity is on)', () => {
    const values = { ...NODE_PORT, clusterNetwork: { apiServerPort: 30443 } };
    expectRefused(values, 'controlPlane.addons.konnectivity.serverPort',
      'controlPlane.addons.konnectivity.serverPort: 8132 is outside managementCluster.serviceNodePortRange 30000-32767');
    expectRendered({ ...values, controlPlane: { ...NODE_PORT.controlPlane, addons: { konnectivity: { enabled: false } } } });
  });

  test('a management cluster with a wider NodePort range takes the default ports', () => {
    expectRendered({ ...NODE_PORT, managementCluster: { serviceNodePortRange: '6000-32767' } });
  });
});
