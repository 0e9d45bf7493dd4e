import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  and, CIDRS_OVERLAP, concat, contentHash, defaultTo, Each, eq, Expr, gt, labelsHelper, len, lit, matches, ne, not, or, Release, RenderCheck,
  structure, TemplateFunction, Values, VarRef, whenField, withLabels,
} from '../../expr';
import { checkImagesPinned } from '../management/pinned-images';
import {
  ALIVE_SCRIPT, CONFIG_DIR, DOWN_SCRIPT, IP_FORWARD_COMMAND, OPENVPN_CONTAINER_PORT, PKI_DIR, RUN_DIR, SERVER_UP_SCRIPT, serverConfig,
  TLS_CRYPT_KEY, TOOLS,
} from './openvpn-config';
import { TUN_DEVICE } from './vpn-client-sidecar';
import { BASE64, CHECKSUM, IPV4_HOST_BITS_SET, IPV4_NETMASK, IPV4_NETWORK_ADDRESS, JOIN } from './vpn-functions';

export interface TenantVpnServerProps {
  /** Chart name (for `helm.sh/chart` and the default `app.kubernetes.io/name`). */
  readonly chartName: string;
  /** Chart version (for `helm.sh/chart`). */
  readonly chartVersion: string;
  /** The `<chart>.fullname` helper: the name of every object (the Secret adds `-pki`). */
  readonly fullname: TemplateFunction;
}

/** `<fullname>-pki` and the Service name (a DNS-1035 label) must fit 63 characters. */
const MAX_FULLNAME = 59;
const DNS1035_LABEL = '^[a-z]([-a-z0-9]*[a-z0-9])?$';

/**
 * The tenant side of `addons.vpn`: the OpenVPN server the control plane pods dial, installed into each tenant by
 * the `tenant-cluster` chart through Flux (drift detection restores what the tenant deletes). A Deployment of
 * `replicas` servers spread over nodes (the Service picks one per client; a PodDisruptionBudget keeps one during
 * drains), its Service (NodePort on KubeVirt, LoadBalancer on OpenStack), the configuration and the pki Secret
 * (from values the HelmRelease fills through `valuesFrom`). The server container runs as UID 0 with only
 * `NET_ADMIN` (it creates `tun0` and its firewall); an init container turns on IPv4 forwarding, privileged, as
 * Gardener's `vpn-shoot-init` does: the namespace needs Pod Security level `privileged`.
 *
 * Probes: readiness and liveness only ask whether OpenVPN keeps rewriting its status file, never whether a client
 * is connected — a client-gated readiness would deadlock the rolling update (new pods get clients only once old
 * ones go) and make the install wait for the management side.
 * @see https://openvpn.net/community-resources/reference-manual-for-openvpn-2-6/
 */
export class TenantVpnServer extends Construct {
  public readonly deployment: ApiObject;
  public readonly service: ApiObject;

  public constructor(scope: Construct, id: string, props: TenantVpnServerProps) {
    super(scope, id);
    const fullname = props.fullname.call();
    const name = `${fullname}`;
    const pkiSecretName = `${fullname}-pki`;
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
    const network = Values.str('network');
    const tlsCryptKey = Values.str('pki.tlsCrypt');
    const tlsCrypt = ne(tlsCryptKey, '');
    const serviceType = Values.str('service.type');
    const loadBalancer = eq(serviceType, 'LoadBalancer');
    const loadBalancerIP = Values.str('service.loadBalancerIP');
    const sourceRanges = Values.list('service.loadBalancerSourceRanges');
    this.checks(fullname);

    new ApiObject(this, 'ServiceAccount', {
      ...k8s.KubeServiceAccount.GVK,
      metadata: { name, namespace, labels },
      // OpenVPN never talks to the Kubernetes API.
      automountServiceAccountToken: false,
    });

    const pki = {
      'ca.crt': Values.str('pki.ca'),
      'tls.crt': Values.str('pki.certificate'),
      'tls.key': Values.str('pki.privateKey'),
    };
    // `data`, not `stringData`: what the API server stores, so drift detection compares like with like.
    new ApiObject(this, 'Secret', {
      ...k8s.KubeSecret.GVK,
      metadata: { name: pkiSecretName, namespace, labels },
      type: 'Opaque',
      data: {
        ...Object.fromEntries(Object.entries(pki).map(([key, value]) => [key, BASE64.call(value)])),
        [TLS_CRYPT_KEY]: whenField(tlsCrypt, BASE64.call(tlsCryptKey)),
      },
    });

    const scripts = { 'up.sh': SERVER_UP_SCRIPT, 'down.sh': DOWN_SCRIPT, 'alive.sh': ALIVE_SCRIPT };
    const config = {
      'server.conf': serverConfig({
        networkAddress: IPV4_NETWORK_ADDRESS.call(network),
        netmask: IPV4_NETMASK.call(network),
        pingRestartSeconds: Values.int('pingRestartSeconds'),
        clientCommonName: Values.str('clientCommonName'),
        tlsCrypt,
      }),
      'network': concat(network, '\n'),
      'routes': concat(JOIN.call(lit(' '), Values.list('routes')), '\n'),
    };
    new ApiObject(this, 'ConfigMap', {
      ...k8s.KubeConfigMap.GVK,
      metadata: { name, namespace, labels },
      data: { ...config, ...scripts },
    });

    const probe = (which: string, periodSeconds: number, failureThreshold: number) => ({
      exec: { command: [TOOLS.shell, `${CONFIG_DIR}/alive.sh`, which] },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold,
    });
    this.deployment = new ApiObject(this, 'Deployment', {
      ...k8s.KubeDeployment.GVK,
      metadata: { name, namespace, labels },
      spec: {
        replicas: Values.int('replicas'),
        selector: { matchLabels: selectorLabels },
        // One at a time, never more servers than replicas (each holds clients; a surge pod gets none).
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        template: {
          metadata: {
            labels: selectorLabels,
            annotations: {
              // A new configuration or certificate restarts the servers; clients reconnect and load theirs.
              'checksum/config': `${CHECKSUM.call(structure({ ...config, scripts: contentHash(scripts) }))}`,
              'checksum/pki': `${CHECKSUM.call(structure({ ...pki, tlsCrypt: tlsCryptKey }))}`,
            },
          },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            priorityClassName: whenField(ne(Values.str('priorityClassName'), ''), Values.str('priorityClassName')),
            tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
            topologySpreadConstraints: [{
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selectorLabels },
            }],
            initContainers: [{
              name: 'ip-forward',
              image: Values.str('image'),
              imagePullPolicy: 'IfNotPresent',
              command: IP_FORWARD_COMMAND,
              securityContext: { privileged: true, runAsUser: 0 },
              resources: Values.map('initResources'),
            }],
            containers: [{
              name: 'openvpn',
              image: Values.str('image'),
              imagePullPolicy: 'IfNotPresent',
              command: [TOOLS.openvpn, '--config', `${CONFIG_DIR}/server.conf`],
              ports: [{ name: 'openvpn', containerPort: OPENVPN_CONTAINER_PORT, protocol: 'TCP' }],
              resources: Values.map('resources'),
              securityContext: {
                // Kubernetes grants no ambient capabilities: a non-root process would not have NET_ADMIN.
                runAsUser: 0,
                runAsNonRoot: false,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              readinessProbe: probe('readiness', 15, 2),
              livenessProbe: { ...probe('liveness', 30, 4), initialDelaySeconds: 30 },
              volumeMounts: [
                { name: 'dev-net-tun', mountPath: TUN_DEVICE },
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'pki', mountPath: PKI_DIR, readOnly: true },
                { name: 'run', mountPath: RUN_DIR },
              ],
            }],
            volumes: [
              { name: 'dev-net-tun', hostPath: { path: TUN_DEVICE, type: 'CharDevice' } },
              { name: 'config', configMap: { name } },
              { name: 'pki', secret: { secretName: pkiSecretName, defaultMode: 0o400 } },
              { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
            ],
          },
        },
      },
    });

    this.service = new ApiObject(this, 'Service', {
      ...k8s.KubeService.GVK,
      metadata: { name, namespace, labels },
      spec: {
        type: serviceType,
        selector: selectorLabels,
        externalTrafficPolicy: 'Cluster',
        ports: [{
          name: 'openvpn', protocol: 'TCP', port: Values.int('service.port'), targetPort: 'openvpn',
          // Fixed only where something targets it (KubeVirt); a load balancer's NodePort is Kubernetes' choice.
          nodePort: whenField(eq(serviceType, 'NodePort'), Values.int('service.nodePort')),
        }],
        loadBalancerIP: whenField(and(loadBalancer, ne(loadBalancerIP, '')), loadBalancerIP),
        loadBalancerSourceRanges: whenField(and(loadBalancer, sourceRanges), sourceRanges),
      },
    });
    // A map from the values as a whole: cdk8s copies `metadata.annotations` key by key, so it goes in after synthesis.
    this.service.addJsonPatch(JsonPatch.add('/metadata/annotations', `${Values.map('service.annotations')}`));

    new ApiObject(this, 'PodDisruptionBudget', {
      ...k8s.KubePodDisruptionBudget.GVK,
      metadata: { name, namespace, labels },
      // Unready servers never block a drain.
      spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: selectorLabels } },
    });
  }

  private checks(fullname: Expr): void {
    new RenderCheck(this, 'NameIsLabel', {
      failWhen: or(not(matches(DNS1035_LABEL, fullname)), gt(len(fullname), MAX_FULLNAME)),
      message: concat('fullnameOverride (or the release name): "', fullname,
        `" must be a DNS-1035 label: lowercase letters, digits and "-", starting with a letter, at most ${MAX_FULLNAME} characters`),
    });
    const missing = (key: string) => new RenderCheck(this, `Pki-${key}`, {
      failWhen: eq(Values.str(`pki.${key}`), ''),
      message: lit(`pki.${key}: required; the tenant-cluster chart sets pki.* through its HelmRelease's valuesFrom from the Secret cert-manager issues (never put a key into a values file)`),
    });
    ['ca', 'certificate', 'privateKey'].forEach(missing);
    new RenderCheck(this, 'RoutesGiven', {
      failWhen: not(Values.list('routes')),
      message: lit('routes: at least one tenant network the control plane may reach through the server (the tenant-cluster chart sets the pod and service networks)'),
    });
    new RenderCheck(this, 'NetworkAddress', {
      failWhen: IPV4_HOST_BITS_SET.call(Values.str('network')),
      message: concat('network: ', Values.str('network'), ' is not a network address (OpenVPN\'s server directive needs the host bits zero, e.g. 10.255.255.0/24)'),
    });
    const routes = new Each(this, 'Routes', { collection: Values.list('routes'), keyVar: 'routeIndex', itemVar: 'route' });
    const route = new VarRef('route', 'string');
    new RenderCheck(routes, 'RouteOutsideNetwork', {
      failWhen: CIDRS_OVERLAP.call(route, Values.str('network')),
      message: concat('routes[', routes.key, ']: ', route, ' overlaps network ', Values.str('network'), ' (the tunnel\'s own addresses)'),
    });
    checkImagesPinned(this, ['image']);
  }
}
