import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Expr, templateFolder } from '../../expr';

export interface StorageClassUpdateHookProps {
  /** Name of the hook's Job, ServiceAccount, ClusterRole and ClusterRoleBinding. */
  readonly name: string;
  /** The release namespace (Job and ServiceAccount). */
  readonly namespace: string;
  /** Labels of the Job, ServiceAccount, ClusterRole and ClusterRoleBinding (the chart's standard labels). */
  readonly labels: Record<string, string>;
  /** Labels of the hook's pod: none of the chart's selectors may match them. */
  readonly podLabels: Record<string, string>;
  /** The StorageClass the chart renders. */
  readonly storageClassName: string;
  /** The Helm release name (the StorageClass's `meta.helm.sh/release-name` annotation). */
  readonly releaseName: string;
  /** Its provisioner. */
  readonly provisioner: string;
  /**
   * What the chart is about to render, in the form the script reads the live object:
   * `<provisioner>|<release>|<parameters.infraStorageClassName>|<parameters.bus>|<reclaimPolicy>|<volumeBindingMode>`.
   */
  readonly desired: string;
  /** The `kubectl` image (needs `sh`). */
  readonly image: Expr;
  /** `resources` of the hook's `kubectl` container (`storageClassUpdate.resources`). */
  readonly resources: Expr;
}

/** Longest the hook may run: the upgrade waits for it (Flux's timeout is 10 minutes by default). */
export const STORAGE_CLASS_UPDATE_DEADLINE_SECONDS = 120;
const REQUEST_TIMEOUT = '20s';
const UID = 65532;

/**
 * A StorageClass's `parameters`, `reclaimPolicy` and `volumeBindingMode` cannot be updated (kubernetes/kubernetes
 * pkg/apis/storage/validation/validation.go ValidateStorageClassUpdate: "updates to parameters are forbidden"), and
 * Helm's `--force` (Flux `upgrade.force`) only replaces with a PUT, which the same validation refuses (helm/helm
 * v3.18.0 pkg/kube/client.go updateResource). So a pre-upgrade (and pre-rollback) hook compares the live StorageClass
 * with what the chart is about to render and deletes it when an immutable field differs; Helm then creates it anew
 * (an object of the release that no longer exists is created: pkg/kube/client.go Update). It never touches a
 * StorageClass of the same name that another release or provisioner owns (Helm then reports the conflict). Existing
 * PersistentVolumes are not affected: they carry their parameters already.
 */
export class StorageClassUpdateHook extends Construct {
  public readonly job: ApiObject;

  public constructor(scope: Construct, id: string, props: StorageClassUpdateHookProps) {
    super(scope, id);
    templateFolder(this);
    const { name, namespace, labels } = props;
    const hook = (weight: number, deletePolicy: string) => ({
      'helm.sh/hook': 'pre-upgrade,pre-rollback',
      'helm.sh/hook-weight': `${weight}`,
      'helm.sh/hook-delete-policy': deletePolicy,
    });
    const rbacHook = hook(-5, 'before-hook-creation,hook-succeeded,hook-failed');

    new ApiObject(this, 'ServiceAccount', {
      ...k8s.KubeServiceAccount.GVK,
      metadata: { name, namespace, labels, annotations: rbacHook },
    });
    new ApiObject(this, 'ClusterRole', {
      ...k8s.KubeClusterRole.GVK,
      metadata: { name, labels, annotations: rbacHook },
      // Only this StorageClass, by name: `kubectl get NAME` and `kubectl delete NAME --wait=false` (no list, no watch).
      rules: [{ apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], resourceNames: [props.storageClassName], verbs: ['get', 'delete'] }],
    });
    new ApiObject(this, 'ClusterRoleBinding', {
      ...k8s.KubeClusterRoleBinding.GVK,
      metadata: { name, labels, annotations: rbacHook },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    });

    const script = [
      'set -eu',
      `have="$(kubectl get storageclass "$STORAGE_CLASS" --ignore-not-found --request-timeout=${REQUEST_TIMEOUT} \\`,
      "  -o jsonpath='{.provisioner}|{.metadata.annotations.meta\\.helm\\.sh/release-name}|{.parameters.infraStorageClassName}|{.parameters.bus}|{.reclaimPolicy}|{.volumeBindingMode}')\"",
      'if [ -z "$have" ]; then echo "StorageClass $STORAGE_CLASS does not exist: nothing to do"; exit 0; fi',
      'case "$have" in',
      '  "$PROVISIONER|$RELEASE|"*) ;;',
      '  *) echo "StorageClass $STORAGE_CLASS belongs to another release or provisioner ($have): left to Helm"; exit 0 ;;',
      'esac',
      'if [ "$have" = "$DESIRED" ]; then echo "StorageClass $STORAGE_CLASS: no immutable field changes"; exit 0; fi',
      'echo "StorageClass $STORAGE_CLASS: $have -> $DESIRED; deleting it so that the upgrade recreates it (existing volumes keep working)"',
      `kubectl delete storageclass "$STORAGE_CLASS" --request-timeout=${REQUEST_TIMEOUT} --wait=false`,
    ].join('\n');

    this.job = new ApiObject(this, 'Job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace, labels, annotations: hook(0, 'before-hook-creation,hook-succeeded') },
      spec: {
        backoffLimit: 1,
        activeDeadlineSeconds: STORAGE_CLASS_UPDATE_DEADLINE_SECONDS,
        template: {
          metadata: { labels: props.podLabels },
          spec: {
            serviceAccountName: name,
            restartPolicy: 'Never',
            securityContext: { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'update-storage-class',
              image: props.image,
              command: ['/bin/sh', '-c', script],
              env: [
                { name: 'STORAGE_CLASS', value: props.storageClassName },
                { name: 'PROVISIONER', value: props.provisioner },
                { name: 'RELEASE', value: props.releaseName },
                { name: 'DESIRED', value: props.desired },
                // kubectl writes its discovery cache under $HOME.
                { name: 'HOME', value: '/tmp' },
              ],
              resources: props.resources,
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
          },
        },
      },
    });
  }
}
