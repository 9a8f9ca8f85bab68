// Open data (开放数据): the OCDS release feed and a tender's release package
// (publication/ocds.h). Public: releases hold only what the tender's public
// record holds at each stage.
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <string>

#include "http/answer.h"
#include "http/query.h"
#include "http/route.h"
#include "publication/ocds.h"
#include "routes/handlers.h"
#include "routes/reads.h"
#include "tender_core/time.h"

namespace sunbid::server::routes {

namespace {

// Makes the releases no tick has made yet. A failure (a fault of the
// publisher, never of the request) is logged and the stored releases are
// served: the tick keeps reporting it until it is fixed.
void catch_up(Ctx& c) {
  if (auto made = c.s.ocds.catch_up(c.ledger()); !made.ok()) {
    std::fprintf(stderr, "sunbid: OCDS releases not made: %s\n", made.error().to_string().c_str());
  }
}

// A page of the feed is at most this long; 20 when `limit` is absent.
constexpr std::uint64_t kMaxOcdsPage = 100;
constexpr std::uint64_t kDefaultOcdsPage = 20;

std::string feed_uri(const Ctx& c, std::uint64_t after, std::uint64_t limit) {
  return c.s.ocds.settings().public_base_url +
         "/api/v1/ocds/releases?after=" + std::to_string(after) + "&limit=" + std::to_string(limit);
}

// The date of a stored release (its "date" member), for the package's
// publishedDate.
std::string release_date(const std::string& release_json) {
  const std::string key = "\"date\":\"";
  const auto at = release_json.find(key);
  if (at == std::string::npos) return {};
  const auto end = release_json.find('"', at + key.size());
  return release_json.substr(at + key.size(), end - at - key.size());
}

}  // namespace

// GET /ocds/releases?after=&limit=: every public release in log order, a
// page at a time; `links.next` resumes after the page's last release.
Result<Response> get_ocds_releases(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(auto after, query_uint(c.query(), "after"));
  std::uint64_t limit = kDefaultOcdsPage;
  if (c.query().count("limit")) {
    SUNBID_ASSIGN_OR_RETURN(limit, query_limit(c.query(), kMaxOcdsPage));
  }
  catch_up(c);
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(publication::ReleasePage page,
                          publication::OcdsPublisher::releases_after(lease.db(), after, limit));
  const std::string published = page.releases.empty() ? core::format_rfc3339_ms(c.now_ms())
                                                      : release_date(page.releases.back().json);
  std::string body =
      c.s.ocds.package(page.releases, feed_uri(c, after.value_or(0), limit), published);
  // The feed's own member beside the package's: where to resume.
  body.pop_back();
  body += ",\"links\":{\"next\":";
  body += boost::json::serialize(
      boost::json::value(boost::json::string_view(feed_uri(c, page.next_after, limit))));
  body += "}}";
  Response r;
  r.body = std::move(body);
  return r;
}

// GET /tenders/{id}/ocds: the tender's releases as one package; 404 like
// the tender's own view for a tender the caller may not see.
Result<Response> get_tender_ocds(Ctx& c) {
  SUNBID_TRY(caught_up_view(c));
  catch_up(c);
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(auto releases,
                          publication::OcdsPublisher::tender_releases(lease.db(), c.id()));
  if (releases.empty()) {
    // A draft its tenderer sees has no public record yet: the same answer
    // as an unknown tender's.
    return make_error("tender_not_found", "招标不存在 / no such tender: " + c.id(),
                      {{"id", c.id()}});
  }
  const std::string uri =
      c.s.ocds.settings().public_base_url + "/api/v1/tenders/" + c.id() + "/ocds";
  Response r;
  r.body = c.s.ocds.package(releases, uri, release_date(releases.back().json));
  return r;
}

}  // namespace sunbid::server::routes
