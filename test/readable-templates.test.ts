/**
 * The generated charts read like hand-written ones (issue 13): a budget on the committed templates, the
 * file layout as a contract, and the expression printer's rules on a mini chart whose every output
 * Helm 3, Helm 4 and the evaluation backend must agree on.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  and, CHECKS_FILE, codeLength, concat, eq, helmRenderOrder, labelsHelper, MAX_CODE_IN_DATA_LINE, MAX_LINE, named, ne, not, or, Release, structure, TemplateFunction,
  ternary, Values, When, whenField, withinLineBudget, withLabels,
} from '../src/expr';
import { buildMiniChart, MiniChart, objectNamed, renderAgreeing } from './harness/mini-chart';

const ROOT = path.resolve(__dirname, '..');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const CHARTS = ['tenant-cluster', 'kubevirt-csi-node', 'openstack-cinder-csi-node', 'tenant-vpn-server'];
const templatesOf = (chart: string) => path.join(ROOT, 'charts', chart, 'templates');
const relFiles = (chart: string) => filesUnder(templatesOf(chart)).map((f) => path.relative(templatesOf(chart), f).split(path.sep).join('/')).sort();
const read = (chart: string, rel: string) => fs.readFileSync(path.join(templatesOf(chart), rel), 'utf8');

describe.each(CHARTS)('charts/%s/templates', (chart) => {
  test(`no line over ${MAX_LINE} characters but data (a line with at most ${MAX_CODE_IN_DATA_LINE} characters of code besides string literals)`, () => {
    const long = relFiles(chart).flatMap((f) => read(chart, f).split('\n').filter((l) => !withinLineBudget(l)).map((l) => `${f}: ${l}`));
    expect(long).toEqual([]);
    // The data lines left long are messages and scripts: their code is short.
    const data = relFiles(chart).flatMap((f) => read(chart, f).split('\n').filter((l) => l.length > MAX_LINE));
    expect(data.every((l) => codeLength(l) <= MAX_CODE_IN_DATA_LINE)).toBe(true);
  });

  test('conditions as a person writes them: no double negation or coercion where `if` tests truthiness', () => {
    const ifs = relFiles(chart).flatMap((f) => read(chart, f).split('\n').filter((l) => /\{\{-? if /.test(l)).map((l) => `${f}: ${l.trim()}`));
    expect(ifs.length).toBeGreaterThan(chart === 'tenant-cluster' ? 50 : 3);
    expect(ifs.filter((l) => /\(not \(not |\{\{-? if \(|\(not \(eq |\(not \(ne /.test(l))).toEqual([]);
  });

  test('every object file starts with a provenance line naming its construct source, which exists', () => {
    for (const f of relFiles(chart).filter((x) => x.endsWith('.yaml') && x !== CHECKS_FILE)) {
      const first = read(chart, f).split('\n')[0];
      const source = /^\{\{- \/\* Generated from (src\/\S+\.ts) \(\w+\)(, construct [\w/-]+)?; do not edit\. \*\/ -\}\}$/.exec(first);
      expect({ f, first, ok: source !== null }).toEqual({ f, first, ok: true });
      expect(fs.existsSync(path.join(ROOT, source![1]))).toBe(true);
    }
  });

  test('labels come from the <chart>.labels helper; the fullname helper is included at most once per file', () => {
    for (const f of relFiles(chart).filter((x) => x.endsWith('.yaml'))) {
      const text = read(chart, f);
      expect({ f, inline: /app\.kubernetes\.io\/managed-by:/.test(text) }).toEqual({ f, inline: false });
      expect({ f, fullnames: (text.match(new RegExp(`include "${chart}.fullname"`, 'g')) ?? []).length <= 1 }).toEqual({ f, fullnames: true });
      if (/^kind: /m.test(text)) expect({ f, helper: text.includes(`{{- include "${chart}.labels" $ | nindent 4 }}`) }).toEqual({ f, helper: true });
    }
  });

  test('every define is included somewhere (no dead helpers)', () => {
    const all = relFiles(chart).map((f) => read(chart, f)).join('\n');
    const defined = [...all.matchAll(/\{\{- define "([^"]+)"/g)].map((m) => m[1]);
    expect(defined.length).toBeGreaterThan(0);
    expect(defined.filter((d) => !all.includes(`include "${d}"`))).toEqual([]);
  });

  test('the checks file renders first in Helm\'s order (deeper paths first), so a failing check is the error Helm reports', () => {
    expect(helmRenderOrder(relFiles(chart).filter((f) => !path.basename(f).startsWith('_')))[0]).toBe(CHECKS_FILE);
  });
});

test('kind-named template files in component folders (construct ids are the contract)', () => {
  expect(relFiles('tenant-cluster')).toEqual([
    '_helpers.tpl',
    'calico/crds-helm-release.yaml', 'calico/crds-oci-repository.yaml', 'calico/helm-release.yaml', 'calico/oci-repository.yaml',
    'cilium/helm-release.yaml', 'cilium/oci-repository.yaml',
    'cinder-csi/config-map.yaml', 'cinder-csi/deployment.yaml', 'cinder-csi/helm-release.yaml', 'cinder-csi/oci-repository.yaml',
    'cinder-csi/pod-disruption-budget.yaml', 'cinder-csi/service-account.yaml',
    'cloud-controller-manager/cluster-role-binding.yaml', 'cloud-controller-manager/cluster-role.yaml', 'cloud-controller-manager/config-map.yaml',
    'cloud-controller-manager/deployment.yaml', 'cloud-controller-manager/pod-disruption-budget.yaml', 'cloud-controller-manager/role-binding.yaml',
    'cloud-controller-manager/role.yaml', 'cloud-controller-manager/service-account.yaml',
    'cloud-controller-manager/validating-admission-policy-binding.yaml', 'cloud-controller-manager/validating-admission-policy.yaml',
    'cluster-autoscaler/deployment.yaml', 'cluster-autoscaler/pod-disruption-budget.yaml', 'cluster-autoscaler/role-binding.yaml',
    'cluster-autoscaler/role.yaml', 'cluster-autoscaler/service-account.yaml',
    'cluster.yaml',
    'csi/cluster-role-binding.yaml', 'csi/cluster-role.yaml', 'csi/deployment.yaml', 'csi/helm-release.yaml', 'csi/oci-repository.yaml',
    'csi/pod-disruption-budget.yaml', 'csi/role-binding.yaml', 'csi/role.yaml', 'csi/service-account.yaml',
    'csi/snapshot-controller-helm-release.yaml', 'csi/snapshot-controller-oci-repository.yaml',
    'exclusive-namespace/config-map.yaml',
    'kamaji-control-plane.yaml',
    'kubelet-serving-cert-approver/helm-release.yaml', 'kubelet-serving-cert-approver/oci-repository.yaml',
    'kubevirt-cluster.yaml',
    'metrics-server/helm-release.yaml', 'metrics-server/oci-repository.yaml',
    'node-groups/kubeadm-config-template.yaml', 'node-groups/kubevirt-machine-template.yaml', 'node-groups/machine-deployment.yaml',
    'node-groups/machine-health-check.yaml', 'node-groups/openstack-kubeadm-config-template.yaml', 'node-groups/openstack-machine-deployment.yaml',
    'node-groups/openstack-machine-health-check.yaml', 'node-groups/openstack-machine-template.yaml',
    'openstack-cloud-controller-manager/config-map.yaml', 'openstack-cloud-controller-manager/deployment.yaml',
    'openstack-cloud-controller-manager/pod-disruption-budget.yaml', 'openstack-cloud-controller-manager/service-account.yaml',
    'openstack-cluster.yaml',
    'openvpn/ca-certificate.yaml', 'openvpn/ca-issuer.yaml', 'openvpn/client-certificate.yaml', 'openvpn/config-map.yaml', 'openvpn/helm-release.yaml',
    'openvpn/oci-repository.yaml', 'openvpn/self-signed-issuer.yaml', 'openvpn/server-certificate.yaml', 'openvpn/service.yaml',
    'repositories/calico-helm-repository.yaml', 'repositories/cilium-helm-repository.yaml', 'repositories/kubelet-csr-approver-helm-repository.yaml',
    'repositories/metrics-server-helm-repository.yaml', 'repositories/snapshot-controller-helm-repository.yaml',
    'repositories/tenant-cluster-helm-repository.yaml',
    'uninstall-cleanup/job.yaml', 'uninstall-cleanup/role-binding.yaml', 'uninstall-cleanup/role.yaml', 'uninstall-cleanup/service-account.yaml',
    'validate/values.yaml',
  ]);
  // The other charts: one component each, files at the top; the kubevirt-csi-node chart's StorageClass update hook in a folder.
  expect(relFiles('kubevirt-csi-node')).toEqual([
    '_helpers.tpl', 'cluster-role-binding.yaml', 'cluster-role.yaml', 'csi-driver.yaml', 'daemon-set.yaml', 'service-account.yaml',
    'storage-class-update/cluster-role-binding.yaml', 'storage-class-update/cluster-role.yaml', 'storage-class-update/job.yaml',
    'storage-class-update/service-account.yaml', 'storage-class.yaml', 'validate/values.yaml', 'volume-snapshot-class.yaml',
  ]);
  expect(relFiles('openstack-cinder-csi-node')).toEqual([
    '_helpers.tpl', 'cluster-role-binding.yaml', 'cluster-role.yaml', 'config-map.yaml', 'csi-driver.yaml', 'daemon-set.yaml', 'service-account.yaml',
    'storage-class.yaml', 'validate/values.yaml', 'volume-snapshot-class.yaml',
  ]);
  expect(relFiles('tenant-vpn-server')).toEqual([
    '_helpers.tpl', 'config-map.yaml', 'deployment.yaml', 'pod-disruption-budget.yaml', 'secret.yaml', 'service-account.yaml', 'service.yaml',
    'validate/values.yaml',
  ]);
});

test('the MachineDeployment binds the node group once and reads like a hand-written template', () => {
  const text = read('tenant-cluster', 'node-groups/machine-deployment.yaml');
  expect(text).toContain('{{- $group := include "tenant-cluster-lib.mergeDefaults" (dict "defaults" $.Values.nodeGroupDefaults "item" $groupValues) | fromJson }}');
  expect(text).toContain('{{- $deploymentName := printf "%v-%v" $clusterName $groupName }}');
  expect(text).toContain('  annotations:{{- if not $group.autoscaling.enabled }} {}{{- end }}');
  expect(text).toContain('  {{- if not $group.autoscaling.enabled }}\n  replicas: {{ $group.replicas | int64 }}');
  expect(text.match(/mergeDefaults/g)).toHaveLength(1);
});

test('the checks file merges each node group once for all its checks', () => {
  const text = read('tenant-cluster', CHECKS_FILE);
  expect(text.match(/range \$groupName, \$groupValues := \$\.Values\.nodeGroups/g)).toHaveLength(1);
  expect(text.replace(/\n +/g, ' ')).toContain('{{- if and $.Values.addons.cni.enabled (eq $.Values.addons.cni.type "cilium") '
    + '$.Values.addons.cni.cilium.kubeProxyReplacement $.Values.controlPlane.addons.kubeProxy.enabled }}');
});

// ---------------------------------------------------------------------------------------------
// The printer's rules, with Helm 3, Helm 4 and the evaluation backend agreeing on every output
// ---------------------------------------------------------------------------------------------

describe('printing rules', () => {
  let c: MiniChart;
  const defaults = { a: true, b: 'x', c: '', n: 2, name: 'demo', conf: { port: 8080, host: 'h.example' }, nameOverride: '' };
  const fullname = new TemplateFunction({
    name: 'mini.fullname', params: [], result: 'string', takesRoot: true, variable: 'fullname',
    goBody: '{{- default .Release.Name .Values.name -}}',
    evaluate: (env) => (env as { values: { name?: string } }).values.name || (env as { release: { name: string } }).release.name,
  });
  beforeAll(() => {
    c = buildMiniChart((ch) => {
      const a = Values.bool('a');
      const b = Values.str('b');
      const cv = Values.str('c');
      const clusterName = named('clusterName', fullname.call());
      const labels = labelsHelper('mini', { 'app.kubernetes.io/name': Values.str('name'), 'app.kubernetes.io/instance': Release.name }, [fullname]);
      const scope = new Construct(ch, 'Rules');
      new ApiObject(new When(scope, 'On', and(a, and(ne(b, ''), a), or(a, and(a, ne(cv, 'z'))))), 'Rules', {
        apiVersion: 'test/v1',
        kind: 'Rules',
        metadata: { name: `${clusterName}-rules`, labels: withLabels(labels, { extra: 'yes-static' }) },
        // `not (not x)` is `x` in a condition; `not (eq)` is `ne`.
        doubleNot: whenField(not(not(b)), 'shown'),
        notEq: whenField(not(eq(b, 'y')), 'shown'),
        bothOrNeither: whenField(or(and(a, ne(b, '')), and(a, ne(b, ''))), 'shown'),
        asBool: and(a, ne(b, '')),
        ternary: ternary(ne(b, ''), 'set', 'unset'),
        owner: `${clusterName}`,
        again: concat('owner-', clusterName),
        config: concat('  indented first line\nport: ', Values.int('conf.port'), '\nhost: ', Values.str('conf.host'), '\nliteral: {{ x }}\n'),
        values: structure({ port: Values.int('conf.port'), host: Values.str('conf.host'), nested: { list: [Values.str('b'), 'static', 3] }, flag: a }),
      });
    }, defaults);
  });
  afterAll(() => c.dispose());

  test('flattened, de-duplicated and absorbed conditions; ne for not-eq; no coercion in if', () => {
    const text = c.files['templates/rules.yaml'];
    expect(text).toContain('{{- if and $.Values.a (ne $.Values.b "") }}');
    expect(text).toContain('{{- if $.Values.b }}\ndoubleNot: shown');
    expect(text).toContain('{{- if ne $.Values.b "y" }}\nnotEq: shown');
    expect(text).toContain('{{- if and $.Values.a (ne $.Values.b "") }}\nbothOrNeither: shown');
    // Where a real bool is printed, `and` of a non-bool operand is coerced; `ternary` gets a comparison as is.
    expect(text).toContain('asBool: {{ not (not (and $.Values.a (ne $.Values.b ""))) }}');
    expect(text).toContain('ternary: {{ ternary "set" "unset" (ne $.Values.b "") | toJson }}');
  });

  test('a value used twice is bound once ($clusterName); labels through the helper, static labels after it', () => {
    const text = c.files['templates/rules.yaml'];
    expect(text.match(/include "mini.fullname"/g)).toHaveLength(1);
    expect(text).toContain('{{- $clusterName := include "mini.fullname" $ }}');
    expect(text).toContain('  labels:\n    {{- include "mini.labels" $ | nindent 4 }}\n    extra: yes-static');
    expect(c.files['templates/_helpers.tpl']).toContain('app.kubernetes.io/name: {{ $.Values.name | toJson }}');
  });

  test('a multi-line string is a text define, a map structure a YAML define bound once', () => {
    const text = c.files['templates/rules.yaml'];
    expect(text).toContain('{{- define "mini.rules.config" -}}\n{{ "" }}  indented first line\nport: {{ int64 $.Values.conf.port }}\n');
    expect(text).toContain('literal: {{ "{{" }} x }}\n{{ end }}');
    expect(text).toContain('{{- define "mini.rules.values" -}}\nport: {{ $.Values.conf.port | int64 }}\n');
    expect(text).toContain('{{- $values := include "mini.rules.values" $ | fromYaml }}');
    expect(text).toContain('values: {{ $values | toJson }}');
  });

  test('all three engines render the same object, for values that switch every branch', async () => {
    const on = objectNamed(await renderAgreeing(c), 'Rules', 'demo-rules');
    expect(on).toMatchObject({
      metadata: { labels: { 'app.kubernetes.io/name': 'demo', 'app.kubernetes.io/instance': 'rel', extra: 'yes-static' } },
      doubleNot: 'shown', notEq: 'shown', bothOrNeither: 'shown', asBool: true, ternary: 'set', owner: 'demo', again: 'owner-demo',
      config: '  indented first line\nport: 8080\nhost: h.example\nliteral: {{ x }}\n',
      values: { port: 8080, host: 'h.example', nested: { list: ['x', 'static', 3] }, flag: true },
    });
    const other = objectNamed(await renderAgreeing(c, { b: 'y', c: 'z', name: '', conf: { port: 9, host: 'é\u2028' } }), 'Rules', 'rel-rules');
    expect(other).toMatchObject({ doubleNot: 'shown', ternary: 'set', owner: 'rel', config: expect.stringContaining('host: é\u2028\n'), values: { host: 'é\u2028' } });
    expect(other.notEq).toBeUndefined();
    expect(await renderAgreeing(c, { a: false })).toEqual([]);
  });

  test('the mini chart text (for reading along)', () => {
    expect(c.files['templates/rules.yaml']).toMatchSnapshot();
  });
});
