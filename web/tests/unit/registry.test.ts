// The enterprise page's qualification check (docs/qualification.md).
import { describe, expect, it } from 'vitest';
import { qualificationFailures, type Rating } from '../../src/enterprise/registry';

describe('qualification', () => {
  const r = (grade: string, stars: number, blacklisted = false): Rating => ({
    credit_grade: grade, credit_score: 0, star_rating: stars, blacklisted, effective_from: '2025-01-01T00:00:00.000Z',
  });
  const req = { min_credit_grade: 'A', min_star_rating: 3 };
  it('admits at or above the thresholds', () => {
    expect(qualificationFailures(r('AAA', 5), req)).toEqual([]);
    expect(qualificationFailures(r('A', 3), req)).toEqual([]);
    expect(qualificationFailures(r('C', 0), undefined)).toEqual([]);
  });
  it('names each failure', () => {
    expect(qualificationFailures(r('B', 2), req)).toEqual(['credit_below_threshold', 'star_below_threshold']);
    expect(qualificationFailures(r('AAA', 5, true), req)).toEqual(['blacklisted']);
    expect(qualificationFailures(r('D', 5), req)).toEqual(['credit_below_threshold']);
    expect(qualificationFailures(null, req)).toEqual(['no_rating']);
  });
});
