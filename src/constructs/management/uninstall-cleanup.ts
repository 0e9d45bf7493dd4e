import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { concat, gt, len, not, Release, RenderCheck, templateFolder, ternary, ValueSource, whenField } from '../../expr';
import { ADMIN_KUBECONFIG_KEY, CLUSTER_NAME_LABEL, onKubevirt, onOpenStack, TenantContext } from '../core/tenant-context';
import { ManagementWorkload, TENANT_KUBECONFIG, TENANT_KUBECONFIG_DIR } from './management-workload';

export interface UninstallCleanupProps {
  /**
   * The tenant cluster's shared facts: the cluster name the hook's Job (`<cluster>-<suffix>`) and the objects it
   * cleans up are named after, the release namespace, the labels, and the admin kubeconfig Secret the hook reaches the
   * tenant with.
   */
  readonly context: TenantContext;
  /** `addons.uninstallCleanup` values (`image`, `resources`). */
  readonly values: ValueSource;
  /**
   * Components of the Deployments (`<cluster>-<component>`) that would recreate what the hook deletes (the
   * cloud-controller-manager, the CSI controller).
   */
  readonly controllers: readonly string[];
  /**
   * The same on OpenStack (the OpenStack cloud-controller-manager, the Cinder CSI controller): stopped only after the
   * tenant's load balancers are gone.
   */
  readonly openStackControllers: readonly string[];
  /** Prefix of the DataVolumes the CSI controller creates (its `--volume-prefix`, default `pvc`). */
  readonly volumePrefix: string;
}

/** Upper bound of the whole hook, pod start included (Job `activeDeadlineSeconds`). */
export const UNINSTALL_CLEANUP_DEADLINE_SECONDS = 180;
/** Timeout of every single API call (`kubectl --request-timeout`). */
export const UNINSTALL_CLEANUP_REQUEST_TIMEOUT = '15s';
/** How long the hook waits for HelmReleases and controllers to go. */
export const UNINSTALL_CLEANUP_WAIT_TIMEOUT = '45s';
const SUFFIX = '-cleanup';
const UID = 65532;

/**
 * Label of the Services the KubeVirt cloud-controller-manager creates for tenant LoadBalancer Services
 * (kubevirt/cloud-provider-kubevirt v0.6.0 pkg/provider/loadbalancer.go TenantServiceNameLabelKey, set with the
 * cluster-name label on every one it creates).
 */
const TENANT_SERVICE_LABEL = 'cluster.x-k8s.io/tenant-service-name';

/**
 * The start of both cleanup scripts: count failures instead of stopping at the first, and `k`, kubectl in the
 * release namespace with a request timeout.
 */
const SCRIPT_PREAMBLE: readonly string[] = [
  'set -u',
  'failures=0',
  'fail() { failures=$((failures + 1)); echo "ERROR: $*" >&2; }',
  'k() { kubectl --namespace "$NAMESPACE" --request-timeout="$REQUEST_TIMEOUT" "$@"; }',
];

/**
 * Steps 1 and 2 of both cleanup scripts (of `total`): suspend the tenant's HelmReleases, then delete them, removing
 * the finalizers of those still there after the wait (see {@link uninstallCleanupScript}).
 */
function suspendAndDeleteHelmReleases(total: number): string[] {
  return [
    `echo "1/${total} suspending the HelmReleases of $CLUSTER (no uninstall against the tenant)"`,
    'releases="$(k get helmreleases.helm.toolkit.fluxcd.io -l "$selector" -o name)" || { fail "cannot list the HelmReleases"; releases=""; }',
    'for hr in $releases; do',
    '  k patch "$hr" --type=merge -p \'{"spec":{"suspend":true}}\' || fail "cannot suspend $hr"',
    'done',
    '',
    `echo "2/${total} deleting the HelmReleases"`,
    'if [ -n "$releases" ] && ! k delete $releases --ignore-not-found --wait=true --timeout="$WAIT_TIMEOUT"; then',
    '  echo "HelmReleases still there after $WAIT_TIMEOUT: removing their finalizers"',
    '  left="$(k get helmreleases.helm.toolkit.fluxcd.io -l "$selector" -o name)" || { fail "cannot list the HelmReleases left"; left=""; }',
    '  for hr in $left; do',
    '    k patch "$hr" --type=merge -p \'{"metadata":{"finalizers":null}}\' || fail "cannot remove the finalizers of $hr"',
    '  done',
    'fi',
  ];
}

/**
 * The cleanup script, in the order that keeps anything from coming back:
 * 1. suspend the tenant's HelmReleases: helm-controller then removes its finalizer without running an uninstall
 *    against the tenant (fluxcd/helm-controller v1.6.3 internal/controller/helmrelease_controller.go reconcileDelete),
 *    which hangs when the tenant API is gone (cozystack/cozystack#2473);
 * 2. delete them, and remove the finalizers of those still there after the wait (helm-controller down or sharded away);
 * 3. stop the cloud-controller-manager and the CSI controller, waiting for their pods (foreground deletion: the
 *    ReplicaSets, then the pods, go first), so that neither recreates a load balancer or a volume;
 * 4. delete the LoadBalancer Services the cloud-controller-manager made for this cluster;
 * 5. delete the DataVolumes the CSI controller made for this cluster: labelled with the cluster and named with its
 *    volume prefix, as the controller itself recognises its volumes (kubevirt/csi-driver pkg/kubevirt/client.go
 *    GetDataVolume: containsLabels(infraLabelMap) and HasPrefix(volumePrefix)); the VMs' own disks are left to CAPI.
 * Every call has a request timeout, every wait a timeout; a failed step is reported and the later ones still run,
 * and the hook fails at the end when one did (Helm then stops the uninstall: the Job's log says what is left).
 */
export function uninstallCleanupScript(): string {
  return [
    ...SCRIPT_PREAMBLE,
    'selector="$CLUSTER_LABEL=$CLUSTER"',
    '',
    ...suspendAndDeleteHelmReleases(5),
    '',
    'echo "3/5 stopping $CONTROLLERS"',
    'k delete deployments.apps $CONTROLLERS --ignore-not-found --cascade=foreground --wait=true --timeout="$WAIT_TIMEOUT" \\',
    '  || fail "$CONTROLLERS did not stop"',
    '',
    'echo "4/5 deleting the LoadBalancer Services of $CLUSTER"',
    'k delete services -l "$selector,$TENANT_SERVICE_LABEL" --ignore-not-found --wait=false || fail "cannot delete the LoadBalancer Services"',
    '',
    'echo "5/5 deleting the DataVolumes of the volumes of $CLUSTER"',
    'volumes="$(k get datavolumes.cdi.kubevirt.io -l "$selector" -o name)" || { fail "cannot list the DataVolumes"; volumes=""; }',
    'mine=""',
    'for dv in $volumes; do',
    '  case "${dv#*/}" in "$VOLUME_PREFIX"*) mine="$mine $dv" ;; esac',
    'done',
    'if [ -n "$mine" ]; then k delete $mine --ignore-not-found --wait=false || fail "cannot delete$mine"; fi',
    '',
    'if [ "$failures" -gt 0 ]; then echo "$failures step(s) failed; see above" >&2; exit 1; fi',
    'echo "cleanup done"',
  ].join('\n');
}

/**
 * The cleanup script of an OpenStack tenant. Its load balancers and volumes are not objects of the management
 * cluster but Octavia load balancers and Cinder volumes in the customer's project, made by the OpenStack
 * cloud-controller-manager and the Cinder CSI controller for the tenant's Services and claims; once the release
 * (and with it those controllers) is gone, nothing deletes them, and a load balancer's port keeps CAPO from deleting
 * a network it created. So, through the tenant's admin kubeconfig while the control plane still runs:
 * 1-2. suspend and delete the HelmReleases (as on KubeVirt);
 * 3. delete the tenant's Services of type LoadBalancer and wait until they are gone: the cloud-controller-manager's
 *    service controller deletes the load balancer before it removes its finalizer (k8s.io/cloud-provider v0.34.1
 *    controllers/service/controller.go: `EnsureLoadBalancerDeleted`, then `removeFinalizer` of
 *    `service.kubernetes.io/load-balancer-cleanup`);
 * 4. stop the cloud-controller-manager and the Cinder CSI controller.
 * Cinder volumes of the tenant's claims are left (deleting them needs their pods gone first): the Cinder CSI
 * controller tags each with `cinder.csi.openstack.org/cluster=<namespace>-<cluster>` (its `--cluster`;
 * pkg/csi/cinder/controllerserver.go `cinderCSIClusterIDKey`, cloud-provider-openstack v1.34.1), which is how an
 * operator finds them (README, "Uninstall").
 */
export function openStackUninstallCleanupScript(): string {
  return [
    ...SCRIPT_PREAMBLE,
    't() { kubectl --kubeconfig="$TENANT_KUBECONFIG" --request-timeout="$REQUEST_TIMEOUT" "$@"; }',
    'selector="$CLUSTER_LABEL=$CLUSTER"',
    'load_balancers() {',
    '  t get services --all-namespaces -o jsonpath=\'{range .items[?(@.spec.type=="LoadBalancer")]}{.metadata.namespace}{" "}{.metadata.name}{"\\n"}{end}\'',
    '}',
    '',
    ...suspendAndDeleteHelmReleases(4),
    '',
    'echo "3/4 deleting the tenant\'s LoadBalancer Services: the cloud-controller-manager deletes their Octavia load balancers"',
    'if [ ! -s "$TENANT_KUBECONFIG" ]; then',
    '  echo "no admin kubeconfig of the tenant (its control plane never came up): nothing to delete there"',
    'elif ! services="$(load_balancers)"; then',
    '  fail "cannot list the tenant\'s Services; its load balancers (Octavia, named kube_service_${CLUSTER_RESOURCE_NAME}_*) may be left"',
    'else',
    '  echo "$services" | while read -r ns name; do',
    '    [ -n "$name" ] || continue',
    '    t delete service --namespace "$ns" "$name" --ignore-not-found --wait=false || echo "ERROR: cannot delete Service $ns/$name" >&2',
    '  done',
    '  waited=0',
    '  while [ -n "$services" ] && [ "$waited" -lt "${WAIT_TIMEOUT%s}" ]; do',
    '    sleep 5; waited=$((waited + 5))',
    '    services="$(load_balancers)" || services="unknown"',
    '  done',
    '  if [ -n "$services" ]; then',
    '    fail "LoadBalancer Services of the tenant still there after $WAIT_TIMEOUT: $(echo $services); their Octavia load balancers (kube_service_${CLUSTER_RESOURCE_NAME}_*) may be left"',
    '  fi',
    'fi',
    '',
    'echo "4/4 stopping $CONTROLLERS"',
    'k delete deployments.apps $CONTROLLERS --ignore-not-found --cascade=foreground --wait=true --timeout="$WAIT_TIMEOUT" \\',
    '  || fail "$CONTROLLERS did not stop"',
    '',
    'if [ "$failures" -gt 0 ]; then echo "$failures step(s) failed; see above" >&2; exit 1; fi',
    'echo "cleanup done; Cinder volumes of the tenant\'s claims are left: openstack volume list --property cinder.csi.openstack.org/cluster=$CLUSTER_RESOURCE_NAME"',
  ].join('\n');
}

/**
 * A `pre-delete` hook that removes what `helm uninstall` would leave behind or hang on: the tenant's Flux
 * HelmReleases (whose finalizers wait for an uninstall against a tenant API that is going away), the Services of
 * tenant LoadBalancers and the DataVolumes of tenant volumes (neither belongs to the release). A Job with its own
 * ServiceAccount and a namespaced Role, restricted like every management-side workload, bounded by
 * `activeDeadlineSeconds`. Cozystack's `templates/delete.yaml` (v1.5.4) is the model; this one never waits without a
 * timeout, leaves the VMs' own disks alone, and stops the controllers that would recreate what it deletes.
 */
export class UninstallCleanup extends Construct {
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: UninstallCleanupProps) {
    super(scope, id);
    templateFolder(this);
    const { context, values } = props;
    const name = concat(context.clusterName, SUFFIX);
    this.name = `${name}`;
    const namespace = `${context.namespace}`;
    const labels = context.labels({ 'app.kubernetes.io/component': 'uninstall-cleanup' });
    const kubevirt = onKubevirt();
    const names = (components: readonly string[]) => components.map((c) => ManagementWorkload.nameOf(context, c));
    // One word each, as the script's `kubectl delete deployments.apps $CONTROLLERS` takes them.
    const nameList = (components: readonly string[]) => concat(...components.flatMap((c, i) => [i === 0 ? '' : ' ', context.clusterName, `-${c}`]));
    const openstack = onOpenStack();
    const hook = (weight: number, deletePolicy: string) => ({
      'helm.sh/hook': 'pre-delete',
      'helm.sh/hook-weight': `${weight}`,
      'helm.sh/hook-delete-policy': deletePolicy,
    });
    // Created before the Job, removed after it whatever happens.
    const rbacMetadata = { name: this.name, namespace, labels, annotations: hook(-5, 'before-hook-creation,hook-succeeded,hook-failed') };

    new RenderCheck(this, 'NameIsLabel', {
      failWhen: gt(len(name), 63),
      message: concat('fullnameOverride (or the release name): cluster name "', context.clusterName, `" is longer than ${63 - SUFFIX.length} characters, too long for the Job "<cluster>${SUFFIX}" of addons.uninstallCleanup (a Job name is a label value); shorten it or set addons.uninstallCleanup.enabled to false`),
    });

    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: rbacMetadata });
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: rbacMetadata,
      rules: [
        // list by label, patch (suspend, finalizers), delete and watch its deletion (kubectl delete --wait).
        { apiGroups: ['helm.toolkit.fluxcd.io'], resources: ['helmreleases'], verbs: ['get', 'list', 'watch', 'patch', 'delete'] },
        // Only this release's controllers; kubectl watches their deletion with a metadata.name field selector.
        whenField(not(openstack), { apiGroups: ['apps'], resources: ['deployments'], resourceNames: names(props.controllers), verbs: ['get', 'list', 'watch', 'delete'] }),
        whenField(openstack, { apiGroups: ['apps'], resources: ['deployments'], resourceNames: names(props.openStackControllers), verbs: ['get', 'list', 'watch', 'delete'] }),
        // KubeVirt: the LoadBalancer Services and DataVolumes its controllers make in the management cluster (on
        // OpenStack the hook deletes the tenant's Services through the tenant's API, with no permission here).
        whenField(kubevirt, { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'delete'] }),
        whenField(kubevirt, { apiGroups: ['cdi.kubevirt.io'], resources: ['datavolumes'], verbs: ['get', 'list', 'delete'] }),
      ],
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: rbacMetadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace }],
    });

    new ApiObject(this, 'Job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      // A failed Job stays (before-hook-creation removes it on the next uninstall): its log says what is left.
      metadata: { name: this.name, namespace, labels, annotations: hook(0, 'before-hook-creation,hook-succeeded') },
      spec: {
        // One attempt: every step is idempotent, and a retry would only run into the deadline.
        backoffLimit: 0,
        activeDeadlineSeconds: UNINSTALL_CLEANUP_DEADLINE_SECONDS,
        template: {
          // Not the management workloads' selector labels (instance + their component).
          metadata: { labels: { 'app.kubernetes.io/instance': `${Release.name}`, 'app.kubernetes.io/component': 'uninstall-cleanup' } },
          spec: {
            serviceAccountName: this.name,
            restartPolicy: 'Never',
            securityContext: { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'cleanup',
              image: values.str('image'),
              command: ['/bin/sh', '-c', `${ternary(openstack, openStackUninstallCleanupScript(), uninstallCleanupScript())}`],
              env: [
                { name: 'NAMESPACE', value: namespace },
                { name: 'CLUSTER', value: `${context.clusterName}` },
                { name: 'CLUSTER_LABEL', value: CLUSTER_NAME_LABEL },
                whenField(not(openstack), { name: 'TENANT_SERVICE_LABEL', value: TENANT_SERVICE_LABEL }),
                { name: 'CONTROLLERS', value: `${ternary(openstack, nameList(props.openStackControllers), nameList(props.controllers))}` },
                whenField(not(openstack), { name: 'VOLUME_PREFIX', value: props.volumePrefix }),
                // The name the OpenStack cloud-controller-manager and the Cinder CSI controller give the cluster (their
                // `--cluster-name`, `--cluster`): in the names of its load balancers and the metadata of its volumes.
                whenField(openstack, { name: 'CLUSTER_RESOURCE_NAME', value: `${concat(context.namespace, '-', context.clusterName)}` }),
                whenField(openstack, { name: 'TENANT_KUBECONFIG', value: TENANT_KUBECONFIG }),
                { name: 'REQUEST_TIMEOUT', value: UNINSTALL_CLEANUP_REQUEST_TIMEOUT },
                { name: 'WAIT_TIMEOUT', value: UNINSTALL_CLEANUP_WAIT_TIMEOUT },
                // kubectl writes its discovery cache under $HOME.
                { name: 'HOME', value: '/tmp' },
              ],
              resources: values.map('resources'),
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                whenField(openstack, { name: 'tenant-kubeconfig', mountPath: TENANT_KUBECONFIG_DIR, readOnly: true }),
              ],
            }],
            volumes: [
              { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
              // Optional: a tenant whose control plane never came up has none (the script then skips the tenant).
              whenField(openstack, {
                name: 'tenant-kubeconfig',
                secret: { secretName: context.adminKubeconfigSecret, optional: true, items: [{ key: ADMIN_KUBECONFIG_KEY, path: ADMIN_KUBECONFIG_KEY }] },
              }),
            ],
          },
        },
      },
    });
  }
}

