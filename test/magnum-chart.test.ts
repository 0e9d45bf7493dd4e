/**
 * `magnum-tenant-cluster`: what the Magnum CAPI Helm driver (openstack/magnum-capi-helm 1.4.0) gets when it installs
 * the chart. Documents are the driver's (examples/magnum/ and generated ones, test/harness/magnum-arbitrary.ts); Helm 3
 * and 4 run with the driver's own arguments and stdin (magnum-driver-helm.ts), the evaluation backend and `validate`
 * on the same values; the objects are checked against the CRDs and against what the driver reads back (names, labels),
 * computed here from the driver's rules, not from the chart's code.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { coalesceValues, ValuesMap } from '../src/expr';
import { AJV_OPTIONS, validateValues } from '../src/render';
import { helmBinaries, REPO_ROOT, runHelm, runHelmAsync } from './harness/helm';
import { ServedDirectory, serveDirectory } from './harness/serve-directory';
import { Doc, magnumCaseArb, pythonJsonDumps, sanitize } from './harness/magnum-arbitrary';
import { magnumValuesSchema } from './harness/magnum-chart';
import { driverArgs, driverHelm, driverRelease, fakeKubeApi, FakeKubeApi } from './harness/magnum-driver-helm';
import { exampleDocument, exampleRelease, exampleText, MAGNUM_EXAMPLES, MAGNUM_EXAMPLES_DIR } from './harness/magnum-examples';
import {
  DriverRelease, exampleSite, MAGNUM_CHART, MAGNUM_CHART_DIR, renderMagnumEval, renderMagnumHelm, republishedChart, RepublishedChart, validateMagnum,
} from './harness/magnum-render';
import { byKey, K8sObject, objectKey } from './harness/objects';
import { params, SEED } from './harness/properties';
import { formatErrors, validateObjects } from './harness/validate';

const SITE = exampleSite();
const NAMESPACE = 'magnum-9f3c2a7be41d4c0f8a6e5d2b1c0a7f93';

let chart: RepublishedChart;
let api: FakeKubeApi;
beforeAll(async () => {
  chart = republishedChart(SITE);
  api = await fakeKubeApi();
}, 120_000);
afterAll(async () => {
  chart?.dispose();
  await api?.close();
});

const named = (objects: readonly K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const names = (objects: readonly K8sObject[], kind: string) => named(objects, kind).map((o) => String(o.metadata.name)).sort();

/** Renders a document in every engine and asserts they agree; returns the objects. */
async function renderAll(doc: Doc, at: DriverRelease): Promise<K8sObject[]> {
  const evaluated = renderMagnumEval(doc, at, SITE);
  if (evaluated.error !== undefined) throw new Error(`evaluation backend refused: ${evaluated.error}`);
  expect(validateMagnum(doc, at, SITE)).toEqual([]);
  for (const h of await renderMagnumHelm(chart, doc, at, api)) {
    expect({ helm: h.name, code: h.code, stderr: h.stderr }).toEqual({ helm: h.name, code: 0, stderr: '' });
    expect({ helm: h.name, objects: byKey(h.objects!) }).toEqual({ helm: h.name, objects: byKey(evaluated.objects!) });
    // The driver waits for no hook: the release has none.
    expect({ helm: h.name, hooks: h.release?.hooks ?? [] }).toEqual({ helm: h.name, hooks: [] });
  }
  return evaluated.objects!;
}

/**
 * What the driver reads back (driver.py at 1.4.0) is there under the names it derives: the Cluster by the raw release
 * (`_get_capi_cluster`), the control plane by `sanitize(<release>-control-plane)`, MachineDeployments by
 * `sanitize(<release>-<group>)` with Machines labelled for `_nodegroup_machines_exist`, the OpenStackCluster by
 * `sanitize(<release>)` (CAPIMonitor); and the document's other settings where the driver meant them.
 */
function expectDriverView(objects: readonly K8sObject[], doc: Doc, release: string): void {
  const d = doc as any;
  const controlPlane = sanitize(`${release}-control-plane`);
  expect(names(objects, 'Cluster')).toEqual([release]);
  expect(names(objects, 'KamajiControlPlane')).toEqual([controlPlane]);
  expect(names(objects, 'OpenStackCluster')).toEqual([sanitize(release)]);
  const cluster = named(objects, 'Cluster')[0];
  expect(cluster.spec.controlPlaneRef).toMatchObject({ kind: 'KamajiControlPlane', name: controlPlane });
  expect(cluster.spec.infrastructureRef).toMatchObject({ kind: 'OpenStackCluster', name: sanitize(release) });
  const groups = d.nodeGroups as Doc[];
  expect(names(objects, 'MachineDeployment')).toEqual(groups.map((g) => sanitize(`${release}-${g.name}`)).sort());
  for (const g of groups) {
    const md = named(objects, 'MachineDeployment').find((o) => o.metadata.name === sanitize(`${release}-${g.name}`))!;
    expect(md.metadata.name.length).toBeLessThanOrEqual(63);
    expect(md.spec.clusterName).toBe(release);
    expect(md.spec.template.metadata.labels).toMatchObject({
      'capi.stackhpc.com/cluster': release, 'capi.stackhpc.com/component': 'worker', 'capi.stackhpc.com/node-group': g.name,
    });
    expect(md.spec.template.metadata.labels).toMatchObject(md.spec.selector.matchLabels);
    if (g.autoscale === 'true') {
      expect(md.spec.replicas).toBeUndefined();
      expect(md.metadata.annotations).toMatchObject({
        'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': String(g.machineCountMin),
        'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': String(g.machineCountMax),
      });
    } else {
      expect(md.spec.replicas).toBe(g.machineCount);
    }
    const template = named(objects, 'OpenStackMachineTemplate').find((o) => o.metadata.name === md.spec.template.spec.infrastructureRef.name)!;
    const server = template.spec.template.spec;
    const uuid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(String(g.machineFlavor));
    expect(uuid ? { flavorID: server.flavorID } : { flavor: server.flavor }).toEqual(uuid ? { flavorID: g.machineFlavor } : { flavor: g.machineFlavor });
    expect(server.image).toEqual({ id: d.machineImageId });
    expect(server.sshKeyName).toBe(d.machineSSHKeyName ?? undefined);
    const rootVolume = d.nodeGroupDefaults.machineRootVolume;
    // A volume type without a size: no root volume (servers boot from the flavor's disk).
    if (rootVolume?.diskSize) expect(server.rootVolume).toMatchObject({ sizeGiB: rootVolume.diskSize, ...(rootVolume.volumeType ? { type: rootVolume.volumeType } : {}) });
    else expect(server.rootVolume).toBeUndefined();
    const extra = ((d.nodeGroupDefaults.machineNetworking?.ports ?? []) as Doc[]).slice(1).map((p: any) => p.network.name);
    expect((server.ports ?? []).slice(1).map((p: any) => p.network?.filter?.name)).toEqual(extra);
    expect(names(objects, 'MachineHealthCheck').includes(md.metadata.name)).toBe(d.nodeGroupDefaults.healthCheck.enabled);
  }
  const kcp = named(objects, 'KamajiControlPlane')[0];
  expect(kcp.spec.replicas).toBe(d.controlPlane.machineCount);
  // api_master_lb_allowed_cidrs: the load balancer admits them, and the nodes' and the management cluster's egress.
  const ranges = kcp.spec.network.loadBalancerConfig?.loadBalancerSourceRanges;
  if (d.apiServer.allowedCidrs) {
    expect(ranges).toEqual(expect.arrayContaining([...d.apiServer.allowedCidrs, ...(SITE.site as any).workerEgressCidrs,
      ...(SITE.site as any).managementCluster.egressCidrs]));
  } else {
    expect(ranges).toBeUndefined();
  }
  // The credentials and CA Secrets are the driver's: referenced, never rendered.
  const osc = named(objects, 'OpenStackCluster')[0];
  expect(osc.spec.identityRef).toEqual({ name: d.cloudCredentialsSecretName, cloudName: 'openstack' });
  expect(names(objects, 'Secret')).toEqual([]);
  const network = d.clusterNetworking.internalNetwork;
  expect(osc.spec.network?.id).toBe(network.networkFilter?.id);
  expect(osc.spec.subnets?.[0]?.id).toBe(network.subnetFilter?.id);
  expect(osc.spec.externalNetwork).toEqual({ id: d.clusterNetworking.externalNetworkId });
  // One StorageClass per Cinder volume type, the default one marked.
  const cinder = named(objects, 'HelmRelease').find((o) => o.metadata.name === `${release}-cinder-csi`)!;
  const classes = cinder.spec.values.storageClasses as Record<string, any>;
  const entries = [d.addons.openstack.csiCinder.defaultStorageClass, ...d.addons.openstack.csiCinder.additionalStorageClasses];
  expect(Object.keys(classes).sort()).toEqual(entries.map((e: any) => e.name).sort());
  expect(Object.keys(classes).filter((k) => classes[k].isDefault)).toEqual([d.addons.openstack.csiCinder.defaultStorageClass.name]);
  for (const e of entries) expect(classes[e.name]).toMatchObject({ volumeType: e.volumeType, reclaimPolicy: e.reclaimPolicy, fsType: e.fstype });
  // The CNI: Cilium for cilium (kube-proxy replaced), Calico for calico, flannel and none (with kube-proxy).
  const cilium = d.addons.cni?.type === 'cilium';
  const cni = named(objects, 'HelmRelease').find((o) => o.metadata.name === `${release}-cni`)!;
  expect(cni.spec.chart.spec.chart).toBe(cilium ? 'cilium' : 'tigera-operator');
  expect(kcp.spec.addons.kubeProxy === undefined).toBe(cilium);
  // The tenant's load balancers as the labels ask.
  const lb = d.addons.openstack.cloudConfig.LoadBalancer;
  const cloudConf = named(objects, 'ConfigMap').find((o) => o.metadata.name === `${release}-openstack-cloud-controller-manager-cloud-config`)!;
  const conf = Object.values(cloudConf.data as Record<string, string>).join('\n');
  expect(conf).toContain(`lb-provider = ${lb['lb-provider']}`);
  expect(conf).toContain(`lb-method = ${lb['lb-method']}`);
  expect(conf).toContain(`create-monitor = ${lb['create-monitor']}`);
  // No hook: the driver runs Helm synchronously and waits for none.
  for (const o of objects) expect({ o: objectKey(o), hook: o.metadata.annotations?.['helm.sh/hook'] }).toEqual({ o: objectKey(o), hook: undefined });
}

describe('examples/magnum/: the driver\'s documents, one per situation', () => {
  test('each file is exactly what the driver pipes for its situation (json.dumps of _update_helm_release\'s document)', () => {
    const files = fs.readdirSync(MAGNUM_EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(MAGNUM_EXAMPLES.map((e) => `${e.name}.json`).sort());
    for (const e of MAGNUM_EXAMPLES) {
      expect({ file: e.name, text: fs.readFileSync(path.join(MAGNUM_EXAMPLES_DIR, `${e.name}.json`), 'utf8') }).toEqual({ file: e.name, text: exampleText(e) });
    }
  });

  test.each(MAGNUM_EXAMPLES.map((e) => [e.name, e] as const))('%s: Helm 3 ≡ Helm 4 ≡ evaluator, valid against the CRDs, read back by the driver', async (_name, e) => {
    const doc = exampleDocument(e);
    const at = exampleRelease(e);
    const objects = await renderAll(doc, at);
    const errors = validateObjects(objects, 'v1beta1');
    expect(formatErrors(errors)).toBe('');
    expectDriverView(objects, doc, at.release);
  });

  test('long-names: the release holds "--" and the longest node group fits exactly: raw Cluster, collapsed names, 63 characters', async () => {
    const e = MAGNUM_EXAMPLES.find((x) => x.name === 'long-names')!;
    const at = exampleRelease(e);
    expect(at.release).toContain('--');
    expect(at.release).toHaveLength(43);
    const objects = renderMagnumEval(exampleDocument(e), at, SITE).objects!;
    expect(names(objects, 'Cluster')).toEqual([at.release]);
    expect(names(objects, 'MachineDeployment').map((n) => n.length)).toEqual([57, 63]);
    expect(names(objects, 'MachineDeployment').every((n) => !n.includes('--'))).toBe(true);
  });
});

describe('generated driver documents (every supported combination of keys, nulls, CNIs, volume types, groups)', () => {
  const supported = magnumCaseArb({ supportedOnly: true });

  test('evaluator: 120 documents render, valid against the CRDs, read back by the driver', () => {
    fc.assert(fc.property(supported, (c) => {
      const r = renderMagnumEval(c.document, c, SITE);
      expect({ text: c.text, error: r.error }).toEqual({ text: c.text, error: undefined });
      expect(formatErrors(validateObjects(r.objects!, 'v1beta1'))).toBe('');
      expectDriverView(r.objects!, c.document, c.release);
    }), params(120));
  });

  test('the supported documents reach every situation: allowed CIDRs, existing networks, extra networks, root volumes, autoscaling, CNIs, "--"', () => {
    const cases = fc.sample(supported, { numRuns: 120, seed: SEED });
    const d = (c: { document: Doc }): any => c.document;
    const seen = (p: (c: { document: Doc; release: string }) => boolean) => cases.some(p);
    expect({
      allowedCidrs: seen((c) => d(c).apiServer.allowedCidrs !== undefined),
      existingNetwork: seen((c) => d(c).clusterNetworking.internalNetwork.networkFilter !== null),
      extraNetworks: seen((c) => d(c).nodeGroupDefaults.machineNetworking !== undefined),
      rootVolume: seen((c) => d(c).nodeGroupDefaults.machineRootVolume?.diskSize !== undefined),
      autoscale: seen((c) => d(c).nodeGroups.some((g: Doc) => g.autoscale === 'true')),
      cnis: new Set(cases.map((c) => d(c).addons.cni?.type ?? 'none')).size,
      doubleDash: seen((c) => c.release.includes('--')),
      volumeTypes: Math.max(...cases.map((c) => d(c).addons.openstack.csiCinder.additionalStorageClasses.length)) >= 3,
    }).toEqual({ allowedCidrs: true, existingNetwork: true, extraNetworks: true, rootVolume: true, autoscale: true, cnis: 4, doubleDash: true, volumeTypes: true });
  });

  test('every document the schema accepts renders, or is refused in the driver\'s terms (never with tenant-cluster\'s paths): 300 documents', () => {
    // Refusals name the driver's keys, the release or the operator's site settings (MagnumChecks).
    const driverPaths = /^(kubernetesVersion|osDistro|clusterNetworking\.|apiServer\.|authWebhook|addons\.|nodeGroups\.|nodeGroupDefaults\.|site\.|release name )/;
    let refused = 0;
    fc.assert(fc.property(magnumCaseArb(), (c) => {
      const r = renderMagnumEval(c.document, c, SITE);
      if (r.error === undefined) return;
      refused++;
      expect({ text: c.text, error: r.error, driverTerms: driverPaths.test(r.error) }).toEqual({ text: c.text, error: r.error, driverTerms: true });
    }), params(300));
    expect(refused).toBeGreaterThan(0);
  });

  test('Helm 3 and 4, as the driver runs them, render what the evaluator renders (12 documents)', async () => {
    for (const c of fc.sample(supported, { numRuns: 12, seed: SEED + 21 })) await renderAll(c.document, c);
  }, 600_000);
});

describe('the driver\'s helm invocation, with the chart from a Helm repository', () => {
  test('--repo/--version: the published chart refuses until the operator republishes it with site settings; republished, it renders', async () => {
    const e = MAGNUM_EXAMPLES.find((x) => x.name === 'minimal')!;
    const at = exampleRelease(e);
    const stdin = exampleText(e).trimEnd();
    const published = fs.readFileSync(path.join(REPO_ROOT, 'dist', `${MAGNUM_CHART}-1.0.0.tgz`));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'magnum-repo-'));
    const repoDir = (name: string) => {
      const dir = path.join(work, name);
      fs.mkdirSync(dir, { recursive: true });
      return dir;
    };
    const servers: ServedDirectory[] = [];
    const serve = async (dir: string) => {
      const server = await serveDirectory(dir);
      servers.push(server);
      return server.url;
    };
    try {
      const helm3 = helmBinaries()[0];
      // The project's repository (dist/), as an operator serves it.
      const dist = repoDir('dist');
      fs.writeFileSync(path.join(dist, `${MAGNUM_CHART}-1.0.0.tgz`), published);
      expect(runHelm(helm3, ['repo', 'index', dist]).code).toBe(0);
      const distUrl = await serve(dist);
      for (const helm of helmBinaries()) {
        const r = await driverHelm(helm, { ...at, chart: MAGNUM_CHART, repo: distUrl, version: '1.0.0', stdin, api });
        expect({ helm: helm.name, code: r.code }).toEqual({ helm: helm.name, code: 1 });
        expect(r.stderr).toContain('site.addonRepositories.tenantCluster.url: required');
      }
      // Republished: pulled, values.yaml edited, packaged, indexed, served (README "OpenStack Magnum").
      const pulled = repoDir('pulled');
      // Asynchronously: the repository is served from this process.
      expect((await runHelmAsync(helm3, ['pull', MAGNUM_CHART, '--repo', distUrl, '--version', '1.0.0', '--untar', '--untardir', pulled])).code).toBe(0);
      const values = path.join(pulled, MAGNUM_CHART, 'values.yaml');
      fs.writeFileSync(values, `${JSON.stringify(coalesceValues(YAML.parse(fs.readFileSync(values, 'utf8')) as ValuesMap, SITE), null, 2)}\n`);
      const site = repoDir('site');
      expect(runHelm(helm3, ['package', path.join(pulled, MAGNUM_CHART), '--destination', site]).code).toBe(0);
      expect(runHelm(helm3, ['repo', 'index', site]).code).toBe(0);
      const siteUrl = await serve(site);
      const expected = renderMagnumEval(exampleDocument(e), at, SITE).objects!;
      for (const helm of helmBinaries()) {
        const r = await driverHelm(helm, { ...at, chart: MAGNUM_CHART, repo: siteUrl, version: '1.0.0', stdin, api });
        expect({ helm: helm.name, code: r.code, stderr: r.stderr }).toEqual({ helm: helm.name, code: 0, stderr: '' });
        // The driver json.loads stdout: it is the release record, with the objects in `manifest`.
        const { release, objects } = driverRelease(r);
        expect({ name: release.name, namespace: release.namespace, version: release.chart.metadata.version }).toEqual({ name: at.release, namespace: at.namespace, version: '1.0.0' });
        expect(byKey(objects as K8sObject[])).toEqual(byKey(expected));
        expect(r.args).toEqual(driverArgs({ ...at, chart: MAGNUM_CHART, repo: siteUrl, version: '1.0.0' }, api.kubeconfig));
      }
    } finally {
      await Promise.all(servers.map((s) => s.close()));
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 300_000);

  test('the same document sent again renders the same bytes (an upgrade that changes nothing changes nothing)', async () => {
    const e = MAGNUM_EXAMPLES.find((x) => x.name === 'autoscaled')!;
    const at = exampleRelease(e);
    const runs = await Promise.all([0, 1].map(() => renderMagnumHelm(chart, exampleDocument(e), at, api)));
    for (const [i, h] of runs[0].entries()) expect(runs[1][i].release?.manifest).toBe(h.release?.manifest);
  }, 120_000);
});

describe('refused with the driver\'s words, nothing rendered, in Helm 3, Helm 4, the evaluator and validate', () => {
  const base = () => exampleDocument(MAGNUM_EXAMPLES.find((x) => x.name === 'minimal')!);
  const at = exampleRelease(MAGNUM_EXAMPLES.find((x) => x.name === 'minimal')!);
  const edit = (f: (d: any) => void) => {
    const d = JSON.parse(JSON.stringify(base()));
    f(d);
    return d as Doc;
  };
  const cases: Array<{ name: string; doc: Doc; release?: string; site?: ValuesMap; message: string }> = [
    { name: 'os_distro flatcar', doc: edit((d) => { d.osDistro = 'flatcar'; }),
      message: 'osDistro: "flatcar" (Glance property os_distro of the cluster template\'s image) is not supported by this chart: its nodes join with kubeadm '
        + 'through cloud-init; use an image whose os_distro is ubuntu' },
    { name: 'master_lb_floating_ip_enabled=false', doc: edit((d) => { d.apiServer.associateFloatingIP = false; }),
      message: 'apiServer.associateFloatingIP: false (label master_lb_floating_ip_enabled=false) is not supported: the control plane runs in the management '
        + 'cluster, and the nodes reach it only through a floating IP' },
    { name: 'keystone_auth_enabled=true', doc: edit((d) => {
      d.addons.openstack.k8sKeystoneAuth = { enabled: true, values: { openstackAuthUrl: 'https://keystone.example.com/v3', projectId: 'abc' } };
      d.authWebhook = 'k8s-keystone-auth';
    }), message: 'authWebhook: k8s-keystone-auth (label keystone_auth_enabled=true) is not supported by this chart yet; remove the label' },
    { name: 'monitoring_enabled=true', doc: edit((d) => { d.addons.monitoring.enabled = true; }),
      message: 'addons.monitoring.enabled: true (label monitoring_enabled=true) is not supported by this chart (it installs no monitoring stack); '
        + 'remove the label or set it to false' },
    { name: 'an unsupported minor', doc: edit((d) => { d.kubernetesVersion = '1.30.2'; }),
      message: 'kubernetesVersion: 1.30.2 (Glance property kube_version of the cluster template\'s image) is not supported by this chart version; '
        + 'supported minors: 1.31, 1.32, 1.33, 1.34, 1.35' },
    { name: 'a patch newer than the chart knows', doc: edit((d) => { d.kubernetesVersion = '1.34.99'; }),
      message: 'kubernetesVersion: 1.34.99 (Glance property kube_version of the cluster template\'s image) is newer than the newest Kubernetes 1.34 '
        + 'release this chart version knows (v1.34.12); use an image of 1.34.0 to 1.34.12, or a newer chart version (template label capi_helm_chart_version)' },
    { name: 'a MachineDeployment name over 63 characters', doc: edit((d) => { d.nodeGroups.push({ name: 'a'.repeat(46), machineFlavor: 'm1.large', machineCount: 1 }); }),
      message: `nodeGroups.1.name: the MachineDeployment "demo-k3v7q2xhm4pa-${'a'.repeat(46)}" is 64 characters; Magnum reads it back by exactly this name `
        + `and Kubernetes allows 63: rename node group "${'a'.repeat(46)}" to at most 45 characters` },
    { name: 'two node groups with one name', doc: edit((d) => { d.nodeGroups.push({ ...d.nodeGroups[0] }); }),
      message: 'nodeGroups.1.name: node groups 0 and 1 both become MachineDeployment "demo-k3v7q2xhm4pa-default-worker" after Magnum\'s sanitising '
        + '(e.g. "GPU" and "gpu"): rename one' },
    { name: 'a release starting with a digit', doc: base(), release: '1st-k3v7q2xhm4pa',
      message: 'release name "1st-k3v7q2xhm4pa": Magnum names the Cluster after the release, which must be a DNS-1035 label (lowercase letters, digits '
        + 'and "-", starting with a letter, at most 63 characters)' },
    { name: 'extra networks without the cluster network first', doc: edit((d) => {
      d.nodeGroupDefaults.machineNetworking = { ports: [{ network: { name: 'storage' }, securityGroups: [] }, {}] };
    }), message: 'nodeGroupDefaults.machineNetworking.ports.0: the first port must be {} (the cluster\'s own network), as the Magnum driver sends it; the '
        + 'extra networks of label extra_network_names follow it' },
    { name: 'two volume types, one StorageClass name', doc: edit((d) => {
      const sc = d.addons.openstack.csiCinder.defaultStorageClass;
      d.addons.openstack.csiCinder.defaultStorageClass = { ...sc, name: 'fast-ssd', volumeType: 'fast_ssd' };
      d.addons.openstack.csiCinder.additionalStorageClasses = [{ ...sc, name: 'fast-ssd', volumeType: 'Fast-SSD' }];
    }), message: 'addons.openstack.csiCinder: Cinder volume types "fast_ssd" and "Fast-SSD" both become StorageClass "fast-ssd" (Magnum names each class '
        + 'after its volume type, lowercased, every other character run replaced by "-"); rename one volume type or make it private to other projects' },
    { name: 'api_master_lb_allowed_cidrs before the operator set site.workerEgressCidrs', doc: edit((d) => { d.apiServer.allowedCidrs = ['203.0.113.0/24']; }),
      site: { site: { addonRepositories: (SITE.site as any).addonRepositories } },
      message: 'apiServer.allowedCidrs (label api_master_lb_allowed_cidrs): the operator must set site.workerEgressCidrs in this chart\'s values.yaml first '
        + '(the addresses the clusters\' nodes reach the control plane\'s load balancer from, e.g. the external network\'s subnet): without them no node '
        + 'could join; remove the label until then' },
    { name: 'fixed_subnet_cidr inside the clusters\' pod network', doc: edit((d) => { d.clusterNetworking.internalNetwork.nodeCidr = '10.243.8.0/24'; }),
      message: 'clusterNetworking.internalNetwork.nodeCidr (label fixed_subnet_cidr): 10.243.8.0/24 overlaps the clusters\' pod network 10.243.0.0/16 '
        + '(site.clusterNetwork.podCidr); choose another fixed_subnet_cidr' },
    { name: 'the chart as published (no site settings)', doc: base(), site: {},
      message: 'site.addonRepositories.tenantCluster.url: required, in this chart\'s values.yaml (the operator\'s setting): the repository Flux fetches this '
        + 'project\'s openstack-cinder-csi-node chart from, for each cluster\'s Cinder CSI node plugin (this project\'s dist/ served over HTTPS, or an OCI '
        + 'registry with type "oci")' },
  ];

  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const release = { release: c.release ?? at.release, namespace: at.namespace };
    const site = c.site ?? SITE;
    expect(renderMagnumEval(c.doc, release, site)).toEqual({ error: c.message });
    expect(validateMagnum(c.doc, release, site)).toContain(c.message);
    const republished = c.site === undefined ? chart : republishedChart(site);
    try {
      for (const h of await renderMagnumHelm(republished, c.doc, release, api)) {
        expect({ helm: h.name, code: h.code, says: h.stderr.includes(c.message) || h.stderr }).toEqual({ helm: h.name, code: 1, says: true });
      }
    } finally {
      if (republished !== chart) republished.dispose();
    }
  }, 120_000);
});

describe('changes the driver makes', () => {
  const autoscaled = MAGNUM_EXAMPLES.find((x) => x.name === 'autoscaled')!;
  const at = exampleRelease(autoscaled);
  const render = (doc: Doc) => byKey(renderMagnumEval(doc, at, SITE).objects!);
  const changed = (a: Record<string, K8sObject>, b: Record<string, K8sObject>) => ({
    removed: Object.keys(a).filter((k) => !(k in b)).sort(),
    added: Object.keys(b).filter((k) => !(k in a)).sort(),
    modified: Object.keys(a).filter((k) => k in b && JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort(),
  });

  test('a cluster template upgrade (new image, new patch): new machine and bootstrap templates for every group, only versions and references change', () => {
    const before = exampleDocument(autoscaled);
    const after = { ...before, kubernetesVersion: '1.34.12', machineImageId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b' };
    const beforeObjects = render({ ...before, kubernetesVersion: '1.34.2' });
    const afterObjects = render(after);
    const diff = changed(beforeObjects, afterObjects);
    const templates = (keys: string[]) => keys.filter((k) => /\/(OpenStackMachineTemplate|KubeadmConfigTemplate)\//.test(k));
    const groups = (before.nodeGroups as Doc[]).length;
    expect({ removed: templates(diff.removed).length, added: templates(diff.added).length }).toEqual({ removed: 2 * groups, added: 2 * groups });
    expect(diff.removed).toEqual(templates(diff.removed));
    expect(diff.added).toEqual(templates(diff.added));
    // Only the control plane's version and the MachineDeployments' version and template references.
    expect(diff.modified.map((k) => k.split('/')[2]).sort()).toEqual(['KamajiControlPlane', ...Array(groups).fill('MachineDeployment')].sort());
    for (const k of diff.modified) {
      const a = beforeObjects[k];
      const b = JSON.parse(JSON.stringify(afterObjects[k]));
      if (b.kind === 'KamajiControlPlane') {
        expect(b.spec.version).toBe('v1.34.12');
        b.spec.version = a.spec.version;
      } else {
        expect(b.spec.template.spec.version).toBe('v1.34.12');
        for (const f of ['version']) b.spec.template.spec[f] = a.spec.template.spec[f];
        b.spec.template.spec.bootstrap.configRef.name = a.spec.template.spec.bootstrap.configRef.name;
        b.spec.template.spec.infrastructureRef.name = a.spec.template.spec.infrastructureRef.name;
      }
      expect(b).toEqual(a);
    }
  });

  test('a node group deleted (the driver sends the list without it): exactly its objects go', () => {
    const before = exampleDocument(autoscaled);
    const after = { ...before, nodeGroups: (before.nodeGroups as Doc[]).filter((g) => g.name !== 'gpu') };
    const diff = changed(render(before), render(after));
    expect(diff.added).toEqual([]);
    expect(diff.modified).toEqual([]);
    expect(diff.removed.map((k) => k.split('/').slice(2).join('/').replace(/-[0-9a-f]{8}$/, '-<hash>'))).toEqual([
      `KubeadmConfigTemplate/${NAMESPACE}/${at.release}-gpu-<hash>`,
      `MachineDeployment/${NAMESPACE}/${at.release}-gpu`,
      `OpenStackMachineTemplate/${NAMESPACE}/${at.release}-gpu-<hash>`,
    ].sort());
  });
});

describe('the chart', () => {
  const templateFiles = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? templateFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));

  test('its values schema is the contract the phase 1 tests check (test/magnum-values.test.ts), unchanged', () => {
    expect(JSON.parse(fs.readFileSync(path.join(MAGNUM_CHART_DIR, 'values.schema.json'), 'utf8'))).toEqual(magnumValuesSchema());
  });

  test('no lookup (empty under a dry run) and no hook in any template the values can switch on', () => {
    for (const f of templateFiles(path.join(MAGNUM_CHART_DIR, 'templates'))) {
      expect({ f, lookup: /\blookup\b/.test(fs.readFileSync(f, 'utf8')) }).toEqual({ f, lookup: false });
    }
    // The only hooks of tenant-cluster are the uninstall cleanup's, which the adapter turns off for every document.
    const hookFiles = templateFiles(path.join(MAGNUM_CHART_DIR, 'templates')).filter((f) => fs.readFileSync(f, 'utf8').includes('helm.sh/hook'));
    expect(hookFiles.map((f) => path.relative(MAGNUM_CHART_DIR, f).split(path.sep)[1])).toEqual(hookFiles.map(() => 'uninstall-cleanup'));
  });

  test('the Cinder CSI node chart takes the StorageClasses as the driver sends them (its own values schema)', () => {
    const nodeChart = path.join(REPO_ROOT, 'charts', 'openstack-cinder-csi-node');
    const validate = new Ajv(AJV_OPTIONS).compile(JSON.parse(fs.readFileSync(path.join(nodeChart, 'values.schema.json'), 'utf8')));
    const defaults = YAML.parse(fs.readFileSync(path.join(nodeChart, 'values.yaml'), 'utf8')) as ValuesMap;
    for (const e of MAGNUM_EXAMPLES) {
      const at = exampleRelease(e);
      const cinder = renderMagnumEval(exampleDocument(e), at, SITE).objects!.find((o) => o.kind === 'HelmRelease' && o.metadata.name === `${at.release}-cinder-csi`)!;
      const ok = validate(coalesceValues(defaults, cinder.spec.values));
      expect({ example: e.name, errors: ok ? [] : validate.errors }).toEqual({ example: e.name, errors: [] });
    }
  });

  test('validate without a release name checks all it can: the document of every example is clean', () => {
    for (const e of MAGNUM_EXAMPLES) expect({ e: e.name, v: validateValues(MAGNUM_CHART, coalesceValues(SITE, exampleDocument(e) as ValuesMap), { model: 'live' }) }).toEqual({ e: e.name, v: [] });
  });

  test('the JSON documents are what json.dumps writes (one line, ", " and ": " separators)', () => {
    for (const e of MAGNUM_EXAMPLES) {
      const text = fs.readFileSync(path.join(MAGNUM_EXAMPLES_DIR, `${e.name}.json`), 'utf8');
      expect(text.split('\n')).toHaveLength(2);
      expect(text.trimEnd()).toBe(pythonJsonDumps(JSON.parse(text)));
    }
  });
});

describe('the operator\'s driver configuration in the README', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const setting = (key: string) => {
    const m = new RegExp(`^${key} = (.*)$`, 'm').exec(readme);
    if (!m) throw new Error(`README: no ${key} line`);
    return m[1].trim();
  };
  const data = JSON.parse(fs.readFileSync(path.join(__dirname, 'data', 'magnum', 'kamaji-control-plane-conditions.json'), 'utf8')) as {
    conditions: string[]; driverDefault: { conditions: string[] };
  };

  test('k8s_control_plane_resource_conditions names conditions the Kamaji provider v0.19.0 sets, none of the driver\'s defaults', () => {
    const conditions = setting('k8s_control_plane_resource_conditions').split(',');
    expect(conditions.length).toBeGreaterThan(0);
    expect(conditions.filter((c) => !data.conditions.includes(c))).toEqual([]);
    expect(conditions.filter((c) => data.driverDefault.conditions.includes(c))).toEqual([]);
    expect(conditions).toContain('KamajiControlPlaneIsReady');
  });

  test('api_resources points the driver at the KamajiControlPlane the chart renders (apiVersion and plural)', () => {
    const apiResources = JSON.parse(setting('api_resources'));
    const e = MAGNUM_EXAMPLES[0];
    const kcp = renderMagnumEval(exampleDocument(e), exampleRelease(e), SITE).objects!.find((o) => o.kind === 'KamajiControlPlane')!;
    // The plural the driver builds its URL with is the CRD's (provider v0.19, vendored with its provenance).
    const crd = YAML.parse(fs.readFileSync(path.join(__dirname, 'schemas', 'crds', 'kamaji-controlplane-provider-v0.19',
      'controlplane.cluster.x-k8s.io_kamajicontrolplanes.yaml'), 'utf8'));
    expect(apiResources).toEqual({ K8sControlPlane: { api_version: kcp.apiVersion, plural_name: crd.spec.names.plural } });
    expect(crd.spec.versions.map((v: { name: string }) => `${crd.spec.group}/${v.name}`)).toContain(kcp.apiVersion);
    expect(setting('helm_chart_name')).toBe(MAGNUM_CHART);
    expect(setting('default_helm_chart_version')).toBe(JSON.parse(JSON.stringify(YAML.parse(fs.readFileSync(path.join(MAGNUM_CHART_DIR, 'Chart.yaml'), 'utf8')))).version);
  });
});
