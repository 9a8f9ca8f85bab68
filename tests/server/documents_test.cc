// Official documents (issue 14 §1): the publish command's document.published
// entry, the worker's render / store / document.rendered, catch-up without a
// second render, byte-stable re-rendering from the stored source, and the
// two endpoints.
#include "tender_core/documents.h"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "audit_log/canonical_json.h"
#include "audit_log/log_store.h"
#include "audit_log/sha256.h"
#include "server/document_publisher.h"
#include "tender_world.h"

namespace sunbid::server::testing {
namespace {

namespace json = boost::json;

std::vector<json::object> entries_of_type(audit::Ledger& ledger, std::string_view type) {
  auto db = ledger.open_reader();
  REQUIRE(db.ok());
  auto size = audit::log_size(*db);
  REQUIRE(size.ok());
  auto entries = audit::read_entries(*db, 0, *size);
  REQUIRE(entries.ok());
  std::vector<json::object> out;
  for (const auto& e : *entries) {
    json::object o = json::parse(e.bytes).as_object();
    // Tenders' entries only: the world's selection plans (motions) publish
    // their 表决结果公告 too.
    if (o.at("type").as_string() == type && o.at("tender").is_string()) out.push_back(std::move(o));
  }
  return out;
}

std::string header(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

core::StoredDocument stored(audit::Ledger& ledger, std::uint64_t index) {
  auto db = ledger.open_reader();
  REQUIRE(db.ok());
  auto d = core::stored_document(*db, index);
  REQUIRE(d.ok());
  REQUIRE(d->has_value());
  return **d;
}

documents::VerificationFooter stored_footer(const core::StoredDocument& d) {
  documents::VerificationFooter f;
  f.log_index = static_cast<std::int64_t>(d.log_index);
  f.checkpoint_size = static_cast<std::int64_t>(*d.checkpoint_size);
  f.checkpoint_root_hex = *d.checkpoint_root_hex;
  f.source_sha256_hex = d.source_sha256_hex;
  f.verifier_key_id = *d.verifier_key_id;
  f.public_base_url = *d.public_base_url;
  return f;
}

// A TenderWorld whose selection plans' 表决结果公告 are rendered, so that
// the counts below are the tenders' documents alone.
struct DocWorld : TenderWorld {
  DocWorld() {
    REQUIRE(ledger->publish_checkpoint().ok());
    DocumentPublisher publisher(*ledger, "https://sunbid.example");
    REQUIRE(publisher.catch_up().ok());
  }
};

std::size_t render_pending(audit::Ledger& ledger) {
  REQUIRE(ledger.publish_checkpoint().ok());
  DocumentPublisher publisher(ledger, "https://sunbid.example");
  auto n = publisher.catch_up();
  REQUIRE(n.ok());
  return *n;
}

}  // namespace

TEST_CASE("publishing a tender writes document.published with the digest of its stored source",
          "[documents]") {
  DocWorld w;
  const std::string id = w.published_tender();
  auto published = entries_of_type(*w.ledger, "tender.published");
  auto docs = entries_of_type(*w.ledger, "document.published");
  REQUIRE(published.size() == 1);
  REQUIRE(docs.size() == 1);
  const json::object& e = docs.front();
  // The same command: right after tender.published, public, the tender's.
  CHECK(e.at("index").as_int64() == published.front().at("index").as_int64() + 1);
  CHECK(e.at("tender").as_string() == id);
  const json::object& p = e.at("payload").as_object();
  CHECK(p.at("kind").as_string() == "tender_notice");
  CHECK_FALSE(p.contains("blind"));  // not withheld

  const auto doc = stored(*w.ledger, static_cast<std::uint64_t>(e.at("index").as_int64()));
  CHECK(doc.tender_id == id);
  CHECK(doc.kind == "tender_notice");
  CHECK(audit::check_canonical(doc.source_json).ok());
  CHECK(p.at("source_sha256").as_string() == hex_encode(sha256(doc.source_json)));
  CHECK(doc.source_sha256_hex == hex_encode(sha256(doc.source_json)));
  const json::object source = json::parse(doc.source_json).as_object();
  CHECK(source.at("title").as_string() == "金山花园物业服务项目招标");
  CHECK(source.at("community").at("name").as_string() == "金山花园");
  CHECK(source.at("bid_deadline_ms").as_int64() == kDeadlineMs);
  CHECK_FALSE(doc.pdf_sha256_hex);

  // Publishing again is idempotent: no second document.
  REQUIRE(w.call("POST", "/api/v1/tenders/" + id + "/publish", "", w.tenderer).status == 200);
  CHECK(entries_of_type(*w.ledger, "document.published").size() == 1);
}

TEST_CASE("the document worker renders once, stores, logs document.rendered and catches up",
          "[documents]") {
  DocWorld w;
  const std::string id = w.published_tender();
  const auto published = entries_of_type(*w.ledger, "document.published");
  REQUIRE(published.size() == 1);
  const auto index = static_cast<std::uint64_t>(published.front().at("index").as_int64());

  // Listed before it is rendered: without its PDF digest or link.
  auto before = w.call("GET", "/api/v1/tenders/" + id + "/documents");
  REQUIRE(before.status == 200);
  {
    const auto body = body_json(before);
    const auto& items = body.at("items").as_array();
    REQUIRE(items.size() == 1);
    CHECK(items[0].at("status").as_string() == "rendering");
    CHECK_FALSE(items[0].as_object().contains("sha256_hex"));
  }
  CHECK(w.call("GET", "/api/v1/tenders/" + id + "/documents/" + std::to_string(index) + ".pdf")
            .status == 404);

  CHECK(render_pending(*w.ledger) == 1);
  // Again, and as a restarted server's worker would: nothing to do.
  CHECK(render_pending(*w.ledger) == 0);
  DocumentPublisher restarted(*w.ledger, "https://other.example");
  CHECK(*restarted.catch_up() == 0);

  const auto rendered = entries_of_type(*w.ledger, "document.rendered");
  REQUIRE(rendered.size() == 1);
  const json::object& rp = rendered.front().at("payload").as_object();
  CHECK(rp.at("kind").as_string() == "tender_notice");
  CHECK(rp.at("published_index").as_int64() == static_cast<std::int64_t>(index));
  CHECK(rendered.front().at("actor").as_string() == "system");

  const auto doc = stored(*w.ledger, index);
  REQUIRE(doc.pdf_sha256_hex);
  CHECK(rp.at("pdf_sha256").as_string() == *doc.pdf_sha256_hex);
  CHECK(*doc.rendered_index == static_cast<std::uint64_t>(rendered.front().at("index").as_int64()));
  CHECK(*doc.checkpoint_size > index);  // the covering checkpoint
  CHECK(*doc.public_base_url == "https://sunbid.example");

  // A second tender published later is caught up alone.
  auto d2 = w.call("POST", "/api/v1/tenders", rules_body(w.community, kDeadline), w.tenderer);
  REQUIRE(d2.status == 201);
  const std::string id2(body_json(d2).at("id").as_string());
  REQUIRE(w.call("POST", "/api/v1/tenders/" + id2 + "/publish", "", w.tenderer).status == 200);
  CHECK(render_pending(*w.ledger) == 1);
  CHECK(entries_of_type(*w.ledger, "document.rendered").size() == 2);
}

TEST_CASE("re-rendering a stored document's source reproduces its digest, one field changes it",
          "[documents]") {
  DocWorld w;
  w.published_tender();
  const auto index = static_cast<std::uint64_t>(
      entries_of_type(*w.ledger, "document.published").front().at("index").as_int64());
  REQUIRE(render_pending(*w.ledger) == 1);
  const auto doc = stored(*w.ledger, index);

  auto again = render_document(doc.kind, doc.source_json, stored_footer(doc));
  REQUIRE(again.ok());
  CHECK(hex_encode(sha256(*again)) == *doc.pdf_sha256_hex);

  json::object changed = json::parse(doc.source_json).as_object();
  changed["title"] = "金山花园物业服务项目招标（二）";
  auto text = audit::to_canonical_json(changed);
  REQUIRE(text.ok());
  auto other = render_document(doc.kind, *text, stored_footer(doc));
  REQUIRE(other.ok());
  CHECK(hex_encode(sha256(*other)) != *doc.pdf_sha256_hex);

  // A source of another kind, or without a member the layout needs, is refused.
  CHECK(render_document("tender_failed", doc.source_json, stored_footer(doc)).error().code ==
        "document_source_invalid");
  changed.erase("community");
  CHECK(render_document(doc.kind, *audit::to_canonical_json(changed), stored_footer(doc))
            .error()
            .code == "document_source_invalid");
}

TEST_CASE("the stage notices render from their sources, one field changes the digest",
          "[documents]") {
  // Sources as tender_core writes them (docs/documents.md, "The stage notices' sources").
  const json::object common = {
      {"format", 1},
      {"tender_id", "T7"},
      {"title", "金山花园物业服务项目招标"},
      {"community",
       {{"id", "C1"},
        {"name", "金山花园"},
        {"district", "湖里区"},
        {"street", "金山街道"},
        {"address", "厦门市湖里区金山路88号"},
        {"units", 3},
        {"total_area_centi_m2", 30000}}},
      {"tenderer", {{"name", "金山花园业主委员会"}, {"kind", "业主委员会"}}},
      {"published_ms", 1'780'300'000'000},
      {"decision_method", "owners_vote"}};
  const json::object bidder = {{"bid_id", "B1"},
                               {"bidder_uscc", "91350200776049653A"},
                               {"bidder_name", "集成测试物业服务有限公司"},
                               {"price_fen_per_m2_month", 230}};
  json::object opening = common;
  opening["kind"] = "opening_record";
  opening["bid_deadline_ms"] = 1'782'100'000'000;
  opening["opened_ms"] = 1'782'186'400'000;
  opening["min_valid_bids"] = 3;
  opening["valid_bids"] = 1;
  json::object valid_row = bidder;
  valid_row["valid"] = true;
  valid_row["reason"] = "";
  valid_row["disqualified"] = json::array{};
  valid_row["documents"] =
      json::array{{{"name", "服务方案.pdf"}, {"sha256_hex", std::string(64, 'c')}}};
  opening["rows"] = json::array{valid_row,
                                {{"bid_id", "B2"},
                                 {"bidder_uscc", "91350500798359476R"},
                                 {"bidder_name", "鹭江物业"},
                                 {"valid", false},
                                 {"reason", "not_qualified"},
                                 {"disqualified", {"blacklisted"}},
                                 {"documents", json::array{}}}};
  json::object candidates = common;
  candidates["kind"] = "candidate_publicity";
  candidates["publicized_ms"] = 1'782'900'000'000;
  candidates["publicity_days"] = 3;
  candidates["publicity_ends_ms"] = 1'783'180'800'000;
  candidates["seats"] = 5;
  json::object candidate = bidder;
  candidate["review"] = json::array{{{"title", "服务方案"}, {"pass_seats", 4}}};
  candidates["candidates"] = json::array{candidate};
  json::object award = common;
  award["kind"] = "award_publicity";
  award["awarded_ms"] = 1'783'900'000'000;
  award["publicity_days"] = 3;
  award["publicity_ends_ms"] = 1'784'180'800'000;
  award["winner"] = bidder;
  award["candidates"] = json::array{bidder};

  json::object letter = common;
  letter["kind"] = "award_notice";
  letter["awarded_ms"] = 1'783'900'000'000;
  letter["publicity_ends_ms"] = 1'784'180'800'000;
  letter["issued_ms"] = 1'784'500'000'000;
  letter["contract_days"] = 30;
  letter["contract_due_ms"] = 1'787'184'000'000;
  letter["winner"] = bidder;
  json::object result_letter = letter;
  result_letter["kind"] = "award_result_notice";
  result_letter["bidders"] = json::array{
      {{"bid_id", "B2"}, {"bidder_uscc", "91350500798359476R"}, {"bidder_name", "鹭江物业"}}};
  const json::object tally = {{"total_area_centi_m2", 30000},
                              {"total_heads", 3},
                              {"participating_area_centi_m2", 20000},
                              {"participating_heads", 2},
                              {"abstain_area_centi_m2", 0},
                              {"abstain_heads", 0},
                              {"area_quorum", true},
                              {"head_quorum", true}};
  json::object vote = common;
  vote["kind"] = "vote_result";
  vote["counted_ms"] = 1'783'900'000'000;
  json::object count = tally;
  json::object counted = {{"bid_id", "B1"},
                          {"area_centi_m2", 20000},
                          {"heads", 2},
                          {"approved", true},
                          {"bidder", bidder}};
  count["candidates"] = json::array{counted};
  count["round"] = 1;
  count["approval"] = "majority";
  count["outcome"] = "winner";
  count["winner"] = "B1";
  count["opened_ms"] = 1'783'000'000'000;
  count["closes_ms"] = 1'783'800'000'000;
  vote["vote"] = count;
  json::object motion = {{"kind", "motion_result"},
                         {"format", 1},
                         {"motion_id", "M3"},
                         {"title", "续聘物业服务企业"},
                         {"community", common.at("community")},
                         {"tenderer", common.at("tenderer")},
                         {"matter_item", 4},
                         {"approval", "more_than_half"},
                         {"outcome", "passed"},
                         {"winner", "for"},
                         {"opened_ms", 1'783'000'000'000},
                         {"closes_ms", 1'783'800'000'000},
                         {"closed_ms", 1'783'800'000'000}};
  json::object motion_tally = tally;
  motion_tally["options"] =
      json::array{{{"option", "for"}, {"area_centi_m2", 20000}, {"heads", 2}},
                  {{"option", "against"}, {"area_centi_m2", 0}, {"heads", 0}}};
  motion["tally"] = motion_tally;
  motion["options"] = json::array{{{"option", "for"}, {"approved", true}},
                                  {{"option", "against"}, {"approved", false}}};

  documents::VerificationFooter footer;
  footer.log_index = 41;
  footer.checkpoint_size = 42;
  footer.checkpoint_root_hex = std::string(64, 'a');
  footer.source_sha256_hex = std::string(64, 'b');
  footer.verifier_key_id = "sunbid.example+1a2b3c4d";
  footer.public_base_url = "https://sunbid.example";
  // The member each layout cannot do without.
  const std::map<std::string, std::string> needed = {{"opening_record", "rows"},
                                                     {"candidate_publicity", "publicity_ends_ms"},
                                                     {"award_publicity", "publicity_ends_ms"},
                                                     {"award_notice", "contract_due_ms"},
                                                     {"award_result_notice", "bidders"},
                                                     {"vote_result", "vote"},
                                                     {"motion_result", "tally"}};
  for (json::object* source :
       {&opening, &candidates, &award, &letter, &result_letter, &vote, &motion}) {
    const std::string kind(source->at("kind").as_string());
    INFO(kind);
    auto text = audit::to_canonical_json(*source);
    REQUIRE(text.ok());
    auto pdf = render_document(kind, *text, footer);
    REQUIRE(pdf.ok());
    auto again = render_document(kind, *text, footer);
    REQUIRE(again.ok());
    CHECK(*again == *pdf);
    json::object changed = *source;
    changed["title"] = "金山花园物业服务项目招标（二）";
    auto other = render_document(kind, *audit::to_canonical_json(changed), footer);
    REQUIRE(other.ok());
    CHECK(sha256(*other) != sha256(*pdf));
    // A source without a member its layout needs is refused, never printed half.
    changed = *source;
    changed.erase(needed.at(kind));
    CHECK(render_document(kind, *audit::to_canonical_json(changed), footer).error().code ==
          "document_source_invalid");
  }
  // One head more for the winner changes the 投票结果公告 (its table and chart).
  json::object more = vote;
  more["vote"].as_object()["candidates"].as_array()[0].as_object()["heads"] = 3;
  CHECK(sha256(*render_document("vote_result", *audit::to_canonical_json(more), footer)) !=
        sha256(*render_document("vote_result", *audit::to_canonical_json(vote), footer)));
  // One fen more on the winner changes the 中标结果公示.
  json::object dearer = award;
  dearer["winner"].as_object()["price_fen_per_m2_month"] = 231;
  CHECK(sha256(*render_document("award_publicity", *audit::to_canonical_json(dearer), footer)) !=
        sha256(*render_document("award_publicity", *audit::to_canonical_json(award), footer)));
}

TEST_CASE("the documents list and the PDF: headers, ETag, 304 and one 404 for every absence",
          "[documents]") {
  DocWorld w;
  const std::string id = w.published_tender();
  REQUIRE(render_pending(*w.ledger) == 1);

  auto list = w.call("GET", "/api/v1/tenders/" + id + "/documents");
  REQUIRE(list.status == 200);
  const auto list_body = body_json(list);
  const auto& item = list_body.at("items").as_array().at(0).as_object();
  CHECK(item.at("status").as_string() == "rendered");
  CHECK(item.at("title_zh").as_string() == "招标公告");
  const std::string sha(item.at("sha256_hex").as_string());
  const std::string url(item.at("url").as_string());
  const auto index = item.at("log_index").as_int64();
  CHECK(url == "/api/v1/tenders/" + id + "/documents/" + std::to_string(index) + ".pdf");

  auto pdf = w.call("GET", url);
  REQUIRE(pdf.status == 200);
  CHECK(pdf.content_type == "application/pdf");
  CHECK(pdf.body.starts_with("%PDF-"));
  CHECK(hex_encode(sha256(pdf.body)) == sha);
  CHECK(header(pdf, "ETag") == "\"" + sha + "\"");
  CHECK(header(pdf, "Cache-Control") == "public, max-age=31536000, immutable");
  const std::string disposition = header(pdf, "Content-Disposition");
  // 招标公告 in UTF-8, percent-encoded.
  CHECK(disposition.find("filename*=UTF-8''%E6%8B%9B%E6%A0%87%E5%85%AC%E5%91%8A-" + id + "-") !=
        std::string::npos);

  Request cond;
  cond.method = "GET";
  cond.target = url;
  cond.if_none_match = "\"" + sha + "\"";
  cond.peer_address = "192.0.2.10";
  auto not_modified = w.api->handle(cond);
  CHECK(not_modified.status == 304);
  CHECK(not_modified.body.empty());
  CHECK(header(not_modified, "ETag") == "\"" + sha + "\"");
  cond.if_none_match = "\"" + std::string(64, '0') + "\"";
  CHECK(w.api->handle(cond).status == 200);

  const std::string base = "/api/v1/tenders/" + id + "/documents/";
  for (const std::string& target :
       {base + std::to_string(index + 1) + ".pdf", base + "0" + std::to_string(index) + ".pdf",
        base + "x.pdf", "/api/v1/tenders/T999/documents/" + std::to_string(index) + ".pdf"}) {
    auto r = w.call("GET", target);
    CHECK(r.status == 404);
    CHECK(error_code(r) == "document_not_found");
  }
  // Unknown tender's list: as its own view answers.
  CHECK(w.call("GET", "/api/v1/tenders/T999/documents").status == 404);
  // A draft has no document, and its list is refused to the public.
  auto d = w.call("POST", "/api/v1/tenders", rules_body(w.community, kDeadline), w.tenderer);
  REQUIRE(d.status == 201);
  const std::string draft(body_json(d).at("id").as_string());
  CHECK(w.call("GET", "/api/v1/tenders/" + draft + "/documents").status == 404);
}

TEST_CASE("a tender failing unopened publishes a 流标公告 without the number of bidders",
          "[documents]") {
  DocWorld w;
  const std::string id = w.published_tender();
  REQUIRE(render_pending(*w.ledger) == 1);  // the 招标公告
  // No bid: at the deadline the tender fails unopened (条例 44).
  w.clock.set_ms(kDeadlineMs + 1000);
  w.relogin();
  auto view = w.call("GET", "/api/v1/tenders/" + id, "", w.tenderer);
  REQUIRE(view.status == 200);
  REQUIRE(body_json(view).at("status").as_string() == "failed");
  auto docs = entries_of_type(*w.ledger, "document.published");
  REQUIRE(docs.size() == 2);
  const json::object& e = docs.back();
  CHECK(e.at("payload").at("kind").as_string() == "tender_failed");
  CHECK(e.at("actor").as_string() == "system");
  const auto doc = stored(*w.ledger, static_cast<std::uint64_t>(e.at("index").as_int64()));
  const json::object source = json::parse(doc.source_json).as_object();
  CHECK(source.at("reason").as_string() == "too_few_bidders");
  CHECK(source.at("failed_ms").as_int64() == kDeadlineMs);
  CHECK(std::string(source.at("reason_text").as_string()).find("投标人少于3个") == 0);
  CHECK(e.at("payload").at("source_sha256").as_string() == hex_encode(sha256(doc.source_json)));

  REQUIRE(render_pending(*w.ledger) == 1);
  auto list = w.call("GET", "/api/v1/tenders/" + id + "/documents");
  REQUIRE(list.status == 200);
  const auto list_body = body_json(list);
  const auto& items = list_body.at("items").as_array();
  REQUIRE(items.size() == 2);
  CHECK(items[1].at("kind").as_string() == "tender_failed");
  CHECK(items[1].at("title_zh").as_string() == "流标公告");
  auto pdf = w.call("GET", std::string(items[1].at("url").as_string()));
  REQUIRE(pdf.status == 200);
  const auto stored_failed = stored(*w.ledger, doc.log_index);
  auto again =
      render_document(stored_failed.kind, stored_failed.source_json, stored_footer(stored_failed));
  REQUIRE(again.ok());
  CHECK(*again == pdf.body);
}

TEST_CASE("an amendment publishes a 补遗公告 in its own command", "[documents]") {
  DocWorld w;
  const std::string id = w.published_tender();
  w.clock.set_ms(kT0 + 2LL * 86'400'000);
  w.relogin();
  auto a =
      w.call("POST", "/api/v1/tenders/" + id + "/amendments",
             R"({"text":"补充电梯维保要求：每月一次。","new_bid_deadline":"2026-02-05T02:00:00Z"})",
             w.tenderer);
  REQUIRE(a.status == 201);
  auto amended = entries_of_type(*w.ledger, "tender.amended");
  auto docs = entries_of_type(*w.ledger, "document.published");
  REQUIRE(amended.size() == 1);
  REQUIRE(docs.size() == 2);
  CHECK(docs.back().at("index").as_int64() == amended.front().at("index").as_int64() + 1);
  CHECK(docs.back().at("payload").at("kind").as_string() == "tender_amended");
  const auto doc =
      stored(*w.ledger, static_cast<std::uint64_t>(docs.back().at("index").as_int64()));
  const json::object source = json::parse(doc.source_json).as_object();
  CHECK(source.at("amendment").as_int64() == 1);
  CHECK(source.at("text").as_string() == "补充电梯维保要求：每月一次。");
  CHECK(source.at("old_deadline_ms").as_int64() == kDeadlineMs);

  REQUIRE(render_pending(*w.ledger) == 2);
  auto list = w.call("GET", "/api/v1/tenders/" + id + "/documents");
  const auto list_body = body_json(list);
  const auto& items = list_body.at("items").as_array();
  REQUIRE(items.size() == 2);
  CHECK(items[1].at("title_zh").as_string() == "补遗公告");
  const auto rendered = stored(*w.ledger, doc.log_index);
  auto again = render_document(rendered.kind, rendered.source_json, stored_footer(rendered));
  REQUIRE(again.ok());
  CHECK(hex_encode(sha256(*again)) == *rendered.pdf_sha256_hex);
}

// Writes a published tender's 招标公告 as the pipeline renders it to
// $SUNBID_DOCUMENTS_SAMPLE (docs/images/tender-notice.png is its first page).
TEST_CASE("sample: the 招标公告 of a published tender", "[.documents_sample]") {
  const char* path = std::getenv("SUNBID_DOCUMENTS_SAMPLE");
  REQUIRE(path != nullptr);
  DocWorld w;
  const std::string id = w.published_tender();
  REQUIRE(render_pending(*w.ledger) == 1);
  auto list = w.call("GET", "/api/v1/tenders/" + id + "/documents");
  const auto list_body = body_json(list);
  auto pdf = w.call("GET", std::string(list_body.at("items").at(0).at("url").as_string()));
  REQUIRE(pdf.status == 200);
  std::ofstream(path, std::ios::binary) << pdf.body;
}

}  // namespace sunbid::server::testing
