// The notice feed (公告订阅, issue 14 §3; docs/atom.md): an Atom 1.0 feed of
// the official documents, platform-wide, of one community or of one
// district. Public (action read_open_data), like the documents it links.
#include <string>

#include "http/answer.h"
#include "http/query.h"
#include "http/route.h"
#include "publication/atom.h"
#include "routes/handlers.h"
#include "server/document_publisher.h"
#include "tender_core/document_kinds.h"
#include "tender_core/documents.h"

namespace sunbid::server::routes {

namespace {

// Entries in one feed document: the newest 50 unless ?limit= says fewer or
// more (at most 200). A reader polls; it does not page back.
constexpr std::uint64_t kDefaultFeedEntries = 50;
constexpr std::uint64_t kMaxFeedEntries = 200;

publication::AtomEntry entry_of(const core::FeedDocument& f, const std::string& base) {
  const core::StoredDocument& d = f.document;
  const std::string index = std::to_string(d.log_index);
  const std::string pdf = base + document_pdf_path(d.tender_id, d.log_index);
  const auto motion = core::motion_of_subject(d.tender_id);
  const std::string title_zh(document_title_zh(d.kind));
  publication::AtomEntry e;
  // The PDF's address: it never changes once the document is rendered.
  e.id = pdf;
  e.title = title_zh + "：" + f.tender_title + "（" + f.community_name + "）";
  e.updated_ms = *d.rendered_ms;
  e.published_ms = d.published_ms;
  e.links.push_back({"alternate", "application/pdf", pdf, title_zh + " PDF"});
  e.links.push_back({"related", "text/html", base + "/verify#index=" + index,
                     "核验日志条目 / verify the log entry"});
  if (motion) {
    e.links.push_back({"related", "text/html", base + "/motions/" + std::string(*motion),
                       "议题详情 / the motion"});
  } else {
    e.links.push_back(
        {"related", "text/html", base + "/tenders/" + d.tender_id, "招标详情 / the tender"});
  }
  e.categories = {d.kind, f.district};
  e.summary = title_zh + " / " + std::string(document_title_en(d.kind)) + "。" + f.community_name +
              "（" + f.district + "），" +
              (motion ? "议题 " + std::string(*motion) : "招标 " + d.tender_id) + "。透明日志第 " +
              index + " 条，源数据 SHA-256 " + d.source_sha256_hex + "，PDF SHA-256 " +
              *d.pdf_sha256_hex + " / log entry " + index + ", source SHA-256 " +
              d.source_sha256_hex + ", PDF SHA-256 " + *d.pdf_sha256_hex + ".";
  return e;
}

}  // namespace

// GET /feeds/notices.atom?community_id=&district=&limit=: the newest
// rendered documents whose published entry is public, newest first.
Result<Response> get_notice_feed(Ctx& c) {
  core::FeedQuery q;
  q.limit = kDefaultFeedEntries;
  if (c.query().count("limit")) {
    SUNBID_ASSIGN_OR_RETURN(q.limit, query_limit(c.query(), kMaxFeedEntries));
  }
  const std::string community = query_text(c.query(), "community_id");
  const std::string district = query_text(c.query(), "district");
  if (!community.empty() && !district.empty()) {
    return make_error("invalid_query",
                      "community_id 与 district 只能选一个 / give community_id or district, not "
                      "both",
                      {{"field", "district"}});
  }
  const std::string& base = c.s.options.public_base_url;
  std::string self = base + "/api/v1/feeds/notices.atom";
  std::string scope = "全平台 / platform-wide";
  if (!community.empty()) {
    q.community_id = community;
    self += "?community_id=" + percent_encode(community);
    scope = "小区 " + community + " / community " + community;
  } else if (!district.empty()) {
    q.district = district;
    self += "?district=" + percent_encode(district);
    scope = district + " / district " + district;
  }
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(std::vector<core::FeedDocument> docs,
                          core::feed_documents(lease.db(), q, c.now_ms()));
  publication::AtomFeed feed;
  feed.id = self;
  feed.title = "物业服务招标公告（" + scope + "）/ property service tender notices";
  feed.subtitle =
      "每份公告可凭透明日志核验 / every notice can be checked against the transparency log";
  feed.author = "sunbid 物业服务电子招标平台";
  feed.links.push_back({"self", "application/atom+xml", self, ""});
  feed.links.push_back({"alternate", "text/html", base + "/", ""});
  // An empty feed is as old as the epoch: nothing in it changed.
  feed.empty_updated_ms = 0;
  for (const auto& d : docs) feed.entries.push_back(entry_of(d, base));
  Response r;
  r.headers.emplace_back("Cache-Control", "public, max-age=60");
  r.content_type = "application/atom+xml; charset=utf-8";
  r.body = publication::atom_xml(feed);
  return r;
}

}  // namespace sunbid::server::routes
