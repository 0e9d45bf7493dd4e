import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { and, CIDRS_OVERLAP, concat, eq, Expr, gt, lit, ne, not, or, RenderCheck, valuesAt, whenField } from '../../expr';
import { OpenStackCluster } from '../../imports/openstack-cluster-infrastructure.cluster.x-k8s.io';
import { resourcePrefixOf, TenantContext } from '../core/tenant-context';
import { DUPLICATE_FIELD } from './openstack-functions';

/** A CIDR the nodes' subnet must not overlap, with its values path (for the message). */
export interface NamedCidr {
  readonly path: string;
  readonly cidr: Expr;
}

export interface OpenStackInfrastructureProps {
  readonly context: TenantContext;
  /**
   * Values path of the settings ({@link OpenStackInfrastructureValues}).
   * @default 'infrastructure.openstack'
   */
  readonly valuesPath?: string;
  /**
   * CIDRs `network.nodeCidr` must not overlap (the tenant's pod and Service CIDRs).
   * @default - none
   */
  readonly disjointFrom?: readonly NamedCidr[];
}

/**
 * The `OpenStackCluster` of cluster-api-provider-openstack v0.14: the nodes' network (existing, or a network,
 * subnet and router CAPO creates and deletes), the managed worker security group, and the identity (a Secret the
 * operator created, only referenced). Unlike the `KubevirtCluster` it is *not* marked externally managed: CAPO
 * must reconcile it (network, security groups, `status.ready`, `status.network`), or no machine is ever created
 * (`ResourceIsNotExternallyManaged` filter in controllers/openstackcluster_controller.go `SetupWithManager`;
 * the machine controller waits for `Status.Ready`).
 *
 * The control plane endpoint is Kamaji's Service, so CAPO's own API load balancer and floating IP are off, and
 * three fields are never rendered although CAPO reads them: the Kamaji provider patches `apiServerFixedIP` and
 * `apiServerPort` once it knows the Service's address (kamajicontrolplane_controller_cluster_patch.go,
 * `patchOpenStackCluster`, v0.19.0), and CAPO derives `controlPlaneEndpoint` from them
 * (`reconcileControlPlaneEndpoint`). Rendering any of them would make Helm own a field the provider owns: Helm 4's
 * server-side apply then conflicts on upgrade, and CAPO's webhook refuses to change them after the first time.
 * @see https://github.com/clastix/cluster-api-control-plane-provider-kamaji/blob/v0.19.0/docs/providers-openstack.md
 */
export class OpenStackInfrastructure extends Construct {
  /** The `apiVersion`/`kind` the Cluster's `infrastructureRef` uses. */
  public static readonly REF = { apiVersion: OpenStackCluster.GVK.apiVersion, kind: OpenStackCluster.GVK.kind };

  public readonly resource: ApiObject;
  /** Whether CAPO creates the network (no existing network or subnet given). */
  public readonly managedNetwork: Expr;

  public constructor(scope: Construct, id: string, props: OpenStackInfrastructureProps) {
    super(scope, id);
    const { context } = props;
    const path = props.valuesPath ?? 'infrastructure.openstack';
    const v = valuesAt(path);
    const networkID = v.str('network.id');
    const networkFilter = v.map('network.filter');
    const subnetID = v.str('network.subnetID');
    const subnetFilter = v.map('network.subnetFilter');
    const externalNetworkID = v.str('externalNetworkID');
    const routerID = v.str('network.routerID');
    const mtu = v.int('network.mtu');
    const dnsNameservers = v.list('network.dnsNameservers');
    const hasNetwork = or(ne(networkID, ''), networkFilter);
    const hasSubnet = or(ne(subnetID, ''), subnetFilter);
    const existing = or(hasNetwork, hasSubnet);
    this.managedNetwork = not(existing);
    const region = v.str('identity.region');
    const workerRules = v.list('securityGroups.workerRules');
    const tags = v.list('tags');

    this.checks(path, props.disjointFrom ?? []);

    this.resource = new ApiObject(this, 'Resource', {
      ...OpenStackCluster.GVK,
      metadata: {
        name: `${resourcePrefixOf(context)}`,
        namespace: `${context.namespace}`,
        labels: context.labels(),
      },
      spec: {
        // Only referenced: the Secret (keys clouds.yaml and cacert, pkg/scope/provider.go) is the operator's.
        identityRef: {
          name: v.str('identity.secretName'),
          cloudName: v.str('identity.cloudName'),
          region: whenField(ne(region, ''), region),
        },
        network: whenField(hasNetwork, {
          id: whenField(ne(networkID, ''), networkID),
          filter: whenField(networkFilter, networkFilter),
        }),
        subnets: whenField(hasSubnet, [{
          id: whenField(ne(subnetID, ''), subnetID),
          filter: whenField(subnetFilter, subnetFilter),
        }]),
        managedSubnets: whenField(this.managedNetwork, [{
          cidr: v.str('network.nodeCidr'),
          dnsNameservers: whenField(dnsNameservers, dnsNameservers),
        }]),
        router: whenField(and(this.managedNetwork, ne(routerID, '')), { id: routerID }),
        networkMTU: whenField(and(this.managedNetwork, gt(mtu, 0)), mtu),
        externalNetwork: whenField(ne(externalNetworkID, ''), { id: externalNetworkID }),
        // An existing network needs no router and no API floating IP: without a named external network CAPO
        // would fail when the cloud has several ("It is an error if ExternalNetwork is not defined and there are
        // multiple external networks unless DisableExternalNetwork is also set", api/v1beta1 ExternalNetwork).
        disableExternalNetwork: whenField(and(existing, eq(externalNetworkID, '')), true),
        // Kamaji's Service is the endpoint: no CAPO load balancer, no floating IP (CAPO would allocate one
        // when neither is disabled, reconcileControlPlaneEndpoint).
        apiServerLoadBalancer: { enabled: false },
        disableAPIServerFloatingIP: true,
        managedSecurityGroups: whenField(v.bool('securityGroups.managed'), {
          allowAllInClusterTraffic: v.bool('securityGroups.allowAllInClusterTraffic'),
          workerNodesSecurityGroupRules: whenField(workerRules, workerRules),
        }),
        tags: whenField(tags, tags),
      },
    });
  }

  private checks(path: string, disjointFrom: readonly NamedCidr[]): void {
    const v = valuesAt(path);
    const secretName = v.str('identity.secretName');
    new RenderCheck(this, 'IdentityGiven', {
      failWhen: eq(secretName, ''),
      message: lit(`${path}.identity.secretName: required: the Secret (keys clouds.yaml and, optionally, cacert) with the OpenStack credentials, in the release namespace`),
    });
    new RenderCheck(this, 'NetworkByIdOrFilter', {
      failWhen: and(ne(v.str('network.id'), ''), v.map('network.filter')),
      message: lit(`${path}.network: give id or filter, not both`),
    });
    new RenderCheck(this, 'SubnetByIdOrFilter', {
      failWhen: and(ne(v.str('network.subnetID'), ''), v.map('network.subnetFilter')),
      message: lit(`${path}.network: give subnetID or subnetFilter, not both`),
    });
    const existing = or(ne(v.str('network.id'), ''), v.map('network.filter'), ne(v.str('network.subnetID'), ''), v.map('network.subnetFilter'));
    for (const [key, set] of [
      ['dnsNameservers', v.list('network.dnsNameservers')],
      ['mtu', gt(v.int('network.mtu'), 0)],
      ['routerID', ne(v.str('network.routerID'), '')],
    ] as const) {
      new RenderCheck(this, `ManagedOnly-${key}`, {
        failWhen: and(existing, set),
        message: lit(`${path}.network.${key}: only applies when CAPO creates the network (no id, filter, subnetID or subnetFilter given)`),
      });
    }
    const duplicate = DUPLICATE_FIELD.call(v.list('securityGroups.workerRules'), lit('name'));
    new RenderCheck(this, 'UniqueRuleNames', {
      failWhen: ne(duplicate, ''),
      message: concat(`${path}.securityGroups.workerRules: two rules are named "`, duplicate, '" (names must be unique)'),
    });
    const nodeCidr = v.str('network.nodeCidr');
    for (const other of disjointFrom) {
      new RenderCheck(this, `NoOverlap-${other.path}`, {
        failWhen: CIDRS_OVERLAP.call(nodeCidr, other.cidr),
        message: concat(`${path}.network.nodeCidr: `, nodeCidr, ` overlaps ${other.path} `, other.cidr),
      });
    }
  }
}
