#!/usr/bin/env node
// Extracts the field maps of the core Kubernetes kinds our charts render from the
// generated models of @kubernetes/client-node into test/schemas/k8s/core-models.json,
// for the validity harness (test/harness/validate*.ts). Run once by hand (no network):
//
//   node projenrc/extract-k8s-schemas.mjs
//
// and commit the output. Why a script and a JSON file: @kubernetes/client-node 1.x is
// ESM-only, so jest's CommonJS runtime cannot require it; a plain node ESM script can.
//
// Sources:
// - field names and types: `Model.attributeTypeMap` (runtime data of the generated models);
// - required fields: the generated typings `dist/gen/models/<Model>.d.ts` of the same
//   package (a property without `?` is required). They come from the same OpenAPI spec
//   as the attribute maps, so both always agree on the Kubernetes version. As a
//   cross-check the required sets are compared with cdk8s-plus-27's L1 typings
//   (Kubernetes 1.27); differences are written to SOURCES.md;
// - resource.Quantity fields: cdk8s-plus-27's L1 typings (see below).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'test/schemas/k8s');
const require = createRequire(import.meta.url);
const clientPkgDir = path.dirname(require.resolve('@kubernetes/client-node/package.json', { paths: [root] }));
const clientVersion = JSON.parse(readFileSync(path.join(clientPkgDir, 'package.json'), 'utf8')).version;
const cdk8sPlusDir = path.join(root, 'node_modules/cdk8s-plus-27');
const cdk8sPlusVersion = JSON.parse(readFileSync(path.join(cdk8sPlusDir, 'package.json'), 'utf8')).version;

/** apiVersion/kind -> root model. Extend this list when the charts render a new core kind. */
const KINDS = {
  'v1/ConfigMap': 'V1ConfigMap',
  'v1/Secret': 'V1Secret',
  'v1/ServiceAccount': 'V1ServiceAccount',
  'v1/Service': 'V1Service',
  'v1/Namespace': 'V1Namespace',
  'apps/v1/Deployment': 'V1Deployment',
  'apps/v1/DaemonSet': 'V1DaemonSet',
  'rbac.authorization.k8s.io/v1/Role': 'V1Role',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'V1RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'V1ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'V1ClusterRoleBinding',
  'policy/v1/PodDisruptionBudget': 'V1PodDisruptionBudget',
  'storage.k8s.io/v1/StorageClass': 'V1StorageClass',
  'storage.k8s.io/v1/CSIDriver': 'V1CSIDriver',
  'networking.k8s.io/v1/NetworkPolicy': 'V1NetworkPolicy',
  'batch/v1/Job': 'V1Job',
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': 'V1ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': 'V1ValidatingAdmissionPolicyBinding',
};

/**
 * Model names referenced by a type string like "Array<V1Container>", "StorageV1TokenRequest"
 * or "{ [key: string]: V1Foo; }": identifiers that are generated model classes.
 */
function referencedModels(type) {
  return [...type.matchAll(/[A-Za-z_]\w*/g)].map((m) => m[0]).filter((n) => typeof k8s[n]?.getAttributeTypeMap === 'function');
}

/** Required TS property names of a generated model, read from its .d.ts (no `?` = required). */
function requiredFromClientTypings(model) {
  const dts = readFileSync(path.join(clientPkgDir, 'dist/gen/models', `${model}.d.ts`), 'utf8');
  return [...dts.matchAll(/^ {4}'([^']+)':/gm)].map((m) => m[1]);
}

// cdk8s-plus-27 L1 typings (Kubernetes 1.27): the cross-check of `required`, and the only local
// source that still knows which string fields are resource.Quantity (the client-node models
// type them as plain `string`, but the API server also accepts JSON numbers there, e.g.
// `cpu: 1`). They drop the "V1" prefix, spell acronyms in camel case (V1HTTPGetAction ->
// HttpGetAction, diskURI -> diskUri), name root kinds `Kube<Kind>Props` and omit status
// types, so names are compared case-insensitively.
const cdk8sInterfaces = new Map(
  [...readFileSync(path.join(cdk8sPlusDir, 'lib/imports/k8s.d.ts'), 'utf8').matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)].map((m) => {
    // One chunk per property: from `readonly name` to the next doc comment, i.e. its type.
    const props = [...m[2].matchAll(/^ {4}readonly (\w+)(\??):([\s\S]*?)(?=^ {4}\/\*\*|$(?![\s\S]))/gm)];
    return [m[1].toLowerCase(), {
      required: props.filter((x) => x[2] === '').map((x) => x[1].toLowerCase()),
      quantity: props.filter((x) => /\bQuantity\b/.test(x[3])).map((x) => x[1].toLowerCase()),
    }];
  }),
);
function cdk8sInterface(model, isRoot) {
  const bare = model.replace(/^[A-Za-z]*?V\d/, ''); // V1Deployment, RbacV1Subject, StorageV1TokenRequest
  const name = isRoot ? `Kube${bare}Props` : bare;
  return cdk8sInterfaces.get(name.toLowerCase());
}
/** Quantity fields of models newer than cdk8s-plus-27 (V1VolumeResourceRequirements: K8s 1.29). */
const EXTRA_QUANTITY_FIELDS = { V1VolumeResourceRequirements: ['limits', 'requests'] };

const models = {};
const diffs = [];
const rootModels = new Set(Object.values(KINDS));
const queue = [...rootModels];
while (queue.length > 0) {
  const name = queue.shift();
  if (models[name]) continue;
  const cls = k8s[name];
  if (!cls || typeof cls.getAttributeTypeMap !== 'function') throw new Error(`no model ${name} in @kubernetes/client-node`);
  const attrs = cls.getAttributeTypeMap();
  const tsToJson = new Map(attrs.map((a) => [a.name, a.baseName]));
  const required = requiredFromClientTypings(name).map((n) => tsToJson.get(n) ?? n);
  const cdk8s = cdk8sInterface(name, rootModels.has(name));
  const quantity = new Set([...(cdk8s?.quantity ?? []), ...(EXTRA_QUANTITY_FIELDS[name] ?? []).map((f) => f.toLowerCase())]);
  models[name] = {
    fields: Object.fromEntries(attrs.map((a) => [a.baseName, {
      type: a.type,
      ...(a.format ? { format: a.format } : {}),
      ...(quantity.has(a.baseName.toLowerCase()) ? { quantity: true } : {}),
    }])),
    ...(required.length > 0 ? { required } : {}),
  };
  const cdk8sRequired = cdk8s?.required;
  if (cdk8sRequired === undefined) {
    diffs.push(`- \`${name}\`: not in cdk8s-plus-27 (status type, or newer than Kubernetes 1.27)`);
  } else if ([...cdk8sRequired].sort().join() !== required.map((r) => r.toLowerCase()).sort().join()) {
    diffs.push(`- \`${name}\`: client-node requires [${required.join(', ')}], cdk8s-plus-27 requires [${cdk8sRequired.join(', ')}]`);
  }
  for (const a of attrs) queue.push(...referencedModels(a.type));
}

const sorted = Object.fromEntries(Object.keys(models).sort().map((k) => [k, models[k]]));
mkdirSync(outDir, { recursive: true });
writeFileSync(
  path.join(outDir, 'core-models.json'),
  JSON.stringify({ source: `@kubernetes/client-node@${clientVersion}`, kinds: KINDS, models: sorted }, null, 1) + '\n',
);

const specVersion = readFileSync(path.join(clientPkgDir, 'dist/gen/models/V1Deployment.js'), 'utf8').match(/OpenAPI spec version: (\S+)/)?.[1];
writeFileSync(path.join(outDir, 'SOURCES.md'), `# Core Kubernetes schema data — sources

\`core-models.json\` is generated (do not edit by hand) by \`node projenrc/extract-k8s-schemas.mjs\`
from the npm package **@kubernetes/client-node ${clientVersion}** (models generated by
OpenAPI Generator from the Kubernetes OpenAPI spec **${specVersion}**). No network is used.

- \`kinds\`: \`apiVersion/kind\` → root model, for the core kinds our charts render.
- \`models\`: every model reachable from those roots. \`fields\` is the JSON field name →
  \`{type, format}\` exactly as in the model's \`attributeTypeMap\` (types: \`string\`,
  \`number\` (+ format \`int32\`/\`int64\`/\`double\`), \`boolean\`, \`Date\`, \`any\`,
  \`IntOrString\`, \`Array<T>\`, \`{ [key: string]: T; }\`, or another model), plus
  \`quantity: true\` on resource.Quantity fields (a string or a number for the API server; the
  models say \`string\`). Quantity fields are those typed \`Quantity\` in the cdk8s-plus-27 L1
  typings, plus \`V1VolumeResourceRequirements.limits/requests\` (newer than those typings).
- \`required\`: the properties declared without \`?\` in the same package's generated typings
  (\`dist/gen/models/<Model>.d.ts\`). The attribute maps carry no "required" information; the
  typings come from the same spec, so they match its Kubernetes version.

Cross-check of \`required\` against the cdk8s-plus-27 ${cdk8sPlusVersion} L1 typings
(\`lib/imports/k8s.d.ts\`, Kubernetes 1.27; properties without \`?\` are required):
${diffs.length === 0 ? '\nno differences.\n' : '\n' + diffs.join('\n') + '\n'}
Regenerate after upgrading @kubernetes/client-node, or after adding a kind to \`KINDS\` in the script.
`);
console.log(`wrote ${Object.keys(sorted).length} models for ${Object.keys(KINDS).length} kinds to ${path.relative(root, outDir)}`);
