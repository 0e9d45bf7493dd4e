/**
 * Template functions of the VPN (both charts): IPv4 arithmetic for OpenVPN's `server` line, the list of
 * routed networks, joining a list into a config line, and a checksum of generated configuration. Each has a
 * Go `define` body and the same function in-process; the equivalence tests prove they agree.
 */
import { TemplateFunction } from '../../expr/functions';
import { contentHash } from '../../expr/go-json';

/**
 * Name of the sidecar in the control plane pod: the one container excepted from the management invariants (here,
 * in a module without constructs, because the chart README lists the exceptions and the CLI loads no construct).
 */
export const VPN_CONTAINER_NAME = 'vpn';

/** Go template lines that bind `$address` (an IPv4 address as a number) and `$size` (addresses in the prefix) from `.cidr`. */
const GO_PARSE_CIDR = `
{{- $parts := splitList "/" .cidr -}}
{{- $address := 0 -}}
{{- range splitList "." (index $parts 0) }}{{ $address = add (mul $address 256) (atoi .) }}{{ end -}}
{{- $size := 1 -}}
{{- range until (int (sub 32 (atoi (index $parts 1)))) }}{{ $size = mul $size 2 }}{{ end -}}`;

/** An IPv4 CIDR as its address (a number) and the number of addresses its prefix spans. */
export function parseIpv4Cidr(cidr: string): { address: number; size: number } {
  const [ip, prefix] = cidr.split('/');
  const address = ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return { address, size: 2 ** (32 - Number(prefix)) };
}

function dotted(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The netmask of an IPv4 CIDR in dotted form (`10.255.255.0/24` → `255.255.255.0`), as OpenVPN's `server` takes it. */
export const IPV4_NETMASK = new TemplateFunction({
  name: 'tenant-cluster-lib.ipv4Netmask',
  params: ['cidr'],
  result: 'string',
  goBody: `${GO_PARSE_CIDR}
{{- $mask := sub 4294967296 $size -}}
{{- printf "%d.%d.%d.%d" (div $mask 16777216) (mod (div $mask 65536) 256) (mod (div $mask 256) 256) (mod $mask 256) -}}`,
  evaluate: (cidr) => dotted(2 ** 32 - parseIpv4Cidr(String(cidr)).size),
});

/** The network address of an IPv4 CIDR in dotted form, host bits cleared (`10.255.255.7/24` → `10.255.255.0`). */
export const IPV4_NETWORK_ADDRESS = new TemplateFunction({
  name: 'tenant-cluster-lib.ipv4NetworkAddress',
  params: ['cidr'],
  result: 'string',
  goBody: `${GO_PARSE_CIDR}
{{- $network := sub $address (mod $address $size) -}}
{{- printf "%d.%d.%d.%d" (div $network 16777216) (mod (div $network 65536) 256) (mod (div $network 256) 256) (mod $network 256) -}}`,
  evaluate: (cidr) => {
    const { address, size } = parseIpv4Cidr(String(cidr));
    return dotted(address - (address % size));
  },
});

/** Whether an IPv4 CIDR has host bits set (`10.255.255.7/24`): OpenVPN's `server` refuses such a network. */
export const IPV4_HOST_BITS_SET = new TemplateFunction({
  name: 'tenant-cluster-lib.ipv4HostBitsSet',
  params: ['cidr'],
  result: 'bool',
  goBody: `${GO_PARSE_CIDR}
{{- if ne (mod $address $size) 0 }}true{{ end -}}`,
  evaluate: (cidr) => {
    const { address, size } = parseIpv4Cidr(String(cidr));
    return address % size !== 0;
  },
});

/**
 * The tenant networks the control plane routes through the tunnel: pods, services, the node network when
 * `routeNodes` holds and it is given (non-empty), then the extra routes in their order.
 */
export const VPN_ROUTES = new TemplateFunction({
  name: 'tenant-cluster-lib.vpnRoutes',
  params: ['podCidr', 'serviceCidr', 'nodeCidr', 'routeNodes', 'extraRoutes'],
  result: 'list',
  goBody: `
{{- $out := list .podCidr .serviceCidr -}}
{{- if and .routeNodes .nodeCidr }}{{ $out = append $out .nodeCidr }}{{ end -}}
{{- range .extraRoutes }}{{ $out = append $out . }}{{ end -}}
{{- toJson $out -}}`,
  evaluate: (podCidr, serviceCidr, nodeCidr, routeNodes, extraRoutes) => [
    podCidr,
    serviceCidr,
    ...(routeNodes && nodeCidr ? [nodeCidr] : []),
    ...(Array.isArray(extraRoutes) ? extraRoutes : []),
  ],
});

/** A list of strings joined with a separator (sprig `join`), e.g. CIDRs for a shell `for` loop. */
export const JOIN = new TemplateFunction({
  name: 'tenant-cluster-lib.join',
  params: ['separator', 'items'],
  result: 'string',
  goBody: '{{- join .separator .items -}}',
  evaluate: (separator, items) => (Array.isArray(items) ? items.map(String).join(String(separator)) : ''),
});

/**
 * The first 8 hex characters of sha256 over Go's `toJson` of a map of strings: a pod template annotation
 * that changes with the configuration it names, so the pods roll when it changes.
 */
export const CHECKSUM = new TemplateFunction({
  name: 'tenant-cluster-lib.checksum',
  params: ['data'],
  result: 'string',
  goBody: '{{- toJson .data | sha256sum | trunc 8 -}}',
  evaluate: (data) => contentHash(data ?? {}),
});

/** A string in base64 (sprig `b64enc`), for Secret `data`. */
export const BASE64 = new TemplateFunction({
  name: 'tenant-cluster-lib.base64',
  params: ['value'],
  result: 'string',
  goBody: '{{- b64enc .value -}}',
  evaluate: (value) => Buffer.from(String(value ?? ''), 'utf8').toString('base64'),
});
