#include "publication/atom.h"

#include <algorithm>
#include <string_view>

#include "tender_core/time.h"

namespace sunbid::publication {

namespace {

// Appends `text` escaped for XML character data and attribute values. Code
// points XML 1.0 does not allow (C0 controls but tab, LF and CR) are dropped;
// the input is UTF-8 already (every text of the platform is checked UTF-8).
void escape(std::string& out, std::string_view text) {
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (u < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') break;
        out += ch;
    }
  }
}

void element(std::string& out, std::string_view indent, std::string_view name,
             std::string_view text) {
  out += indent;
  out += '<';
  out += name;
  out += '>';
  escape(out, text);
  out += "</";
  out += name;
  out += ">\n";
}

void link(std::string& out, std::string_view indent, const AtomLink& l) {
  out += indent;
  out += "<link rel=\"";
  escape(out, l.rel);
  out += '"';
  if (!l.type.empty()) {
    out += " type=\"";
    escape(out, l.type);
    out += '"';
  }
  out += " href=\"";
  escape(out, l.href);
  out += '"';
  if (!l.title.empty()) {
    out += " title=\"";
    escape(out, l.title);
    out += '"';
  }
  out += "/>\n";
}

}  // namespace

std::string atom_xml(const AtomFeed& feed) {
  std::string out;
  out.reserve(1024 + feed.entries.size() * 1024);
  out += "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n";
  element(out, "  ", "id", feed.id);
  element(out, "  ", "title", feed.title);
  if (!feed.subtitle.empty()) element(out, "  ", "subtitle", feed.subtitle);
  std::int64_t updated = feed.empty_updated_ms;
  if (!feed.entries.empty()) {
    updated = std::max_element(feed.entries.begin(), feed.entries.end(),
                               [](const AtomEntry& a, const AtomEntry& b) {
                                 return a.updated_ms < b.updated_ms;
                               })
                  ->updated_ms;
  }
  element(out, "  ", "updated", core::format_rfc3339_ms(updated));
  out += "  <author>\n";
  element(out, "    ", "name", feed.author);
  out += "  </author>\n";
  for (const auto& l : feed.links) link(out, "  ", l);
  out += "  <generator>sunbid</generator>\n";
  for (const auto& e : feed.entries) {
    out += "  <entry>\n";
    element(out, "    ", "id", e.id);
    element(out, "    ", "title", e.title);
    element(out, "    ", "updated", core::format_rfc3339_ms(e.updated_ms));
    element(out, "    ", "published", core::format_rfc3339_ms(e.published_ms));
    for (const auto& l : e.links) link(out, "    ", l);
    for (const auto& c : e.categories) {
      out += "    <category term=\"";
      escape(out, c);
      out += "\"/>\n";
    }
    out += "    <summary type=\"text\">";
    escape(out, e.summary);
    out += "</summary>\n";
    out += "  </entry>\n";
  }
  out += "</feed>\n";
  return out;
}

}  // namespace sunbid::publication
