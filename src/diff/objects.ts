/**
 * Rendered objects as an upgrade sees them: parsed from `helm template` output (or taken from the
 * evaluation backend), split into release resources and hooks, and identified the way Helm matches the
 * resources of two releases.
 */
import * as YAML from 'yaml';

/** A rendered Kubernetes object (JSON data). */
export type KubeObject = Record<string, any>;

/**
 * What Helm compares to decide that two manifests describe the same resource: group, kind, namespace and
 * name, not the version (helm v3.18.0 pkg/kube/resource.go `isMatchingInfo`; v4.1.4 the same, comparing
 * `GroupKind()`, so "a version change is not a resource removal + addition", helm#31768). An apiVersion
 * change is an update of the same object; a rename is a deletion and a creation.
 */
export interface ObjectIdentity {
  /** API group, `''` for the core group. */
  readonly group: string;
  readonly kind: string;
  /** `''` for cluster-scoped kinds. */
  readonly namespace: string;
  readonly name: string;
}

/**
 * Kinds our charts render (or could render) that are cluster-scoped. Helm learns the scope from the API
 * server's REST mapping; rendering offline, we know it from this list. A namespaced object without
 * `metadata.namespace` lands in the release namespace (helm `Build` with the release namespace as default).
 */
const CLUSTER_SCOPED = new Set([
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver', 'snapshot.storage.k8s.io/VolumeSnapshotClass',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'apiextensions.k8s.io/CustomResourceDefinition', 'scheduling.k8s.io/PriorityClass', '/Namespace', '/PersistentVolume',
]);

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → `''`). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The identity of a rendered object, as Helm matches it. */
export function identityOf(o: KubeObject, releaseNamespace: string): ObjectIdentity {
  const group = groupOf(String(o.apiVersion ?? ''));
  const kind = String(o.kind ?? '');
  const clusterScoped = CLUSTER_SCOPED.has(`${group}/${kind}`);
  const namespace = clusterScoped ? '' : String(o.metadata?.namespace ?? releaseNamespace);
  return { group, kind, namespace, name: String(o.metadata?.name ?? '') };
}

/** A stable string for an identity (map keys, sorting). */
export function identityKey(id: ObjectIdentity): string {
  return `${id.group}/${id.kind}/${id.namespace}/${id.name}`;
}

/** `Kind name` (or `Kind namespace/name` outside the release namespace) for messages. */
export function describeIdentity(id: ObjectIdentity, releaseNamespace: string): string {
  const where = id.namespace === '' || id.namespace === releaseNamespace ? '' : `${id.namespace}/`;
  return `${id.kind} ${where}${id.name}`;
}

/** The `helm.sh/hook` events of an object, empty for a release resource. */
export function hookEvents(o: KubeObject): string[] {
  const hook = o.metadata?.annotations?.['helm.sh/hook'];
  return typeof hook === 'string' ? hook.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
}

/** Whether Helm leaves the object in place when a release no longer renders it (`helm.sh/resource-policy: keep`). */
export function isKept(o: KubeObject): boolean {
  return o.metadata?.annotations?.['helm.sh/resource-policy'] === 'keep';
}

/**
 * Parses `helm template` output: YAML documents as Kubernetes reads them (YAML 1.1 scalars; timestamps
 * stay strings, as sigs.k8s.io/yaml leaves them), empty documents and comments skipped.
 * @throws Error naming the document that is not an object with apiVersion and kind
 */
export function parseManifests(text: string, source: string): KubeObject[] {
  const docs = YAML.parseAllDocuments(text, {
    version: '1.1',
    customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
  });
  const objects: KubeObject[] = [];
  (Array.isArray(docs) ? docs : [docs]).forEach((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${source}: document ${i + 1} is not valid YAML: ${doc.errors[0].message}`);
    const value = doc.toJS({ maxAliasCount: -1 }) as unknown;
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value) || !('kind' in value) || !('apiVersion' in value)) {
      throw new Error(`${source}: document ${i + 1} is not a Kubernetes object`);
    }
    objects.push(value as KubeObject);
  });
  return objects;
}
