/**
 * `--set` and `--set-string` as Helm parses them (helm pkg/strvals/parser.go at v4.1.4, the same at
 * v3.18.0): comma-separated `path=value` assignments, dotted paths into maps, `name[i]` list indexes,
 * `{a,b}` lists, a backslash escaping the next character. With `--set`, `true`/`false` (any case) are
 * booleans, `null` removes, and decimal integers without a leading zero are integers; everything else,
 * and everything with `--set-string`, is a string. Assignments go into the values read from `-f` files.
 */
import { isTable, ownValue, setOwn, ValuesMap } from '../expr/coalesce';

/** An assignment Helm would refuse; the message quotes it. */
export class SetValueError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'SetValueError';
  }
}

/** Helm's limits (strvals MaxIndex and MaxNestedNameLevel). */
const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;

/** The end of the input: Helm's `io.EOF`, which ends an assignment list without an error where it may. */
class EndOfInput {}
const END = new EndOfInput();

/** A Go `nil` list slot (a list grown past its end). */
const NIL = null;

class StrvalsParser {
  private readonly runes: string[];
  private pos = 0;

  public constructor(text: string, private readonly asString: boolean) {
    this.runes = [...text];
  }

  /** Applies every assignment to `data`. */
  public parse(data: ValuesMap): void {
    for (;;) {
      const r = this.key(data, 0);
      if (r === END) return;
    }
  }

  private readRune(): string | undefined {
    return this.pos < this.runes.length ? this.runes[this.pos++] : undefined;
  }

  private unreadRune(): void {
    this.pos--;
  }

  /** Runes up to one of `stop` (consumed, returned as `last`); a backslash takes the next rune literally. */
  private until(stop: string): { value: string; last?: string; end: boolean } {
    let value = '';
    for (;;) {
      const r = this.readRune();
      if (r === undefined) return { value, end: true };
      if (stop.includes(r)) return { value, last: r, end: false };
      if (r === '\\') {
        const next = this.readRune();
        if (next === undefined) return { value, end: true };
        value += next;
      } else {
        value += r;
      }
    }
  }

  private typed(value: string): unknown {
    if (this.asString) return value;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (value === '0') return 0;
    if (value !== '' && value[0] !== '0' && /^[-+]?[0-9]+$/.test(value)) {
      const n = BigInt(value);
      if (n >= -(2n ** 63n) && n < 2n ** 63n) {
        if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) {
          throw new SetValueError(`the integer ${value} is larger than the evaluation backend holds exactly; use --set-string if it is text`);
        }
        return Number(n);
      }
    }
    return value;
  }

  /** One `key…=value` assignment into `data`; END when the input ended cleanly. */
  private key(data: ValuesMap, level: number): EndOfInput | undefined {
    const { value: k, last, end } = this.until('=[,.');
    if (end) {
      if (k === '') return END;
      throw new SetValueError(`key "${k}" has no value`);
    }
    switch (last) {
      case '[': {
        const i = this.keyIndex();
        const existing = ownValue(data, k);
        if (existing !== undefined && !Array.isArray(existing)) throw new SetValueError(`${k} is not a list (it holds ${describe(existing)})`);
        const { list, result } = this.listItem(existing === undefined ? [] : [...existing], i, level);
        set(data, k, list);
        return result;
      }
      case '=': {
        const list = this.valueList();
        if (list === END) {
          set(data, k, '');
          return END;
        }
        if (list !== undefined) {
          set(data, k, list);
          return undefined;
        }
        const { value, end: ended } = this.until(',');
        set(data, k, this.typed(value));
        return ended ? END : undefined;
      }
      case ',':
        throw new SetValueError(`key "${k}" has no value (cannot end with ,)`);
      default: {
        if (level + 1 > MAX_NESTED_NAME_LEVEL) throw new SetValueError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        const existing = ownValue(data, k);
        if (existing !== undefined && !isTable(existing)) throw new SetValueError(`${k} is not a map (it holds ${describe(existing)})`);
        const inner: ValuesMap = existing ?? {};
        const result = this.key(inner, level + 1);
        if (result === undefined && Object.keys(inner).length === 0) throw new SetValueError(`key map "${k}" has no value`);
        if (Object.keys(inner).length !== 0) set(data, k, inner);
        return result;
      }
    }
  }

  private keyIndex(): number {
    const { value, end } = this.until(']');
    if (end) throw new SetValueError('error parsing index: no closing "]"');
    if (!/^[-+]?[0-9]+$/.test(value)) throw new SetValueError(`error parsing index: "${value}" is not an integer`);
    return Number(value);
  }

  private listItem(list: unknown[], i: number, level: number): { list: unknown[]; result?: EndOfInput } {
    if (i < 0) throw new SetValueError(`negative ${i} index not allowed`);
    const { value: k, last, end } = this.until('[.=');
    if (k !== '') throw new SetValueError(`unexpected data at end of array index: "${k}"`);
    if (end) return { list, result: END };
    switch (last) {
      case '=': {
        const values = this.valueList();
        if (values === END) return { list: setIndex(list, i, '') };
        if (values !== undefined) return { list: setIndex(list, i, values) };
        const { value } = this.until(',');
        return { list: setIndex(list, i, this.typed(value)) };
      }
      case '[': {
        const next = this.keyIndex();
        const existing = list.length > i ? list[i] : undefined;
        if (existing !== undefined && existing !== null && !Array.isArray(existing)) throw new SetValueError(`index ${i} is not a list (it holds ${describe(existing)})`);
        const nested = this.listItem(Array.isArray(existing) ? [...existing] : [], next, level);
        return { list: setIndex(list, i, nested.list), result: nested.result };
      }
      default: {
        let inner: ValuesMap = {};
        if (list.length > i) {
          if (isTable(list[i])) inner = list[i] as ValuesMap;
          else list[i] = inner;
        }
        const result = this.key(inner, level);
        return { list: setIndex(list, i, inner), result };
      }
    }
  }

  /** `{a,b}` as a list, END at the end of input, undefined when the value is no list. */
  private valueList(): unknown[] | EndOfInput | undefined {
    const r = this.readRune();
    if (r === undefined) return END;
    if (r !== '{') {
      this.unreadRune();
      return undefined;
    }
    const list: unknown[] = [];
    for (;;) {
      const { value, last, end } = this.until(',}');
      if (end) throw new SetValueError('list must terminate with \'}\'');
      if (last === '}') {
        const next = this.readRune();
        if (next !== undefined && next !== ',') this.unreadRune();
        list.push(this.typed(value));
        return list;
      }
      list.push(this.typed(value));
    }
  }
}

function set(data: ValuesMap, key: string, value: unknown): void {
  if (key !== '') setOwn(data, key, value);
}

function setIndex(list: unknown[], index: number, value: unknown): unknown[] {
  if (index > MAX_INDEX) throw new SetValueError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  while (list.length <= index) list.push(NIL);
  list[index] = value;
  return list;
}

function describe(v: unknown): string {
  return Array.isArray(v) ? 'a list' : isTable(v) ? 'a map' : JSON.stringify(v);
}

/** Applies one `--set` (or, with `asString`, `--set-string`) argument to `values`, as Helm does. */
export function applySetArgument(values: ValuesMap, argument: string, asString: boolean): void {
  try {
    new StrvalsParser(argument, asString).parse(values);
  } catch (e) {
    if (e instanceof SetValueError) throw new SetValueError(`--${asString ? 'set-string' : 'set'} ${JSON.stringify(argument)}: ${e.message}`);
    throw e;
  }
}
