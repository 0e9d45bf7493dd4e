/**
 * Values files read as Helm 4 reads them, or refused with a message that names the line and the value
 * path; never read differently.
 *
 * Helm 4 (pkg/cli/values/options.go and pkg/chart/v2/loader/load.go LoadValues at v4.1.4) splits a
 * file into documents at lines starting with `---` (k8s.io/apimachinery YAMLReader: only spaces or a
 * comment may follow the `---`), reads each with sigs.k8s.io/yaml (go-yaml v2 into Go values, then
 * JSON, then Go maps with float64 numbers) and merges them in order (maps deeply, anything else
 * replaces). Helm 3 (v3.18.0 pkg/cli/values/options.go) reads only the first document of a file; that
 * is the one difference, reported as a note.
 *
 * go-yaml v2 is YAML 1.1 with its own scalar resolution (go.yaml.in/yaml/v2 resolve.go): `yes`/`on`
 * are booleans, `0o17`, `017`, `0x1F` and `0b101` integers, `1:30` a string (no sexagesimals),
 * `e3` a string, `1e400` a string (out of range), timestamps strings, `.nan`/`.inf` floats that JSON
 * cannot hold (Helm refuses the file). Plain scalars are resolved here by the same rules; what this
 * reader does not support (YAML tags other than the core ones, numbers as map keys, directives) is
 * refused with a message rather than read in a way Helm would not.
 */
import type { Alias, Document, LineCounter, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { isTable, mergeInto, setOwn, ValuesMap } from '../expr/coalesce';

/** The `yaml` package, loaded with the first YAML document: a JSON values file (what the Magnum driver pipes) never loads it. */
let yamlPackage: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlPackage ??= require('yaml') as typeof import('yaml'));
}
const isAlias = (n: unknown): n is Alias => yaml().isAlias(n);
const isMap = (n: unknown): n is YAMLMap => yaml().isMap(n);
const isScalar = (n: unknown): n is Scalar => yaml().isScalar(n);
const isSeq = (n: unknown): n is YAMLSeq => yaml().isSeq(n);

/** A values file Helm would refuse or read differently; the message names the file, line and value path. */
export class ValuesInputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'ValuesInputError';
  }
}

export interface ReadValues {
  readonly values: ValuesMap;
  /** Differences from Helm 3 worth knowing (e.g. a multi-document file), one sentence each. */
  readonly notes: string[];
}

/**
 * Characters go-yaml's reader accepts (readerc.go: tab, LF, CR, printable ASCII, NEL, U+00A0–U+D7FF,
 * U+E000–U+FFFD, and beyond U+FFFF), without NEL, U+2028 and U+2029, which go-yaml reads as line
 * breaks and the `yaml` package does not, and without U+FEFF past the start of the file.
 */
const ACCEPTED = /^[\t\n\r\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]*$/u;
const LINE_BREAKS = /[\u0085\u2028\u2029]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Reads one values file's bytes (`source` names it in messages). */
export function readValuesFile(bytes: Uint8Array, source: string): ReadValues {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ValuesInputError(`${source}: not UTF-8 text (Helm reads values files as UTF-8)`);
  }
  return readValuesText(text, source);
}

/** How {@link readValuesText} reads. */
export interface ReadValuesOptions {
  /**
   * Read a JSON document with `JSON.parse` where that gives what the YAML reading gives (see {@link readJsonValues}),
   * without loading the `yaml` package.
   * @default true
   */
  readonly jsonFastPath?: boolean;
}

/** Reads values from YAML text as Helm 4 does (see the file comment); JSON (YAML too) without the `yaml` package where it can. */
export function readValuesText(text: string, source: string, opts: ReadValuesOptions = {}): ReadValues {
  checkCharacters(text, source);
  const json = opts.jsonFastPath === false ? undefined : readJsonValues(text);
  if (json) return { values: json, notes: [] };
  const chunks = splitDocuments(text, source);
  const values: ValuesMap = {};
  let documents = 0;
  for (const chunk of chunks) {
    const doc = new DocumentDecoder(chunk, source).decode();
    if (doc === null) continue;
    documents++;
    mergeInto(values, doc);
  }
  const notes = documents > 1
    ? [`${source}: ${documents} YAML documents merged in order, as Helm 4 does (Helm 3 reads only the first document of a file)`]
    : [];
  return { values, notes };
}

/**
 * A JSON values document (a JSON object) read with `JSON.parse`, or undefined where that might not give exactly
 * what go-yaml (and this module's YAML reading) gives, which then decides. JSON is YAML's flow style: its strings
 * are double-quoted scalars (no type resolution), its keys strings, `true`/`false`/`null` the booleans and null,
 * and its numbers read as go-yaml reads them (integers up to uint64 exactly as float64, the rest through
 * strconv.ParseFloat: the nearest float64 either way). Left to the YAML reading: escapes other than `\"` `\\`
 * `\b` `\f` `\n` `\r` `\t` and `\u` of a non-surrogate (`\/` is no YAML 1.1 escape; a surrogate escape go-yaml
 * refuses even in a pair), tabs, keys on another line than their `:` or longer than 512 characters (go-yaml's simple
 * keys), `-0` (go-yaml reads the integer 0), and numbers beyond float64 (go-yaml keeps `1e400` a string). The
 * characters go-yaml refuses raw are checked before, for both readings.
 */
export function readJsonValues(text: string): ValuesMap | undefined {
  const body = (text.startsWith('\ufeff') ? text.slice(1) : text).replace(/^[ \r\n]+|[ \r\n]+$/g, '');
  if (!body.startsWith('{') || !body.endsWith('}') || body.includes('\t')) return undefined;
  for (const m of body.matchAll(/\\(u[0-9a-fA-F]{4}|[^u])/g)) {
    const escape = m[1];
    if (escape.length === 1 ? !'"\\bfnrt'.includes(escape) : /^u[dD][89a-fA-F]/.test(escape)) return undefined;
  }
  // A key go-yaml takes as a simple key: on the line of its `:`, and not longer than its limit (1024 characters).
  for (const m of body.matchAll(/"(?:[^"\\]|\\.)*"\s*:/g)) if (m[0].length > 512 || m[0].includes('\n')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const plain = (v: unknown): boolean => {
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
    if (Array.isArray(v)) return v.every(plain);
    if (isTable(v)) return Object.keys(v).every((k) => plain(v[k]));
    return true;
  };
  return isTable(parsed) && plain(parsed) ? parsed : undefined;
}

function checkCharacters(text: string, source: string): void {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  if (ACCEPTED.test(body)) return;
  const chars = [...body];
  let line = 1;
  let column = 1;
  for (const c of chars) {
    if (!ACCEPTED.test(c)) {
      const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      const why = LINE_BREAKS.test(c)
        ? `a line break to Kubernetes' YAML reader (go-yaml) and to Helm, but not to other readers: write it escaped inside double quotes ("\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}")`
        : c === '\ufeff' ? 'a byte order mark, allowed only at the start of the file'
          : c.length === 1 && c >= '\ud800' && c <= '\udfff' ? 'an unpaired UTF-16 surrogate'
            : 'a control character Helm\'s YAML reader refuses ("control characters are not allowed")';
      throw new ValuesInputError(`${source}:${line}:${column}: ${code} is ${why}`);
    }
    if (c === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
}

interface Chunk {
  readonly text: string;
  /** Line of the file where the chunk starts (1-based). */
  readonly firstLine: number;
}

/** Documents as k8s.io/apimachinery's YAMLReader splits them (Helm 4): at lines starting with `---`. */
function splitDocuments(text: string, source: string): Chunk[] {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  const lines = body.split(/(?<=\n)/);
  const chunks: Chunk[] = [];
  let current: string[] = [];
  let firstLine = 1;
  lines.forEach((line, i) => {
    if (line.startsWith('---')) {
      const rest = line.slice(3).trim();
      if (rest !== '' && !rest.startsWith('#')) {
        throw new ValuesInputError(`${source}:${i + 1}:1: "${line.trimEnd()}": Helm 4 allows only a comment after a "---" document separator `
          + '(it reads the file document by document); put the value on the next line');
      }
      if (current.length > 0) chunks.push({ text: current.join(''), firstLine });
      current = [];
      firstLine = i + 2;
      return;
    }
    current.push(line);
  });
  if (current.length > 0) chunks.push({ text: current.join(''), firstLine });
  return chunks;
}

type Resolved =
  | { readonly kind: 'null'; readonly value: null }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'merge'; readonly value: string };

const RESOLVE_MAP: Readonly<Record<string, Resolved>> = (() => {
  const out: Record<string, Resolved> = {};
  const add = (r: Resolved, words: string[]) => words.forEach((w) => { out[w] = r; });
  add({ kind: 'bool', value: true }, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
  add({ kind: 'bool', value: false }, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
  add({ kind: 'null', value: null }, ['', '~', 'null', 'Null', 'NULL']);
  add({ kind: 'float', value: NaN }, ['.nan', '.NaN', '.NAN']);
  add({ kind: 'float', value: Infinity }, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']);
  add({ kind: 'float', value: -Infinity }, ['-.inf', '-.Inf', '-.INF']);
  add({ kind: 'merge', value: '<<' }, ['<<']);
  return out;
})();

/** go-yaml's hint by first character: S(ign), D(igit), M(ap word), '.' (float). */
function hintOf(s: string): string | undefined {
  if (s === '') return 'N';
  const c = s[0];
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return undefined;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What strconv.ParseFloat reads of a text starting with "." (underscores only between digits, as in Go literals). */
const DOT_FLOAT = /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseUint(s, base, 64) for the digits after any sign; base 0 reads 0b/0o/0x and leading-0 octal prefixes. */
function goParseUint(s: string, base: number): bigint | undefined {
  if (s === '') return undefined;
  let digits = s;
  if (base === 0) {
    base = 10;
    if (digits[0] === '0') {
      const p = digits[1]?.toLowerCase();
      if (digits.length >= 3 && p === 'b') { base = 2; digits = digits.slice(2); }
      else if (digits.length >= 3 && p === 'o') { base = 8; digits = digits.slice(2); }
      else if (digits.length >= 3 && p === 'x') { base = 16; digits = digits.slice(2); }
      else { base = 8; digits = digits.slice(1); }
    }
  }
  let n = 0n;
  for (const c of digits.toLowerCase()) {
    const d = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c >= 'a' && c <= 'z' ? c.charCodeAt(0) - 87 : 99;
    if (d >= base) return undefined;
    n = n * BigInt(base) + BigInt(d);
    if (n > UINT64_MAX) return undefined;
  }
  return n;
}

/** Go's strconv.ParseInt(s, base, 64). */
function goParseInt(s: string, base: number): bigint | undefined {
  if (s === '') return undefined;
  const negative = s[0] === '-';
  const unsigned = goParseUint(s[0] === '-' || s[0] === '+' ? s.slice(1) : s, base);
  if (unsigned === undefined) return undefined;
  const n = negative ? -unsigned : unsigned;
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** A finite float64 the way strconv.ParseFloat reads text the caller has checked; undefined on overflow (Go: ErrRange). */
function goParseFloat(s: string): number | undefined {
  const f = Number(s);
  return Number.isFinite(f) ? f : undefined;
}

/** go-yaml v2's `resolve` for an untagged plain scalar, or for the text of an explicitly tagged one. */
export function resolvePlain(s: string): Resolved {
  const hint = hintOf(s);
  if (hint === undefined) return { kind: 'string', value: s };
  const mapped = Object.prototype.hasOwnProperty.call(RESOLVE_MAP, s) ? RESOLVE_MAP[s] : undefined;
  if (mapped) return mapped;
  if (hint === '.') {
    const f = DOT_FLOAT.test(s) ? goParseFloat(s.replace(/_/g, '')) : undefined;
    if (f !== undefined) return { kind: 'float', value: f };
  } else if (hint === 'D' || hint === 'S') {
    // (Timestamps come first in go-yaml, but a timestamp-looking plain scalar decodes to its own text, as here.)
    const plain = s.replace(/_/g, '');
    const int = goParseInt(plain, 0) ?? goParseUint(plain, 0);
    if (int !== undefined) return { kind: 'int', value: int };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = goParseFloat(plain);
      if (f !== undefined) return { kind: 'float', value: f };
    }
    if (plain.startsWith('0b')) {
      const b = goParseInt(plain.slice(2), 2) ?? goParseUint(plain.slice(2), 2);
      if (b !== undefined) return { kind: 'int', value: b };
    } else if (plain.startsWith('-0b')) {
      const b = goParseInt(`-${plain.slice(3)}`, 2);
      if (b !== undefined) return { kind: 'int', value: b };
    }
  }
  return { kind: 'string', value: s };
}

const TAG = 'tag:yaml.org,2002:';

/** Which key go-yaml holds (see DocumentDecoder.key) and how the file spells it, for messages. */
interface KeyOrigin {
  readonly identity: string;
  readonly label: string;
}

/**
 * A value or map that only fails once it is in the result: Helm converts the decoded document to JSON
 * after go-yaml built it, so a NaN or a null key that a later duplicate key replaced never fails.
 */
class Deferred {
  public constructor(public readonly message: string) {}
}

/** go-yaml v2's limits on alias expansion (decode.go, allowedAliasRatio): an alias bomb fails. */
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400_000) return 0.99;
  if (decodeCount >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400_000) / 3_600_000);
}

/** Decodes one document of a chunk into values, the way go-yaml v2 + sigs.k8s.io/yaml + encoding/json do. */
class DocumentDecoder {
  private readonly lines: LineCounter = new (yaml().LineCounter)();
  private decodeCount = 0;
  private aliasCount = 0;
  private readonly expanding = new Set<Node>();
  private doc?: Document.Parsed;

  public constructor(private readonly chunk: Chunk, private readonly source: string) {}

  public decode(): ValuesMap | null {
    const directive = this.chunk.text.split('\n').findIndex((l) => l.startsWith('%'));
    if (directive >= 0) {
      throw new ValuesInputError(`${this.source}:${this.chunk.firstLine + directive}:1: YAML directives (%YAML, %TAG) are not supported in values files`);
    }
    // Only the first document counts, as for go-yaml's Unmarshal (a `...` end marker ends it).
    const docs = yaml().parseAllDocuments(this.chunk.text, { version: '1.1', schema: 'failsafe', uniqueKeys: false, lineCounter: this.lines, prettyErrors: false });
    const doc = Array.isArray(docs) ? docs[0] : undefined;
    if (!doc) return null;
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      throw new ValuesInputError(`${this.where(e.pos[0])}: ${e.message.split('\n')[0]} (this reader refuses it; quote the value or write the collection in block style)`);
    }
    this.doc = doc;
    const value = this.node(doc.contents as Node | null, '');
    this.throwDeferred(value);
    if (value === null) return null;
    if (!isTable(value)) {
      throw new ValuesInputError(`${this.where((doc.contents as Node).range?.[0] ?? 0)}: a values document must be a map of keys, not ${Array.isArray(value) ? 'a list' : 'a scalar'}`);
    }
    return value;
  }

  private readonly deferredMaps = new WeakMap<object, Deferred>();

  /** The first deferred failure in the result (what JSON conversion would refuse), thrown. */
  private throwDeferred(value: unknown): void {
    if (value instanceof Deferred) throw new ValuesInputError(value.message);
    if (Array.isArray(value)) {
      value.forEach((v) => this.throwDeferred(v));
    } else if (isTable(value)) {
      const problem = this.deferredMaps.get(value);
      if (problem) throw new ValuesInputError(problem.message);
      Object.values(value).forEach((v) => this.throwDeferred(v));
    }
  }

  private message(node: Node | null | undefined, path: string, what: string): string {
    const at = node?.range ? this.where(node.range[0]) : this.source;
    return `${at}: ${path === '' ? '(root)' : path}: ${what}`;
  }

  private where(offset: number): string {
    const { line, col } = this.lines.linePos(offset);
    return `${this.source}:${this.chunk.firstLine + line - 1}:${col}`;
  }

  private fail(node: Node | null | undefined, path: string, what: string): never {
    throw new ValuesInputError(this.message(node, path, what));
  }

  private count(): void {
    this.decodeCount++;
    if (this.expanding.size > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new ValuesInputError(`${this.source}: the document expands aliases excessively (an alias bomb?); Helm refuses it too ("document contains excessive aliasing")`);
    }
  }

  private node(node: Node | null | undefined, path: string): unknown {
    this.count();
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.alias(node, path, (target) => this.node(target, path));
    if (isScalar(node)) return this.scalarValue(node, path);
    if (isSeq(node)) {
      this.checkCollectionTag(node, path, 'seq');
      if ((node as YAMLSeq).flow) this.checkFlowPairs(node as YAMLSeq, path);
      return (node as YAMLSeq).items.map((item, i) => this.node(item as Node, path === '' ? String(i) : `${path}.${i}`));
    }
    if (isMap(node)) {
      this.checkCollectionTag(node, path, 'map');
      const out: ValuesMap = {};
      this.mapInto(node as YAMLMap, path, out, new Map());
      return out;
    }
    return this.fail(node, path, 'unsupported YAML node');
  }

  private alias<T>(node: Alias, path: string, use: (target: Node) => T): T {
    const target = this.doc ? (node.resolve(this.doc) as Node | undefined) : undefined;
    if (!target) return this.fail(node, path, `unknown anchor "${node.source}"`);
    if (this.expanding.has(target)) return this.fail(node, path, `anchor "${node.source}" contains itself`);
    this.expanding.add(target);
    try {
      return use(target);
    } finally {
      this.expanding.delete(target);
    }
  }

  /**
   * `[12:]`: go-yaml reads `12:` as a string when a flow indicator follows the colon, the `yaml` package
   * as a one-pair map; refused rather than read either way.
   */
  private checkFlowPairs(seq: YAMLSeq, path: string): void {
    for (const item of seq.items) {
      if (!isMap(item) || !item.range || this.chunk.text[item.range[0]] === '{') continue;
      const keyEnd = (item.items[0]?.key as Node | undefined)?.range?.[1];
      const colon = keyEnd === undefined ? -1 : this.chunk.text.indexOf(':', keyEnd);
      if (colon >= 0 && /^[,\]}]?$/.test(this.chunk.text[colon + 1] ?? '')) {
        this.fail(item, path, 'a ":" right before "," or "]" in a flow list, which Helm reads as part of a string and other readers as a map; this reader refuses it: quote the text');
      }
    }
  }

  private checkCollectionTag(node: YAMLMap | YAMLSeq, path: string, kind: 'map' | 'seq'): void {
    if (node.tag !== undefined && node.tag !== `${TAG}${kind}`) this.fail(node, path, `the tag ${node.tag} is not supported; write the value without it`);
  }

  /** A scalar as a value: go-yaml's resolution, then what JSON can hold. */
  private scalarValue(node: Scalar, path: string): unknown {
    const r = this.resolveScalar(node, path);
    switch (r.kind) {
      case 'null': case 'bool': case 'string': return r.value;
      case 'merge': return '<<';
      case 'int': return Number(r.value);
      case 'float':
        if (!Number.isFinite(r.value)) {
          return new Deferred(this.message(node, path, `${String(node.value)} is not a number JSON can hold; Helm refuses it too ("json: unsupported value"); quote it for a string`));
        }
        return r.value;
    }
  }

  private resolveScalar(node: Scalar, path: string): Resolved {
    const text = String(node.value);
    if (LONE_SURROGATE.test(text)) this.fail(node, path, 'an escape of an unpaired UTF-16 surrogate (such as "\\ud800"); Helm refuses it too ("invalid Unicode character escape code")');
    if (node.type === 'QUOTE_DOUBLE' && node.range) this.checkEscapes(node, path);
    const tag = node.tag;
    if (tag === undefined) return node.type === 'PLAIN' ? resolvePlain(text) : { kind: 'string', value: text };
    if (tag === '!' || tag === `${TAG}str`) return { kind: 'string', value: text };
    const wanted = tag.startsWith(TAG) ? tag.slice(TAG.length) : undefined;
    if (wanted === 'int' || wanted === 'float' || wanted === 'bool' || wanted === 'null') {
      const r = resolvePlain(text);
      if (r.kind === wanted) return r;
      // go-yaml converts an int to a !!float only from int64 (not from the uint64 it uses beyond).
      if (wanted === 'float' && r.kind === 'int' && r.value <= INT64_MAX) return { kind: 'float', value: Number(r.value) };
      return this.fail(node, path, `"${text}" is no !!${wanted}; Helm refuses it too ("cannot decode")`);
    }
    return this.fail(node, path, `the tag ${tag.replace(TAG, '!!')} is not supported; write the value without it (Helm would decode ${tag.replace(TAG, '!!')} values differently)`);
  }

  /**
   * Escapes of a double-quoted scalar that the `yaml` package reads (YAML 1.2) and go-yaml v2 refuses: `\\/` (no YAML 1.1
   * escape: "found unknown escape character") and a surrogate, also one of a pair (`\\ud83d\\ude00`: "found invalid
   * Unicode character escape code"; go-yaml decodes each `\\u` on its own). Checked in the source text, since the
   * `yaml` package has already joined a pair.
   */
  private checkEscapes(node: Scalar, path: string): void {
    const source = this.chunk.text.slice(node.range![0], node.range![1]);
    for (const m of source.matchAll(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[^uU])/g)) {
      const escape = m[1];
      if (escape === '/') this.fail(node, path, '"\\/" is no YAML 1.1 escape; Helm refuses it too ("found unknown escape character"): write "/"');
      const code = escape.length > 1 ? parseInt(escape.slice(1), 16) : -1;
      if (code >= 0xd800 && code <= 0xdfff) {
        this.fail(node, path, `an escape of a UTF-16 surrogate ("\\${escape}"); Helm refuses it too ("invalid Unicode character escape code"), also in a pair: `
          + 'write the character itself or its \\U escape (e.g. "\\U0001F600")');
      }
    }
  }

  /** Map entries into `out` in order, as go-yaml v2 assigns them: merge keys (`<<`) assign where they stand, later keys win. */
  private mapInto(node: YAMLMap, path: string, out: ValuesMap, origins: Map<string, KeyOrigin>): void {
    for (const pair of node.items) {
      this.count();
      const keyNode = pair.key as Node | null;
      if (keyNode && isScalar(keyNode) && this.isMergeKey(keyNode)) {
        this.merge(pair.value as Node | null, path, out, origins);
        continue;
      }
      const resolved = this.key(keyNode, path);
      if (resolved instanceof Deferred) {
        // go-yaml keeps the entry under a key JSON cannot hold; it fails only if this map stays in the result.
        if (!this.deferredMaps.has(out)) this.deferredMaps.set(out, resolved);
        this.node(pair.value as Node | null, path);
        continue;
      }
      const { key, identity, label } = resolved;
      const at = path === '' ? key : `${path}.${key}`;
      const previous = origins.get(key);
      if (previous !== undefined && previous.identity !== identity && !this.deferredMaps.has(out)) {
        // Both keys stay in go-yaml's map; sigs.k8s.io/yaml then keeps whichever its map iteration visits last.
        this.deferredMaps.set(out, new Deferred(this.message(keyNode, at,
          `two different YAML keys (${previous.label} and ${label}) both become "${key}"; Helm keeps one of them at random: keep one`)));
      }
      if (previous === undefined || previous.identity === identity) origins.set(key, { identity, label });
      setOwn(out, key, this.node(pair.value as Node | null, at));
    }
  }

  private isMergeKey(node: Scalar): boolean {
    return node.value === '<<' && ((node.type === 'PLAIN' && node.tag === undefined) || node.tag === `${TAG}merge`);
  }

  private merge(value: Node | null, path: string, out: ValuesMap, origins: Map<string, KeyOrigin>): void {
    const mergeMap = (n: Node | null | undefined): void => {
      this.count();
      if (n && isAlias(n)) return this.alias(n, path, (target) => mergeMap(target));
      if (n && isMap(n)) return this.mapInto(n as YAMLMap, path, out, origins);
      return this.fail(n, path, 'a merge key (<<) needs a map, an alias of one, or a list of them');
    };
    if (value && isSeq(value)) {
      // Earlier maps win: go-yaml merges them last to first.
      for (const item of [...(value as YAMLSeq).items].reverse()) mergeMap(item as Node);
    } else {
      mergeMap(value);
    }
  }

  /**
   * A map key as sigs.k8s.io/yaml turns it into a JSON key; `identity` is the key as go-yaml holds it in
   * its map (the boolean true of `on` and of `true` is one key; the integer 1 and the string "1" are two).
   */
  private key(node: Node | null, path: string): (KeyOrigin & { key: string }) | Deferred {
    this.count();
    if (node && isAlias(node)) return this.alias(node, path, (target) => this.key(target, path));
    if (!node || !isScalar(node)) return this.fail(node, path, 'a map key must be a scalar (Helm refuses lists and maps as keys)');
    const r = this.resolveScalar(node, path);
    switch (r.kind) {
      case 'string': return { key: r.value, identity: `string:${r.value}`, label: `"${r.value}"` };
      case 'bool': return { key: String(r.value), identity: `bool:${String(r.value)}`, label: `the boolean ${String(node.value)}` };
      case 'int':
        // Beyond int64, go-yaml holds a uint64, which sigs.k8s.io/yaml does not turn into a key.
        if (r.value > INT64_MAX) return new Deferred(this.message(node, path, `the key ${String(node.value)} is an integer beyond int64; Helm refuses it too ("unsupported map key"); quote it`));
        return { key: r.value.toString(), identity: `int:${r.value.toString()}`, label: `the integer ${String(node.value)}` };
      case 'null': return new Deferred(this.message(node, path, 'a map key must not be null (Helm refuses it: "unsupported map key"); quote it for the string'));
      default: return new Deferred(this.message(node, path, `the key ${String(node.value)} is a floating-point number, which Helm turns into text by rules of its own; quote it`));
    }
  }
}
