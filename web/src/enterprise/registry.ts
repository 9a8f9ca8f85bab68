// The enterprise's own registration and credit rating, read from the public
// audit log (GET /audit/entries: enterprise.registered and
// registry.ratings_recorded entries), and whether a tender's qualification
// thresholds admit it (docs/qualification.md: grade scale AAA > AA > A > B > C,
// stars at least the minimum, not blacklisted). The API has no endpoint that
// answers an enterprise its own record, so the page reads the log it already
// publishes. The rating snapshot at the bid deadline stays the binding check,
// made by the server.

export interface Registration {
  uscc: string;
  name: string;
  pilotException: boolean;
  logIndex: number;
  time: string;
}

export interface Rating {
  creditGrade: string;
  creditScore: number;
  starRating: number;
  blacklisted: boolean;
  effectiveFromMs: number;
  logIndex: number;
}

export interface RegistryRecord {
  registration: Registration | null;
  rating: Rating | null; // the newest in force at `nowMs`, else null
}

interface LogEntry {
  index: number;
  type?: string;
  time?: string;
  payload?: Record<string, unknown>;
}

// Folds log entries (in log order) into the record of `uscc` at `nowMs`.
export function registryRecord(entries: LogEntry[], uscc: string, nowMs: number): RegistryRecord {
  let registration: Registration | null = null;
  let rating: Rating | null = null;
  for (const e of entries) {
    const p = e.payload ?? {};
    if (e.type === 'enterprise.registered' && p.uscc === uscc) {
      registration = { uscc, name: String(p.name ?? ''), pilotException: p.pilot_exception === true, logIndex: e.index, time: e.time ?? '' };
    } else if (e.type === 'registry.ratings_recorded' && Array.isArray(p.items)) {
      for (const it of p.items as Record<string, unknown>[]) {
        if (it.uscc !== uscc) continue;
        const r: Rating = {
          creditGrade: String(it.credit_grade ?? ''),
          creditScore: Number(it.credit_score ?? 0),
          starRating: Number(it.star_rating ?? 0),
          blacklisted: it.blacklisted === true,
          effectiveFromMs: Number(it.effective_from_ms ?? 0),
          logIndex: e.index,
        };
        // A later record in force replaces an earlier one; one not yet in force waits.
        if (r.effectiveFromMs <= nowMs && (!rating || r.effectiveFromMs >= rating.effectiveFromMs)) rating = r;
      }
    }
  }
  return { registration, rating };
}

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
  const have = GRADES.indexOf(rating.creditGrade);
  const need = required.min_credit_grade === undefined ? GRADES.length - 1 : GRADES.indexOf(required.min_credit_grade);
  if (have < 0 || need < 0 || have > need) out.push('credit_below_threshold');
  if (rating.starRating < (required.min_star_rating ?? 0)) out.push('star_below_threshold');
  return out;
}
