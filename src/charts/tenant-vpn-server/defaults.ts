import { TenantVpnServerValues } from '../../values/tenant-vpn-server-values';
import { pinnedImage } from '../../pins';

/**
 * The chart's `values.yaml`. The image is the one Gardener v1.149.3 pins for its own tenant-side VPN
 * (gardener/gardener@v1.149.3, `imagevector/containers.yaml`, `vpn-server`, tag `0.51.0`); Gardener requests 10m
 * and 7.5M for its server (`pkg/component/networking/vpn/seedserver/seedserver.go:369–370`): we request a little
 * more memory and cap it. `routes` and `pki` are set by the `tenant-cluster` chart.
 */
export const TENANT_VPN_SERVER_DEFAULTS: TenantVpnServerValues = {
  nameOverride: '',
  fullnameOverride: '',
  image: pinnedImage('vpnServer'),
  replicas: 2,
  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
  initResources: { requests: { cpu: '5m', memory: '8Mi' }, limits: { memory: '16Mi' } },
  network: '10.255.255.0/24',
  routes: [],
  pingRestartSeconds: 60,
  clientCommonName: 'tenant-cluster-vpn-client',
  service: { type: 'NodePort', port: 1194, nodePort: 31194, loadBalancerIP: '', loadBalancerSourceRanges: [], annotations: {} },
  priorityClassName: 'system-cluster-critical',
  pki: { ca: '', certificate: '', privateKey: '', tlsCrypt: '' },
};
