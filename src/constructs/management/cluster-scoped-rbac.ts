/** Every cluster-scoped RBAC object the chart may render, by component, with why (DESIGN.md §4.6). */
export const CLUSTER_SCOPED_RBAC: Readonly<Record<string, string>> = {
  'cloud-controller-manager':
    'only with addons.cloudControllerManager.zoneAndRegion: reads the management node of each VM (nodes get) for its zone and region labels',
};
