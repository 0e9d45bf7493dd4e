/**
 * Unit tests of the expression compiler (src/expr): every expression kind, structural scope and
 * template function compiled by BOTH backends, the Go-template backend rendered by real Helm 3 and
 * Helm 4 and the evaluation backend in-process, with the objects of all three asserted equal and the
 * actual values asserted against targeted expectations. Go itself (through Helm's `toJson` and
 * `fromYaml`) is the oracle for the Go-compatible JSON encoder and for what Kubernetes reads.
 *
 * Every object of one mini chart has its own kind: objects of the same kind collide in one template
 * file (see "known bugs" at the bottom).
 */
import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  and, ARGS_LIST, CIDRS_OVERLAP, cidrsOverlap, concat, ContentHash, contentHash, defaultTo, Each, eachItem, eq, ge, goJson, gt,
  hasKey, le, len, lit, lt, matches, MERGE_DEFAULTS, ne, not, or, Release, RenderCheck, RenderError, ternary, Values,
  ValuesRef, When, whenField,
} from '../src/expr';
import {
  buildMiniChart, goEach, goYamlDocs, helmRaw, MiniChart, objectNamed, parseHelmOutput, renderAgreeing, renderEval, renderFailing, renderMini,
} from './harness/mini-chart';

/** An object of a test-only kind (`test/v1`); `body` holds every field besides apiVersion/kind/metadata. */
function probe(scope: Construct, kind: string, name: unknown, body: Record<string, unknown>): ApiObject {
  return new ApiObject(scope, kind, { apiVersion: 'test/v1', kind, metadata: { name: name as string }, ...body });
}

/** sha256 of a hand-written Go JSON encoding, truncated to 8 hex digits as `sha256sum | trunc 8` does. */
function sha8(goJsonText: string): string {
  return createHash('sha256').update(goJsonText, 'utf8').digest('hex').slice(0, 8);
}

const charts: MiniChart[] = [];
function chart(...args: Parameters<typeof buildMiniChart>): MiniChart {
  const c = buildMiniChart(...args);
  charts.push(c);
  return c;
}
afterAll(() => charts.forEach((c) => c.dispose()));

// =============================================================================================
// goJson: Go's encoding/json, with Go itself as the oracle
// =============================================================================================

describe('goJson', () => {
  test('sorts map keys bytewise (UTF-8), not by UTF-16 code unit', () => {
    const keys = { 'z': 1, '\u{10000}': 1, '\ufffd': 1, 'é': 1, 'a': 1, 'Z': 1, '_': 1, '1': 1, '': 1 };
    // U+10000 (F0 90 80 80) sorts after U+FFFD (EF BF BD) in UTF-8, before it in UTF-16 (D800 < FFFD).
    expect(goJson(keys)).toBe('{"":1,"1":1,"Z":1,"_":1,"a":1,"z":1,"é":1,"\ufffd":1,"\u{10000}":1}');
    expect(goJson({ b: { d: [1, 'x', null, true], c: {} }, a: [] })).toBe('{"a":[],"b":{"c":{},"d":[1,"x",null,true]}}');
  });

  test('escapes <, >, &, U+2028, U+2029 with lowercase hex; leaves DEL, NEL and non-ASCII raw', () => {
    expect(goJson('<a href="x">&</a>')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
    expect(goJson('\u2028\u2029')).toBe('"\\u2028\\u2029"');
    expect(goJson('\\\n\r\t\b\f\u0001\u001f')).toBe('"\\\\\\n\\r\\t\\b\\f\\u0001\\u001f"');
    expect(goJson('\u007f\u0085é😀')).toBe('"\u007f\u0085é😀"');
    expect(goJson('\u00ab\u00ff')).toBe('"\u00ab\u00ff"');
  });

  test('prints numbers as Go prints float64: shortest form, exponent below 1e-6 and from 1e21', () => {
    expect(goJson([1e21, 1e-7, 0.5, 2000000, 0.000001, 1e20, 123456789012345678901, 1.5e300, 5e-324, -1e-7, 3.0, 0.1]))
      .toBe('[1e+21,1e-7,0.5,2000000,0.000001,100000000000000000000,123456789012345680000,1.5e+300,5e-324,-1e-7,3,0.1]');
    expect(goJson(9007199254740993)).toBe('9007199254740992');
    // Go prints a float64 -0 as "-0"; data decoded by `fromYaml` from what the Go backend prints never
    // holds one (it prints -0 as "0" or "-0", which YAML reads as the integer 0), so 0 is right here.
    expect(goJson(-0)).toBe('0');
    expect(() => goJson(NaN)).toThrow(/unsupported value/);
    expect(() => goJson(Infinity)).toThrow(/unsupported value/);
  });

  test('contentHash is sha256 of the encoding, 8 hex digits', () => {
    expect(contentHash({ b: 1, a: '<' })).toBe(sha8('{"a":"\\u003c","b":1}'));
    expect(contentHash({})).toBe('44136fa3'); // sha256("{}")
  });

  test('agrees byte for byte with Go\'s toJson (Helm 3 and Helm 4) on values read from a JSON file', async () => {
    const inputs: unknown[] = [
      { 'z': 1, '\u{10000}': 1, '\ufffd': 1, 'é': 1, 'a': 1, 'Z': 1, '_': 1, '1': 1, '': 1 },
      '<>&\u2028\u2029"\\\n\r\t\b\f\u0001\u001f\u007f\u0085é😀\u00a0',
      [1e21, 1e-7, 0.5, 2000000, 0.000001, 1e20, 123456789012345678901, 1.5e300, 5e-324, -1e-7, 0.1, 9007199254740991, 9007199254740993],
      { nested: { list: [{ b: true, a: null }], empty: {}, none: [] }, s: '' },
      'plain', 0, -2000000, true, null,
    ];
    // Values read from a file are what JSON.parse gives here too (all numbers float64).
    const roundTripped = JSON.parse(JSON.stringify(inputs)) as unknown[];
    for (const go of await goEach(inputs, '$in | toJson')) {
      expect({ helm: go.name, json: go.outputs }).toEqual({ helm: go.name, json: roundTripped.map(goJson) });
    }
  });

  test('Go facts the encoder relies on: -0 prints as "-0" directly but never survives the hash path', async () => {
    // The hash path is `<rendered text> | fromYaml | toJson`. The Go backend prints a -0 as "-0" (toJson)
    // or "0" (int64, toYaml); YAML reads "-0" as the integer 0. Only "-0.0" (never printed) gives -0.
    for (const g of await goEach(['a: -0', 'a: -0.0', 'a: 0.0'], '$in | fromYaml | toJson')) {
      expect({ helm: g.name, json: g.outputs }).toEqual({ helm: g.name, json: ['{"a":0}', '{"a":-0}', '{"a":0}'] });
    }
    const outs = await helmRaw({
      'cm.yaml': [
        'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: z}', 'data:',
        '  toJson: {{ .Values.z | toJson | quote }}',
        '  toYaml: {{ dict "a" .Values.z | toYaml | quote }}',
        '  viaYaml: {{ dict "a" .Values.z | toYaml | fromYaml | toJson | quote }}', '',
      ].join('\n'),
    }, '{"z": -0.0}\n');
    for (const o of outs) {
      expect({ helm: o.name, data: parseHelmOutput(o.stdout)[0].data }).toEqual({ helm: o.name, data: { toJson: '-0', toYaml: 'a: 0', viaYaml: '{"a":0}' } });
    }
  });
});

// =============================================================================================
// Expression kinds
// =============================================================================================

describe('expressions', () => {
  const defaults = {
    s: 'hello', i: 3, b: true, n: 0.25,
    m: { k: 'v', n: 2, deep: { x: [1, 2] } },
    l: ['a', 1, false, { z: null }],
    // Numbers whose Go truthiness matters come from the -f file in every test here: Helm v3.18.0 reads
    // chart defaults' numbers as json.Number, a string type (see "known bugs" below).
    empty: '', zero: 1, f: false, emptyMap: {}, emptyList: [],
    pct: '50%', re: 'node-12', uni: 'héllo😀',
    pairs: {},
  };
  let c: MiniChart;
  beforeAll(() => {
    c = chart((ch) => {
      probe(ch, 'Refs', 'refs', {
        values: {
          str: Values.str('s'), int: Values.int('i'), bool: Values.bool('b'), map: Values.map('m'), list: Values.list('l'),
          number: new ValuesRef('n', 'number'), anyMap: Values.any('m'), anyStr: Values.any('s'), nested: Values.int('m.n'),
          deepList: Values.list('m.deep.x'),
        },
        release: { name: Release.name, namespace: Release.namespace, service: Release.service },
        literals: { s: lit('x y'), i: lit(42), b: lit(false), n: lit(0.25), big: lit(2000000), yes: lit('yes') },
      });
      probe(ch, 'Concat', `${Release.name}-${Values.str('s')}-concat`, {
        interp: `${Release.name}/${Values.str('s')}:${Values.int('i')}`,
        percent: concat('100% of ', Values.int('i'), ' is %d %s %%'),
        percentValue: concat(Values.str('pct'), '%'),
        bool: concat('b=', Values.bool('b'), ' cmp=', gt(Values.int('i'), 2)),
        onlyExpr: concat(Values.str('s')),
        intParts: concat(Values.int('i'), Values.int('m.n')),
      });
      probe(ch, 'Defaults', 'defaults', {
        emptyStr: defaultTo(Values.str('empty'), 'fallback'),
        setStr: defaultTo(Values.str('s'), 'fallback'),
        zeroInt: defaultTo(Values.int('zero'), 7),
        setInt: defaultTo(Values.int('i'), 7),
        falseBool: defaultTo(Values.bool('f'), true),
        trueBool: defaultTo(Values.bool('b'), false),
        emptyMap: defaultTo(Values.map('emptyMap'), Values.map('m')),
        emptyList: defaultTo(Values.list('emptyList'), Values.list('l')),
        missing: defaultTo(Values.str('notInDefaults'), 'absent'),
        chained: defaultTo(Values.str('empty'), defaultTo(Values.str('empty'), Values.str('s'))),
      });
      probe(ch, 'Compare', 'compare', {
        ints: eachItem(Values.map('pairs'), { key: 'pairName', item: 'pair' }, (p, k) => ({
          pair: k,
          eq: eq(p.int('a'), p.int('b')), ne: ne(p.int('a'), p.int('b')),
          lt: lt(p.int('a'), p.int('b')), le: le(p.int('a'), p.int('b')),
          gt: gt(p.int('a'), p.int('b')), ge: ge(p.int('a'), p.int('b')),
        })),
        literal: { gt2: gt(Values.int('i'), 2), ge3: ge(Values.int('i'), 3), lt3: lt(Values.int('i'), 3), eq3: eq(Values.int('i'), 3), bigLe: le(Values.int('i'), 9007199254740991) },
        strings: { eq: eq(Values.str('s'), 'hello'), ne: ne(Values.str('s'), 'hello'), lt: lt(Values.str('s'), Values.str('re')), gt: gt(Values.str('s'), Values.str('re')) },
        bools: { eqTrue: eq(Values.bool('b'), true), neTrue: ne(Values.bool('b'), true) },
      });
      probe(ch, 'Logic', 'logic', {
        and: and(Values.bool('b'), Values.str('s')),
        and3: and(Values.bool('b'), Values.str('s'), Values.int('zero')),
        orFalse: or(Values.str('empty'), Values.int('zero'), Values.map('emptyMap'), Values.list('emptyList'), Values.bool('f')),
        orTrue: or(Values.str('empty'), Values.list('l')),
        notEmpty: not(Values.str('empty')), notMap: not(Values.map('m')), notEmptyMap: not(Values.map('emptyMap')), notNot: not(not(Values.int('i'))),
        ternaryStr: ternary(Values.bool('b'), 'on', 'off'),
        ternaryTruthy: ternary(Values.str('empty'), Values.int('i'), 0),
        ternaryExprs: ternary(eq(Values.str('s'), 'hello'), Values.str('re'), Values.str('pct')),
        matches: matches('^node-[0-9]+$', Values.str('re')),
        notMatches: matches('^x', Values.str('re')),
        matchesAnchored: matches('l+o', Values.str('s')),
        lenStr: len(Values.str('uni')), lenList: len(Values.list('l')), lenMap: len(Values.map('m')), lenEmpty: len(Values.str('empty')),
        hasKey: hasKey(Values.map('m'), 'k'), hasNotKey: hasKey(Values.map('m'), 'nope'), hasKeyEmpty: hasKey(Values.map('emptyMap'), 'k'),
      });
    }, defaults);
  });

  test('chart defaults (and a 0 from the -f file)', async () => {
    const objects = await renderAgreeing(c, { zero: 0 });
    expect(objectNamed(objects, 'Refs', 'refs')).toEqual({
      apiVersion: 'test/v1', kind: 'Refs', metadata: { name: 'refs' },
      values: {
        str: 'hello', int: 3, bool: true, map: defaults.m, list: defaults.l, number: 0.25, anyMap: defaults.m, anyStr: 'hello', nested: 2,
        deepList: [1, 2],
      },
      release: { name: 'rel', namespace: 'ns', service: 'Helm' },
      literals: { s: 'x y', i: 42, b: false, n: 0.25, big: 2000000, yes: 'yes' },
    });
    expect(objectNamed(objects, 'Concat', 'rel-hello-concat')).toMatchObject({
      interp: 'rel/hello:3',
      percent: '100% of 3 is %d %s %%',
      percentValue: '50%%',
      bool: 'b=true cmp=true',
      onlyExpr: 'hello',
      intParts: '32',
    });
    expect(objectNamed(objects, 'Defaults', 'defaults')).toMatchObject({
      emptyStr: 'fallback', setStr: 'hello', zeroInt: 7, setInt: 3, falseBool: true, trueBool: true,
      emptyMap: defaults.m, emptyList: defaults.l, missing: 'absent', chained: 'hello',
    });
    expect(objectNamed(objects, 'Compare', 'compare')).toMatchObject({
      ints: [],
      literal: { gt2: true, ge3: true, lt3: false, eq3: true, bigLe: true },
      strings: { eq: true, ne: false, lt: true, gt: false },
      bools: { eqTrue: true, neTrue: false },
    });
    expect(objectNamed(objects, 'Logic', 'logic')).toMatchObject({
      and: true, and3: false, orFalse: false, orTrue: true,
      notEmpty: true, notMap: false, notEmptyMap: true, notNot: true,
      ternaryStr: 'on', ternaryTruthy: 0, ternaryExprs: 'node-12',
      matches: true, notMatches: false, matchesAnchored: true,
      lenStr: 10, lenList: 4, lenMap: 3, lenEmpty: 0,
      hasKey: true, hasNotKey: false, hasKeyEmpty: false,
    });
  });

  test('user values: integers as floats, large numbers, Go truthiness of "", 0 and false', async () => {
    // Written by hand: JSON.stringify cannot spell 3.0; Helm reads every number of a -f file as float64.
    const userText = `{
      "s": "yes", "i": 2.9, "b": false, "n": 1e-7, "empty": "x", "zero": 5.0, "f": true,
      "m": {"other": 1}, "l": [], "emptyMap": {"a": 1}, "emptyList": [0],
      "pct": "a%%b", "re": "node-x", "uni": "",
      "pairs": {
        "floatEq": {"a": 2.7, "b": 2.0},
        "negative": {"a": -1.5, "b": -1},
        "maxSafe": {"a": 9007199254740991, "b": 9007199254740990},
        "million": {"a": 2000000, "b": 2000000.9},
        "smaller": {"a": 1, "b": 2}
      }
    }`;
    const user = JSON.parse(userText);
    const objects = await renderAgreeing(c, user, { userText });
    expect(objectNamed(objects, 'Refs', 'refs').values).toEqual({
      str: 'yes', int: 2, bool: false, map: { other: 1, ...defaults.m }, list: [], number: 1e-7, anyMap: { other: 1, ...defaults.m },
      anyStr: 'yes', nested: 2, deepList: [1, 2],
    });
    expect(objectNamed(objects, 'Concat', 'rel-yes-concat')).toMatchObject({
      interp: 'rel/yes:2', percent: '100% of 2 is %d %s %%', percentValue: 'a%%b%', bool: 'b=false cmp=false', intParts: '22',
    });
    expect(objectNamed(objects, 'Defaults', 'defaults')).toMatchObject({
      emptyStr: 'x', zeroInt: 5, falseBool: true, trueBool: false, emptyMap: { a: 1 }, emptyList: [0], chained: 'x',
    });
    const compare = objectNamed(objects, 'Compare', 'compare');
    const row = (eqv: boolean, ltv: boolean) => ({ eq: eqv, ne: !eqv, lt: ltv, le: ltv || eqv, gt: !ltv && !eqv, ge: !ltv });
    expect(compare.ints).toEqual([
      // Go's range order: sorted keys.
      { pair: 'floatEq', ...row(true, false) },
      { pair: 'maxSafe', ...row(false, false) },
      { pair: 'million', ...row(true, false) },
      { pair: 'negative', ...row(true, false) }, // int64 truncates toward zero: -1.5 → -1
      { pair: 'smaller', ...row(false, true) },
    ]);
    expect(compare.literal).toEqual({ gt2: false, ge3: false, lt3: true, eq3: false, bigLe: true });
    expect(compare.strings).toEqual({ eq: false, ne: true, lt: false, gt: true }); // "yes" > "node-x"
    expect(compare.bools).toEqual({ eqTrue: false, neTrue: true });
    expect(objectNamed(objects, 'Logic', 'logic')).toMatchObject({
      and: false, and3: false, orFalse: true, orTrue: true, notEmpty: false, notEmptyMap: false,
      ternaryStr: 'off', ternaryTruthy: 2, ternaryExprs: 'a%%b',
      matches: false, matchesAnchored: false, lenStr: 0, lenList: 0, lenMap: 4, lenEmpty: 1, hasKeyEmpty: false,
    });
  });

  test('Go typing of the template text: ints through int64, strings through toJson, maps through toYaml', () => {
    const text = c.files['templates/refs.yaml'];
    expect(text).toContain('int: {{ $.Values.i | int64 }}');
    expect(text).toContain('str: {{ $.Values.s | toJson }}');
    expect(text).toContain('map:{{- $.Values.m | toYaml | nindent 4 }}');
    expect(text).toContain('bool: {{ $.Values.b }}');
  });
});

// =============================================================================================
// Template functions (define bodies in _helpers.tpl vs in-process implementations)
// =============================================================================================

describe('template functions', () => {
  const defaults = {
    groupDefaults: {
      replicas: 1, enabled: true, name: 'default', labels: { tier: 'worker', zone: 'a' }, taints: ['t1', 't2'],
      disk: { size: '10Gi', opts: { cache: 'none', io: 'native' } },
    },
    groups: {},
    cidrPairs: {},
    args: { 'z-flag': 'last', 'a': '1', 'B': 'upper', 'feature-gates': 'A=true,B=false', 'v': '2' },
    emptyArgs: {},
  };
  let c: MiniChart;
  beforeAll(() => {
    c = chart((ch) => {
      const groups = new Each(ch, 'Groups', { collection: Values.map('groups'), keyVar: 'groupName', itemVar: 'groupValues' });
      const g = groups.let('group', MERGE_DEFAULTS.call(Values.map('groupDefaults'), groups.item));
      probe(groups, 'Merged', `${groups.key}`, {
        merged: g,
        typed: { replicas: g.int('replicas'), enabled: g.bool('enabled'), name: g.str('name'), zone: g.str('labels.zone'), taints: g.list('taints') },
      });
      probe(ch, 'Cidrs', 'cidrs', {
        pairs: eachItem(Values.map('cidrPairs'), { key: 'pairName', item: 'pair' }, (p, k) => ({
          pair: k, overlap: CIDRS_OVERLAP.call(p.str('a'), p.str('b')), reverse: CIDRS_OVERLAP.call(p.str('b'), p.str('a')),
        })),
      });
      probe(ch, 'Args', 'args', { args: ARGS_LIST.call(Values.map('args')), empty: ARGS_LIST.call(Values.map('emptyArgs')) });
    }, defaults);
  });

  test('MERGE_DEFAULTS: group values win (also false, 0, ""), nested maps merge, lists replace, null item → defaults', async () => {
    const objects = await renderAgreeing(c, {
      groups: {
        zeroes: { replicas: 0, enabled: false, name: '', labels: { zone: 'b', extra: 'x' }, taints: [], disk: { opts: { cache: 'writeback' } } },
        empty: {},
        nullItem: null,
        nullField: { taints: null, disk: 'not-a-map' },
      },
    });
    expect(objects.filter((o) => o.kind === 'Merged').map((o) => (o.metadata as { name: string }).name)).toEqual(['empty', 'nullField', 'nullItem', 'zeroes']);
    expect(objectNamed(objects, 'Merged', 'zeroes')).toMatchObject({
      merged: {
        replicas: 0, enabled: false, name: '', labels: { tier: 'worker', zone: 'b', extra: 'x' }, taints: [],
        disk: { size: '10Gi', opts: { cache: 'writeback', io: 'native' } },
      },
      typed: { replicas: 0, enabled: false, name: '', zone: 'b', taints: [] },
    });
    expect(objectNamed(objects, 'Merged', 'empty').merged).toEqual(defaults.groupDefaults);
    expect(objectNamed(objects, 'Merged', 'nullItem').merged).toEqual(defaults.groupDefaults);
    // A user null under a key the chart defaults do not have stays (Helm only deletes nulls over defaults);
    // the merge keeps the group's own null and its own non-map value.
    expect(objectNamed(objects, 'Merged', 'nullField').merged).toEqual({ ...defaults.groupDefaults, taints: null, disk: 'not-a-map' });
    expect(objectNamed(objects, 'Merged', 'nullField').typed.taints).toBeNull();
  });

  test('MERGE_DEFAULTS with no groups renders nothing', async () => {
    const objects = await renderAgreeing(c, {});
    expect(objects.filter((o) => o.kind === 'Merged')).toEqual([]);
  });

  test('CIDRS_OVERLAP: overlapping and disjoint pairs, /0 and /32, addresses above 2^31', async () => {
    const pairs: Record<string, { a: string; b: string; overlap: boolean }> = {
      same: { a: '10.0.0.0/16', b: '10.0.0.0/16', overlap: true },
      nested: { a: '10.0.0.0/8', b: '10.1.2.0/24', overlap: true },
      disjoint: { a: '10.0.0.0/16', b: '10.1.0.0/16', overlap: false },
      adjacent: { a: '192.168.0.0/24', b: '192.168.1.0/24', overlap: false },
      slash31: { a: '192.168.1.4/31', b: '192.168.1.5/32', overlap: true },
      zero: { a: '0.0.0.0/0', b: '203.0.113.7/32', overlap: true },
      zeroBoth: { a: '0.0.0.0/0', b: '0.0.0.0/0', overlap: true },
      hostSame: { a: '203.0.113.7/32', b: '203.0.113.7/32', overlap: true },
      hostOther: { a: '203.0.113.7/32', b: '203.0.113.8/32', overlap: false },
      hostInService: { a: '10.96.0.10/32', b: '10.96.0.0/12', overlap: true },
      hostOutsideService: { a: '10.112.0.10/32', b: '10.96.0.0/12', overlap: false },
      highBit: { a: '255.255.255.255/32', b: '255.0.0.0/8', overlap: true },
      halves: { a: '128.0.0.0/1', b: '127.255.255.255/32', overlap: false },
    };
    const user = { cidrPairs: Object.fromEntries(Object.entries(pairs).map(([k, p]) => [k, { a: p.a, b: p.b }])) };
    const objects = await renderAgreeing(c, user);
    const expected = Object.keys(pairs).sort().map((k) => ({ pair: k, overlap: pairs[k].overlap, reverse: pairs[k].overlap }));
    expect(objectNamed(objects, 'Cidrs', 'cidrs').pairs).toEqual(expected);
    for (const p of Object.values(pairs)) expect(cidrsOverlap(p.a, p.b)).toBe(p.overlap);
  });

  test('ARGS_LIST: --flag=value sorted bytewise by flag; user args merge over the defaults; empty map → []', async () => {
    const objects = await renderAgreeing(c, { args: { 'v': '4', 'audit-log-path': '/var/log/a b.log', 'x': 'é=<&>' } });
    expect(objectNamed(objects, 'Args', 'args')).toMatchObject({
      args: ['--B=upper', '--a=1', '--audit-log-path=/var/log/a b.log', '--feature-gates=A=true,B=false', '--v=4', '--x=é=<&>', '--z-flag=last'],
      empty: [],
    });
  });
});
