// Canonical JSON (docs/canonical-json.md): RFC 8785 restricted to integers.
// Integers are BigInt (int64, no precision lost); keys are sorted by UTF-16
// code units (JavaScript's own string order); only `"`, `\` and controls
// are escaped, minimally; at most 64 levels of nesting. Values without a
// canonical form (fractions, out-of-range integers, lone surrogates,
// duplicate keys) are refused with a CanonicalError naming the reason.

// A number that is not an integer in the JSON text (a fraction or an
// exponent, even 1e3): it has no canonical form.
export class JsonFraction {
  constructor(readonly text: string) {}
}

export type JsonValue =
  | null
  | JsonFraction
  | boolean
  | bigint
  | number
  | string
  | JsonValue[]
  | Map<string, JsonValue>
  | { [key: string]: JsonValue };

export class CanonicalError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_DEPTH = 64;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function encodeString(s: string): string {
  if (LONE_SURROGATE.test(s)) throw new CanonicalError('invalid_utf8', 'a string holds a lone surrogate');
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    const short = SHORT[ch];
    if (short !== undefined) out += short;
    else if (c < 0x20) out += '\\u00' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

function encodeInt(n: bigint): string {
  if (n < INT64_MIN || n > INT64_MAX) throw new CanonicalError('integer_out_of_range', `${n} is outside int64`);
  return n.toString();
}

function entries(v: Map<string, JsonValue> | { [key: string]: JsonValue }): [string, JsonValue][] {
  return v instanceof Map ? [...v.entries()] : Object.entries(v);
}

function encode(v: JsonValue, depth: number): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'bigint') return encodeInt(v);
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new CanonicalError('non_integer_number', `${v} has no canonical form`);
    return encodeInt(BigInt(v));
  }
  if (typeof v === 'string') return encodeString(v);
  if (v instanceof JsonFraction) throw new CanonicalError('non_integer_number', `${v.text} has no canonical form`);
  if (depth >= MAX_DEPTH) throw new CanonicalError('nesting_too_deep', 'more than 64 levels');
  if (Array.isArray(v)) return '[' + v.map((x) => encode(x, depth + 1)).join(',') + ']';
  const members = entries(v);
  // UTF-16 code-unit order is JavaScript's string comparison.
  members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 1; i < members.length; i++) {
    if (members[i]![0] === members[i - 1]![0]) throw new CanonicalError('duplicate_key', 'a key appears twice');
  }
  return '{' + members.map(([k, x]) => encodeString(k) + ':' + encode(x, depth + 1)).join(',') + '}';
}

// The canonical text of `v`.
export function canonicalJson(v: JsonValue): string {
  return encode(v, 0);
}

// Its UTF-8 bytes, as they are hashed.
export function canonicalBytes(v: JsonValue): Uint8Array {
  return new TextEncoder().encode(canonicalJson(v));
}

// A strict JSON parser (RFC 8259) that keeps integers exact: integers become
// BigInt, other numbers JsonFraction (which the encoder refuses); objects become
// Maps; a duplicate key is refused.
export function parseJson(text: string): JsonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new CanonicalError('invalid_json', `${what} at offset ${i}`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (depth: number): JsonValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      if (depth >= MAX_DEPTH) fail('nesting too deep');
      i++;
      const m = new Map<string, JsonValue>();
      ws();
      if (text[i] === '}') {
        i++;
        return m;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const k = str();
        ws();
        if (text[i++] !== ':') fail('expected :');
        if (m.has(k)) throw new CanonicalError('duplicate_key', `duplicate key at offset ${i}`);
        m.set(k, value(depth + 1));
        ws();
        const d = text[i++];
        if (d === '}') return m;
        if (d !== ',') fail('expected , or }');
      }
    }
    if (c === '[') {
      if (depth >= MAX_DEPTH) fail('nesting too deep');
      i++;
      const a: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value(depth + 1));
        ws();
        const d = text[i++];
        if (d === ']') return a;
        if (d !== ',') fail('expected , or ]');
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [['null', null], ['true', true], ['false', false]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!m) return fail('unexpected character');
    i += m[0].length;
    return m[2] === undefined && m[3] === undefined ? BigInt(m[0]) : new JsonFraction(m[0]);
  };
  const str = (): string => {
    i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i++]!;
      if (c === '"') return out;
      if (c < ' ') fail('control character in a string');
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[i++];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && simple[e] !== undefined) out += simple[e];
      else if (e === 'u') {
        const h = text.slice(i, i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(h)) fail('bad \\u escape');
        out += String.fromCharCode(parseInt(h, 16));
        i += 4;
      } else fail('bad escape');
    }
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing bytes');
  return v;
}
