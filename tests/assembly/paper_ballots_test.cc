// Paper ballots (书面投票) of an owners' assembly motion (docs/motions.md
// "Paper ballots"): double entry by two accounts, matching, a supervisor's
// resolution of a mismatch, the refusals (same clerk, off the roster, late,
// not enabled) that change nothing, the electronic ballot superseding the
// paper one either way round, the late entry while the tally waits, secrecy
// of the entries, the private list, and the trail's recomputation.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "accounts/accounts.h"
#include "accounts/password.h"
#include "assembly/recompute_motion.h"
#include "motion_fixture.h"

namespace sunbid::testing {
namespace {

using assembly::MotionStatus;
using assembly::PaperBallotInput;

constexpr std::int64_t kHourMs = 3'600'000;

std::string hex(char c) { return std::string(64, c); }

PaperBallotInput paper(const std::string& key, const std::string& choice, int entry,
                       char scan = 'a') {
  PaperBallotInput in;
  in.owner_key = key;
  in.choice = choice;
  in.entry = entry;
  in.scan_sha256_hex = hex(scan);
  return in;
}

struct PaperFixture : MotionFixture {
  PaperFixture() {
    supervisor = CoreFixture::actor("sup-1", "supervisor");
    clerk2 = CoreFixture::actor("tenderer-2", "tenderer", community);
    auto in = plain_motion();
    in.paper_ballots = true;
    auto m = motions->create(tenderer, community, in);
    REQUIRE(m.ok());
    id = m->id;
  }

  // Opens the motion: notice, then the clock at the opening.
  void open() {
    auto n = motions->give_notice(tenderer, id, std::nullopt);
    REQUIRE(n.ok());
    clock.set_ms(*n->opens_ms);
    REQUIRE(motions->catch_up(id).ok());
    auto db = reader();
    auto v = assembly::MotionService::motion(db, id, tenderer);
    REQUIRE(v.ok());
    REQUIRE(v->status == MotionStatus::open);
    closes = *v->closes_ms;
    REQUIRE(v->tally_ms);
    tally = *v->tally_ms;
  }

  // Both copies, by the clerk and the supervisor.
  assembly::PaperBallotStep both(const std::string& key, const std::string& choice) {
    auto a = motions->enter_paper_ballot(tenderer, id, paper(key, choice, 1));
    REQUIRE(a.ok());
    auto b = motions->enter_paper_ballot(supervisor, id, paper(key, choice, 2));
    REQUIRE(b.ok());
    return *b;
  }

  std::string paper_state() {
    return state({"assembly_paper_ballots", "assembly_paper_entries", "assembly_scrutineers",
                  "assembly_ballots"},
                 4);
  }

  assembly::MotionView view() {
    auto db = reader();
    auto v = assembly::MotionService::motion(db, id, tenderer);
    REQUIRE(v.ok());
    return *v;
  }

  core::Actor supervisor;
  core::Actor clerk2;
  std::string id;
  std::int64_t closes = 0;
  std::int64_t tally = 0;
};

TEST_CASE("paper ballots: double entry, matching, refusals, the tally waits", "[paper]") {
  PaperFixture f;
  f.open();
  // The tally waits 3 calendar days after the window's end.
  CHECK(f.tally == f.closes + 3 * kDayMs);

  // K1: both copies match → counted; the entrant sees its own choice.
  auto k1a = f.motions->enter_paper_ballot(f.tenderer, f.id, paper("K1", "for", 1));
  REQUIRE(k1a.ok());
  CHECK(k1a->status == "pending");
  auto k1b = f.motions->enter_paper_ballot(f.supervisor, f.id, paper("K1", "for", 2));
  REQUIRE(k1b.ok());
  auto k1 = *k1b;
  CHECK(k1.status == "counted");
  CHECK(k1.paper_ballot_id == "P1");
  CHECK(k1.entry.find("\"choice\":\"for\"") != std::string::npos);
  CHECK(k1.entry.find("\"K1\"") == std::string::npos);          // the key only as a digest
  CHECK(k1.entry.find(hex('a')) == std::string::npos);          // the scan only as a digest
  CHECK(k1.entry.find("\"status\":\"counted\"") != std::string::npos);

  // Refusals change nothing.
  auto same = f.motions->enter_paper_ballot(f.tenderer, f.id, paper("K2", "for", 1));
  REQUIRE(same.ok());
  const std::string after_first = f.paper_state();
  // The clerk of copy 1 may not enter copy 2 as well.
  auto same_clerk = f.motions->enter_paper_ballot(f.tenderer, f.id, paper("K2", "for", 2));
  REQUIRE_FALSE(same_clerk.ok());
  CHECK(same_clerk.error().code == "paper_ballot_same_clerk");
  auto twice = f.motions->enter_paper_ballot(f.clerk2, f.id, paper("K2", "for", 1));
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code == "paper_ballot_entry_exists");
  // The same clerk may not enter copy 2 — here as a scrutineer would; a
  // supervisor entering copy 1 is not an entrant of copy 1.
  auto not_entrant = f.motions->enter_paper_ballot(f.supervisor, f.id, paper("K3", "for", 1));
  REQUIRE_FALSE(not_entrant.ok());
  CHECK(not_entrant.error().code == "paper_ballot_not_entrant");
  auto clerk_copy2 = f.motions->enter_paper_ballot(f.clerk2, f.id, paper("K2", "for", 2));
  REQUIRE_FALSE(clerk_copy2.ok());
  CHECK(clerk_copy2.error().code == "paper_ballot_not_entrant");
  auto off = f.motions->enter_paper_ballot(f.tenderer, f.id, paper("K9", "for", 1));
  REQUIRE_FALSE(off.ok());
  CHECK(off.error().code == "owner_not_on_roster");
  auto bad_choice = f.motions->enter_paper_ballot(f.tenderer, f.id, paper("K3", "maybe", 1));
  REQUIRE_FALSE(bad_choice.ok());
  CHECK(bad_choice.error().code == "motion_choice_invalid");
  CHECK(f.paper_state() == after_first);

  // K2: copy 2 differs (another choice) → mismatch; a supervisor resolves.
  auto k2 = f.motions->enter_paper_ballot(f.supervisor, f.id, paper("K2", "against", 2));
  REQUIRE(k2.ok());
  CHECK(k2->status == "mismatch");
  auto not_mismatched = f.motions->resolve_paper_ballot(f.supervisor, f.id, "P1", "for", "x");
  REQUIRE_FALSE(not_mismatched.ok());
  CHECK(not_mismatched.error().code == "paper_ballot_not_mismatched");
  auto by_clerk = f.motions->resolve_paper_ballot(f.tenderer, f.id, k2->paper_ballot_id, "for", "x");
  REQUIRE_FALSE(by_clerk.ok());
  CHECK(by_clerk.error().code == "not_supervisor");
  auto unknown = f.motions->resolve_paper_ballot(f.supervisor, f.id, "P99", "for", "x");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == "paper_ballot_not_found");
  {
    // Turnout counts only the counted paper ballot so far.
    auto db = f.reader();
    auto t = assembly::MotionService::turnout(db, f.id);
    REQUIRE(t.ok());
    CHECK(t->participating_heads == 1);
  }
  auto resolved =
      f.motions->resolve_paper_ballot(f.supervisor, f.id, k2->paper_ballot_id, "for", "核对原件");
  REQUIRE(resolved.ok());
  CHECK(resolved->status == "counted");

  // The private list: the supervisor sees both copies; the clerk only its own.
  {
    auto db = f.reader();
    auto all = assembly::MotionService::paper_ballots(db, f.id, f.supervisor);
    REQUIRE(all.ok());
    REQUIRE(all->size() == 2);
    CHECK(all->at(1).entries.size() == 2);
    CHECK(all->at(1).choice == std::optional<std::string>("for"));
    CHECK(all->at(1).resolution == std::optional<std::string>("核对原件"));
    auto mine = assembly::MotionService::paper_ballots(db, f.id, f.tenderer);
    REQUIRE(mine.ok());
    REQUIRE(mine->size() == 2);
    for (const auto& p : *mine) {
      REQUIRE(p.entries.size() == 1);
      CHECK(p.entries[0].entry == 1);
      CHECK_FALSE(p.choice);
    }
    auto other = assembly::MotionService::paper_ballots(db, f.id, f.owners[0]);
    REQUIRE(other.ok());
    CHECK(other->empty());
  }

  // K3 votes electronically first: its paper ballot is superseded.
  REQUIRE(f.motions->cast_ballot(f.owners[2], f.id, "against").ok());
  auto k3 = f.both("K3", "for");
  CHECK(k3.status == "superseded");
  // K1 votes electronically after its paper ballot counted: superseded too.
  auto e1 = f.motions->cast_ballot(f.owners[0], f.id, "abstain");
  REQUIRE(e1.ok());
  CHECK(e1->entry.find("\"supersedes_paper\":true") != std::string::npos);

  // After the window's end: electronic ballots end; a paper stamped before
  // the end may still be entered, one without a stamp (or stamped after) not.
  f.clock.set_ms(f.closes + kHourMs);
  REQUIRE(f.motions->catch_up(f.id).ok());
  CHECK(f.view().status == MotionStatus::open);  // the tally waits
  auto late_e = f.motions->cast_ballot(f.owners[3], f.id, "for");
  REQUIRE_FALSE(late_e.ok());
  CHECK(late_e.error().code == "vote_window_closed");
  const std::string s1 = f.paper_state();
  auto unstamped = f.motions->enter_paper_ballot(f.tenderer, f.id, paper("K4", "for", 1));
  REQUIRE_FALSE(unstamped.ok());
  CHECK(unstamped.error().code == "paper_ballot_late");
  auto stamped_after = paper("K4", "for", 1);
  stamped_after.stamped_ms = f.closes + 1;
  auto r = f.motions->enter_paper_ballot(f.tenderer, f.id, stamped_after);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "paper_ballot_late");
  CHECK(f.paper_state() == s1);
  auto k4a = paper("K4", "for", 1);
  k4a.stamped_ms = f.closes - kHourMs;
  REQUIRE(f.motions->enter_paper_ballot(f.tenderer, f.id, k4a).ok());
  auto k4b = paper("K4", "for", 2);
  k4b.stamped_ms = f.closes - kHourMs;
  auto k4 = f.motions->enter_paper_ballot(f.supervisor, f.id, k4b);
  REQUIRE(k4.ok());
  CHECK(k4->status == "counted");

  // The tally at tally_at: K1 abstain (electronic), K2 for (resolved paper),
  // K3 against (electronic), K4 for (paper): 2 for of 4 participating is not
  // more than half → rejected; the paper counts are in motion.closed.
  f.clock.set_ms(f.tally);
  std::vector<assembly::MotionTickFailure> failures;
  auto applied = f.motions->tick(failures);
  REQUIRE(applied.ok());
  CHECK(*applied == 1);
  auto v = f.view();
  CHECK(v.status == MotionStatus::rejected);
  REQUIRE(v.result);
  const auto& tally = v.result->at("tally").as_object();
  CHECK(tally.at("participating_heads").as_int64() == 4);
  const auto& counts = v.result->at("paper_ballots").as_object();
  CHECK(counts.at("counted").as_int64() == 2);
  CHECK(counts.at("superseded").as_int64() == 2);
  auto after_tally = f.motions->enter_paper_ballot(f.tenderer, f.id, paper("K4", "for", 1));
  REQUIRE_FALSE(after_tally.ok());
  CHECK(after_tally.error().code == "vote_window_closed");

  // The trail recomputes the same tally with the paper entries.
  audit::VerifiedTrail t = motion_trail(f, f.id);
  auto lines = assembly::recompute_motion_trail(t);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].matches);
  CHECK(lines[0].detail.find("rejected") != std::string::npos);
  // Drop the supervisor's resolution from the trail: K2's paper no longer
  // counts, and the recomputation names the difference.
  std::erase_if(t.entries, [](const audit::TrailEntry& e) {
    return e.entry.find("motion.paper_ballot_resolved") != std::string::npos;
  });
  lines = assembly::recompute_motion_trail(t);
  REQUIRE(lines.size() == 1);
  CHECK_FALSE(lines[0].matches);
}

TEST_CASE("paper ballots: a matched motion passes with electronic and paper ballots",
          "[paper]") {
  PaperFixture f;
  f.open();
  REQUIRE(f.motions->cast_ballot(f.owners[0], f.id, "for").ok());
  CHECK(f.both("K2", "for").status == "counted");
  CHECK(f.both("K3", "for").status == "counted");
  {
    // Secrecy: every ballot entry, electronic or paper, is withheld until the tally.
    auto db = f.reader();
    auto st = db.prepare("SELECT COUNT(*) FROM audit_withheld WHERE release_at_ms = " +
                         std::to_string(f.tally));
    REQUIRE(st.ok());
    REQUIRE(*st->step());
    CHECK(st->column_int64(0) == 5);
  }
  f.clock.set_ms(f.tally);
  REQUIRE(f.motions->catch_up(f.id).ok());
  CHECK(f.view().status == MotionStatus::passed);
  auto lines = assembly::recompute_motion_trail(motion_trail(f, f.id));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].matches);
}

TEST_CASE("paper ballots: proxies, scrutineers, and motions without paper", "[paper]") {
  PaperFixture f;
  // A 监票人: an active owner account of the community, named before the opening.
  accounts::NewAccount a;
  a.username = "scrutineer-1";
  a.role = accounts::Role::kOwner;
  a.display_name = "监票人";
  a.community_id = f.community;
  a.owner_key = "K4";
  auto hash = accounts::hash_password("owner-password", accounts::ScryptParams{16, 1, 1});
  REQUIRE(hash.ok());
  auto created = f.ledger->run<std::string>([&](audit::WriteTxn& txn) {
    return accounts::create_account_with_id(txn, "acct-s1", a, *hash, accounts::Actor{});
  });
  REQUIRE(created.ok());
  const std::string before = f.paper_state();
  auto bad = f.motions->designate_scrutineer(f.tenderer, f.id, "acct-none");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "scrutineer_invalid");
  auto by_owner = f.motions->designate_scrutineer(f.owners[0], f.id, "acct-s1");
  REQUIRE_FALSE(by_owner.ok());
  CHECK(f.paper_state() == before);
  REQUIRE(f.motions->designate_scrutineer(f.tenderer, f.id, "acct-s1").ok());
  auto again = f.motions->designate_scrutineer(f.tenderer, f.id, "acct-s1");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "scrutineer_invalid");
  f.open();
  auto late = f.motions->designate_scrutineer(f.tenderer, f.id, "acct-s1");
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code == "motion_wrong_status");

  core::Actor scrutineer = CoreFixture::actor("acct-s1", "owner", f.community);
  scrutineer.owner_key = "K4";
  // A proxy ballot: the same authorisation in both copies → counted, flagged.
  auto p1 = paper("K1", "for", 1);
  p1.proxy = true;
  p1.proxy_name = "王五";
  p1.proxy_authorisation_sha256_hex = hex('c');
  auto p2 = p1;
  p2.entry = 2;
  p2.proxy_name.reset();
  REQUIRE(f.motions->enter_paper_ballot(f.tenderer, f.id, p1).ok());
  auto s = f.motions->enter_paper_ballot(scrutineer, f.id, p2);
  REQUIRE(s.ok());
  CHECK(s->status == "counted");
  CHECK(s->entry.find("\"authorisation\":") != std::string::npos);
  // A copy 2 without the proxy's authorisation does not match.
  auto q1 = p1;
  q1.owner_key = "K2";
  REQUIRE(f.motions->enter_paper_ballot(f.tenderer, f.id, q1).ok());
  auto m2 = f.motions->enter_paper_ballot(scrutineer, f.id, paper("K2", "for", 2));
  REQUIRE(m2.ok());
  CHECK(m2->status == "mismatch");
  {
    auto db = f.reader();
    auto all = assembly::MotionService::paper_ballots(db, f.id, f.supervisor);
    REQUIRE(all.ok());
    REQUIRE(all->size() == 2);
    CHECK(all->at(0).proxy);
    REQUIRE(all->at(0).entries.size() == 2);
    CHECK(all->at(0).entries[0].proxy_name == std::optional<std::string>("王五"));
    // The 监票人 sees only the copies it entered.
    auto mine = assembly::MotionService::paper_ballots(db, f.id, scrutineer);
    REQUIRE(mine.ok());
    REQUIRE(mine->size() == 2);
    CHECK(mine->at(0).entries.size() == 1);
    CHECK(mine->at(0).entries[0].entry == 2);
  }

  // A motion without paper ballots refuses them, changing nothing.
  auto plain = f.motions->create(f.tenderer, f.community, plain_motion());
  REQUIRE(plain.ok());
  REQUIRE(f.motions->give_notice(f.tenderer, plain->id, std::nullopt).ok());
  const std::string s0 = f.paper_state();
  auto refused = f.motions->enter_paper_ballot(f.tenderer, plain->id, paper("K1", "for", 1));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "paper_ballots_not_enabled");
  auto no_scr = f.motions->designate_scrutineer(f.tenderer, plain->id, "acct-s1");
  REQUIRE_FALSE(no_scr.ok());
  CHECK(no_scr.error().code == "paper_ballots_not_enabled");
  CHECK(f.paper_state() == s0);
}

}  // namespace
}  // namespace sunbid::testing
