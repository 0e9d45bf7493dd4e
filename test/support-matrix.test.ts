/**
 * The support matrix: every pin has a recorded source, pins are well-formed, and `kubernetes.version`
 * accepts exactly the patches the matrix knows (issue 8), on every backend.
 */
import * as fs from 'fs';
import * as path from 'path';
import { PINNED, PinnedField, SUPPORT_MATRIX, SUPPORTED_MINORS, SUPPORTED_VERSIONS_TEXT, supportFor } from '../src/support-matrix';
import { expectRefused, expectRendered } from './harness/backends';
import { K8sObject } from './harness/objects';

const PINNED_FIELDS: readonly PinnedField[] = ['defaultVersion', 'containerDiskImage', 'konnectivityVersion', 'clusterAutoscalerImage', 'ciliumChartVersion'];
const BASE = { addons: { csi: { enabled: false } }, nodeGroups: { md0: {} } };

describe('pins', () => {
  test('every pin of every minor records where it was seen', () => {
    const missing: string[] = [];
    for (const [minor, pins] of Object.entries(PINNED)) {
      // Any field added to PinnedMinor is a pin and needs a source too.
      for (const field of Object.keys(pins) as PinnedField[]) {
        const p = pins[field];
        if (typeof p?.value !== 'string' || p.value === '' || typeof p.source !== 'string' || p.source.trim().length < 20) missing.push(`${minor}.${field}`);
      }
      for (const field of PINNED_FIELDS) if (!(field in pins)) missing.push(`${minor}.${field} (absent)`);
    }
    expect(missing).toEqual([]);
  });

  test('sources name an upstream repository and a tag, commit or file', () => {
    for (const pins of Object.values(PINNED)) {
      for (const p of Object.values(pins)) expect(p.source).toMatch(/[a-z0-9-]+\/[a-z0-9.-]+.*(tag|[0-9a-f]{7,}|#\d+|\.(ya?ml|go|mod|tag))/);
    }
  });

  test.each(SUPPORTED_MINORS)('%s: pins belong to the minor (Kubernetes, Konnectivity v0.<minor>, autoscaler, image)', (minor) => {
    const e = SUPPORT_MATRIX[minor];
    const m = minor.split('.')[1];
    expect(e.defaultVersion).toMatch(new RegExp(`^v1\\.${m}\\.(0|[1-9][0-9]*)$`));
    expect(e.konnectivityVersion).toMatch(new RegExp(`^v0\\.${m}\\.\\d+$`));
    expect(e.clusterAutoscalerImage).toMatch(new RegExp(`^registry\\.k8s\\.io/autoscaling/cluster-autoscaler:v1\\.${m}\\.\\d+$`));
    // A floating tag (`:v1.34`) is rebuilt by whoever publishes it: the default image is pinned by digest.
    expect(e.containerDiskImage).toMatch(new RegExp(`^ghcr\\.io/cozystack/cozystack/ubuntu-container-disk:v1\\.${m}-v[0-9.]+@sha256:[0-9a-f]{64}$`));
    expect(e.ciliumChartVersion).toMatch(/^1\.(18|19)\.\d+$/);
  });
});

describe('kubernetes.version', () => {
  const versionOf = (objects: K8sObject[]) => objects.find((o) => o.kind === 'KamajiControlPlane')!.spec.version;

  test.each(SUPPORTED_MINORS)('%s: the minor alone is its newest patch; every patch up to it renders', (minor) => {
    const newest = SUPPORT_MATRIX[minor].defaultVersion;
    expect(supportFor(`v${minor}`).version).toBe(newest);
    expect(supportFor(`${minor}.0`).version).toBe(`v${minor}.0`);
    expect(supportFor(newest).version).toBe(newest);
  });

  test('on every backend: a known patch renders, the minor gives the newest', () => {
    expect(versionOf(expectRendered({ ...BASE, kubernetes: { version: '1.33.2' } }))).toBe('v1.33.2');
    expect(versionOf(expectRendered({ ...BASE, kubernetes: { version: 'v1.35' } }))).toBe(SUPPORT_MATRIX['1.35'].defaultVersion);
  });

  test('a patch newer than the matrix knows is refused on every backend, listing the supported versions', () => {
    const next = `v1.34.${Number(SUPPORT_MATRIX['1.34'].defaultVersion.split('.')[2]) + 1}`;
    expectRefused({ ...BASE, kubernetes: { version: next } }, 'kubernetes.version',
      `kubernetes.version: ${next} is not a known release of Kubernetes 1.34 (the newest the chart knows is ${SUPPORT_MATRIX['1.34'].defaultVersion}); supported versions: ${SUPPORTED_VERSIONS_TEXT}, or a minor alone for its newest patch`);
    expect(SUPPORTED_VERSIONS_TEXT).toContain('v1.31.0–v1.31.14');
  });

  test.each(['v1.34.01', '1.32.0099', 'v1.33.99999999999999999999'])('%s is refused (no leading zeros; Go\'s atoi would overflow)', (version) => {
    expectRefused({ ...BASE, kubernetes: { version } }, 'kubernetes.version', `kubernetes.version: ${version} is not a known release`);
  });
});

describe('management cluster prerequisites (README)', () => {
  /**
   * The Cluster API contract each CAPK minor declares (kubernetes-sigs/cluster-api-provider-kubevirt
   * metadata.yaml at v0.10.5 and v0.11.2: `minor: 10, contract: v1beta1`, `minor: 11, contract: v1beta2`;
   * go.mod: sigs.k8s.io/cluster-api v1.10.9 and v1.11.4). The v1beta2 contract needs Cluster API ≥ 1.11.
   */
  const CAPK = [{ minor: 'v0.10', clusterApi: 'Cluster API 1.10' }, { minor: 'v0.11', clusterApi: 'Cluster API ≥ 1.11' }];

  test.each(CAPK)('the README pairs CAPK $minor with $clusterApi', ({ minor, clusterApi }) => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const row = readme.split('\n').find((l) => l.startsWith('| cluster-api-provider-kubevirt'))!;
    expect(row).toContain(`${minor} with ${clusterApi}`);
  });
});
