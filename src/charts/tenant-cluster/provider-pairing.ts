/**
 * Which releases of the Cluster API providers each line of tenant-cluster pairs with (DESIGN.md §6, issue 12): the
 * README tables and test/provider-pairing.test.ts read this. Each fact was read at the tag named
 * (test/data/provider-contracts/provider-contracts.json holds what the test checks: each release's contract in its
 * metadata.yaml, its CRDs' contract labels, the versions they serve).
 *
 * - Line 1.x (`v1beta1`): Cluster API 1.10 (the v1beta1 contract only); clusterctl pairs only providers whose release
 *   series declares that contract, so CAPK v0.10.x (v0.11 declares v1beta2) and the Kamaji provider ≤ v0.19
 *   (`v1alpha1`; v0.19.0's metadata.yaml has no 0.19 series, so it is installed by manifest or the cluster-api-operator).
 * - Line 2.x (`v1beta2`): Cluster API ≥ 1.11 (serves v1beta2), tested against the 1.13.5 CRDs; the Kamaji provider
 *   v0.20.0 (`v1alpha2` only, contract v1beta2); CAPK v0.11.2 (contract v1beta2, still `v1alpha1`, its CRDs labelled
 *   for the v1beta1 contract, which Cluster API's v1beta2 contract accepts until v1beta1 is dropped:
 *   kubernetes-sigs/cluster-api v1.13.5 internal/contract/version.go `GetCompatibleVersions`); CAPO v0.14.7, whose
 *   contract is v1beta1: the only CAPO implementing the v1beta2 contract is the pre-release v0.15.0-beta.0, whose
 *   preferred `v1beta2` OpenStackCluster no longer has `spec.apiServerFixedIP`/`spec.apiServerPort`, the fields the
 *   Kamaji provider v0.20.0 sets on whatever version the API server prefers
 *   (controllers/kamajicontrolplane_controller_cluster_patch.go `patchOpenStackCluster`, `getInfraClusterFromRef`:
 *   `RESTMapping` of the group and kind). So no provider release of the v1beta2 contract changes an infrastructure
 *   kind's API version for line 2.x: KubevirtCluster/KubevirtMachineTemplate stay `v1alpha1`, OpenStackCluster/
 *   OpenStackMachineTemplate `v1beta1`, on both lines.
 */
import type { ApiTarget } from '../../constructs/core/api-shapes';

/** The provider repositories, by the name the data file uses. */
export type PairedProvider = 'cluster-api-control-plane-provider-kamaji' | 'cluster-api-provider-kubevirt' | 'cluster-api-provider-openstack';

export interface LinePairing {
  /** The chart line, e.g. `2.x`. */
  readonly line: string;
  /** Cluster API's contract the management cluster runs (what a provider's contract must be compatible with). */
  readonly contract: ApiTarget;
  /** Cluster API versions, as a README cell. */
  readonly clusterApi: string;
  /** The release of each provider the line is tested with (its CRDs are the vendored ones under test/schemas/crds). */
  readonly providers: Readonly<Record<PairedProvider, string>>;
  /** Why, per provider, as a README cell. */
  readonly notes: Readonly<Record<PairedProvider, string>>;
}

export const PROVIDER_PAIRINGS: readonly LinePairing[] = [
  {
    line: '1.x',
    contract: 'v1beta1',
    clusterApi: '1.10 (tested with the 1.10.10 CRDs); up to 1.15 (v1beta1 is on track to be unserved in 1.16)',
    providers: { 'cluster-api-control-plane-provider-kamaji': 'v0.19.0', 'cluster-api-provider-kubevirt': 'v0.10.5', 'cluster-api-provider-openstack': 'v0.14.7' },
    notes: {
      'cluster-api-control-plane-provider-kamaji': '`v1alpha1`; v0.19.0 declares no 0.19 release series, so install it by manifest or the cluster-api-operator',
      'cluster-api-provider-kubevirt': 'contract v1beta1; v0.11.x declares the v1beta2 contract (Cluster API ≥ 1.11), same `v1alpha1` kinds',
      'cluster-api-provider-openstack': 'contract v1beta1, `v1beta1` kinds',
    },
  },
  {
    line: '2.x',
    contract: 'v1beta2',
    clusterApi: '≥ 1.11 (serves v1beta2), tested with the 1.13.5 CRDs; 1.14 needs the Kamaji provider release after v0.20.0 (RBAC fix daa1cb6)',
    providers: { 'cluster-api-control-plane-provider-kamaji': 'v0.20.0', 'cluster-api-provider-kubevirt': 'v0.11.2', 'cluster-api-provider-openstack': 'v0.14.7' },
    notes: {
      'cluster-api-control-plane-provider-kamaji': '`v1alpha2` only, contract v1beta2 (no conversion from `v1alpha1`)',
      'cluster-api-provider-kubevirt': 'contract v1beta2, still `v1alpha1` kinds (CRDs labelled for the v1beta1 contract, which the v1beta2 contract accepts)',
      'cluster-api-provider-openstack': 'contract v1beta1, `v1beta1` kinds; not v0.15 (pre-release only): its preferred `v1beta2` OpenStackCluster has no '
        + '`spec.apiServerFixedIP`, which the Kamaji provider v0.20.0 sets',
    },
  },
];
