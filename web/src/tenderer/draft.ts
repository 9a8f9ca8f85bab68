// The tender wizard's form model (招标向导): one typed object holding every
// field of a draft, in the units a person types (yuan, hours, China-time
// dates), and its conversion to the API's rules (tender_rules.h: fen, 0.01 m²,
// seconds, RFC 3339 UTC). New rule fields are added here, in `TenderForm`,
// `newTenderForm`, `toRules` and `fromRules`, and nowhere else.
// The windows' calendar end dates are never counted here: the server
// computes them (POST /tenders/preview-windows).

export type DecisionMethod = 'owners_vote' | 'composite_score' | 'lowest_price' | 'lottery' | 'committee_vote' | 'vote_then_lottery';
export const DECISION_METHODS: DecisionMethod[] = ['owners_vote', 'lowest_price', 'composite_score', 'lottery', 'committee_vote', 'vote_then_lottery'];

export interface Criterion {
  code: string;
  title: string;
}

export interface TenderForm {
  title: string;
  // The owners' passed selection plan (选聘方案) the tender follows: its
  // motion id; the plan fixes the tier, budget, term, thresholds (minimums)
  // and the decision method (docs/motions.md).
  selectionPlanMotion: string;
  // The budget (预算) as typed, yuan per m² and month with at most two
  // decimals; its maximum is the price ceiling (最高投标限价).
  budgetMinYuan: string;
  budgetMaxYuan: string;
  contractTermMonths: number;
  serviceTier: string;
  areaCentiM2: number;
  minCreditGrade: string;
  minStarRating: number;
  criteria: Criterion[];
  committeeSize: number;
  minBidders: number;
  minValidBids: number;
  candidateCap: number;
  candidateCapMethod: 'lowest_price' | 'lottery';
  method: DecisionMethod;
  allowRunoff: boolean; // owners_vote
  weightPriceBp: number; // composite_score
  weightCreditBp: number;
  weightStarBp: number;
  benchmark: 'mean' | 'lowest';
  kAbove: number;
  kBelow: number;
  shortlistSize: number; // vote_then_lottery
  beaconSource: string;
  // The bid deadline as typed: "YYYY-MM-DDTHH:mm", China time (UTC+8).
  bidDeadlineChina: string;
  revealWindowHours: number;
  candidatePublicityDays: number;
  voteWindowDays: number; // owners_vote
  voteRoundHours: number; // committee_vote, vote_then_lottery
  awardPublicityDays: number;
}

export function newTenderForm(): TenderForm {
  return {
    title: '',
    selectionPlanMotion: '',
    budgetMinYuan: '',
    budgetMaxYuan: '',
    contractTermMonths: 36,
    serviceTier: '',
    areaCentiM2: 0,
    minCreditGrade: 'A',
    minStarRating: 3,
    criteria: [
      { code: 'staffing', title: '人员配置' },
      { code: 'plan', title: '服务方案' },
    ],
    committeeSize: 5,
    minBidders: 3,
    minValidBids: 3,
    candidateCap: 3,
    candidateCapMethod: 'lowest_price',
    method: 'owners_vote',
    allowRunoff: true,
    weightPriceBp: 6000,
    weightCreditBp: 2500,
    weightStarBp: 1500,
    benchmark: 'mean',
    kAbove: 100,
    kBelow: 50,
    shortlistSize: 2,
    beaconSource: '上证综合指数次一交易日收盘值',
    bidDeadlineChina: '',
    revealWindowHours: 24,
    // The owners' vote (the default method) is announced with the candidate
    // publicity, at least 15 days before it opens (物业管理条例 art. 12).
    candidatePublicityDays: 15,
    voteWindowDays: 7,
    voteRoundHours: 24,
    awardPublicityDays: 3,
  };
}

// "YYYY-MM-DDTHH:mm" in China time -> RFC 3339 UTC; null when not a time.
export function chinaInputToUtc(s: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(s)) return null;
  const ms = Date.parse(`${s}:00+08:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
}

// An RFC 3339 instant -> "YYYY-MM-DDTHH:mm" in China time (for the input).
export function utcToChinaInput(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
}

// Yuan as typed ("2.5", "3.00") -> fen, digits only (no floating point);
// null when not such an amount.
export function yuanToFen(s: string): number | null {
  const m = /^(\d{1,7})(?:\.(\d{0,2}))?$/.exec(s.trim());
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

// Fen -> yuan for the input ("2.50").
export function fenToYuanInput(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

// A selection plan (SelectionPlan of the OpenAPI), as a motion carries it.
export interface SelectionPlan {
  tier: string;
  budget_fen_per_m2_month: { min: number; max: number };
  contract_term_months: number;
  thresholds: { min_credit_grade: string; min_star_rating: number };
  decision: Record<string, unknown>;
}

// Fills the form with what `plan` fixes (the tender may then raise the
// thresholds or narrow the budget; the rest must stay equal).
export function applyPlan(f: TenderForm, motionId: string, plan: SelectionPlan): void {
  const from = fromRules(f.title, {
    service_tier: plan.tier,
    qualification: plan.thresholds,
    decision: plan.decision,
    budget_fen_per_m2_month: plan.budget_fen_per_m2_month,
    contract_term_months: plan.contract_term_months,
  });
  f.selectionPlanMotion = motionId;
  f.serviceTier = from.serviceTier;
  f.budgetMinYuan = from.budgetMinYuan;
  f.budgetMaxYuan = from.budgetMaxYuan;
  f.contractTermMonths = from.contractTermMonths;
  f.minCreditGrade = from.minCreditGrade;
  f.minStarRating = from.minStarRating;
  f.method = from.method;
  f.allowRunoff = from.allowRunoff;
  f.weightPriceBp = from.weightPriceBp;
  f.weightCreditBp = from.weightCreditBp;
  f.weightStarBp = from.weightStarBp;
  f.benchmark = from.benchmark;
  f.kAbove = from.kAbove;
  f.kBelow = from.kBelow;
  f.shortlistSize = from.shortlistSize;
  // The owners' vote is announced with the candidate publicity (15 days).
  if (f.method === 'owners_vote' && f.candidatePublicityDays < 15) f.candidatePublicityDays = 15;
}

function decision(f: TenderForm): Record<string, unknown> {
  switch (f.method) {
    case 'owners_vote':
      return { method: f.method, allow_runoff: f.allowRunoff };
    case 'composite_score':
      return {
        method: f.method,
        weights_bp: { price: f.weightPriceBp, credit: f.weightCreditBp, star: f.weightStarBp },
        benchmark: f.benchmark,
        k_above: f.kAbove,
        k_below: f.kBelow,
      };
    case 'vote_then_lottery':
      return { method: f.method, shortlist_size: f.shortlistSize };
    default:
      return { method: f.method };
  }
}

// The rules member of a draft (POST /tenders, PATCH, preview-windows).
export function toRules(f: TenderForm): Record<string, unknown> {
  const owners = f.method === 'owners_vote';
  const rounds = f.method === 'committee_vote' || f.method === 'vote_then_lottery';
  return {
    service_tier: f.serviceTier,
    area_centi_m2: f.areaCentiM2,
    qualification: { min_credit_grade: f.minCreditGrade, min_star_rating: f.minStarRating },
    criteria: f.criteria.map((c) => ({ code: c.code, title: c.title })),
    committee_size: f.committeeSize,
    min_bidders: f.minBidders,
    min_valid_bids: f.minValidBids,
    candidate_cap: f.candidateCap,
    candidate_cap_method: f.candidateCapMethod,
    decision: decision(f),
    beacon_source: f.beaconSource,
    bid_deadline: chinaInputToUtc(f.bidDeadlineChina) ?? f.bidDeadlineChina,
    reveal_window_s: Math.round(f.revealWindowHours * 3600),
    candidate_publicity_days: f.candidatePublicityDays,
    vote_window_days: owners ? f.voteWindowDays : 0,
    vote_window_s: rounds ? Math.round(f.voteRoundHours * 3600) : 0,
    award_publicity_days: f.awardPublicityDays,
    ...(f.selectionPlanMotion ? { selection_plan_motion: f.selectionPlanMotion } : {}),
    budget_fen_per_m2_month: { min: yuanToFen(f.budgetMinYuan) ?? 0, max: yuanToFen(f.budgetMaxYuan) ?? 0 },
    contract_term_months: f.contractTermMonths,
  };
}

// A saved draft's rules back into the form (members the draft lacks keep
// the defaults).
export function fromRules(title: string, rules: Record<string, unknown>): TenderForm {
  const f = newTenderForm();
  f.title = title;
  const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
  const str = <T extends string>(v: unknown, d: T) => (typeof v === 'string' ? (v as T) : d);
  const q = (rules.qualification ?? {}) as Record<string, unknown>;
  const d = (rules.decision ?? {}) as Record<string, unknown>;
  const w = (d.weights_bp ?? {}) as Record<string, unknown>;
  f.serviceTier = str(rules.service_tier, f.serviceTier);
  f.areaCentiM2 = num(rules.area_centi_m2, f.areaCentiM2);
  f.minCreditGrade = str(q.min_credit_grade, f.minCreditGrade);
  f.minStarRating = num(q.min_star_rating, f.minStarRating);
  if (Array.isArray(rules.criteria)) f.criteria = (rules.criteria as Criterion[]).map((c) => ({ code: c.code, title: c.title }));
  f.committeeSize = num(rules.committee_size, f.committeeSize);
  f.minBidders = num(rules.min_bidders, f.minBidders);
  f.minValidBids = num(rules.min_valid_bids, f.minValidBids);
  f.candidateCap = num(rules.candidate_cap, f.candidateCap);
  f.candidateCapMethod = str(rules.candidate_cap_method, f.candidateCapMethod);
  f.method = str(d.method, f.method);
  f.allowRunoff = typeof d.allow_runoff === 'boolean' ? d.allow_runoff : f.allowRunoff;
  f.weightPriceBp = num(w.price, f.weightPriceBp);
  f.weightCreditBp = num(w.credit, f.weightCreditBp);
  f.weightStarBp = num(w.star, f.weightStarBp);
  f.benchmark = str(d.benchmark, f.benchmark);
  f.kAbove = num(d.k_above, f.kAbove);
  f.kBelow = num(d.k_below, f.kBelow);
  f.shortlistSize = num(d.shortlist_size, f.shortlistSize);
  f.beaconSource = str(rules.beacon_source, f.beaconSource);
  if (typeof rules.bid_deadline === 'string') f.bidDeadlineChina = utcToChinaInput(rules.bid_deadline);
  f.revealWindowHours = num(rules.reveal_window_s, f.revealWindowHours * 3600) / 3600;
  f.candidatePublicityDays = num(rules.candidate_publicity_days, f.candidatePublicityDays);
  if (num(rules.vote_window_days, 0) > 0) f.voteWindowDays = num(rules.vote_window_days, f.voteWindowDays);
  if (num(rules.vote_window_s, 0) > 0) f.voteRoundHours = num(rules.vote_window_s, 0) / 3600;
  f.awardPublicityDays = num(rules.award_publicity_days, f.awardPublicityDays);
  f.selectionPlanMotion = str(rules.selection_plan_motion, f.selectionPlanMotion);
  const b = (rules.budget_fen_per_m2_month ?? {}) as Record<string, unknown>;
  if (typeof b.min === 'number') f.budgetMinYuan = fenToYuanInput(b.min);
  if (typeof b.max === 'number') f.budgetMaxYuan = fenToYuanInput(b.max);
  f.contractTermMonths = num(rules.contract_term_months, f.contractTermMonths);
  return f;
}
