/**
 * The `tenant-cluster` chart's defaults (its values.yaml) as a template function of the Magnum chart: the values the
 * driver's document is mapped over (src/charts/magnum-tenant-cluster/adapter.ts), so that every path the shared
 * constructs read exists, with the same defaults as in `tenant-cluster`.
 */
import { TENANT_CLUSTER_DEFAULTS } from '../charts/tenant-cluster/defaults';
import { TemplateFunction } from '../expr/functions';

const TEXT = JSON.stringify(TENANT_CLUSTER_DEFAULTS, null, 2);
if (TEXT.includes('{{') || TEXT.includes('}}')) throw new Error('tenant-cluster defaults: braces would be read as template actions');

/** `tenantDefaults()`: the `tenant-cluster` chart's values.yaml, as data (the Go body prints it as JSON). */
export const MAGNUM_TENANT_DEFAULTS = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumTenantDefaults',
  params: [],
  result: 'map',
  goBody: TEXT,
  evaluate: () => TENANT_CLUSTER_DEFAULTS,
});
