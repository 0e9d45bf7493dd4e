import { renderChart } from '../src/render';
import { helmBinaries, runHelmAsync } from './harness/helm';
import * as fs from 'fs';
const { validateObjects } = require('./harness/validate');
const docs: Record<string, unknown> = JSON.parse(process.argv[2]);
(async () => {
  const values = docs;
  fs.writeFileSync('/tmp/repro-values.json', JSON.stringify(values));
  try {
    const objs = renderChart('tenant-cluster', values, { release: 'demo', namespace: 'tenant-demo' });
    const errs = validateObjects(objs, 'v1beta1');
    console.log('renderChart ok; validity errors:', JSON.stringify(errs, null, 1));
    const pick = process.argv[3];
    if (pick) for (const o of objs as any[]) if (JSON.stringify(o).includes(pick)) console.log('eval:', JSON.stringify(o).slice(0, 800));
  } catch (e) { console.log('renderChart error:', (e as Error).message); }
  for (const h of helmBinaries()) {
    const r = await runHelmAsync(h, ['template', 'demo', 'charts/tenant-cluster', '-n', 'tenant-demo', '-f', '/tmp/repro-values.json']);
    const pick = process.argv[3];
    console.log(h.name, 'exit', r.code, r.stderr.slice(0, 500));
    if (pick) for (const d of r.stdout.split('\n---')) if (d.includes(pick)) console.log(h.name, ':', d.slice(0, 800));
  }
})();
