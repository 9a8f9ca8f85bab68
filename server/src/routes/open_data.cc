// Open data (开放数据): the OCDS release feed and a tender's release package
// (publication/ocds.h). Public: releases hold only what the tender's public
// record holds at each stage.
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "http/answer.h"
#include "server/public_body.h"
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

namespace {

struct FeedPage {
  std::optional<std::uint64_t> after;
  std::uint64_t limit = kDefaultOcdsPage;
  // The page cache's key for `after`: absent (from the first release) is 0.
  std::uint64_t key() const { return after ? *after + 1 : 0; }
};

Result<FeedPage> feed_page(const Ctx& c) {
  FeedPage p;
  SUNBID_ASSIGN_OR_RETURN(p.after, query_uint(c.query(), "after"));
  if (c.query().count("limit")) {
    SUNBID_ASSIGN_OR_RETURN(p.limit, query_limit(c.query(), kMaxOcdsPage));
  }
  return p;
}

constexpr std::string_view kFeedContentType = "application/json; charset=utf-8";
// A complete page never changes; the feed's end is revalidated every time.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "public, no-cache";

// The page read in one lease, kept when complete. REQUIRES: caught up.
Result<Response> feed_answer(Ctx& c, const FeedPage& p) {
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(publication::ReleasePage page,
                          publication::OcdsPublisher::releases_after(lease.db(), p.after, p.limit));
  const std::string published = page.releases.empty() ? core::format_rfc3339_ms(c.now_ms())
                                                      : release_date(page.releases.back().json);
  std::string body =
      c.s.ocds.package(page.releases, feed_uri(c, p.after.value_or(0), p.limit), published);
  // The feed's own member beside the package's: where to resume.
  body.pop_back();
  body += ",\"links\":{\"next\":";
  body += boost::json::serialize(
      boost::json::value(boost::json::string_view(feed_uri(c, page.next_after, p.limit))));
  body += "}}";
  const bool complete = page.releases.size() == p.limit;
  auto kept = std::make_shared<const PublicBody>(make_public_body(std::move(body), complete));
  if (complete) c.s.ocds_pages.put(p.key(), p.limit, kept);
  return public_answer(c.call.request, *kept, std::string(kFeedContentType),
                       complete ? kImmutable : kRevalidate);
}

}  // namespace

// GET /ocds/releases?after=&limit=: every public release in log order, a
// page at a time; `links.next` resumes after the page's last release.
// On the network thread when the page is kept, or when every committed
// entry has been through the publisher (one read); else on the pool, after
// making the releases no tick has made yet.
Result<std::optional<Response>> get_ocds_releases_fast(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(FeedPage p, feed_page(c));
  if (auto kept = c.s.ocds_pages.find(p.key(), p.limit)) {
    return std::optional<Response>(public_answer(c.call.request, *kept,
                                                 std::string(kFeedContentType), kImmutable));
  }
  if (!c.s.ocds.caught_up(c.ledger())) return std::optional<Response>();
  SUNBID_ASSIGN_OR_RETURN(Response r, feed_answer(c, p));
  return std::optional<Response>(std::move(r));
}

Result<Response> get_ocds_releases(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(FeedPage p, feed_page(c));
  catch_up(c);
  return feed_answer(c, p);
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
  return public_answer(
      c.call.request,
      make_public_body(c.s.ocds.package(releases, uri, release_date(releases.back().json)), false),
      std::string(kFeedContentType), kRevalidate);
}

}  // namespace sunbid::server::routes
