/**
 * Every module-level template function a chart may call, by name: a chart model written at synth time
 * (models/) refers to them by name, and the renderer finds them here without loading any construct.
 * A function missing here fails `npm run synth` with its name (helpers built per chart, such as the
 * fullname and labels helpers, are rebuilt from data instead). The modules imported here are light:
 * template functions and data only, no construct class, no cdk8s (test/precompiled-model.test.ts).
 */
import { HAS_VALUES_PATH, LIST_HAS_MATCH, MINUS } from './constructs/addons/addon-functions';
import { CONCAT_LISTS } from './constructs/addons/list-functions';
import {
  ARG_VALUE_LONGER_THAN, ARGS_NAME_VALUE, CANONICAL_KUBEADM_CONFIG_TEMPLATE_SPEC, DURATION_SECONDS,
} from './constructs/core/api-shape-functions';
import { PORT_IN_RANGE, SOURCE_RANGES_WITH, SOURCE_RANGES_WITH_ALL } from './constructs/core/control-plane-functions';
import { DUPLICATE_TAINT, KUBELET_REFUSED_LABEL, NODE_LABELS_ARG } from './constructs/core/node-labels';
import { RELEASE_VALUES_BYTES } from './constructs/core/release-size';
import { CEL_STRING_LIST, INFRA_STORAGE_CLASS_ENFORCEMENT, KUBEADM_FILE_WITHOUT_ONE_CONTENT } from './constructs/kubevirt/kubevirt-functions';
import {
  ALLOCATABLE_CPU_MILLI, ALLOCATABLE_MEMORY_MI, CAPACITY_LABELS, CAPACITY_TAINTS, MAX_PODS_ARG, WITH_KUBE_RESERVED,
} from './constructs/core/node-capacity';
import {
  DUPLICATE_FIELD, KEYS_WITH_TRUE_FIELD, OCTAVIA_SERVICE_ANNOTATIONS, WITH_EXTERNAL_CLOUD_PROVIDER,
} from './constructs/openstack/openstack-functions';
import {
  BASE64, CHECKSUM, IPV4_HOST_BITS_SET, IPV4_NETMASK, IPV4_NETWORK_ADDRESS, JOIN, VPN_ROUTES,
} from './constructs/vpn/vpn-functions';
import { TemplateFunction } from './expr/functions';
import { MAGNUM_FUNCTIONS } from './magnum/functions';
import { MAGNUM_TENANT_DEFAULTS } from './magnum/tenant-defaults';
import {
  ARGS_LIST, CIDR_HAS_HOST_BITS, CIDRS_OVERLAP, HAS_UNWRITABLE_CHARACTERS, MERGE_DEFAULTS, RESERVED_SERVICE_ADDRESS, UNWRITABLE_PATH,
} from './expr/stdlib';
import { KUBERNETES_SUPPORT } from './support-matrix';

export const TEMPLATE_FUNCTIONS: readonly TemplateFunction[] = [
  // General (src/expr/stdlib.ts) and version tables.
  MERGE_DEFAULTS, CIDRS_OVERLAP, ARGS_LIST, CIDR_HAS_HOST_BITS, RESERVED_SERVICE_ADDRESS, HAS_UNWRITABLE_CHARACTERS, UNWRITABLE_PATH,
  KUBERNETES_SUPPORT,
  // Core: control plane, node groups, release size.
  SOURCE_RANGES_WITH, SOURCE_RANGES_WITH_ALL, PORT_IN_RANGE, NODE_LABELS_ARG, KUBELET_REFUSED_LABEL, DUPLICATE_TAINT, RELEASE_VALUES_BYTES,
  // Core: the API target's shapes (v1beta2 durations in seconds, kubeadm args as lists).
  DURATION_SECONDS, ARGS_NAME_VALUE, CANONICAL_KUBEADM_CONFIG_TEMPLATE_SPEC, ARG_VALUE_LONGER_THAN,
  // KubeVirt.
  CEL_STRING_LIST, INFRA_STORAGE_CLASS_ENFORCEMENT, KUBEADM_FILE_WITHOUT_ONE_CONTENT,
  ALLOCATABLE_CPU_MILLI, ALLOCATABLE_MEMORY_MI, CAPACITY_LABELS, CAPACITY_TAINTS, MAX_PODS_ARG, WITH_KUBE_RESERVED,
  // Addons.
  MINUS, HAS_VALUES_PATH, LIST_HAS_MATCH, CONCAT_LISTS,
  // OpenStack.
  KEYS_WITH_TRUE_FIELD, DUPLICATE_FIELD, OCTAVIA_SERVICE_ANNOTATIONS, WITH_EXTERNAL_CLOUD_PROVIDER,
  // VPN.
  IPV4_NETMASK, IPV4_NETWORK_ADDRESS, IPV4_HOST_BITS_SET, VPN_ROUTES, JOIN, CHECKSUM, BASE64,
  // The Magnum chart (src/magnum/).
  ...MAGNUM_FUNCTIONS, MAGNUM_TENANT_DEFAULTS,
];
