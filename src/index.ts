export * from './tenant-cluster-objects';
export { checkValues, renderChart, validateValues, ValuesError, RenderError } from './render';
export type { RenderOptions, ValidateOptions, ValidationReport } from './render';
export type { TenantClusterValues } from './values/tenant-cluster-values';
export type { AddonsValues } from './values/addons-values';
export type { KubevirtCsiNodeValues } from './values/kubevirt-csi-node-values';
export { SUPPORT_MATRIX, SUPPORTED_MINORS } from './support-matrix';
export { CHARTS, SERVED_CHARTS } from './charts';
