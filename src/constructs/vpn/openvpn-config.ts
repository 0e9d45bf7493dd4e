/**
 * The OpenVPN configuration and scripts of both sides of `addons.vpn`, as small pure functions and constants
 * (unit tests read them; the constructs put them into ConfigMaps).
 *
 * The images are Gardener's vpn2 builds: `FROM scratch` with files copied from Alpine — `/usr/sbin/openvpn`,
 * `/sbin/ip`, `/usr/sbin/iptables-nft` (and `-legacy`), `/bin/busybox` and `/bin/sh` (a link to busybox), but no
 * other applet links (gardener/vpn2@0.51.0, `Dockerfile`, stage `base`). So the scripts use shell builtins
 * (`read`, `echo`, `[`, `:`, `kill`, `wait`, `trap`) and absolute paths, and the one applet they need is called as
 * `/bin/busybox sleep` (Alpine's busybox has it: third-party images run `busybox sleep` from Alpine's `/bin/busybox`,
 * e.g. yumafuu/docker-sleepy `Dockerfile`; not run here). Gardener's images have their own entrypoint (a Go
 * wrapper); the containers replace it with `command`.
 *
 * Shape of the configuration: the founding talk's direction, server in the tenant, one client per control plane
 * pod (see /work/notes/vpn-design.md §3 and §7). Tested with OpenVPN 2.6.14 in network namespaces by
 * test/vpn-netns.test.ts (opt-in, `VPN_NETNS_TEST=1`).
 */
import { concat, Expr, ternary } from '../../expr';

export { VPN_CONTAINER_NAME } from './vpn-functions';

/** Port the server listens on inside its pod (the Service maps `addons.vpn.port` to it). */
export const OPENVPN_CONTAINER_PORT = 1194;

/** Where the configuration (ConfigMap) is mounted, on both sides. */
export const CONFIG_DIR = '/etc/vpn/config';
/** Where certificate, key and CA (a cert-manager Secret: `tls.crt`, `tls.key`, `ca.crt`) are mounted. */
export const PKI_DIR = '/etc/vpn/pki';
/** Where the control plane side mounts the tls-crypt key Secret (key `tls-crypt.key`). */
export const TLS_CRYPT_DIR = '/etc/vpn/tls-crypt';
/** Key of the tls-crypt Secret (and of the server's pki Secret). */
export const TLS_CRYPT_KEY = 'tls-crypt.key';
/** Writable state (an in-memory emptyDir): OpenVPN's status file, the tunnel state, the probes' marks. */
export const RUN_DIR = '/run/vpn';
/** OpenVPN's status file, rewritten every {@link STATUS_INTERVAL_SECONDS}: the probes' heartbeat. */
export const STATUS_FILE = `${RUN_DIR}/status`;
/** `up` or `down`: written by the `up`/`down` scripts, so `kubectl exec` can tell whether the tunnel is up. */
export const TUNNEL_STATE_FILE = `${RUN_DIR}/tunnel`;

/** How often OpenVPN rewrites its status file (seconds). */
export const STATUS_INTERVAL_SECONDS = 5;
/** Seconds between keepalive pings. */
export const PING_SECONDS = 10;

/**
 * Certificate common names, checked by both sides (`verify-x509-name … name`). Constant: the CA is per tenant, so
 * they need not name the tenant, and a constant stays within X.509's 64 characters (cert-manager refuses longer:
 * cert-manager/cert-manager@v1.21.1, `internal/apis/certmanager/validation/certificate.go:134–136`).
 */
export const SERVER_COMMON_NAME = 'tenant-cluster-vpn-server';
export const CLIENT_COMMON_NAME = 'tenant-cluster-vpn-client';
export const CA_COMMON_NAME = 'tenant-cluster-vpn-ca';

/** AEAD ciphers only (negotiated; both OpenVPN 2.6 defaults minus the 128-bit one). */
export const DATA_CIPHERS = 'AES-256-GCM:CHACHA20-POLY1305';
export const TLS_VERSION_MIN = '1.2';

/** Tool paths inside the vpn2 images (gardener/vpn2@0.51.0, `Dockerfile`). */
export const TOOLS = {
  openvpn: '/usr/sbin/openvpn',
  ip: '/sbin/ip',
  iptables: '/usr/sbin/iptables-nft',
  shell: '/bin/sh',
  busybox: '/bin/busybox',
} as const;

/** Lines shared by both configurations: TLS settings, certificates, the peer's name, status, scripts, logging. */
function commonLines(peerCommonName: string | Expr, tlsCryptLine: Expr): Array<string | Expr> {
  return [
    `data-ciphers ${DATA_CIPHERS}\n`,
    `tls-version-min ${TLS_VERSION_MIN}\n`,
    `ca ${PKI_DIR}/ca.crt\n`,
    `cert ${PKI_DIR}/tls.crt\n`,
    `key ${PKI_DIR}/tls.key\n`,
    tlsCryptLine,
    'verify-x509-name ', peerCommonName, ' name\n',
    `status ${STATUS_FILE} ${STATUS_INTERVAL_SECONDS}\n`,
    'status-version 2\n',
    'script-security 2\n',
    `up "${TOOLS.shell} ${CONFIG_DIR}/up.sh"\n`,
    `down "${TOOLS.shell} ${CONFIG_DIR}/down.sh"\n`,
    'verb 3\n',
  ];
}

/** What the control plane side's `client.conf` depends on. */
export interface ClientConfigInputs {
  /** Where the server is: the management Service's full name (KubeVirt) or `addons.vpn.endpoint.host` (OpenStack). */
  readonly remoteHost: Expr;
  /** `addons.vpn.port`. */
  readonly port: Expr;
  readonly pingRestartSeconds: Expr;
  /** Whether a tls-crypt key is mounted at {@link TLS_CRYPT_DIR}. */
  readonly tlsCrypt: Expr;
}

/**
 * `client.conf` of the sidecar: TCP to the server, mutual TLS against the tenant's own CA (EKU and common name
 * checked), nothing pushed by the server accepted but its address (the server runs in the tenant: routes, a
 * redirected gateway or DNS options from there are refused), routes installed by `up.sh`.
 * No `persist-key`: OpenVPN re-reads key and certificate at every reconnect (SIGUSR1, `ping-restart`), so renewed
 * certificates take effect (openvpn(8) 2.6, `--persist-key`).
 */
export function clientConfig(inputs: ClientConfigInputs): Expr {
  return concat(
    '# Generated by tenant-cluster (addons.vpn): the control plane pod\'s OpenVPN client.\n',
    'client\n',
    'dev tun0\n',
    'proto tcp-client\n',
    'remote ', inputs.remoteHost, ' ', inputs.port, '\n',
    'nobind\n',
    'connect-retry 1 5\n',
    'resolv-retry infinite\n',
    'remote-cert-tls server\n',
    'route-nopull\n',
    'pull-filter ignore "route"\n',
    'pull-filter ignore "redirect-gateway"\n',
    'pull-filter ignore "dhcp-option"\n',
    `ping ${PING_SECONDS}\n`,
    'ping-restart ', inputs.pingRestartSeconds, '\n',
    ...commonLines(SERVER_COMMON_NAME, ternary(inputs.tlsCrypt, `tls-crypt ${TLS_CRYPT_DIR}/${TLS_CRYPT_KEY}\n`, '')),
  );
}

/** What the tenant side's `server.conf` depends on. */
export interface ServerConfigInputs {
  /** Network address of the transfer network (`10.255.255.0`). */
  readonly networkAddress: Expr;
  /** Its netmask (`255.255.255.0`). */
  readonly netmask: Expr;
  readonly pingRestartSeconds: Expr;
  readonly clientCommonName: Expr;
  /** Whether the pki Secret carries `tls-crypt.key`. */
  readonly tlsCrypt: Expr;
}

/**
 * `server.conf` of the tenant side: TCP on {@link OPENVPN_CONTAINER_PORT}, addresses from the transfer network,
 * several clients with the one client certificate (`duplicate-cn`: every control plane replica carries it), no
 * client-to-client traffic, nothing pushed but what `server` pushes itself (address and topology), the keepalive
 * (pushed to the clients too). ECDHE only (`dh none`).
 */
export function serverConfig(inputs: ServerConfigInputs): Expr {
  return concat(
    '# Generated by tenant-cluster (addons.vpn): the tenant side\'s OpenVPN server.\n',
    'mode server\n',
    'tls-server\n',
    'proto tcp-server\n',
    `port ${OPENVPN_CONTAINER_PORT}\n`,
    'dev tun0\n',
    'topology subnet\n',
    'server ', inputs.networkAddress, ' ', inputs.netmask, '\n',
    'duplicate-cn\n',
    `keepalive ${PING_SECONDS} `, inputs.pingRestartSeconds, '\n',
    'dh none\n',
    'remote-cert-tls client\n',
    ...commonLines(inputs.clientCommonName, ternary(inputs.tlsCrypt, `tls-crypt ${PKI_DIR}/${TLS_CRYPT_KEY}\n`, '')),
  );
}

/**
 * The sidecar's entrypoint. Until the tunnel is up, connections to the tenant's networks fail at once (an
 * `unreachable` route, below the tunnel's) instead of leaving through the management network. OpenVPN runs in a
 * loop: a sidecar of the control plane pod must never exit, because the pod is Ready only while every container
 * runs, and a crash-looping VPN would take the tenant's API server out of its Service. SIGTERM stops both.
 */
export const CLIENT_START_SCRIPT = `#!/bin/sh
# Generated by tenant-cluster (addons.vpn): entrypoint of the control plane pod's VPN sidecar.
read -r routes < ${CONFIG_DIR}/routes
for cidr in $routes; do
  ${TOOLS.ip} route replace unreachable "$cidr" metric 4000 || echo "cannot add the unreachable route for $cidr" >&2
done
child=
trap 'echo down > ${TUNNEL_STATE_FILE}; [ -z "$child" ] || kill -TERM "$child" 2>/dev/null; exit 0' TERM INT
while :; do
  echo down > ${TUNNEL_STATE_FILE}
  ${TOOLS.openvpn} --config ${CONFIG_DIR}/client.conf &
  child=$!
  wait "$child"
  echo "openvpn exited with status $?; starting it again in 10 seconds" >&2
  # The liveness probe reads this file's age: the loop is alive while it waits.
  echo restarting > ${STATUS_FILE}
  ${TOOLS.busybox} sleep 10 &
  child=$!
  wait "$child"
done
`;

/**
 * Run by OpenVPN with the tunnel device as `$1` once the tunnel is up (again after every reconnect). The firewall
 * comes first: the server side is the tenant's, so nothing it opens may reach this pod (kube-apiserver and the
 * others listen on all addresses) or be forwarded; replies to the pod's own connections pass. Then the routes.
 * Every rule is added once (`-C || -A`): a restarted container keeps the pod's network namespace. A failure exits
 * non-zero, so OpenVPN closes the tunnel rather than run it unprotected.
 */
export const CLIENT_UP_SCRIPT = `#!/bin/sh
# Generated by tenant-cluster (addons.vpn): OpenVPN runs this with the tunnel device as $1 once it is up.
set -e
dev="$1"
rule() { ${TOOLS.iptables} -C "$@" 2>/dev/null || ${TOOLS.iptables} -A "$@"; }
rule INPUT -i "$dev" -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
rule INPUT -i "$dev" -j DROP
rule FORWARD -i "$dev" -j DROP
read -r routes < ${CONFIG_DIR}/routes
for cidr in $routes; do
  ${TOOLS.ip} route replace "$cidr" dev "$dev" metric 100
done
echo up > ${TUNNEL_STATE_FILE}
`;

/** Run by OpenVPN when the tunnel closes: its routes go with the device, the `unreachable` ones remain. */
export const DOWN_SCRIPT = `#!/bin/sh
# Generated by tenant-cluster (addons.vpn): OpenVPN runs this when the tunnel device closes.
echo down > ${TUNNEL_STATE_FILE}
`;

/**
 * The probes' check: exit 0 while OpenVPN keeps rewriting its status file (every few seconds, connected or not),
 * i.e. it is not hung. `$1` names the probe, so that each compares against its own previous success; the first
 * check only needs the file. Builtins only (`[ -nt ]`, `:`): the images have no `date` or `stat` links.
 */
export const ALIVE_SCRIPT = `#!/bin/sh
# Generated by tenant-cluster (addons.vpn): exit 0 while OpenVPN keeps rewriting its status file.
mark="${RUN_DIR}/probe-\${1:-liveness}"
[ -e ${STATUS_FILE} ] || exit 1
if [ -e "$mark" ] && ! [ ${STATUS_FILE} -nt "$mark" ]; then exit 1; fi
: > "$mark"
`;

/**
 * Run by the server with the tunnel device as `$1`. The control plane may reach the routed tenant networks and
 * nothing else; its traffic leaves with this pod's address (so replies come back here), TCP's MSS is clamped to the
 * path MTU (tenant pod networks such as Cilium's tunnel mode are below the tunnel's 1500; Gardener clamps on its
 * tenant side too: gardener/vpn2@0.51.0 `pkg/vpn_client/iptables.go:86`), and nothing in the tenant can open a
 * connection into the tunnel or to this pod through it (as Gardener's server firewall: `cmd/vpn_server/app/firewall.go`).
 */
export const SERVER_UP_SCRIPT = `#!/bin/sh
# Generated by tenant-cluster (addons.vpn): OpenVPN runs this with the tunnel device as $1 once it is open.
set -e
dev="$1"
rule() { table="$1"; shift; ${TOOLS.iptables} -t "$table" -C "$@" 2>/dev/null || ${TOOLS.iptables} -t "$table" -A "$@"; }
read -r network < ${CONFIG_DIR}/network
read -r routes < ${CONFIG_DIR}/routes
rule nat POSTROUTING -s "$network" -o eth0 -j MASQUERADE
rule mangle FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
for cidr in $routes; do
  rule filter FORWARD -i "$dev" -d "$cidr" -j ACCEPT
done
rule filter FORWARD -i "$dev" -j DROP
rule filter FORWARD -o "$dev" -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
rule filter FORWARD -o "$dev" -j DROP
rule filter INPUT -i "$dev" -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
rule filter INPUT -i "$dev" -j DROP
echo up > ${TUNNEL_STATE_FILE}
`;

/**
 * The server pod's init container: IPv4 forwarding in the pod's network namespace. `net.ipv4.ip_forward` is not a
 * safe sysctl (a pod's `sysctls` would need kubelet flags on every node), and `/proc/sys` is read-only unless the
 * container is privileged: so a privileged init container, as Gardener's `vpn-shoot-init`
 * (gardener/gardener@v1.149.3, `pkg/component/networking/vpn/shoot/shoot.go:968`).
 */
export const IP_FORWARD_COMMAND = [TOOLS.shell, '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward'];
