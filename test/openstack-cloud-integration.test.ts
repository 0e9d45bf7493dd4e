/**
 * The management side of the OpenStack cloud integration in a scratch chart: the OpenStack cloud-controller-manager,
 * the Cinder CSI controller and the HelmRelease of the `openstack-cinder-csi-node` chart (plus the OpenStackCluster
 * and a stand-in for Kamaji's Service with the Octavia annotations). Checked: Helm 3 ≡ Helm 4 ≡ the evaluation
 * backend, schema validity, DESIGN §4.6 (the management invariants), no credentials anywhere, every flag, config
 * key, controller name and annotation against what the pinned upstream releases read
 * (test/data/openstack/upstream.json), and the render checks.
 */
import { ApiObject } from 'cdk8s';
import { Values, valuesAt, When } from '../src/expr';
import { ChartRepository } from '../src/constructs/addons/chart-repository';
import { CinderCsi } from '../src/constructs/openstack/cinder-csi';
import { OCCM_CONTROLLERS, OpenStackCloudControllerManager } from '../src/constructs/openstack/openstack-cloud-controller-manager';
import { OCTAVIA_ANNOTATIONS, OCTAVIA_SERVICE_ANNOTATIONS, openStackEndpointChecks } from '../src/constructs/openstack/openstack-endpoint';
import { OpenStackInfrastructure } from '../src/constructs/openstack/openstack-infrastructure';
import { OPENSTACK_SUPPORT } from '../src/openstack-support';
import { validateValues } from '../src/render';
import { checkManagementInvariants, formatViolations, isComponent, K8sObject } from './harness/management-invariants';
import { MiniChart, objectNamed, renderAgreeing, renderFailing } from './harness/mini-chart';
import { IDS, openStackMiniChart } from './harness/openstack-mini';
import { CPO_TAGS, Gcfg, imageTag, parseGcfg, unknownConfigKeys, unknownFlags, UPSTREAM } from './harness/openstack-upstream';
import { formatErrors, validateObjectsReport } from './harness/validate';

const OCCM = 'rel-openstack-cloud-controller-manager';
const CINDER = 'rel-cinder-csi-controller';

let chart: MiniChart;
beforeAll(() => {
  chart = openStackMiniChart((c, context) => {
    const os = valuesAt('addons.openstack');
    const version = Values.str('kubernetes.version');
    const waitImage = Values.str('addons.images.waitForKubeconfig');
    const cinder = os.bool('cinderCsi.enabled');
    new OpenStackInfrastructure(c, 'Infrastructure', { context });
    const repository = new ChartRepository(c, 'Repository', {
      context, key: 'tenantCluster', nameSuffix: 'tenant-cluster', used: cinder, usedBy: 'addons.openstack.cinderCsi.enabled is true',
    });
    new OpenStackCloudControllerManager(new When(c, 'OccmEnabled', os.bool('cloudControllerManager.enabled')), 'CloudControllerManager', {
      context, kubernetesVersion: version, waitImage,
    });
    new CinderCsi(new When(c, 'CinderEnabled', cinder), 'CinderCsi', { context, repository, kubernetesVersion: version, waitImage });
    // Stands in for Kamaji's Service, whose annotations the KamajiControlPlane carries (phase 2).
    openStackEndpointChecks(c);
    new ApiObject(c, 'Endpoint', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'endpoint-annotations', namespace: `${context.namespace}` },
      // The annotations as data (cdk8s copies metadata.annotations key by key); tenant-cluster's KamajiControlPlane test checks them in place.
      data: OCTAVIA_SERVICE_ANNOTATIONS.call(valuesAt('controlPlane.endpoint').map('openstack'), valuesAt('controlPlane.endpoint').map('serviceAnnotations')),
    });
  });
});
afterAll(() => chart.dispose());

const SECRET = 'acme-prod-openstack';
const BASE = {
  infrastructure: { openstack: { identity: { secretName: SECRET }, network: { id: IDS.network, subnetID: IDS.subnet } } },
  addons: { repositories: { tenantCluster: { url: 'https://charts.example.com/tenant-cluster' } } },
};
const merge = (...docs: Array<Record<string, any>>): Record<string, any> => {
  const out: Record<string, any> = {};
  const into = (t: Record<string, any>, s: Record<string, any>) => {
    for (const [k, v] of Object.entries(s)) {
      if (v && typeof v === 'object' && !Array.isArray(v) && t[k] && typeof t[k] === 'object') into(t[k], v);
      else t[k] = JSON.parse(JSON.stringify(v));
    }
  };
  for (const d of docs) into(out, d);
  return out;
};

const CASES: Record<string, Record<string, unknown>> = {
  'defaults (an existing network)': BASE,
  'everything set': merge(BASE, {
    kubernetes: { version: 'v1.31' },
    infrastructure: { openstack: { identity: { cloudName: 'acme', region: 'RegionTwo', caCert: true }, externalNetworkID: IDS.external } },
    controlPlane: {
      endpoint: {
        openstack: {
          floatingNetworkID: IDS.external, floatingSubnetID: IDS.subnet, portID: IDS.port, keepFloatingIP: true, flavorID: IDS.image,
          availabilityZone: 'az-1', class: 'public', timeoutClientData: 600000, timeoutMemberData: 0,
        },
      },
    },
    addons: {
      openstack: {
        cloudControllerManager: {
          replicas: 2,
          extraArgs: { v: '2' },
          loadBalancer: {
            provider: 'ovn', method: 'SOURCE_IP_PORT', createMonitor: true, monitorDelay: '10s', monitorTimeout: '5s', monitorMaxRetries: 2,
            monitorMaxRetriesDown: 4, floatingSubnetID: IDS.subnet, subnetID: IDS.subnet, networkID: IDS.network, manageSecurityGroups: true,
          },
        },
        cinderCsi: {
          topology: false, ignoreVolumeAZ: true, rescanOnResize: true, nodeVolumeAttachLimit: 32, volumeSnapshotClass: true,
          storageClasses: { standard: { volumeType: 'standard', isDefault: true }, fast: { volumeType: 'ssd', zones: ['az-1'] } },
          controller: { replicas: 2, image: 'mirror.example.com/provider-os/cinder-csi-plugin:v1.31.4' },
        },
      },
    },
  }),
  'internal load balancers, no floating network anywhere': merge(BASE, {
    kubernetes: { version: 'v1.35' },
    controlPlane: { endpoint: { openstack: { internal: true } } },
    addons: { openstack: { cloudControllerManager: { loadBalancer: { internal: true, enabled: false } } } },
  }),
};

const deployment = (objects: K8sObject[], name: string) => objectNamed(objects, 'Deployment', name);
const containerOf = (d: K8sObject, name: string) => d.spec.template.spec.containers.find((c: K8sObject) => c.name === name);
const configOf = (objects: K8sObject[], d: K8sObject): { gcfg: Gcfg; text: string } => {
  const volume = d.spec.template.spec.volumes.find((v: K8sObject) => v.name === 'cloud-config');
  const text = objectNamed(objects, 'ConfigMap', volume.configMap.name).data['cloud.conf'];
  return { gcfg: parseGcfg(text), text };
};
const one = (g: Gcfg, section: string, key: string) => g[section]?.['']?.[key]?.[0];

const rendered: Record<string, K8sObject[]> = {};
async function render(name: string): Promise<K8sObject[]> {
  rendered[name] ??= await renderAgreeing(chart, CASES[name]) as K8sObject[];
  return rendered[name];
}

describe('rendered objects', () => {
  test.each(Object.keys(CASES))('%s: Helm 3 ≡ Helm 4 ≡ eval, schema-valid, nothing skipped', async (name) => {
    const objects = await render(name);
    const report = validateObjectsReport(objects, 'v1beta1');
    expect(formatErrors(report.errors)).toBe('');
    expect(report.skipped).toEqual([]);
  });

  test.each(Object.keys(CASES))('%s: DESIGN §4.6 holds; neither workload has a Role or a ServiceAccount token', async (name) => {
    const objects = await render(name);
    expect(formatViolations(checkManagementInvariants(objects))).toBe('');
    for (const d of [deployment(objects, OCCM), deployment(objects, CINDER)]) {
      expect(d.spec.template.spec.automountServiceAccountToken).toBe(false);
      expect(d.spec.template.spec.volumes.some((v: K8sObject) => v.secret?.secretName === 'rel-admin-kubeconfig')).toBe(true);
    }
    expect(objects.filter((o) => ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind))).toEqual([]);
    expect(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name).sort()).toEqual([CINDER, OCCM]);
    // The checker counts both as kubeconfig consumers (no vacuous pass).
    expect(isComponent(deployment(objects, OCCM), 'cloud-controller-manager')).toBe(true);
    expect(isComponent(deployment(objects, CINDER), 'csi-controller')).toBe(true);
  });

  test.each(Object.keys(CASES))('%s: no credentials rendered; the Secret only referenced (OpenStackCluster.identityRef, read-only volumes)', async (name) => {
    const objects = await render(name);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const references: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (typeof v === 'string') {
        for (const needle of ['application_credential', 'password', 'BEGIN ', 'auth_url']) {
          expect({ path, needle, found: v.includes(needle) }).toEqual({ path, needle, found: false });
        }
        if (v === SECRET) references.push(path);
      } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    };
    objects.forEach((o) => walk(o, `${o.kind}/${o.metadata.name}`));
    expect(references.sort()).toEqual([
      'Deployment/rel-cinder-csi-controller.spec.template.spec.volumes[4].secret.secretName',
      'Deployment/rel-openstack-cloud-controller-manager.spec.template.spec.volumes[3].secret.secretName',
      'OpenStackCluster/rel.spec.identityRef.name',
    ]);
    for (const d of [deployment(objects, OCCM), deployment(objects, CINDER)]) {
      const volume = d.spec.template.spec.volumes.find((v: K8sObject) => v.secret?.secretName === SECRET);
      for (const c of [...d.spec.template.spec.containers, ...d.spec.template.spec.initContainers]) {
        for (const m of (c.volumeMounts ?? []).filter((x: K8sObject) => x.name === volume.name)) expect(m.readOnly).toBe(true);
      }
      // Only the containers that talk to OpenStack see it.
      const mounting = d.spec.template.spec.containers.filter((c: K8sObject) => (c.volumeMounts ?? []).some((m: K8sObject) => m.name === volume.name));
      expect(mounting.map((c: K8sObject) => c.name)).toEqual([d.metadata.name === OCCM ? 'openstack-cloud-controller-manager' : 'cinder-csi-plugin']);
    }
  });
});

describe('cloud.conf: clouds.yaml from the Secret, keys the pinned releases read', () => {
  test.each(Object.keys(CASES))('%s: [Global] points at the mounted Secret; the components read the file they mount', async (name) => {
    const objects = await render(name);
    const identity = { cloudName: 'openstack', region: '', caCert: false, ...(CASES[name] as any).infrastructure.openstack.identity };
    for (const [d, container] of [[deployment(objects, OCCM), 'openstack-cloud-controller-manager'], [deployment(objects, CINDER), 'cinder-csi-plugin']] as const) {
      const c = containerOf(d, container);
      const { gcfg } = configOf(objects, d);
      const mount = (volume: string) => c.volumeMounts.find((m: K8sObject) => m.name === volume).mountPath;
      const secretVolume = d.spec.template.spec.volumes.find((v: K8sObject) => v.name === 'cloud-credentials').secret;
      expect(c.args).toContain(`--cloud-config=${mount('cloud-config')}/cloud.conf`);
      expect(one(gcfg, 'global', 'use-clouds')).toBe('true');
      expect(one(gcfg, 'global', 'clouds-file')).toBe(`${mount('cloud-credentials')}/clouds.yaml`);
      expect(secretVolume.items.map((i: K8sObject) => i.key)).toEqual(identity.caCert ? ['clouds.yaml', 'cacert'] : ['clouds.yaml']);
      expect(one(gcfg, 'global', 'cloud')).toBe(identity.cloudName);
      expect(one(gcfg, 'global', 'region')).toBe(identity.region || undefined);
      expect(one(gcfg, 'global', 'ca-file')).toBe(identity.caCert ? `${mount('cloud-credentials')}/cacert` : undefined);
    }
  });

  test.each(CPO_TAGS)('every key of both files is one cloud-provider-openstack %s reads', async (tag) => {
    const upstream = UPSTREAM.cloudProviderOpenstack[tag];
    for (const name of Object.keys(CASES)) {
      const objects = await render(name);
      expect({ name, unknown: unknownConfigKeys(configOf(objects, deployment(objects, OCCM)).gcfg, upstream.occmConfig.sections) }).toEqual({ name, unknown: [] });
      expect({ name, unknown: unknownConfigKeys(configOf(objects, deployment(objects, CINDER)).gcfg, upstream.cinderConfig.sections) }).toEqual({ name, unknown: [] });
    }
  });

  test('[LoadBalancer] from values; the floating network defaults to the infrastructure\'s external network', async () => {
    const defaults = configOf(await render('defaults (an existing network)'), deployment(await render('defaults (an existing network)'), OCCM)).gcfg.loadbalancer[''];
    expect(defaults).toEqual({
      'enabled': ['true'], 'lb-provider': ['amphora'], 'lb-method': ['ROUND_ROBIN'], 'create-monitor': ['false'], 'monitor-delay': ['5s'],
      'monitor-timeout': ['3s'], 'monitor-max-retries': ['1'], 'monitor-max-retries-down': ['3'], 'internal-lb': ['false'], 'manage-security-groups': ['false'],
    });
    const all = await render('everything set');
    expect(configOf(all, deployment(all, OCCM)).gcfg.loadbalancer['']).toEqual({
      'enabled': ['true'], 'lb-provider': ['ovn'], 'lb-method': ['SOURCE_IP_PORT'], 'create-monitor': ['true'], 'monitor-delay': ['10s'],
      'monitor-timeout': ['5s'], 'monitor-max-retries': ['2'], 'monitor-max-retries-down': ['4'], 'floating-network-id': [IDS.external],
      'floating-subnet-id': [IDS.subnet], 'subnet-id': [IDS.subnet], 'network-id': [IDS.network], 'internal-lb': ['false'], 'manage-security-groups': ['true'],
    });
    expect(configOf(all, deployment(all, CINDER)).gcfg.blockstorage['']).toEqual({ 'ignore-volume-az': ['true'] });
  });

  test('the pods restart when their own file changes, not the other\'s', async () => {
    const checksum = (objects: K8sObject[], name: string) => deployment(objects, name).spec.template.metadata.annotations['checksum/cloud-config'];
    const before = await render('defaults (an existing network)');
    const lbChanged = await renderAgreeing(chart, merge(BASE, { addons: { openstack: { cloudControllerManager: { loadBalancer: { createMonitor: true } } } } })) as K8sObject[];
    expect(checksum(lbChanged, OCCM)).not.toBe(checksum(before, OCCM));
    expect(checksum(lbChanged, CINDER)).toBe(checksum(before, CINDER));
  });
});

describe('flags, controllers and images against the pinned releases', () => {
  const MINORS = Object.keys(OPENSTACK_SUPPORT);

  test.each(MINORS)('Kubernetes %s: the release of the minor runs, with flags it has', async (minor) => {
    const objects = await renderAgreeing(chart, merge(BASE, { kubernetes: { version: `v${minor}` } })) as K8sObject[];
    const support = OPENSTACK_SUPPORT[minor];
    const upstream = UPSTREAM.cloudProviderOpenstack[support.cloudProviderOpenStackVersion];
    const occm = containerOf(deployment(objects, OCCM), 'openstack-cloud-controller-manager');
    expect(occm.image).toBe(support.occmImage);
    expect(occm.args[0]).toBe('/bin/openstack-cloud-controller-manager');
    expect(unknownFlags(occm.args, upstream.occmFlags.flags)).toEqual([]);
    const controllers = occm.args.find((a: string) => a.startsWith('--controllers=')).split('=')[1].split(',');
    expect(controllers).toEqual(OCCM_CONTROLLERS);
    const aliases = UPSTREAM.controllerAliases[upstream.modules['cloud-provider']].aliases;
    expect(controllers.filter((c: string) => !aliases.includes(c))).toEqual([]);

    const plugin = containerOf(deployment(objects, CINDER), 'cinder-csi-plugin');
    expect(plugin.image).toBe(support.cinderCsiPluginImage);
    expect(unknownFlags(plugin.args, upstream.cinderCsiPluginFlags.flags)).toEqual([]);
    // The node chart gets the same plugin, and the no-client flag where that release needs it.
    const release = objectNamed(objects, 'HelmRelease', 'rel-cinder-csi');
    expect(release.spec.values.image).toBe(support.cinderCsiPluginImage);
    expect(release.spec.values.nodeServiceNoOsClient).toBe(support.cinderNodeServiceNoOsClient);
  });

  test('the sidecars\' flags exist in the versions the values pin, and the provisioner knows the Topology gate', async () => {
    for (const name of Object.keys(CASES)) {
      const d = deployment(await render(name), CINDER);
      const repos: Record<string, string> = {
        'csi-attacher': 'external-attacher', 'csi-provisioner': 'external-provisioner', 'csi-resizer': 'external-resizer',
        'csi-snapshotter': 'external-snapshotter', 'liveness-probe': 'livenessprobe',
      };
      for (const c of d.spec.template.spec.containers.filter((x: K8sObject) => repos[x.name])) {
        const known = UPSTREAM.sidecars[repos[c.name]][imageTag(c.image)];
        expect({ name, c: c.name, pinned: known !== undefined }).toEqual({ name, c: c.name, pinned: true });
        expect({ name, c: c.name, unknown: unknownFlags(c.args, known.flags) }).toEqual({ name, c: c.name, unknown: [] });
        for (const gate of c.args.filter((a: string) => a.startsWith('--feature-gates=')).flatMap((a: string) => a.slice('--feature-gates='.length).split(','))) {
          const [gateName, value] = gate.split('=');
          const spec = known.featureGates?.find((g) => g.name === gateName);
          expect({ gate, known: spec !== undefined, settable: spec !== undefined && (!spec.lockToDefault || String(spec.default) === value) })
            .toEqual({ gate, known: true, settable: true });
        }
      }
    }
  });

  test('one CSI socket; sidecars watch the tenant and lease in its kube-system; the snapshotter only with snapshots', async () => {
    const objects = await render('defaults (an existing network)');
    const d = deployment(objects, CINDER);
    const plugin = containerOf(d, 'cinder-csi-plugin');
    const socketDir = plugin.volumeMounts.find((m: K8sObject) => m.name === 'socket-dir').mountPath;
    expect(plugin.args).toContain(`--endpoint=unix://${socketDir}/csi.sock`);
    expect(plugin.args).toContain('--provide-node-service=false');
    expect(plugin.args).not.toContain('--pvc-annotations');
    const names = d.spec.template.spec.containers.map((c: K8sObject) => c.name);
    expect(names).toEqual(['cinder-csi-plugin', 'csi-attacher', 'csi-provisioner', 'csi-resizer', 'liveness-probe']);
    for (const name of ['csi-attacher', 'csi-provisioner', 'csi-resizer']) {
      const c = containerOf(d, name);
      expect(c.args).toEqual(expect.arrayContaining([
        `--csi-address=${socketDir}/csi.sock`, '--kubeconfig=/etc/kubernetes/kubeconfig/super-admin.svc', '--leader-election=true', '--leader-election-namespace=kube-system',
      ]));
    }
    expect(containerOf(d, 'csi-provisioner').args).toContain('--feature-gates=Topology=true');
    const all = deployment(await render('everything set'), CINDER);
    expect(all.spec.template.spec.containers.map((c: K8sObject) => c.name)).toContain('csi-snapshotter');
    expect(containerOf(all, 'csi-provisioner').args).toContain('--feature-gates=Topology=false');
    expect(containerOf(all, 'cinder-csi-plugin').args).toContain('--with-topology=false');
  });

  test('OCCM: tenant kubeconfig for everything, cluster name unique per namespace, extra args last', async () => {
    const occm = containerOf(deployment(await render('everything set'), OCCM), 'openstack-cloud-controller-manager');
    expect(occm.args).toEqual([
      '/bin/openstack-cloud-controller-manager', '--cloud-provider=openstack', '--cloud-config=/etc/config/cloud.conf', '--cluster-name=ns-rel',
      '--controllers=cloud-node,cloud-node-lifecycle,service', '--use-service-account-credentials=false',
      '--kubeconfig=/etc/kubernetes/kubeconfig/super-admin.svc', '--authentication-kubeconfig=/etc/kubernetes/kubeconfig/super-admin.svc',
      '--authorization-kubeconfig=/etc/kubernetes/kubeconfig/super-admin.svc', '--bind-address=127.0.0.1', '--cert-dir=/tmp', '--leader-elect=true', '--v=2',
    ]);
  });
});

describe('the node chart\'s HelmRelease', () => {
  test('its values are the node chart\'s contract; StorageClass defaults are left to the tenant; the CNI is not waited for here', async () => {
    const release = objectNamed(await render('everything set'), 'HelmRelease', 'rel-cinder-csi');
    expect(release.spec.chart.spec).toMatchObject({ chart: 'openstack-cinder-csi-node', version: '1.0.0', sourceRef: { kind: 'HelmRepository', name: 'rel-tenant-cluster' } });
    expect(release.spec.targetNamespace).toBe('kube-system');
    expect(release.spec.values).toEqual({
      image: 'mirror.example.com/provider-os/cinder-csi-plugin:v1.31.4',
      nodeServiceNoOsClient: true,
      topology: false,
      rescanOnResize: true,
      nodeVolumeAttachLimit: 32,
      storageClasses: { standard: { volumeType: 'standard', isDefault: true }, fast: { volumeType: 'ssd', zones: ['az-1'] } },
      volumeSnapshotClass: true,
    });
    expect(validateValues('openstack-cinder-csi-node', release.spec.values)).toEqual([]);
    expect(release.spec.driftDetection.ignore).toEqual([{ paths: ['/metadata/annotations/storageclass.kubernetes.io~1is-default-class'], target: { group: 'storage.k8s.io', kind: 'StorageClass' } }]);
  });

  test('switched off: no controller, no release, no repository; the cloud-controller-manager alone', async () => {
    const objects = await renderAgreeing(chart, merge(BASE, { addons: { openstack: { cinderCsi: { enabled: false } }, repositories: { tenantCluster: { url: '' } } } })) as K8sObject[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).filter((k) => /cinder|tenant-cluster/.test(k))).toEqual([]);
    expect(deployment(objects, OCCM)).toBeDefined();
  });
});

describe('Octavia annotations of the control plane Service', () => {
  test.each(CPO_TAGS)('every key is one the load balancer code of %s reads', (tag) => {
    const keys = new Set(UPSTREAM.cloudProviderOpenstack[tag].serviceAnnotations.keys);
    expect(Object.values(OCTAVIA_ANNOTATIONS).filter((k) => !keys.has(k))).toEqual([]);
  });

  test('defaults: only the idle timeouts (4 h, above Konnectivity\'s 1 h keepalive); everything set; internal', async () => {
    const annotations = async (name: string) => objectNamed(await render(name), 'ConfigMap', 'endpoint-annotations').data;
    expect(await annotations('defaults (an existing network)')).toEqual({
      [OCTAVIA_ANNOTATIONS.timeoutClientData]: '14400000',
      [OCTAVIA_ANNOTATIONS.timeoutMemberData]: '14400000',
    });
    expect(await annotations('everything set')).toEqual({
      [OCTAVIA_ANNOTATIONS.floatingNetworkID]: IDS.external,
      [OCTAVIA_ANNOTATIONS.floatingSubnetID]: IDS.subnet,
      [OCTAVIA_ANNOTATIONS.portID]: IDS.port,
      [OCTAVIA_ANNOTATIONS.keepFloatingIP]: 'true',
      [OCTAVIA_ANNOTATIONS.flavorID]: IDS.image,
      [OCTAVIA_ANNOTATIONS.availabilityZone]: 'az-1',
      [OCTAVIA_ANNOTATIONS.class]: 'public',
      [OCTAVIA_ANNOTATIONS.timeoutClientData]: '600000',
    });
    expect(await annotations('internal load balancers, no floating network anywhere')).toMatchObject({ [OCTAVIA_ANNOTATIONS.internal]: 'true' });
  });
});

describe('render checks', () => {
  const FAILING: Array<[string, Record<string, unknown>, string]> = [
    ['internal endpoint with a floating network', merge(BASE, { controlPlane: { endpoint: { openstack: { internal: true, floatingNetworkID: IDS.external } } } }),
      'controlPlane.endpoint.openstack.internal: an internal load balancer has no floating IP: leave floatingNetworkID and floatingSubnetID empty'],
    ['two default StorageClasses', merge(BASE, { addons: { openstack: { cinderCsi: { storageClasses: { a: { isDefault: true }, b: { isDefault: true } } } } } }),
      'addons.openstack.cinderCsi.storageClasses: at most one StorageClass may set isDefault, got a, b'],
    ['a StorageClass name that is no DNS name', merge(BASE, { addons: { openstack: { cinderCsi: { storageClasses: { 'Gold SSD': {} } } } } }),
      'addons.openstack.cinderCsi.storageClasses: "Gold SSD" is not a valid StorageClass name (lowercase letters, digits, "-" and ".", at most 253 characters)'],
    ['a latest OCCM image', merge(BASE, { addons: { openstack: { cloudControllerManager: { image: 'registry.k8s.io/provider-os/openstack-cloud-controller-manager:latest' } } } }),
      'addons.openstack.cloudControllerManager.image: "registry.k8s.io/provider-os/openstack-cloud-controller-manager:latest" must name a version tag or digest other than "latest"'],
    ['a latest sidecar image', merge(BASE, { addons: { openstack: { cinderCsi: { controller: { sidecarImages: { snapshotter: 'registry.k8s.io/sig-storage/csi-snapshotter:latest' } } } } } }),
      'addons.openstack.cinderCsi.controller.sidecarImages.snapshotter: "registry.k8s.io/sig-storage/csi-snapshotter:latest" must name a version tag or digest other than "latest"'],
    ['Cinder without the repository of this project\'s charts', merge(BASE, { addons: { repositories: { tenantCluster: { url: '' } } } }),
      'addons.repositories.tenantCluster.url: required while addons.openstack.cinderCsi.enabled is true'],
    ['an unsupported Kubernetes minor', merge(BASE, { kubernetes: { version: 'v1.30' } }), 'kubernetes.version: v1.30 is not supported; supported minors: 1.31, 1.32, 1.33, 1.34, 1.35'],
  ];

  test.each(FAILING)('%s', async (_name, values, message) => {
    await renderFailing(chart, values, message);
  });
});
