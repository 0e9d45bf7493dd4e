/** Version of the generated `kubevirt-csi-node` chart (the tenant side of KubeVirt CSI). */
export const KUBEVIRT_CSI_NODE_CHART_VERSION = '1.1.0';
