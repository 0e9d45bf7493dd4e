import * as fc from 'fast-check';
import { renderChart, validateValues } from '../src/render';
import { validCaseArb, invalidCaseArb, MUTATION_KINDS } from './harness/values-arbitrary';
const samples = fc.sample(validCaseArb, { seed: Number(process.env.SEED ?? 1), numRuns: Number(process.env.N ?? 300) });
let bad = 0; const msgs = new Map<string, number>();
for (const c of samples) {
  const v = validateValues('tenant-cluster', c.values);
  if (v.length) { bad++; console.log('schema', v.slice(0, 3)); continue; }
  try { renderChart('tenant-cluster', c.values, { release: c.release, namespace: c.namespace }); }
  catch (e) { bad++; const m = String((e as Error).message).slice(0, 160); msgs.set(m, (msgs.get(m) ?? 0) + 1); if (msgs.get(m) === 1) console.log('render', m, '\n  ', JSON.stringify(c).slice(0, 400)); }
}
console.log('valid bad', bad, 'of', samples.length);
for (const k of MUTATION_KINDS) {
  const inv = fc.sample(invalidCaseArb([k]), { seed: 2, numRuns: 40 });
  let ok = 0;
  for (const c of inv) {
    let msg = 'ACCEPTED';
    try { renderChart('tenant-cluster', c.values, { release: c.release, namespace: c.namespace }); } catch (e) { msg = (e as Error).message; }
    if (msg !== 'ACCEPTED' && msg.includes(c.path)) ok++;
    else console.log(k, c.path, c.description, '=>', msg.slice(0, 300));
  }
  console.log(k, ok, '/', inv.length);
}
