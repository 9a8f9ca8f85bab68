// The owner's ballot receipt check and the 民法典 art. 278 arithmetic of the
// result page (docs/motions.md: integers, no rounding).
import { describe, expect, it } from 'vitest';
import { approves, checkBallotEntry, quorumMet, tallyWinner, type Tally } from '../../src/owner/ballot';

const entry = (type: string, payload: Record<string, unknown>, index = 42) =>
  JSON.stringify({ index, payload, type });

describe('ballot receipt entry', () => {
  const tender = entry('ballot.cast', { choice: 'B7', tender_id: 'T3' });
  it('holds the choice', () => {
    expect(() => checkBallotEntry(tender, { kind: 'tender', id: 'T3', choice: 'B7', logIndex: 42 })).not.toThrow();
    const motion = entry('motion.ballot_cast', { choice: 'for', motion_id: 'M1' }, 9);
    expect(() => checkBallotEntry(motion, { kind: 'motion', id: 'M1', choice: 'for', logIndex: 9 })).not.toThrow();
  });
  it('names what does not match', () => {
    expect(() => checkBallotEntry(tender, { kind: 'tender', id: 'T3', choice: 'B8', logIndex: 42 })).toThrow('选择不一致');
    expect(() => checkBallotEntry(tender, { kind: 'tender', id: 'T4', choice: 'B7', logIndex: 42 })).toThrow('表决事项不一致');
    expect(() => checkBallotEntry(tender, { kind: 'tender', id: 'T3', choice: 'B7', logIndex: 43 })).toThrow('序号不一致');
    expect(() => checkBallotEntry(tender, { kind: 'motion', id: 'T3', choice: 'B7', logIndex: 42 })).toThrow('motion.ballot_cast');
    expect(() => checkBallotEntry('{', { kind: 'tender', id: 'T3', choice: 'B7', logIndex: 42 })).toThrow('JSON');
  });
});

describe('art. 278 thresholds', () => {
  it('quorum is at least two thirds, approval more than half or at least three quarters', () => {
    expect(quorumMet(2, 3)).toBe(true);
    expect(quorumMet(199, 300)).toBe(false);
    expect(approves('more_than_half', 5, 10)).toBe(false);
    expect(approves('more_than_half', 6, 10)).toBe(true);
    expect(approves('at_least_three_quarters', 3, 4)).toBe(true);
    expect(approves('at_least_three_quarters', 74, 100)).toBe(false);
  });
  const t = (parts: [number, number], cands: [string, number, number][]): Tally => ({
    total_area_centi_m2: 9000, total_heads: 6,
    participating_area_centi_m2: parts[0], participating_heads: parts[1],
    area_quorum: false, head_quorum: false,
    candidates: cands.map(([bid_id, area_centi_m2, heads]) => ({ bid_id, area_centi_m2, heads })),
  });
  it('the winner needs both majorities after both quorums', () => {
    expect(tallyWinner(t([6000, 4], [['B1', 3001, 3], ['B2', 2999, 1]]), 'more_than_half')).toBe('B1');
    expect(tallyWinner(t([6000, 4], [['B1', 3001, 2], ['B2', 2999, 2]]), 'more_than_half')).toBeNull();
    expect(tallyWinner(t([5999, 4], [['B1', 5999, 4]]), 'more_than_half')).toBeNull();
    expect(tallyWinner(t([6000, 3], [['B1', 6000, 3]]), 'more_than_half')).toBeNull();
  });
});
