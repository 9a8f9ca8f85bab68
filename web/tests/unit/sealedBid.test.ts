// The bidding page's pure logic: yuan → exact fen, the opening file written
// and read back strictly, the commitment of an assembled bid reproducing the
// shared golden vector (tests/vectors/bid-commitment.json, the file the C++
// tests read), the incremental file hash, and the receipt entry check.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../src/crypto/commitment';
import {
  checkReceiptEntry,
  commitmentOf,
  fenToYuan,
  fileSha256,
  headCount,
  openingFileName,
  openingFileText,
  parseOpeningFile,
  revealBody,
  yuanToFen,
  type SealedBid,
} from '../../src/crypto/sealedBid';

interface Vector {
  bid: { tender_id: string; bidder_uscc: string; price_fen_per_m2_month: number; staffing: Record<string, number>; service_plan: string; documents: { name: string; sha256_hex: string }[] };
  salt_hex: string;
  commitment_hex: string;
}
const vectors = (JSON.parse(readFileSync(new URL('../../../tests/vectors/bid-commitment.json', import.meta.url), 'utf8')) as { vectors: Vector[] }).vectors;

// The bid as the page assembles it from the form: typed yuan, typed head counts.
function assembled(v: Vector, priceText: string): SealedBid {
  return {
    tender_id: v.bid.tender_id,
    bidder_uscc: v.bid.bidder_uscc,
    price_fen_per_m2_month: yuanToFen(priceText),
    staffing: new Map(Object.entries(v.bid.staffing).map(([k, n]) => [k, headCount(k, String(n))])),
    service_plan: v.bid.service_plan,
    documents: v.bid.documents,
  };
}

describe('yuan to fen', () => {
  it('parses exact fen', () => {
    expect(yuanToFen('3.50')).toBe(350n);
    expect(yuanToFen('3.5')).toBe(350n);
    expect(yuanToFen('3')).toBe(300n);
    expect(yuanToFen(' 0.01 ')).toBe(1n);
    expect(yuanToFen('2.05')).toBe(205n);
    expect(yuanToFen('0.29')).toBe(29n); // 0.29 * 100 is 28.999… in floating point
    expect(yuanToFen('10000000000')).toBe(10n ** 12n);
  });
  it('refuses what is not a price, naming why', () => {
    const code = (s: string) => {
      try {
        yuanToFen(s);
        return 'accepted';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(code('3.505')).toBe('price_precision');
    expect(code('-1')).toBe('price_negative');
    expect(code('-0.01')).toBe('price_negative');
    expect(code('0')).toBe('price_zero');
    expect(code('0.00')).toBe('price_zero');
    expect(code('')).toBe('price_missing');
    expect(code('1e3')).toBe('price_invalid');
    expect(code('1,000')).toBe('price_invalid');
    expect(code('.5')).toBe('price_invalid');
    expect(code('3.')).toBe('price_invalid');
    expect(code('+3')).toBe('price_invalid');
    expect(code('三元')).toBe('price_invalid');
    expect(code('10000000000.01')).toBe('price_too_high');
  });
  it('prints fen as yuan', () => {
    expect(fenToYuan(350n)).toBe('3.50');
    expect(fenToYuan(1n)).toBe('0.01');
    expect(fenToYuan(250n)).toBe('2.50');
  });
  it('refuses a head count that is not a whole number', () => {
    expect(headCount('保安', '6')).toBe(6n);
    expect(() => headCount('保安', '-1')).toThrow(/保安/);
    expect(() => headCount('保安', '1.5')).toThrow();
    expect(() => headCount('保安', '')).toThrow();
  });
});

describe('the commitment of a bid assembled in the page', () => {
  for (const v of vectors) {
    it(`reproduces the golden vector from typed input (${v.bid.price_fen_per_m2_month} fen)`, async () => {
      const bid = assembled(v, fenToYuan(BigInt(v.bid.price_fen_per_m2_month)));
      expect(await commitmentOf(fromHex(v.salt_hex), bid)).toBe(v.commitment_hex);
      // One fen more is another commitment.
      const other = assembled(v, fenToYuan(BigInt(v.bid.price_fen_per_m2_month) + 1n));
      expect(await commitmentOf(fromHex(v.salt_hex), other)).not.toBe(v.commitment_hex);
    });
  }
});

describe('the opening file', () => {
  const v = vectors[0]!;
  const bid = assembled(v, '2.50');
  const salt = fromHex(v.salt_hex);

  it('round-trips and carries the golden commitment', async () => {
    const text = openingFileText({ salt, bid, commitment: v.commitment_hex });
    const back = await parseOpeningFile(text, v.bid.tender_id);
    expect(back.commitment).toBe(v.commitment_hex);
    expect(back.bid.price_fen_per_m2_month).toBe(250n);
    expect(revealBody(back)).toEqual({ salt_hex: v.salt_hex, bid: v.bid });
  });
  it('names the tender and the China time', () => {
    expect(openingFileName('T7', new Date('2027-01-01T02:00:00Z'))).toBe('sunbid-opening-T7-20270101T100000.json');
  });
  it('refuses a changed, foreign or malformed file', async () => {
    const text = openingFileText({ salt, bid, commitment: v.commitment_hex });
    await expect(parseOpeningFile(text.replace('"price_fen_per_m2_month":250', '"price_fen_per_m2_month":240'))).rejects.toThrow(/承诺值/);
    await expect(parseOpeningFile(text.replace(v.salt_hex, '11' + v.salt_hex.slice(2)))).rejects.toThrow(/承诺值/);
    await expect(parseOpeningFile(text, 'T9')).rejects.toMatchObject({ code: 'opening_other_tender' });
    await expect(parseOpeningFile('not json')).rejects.toThrow(/JSON/);
    await expect(parseOpeningFile(text.replace('"price_fen_per_m2_month":250', '"price_fen_per_m2_month":2.5'))).rejects.toThrow(/整数/);
    await expect(parseOpeningFile(text.replace('"format":"sunbid/bid-opening/v1"', '"format":"other"'))).rejects.toThrow(/格式/);
    await expect(parseOpeningFile(text.replace(v.salt_hex, v.salt_hex.slice(2)))).rejects.toThrow(/盐值/);
    await expect(parseOpeningFile(text.replace('"service_plan"', '"extra":1,"service_plan"'))).rejects.toThrow(/字段/);
  });
});

describe('document digests', () => {
  it('hashes a file in slices, equal to a one-shot SHA-256', async () => {
    const bytes = new Uint8Array(9 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 0xff);
    const want = createHash('sha256').update(bytes).digest('hex');
    const seen: number[] = [];
    expect(await fileSha256(new Blob([bytes]), (d) => seen.push(d))).toBe(want);
    expect(seen.length).toBe(3);
    expect(await fileSha256(new Blob([new TextEncoder().encode('plan')]))).toBe(vectors[0]!.bid.documents[0]!.sha256_hex);
  });
});

describe('the receipt entry', () => {
  const entry = (p: Record<string, unknown>, index = 42, type = 'bid.committed') =>
    JSON.stringify({ actor: 'a', index, payload: p, prev: '00', role: 'enterprise', source: null, tender: 'T1', time: 't', type });
  const want = { tenderId: 'T1', uscc: '91350200776049653A', commitment: 'ab'.repeat(32), logIndex: 42 };
  const payload = { bid_id: 'B42', bidder_uscc: want.uscc, commitment: want.commitment, tender_id: 'T1' };
  it('accepts the entry holding this commitment', () => {
    expect(() => checkReceiptEntry(entry(payload), want)).not.toThrow();
  });
  it('refuses another commitment, bidder, tender, index or type', () => {
    expect(() => checkReceiptEntry(entry({ ...payload, commitment: 'cd'.repeat(32) }), want)).toThrow(/承诺值/);
    expect(() => checkReceiptEntry(entry({ ...payload, bidder_uscc: 'X' }), want)).toThrow(/投标人/);
    expect(() => checkReceiptEntry(entry({ ...payload, tender_id: 'T2' }), want)).toThrow(/项目/);
    expect(() => checkReceiptEntry(entry(payload, 43), want)).toThrow(/序号/);
    expect(() => checkReceiptEntry(entry(payload, 42, 'bid.withdrawn'), want)).toThrow(/类型/);
  });
});
