/**
 * Scratch charts for the OpenStack constructs before they are wired into `tenant-cluster`: a tenant context
 * built the way TenantCluster builds it, and chart defaults with the OpenStack values at the paths phase 2 gives
 * them (`infrastructure.openstack`, `nodeGroupDefaults.openstack`, `controlPlane.endpoint.openstack`,
 * `addons.openstack`) beside the real defaults of the keys the constructs also read.
 */
import { Chart } from 'cdk8s';
import { concat, defaultTo, Release, Values, ValuesMap } from '../../src/expr';
import { TENANT_CLUSTER_DEFAULTS } from '../../src/charts/tenant-cluster/defaults';
import {
  OPENSTACK_ADDONS_DEFAULTS, OPENSTACK_ENDPOINT_DEFAULTS, OPENSTACK_INFRASTRUCTURE_DEFAULTS, OPENSTACK_MACHINE_DEFAULTS,
} from '../../src/charts/tenant-cluster/openstack-defaults';
import { CLUSTER_NAME_LABEL, TenantContext } from '../../src/constructs/core/tenant-context';
import { fullnameHelper } from '../../src/generator/chart-model';
import { buildMiniChart, MINI_CHART_NAME, MiniChart } from './mini-chart';

/** The tenant context of a mini chart (cluster name = `fullnameOverride` or the release name). */
export function miniContext(): TenantContext {
  const clusterName = fullnameHelper(MINI_CHART_NAME).call();
  return {
    clusterName,
    namespace: Release.namespace,
    controlPlaneServiceFqdn: concat(clusterName, '.', Release.namespace, '.svc.', Values.str('managementCluster.clusterDomain')),
    apiServerPort: Values.int('clusterNetwork.apiServerPort'),
    labels: (extra = {}) => ({
      'app.kubernetes.io/name': `${defaultTo(Values.str('nameOverride'), MINI_CHART_NAME)}`,
      'app.kubernetes.io/instance': `${Release.name}`,
      'app.kubernetes.io/managed-by': `${Release.service}`,
      'helm.sh/chart': `${MINI_CHART_NAME}-0.1.0`,
      [CLUSTER_NAME_LABEL]: `${clusterName}`,
      ...extra,
    }),
    adminKubeconfigSecret: `${clusterName}-admin-kubeconfig`,
  };
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** Chart defaults: the tenant-cluster defaults plus the OpenStack ones where phase 2 puts them. */
export function openStackDefaults(): ValuesMap {
  const d = clone(TENANT_CLUSTER_DEFAULTS) as any;
  d.infrastructure.openstack = clone(OPENSTACK_INFRASTRUCTURE_DEFAULTS);
  d.nodeGroupDefaults.openstack = clone(OPENSTACK_MACHINE_DEFAULTS);
  d.controlPlane.endpoint.openstack = clone(OPENSTACK_ENDPOINT_DEFAULTS);
  d.addons.openstack = clone(OPENSTACK_ADDONS_DEFAULTS);
  return d as ValuesMap;
}

/** A mini chart with the OpenStack defaults, built by `build(chart, context)`. */
export function openStackMiniChart(build: (chart: Chart, context: TenantContext) => void): MiniChart {
  return buildMiniChart((chart) => build(chart, miniContext()), openStackDefaults());
}

/** Sample IDs (UUIDs) for values. */
export const IDS = {
  network: '5b7f0c2e-8e0a-4c1f-9d6e-2a3b4c5d6e7f',
  subnet: '9c1e2d3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f',
  external: '1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b',
  router: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
  image: '3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a',
  serverGroup: '6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c',
  securityGroup: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  storageNetwork: '8c9d0e1f-2a3b-4c4d-8e5f-6a7b8c9d0e1f',
  storageSubnet: '0e1f2a3b-4c5d-4e6f-9a7b-8c9d0e1f2a3b',
  port: '4d5e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a',
} as const;
