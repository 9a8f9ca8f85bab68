// The platform registers: communities (小区) and their owner rosters
// (业主名册), property-service enterprises by USCC, the credit/star rating
// registry with effective dates, the service-tier table (服务等级) and the
// platform holiday calendar (节假日安排, calendar.h).
//
// Every mutating method runs exactly ONE ledger command that validates,
// writes its rows and appends exactly one audit entry; a refusal changes
// nothing and appends nothing. Entries carry no personal data in the clear:
// a roster's entry carries its totals and the SHA-256 of the uploaded bytes,
// never an owner's name or key; the actor's network address is digested.
//
// Entry types: community.created, community.roster_imported,
// enterprise.registered, registry.ratings_recorded,
// registry.service_tiers_replaced, calendar.replaced. The one exception to
// "one entry": replace_calendar appends, after calendar.replaced and in the
// same command, a tender.period_extended per open publicity window the new
// version extends, and its hook (set_calendar_hook) the entries of the other
// windows it extends (evaluation's owners' vote: decision.vote_extended).
//
// Thread-safety: safe for concurrent use (commands are serialized by the
// ledger's writer). Readers take a connection the calling thread owns.
// REQUIRES: the ledger was opened with tender_core_migrations().
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit_log/ledger.h"
#include "audit_log/sqlite.h"
#include "tender_core/actor.h"
#include "tender_core/calendar.h"
#include "tender_core/credit.h"
#include "tender_core/roster.h"

namespace sunbid::core {

struct CommunityInput {
  std::string name;
  std::string district;
  std::string street;
  std::string address;
};

struct Community {
  std::string id;  // "C1", "C2", ...
  std::string name;
  std::string district;
  std::string street;
  std::string address;
  std::int64_t roster_version = 0;  // 0 = no roster yet
  RosterTotals totals;
};

struct RosterImport {
  RosterTotals totals;
  std::int64_t roster_version = 0;
  std::uint64_t log_index = 0;
};

struct EnterpriseInput {
  std::string uscc;
  std::string name;
};

struct EnterpriseRegistered {
  std::string uscc;
  bool pilot_exception = false;  // 福建试点 code accepted with a warning
  std::string warning;
  std::uint64_t log_index = 0;
};

struct RatingInput {
  std::string uscc;
  CreditRating rating;
};

// A menu item (菜单式服务, issue 13 §3; docs/tenderer-kinds.md): one service
// a menu tier offers on its own — 秩序维护 security, 保洁 cleaning, 绿化
// greening, 设施设备维护 maintenance, 垃圾清运 waste... — with its reference
// price range in fen per m² and month (0 <= min <= max).
struct MenuItem {
  std::string code;
  std::string name;
  std::int64_t min_fen_per_m2_month = 0;
  std::int64_t max_fen_per_m2_month = 0;

  bool operator==(const MenuItem&) const = default;
};

inline constexpr std::size_t kMaxMenuItems = 30;

// 服务等级: a tier of service with its reference price range (质价相符).
// A tier that lists menu_items is a menu tier (菜单式服务): a tender of it
// names the items it buys (the owners' chosen package), and bids price each.
struct ServiceTier {
  std::string code;
  std::string name;
  std::int64_t min_fen_per_m2_month = 0;
  std::int64_t max_fen_per_m2_month = 0;
  std::vector<std::string> required_items;
  std::vector<MenuItem> menu_items;  // empty: not a menu tier

  bool operator==(const ServiceTier&) const = default;
};

// The menu item `code` of `tier`, or nullptr.
const MenuItem* find_menu_item(const ServiceTier& tier, std::string_view code);

// Clearing a menu tender's bid (菜单式服务): an item priced outside its
// reference range is flagged in the opening record — a flag for the
// evaluators and owners, not an invalidation (no rule of LAW.md voids a
// price for lying outside a reference range; only the budget's maximum,
// the price ceiling, does).
struct MenuPriceFlag {
  std::string item;
  std::int64_t price_fen_per_m2_month = 0;
  std::int64_t min_fen_per_m2_month = 0;
  std::int64_t max_fen_per_m2_month = 0;

  bool operator==(const MenuPriceFlag&) const = default;
};
// The flags of `item_prices` against `tier`'s menu, in item order; items
// not on the menu are not flagged here (the reveal refused them).
std::vector<MenuPriceFlag> menu_price_flags(const ServiceTier& tier,
                                            const std::map<std::string, std::int64_t>& item_prices);
// [{item, price_fen_per_m2_month, min_fen_per_m2_month, max_fen_per_m2_month,
//   side: "below" | "above"}]
boost::json::array to_json(const std::vector<MenuPriceFlag>& flags);

// JSON form of a tier, as in PUT /service-tiers and in a published tender
// (`menu_items` [{code, name, min_fen_per_m2_month, max_fen_per_m2_month}]
// written only for a menu tier, optional on input).
boost::json::object to_json(const ServiceTier& tier);
// Refuses service_tier_invalid.
Result<ServiceTier> service_tier_from_json(const boost::json::object& json);

struct CalendarSet {
  std::int64_t version = 0;
  std::int64_t set_ms = 0;
  std::uint64_t log_index = 0;
};

class Registry {
 public:
  explicit Registry(audit::Ledger& ledger, CreditScale scale = CreditScale::default_scale())
      : ledger_(ledger), scale_(std::move(scale)) {}
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Refuses community_invalid (an empty field).
  Result<Community> create_community(const Actor& actor, const CommunityInput& input);

  // Replaces the community's roster, all or nothing. The CSV is parsed before
  // the command (parse_roster_csv; its `roster_invalid` refusal lists every
  // problem). Refuses community_not_found, and roster_locked_by_vote while a
  // tender of the community is in its owners' vote (status deciding, or
  // suspended from it, with decision method owners_vote) or the roster lock
  // hook says so (a motion of the community is open).
  Result<RosterImport> import_roster(const Actor& actor, std::string_view community_id,
                                     std::string_view csv);

  // Refuses the validate_uscc codes (uscc_length, uscc_check, ...),
  // enterprise_invalid (empty name), enterprise_exists.
  Result<EnterpriseRegistered> register_enterprise(const Actor& actor,
                                                   const EnterpriseInput& input);

  // Records a batch of rating records (all or nothing, one entry). Refuses
  // ratings_empty, enterprise_not_found, the validate_rating codes.
  Result<std::uint64_t> record_ratings(const Actor& actor, const std::vector<RatingInput>& items);

  // Replaces the whole tier table (published tenders keep the tier frozen in
  // them). Refuses service_tier_invalid naming the item.
  Result<std::uint64_t> replace_service_tiers(const Actor& actor,
                                              const std::vector<ServiceTier>& tiers);

  // Sets a new version of the holiday calendar (rest days and working
  // weekends), in force from now: a public entry calendar.replaced with the
  // whole calendar and its version. A period already open keeps the end it
  // had if the new calendar would end it earlier (calendar.h); an open
  // candidate or award publicity it ends later is announced on its tender:
  // tender.period_extended {tender_id, period, old_ends_at, ends_at,
  // calendar_version}. Refuses calendar_invalid (validate_calendar).
  Result<CalendarSet> replace_calendar(const Actor& actor, const HolidayCalendar& calendar);

  // Runs inside replace_calendar's command, after calendar.replaced was
  // appended (the new version is in force): moves the open windows it
  // extends and appends their entries. Its refusal refuses the whole change.
  // Set once, before any command (not synchronized).
  using CalendarHook = std::function<Status(audit::WriteTxn&, const CalendarSet&)>;
  void set_calendar_hook(CalendarHook hook) { calendar_hook_ = std::move(hook); }

  // Run inside import_roster's command, after the new units are written and
  // its community.roster_imported entry appended, with the importing actor:
  // a module above keeps what the roster carries beyond the units (accounts:
  // the salted digests of certificate_tail, docs/activation.md) and acts on
  // the change (accounts: the owner accounts and codes of keys the roster no
  // longer lists are disabled and revoked). A hook's entries follow the
  // import's; its refusal refuses the whole import. Add hooks before any
  // command (not synchronized).
  using RosterHook = std::function<Status(audit::WriteTxn&, std::string_view community_id,
                                          const Roster&, const Actor&)>;
  void add_roster_hook(RosterHook hook) { roster_hooks_.push_back(std::move(hook)); }
  // A module above (the owners' assembly: a motion of the community open)
  // that locks the roster too: asked inside import_roster's command; true
  // refuses the import with roster_locked_by_vote. Set once, before the
  // registry is shared between threads.
  using RosterLockHook = std::function<Result<bool>(audit::Database&, std::string_view)>;
  void set_roster_lock_hook(RosterLockHook hook) { roster_lock_hook_ = std::move(hook); }

  const CreditScale& scale() const { return scale_; }

  // ---- readers (the caller's own connection) ----
  static Result<Community> community(audit::Database& db, std::string_view id);
  // The registry record of `uscc` in force at `at_ms` (rating_in_force's
  // rule: latest effective_from <= at, a later record wins a tie), among the
  // records entered by `known_at_ms` (default: all) — so a snapshot taken
  // late is the one that would have been taken at its instant.
  // Whether the community's roster has a unit of `owner_key` (业主).
  static Result<bool> owner_on_roster(audit::Database& db, std::string_view community_id,
                                      std::string_view owner_key);
  // The community's roster units, ordered by unit (bytewise); empty without
  // a roster. certificate_tail is never stored here (always nullopt).
  static Result<std::vector<Unit>> roster_units(audit::Database& db, std::string_view community_id);
  // Whether the enterprise is registered.
  static Result<bool> enterprise_registered(audit::Database& db, std::string_view uscc);
  // The registered name of the enterprise; nullopt when it is not registered.
  static Result<std::optional<std::string>> enterprise_name(audit::Database& db,
                                                            std::string_view uscc);
  static Result<std::optional<CreditRating>> rating_as_of(
      audit::Database& db, std::string_view uscc, std::int64_t at_ms,
      std::optional<std::int64_t> known_at_ms = std::nullopt);
  static Result<std::vector<ServiceTier>> service_tiers(audit::Database& db);
  // The calendar in force now (the latest version; version 0 = weekends) and
  // every version with the instant it was set.
  static Result<HolidayCalendar> calendar(audit::Database& db);
  static Result<CalendarHistory> calendar_history(audit::Database& db);
  static Result<std::optional<ServiceTier>> service_tier(audit::Database& db,
                                                         std::string_view code);

 private:
  audit::Ledger& ledger_;
  CreditScale scale_;
  CalendarHook calendar_hook_;
  std::vector<RosterHook> roster_hooks_;
  RosterLockHook roster_lock_hook_;
};

}  // namespace sunbid::core
