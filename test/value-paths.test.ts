/**
 * Typed value paths: every path the chart models read exists in the chart's values schema (generated
 * from the TypeScript values interfaces) with the type read (`int` an integer, `bool` a boolean …), so
 * a construct that reads `controlPlane.replicaz`, or `replicas` as a string, fails here rather than
 * rendering an empty field. The checker itself is tested on a model with such mistakes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { CHARTS } from '../src/charts';
import { Each, eachItem, MERGE_DEFAULTS, RenderCheck, Values, valuesAt, When } from '../src/expr';
import { chartModel } from '../src/generator/chart-model';
import { buildMiniChart } from './harness/mini-chart';
import { valuePathProblems, valuePathsRead } from './harness/value-paths';

const ROOT = path.resolve(__dirname, '..');
const schemaOf = (chart: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'charts', chart, 'values.schema.json'), 'utf8'));

test.each(Object.keys(CHARTS))('%s: every value path the model reads is in the values schema with the type read', (chart) => {
  const model = chartModel(CHARTS[chart]);
  expect(valuePathProblems(model, schemaOf(chart))).toEqual([]);
  // The check sees the model's reads (not an empty walk): the top-level values each chart is built on.
  expect(valuePathsRead(model).length).toBeGreaterThan(chart === 'tenant-cluster' ? 100 : 10);
});

test('the checker names missing paths and wrong types, through values, node-group variables and eachItem lists', () => {
  const schema = schemaOf('tenant-cluster');
  const mini = buildMiniChart((ch) => {
    const groups = new Each(ch, 'Groups', { collection: Values.map('nodeGroups'), keyVar: 'groupName', itemVar: 'groupValues' });
    const group = groups.let('group', MERGE_DEFAULTS.call(Values.map('nodeGroupDefaults'), groups.item));
    new ApiObject(new When(groups, 'On', group.bool('autoscaling.enabled')), 'Probe', {
      apiVersion: 'test/v1',
      kind: 'Probe',
      metadata: { name: 'p' },
      ok: [valuesAt('controlPlane').int('replicas'), group.int('replicas'), group.str('kubevirt.memory')],
      typo: valuesAt('controlPlane').int('replicaz'),
      wrongType: Values.str('controlPlane.replicas'),
      groupTypo: group.str('kubevirt.memroy'),
      groupWrongType: group.bool('replicas'),
      disks: eachItem(group.map('kubevirt.extraDisks'), { key: 'diskName', item: 'disk' }, (disk) => ({ size: disk.str('size'), bad: disk.int('size') })),
    });
    new RenderCheck(ch, 'Check', { failWhen: Values.bool('addons.cni.enabledd'), message: Values.str('addons.cni.type') });
  });
  try {
    expect(valuePathProblems(mini.templates, schema)).toEqual([
      { path: '$disk.size', read: 'int', schema: 'string' },
      { path: '$group.kubevirt.memroy', read: 'string', schema: 'missing' },
      { path: '$group.replicas', read: 'bool', schema: 'integer' },
      { path: '.Values.addons.cni.enabledd', read: 'bool', schema: 'missing' },
      { path: '.Values.controlPlane.replicas', read: 'string', schema: 'integer' },
      { path: '.Values.controlPlane.replicaz', read: 'int', schema: 'missing' },
    ]);
  } finally {
    mini.dispose();
  }
});
