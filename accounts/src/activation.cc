#include "accounts/activation.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "account_rows.h"
#include "audit_log/rows.h"
#include "audit_log/time_format.h"
#include "tender_core/calendar.h"
#include "tender_core/registry.h"

namespace sunbid::accounts {

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr std::string_view kTailDomain = "sunbid/certificate-tail/v1\n";

Error field_error(std::string code, std::string field, std::string message) {
  return make_error(std::move(code), std::move(message), {{"field", std::move(field)}});
}

audit::EntryDraft draft_for(const Actor& actor, std::string type) {
  audit::EntryDraft d;
  d.actor = actor.account_id;
  d.role = actor.role;
  d.source_address = actor.client_address;
  d.type = std::move(type);
  return d;
}

Result<std::string> random_hex_id(std::string_view prefix) {
  std::array<std::uint8_t, 8> rnd{};
  if (RAND_bytes(rnd.data(), static_cast<int>(rnd.size())) != 1) {
    return make_error("crypto_failure", "随机数生成失败 / random generation failed");
  }
  return std::string(prefix) + hex_encode(std::span<const std::uint8_t>(rnd));
}

std::string building_of(std::string_view unit) {
  return std::string(unit.substr(0, unit.find('-')));
}

// The enabled owner accounts of a community, by owner key (the first by id
// when, against the one-binding rule, there are several).
Result<std::unordered_map<std::string, std::string>> owner_accounts(audit::Database& db,
                                                                    std::string_view community) {
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * st,
      db.cached("SELECT owner_key, id FROM accounts WHERE community_id = ? AND owner_key IS NOT "
                "NULL AND disabled_ms IS NULL ORDER BY id"));
  st->bind(1, community);
  std::unordered_map<std::string, std::string> out;
  for (;;) {
    auto row = st->step();
    if (!row.ok()) {
      st->reset();
      return std::move(row).error();
    }
    if (!*row) break;
    out.emplace(std::string(st->column_text(0)), std::string(st->column_text(1)));
  }
  st->reset();
  return out;
}

// A stored code, as its HMAC finds it.
struct CodeRow {
  Hash hmac{};
  std::string batch_id;
  std::string community_id;
  std::string owner_key;
  CodePurpose purpose = CodePurpose::kActivate;
  std::optional<std::string> account_id;
};

// The refusals a presented code may get. Their text and details never
// carry the code or its HMAC.
Result<CodeRow> find_code(audit::Database& db, const ActivationKey& key, std::string_view presented,
                          std::int64_t now_ms) {
  auto normalized = normalize_activation_code(presented);
  if (!normalized) {
    return field_error("activation_code_invalid", "/code",
                       "激活码格式不对或校验位不符，请核对后重新输入 / the activation code is not "
                       "13 symbols or its check symbol does not match; please retype it");
  }
  CodeRow row;
  row.hmac = key.code_hmac(*normalized);
  OPENSSL_cleanse(normalized->data(), normalized->size());
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * st,
      db.cached("SELECT batch_id, community_id, owner_key, purpose, account_id, state, expires_ms "
                "FROM activation_codes WHERE code_hmac = ?"));
  st->bind_blob(1, row.hmac);
  SUNBID_ASSIGN_OR_RETURN(bool found, st->step());
  if (!found) {
    st->reset();
    return field_error("activation_code_unknown", "/code",
                       "激活码不存在 / no such activation code");
  }
  row.batch_id = std::string(st->column_text(0));
  row.community_id = std::string(st->column_text(1));
  row.owner_key = std::string(st->column_text(2));
  row.purpose = st->column_text(3) == "reset" ? CodePurpose::kReset : CodePurpose::kActivate;
  if (!st->column_is_null(4)) row.account_id = std::string(st->column_text(4));
  const std::string state(st->column_text(5));
  const std::int64_t expires_ms = st->column_int64(6);
  st->reset();
  if (state == "used") {
    return field_error("activation_code_used", "/code",
                       "该激活码已使用 / the activation code has been used");
  }
  if (state == "revoked") {
    return field_error("activation_code_revoked", "/code",
                       "该激活码已作废（已补发新码） / the activation code was revoked (a new "
                       "one was issued)");
  }
  if (expires_ms <= now_ms) {
    return make_error("activation_code_expired", "激活码已过期 / the activation code has expired",
                      {{"field", "/code"}, {"expired_at", format_rfc3339_ms(expires_ms)}});
  }
  return row;
}

Hash tail_digest(std::span<const std::uint8_t> salt, std::string_view normalized_tail) {
  Sha256 h;
  h.update(kTailDomain).update(salt).update(normalized_tail);
  return h.finish();
}

// OK when the owner's roster carries no certificate tail, or `presented`
// matches one of the owner's units' (every stored digest is compared, in
// constant time, so the time tells nothing of which).
Status check_certificate_tail(audit::Database& db, const CodeRow& code,
                              const std::optional<std::string>& presented) {
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * st,
      db.cached("SELECT salt, digest FROM roster_certificate_tails WHERE community_id = ? AND "
                "owner_key = ?"));
  st->bind(1, code.community_id).bind(2, code.owner_key);
  const std::string tail = presented ? normalize_certificate_tail(*presented) : std::string();
  bool any = false;
  bool match = false;
  for (;;) {
    auto row = st->step();
    if (!row.ok()) {
      st->reset();
      return std::move(row).error();
    }
    if (!*row) break;
    any = true;
    const Hash d = tail_digest(st->column_blob(0), tail);
    auto stored = st->column_blob(1);
    const bool same =
        stored.size() == d.size() && CRYPTO_memcmp(stored.data(), d.data(), d.size()) == 0;
    match = match || same;
  }
  st->reset();
  if (!any) return {};
  if (tail.empty()) {
    return field_error("certificate_tail_required", "/certificate_tail",
                       "该业主名册登记了产权证号尾号，激活时须填写 / the roster holds a "
                       "certificate number tail for this owner; activation asks for it");
  }
  if (!match) {
    return field_error("certificate_tail_mismatch", "/certificate_tail",
                       "产权证号尾号不符 / the certificate number tail does not match");
  }
  return {};
}

// An activation is the owner's own act: made without a session, its entry
// names the account it activates or resets as the actor.
bool is_anonymous(const Actor& a) {
  return a.account_id.empty() || a.account_id == "anonymous" || a.account_id == "system";
}

Status mark_used(audit::WriteTxn& txn, const Hash& hmac, const std::string& account_id) {
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * up,
      txn.db().cached("UPDATE activation_codes SET state = 'used', ended_ms = ?, used_account = ? "
                      "WHERE code_hmac = ? AND state = 'issued'"));
  up->bind(1, txn.now_ms()).bind(2, account_id).bind_blob(3, hmac);
  SUNBID_TRY(up->run());
  if (txn.db().changes() != 1) {
    return make_error(audit::kStorageError, "激活码状态异常 / activation code state changed");
  }
  return {};
}

Status record_flag(audit::WriteTxn& txn, std::uint64_t index, const std::string& community,
                   const std::string& account, bool reset) {
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * ins,
      txn.db().cached("INSERT INTO activation_flags(log_index, community_id, account_id, kind, "
                      "at_ms) VALUES (?, ?, ?, ?, ?)"));
  ins->bind(1, static_cast<std::int64_t>(index)).bind(2, community).bind(3, account);
  ins->bind(4, reset ? "reset" : "activation").bind(5, txn.now_ms());
  return ins->run();
}

}  // namespace

std::string_view purpose_name(CodePurpose purpose) {
  return purpose == CodePurpose::kReset ? "reset" : "activate";
}

std::string activation_link(std::string_view base_url, std::string_view grouped_code) {
  while (base_url.ends_with('/')) base_url.remove_suffix(1);
  return std::string(base_url) + "/activate#code=" + std::string(grouped_code);
}

std::string normalize_certificate_tail(std::string_view tail) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!tail.empty() && is_space(tail.front())) tail.remove_prefix(1);
  while (!tail.empty() && is_space(tail.back())) tail.remove_suffix(1);
  std::string out(tail);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

Result<IssuedBatch> issue_activation_codes(audit::WriteTxn& txn, const ActivationKey& key,
                                           const IssueRequest& request, const Issuer& issuer) {
  auto& db = txn.db();
  if (issuer.role != Role::kTenderer && issuer.role != Role::kSupervisor) {
    return make_error("forbidden", "无权执行此操作 / your role may not do this",
                      {{"action", "issue_activation_codes"}});
  }
  if (request.valid_days < 1 || request.valid_days > kMaxCodeValidDays) {
    return field_error("invalid_field", "/valid_days",
                       "有效期须为 1 至 366 天 / valid_days must be 1 to 366");
  }
  if (issuer.role == Role::kTenderer && issuer.community_id != request.community_id) {
    return make_error("not_tenderer_of_community",
                      "只有本小区的招标人或监督员可以签发激活码 / only the community's "
                      "tenderer or a supervisor may issue its activation codes",
                      {{"community_id", request.community_id}});
  }
  if (request.reissue && issuer.role != Role::kSupervisor) {
    return field_error("reset_needs_supervisor", "/reissue",
                       "为已有账户的业主补发激活码（重置密码）须由监督员办理 / re-issuing a code "
                       "for an owner who has an account resets its password and is for "
                       "supervisors only");
  }
  if (request.reissue && !request.owner_keys) {
    return field_error("invalid_field", "/reissue",
                       "补发须列出业主标识 / reissue needs the owner_keys it is for");
  }
  SUNBID_ASSIGN_OR_RETURN(core::Community community,
                          core::Registry::community(db, request.community_id));
  if (community.roster_version == 0) {
    return make_error("roster_not_imported", "该小区尚未导入业主名册 / the community has no roster",
                      {{"community_id", request.community_id}});
  }
  SUNBID_ASSIGN_OR_RETURN(std::vector<core::Unit> units,
                          core::Registry::roster_units(db, request.community_id));
  // Keys in the order of their first unit (units come ordered by unit).
  std::vector<std::string> key_order;
  std::unordered_map<std::string, std::vector<const core::Unit*>> units_of;
  for (const core::Unit& u : units) {
    auto [it, inserted] = units_of.try_emplace(u.owner_key);
    if (inserted) key_order.push_back(u.owner_key);
    it->second.push_back(&u);
  }
  SUNBID_ASSIGN_OR_RETURN(auto accounts_of, owner_accounts(db, request.community_id));

  struct Pick {
    std::string owner_key;
    std::optional<std::string> account_id;
  };
  std::vector<Pick> picks;
  if (request.owner_keys) {
    if (request.owner_keys->size() > kMaxListedOwnerKeys) {
      return field_error("invalid_field", "/owner_keys",
                         "业主标识过多 / too many owner keys in one request");
    }
    std::unordered_set<std::string_view> seen;
    for (std::size_t i = 0; i < request.owner_keys->size(); ++i) {
      const std::string& k = (*request.owner_keys)[i];
      const std::string field = "/owner_keys/" + std::to_string(i);
      if (!seen.insert(k).second) {
        return field_error("invalid_field", field, "业主标识重复 / the owner key is repeated");
      }
      if (!units_of.contains(k)) {
        return field_error("owner_key_unknown", field,
                           "业主标识不在该小区名册中 / the owner key is not on the community's "
                           "roster");
      }
      auto acct = accounts_of.find(k);
      if (acct != accounts_of.end() && !request.reissue) {
        return field_error("owner_has_account", field,
                           "该业主已有账户；补发重置码须由监督员以 reissue 办理 / the owner "
                           "already has an account; a supervisor's reissue resets it");
      }
      picks.push_back(
          Pick{k, acct != accounts_of.end() ? std::optional(acct->second) : std::nullopt});
    }
  } else {
    for (const std::string& k : key_order) {
      if (!accounts_of.contains(k)) picks.push_back(Pick{k, std::nullopt});
    }
  }

  SUNBID_ASSIGN_OR_RETURN(core::HolidayCalendar calendar, core::Registry::calendar(db));
  const std::int64_t now = txn.now_ms();
  // A validity counted in days as the law counts days (LAW.md §10): the
  // owner's letter says "valid for 60 days", and the code then lasts to
  // 24:00 China time of the 60th day, never ending on a rest day.
  const std::int64_t expires = core::granted_period_end_ms(calendar, now, request.valid_days)
                                   .value_or(now + request.valid_days * kDayMs);

  IssuedBatch batch;
  SUNBID_ASSIGN_OR_RETURN(batch.batch_id, random_hex_id("actb-"));
  batch.community_id = community.id;
  batch.community_name = community.name;
  batch.roster_version = community.roster_version;
  batch.issued_ms = now;
  batch.expires_ms = expires;

  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * revoke,
      db.cached("UPDATE activation_codes SET state = 'revoked', ended_ms = ? "
                "WHERE community_id = ? AND owner_key = ? AND state = 'issued'"));
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * ins,
      db.cached("INSERT INTO activation_codes(code_hmac, batch_id, community_id, owner_key, "
                "purpose, account_id, issued_by, issued_ms, expires_ms, state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'issued')"));
  boost::json::array reset_accounts;
  std::int64_t activation_codes = 0;
  batch.codes.reserve(picks.size());
  for (const Pick& p : picks) {
    revoke->bind(1, now).bind(2, request.community_id).bind(3, p.owner_key);
    SUNBID_TRY(revoke->run());
    batch.codes_revoked += txn.db().changes();

    SUNBID_ASSIGN_OR_RETURN(std::string code, new_activation_code());
    const Hash hmac = key.code_hmac(code);
    const CodePurpose purpose = p.account_id ? CodePurpose::kReset : CodePurpose::kActivate;
    ins->bind_blob(1, hmac).bind(2, batch.batch_id).bind(3, request.community_id);
    ins->bind(4, p.owner_key).bind(5, purpose_name(purpose));
    if (p.account_id) {
      ins->bind(6, *p.account_id);
      reset_accounts.emplace_back(*p.account_id);
    } else {
      ins->bind_null(6);
      ++activation_codes;
    }
    ins->bind(7, issuer.actor.account_id).bind(8, now).bind(9, expires);
    SUNBID_TRY(ins->run());

    IssuedCode out;
    out.owner_key = p.owner_key;
    const auto& mine = units_of.at(p.owner_key);
    out.building = building_of(mine.front()->unit);
    for (const core::Unit* u : mine) {
      out.units.push_back(IssuedUnit{u->unit, u->area_centi_m2});
      out.area_centi_m2 += u->area_centi_m2;
      out.developer = out.developer || u->status == core::UnitStatus::unsold;
    }
    out.code = format_activation_code(code);
    OPENSSL_cleanse(code.data(), code.size());
    out.purpose = purpose;
    out.account_id = p.account_id;
    out.expires_ms = expires;
    batch.codes.push_back(std::move(out));
  }
  std::stable_sort(batch.codes.begin(), batch.codes.end(),
                   [](const IssuedCode& a, const IssuedCode& b) {
                     if (a.building != b.building) return a.building < b.building;
                     return a.units.front().unit < b.units.front().unit;
                   });

  // One entry for the batch: counts only, no owner key (a reset names its
  // accounts, whose ids are public in account.created already).
  audit::EntryDraft draft = draft_for(issuer.actor, "activation.codes_issued");
  draft.payload["batch"] = batch.batch_id;
  draft.payload["community_id"] = batch.community_id;
  draft.payload["roster_version"] = batch.roster_version;
  draft.payload["selection"] = request.owner_keys ? "listed" : "keys_without_account";
  draft.payload["activation_codes"] = activation_codes;
  draft.payload["reset_codes"] = static_cast<std::int64_t>(reset_accounts.size());
  draft.payload["codes_revoked"] = batch.codes_revoked;
  draft.payload["valid_days"] = request.valid_days;
  draft.payload["expires_at"] = format_rfc3339_ms(expires);
  if (!reset_accounts.empty()) draft.payload["reset_accounts"] = std::move(reset_accounts);
  SUNBID_ASSIGN_OR_RETURN(batch.log_index, txn.append(draft));
  return batch;
}

Status check_presented_code(audit::Database& db, const ActivationKey& key,
                            std::string_view presented, std::int64_t now_ms) {
  SUNBID_ASSIGN_OR_RETURN(CodeRow row, find_code(db, key, presented, now_ms));
  (void)row;
  return {};
}

Result<Activated> activate_with_code(audit::WriteTxn& txn, const ActivationKey& key,
                                     const ActivationInput& input, const PasswordHash& password,
                                     const Actor& actor, const VoteProximity& near_vote) {
  auto& db = txn.db();
  const std::int64_t now = txn.now_ms();
  SUNBID_ASSIGN_OR_RETURN(CodeRow code, find_code(db, key, input.code, now));
  SUNBID_TRY(check_certificate_tail(db, code, input.certificate_tail));
  bool flagged = false;
  if (near_vote) {
    SUNBID_ASSIGN_OR_RETURN(flagged,
                            near_vote(db, code.community_id, now, now + kVoteFlagDays * kDayMs));
  }
  Actor who = actor;
  Activated out;
  out.community_id = code.community_id;
  out.near_vote = flagged;

  SUNBID_ASSIGN_OR_RETURN(std::string key_digest,
                          txn.personal_digest("owner_key", code.owner_key, ""));
  if (code.purpose == CodePurpose::kReset) {
    SUNBID_ASSIGN_OR_RETURN(auto account, find_account_by_id(db, code.account_id.value_or("")));
    if (!account || account->community_id != code.community_id ||
        account->owner_key != code.owner_key) {
      return make_error("account_not_found", "账户不存在 / no such account");
    }
    if (account->disabled) {
      return make_error("account_disabled", "账户已停用 / the account is disabled");
    }
    if (!input.username.empty() && input.username != account->username) {
      return field_error("invalid_field", "/username",
                         "重置密码不改用户名，请留空或填写原用户名 / a reset keeps the account's "
                         "username: leave it empty or give that one");
    }
    SUNBID_ASSIGN_OR_RETURN(
        audit::Statement * up,
        db.cached("UPDATE accounts SET password_kdf = 'scrypt', password_n = ?, password_r = ?, "
                  "password_p = ?, password_salt = ?, password_hash = ? WHERE id = ?"));
    up->bind(1, static_cast<std::int64_t>(password.params.n));
    up->bind(2, static_cast<std::int64_t>(password.params.r));
    up->bind(3, static_cast<std::int64_t>(password.params.p));
    up->bind_blob(4, password.salt).bind_blob(5, password.hash).bind(6, account->id);
    SUNBID_TRY(up->run());
    SUNBID_ASSIGN_OR_RETURN(audit::Statement * del,
                            db.cached("DELETE FROM sessions WHERE account_id = ?"));
    del->bind(1, account->id);
    SUNBID_TRY(del->run());
    out.sessions_revoked = db.changes();
    SUNBID_TRY(mark_used(txn, code.hmac, account->id));
    out.account_id = account->id;
    out.username = account->username;
    out.reset = true;
    if (is_anonymous(who)) {
      who.account_id = account->id;
      who.role = std::string(role_name(Role::kOwner));
    }
    audit::EntryDraft draft = draft_for(who, "account.password_reset");
    draft.payload["account"] = account->id;
    draft.payload["community_id"] = code.community_id;
    draft.payload["owner_key_digest"] = key_digest;
    draft.payload["batch"] = code.batch_id;
    draft.payload["sessions_revoked"] = out.sessions_revoked;
    draft.payload["near_vote"] = flagged;
    SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(draft));
  } else {
    NewAccount account;
    account.username = input.username;
    account.role = Role::kOwner;
    account.community_id = code.community_id;
    account.owner_key = code.owner_key;
    account.display_name = input.display_name;
    if (account.display_name.empty()) {
      SUNBID_ASSIGN_OR_RETURN(
          audit::Statement * st,
          db.cached("SELECT owner_name FROM roster_units WHERE community_id = ? AND owner_key = ? "
                    "ORDER BY unit LIMIT 1"));
      st->bind(1, code.community_id).bind(2, code.owner_key);
      SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
      if (row) account.display_name = std::string(st->column_text(0));
      st->reset();
      if (account.display_name.empty() || account.display_name.size() > 200) {
        account.display_name = code.owner_key.substr(0, 200);
      }
    }
    SUNBID_TRY(validate_new_account(account));
    SUNBID_ASSIGN_OR_RETURN(auto holder, binding_holder(db, account));
    if (holder) {
      return field_error("owner_has_account", "/code",
                         "该业主已有账户；找回密码须由监督员补发重置码 / the owner already has an "
                         "account; a lost password needs a supervisor's reset code");
    }
    SUNBID_ASSIGN_OR_RETURN(std::string id, random_hex_id("acct-"));
    SUNBID_TRY(insert_account_row(txn, id, account, password));
    SUNBID_TRY(mark_used(txn, code.hmac, id));
    out.account_id = id;
    out.username = account.username;
    // An anonymous activation is the new account's own act.
    if (is_anonymous(who)) {
      who.account_id = id;
      who.role = std::string(role_name(Role::kOwner));
    }
    audit::EntryDraft draft = draft_for(who, "account.activated");
    SUNBID_TRY(add_account_fields(txn, id, account, draft.payload));
    draft.payload["batch"] = code.batch_id;
    draft.payload["near_vote"] = flagged;
    SUNBID_ASSIGN_OR_RETURN(out.log_index, txn.append(draft));
  }
  if (flagged)
    SUNBID_TRY(record_flag(txn, out.log_index, code.community_id, out.account_id, out.reset));
  return out;
}

Status store_certificate_tails(audit::WriteTxn& txn, std::string_view community_id,
                               const core::Roster& roster) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(audit::Statement * del,
                          db.cached("DELETE FROM roster_certificate_tails WHERE community_id = ?"));
  del->bind(1, community_id);
  SUNBID_TRY(del->run());
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * ins,
      db.cached("INSERT INTO roster_certificate_tails(community_id, unit, owner_key, salt, digest) "
                "VALUES (?, ?, ?, ?, ?)"));
  for (const core::Unit& u : roster.units) {
    if (!u.certificate_tail) continue;
    std::string tail = normalize_certificate_tail(*u.certificate_tail);
    if (tail.empty()) continue;
    std::array<std::uint8_t, 16> salt{};
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
      return make_error("crypto_failure", "随机数生成失败 / random generation failed");
    }
    const Hash d = tail_digest(salt, tail);
    OPENSSL_cleanse(tail.data(), tail.size());
    ins->bind(1, community_id).bind(2, u.unit).bind(3, u.owner_key);
    ins->bind_blob(4, salt).bind_blob(5, d);
    SUNBID_TRY(ins->run());
  }
  return {};
}

Status disable_removed_owners(audit::WriteTxn& txn, std::string_view community_id,
                              const core::Roster& roster, const core::Actor& actor) {
  std::unordered_set<std::string_view> keys;
  for (const core::Unit& u : roster.units) keys.insert(u.owner_key);
  auto& db = txn.db();
  std::vector<std::string> removed;  // account ids
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * st,
      db.cached("SELECT id, owner_key FROM accounts WHERE community_id = ? AND role = 'owner' "
                "AND owner_key IS NOT NULL AND disabled_ms IS NULL ORDER BY id"));
  st->bind(1, community_id);
  SUNBID_TRY(audit::each_row(*st, [&](audit::Statement& row) {
    if (!keys.contains(row.column_text(1))) removed.emplace_back(row.column_text(0));
  }));
  const Actor who{actor.account, actor.role,
                  actor.source_address.empty() ? std::nullopt
                                               : std::optional<std::string>(actor.source_address)};
  for (const std::string& id : removed) {
    SUNBID_ASSIGN_OR_RETURN(
        bool disabled, disable_account(txn, id,
                                       "roster_key_removed: 业主编号已不在重新导入的业主名册中 "
                                       "/ the owner key is no longer on the re-imported roster",
                                       who));
    (void)disabled;
  }
  // Unused codes of keys the roster no longer lists: none may open an
  // account for an owner the roster does not know.
  std::vector<std::string> stale;
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * codes,
      db.cached("SELECT DISTINCT owner_key FROM activation_codes WHERE community_id = ? AND "
                "state = 'issued' ORDER BY owner_key"));
  codes->bind(1, community_id);
  SUNBID_TRY(audit::each_row(*codes, [&](audit::Statement& row) {
    if (!keys.contains(row.column_text(0))) stale.emplace_back(row.column_text(0));
  }));
  if (stale.empty()) return {};
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * revoke,
      db.cached("UPDATE activation_codes SET state = 'revoked', ended_ms = ? "
                "WHERE community_id = ? AND owner_key = ? AND state = 'issued'"));
  std::int64_t revoked = 0;
  for (const std::string& key : stale) {
    revoke->bind(1, txn.now_ms()).bind(2, community_id).bind(3, key);
    SUNBID_TRY(revoke->run());
    revoked += static_cast<std::int64_t>(db.changes());
  }
  audit::EntryDraft draft = draft_for(who, "activation.codes_revoked");
  draft.payload["community_id"] = std::string(community_id);
  draft.payload["reason"] = "roster_key_removed";
  draft.payload["codes_revoked"] = revoked;
  SUNBID_TRY(txn.append(draft));
  return {};
}

void add_roster_hooks(core::Registry& registry) {
  registry.add_roster_hook(
      [](audit::WriteTxn& txn, std::string_view community, const core::Roster& roster,
         const core::Actor&) { return store_certificate_tails(txn, community, roster); });
  registry.add_roster_hook(disable_removed_owners);
}

Result<std::vector<std::string>> disabled_owner_accounts(audit::Database& db,
                                                         std::string_view community_id) {
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * st,
      db.cached("SELECT id FROM accounts WHERE community_id = ? AND role = 'owner' AND "
                "disabled_ms IS NOT NULL ORDER BY id"));
  st->bind(1, community_id);
  std::vector<std::string> ids;
  SUNBID_TRY(
      audit::each_row(*st, [&](audit::Statement& row) { ids.emplace_back(row.column_text(0)); }));
  return ids;
}

Result<ActivationFlagPage> activation_flags(audit::Database& db,
                                            std::optional<std::string_view> community_id,
                                            std::optional<std::uint64_t> after, std::size_t limit) {
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * st,
      db.cached("SELECT log_index, community_id, account_id, kind, at_ms FROM activation_flags "
                "WHERE log_index > ?1 AND (?2 IS NULL OR community_id = ?2) "
                "ORDER BY log_index LIMIT ?3"));
  st->bind(1, after ? static_cast<std::int64_t>(*after) : std::int64_t{-1});
  if (community_id) {
    st->bind(2, *community_id);
  } else {
    st->bind_null(2);
  }
  st->bind(3, static_cast<std::int64_t>(limit) + 1);
  ActivationFlagPage page;
  for (;;) {
    auto row = st->step();
    if (!row.ok()) {
      st->reset();
      return std::move(row).error();
    }
    if (!*row) break;
    ActivationFlag f;
    f.log_index = static_cast<std::uint64_t>(st->column_int64(0));
    f.community_id = std::string(st->column_text(1));
    f.account_id = std::string(st->column_text(2));
    f.reset = st->column_text(3) == "reset";
    f.at_ms = st->column_int64(4);
    page.items.push_back(std::move(f));
  }
  st->reset();
  if (page.items.size() > limit) {
    page.items.resize(limit);
    page.next_cursor = page.items.back().log_index;
  }
  return page;
}

}  // namespace sunbid::accounts
