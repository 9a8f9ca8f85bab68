// The browser-side bid commitment (WebCrypto) against the worked example of
// docs/bid-commitment.md, from the file the C++ tests read.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson, parseJson } from '../../src/crypto/canonical';
import { bidCommitment, fromHex, newSalt } from '../../src/crypto/commitment';

interface Doc {
  vectors: { name: string; bid: unknown; canonical: string; canonical_bytes: number; salt_hex: string; commitment_hex: string }[];
}
const text = readFileSync(new URL('../../../tests/vectors/bid-commitment.json', import.meta.url), 'utf8');
const doc = JSON.parse(text) as Doc;

describe('bid commitment: the shared worked example', () => {
  for (const v of doc.vectors) {
    it(v.name, async () => {
      // The bid as the page holds it, integers exact.
      const bid = parseJson(JSON.stringify(v.bid));
      expect(canonicalJson(bid)).toBe(v.canonical);
      expect(canonicalBytes(bid).length).toBe(v.canonical_bytes);
      expect(await bidCommitment(fromHex(v.salt_hex), bid)).toBe(v.commitment_hex);
    });
  }
  it('another salt or price gives another commitment', async () => {
    const v = doc.vectors[0]!;
    const bid = parseJson(JSON.stringify(v.bid)) as Map<string, unknown>;
    const salt = fromHex(v.salt_hex);
    salt[31] = salt[31]! ^ 1;
    expect(await bidCommitment(salt, bid as never)).not.toBe(v.commitment_hex);
    bid.set('price_fen_per_m2_month', 251n);
    expect(await bidCommitment(fromHex(v.salt_hex), bid as never)).not.toBe(v.commitment_hex);
    expect(newSalt().length).toBe(32);
  });
});
