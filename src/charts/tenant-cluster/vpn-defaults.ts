import { VpnValues } from '../../values/vpn-values';
import { TENANT_VPN_SERVER_CHART_VERSION } from '../tenant-vpn-server/version';
import { pinnedImage } from '../../pins';

/**
 * Defaults of `addons.vpn` (off). Images: Gardener v1.149.3 pins `vpn-client` and `vpn-server` at `0.51.0`
 * (gardener/gardener@v1.149.3, `imagevector/containers.yaml`); Gardener requests 10m/5M for its API server's VPN
 * sidecar (`pkg/component/kubernetes/apiserver/deployment.go`, `vpnSeedClientContainer`): we request 16Mi and cap
 * at 64Mi. The sidecar's requests are added per control plane replica (`npm run bench`).
 */
export const VPN_DEFAULTS: VpnValues = {
  enabled: false,
  network: '10.255.255.0/24',
  port: 1194,
  routeNodes: false,
  extraRoutes: [],
  endpoint: { host: '' },
  tlsCrypt: { secretName: '' },
  image: pinnedImage('vpnClient'),
  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
  pingRestartSeconds: 60,
  server: {
    replicas: 2,
    image: pinnedImage('vpnServer'),
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
    nodePort: 31194,
    loadBalancer: { sourceRanges: [], annotations: {} },
  },
  chartVersion: TENANT_VPN_SERVER_CHART_VERSION,
  targetNamespace: 'tenant-vpn',
  values: {},
};
