import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  and, concat, defaultTo, Expr, gt, HAS_UNWRITABLE_CHARACTERS, labelsHelper, len, lit, matches, ne, not, or, Release, RenderCheck, TemplateFunction,
  ternary, UNWRITABLE_PATH, Values, When, whenField, withLabels,
} from '../../expr';
import { checkImagesPinned } from '../management/pinned-images';
import { StorageClassUpdateHook } from './storage-class-update-hook';

export interface KubevirtCsiNodeProps {
  /** Chart name (for `helm.sh/chart` and the default `app.kubernetes.io/name`). */
  readonly chartName: string;
  /** Chart version (for `helm.sh/chart`). */
  readonly chartVersion: string;
  /** The `<chart>.fullname` helper: the name of the DaemonSet and its RBAC objects. */
  readonly fullname: TemplateFunction;
}

/** Name of the CSI driver (the `provisioner` of its StorageClass). */
export const KUBEVIRT_CSI_DRIVER_NAME = 'csi.kubevirt.io';
/** Port of the driver container's `/healthz`, served by the livenessprobe sidecar. */
const HEALTH_PORT = 10300;
const PLUGIN_DIR = `/var/lib/kubelet/plugins/${KUBEVIRT_CSI_DRIVER_NAME}`;
const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** Suffix of the StorageClass update hook's objects; a Job's name is also a label value (at most 63 characters). */
const HOOK_SUFFIX = '-sc-update';

/**
 * The tenant side of the KubeVirt CSI driver (split deployment: the controller runs in the management
 * cluster): the `CSIDriver`, the node plugin `DaemonSet` with its ServiceAccount and ClusterRole, the
 * StorageClass and, optionally, a VolumeSnapshotClass. Objects follow upstream's `deploy/tenant`
 * manifests; images are pinned, every container has requests and a memory limit. The node service
 * reads no ConfigMap (it finds its VM from the tenant Node's provider ID and Cluster API annotations).
 * @see https://github.com/kubevirt/csi-driver/tree/main/deploy/tenant/base
 */
export class KubevirtCsiNode extends Construct {
  public readonly daemonSet: ApiObject;
  public readonly storageClass: ApiObject;

  public constructor(scope: Construct, id: string, props: KubevirtCsiNodeProps) {
    super(scope, id);
    const fullname = props.fullname.call();
    const name = `${fullname}`;
    const namespace = `${Release.namespace}`;
    const selectorLabels = {
      'app.kubernetes.io/name': `${defaultTo(Values.str('nameOverride'), props.chartName)}`,
      'app.kubernetes.io/instance': `${Release.name}`,
    };
    // Every object's labels, through the `kubevirt-csi-node.labels` helper of _helpers.tpl.
    const labels = withLabels(labelsHelper(props.chartName, {
      'app.kubernetes.io/name': defaultTo(Values.str('nameOverride'), props.chartName),
      'app.kubernetes.io/instance': Release.name,
      'app.kubernetes.io/managed-by': Release.service,
      'helm.sh/chart': `${props.chartName}-${props.chartVersion.replace(/\+/g, '_')}`,
    }));
    this.checks(fullname);

    new ApiObject(this, 'CsiDriver', {
      ...k8s.KubeCsiDriver.GVK,
      metadata: { name: KUBEVIRT_CSI_DRIVER_NAME, labels },
      spec: { attachRequired: true, podInfoOnMount: true, fsGroupPolicy: 'ReadWriteOnceWithFSType' },
    });

    new ApiObject(this, 'ServiceAccount', {
      ...k8s.KubeServiceAccount.GVK,
      metadata: { name, namespace, labels },
    });

    // Upstream's node ClusterRole (kubevirt-csi-node-cr), including the OpenShift SCC rule (inert elsewhere).
    new ApiObject(this, 'ClusterRole', {
      ...k8s.KubeClusterRole.GVK,
      metadata: { name, labels },
      rules: [
        { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'update', 'create', 'delete'] },
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'update'] },
        { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
        { apiGroups: ['csi.storage.k8s.io'], resources: ['csinodeinfos'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['storage.k8s.io'], resources: ['csinodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['get', 'list', 'watch', 'update'] },
        { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments/status'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
        { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch', 'create', 'update', 'patch'] },
        { apiGroups: ['security.openshift.io'], resources: ['securitycontextconstraints'], verbs: ['use'], resourceNames: ['privileged'] },
        { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotclasses'], verbs: ['list'] },
      ],
    });

    new ApiObject(this, 'ClusterRoleBinding', {
      ...k8s.KubeClusterRoleBinding.GVK,
      metadata: { name, labels },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    });

    this.daemonSet = new ApiObject(this, 'DaemonSet', {
      ...k8s.KubeDaemonSet.GVK,
      metadata: { name, namespace, labels },
      spec: {
        selector: { matchLabels: selectorLabels },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels: selectorLabels },
          spec: {
            serviceAccountName: name,
            priorityClassName: 'system-node-critical',
            // Every node, whatever its taints: volumes must mount everywhere.
            tolerations: [{ operator: 'Exists' }],
            containers: this.containers(),
            volumes: [
              { name: 'kubelet-dir', hostPath: { path: '/var/lib/kubelet', type: 'Directory' } },
              { name: 'plugin-dir', hostPath: { path: `${PLUGIN_DIR}/`, type: 'DirectoryOrCreate' } },
              { name: 'registration-dir', hostPath: { path: '/var/lib/kubelet/plugins_registry/', type: 'Directory' } },
              { name: 'device-dir', hostPath: { path: '/dev', type: 'Directory' } },
              { name: 'udev', hostPath: { path: '/run/udev' } },
            ],
          },
        },
      },
    });

    const storageClassName = Values.str('storageClass.name');
    const infraStorageClassName = Values.str('infraStorageClassName');
    const reclaimPolicy = Values.str('storageClass.reclaimPolicy');
    const volumeBindingMode = Values.str('storageClass.volumeBindingMode');
    const bus = 'scsi';
    const isDefault = ternary(Values.bool('storageClass.isDefault'), 'true', 'false');
    this.storageClass = new ApiObject(this, 'StorageClass', {
      ...k8s.KubeStorageClass.GVK,
      metadata: {
        name: `${storageClassName}`,
        labels,
        annotations: { 'storageclass.kubernetes.io/is-default-class': `${isDefault}` },
      },
      provisioner: KUBEVIRT_CSI_DRIVER_NAME,
      parameters: {
        // Empty: the controller leaves the DataVolume's class unset, so the management cluster's default is used.
        infraStorageClassName: whenField(ne(infraStorageClassName, ''), infraStorageClassName),
        bus,
      },
      reclaimPolicy,
      allowVolumeExpansion: Values.bool('storageClass.allowVolumeExpansion'),
      volumeBindingMode,
    });

    new StorageClassUpdateHook(new When(this, 'StorageClassUpdateEnabled', Values.bool('storageClassUpdate.enabled')), 'StorageClassUpdate', {
      name: `${concat(fullname, HOOK_SUFFIX)}`,
      namespace,
      labels,
      // Not the DaemonSet's selector labels (app.kubernetes.io/name + instance).
      podLabels: { 'app.kubernetes.io/instance': `${Release.name}`, 'app.kubernetes.io/component': 'storageclass-update' },
      storageClassName: `${storageClassName}`,
      releaseName: `${Release.name}`,
      provisioner: KUBEVIRT_CSI_DRIVER_NAME,
      desired: `${concat(KUBEVIRT_CSI_DRIVER_NAME, '|', Release.name, '|', infraStorageClassName, `|${bus}|`, reclaimPolicy, '|', volumeBindingMode)}`,
      image: Values.str('storageClassUpdate.image'),
      resources: Values.map('storageClassUpdate.resources'),
    });

    const snapshots = new When(this, 'Snapshots', Values.bool('volumeSnapshotClass'));
    new ApiObject(snapshots, 'VolumeSnapshotClass', {
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshotClass',
      metadata: {
        name: `${storageClassName}`,
        labels,
        annotations: { 'snapshot.storage.kubernetes.io/is-default-class': `${isDefault}` },
      },
      driver: KUBEVIRT_CSI_DRIVER_NAME,
      // The driver passes it to the infra VolumeSnapshot (kubevirt/csi-driver pkg/service/controller.go CreateSnapshot reads
      // req.Parameters["infraSnapshotClassName"], pkg/kubevirt/client.go:37); required when the controller allows only listed
      // infra StorageClasses (getSnapshotClassNameFromVolumeClaimName).
      parameters: whenField(ne(Values.str('infraVolumeSnapshotClassName'), ''), { infraSnapshotClassName: Values.str('infraVolumeSnapshotClassName') }),
      deletionPolicy: 'Delete',
    });
  }

  /** The node plugin's containers, as upstream's `kubevirt-csi-node` DaemonSet (pinned images, resources from values). */
  private containers(): unknown[] {
    const verbosity = concat('--v=', Values.int('logLevel'));
    const sidecarResources = Values.map('sidecarResources');
    const pluginDir = { name: 'plugin-dir', mountPath: '/csi' };
    return [
      {
        name: 'csi-driver',
        image: Values.str('image'),
        imagePullPolicy: 'IfNotPresent',
        args: [
          '--endpoint=unix:/csi/csi.sock',
          '--node-name=$(KUBE_NODE_NAME)',
          '--run-node-service=true',
          '--run-controller-service=false',
          verbosity,
        ],
        env: [{ name: 'KUBE_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        // Formats and mounts hot-plugged disks on the host: privileged, with bidirectional mount propagation.
        securityContext: { privileged: true, allowPrivilegeEscalation: true },
        volumeMounts: [
          { name: 'kubelet-dir', mountPath: '/var/lib/kubelet', mountPropagation: 'Bidirectional' },
          pluginDir,
          { name: 'device-dir', mountPath: '/dev' },
          { name: 'udev', mountPath: '/run/udev' },
        ],
        ports: [{ name: 'healthz', containerPort: HEALTH_PORT, protocol: 'TCP' }],
        livenessProbe: {
          httpGet: { path: '/healthz', port: 'healthz' },
          initialDelaySeconds: 10,
          timeoutSeconds: 3,
          periodSeconds: 10,
          failureThreshold: 5,
        },
        resources: Values.map('resources'),
      },
      {
        name: 'csi-node-driver-registrar',
        image: Values.str('sidecarImages.nodeDriverRegistrar'),
        imagePullPolicy: 'IfNotPresent',
        args: ['--csi-address=$(ADDRESS)', '--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)', verbosity],
        // No preStop hook: the image is distroless (node-driver-registrar v2.15.0 Dockerfile `FROM gcr.io/distroless/static`),
        // so a shell command cannot run. The registrar removes its registration socket itself on SIGTERM
        // (cmd/csi-node-driver-registrar/node_register.go removeRegSocket), and the driver removes a stale csi.sock
        // before it listens (kubevirt/csi-driver pkg/service/server.go).
        env: [
          { name: 'ADDRESS', value: '/csi/csi.sock' },
          { name: 'DRIVER_REG_SOCK_PATH', value: `${PLUGIN_DIR}/csi.sock` },
        ],
        volumeMounts: [pluginDir, { name: 'registration-dir', mountPath: '/registration' }],
        resources: sidecarResources,
      },
      {
        name: 'csi-liveness-probe',
        image: Values.str('sidecarImages.livenessProbe'),
        imagePullPolicy: 'IfNotPresent',
        args: ['--csi-address=/csi/csi.sock', '--probe-timeout=3s', `--health-port=${HEALTH_PORT}`, verbosity],
        volumeMounts: [pluginDir],
        resources: sidecarResources,
      },
    ];
  }

  private checks(fullname: Expr): void {
    new RenderCheck(this, 'WritableCharacters', {
      failWhen: HAS_UNWRITABLE_CHARACTERS.call(Values.map('')),
      message: concat(UNWRITABLE_PATH.call(Values.map(''), lit('')), ': holds a character Kubernetes\' YAML reader refuses or reads as a line break '
        + '(DEL, a C1 control such as NEL U+0085, U+FEFF, U+FFFE or U+FFFF); remove it'),
    });
    new RenderCheck(this, 'NamespaceIsLabel', {
      failWhen: or(not(matches(DNS1123_LABEL, Release.namespace)), gt(len(Release.namespace), 63)),
      message: concat('release namespace: "', Release.namespace, '" must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters'),
    });
    new RenderCheck(this, 'NameIsLabel', {
      failWhen: or(not(matches(DNS1123_LABEL, fullname)), gt(len(fullname), 63)),
      message: concat('fullnameOverride (or the release name): "', fullname,
        '" must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters'),
    });
    new RenderCheck(this, 'HookNameIsLabel', {
      failWhen: and(Values.bool('storageClassUpdate.enabled'), gt(len(fullname), 63 - HOOK_SUFFIX.length)),
      message: concat('fullnameOverride (or the release name): "', fullname, `" is longer than ${63 - HOOK_SUFFIX.length} characters, too long for the Job "<name>${HOOK_SUFFIX}" of storageClassUpdate (a Job name is a label value); shorten it or set storageClassUpdate.enabled to false`),
    });
    checkImagesPinned(this, ['image', 'sidecarImages.nodeDriverRegistrar', 'sidecarImages.livenessProbe', 'storageClassUpdate.image']);
  }
}
