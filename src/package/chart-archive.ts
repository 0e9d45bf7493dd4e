/**
 * Deterministic chart packaging: the same chart directory gives the same .tgz bytes, on every run and
 * every machine (`helm package` stamps the current time into every tar entry).
 *
 * The archive is what Helm's loader expects: a gzip'd tar whose entries are `<name>/<path>` for every
 * file of the chart directory that `.helmignore` does not exclude (same rules and quirks as Helm's
 * pkg/ignore, see {@link HelmIgnore}). Entries are sorted by path and normalised: regular files only,
 * mode 0644, uid/gid 0, empty uname/gname, fixed mtime. The gzip member has no file name, mtime 0,
 * XFL 2 and OS 255 ("unknown"), written by hand around zlib's raw deflate stream.
 *
 * One caveat: the deflate stream itself is only as stable as the zlib build inside Node
 * (`process.versions.zlib`: Chromium's zlib fork, 1.3.1-e00f703 in Node 20.20). Reported to give the
 * same bytes in Node 20.20 to 25.x; a Node with another zlib build (or a CPU without SSE4.2/ARMv8-CRC,
 * where Chromium's zlib falls back to another match hash) can compress differently. Compare archives
 * produced with the pinned Node version; the tar inside is byte-identical regardless.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as YAML from 'yaml';

export interface PackageChartOptions {
  /** mtime of every tar entry, in seconds since the epoch (default 0). */
  readonly mtime?: number;
}

export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated. */
  readonly path: string;
  readonly data: Buffer;
}

/** The chart's name and version as written in its Chart.yaml. */
export function readChartNameVersion(chartDir: string): { name: string; version: string } {
  const file = path.join(chartDir, 'Chart.yaml');
  if (!fs.existsSync(file)) throw new Error(`${chartDir} is not a chart: no Chart.yaml`);
  const meta = YAML.parse(fs.readFileSync(file, 'utf8'), { version: '1.1' }) ?? {};
  for (const field of ['name', 'version']) {
    if (typeof meta[field] !== 'string' || meta[field] === '') {
      throw new Error(`${file}: "${field}" must be a non-empty string (quote it if it looks like a number)`);
    }
  }
  if (/[/\\]/.test(meta.name) || meta.name === '.' || meta.name === '..') {
    throw new Error(`${file}: invalid chart name ${JSON.stringify(meta.name)}`);
  }
  return { name: meta.name, version: meta.version };
}

/**
 * Writes `<outDir>/<name>-<version>.tgz` for the chart in `chartDir` and returns its path.
 * Byte-identical output for identical input (see the top of this file).
 */
export function packageChart(chartDir: string, outDir: string, opts: PackageChartOptions = {}): string {
  const { name, version } = readChartNameVersion(chartDir);
  const entries = listChartFiles(chartDir).map((rel) => ({
    path: `${name}/${rel}`,
    data: fs.readFileSync(path.join(chartDir, ...rel.split('/'))),
  }));
  const tgz = gzipDeterministic(createTar(entries, { mtime: opts.mtime ?? 0 }));
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, `${name}-${version}.tgz`);
  fs.writeFileSync(out, tgz);
  return out;
}

/**
 * The files of a chart directory that go into its archive, as `/`-separated paths relative to
 * `chartDir`, sorted. Follows Helm's LoadDir: `.helmignore` rules (plus Helm's default rule
 * `templates/.?*`), directories matched by a rule are skipped entirely, symlinks are followed,
 * anything that is not a regular file is an error.
 */
export function listChartFiles(chartDir: string): string[] {
  const ignoreFile = path.join(chartDir, '.helmignore');
  const rules = fs.existsSync(ignoreFile)
    ? HelmIgnore.parse(fs.readFileSync(ignoreFile, 'utf8'))
    : new HelmIgnore();
  rules.addDefaults();

  const files: string[] = [];
  const walk = (absDir: string, relDir: string) => {
    for (const entry of fs.readdirSync(absDir).sort(compareBytes)) {
      const abs = path.join(absDir, entry);
      const rel = relDir ? `${relDir}/${entry}` : entry;
      const st = fs.statSync(abs); // follows symlinks, like Helm's sympath.Walk
      if (st.isDirectory()) {
        if (!rules.ignore(rel, true)) walk(abs, rel);
        continue;
      }
      if (rules.ignore(rel, false)) continue;
      if (!st.isFile()) throw new Error(`cannot package irregular file ${abs}`);
      files.push(rel);
    }
  };
  walk(chartDir, '');
  return files.sort(compareBytes);
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// .helmignore, as implemented by Helm's pkg/ignore (identical in Helm 3 and Helm 4)
// ---------------------------------------------------------------------------------------------

interface IgnorePattern {
  readonly raw: string;
  readonly negate: boolean;
  readonly mustDir: boolean;
  readonly match: (relPath: string) => boolean;
}

/**
 * Helm's .helmignore rules. One pattern per line; blank lines and `#` comments skipped; `**` rejected;
 * Go filepath.Match syntax (`*`, `?`, `[...]`/`[^...]`, `\` escapes); a trailing `/` matches directories
 * only; a leading `/` or any `/` matches the whole relative path, otherwise only the base name.
 *
 * Helm's quirk is kept on purpose so that our file list equals `helm package`'s: a `!pattern` line
 * ignores every path that does NOT match it (it does not re-include anything).
 */
export class HelmIgnore {
  static parse(text: string): HelmIgnore {
    const rules = new HelmIgnore();
    for (const line of text.split(/\r?\n/)) rules.addRule(line);
    return rules;
  }

  private readonly patterns: IgnorePattern[] = [];

  /** Helm's built-in rule: dotfiles in templates/ are never part of a chart. */
  addDefaults(): void {
    this.addRule('templates/.?*');
  }

  addRule(line: string): void {
    let rule = line.trim();
    if (rule === '' || rule.startsWith('#')) return;
    if (rule.includes('**')) throw new Error(`.helmignore: double-star (**) syntax is not supported: ${line}`);
    goGlobToRegExp(rule); // validates like Helm's filepath.Match(rule, "abc")
    const raw = rule;
    const negate = rule.startsWith('!');
    if (negate) rule = rule.slice(1);
    const mustDir = rule.endsWith('/');
    if (mustDir) rule = rule.slice(0, -1);
    let match: (p: string) => boolean;
    if (rule.startsWith('/')) {
      const re = goGlobToRegExp(rule.slice(1));
      match = (p) => re.test(p);
    } else if (rule.includes('/')) {
      const re = goGlobToRegExp(rule);
      match = (p) => re.test(p);
    } else {
      const re = goGlobToRegExp(rule);
      match = (p) => re.test(p.slice(p.lastIndexOf('/') + 1));
    }
    this.patterns.push({ raw, negate, mustDir, match });
  }

  /** Whether `relPath` (`/`-separated, relative to the chart root) is ignored. */
  ignore(relPath: string, isDir: boolean): boolean {
    if (relPath === '' || relPath === '.' || relPath === './') return false;
    for (const p of this.patterns) {
      if (p.negate) {
        if (p.mustDir && !isDir) return true;
        if (!p.match(relPath)) return true;
        continue;
      }
      if (p.mustDir && !isDir) continue;
      if (p.match(relPath)) return true;
    }
    return false;
  }
}

/** Go's path/filepath.Match pattern (with '/' as the separator) as an anchored RegExp. */
function goGlobToRegExp(pattern: string): RegExp {
  const bad = () => new Error(`.helmignore: syntax error in pattern: ${pattern}`);
  const esc = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  const escInClass = (c: string) => c.replace(/[\\\]^-]/g, '\\$&');
  let i = 0;
  // Go's getEsc: one (possibly backslash-escaped) character of a character class.
  const classChar = (): string => {
    if (i >= pattern.length || pattern[i] === '-' || pattern[i] === ']') throw bad();
    if (pattern[i] === '\\' && ++i >= pattern.length) throw bad();
    const ch = String.fromCodePoint(pattern.codePointAt(i)!);
    i += ch.length;
    if (i >= pattern.length) throw bad();
    return ch;
  };
  let re = '';
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '*') {
      re += '[^/]*';
      i++;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '\\') {
      if (i + 1 >= pattern.length) throw bad();
      const ch = String.fromCodePoint(pattern.codePointAt(i + 1)!);
      re += esc(ch);
      i += 1 + ch.length;
    } else if (c === '[') {
      i++;
      let cls = '';
      if (pattern[i] === '^') {
        cls += '^';
        i++;
      }
      for (let ranges = 0; ; ranges++) {
        if (pattern[i] === ']' && ranges > 0) {
          i++;
          break;
        }
        const lo = classChar();
        let hi = lo;
        if (pattern[i] === '-') {
          i++;
          hi = classChar();
        }
        // an inverted range (z-a) is legal in Go and matches nothing
        if (hi.codePointAt(0)! >= lo.codePointAt(0)!) cls += lo === hi ? escInClass(lo) : `${escInClass(lo)}-${escInClass(hi)}`;
      }
      re += `[${cls}]`;
    } else {
      const ch = String.fromCodePoint(pattern.codePointAt(i)!);
      re += esc(ch);
      i += ch.length;
    }
  }
  return new RegExp(`^${re}$`, 'u');
}

// ---------------------------------------------------------------------------------------------
// tar (POSIX ustar, PAX extended header for paths that do not fit)
// ---------------------------------------------------------------------------------------------

const BLOCK = 512;

/** A POSIX ustar archive of regular files, in the given order, with normalised metadata. */
export function createTar(entries: ArchiveEntry[], opts: { mtime: number }): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const name = Buffer.from(e.path, 'utf8');
    let split = splitUstarName(name);
    if (!split) {
      const record = paxRecord('path', e.path);
      parts.push(tarHeader(Buffer.from('PaxHeaders.0/' + path.posix.basename(e.path)).subarray(0, 100), Buffer.alloc(0), record.length, opts.mtime, 'x'));
      parts.push(padBlock(record));
      split = { name: name.subarray(name.length - Math.min(100, name.length)), prefix: Buffer.alloc(0) };
    }
    parts.push(tarHeader(split.name, split.prefix, e.data.length, opts.mtime, '0'));
    parts.push(padBlock(e.data));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

function splitUstarName(name: Buffer): { name: Buffer; prefix: Buffer } | undefined {
  if (name.length <= 100) return { name, prefix: Buffer.alloc(0) };
  for (let i = Math.min(155, name.length - 2); i > 0; i--) {
    if (name[i] === 0x2f && name.length - i - 1 <= 100) {
      return { prefix: name.subarray(0, i), name: name.subarray(i + 1) };
    }
  }
  return undefined;
}

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyLen = Buffer.byteLength(body);
  let len = bodyLen + 1;
  while (String(len).length + bodyLen !== len) len = String(len).length + bodyLen;
  return Buffer.from(`${len}${body}`, 'utf8');
}

function tarHeader(name: Buffer, prefix: Buffer, size: number, mtime: number, type: '0' | 'x'): Buffer {
  const h = Buffer.alloc(BLOCK);
  name.copy(h, 0);
  octal(h, 100, 8, 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156); // checksum placeholder: spaces
  h.write(type, 156, 'ascii');
  h.write('ustar\u000000', 257, 'binary'); // magic "ustar\0", version "00"
  octal(h, 329, 8, 0);
  octal(h, 337, 8, 0);
  prefix.copy(h, 345);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\u0000 ', 148, 'binary');
  return h;
}

function octal(h: Buffer, offset: number, width: number, value: number): void {
  const s = Math.trunc(value).toString(8);
  if (value < 0 || s.length > width - 1) throw new Error(`tar: value ${value} does not fit in ${width - 1} octal digits`);
  h.write(s.padStart(width - 1, '0') + '\u0000', offset, 'binary');
}

function padBlock(data: Buffer): Buffer {
  const rem = data.length % BLOCK;
  return rem === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - rem)]);
}

/** The regular files of a (gzip'd or plain) tar archive, in archive order. Understands PAX paths. */
export function readTar(archive: Buffer): ArchiveEntry[] {
  const buf = archive[0] === 0x1f && archive[1] === 0x8b ? zlib.gunzipSync(archive) : archive;
  const out: ArchiveEntry[] = [];
  let paxPath: string | undefined;
  let longName: string | undefined;
  let off = 0;
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const str = (o: number, n: number) => {
      const f = h.subarray(o, o + n);
      const end = f.indexOf(0);
      return f.subarray(0, end < 0 ? n : end).toString('utf8');
    };
    const size = parseInt(str(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 0x30);
    const data = buf.subarray(off + BLOCK, off + BLOCK + size);
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      paxPath = parsePax(data).path ?? paxPath;
      continue;
    }
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (type === 'g') continue;
    const magic = str(257, 6);
    const prefix = magic === 'ustar' ? str(345, 155) : '';
    const name = paxPath ?? longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    paxPath = undefined;
    longName = undefined;
    if (type === '0' || type === '\0' || type === '7') out.push({ path: name, data: Buffer.from(data) });
  }
  return out;
}

function parsePax(data: Buffer): Record<string, string> {
  const rec: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = parseInt(data.subarray(i, sp).toString('ascii'), 10);
    if (!(len > 0)) break;
    const kv = data.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = kv.indexOf('=');
    rec[kv.slice(0, eq)] = kv.slice(eq + 1);
    i += len;
  }
  return rec;
}

// ---------------------------------------------------------------------------------------------
// gzip with a fixed header
// ---------------------------------------------------------------------------------------------

/**
 * RFC 1952 gzip member: ID1 ID2 CM=8 FLG=0 MTIME=0 XFL=2 OS=255, raw deflate (level 9), CRC32, ISIZE.
 * zlib.gzipSync would write OS=3 (Unix) or another platform code.
 */
export function gzipDeterministic(data: Buffer): Buffer {
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0xff]);
  const body = zlib.deflateRawSync(data, { level: 9, memLevel: 8, windowBits: 15, strategy: zlib.constants.Z_DEFAULT_STRATEGY });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length % 0x1_0000_0000, 4);
  return Buffer.concat([header, body, trailer]);
}

let crcTable: Uint32Array | undefined;

function crc32(data: Buffer): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
