/**
 * `ValuesAdapter`: a chart whose templates read `.Values` computed from its own values (what the Magnum chart does
 * to bind the driver's document to tenant-cluster's constructs). Both backends (Helm 3 and 4, in-process) must see
 * the same adapted values in objects, scopes, content hashes, hoisted defines and checks, and a precompiled model
 * must carry the adapter.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import {
  and, coalesceValues, concat, ContentHash, defaultTo, Each, eq, evaluateChart, HELPER_FACTORIES, lit, MERGE_DEFAULTS, readModel, RenderCheck,
  structure, templateFolder, TemplateFunction, Values, ValuesAdapter, When, writeModel,
} from '../src/expr';
import { TEMPLATE_FUNCTIONS } from '../src/template-functions';
import { buildMiniChart, MiniChart, MINI_CHART_NAME, MINI_RELEASE, objectNamed, renderAgreeing, renderFailing, sortObjects } from './harness/mini-chart';

/**
 * The chart's own values: `{cluster, workers: [{name, count, autoscale?: "true"}], note}`. Adapted: a map of groups
 * keyed by name (as tenant-cluster's), defaults merged under them, and the original document under `raw`.
 */
function adapterChart(): MiniChart {
  return buildMiniChart((ch) => {
    new ValuesAdapter(ch, 'Adapter', {
      values: MERGE_DEFAULTS.call(structure({ settings: { replicas: 1, enabled: true, tier: 'basic' }, groups: {}, note: '' }), structure({
        clusterName: concat('c-', Values.str('cluster')),
        groups: GROUPS_BY_NAME.call(Values.list('workers')),
        settings: { enabled: eq(Values.str('mode'), 'on') },
        note: defaultTo(Values.str('note'), 'none'),
        raw: Values.map(''),
      })),
    });
    new RenderCheck(ch, 'RawCheck', { failWhen: eq(Values.str('raw.cluster'), 'bad'), message: lit('cluster: "bad" is refused (read from the raw document)') });
    const groups = new Each(ch, 'Groups', { collection: Values.map('groups'), keyVar: 'groupName', itemVar: 'group' });
    new RenderCheck(groups, 'Bounds', {
      failWhen: and(groups.item.bool('autoscale'), eq(groups.item.int('count'), 0)),
      message: concat('workers: group ', groups.key, ' autoscales from 0'),
    });
    const config = new ApiObject(groups, 'Config', {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: `${concat(Values.str('clusterName'), '-', groups.key)}` },
      data: { count: concat(groups.item.int('count')), replicas: concat(Values.int('settings.replicas')), tier: Values.str('settings.tier') },
    });
    new ApiObject(groups, 'Deployment', {
      apiVersion: 'v1', kind: 'Deployment',
      metadata: { name: `${concat(Values.str('clusterName'), '-', groups.key, '-', new ContentHash(config, ['data'], 'configHash'))}` },
      // A multi-line string (hoisted into a define) ending the file: its last line break must survive the wrapping.
      spec: { script: concat('#!/bin/sh\necho ', Values.str('note'), '\n') },
    });
    templateFolder(groups);
    new ApiObject(new When(ch, 'Enabled', Values.bool('settings.enabled')), 'Flag', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flag' }, data: { mode: Values.str('raw.mode') },
    });
  }, { cluster: 'demo', workers: [], mode: 'off', note: '' });
}

/** `[{name, …}]` → `{name: {…}}` (a list keyed by its items' names, as the Magnum chart keys node groups). */
const GROUPS_BY_NAME = new TemplateFunction({
  name: 'test.groupsByName',
  params: ['list'],
  result: 'map',
  goBody: `
{{- $out := dict -}}
{{- range $item := (default (list) .list) }}{{ $_ := set $out (toString $item.name) $item }}{{ end -}}
{{- toJson $out -}}`,
  evaluate: (list: unknown) => Object.fromEntries(((list ?? []) as Array<Record<string, unknown>>).map((i) => [String(i.name), i])),
});

let chart: MiniChart;
beforeAll(() => {
  chart = adapterChart();
});
afterAll(() => chart?.dispose());

describe('ValuesAdapter', () => {
  test('objects, scopes and content hashes read the adapted values in Helm 3, Helm 4 and the evaluator', async () => {
    const objects = await renderAgreeing(chart, {
      cluster: 'acme', mode: 'on', note: 'hi', workers: [{ name: 'b', count: 2 }, { name: 'a', count: 3, autoscale: 'true' }],
    });
    expect(objects.filter((o) => o.kind === 'ConfigMap').map((o: any) => [o.metadata.name, o.data])).toEqual([
      ['c-acme-a', { count: '3', replicas: '1', tier: 'basic' }],
      ['c-acme-b', { count: '2', replicas: '1', tier: 'basic' }],
      ['flag', { mode: 'on' }],
    ]);
    const deployment = objects.find((o: any) => o.kind === 'Deployment' && o.metadata.name.startsWith('c-acme-a-')) as any;
    expect(deployment.metadata.name).toMatch(/^c-acme-a-[0-9a-f]{8}$/);
    expect(deployment.spec.script).toBe('#!/bin/sh\necho hi\n');
  });

  test('defaults the adapter merges in, and a `when` on an adapted value', async () => {
    const objects = await renderAgreeing(chart, { cluster: 'x', workers: [{ name: 'g', count: 1 }] });
    // settings.enabled: the adapter's `eq(mode, "on")` is false without a mode; replicas and tier from the defaults.
    expect(objects.map((o: any) => `${o.kind}/${o.metadata.name}`).filter((n) => n.startsWith('ConfigMap'))).toEqual(['ConfigMap/c-x-g']);
    expect(objectNamed(objects, 'ConfigMap', 'c-x-g').data).toEqual({ count: '1', replicas: '1', tier: 'basic' });
    expect((objects.find((o) => o.kind === 'Deployment') as any).spec.script).toBe('#!/bin/sh\necho none\n');
  });

  test('checks read the adapted values, the raw document through the adapter, in every engine', async () => {
    await renderFailing(chart, { cluster: 'bad' }, 'cluster: "bad" is refused (read from the raw document)');
    await renderFailing(chart, { cluster: 'ok', workers: [{ name: 'zero', count: 0, autoscale: 'true' }] }, 'workers: group zero autoscales from 0');
  });

  test('every file is a define included with the adapted root; _helpers.tpl computes the adapted values once per file', () => {
    for (const [name, text] of Object.entries(chart.files)) {
      if (!name.startsWith('templates/') || name.endsWith('_helpers.tpl')) continue;
      expect({ name, wrapped: text.includes(`(dict "Values" (include "${MINI_CHART_NAME}.adaptedValues" $ | fromJson) "Release" $.Release "Chart" $.Chart)`) })
        .toEqual({ name, wrapped: true });
    }
    expect(chart.files['templates/_helpers.tpl']).toContain(`{{- define "${MINI_CHART_NAME}.adaptedValues" -}}`);
  });

  test('a precompiled model carries the adapter and renders the same', () => {
    const data = JSON.parse(JSON.stringify(writeModel(chart.templates, { name: MINI_CHART_NAME, version: '0.1.0' }, chart.defaults,
      [...TEMPLATE_FUNCTIONS, GROUPS_BY_NAME])));
    expect(data.valuesAdapter).toEqual({ r: expect.any(Number) });
    const model = readModel(data, [...TEMPLATE_FUNCTIONS, GROUPS_BY_NAME], HELPER_FACTORIES);
    const user = { cluster: 'm', mode: 'on', workers: [{ name: 'g', count: 4 }] };
    const inputs = { values: coalesceValues(chart.defaults, user), release: MINI_RELEASE, chart: { name: MINI_CHART_NAME, version: '0.1.0' } };
    expect(sortObjects(evaluateChart(model.templates, inputs))).toEqual(sortObjects(evaluateChart(chart.templates, inputs)));
  });

  test('at most one adapter, outside every scope', () => {
    expect(() => buildMiniChart((ch) => {
      new ValuesAdapter(ch, 'A', { values: Values.map('') });
      new ValuesAdapter(ch, 'B', { values: Values.map('') });
    })).toThrow(/one ValuesAdapter per chart/);
    expect(() => buildMiniChart((ch) => {
      new ValuesAdapter(new When(ch, 'W', lit(true)), 'A', { values: Values.map('') });
    })).toThrow(/outside every When and Each/);
    expect(() => new ValuesAdapter(new Chart(new App(), 'c'), 'A', { values: Values.str('x') }))
      .toThrow(/must be a map expression/);
  });
});
