import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { templateFileName } from '../../expr';
import { Certificate } from '../../imports/cert-manager-certificate-cert-manager.io';
import { Issuer } from '../../imports/cert-manager-issuer-cert-manager.io';
import { TenantContext } from '../core/tenant-context';
import { CA_COMMON_NAME, CLIENT_COMMON_NAME, SERVER_COMMON_NAME } from './openvpn-config';

export interface VpnPkiProps {
  /** The tenant: names (`<cluster>-vpn-*`), namespace and labels. */
  readonly context: TenantContext;
}

/** Lifetime of the tenant's VPN CA. Renewed by cert-manager with the same key (`rotationPolicy: Never`), so issued leaves stay valid. */
export const VPN_CA_DURATION = '87600h';
/** Lifetime of the server and client certificates (cert-manager renews them a third before expiry, with a new key). */
export const VPN_LEAF_DURATION = '2160h';

/**
 * Label that makes Flux's helm-controller upgrade a HelmRelease as soon as a Secret it reads through `valuesFrom`
 * changes (fluxcd/helm-controller@v1.6.3, `docs/spec/v2/helmreleases.md`, "Reacting immediately to configuration
 * dependencies"): a renewed server certificate reaches the tenant at once.
 */
export const FLUX_WATCH_LABEL = { 'reconcile.fluxcd.io/watch': 'Enabled' };

/**
 * The tenant's own VPN PKI in its namespace of the management cluster, issued by cert-manager (nothing random at
 * render time, no key in any value): a self-signed Issuer makes the CA, a CA Issuer signs a server certificate
 * (handed to the tenant through the HelmRelease's `valuesFrom`) and one client certificate that every control plane
 * replica mounts. Each issued Secret has `tls.crt`, `tls.key` and `ca.crt` (the CA issuer puts its CA there:
 * cert-manager/cert-manager@v1.21.1, `pkg/controller/certificaterequests/ca/ca.go:132`). The CA key never leaves
 * `<cluster>-vpn-ca`; being per tenant, the CA makes the constant common names unambiguous. Construct ids name the
 * template files: `self-signed-issuer.yaml`, `from-ca-issuer.yaml`, `ca-certificate.yaml`, `server-certificate.yaml`,
 * `client-certificate.yaml`.
 * @see https://cert-manager.io/docs/configuration/selfsigned/#bootstrapping-ca-issuers
 */
export class VpnPki extends Construct {
  /** Secret with the server's certificate, key and the CA (`<cluster>-vpn-server`). */
  public readonly serverSecretName: string;
  /** Secret with the client's certificate, key and the CA (`<cluster>-vpn-client`), mounted by the sidecar. */
  public readonly clientSecretName: string;
  /** Secret with the CA's certificate and key (`<cluster>-vpn-ca`). */
  public readonly caSecretName: string;

  public constructor(scope: Construct, id: string, props: VpnPkiProps) {
    super(scope, id);
    const { context } = props;
    const prefix = `${context.clusterName}-vpn`;
    const namespace = `${context.namespace}`;
    const labels = context.labels({ 'app.kubernetes.io/component': 'vpn' });
    const metadata = (name: string) => ({ name, namespace, labels });
    const issuerRef = (name: string) => ({ name, kind: Issuer.GVK.kind, group: 'cert-manager.io' });
    this.caSecretName = `${prefix}-ca`;
    this.serverSecretName = `${prefix}-server`;
    this.clientSecretName = `${prefix}-client`;
    const selfSignedIssuer = `${prefix}-selfsigned`;
    const caIssuer = `${prefix}-ca`;

    const selfSigned = new ApiObject(this, 'SelfSigned', { ...Issuer.GVK, metadata: metadata(selfSignedIssuer), spec: { selfSigned: {} } });
    const ca = new ApiObject(this, 'Ca', {
      ...Certificate.GVK,
      metadata: metadata(this.caSecretName),
      spec: {
        isCA: true,
        commonName: CA_COMMON_NAME,
        secretName: this.caSecretName,
        duration: VPN_CA_DURATION,
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Never' },
        issuerRef: issuerRef(selfSignedIssuer),
      },
    });
    const fromCa = new ApiObject(this, 'FromCa', { ...Issuer.GVK, metadata: metadata(caIssuer), spec: { ca: { secretName: this.caSecretName } } });

    const leaf = (commonName: string, secretName: string, usage: 'server auth' | 'client auth', secretLabels?: Record<string, string>) => ({
      commonName,
      secretName,
      duration: VPN_LEAF_DURATION,
      usages: ['digital signature', 'key encipherment', usage],
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      issuerRef: issuerRef(caIssuer),
      secretTemplate: secretLabels ? { labels: secretLabels } : undefined,
    });
    const server = new ApiObject(this, 'Server', {
      ...Certificate.GVK,
      metadata: metadata(this.serverSecretName),
      spec: leaf(SERVER_COMMON_NAME, this.serverSecretName, 'server auth', FLUX_WATCH_LABEL),
    });
    const client = new ApiObject(this, 'Client', {
      ...Certificate.GVK,
      metadata: metadata(this.clientSecretName),
      spec: leaf(CLIENT_COMMON_NAME, this.clientSecretName, 'client auth'),
    });
    // Two Issuers and three Certificates in one folder: files named by what each is.
    templateFileName(selfSigned, 'self-signed-issuer');
    templateFileName(fromCa, 'ca-issuer');
    templateFileName(ca, 'ca-certificate');
    templateFileName(server, 'server-certificate');
    templateFileName(client, 'client-certificate');
  }
}
