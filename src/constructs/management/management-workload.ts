import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ARGS_LIST, eachItem, Expr, gt, Release, When, whenField } from '../../expr';
import { ADMIN_KUBECONFIG_KEY, TenantContext } from '../core/tenant-context';
import { clusterScopedEntry, clusterScopedName } from './cluster-scoped';

/** A container of a management-side workload. */
export interface WorkloadContainer {
  readonly name: string;
  readonly image: Expr | string;
  /** Arguments (a list, possibly built with `eachItem`). */
  readonly args: unknown;
  /** `resources` (requests and limits are required by the values schema). */
  readonly resources: Expr;
  /** Whether the container talks to the tenant and mounts its admin kubeconfig (read-only). */
  readonly usesTenantKubeconfig: boolean;
  readonly env?: readonly unknown[];
  readonly ports?: readonly unknown[];
  readonly livenessProbe?: unknown;
  /** Mounts besides the kubeconfig and `/tmp`. */
  readonly volumeMounts?: readonly unknown[];
  /**
   * Only while this holds (an optional sidecar).
   * @default - always
   */
  readonly when?: Expr;
}

/** One RBAC rule. */
export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /**
   * Only while this holds (a feature that needs the permission is on).
   * @default - always
   */
  readonly when?: Expr;
}

export interface ManagementWorkloadProps {
  /**
   * The tenant cluster's shared facts: the cluster name the objects are named after (`<cluster>-<component>`), the
   * release namespace, the labels, and the admin kubeconfig Secret mounted into containers that talk to the tenant.
   */
  readonly context: TenantContext;
  /** Component name: objects are `<cluster>-<component>`, label `app.kubernetes.io/component`. */
  readonly component: string;
  /** `spec.replicas` of the Deployment; above 1 a PodDisruptionBudget (`maxUnavailable: 1`) is rendered too. */
  readonly replicas: Expr;
  /**
   * The pod's containers, each restricted (non-root, no privilege escalation, read-only root filesystem) with a
   * writable `/tmp`, and the tenant's admin kubeconfig mounted where `usesTenantKubeconfig`.
   */
  readonly containers: readonly WorkloadContainer[];
  /**
   * Volumes besides the kubeconfig and `/tmp`.
   * @default - only the tenant kubeconfig and `/tmp` volumes
   */
  readonly volumes?: readonly unknown[];
  /** Permissions in the release namespace of the management cluster; none: no Role and no RoleBinding. */
  readonly rules: readonly PolicyRule[];
  /**
   * Cluster-scoped permissions, only where the upstream component cannot work without them; each use is
   * listed in `CLUSTER_SCOPED_RBAC` (./cluster-scoped.ts) with its reason, and named per tenant there.
   * @default - none
   */
  readonly clusterRules?: { readonly rules: readonly PolicyRule[]; readonly when?: Expr };
  /** Image of the init container that waits for the kubeconfig. */
  readonly waitImage: Expr;
  /**
   * Pod template annotations (e.g. a checksum of mounted configuration, so a change rolls the pods).
   * @default - no pod annotations
   */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Mount the ServiceAccount's token. Components that talk only to the tenant (through the admin kubeconfig) and to
   * a cloud API have no use for a management cluster credential.
   * @default true
   */
  readonly automountServiceAccountToken?: boolean;
}

/** Where the tenant's admin kubeconfig is mounted, and the file clients read. */
export const TENANT_KUBECONFIG_DIR = '/etc/kubernetes/kubeconfig';
export const TENANT_KUBECONFIG = `${TENANT_KUBECONFIG_DIR}/${ADMIN_KUBECONFIG_KEY}`;

/** A container's flags: the component's own, then the user's `extraArgs` map as `--flag=value`. */
export function argsWithExtra(args: readonly string[], extraArgs: Expr): string[] {
  return eachItem(ARGS_LIST.call(extraArgs), { key: 'argIndex', item: 'arg', itemType: 'string' }, (arg) => `${arg}`, args);
}

const UID = 65532;
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

/**
 * A controller that runs beside the tenant's control plane in the management cluster: reaches the
 * management API with its own ServiceAccount and a namespaced Role, and the tenant with the admin
 * kubeconfig (an optional Secret volume, mounted read-only, waited for by an init container, because
 * Kamaji writes it only once the control plane is up). Restricted security context, requests and
 * limits, a PodDisruptionBudget when replicated.
 */
export class ManagementWorkload extends Construct {
  /** Name of a component's Deployment, ServiceAccount, Role and RoleBinding, `<cluster>-<component>`. */
  public static nameOf(context: TenantContext, component: string): string {
    return `${context.clusterName}-${component}`;
  }

  /** `<cluster>-<component>`: Deployment, ServiceAccount, Role and RoleBinding. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: ManagementWorkloadProps) {
    super(scope, id);
    const { context, component } = props;
    this.name = ManagementWorkload.nameOf(context, component);
    const namespace = `${context.namespace}`;
    const labels = context.labels({ 'app.kubernetes.io/component': component });
    const selector = { 'app.kubernetes.io/instance': `${Release.name}`, 'app.kubernetes.io/component': component };
    const metadata = { name: this.name, namespace, labels };
    const kubeconfigMount = { name: 'tenant-kubeconfig', mountPath: TENANT_KUBECONFIG_DIR, readOnly: true };
    const tmpMount = { name: 'tmp', mountPath: '/tmp' };

    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata });
    const subjects = [{ kind: 'ServiceAccount', name: this.name, namespace }];
    if (props.rules.length > 0) {
      new ApiObject(this, 'Role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata, rules: props.rules.map(copyRule) });
      new ApiObject(this, 'RoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
        subjects,
      });
    }
    if (props.clusterRules) {
      clusterScopedEntry('ClusterRole', component);
      clusterScopedEntry('ClusterRoleBinding', component);
      const clusterScoped = props.clusterRules.when ? new When(this, 'ClusterScoped', props.clusterRules.when) : this;
      const clusterMetadata = { name: clusterScopedName(context, component), labels };
      new ApiObject(clusterScoped, 'ClusterRole', {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: clusterMetadata, rules: props.clusterRules.rules.map(copyRule),
      });
      new ApiObject(clusterScoped, 'ClusterRoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: clusterMetadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterMetadata.name },
        subjects,
      });
    }

    const waitForKubeconfig = {
      name: 'wait-for-kubeconfig',
      image: props.waitImage,
      command: ['sh', '-c', `until [ -s ${TENANT_KUBECONFIG} ]; do echo "waiting for the tenant's admin kubeconfig"; sleep 5; done`],
      resources: { requests: { cpu: '1m', memory: '8Mi' }, limits: { memory: '16Mi' } },
      securityContext: RESTRICTED_CONTAINER,
      volumeMounts: [kubeconfigMount],
    };
    new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas: props.replicas,
        selector: { matchLabels: selector },
        template: {
          // The standard labels include the selector's (instance, component).
          metadata: { labels, annotations: props.podAnnotations },
          spec: {
            serviceAccountName: this.name,
            automountServiceAccountToken: props.automountServiceAccountToken === false ? false : undefined,
            securityContext: { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, fsGroup: UID, seccompProfile: { type: 'RuntimeDefault' } },
            initContainers: [waitForKubeconfig],
            containers: props.containers.map((c) => withCondition(c.when, {
              name: c.name,
              image: c.image,
              args: c.args,
              env: c.env,
              ports: c.ports,
              livenessProbe: c.livenessProbe,
              resources: c.resources,
              securityContext: RESTRICTED_CONTAINER,
              volumeMounts: [...(c.usesTenantKubeconfig ? [kubeconfigMount] : []), tmpMount, ...(c.volumeMounts ?? [])],
            })),
            volumes: [
              // Optional: Kamaji creates the Secret only once the control plane runs; the init container waits.
              { name: 'tenant-kubeconfig', secret: { secretName: context.adminKubeconfigSecret, optional: true, items: [{ key: ADMIN_KUBECONFIG_KEY, path: ADMIN_KUBECONFIG_KEY }] } },
              { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
              ...(props.volumes ?? []),
            ],
          },
        },
      },
    });

    const replicated = new When(this, 'Replicated', gt(props.replicas, 1));
    new ApiObject(replicated, 'PodDisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    });
  }
}

function withCondition<T>(when: Expr | undefined, item: T): T {
  return when ? whenField(when, item) : item;
}

function copyRule(rule: PolicyRule) {
  const copy = { apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] };
  return rule.when ? whenField(rule.when, copy) : copy;
}
