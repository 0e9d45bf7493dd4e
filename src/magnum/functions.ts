/**
 * Template functions of the `magnum-tenant-cluster` chart (Go `define` + the same logic in-process), registered in
 * src/template-functions.ts. Each reimplements one rule of the Magnum
 * Cluster API Helm driver (openstack/magnum-capi-helm 1.4.0), cited at the function; test/magnum-functions.test.ts
 * renders both backends (Helm 3 and 4, in-process) on generated inputs and compares `sanitize` with CPython's own
 * output (test/data/magnum/cpython-fixtures.json).
 */
import { goString, goTruthy } from '../expr/expr';
import { TemplateFunction } from '../expr/functions';
import { maxPatchOf, SUPPORT_MATRIX, SUPPORTED_MINORS } from '../support-matrix';

// ---------------------------------------------------------------------------------------------
// Names the driver derives and reads back
// ---------------------------------------------------------------------------------------------

/**
 * The driver's `sanitized_name(name)` (magnum_capi_helm/driver_utils.py):
 * `re.sub("[^a-z0-9]+", "-", name.lower()).strip("-")`.
 *
 * Python's `str.lower()` applies Unicode's full lowercase mapping, JavaScript's `toLowerCase()` too, Go's
 * `strings.ToLower` the simple one. Of all code points only two lowercase to ASCII letters or digits: U+212A (Kelvin
 * sign) → `k` in all three, and U+0130 (İ) → `i` + U+0307 in Python and JavaScript but `i` alone in Go; the Go body
 * spells U+0130 out first, so `İx` gives `i-x` everywhere (checked over every code point against CPython 3.11, Node 20
 * and Go when the fixture was made).
 */
export function magnumSanitize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** `sanitize(name)`: see {@link magnumSanitize}. */
export const MAGNUM_SANITIZE = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumSanitize',
  params: ['name'],
  result: 'string',
  goBody: `
{{- regexReplaceAll "[^a-z0-9]+" (lower (replace "\\u0130" "i\\u0307" (toString .name))) "-" | trimAll "-" -}}`,
  evaluate: (name) => magnumSanitize(String(name ?? '')),
});

/**
 * The driver's `sanitized_name(release, suffix)` = `get_k8s_resource_name(cluster, suffix)`: `sanitize(release)` without
 * a suffix, else `sanitize(release + "-" + suffix)`. A `--` in the release (its first 30 characters end in `-`) collapses.
 */
export function magnumResourceName(release: string, suffix: string): string {
  return magnumSanitize(suffix === '' ? release : `${release}-${suffix}`);
}

/** `resourceName(release, suffix)`: see {@link magnumResourceName}. */
export const MAGNUM_RESOURCE_NAME = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumResourceName',
  params: ['release', 'suffix'],
  result: 'string',
  goBody: `
{{- $raw := .release -}}
{{- if ne .suffix "" }}{{ $raw = printf "%s-%s" .release .suffix }}{{ end -}}
{{- include "tenant-cluster-lib.magnumSanitize" (dict "name" $raw) -}}`,
  evaluate: (release, suffix) => magnumResourceName(String(release ?? ''), String(suffix ?? '')),
  calls: [MAGNUM_SANITIZE],
});

/** Suffix of the control plane's name: the driver reads `sanitize(<release>-control-plane)` (driver.py:96-140). */
export const MAGNUM_CONTROL_PLANE_SUFFIX = 'control-plane';

/**
 * Labels the driver selects Machines by while a node group is being deleted (`_nodegroup_machines_exist`,
 * driver.py:247-258): `capi.stackhpc.com/cluster=<release>` (raw), `capi.stackhpc.com/component=worker`,
 * `capi.stackhpc.com/node-group=<sanitized group name>`. Without them a group is reported deleted while its Machines
 * still drain.
 */
export const MAGNUM_MACHINE_LABELS = {
  cluster: 'capi.stackhpc.com/cluster',
  component: 'capi.stackhpc.com/component',
  nodeGroup: 'capi.stackhpc.com/node-group',
} as const;

/** The value of `capi.stackhpc.com/component` on worker Machines. */
export const MAGNUM_WORKER_COMPONENT = 'worker';

/** Every name the driver reads back for one release (driver.py, common/capi_monitor.py at 1.4.0). */
export interface MagnumNames {
  /** `Cluster`: the raw release (`_get_capi_cluster`, driver.py:373-379). */
  readonly cluster: string;
  /** The control plane object (`KamajiControlPlane` here): `sanitize(<release>-control-plane)`. */
  readonly controlPlane: string;
  /** `OpenStackCluster`: `sanitize(<release>)` (`CAPIMonitor`, capi_monitor.py:129-132). */
  readonly openStackCluster: string;
  /** One `MachineDeployment` per node group: `sanitize(<release>-<group>)` (driver.py:142-180). */
  readonly machineDeployments: readonly string[];
}

/** The names the driver reads back, for a release and its node groups' names as the document sends them. */
export function magnumNames(release: string, groupNames: readonly string[]): MagnumNames {
  return {
    cluster: release,
    controlPlane: magnumResourceName(release, MAGNUM_CONTROL_PLANE_SUFFIX),
    openStackCluster: magnumResourceName(release, ''),
    machineDeployments: groupNames.map((g) => magnumResourceName(release, g)),
  };
}

/** Kubernetes' limit for the names the driver reads back (DNS-1123 labels for Services and hostnames). */
export const MAGNUM_MAX_NAME = 63;

/** A DNS-1035 label: the Cluster is named after the raw release, and Kamaji names a Service after the control plane. */
const DNS1035_LABEL = '^[a-z]([-a-z0-9]*[a-z0-9])?$';

/** The first problem with the names of a release and its node groups (see {@link MAGNUM_NAME_PROBLEM}), or `''`. */
export function magnumNameProblem(release: string, nodeGroups: unknown): string {
  if (!new RegExp(DNS1035_LABEL).test(release) || release.length > MAGNUM_MAX_NAME) {
    return `release name ${JSON.stringify(release)}: Magnum names the Cluster after the release, which must be a DNS-1035 label (lowercase letters, `
      + 'digits and "-", starting with a letter, at most 63 characters)';
  }
  const controlPlane = magnumResourceName(release, MAGNUM_CONTROL_PLANE_SUFFIX);
  if (controlPlane.length > MAGNUM_MAX_NAME) {
    return `release name ${JSON.stringify(release)}: the control plane ${JSON.stringify(controlPlane)} is ${controlPlane.length} characters; `
      + `Magnum reads it back by exactly this name and Kubernetes allows ${MAGNUM_MAX_NAME} (releases Magnum creates have at most 43)`;
  }
  const groups = (Array.isArray(nodeGroups) ? nodeGroups : []) as Array<Record<string, unknown>>;
  const seen = new Map<string, number>();
  for (let i = 0; i < groups.length; i++) {
    const name = String(groups[i]?.name ?? '');
    const deployment = magnumResourceName(release, name);
    if (deployment.length > MAGNUM_MAX_NAME) {
      const longest = MAGNUM_MAX_NAME - deployment.length + name.length;
      return `nodeGroups.${i}.name: the MachineDeployment ${JSON.stringify(deployment)} is ${deployment.length} characters; Magnum reads it back `
        + `by exactly this name and Kubernetes allows ${MAGNUM_MAX_NAME}: rename node group ${JSON.stringify(name)} to at most ${longest} characters`;
    }
    const first = seen.get(deployment);
    if (first !== undefined) {
      return `nodeGroups.${i}.name: node groups ${first} and ${i} both become MachineDeployment ${JSON.stringify(deployment)} after Magnum's sanitising `
        + '(e.g. "GPU" and "gpu"): rename one';
    }
    seen.set(deployment, i);
  }
  return '';
}

/**
 * `nameProblem(release, nodeGroups)`: `''`, or the message for the first name Magnum could not read back: a release that
 * is not a DNS-1035 label (the driver's releases always are: `sanitize(cluster name)[:30]-<12 of [a-z2-7]>`, and
 * Magnum's cluster names start with a letter), a control plane or MachineDeployment name over 63 characters (the driver
 * never truncates; truncating would hide the object from it), or two node groups with one MachineDeployment name.
 */
export const MAGNUM_NAME_PROBLEM = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumNameProblem',
  params: ['release', 'nodeGroups'],
  result: 'string',
  goBody: `
{{- $release := toString .release -}}
{{- $problem := "" -}}
{{- if or (not (regexMatch ${JSON.stringify(DNS1035_LABEL)} $release)) (gt (len $release) ${MAGNUM_MAX_NAME}) -}}
{{- $problem = printf (print "release name %q: Magnum names the Cluster after the release, which must be a DNS-1035 label "
  "(lowercase letters, digits and \\"-\\", starting with a letter, at most 63 characters)") $release -}}
{{- end -}}
{{- $controlPlane := include "tenant-cluster-lib.magnumResourceName" (dict "release" $release "suffix" ${JSON.stringify(MAGNUM_CONTROL_PLANE_SUFFIX)}) -}}
{{- if and (eq $problem "") (gt (len $controlPlane) ${MAGNUM_MAX_NAME}) -}}
{{- $problem = printf (print "release name %q: the control plane %q is %d characters; Magnum reads it back by exactly this name "
  "and Kubernetes allows ${MAGNUM_MAX_NAME} (releases Magnum creates have at most 43)") $release $controlPlane (len $controlPlane) -}}
{{- end -}}
{{- $seen := dict -}}
{{- range $i, $group := (default (list) .nodeGroups) -}}
{{- if eq $problem "" -}}
{{- $name := toString (default "" (index $group "name")) -}}
{{- $deployment := include "tenant-cluster-lib.magnumResourceName" (dict "release" $release "suffix" $name) -}}
{{- if gt (len $deployment) ${MAGNUM_MAX_NAME} -}}
{{- $problem = printf (print "nodeGroups.%d.name: the MachineDeployment %q is %d characters; Magnum reads it back by exactly this "
  "name and Kubernetes allows ${MAGNUM_MAX_NAME}: rename node group %q to at most %d characters")
  $i $deployment (len $deployment) $name (add (sub ${MAGNUM_MAX_NAME} (len $deployment)) (len $name)) -}}
{{- else if hasKey $seen $deployment -}}
{{- $problem = printf (print "nodeGroups.%d.name: node groups %d and %d both become MachineDeployment %q after Magnum's "
  "sanitising (e.g. \\"GPU\\" and \\"gpu\\"): rename one") $i (index $seen $deployment) $i $deployment -}}
{{- end -}}
{{- $_ := set $seen $deployment $i -}}
{{- end -}}
{{- end -}}
{{- $problem -}}`,
  evaluate: (release, nodeGroups) => magnumNameProblem(String(release ?? ''), nodeGroups),
  calls: [MAGNUM_RESOURCE_NAME],
});

// ---------------------------------------------------------------------------------------------
// Cinder volume types → StorageClasses
// ---------------------------------------------------------------------------------------------

/**
 * The first two Cinder volume types whose StorageClass names collide: `[first type, second type, class name]`, or `[]`.
 * The driver names every class `sanitize(volume type)` (`_storageclass_definitions`, driver.py:923-984), so `fast_ssd`
 * and `fast-ssd` both become `fast-ssd`; it sends them anyway, default first here.
 */
export function magnumStorageClassCollision(csiCinder: unknown): string[] {
  const seen = new Map<string, string>();
  for (const entry of storageClassEntries(csiCinder)) {
    const name = String(entry.name ?? '');
    const type = String(entry.volumeType ?? '');
    const first = seen.get(name);
    if (first !== undefined) return [first, type, name];
    seen.set(name, type);
  }
  return [];
}

function storageClassEntries(csiCinder: unknown): Array<Record<string, unknown>> {
  const c = (csiCinder ?? {}) as Record<string, unknown>;
  const additional = Array.isArray(c.additionalStorageClasses) ? c.additionalStorageClasses : [];
  return [c.defaultStorageClass, ...additional].filter((e) => e !== null && typeof e === 'object') as Array<Record<string, unknown>>;
}

/** `storageClassCollision(csiCinder)`: see {@link magnumStorageClassCollision}. */
export const MAGNUM_STORAGE_CLASS_COLLISION = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumStorageClassCollision',
  params: ['csiCinder'],
  result: 'list',
  goBody: `
{{- $seen := dict -}}
{{- $found := list -}}
{{- range $entry := prepend (default (list) .csiCinder.additionalStorageClasses) .csiCinder.defaultStorageClass -}}
{{- if and (kindIs "map" $entry) (eq (len $found) 0) -}}
{{- $name := toString (default "" (index $entry "name")) -}}
{{- $type := toString (default "" (index $entry "volumeType")) -}}
{{- if hasKey $seen $name -}}
{{- $found = list (index $seen $name) $type $name -}}
{{- else -}}
{{- $_ := set $seen $name $type -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $found -}}`,
  evaluate: (csiCinder) => magnumStorageClassCollision(csiCinder),
});

/**
 * The driver's StorageClass entries as the `tenant-cluster` chart's `addons.openstack.cinderCsi.storageClasses` (keyed by
 * name): `volumeType`, `isDefault` (true for `defaultStorageClass` only: the driver sends no `isClusterDefault`),
 * `reclaimPolicy`, `allowVolumeExpansion`, `volumeBindingMode`, `availabilityZone`, `zones` (`allowedTopologies`, zone
 * names) and `fsType` (`fstype`). Entries with `enabled: false` (the driver never sends one) are left out.
 */
export function magnumStorageClasses(csiCinder: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const c = (csiCinder ?? {}) as Record<string, unknown>;
  for (const entry of storageClassEntries(csiCinder)) {
    if (!goTruthy(entry.enabled)) continue;
    out[String(entry.name)] = {
      volumeType: entry.volumeType,
      isDefault: entry === c.defaultStorageClass,
      reclaimPolicy: entry.reclaimPolicy,
      allowVolumeExpansion: entry.allowVolumeExpansion,
      volumeBindingMode: entry.volumeBindingMode,
      availabilityZone: entry.availabilityZone,
      zones: entry.allowedTopologies,
      fsType: entry.fstype,
    };
  }
  return out;
}

/** `storageClasses(csiCinder)`: see {@link magnumStorageClasses}. */
export const MAGNUM_STORAGE_CLASSES = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumStorageClasses',
  params: ['csiCinder'],
  result: 'map',
  goBody: `
{{- $out := dict -}}
{{- $default := .csiCinder.defaultStorageClass -}}
{{- range $i, $entry := prepend (default (list) .csiCinder.additionalStorageClasses) $default -}}
{{- if and (kindIs "map" $entry) (index $entry "enabled") -}}
{{- $_ := set $out (toString $entry.name) (dict
  "volumeType" $entry.volumeType "isDefault" (eq $i 0) "reclaimPolicy" $entry.reclaimPolicy
  "allowVolumeExpansion" $entry.allowVolumeExpansion "volumeBindingMode" $entry.volumeBindingMode
  "availabilityZone" $entry.availabilityZone "zones" $entry.allowedTopologies "fsType" $entry.fstype) -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}`,
  evaluate: (csiCinder) => magnumStorageClasses(csiCinder),
});

// ---------------------------------------------------------------------------------------------
// Keys a Go field chain cannot name
// ---------------------------------------------------------------------------------------------

/**
 * `addons.openstack.cloudConfig.LoadBalancer` as the `tenant-cluster` chart's `addons.openstack.cloudControllerManager.
 * loadBalancer` keys: `provider` (`lb-provider`), `method` (`lb-method`), `createMonitor` (`create-monitor`). A Go
 * template reaches hyphenated keys only through `index` (`.LoadBalancer.lb-provider` does not parse).
 */
export function magnumLoadBalancer(loadBalancer: unknown): Record<string, unknown> {
  const lb = (loadBalancer ?? {}) as Record<string, unknown>;
  return { provider: lb['lb-provider'], method: lb['lb-method'], createMonitor: lb['create-monitor'] };
}

/** `loadBalancer(cloudConfig.LoadBalancer)`: see {@link magnumLoadBalancer}. */
export const MAGNUM_LOAD_BALANCER = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumLoadBalancer',
  params: ['loadBalancer'],
  result: 'map',
  goBody: `
{{- toJson (dict "provider" (index .loadBalancer "lb-provider") "method" (index .loadBalancer "lb-method")
  "createMonitor" (index .loadBalancer "create-monitor")) -}}`,
  evaluate: (loadBalancer) => magnumLoadBalancer(loadBalancer),
});

// ---------------------------------------------------------------------------------------------
// Extra networks
// ---------------------------------------------------------------------------------------------

/** Where the driver puts the extra networks' ports (label `extra_network_names`). */
const PORTS_PATH = 'nodeGroupDefaults.machineNetworking.ports';

/**
 * The first problem with the order of `nodeGroupDefaults.machineNetworking.ports`, or `''`. The driver sends `{}` (the
 * cluster's own network) first, then one port per extra network (driver.py:1140-1160); the chart always puts the
 * cluster's network first and maps the others to extra ports, so a `{}` elsewhere, or a first port naming a network,
 * would be read differently from what was sent. The schema checks each port's shape; this checks the order (a tuple
 * schema would do both, but Helm 4.1.4 names a failing extra port by its index among the extra ports).
 */
export function magnumPortsProblem(ports: unknown): string {
  const list = Array.isArray(ports) ? ports : [];
  for (let i = 0; i < list.length; i++) {
    const port = list[i];
    const empty = port !== null && typeof port === 'object' && !Array.isArray(port) && Object.keys(port).length === 0;
    if (i === 0 && !empty) {
      return `${PORTS_PATH}.0: the first port must be {} (the cluster's own network), as the Magnum driver sends it; the extra networks of label `
        + 'extra_network_names follow it';
    }
    if (i > 0 && empty) return `${PORTS_PATH}.${i}: {} (the cluster's own network) must come first and only once; each further port names an extra network`;
  }
  return '';
}

/** `portsProblem(ports)`: see {@link magnumPortsProblem}. */
export const MAGNUM_PORTS_PROBLEM = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumPortsProblem',
  params: ['ports'],
  result: 'string',
  goBody: `
{{- $problem := "" -}}
{{- range $i, $port := (default (list) .ports) -}}
{{- $empty := and (kindIs "map" $port) (eq (len $port) 0) -}}
{{- if and (eq $problem "") (eq $i 0) (not $empty) -}}
{{- $problem = print "${PORTS_PATH}.0: the first port must be {} (the cluster's own network), as the Magnum driver sends it; the extra networks of label "
  "extra_network_names follow it" -}}
{{- else if and (eq $problem "") (ne $i 0) $empty -}}
{{- $problem = printf "${PORTS_PATH}.%d: {} (the cluster's own network) must come first and only once; each further port names an extra network" $i -}}
{{- end -}}
{{- end -}}
{{- $problem -}}`,
  evaluate: (ports) => magnumPortsProblem(ports),
});

// ---------------------------------------------------------------------------------------------
// Node groups and their servers
// ---------------------------------------------------------------------------------------------

/** A Nova flavor given by ID: what Magnum passes verbatim when the template names the flavor by UUID. */
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/**
 * The driver's `nodeGroups` list as the `tenant-cluster` chart's `nodeGroups` map, keyed by the (sanitised) name the
 * driver reads the MachineDeployment back by: `replicas` (`machineCount`), `autoscaling` (`enabled` exactly when
 * `autoscale` is the string `"true"`, then `min`/`max` from `machineCountMin`/`machineCountMax`), and the flavor.
 *
 * The driver passes `machineFlavor` as the node group's `flavor_id` verbatim, a Nova name or ID. A UUID goes to
 * `openstack.flavorID`, anything else to `openstack.flavor`: CAPO v0.14.7 `GetFlavorID(flavorID, flavorName)`
 * (pkg/cloud/services/compute/instance.go:431-452) takes an ID as it is and matches a name against flavor *names*
 * only, so an ID that is not a UUID (devstack's `42`) is looked up as a name and not found (the README says so).
 */
export function magnumNodeGroups(nodeGroups: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const g of (Array.isArray(nodeGroups) ? nodeGroups : []) as Array<Record<string, unknown>>) {
    const flavor = String(g.machineFlavor ?? '');
    const autoscale = String(g.autoscale ?? '') === 'true';
    out[String(g.name)] = {
      replicas: g.machineCount,
      autoscaling: autoscale ? { enabled: true, min: g.machineCountMin, max: g.machineCountMax } : { enabled: false },
      openstack: new RegExp(UUID).test(flavor) ? { flavorID: flavor } : { flavor },
    };
  }
  return out;
}

/** `nodeGroups(nodeGroups)`: see {@link magnumNodeGroups}. */
export const MAGNUM_NODE_GROUPS = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumNodeGroups',
  params: ['nodeGroups'],
  result: 'map',
  goBody: `
{{- $out := dict -}}
{{- range $group := (default (list) .nodeGroups) -}}
{{- $flavor := toString $group.machineFlavor -}}
{{- $openstack := dict "flavor" $flavor -}}
{{- if regexMatch ${JSON.stringify(UUID)} $flavor }}{{ $openstack = dict "flavorID" $flavor }}{{ end -}}
{{- $autoscaling := dict "enabled" false -}}
{{- if eq (toString (default "" $group.autoscale)) "true" -}}
{{- $autoscaling = dict "enabled" true "min" $group.machineCountMin "max" $group.machineCountMax -}}
{{- end -}}
{{- $_ := set $out (toString $group.name) (dict "replicas" $group.machineCount "autoscaling" $autoscaling "openstack" $openstack) -}}
{{- end -}}
{{- toJson $out -}}`,
  evaluate: (nodeGroups) => magnumNodeGroups(nodeGroups),
});

/**
 * The extra networks of `nodeGroupDefaults.machineNetworking.ports` as the `tenant-cluster` chart's
 * `nodeGroupDefaults.openstack.ports`: one port per extra network, by name (`network.filter.name`), without security
 * groups. The leading `{}` is the cluster's own network, which the chart's machine template always puts first; a
 * port without security groups gets CAPO's managed worker group, as the driver's `securityGroups: []` asks (CAPO
 * v0.14.7 controllers/openstackmachine_controller.go:581-588: `len(serverPort.SecurityGroups) == 0`).
 */
export function magnumPorts(ports: unknown): unknown[] {
  return ((Array.isArray(ports) ? ports : []) as unknown[])
    .filter((p): p is Record<string, any> => p !== null && typeof p === 'object' && !Array.isArray(p) && 'network' in p)
    .map((p) => ({ network: { filter: { name: String(p.network?.name ?? '') } } }));
}

/** `ports(ports)`: see {@link magnumPorts}. */
export const MAGNUM_PORTS = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumPorts',
  params: ['ports'],
  result: 'list',
  goBody: `
{{- $out := list -}}
{{- range $port := (default (list) .ports) -}}
{{- if and (kindIs "map" $port) (hasKey $port "network") -}}
{{- $out = append $out (dict "network" (dict "filter" (dict "name" (toString (default "" $port.network.name))))) -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}`,
  evaluate: (ports) => magnumPorts(ports),
});

/**
 * The ID of one of the driver's Neutron filters (`internalNetwork.networkFilter`, `.subnetFilter`): `{id}`, or `null`
 * for none (then `''`, tenant-cluster's "not given"). A Go field chain through the `null` would fail.
 */
export function magnumFilterId(filter: unknown): string {
  return filter !== null && typeof filter === 'object' && !Array.isArray(filter) ? String((filter as Record<string, unknown>).id ?? '') : '';
}

/** `filterId(filter)`: see {@link magnumFilterId}. */
export const MAGNUM_FILTER_ID = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumFilterId',
  params: ['filter'],
  result: 'string',
  goBody: `{{- if kindIs "map" .filter }}{{ toString (default "" .filter.id) }}{{ end -}}`,
  evaluate: (filter) => magnumFilterId(filter),
});

/**
 * A value below `map` at a dotted `path` whose maps the driver may leave out (`nodeGroupDefaults.machineRootVolume`,
 * `addons.cni`): the chart has no defaults for them (a default would hide a missing key), and a Go field chain
 * through a missing map fails. Missing, `null` or not of the kind `accept` takes: `fallback`.
 */
export function magnumDig(map: unknown, path: string, fallback: unknown, accept: (v: unknown) => boolean = (v) => v !== null && v !== undefined): unknown {
  let cur: unknown = map;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, key)) return fallback;
    cur = (cur as Record<string, unknown>)[key];
  }
  return accept(cur) ? cur : fallback;
}

/** The Go walk of {@link magnumDig}: `print` of the value found (`$cur`) when `accept` holds of it, else `fallback` (Go text). */
const digBody = (accept: string, print: string, fallback: string) => `
{{- $cur := .map -}}
{{- $ok := true -}}
{{- range $key := splitList "." .path -}}
{{- if and $ok (kindIs "map" $cur) (hasKey $cur $key) }}{{ $cur = index $cur $key }}{{ else }}{{ $ok = false }}{{ end -}}
{{- end -}}
{{- if and $ok ${accept} }}{{ ${print} }}{{ else }}{{ ${fallback} }}{{ end -}}`;

const isScalar = (v: unknown) => v !== null && v !== undefined && typeof v !== 'object';

/** `digString(map, path)`: a string at `path` below `map`, or `""` (see {@link magnumDig}). */
export const MAGNUM_DIG_STRING = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumDigString',
  params: ['map', 'path'],
  result: 'string',
  goBody: digBody('(or (kindIs "string" $cur) (kindIs "float64" $cur) (kindIs "int64" $cur) (kindIs "int" $cur) (kindIs "bool" $cur))', 'toString $cur', '""'),
  evaluate: (map, path) => String(magnumDig(map, String(path), '', isScalar)),
});

/** `digInt(map, path)`: an integer at `path` below `map`, or 0 (see {@link magnumDig}). */
export const MAGNUM_DIG_INT = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumDigInt',
  params: ['map', 'path'],
  result: 'int',
  goBody: digBody('(or (kindIs "float64" $cur) (kindIs "int64" $cur) (kindIs "int" $cur))', 'int64 $cur', '0'),
  evaluate: (map, path) => magnumDig(map, String(path), 0, (v) => typeof v === 'number'),
});

/** `digList(map, path)`: a list at `path` below `map`, or `[]` (see {@link magnumDig}). */
export const MAGNUM_DIG_LIST = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumDigList',
  params: ['map', 'path'],
  result: 'list',
  goBody: digBody('(kindIs "slice" $cur)', 'toJson $cur', 'toJson list'),
  evaluate: (map, path) => magnumDig(map, String(path), [], Array.isArray),
});

// ---------------------------------------------------------------------------------------------
// Refusals in Magnum's words
// ---------------------------------------------------------------------------------------------

/** A patch the chart reads (as the support matrix does: no leading zeros, at most three digits). */
const PATCH = '^(0|[1-9][0-9]{0,2})$';

/**
 * `''`, or why the chart cannot run `kubernetesVersion` (the Glance property `kube_version` of the template's image),
 * in Magnum's terms: a minor the support matrix lacks, or a patch newer than the newest it knows (the nodes install
 * kubelet and kubeadm of exactly that version, and the addons are pinned per minor). The same rule as
 * `supportFor` (src/support-matrix.ts), which would refuse it later naming tenant-cluster's `kubernetes.version`.
 */
export function magnumVersionProblem(version: string): string {
  const [major, minor, patch] = version.split('.');
  const key = `${major}.${minor}`;
  const source = '(Glance property kube_version of the cluster template\'s image)';
  if (!Object.prototype.hasOwnProperty.call(SUPPORT_MATRIX, key)) {
    return `kubernetesVersion: ${version} ${source} is not supported by this chart version; supported minors: ${SUPPORTED_MINORS.join(', ')}`;
  }
  if (patch !== undefined && (!new RegExp(PATCH).test(patch) || Number(patch) > maxPatchOf(key))) {
    return `kubernetesVersion: ${version} ${source} is newer than the newest Kubernetes ${key} release this chart version knows `
      + `(${SUPPORT_MATRIX[key].defaultVersion}); use an image of ${key}.0 to ${SUPPORT_MATRIX[key].defaultVersion.slice(1)}, or a newer chart `
      + 'version (template label capi_helm_chart_version)';
  }
  return '';
}

/** `versionProblem(version)`: see {@link magnumVersionProblem}. */
export const MAGNUM_VERSION_PROBLEM = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumVersionProblem',
  params: ['version'],
  result: 'string',
  goBody: `
{{- $newest := dict${Object.entries(SUPPORT_MATRIX).map(([minor, e]) => ` ${goString(minor)} ${goString(e.defaultVersion)}`).join('')} -}}
{{- $version := toString .version -}}
{{- $parts := splitList "." $version -}}
{{- $minor := printf "%s.%s" (index $parts 0) (index $parts 1) -}}
{{- $source := "(Glance property kube_version of the cluster template's image)" -}}
{{- if not (hasKey $newest $minor) -}}
{{- printf "kubernetesVersion: %s %s is not supported by this chart version; supported minors: %s" $version $source ${goString(SUPPORTED_MINORS.join(', '))} -}}
{{- else if eq (len $parts) 3 -}}
{{- $known := index $newest $minor -}}
{{- $patch := index $parts 2 -}}
{{- if or (not (regexMatch ${goString(PATCH)} $patch)) (gt (atoi $patch) (atoi (index (splitList "." $known) 2))) -}}
{{- printf (print "kubernetesVersion: %s %s is newer than the newest Kubernetes %s release this chart version knows (%s); use an image of %s.0 "
  "to %s, or a newer chart version (template label capi_helm_chart_version)") $version $source $minor $known $minor (trimPrefix "v" $known) -}}
{{- end -}}
{{- end -}}`,
  evaluate: (version) => magnumVersionProblem(String(version ?? '')),
});

/**
 * `''`, or the message for two Cinder volume types whose StorageClass names collide (see
 * {@link magnumStorageClassCollision}); the driver sends both, and one StorageClass would replace the other.
 */
export function magnumStorageClassProblem(csiCinder: unknown): string {
  const c = magnumStorageClassCollision(csiCinder);
  if (c.length === 0) return '';
  return `addons.openstack.csiCinder: Cinder volume types ${JSON.stringify(c[0])} and ${JSON.stringify(c[1])} both become StorageClass `
    + `${JSON.stringify(c[2])} (Magnum names each class after its volume type, lowercased, every other character run replaced by "-"); `
    + 'rename one volume type or make it private to other projects';
}

/** `storageClassProblem(csiCinder)`: see {@link magnumStorageClassProblem}. */
export const MAGNUM_STORAGE_CLASS_PROBLEM = new TemplateFunction({
  name: 'tenant-cluster-lib.magnumStorageClassProblem',
  params: ['csiCinder'],
  result: 'string',
  goBody: `
{{- $c := include "tenant-cluster-lib.magnumStorageClassCollision" (dict "csiCinder" .csiCinder) | fromJsonArray -}}
{{- if $c -}}
{{- printf (print "addons.openstack.csiCinder: Cinder volume types %q and %q both become StorageClass %q (Magnum names each class after its "
  "volume type, lowercased, every other character run replaced by \\"-\\"); rename one volume type or make it private to other projects")
  (index $c 0) (index $c 1) (index $c 2) -}}
{{- end -}}`,
  evaluate: (csiCinder) => magnumStorageClassProblem(csiCinder),
  calls: [MAGNUM_STORAGE_CLASS_COLLISION],
});

/** Every function of this module (src/template-functions.ts registers them for precompiled models). */
export const MAGNUM_FUNCTIONS: readonly TemplateFunction[] = [
  MAGNUM_SANITIZE, MAGNUM_RESOURCE_NAME, MAGNUM_NAME_PROBLEM, MAGNUM_STORAGE_CLASS_COLLISION, MAGNUM_STORAGE_CLASSES, MAGNUM_LOAD_BALANCER,
  MAGNUM_PORTS_PROBLEM, MAGNUM_NODE_GROUPS, MAGNUM_PORTS, MAGNUM_VERSION_PROBLEM, MAGNUM_STORAGE_CLASS_PROBLEM, MAGNUM_FILTER_ID,
  MAGNUM_DIG_STRING, MAGNUM_DIG_INT, MAGNUM_DIG_LIST,
];
