// The official documents added after the first pipeline (issue 14 §1,
// docs/documents.md), and the subject a document belongs to when it is not
// a tender's. tender_core/documents.h holds the pipeline and the first kinds.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "audit_log/ledger.h"
#include "audit_log/result.h"

namespace sunbid::core {

// Issued by the tenderer's logged action after the award publicity
// (招标投标法 art. 45, tender_core/award_notice.h): the notice to the winner
// and, in one document, the result notice to every other bidder.
inline constexpr std::string_view kAwardNoticeKind = "award_notice";  // 中标通知书
inline constexpr std::string_view kAwardResultNoticeKind = "award_result_notice";  // 中标结果通知书
// 投票结果公告: an owners_vote decision's count, at each round's decision.made
// (participation and approval against 民法典 art. 278).
inline constexpr std::string_view kVoteResultKind = "vote_result";
// 表决结果公告: an owners' assembly motion's result at its close (passed,
// rejected or failed_quorum), the same figures and chart.
inline constexpr std::string_view kMotionResultKind = "motion_result";

// A document's subject: a tender id ("T7"), or the subject key of an owners'
// assembly motion, "motion:<id>" (its trail's subject, assembly's
// motion_subject). The subject is stored in tender_documents.tender_id —
// the column keeps its name, so existing rows, digests and URLs are
// unchanged; tender ids never contain ':'. A motion's document entries are
// indexed under the motion's trail (EntryDraft::subject, `tender` null) and
// name it in their payload as `motion_id` instead of `tender_id`.
inline constexpr std::string_view kMotionSubjectPrefix = "motion:";
std::string motion_document_subject(std::string_view motion_id);
// The motion id of a motion subject; nullopt for a tender's.
std::optional<std::string_view> motion_of_subject(std::string_view subject);

// The organisation a tenderer kind (accounts/role.h; docs/tenderer-kinds.md)
// stands for, as notices and the OCDS procuringEntity name it: the kind in
// zh and en and the suffix of its name after the community's ("阳光花园" +
// "业主委员会"). An unknown code reads as owners_committee.
struct TendererKindNames {
  std::string_view code;
  std::string_view zh;
  std::string_view en;
  std::string_view name_suffix;
};
const TendererKindNames& tenderer_kind_names(std::string_view code);
// The kind of a tenderer account (tenderer_kinds; owners_committee when the
// account has no row: created before kinds existed, or not a tenderer).
Result<std::string> account_tenderer_kind(audit::Database& db, std::string_view account_id);

// Sets the members every notice's source names its parties by: `community`
// {id, name, district, street, address, units, total_area_centi_m2} and
// `tenderer` {name, kind, kind_code, kind_en} — the organisation (业主委员会,
// 临时物业管理委员会, 社区) of `tenderer_kind`, as the OCDS procuringEntity
// names it, never a person. Refuses community_not_found.
Status put_notice_parties(audit::Database& db, std::string_view community_id,
                          std::string_view tenderer_kind, boost::json::object& source);

// The 投票结果公告: call it in the command that counted an owners' vote
// round (decision.made of an owners_vote tender), AFTER that entry. `vote`
// is evaluation's count {round, approval, outcome, winner, opened_ms,
// closes_ms, total_area_centi_m2, total_heads, participating_area_centi_m2,
// participating_heads, abstain_area_centi_m2, abstain_heads, area_quorum,
// head_quorum, candidates [{bid_id, area_centi_m2, heads, approved}]}; each
// candidate gains its bidder. Stores the source and appends
// document.published (actor system).
Status publish_vote_result(audit::WriteTxn& txn, std::string_view tender_id,
                           const boost::json::object& vote);

}  // namespace sunbid::core
