/**
 * Upstream facts of the OpenStack integration, as derived data (test/data/openstack/upstream.json, written by
 * projenrc/extract-openstack-upstream.mjs from kubernetes/cloud-provider-openstack, kubernetes/cloud-provider,
 * kubernetes/controller-manager, kubernetes/component-base, kubernetes/apiserver and the kubernetes-csi
 * sidecars at pinned tags), plus the readers the tests need: flag names of an argument list, and a small
 * gcfg (INI) parser with the syntax cloud-provider-openstack's config files are read with.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface FlagSet {
  readonly flags: readonly string[];
  readonly sources: ReadonlyArray<{ repository: string; tag: string; commit: string; files: readonly string[] }>;
  readonly featureGates?: ReadonlyArray<{ name: string; default: boolean; lockToDefault: boolean }>;
}

export interface CloudProviderOpenStackTag {
  readonly commit: string;
  readonly modules: Record<string, string>;
  readonly cinderNode: { buildsOpenStackClientUnlessNoClient: boolean; cloudConfigRequiredInEveryMode: boolean };
  readonly storageClassParameters: { keys: readonly string[] };
  readonly driver: { name: string; topologyKey: string; topologyKeyExpression: string };
  readonly occmFlags: FlagSet;
  readonly cinderCsiPluginFlags: FlagSet;
  readonly occmConfig: { sections: Record<string, readonly string[]> };
  readonly cinderConfig: { sections: Record<string, readonly string[]> };
  readonly serviceAnnotations: { keys: readonly string[] };
  readonly manifestImages: Record<string, readonly string[]>;
}

export interface UpstreamData {
  readonly cloudProviderOpenstack: Record<string, CloudProviderOpenStackTag>;
  readonly controllerAliases: Record<string, { aliases: readonly string[] }>;
  readonly sidecars: Record<string, Record<string, FlagSet>>;
  /** CAPO at its pinned tag: the Cluster API its README pairs with its minor, what it is built against, the credentials Secret's keys. */
  readonly clusterApiProviderOpenstack: {
    readonly tag: string;
    readonly clusterApiCompatibility: { readonly minor: string; readonly clusterApi: string };
    readonly builtAgainst: { readonly clusterApi: string; readonly openstackResourceController: string };
    readonly credentialsSecretKeys: { readonly cloudsYaml: string; readonly caCert: string };
  };
  /** The first Kamaji tag with `NetworkProfile.advertiseAddress`. */
  readonly kamaji: { readonly advertiseAddress: { readonly commit: string; readonly firstTag: string } };
}

export const UPSTREAM: UpstreamData = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'data', 'openstack', 'upstream.json'), 'utf8'));

/** The pinned cloud-provider-openstack tags. */
export const CPO_TAGS = Object.keys(UPSTREAM.cloudProviderOpenstack);

/** `--name=value` / `--name` → `name`; anything else (the binary, a positional argument) → undefined. */
export function flagName(arg: unknown): string | undefined {
  if (typeof arg !== 'string') return undefined;
  const m = /^--([a-z0-9][a-z0-9-]*)(=|$)/.exec(arg);
  return m ? m[1] : undefined;
}

/** The flags of `args` that are not in `known`. */
export function unknownFlags(args: readonly unknown[], known: readonly string[]): string[] {
  const set = new Set(known);
  return args.map(flagName).filter((f): f is string => f !== undefined && !set.has(f));
}

/** The image's tag (`registry/repo:tag` → `tag`). */
export function imageTag(image: string): string {
  return image.slice(image.lastIndexOf(':') + 1);
}

/** A parsed gcfg file: section → subsection ("" for none) → variable → values (gcfg allows repeats). */
export type Gcfg = Record<string, Record<string, Record<string, string[]>>>;

/**
 * Parses gcfg (gopkg.in/gcfg.v1) text as cloud-provider-openstack reads it: `[section]` or `[section "sub"]`
 * headers, `name = value` variables, `;`/`#` comments, values unquoted (trimmed, a comment ends them) or in
 * double quotes. Section and variable names are case-insensitive (kept in lower case here). Throws on lines gcfg
 * would refuse, naming the line.
 */
export function parseGcfg(text: string): Gcfg {
  const out: Gcfg = {};
  let current: Record<string, string[]> | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) return;
    const header = /^\[\s*([A-Za-z][A-Za-z0-9-]*)\s*(?:"((?:[^"\\]|\\.)*)")?\s*\]$/.exec(line);
    if (header) {
      const section = header[1].toLowerCase();
      const sub = header[2] ?? '';
      out[section] ??= {};
      current = out[section][sub] ??= {};
      return;
    }
    const variable = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (!variable || !current) throw new Error(`gcfg line ${i + 1}: cannot parse ${JSON.stringify(raw)}`);
    const name = variable[1].toLowerCase();
    let value = (variable[2] ?? 'true').trim();
    if (value.startsWith('"')) {
      const q = /^"((?:[^"\\]|\\.)*)"\s*(?:[;#].*)?$/.exec(value);
      if (!q) throw new Error(`gcfg line ${i + 1}: unterminated quoted value`);
      value = q[1].replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t' } as Record<string, string>)[c] ?? c);
    } else {
      value = value.replace(/\s*[;#].*$/, '');
    }
    (current[name] ??= []).push(value);
  });
  return out;
}

/** Every `section.variable` of a parsed file that the reader's sections (upstream data, any case) do not know. */
export function unknownConfigKeys(parsed: Gcfg, sections: Record<string, readonly string[]>): string[] {
  const known = new Map(Object.entries(sections).map(([s, keys]) => [s.toLowerCase(), new Set(keys.map((k) => k.toLowerCase()))]));
  const unknown: string[] = [];
  for (const [section, subs] of Object.entries(parsed)) {
    for (const vars of Object.values(subs)) {
      for (const name of Object.keys(vars)) {
        if (!known.get(section)?.has(name)) unknown.push(`${section}.${name}`);
      }
    }
  }
  return unknown;
}
