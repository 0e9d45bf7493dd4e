#!/usr/bin/env node
// Regenerates src/imports/ (cdk8s L1 classes) from the vendored upstream CRDs in test/schemas/crds.
// `cdk8s import` takes one CRD file per call and may crash on its online upgrade check, hence the loop
// and --no-check-upgrade. Each module is named explicitly so that both API targets can coexist.
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const CRDS = path.join(ROOT, 'test', 'schemas', 'crds');
const MODULES = {
  // API target v1beta1: Cluster API 1.10 and the Kamaji provider v0.19.
  'capi-cluster-v1beta1': 'cluster-api-v1.10/cluster.x-k8s.io_clusters.yaml',
  'capi-machinedeployment-v1beta1': 'cluster-api-v1.10/cluster.x-k8s.io_machinedeployments.yaml',
  'capi-machinehealthcheck-v1beta1': 'cluster-api-v1.10/cluster.x-k8s.io_machinehealthchecks.yaml',
  'capi-kubeadmconfigtemplate-v1beta1': 'cluster-api-v1.10/bootstrap.cluster.x-k8s.io_kubeadmconfigtemplates.yaml',
  'kamaji-controlplane-v1alpha1': 'kamaji-controlplane-provider-v0.19/controlplane.cluster.x-k8s.io_kamajicontrolplanes.yaml',
  // Same in both targets.
  'kubevirt-cluster': 'cluster-api-provider-kubevirt/infrastructure.cluster.x-k8s.io_kubevirtclusters.yaml',
  'kubevirt-machinetemplate': 'cluster-api-provider-kubevirt/infrastructure.cluster.x-k8s.io_kubevirtmachinetemplates.yaml',
  'openstack-cluster': 'cluster-api-provider-openstack/infrastructure.cluster.x-k8s.io_openstackclusters.yaml',
  'openstack-machinetemplate': 'cluster-api-provider-openstack/infrastructure.cluster.x-k8s.io_openstackmachinetemplates.yaml',
  'flux-helmrelease': 'flux/helm.toolkit.fluxcd.io_helmreleases.yaml',
  'flux-helmrepository': 'flux/source.toolkit.fluxcd.io_helmrepositories.yaml',
  'flux-ocirepository': 'flux/source.toolkit.fluxcd.io_ocirepositories.yaml',
  // The VPN's per-tenant PKI (addons.vpn).
  'cert-manager-issuer': 'cert-manager/cert-manager.io_issuers.yaml',
  'cert-manager-certificate': 'cert-manager/cert-manager.io_certificates.yaml',
};

for (const [name, file] of Object.entries(MODULES)) {
  execFileSync('npx', ['cdk8s', 'import', '--no-check-upgrade', '-l', 'typescript', '-o', path.join(ROOT, 'src', 'imports'),
    `${name}:=${path.join(CRDS, file)}`], { stdio: 'inherit', cwd: ROOT });
}
