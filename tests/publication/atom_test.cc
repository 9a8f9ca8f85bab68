// The Atom serializer of the notice feed (publication/atom.h): the elements
// RFC 4287 requires, every text escaped, the feed's `updated` its newest
// entry's, deterministic bytes.
#include "publication/atom.h"

#include <catch2/catch.hpp>
#include <string>

#include "tender_core/time.h"

using namespace sunbid;
using namespace sunbid::publication;

namespace {

AtomFeed sample() {
  AtomFeed f;
  f.id = "https://sunbid.example.cn/api/v1/feeds/notices.atom?district=%E6%B9%96%E9%87%8C%E5%8C%BA";
  f.title = "物业服务招标公告（湖里区）";
  f.author = "sunbid";
  f.empty_updated_ms = 0;
  f.links.push_back({"self", "application/atom+xml", f.id, ""});
  AtomEntry a;
  a.id = "https://sunbid.example.cn/api/v1/tenders/T1/documents/7.pdf";
  a.title = "招标公告：金山花园 <A&B> \"选聘\" 'x'";
  a.updated_ms = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
  a.published_ms = 1'767'225'599'000;
  a.summary = "line\x01one & two";
  a.links.push_back({"alternate", "application/pdf", a.id + "?a=1&b=2", "PDF"});
  a.categories = {"tender_notice", "湖里区"};
  AtomEntry b = a;
  b.id = "https://sunbid.example.cn/api/v1/tenders/T2/documents/9.pdf";
  b.updated_ms = a.updated_ms + 5'000;
  f.entries = {b, a};
  return f;
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("atom: the required elements, escaped text, updated = the newest entry") {
  const std::string xml = atom_xml(sample());
  CHECK(xml.starts_with(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""));
  CHECK(xml.ends_with("</feed>\n"));
  CHECK(count(xml, "<entry>") == 2);
  CHECK(count(xml, "</entry>") == 2);
  // feed: id, title, updated, author; entries: id, title, updated.
  CHECK(count(xml, "<id>") == 3);
  CHECK(count(xml, "<title>") == 3);
  CHECK(count(xml, "<updated>") == 3);
  CHECK(xml.find("<author>\n    <name>sunbid</name>\n  </author>") != std::string::npos);
  // The feed's updated is its newest entry's (b, 5 s later).
  CHECK(xml.find("  <updated>2026-01-01T00:00:05.000Z</updated>\n  <author>") != std::string::npos);
  CHECK(xml.find("<published>2025-12-31T23:59:59.000Z</published>") != std::string::npos);
  // Escaped: no raw markup from the data; a control character dropped.
  CHECK(xml.find("金山花园 &lt;A&amp;B&gt; &quot;选聘&quot; &apos;x&apos;") != std::string::npos);
  CHECK(xml.find("<A&B>") == std::string::npos);
  CHECK(xml.find(
            "href=\"https://sunbid.example.cn/api/v1/tenders/T1/documents/7.pdf?a=1&amp;b=2\"") !=
        std::string::npos);
  CHECK(xml.find("<summary type=\"text\">lineone &amp; two</summary>") != std::string::npos);
  CHECK(xml.find('\x01') == std::string::npos);
  CHECK(xml.find("<category term=\"湖里区\"/>") != std::string::npos);
  // Deterministic.
  CHECK(atom_xml(sample()) == xml);
}

TEST_CASE("atom: an empty feed is valid and dated empty_updated_ms") {
  AtomFeed f = sample();
  f.entries.clear();
  f.empty_updated_ms = 0;
  const std::string xml = atom_xml(f);
  CHECK(count(xml, "<entry>") == 0);
  CHECK(xml.find("<updated>1970-01-01T00:00:00.000Z</updated>") != std::string::npos);
}
