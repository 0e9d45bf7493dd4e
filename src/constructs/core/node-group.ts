import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  and, asString, concat, ContentHash, eachItem, eq, Expr, lit, named, ne, not, or, RenderCheck, ternary, ValueSource, VarRef, When, whenField, WhenField,
} from '../../expr';
import { isToken, lookupToken } from '../../expr/tokens';
import {
  ApiKind, ApiTarget, apiKind, canonicalApiKind, canonicalHashForm, contractRef, healthCheckSpec, kubeadmArgs, kubeadmArgValueMaxLength, omitIfEmpty,
  targetOf,
} from './api-shapes';
import { ARG_VALUE_LONGER_THAN } from './api-shape-functions';
import { ALLOCATABLE_CPU_MILLI, ALLOCATABLE_MEMORY_MI, CAPACITY_LABELS, CAPACITY_TAINTS, MAX_PODS_ARG, WITH_KUBE_RESERVED } from './node-capacity';
import { NODE_LABELS_ARG } from './node-labels';
import { CLUSTER_NAME_LABEL, DEPLOYMENT_NAME_LABEL, resourcePrefixOf, TenantContext } from './tenant-context';

/** The infrastructure template a group's machines are cloned from (a provider's machine template). */
export interface NodeGroupMachineTemplate {
  /** Its `apiVersion` and `kind` (the same on both chart lines: the infrastructure providers' API versions do not follow the target). */
  readonly ref: ApiKind;
  /**
   * Its name, `<cluster>-<group>-<hash of its spec>`: a {@link ContentHash} of an object in the same `When`/`Each`
   * scopes as the group (the MachineDeployment's template binds the hashed spec).
   */
  readonly name: string;
}

/** What differs between providers in how a machine joins (`KubeadmConfigTemplate.spec.template.spec`). */
export interface NodeGroupBootstrap {
  /**
   * `joinConfiguration.discovery`.
   * @default - none: Cluster API fills `bootstrapToken.apiServerEndpoint` with `Cluster.spec.controlPlaneEndpoint`
   */
  readonly discovery?: unknown;
  /**
   * `joinConfiguration.nodeRegistration.name`.
   * @default - none: kubeadm takes the host name
   */
  readonly nodeName?: string;
  /**
   * The kubelet flags the node labels and `kube-reserved` are added to.
   * @default - the group's `kubelet.extraArgs`
   */
  readonly kubeletArgs?: Expr;
  /**
   * `joinConfiguration.nodeRegistration.ignorePreflightErrors`.
   * @default - none
   */
  readonly ignorePreflightErrors?: unknown;
  /**
   * cloud-init `diskSetup`.
   * @default - none
   */
  readonly diskSetup?: unknown;
  /**
   * cloud-init `mounts`.
   * @default - none
   */
  readonly mounts?: unknown;
  /**
   * The provider's commands before the chart installs kubelet and kubeadm (`kubelet.binariesUrl`).
   * @default []
   */
  readonly commandsBeforeInstall?: readonly unknown[];
  /**
   * The provider's commands after that install, before the group's own `kubeadm.preKubeadmCommands`.
   * @default []
   */
  readonly commandsAfterInstall?: readonly unknown[];
}

export interface NodeGroupProps {
  readonly context: TenantContext;
  /** The group's name (a key of `nodeGroups`). */
  readonly groupName: VarRef;
  /** The group's values, merged with `nodeGroupDefaults` (see the values contract). */
  readonly values: ValueSource;
  /** Full Kubernetes version of the machines. */
  readonly version: Expr;
  /** The provider's machine template of the group. */
  readonly machineTemplate: NodeGroupMachineTemplate;
  /**
   * `MachineDeployment.spec.template.spec.failureDomain`, rendered when not empty.
   * @default - none
   */
  readonly failureDomain?: Expr;
  /**
   * One node's size for scaling from zero before the kubelet's reservations (`""`: not known, no annotation): the
   * group's `autoscaling.capacity`, or what the provider knows of its machines.
   */
  readonly capacity: { readonly cpu: Expr; readonly memory: Expr };
  /** The provider's part of the bootstrap template. */
  readonly bootstrap: NodeGroupBootstrap;
  /**
   * Template variable of the bootstrap template's hashed spec (variables are per chart: a second kind of node group
   * needs its own).
   * @default 'bootstrapTemplateSpec'
   */
  readonly bootstrapSpecVariable?: string;
}

/** The condition of a static list item given as `whenField(condition, item)`; `undefined` for an item that always renders. */
function renderedWhen(item: unknown): Expr | undefined {
  const target = typeof item === 'string' && isToken(item) ? lookupToken(item) : undefined;
  return target instanceof WhenField ? target.condition : undefined;
}

/** The chart's script that installs kubelet and kubeadm of one version (see `kubelet.binariesUrl`). */
const INSTALL_SCRIPT = '/usr/local/sbin/tenant-cluster-install-kubernetes';

/**
 * Installs kubelet and kubeadm of exactly one version from a Kubernetes release mirror, each checked
 * against the `.sha256` published beside it (dl.k8s.io layout: `<base>/<version>/bin/linux/<arch>/<binary>`),
 * and replaced by rename so a running kubelet never sees a half-written file. Static text: the base URL
 * and version come as arguments. Cozystack v1.5.4 does the same with `/usr/bin/update-k8s.sh`
 * (packages/apps/kubernetes/templates/cluster.yaml) because its disk carries whichever patch was current
 * when it was built (images/ubuntu-container-disk/Dockerfile: `apt-get install -yq kubelet kubeadm` from
 * `pkgs.k8s.io/core:/stable:/<minor>`); an OpenStack image built for one patch gets the MachineDeployment's the same way.
 */
const INSTALL_SCRIPT_CONTENT = `#!/bin/sh
# Installs kubelet and kubeadm of exactly one Kubernetes version (written by the tenant-cluster chart).
# Usage: ${INSTALL_SCRIPT} <base URL> <version>
set -eu
base="$1"
version="$2"
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) echo "tenant-cluster: no Kubernetes binaries for $(uname -m)" >&2; exit 1 ;;
esac
if [ "$(kubelet --version 2>/dev/null)" = "Kubernetes $version" ] && [ "$(kubeadm version -o short 2>/dev/null)" = "$version" ]; then
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for binary in kubelet kubeadm; do
  url="$base/$version/bin/linux/$arch/$binary"
  curl -fsSL --retry 5 --connect-timeout 10 --max-time 600 -o "$tmp/$binary" "$url"
  echo "$(curl -fsSL --retry 5 --connect-timeout 10 --max-time 60 "$url.sha256")  $tmp/$binary" | sha256sum -c - >/dev/null
done
for binary in kubelet kubeadm; do
  install -m 0755 "$tmp/$binary" "/usr/bin/.$binary.new"
  mv -f "/usr/bin/.$binary.new" "/usr/bin/$binary"
done
echo "tenant-cluster: installed kubelet and kubeadm $version"
`;

/**
 * One worker node group, whatever the provider: a content-hash-named `KubeadmConfigTemplate` (immutable in
 * practice: a change makes a new template and a rollout), the `MachineDeployment` pointing at it and at the
 * provider's machine template, with the cluster autoscaler's bounds and, for scaling from zero, what one node
 * offers pods (its size minus the kubelet's reservations), its labels, taints and pod capacity, and a
 * `MachineHealthCheck`. The provider's construct (`KubevirtNodeGroup`, `OpenStackNodeGroup`) adds the machine
 * template and says how its machines join.
 * @see https://cluster-api.sigs.k8s.io/tasks/automated-machine-management/healthchecking
 */
export class NodeGroup extends Construct {
  /** `<cluster>-<group>` (`<prefix>-<group>`, see `TenantContext.resourcePrefix`), bound once per template file (`$deploymentName`). */
  public static deploymentNameOf(context: TenantContext, groupName: VarRef): string {
    return `${named('deploymentName', concat(resourcePrefixOf(context), '-', groupName))}`;
  }

  public readonly bootstrapTemplate: ApiObject;
  public readonly machineDeployment: ApiObject;
  /** Millicores a node offers pods, as advertised for scaling from zero (a decimal string; `""` when it cannot be computed). */
  public readonly allocatableCpuMilli: Expr;
  /** MiB of memory a node offers pods, as advertised for scaling from zero (a decimal string; `""` when it cannot be computed). */
  public readonly allocatableMemoryMi: Expr;

  public constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    const { context, values: group, groupName } = props;
    const deploymentName = NodeGroup.deploymentNameOf(context, groupName);
    const autoscaling = group.bool('autoscaling.enabled');
    const { cpu: capacityCpu, memory: capacityMemory } = props.capacity;
    // What pods get of such a node: the size minus the kubelet's reservations (the autoscaler takes the
    // advertised capacity as the node's allocatable); TenantCluster refuses what leaves nothing.
    this.allocatableCpuMilli = ALLOCATABLE_CPU_MILLI.call(capacityCpu, group.str('kubelet.reserved.cpu'));
    this.allocatableMemoryMi = ALLOCATABLE_MEMORY_MI.call(capacityMemory, group.str('kubelet.reserved.memory'));
    const labels = CAPACITY_LABELS.call(group.map('labels'));
    const taints = CAPACITY_TAINTS.call(group.list('taints'));
    const maxPods = MAX_PODS_ARG.call(group.map('kubelet.extraArgs'));
    const selectorLabels = { [CLUSTER_NAME_LABEL]: `${context.clusterName}`, [DEPLOYMENT_NAME_LABEL]: deploymentName };
    // The chart line's API shapes (api-shapes.ts): this construct never tests the target itself.
    const target = targetOf(context, this);
    // The template's name hashes its own spec (hence the late-bound target) in its canonical shape, so that it keeps its
    // name from line 1.x to line 2.x; the MachineDeployment uses the same name.
    const bootstrapTemplateName = `${deploymentName}-${new ContentHash(() => this.bootstrapTemplate, ['spec'], props.bootstrapSpecVariable,
      canonicalHashForm(target, 'KubeadmConfigTemplate'))}`;

    // No `helm.sh/resource-policy: keep`: Helm deletes a superseded template on upgrade. Cluster API tolerates
    // a missing template for every MachineSet but the MachineDeployment's current revision (which references
    // the new templates): kubernetes-sigs/cluster-api v1.10.10 … v1.14.0 MachineSet controller
    // `reconcileExternalTemplateReference`: "When the MachineSet is part of a MachineDeployment but isn't the
    // current revision, we should ignore the not found references and allow the controller to proceed", and
    // it remediates no machine of a non-current revision. Old machines keep their own cloned
    // infrastructure machine and KubeadmConfig. Kept templates would pile up until the Cluster is deleted.
    this.bootstrapTemplate = new ApiObject(this, 'BootstrapTemplate', {
      ...apiKind(target, 'KubeadmConfigTemplate'),
      metadata: {
        name: bootstrapTemplateName,
        namespace: `${context.namespace}`,
        labels: context.labels(),
      },
      spec: { template: { spec: this.bootstrapSpec(props, target) } },
    });
    this.checkKubeletArgs(props, target);

    this.machineDeployment = new ApiObject(this, 'MachineDeployment', {
      ...apiKind(target, 'MachineDeployment'),
      metadata: {
        name: deploymentName,
        namespace: `${context.namespace}`,
        labels: context.labels(),
        annotations: {
          // Cluster API seeds `replicas` from the min size on create and keeps the live value afterwards.
          'cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size': whenField(autoscaling, asString(group.int('autoscaling.min'))),
          'cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size': whenField(autoscaling, asString(group.int('autoscaling.max'))),
          // For scaling up from zero: what a node offers pods (its size minus the kubelet's reservations), its
          // labels, taints and pod capacity.
          'capacity.cluster-autoscaler.kubernetes.io/cpu': whenField(and(autoscaling, ne(capacityCpu, '')), asString(concat(this.allocatableCpuMilli, 'm'))),
          'capacity.cluster-autoscaler.kubernetes.io/memory': whenField(and(autoscaling, ne(capacityMemory, '')), asString(concat(this.allocatableMemoryMi, 'Mi'))),
          'capacity.cluster-autoscaler.kubernetes.io/labels': whenField(and(autoscaling, ne(labels, '')), asString(labels)),
          'capacity.cluster-autoscaler.kubernetes.io/taints': whenField(and(autoscaling, ne(taints, '')), asString(taints)),
          'capacity.cluster-autoscaler.kubernetes.io/maxPods': whenField(and(autoscaling, ne(maxPods, '')), asString(maxPods)),
        },
      },
      spec: {
        clusterName: `${context.clusterName}`,
        replicas: whenField(not(autoscaling), group.int('replicas')),
        selector: { matchLabels: selectorLabels },
        template: {
          metadata: { labels: { ...(context.machineLabels?.(groupName) ?? {}), ...selectorLabels } },
          spec: {
            clusterName: `${context.clusterName}`,
            version: props.version,
            // v1beta1 `{apiVersion, kind, name}`, v1beta2 `{apiGroup, kind, name}` (no namespace: the MachineDeployment's).
            bootstrap: { configRef: contractRef(target, canonicalApiKind('KubeadmConfigTemplate'), bootstrapTemplateName) },
            infrastructureRef: contractRef(target, props.machineTemplate.ref, props.machineTemplate.name),
            // The machines' zone: CAPO takes the server's availability zone from `Machine.spec.failureDomain`.
            failureDomain: props.failureDomain ? whenField(ne(props.failureDomain, ''), props.failureDomain) : undefined,
          },
        },
      },
    });

    const healthCheck = new When(this, 'HealthCheckEnabled', group.bool('healthCheck.enabled'));
    // The durations' value path for the v1beta2 seconds' error (the group's merged value: set under this group or
    // inherited from nodeGroupDefaults).
    const durationAt = (key: string) => ({ value: group.str(`healthCheck.${key}`), path: concat('nodeGroups.', groupName, `.healthCheck.${key}`) });
    new ApiObject(healthCheck, 'MachineHealthCheck', {
      ...apiKind(target, 'MachineHealthCheck'),
      metadata: { name: deploymentName, namespace: `${context.namespace}`, labels: context.labels() },
      spec: {
        clusterName: `${context.clusterName}`,
        selector: { matchLabels: selectorLabels },
        ...healthCheckSpec(target, {
          maxUnhealthy: group.str('healthCheck.maxUnhealthy'),
          nodeStartupTimeout: durationAt('nodeStartupTimeout'),
          unhealthyNodeConditions: [
            { type: 'Ready', status: 'Unknown', timeout: durationAt('readyUnknownTimeout') },
            { type: 'Ready', status: 'False', timeout: durationAt('readyFalseTimeout') },
          ],
        }),
      },
    });
  }

  /** The kubelet flags of the join: the provider's or the group's, with the node labels and `kube-reserved` added. */
  private kubeletArgs(props: NodeGroupProps): Expr {
    const { values: group, bootstrap } = props;
    const kubeletArgs = bootstrap.kubeletArgs ?? group.map('kubelet.extraArgs');
    return WITH_KUBE_RESERVED.call(NODE_LABELS_ARG.call(kubeletArgs, group.map('labels')),
      group.str('kubelet.reserved.cpu'), group.str('kubelet.reserved.memory'));
  }

  /**
   * Where the target bounds a kubelet flag's value (v1beta2: 1024 characters), a value past it is refused with its value
   * path (`node-labels` is the chart's join of the group's `labels`), rather than by the API server.
   */
  private checkKubeletArgs(props: NodeGroupProps, target: ApiTarget): void {
    const max = kubeadmArgValueMaxLength(target);
    if (max === undefined) return;
    const tooLong = ARG_VALUE_LONGER_THAN.call(this.kubeletArgs(props), lit(max));
    const group = concat('nodeGroups.', props.groupName);
    new RenderCheck(this, 'KubeletArgLength', {
      failWhen: ne(tooLong, ''),
      message: concat(ternary(eq(tooLong, 'node-labels'), concat(group, '.labels: the kubelet flag --node-labels they make'),
        concat(group, '.kubelet.extraArgs.', tooLong, ':')),
      ` is longer than ${max} characters, the most a kubeadm argument's value may have on chart 2.x (KubeadmConfigTemplate `
        + 'bootstrap.cluster.x-k8s.io/v1beta2 kubeletExtraArgs[].value)'),
    });
  }

  /** `KubeadmConfigTemplate.spec.template.spec`: how each machine joins. */
  private bootstrapSpec(props: NodeGroupProps, target: ApiTarget): unknown {
    const { values: group, bootstrap } = props;
    const binariesUrl = group.str('kubelet.binariesUrl');
    const installBinaries = ne(binariesUrl, '');
    // Quoted as single shell words: the URL's schema pattern and the support matrix's versions hold no quote.
    const installCommand = concat(INSTALL_SCRIPT, " '", binariesUrl, "' '", props.version, "' || echo 'tenant-cluster: keeping the kubelet and kubeadm of the worker image' >&2");
    const providerCommands = [...(bootstrap.commandsBeforeInstall ?? []), ...(bootstrap.commandsAfterInstall ?? [])];
    const preKubeadmCommands = eachItem<unknown>(group.list('kubeadm.preKubeadmCommands'),
      { key: 'commandIndex', item: 'command', itemType: 'string' }, (c) => c, [
      ...(bootstrap.commandsBeforeInstall ?? []),
      whenField(installBinaries, installCommand),
      ...(bootstrap.commandsAfterInstall ?? []),
    ]);
    // Empty unless the group, the install or a provider command adds one (KubeVirt always does: its name pinning).
    const conditions = providerCommands.map(renderedWhen);
    const commandsAlways = conditions.some((c) => c === undefined);
    return {
      joinConfiguration: {
        discovery: bootstrap.discovery,
        nodeRegistration: {
          name: bootstrap.nodeName,
          // v1beta2: the `{name, value}` list, omitted when empty.
          kubeletExtraArgs: kubeadmArgs(target, this.kubeletArgs(props)),
          // `[]` stays valid on v1beta2 (minItems 0), and Cluster API's conversion keeps it.
          taints: group.list('taints'),
          ignorePreflightErrors: bootstrap.ignorePreflightErrors,
        },
      },
      diskSetup: bootstrap.diskSetup,
      mounts: bootstrap.mounts,
      // v1beta2 refuses empty `files`, `preKubeadmCommands` and `postKubeadmCommands` (minItems 1): omitted there when empty.
      files: omitIfEmpty(target, or(group.list('kubeadm.files'), installBinaries),
        eachItem<unknown>(group.list('kubeadm.files'), { key: 'fileIndex', item: 'file' }, (f) => f, [
          whenField(installBinaries, { path: INSTALL_SCRIPT, owner: 'root:root', permissions: '0755', content: INSTALL_SCRIPT_CONTENT }),
        ])),
      preKubeadmCommands: commandsAlways ? preKubeadmCommands
        : omitIfEmpty(target, or(group.list('kubeadm.preKubeadmCommands'), installBinaries, ...conditions.filter((c): c is Expr => c !== undefined)),
          preKubeadmCommands),
      postKubeadmCommands: omitIfEmpty(target, group.list('kubeadm.postKubeadmCommands'), group.list('kubeadm.postKubeadmCommands')),
    };
  }
}
