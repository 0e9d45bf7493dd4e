import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  concat, ContentHash, defaultTo, Each, Expr, gt, labelsHelper, len, matches, MERGE_DEFAULTS, ne, not, or, Release, RenderCheck, structure,
  TemplateFunction, ternary, Values, When, whenField, withLabels,
} from '../../expr';
import { checkImagesPinned } from '../management/pinned-images';
import { CINDER_CSI_DRIVER_NAME, CINDER_TOPOLOGY_KEY, CSI_ENDPOINT, CSI_SOCKET_DIR, storageClassChecks } from './cinder-csi-common';

export interface CinderCsiNodeProps {
  /** Chart name (for `helm.sh/chart` and the default `app.kubernetes.io/name`). */
  readonly chartName: string;
  /** Chart version (for `helm.sh/chart`). */
  readonly chartVersion: string;
  /** The `<chart>.fullname` helper: the name of the DaemonSet, its RBAC objects and ConfigMap. */
  readonly fullname: TemplateFunction;
}

/** Where the kubelet finds the plugin's socket (upstream's `DRIVER_REG_SOCK_PATH`). */
const PLUGIN_DIR = `/var/lib/kubelet/plugins/${CINDER_CSI_DRIVER_NAME}`;
const CONFIG_DIR = '/etc/config';
const CONFIG_FILE = `${CONFIG_DIR}/cloud.conf`;
const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** What a StorageClass entry leaves out (maps merge deeply, the entry's own values win). */
export const CINDER_STORAGE_CLASS_DEFAULTS = {
  volumeType: '',
  isDefault: false,
  reclaimPolicy: 'Delete',
  allowVolumeExpansion: true,
  volumeBindingMode: 'WaitForFirstConsumer',
  availabilityZone: '',
  zones: [] as string[],
  fsType: '',
};

/**
 * The tenant side of Cinder CSI (the controller runs in the management cluster with the cloud credentials): the
 * `CSIDriver`, the node plugin `DaemonSet` with its ServiceAccount and ClusterRole, a credential-free
 * `cloud.conf` (only `[BlockStorage]`), one StorageClass per entry of `storageClasses` and, optionally, a
 * VolumeSnapshotClass. Shapes follow upstream's manifests/cinder-csi-plugin (cinder-csi-nodeplugin.yaml,
 * -rbac.yaml, csi-cinder-driver.yaml) at v1.34.1, with these differences, each for a reason:
 * - no Secret and no credentials: the node service needs only the config files and Nova's metadata
 *   (cmd/cinder-csi-plugin/main.go: from v1.32 the node path reads `GetConfigFromFiles` for
 *   `[Metadata]`/`[BlockStorage]` only; v1.31 needs `nodeServiceNoOsClient`);
 * - `volumeLifecycleModes: [Persistent]` only: "CSI inline ephemeral volumes support is removed in 1.31
 *   release" (pkg/csi/cinder/nodeserver.go, v1.31.4);
 * - the socket as the absolute `unix:///csi/csi.sock` (`ParseEndpoint` keeps what follows `unix://`, so
 *   upstream's `unix://csi/csi.sock` is relative to the working directory);
 * - no preStop hook (the registrar removes its socket itself and its distroless image has no shell).
 * @see https://github.com/kubernetes/cloud-provider-openstack/tree/v1.34.1/manifests/cinder-csi-plugin
 */
export class CinderCsiNode extends Construct {
  public readonly daemonSet: ApiObject;

  public constructor(scope: Construct, id: string, props: CinderCsiNodeProps) {
    super(scope, id);
    const fullname = props.fullname.call();
    const name = `${fullname}`;
    const namespace = `${Release.namespace}`;
    const selectorLabels = {
      'app.kubernetes.io/name': `${defaultTo(Values.str('nameOverride'), props.chartName)}`,
      'app.kubernetes.io/instance': `${Release.name}`,
    };
    // Every object's labels, through the `<chart>.labels` helper of _helpers.tpl.
    const labels = withLabels(labelsHelper(props.chartName, {
      'app.kubernetes.io/name': defaultTo(Values.str('nameOverride'), props.chartName),
      'app.kubernetes.io/instance': Release.name,
      'app.kubernetes.io/managed-by': Release.service,
      'helm.sh/chart': `${props.chartName}-${props.chartVersion.replace(/\+/g, '_')}`,
    }));
    this.checks(fullname);

    new ApiObject(this, 'CsiDriver', {
      ...k8s.KubeCsiDriver.GVK,
      metadata: { name: CINDER_CSI_DRIVER_NAME, labels },
      spec: { attachRequired: true, podInfoOnMount: true, volumeLifecycleModes: ['Persistent'] },
    });

    new ApiObject(this, 'ServiceAccount', { ...k8s.KubeServiceAccount.GVK, metadata: { name, namespace, labels } });
    // Upstream's csi-nodeplugin-role: the plugin only records events.
    new ApiObject(this, 'ClusterRole', {
      ...k8s.KubeClusterRole.GVK,
      metadata: { name, labels },
      rules: [{ apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] }],
    });
    new ApiObject(this, 'ClusterRoleBinding', {
      ...k8s.KubeClusterRoleBinding.GVK,
      metadata: { name, labels },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    });

    const attachLimit = Values.int('nodeVolumeAttachLimit');
    const config: ApiObject = new ApiObject(this, 'CloudConfig', {
      ...k8s.KubeConfigMap.GVK,
      metadata: { name, namespace, labels },
      data: {
        // gcfg (pkg/csi/cinder/openstack/openstack.go BlockStorageOpts): booleans and integers only, nothing to quote.
        'cloud.conf': concat(
          '[BlockStorage]\n',
          'rescan-on-resize = ', ternary(Values.bool('rescanOnResize'), 'true', 'false'), '\n',
          ternary(gt(attachLimit, 0), concat('node-volume-attach-limit = ', attachLimit, '\n'), ''),
        ),
      },
    });

    const healthPort = Values.int('healthPort');
    this.daemonSet = new ApiObject(this, 'DaemonSet', {
      ...k8s.KubeDaemonSet.GVK,
      metadata: { name, namespace, labels },
      spec: {
        selector: { matchLabels: selectorLabels },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels: selectorLabels, annotations: { 'checksum/config': `${new ContentHash(config, ['data'])}` } },
          spec: {
            serviceAccountName: name,
            priorityClassName: 'system-node-critical',
            // Nova's metadata service (169.254.169.254) answers the host: node ID and zone come from it.
            hostNetwork: true,
            dnsPolicy: 'ClusterFirstWithHostNet',
            // Every node, whatever its taints: volumes must mount everywhere.
            tolerations: [{ operator: 'Exists' }],
            containers: this.containers(healthPort),
            volumes: [
              { name: 'socket-dir', hostPath: { path: PLUGIN_DIR, type: 'DirectoryOrCreate' } },
              { name: 'registration-dir', hostPath: { path: '/var/lib/kubelet/plugins_registry/', type: 'Directory' } },
              { name: 'kubelet-dir', hostPath: { path: '/var/lib/kubelet', type: 'Directory' } },
              { name: 'pods-probe-dir', hostPath: { path: '/dev', type: 'Directory' } },
              { name: 'cloud-config', configMap: { name } },
            ],
          },
        },
      },
    });

    this.storageClasses(labels);

    new ApiObject(new When(this, 'Snapshots', Values.bool('volumeSnapshotClass')), 'VolumeSnapshotClass', {
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshotClass',
      metadata: { name, labels },
      driver: CINDER_CSI_DRIVER_NAME,
      deletionPolicy: 'Delete',
    });
  }

  /** The node plugin's containers, as upstream's cinder-csi-nodeplugin.yaml (pinned images, resources from values). */
  private containers(healthPort: Expr): unknown[] {
    const sidecarResources = Values.map('sidecarResources');
    const socketDir = { name: 'socket-dir', mountPath: CSI_SOCKET_DIR };
    return [
      {
        name: 'node-driver-registrar',
        image: Values.str('sidecarImages.nodeDriverRegistrar'),
        imagePullPolicy: 'IfNotPresent',
        args: [`--csi-address=${CSI_SOCKET_DIR}/csi.sock`, `--kubelet-registration-path=${PLUGIN_DIR}/csi.sock`],
        volumeMounts: [socketDir, { name: 'registration-dir', mountPath: '/registration' }],
        resources: sidecarResources,
      },
      {
        name: 'liveness-probe',
        image: Values.str('sidecarImages.livenessProbe'),
        imagePullPolicy: 'IfNotPresent',
        args: [`--csi-address=${CSI_SOCKET_DIR}/csi.sock`, concat('--http-endpoint=:', healthPort)],
        volumeMounts: [socketDir],
        resources: sidecarResources,
      },
      {
        name: 'cinder-csi-plugin',
        image: Values.str('image'),
        imagePullPolicy: 'IfNotPresent',
        // The image's CMD is the binary (no ENTRYPOINT besides go-runner's): upstream passes it as the first argument.
        args: [
          '/bin/cinder-csi-plugin',
          `--endpoint=${CSI_ENDPOINT}`,
          '--provide-controller-service=false',
          `--cloud-config=${CONFIG_FILE}`,
          concat('--with-topology=', ternary(Values.bool('topology'), 'true', 'false')),
          whenField(Values.bool('nodeServiceNoOsClient'), '--node-service-no-os-client=true'),
        ],
        // Formats and mounts volumes on the host: privileged, with bidirectional mount propagation (as upstream).
        securityContext: { privileged: true, allowPrivilegeEscalation: true, capabilities: { add: ['SYS_ADMIN'] } },
        ports: [{ name: 'healthz', containerPort: healthPort, protocol: 'TCP' }],
        livenessProbe: {
          httpGet: { path: '/healthz', port: 'healthz' },
          initialDelaySeconds: 10,
          timeoutSeconds: 3,
          periodSeconds: 10,
          failureThreshold: 5,
        },
        volumeMounts: [
          socketDir,
          { name: 'kubelet-dir', mountPath: '/var/lib/kubelet', mountPropagation: 'Bidirectional' },
          { name: 'pods-probe-dir', mountPath: '/dev', mountPropagation: 'HostToContainer' },
          { name: 'cloud-config', mountPath: CONFIG_DIR, readOnly: true },
        ],
        resources: Values.map('resources'),
      },
    ];
  }

  /** One StorageClass per `storageClasses` entry (merged over {@link CINDER_STORAGE_CLASS_DEFAULTS}). */
  private storageClasses(labels: Record<string, string>): void {
    const classes = new Each(this, 'StorageClasses', { collection: Values.map('storageClasses'), keyVar: 'className', itemVar: 'classValues' });
    const sc = classes.let('storageClass', MERGE_DEFAULTS.call(structure(CINDER_STORAGE_CLASS_DEFAULTS), classes.item));
    const volumeType = sc.str('volumeType');
    const zone = sc.str('availabilityZone');
    const fsType = sc.str('fsType');
    new ApiObject(classes, 'StorageClass', {
      ...k8s.KubeStorageClass.GVK,
      metadata: {
        name: `${classes.key}`,
        labels,
        annotations: { 'storageclass.kubernetes.io/is-default-class': `${ternary(sc.bool('isDefault'), 'true', 'false')}` },
      },
      provisioner: CINDER_CSI_DRIVER_NAME,
      // `type` and `availability` are what CreateVolume reads (pkg/csi/cinder/controllerserver.go); the fstype key
      // is the provisioner's (external-provisioner pkg/controller/controller.go prefixedFsTypeKey).
      parameters: {
        type: whenField(ne(volumeType, ''), volumeType),
        availability: whenField(ne(zone, ''), zone),
        'csi.storage.k8s.io/fstype': whenField(ne(fsType, ''), fsType),
      },
      reclaimPolicy: sc.str('reclaimPolicy'),
      allowVolumeExpansion: sc.bool('allowVolumeExpansion'),
      volumeBindingMode: sc.str('volumeBindingMode'),
      allowedTopologies: whenField(sc.list('zones'), [{ matchLabelExpressions: [{ key: CINDER_TOPOLOGY_KEY, values: sc.list('zones') }] }]),
    });
  }

  private checks(fullname: Expr): void {
    new RenderCheck(this, 'NameIsLabel', {
      failWhen: or(not(matches(DNS1123_LABEL, fullname)), gt(len(fullname), 63)),
      message: concat('fullnameOverride (or the release name): "', fullname,
        '" must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters'),
    });
    storageClassChecks(this, Values.map('storageClasses'), 'storageClasses');
    checkImagesPinned(this, ['image', 'sidecarImages.nodeDriverRegistrar', 'sidecarImages.livenessProbe']);
  }
}
