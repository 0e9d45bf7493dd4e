/** Rendered object sets, keyed and sorted the way the equivalence checks compare them. */
export type K8sObject = Record<string, any>;

/** `apiVersion/kind/namespace/name` of an object. */
export function objectKey(o: K8sObject): string {
  return `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
}

/** Objects as a map by key (throws on duplicates: two objects with one identity are a bug). */
export function byKey(objects: readonly K8sObject[]): Record<string, K8sObject> {
  const out: Record<string, K8sObject> = {};
  for (const o of objects) {
    const key = objectKey(o);
    if (out[key]) throw new Error(`two rendered objects share ${key}`);
    out[key] = o;
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}
