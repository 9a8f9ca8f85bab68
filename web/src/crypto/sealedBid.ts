// The sealed bid as the bidding page assembles it (docs/bid-commitment.md):
// the price typed in yuan becomes exact integer fen, the bid object gets the
// members and types the server checks at the reveal, and the opening file the
// bidder keeps (salt + bid) is written and read back strictly. No floating
// point touches a price: yuan are parsed as text.
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bidCommitment, fromHex, toHex } from './commitment';
import { canonicalJson, parseJson, type JsonValue } from './canonical';

// docs/bid-commitment.md: kMaxBidPriceFen, the bound scoring is defined for.
export const MAX_PRICE_FEN = 10n ** 12n;
export const OPENING_FORMAT = 'sunbid/bid-opening/v1';

export class BidInputError extends Error {
  constructor(
    readonly code: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(zh);
  }
  text(locale: string): string {
    return locale === 'en' ? this.en : this.zh;
  }
}

// "3.50" → 350n fen. Digits with at most two decimals, > 0 and at most
// MAX_PRICE_FEN; anything else (a third decimal, a sign, an exponent,
// separators, an empty field) is refused with the reason.
export function yuanToFen(text: string): bigint {
  const s = text.trim();
  if (s === '') throw new BidInputError('price_missing', '请填写报价', 'enter a price');
  if (s.startsWith('-')) throw new BidInputError('price_negative', '报价不能为负数', 'the price cannot be negative');
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) {
    if (/^\d+\.\d{3,}$/.test(s)) {
      throw new BidInputError('price_precision', '报价最多精确到分（小数点后两位）', 'the price has at most two decimals (fen)');
    }
    throw new BidInputError('price_invalid', '报价须为数字，如 2.50', 'the price must be a number such as 2.50');
  }
  const fen = BigInt(m[1]!) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  if (fen <= 0n) throw new BidInputError('price_zero', '报价必须大于零', 'the price must be above zero');
  if (fen > MAX_PRICE_FEN) throw new BidInputError('price_too_high', '报价超出允许范围', 'the price is out of range');
  return fen;
}

// 350n → "3.50".
export function fenToYuan(fen: bigint): string {
  const neg = fen < 0n;
  const a = neg ? -fen : fen;
  return `${neg ? '-' : ''}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
}

export interface BidDocument {
  name: string;
  sha256_hex: string;
}

export interface SealedBid {
  tender_id: string;
  bidder_uscc: string;
  price_fen_per_m2_month: bigint;
  staffing: Map<string, bigint>;
  service_plan: string;
  documents: BidDocument[];
}

// The bid as canonical JSON sees it (integers as BigInt).
export function bidJson(b: SealedBid): JsonValue {
  return new Map<string, JsonValue>([
    ['tender_id', b.tender_id],
    ['bidder_uscc', b.bidder_uscc],
    ['price_fen_per_m2_month', b.price_fen_per_m2_month],
    ['staffing', new Map<string, JsonValue>([...b.staffing])],
    ['service_plan', b.service_plan],
    ['documents', b.documents.map((d) => new Map<string, JsonValue>([['name', d.name], ['sha256_hex', d.sha256_hex]]))],
  ]);
}

// Head counts typed as text: a whole number >= 0.
export function headCount(role: string, text: string): bigint {
  const s = text.trim();
  if (!/^\d{1,9}$/.test(s)) {
    throw new BidInputError('staffing_invalid', `“${role}”的人数须为非负整数`, `the head count of "${role}" must be a whole number >= 0`);
  }
  return BigInt(s);
}

export async function commitmentOf(salt: Uint8Array, bid: SealedBid): Promise<string> {
  return bidCommitment(salt, bidJson(bid));
}

// ---- the opening file -------------------------------------------------------

export interface Opening {
  salt: Uint8Array;
  bid: SealedBid;
  commitment: string;
}

// The opening file's text: the format tag, the tender, the salt, the bid in
// canonical form and the commitment it opens (for a quick look by a human).
export function openingFileText(o: Opening): string {
  return (
    canonicalJson(
      new Map<string, JsonValue>([
        ['format', OPENING_FORMAT],
        ['tender_id', o.bid.tender_id],
        ['salt_hex', toHex(o.salt)],
        ['bid', bidJson(o.bid)],
        ['commitment_sha256_hex', o.commitment],
      ]),
    ) + '\n'
  );
}

// "开标文件-T7-20270101T100000.json": the tender and the (China) time.
export function openingFileName(tenderId: string, at: Date): string {
  const china = new Date(at.getTime() + 8 * 3600_000).toISOString();
  const stamp = china.slice(0, 19).replace(/[-:]/g, '');
  return `sunbid-opening-${tenderId.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}.json`;
}

const bad = (zh: string, en: string) => new BidInputError('opening_invalid', `开标文件无效：${zh}`, `the opening file is invalid: ${en}`);

function str(m: Map<string, JsonValue>, k: string): string {
  const v = m.get(k);
  if (typeof v !== 'string') throw bad(`缺少或错误的 ${k}`, `${k} is missing or not a string`);
  return v;
}

function int(v: JsonValue | undefined, what: string): bigint {
  if (typeof v !== 'bigint') throw bad(`${what} 须为整数`, `${what} must be an integer`);
  return v;
}

function exactKeys(m: Map<string, JsonValue>, keys: string[], what: string): void {
  const have = [...m.keys()].sort();
  const want = [...keys].sort();
  if (have.join('\n') !== want.join('\n')) {
    throw bad(`${what} 的字段应为 ${want.join('、')}`, `${what} must have exactly the members ${want.join(', ')}`);
  }
}

// Reads an opening file back, strictly: the format tag, a 32-byte salt, a bid
// with exactly the members of docs/bid-commitment.md, and a commitment that
// the salt and bid reproduce. `tenderId`, when given, must be the file's.
export async function parseOpeningFile(text: string, tenderId?: string): Promise<Opening> {
  let root: JsonValue;
  try {
    root = parseJson(text.replace(/^\uFEFF/, '').trim());
  } catch (e) {
    throw bad('不是有效的 JSON', `not valid JSON (${(e as Error).message})`);
  }
  if (!(root instanceof Map)) throw bad('不是 JSON 对象', 'not a JSON object');
  exactKeys(root, ['format', 'tender_id', 'salt_hex', 'bid', 'commitment_sha256_hex'], '文件');
  if (root.get('format') !== OPENING_FORMAT) throw bad('格式标记不符', `format is not ${OPENING_FORMAT}`);
  const saltHex = str(root, 'salt_hex');
  if (!/^[0-9a-f]{64}$/.test(saltHex)) throw bad('盐值须为 64 位小写十六进制', 'salt_hex must be 64 lowercase hex characters');
  const commitment = str(root, 'commitment_sha256_hex');
  if (!/^[0-9a-f]{64}$/.test(commitment)) throw bad('承诺值须为 64 位小写十六进制', 'the commitment must be 64 lowercase hex characters');
  const b = root.get('bid');
  if (!(b instanceof Map)) throw bad('缺少投标内容 bid', 'bid is missing');
  exactKeys(b, ['tender_id', 'bidder_uscc', 'price_fen_per_m2_month', 'staffing', 'service_plan', 'documents'], 'bid');
  const staffingV = b.get('staffing');
  if (!(staffingV instanceof Map)) throw bad('staffing 须为对象', 'staffing must be an object');
  const staffing = new Map<string, bigint>();
  for (const [role, n] of staffingV) {
    const c = int(n, `staffing.${role}`);
    if (c < 0n) throw bad('人数不能为负', 'a head count is negative');
    staffing.set(role, c);
  }
  const docsV = b.get('documents');
  if (!Array.isArray(docsV)) throw bad('documents 须为数组', 'documents must be an array');
  const documents = docsV.map((d, i): BidDocument => {
    if (!(d instanceof Map)) throw bad(`第 ${i + 1} 个文件不是对象`, `document ${i + 1} is not an object`);
    exactKeys(d, ['name', 'sha256_hex'], `documents[${i}]`);
    const h = str(d, 'sha256_hex');
    if (!/^[0-9a-f]{64}$/.test(h)) throw bad(`第 ${i + 1} 个文件的摘要无效`, `document ${i + 1}: sha256_hex is not 64 lowercase hex`);
    return { name: str(d, 'name'), sha256_hex: h };
  });
  const price = int(b.get('price_fen_per_m2_month'), 'price_fen_per_m2_month');
  if (price <= 0n || price > MAX_PRICE_FEN) throw bad('报价超出范围', 'the price is out of range');
  const bid: SealedBid = {
    tender_id: str(b, 'tender_id'),
    bidder_uscc: str(b, 'bidder_uscc'),
    price_fen_per_m2_month: price,
    staffing,
    service_plan: str(b, 'service_plan'),
    documents,
  };
  if (str(root, 'tender_id') !== bid.tender_id) throw bad('文件与投标内容的项目编号不一致', 'the file and its bid name different tenders');
  if (tenderId !== undefined && bid.tender_id !== tenderId) {
    throw new BidInputError('opening_other_tender', `这是项目 ${bid.tender_id} 的开标文件，不是本项目（${tenderId}）的`, `this opening file is for tender ${bid.tender_id}, not ${tenderId}`);
  }
  const salt = fromHex(saltHex);
  const recomputed = await commitmentOf(salt, bid);
  if (recomputed !== commitment) throw bad('盐值与投标内容算不出文件中的承诺值（文件被改动过）', 'the salt and bid do not give the commitment in the file (it was changed)');
  return { salt, bid, commitment };
}

// The reveal request's body: the salt and the bid, integers as JSON numbers
// (a price up to 10^12 fen is exact in a double).
export function revealBody(o: Opening): { salt_hex: string; bid: Record<string, unknown> } {
  return {
    salt_hex: toHex(o.salt),
    bid: {
      tender_id: o.bid.tender_id,
      bidder_uscc: o.bid.bidder_uscc,
      price_fen_per_m2_month: Number(o.bid.price_fen_per_m2_month),
      staffing: Object.fromEntries([...o.bid.staffing].map(([k, v]) => [k, Number(v)])),
      service_plan: o.bid.service_plan,
      documents: o.bid.documents.map((d) => ({ name: d.name, sha256_hex: d.sha256_hex })),
    },
  };
}

// ---- documents hashed in the page --------------------------------------------

const CHUNK = 4 * 1024 * 1024;

// SHA-256 of a chosen file, read in 4 MiB slices into an incremental hash
// (@noble/hashes), so a large scan never sits in memory whole.
export async function fileSha256(file: Blob, onProgress?: (done: number, total: number) => void): Promise<string> {
  const h = nobleSha256.create();
  for (let off = 0; off < file.size; off += CHUNK) {
    const part = new Uint8Array(await file.slice(off, off + CHUNK).arrayBuffer());
    h.update(part);
    onProgress?.(Math.min(off + CHUNK, file.size), file.size);
  }
  return toHex(h.digest());
}

// ---- the receipt: the entry must hold this bid's commitment ------------------

// Checks that the bid.committed entry the server answered is the bidder's:
// its type, tender, bidder and commitment. Throws the mismatch.
export function checkReceiptEntry(entryText: string, want: { tenderId: string; uscc: string; commitment: string; logIndex: number }): void {
  let e: JsonValue;
  try {
    e = parseJson(entryText);
  } catch {
    throw new BidInputError('receipt_invalid', '回执条目不是有效的 JSON', 'the receipt entry is not valid JSON');
  }
  const m = e instanceof Map ? e : null;
  const p = m?.get('payload');
  const fail = (zh: string, en: string) => new BidInputError('receipt_mismatch', `回执条目不符：${zh}`, `the receipt entry does not match: ${en}`);
  if (!m || !(p instanceof Map)) throw fail('缺少 payload', 'no payload');
  if (m.get('type') !== 'bid.committed') throw fail('类型不是 bid.committed', 'its type is not bid.committed');
  if (m.get('index') !== BigInt(want.logIndex)) throw fail('序号不一致', 'another log index');
  if (p.get('tender_id') !== want.tenderId) throw fail('项目编号不一致', 'another tender');
  if (p.get('bidder_uscc') !== want.uscc) throw fail('投标人不一致', 'another bidder');
  if (p.get('commitment') !== want.commitment) throw fail('承诺值不一致', 'another commitment');
}
