// A randomised state-machine test: many random command sequences over a few
// tenders with random clock moves. After every command it checks:
//  - succeeded <=> exactly one entry appended and the tables changed (a
//    refusal changes nothing; the idempotent publish is the one no-op);
//  - every tender's status is a known one;
//  - before a tender's deadline nobody but the bidder sees that a bid exists:
//    no view shows another's bid, and every bid entry is withheld until at
//    least the effective deadline;
//  - no bid contents are visible to anyone but their bidder, nor in any
//    entry, before the reveal window closes;
//  - once opened, every bid revealed in the window is in the opening record,
//    valid, with the revealed price (no revealed bid is lost).
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <set>

#include "service_fixture.h"
#include "tender_core/tender_hooks.h"
#include "tender_core/unchecked_reads.h"

using namespace sunbid;
using namespace sunbid::core;
using namespace sunbid::testing;

namespace {

struct Model {
  std::size_t entries_checked = 0;
  int opened = 0;
  int reveals_checked = 0;
  std::map<std::pair<std::string, std::string>, SealedBid> committed;    // (tender, uscc)
  std::map<std::pair<std::string, std::string>, std::int64_t> revealed;  // -> price
};

bool before_opening(TenderStatus s, std::optional<TenderStatus> from) {
  auto pre = [](TenderStatus x) {
    return x == TenderStatus::draft || x == TenderStatus::published ||
           x == TenderStatus::bidding_closed || x == TenderStatus::reveal;
  };
  return pre(s) || (s == TenderStatus::suspended && from && pre(*from)) ||
         s == TenderStatus::cancelled;
}

void check_invariants(CoreFixture& f, const Market& m, const std::vector<std::string>& tenders,
                      Model& model) {
  auto db = f.reader();
  const std::int64_t now = f.clock.now_ms();
  const Actor outsiders[] = {f.supervisor, m.tenderer, m.owner, CoreFixture::actor("p", "public")};
  for (const auto& t : tenders) {
    auto v = detail::unchecked_view(db, t);
    REQUIRE(v.ok());
    REQUIRE(tender_status_from_string(to_string(v->status)).has_value());
    const bool pre_deadline =
        v->status == TenderStatus::published ||
        (v->status == TenderStatus::suspended && v->suspended_from == TenderStatus::published);
    if (pre_deadline) {
      for (const auto& viewer : outsiders) {
        CHECK(TenderService::bids_visible_to(db, t, viewer, now)->empty());
      }
      for (const auto& e : m.enterprises) {
        auto own = TenderService::bids_visible_to(db, t, e, now);
        REQUIRE(own.ok());
        for (const auto& b : *own) {
          CHECK(b.bidder_uscc == e.enterprise_uscc);
        }
      }
      // No bid entry is public before the deadline. (Since issue 11 a
      // draft's entries are withheld too and released by the publication, so
      // the check names the bid entries.)
      auto st = db.prepare(
          "SELECT count(*) FROM audit_tender_entries b JOIN audit_withheld w ON w.idx = b.idx "
          "JOIN audit_entries e ON e.idx = b.idx WHERE b.tender = ? AND w.release_at_ms <= ? "
          "AND CAST(e.entry AS TEXT) LIKE '%\"type\":\"bid.%'");
      REQUIRE(st.ok());
      st->bind(1, t).bind(2, now);
      REQUIRE(*st->step());
      CHECK(st->column_int64(0) == 0);
      // The deadline has not passed — unless an unanswered objection to the
      // tender documents holds it (条例 22).
      if (v->bid_deadline_ms && !v->deadline_held) CHECK(now < *v->bid_deadline_ms);
    }
    if (before_opening(v->status, v->suspended_from)) {
      for (const auto& viewer : outsiders) {
        auto seen = TenderService::bids_visible_to(db, t, viewer, now);
        REQUIRE(seen.ok());
        for (const auto& b : *seen) {
          CHECK_FALSE(b.bid.has_value());
        }
      }
      CHECK(detail::unchecked_opening_record(db, t).error().code == "opening_not_public");
    } else if (v->status != TenderStatus::failed || detail::unchecked_opening_record(db, t).ok()) {
      auto record = detail::unchecked_opening_record(db, t);
      REQUIRE(record.ok());
      for (const auto& [key, price] : model.revealed) {
        if (key.first != t) continue;
        bool found = false;
        for (const auto& r : *record) {
          if (r.bidder_uscc == key.second) {
            found = true;
            CHECK(r.valid);
            CHECK(r.bid->price_fen_per_m2_month == price);
            ++model.reveals_checked;
          }
        }
        CHECK(found);
      }
    }
  }
  // No price in any entry but an opening record (checked once per entry).
  auto n = audit::log_size(db);
  REQUIRE(n.ok());
  auto fresh = audit::read_entries(db, model.entries_checked, *n);
  REQUIRE(fresh.ok());
  for (const auto& e : *fresh) {
    const bool opening = e.bytes.find("\"type\":\"tender.opened\"") != std::string::npos;
    if (opening) ++model.opened;
    if (e.bytes.find("price_fen_per_m2_month") != std::string::npos) CHECK(opening);
  }
  model.entries_checked = *n;
}

}  // namespace

TEST_CASE("random command sequences keep every invariant") {
  const int kSequences = 30;
  const int kSteps = 80;
  int opened = 0;
  int reveals_checked = 0;
  int successes = 0;
  int refusals = 0;
  for (int seq = 0; seq < kSequences; ++seq) {
    CoreFixture f;
    Market m = setup_market(f);
    std::mt19937_64 rng(static_cast<std::uint64_t>(seq) * 7919 + 1);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
    std::vector<std::string> tenders;
    for (int i = 0; i < 2; ++i) {
      tenders.push_back(publish_tender(
          f, m, i == 0 ? "2025-06-21T00:00:00Z" : "2025-06-23T00:00:00Z", 1 + pick(3), 3 * 86400));
    }
    Model model;
    for (int step = 0; step < kSteps; ++step) {
      // Clock: mostly small moves, sometimes days.
      const int move = pick(10);
      if (step == 0) {
        f.clock.advance_ms(pick(17) * kDayMs);
      } else if (move < 6) {
        f.clock.advance_ms(pick(7200) * 1000LL);
      } else if (move < 9) {
        f.clock.advance_ms(pick(12 * 3600) * 1000LL);
      } else {
        f.clock.advance_ms(pick(3 * 86400) * 1000LL);
      }
      REQUIRE(f.service->tick(f.clock.now_ms()).ok());
      const std::string t = tenders[static_cast<std::size_t>(pick(2))];
      const Actor& e = m.enterprises[static_cast<std::size_t>(pick(4))];
      const auto key = std::make_pair(t, e.enterprise_uscc);
      const auto before = f.snapshot();
      Status result;
      bool no_op = false;
      std::uint64_t extra_entries = 0;
      std::function<void()> on_success = [] {};
      auto submit = [&] {
        auto s = seal(t, e.enterprise_uscc, 150 + pick(150), static_cast<std::uint8_t>(pick(255)));
        auto r = f.service->submit_bid(e, t, s.commitment);
        result = r.ok() ? Status() : Status(r.error());
        on_success = [&model, key, s] { model.committed[key] = s; };
      };
      // Withdrawals are rarer than bids, so that tenders often reach the
      // floor of three bidders and open (条例 44; issue 11).
      switch (pick(12)) {
        case 0:
        case 1:
        case 2:
          submit();
          break;
        case 3: {
          if (pick(3) != 0) {
            submit();
            break;
          }
          auto r = f.service->withdraw_bid(e, t);
          result = r.ok() ? Status() : Status(r.error());
          on_success = [&model, key] { model.committed.erase(key); };
          break;
        }
        case 4:
        case 5:
        case 6: {
          auto it = model.committed.find(key);
          SealedBid s =
              it != model.committed.end() ? it->second : seal(t, e.enterprise_uscc, 200, 9);
          if (pick(4) == 0) s.bid["price_fen_per_m2_month"] = 1;  // a false reveal
          auto r = f.service->reveal_bid(e, t, s.salt_hex, s.bid);
          result = r.ok() ? Status() : Status(r.error());
          const std::int64_t price = s.bid["price_fen_per_m2_month"].as_int64();
          on_success = [&model, key, price] { model.revealed[key] = price; };
          break;
        }
        case 7: {
          // Rare: each amendment gives bidders 15 more days.
          if (pick(8) == 0) {
            auto r = f.service->amend(m.tenderer, t, "补遗", std::nullopt);
            result = r.ok() ? Status() : Status(r.error());
            // The 补遗公告's document.published (docs/documents.md).
            if (r.ok()) extra_entries = 1;
          } else {
            submit();
          }
          break;
        }
        case 8: {
          auto r = pick(4) == 0 ? f.service->suspend(f.supervisor, t, "核查")
                                : f.service->resume(f.supervisor, t);
          result = r.ok() ? Status() : Status(r.error());
          break;
        }
        case 9: {
          auto r = f.service->extend_reveal(f.supervisor, t, 3600, "故障");
          result = r.ok() ? Status() : Status(r.error());
          break;
        }
        case 10: {
          if (pick(2) == 0) {
            auto r = f.service->file_objection(pick(2) ? e : m.owner, t, "异议");
            result = r.ok() ? Status() : Status(r.error());
            break;
          }
          // The tenderer answers the first unanswered objection: a document
          // objection's answer may also move the deadline (a second entry).
          auto db = f.reader();
          auto list = f.service->objections_visible_to(db, t, m.tenderer, f.clock.now_ms());
          REQUIRE(list.ok());
          std::string oid = "O999";
          for (const auto& o : *list) {
            if (!o.answer) {
              oid = o.id;
              break;
            }
          }
          auto r = f.service->answer_objection(m.tenderer, t, oid, "答复", pick(2) == 0);
          result = r.ok() ? Status() : Status(r.error());
          // ... and its 更正公告's document.published (docs/documents.md).
          if (r.ok() && r->deadline_moved) extra_entries = 2;
          break;
        }
        case 11: {
          if (pick(20) == 0) {
            auto r = f.service->cancel(m.tenderer, t, "取消");
            result = r.ok() ? Status() : Status(r.error());
          } else {
            auto r = f.service->publish(m.tenderer, t);
            result = r.ok() ? Status() : Status(r.error());
            no_op = r.ok() && r->already_published;
            // The 招标公告's document.published (docs/documents.md).
            if (r.ok() && !no_op) extra_entries = 1;
          }
          break;
        }
      }
      const auto after = f.snapshot();
      if (result.ok()) {
        ++successes;
        on_success();
        if (no_op) {
          CHECK(after == before);
        } else {
          CHECK(after.first == before.first + 1 + extra_entries);
          CHECK(after.second != before.second);
        }
      } else {
        ++refusals;
        CHECK(after == before);
        CHECK(result.error().message.find(" / ") != std::string::npos);
        const std::string& c = result.error().code;
        CHECK(c.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos);
      }
      check_invariants(f, m, tenders, model);
    }
    opened += model.opened;
    reveals_checked += model.reveals_checked;
  }
  INFO("successes " << successes << ", refusals " << refusals << ", opened " << opened
                    << ", revealed bids checked " << reveals_checked);
  WARN("state machine: " << kSequences * kSteps << " commands, " << successes << " succeeded, "
                         << opened << " opening records, " << reveals_checked
                         << " revealed-bid checks");
  CHECK(successes > 200);
  CHECK(refusals > 200);
  CHECK(opened > 10);
  CHECK(reveals_checked > 50);
}
