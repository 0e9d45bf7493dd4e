import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { concat, ContentHash, Expr, ne, ternary, ValueSource, whenField } from '../../expr';
import { TenantContext } from '../core/tenant-context';

export interface OpenStackCloudConfigProps {
  /** The tenant cluster's shared facts: the cluster name the Secret is named after, its namespace and labels. */
  readonly context: TenantContext;
  /** Component it configures: the ConfigMap is `<cluster>-<component>-cloud-config`. */
  readonly component: string;
  /** `infrastructure.openstack.identity` values (the Secret and which entry of clouds.yaml). */
  readonly identity: ValueSource;
  /** The sections after `[Global]` (INI text ending in a newline). */
  readonly sections: Expr | string;
}

/** Where the ConfigMap is mounted. */
export const CLOUD_CONFIG_DIR = '/etc/config';
/** The file the components read (`--cloud-config`). */
export const CLOUD_CONFIG_FILE = `${CLOUD_CONFIG_DIR}/cloud.conf`;
/** Where the operator's credentials Secret is mounted (read-only). */
export const CREDENTIALS_DIR = '/etc/openstack';
/** The Secret's keys, as CAPO reads them too (pkg/scope/provider.go `CloudsSecretKey`, `CASecretKey`). */
export const CLOUDS_KEY = 'clouds.yaml';
export const CACERT_KEY = 'cacert';

/**
 * The `cloud.conf` of a management-side OpenStack component (cloud-controller-manager, Cinder CSI controller):
 * a ConfigMap **without credentials** whose `[Global]` section says `use-clouds = true` and points `clouds-file`
 * at the operator's Secret, mounted read-only beside it. Both readers then load `clouds.yaml` themselves
 * (pkg/openstack/openstack.go `ReadConfig` and pkg/csi/cinder/openstack/openstack.go `GetConfigFromFiles`: with
 * `UseClouds`, `OS_CLIENT_CONFIG_FILE` = `clouds-file` and `client.ReadClouds`, the config file's own values
 * winning), in every pinned cloud-provider-openstack release (v1.31.4–v1.35.0). Credentials never pass through
 * values or templates, so a rotated application credential needs no render, only a restart of the pods.
 *
 * `ca-file` names the Secret's `cacert` key when `identity.caCert` is set: `clouds.yaml`'s `verify: false` is not
 * read by `client.ReadClouds`.
 */
export class OpenStackCloudConfig extends Construct {
  public readonly configMap: ApiObject;
  /** Content hash of the ConfigMap's data, for a pod template annotation (restarts the pods when it changes). */
  public readonly checksum: string;
  /** The ConfigMap and Secret volumes. */
  public readonly volumes: unknown[];
  /** Their read-only mounts. */
  public readonly volumeMounts: unknown[];

  public constructor(scope: Construct, id: string, props: OpenStackCloudConfigProps) {
    super(scope, id);
    const { context, identity } = props;
    const region = identity.str('region');
    const caCert = identity.bool('caCert');
    // gcfg syntax; every interpolated value is constrained by the values schema to characters that need no quoting.
    const global = concat(
      '[Global]\n',
      'use-clouds = true\n',
      `clouds-file = ${CREDENTIALS_DIR}/${CLOUDS_KEY}\n`,
      'cloud = ', identity.str('cloudName'), '\n',
      ternary(ne(region, ''), concat('region = ', region, '\n'), ''),
      ternary(caCert, `ca-file = ${CREDENTIALS_DIR}/${CACERT_KEY}\n`, ''),
    );
    this.configMap = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `${context.clusterName}-${props.component}-cloud-config`,
        namespace: `${context.namespace}`,
        labels: context.labels({ 'app.kubernetes.io/component': props.component }),
      },
      data: { 'cloud.conf': concat(global, '\n', props.sections) },
    });
    // One variable per component in the templates (both components' ConfigMaps have the construct id `Resource`).
    const variable = `${props.component.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase())}CloudConfig`;
    this.checksum = `${new ContentHash(this.configMap, ['data'], variable)}`;
    this.volumes = [
      { name: 'cloud-config', configMap: { name: this.configMap.name } },
      {
        name: 'cloud-credentials',
        secret: {
          secretName: identity.str('secretName'),
          // Owner-readable through the pod's fsGroup only.
          defaultMode: 0o440,
          items: [{ key: CLOUDS_KEY, path: CLOUDS_KEY }, whenField(caCert, { key: CACERT_KEY, path: CACERT_KEY })],
        },
      },
    ];
    this.volumeMounts = [
      { name: 'cloud-config', mountPath: CLOUD_CONFIG_DIR, readOnly: true },
      { name: 'cloud-credentials', mountPath: CREDENTIALS_DIR, readOnly: true },
    ];
  }
}

/**
 * `name = value\n` for a gcfg variable, commented out (`# name = `) when the value is empty: the reader's default
 * applies, and the file keeps one line per variable (gcfg skips `#` comment lines).
 */
export function optionalVariable(name: string, value: Expr): Expr {
  return concat(ternary(ne(value, ''), '', '# '), `${name} = `, value, '\n');
}

/** `name = true|false\n`. */
export function booleanVariable(name: string, value: Expr): Expr {
  return concat(`${name} = `, ternary(value, 'true', 'false'), '\n');
}

/** The references below `prefix` of a value source. */
export function below(source: ValueSource, prefix: string): ValueSource {
  return {
    str: (p) => source.str(`${prefix}.${p}`),
    int: (p) => source.int(`${prefix}.${p}`),
    bool: (p) => source.bool(`${prefix}.${p}`),
    map: (p) => source.map(`${prefix}.${p}`),
    list: (p) => source.list(`${prefix}.${p}`),
  };
}
