import * as fc from 'fast-check';
import { renderChart } from '../src/render';
import { validCaseArb } from './harness/values-arbitrary';
const { validateObjects } = require('./harness/validate');
const samples = fc.sample(validCaseArb, { seed: Number(process.env.SEED ?? 1), numRuns: Number(process.env.N ?? 300) });
const seen = new Map<string, number>();
let bad = 0;
for (const c of samples) {
  const objs = renderChart('tenant-cluster', c.values, { release: c.release, namespace: c.namespace });
  const errs = validateObjects(objs, 'v1beta1') as Array<{ object: string; path: string; message: string }>;
  if (errs.length) bad++;
  for (const e of errs) {
    const k = `${e.object.replace(/\/[^/]*$/, '')} ${e.path.replace(/\d+/g, 'N')}: ${e.message.slice(0, 120)}`;
    seen.set(k, (seen.get(k) ?? 0) + 1);
    if (seen.get(k) === 1) console.log(k, '\n   ', JSON.stringify(c).slice(0, 1500));
  }
}
console.log('docs with errors', bad, 'of', samples.length);
for (const [k, n] of seen) console.log(n, k);
