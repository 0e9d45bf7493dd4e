import { Construct } from 'constructs';
import { Expr, ValueSource } from '../../expr';
import { ManagementWorkload, TENANT_KUBECONFIG, WorkloadContainer } from '../management/management-workload';
import { CLUSTER_NAME_LABEL, TenantContext } from '../core/tenant-context';
import { INFRA_STORAGE_CLASS_ENFORCEMENT } from './kubevirt-functions';

export { INFRA_STORAGE_CLASS_ENFORCEMENT, infraStorageClassEnforcement } from './kubevirt-functions';

export interface KubevirtCsiControllerProps {
  /**
   * The tenant cluster's shared facts: the cluster name the objects are named after and the driver finds the
   * infrastructure cluster's VMs by (`--infra-cluster-labels`), their namespace, and the admin kubeconfig Secret the
   * controller reaches the tenant with.
   */
  readonly context: TenantContext;
  /** `addons.csi.controller` values. */
  readonly values: ValueSource;
  /** `addons.csi` values (the infra classes the tenant may use). */
  readonly csiValues: ValueSource;
  /**
   * Image of the init container that waits until Kamaji has written the tenant's admin kubeconfig
   * (`addons.images.waitForKubeconfig`).
   */
  readonly waitImage: Expr;
}

const SOCKET_DIR = '/csi';
/** The driver's `--volume-prefix` (not set: its default); every DataVolume it creates is named so (pkg/kubevirt/client.go CreateDataVolume). */
export const KUBEVIRT_CSI_VOLUME_PREFIX = 'pvc';
const HEALTH_PORT = 10301;

/**
 * The KubeVirt CSI controller ("split" deployment), in the management cluster beside the VMs: turns
 * tenant PersistentVolumeClaims into DataVolumes in this namespace, labelled with the cluster's name,
 * and hot-plugs them into the worker VMs. Infra credentials never enter the tenant; the CSI sidecars
 * watch the tenant through the admin kubeconfig (leases in the tenant's kube-system).
 * @see https://github.com/kubevirt/csi-driver
 */
export class KubevirtCsiController extends Construct {
  public constructor(scope: Construct, id: string, props: KubevirtCsiControllerProps) {
    super(scope, id);
    const { context, values } = props;
    const socket = { name: 'socket-dir', mountPath: SOCKET_DIR };
    const sidecar = (name: string, image: string, args: string[], when?: Expr): WorkloadContainer => ({
      name,
      when,
      image: values.str(`sidecarImages.${image}`),
      args: [
        `--csi-address=${SOCKET_DIR}/csi.sock`,
        `--kubeconfig=${TENANT_KUBECONFIG}`,
        '--timeout=3m',
        '--leader-election=true',
        // The default is the pod's namespace, which does not exist in the tenant.
        '--leader-election-namespace=kube-system',
        ...args,
      ],
      resources: values.map('sidecarResources'),
      usesTenantKubeconfig: true,
      volumeMounts: [socket],
    });
    new ManagementWorkload(this, 'Workload', {
      context,
      component: 'csi-controller',
      replicas: values.int('replicas'),
      waitImage: props.waitImage,
      containers: [
        {
          name: 'csi-driver',
          image: values.str('image'),
          args: [
            `--endpoint=unix://${SOCKET_DIR}/csi.sock`,
            `--infra-cluster-namespace=${context.namespace}`,
            // Tells this cluster's DataVolumes apart from other tenants' in a shared namespace.
            `--infra-cluster-labels=${CLUSTER_NAME_LABEL}=${context.clusterName}`,
            `--tenant-cluster-kubeconfig=${TENANT_KUBECONFIG}`,
            '--run-node-service=false',
            '--run-controller-service=true',
          ],
          env: [{
            name: 'INFRA_STORAGE_CLASS_ENFORCEMENT',
            value: INFRA_STORAGE_CLASS_ENFORCEMENT.call(
              props.csiValues.str('infraStorageClassName'),
              props.csiValues.list('allowedInfraStorageClasses'),
              props.csiValues.str('infraVolumeSnapshotClassName'),
            ),
          }],
          ports: [{ name: 'healthz', containerPort: HEALTH_PORT, protocol: 'TCP' }],
          livenessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, timeoutSeconds: 3, periodSeconds: 10, failureThreshold: 5 },
          resources: values.map('resources'),
          usesTenantKubeconfig: true,
          volumeMounts: [socket],
        },
        sidecar('csi-provisioner', 'provisioner', ['--default-fstype=ext4', '--retry-interval-max=1m']),
        sidecar('csi-attacher', 'attacher', ['--retry-interval-max=1m']),
        sidecar('csi-resizer', 'resizer', ['--handle-volume-inuse-error=false']),
        // Serves the tenant's VolumeSnapshotContents for the driver (CREATE_DELETE_SNAPSHOT, pkg/service/controller.go:67),
        // as upstream's deploy/controller-infra runs it. Flags exist at external-snapshotter v8.6.0 (cmd/csi-snapshotter/main.go,
        // csi-lib-utils standardflags/flags.go); its lease is taken through --kubeconfig, i.e. in the tenant. CreateSnapshot
        // waits up to 2 minutes for the infra snapshot (EnsureSnapshotReady), within --timeout.
        sidecar('csi-snapshotter', 'snapshotter', ['--retry-interval-max=1m'], props.csiValues.bool('volumeSnapshotClass')),
        {
          name: 'csi-liveness-probe',
          image: values.str('sidecarImages.livenessProbe'),
          args: [`--csi-address=${SOCKET_DIR}/csi.sock`, '--probe-timeout=3s', `--health-port=${HEALTH_PORT}`],
          resources: values.map('sidecarResources'),
          usesTenantKubeconfig: false,
          volumeMounts: [socket],
        },
      ],
      volumes: [{ name: 'socket-dir', emptyDir: {} }],
      rules: [
        { apiGroups: ['cdi.kubevirt.io'], resources: ['datavolumes'], verbs: ['get', 'create', 'delete'] },
        { apiGroups: ['kubevirt.io'], resources: ['virtualmachineinstances', 'virtualmachines'], verbs: ['get', 'list'] },
        { apiGroups: ['subresources.kubevirt.io'], resources: ['virtualmachines/addvolume', 'virtualmachines/removevolume'], verbs: ['update'] },
        { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['get', 'create', 'delete'] },
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'patch'] },
      ],
      // ControllerExpandVolume patches the infra PVC, then polls the infra PersistentVolume until it has grown
      // (kubevirt/csi-driver 27b52aa2 pkg/kubevirt/client.go:271-291 EnsureControllerResize,
      // `infraKubernetesClient.CoreV1().PersistentVolumes().Get`); upstream grants it with the ClusterRole
      // kubevirt-csi-cluster (deploy/infra-cluster-service-account.yaml). Without it every expansion ends in
      // ControllerResizeError.
      clusterRules: { rules: [{ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get'] }] },
    });
  }
}
