// The enterprise page's reading of the public log and its qualification check
// (docs/qualification.md).
import { describe, expect, it } from 'vitest';
import { qualificationFailures, registryRecord, type Rating } from '../../src/enterprise/registry';

const U = '91350200776049653A';
const rated = (items: Record<string, unknown>[], index: number) => ({ index, type: 'registry.ratings_recorded', payload: { items } });
const item = (grade: string, stars: number, from: number, extra: Record<string, unknown> = {}) => ({
  uscc: U, credit_grade: grade, credit_score: 9000, star_rating: stars, blacklisted: false, effective_from_ms: from, ...extra,
});

describe('registry record from the log', () => {
  const log = [
    { index: 5, type: 'enterprise.registered', time: 't5', payload: { uscc: U, name: '鹭岛物业', pilot_exception: false } },
    { index: 6, type: 'enterprise.registered', payload: { uscc: 'OTHER', name: 'x', pilot_exception: false } },
    rated([item('AA', 4, 100), { ...item('C', 1, 100), uscc: 'OTHER' }], 10),
    rated([item('AAA', 5, 200)], 11),
    rated([item('B', 2, 900)], 12), // not yet in force
  ];
  it('finds the registration and the newest rating in force', () => {
    const r = registryRecord(log, U, 500);
    expect(r.registration).toMatchObject({ name: '鹭岛物业', logIndex: 5 });
    expect(r.rating).toMatchObject({ creditGrade: 'AAA', starRating: 5, logIndex: 11 });
    expect(registryRecord(log, U, 150).rating).toMatchObject({ creditGrade: 'AA' });
    expect(registryRecord(log, U, 1000).rating).toMatchObject({ creditGrade: 'B' });
    expect(registryRecord(log, 'NOBODY', 500)).toEqual({ registration: null, rating: null });
  });
});

describe('qualification', () => {
  const r = (grade: string, stars: number, blacklisted = false): Rating => ({
    creditGrade: grade, creditScore: 0, starRating: stars, blacklisted, effectiveFromMs: 0, logIndex: 0,
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
