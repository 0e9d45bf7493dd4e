#!/usr/bin/env node
// Derives the upstream facts the OpenStack constructs depend on into test/data/openstack/upstream.json,
// so that the tests check our flags, config keys and annotations against what upstream's code reads at
// the pinned tags, without network and without the upstream trees. Run by hand and commit the output:
//
//   MIRROR_ROOT=/path/to/git/mirrors node projenrc/extract-openstack-upstream.mjs
//
// MIRROR_ROOT holds bare git mirrors named `<owner>+<repo>/repo` (the layout of the team's mirror
// directory): kubernetes/cloud-provider-openstack, kubernetes/cloud-provider, kubernetes/controller-manager,
// kubernetes/component-base, kubernetes/apiserver and the kubernetes-csi sidecars. Nothing is copied from
// upstream: the output holds names (flags, config keys, annotation keys, feature gates, images) with the
// repository, tag, commit and files they were read from.
//
// How names are found (Go source, read as text):
// - flags: the name literal of pflag/flag registrations, `x.<Type>Var(&target, "name", …)`,
//   `x.<Type>VarP(&target, "name", "n", …)`, `x.Var(value, "name", …)` and `x.<Type>("name", …)`;
// - config keys: gcfg reads a section per field of the `Config` struct and, inside it, a variable per
//   field of the section's struct, named by the `gcfg:"name"` tag or, untagged, by the field name
//   (matched case-insensitively, written here in lower case);
// - annotations: the `ServiceAnnotation… = "…"` constants of pkg/openstack/loadbalancer.go;
// - feature gates: the keys of external-provisioner's `defaultKubernetesFeatureGates`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MIRROR_ROOT = process.env.MIRROR_ROOT ?? '/work/.mirror';
const out = path.join(root, 'test/data/openstack/upstream.json');

const gitDir = (repo) => path.join(MIRROR_ROOT, `${repo.replace('/', '+')}`, 'repo');
const git = (repo, ...args) => execFileSync('git', [`--git-dir=${gitDir(repo)}`, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const commitOf = (repo, tag) => git(repo, 'rev-parse', `${tag}^{commit}`).trim();
const show = (repo, tag, file) => git(repo, 'show', `${tag}:${file}`);
/** Go files (no tests) under the given paths at a tag; paths that do not exist are skipped. */
function goFiles(repo, tag, paths) {
  const listed = git(repo, 'ls-tree', '-r', '--name-only', tag, '--', ...paths).split('\n').filter(Boolean);
  return listed.filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')).sort();
}

const FLAG_TYPES = 'String|Bool|Int|Int8|Int16|Int32|Int64|Uint|Uint8|Uint16|Uint32|Uint64|Float32|Float64|Duration|StringSlice|StringArray|StringToString|StringToInt|IP|IPNet|IPSlice|IntSlice|BoolSlice|DurationSlice';
const VAR_RE = new RegExp(`\\.(?:${FLAG_TYPES})?VarP?\\(\\s*(?:[^,"()]|\\((?:[^()]|\\([^()]*\\))*\\))*,\\s*"([a-z][a-z0-9-]*)"`, 'g');
const PLAIN_RE = new RegExp(`\\.(?:${FLAG_TYPES})P?\\(\\s*"([a-z][a-z0-9-]*)"`, 'g');
function flagsIn(text) {
  const names = new Set();
  for (const re of [VAR_RE, PLAIN_RE]) for (const m of text.matchAll(re)) names.add(m[1]);
  return names;
}

/** Flags registered in the Go files under `paths` of one repository at one tag. */
function flagSource(repo, tag, paths) {
  const files = goFiles(repo, tag, paths);
  const flags = new Set();
  for (const f of files) for (const n of flagsIn(show(repo, tag, f))) flags.add(n);
  return { source: { repository: repo, tag, commit: commitOf(repo, tag), files }, flags };
}

function merge(sources) {
  const flags = new Set();
  for (const s of sources) for (const f of s.flags) flags.add(f);
  return { flags: [...flags].sort(), sources: sources.map((s) => s.source) };
}

/** `k8s.io/<module> vX` of a go.mod. */
function moduleVersion(gomod, module) {
  const m = new RegExp(`^\\s*k8s\\.io/${module} (v[0-9.]+)`, 'm').exec(gomod);
  if (!m) throw new Error(`k8s.io/${module} not in go.mod`);
  return m[1];
}

/** Fields of a Go struct type: [name, type, gcfg tag or undefined]. */
function structFields(text, typeName) {
  const start = text.indexOf(`type ${typeName} struct {`);
  if (start < 0) throw new Error(`struct ${typeName} not found`);
  const body = text.slice(text.indexOf('{', start) + 1, text.indexOf('\n}', start));
  const fields = [];
  for (const raw of body.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const m = /^([A-Z][A-Za-z0-9_]*)\s+([^\s`]+)(?:\s+`([^`]*)`)?/.exec(line);
    if (!m) continue;
    const gcfg = /gcfg:"([^"]*)"/.exec(m[3] ?? '')?.[1];
    fields.push([m[1], m[2], gcfg]);
  }
  return fields;
}

/** gcfg variable names of a struct (tag name, else the field name in lower case). */
function gcfgKeys(text, typeName) {
  return structFields(text, typeName)
    .filter(([, , tag]) => tag !== '-')
    .map(([name, , tag]) => (tag ? tag.split(',')[0] : name.toLowerCase()))
    .sort();
}

const CPO = 'kubernetes/cloud-provider-openstack';
const CPO_TAGS = ['v1.31.4', 'v1.32.1', 'v1.33.1', 'v1.34.1', 'v1.35.0'];

const cloudProviderOpenstack = {};
for (const tag of CPO_TAGS) {
  const gomod = show(CPO, tag, 'go.mod');
  const v = (m) => moduleVersion(gomod, m);
  const occm = merge([
    flagSource(CPO, tag, ['cmd/openstack-cloud-controller-manager', 'pkg/openstack/openstack.go']),
    flagSource('kubernetes/cloud-provider', v('cloud-provider'), ['options', 'app']),
    flagSource('kubernetes/controller-manager', v('controller-manager'), ['options']),
    flagSource('kubernetes/component-base', v('component-base'), [
      'config/options', 'cli/globalflag', 'logs/api/v1/options.go', 'featuregate/feature_gate.go', 'version/verflag',
    ]),
    flagSource('kubernetes/apiserver', v('apiserver'), [
      'pkg/server/options/serving.go', 'pkg/server/options/serving_with_loopback.go', 'pkg/server/options/authentication.go',
      'pkg/server/options/authorization.go',
    ]),
  ]);
  const cinder = merge([
    flagSource(CPO, tag, ['cmd/cinder-csi-plugin', 'pkg/csi/csi.go', 'pkg/csi/cinder/openstack/openstack.go']),
    flagSource('kubernetes/component-base', v('component-base'), ['cli', 'logs/api/v1/options.go']),
  ]);

  // The config files: OCCM's `Config` (pkg/openstack/openstack.go) and Cinder's (pkg/csi/cinder/openstack/openstack.go).
  const occmGo = show(CPO, tag, 'pkg/openstack/openstack.go');
  const clientGo = show(CPO, tag, 'pkg/client/client.go');
  const metadataGo = show(CPO, tag, 'pkg/util/metadata/metadata.go');
  const cinderGo = show(CPO, tag, 'pkg/csi/cinder/openstack/openstack.go');
  const typeText = (type) => {
    if (type.endsWith('AuthOpts')) return [clientGo, 'AuthOpts'];
    if (type.startsWith('metadata.')) return [metadataGo, type.slice('metadata.'.length)];
    return [null, type.replace(/^map\[string\]\*/, '')];
  };
  const sections = (goText, configType) => Object.fromEntries(structFields(goText, configType).map(([name, type]) => {
    const [text, t] = typeText(type.replace(/^map\[string\]\*/, ''));
    return [name, gcfgKeys(text ?? goText, t)];
  }));
  const occmConfig = sections(occmGo, 'Config');
  const cinderConfig = sections(cinderGo, 'Config');

  const loadbalancerGo = show(CPO, tag, 'pkg/openstack/loadbalancer.go');
  const annotations = [...loadbalancerGo.matchAll(/^\s*ServiceAnnotation[A-Za-z]*\s*=\s*"([^"]+)"/gm)].map((m) => m[1]).sort();

  const images = {};
  for (const f of [
    'manifests/controller-manager/openstack-cloud-controller-manager-ds.yaml',
    'manifests/cinder-csi-plugin/cinder-csi-controllerplugin.yaml',
    'manifests/cinder-csi-plugin/cinder-csi-nodeplugin.yaml',
  ]) {
    images[f] = [...show(CPO, tag, f).matchAll(/^\s*image:\s*"?([^"\s]+)"?/gm)].map((m) => m[1]);
  }

  // How the Cinder node service starts (cmd/cinder-csi-plugin/main.go): through an OpenStack client unless
  // --node-service-no-os-client (v1.31), or from the config files only (v1.32+); and whether --cloud-config is
  // required in every mode.
  const cinderMain = show(CPO, tag, 'cmd/cinder-csi-plugin/main.go');
  const cinderNode = {
    source: 'cmd/cinder-csi-plugin/main.go',
    buildsOpenStackClientUnlessNoClient: cinderMain.includes('GetOpenStackProvider(cloudName, noClient)'),
    cloudConfigRequiredInEveryMode: cinderMain.includes('MarkPersistentFlagRequired("cloud-config")'),
  };

  // StorageClass parameters CreateVolume reads (pkg/csi/cinder/controllerserver.go).
  const controllerServer = show(CPO, tag, 'pkg/csi/cinder/controllerserver.go');
  const storageClassParameters = {
    source: 'pkg/csi/cinder/controllerserver.go',
    keys: [...new Set([...controllerServer.matchAll(/(?:volParams|GetParameters\(\))\["([^"]+)"\]/g)].map((m) => m[1]))].sort(),
  };
  const driverGo = show(CPO, tag, 'pkg/csi/cinder/driver.go');
  const driver = {
    source: 'pkg/csi/cinder/driver.go',
    name: /driverName\s*=\s*"([^"]+)"/.exec(driverGo)[1],
    topologyKey: `topology.${/driverName\s*=\s*"([^"]+)"/.exec(driverGo)[1]}/zone`,
    topologyKeyExpression: /topologyKey\s*=\s*([^\n]+)/.exec(driverGo)[1].trim(),
  };

  cloudProviderOpenstack[tag] = {
    commit: commitOf(CPO, tag),
    cinderNode,
    storageClassParameters,
    driver,
    modules: Object.fromEntries(['cloud-provider', 'controller-manager', 'component-base', 'apiserver'].map((m) => [m, v(m)])),
    occmFlags: occm,
    cinderCsiPluginFlags: cinder,
    occmConfig: { source: ['pkg/openstack/openstack.go (Config)', 'pkg/client/client.go (AuthOpts)', 'pkg/util/metadata/metadata.go (Opts)'], sections: occmConfig },
    cinderConfig: { source: ['pkg/csi/cinder/openstack/openstack.go (Config)', 'pkg/client/client.go (AuthOpts)', 'pkg/util/metadata/metadata.go (Opts)'], sections: cinderConfig },
    serviceAnnotations: { source: 'pkg/openstack/loadbalancer.go (ServiceAnnotation… constants)', keys: annotations },
    manifestImages: images,
  };
}

// Controller names and aliases of the cloud-controller-manager framework, per k8s.io/cloud-provider version.
const controllerAliases = {};
for (const version of new Set(Object.values(cloudProviderOpenstack).map((e) => e.modules['cloud-provider']))) {
  const text = show('kubernetes/cloud-provider', version, 'names/controller_names.go');
  const start = text.indexOf('func CCMControllerAliases()');
  controllerAliases[version] = {
    source: { repository: 'kubernetes/cloud-provider', tag: version, commit: commitOf('kubernetes/cloud-provider', version), file: 'names/controller_names.go (CCMControllerAliases)' },
    aliases: [...text.slice(start).matchAll(/^\s*"([a-z-]+)":\s+[A-Za-z]+,/gm)].map((m) => m[1]).sort(),
  };
}

// CSI sidecars at every version the per-minor manifests of cloud-provider-openstack pin, plus our defaults.
const SIDECARS = {
  'external-attacher': ['v4.4.2', 'v4.7.0', 'v4.10.0'],
  'external-provisioner': ['v3.6.2', 'v5.1.0', 'v5.3.0'],
  'external-resizer': ['v1.9.2', 'v1.12.0', 'v1.14.0'],
  'external-snapshotter': ['v6.3.2', 'v8.1.0', 'v8.3.0', 'v8.4.0'],
  'livenessprobe': ['v2.11.0', 'v2.14.0', 'v2.17.0'],
  'node-driver-registrar': ['v2.9.2', 'v2.12.0', 'v2.15.0'],
};
const sidecars = {};
for (const [name, tags] of Object.entries(SIDECARS)) {
  const repo = `kubernetes-csi/${name}`;
  sidecars[name] = {};
  for (const tag of tags) {
    // external-snapshotter's repository also holds the snapshot controller: only the sidecar's command counts.
    const cmd = name === 'external-snapshotter' ? ['cmd/csi-snapshotter'] : ['cmd'];
    const entry = merge([flagSource(repo, tag, [...cmd, 'vendor/github.com/kubernetes-csi/csi-lib-utils/standardflags'])]);
    if (name === 'external-provisioner') {
      const features = show(repo, tag, 'pkg/features/features.go');
      const table = features.slice(features.indexOf('defaultKubernetesFeatureGates'));
      const consts = Object.fromEntries([...features.matchAll(/^\s*([A-Za-z]+)\s+featuregate\.Feature\s*=\s*"([^"]+)"/gm)].map((m) => [m[1], m[2]]));
      entry.featureGates = [...table.matchAll(/^\s*([A-Za-z]+):\s*\{([^}]*)\}/gm)]
        .map((m) => ({ name: consts[m[1]] ?? m[1], default: /Default:\s*true/.test(m[2]), lockToDefault: /LockToDefault:\s*true/.test(m[2]) }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    }
    sidecars[name][tag] = entry;
  }
}

// The management prerequisites the README states for OpenStack workers (README.md "OpenStack workers"):
// - CAPO: the Cluster API versions its README's compatibility table gives its minor, the ORC module it is built
//   against (go.mod), and the keys of the credentials Secret it reads (pkg/scope/provider.go `CloudsSecretKey`,
//   `CASecretKey`);
// - Kamaji: the first tag containing the commit that added `advertiseAddress` to the NetworkProfile.
const CAPO = 'kubernetes-sigs/cluster-api-provider-openstack';
const CAPO_TAG = 'v0.14.7';
const capoMinor = CAPO_TAG.replace(/\.\d+$/, '');
const capoReadme = show(CAPO, CAPO_TAG, 'README.md');
const compat = new RegExp(`^\\|\\s*${capoMinor.replace('.', '\\.')}\\s*\\|\\s*([^|]+?)\\s*\\|`, 'm').exec(capoReadme);
if (!compat) throw new Error(`${CAPO} ${CAPO_TAG} README.md: no compatibility row for ${capoMinor}`);
const capoProvider = show(CAPO, CAPO_TAG, 'pkg/scope/provider.go');
const secretKey = (name) => {
  const m = new RegExp(`\\b${name}\\s*=\\s*"([^"]+)"`).exec(capoProvider);
  if (!m) throw new Error(`${CAPO} ${CAPO_TAG} pkg/scope/provider.go: ${name} not found`);
  return m[1];
};
const capoGoMod = show(CAPO, CAPO_TAG, 'go.mod');
const goModule = (text, module) => {
  const m = new RegExp(`^\\s*${module.replace(/[.]/g, '\\.')} (v[^\\s]+)`, 'm').exec(text);
  if (!m) throw new Error(`${module} not in go.mod`);
  return m[1];
};
const clusterApiProviderOpenstack = {
  repository: CAPO,
  tag: CAPO_TAG,
  commit: commitOf(CAPO, CAPO_TAG),
  clusterApiCompatibility: { source: 'README.md "Compatibility with Cluster API"', minor: capoMinor, clusterApi: compat[1] },
  builtAgainst: {
    source: 'go.mod',
    clusterApi: goModule(capoGoMod, 'sigs.k8s.io/cluster-api'),
    openstackResourceController: goModule(capoGoMod, 'github.com/k-orc/openstack-resource-controller/v2'),
  },
  credentialsSecretKeys: { source: 'pkg/scope/provider.go', cloudsYaml: secretKey('CloudsSecretKey'), caCert: secretKey('CASecretKey') },
};
const KAMAJI = 'clastix/kamaji';
const ADVERTISE_ADDRESS_COMMIT = 'e51909fae3f5';
const kamajiTags = git(KAMAJI, 'tag', '--contains', ADVERTISE_ADDRESS_COMMIT).split('\n').filter(Boolean);
const editionOrder = (t) => t.replace(/-edge$/, '').split('.').map(Number);
const firstTag = kamajiTags.sort((a, b) => {
  const [x, y] = [editionOrder(a), editionOrder(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
})[0];
const kamaji = {
  advertiseAddress: {
    repository: KAMAJI,
    commit: git(KAMAJI, 'rev-parse', ADVERTISE_ADDRESS_COMMIT).trim(),
    subject: git(KAMAJI, 'log', '-1', '--format=%s', ADVERTISE_ADDRESS_COMMIT).trim(),
    firstTag,
  },
};

const data = {
  description: 'Names read from upstream source at pinned tags by projenrc/extract-openstack-upstream.mjs (flags, gcfg config keys, '
    + 'Octavia Service annotations, CCM controller aliases, provisioner feature gates, manifest images; CAPO\'s compatibility, '
    + 'build and credentials-Secret keys, the first Kamaji tag with advertiseAddress). Derived data, no upstream code.',
  cloudProviderOpenstack,
  controllerAliases,
  sidecars,
  clusterApiProviderOpenstack,
  kamaji,
};
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(data, null, 2) + '\n');
console.log(`wrote ${path.relative(root, out)}`);
