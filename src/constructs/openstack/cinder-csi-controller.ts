import { Construct } from 'constructs';
import { concat, Expr, ternary, ValueSource } from '../../expr';
import { ManagementWorkload, TENANT_KUBECONFIG, WorkloadContainer } from '../management/management-workload';
import { TenantContext } from '../core/tenant-context';
import { CSI_ENDPOINT, CSI_SOCKET_DIR } from './cinder-csi-common';
import { below, booleanVariable, CLOUD_CONFIG_FILE, OpenStackCloudConfig } from './openstack-cloud-config';

export interface CinderCsiControllerProps {
  /**
   * The tenant cluster's shared facts: the cluster name the objects are named after and, with the namespace, the
   * driver's `--cluster` name (`<namespace>-<cluster>`), the release namespace, labels, and the admin kubeconfig
   * Secret the controller reaches the tenant with.
   */
  readonly context: TenantContext;
  /** `addons.openstack.cinderCsi` values. */
  readonly values: ValueSource;
  /** `infrastructure.openstack` values (the identity). */
  readonly infrastructure: ValueSource;
  /** The plugin image: the values' or the support table's for the Kubernetes minor. */
  readonly image: Expr;
  /** Image of the init container that waits for the tenant's admin kubeconfig. */
  readonly waitImage: Expr;
}

/** Its component name: the Deployment is `<cluster>-cinder-csi-controller`. */
export const CINDER_CSI_CONTROLLER_COMPONENT = 'cinder-csi-controller';

/** Port of the plugin's `/healthz`, served by the livenessprobe sidecar (its default). */
const HEALTH_PORT = 9808;

/**
 * The Cinder CSI controller of one tenant, in the management cluster beside its control plane: creates, expands,
 * snapshots and deletes Cinder volumes in the customer's project and attaches them to the tenant's servers (the
 * CSI node ID is the Nova server ID the node plugin reads from the metadata service). The plugin talks to
 * OpenStack with the operator's credentials Secret through a credential-free `cloud.conf`; the CSI sidecars watch
 * the tenant with the admin kubeconfig (leases in the tenant's kube-system, the pod's namespace does not exist
 * there). Neither needs the management cluster's API: no Role, no token.
 *
 * Sidecar flags as upstream's manifests/cinder-csi-plugin/cinder-csi-controllerplugin.yaml (v1.34.1), plus the
 * tenant kubeconfig and lease namespace. Left out on purpose: `--pvc-annotations` (v1.32+), which makes the plugin
 * build a Kubernetes client from in-cluster config, i.e. the management cluster (pkg/csi/csi.go).
 * @see https://github.com/kubernetes/cloud-provider-openstack/blob/v1.34.1/docs/cinder-csi-plugin/using-cinder-csi-plugin.md
 */
export class CinderCsiController extends Construct {
  public readonly workload: ManagementWorkload;

  public constructor(scope: Construct, id: string, props: CinderCsiControllerProps) {
    super(scope, id);
    const { context, values } = props;
    const component = CINDER_CSI_CONTROLLER_COMPONENT;
    const topology = ternary(values.bool('topology'), 'true', 'false');
    const config = new OpenStackCloudConfig(this, 'CloudConfig', {
      context,
      component,
      identity: below(props.infrastructure, 'identity'),
      // `BlockStorageOpts` of pkg/csi/cinder/openstack/openstack.go: the controller's part.
      sections: concat('[BlockStorage]\n', booleanVariable('ignore-volume-az', values.bool('ignoreVolumeAZ'))),
    });
    const socket = { name: 'socket-dir', mountPath: CSI_SOCKET_DIR };
    const sidecar = (name: string, image: string, args: Array<string | Expr>, when?: Expr): WorkloadContainer => ({
      name,
      image: values.str(`controller.sidecarImages.${image}`),
      args: [
        `--csi-address=${CSI_SOCKET_DIR}/csi.sock`,
        `--kubeconfig=${TENANT_KUBECONFIG}`,
        '--timeout=3m',
        '--leader-election=true',
        // The default is the pod's namespace, which does not exist in the tenant.
        '--leader-election-namespace=kube-system',
        ...args,
      ],
      resources: values.map('controller.sidecarResources'),
      usesTenantKubeconfig: true,
      volumeMounts: [socket],
      when,
    });

    this.workload = new ManagementWorkload(this, 'Workload', {
      context,
      component,
      replicas: values.int('controller.replicas'),
      waitImage: props.waitImage,
      podAnnotations: { 'checksum/cloud-config': config.checksum },
      automountServiceAccountToken: false,
      rules: [],
      containers: [
        {
          name: 'cinder-csi-plugin',
          image: props.image,
          args: [
            '/bin/cinder-csi-plugin',
            `--endpoint=${CSI_ENDPOINT}`,
            `--cloud-config=${CLOUD_CONFIG_FILE}`,
            // Tags each volume with the cluster (Cinder metadata `cinder.csi.openstack.org/cluster`), like CAPO's names.
            `--cluster=${concat(context.namespace, '-', context.clusterName)}`,
            '--provide-node-service=false',
            concat('--with-topology=', topology),
          ],
          ports: [{ name: 'healthz', containerPort: HEALTH_PORT, protocol: 'TCP' }],
          livenessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, timeoutSeconds: 10, periodSeconds: 60, failureThreshold: 5 },
          resources: values.map('controller.resources'),
          usesTenantKubeconfig: false,
          volumeMounts: [socket, ...config.volumeMounts],
        },
        sidecar('csi-attacher', 'attacher', ['--default-fstype=ext4']),
        sidecar('csi-provisioner', 'provisioner', ['--default-fstype=ext4', concat('--feature-gates=Topology=', topology), '--extra-create-metadata']),
        sidecar('csi-resizer', 'resizer', ['--handle-volume-inuse-error=false']),
        sidecar('csi-snapshotter', 'snapshotter', ['--extra-create-metadata'], values.bool('volumeSnapshotClass')),
        {
          name: 'liveness-probe',
          image: values.str('controller.sidecarImages.livenessProbe'),
          args: [`--csi-address=${CSI_SOCKET_DIR}/csi.sock`, `--http-endpoint=:${HEALTH_PORT}`],
          resources: values.map('controller.sidecarResources'),
          usesTenantKubeconfig: false,
          volumeMounts: [socket],
        },
      ],
      volumes: [{ name: 'socket-dir', emptyDir: {} }, ...config.volumes],
    });
  }
}
