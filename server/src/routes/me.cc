// GET /me: who is logged in, for the web app's account page — the account,
// its role and community; for an owner (业主) also their units on the
// community's roster with their exclusive area and head (民法典 art. 278:
// one owner counts one head however many units), and what is open for their
// vote: tenders of the community in an owners_vote window and its motions in
// their window; for an enterprise's clerk its registration and the rating in
// force (the public registry: enterprise_json). The rules stay in their modules; this handler
// reads, catches the tenders and motions up (their windows open lazily) and shapes.
#include <boost/json/object.hpp>

#include "accounts/accounts.h"
#include "assembly/motion_service.h"
#include "evaluation/service.h"
#include "http/answer.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "routes/reads.h"
#include "tender_core/registry.h"
#include "tender_core/service.h"
#include "tender_core/time.h"

namespace sunbid::server::routes {

namespace {

// The community's tenders deciding by owners' vote whose round is open now.
Result<boost::json::array> open_tender_votes(Ctx& c, const std::string& community) {
  core::TenderListQuery q;
  q.community_id = community;
  q.status = core::TenderStatus::deciding;
  q.limit = 1000;
  std::vector<core::TenderView> deciding;
  {
    SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
    SUNBID_ASSIGN_OR_RETURN(auto page, core::TenderService::list(lease.db(), q, c.viewer));
    for (auto& t : page.items) {
      const auto* d = t.rules.if_contains("decision");
      const auto* m = d && d->is_object() ? d->as_object().if_contains("method") : nullptr;
      if (m && m->is_string() && m->as_string() == "owners_vote") deciding.push_back(std::move(t));
    }
  }
  boost::json::array out;
  for (const auto& t : deciding) {
    SUNBID_TRY(c.s.evaluation.catch_up(t.id));  // opens the window when it is due
    SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
    SUNBID_ASSIGN_OR_RETURN(auto round,
                            eval::EvaluationService::open_round(lease.db(), t.id, c.now_ms()));
    if (!round) continue;
    out.emplace_back(boost::json::object{{"kind", "tender"},
                                         {"id", t.id},
                                         {"title", t.title},
                                         {"round", round->round},
                                         {"opens_at", core::format_rfc3339_ms(round->opens_ms)},
                                         {"closes_at", core::format_rfc3339_ms(round->closes_ms)}});
  }
  return out;
}

// The community's motions whose voting window is open now.
Status add_open_motions(Ctx& c, const std::string& community, boost::json::array& out) {
  std::vector<assembly::MotionView> motions;
  {
    SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
    SUNBID_ASSIGN_OR_RETURN(
        motions, assembly::MotionService::community_motions(lease.db(), community, c.viewer));
  }
  const std::int64_t now = c.now_ms();
  for (const auto& m : motions) {
    if (m.status != assembly::MotionStatus::noticed && m.status != assembly::MotionStatus::open) {
      continue;
    }
    if (!m.opens_ms || !m.closes_ms || now < *m.opens_ms || now >= *m.closes_ms) continue;
    SUNBID_TRY(c.s.motions.catch_up(m.id));
    out.emplace_back(boost::json::object{{"kind", "motion"},
                                         {"id", m.id},
                                         {"title", m.input.title},
                                         {"round", nullptr},
                                         {"opens_at", core::format_rfc3339_ms(*m.opens_ms)},
                                         {"closes_at", core::format_rfc3339_ms(*m.closes_ms)}});
  }
  return {};
}

}  // namespace

Result<Response> get_me(Ctx& c) {
  std::optional<accounts::AccountRecord> account;
  boost::json::value community = nullptr;
  boost::json::array units;
  std::int64_t area = 0;
  boost::json::value enterprise = nullptr;
  {
    SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
    SUNBID_ASSIGN_OR_RETURN(account, accounts::find_account_by_id(lease.db(), c.viewer.account));
    if (!account) {
      return make_error("unauthenticated", "需要登录 / a session is required");
    }
    if (account->community_id) {
      SUNBID_ASSIGN_OR_RETURN(core::Community cm,
                              core::Registry::community(lease.db(), *account->community_id));
      community = boost::json::object{{"id", cm.id}, {"name", cm.name}, {"district", cm.district}};
    }
    if (account->role == accounts::Role::kEnterprise && account->enterprise_uscc) {
      SUNBID_ASSIGN_OR_RETURN(enterprise,
                              enterprise_json(lease.db(), *account->enterprise_uscc, c.now_ms()));
    }
    if (account->role == accounts::Role::kOwner && account->community_id && account->owner_key) {
      SUNBID_ASSIGN_OR_RETURN(std::vector<core::Unit> roster,
                              core::Registry::roster_units(lease.db(), *account->community_id));
      for (const core::Unit& u : roster) {
        if (u.owner_key != *account->owner_key) continue;
        units.emplace_back(
            boost::json::object{{"unit", u.unit}, {"area_centi_m2", u.area_centi_m2}});
        area += u.area_centi_m2;
      }
    }
  }
  boost::json::object o{{"account_id", account->id},
                        {"username", account->username},
                        {"display_name", account->display_name},
                        {"role", std::string(accounts::role_name(account->role))},
                        {"community", std::move(community)},
                        {"enterprise_uscc", or_null(account->enterprise_uscc)},
                        {"enterprise", std::move(enterprise)},
                        {"owner", nullptr},
                        {"tenderer_kind", nullptr}};
  if (account->tenderer_kind) {
    o["tenderer_kind"] = accounts::tenderer_kind_name(*account->tenderer_kind);
  }
  if (account->role == accounts::Role::kOwner && account->community_id) {
    SUNBID_ASSIGN_OR_RETURN(boost::json::array votes, open_tender_votes(c, *account->community_id));
    SUNBID_TRY(add_open_motions(c, *account->community_id, votes));
    const bool on_roster = !units.empty();
    o["owner"] = boost::json::object{{"units", std::move(units)},
                                     {"area_centi_m2", area},
                                     {"heads", on_roster ? 1 : 0},
                                     {"open_votes", std::move(votes)}};
  }
  return ok_json(o);
}

}  // namespace sunbid::server::routes
