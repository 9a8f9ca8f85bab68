// Paper ballots (书面投票) of an owners' assembly motion (docs/motions.md
// "Paper ballots"): double entry by two different accounts, matching,
// a supervisor's resolution of a mismatch, the electronic ballot standing
// over the paper one, the 监票人 designation, and the private list.
#include <algorithm>
#include <set>

#include "assembly/motion_service.h"
#include "audit_log/log_store.h"
#include "motion_internal.h"
#include "tender_core/time.h"

namespace sunbid::assembly {

using audit::Statement;
using audit::WriteTxn;
using namespace detail;

namespace {

constexpr std::string_view kVoid = "void";

Error not_enabled() {
  return refusal("paper_ballots_not_enabled", "本议题不接受书面投票",
                 "this motion does not take paper ballots");
}

Error paper_not_found(std::string_view id) {
  return refusal("paper_ballot_not_found", "书面表决票不存在", "no such paper ballot",
                 {{"paper_ballot_id", id}});
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

std::string paper_id(std::int64_t seq) { return "P" + std::to_string(seq); }

// Runs `fn` on each row of the bound statement `st`, then resets it.
template <class Fn>
Status each_row(Statement* st, Fn fn) {
  while (true) {
    auto row = st->step();
    if (!row.ok()) {
      st->reset();
      return std::move(row).error();
    }
    if (!*row) break;
    fn();
  }
  st->reset();
  return {};
}

Result<bool> is_scrutineer(audit::Database& db, std::string_view motion_id,
                           std::string_view account) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st, db.cached("SELECT 1 FROM assembly_scrutineers WHERE "
                                                    "motion_id = ? AND account_id = ?"));
  st->bind(1, motion_id).bind(2, account);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  st->reset();
  return row;
}

Result<bool> has_electronic_ballot(audit::Database& db, std::string_view motion_id,
                                   std::string_view owner_key) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT 1 FROM assembly_ballots WHERE motion_id = ? AND owner_key = ?"));
  st->bind(1, motion_id).bind(2, owner_key);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  st->reset();
  return row;
}

// Who may enter which copy: 1 a tenderer of the community, 2 a supervisor
// or a 监票人 of the motion.
Status check_entrant(audit::Database& db, const MotionView& m, const core::Actor& a, int entry) {
  bool allowed = false;
  if (entry == 1) {
    allowed = a.role == "tenderer" && a.community_id == m.community_id;
  } else if (a.role == "supervisor") {
    allowed = true;
  } else {
    SUNBID_ASSIGN_OR_RETURN(allowed, is_scrutineer(db, m.id, a.account));
  }
  if (allowed) return {};
  return refusal("paper_ballot_not_entrant",
                 entry == 1 ? "第一份须由本小区招标人（录入员）录入"
                            : "第二份须由监督人员或本议题的监票人录入",
                 entry == 1 ? "copy 1 is entered by a tenderer clerk of the community"
                            : "copy 2 is entered by a supervisor or a scrutineer of the motion",
                 {{"entry", entry}});
}

// The window for a paper ballot: inside the voting window; after its end
// until the tally, only a paper stamped before the end.
Status check_paper_window(const MotionView& m, std::int64_t now,
                          std::optional<std::int64_t> stamped) {
  if (m.status != MotionStatus::open || !m.closes_ms || now < *m.opens_ms || now >= tally_at(m)) {
    return window_closed();
  }
  if (now < *m.closes_ms) return {};
  if (stamped && *stamped < *m.closes_ms) return {};
  return refusal("paper_ballot_late", "表决期结束后只能录入表决期结束前签收的书面票",
                 "after the window's end only papers stamped before it may be entered",
                 {{"closes_at", core::format_rfc3339_ms(*m.closes_ms)}});
}

struct StoredEntry {
  int entry = 0;
  std::string account;
  std::string choice;
  std::string scan;
  std::string proxy_sha;  // empty: no proxy
};

Result<std::vector<StoredEntry>> stored_entries(audit::Database& db, std::string_view motion_id,
                                                std::string_view owner_key) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT entry, account_id, choice, scan_sha256, COALESCE(proxy_sha256, '') FROM "
                "assembly_paper_entries WHERE motion_id = ? AND owner_key = ? ORDER BY entry"));
  st->bind(1, motion_id).bind(2, owner_key);
  std::vector<StoredEntry> out;
  SUNBID_TRY(each_row(st, [&] {
    out.push_back({static_cast<int>(st->column_int64(0)), std::string(st->column_text(1)),
                   std::string(st->column_text(2)), std::string(st->column_text(3)),
                   std::string(st->column_text(4))});
  }));
  return out;
}

struct PaperRow {
  std::int64_t seq = 0;
  std::string owner_key;
  std::int64_t area = 0;
  std::string status;
};

Result<std::optional<PaperRow>> paper_row(audit::Database& db, std::string_view motion_id,
                                          std::string_view where, std::string_view value) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached(std::string("SELECT seq, owner_key, area_centi_m2, status FROM "
                            "assembly_paper_ballots WHERE motion_id = ? AND ") +
                std::string(where) + " = ?"));
  st->bind(1, motion_id).bind(2, value);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  std::optional<PaperRow> out;
  if (row) {
    out = PaperRow{st->column_int64(0), std::string(st->column_text(1)), st->column_int64(2),
                   std::string(st->column_text(3))};
  }
  st->reset();
  return out;
}

Status set_paper_status(audit::Database& db, std::string_view motion_id,
                        std::string_view owner_key, std::string_view status,
                        std::optional<std::string_view> choice) {
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("UPDATE assembly_paper_ballots SET status = ?, choice = ? "
                                    "WHERE motion_id = ? AND owner_key = ?"));
  st->bind(1, status);
  if (choice) {
    st->bind(2, *choice);
  } else {
    st->bind_null(2);
  }
  st->bind(3, motion_id).bind(4, owner_key);
  return st->run();
}

Result<PaperBallotStep> answer(WriteTxn& txn, const audit::EntryDraft& d, std::int64_t seq,
                               std::string status) {
  PaperBallotStep out;
  SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(d));
  SUNBID_ASSIGN_OR_RETURN(out.entry, audit::read_entry_bytes(txn.db(), out.log_index));
  out.paper_ballot_id = paper_id(seq);
  out.status = std::move(status);
  return out;
}

Result<PaperBallotStep> enter_command(WriteTxn& txn, const core::Actor& a,
                                      std::string_view motion_id, const PaperBallotInput& in) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(MotionView m, load(db, motion_id));
  if (!visible(m, a) || m.status == MotionStatus::draft) return not_found(motion_id);
  if (!m.input.paper_ballots) return not_enabled();
  SUNBID_ASSIGN_OR_RETURN(std::vector<StoredEntry> prior,
                          stored_entries(db, motion_id, in.owner_key));
  // First the account's own copies (it learns nothing of others'): the
  // clerk of one copy never enters the other.
  for (const auto& e : prior) {
    if (e.account == a.account && e.entry != in.entry) {
      return refusal("paper_ballot_same_clerk", "同一账户不得录入同一张书面票的两份",
                     "the same account may not enter both copies of a paper ballot");
    }
  }
  SUNBID_TRY(check_entrant(db, m, a, in.entry));
  SUNBID_TRY(check_paper_window(m, txn.now_ms(), in.stamped_ms));
  SUNBID_TRY(check_choice(m, in.choice));
  SUNBID_ASSIGN_OR_RETURN(const std::int64_t area, roster_area(db, motion_id, in.owner_key));
  for (const auto& e : prior) {
    if (e.entry == in.entry) {
      return refusal("paper_ballot_entry_exists", "该业主的这一份书面票已录入",
                     "this copy of the owner's paper ballot is already entered",
                     {{"entry", in.entry}});
    }
  }
  SUNBID_ASSIGN_OR_RETURN(std::optional<PaperRow> row,
                          paper_row(db, motion_id, "owner_key", in.owner_key));
  if (!row) {
    SUNBID_ASSIGN_OR_RETURN(
        Statement * q,
        db.cached("SELECT COALESCE(MAX(seq), 0) + 1 FROM assembly_paper_ballots WHERE "
                  "motion_id = ?"));
    q->bind(1, motion_id);
    SUNBID_ASSIGN_OR_RETURN(bool got, q->step());
    const std::int64_t seq = got ? q->column_int64(0) : 1;
    q->reset();
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO assembly_paper_ballots(motion_id, seq, owner_key, area_centi_m2, "
                  "status) VALUES (?, ?, ?, ?, 'pending')"));
    ins->bind(1, motion_id).bind(2, seq).bind(3, in.owner_key).bind(4, area);
    SUNBID_TRY(ins->run());
    row = PaperRow{seq, in.owner_key, area, "pending"};
  }
  const std::string scan = lower(in.scan_sha256_hex);
  const std::string proxy_sha = in.proxy ? lower(in.proxy_authorisation_sha256_hex) : "";
  // The state after this copy: both copies in → matched or not; an
  // electronic ballot of the owner always stands (superseded).
  std::string status = row->status;
  std::optional<std::string> counted;
  if (status == "pending" && !prior.empty()) {
    const StoredEntry& other = prior.front();
    const bool match =
        other.choice == in.choice && other.scan == scan && other.proxy_sha == proxy_sha;
    status = match ? "counted" : "mismatch";
    if (match) counted = in.choice;
  }
  SUNBID_ASSIGN_OR_RETURN(bool electronic, has_electronic_ballot(db, motion_id, in.owner_key));
  if (electronic) {
    status = "superseded";
    counted.reset();
  }
  if (status != row->status) {
    SUNBID_TRY(set_paper_status(db, motion_id, in.owner_key, status, counted));
  }

  const std::string subject = motion_subject(motion_id);
  SUNBID_ASSIGN_OR_RETURN(std::string owner_digest,
                          txn.personal_digest("owner_key", in.owner_key, subject));
  // The scan and the authorisation are private: the entry commits to them
  // only as salted digests (erasable), their SHA-256 is the supervisors'.
  SUNBID_ASSIGN_OR_RETURN(std::string scan_digest,
                          txn.personal_digest("paper_ballot_scan", scan, subject));
  boost::json::value proxy = nullptr;
  if (in.proxy) {
    SUNBID_ASSIGN_OR_RETURN(std::string pd,
                            txn.personal_digest("proxy_authorisation", proxy_sha, subject));
    proxy = boost::json::object{{"authorisation", pd}};
  }
  audit::EntryDraft d = draft(a, "motion.paper_ballot_entered", motion_id);
  d.payload = {{"motion_id", motion_id},
               {"paper_ballot_id", paper_id(row->seq)},
               {"owner", owner_digest},
               {"entry", in.entry},
               {"choice", in.choice},
               {"scan", scan_digest},
               {"proxy", proxy},
               {"stamped_at", in.stamped_ms
                                  ? boost::json::value(core::format_rfc3339_ms(*in.stamped_ms))
                                  : boost::json::value(nullptr)},
               {"status", status},
               {"area_centi_m2", area},
               {"heads", 1}};
  // Ballot secrecy: public once the motion is tallied.
  d.release_at_ms = tally_at(m);
  SUNBID_ASSIGN_OR_RETURN(PaperBallotStep out, answer(txn, d, row->seq, status));
  SUNBID_ASSIGN_OR_RETURN(
      Statement * ins,
      db.cached("INSERT INTO assembly_paper_entries(motion_id, owner_key, entry, account_id, "
                "choice, scan_sha256, proxy_name, proxy_sha256, stamped_ms, entered_ms, "
                "log_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  ins->bind(1, motion_id).bind(2, in.owner_key).bind(3, in.entry).bind(4, a.account);
  ins->bind(5, in.choice).bind(6, scan);
  if (in.proxy && in.proxy_name) {
    ins->bind(7, *in.proxy_name);
  } else {
    ins->bind_null(7);
  }
  if (in.proxy) {
    ins->bind(8, proxy_sha);
  } else {
    ins->bind_null(8);
  }
  if (in.stamped_ms) {
    ins->bind(9, *in.stamped_ms);
  } else {
    ins->bind_null(9);
  }
  ins->bind(10, txn.now_ms()).bind(11, static_cast<std::int64_t>(out.log_index));
  SUNBID_TRY(ins->run());
  return out;
}

}  // namespace

namespace detail {

Result<boost::json::object> counted_paper_ballots(audit::Database& db,
                                                  std::string_view motion_id,
                                                  std::vector<MotionBallot>& ballots) {
  std::set<std::string> electronic;
  for (const auto& b : ballots) electronic.insert(b.owner);
  boost::json::object counts{
      {"counted", 0}, {"pending", 0}, {"mismatch", 0}, {"void", 0}, {"superseded", 0}};
  SUNBID_ASSIGN_OR_RETURN(Statement * st,
                          db.cached("SELECT owner_key, status, COALESCE(choice, '') FROM "
                                    "assembly_paper_ballots WHERE motion_id = ? ORDER BY seq"));
  st->bind(1, motion_id);
  SUNBID_TRY(each_row(st, [&] {
    std::string owner(st->column_text(0));
    std::string status(st->column_text(1));
    if (status == "counted" && electronic.contains(owner)) status = "superseded";
    if (status == "counted") ballots.push_back({owner, std::string(st->column_text(2))});
    counts[status] = counts[status].as_int64() + 1;
  }));
  return counts;
}

Result<bool> supersede_paper_ballot(audit::Database& db, std::string_view motion_id,
                                    std::string_view owner_key) {
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("UPDATE assembly_paper_ballots SET status = 'superseded', choice = NULL WHERE "
                "motion_id = ? AND owner_key = ? AND status IN ('pending', 'counted', "
                "'mismatch')"));
  st->bind(1, motion_id).bind(2, owner_key);
  SUNBID_TRY(st->run());
  return db.changes() > 0;
}

}  // namespace detail

Result<std::uint64_t> MotionService::designate_scrutineer(const core::Actor& tenderer,
                                                          std::string_view motion_id,
                                                          std::string_view account_id) {
  if (tenderer.role != "tenderer") return require_tenderer_of(tenderer, "").error();
  SUNBID_TRY(catch_up(motion_id));
  return ledger_.run<std::uint64_t>([&](WriteTxn& txn) -> Result<std::uint64_t> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(MotionView m, load(db, motion_id));
    if (!visible(m, tenderer)) return not_found(motion_id);
    SUNBID_TRY(require_tenderer_of(tenderer, m.community_id));
    if (m.status != MotionStatus::draft && m.status != MotionStatus::noticed)
      return wrong_status(m.status);
    if (!m.input.paper_ballots) return not_enabled();
    // A 监票人 is an owner of the community, appointed by the owners; its
    // account must be an active owner account there.
    SUNBID_ASSIGN_OR_RETURN(Statement * st,
                            db.cached("SELECT 1 FROM accounts WHERE id = ? AND role = 'owner' AND "
                                      "community_id = ? AND disabled_ms IS NULL"));
    st->bind(1, account_id).bind(2, m.community_id);
    SUNBID_ASSIGN_OR_RETURN(bool owner, st->step());
    st->reset();
    SUNBID_ASSIGN_OR_RETURN(bool already, is_scrutineer(db, motion_id, account_id));
    if (!owner || already) {
      return refusal("scrutineer_invalid",
                     already ? "该账户已是本议题的监票人" : "监票人须为本小区有效的业主账户",
                     already ? "the account is already a scrutineer of this motion"
                             : "a scrutineer must be an active owner account of the community",
                     {{"account_id", account_id}});
    }
    audit::EntryDraft d = draft(tenderer, "motion.scrutineer_designated", motion_id);
    d.payload = {{"motion_id", motion_id}, {"account_id", account_id}};
    // A draft's entries are released by its notice (as motion.created).
    if (m.status == MotionStatus::draft) d.release_at_ms = audit::kReleaseAtEvent;
    SUNBID_ASSIGN_OR_RETURN(std::uint64_t index, txn.append(d));
    SUNBID_ASSIGN_OR_RETURN(
        Statement * ins,
        db.cached("INSERT INTO assembly_scrutineers(motion_id, account_id, designated_by, "
                  "log_index) VALUES (?, ?, ?, ?)"));
    ins->bind(1, motion_id).bind(2, account_id).bind(3, tenderer.account);
    ins->bind(4, static_cast<std::int64_t>(index));
    SUNBID_TRY(ins->run());
    return index;
  });
}

Result<PaperBallotStep> MotionService::enter_paper_ballot(const core::Actor& entrant,
                                                          std::string_view motion_id,
                                                          const PaperBallotInput& in) {
  SUNBID_TRY(catch_up(motion_id));
  return ledger_.run<PaperBallotStep>(
      [&](WriteTxn& txn) { return enter_command(txn, entrant, motion_id, in); });
}

Result<PaperBallotStep> MotionService::resolve_paper_ballot(const core::Actor& supervisor,
                                                            std::string_view motion_id,
                                                            std::string_view paper_ballot_id,
                                                            std::string_view choice,
                                                            std::string_view reason) {
  if (supervisor.role != "supervisor") {
    return refusal("not_supervisor", "只有监督人员可以操作", "only a supervisor may do this");
  }
  SUNBID_TRY(catch_up(motion_id));
  return ledger_.run<PaperBallotStep>([&](WriteTxn& txn) -> Result<PaperBallotStep> {
    auto& db = txn.db();
    SUNBID_ASSIGN_OR_RETURN(MotionView m, load(db, motion_id));
    if (m.status == MotionStatus::draft || !m.input.paper_ballots) {
      return paper_not_found(paper_ballot_id);
    }
    std::optional<PaperRow> row;
    if (paper_ballot_id.size() > 1 && paper_ballot_id[0] == 'P') {
      SUNBID_ASSIGN_OR_RETURN(row, paper_row(db, motion_id, "seq", paper_ballot_id.substr(1)));
    }
    if (!row) return paper_not_found(paper_ballot_id);
    const std::int64_t now = txn.now_ms();
    if (m.status != MotionStatus::open || now >= tally_at(m)) return window_closed();
    if (row->status != "mismatch") {
      return refusal("paper_ballot_not_mismatched", "该书面票两份录入并无不符，无需裁定",
                     "the paper ballot has no mismatch to resolve", {{"status", row->status}});
    }
    if (choice != kVoid) SUNBID_TRY(check_choice(m, choice));
    const std::string status = choice == kVoid ? "void" : "counted";
    SUNBID_TRY(set_paper_status(
        db, motion_id, row->owner_key, status,
        choice == kVoid ? std::nullopt : std::optional<std::string_view>(choice)));
    SUNBID_ASSIGN_OR_RETURN(Statement * up,
                            db.cached("UPDATE assembly_paper_ballots SET resolved_by = ?, "
                                      "resolution = ? WHERE motion_id = ? AND owner_key = ?"));
    up->bind(1, supervisor.account).bind(2, reason).bind(3, motion_id).bind(4, row->owner_key);
    SUNBID_TRY(up->run());
    SUNBID_ASSIGN_OR_RETURN(
        std::string owner_digest,
        txn.personal_digest("owner_key", row->owner_key, motion_subject(motion_id)));
    audit::EntryDraft d = draft(supervisor, "motion.paper_ballot_resolved", motion_id);
    d.payload = {{"motion_id", motion_id}, {"paper_ballot_id", paper_id(row->seq)},
                 {"owner", owner_digest},  {"choice", choice},
                 {"reason", reason},       {"status", status},
                 {"area_centi_m2", row->area}, {"heads", 1}};
    d.release_at_ms = tally_at(m);
    return answer(txn, d, row->seq, status);
  });
}

Result<std::vector<PaperBallotView>> MotionService::paper_ballots(audit::Database& db,
                                                                  std::string_view motion_id,
                                                                  const core::Actor& viewer) {
  SUNBID_ASSIGN_OR_RETURN(MotionView m, load(db, motion_id));
  if (!visible(m, viewer)) return not_found(motion_id);
  const bool all = viewer.role == "supervisor";
  std::vector<PaperBallotView> out;
  {
    SUNBID_ASSIGN_OR_RETURN(
        Statement * st,
        db.cached("SELECT seq, owner_key, area_centi_m2, status, choice, resolved_by, resolution "
                  "FROM assembly_paper_ballots WHERE motion_id = ? ORDER BY seq"));
    st->bind(1, motion_id);
    SUNBID_TRY(each_row(st, [&] {
      PaperBallotView v;
      v.id = paper_id(st->column_int64(0));
      v.owner_key = std::string(st->column_text(1));
      v.area_centi_m2 = st->column_int64(2);
      v.status = std::string(st->column_text(3));
      if (all) {
        if (!st->column_is_null(4)) v.choice = std::string(st->column_text(4));
        if (!st->column_is_null(5)) v.resolved_by = std::string(st->column_text(5));
        if (!st->column_is_null(6)) v.resolution = std::string(st->column_text(6));
      }
      out.push_back(std::move(v));
    }));
  }
  SUNBID_ASSIGN_OR_RETURN(
      Statement * st,
      db.cached("SELECT entry, account_id, choice, scan_sha256, proxy_name, proxy_sha256, "
                "stamped_ms, entered_ms, log_index FROM assembly_paper_entries WHERE "
                "motion_id = ? AND owner_key = ? ORDER BY entry"));
  for (auto& v : out) {
    st->bind(1, motion_id).bind(2, v.owner_key);
    SUNBID_TRY(each_row(st, [&] {
      PaperEntryView e;
      e.entry = static_cast<int>(st->column_int64(0));
      e.account_id = std::string(st->column_text(1));
      if (!st->column_is_null(5)) v.proxy = true;
      // The 唱票 exception: an entrant sees the copies it typed, nobody else's.
      if (!all && e.account_id != viewer.account) return;
      e.choice = std::string(st->column_text(2));
      e.scan_sha256_hex = std::string(st->column_text(3));
      if (!st->column_is_null(4)) e.proxy_name = std::string(st->column_text(4));
      if (!st->column_is_null(5)) e.proxy_authorisation_sha256_hex = std::string(st->column_text(5));
      if (!st->column_is_null(6)) e.stamped_ms = st->column_int64(6);
      e.entered_ms = st->column_int64(7);
      e.log_index = static_cast<std::uint64_t>(st->column_int64(8));
      v.entries.push_back(std::move(e));
    }));
  }
  if (!all) {
    std::erase_if(out, [](const PaperBallotView& v) { return v.entries.empty(); });
  }
  return out;
}

}  // namespace sunbid::assembly
