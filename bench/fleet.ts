/**
 * The cost of many tenants beyond their requests: what Flux's helm-controller spends in the management
 * cluster keeping every tenant's addon HelmReleases reconciled, per 1,000 tenants.
 *
 * What one reconcile of an unchanged HelmRelease does, read in fluxcd/helm-controller v1.6.3:
 * - `internal/controller/helmrelease_controller.go` `reconcileRelease`: composes the values, downloads
 *   the chart artifact from source-controller and loads it (`loader.SecureLoadChartFromURL`), builds a
 *   REST client for the tenant from the kubeconfig Secret, then runs the atomic release reconciler, and
 *   requeues after `spec.interval` (jittered: `jitter.JitteredRequeueInterval`);
 * - `internal/reconcile/state.go` `DetermineReleaseState`: reads the latest release from the Helm
 *   storage in the tenant (a Secret: gzip'd JSON with the manifest), verifies chart and values digests
 *   (no rendering), and with drift detection enabled (`spec.driftDetection.mode`) calls `action.Diff`;
 * - `internal/action/diff.go` `Diff`: every object of the release manifest is dry-run applied with
 *   server-side apply against the tenant API (`client.Options{DryRun: true}`, `jsondiff.UnstructuredList`)
 *   and compared with the live object: one dry-run request per object per reconcile.
 * The chart is rendered (what `helm template` of the upstream chart measures) only on install and upgrade:
 * a new chart version or new values. The tenant API servers run in the management cluster (Kamaji), so the
 * dry-runs cost management CPU too, in the tenants' kube-apiserver pods.
 */

/** Per-object and per-reconcile costs that cannot be measured without clusters: stated, overridable. */
export const ASSUMPTIONS = {
  /** helm-controller CPU per drift-detection object: SSA dry-run request, normalization, JSON diff (ms). */
  driftControllerMs: Number(process.env.BENCH_DRIFT_CONTROLLER_MS ?? 2.0),
  /** Tenant kube-apiserver CPU per server-side-apply dry-run (ms). */
  driftApiServerMs: Number(process.env.BENCH_DRIFT_APISERVER_MS ?? 2.0),
  /** helm-controller CPU per reconcile besides chart load, release decode and drift (status patch, events, client setup) (ms). */
  overheadMs: Number(process.env.BENCH_RECONCILE_OVERHEAD_MS ?? 5.0),
  /** Upgrades per HelmRelease per day (chart or values changes rolled out to a tenant). */
  upgradesPerDay: Number(process.env.BENCH_UPGRADES_PER_DAY ?? 0.1),
} as const;

/** One addon HelmRelease of a tenant, with what the bench measured of its chart. */
export interface AddonRelease {
  readonly name: string;
  readonly chart: string;
  /** Objects the release manifest holds (drift-detection dry-runs per reconcile); undefined: not measured. */
  readonly objects?: number;
  /** CPU of loading the chart (helm show chart, minus the floor), ms; undefined: not measured. */
  readonly loadMs?: number;
  /** CPU of rendering the chart with our values (helm template, minus the floor), ms; undefined: not measured. */
  readonly renderMs?: number;
  /** CPU of decoding the release record (gzip'd JSON with the manifest) each reconcile, ms. */
  readonly decodeMs?: number;
}

export interface FleetCost {
  readonly tenants: number;
  readonly intervalMinutes: number;
  readonly releasesPerTenant: number;
  readonly reconcilesPerHour: number;
  readonly dryRunsPerHour: number;
  /** Cores of helm-controller, steady state plus upgrades. */
  readonly controllerCores: number;
  /** Cores the tenants' API servers spend on the dry-runs. */
  readonly apiServerCores: number;
  /** Releases whose chart costs were not measured (their share is estimated from the measured ones). */
  readonly unmeasured: readonly string[];
}

/** helm-controller (and tenant API) cores for `tenants` tenants whose releases reconcile every `intervalMinutes`. */
export function fleetCost(releases: readonly AddonRelease[], tenants: number, intervalMinutes: number): FleetCost {
  const measured = releases.filter((r) => r.objects !== undefined && r.loadMs !== undefined && r.renderMs !== undefined);
  const mean = (f: (r: AddonRelease) => number) => (measured.length === 0 ? 0 : measured.reduce((s, r) => s + f(r), 0) / measured.length);
  const value = (r: AddonRelease, f: (x: AddonRelease) => number | undefined) => f(r) ?? mean((x) => f(x) as number);
  const reconcilesPerReleaseHour = 60 / intervalMinutes;
  let controllerMsPerHour = 0;
  let apiServerMsPerHour = 0;
  let dryRunsPerHour = 0;
  for (const r of releases) {
    const objects = value(r, (x) => x.objects);
    const perReconcile = value(r, (x) => x.loadMs) + (r.decodeMs ?? 0) + objects * ASSUMPTIONS.driftControllerMs + ASSUMPTIONS.overheadMs;
    const upgradesPerHour = ASSUMPTIONS.upgradesPerDay / 24;
    controllerMsPerHour += tenants * (reconcilesPerReleaseHour * perReconcile + upgradesPerHour * value(r, (x) => x.renderMs));
    apiServerMsPerHour += tenants * reconcilesPerReleaseHour * objects * ASSUMPTIONS.driftApiServerMs;
    dryRunsPerHour += tenants * reconcilesPerReleaseHour * objects;
  }
  return {
    tenants,
    intervalMinutes,
    releasesPerTenant: releases.length,
    reconcilesPerHour: tenants * releases.length * reconcilesPerReleaseHour,
    dryRunsPerHour,
    controllerCores: controllerMsPerHour / 3_600_000,
    apiServerCores: apiServerMsPerHour / 3_600_000,
    unmeasured: releases.filter((r) => !measured.includes(r)).map((r) => r.name),
  };
}

/** The shortest of `intervals` (minutes) at which helm-controller stays within `cores` for `tenants`. */
export function shortestInterval(releases: readonly AddonRelease[], tenants: number, cores: number, intervals: readonly number[]): number | undefined {
  return [...intervals].sort((a, b) => a - b).find((i) => fleetCost(releases, tenants, i).controllerCores <= cores);
}
