// The notice feed (公告订阅, issue 14 §3): an Atom 1.0 feed (RFC 4287) of the
// platform's official documents, so that the readers district offices
// already use can follow tenders without an account (docs/atom.md).
//
// This is the serializer only: the caller chooses the entries (the rendered
// documents public now, tender_core/documents.h feed_documents) and their
// links. The output is UTF-8 XML, deterministic for the same input: the
// feed's `updated` is its newest entry's, or `empty_updated_ms` when it has
// none.
//
// Thread-safety: a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sunbid::publication {

struct AtomLink {
  std::string rel;   // alternate, related, self
  std::string type;  // media type, may be empty
  std::string href;  // absolute IRI
  std::string title;
};

struct AtomEntry {
  std::string id;  // a permanent IRI
  std::string title;
  std::int64_t updated_ms = 0;
  std::int64_t published_ms = 0;
  std::string summary;  // plain text
  std::vector<AtomLink> links;
  std::vector<std::string> categories;  // atom:category terms
};

struct AtomFeed {
  std::string id;
  std::string title;
  std::string subtitle;
  std::string author;  // the feed's author (every entry inherits it)
  std::vector<AtomLink> links;
  std::int64_t empty_updated_ms = 0;
  std::vector<AtomEntry> entries;  // newest first
};

// The XML text of `feed`: every text escaped (& < > " '), characters XML 1.0
// does not allow dropped, times as RFC 3339 UTC with milliseconds.
std::string atom_xml(const AtomFeed& feed);

}  // namespace sunbid::publication
