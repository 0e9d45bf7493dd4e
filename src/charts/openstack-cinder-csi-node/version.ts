/** Version of the generated `openstack-cinder-csi-node` chart (the tenant side of Cinder CSI); unreleased until the lead packages it. */
export const OPENSTACK_CINDER_CSI_NODE_CHART_VERSION = '1.0.0';
