#include "evaluation/recompute.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <map>
#include <optional>
#include <set>

#include "audit_log/canonical_json.h"
#include "audit_log/verify.h"
#include "evaluation/beacon.h"
#include "evaluation/committee_draw.h"
#include "evaluation/cutoff.h"
#include "evaluation/draw.h"
#include "evaluation/owners_vote.h"
#include "evaluation/review.h"
#include "evaluation/scoring.h"
#include "tender_core/time.h"

namespace sunbid::eval {

namespace {

namespace json = boost::json;

const json::value* at(const json::object& o, std::string_view key) {
  return o.if_contains(key);
}

std::string str(const json::object& o, std::string_view key) {
  const auto* v = at(o, key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t num(const json::object& o, std::string_view key) {
  const auto* v = at(o, key);
  return v && v->is_int64()
             ? v->get_int64()
             : (v && v->is_uint64() ? static_cast<std::int64_t>(v->get_uint64()) : -1);
}

const json::object& obj(const json::object& o, std::string_view key) {
  static const json::object empty;
  const auto* v = at(o, key);
  return v && v->is_object() ? v->get_object() : empty;
}

const json::array& arr(const json::object& o, std::string_view key) {
  static const json::array empty;
  const auto* v = at(o, key);
  return v && v->is_array() ? v->get_array() : empty;
}

std::vector<std::string> strs(const json::array& a) {
  std::vector<std::string> out;
  for (const auto& v : a) {
    if (v.is_string()) out.emplace_back(v.get_string());
  }
  return out;
}

bool same_votes(const std::vector<MemberVote>& a, const std::vector<MemberVote>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const MemberVote& x, const MemberVote& y) {
                      return x.member == y.member && x.bid_id == y.bid_id;
                    });
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

struct Entry {
  std::uint64_t index = 0;
  std::int64_t time_ms = 0;
  std::string actor;
  std::string role;
  std::string type;
  std::string tender;
  json::object payload;
};

class Recomputer {
 public:
  // A fresh draw the trail's seat changes require (replacement-N).
  struct FreshDraw {
    std::string purpose;
    std::uint64_t fixed_index = 0;  // the entry that left the seats vacant
    std::size_t seats = 0;
    std::vector<SpecialtyQuota> quota;  // the minimums the seated leave unmet
  };
  struct Succession {
    std::vector<std::string> seated;    // members holding a seat now
    std::vector<std::string> reserves;  // remaining reserves, order of succession
    std::vector<SpecialtyQuota> quotas;
    std::map<std::string, std::vector<std::string>> specialties;  // by account
    std::size_t committee_size = 0;
    std::vector<std::string> bidders;
    std::set<std::string> drawn;   // every account drawn for the tender
    std::size_t replacements = 0;  // fresh draws opened
    std::optional<FreshDraw> pending;
  };
  Recomputer(std::string_view key) : key_(key) {}

  // Every position of a released list against the public commitment made
  // before the beacon (committee.pool_committed entry `ci`, fixed by entry
  // `fixed_index`).
  template <class List, class Salts>
  void check_commitments(const Entry& e, std::uint64_t ci, std::uint64_t fixed_index,
                         const List& list, const Salts& salts) {
    auto c = commitments_.find(ci);
    bool ok = c != commitments_.end() && c->second.first == fixed_index &&
              c->second.second.size() == list.size();
    for (std::size_t i = 0; ok && i < list.size(); ++i) {
      ok = hex_encode(pool_leaf(salts[i], list[i])) == c->second.second[i];
    }
    line(e, "pool commitments", ok,
         c == commitments_.end()
             ? "no committee.pool_committed entry " + std::to_string(ci) + " in the trail"
             : std::to_string(list.size()) + " positions open entry " + std::to_string(ci));
  }

  // A released list {account, salt} in order, each account's record from
  // the pool; `ok` false when an account is not in the pool or a salt is
  // malformed (those positions are left out).
  struct OpenedList {
    std::vector<Expert> list;
    std::vector<Hash> salts;
    bool ok = true;
  };
  static OpenedList opened_list(const Entry& e, const std::map<std::string, Expert>& by_account) {
    OpenedList out;
    for (const auto& v : arr(e.payload, "list")) {
      const auto& o = v.is_object() ? v.get_object() : json::object();
      auto it = by_account.find(str(o, "account"));
      auto salt = hash_from_hex(str(o, "salt"));
      if (it == by_account.end() || !salt) {
        out.ok = false;
        continue;
      }
      out.list.push_back(it->second);
      out.salts.push_back(*salt);
    }
    return out;
  }

  // Specialty minimums [{specialty, min}] as released.
  static std::vector<SpecialtyQuota> quotas_of(const boost::json::array& a) {
    std::vector<SpecialtyQuota> out;
    for (const auto& q : a) {
      if (!q.is_object()) continue;
      out.push_back(
          {str(q.get_object(), "specialty"),
           static_cast<std::size_t>(std::max<std::int64_t>(0, num(q.get_object(), "min")))});
    }
    return out;
  }

  void line(const Entry& e, std::string what, bool ok, std::string detail) {
    lines.push_back({"entry " + std::to_string(e.index) + " " + e.type + ": " + what, ok, false,
                     std::move(detail)});
  }

  void note_release(const Entry& e) {
    if (!release_) release_ = e;
  }

  // A check this trail cannot make yet: its entries are still withheld.
  void pending(const Entry& e, std::string what, std::string detail) {
    lines.push_back({"entry " + std::to_string(e.index) + " " + e.type + ": " + what, false, true,
                     std::move(detail)});
  }

  // The draw's seed: checkpoint note signed by the pinned key, covering the
  // fixing entry, root and size as logged, seed as logged.
  // The beacon's canonical form and its date: a weekday strictly after the
  // China date of the fixing entry (and of the pool commitment, for the
  // committee), with every weekday skipped named (they must be rest days of
  // the platform calendar, which a trail does not hold).
  void beacon_rule(const Entry& e, const json::object& d, std::uint64_t fixed,
                   std::optional<std::uint64_t> also_after) {
    const std::string purpose = str(d, "purpose");
    const auto value_ok = check_beacon_value(str(d, "beacon"));
    const auto date = parse_beacon_date(str(d, "beacon_date"));
    auto fixed_time = entry_time_.find(fixed);
    std::optional<std::int64_t> after_ms;
    if (fixed_time != entry_time_.end()) after_ms = fixed_time->second;
    if (also_after) {
      auto t = entry_time_.find(*also_after);
      if (t == entry_time_.end()) {
        after_ms.reset();
      } else if (after_ms) {
        after_ms = std::max(*after_ms, t->second);
      }
    }
    if (!value_ok.ok() || !date.ok() || !after_ms) {
      line(e, purpose + " beacon form and date", false,
           !value_ok.ok() ? value_ok.error().message
           : !date.ok()   ? date.error().message
                          : "the entry that fixed the inputs is not in the trail");
      return;
    }
    const CivilDate fixed_date = china_date_of(*after_ms);
    std::vector<std::string> skipped;
    bool ok = *date > fixed_date && weekday(*date) < 5;
    for (CivilDate day = next_day(fixed_date); ok && day < *date; day = next_day(day)) {
      if (weekday(day) < 5) skipped.push_back(to_string(day));
      if (skipped.size() > 30) ok = false;
    }
    line(e, purpose + " beacon form and date", ok,
         "beacon " + str(d, "beacon") + " of " + str(d, "beacon_date") + ", inputs fixed on " +
             to_string(fixed_date) + " (China time)" +
             (skipped.empty() ? std::string(": the first weekday after")
                              : "; weekdays skipped, which must be rest days of the platform "
                                "calendar: " +
                                    join(skipped)));
  }

  std::optional<Hash> seed(const Entry& e, std::uint64_t expected_fixed,
                           std::optional<std::uint64_t> also_after = std::nullopt) {
    const auto& d = obj(e.payload, "draw");
    const auto& cp = obj(d, "checkpoint");
    const std::string purpose = str(d, "purpose");
    auto note = audit::verify_checkpoint_note(str(cp, "note"), key_);
    if (!note.ok()) {
      line(e, purpose + " draw checkpoint", false, note.error().message);
      return std::nullopt;
    }
    const auto fixed = static_cast<std::uint64_t>(num(d, "fixed_index"));
    const bool root_ok = hex_encode(note->root) == str(cp, "root") &&
                         note->size == static_cast<std::uint64_t>(num(cp, "tree_size"));
    const bool covers = note->size > fixed && fixed == expected_fixed;
    line(e, purpose + " draw checkpoint", root_ok && covers,
         "signed note of size " + std::to_string(note->size) + " covers fixing entry " +
             std::to_string(fixed) + " (expected " + std::to_string(expected_fixed) +
             "); first-covering not checkable from a trail");
    const bool dated = num(d, "seed_version") >= kDrawSeedVersion;
    if (dated) beacon_rule(e, d, fixed, also_after);
    auto s = dated
                 ? draw_seed(purpose, e.tender, note->root, str(d, "beacon"), str(d, "beacon_date"))
                 : draw_seed_undated(purpose, e.tender, note->root, str(d, "beacon"));
    if (!s.ok()) {
      line(e, purpose + " draw seed", false, s.error().message);
      return std::nullopt;
    }
    const bool same = hex_encode(*s) == str(d, "seed");
    line(e, purpose + " draw seed", same, "recomputed " + hex_encode(*s));
    if (!same) return std::nullopt;
    return *s;
  }

  void committee(const Entry& e) {
    if (num(e.payload, "payload_version") >= kCommitteeDrawnPoolListVersion) {
      auto s =
          seed(e, closing_index_, static_cast<std::uint64_t>(num(e.payload, "commitment_index")));
      if (s) committee_v3(e, *s);
      return;
    }
    auto s = seed(e, opening_index_);
    if (!s) return;
    if (num(e.payload, "payload_version") >= 2) {
      committee_v2(e, *s);
      return;
    }
    // Version 1: the pool only by digest; the sampling over the logged
    // eligible list is all a trail can recheck.
    const auto eligible = strs(arr(e.payload, "eligible"));
    const auto& in = obj(e.payload, "inputs");
    const auto size = static_cast<std::size_t>(num(in, "committee_size"));
    const auto reserve = static_cast<std::size_t>(num(in, "reserve_size"));
    std::vector<std::string> members, reserves;
    if (eligible.size() >= size && std::is_sorted(eligible.begin(), eligible.end())) {
      DrawStream stream(*s);
      auto picks = stream.sample(eligible.size(), std::min(eligible.size(), size + reserve));
      for (std::size_t i = 0; i < picks.size(); ++i) {
        (i < size ? members : reserves).push_back(eligible[picks[i]]);
      }
    }
    const bool ok = members == strs(arr(e.payload, "members")) &&
                    reserves == strs(arr(e.payload, "reserves")) &&
                    static_cast<std::int64_t>(eligible.size()) == num(e.payload, "eligible_count");
    line(e, "committee members and reserves", ok,
         "members " + join(members) + "; reserves " + join(reserves) + "; pool digest " +
             str(in, "pool_digest") + " not checkable without the pool (payload version 1)");
  }

  // Version 2: the listed pool, rechecked against the digest, the opening
  // record's bidders, the exclusion rules and the sampler.
  // The draw's inputs every committee.drawn version states: the digest of
  // the listed pool and the bidders, which must be the opening record's.
  // Answers the bidders.
  std::vector<std::string> pool_and_bidders(const Entry& e, const json::object& in,
                                            const std::vector<Expert>& pool) {
    const std::string digest = hex_encode(expert_pool_digest(pool));
    line(e, "expert pool digest",
         digest == str(in, "pool_digest") &&
             num(in, "pool_size") == static_cast<std::int64_t>(pool.size()),
         "recomputed " + digest + " over " + std::to_string(pool.size()) + " listed experts");
    auto bidders = strs(arr(in, "bidder_usccs"));
    line(e, "bidders are the opening record's", opening_bidders_ && bidders == *opening_bidders_,
         opening_bidders_ ? "opening record bidders " + join(*opening_bidders_)
                          : "no tender.opened entry before the draw");
    return bidders;
  }

  void committee_v2(const Entry& e, const Hash& seed) {
    const auto& in = obj(e.payload, "inputs");
    std::vector<Expert> pool;
    for (const auto& v : arr(e.payload, "pool")) {
      if (!v.is_object()) continue;
      const auto& o = v.get_object();
      pool.push_back({str(o, "account"), strs(arr(o, "specialties")), str(o, "employer_uscc"),
                      strs(arr(o, "related_usccs"))});
    }
    const auto bidders = pool_and_bidders(e, in, pool);
    const auto excluded_accounts = strs(arr(in, "excluded_accounts"));
    auto drawn = draw_committee(pool, bidders, excluded_accounts,
                                static_cast<std::size_t>(num(in, "committee_size")),
                                static_cast<std::size_t>(num(in, "reserve_size")), seed);
    if (!drawn.ok()) {
      line(e, "committee exclusions", false, drawn.error().message);
      return;
    }
    std::vector<Exclusion> logged;
    for (const auto& v : arr(e.payload, "exclusions")) {
      if (!v.is_object()) continue;
      const auto& o = v.get_object();
      logged.push_back({str(o, "account"), str(o, "reason"), str(o, "bidder_uscc")});
    }
    std::set<std::string> excluded;
    for (const auto& x : drawn->exclusions) excluded.insert(x.account);
    std::vector<std::string> eligible;
    for (const auto& x : pool) {
      if (!excluded.count(x.account)) eligible.push_back(x.account);
    }
    std::sort(eligible.begin(), eligible.end());
    line(e, "committee exclusions",
         logged == drawn->exclusions && eligible == strs(arr(e.payload, "eligible")) &&
             num(e.payload, "eligible_count") == static_cast<std::int64_t>(drawn->eligible_count),
         std::to_string(drawn->exclusions.size()) + " exclusions, " +
             std::to_string(drawn->eligible_count) + " eligible");
    line(e, "committee members and reserves",
         drawn->members == strs(arr(e.payload, "members")) &&
             drawn->reserves == strs(arr(e.payload, "reserves")),
         "members " + join(drawn->members) + "; reserves " + join(drawn->reserves));
    committee_entry_ = e;
    pool_accounts_.clear();
    for (const auto& x : pool) pool_accounts_.insert(x.account);
    excluded_accounts_ = std::set<std::string>(excluded_accounts.begin(), excluded_accounts.end());
  }

  // Version 3: the committed list opened (salts and order), the pool as of
  // the bid closing, the quota and the positions.
  void committee_v3(const Entry& e, const Hash& seed) {
    const auto& in = obj(e.payload, "inputs");
    std::vector<Expert> pool;
    std::map<std::string, Expert> by_account;
    for (const auto& v : arr(e.payload, "pool")) {
      if (!v.is_object()) continue;
      const auto& o = v.get_object();
      Expert x{str(o, "account"), strs(arr(o, "specialties")), str(o, "employer_uscc"),
               strs(arr(o, "related_usccs")), str(o, "title")};
      by_account[x.account] = x;
      pool.push_back(std::move(x));
    }
    const auto bidders = pool_and_bidders(e, in, pool);
    const auto excluded_accounts = strs(arr(in, "excluded_accounts"));
    auto split = split_pool(pool, bidders, excluded_accounts);
    if (!split.ok()) {
      line(e, "committee exclusions", false, split.error().message);
      return;
    }
    std::vector<Exclusion> logged;
    for (const auto& v : arr(e.payload, "exclusions")) {
      if (!v.is_object()) continue;
      const auto& o = v.get_object();
      logged.push_back({str(o, "account"), str(o, "reason"), str(o, "bidder_uscc")});
    }
    // The opened list: its accounts must be exactly the eligible experts.
    auto [list, salts, list_ok] = opened_list(e, by_account);
    std::vector<std::string> listed, eligible;
    for (const auto& x : list) listed.push_back(x.account);
    for (const auto& x : split->eligible) eligible.push_back(x.account);
    std::sort(listed.begin(), listed.end());
    line(e, "committee exclusions",
         list_ok && logged == split->exclusions && listed == eligible &&
             num(e.payload, "eligible_count") == static_cast<std::int64_t>(eligible.size()),
         std::to_string(split->exclusions.size()) + " exclusions, " +
             std::to_string(eligible.size()) + " eligible, " + std::to_string(list.size()) +
             " in the committed list");
    // Every position against the public commitment made before the beacon.
    const auto ci = static_cast<std::uint64_t>(num(e.payload, "commitment_index"));
    check_commitments(e, ci, closing_index_, list, salts);
    std::vector<SpecialtyQuota> quotas = quotas_of(arr(in, "committee_specialties"));
    auto drawn = draw_positions(list, quotas, static_cast<std::size_t>(num(in, "committee_size")),
                                static_cast<std::size_t>(num(in, "reserve_size")), seed);
    if (!drawn.ok()) {
      line(e, "committee members and reserves", false, drawn.error().message);
      return;
    }
    std::vector<std::string> members, reserves;
    json::array positions;
    for (const auto p : drawn->members)
      members.push_back(list[p].account), positions.emplace_back(p);
    for (const auto p : drawn->reserves)
      reserves.push_back(list[p].account), positions.emplace_back(p);
    line(e, "committee members and reserves",
         members == strs(arr(e.payload, "members")) &&
             reserves == strs(arr(e.payload, "reserves")) &&
             json::value(positions) ==
                 (at(e.payload, "positions") ? *at(e.payload, "positions") : json::value()),
         "specialty minimums first, then positions; members " + join(members) + "; reserves " +
             join(reserves));
    committee_entry_ = e;
    pool_accounts_.clear();
    for (const auto& x : pool) pool_accounts_.insert(x.account);
    excluded_accounts_ = std::set<std::string>(excluded_accounts.begin(), excluded_accounts.end());
    Succession sc;
    sc.seated = strs(arr(e.payload, "members"));
    sc.reserves = strs(arr(e.payload, "reserves"));
    sc.quotas = quotas;
    for (const auto& x : pool) sc.specialties[x.account] = x.specialties;
    sc.committee_size = static_cast<std::size_t>(num(in, "committee_size"));
    sc.bidders = bidders;
    sc.drawn.insert(sc.seated.begin(), sc.seated.end());
    sc.drawn.insert(sc.reserves.begin(), sc.reserves.end());
    succession_ = std::move(sc);
  }

  // The specialties next_reserve counts as seated: the seated members' and
  // a pending fresh draw's quota (docs/committee-draw.md).
  static std::vector<std::vector<std::string>> counted_seated(Succession& sc) {
    std::vector<std::vector<std::string>> out;
    for (const auto& a : sc.seated) out.push_back(sc.specialties[a]);
    if (sc.pending) {
      for (const auto& q : sc.pending->quota) {
        for (std::size_t i = 0; i < q.min; ++i) out.push_back({q.specialty});
      }
    }
    return out;
  }

  // After the entry `e` that may leave seats vacant: the fresh draw it opens
  // when none is pending.
  static void open_fresh_draw(Succession& sc, const Entry& e) {
    if (sc.pending || sc.seated.size() >= sc.committee_size) return;
    FreshDraw f;
    f.purpose = "replacement-" + std::to_string(++sc.replacements);
    f.fixed_index = e.index;
    f.seats = sc.committee_size - sc.seated.size();
    const auto seated = counted_seated(sc);
    for (const auto& q : sc.quotas) {
      std::size_t have = 0;
      for (const auto& sp : seated) {
        have += std::find(sp.begin(), sp.end(), q.specialty) != sp.end() ? 1 : 0;
      }
      if (have < q.min) f.quota.push_back({q.specialty, q.min - have});
    }
    sc.pending = std::move(f);
  }

  // A fresh draw's public commitment: opened by the entry that left the
  // seats vacant (checkable once the withheld seat changes are released).
  void fresh_commitment(const Entry& e) {
    if (!succession_) return;
    const auto& f = succession_->pending;
    const bool ok = f && f->purpose == str(e.payload, "purpose") &&
                    f->fixed_index == static_cast<std::uint64_t>(num(e.payload, "fixed_index"));
    line(e, "fresh draw opened by a vacancy", ok,
         f ? f->purpose + " fixed by entry " + std::to_string(f->fixed_index)
           : std::string("no seat is vacant without a reserve"));
  }

  // 补抽 from a new list (committee.redrawn): the committed list opened,
  // the exclusions as of the fixing entry, everybody already drawn removed,
  // the seats and quota the seat changes left, and the positions.
  void redrawn(const Entry& e) {
    if (!succession_ || !succession_->pending) {
      line(e, "fresh draw", false, "no vacant seat awaits a fresh draw in this trail");
      return;
    }
    auto& sc = *succession_;
    const FreshDraw f = *sc.pending;
    const auto& d = obj(e.payload, "draw");
    const auto ci = static_cast<std::uint64_t>(num(e.payload, "commitment_index"));
    line(e, "fresh draw purpose", str(d, "purpose") == f.purpose, "expected " + f.purpose);
    auto seed_value = seed(e, f.fixed_index, ci);
    const auto& in = obj(e.payload, "inputs");
    std::vector<Expert> pool;
    std::map<std::string, Expert> by_account;
    for (const auto& v : arr(e.payload, "pool")) {
      if (!v.is_object()) continue;
      const auto& o = v.get_object();
      Expert x{str(o, "account"), strs(arr(o, "specialties")), str(o, "employer_uscc"),
               strs(arr(o, "related_usccs")), str(o, "title")};
      by_account[x.account] = x;
      pool.push_back(std::move(x));
    }
    const auto bidders = strs(arr(in, "bidder_usccs"));
    line(e, "bidders are the committee draw's", bidders == sc.bidders, join(sc.bidders));
    auto split = split_pool(pool, bidders, strs(arr(in, "excluded_accounts")));
    if (!split.ok()) {
      line(e, "fresh draw exclusions", false, split.error().message);
      return;
    }
    std::vector<Exclusion> logged;
    for (const auto& v : arr(e.payload, "exclusions")) {
      if (!v.is_object()) continue;
      const auto& o = v.get_object();
      logged.push_back({str(o, "account"), str(o, "reason"), str(o, "bidder_uscc")});
    }
    const std::vector<std::string> drawn(sc.drawn.begin(), sc.drawn.end());
    std::vector<std::string> expected;  // eligible and never drawn, sorted
    for (const auto& x : split->eligible) {
      if (!sc.drawn.count(x.account)) expected.push_back(x.account);
    }
    auto [list, salts, list_ok] = opened_list(e, by_account);
    std::vector<std::string> listed;
    for (const auto& x : list) listed.push_back(x.account);
    std::sort(listed.begin(), listed.end());
    line(e, "fresh draw exclusions and already drawn",
         list_ok && logged == split->exclusions && listed == expected &&
             strs(arr(in, "already_drawn")) == drawn &&
             num(e.payload, "eligible_count") == static_cast<std::int64_t>(list.size()),
         std::to_string(split->exclusions.size()) + " exclusions, " + std::to_string(drawn.size()) +
             " already drawn removed, " + std::to_string(list.size()) + " in the committed list");
    check_commitments(e, ci, f.fixed_index, list, salts);
    std::vector<SpecialtyQuota> quota = quotas_of(arr(in, "quota"));
    bool quota_ok =
        quota.size() == f.quota.size() && static_cast<std::size_t>(num(in, "seats")) == f.seats;
    for (std::size_t i = 0; quota_ok && i < quota.size(); ++i) {
      quota_ok = quota[i].specialty == f.quota[i].specialty && quota[i].min == f.quota[i].min;
    }
    std::string quota_text;
    for (const auto& q : f.quota) quota_text += " " + q.specialty + "≥" + std::to_string(q.min);
    line(e, "fresh draw seats and quota", quota_ok,
         std::to_string(f.seats) + " vacant seats; unmet minimums:" +
             (quota_text.empty() ? std::string(" none") : quota_text));
    std::vector<std::string> members;
    if (seed_value) {
      auto positions = draw_replacement_positions(list, f.quota, f.seats, *seed_value);
      if (!positions.ok()) {
        line(e, "fresh draw members", false, positions.error().message);
      } else {
        json::array pj;
        for (const auto p : *positions) members.push_back(list[p].account), pj.emplace_back(p);
        line(e, "fresh draw members",
             members == strs(arr(e.payload, "members")) &&
                 json::value(pj) ==
                     (at(e.payload, "positions") ? *at(e.payload, "positions") : json::value()),
             "specialty quota first, then positions; members " + join(members));
      }
    }
    {
      FreshPool fp{e, {}, {}};
      for (const auto& x : pool) fp.pool.insert(x.account);
      const auto ex = strs(arr(in, "excluded_accounts"));
      fp.excluded.insert(ex.begin(), ex.end());
      fresh_pools_.push_back(std::move(fp));
    }
    // The logged members take the seats (a mismatch above is reported; go on
    // with what the log says so later seat changes are still checked).
    sc.pending.reset();
    for (const auto& m : strs(arr(e.payload, "members"))) {
      sc.seated.push_back(m);
      sc.drawn.insert(m);
      if (auto it = by_account.find(m); it != by_account.end()) {
        sc.specialties[m] = it->second.specialties;
      }
    }
    open_fresh_draw(sc, e);
  }

  // 补抽 from the reserves: a member who declares a conflict or is replaced
  // leaves; the successor must be next_reserve's choice over the opened
  // list's specialties and the tender's minimums (docs/committee-draw.md).
  void seat_change(const Entry& e) {
    if (!succession_) return;  // no version-3 draw in the trail: nothing to check against
    auto& sc = *succession_;
    const std::string member = str(e.payload, "member");
    auto it = std::find(sc.seated.begin(), sc.seated.end(), member);
    if (it == sc.seated.end()) {
      line(e, "successor is the next reserve", false, member + " does not hold a seat");
      return;
    }
    sc.seated.erase(it);
    std::vector<std::vector<std::string>> reserve_s;
    for (const auto& a : sc.reserves) reserve_s.push_back(sc.specialties[a]);
    const auto i = next_reserve(counted_seated(sc), reserve_s, sc.quotas);
    std::string expected;
    if (i) {
      expected = sc.reserves[*i];
      sc.seated.push_back(expected);
      sc.reserves.erase(sc.reserves.begin() + static_cast<std::ptrdiff_t>(*i));
    }
    const json::value* logged = at(e.payload, "successor");
    const bool ok = i ? logged && logged->is_string() && logged->get_string() == expected
                      : !logged || logged->is_null();
    line(e, "successor is the next reserve", ok,
         member + " leaves; " +
             (i ? "successor " + expected
                : std::string("no reserve can take the seat: it goes to a fresh draw")) +
             " by the specialty minimums, then the order of succession");
    if (!i) open_fresh_draw(sc, e);
  }

  // 评定分离: every account that takes part in the decision in this trail
  // (a tenderer acting on the tender, a listed voter) and is in the pool must
  // have been excluded from the draw.
  void decision_participants_excluded() {
    if (!committee_entry_ && committee_withheld_) {
      pending(*committee_withheld_, "decision participants excluded",
              "the committee draw is withheld until the decision");
    }
    if (!committee_entry_) return;
    std::vector<std::string> missed;
    for (const auto& a : decision_participants_) {
      if (pool_accounts_.count(a) && !excluded_accounts_.count(a)) missed.push_back(a);
    }
    line(*committee_entry_, "decision participants excluded", missed.empty(),
         missed.empty() ? std::to_string(decision_participants_.size()) +
                              " decision participants, none drawable"
                        : "drawable although taking part in the decision: " + join(missed));
    // Each fresh draw's list, against its own pool and exclusions.
    for (const auto& fp : fresh_pools_) {
      std::vector<std::string> drawable;
      for (const auto& a : decision_participants_) {
        if (fp.pool.count(a) && !fp.excluded.count(a)) drawable.push_back(a);
      }
      line(fp.entry, "decision participants excluded", drawable.empty(),
           drawable.empty() ? std::to_string(decision_participants_.size()) +
                                  " decision participants, none drawable"
                            : "drawable although taking part in the decision: " + join(drawable));
    }
  }

  // The review's aggregation from the logged report: every fail reason is a
  // member's fail; a criterion fails on a strict majority; a bid qualifies
  // when it fails none.
  // Payload version 2 names seats 1..n; the members behind them are in the
  // completing review.submitted entry (withheld until the decision).
  void review(const Entry& e) {
    const auto& report = obj(e.payload, "report");
    const bool by_seat = at(report, "seats") != nullptr;
    std::vector<std::string> members;  // the report's labels: seat numbers or accounts
    if (by_seat) {
      for (std::int64_t k = 1; k <= num(report, "seats"); ++k) members.push_back(std::to_string(k));
    } else {
      members = strs(arr(report, "members"));
    }
    const auto label = [&](const json::object& o) {
      return by_seat ? std::to_string(num(o, "seat")) : str(o, "member");
    };
    if (!committee_seen_) {
      committee_withheld_ = e;
      pending(e, "committee draw", "committee.drawn is withheld until the decision");
    }
    const auto criteria = strs(arr(report, "criteria"));
    std::vector<std::string> bid_ids;
    std::vector<ReviewSubmission> subs;
    for (const auto& b : arr(report, "bids")) {
      if (!b.is_object()) continue;
      const auto& bo = b.get_object();
      const std::string bid = str(bo, "bid_id");
      bid_ids.push_back(bid);
      std::map<std::string, std::map<std::string, std::string>>
          fails;  // member -> criterion -> reason
      for (const auto& c : arr(bo, "criteria")) {
        for (const auto& r : arr(c.get_object(), "reasons")) {
          fails[label(r.get_object())][str(c.get_object(), "criterion")] =
              str(r.get_object(), "reason");
        }
      }
      for (const auto& m : members) {
        ReviewSubmission s{m, bid, {}};
        for (const auto& c : criteria) {
          auto it = fails[m].find(c);
          s.marks.push_back({c, it == fails[m].end(), it == fails[m].end() ? "" : it->second});
        }
        subs.push_back(std::move(s));
      }
    }
    // The report against what each member committed to while reviewing.
    const bool mapped = !by_seat || (seats_ && seats_->size() == members.size());
    if (!mapped) {
      pending(e, "evaluation report matches the submitted marks' digests",
              "the seats' members and their review.submitted entries are withheld until the "
              "decision");
    }
    std::size_t bound = 0;
    bool digests_ok = marks_sha256_.size() == subs.size();
    static const json::array kNone;
    for (const auto& b : mapped ? arr(report, "bids") : kNone) {
      const auto& bo = b.get_object();
      for (const auto& rm : arr(bo, "remarks")) {
        const auto& ro = rm.get_object();
        const std::string seat = label(ro);
        std::string member = seat;
        if (by_seat) {
          const std::int64_t k = num(ro, "seat");
          member = k >= 1 && k <= static_cast<std::int64_t>(seats_->size())
                       ? (*seats_)[static_cast<std::size_t>(k - 1)]
                       : std::string();
        }
        json::array marks;
        for (const auto& s : subs) {
          if (s.member != seat || s.bid_id != str(bo, "bid_id")) continue;
          for (const auto& m : s.marks) {
            marks.push_back({{"criterion", m.criterion}, {"pass", m.pass}, {"reason", m.reason}});
          }
        }
        json::object stored{{"bid_id", str(bo, "bid_id")},
                            {"marks", std::move(marks)},
                            {"strengths", str(ro, "strengths")},
                            {"weaknesses", str(ro, "weaknesses")},
                            {"risks", str(ro, "risks")}};
        auto canonical = audit::to_canonical_json(stored);
        auto it = marks_sha256_.find({member, str(bo, "bid_id")});
        const bool ok = canonical.ok() && it != marks_sha256_.end() &&
                        hex_encode(sha256(*canonical)) == it->second;
        digests_ok = digests_ok && ok;
        ++bound;
      }
    }
    if (mapped) {
      line(e, "evaluation report matches the submitted marks' digests",
           digests_ok && bound == subs.size(),
           std::to_string(bound) + " submissions of " + std::to_string(subs.size()));
    }
    auto outcome = aggregate_review(members, bid_ids, criteria, subs);
    if (!outcome.ok()) {
      line(e, "review aggregation", false, outcome.error().message);
      return;
    }
    bool counts_ok = true;
    for (std::size_t i = 0; i < outcome->bids.size(); ++i) {
      const auto& logged = arr(e.payload.at("report").as_object(), "bids");
      for (const auto& lb : logged) {
        const auto& lo = lb.get_object();
        if (str(lo, "bid_id") != outcome->bids[i].bid_id) continue;
        counts_ok = counts_ok && (lo.at("qualified").as_bool() == outcome->bids[i].qualified);
        const auto& lc = arr(lo, "criteria");
        for (std::size_t c = 0; c < lc.size() && c < outcome->bids[i].criteria.size(); ++c) {
          const auto& co = lc[c].get_object();
          const auto& rc = outcome->bids[i].criteria[c];
          counts_ok = counts_ok && num(co, "fail_count") == rc.fail_count &&
                      num(co, "pass_count") == rc.pass_count &&
                      co.at("failed").as_bool() == rc.failed;
        }
      }
    }
    const bool ok = counts_ok && outcome->qualified == strs(arr(e.payload, "qualified"));
    line(e, "review aggregation", ok, "qualified " + join(outcome->qualified));
    if (at(e.payload, "candidates") || at(e.payload, "pending_draw")) narrowing(e, std::nullopt);
    last_pending_ = e.index;
  }

  void narrowing(const Entry& e, const std::optional<Hash>& seed) {
    std::vector<QualifiedBid> q;
    for (const auto& b : arr(e.payload, "qualified_prices")) {
      q.push_back({str(b.get_object(), "bid_id"), num(b.get_object(), "price_fen")});
    }
    const CapMethod method =
        str(e.payload, "cap_method") == "lottery" ? CapMethod::kLottery : CapMethod::kLowestPrice;
    auto list = narrow_candidates(q, static_cast<std::size_t>(num(e.payload, "cap")), method, seed);
    if (!list.ok()) {
      line(e, "candidate narrowing", false, list.error().message);
      return;
    }
    const bool logged_has = at(e.payload, "candidates") != nullptr;
    const bool ok = list->candidates
                        ? logged_has && *list->candidates == strs(arr(e.payload, "candidates"))
                        : !logged_has;
    line(e, "candidate narrowing", ok,
         list->candidates ? "candidates " + join(*list->candidates) : "needs the draw");
  }

  void decision(const Entry& e, const std::optional<Hash>& seed) {
    const std::string method = str(e.payload, "method");
    const auto& in = obj(e.payload, "inputs");
    std::string winner;
    bool known = false;
    if (method == "lowest_price" && at(in, "prices")) {
      std::vector<PricedCandidate> c;
      for (const auto& p : arr(in, "prices")) {
        c.push_back({str(p.get_object(), "bid_id"), num(p.get_object(), "price_fen")});
      }
      auto r = lowest_price(c, seed);
      if (r.ok()) winner = r->decision.winner, known = true;
    } else if (method == "composite_score" && at(in, "candidates")) {
      std::vector<CompositeCandidate> c;
      for (const auto& p : arr(in, "candidates")) {
        const auto& o = p.get_object();
        c.push_back(
            {str(o, "bid_id"), num(o, "price_fen"), num(o, "credit_score"), num(o, "stars")});
      }
      const auto& pr = obj(in, "params");
      CompositeParams params;
      params.weight_price_bp = num(obj(pr, "weights_bp"), "price");
      params.weight_credit_bp = num(obj(pr, "weights_bp"), "credit");
      params.weight_star_bp = num(obj(pr, "weights_bp"), "star");
      params.benchmark = str(pr, "benchmark") == "lowest" ? CompositeParams::Benchmark::kLowest
                                                          : CompositeParams::Benchmark::kMean;
      params.k_above = num(pr, "k_above");
      params.k_below = num(pr, "k_below");
      auto r = composite_score(params, c, seed);
      if (r.ok()) {
        winner = r->decision.winner, known = true;
        bool scores_ok = at(e.payload, "scores") == nullptr;
        if (!scores_ok) {
          scores_ok = arr(e.payload, "scores").size() == r->scores.size();
          for (std::size_t i = 0; scores_ok && i < r->scores.size(); ++i) {
            scores_ok =
                num(arr(e.payload, "scores")[i].get_object(), "total") == r->scores[i].total;
          }
          line(e, "composite scores", scores_ok, "benchmark " + std::to_string(r->benchmark_fen));
        }
      }
    } else if (method == "lottery" && seed) {
      auto r = lottery(strs(arr(in, "candidates")), *seed);
      if (r.ok()) winner = r->winner, known = true;
    } else if (method == "owners_vote" && seed && !at(e.payload, "tally")) {
      // The run-off's places drawn among the candidates tied on area.
      const auto& ctx = obj(e.payload, "inputs");
      Cutoff c;
      c.certain = strs(arr(ctx, "certain"));
      c.tied = strs(arr(ctx, "tied"));
      c.draw_count = static_cast<std::size_t>(std::max<std::int64_t>(0, num(ctx, "draw_count")));
      if (c.draw_count > c.tied.size()) c.draw_count = 0;
      const auto two = resolve_cutoff(c, *seed);
      const auto logged = strs(arr(obj(e.payload, "next_round"), "candidates"));
      line(e, "run-off candidates", two == logged, "run-off between " + join(two));
      return;
    } else if (method == "owners_vote" && at(e.payload, "tally")) {
      owners(e);
      return;
    } else if ((method == "committee_vote") && at(in, "members")) {
      std::vector<MemberVote> votes;
      for (const auto& v : arr(in, "votes")) {
        votes.push_back({str(v.get_object(), "member"), str(v.get_object(), "bid_id")});
      }
      const int round = static_cast<int>(num(e.payload, "round"));
      line(e, "committee votes match the vote entries", same_votes(votes, committee_votes_[round]),
           "round " + std::to_string(round));
      auto r =
          committee_vote_round(strs(arr(in, "members")), strs(arr(in, "remaining")), votes, seed);
      if (r.ok()) {
        const bool ok =
            r->winner == str(e.payload, "winner") && r->eliminated == str(e.payload, "eliminated");
        line(e, "committee vote round", ok,
             r->winner.empty() ? "eliminated " + r->eliminated : "winner " + r->winner);
      }
      return;
    } else if (method == "vote_then_lottery" && at(in, "members")) {
      std::vector<MemberVote> votes;
      for (const auto& v : arr(in, "votes")) {
        votes.push_back({str(v.get_object(), "member"), str(v.get_object(), "bid_id")});
      }
      // vote_then_lottery has one vote round; its payload names none.
      const int round = at(e.payload, "round") ? static_cast<int>(num(e.payload, "round")) : 1;
      line(e, "committee votes match the vote entries", same_votes(votes, committee_votes_[round]),
           "round " + std::to_string(round));
      std::optional<Hash> shortlist_seed, lottery_seed;
      const std::string purpose = str(obj(e.payload, "draw"), "purpose");
      if (purpose == "shortlist_tie") shortlist_seed = seed;
      if (purpose == "lottery") {
        lottery_seed = seed;
        if (auto h = hash_from_hex(str(e.payload, "shortlist_seed"))) shortlist_seed = *h;
      }
      auto r = vote_then_lottery(strs(arr(in, "members")), strs(arr(in, "candidates")), votes,
                                 static_cast<std::size_t>(num(in, "shortlist_size")),
                                 shortlist_seed, lottery_seed);
      if (r.ok()) winner = r->decision.winner, known = true;
    }
    if (!known) return;
    line(e, method + " decision", winner == str(e.payload, "winner"),
         winner.empty() ? "no winner yet (draw pending)" : "winner " + winner);
  }

  void ballot(const Entry& e) {
    const auto round = num(e.payload, "round");
    auto& b = ballots_[round];
    b[str(e.payload, "owner")] = {num(e.payload, "area_centi_m2"), str(e.payload, "choice")};
  }

  // The owners' tally recomputed from the ballot entries and the roster totals.
  void owners(const Entry& e) {
    const auto round = num(e.payload, "round");
    OwnersVoteInput in;
    std::int64_t voters_area = 0;
    for (const auto& [digest, ballot] : ballots_[round]) {
      in.owners.push_back({digest, ballot.first});
      voters_area += ballot.first;
      in.ballots.push_back({digest, ballot.second == "abstain"
                                        ? std::nullopt
                                        : std::optional<std::string>(ballot.second)});
    }
    in.total_area_centi_m2 = roster_area_;
    in.total_heads = roster_heads_;
    // Owners who did not vote weigh only in the totals: stand-ins carry their
    // remaining area and headcount.
    const std::int64_t missing = roster_heads_ - static_cast<std::int64_t>(in.owners.size());
    const std::int64_t rest = roster_area_ - voters_area;
    for (std::int64_t i = 0; i < missing; ++i) {
      in.owners.push_back({"~absent-" + std::to_string(i), i == 0 ? rest - (missing - 1) : 1});
    }
    for (const auto& c : arr(obj(e.payload, "tally"), "candidates")) {
      in.candidates.push_back(str(c.get_object(), "bid_id"));
    }
    auto r = tally_owners_vote(in);
    if (!r.ok()) {
      line(e, "owners' tally", false, r.error().message);
      return;
    }
    const auto& t = obj(e.payload, "tally");
    bool ok = num(t, "participating_area_centi_m2") == r->participating_area_centi_m2 &&
              num(t, "participating_heads") == r->participating_heads &&
              num(t, "abstain_area_centi_m2") == r->abstain_area_centi_m2;
    for (std::size_t i = 0; ok && i < r->candidates.size(); ++i) {
      const auto& lc = arr(t, "candidates")[i].get_object();
      ok = str(lc, "bid_id") == r->candidates[i].bid_id &&
           num(lc, "area_centi_m2") == r->candidates[i].area_centi_m2 &&
           num(lc, "heads") == r->candidates[i].heads;
    }
    const std::string result = str(e.payload, "result");
    const bool outcome_ok =
        (r->outcome == OwnersVoteOutcome::kWinner && result == "award" &&
         r->winner == str(e.payload, "winner")) ||
        (r->outcome == OwnersVoteOutcome::kQuorumNotMet && result == "failed") ||
        (r->outcome == OwnersVoteOutcome::kRunoff && result != "award");
    line(e, "owners' tally from the ballot entries", ok && outcome_ok,
         "participation " + std::to_string(r->participating_area_centi_m2) + " / " +
             std::to_string(r->total_area_centi_m2) + " centi-m², " +
             std::to_string(r->participating_heads) + " / " + std::to_string(r->total_heads) +
             " heads" + (r->winner.empty() ? "" : "; winner " + r->winner));
  }

  void run(const std::vector<Entry>& entries) {
    for (const auto& e : entries) {
      entry_time_[e.index] = e.time_ms;
      if (e.type == "tender.bidding_closed") closing_index_ = e.index;
      if (e.type == "committee.pool_committed") {
        commitments_[e.index] = {static_cast<std::uint64_t>(num(e.payload, "fixed_index")),
                                 strs(arr(e.payload, "commitments"))};
        if (str(e.payload, "purpose") != "committee") fresh_commitment(e);
      }
      if (e.type == "committee.redrawn") redrawn(e);
      if (e.type == "tender.opened") {
        opening_index_ = e.index;
        std::set<std::string> bidders;
        for (const auto& r : arr(e.payload, "record")) {
          if (r.is_object()) bidders.insert(str(r.get_object(), "bidder_uscc"));
        }
        opening_bidders_ = std::vector<std::string>(bidders.begin(), bidders.end());
      }
      if (e.role == "tenderer") decision_participants_.insert(e.actor);
      if (e.type == "decision.vote_opened") {
        for (const auto& v : strs(arr(obj(e.payload, "window"), "voters"))) {
          decision_participants_.insert(v);
        }
      }
      if (e.type == "committee.drawn") {
        committee_seen_ = true;
        committee(e);
      }
      // Version 1 review.concluded entries also carried the last submission.
      if (e.type == "review.submitted" ||
          (e.type == "review.concluded" && at(e.payload, "marks_sha256"))) {
        marks_sha256_[{str(e.payload, "member"), str(e.payload, "bid_id")}] =
            str(e.payload, "marks_sha256");
      }
      if (e.type == "review.submitted" && at(e.payload, "seats")) {
        seats_ = strs(arr(e.payload, "seats"));
      }
      if (e.type == "committee.replaced" ||
          (e.type == "committee.declared" && at(e.payload, "no_conflict") &&
           at(e.payload, "no_conflict")->is_bool() && !at(e.payload, "no_conflict")->get_bool())) {
        seat_change(e);
      }
      if (e.type == "committee.replaced") {
        // The replaced member's marks are void.
        const std::string member = str(e.payload, "member");
        for (auto it = marks_sha256_.begin(); it != marks_sha256_.end();) {
          it = it->first.first == member ? marks_sha256_.erase(it) : std::next(it);
        }
      }
      if (e.type == "review.concluded") {
        review(e);
        if (str(e.payload, "result") == "failed") note_release(e);
      }
      if (e.type == "tender.cancelled" || e.type == "tender.failed") note_release(e);
      if (e.type == "decision.vote_opened") {
        const auto& r = obj(e.payload, "roster");
        roster_area_ = num(r, "total_area_centi_m2");
        roster_heads_ = num(r, "total_heads");
      }
      if (e.type == "ballot.cast") ballot(e);
      if (e.type == "committee_vote.cast") {
        auto& v = committee_votes_[static_cast<int>(num(e.payload, "round"))];
        v.push_back({str(e.payload, "member"), str(e.payload, "bid_id")});
        std::sort(v.begin(), v.end(),
                  [](const MemberVote& a, const MemberVote& b) { return a.member < b.member; });
      }
      if (e.type == "decision.made") {
        decision(e, std::nullopt);
        if (at(e.payload, "pending_draw")) {
          last_pending_ = e.index;
        } else {
          note_release(e);
        }
      }
      if (e.type == "draw.made") {
        auto s = seed(e, last_pending_);
        if (at(e.payload, "pending_draw")) {
          last_pending_ = e.index;
        } else if (str(obj(e.payload, "draw"), "purpose") != "candidate_cap") {
          note_release(e);
        }
        if (!s) continue;
        if (str(obj(e.payload, "draw"), "purpose") == "candidate_cap") {
          narrowing(e, s);
        } else {
          decision(e, s);
        }
      }
    }
    decision_participants_excluded();
    // Once the trail holds the entry that ended the committee's
    // confidentiality (the decision, a failed review, a cancellation or a
    // failure), the committee's entries were released in that same command:
    // a trail still lacking them left them out, and a check that waited for
    // them is a mismatch, not pending.
    if (release_) {
      for (auto& l : lines) {
        if (!l.pending) continue;
        l.pending = false;
        l.detail = "left out of the trail although released by entry " +
                   std::to_string(release_->index) + " " + release_->type + " (" + l.detail + ")";
      }
    }
  }

  std::vector<RecomputeLine> lines;

 private:
  std::string key_;
  std::uint64_t opening_index_ = 0;
  std::uint64_t closing_index_ = 0;  // the bid-closing entry (tender.bidding_closed)
  std::map<std::uint64_t, std::int64_t> entry_time_;
  // committee.pool_committed entries: index -> (fixed_index, commitments)
  std::map<std::uint64_t, std::pair<std::uint64_t, std::vector<std::string>>> commitments_;
  std::optional<std::vector<std::string>> opening_bidders_;  // sorted, distinct
  std::optional<Entry> committee_entry_;                     // a version-2 draw
  struct FreshPool {
    Entry entry;  // committee.redrawn
    std::set<std::string> pool;
    std::set<std::string> excluded;
  };
  std::vector<FreshPool> fresh_pools_;
  std::optional<Succession> succession_;           // from a version-3 committee.drawn
  bool committee_seen_ = false;                    // any committee.drawn
  std::optional<Entry> committee_withheld_;        // the review.concluded that lacked it
  std::optional<std::vector<std::string>> seats_;  // seat k's member: (*seats_)[k - 1]
  std::set<std::string> pool_accounts_;
  std::set<std::string> excluded_accounts_;
  std::set<std::string> decision_participants_;
  std::uint64_t last_pending_ = 0;
  std::optional<Entry> release_;  // the first entry that released the committee
  std::int64_t roster_area_ = 0;
  std::int64_t roster_heads_ = 0;
  std::map<std::int64_t, std::map<std::string, std::pair<std::int64_t, std::string>>> ballots_;
  std::map<int, std::vector<MemberVote>> committee_votes_;
  std::map<std::pair<std::string, std::string>, std::string> marks_sha256_;  // (member, bid)
};

}  // namespace

std::vector<RecomputeLine> recompute_trail(const audit::VerifiedTrail& trail,
                                           std::string_view verifier_key) {
  std::vector<Entry> entries;
  for (const auto& t : trail.entries) {
    boost::system::error_code ec;
    auto v = json::parse(t.entry, ec);
    if (ec || !v.is_object()) continue;  // verify_trail already checked the form
    const auto& o = v.get_object();
    Entry e;
    e.index = t.index;
    if (auto ms = core::parse_rfc3339_ms(str(o, "time")); ms.ok()) e.time_ms = *ms;
    e.actor = str(o, "actor");
    e.role = str(o, "role");
    e.type = str(o, "type");
    e.tender = str(o, "tender");
    e.payload = obj(o, "payload");
    entries.push_back(std::move(e));
  }
  Recomputer r(verifier_key);
  r.run(entries);
  return std::move(r.lines);
}

}  // namespace sunbid::eval
