// The TypeScript canonical JSON against the golden vectors the C++ tests
// read (tests/vectors/canonical-json.json: the same file, not a copy).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson, parseJson } from '../../src/crypto/canonical';
import { toHex } from '../../src/crypto/commitment';

interface Doc {
  vectors: { name: string; input: string; canonical_hex: string }[];
  refused: { name: string; input: string }[];
}
const doc = JSON.parse(readFileSync(new URL('../../../tests/vectors/canonical-json.json', import.meta.url), 'utf8')) as Doc;

describe('canonical JSON: the shared golden vectors', () => {
  it('has the vectors', () => expect(doc.vectors.length).toBeGreaterThanOrEqual(10));
  for (const v of doc.vectors) {
    it(v.name, () => {
      expect(toHex(canonicalBytes(parseJson(v.input)))).toBe(v.canonical_hex);
    });
  }
  for (const v of doc.refused) {
    it(`refuses ${v.name}`, () => {
      expect(() => canonicalJson(parseJson(v.input))).toThrow();
    });
  }
});

describe('canonical JSON: precision and strictness', () => {
  it('keeps int64 extremes exact (BigInt)', () => {
    expect(canonicalJson(parseJson('[9223372036854775807,-9223372036854775808]'))).toBe(
      '[9223372036854775807,-9223372036854775808]',
    );
    expect(canonicalJson(parseJson('9007199254740993'))).toBe('9007199254740993');
  });
  it('refuses duplicate keys, lone surrogates and unsafe numbers', () => {
    expect(() => parseJson('{"a":1,"a":2}')).toThrow(/duplicate/);
    expect(() => canonicalJson('\ud800')).toThrow(/surrogate/);
    expect(() => canonicalJson(2 ** 60)).toThrow();
    expect(() => canonicalJson(1.5)).toThrow();
  });
  it('sorts plain objects too, and nests at most 64 levels', () => {
    expect(canonicalJson({ b: 1n, a: [true, null] })).toBe('{"a":[true,null],"b":1}');
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(canonicalJson(parseJson(deep(64)))).toBe(deep(64));
    expect(() => parseJson(deep(65))).toThrow();
  });
});
