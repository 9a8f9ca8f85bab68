// The handlers of the route table (table.cc), one per endpoint, defined in
// their resource file. A handler takes the request's Ctx (the services, the
// one viewer, the client address, the clock) and, when the route has a body,
// its decoded request struct (wire/requests.h); it returns the answer, or a
// ledger command with its answer (route.h Pending). It never takes a
// callback nor changes threads: the router runs it where its row says.
//
// Thread-safety: each is called on the thread of its row's Run.
#pragma once

#include <optional>

#include "http/route.h"
#include "wire/requests.h"

namespace sunbid::server::routes {

// ---- Operations (ops.cc)
Result<Response> get_health(Ctx& c);
Result<Response> get_metrics(Ctx& c);
Result<Response> post_dev_clock(Ctx& c, const ReqDevClock& req);

// ---- Sessions and accounts (sessions.cc)
Result<Pending> post_sessions(Ctx& c, const ReqSession& req);
Result<Pending> delete_session(Ctx& c);
Result<Pending> delete_other_sessions(Ctx& c);
Result<Pending> post_accounts(Ctx& c, const ReqNewAccount& req);
Result<Pending> post_account_approval(Ctx& c, const ReqNewAccount& req);
Result<Pending> post_approve_account(Ctx& c, const ReqEmpty&);
Result<Response> get_account_approvals(Ctx& c);
// GET /me (me.cc): the caller's account, community and, for an owner, units and open votes.
Result<Response> get_me(Ctx& c);
Result<Pending> post_disable_account(Ctx& c, const ReqDisableAccount& req);

// ---- Owner onboarding (activation.cc)
Result<Response> post_activation_codes(Ctx& c, const ReqActivationCodes& req);
Result<Pending> post_activate(Ctx& c, const ReqActivate& req);
Result<Response> get_activation_flags(Ctx& c);
// ---- Owners' assembly motions (motions.cc)
Result<Response> post_motion(Ctx& c, const ReqMotion& req);
Result<Response> get_community_motions(Ctx& c);
Result<Response> get_motion(Ctx& c);
Result<Response> post_motion_notice(Ctx& c, const ReqMotionNotice& req);
Result<Response> post_motion_cancel(Ctx& c, const ReqMotionCancel& req);
Result<Pending> post_motion_ballot(Ctx& c, const ReqMotionBallot& req);
Result<Response> get_motion_turnout(Ctx& c);
Result<Response> get_motion_trail(Ctx& c);
Result<Response> post_motion_scrutineer(Ctx& c, const ReqScrutineer& req);
Result<Response> post_motion_paper_ballot(Ctx& c, const ReqPaperBallot& req);
Result<Response> get_motion_paper_ballots(Ctx& c);
Result<Response> post_motion_paper_ballot_resolve(Ctx& c, const ReqPaperBallotResolve& req);

// ---- Registers (registry.cc)
Result<Response> post_communities(Ctx& c, const ReqCommunity& req);
Result<Response> get_community(Ctx& c);
Result<Response> put_roster(Ctx& c, const CsvBody& csv);
Result<Response> get_roster(Ctx& c);
Result<Response> post_enterprises(Ctx& c, const ReqEnterprise& req);
Result<Response> put_ratings(Ctx& c, const ReqRatings& req);
Result<Response> get_service_tiers(Ctx& c);
Result<Response> put_service_tiers(Ctx& c, const ReqServiceTiers& req);
Result<Response> get_calendar(Ctx& c);
Result<Response> put_calendar(Ctx& c, const ReqCalendar& req);

// ---- Tenders (tenders.cc)
Result<Response> post_tenders(Ctx& c, const ReqNewTender& req);
Result<Response> patch_tender(Ctx& c, const ReqTenderPatch& req);
Result<Response> post_publish(Ctx& c, const ReqEmpty&);
Result<Response> post_preview_windows(Ctx& c, const ReqWindowPlan& req);
Result<Response> post_amendment(Ctx& c, const ReqAmendment& req);
Result<Response> post_cancel(Ctx& c, const ReqCancel& req);
Result<Response> post_suspend(Ctx& c, const ReqReason& req);
Result<Response> post_resume(Ctx& c, const ReqEmpty&);
Result<Response> post_extend_reveal(Ctx& c, const ReqRevealExtend& req);
Result<Response> get_tenders(Ctx& c);
Result<std::optional<Response>> get_tender_fast(Ctx& c);
Result<Response> get_tender(Ctx& c);

// ---- Bids (bids.cc)
Result<Pending> post_bid(Ctx& c, const ReqBidCommitment& req);
Result<Pending> delete_bid(Ctx& c);
Result<Pending> post_reveal(Ctx& c, const ReqBidReveal& req);
Result<Response> get_own_bid(Ctx& c);
Result<Response> get_opening(Ctx& c);

// ---- Objections (objections.cc)
Result<Response> post_objection(Ctx& c, const ReqText& req);
Result<Response> post_objection_answer(Ctx& c, const ReqObjectionAnswer& req);
Result<Response> get_objections(Ctx& c);

// ---- The contract after the award (contracts.cc)
Result<Response> post_contract(Ctx& c, const ReqContract& req);
Result<Response> post_award_notice(Ctx& c, const ReqEmpty&);
Result<Response> get_contract(Ctx& c);
Result<Response> get_contract_flags(Ctx& c);

// ---- Evaluation (evaluation.cc)
Result<Response> post_experts(Ctx& c, const ReqExpert& req);
Result<Response> patch_expert(Ctx& c, const ReqExpertUpdate& req);
Result<Response> post_committee_draw(Ctx& c, const ReqCommitteeDraw& req);
Result<Response> post_declaration(Ctx& c, const ReqDeclaration& req);
Result<Response> post_replace(Ctx& c, const ReqReplace& req);
Result<Response> post_review(Ctx& c, const ReqReview& req);
Result<Response> post_draw(Ctx& c, const ReqDraw& req);
Result<Response> get_committee(Ctx& c);
Result<Response> get_clearing_report(Ctx& c);
Result<Response> get_reviews(Ctx& c);
Result<Response> get_candidates(Ctx& c);
Result<Response> get_owners_turnout(Ctx& c);

// ---- Decision (decision.cc)
Result<Pending> post_ballot(Ctx& c, const ReqBallot& req);
Result<Response> post_committee_vote(Ctx& c, const ReqCommitteeVote& req);
Result<Response> post_recusal(Ctx& c, const ReqRecusal& req);
Result<Response> post_decision(Ctx& c, const ReqDecision&);
Result<Response> get_award(Ctx& c);

// ---- The audit log and the access record (audit.cc)
Result<Response> get_checkpoint(Ctx& c);
Result<Response> get_key(Ctx& c);
Result<Response> get_entries(Ctx& c);
Result<Response> get_access_record(Ctx& c);
Result<Response> get_inclusion(Ctx& c);
Result<Response> get_consistency(Ctx& c);
Result<Response> get_trail(Ctx& c);

// ---- Open data (open_data.cc)
Result<Response> get_ocds_releases(Ctx& c);
Result<std::optional<Response>> get_ocds_releases_fast(Ctx& c);
Result<Response> get_tender_ocds(Ctx& c);

// documents.cc: official documents (issue 14 §1, docs/documents.md).
Result<Response> get_tender_documents(Ctx& c);
Result<Response> get_tender_document_pdf(Ctx& c);
Result<Response> get_motion_documents(Ctx& c);
Result<Response> get_motion_document_pdf(Ctx& c);
Result<Response> get_notice_feed(Ctx& c);  // feeds.cc

}  // namespace sunbid::server::routes
