/**
 * The CLI reads values files as Helm reads them (go-yaml v2 through sigs.k8s.io/yaml; Helm 4 merges the
 * documents of a file), or refuses them with a message naming the line and path: never differently.
 * Helm itself is the oracle: one `helm template` per Helm binary reads every generated input
 * (`fromYaml`, the same Unmarshal Helm runs on a `-f` file), and a sample is also read through `-f`.
 */
import { isDeepStrictEqual } from 'util';
import * as fc from 'fast-check';
import { readJsonValues, readValuesText, resolvePlain, ValuesInputError } from '../src/cli/read-values';
import { goReadValues, GoRead, helmReadValuesFiles } from './harness/go-yaml';
import { HelmBinary, helmBinaries } from './harness/helm';

let helms: HelmBinary[];
beforeAll(() => {
  helms = helmBinaries();
});

type Ours = { ok: true; values: unknown } | { ok: false; error: string };

function ours(text: string): Ours {
  try {
    return { ok: true, values: readValuesText(text, 'values.yaml').values };
  } catch (e) {
    if (e instanceof ValuesInputError) return { ok: false, error: e.message };
    throw e;
  }
}

/**
 * Inputs this reader refuses although Helm reads them, on purpose (each message says why): floating-point
 * map keys (Go formats them as float32), the !!binary and !!timestamp tags, YAML directives, keys Helm
 * resolves at random (two YAML keys that become one JSON key), and the syntax the `yaml` package is
 * stricter about than go-yaml (plain `-` or `12:` inside flow collections).
 */
const REFUSED_ON_PURPOSE = /is a floating-point number, which Helm turns into text|the tag !!(binary|timestamp) is not supported|YAML directives|two different YAML keys|this reader refuses it/;

/** Compares our reading with each Helm's for every text; returns the tallies. */
function compare(texts: readonly string[], theirs: Array<{ name: string; reads: GoRead[] }>): { same: number; bothRefuse: number; refusedOnPurpose: number } {
  const tally = { same: 0, bothRefuse: 0, refusedOnPurpose: 0 };
  const mismatches: string[] = [];
  texts.forEach((text, i) => {
    const mine = ours(text);
    for (const { name, reads } of theirs) {
      const helm = reads[i];
      if (helm.ok && mine.ok) {
        if (isDeepStrictEqual(mine.values, helm.values)) tally.same++;
        else mismatches.push(`${name} ${JSON.stringify(text)}: Helm ${JSON.stringify(helm.values)}, ours ${JSON.stringify(mine.values)}`);
      } else if (!helm.ok && !mine.ok) {
        tally.bothRefuse++;
      } else if (helm.ok && !mine.ok && REFUSED_ON_PURPOSE.test(mine.error)) {
        tally.refusedOnPurpose++;
      } else {
        mismatches.push(`${name} ${JSON.stringify(text)}: Helm ${helm.ok ? JSON.stringify(helm.values) : `refuses (${helm.error})`}, ours ${mine.ok ? JSON.stringify(mine.values) : `refuses (${mine.error})`}`);
      }
    }
  });
  expect(mismatches).toEqual([]);
  return tally;
}

// ---------------------------------------------------------------------------------------------
// YAML 1.1 look-alike scalars
// ---------------------------------------------------------------------------------------------

/** Scalars that one YAML reader or another reads as something other than a string. */
const LOOK_ALIKES = [
  'y', 'Y', 'yes', 'Yes', 'YES', 'yEs', 'n', 'N', 'no', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'TRUE', 'tRUE', 'false', 'FALSE',
  '~', 'null', 'Null', 'NULL', 'nULL', '', '0o17', '0O17', '0o18', '0x1F', '0X1f', '0xg', '0b101', '0B101', '-0b101', '0b102', '017', '-017', '08', '018', '+12', '1_000',
  '1__0', '_1', '0', '-0', '+0', '-0.0', '00', '1:30', '-1:30', '190:20:30', '190:20:30.15', '1.5', '.5', '-.5', '+.5', '1.', '0.', '1e3', '1E3', '1e+3', '1e-3', 'e3',
  'E7', '-e3', '.e3', '1.0e+3', '6.8523015e+5', '685_230.15', '1e400', '-1e400', '1e-400', '9007199254740993', '9223372036854775807', '9223372036854775808',
  '-9223372036854775808', '-9223372036854775809', '18446744073709551615', '18446744073709551616', '99999999999999999999', '.inf', '-.Inf', '+.INF', '.Infinity',
  '.nan', '.NaN', '.NAN', 'nan', 'inf', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2001-12-14T21:59:43Z', '2002-1-2', '1_2:3',
  '<<', '=', '0x', '0b', '0o', '0x_1', '12:', '1.2.3', '+', '-', '.', '..', '0.1e-7', '012345678', '0777', '-0x1F', '+0x1F', '0x1F_FF',
];

/** More look-alikes, built from the pieces YAML 1.1 resolvers look at: signs, bases, underscores, dots, exponents, colons. */
const lookAlikeArb: fc.Arbitrary<string> = fc.tuple(
  fc.constantFrom('', '', '-', '+', '.'),
  fc.constantFrom('', '0', '0x', '0o', '0b', '0X', '1', '12', '007', '9', '1_0', '2001-'),
  fc.stringMatching(/^[0-9a-fA-F_]{0,6}$/),
  fc.constantFrom('', '', '.', '.5', ':30', ':3:45', 'e3', 'E-2', 'e+7', '_', '-12-14', 'h', ' '),
).map((parts) => parts.join('').trim());

describe('scalars', () => {
  test('go-yaml\'s resolution table, in-process (no Helm): a few anchors of what the oracle below confirms', () => {
    expect(resolvePlain('0o17')).toEqual({ kind: 'int', value: 15n });
    expect(resolvePlain('017')).toEqual({ kind: 'int', value: 15n });
    expect(resolvePlain('08')).toEqual({ kind: 'float', value: 8 });
    expect(resolvePlain('1:30')).toEqual({ kind: 'string', value: '1:30' });
    expect(resolvePlain('e3')).toEqual({ kind: 'string', value: 'e3' });
    expect(resolvePlain('1e400')).toEqual({ kind: 'string', value: '1e400' });
    expect(resolvePlain('2001-12-14')).toEqual({ kind: 'string', value: '2001-12-14' });
    expect(resolvePlain('on')).toEqual({ kind: 'bool', value: true });
  });

  test(`${LOOK_ALIKES.length} listed and 300 generated look-alike scalars, as values and as keys, plain, quoted and tagged, read as Helm 3 and Helm 4 read them`, async () => {
    const scalars = [...new Set([...LOOK_ALIKES, ...fc.sample(lookAlikeArb, { seed: 20261122, numRuns: 300 })])];
    const texts = scalars.flatMap((s) => [
      `v: ${s}\n`, `${s === '' ? '""' : s}: v\n`, `v: '${s}'\n`, `v: !!str ${s}\n`, `v: !!int ${JSON.stringify(s)}\n`, `v: !!float ${s || '""'}\n`,
      `v: [${s}]\n`, `{k: ${s}}\n`,
    ]);
    const theirs = await goReadValues(texts);
    const tally = compare(texts, theirs);
    console.log(`scalars: ${texts.length} texts from ${scalars.length} scalars × ${theirs.length} Helm versions: ${JSON.stringify(tally)}`);
    expect(tally.same).toBeGreaterThan(texts.length);
  });
});

// ---------------------------------------------------------------------------------------------
// Documents: maps, lists, styles, anchors, aliases, merge keys, duplicate keys, comments
// ---------------------------------------------------------------------------------------------

type Tree = { kind: 'scalar'; value: string } | { kind: 'map'; entries: Array<[string, Tree]> } | { kind: 'seq'; items: Tree[] };

const SCALAR_POOL = [...LOOK_ALIKES.slice(0, 60), 'plain', 'two words', 'a:b', 'x-y', 'é', '日本', 'a # not a comment?', "it's", 'say "hi"', 'back\\slash', 'tab\there', 'line\nbreak', '{{ .x }}', '[x]', '&x', '*y', '!t', '%p', '@a', '`b', '- d', '? q', '|', '>'];
const KEY_POOL = ['a', 'b', 'c', 'replicas', 'yes', 'on', '1', '017', '0x1F', 'null', '~', 'true', 'x y', 'é', '<<', 'a.b', 'k:v', '-x', '"q"', ''];

const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof({ maxDepth: 3, depthIdentifier: 'tree' },
    { arbitrary: fc.constantFrom(...SCALAR_POOL).map((value): Tree => ({ kind: 'scalar', value })), weight: 4 },
    { arbitrary: fc.array(fc.tuple(fc.constantFrom(...KEY_POOL), tie('tree')), { maxLength: 4 }).map((entries): Tree => ({ kind: 'map', entries })), weight: 2 },
    { arbitrary: fc.array(tie('tree'), { maxLength: 3 }).map((items): Tree => ({ kind: 'seq', items })), weight: 1 }),
})).tree;

interface Style {
  /** Per node, in emission order: 0 plain or block, 1 single-quoted or flow, 2 double-quoted, 3 block scalar. */
  readonly choices: number[];
  readonly anchorEvery: number;
  readonly commentEvery: number;
}

const PLAIN_UNSAFE = /^[-?:,[\]{}#&*!|>'"%@`\s]|: |\s#|[\s:]$|^$|\n|\t|^<<$/;
const FLOW_UNSAFE = /[,[\]{}]/;

/** A random but well-formed YAML text for a tree (the top level a block map), with anchors, aliases and merge keys. */
function emit(root: Tree & { kind: 'map' }, style: Style): string {
  let n = 0;
  const pick = (k: number) => style.choices[n++ % style.choices.length] % k;
  const anchors: Array<{ name: string; map: boolean }> = [];
  const quoteDouble = (s: string) => JSON.stringify(s);
  const quoteSingle = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const scalarText = (s: string, flow: boolean): string => {
    const c = pick(3);
    if (c === 0 && !PLAIN_UNSAFE.test(s) && !(flow && FLOW_UNSAFE.test(s))) return s;
    if (c === 1 && !/[\n\t]/.test(s)) return quoteSingle(s);
    return quoteDouble(s);
  };
  const keyText = (k: string): string => (k === '<<' ? quoteDouble(k) : scalarText(k, true));
  const anchor = (map: boolean): string => {
    if (++n % style.anchorEvery !== 0) return '';
    const name = `a${anchors.length}`;
    anchors.push({ name, map });
    return `&${name} `;
  };
  const flowNode = (t: Tree): string => {
    if (t.kind === 'scalar') return scalarText(t.value, true);
    if (t.kind === 'seq') return `[${t.items.map(flowNode).join(', ')}]`;
    return `{${t.entries.map(([k, v]) => `${keyText(k)}: ${flowNode(v)}`).join(', ')}}`;
  };
  const comment = () => (++n % style.commentEvery === 0 ? ' # note' : '');
  const blockValue = (t: Tree, indent: string): string[] => {
    const mark = anchor(t.kind === 'map');
    if (t.kind === 'scalar') {
      if (pick(4) === 3 && t.value !== '' && !/^\s|\s$/.test(t.value)) return [` ${mark}|-`, ...t.value.split('\n').map((l) => `${indent}  ${l}`)];
      return [` ${mark}${scalarText(t.value, false)}${comment()}`];
    }
    if (pick(2) === 1 || (t.kind === 'map' ? t.entries.length === 0 : t.items.length === 0)) return [` ${mark}${flowNode(t)}`];
    if (t.kind === 'seq') return [mark ? ` ${mark.trim()}` : '', ...t.items.flatMap((item) => seqItem(item, `${indent}  `))];
    return [mark ? ` ${mark.trim()}` : '', ...mapLines(t, `${indent}  `)];
  };
  const seqItem = (t: Tree, indent: string): string[] => {
    const [first, ...rest] = blockValue(t, indent);
    return [`${indent}-${first}`, ...rest];
  };
  const mapLines = (t: Tree & { kind: 'map' }, indent: string): string[] => {
    const lines: string[] = [];
    for (const [k, v] of t.entries) {
      const [first, ...rest] = blockValue(v, indent);
      lines.push(`${indent}${keyText(k)}:${first}`, ...rest);
    }
    // A merge key or an alias of an earlier anchor, sometimes.
    const mapAnchor = anchors.find((a) => a.map);
    if (mapAnchor && pick(5) === 0) lines.push(`${indent}<<: *${mapAnchor.name}`);
    else if (anchors.length > 0 && pick(4) === 0) lines.push(`${indent}alias${n}: *${anchors[anchors.length - 1].name}`);
    return lines;
  };
  return `${mapLines(root, '').join('\n')}\n`;
}

const documentArb: fc.Arbitrary<string> = fc.tuple(
  fc.array(fc.tuple(fc.constantFrom(...KEY_POOL), treeArb), { minLength: 1, maxLength: 5 }),
  fc.array(fc.nat(11), { minLength: 5, maxLength: 30 }),
  fc.integer({ min: 2, max: 7 }),
  fc.integer({ min: 2, max: 9 }),
).map(([entries, choices, anchorEvery, commentEvery]) => emit({ kind: 'map', entries }, { choices, anchorEvery, commentEvery }));

describe('documents', () => {
  test('200 generated documents (styles, anchors, aliases, merge keys, duplicate keys, comments) read as Helm 3 and Helm 4 read them', async () => {
    const texts = fc.sample(documentArb, { seed: 20261122, numRuns: 200 });
    const theirs = await goReadValues(texts);
    const tally = compare(texts, theirs);
    console.log(`documents: ${texts.length} × ${theirs.length} Helm versions: ${JSON.stringify(tally)}`);
    expect(tally.same).toBeGreaterThan(texts.length);
  });

  test('the oracle is Helm\'s own -f reading: 12 of the generated inputs through `helm template -f`', async () => {
    // (Documents this reader accepts: Helm reads the ones with colliding keys differently from run to run.)
    const documents = fc.sample(documentArb, { seed: 7, numRuns: 40 }).filter((t) => ours(t).ok).slice(0, 6);
    const texts = [...documents, 'v: 0o17\n', 'v: 1:30\n', 'v: .nan\n', '1: a\n', 'a: &a {b: 1}\nc: *a\n', 'x: [1, 2'];
    const viaFromYaml = await goReadValues(texts);
    for (const helm of helms) {
      const viaFile = await helmReadValuesFiles(helm, texts);
      const fromYaml = viaFromYaml.find((r) => r.name === helm.name)!.reads;
      expect(viaFile.map((r) => (r.ok ? r.values : 'refused'))).toEqual(fromYaml.map((r) => (r.ok ? r.values : 'refused')));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Files: several documents, duplicate keys, tabs, alias bombs, characters
// ---------------------------------------------------------------------------------------------

describe('files', () => {
  test('several documents: merged in order as Helm 4 does (a note says Helm 3 reads only the first)', async () => {
    const texts = [
      'a: 1\n---\nb: 2\n',
      '---\na: {x: 1, z: [1]}\n--- # second\na: {z: [2], w: 3}\n---\n',
      'a: 1\n---\n# only a comment\n---\nnull\n---\nb: 2\n',
      'a: 1\n---\n- x\n',
      'a: 1\n--- b: 2\n',
      'a: 1\n...\nb: 2\n',
    ];
    // What Helm 3 reads: the first document only (go-yaml's Unmarshal of the whole file).
    const helm3Expected = [{ a: 1 }, { a: { x: 1, z: [1] } }, { a: 1 }, { a: 1 }, { a: 1 }, { a: 1 }];
    for (const helm of helms) {
      const reads = await helmReadValuesFiles(helm, texts);
      if (helm.name === 'helm4') {
        texts.forEach((text, i) => {
          const mine = ours(text);
          expect({ text, ours: mine.ok ? mine.values : 'refused' }).toEqual({ text, ours: reads[i].ok ? reads[i].values : 'refused' });
        });
      } else {
        expect(reads.map((r) => (r.ok ? r.values : 'refused'))).toEqual(helm3Expected);
      }
    }
    expect(readValuesText('a: 1\n---\nb: 2\n', 'f.yaml').notes).toEqual(['f.yaml: 2 YAML documents merged in order, as Helm 4 does (Helm 3 reads only the first document of a file)']);
    expect(ours('a: 1\n--- b: 2\n')).toEqual({ ok: false, error: 'values.yaml:2:1: "--- b: 2": Helm 4 allows only a comment after a "---" document separator (it reads the file document by document); put the value on the next line' });
  });

  test('duplicate keys: the last wins, as in Helm; different keys that Helm turns into the same one are refused (Helm keeps one at random)', async () => {
    const texts = ['a: 1\na: 2\n', 'm: {x: 1}\nm: {y: 2}\n', 'a: 1\n01: x\n1: y\n'];
    for (const helm of helms) {
      const reads = await helmReadValuesFiles(helm, texts);
      texts.forEach((text, i) => expect({ helm: helm.name, text, ours: ours(text) }).toEqual({ helm: helm.name, text, ours: reads[i] }));
    }
    expect(ours('1: a\n"1": b\n')).toEqual({ ok: false, error: 'values.yaml:2:1: 1: two different YAML keys (the integer 1 and "1") both become "1"; Helm keeps one of them at random: keep one' });
    expect(ours('true: a\nyes: b\n')).toEqual({ ok: true, values: { true: 'b' } });
    expect(ours('true: a\n"true": b\n').ok).toBe(false);
    expect(ours('on: a\ntrue: b\n01: c\n1: d\n')).toEqual({ ok: true, values: { true: 'b', 1: 'd' } });
  });

  test('what Helm refuses is refused, with the line and what is wrong; never a stack trace', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n') + '\n';
    const cases: Array<[string, RegExp]> = [
      ['a:\n\tb: 1\n', /^values\.yaml:2:1: Tabs are not allowed as indentation/],
      [bomb, /expands aliases excessively \(an alias bomb\?\); Helm refuses it too/],
      ['a: &a [*a]\n', /anchor "a" contains itself|Alias/],
      ['a: 1\n? [x]\n: y\n', /a map key must be a scalar/],
      ['~: 1\n', /a map key must not be null/],
      ['v: .nan\n', /^values\.yaml:1:4: v: \.nan is not a number JSON can hold/],
      ['v: "\\ud800"\n', /^values\.yaml:1:4: v: an escape of an unpaired UTF-16 surrogate/],
      ['- a\n', /a values document must be a map of keys, not a list/],
      ['v: "a\u007fb"\n', /^values\.yaml:1:6: U\+007F is a control character Helm's YAML reader refuses/],
      ['v: a\u0085b\n', /^values\.yaml:1:5: U\+0085 is a line break to Kubernetes' YAML reader/],
      ['v: [1, 2\n', /this reader refuses it/],
    ];
    const theirs = await goReadValues(cases.map(([t]) => t));
    cases.forEach(([text, message], i) => {
      const mine = ours(text);
      expect({ text, ours: mine }).toEqual({ text, ours: { ok: false, error: expect.stringMatching(message) } });
      // Helm refuses each of them too, or (NEL) reads it differently from what other YAML readers see.
      for (const { name, reads } of theirs) {
        if (!text.includes('\u0085')) expect({ name, text, helmRefuses: !reads[i].ok }).toEqual({ name, text, helmRefuses: true });
      }
    });
    // A byte order mark at the start is no problem (go-yaml skips it).
    expect(ours('\ufeffa: 1\n')).toEqual({ ok: true, values: { a: 1 } });
  });
});

// ---------------------------------------------------------------------------------------------
// JSON values (what the Magnum driver pipes): read with JSON.parse where that reads what go-yaml reads
// ---------------------------------------------------------------------------------------------

/** Number tokens JSON allows, with those go-yaml reads otherwise than JSON.parse (`-0`, `1e400`). */
const NUMBER_TOKENS = ['0', '-0', '1', '-1', '2000000', '1.5', '-0.0', '0.1e-7', '1E5', '1e+21', '1e400', '-1e400', '1e-400', '9007199254740993',
  '9223372036854775807', '9223372036854775808', '18446744073709551615', '18446744073709551616', '99999999999999999999', '1.0'];
/** String bodies as JSON writes them (escapes included), with those that are no YAML 1.1 escapes or that go-yaml refuses. */
const STRING_TOKENS = ['"plain"', '"yes"', '"0o17"', '"1:30"', '""', '"say \\"hi\\""', '"back\\\\slash"', '"a\\nb"', '"tab\\there"', '"\\u00e9\\u65e5"',
  '"\\u2028\\u2029\\u0085"', '"\\u0000\\u001b\\u007f"', '"\\/path"', '"\\ud83d\\ude00"', '"\\ud800"', '"\\b\\f\\r"', '"{{ .x }}"', '"é日本"', '"<<"'];

type JsonTree = { kind: 'leaf'; text: string } | { kind: 'map'; entries: Array<[string, JsonTree]> } | { kind: 'list'; items: JsonTree[] };

const jsonTreeArb: fc.Arbitrary<JsonTree> = fc.letrec<{ tree: JsonTree }>((tie) => ({
  tree: fc.oneof({ maxDepth: 3, depthIdentifier: 'json' },
    { arbitrary: fc.constantFrom(...NUMBER_TOKENS, ...STRING_TOKENS, 'true', 'false', 'null').map((text): JsonTree => ({ kind: 'leaf', text })), weight: 4 },
    { arbitrary: fc.array(fc.tuple(fc.constantFrom(...STRING_TOKENS.slice(0, 12), '"a"', '"b"', '"__proto__"', '"1"'), tie('tree')), { maxLength: 4 })
      .map((entries): JsonTree => ({ kind: 'map', entries })), weight: 2 },
    { arbitrary: fc.array(tie('tree'), { maxLength: 3 }).map((items): JsonTree => ({ kind: 'list', items })), weight: 1 }),
})).tree;

/** JSON text of a tree: compact (`{"a":1}`), as Python writes it (`{"a": 1}`), or indented. */
function jsonText(t: JsonTree, style: number, indent = ''): string {
  if (t.kind === 'leaf') return t.text;
  const inner = `${indent}  `;
  const [open, close, parts] = t.kind === 'map'
    ? ['{', '}', t.entries.map(([k, v]) => `${k}${style === 0 ? ':' : ': '}${jsonText(v, style, inner)}`)]
    : ['[', ']', t.items.map((v) => jsonText(v, style, inner))];
  if (parts.length === 0) return `${open}${close}`;
  if (style === 2) return `${open}\n${parts.map((p) => `${inner}${p}`).join(',\n')}\n${indent}${close}`;
  return `${open}${parts.join(style === 0 ? ',' : ', ')}${close}`;
}

describe('JSON values', () => {
  const documents = fc.sample(fc.tuple(fc.array(fc.tuple(fc.constantFrom('"a"', '"b"', '"c"', '"yes"', '"x y"'), jsonTreeArb), { minLength: 1, maxLength: 5 }),
    fc.nat(2)).map(([entries, style]) => jsonText({ kind: 'map', entries }, style)), { seed: 20261122, numRuns: 300 });

  test('300 generated JSON documents: the JSON reading gives what the YAML reading gives, or leaves the document to it', () => {
    let fast = 0;
    for (const text of documents) {
      const yamlRead = (() => {
        try {
          return { ok: true, values: readValuesText(text, 'values.json', { jsonFastPath: false }).values };
        } catch (e) {
          return { ok: false, error: (e as Error).message };
        }
      })();
      const json = readJsonValues(text);
      if (json === undefined) continue;
      fast++;
      expect({ text, read: { ok: true, values: json } }).toEqual({ text, read: yamlRead });
    }
    // Most documents take the JSON reading (those with `-0`, `1e400`, `\/` or surrogate escapes do not).
    expect(fast).toBeGreaterThan(documents.length / 4);
  });

  test('and Helm 3 and Helm 4 read them so (the oracle)', async () => {
    const theirs = await goReadValues(documents);
    const tally = compare(documents, theirs);
    expect(tally.same).toBeGreaterThan(documents.length);
  });

  test('escapes the `yaml` package reads and go-yaml refuses are refused, with Helm\'s words (also in YAML)', () => {
    expect(ours('v: "a\\/b"\n')).toEqual({ ok: false, error: expect.stringContaining('"\\/" is no YAML 1.1 escape; Helm refuses it too ("found unknown escape character")') });
    expect(ours('v: "\\ud83d\\ude00"\n')).toEqual({ ok: false, error: expect.stringContaining('Helm refuses it too ("invalid Unicode character escape code"), also in a pair') });
    expect(ours('{"v": "\\ud83d\\ude00"}')).toMatchObject({ ok: false });
    // Escaped backslashes are no escapes of what follows them; the 32-bit escape of the same character is fine.
    expect(ours('v: "a\\\\/b \\\\ud83d \\U0001F600"\n')).toEqual({ ok: true, values: { v: 'a\\/b \\ud83d \u{1F600}' } });
  });

  test('what the JSON reading leaves to the YAML reading', () => {
    expect(readJsonValues('{"a": 1}')).toEqual({ a: 1 });
    expect(readJsonValues('\ufeff{"a": [1, "x", null, true]}\n')).toEqual({ a: [1, 'x', null, true] });
    for (const text of ['{"a": -0}', '{"a": 1e400}', '{"a": "\\/"}', '{"a": "\\ud83d\\ude00"}', '{\t"a": 1}', '{"a"\n: 1}', '[1]', 'a: 1', '{"a": 1} # c',
      `{"${'k'.repeat(600)}": 1}`]) {
      expect({ text, read: readJsonValues(text) }).toEqual({ text, read: undefined });
    }
  });
});
