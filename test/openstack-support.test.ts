/**
 * The OpenStack support table (src/openstack-support.ts) against the support matrix and against what
 * cloud-provider-openstack's manifests pin at each tag (test/data/openstack/upstream.json); the support matrix
 * carries its images and the node plugin's no-client switch, read by `kubernetesSupport` in both backends.
 */
import { Chart } from 'cdk8s';
import { ApiObject } from 'cdk8s';
import { concat, lit, Values } from '../src/expr';
import { OPENSTACK_SUPPORT } from '../src/openstack-support';
import { KUBERNETES_SUPPORT, SUPPORT_MATRIX, supportFor } from '../src/support-matrix';
import { buildMiniChart, renderAgreeing, renderFailing } from './harness/mini-chart';
import { UPSTREAM } from './harness/openstack-upstream';

describe('the table', () => {
  test('the same minors as the support matrix', () => {
    expect(Object.keys(OPENSTACK_SUPPORT)).toEqual(Object.keys(SUPPORT_MATRIX));
  });

  test.each(Object.keys(OPENSTACK_SUPPORT))('%s: the release of the same minor, recorded with its commit; images as upstream\'s manifests pin them', (minor) => {
    const e = OPENSTACK_SUPPORT[minor];
    expect(e.cloudProviderOpenStackVersion).toMatch(new RegExp(`^v${minor.replace('.', '\\.')}\\.[0-9]+$`));
    const upstream = UPSTREAM.cloudProviderOpenstack[e.cloudProviderOpenStackVersion];
    expect(upstream).toBeDefined();
    expect(e.source).toEqual({
      repository: 'kubernetes/cloud-provider-openstack',
      tag: e.cloudProviderOpenStackVersion,
      commit: upstream.commit,
      files: Object.keys(upstream.manifestImages),
    });
    // It is built against k8s.io/* of the same minor (go.mod).
    expect(upstream.modules['cloud-provider']).toMatch(new RegExp(`^v0\\.${minor.split('.')[1]}\\.`));
    const images = upstream.manifestImages;
    expect(images['manifests/controller-manager/openstack-cloud-controller-manager-ds.yaml']).toEqual([e.occmImage]);
    const controller = images['manifests/cinder-csi-plugin/cinder-csi-controllerplugin.yaml'];
    const node = images['manifests/cinder-csi-plugin/cinder-csi-nodeplugin.yaml'];
    expect(controller).toContain(e.cinderCsiPluginImage);
    expect(node).toContain(e.cinderCsiPluginImage);
    const s = e.upstreamSidecars;
    expect([...controller].sort()).toEqual([s.attacher, s.provisioner, s.snapshotter, s.resizer, s.livenessProbe, e.cinderCsiPluginImage].sort());
    expect([...node].sort()).toEqual([s.nodeDriverRegistrar, s.livenessProbe, e.cinderCsiPluginImage].sort());
  });

  test.each(Object.keys(OPENSTACK_SUPPORT))('%s: the no-client flag exactly where the node service would otherwise build an OpenStack client', (minor) => {
    const e = OPENSTACK_SUPPORT[minor];
    expect(e.cinderNodeServiceNoOsClient).toBe(UPSTREAM.cloudProviderOpenstack[e.cloudProviderOpenStackVersion].cinderNode.buildsOpenStackClientUnlessNoClient);
  });

  test.each(Object.keys(OPENSTACK_SUPPORT))('%s: the support matrix carries the table\'s images and switch', (minor) => {
    const e = OPENSTACK_SUPPORT[minor];
    expect({
      occmImage: SUPPORT_MATRIX[minor].occmImage,
      cinderCsiPluginImage: SUPPORT_MATRIX[minor].cinderCsiPluginImage,
      cinderNodeServiceNoOsClient: SUPPORT_MATRIX[minor].cinderNodeServiceNoOsClient,
    }).toEqual({ occmImage: e.occmImage, cinderCsiPluginImage: e.cinderCsiPluginImage, cinderNodeServiceNoOsClient: e.cinderNodeServiceNoOsClient ? 'true' : '' });
  });

  test('supportFor reads them for minors and full versions, and refuses what the matrix refuses', () => {
    expect(supportFor('v1.34').occmImage).toBe('registry.k8s.io/provider-os/openstack-cloud-controller-manager:v1.34.1');
    expect(supportFor('1.31.2').cinderNodeServiceNoOsClient).toBe('true');
    expect(supportFor('v1.32.3').cinderNodeServiceNoOsClient).toBe('');
    expect(() => supportFor('v1.30')).toThrow('kubernetes.version: v1.30 is not supported; supported minors: 1.31, 1.32, 1.33, 1.34, 1.35');
  });
});

describe('kubernetesSupport for the OpenStack fields (Go ≡ evaluation backend)', () => {
  const build = (chart: Chart) => {
    const version = Values.str('version');
    new ApiObject(chart, 'Support', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'support' },
      data: {
        occm: KUBERNETES_SUPPORT.call(version, lit('occmImage')),
        cinder: KUBERNETES_SUPPORT.call(version, lit('cinderCsiPluginImage')),
        noClient: concat('[', KUBERNETES_SUPPORT.call(version, lit('cinderNodeServiceNoOsClient')), ']'),
      },
    });
  };

  test.each([['v1.31', 'v1.31.4', '[true]'], ['1.33.1', 'v1.33.1', '[]'], ['v1.35.0', 'v1.35.0', '[]']])('%s', async (version, tag, noClient) => {
    const chart = buildMiniChart(build, { version: 'v1.34' });
    try {
      const [cm] = await renderAgreeing(chart, { version });
      expect((cm as any).data).toEqual({
        occm: `registry.k8s.io/provider-os/openstack-cloud-controller-manager:${tag}`,
        cinder: `registry.k8s.io/provider-os/cinder-csi-plugin:${tag}`,
        noClient,
      });
    } finally {
      chart.dispose();
    }
  });

  test('an unsupported minor fails in every engine with the support matrix\'s message', async () => {
    const chart = buildMiniChart(build, { version: 'v1.34' });
    try {
      await renderFailing(chart, { version: 'v1.36' }, 'kubernetes.version: v1.36 is not supported; supported minors: 1.31, 1.32, 1.33, 1.34, 1.35');
    } finally {
      chart.dispose();
    }
  });
});
