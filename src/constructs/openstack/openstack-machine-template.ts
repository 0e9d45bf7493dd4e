import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { and, concat, ContentHash, eachItem, eq, Expr, gt, ne, not, or, RenderCheck, ternary, VarRef, whenField } from '../../expr';
import { OpenStackMachineTemplate as OpenStackMachineTemplateL1 } from '../../imports/openstack-machinetemplate-infrastructure.cluster.x-k8s.io';
import { TenantContext } from '../core/tenant-context';

export interface OpenStackMachineTemplateProps {
  /** The tenant cluster's shared facts: the namespace and labels of the OpenStackMachineTemplate. */
  readonly context: TenantContext;
  /** `<cluster>-<group>`: the MachineDeployment's name, the template's name before its hash. */
  readonly deploymentName: Expr | string;
  /** The group's values merged with `nodeGroupDefaults` (the OpenStack settings under `openstack`). */
  readonly group: VarRef;
  /** Values path of the group, for messages (`nodeGroups.<g>`). */
  readonly path: Expr;
  /**
   * Whether CAPO fills the templates' `status.capacity` from the flavor (`infrastructure.openstack.capacityFromFlavor`):
   * without it a group scaling from zero needs `autoscaling.capacity`.
   */
  readonly capacityFromFlavor: Expr;
  /**
   * Where the template's render checks go and when they apply: for a template inside a `When` whose checks must sit
   * in the node groups' `Each` itself, beside the other node group checks (scopes decide how checks group in the
   * checks file: one defaults merge per node group for all of them).
   * @default - in the template, always
   */
  readonly checks?: { readonly scope: Construct; readonly applies: Expr };
}

/**
 * One node group's `OpenStackMachineTemplate` (cluster-api-provider-openstack v0.14): the Nova server of every
 * machine. CAPO's webhook refuses any change to `spec.template.spec` ("OpenStackMachineTemplate
 * spec.template.spec field is immutable. Please create a new resource instead.",
 * pkg/webhooks/openstackmachinetemplate_webhook.go), so the template is named `<cluster>-<group>-<hash of its
 * spec>` and kept on upgrade, like the KubeVirt machine template: a change makes a new template and rolls the group.
 *
 * Never rendered: `identityRef` (machines then use the OpenStackCluster's, and CAPO's providerID stays
 * `openstack:///<uuid>` as the OpenStack cloud-controller-manager writes it without `OS_CCM_REGIONAL`:
 * controllers/openstackmachine_controller.go `reconcileMachineState` takes the region from the machine's own
 * identityRef only), and `providerID` (refused in templates by the same webhook). The availability zone is not a
 * field of the machine either: CAPO takes it from `Machine.spec.failureDomain` (`failureDomain` here, for the
 * MachineDeployment).
 * @see https://cluster-api-openstack.sigs.k8s.io/clusteropenstack/configuration
 */
export class OpenStackMachineTemplate extends Construct {
  /** The `apiVersion`/`kind` a MachineDeployment's `infrastructureRef` uses. */
  public static readonly REF = { apiVersion: OpenStackMachineTemplateL1.GVK.apiVersion, kind: OpenStackMachineTemplateL1.GVK.kind };

  public readonly resource: ApiObject;
  /** `<cluster>-<group>-<hash>`: what the MachineDeployment's `infrastructureRef.name` must say. */
  public readonly name: string;
  /** The group's Nova availability zone, for `MachineDeployment.spec.template.spec.failureDomain` (empty: none). */
  public readonly failureDomain: Expr;

  public constructor(scope: Construct, id: string, props: OpenStackMachineTemplateProps) {
    super(scope, id);
    const { context, group } = props;
    this.name = `${props.deploymentName}-${new ContentHash(() => this.resource, ['spec'], 'openStackMachineTemplateSpec')}`;
    this.failureDomain = group.str('openstack.availabilityZone');
    this.checks(props);
    this.resource = new ApiObject(this, 'Resource', {
      ...OpenStackMachineTemplateL1.GVK,
      metadata: {
        name: this.name,
        namespace: `${context.namespace}`,
        // No `helm.sh/resource-policy: keep`, as for KubeVirt's templates: Cluster API tolerates a deleted
        // template of any MachineSet but the current revision's (see NodeGroup).
        labels: context.labels(),
      },
      spec: { template: { spec: this.machineSpec(group) } },
    });
  }

  /** `spec.template.spec`: only what the values set, so that defaults do not move the hash. */
  private machineSpec(group: VarRef): unknown {
    const os = (p: string) => `openstack.${p}`;
    const str = (p: string) => group.str(os(p));
    const given = (p: string) => whenField(ne(str(p), ''), str(p));
    const imageID = str('image.id');
    const imageName = str('image.name');
    const imageTags = group.list(os('image.tags'));
    const sizeGiB = group.int(os('rootVolume.sizeGiB'));
    const volumeZone = str('rootVolume.availabilityZone');
    const ports = group.list(os('ports'));
    const securityGroups = group.list(os('securityGroups'));
    const serverGroupID = str('serverGroupID');
    const metadata = group.map(os('serverMetadata'));
    const tags = group.list(os('tags'));
    return {
      flavor: given('flavor'),
      flavorID: given('flavorID'),
      // Exactly one of id and filter (the CRD's maxProperties: 1; the checks refuse both).
      image: {
        id: whenField(ne(imageID, ''), imageID),
        filter: whenField(eq(imageID, ''), {
          name: whenField(ne(imageName, ''), imageName),
          tags: whenField(imageTags, imageTags),
        }),
      },
      rootVolume: whenField(gt(sizeGiB, 0), {
        sizeGiB,
        type: given('rootVolume.type'),
        // A named zone, or the machine's failure domain (the group's zone; none: Cinder's default).
        availabilityZone: {
          from: ternary(ne(volumeZone, ''), 'Name', 'Machine'),
          name: whenField(ne(volumeZone, ''), volumeZone),
        },
      }),
      // "If not specified a default port will be added for the default cluster network": with extra ports the
      // first, empty one is that port (a port without a network gets the cluster network and its subnets,
      // openStackMachineSpecToOpenStackServerSpec in controllers/openstackmachine_controller.go).
      ports: whenField(ports, eachItem<unknown>(ports, { key: 'portIndex', item: 'port' }, (port) => port, [{}])),
      // Added to every port; CAPO also puts the managed worker group on each port that names none.
      securityGroups: whenField(securityGroups, securityGroups),
      serverGroup: whenField(ne(serverGroupID, ''), { id: serverGroupID }),
      sshKeyName: given('sshKeyName'),
      // A list-map keyed by `key`: rendered in key order, so the same map gives the same hash.
      serverMetadata: whenField(metadata, eachItem<unknown>(metadata, { key: 'metadataKey', item: 'metadataValue', itemType: 'string' },
        (value, key) => ({ key, value }))),
      configDrive: whenField(group.bool(os('configDrive')), true),
      tags: whenField(tags, tags),
    };
  }

  private checks(props: OpenStackMachineTemplateProps): void {
    const { group } = props;
    const scope = props.checks?.scope ?? this;
    const applies = (condition: Expr) => (props.checks ? and(props.checks.applies, condition) : condition);
    const at = (p: string) => concat(props.path, `.openstack${p}`);
    const str = (p: string) => group.str(`openstack.${p}`);
    const set = (p: string) => ne(str(p), '');
    new RenderCheck(scope, 'FlavorGiven', {
      failWhen: applies(and(not(set('flavor')), not(set('flavorID')))),
      message: concat(at(''), ': flavor or flavorID is required (the Nova flavor of the group\'s servers)'),
    });
    new RenderCheck(scope, 'OneFlavor', {
      failWhen: applies(and(set('flavor'), set('flavorID'))),
      message: concat(at(''), ': give flavor or flavorID, not both'),
    });
    const byQuery = or(set('image.name'), group.list('openstack.image.tags'));
    new RenderCheck(scope, 'ImageGiven', {
      failWhen: applies(and(not(set('image.id')), not(byQuery))),
      message: concat(at('.image'), ': id, or name and/or tags, is required (the Glance image of the group\'s servers)'),
    });
    new RenderCheck(scope, 'OneImageSelector', {
      failWhen: applies(and(set('image.id'), byQuery)),
      message: concat(at('.image'), ': give id, or name and/or tags, not both'),
    });
    new RenderCheck(scope, 'RootVolumeSized', {
      failWhen: applies(and(eq(group.int('openstack.rootVolume.sizeGiB'), 0), or(set('rootVolume.type'), set('rootVolume.availabilityZone')))),
      message: concat(at('.rootVolume'), ': type and availabilityZone need sizeGiB (without a size the server boots from the flavor\'s disk)'),
    });
    const capacity = (p: string) => group.str(`autoscaling.capacity.${p}`);
    new RenderCheck(scope, 'ScaleFromZeroCapacity', {
      failWhen: applies(and(
        group.bool('autoscaling.enabled'), eq(group.int('autoscaling.min'), 0), not(props.capacityFromFlavor),
        or(eq(capacity('cpu'), ''), eq(capacity('memory'), '')),
      )),
      message: concat(props.path, '.autoscaling.capacity: cpu and memory are required to scale from zero (the chart cannot read the flavor; ',
        'or run CAPO with --feature-gates=AutoScaleFromZero=true and set infrastructure.openstack.capacityFromFlavor)'),
    });
  }
}
