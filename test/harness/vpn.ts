/**
 * The VPN's management side in isolation: a mini chart with the checks and the management side as TenantCluster adds
 * them ({@link addTenantVpn}), a KamajiControlPlane that carries the sidecar in `spec.deployment` under
 * `whenField(addons.vpn.enabled)`, and a Flux HelmRelease that delivers the tenant-vpn-server chart with the VPN's values and `valuesFrom`. Values are laid out as in the
 * tenant-cluster chart (`addons.vpn`, `clusterNetwork`, `managementCluster`, `controlPlane`, `infrastructure`), with
 * the OpenStack node network where issue 9 puts it (`infrastructure.openstack.network.nodeCidr`).
 */
import { ApiObject, Chart } from 'cdk8s';
import { VPN_DEFAULTS } from '../../src/charts/tenant-cluster/vpn-defaults';
import { TenantContext } from '../../src/constructs/core/tenant-context';
import { TenantVpn } from '../../src/constructs/vpn/tenant-vpn';
import { addTenantVpn } from '../../src/constructs/vpn/tenant-vpn-wiring';
import { concat, MERGE_DEFAULTS, Release, Values, valuesAt, When, whenField } from '../../src/expr';
import { HelmRelease } from '../../src/imports/flux-helmrelease-helm.toolkit.fluxcd.io';
import { KamajiControlPlane } from '../../src/imports/kamaji-controlplane-v1alpha1-controlplane.cluster.x-k8s.io';
import { buildMiniChart, MINI_RELEASE, MiniChart } from './mini-chart';
import type { K8sObject } from './objects';

/** The cluster name in the mini chart: the release name. */
export const CLUSTER = MINI_RELEASE.name;
export const NAMESPACE = MINI_RELEASE.namespace;

/** Values of the mini chart: the tenant-cluster chart's defaults where the VPN reads them, the VPN off. */
export const VPN_MINI_DEFAULTS = {
  managementCluster: { clusterDomain: 'cluster.local', podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/16' },
  clusterNetwork: { podCidr: '10.243.0.0/16', serviceCidr: '10.95.0.0/16' },
  controlPlane: { replicas: 2, apiServer: { extraArgs: {} }, addons: { konnectivity: { enabled: true } } },
  infrastructure: { provider: 'kubevirt', openstack: { network: { nodeCidr: '' } } },
  addons: { vpn: VPN_DEFAULTS },
};

/** A TenantContext as TenantCluster builds it, with the release name as the cluster name. */
export function miniContext(): TenantContext {
  return {
    clusterName: Release.name,
    namespace: Release.namespace,
    controlPlaneServiceFqdn: concat(Release.name, '.', Release.namespace, '.svc.', Values.str('managementCluster.clusterDomain')),
    apiServerPort: Values.int('clusterNetwork.apiServerPort'),
    labels: (extra = {}) => ({ 'app.kubernetes.io/instance': `${Release.name}`, 'cluster.x-k8s.io/cluster-name': `${Release.name}`, ...extra }),
    adminKubeconfigSecret: `${Release.name}-admin-kubeconfig`,
  };
}

/** Adds the VPN's management side, a KamajiControlPlane carrying the sidecar and the server's HelmRelease. */
export function addVpn(chart: Chart): TenantVpn {
  const context = miniContext();
  const values = valuesAt('addons.vpn');
  const enabled = values.bool('enabled');
  // The checks and the management side exactly as TenantCluster adds them.
  const vpn = addTenantVpn(chart, context);
  const scope = new When(chart, 'ServerEnabled', enabled);
  new ApiObject(chart, 'ControlPlane', {
    ...KamajiControlPlane.GVK,
    metadata: { name: `${context.clusterName}`, namespace: `${context.namespace}` },
    spec: { version: 'v1.34.2', replicas: Values.int('controlPlane.replicas'), dataStoreName: 'default', deployment: whenField(enabled, vpn.deploymentFields()) },
  });
  new ApiObject(scope, 'ServerRelease', {
    ...HelmRelease.GVK,
    metadata: { name: `${context.clusterName}-vpn`, namespace: `${context.namespace}` },
    spec: {
      releaseName: 'vpn',
      targetNamespace: values.str('targetNamespace'),
      storageNamespace: values.str('targetNamespace'),
      kubeConfig: { secretRef: { name: context.adminKubeconfigSecret, key: 'super-admin.svc' } },
      chart: { spec: { chart: 'tenant-vpn-server', version: values.str('chartVersion'), sourceRef: { kind: 'HelmRepository', name: `${context.clusterName}-tenant-cluster` } } },
      interval: '10m',
      values: MERGE_DEFAULTS.call(vpn.serverChartValues, values.map('values')),
      valuesFrom: vpn.serverValuesFrom,
    },
  });
  return vpn;
}

let cached: MiniChart | undefined;
/** The mini chart (built once per test file; dispose with {@link disposeVpnMiniChart}). */
export function vpnMiniChart(): MiniChart {
  return (cached ??= buildMiniChart((chart) => { addVpn(chart); }, VPN_MINI_DEFAULTS));
}

export function disposeVpnMiniChart(): void {
  cached?.dispose();
  cached = undefined;
}

/** Values that turn the VPN on, with more `addons.vpn` and any other top-level values. */
export function vpnOn(vpn: Record<string, unknown> = {}, rest: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...rest, addons: { vpn: { enabled: true, ...vpn } } };
}

/** An OpenStack tenant with the VPN on (endpoint given). */
export function openstackVpn(vpn: Record<string, unknown> = {}, rest: Record<string, unknown> = {}): Record<string, unknown> {
  return vpnOn({ endpoint: { host: '203.0.113.10' }, ...vpn }, {
    infrastructure: { provider: 'openstack', openstack: { network: { nodeCidr: '10.20.0.0/24' } } },
    ...rest,
  });
}

/**
 * Placeholder PEM blocks for the server chart's `pki.*` (what Flux injects from the cert-manager Secret): shaped like
 * PEM, carrying no key.
 */
export const PLACEHOLDER_PKI = {
  ca: '-----BEGIN CERTIFICATE-----\nY2EgcGxhY2Vob2xkZXI=\n-----END CERTIFICATE-----\n',
  certificate: '-----BEGIN CERTIFICATE-----\nc2VydmVyIHBsYWNlaG9sZGVy\n-----END CERTIFICATE-----\n',
  privateKey: '-----BEGIN EC PRIVATE KEY-----\nbm90IGEga2V5\n-----END EC PRIVATE KEY-----\n',
};

/** The rendered objects of a kind. */
export const ofKind = (objects: readonly K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

/** The objects with the KamajiControlPlane at the API target's version (the spec is the same in v1alpha1 and v1alpha2). */
export function forTarget(objects: readonly K8sObject[], target: 'v1beta1' | 'v1beta2'): K8sObject[] {
  return objects.map((o) => (o.kind === 'KamajiControlPlane' && target === 'v1beta2' ? { ...o, apiVersion: 'controlplane.cluster.x-k8s.io/v1alpha2' } : o));
}

/** The directives of an OpenVPN configuration file: `[name, rest of the line]`, comments and blank lines left out. */
export function directives(conf: string): Array<[string, string]> {
  return conf.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith(';')).map((l) => {
    const i = l.indexOf(' ');
    return i < 0 ? [l, ''] : [l.slice(0, i), l.slice(i + 1)];
  });
}

/** The argument of a directive that must occur exactly once. */
export function directive(conf: string, name: string): string {
  const found = directives(conf).filter(([n]) => n === name);
  if (found.length !== 1) throw new Error(`expected one "${name}" in the configuration, found ${found.length}:\n${conf}`);
  return found[0][1];
}

/** Files a configuration refers to: certificates and keys, status, and the scripts of `up`/`down` (`"/bin/sh <script>"`). */
export function referencedFiles(conf: string): Array<{ directive: string; file: string }> {
  const out: Array<{ directive: string; file: string }> = [];
  for (const [name, rest] of directives(conf)) {
    if (['ca', 'cert', 'key', 'tls-crypt'].includes(name)) out.push({ directive: name, file: rest });
    if (name === 'status') out.push({ directive: name, file: rest.split(' ')[0] });
    if (name === 'up' || name === 'down') out.push({ directive: name, file: rest.replace(/^"|"$/g, '').split(' ').slice(-1)[0] });
  }
  return out;
}

/**
 * Where a file a container reads or writes comes from: the volume mounted at its directory, and whether that
 * volume provides it (a key of the ConfigMap, a cert-manager Secret key or listed item, or writable scratch). Returns
 * the problems (empty: every file is there).
 */
export function fileProblems(files: ReadonlyArray<{ directive: string; file: string; writable?: boolean }>, container: K8sObject, volumes: readonly K8sObject[],
  configMaps: Readonly<Record<string, Record<string, string>>>, secretKeys: Readonly<Record<string, readonly string[]>>): string[] {
  const problems: string[] = [];
  for (const { directive: d, file, writable } of files) {
    const dir = file.slice(0, file.lastIndexOf('/'));
    const key = file.slice(file.lastIndexOf('/') + 1);
    const mount = (container.volumeMounts ?? []).find((m: K8sObject) => m.mountPath === dir);
    if (!mount) { problems.push(`${d} ${file}: no volume is mounted at ${dir}`); continue; }
    const volume = volumes.find((v) => v.name === mount.name);
    if (!volume) { problems.push(`${d} ${file}: mount ${mount.name} has no volume`); continue; }
    if (writable && (mount.readOnly || !volume.emptyDir)) problems.push(`${d} ${file}: ${mount.name} is not writable scratch`);
    if (volume.emptyDir) continue;
    if (volume.configMap) {
      if (!(key in (configMaps[volume.configMap.name] ?? {}))) problems.push(`${d} ${file}: ConfigMap ${volume.configMap.name} has no key ${key}`);
    } else if (volume.secret) {
      const provided = volume.secret.items ? volume.secret.items.map((i: K8sObject) => i.path) : secretKeys[volume.secret.secretName] ?? [];
      if (!provided.includes(key)) problems.push(`${d} ${file}: Secret ${volume.secret.secretName} provides no ${key} (has ${provided.join(', ')})`);
    } else {
      problems.push(`${d} ${file}: volume ${volume.name} is neither ConfigMap, Secret nor emptyDir`);
    }
  }
  return problems;
}

/** The keys cert-manager writes into a Certificate's Secret (cert-manager@v1.21.1, `pkg/apis/meta/v1/types.go`: `tls.crt`, `tls.key`, `ca.crt`). */
export const CERT_MANAGER_SECRET_KEYS = ['tls.crt', 'tls.key', 'ca.crt'] as const;
