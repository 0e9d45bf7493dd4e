import * as fc from 'fast-check';
import { validateValues } from '../src/render';
import { validCaseArb } from '../test/harness/values-arbitrary';
const samples = fc.sample(validCaseArb, { seed: 1, numRuns: 1000 });
let bad = 0;
for (const c of samples) {
  const v = validateValues('tenant-cluster', c.values);
  if (v.length) { bad++; if (bad < 6) console.log(v.slice(0, 5), JSON.stringify(c.values).slice(0, 300)); }
}
console.log('bad', bad, 'of', samples.length);
