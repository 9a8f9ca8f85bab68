// OCDS 1.1 open data (开放数据): every public stage of a tender as an Open
// Contracting Data Standard release, with the bids extension v1.1.5.
//
// A release is made from the tender's public audit entries, never from the
// live tables: entry i of tender T that is a stage (tender.published,
// tender.amended, tender.opened, decision.made, tender.awarded, contract.recorded,
// tender.failed, tender.cancelled, and document.published: the official
// document's PDF link) gives one release with id "log-i", dated at the entry's
// time, holding everything public about T as of that entry. The names that
// entries do not carry (the community's, the enterprises') are read from the
// registers when the release is made, and the release is then stored: a
// release never changes once made (OCDS: "a release is immutable").
//
// Releases are made after the fact by `OcdsPublisher::catch_up`, run by the
// platform's background tick: it reads the log past its cursor, skips
// entries still withheld at that instant (drafts, sealed bids) and stores one
// row per release, in log order, in one ledger command per batch (no audit
// entry: the release is a function of entries already in the log).
//
// Nothing before its time (docs/ocds.md): no release names a bidder or a
// price before the opening (tender.opened is after the deadline and the
// reveal window), a tender that fails unopened or is cancelled has no `bids`
// object and no count of bidders, and no release names a committee member.
//
// Money: OCDS amounts are JSON numbers. A bid's `value.amount` is yuan per m²
// per month written exactly from integer fen (235 fen -> 2.35) by the
// release serializer (ocds_json.h); `value.currency` is CNY and the unit is
// stated in the bid's `description`. No floating point anywhere.
//
// Thread-safety: catch_up runs on the ledger's writer (serialized); the
// readers take a connection the calling thread owns.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/ledger.h"
#include "audit_log/result.h"
#include "audit_log/sqlite.h"

namespace sunbid::publication {

// Migration 25: the stored releases and the publisher's cursor.
std::vector<audit::Migration> publication_migrations();

struct OcdsSettings {
  // "ocds-" + the publisher's registered six-character prefix + "-"; the
  // ocid of tender T is prefix + T. The default is a placeholder for
  // development: a deployment registers its own with the Open Contracting
  // Partnership.
  std::string ocid_prefix = "ocds-sunbid-";
  std::string publisher_name = "sunbid 物业服务电子招标平台";
  // The platform's public address ({public_base_url}); package `uri`s and
  // document links start with it.
  std::string public_base_url = "https://127.0.0.1:8443";
};

// The bids extension every package declares.
inline constexpr std::string_view kBidsExtensionUrl =
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/"
    "extension.json";

struct StoredRelease {
  std::uint64_t log_index = 0;
  std::string tender_id;
  std::string json;  // the release, serialized (ocds_json.h)
};

struct ReleasePage {
  std::vector<StoredRelease> releases;
  // The log index to pass as `after` for the next page: the last release's,
  // or `after` itself when the page is empty.
  std::uint64_t next_after = 0;
  bool more = false;  // another release follows this page already
};

class OcdsPublisher {
 public:
  explicit OcdsPublisher(OcdsSettings settings) : settings_(std::move(settings)) {}

  const OcdsSettings& settings() const { return settings_; }

  // Makes the releases of the entries appended since the last call, public
  // at `now_ms`, at most `max_entries` entries a command. Returns the number
  // of releases made.
  Result<std::size_t> catch_up(audit::Ledger& ledger, std::size_t max_entries = 5000) const;
  // Whether every committed entry has been through catch_up (no read: the
  // cursor as this publisher last saw it against the committed log's size).
  // False until this publisher's first catch_up.
  bool caught_up(const audit::Ledger& ledger) const {
    return seen_ && ledger.committed_log().size <= cursor_.load(std::memory_order_acquire);
  }

  // The feed: releases with log index > `after`, in log order, at most
  // `limit` (REQUIRES: limit >= 1). `after` = -1 (nullopt) starts at the first.
  static Result<ReleasePage> releases_after(audit::Database& db, std::optional<std::uint64_t> after,
                                            std::size_t limit);
  // One tender's releases in log order (empty: unknown or not yet public).
  static Result<std::vector<StoredRelease>> tender_releases(audit::Database& db,
                                                            std::string_view tender_id);

  // A release package around already serialized releases: {uri, version
  // "1.1", publishedDate, publisher, extensions, releases}.
  // `published_date` (RFC 3339) is the package's publishedDate: the newest
  // release's date, so that the same releases give the same bytes.
  std::string package(const std::vector<StoredRelease>& releases, std::string_view uri,
                      std::string_view published_date) const;

  // Writes every stored release as one release package (`sunbid ocds
  // export`), streaming: one release in memory at a time.
  Status export_all(audit::Database& db, std::ostream& out) const;

 private:
  void advance_cursor(std::uint64_t to) const {
    std::uint64_t was = cursor_.load(std::memory_order_relaxed);
    while (was < to && !cursor_.compare_exchange_weak(was, to, std::memory_order_release)) {
    }
    seen_.store(true, std::memory_order_release);
  }

  OcdsSettings settings_;
  // The cursor as of this publisher's last catch_up: a lower bound of the
  // stored one (only catch_up moves it, forward).
  mutable std::atomic<std::uint64_t> cursor_{0};
  mutable std::atomic<bool> seen_{false};
};

}  // namespace sunbid::publication
