// The wizard's form model (src/tenderer/draft.ts): China time typed in the
// form is the UTC instant sent, each decision method sends exactly its own
// parameters and vote window, and a saved draft's rules come back unchanged.
import { describe, expect, it } from 'vitest';
import { applyPlan, chinaInputToUtc, fromRules, newTenderForm, toRules, utcToChinaInput, yuanToFen, type TenderForm } from '../../src/tenderer/draft';

function form(changes: Partial<TenderForm>): TenderForm {
  return { ...newTenderForm(), serviceTier: 'T2', areaCentiM2: 2173710, bidDeadlineChina: '2027-01-06T10:00', ...changes };
}

describe('tender draft form', () => {
  it('reads the deadline as China time (UTC+8), whatever the machine zone', () => {
    expect(chinaInputToUtc('2027-01-06T10:00')).toBe('2027-01-06T02:00:00Z');
    // 00:30 China time is the previous UTC day.
    expect(chinaInputToUtc('2027-01-01T00:30')).toBe('2026-12-31T16:30:00Z');
    expect(utcToChinaInput('2026-12-31T16:30:00.000Z')).toBe('2027-01-01T00:30');
    expect(chinaInputToUtc('2027-01-06')).toBeNull();
    expect(chinaInputToUtc('')).toBeNull();
  });

  it('sends each method its own parameters and vote window', () => {
    const owners = toRules(form({ method: 'owners_vote', voteWindowDays: 9 }));
    expect(owners.decision).toEqual({ method: 'owners_vote', allow_runoff: true });
    expect([owners.vote_window_days, owners.vote_window_s]).toEqual([9, 0]);
    const committee = toRules(form({ method: 'committee_vote', voteRoundHours: 48 }));
    expect(committee.decision).toEqual({ method: 'committee_vote' });
    expect([committee.vote_window_days, committee.vote_window_s]).toEqual([0, 172800]);
    const lowest = toRules(form({ method: 'lowest_price' }));
    expect([lowest.vote_window_days, lowest.vote_window_s]).toEqual([0, 0]);
    const composite = toRules(form({ method: 'composite_score' }));
    expect(composite.decision).toEqual({
      method: 'composite_score',
      weights_bp: { price: 6000, credit: 2500, star: 1500 },
      benchmark: 'mean',
      k_above: 100,
      k_below: 50,
    });
    expect(toRules(form({ method: 'vote_then_lottery', shortlistSize: 3 })).decision).toEqual({ method: 'vote_then_lottery', shortlist_size: 3 });
    expect(owners.reveal_window_s).toBe(86400);
    expect(owners.bid_deadline).toBe('2027-01-06T02:00:00Z');
  });

  it('brings a saved draft back into the form unchanged', () => {
    for (const method of ['owners_vote', 'composite_score', 'committee_vote', 'vote_then_lottery', 'lottery'] as const) {
      const f = form({ method, title: '草稿', minStarRating: 4, criteria: [{ code: 'plan', title: '服务方案' }] });
      const rules = toRules(f);
      expect(toRules(fromRules('草稿', rules))).toEqual(rules);
    }
  });

  it('takes the selection plan: tier, budget in fen, term, thresholds, decision', () => {
    const f = form({ method: 'lowest_price', candidatePublicityDays: 3 });
    applyPlan(f, 'M3', {
      tier: 'T2',
      budget_fen_per_m2_month: { min: 200, max: 305 },
      contract_term_months: 24,
      thresholds: { min_credit_grade: 'AA', min_star_rating: 4 },
      decision: { method: 'owners_vote', allow_runoff: false },
    });
    const rules = toRules(f);
    expect(rules.selection_plan_motion).toBe('M3');
    expect(rules.budget_fen_per_m2_month).toEqual({ min: 200, max: 305 });
    expect(rules.contract_term_months).toBe(24);
    expect(rules.qualification).toEqual({ min_credit_grade: 'AA', min_star_rating: 4 });
    expect(rules.decision).toEqual({ method: 'owners_vote', allow_runoff: false });
    expect(rules.candidate_publicity_days).toBe(15);
    expect(toRules(fromRules(f.title, rules))).toEqual(rules);
    expect([yuanToFen('3'), yuanToFen('2.5'), yuanToFen('2.05'), yuanToFen('2.555'), yuanToFen('x')]).toEqual([300, 250, 205, null, null]);
  });
});
