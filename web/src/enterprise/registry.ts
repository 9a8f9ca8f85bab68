// Whether a tender's qualification thresholds admit an enterprise's rating
// (docs/qualification.md: grade scale AAA > AA > A > B > C, stars at least
// the minimum, not blacklisted). The rating is the one GET /me answers (the
// registry's in force now); the snapshot at the bid deadline stays the
// binding check, made by the server.
import type { components } from '@/api/schema';

export type Rating = NonNullable<components['schemas']['EnterprisePublic']['rating']>;

const GRADES = ['AAA', 'AA', 'A', 'B', 'C'];

// The failures of docs/qualification.md, [] when the rating qualifies.
export type Failure = 'no_rating' | 'blacklisted' | 'credit_below_threshold' | 'star_below_threshold';

export function qualificationFailures(
  rating: Rating | null,
  required: { min_credit_grade?: string; min_star_rating?: number } | undefined,
): Failure[] {
  if (!required) return [];
  if (!rating) return ['no_rating'];
  const out: Failure[] = [];
  if (rating.blacklisted) out.push('blacklisted');
  const have = GRADES.indexOf(rating.credit_grade);
  const need = required.min_credit_grade === undefined ? GRADES.length - 1 : GRADES.indexOf(required.min_credit_grade);
  if (have < 0 || need < 0 || have > need) out.push('credit_below_threshold');
  if (rating.star_rating < (required.min_star_rating ?? 0)) out.push('star_below_threshold');
  return out;
}
