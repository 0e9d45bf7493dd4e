/** Version of the generated `tenant-vpn-server` chart (the tenant side of `addons.vpn`). */
export const TENANT_VPN_SERVER_CHART_VERSION = '1.0.0';
