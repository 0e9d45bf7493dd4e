import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { concat, contentHash, Expr, lit, ne, structure, ValueSource, whenField } from '../../expr';
import { TenantContext } from '../core/tenant-context';
import {
  ALIVE_SCRIPT, CLIENT_START_SCRIPT, CLIENT_UP_SCRIPT, clientConfig, CONFIG_DIR, DOWN_SCRIPT, PKI_DIR, RUN_DIR, TLS_CRYPT_DIR, TLS_CRYPT_KEY,
  TOOLS, VPN_CONTAINER_NAME,
} from './openvpn-config';
import { CHECKSUM, JOIN } from './vpn-functions';

export interface VpnClientSidecarProps {
  /** The tenant: names, namespace and labels. */
  readonly context: TenantContext;
  /** The `addons.vpn` values (`image`, `resources`, `port`, `pingRestartSeconds`, `tlsCrypt.secretName`). */
  readonly values: ValueSource;
  /** Where the server is (the management Service's full name on KubeVirt, `addons.vpn.endpoint.host` on OpenStack). */
  readonly remoteHost: Expr;
  /** The networks routed through the tunnel (a list of CIDRs, {@link VPN_ROUTES}). */
  readonly routes: Expr;
  /** The cert-manager Secret with the client certificate, key and CA. */
  readonly clientSecretName: string;
}

/** The host device OpenVPN opens: a `hostPath` of type `CharDevice`, the one host path of the invariant exception. */
export const TUN_DEVICE = '/dev/net/tun';

/** Annotation of the control plane pods with the checksum of the client configuration: a change rolls them. */
export const VPN_CONFIG_CHECKSUM_ANNOTATION = 'tenant-cluster.io/vpn-config';

/**
 * The control plane pod's side of the VPN: the ConfigMap `<cluster>-vpn-client` (rendered here) and, for the
 * KamajiControlPlane to carry in `spec.deployment` (`extraContainers`, `extraVolumes`,
 * `podAdditionalMetadata.annotations`; the same fields in provider v0.19's `v1alpha1` and v0.20's `v1alpha2`), the
 * `vpn` container, its volumes and the pod annotations. Kamaji prepends extra containers and volumes to its own
 * (clastix/kamaji@26.8.2-edge, `internal/builders/controlplane/deployment.go`, `setAdditionalContainers` and
 * `setAdditionalVolumes`), so the sidecar shares the network namespace with kube-apiserver: its routes are the
 * API server's routes. Volumes are prefixed `vpn-` (Kamaji's own are `etc-kubernetes-pki`, `konnectivity-uds`, …).
 *
 * The container runs as UID 0 with `NET_ADMIN` and mounts `/dev/net/tun` — the management invariants' one listed
 * exception (src/constructs/management/invariant-exceptions.ts) — and is otherwise restricted: all other
 * capabilities dropped, no privilege escalation, read-only root, RuntimeDefault seccomp. It has no readiness
 * probe: readiness of any container gates the whole control plane pod, and the server in the tenant cannot exist
 * before the control plane is Ready (workers join through it). The liveness probe restarts a hung OpenVPN.
 */
export class VpnClientSidecar extends Construct {
  /** The ConfigMap with `client.conf`, `routes` and the scripts. */
  public readonly configMap: ApiObject;
  /** For `spec.deployment.extraContainers`. */
  public readonly containers: unknown[];
  /** For `spec.deployment.extraVolumes`. */
  public readonly volumes: unknown[];
  /** For `spec.deployment.podAdditionalMetadata.annotations`. */
  public readonly podAnnotations: Record<string, string>;

  public constructor(scope: Construct, id: string, props: VpnClientSidecarProps) {
    super(scope, id);
    const { context, values } = props;
    const configMapName = `${context.clusterName}-vpn-client`;
    const tlsCryptSecret = values.str('tlsCrypt.secretName');
    const tlsCrypt = ne(tlsCryptSecret, '');
    const scripts = { 'start.sh': CLIENT_START_SCRIPT, 'up.sh': CLIENT_UP_SCRIPT, 'down.sh': DOWN_SCRIPT, 'alive.sh': ALIVE_SCRIPT };
    const config = {
      'client.conf': clientConfig({
        remoteHost: props.remoteHost,
        port: values.int('port'),
        pingRestartSeconds: values.int('pingRestartSeconds'),
        tlsCrypt,
      }),
      'routes': concat(JOIN.call(lit(' '), props.routes), '\n'),
    };
    this.configMap = new ApiObject(this, 'ConfigMap', {
      ...k8s.KubeConfigMap.GVK,
      metadata: { name: configMapName, namespace: `${context.namespace}`, labels: context.labels({ 'app.kubernetes.io/component': 'vpn' }) },
      data: { ...config, ...scripts },
    });

    this.podAnnotations = {
      // The scripts are constants of this chart version: their hash is computed here, the rest at render time.
      [VPN_CONFIG_CHECKSUM_ANNOTATION]: `${CHECKSUM.call(structure({ ...config, tlsCryptSecret, scripts: contentHash(scripts) }))}`,
      // The sidecar comes first in the pod: keep kube-apiserver the default of `kubectl logs` and `exec`.
      'kubectl.kubernetes.io/default-container': 'kube-apiserver',
    };

    this.containers = [{
      name: VPN_CONTAINER_NAME,
      image: values.str('image'),
      imagePullPolicy: 'IfNotPresent',
      command: [TOOLS.shell, `${CONFIG_DIR}/start.sh`],
      resources: values.map('resources'),
      securityContext: {
        // Kubernetes grants no ambient capabilities: a non-root process would not have NET_ADMIN.
        runAsUser: 0,
        runAsNonRoot: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      livenessProbe: {
        exec: { command: [TOOLS.shell, `${CONFIG_DIR}/alive.sh`, 'liveness'] },
        initialDelaySeconds: 30,
        periodSeconds: 30,
        timeoutSeconds: 5,
        failureThreshold: 4,
      },
      volumeMounts: [
        { name: 'vpn-dev-net-tun', mountPath: TUN_DEVICE },
        { name: 'vpn-config', mountPath: CONFIG_DIR, readOnly: true },
        { name: 'vpn-pki', mountPath: PKI_DIR, readOnly: true },
        whenField(tlsCrypt, { name: 'vpn-tls-crypt', mountPath: TLS_CRYPT_DIR, readOnly: true }),
        { name: 'vpn-run', mountPath: RUN_DIR },
      ],
    }];

    this.volumes = [
      { name: 'vpn-dev-net-tun', hostPath: { path: TUN_DEVICE, type: 'CharDevice' } },
      { name: 'vpn-config', configMap: { name: configMapName } },
      // Whole Secret volumes (no subPath): a renewed certificate reaches the running pod.
      { name: 'vpn-pki', secret: { secretName: props.clientSecretName, defaultMode: 0o400 } },
      whenField(tlsCrypt, { name: 'vpn-tls-crypt', secret: { secretName: tlsCryptSecret, items: [{ key: TLS_CRYPT_KEY, path: TLS_CRYPT_KEY }], defaultMode: 0o400 } }),
      { name: 'vpn-run', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
    ];
  }
}
