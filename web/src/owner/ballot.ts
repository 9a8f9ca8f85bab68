// The owner's ballot: the receipt entry checked in the page (it must hold
// this ballot's choice), and the 民法典 art. 278 thresholds as exact integer
// comparisons (docs/motions.md): participation at least 2/3 of the area and
// of the heads; approval more than 1/2, or at least 3/4 for items 6–8, of
// the participating area and heads.
import { parseJson, type JsonValue } from '@/crypto/canonical';

export type VoteKind = 'tender' | 'motion';
export type Approval = 'more_than_half' | 'at_least_three_quarters';

export class BallotReceiptError extends Error {
  constructor(readonly zh: string, readonly en: string) {
    super(zh);
  }
  text(locale: string): string {
    return locale === 'en' ? this.en : this.zh;
  }
}

// Throws BallotReceiptError unless `entryText` is the ballot entry of this
// vote with this choice at this log index.
export function checkBallotEntry(entryText: string, want: { kind: VoteKind; id: string; choice: string; logIndex: number }): void {
  let e: JsonValue;
  try {
    e = parseJson(entryText);
  } catch {
    throw new BallotReceiptError('回执条目不是有效的 JSON', 'the receipt entry is not valid JSON');
  }
  const m = e instanceof Map ? e : null;
  const p = m?.get('payload');
  const fail = (zh: string, en: string) => new BallotReceiptError(`回执条目不符：${zh}`, `the receipt entry does not match: ${en}`);
  if (!m || !(p instanceof Map)) throw fail('缺少 payload', 'no payload');
  const type = want.kind === 'tender' ? 'ballot.cast' : 'motion.ballot_cast';
  if (m.get('type') !== type) throw fail(`类型不是 ${type}`, `its type is not ${type}`);
  if (m.get('index') !== BigInt(want.logIndex)) throw fail('序号不一致', 'another log index');
  if (p.get(want.kind === 'tender' ? 'tender_id' : 'motion_id') !== want.id) throw fail('表决事项不一致', 'another vote');
  if (p.get('choice') !== want.choice) throw fail('选择不一致', 'another choice');
}

// 3·part ≥ 2·total
export function quorumMet(part: number, total: number): boolean {
  return 3 * part >= 2 * total && total > 0;
}

export function approves(approval: Approval, x: number, part: number): boolean {
  return approval === 'at_least_three_quarters' ? 4 * x >= 3 * part && part > 0 : 2 * x > part;
}

export function approvalLine(approval: Approval): { num: number; den: number } {
  return approval === 'at_least_three_quarters' ? { num: 3, den: 4 } : { num: 1, den: 2 };
}

export interface Tally {
  total_area_centi_m2: number;
  total_heads: number;
  participating_area_centi_m2: number;
  participating_heads: number;
  area_quorum: boolean;
  head_quorum: boolean;
  candidates: { bid_id: string; area_centi_m2: number; heads: number }[];
}

// The choice that meets the double majority under `approval`, if any.
export function tallyWinner(t: Tally, approval: Approval): string | null {
  if (!quorumMet(t.participating_area_centi_m2, t.total_area_centi_m2) || !quorumMet(t.participating_heads, t.total_heads)) return null;
  const won = t.candidates.filter(
    (c) => approves(approval, c.area_centi_m2, t.participating_area_centi_m2) && approves(approval, c.heads, t.participating_heads),
  );
  return won.length === 1 ? won[0]!.bid_id : null;
}

// 0.01 m² as square metres with two decimals (integers only: no rounding).
export function squareMetres(centi: number): string {
  return `${Math.floor(centi / 100)}.${String(centi % 100).padStart(2, '0')}`;
}
