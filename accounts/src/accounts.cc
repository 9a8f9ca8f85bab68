#include "accounts/accounts.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "account_rows.h"
#include "accounts/access_record.h"
#include "audit_log/sha256.h"
#include "tender_core/uscc.h"

namespace sunbid::accounts {

namespace {

Error field_error(std::string code, std::string_view field, std::string message) {
  return make_error(std::move(code), std::move(message), {{"field", std::string(field)}});
}

bool is_username_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

// The entry's source is digested at append with a salt of its own.
audit::EntryDraft draft_for(const Actor& actor, std::string type) {
  audit::EntryDraft d;
  d.actor = actor.account_id;
  d.role = actor.role;
  d.source_address = actor.client_address;
  d.type = std::move(type);
  return d;
}

// Binds parameters 2..12 of an INSERT into accounts or account_approvals,
// which list the same columns in the same order after the id: username,
// role, display_name, community_id, enterprise_uscc, owner_key, password_n,
// password_r, password_p, password_salt, password_hash.
void bind_account_columns(audit::Statement& ins, const NewAccount& account,
                          const PasswordHash& password) {
  ins.bind(2, account.username).bind(3, role_name(account.role)).bind(4, account.display_name);
  auto bind_opt = [&](int i, const std::optional<std::string>& v) {
    if (v) {
      ins.bind(i, *v);
    } else {
      ins.bind_null(i);
    }
  };
  bind_opt(5, account.community_id);
  bind_opt(6, account.enterprise_uscc);
  bind_opt(7, account.owner_key);
  ins.bind(8, static_cast<std::int64_t>(password.params.n));
  ins.bind(9, static_cast<std::int64_t>(password.params.r));
  ins.bind(10, static_cast<std::int64_t>(password.params.p));
  ins.bind_blob(11, password.salt).bind_blob(12, password.hash);
}

// The account's bindings as an entry shows them (account.created,
// account.approval_requested): the community in clear; the USCC and the owner
// key only as digests. The USCC is digested (security review A4) because an
// account created for a bidder is often followed by its sealed bid, so the
// USCC in clear beside the stubs would hint who bid; its digest is stable
// platform-wide, so a second account of one enterprise shows the same one.
Status add_binding(audit::WriteTxn& txn, const NewAccount& account, boost::json::object& payload) {
  if (account.community_id) payload["community_id"] = *account.community_id;
  if (account.enterprise_uscc) {
    SUNBID_ASSIGN_OR_RETURN(std::string uscc_digest,
                            txn.personal_digest("enterprise_uscc", *account.enterprise_uscc, ""));
    payload["enterprise_uscc_digest"] = uscc_digest;
  }
  if (account.owner_key) {
    SUNBID_ASSIGN_OR_RETURN(std::string key_digest,
                            txn.personal_digest("owner_key", *account.owner_key, ""));
    payload["owner_key_digest"] = key_digest;
  }
  return ok_status();
}

std::optional<std::string> optional_text(const audit::Statement& st, int col) {
  if (st.column_is_null(col)) return std::nullopt;
  return std::string(st.column_text(col));
}

constexpr std::string_view kAccountColumns =
    "id, username, role, display_name, community_id, enterprise_uscc, owner_key, password_n, "
    "password_r, password_p, password_salt, password_hash, disabled_ms, CASE role WHEN 'tenderer' "
    "THEN coalesce((SELECT kind FROM tenderer_kinds k WHERE k.account_id = accounts.id), "
    "'owners_committee') END";

Result<AccountRecord> read_account_row(const audit::Statement& st) {
  AccountRecord a;
  a.id = std::string(st.column_text(0));
  a.username = std::string(st.column_text(1));
  auto role = parse_role(st.column_text(2));
  if (!role) {
    return make_error(audit::kStorageError, "账户角色无效 / stored account role is invalid",
                      {{"account", a.id}});
  }
  a.role = *role;
  a.display_name = std::string(st.column_text(3));
  a.community_id = optional_text(st, 4);
  a.enterprise_uscc = optional_text(st, 5);
  a.owner_key = optional_text(st, 6);
  a.password.params.n = static_cast<std::uint64_t>(st.column_int64(7));
  a.password.params.r = static_cast<std::uint32_t>(st.column_int64(8));
  a.password.params.p = static_cast<std::uint32_t>(st.column_int64(9));
  auto salt = st.column_blob(10);
  a.password.salt.assign(salt.begin(), salt.end());
  auto hash = st.column_blob(11);
  a.password.hash.assign(hash.begin(), hash.end());
  a.disabled = !st.column_is_null(12);
  if (!st.column_is_null(13)) {
    a.tenderer_kind = parse_tenderer_kind(st.column_text(13));
    if (!a.tenderer_kind) {
      return make_error(audit::kStorageError, "招标人类型无效 / stored tenderer kind is invalid",
                        {{"account", a.id}});
    }
  }
  return a;
}

Result<std::optional<AccountRecord>> find_account_where(audit::Database& db,
                                                        std::string_view column,
                                                        std::string_view value) {
  std::string sql = "SELECT " + std::string(kAccountColumns) + " FROM accounts WHERE " +
                    std::string(column) + " = ?";
  SUNBID_ASSIGN_OR_RETURN(audit::Statement * st, db.cached(sql));
  st->bind(1, value);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  if (!row) {
    st->reset();
    return std::optional<AccountRecord>{};
  }
  auto rec = read_account_row(*st);
  st->reset();
  if (!rec.ok()) return std::move(rec).error();
  return std::optional<AccountRecord>(std::move(rec).value());
}

// A community's tenderer accounts are of one kind (issue 13 §3): the enabled
// tenderer accounts of `community` of another kind than `kind` refuse it.
Status check_tenderer_kind(audit::Database& db, std::string_view community, std::string_view kind) {
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * st,
      db.cached("SELECT kind FROM (SELECT coalesce(k.kind, 'owners_committee') AS kind FROM "
                "accounts a LEFT JOIN tenderer_kinds k ON k.account_id = a.id WHERE a.role = "
                "'tenderer' AND a.community_id = ? AND a.disabled_ms IS NULL) WHERE kind != ? "
                "LIMIT 1"));
  st->bind(1, community).bind(2, kind);
  SUNBID_ASSIGN_OR_RETURN(bool other, st->step());
  std::string held = other ? std::string(st->column_text(0)) : std::string();
  st->reset();
  if (!other) return ok_status();
  return make_error("tenderer_kind_mixed",
                    "本小区已有其他类型的招标人账户（" + held +
                        "），一个小区的招标人只能是同一类型 / the community already has tenderer "
                        "accounts of another kind (" +
                        held + "): a community's tenderers are all of one kind",
                    {{"field", "/tenderer_kind"}, {"community_kind", held}});
}

}  // namespace

Status validate_password(std::string_view password) {
  if (password.size() < 8 || password.size() > 1024) {
    return field_error("invalid_field", "/password",
                       "密码长度须为 8 至 1024 字节 / the password must be 8 to 1024 bytes");
  }
  return {};
}

Status validate_new_account(const NewAccount& a) {
  if (a.username.size() < 3 || a.username.size() > 64) {
    return field_error("invalid_field", "/username",
                       "用户名长度须为 3 至 64 个字符 / the username must be 3 to 64 characters");
  }
  for (char c : a.username) {
    if (!is_username_char(c)) {
      return field_error("invalid_field", "/username",
                         "用户名只能包含小写字母、数字和 _ . - / the username may contain only "
                         "lowercase letters, digits and _ . -");
    }
  }
  if (a.display_name.empty() || a.display_name.size() > 200) {
    return field_error("invalid_field", "/display_name",
                       "显示名称须为 1 至 200 字节 / the display name must be 1 to 200 bytes");
  }
  bool needs_community = a.role == Role::kTenderer || a.role == Role::kOwner;
  bool needs_owner_key = a.role == Role::kOwner;
  bool needs_uscc = a.role == Role::kEnterprise;
  auto check_presence = [](const std::optional<std::string>& v, bool needed,
                           std::string_view field) -> Status {
    if (needed && (!v || v->empty())) {
      return field_error("missing_field", field,
                         "该角色须提供此字段 / this role requires the field");
    }
    if (!needed && v) {
      return field_error("invalid_field", field,
                         "该角色不得提供此字段 / this role must not carry the field");
    }
    if (v && v->size() > 128) {
      return field_error("invalid_field", field, "字段过长 / the field is too long");
    }
    return {};
  };
  SUNBID_TRY(check_presence(a.community_id, needs_community, "/community_id"));
  SUNBID_TRY(check_presence(a.owner_key, needs_owner_key, "/owner_key"));
  SUNBID_TRY(check_presence(a.enterprise_uscc, needs_uscc, "/enterprise_uscc"));
  if (a.tenderer_kind && a.role != Role::kTenderer) {
    return field_error("invalid_field", "/tenderer_kind",
                       "只有招标人账户有招标人类型 / only a tenderer account has a tenderer kind");
  }
  if (a.enterprise_uscc) {
    auto info = core::validate_uscc(*a.enterprise_uscc);
    if (!info.ok()) {
      Error e = info.error();
      boost::json::object details = e.details;
      details["field"] = "/enterprise_uscc";
      details["reason"] = e.code;
      return make_error("invalid_field", e.message, std::move(details));
    }
  }
  return {};
}

Result<std::string> create_account(audit::WriteTxn& txn, const NewAccount& account,
                                   const PasswordHash& password, const Actor& actor) {
  std::array<std::uint8_t, 8> rnd{};
  if (RAND_bytes(rnd.data(), static_cast<int>(rnd.size())) != 1) {
    return make_error("crypto_failure", "随机数生成失败 / random generation failed");
  }
  return create_account_with_id(txn, "acct-" + hex_encode(std::span<const std::uint8_t>(rnd)),
                                account, password, actor);
}

Status insert_account_row(audit::WriteTxn& txn, const std::string& id, const NewAccount& account,
                          const PasswordHash& password) {
  auto& db = txn.db();
  {
    SUNBID_ASSIGN_OR_RETURN(audit::Statement * st,
                            db.cached("SELECT 1 FROM accounts WHERE username = ?"));
    st->bind(1, account.username);
    SUNBID_ASSIGN_OR_RETURN(bool exists, st->step());
    st->reset();
    if (exists) {
      return make_error("username_taken", "用户名已被使用 / the username is already taken",
                        {{"field", "/username"}});
    }
  }
  std::optional<std::string_view> kind;
  if (account.role == Role::kTenderer) {
    kind = tenderer_kind_name(account.tenderer_kind.value_or(TendererKind::kOwnersCommittee));
    SUNBID_TRY(check_tenderer_kind(db, account.community_id.value_or(""), *kind));
  }
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * ins,
      db.cached("INSERT INTO accounts(id, username, role, display_name, community_id, "
                "enterprise_uscc, owner_key, password_kdf, password_n, password_r, password_p, "
                "password_salt, password_hash, created_ms) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'scrypt', ?, ?, ?, ?, ?, ?)"));
  ins->bind(1, id);
  bind_account_columns(*ins, account, password);
  ins->bind(13, txn.now_ms());
  SUNBID_TRY(ins->run());
  if (!kind) return ok_status();
  // The tenderer's relation to its community (tender_core's migration 33).
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * rel,
      db.cached("INSERT INTO tenderer_kinds(account_id, community_id, kind) VALUES (?, ?, ?)"));
  rel->bind(1, id).bind(2, account.community_id.value_or("")).bind(3, *kind);
  return rel->run();
}

Status add_account_fields(audit::WriteTxn& txn, const std::string& id, const NewAccount& account,
                          boost::json::object& payload) {
  payload["account"] = id;
  payload["account_role"] = std::string(role_name(account.role));
  SUNBID_ASSIGN_OR_RETURN(std::string user_digest,
                          txn.personal_digest("username", account.username, ""));
  payload["username_digest"] = user_digest;
  SUNBID_ASSIGN_OR_RETURN(std::string name_digest,
                          txn.personal_digest("name", account.display_name, ""));
  payload["display_name_digest"] = name_digest;
  // A tenderer's kind (account.created only: an approval request binds an
  // enterprise or an owner key, never a tenderer).
  if (account.role == Role::kTenderer) {
    payload["tenderer_kind"] =
        tenderer_kind_name(account.tenderer_kind.value_or(TendererKind::kOwnersCommittee));
  }
  return add_binding(txn, account, payload);
}

Result<std::string> create_account_with_id(audit::WriteTxn& txn, std::string id,
                                           const NewAccount& account, const PasswordHash& password,
                                           const Actor& actor) {
  SUNBID_TRY(insert_account_row(txn, id, account, password));
  audit::EntryDraft draft = draft_for(actor, "account.created");
  SUNBID_TRY(add_account_fields(txn, id, account, draft.payload));
  SUNBID_TRY(txn.append(draft));
  return id;
}

Result<AccountRecord> check_login(audit::Database& db, std::string_view username,
                                  std::string_view password, const PasswordHash& dummy) {
  SUNBID_ASSIGN_OR_RETURN(std::optional<AccountRecord> account,
                          find_account_by_username(db, username));
  const bool ok = account ? verify_password(password, account->password)
                          : (verify_password(password, dummy), false);
  if (!ok) {
    return make_error("invalid_credentials", "用户名或密码错误 / wrong username or password");
  }
  if (account->disabled) {
    return make_error("account_disabled", "账户已停用 / the account is disabled");
  }
  return std::move(*account);
}

Result<std::optional<AccountRecord>> find_account_by_username(audit::Database& db,
                                                              std::string_view username) {
  return find_account_where(db, "username", username);
}

Result<std::optional<AccountRecord>> find_account_by_id(audit::Database& db, std::string_view id) {
  return find_account_where(db, "id", id);
}

Result<std::int64_t> count_accounts(audit::Database& db) {
  return db.query_int64("SELECT COUNT(*) FROM accounts");
}

Result<SessionToken> new_session_token() {
  SessionToken t{};
  if (RAND_bytes(t.data(), static_cast<int>(t.size())) != 1) {
    return make_error("crypto_failure", "随机数生成失败 / random generation failed");
  }
  return t;
}

std::string format_session_token(const SessionToken& token) {
  return hex_encode(token);
}

std::optional<SessionToken> parse_session_token(std::string_view text) {
  if (text.size() != 64) return std::nullopt;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  auto h = hash_from_hex(text);
  if (!h) return std::nullopt;
  SessionToken t{};
  std::copy(h->begin(), h->end(), t.begin());
  return t;
}

Status open_session(audit::WriteTxn& txn, const SessionToken& token, const AccountRecord& account,
                    std::int64_t expires_ms, const Actor& actor) {
  Hash th = sha256(std::string_view(reinterpret_cast<const char*>(token.data()), token.size()));
  SUNBID_ASSIGN_OR_RETURN(audit::Statement * ins,
                          txn.db().cached("INSERT INTO sessions(token_hash, account_id, "
                                          "created_ms, expires_ms) VALUES (?, ?, ?, ?)"));
  ins->bind_blob(1, th).bind(2, account.id).bind(3, txn.now_ms()).bind(4, expires_ms);
  SUNBID_TRY(ins->run());
  // Expired sessions are removed as new ones open, so the table stays small.
  SUNBID_ASSIGN_OR_RETURN(audit::Statement * del,
                          txn.db().cached("DELETE FROM sessions WHERE expires_ms <= ?"));
  del->bind(1, txn.now_ms());
  SUNBID_TRY(del->run());
  // Off the public log: the access record (access_record.h).
  SUNBID_TRY(append_access_record(
      txn, {"session.created", account.id, actor.role, actor.client_address, expires_ms}));
  return {};
}

Status close_session(audit::WriteTxn& txn, const SessionToken& token, const Actor& actor) {
  Hash th = sha256(std::string_view(reinterpret_cast<const char*>(token.data()), token.size()));
  SUNBID_ASSIGN_OR_RETURN(audit::Statement * del,
                          txn.db().cached("DELETE FROM sessions WHERE token_hash = ?"));
  del->bind_blob(1, th);
  SUNBID_TRY(del->run());
  if (txn.db().changes() != 1) {
    return make_error("session_invalid", "会话无效或已过期 / the session is invalid or expired");
  }
  SUNBID_TRY(append_access_record(
      txn, {"session.closed", actor.account_id, actor.role, actor.client_address, std::nullopt}));
  return {};
}

Result<std::optional<SessionInfo>> find_session(audit::Database& db, const SessionToken& token,
                                                std::int64_t now_ms) {
  Hash th = sha256(std::string_view(reinterpret_cast<const char*>(token.data()), token.size()));
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * st,
      db.cached("SELECT token_hash, account_id, expires_ms FROM sessions WHERE token_hash = ?"));
  st->bind_blob(1, th);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  if (!row) {
    st->reset();
    return std::optional<SessionInfo>{};
  }
  auto stored = st->column_blob(0);
  bool same = stored.size() == th.size() && CRYPTO_memcmp(stored.data(), th.data(), th.size()) == 0;
  std::string account_id(st->column_text(1));
  std::int64_t expires = st->column_int64(2);
  st->reset();
  if (!same || expires <= now_ms) return std::optional<SessionInfo>{};
  SUNBID_ASSIGN_OR_RETURN(auto account, find_account_by_id(db, account_id));
  if (!account || account->disabled) return std::optional<SessionInfo>{};
  return std::optional<SessionInfo>(SessionInfo{std::move(*account), expires});
}

}  // namespace sunbid::accounts

namespace sunbid::accounts {

namespace {

Status refuse_taken_username(audit::Database& db, std::string_view username) {
  SUNBID_ASSIGN_OR_RETURN(audit::Statement * st,
                          db.cached("SELECT 1 FROM accounts WHERE username = ?"));
  st->bind(1, username);
  SUNBID_ASSIGN_OR_RETURN(bool exists, st->step());
  st->reset();
  if (exists) {
    return make_error("username_taken", "用户名已被使用 / the username is already taken",
                      {{"field", "/username"}});
  }
  return {};
}

Result<std::string> random_id(std::string_view prefix) {
  std::array<std::uint8_t, 8> rnd{};
  if (RAND_bytes(rnd.data(), static_cast<int>(rnd.size())) != 1) {
    return make_error("crypto_failure", "随机数生成失败 / random generation failed");
  }
  return std::string(prefix) + hex_encode(std::span<const std::uint8_t>(rnd));
}

}  // namespace

Result<std::optional<std::string>> binding_holder(audit::Database& db, const NewAccount& account) {
  auto first = [&](const char* sql, auto bind) -> Result<std::optional<std::string>> {
    SUNBID_ASSIGN_OR_RETURN(audit::Statement * st, db.cached(sql));
    bind(*st);
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    std::optional<std::string> id;
    if (row) id = std::string(st->column_text(0));
    st->reset();
    return id;
  };
  if (account.enterprise_uscc) {
    SUNBID_ASSIGN_OR_RETURN(
        auto id, first("SELECT id FROM accounts WHERE enterprise_uscc = ? AND disabled_ms IS NULL "
                       "ORDER BY id LIMIT 1",
                       [&](audit::Statement& st) { st.bind(1, *account.enterprise_uscc); }));
    if (id) return id;
  }
  if (account.owner_key && account.community_id) {
    SUNBID_ASSIGN_OR_RETURN(
        auto id, first("SELECT id FROM accounts WHERE community_id = ? AND owner_key = ? AND "
                       "disabled_ms IS NULL ORDER BY id LIMIT 1",
                       [&](audit::Statement& st) {
                         st.bind(1, *account.community_id).bind(2, *account.owner_key);
                       }));
    if (id) return id;
  }
  return std::optional<std::string>{};
}

Result<std::string> create_unshared_account(audit::WriteTxn& txn, const NewAccount& account,
                                            const PasswordHash& password, const Actor& actor) {
  SUNBID_ASSIGN_OR_RETURN(auto holder, binding_holder(txn.db(), account));
  if (holder) {
    return make_error("account_binding_held",
                      "该企业或业主已绑定账户，另建账户须经监督员批准 / another account holds "
                      "this enterprise or owner binding; a second one needs a supervisor's "
                      "approval (POST /account-approvals)",
                      {{"field", account.enterprise_uscc ? "/enterprise_uscc" : "/owner_key"}});
  }
  return create_account(txn, account, password, actor);
}

Result<std::string> request_account_approval(audit::WriteTxn& txn, const NewAccount& account,
                                             const PasswordHash& password, const Actor& actor) {
  auto& db = txn.db();
  SUNBID_TRY(refuse_taken_username(db, account.username));
  SUNBID_ASSIGN_OR_RETURN(std::string id, random_id("appr-"));
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * ins,
      db.cached("INSERT INTO account_approvals(id, username, role, display_name, community_id, "
                "enterprise_uscc, owner_key, password_n, password_r, password_p, password_salt, "
                "password_hash, requested_by, requested_ms, state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')"));
  ins->bind(1, id);
  bind_account_columns(*ins, account, password);
  ins->bind(13, actor.account_id).bind(14, txn.now_ms());
  SUNBID_TRY(ins->run());
  audit::EntryDraft draft = draft_for(actor, "account.approval_requested");
  draft.payload["approval"] = id;
  draft.payload["account_role"] = std::string(role_name(account.role));
  SUNBID_TRY(add_binding(txn, account, draft.payload));
  SUNBID_TRY(txn.append(draft));
  return id;
}

Result<PendingApprovalPage> pending_approvals(audit::Database& db, std::string_view cursor,
                                              std::size_t limit) {
  std::optional<std::int64_t> after_ms;
  if (!cursor.empty()) {
    SUNBID_ASSIGN_OR_RETURN(
        audit::Statement * st,
        db.cached("SELECT requested_ms FROM account_approvals WHERE id = ? AND state = 'pending'"));
    st->bind(1, cursor);
    SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
    if (row) after_ms = st->column_int64(0);
    st->reset();
    if (!after_ms) {
      return make_error("invalid_query", "游标无效 / the cursor is not valid",
                        {{"field", "cursor"}});
    }
  }
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * st,
      db.cached("SELECT id, username, role, display_name, community_id, enterprise_uscc, "
                "owner_key, requested_by, requested_ms FROM account_approvals "
                "WHERE state = 'pending' AND (?1 IS NULL OR (requested_ms, id) > (?1, ?2)) "
                "ORDER BY requested_ms, id LIMIT ?3"));
  if (after_ms) {
    st->bind(1, *after_ms).bind(2, cursor);
  } else {
    st->bind_null(1).bind_null(2);
  }
  st->bind(3, static_cast<std::int64_t>(limit) + 1);
  PendingApprovalPage page;
  for (;;) {
    auto row = st->step();
    if (!row.ok()) {
      st->reset();
      return std::move(row).error();
    }
    if (!*row) break;
    PendingApproval a;
    a.id = std::string(st->column_text(0));
    a.username = std::string(st->column_text(1));
    a.role = parse_role(st->column_text(2)).value_or(Role::kOwner);
    a.display_name = std::string(st->column_text(3));
    a.community_id = optional_text(*st, 4);
    a.enterprise_uscc = optional_text(*st, 5);
    a.owner_key = optional_text(*st, 6);
    a.requested_by = std::string(st->column_text(7));
    a.requested_ms = st->column_int64(8);
    page.items.push_back(std::move(a));
  }
  st->reset();
  if (page.items.size() > limit) {
    page.items.resize(limit);
    page.next_cursor = page.items.back().id;
  }
  for (auto& a : page.items) {
    NewAccount want;
    want.role = a.role;
    want.community_id = a.community_id;
    want.enterprise_uscc = a.enterprise_uscc;
    want.owner_key = a.owner_key;
    SUNBID_ASSIGN_OR_RETURN(a.binding_held_by, binding_holder(db, want));
  }
  return page;
}

Result<ApprovedAccount> approve_account(audit::WriteTxn& txn, std::string_view approval_id,
                                        const Actor& actor) {
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * st,
      db.cached("SELECT username, role, display_name, community_id, enterprise_uscc, owner_key, "
                "password_n, password_r, password_p, password_salt, password_hash, state "
                "FROM account_approvals WHERE id = ?"));
  st->bind(1, approval_id);
  SUNBID_ASSIGN_OR_RETURN(bool row, st->step());
  if (!row) {
    st->reset();
    return make_error("approval_not_found", "审批申请不存在 / no such approval request",
                      {{"approval", std::string(approval_id)}});
  }
  NewAccount a;
  a.username = std::string(st->column_text(0));
  auto role = parse_role(st->column_text(1));
  a.display_name = std::string(st->column_text(2));
  a.community_id = optional_text(*st, 3);
  a.enterprise_uscc = optional_text(*st, 4);
  a.owner_key = optional_text(*st, 5);
  PasswordHash hash;
  hash.params.n = static_cast<std::uint64_t>(st->column_int64(6));
  hash.params.r = static_cast<std::uint32_t>(st->column_int64(7));
  hash.params.p = static_cast<std::uint32_t>(st->column_int64(8));
  auto salt = st->column_blob(9);
  hash.salt.assign(salt.begin(), salt.end());
  auto h = st->column_blob(10);
  hash.hash.assign(h.begin(), h.end());
  const bool pending = st->column_text(11) == "pending";
  st->reset();
  if (!role) {
    return make_error(audit::kStorageError, "审批角色无效 / stored approval role is invalid");
  }
  a.role = *role;
  if (!pending) {
    return make_error("approval_not_pending", "该申请已批准 / the request was approved already",
                      {{"approval", std::string(approval_id)}});
  }
  SUNBID_ASSIGN_OR_RETURN(std::string account_id, create_account(txn, a, hash, actor));
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * up,
      db.cached("UPDATE account_approvals SET state = 'approved', approved_by = ?, "
                "approved_ms = ?, account_id = ? WHERE id = ?"));
  up->bind(1, actor.account_id).bind(2, txn.now_ms()).bind(3, account_id).bind(4, approval_id);
  SUNBID_TRY(up->run());
  audit::EntryDraft draft = draft_for(actor, "account.approval_granted");
  draft.payload["approval"] = std::string(approval_id);
  draft.payload["account"] = account_id;
  SUNBID_TRY(txn.append(draft));
  return ApprovedAccount{account_id, a.username, a.role};
}

Result<bool> disable_account(audit::WriteTxn& txn, std::string_view account_id,
                             std::string_view reason, const Actor& actor) {
  if (reason.empty() || reason.size() > 500) {
    return field_error("invalid_field", "/reason",
                       "停用理由须为 1 至 500 字节 / the reason must be 1 to 500 bytes");
  }
  auto& db = txn.db();
  SUNBID_ASSIGN_OR_RETURN(auto account, find_account_by_id(db, account_id));
  if (!account) {
    return make_error("account_not_found", "账户不存在 / no such account",
                      {{"account", std::string(account_id)}});
  }
  if (account->disabled) return false;
  SUNBID_ASSIGN_OR_RETURN(audit::Statement * up,
                          db.cached("UPDATE accounts SET disabled_ms = ? WHERE id = ?"));
  up->bind(1, txn.now_ms()).bind(2, account_id);
  SUNBID_TRY(up->run());
  SUNBID_ASSIGN_OR_RETURN(audit::Statement * del,
                          db.cached("DELETE FROM sessions WHERE account_id = ?"));
  del->bind(1, account_id);
  SUNBID_TRY(del->run());
  const auto revoked = static_cast<std::int64_t>(db.changes());
  audit::EntryDraft draft = draft_for(actor, "account.disabled");
  draft.payload["account"] = std::string(account_id);
  draft.payload["reason"] = std::string(reason);
  draft.payload["sessions_revoked"] = revoked;
  SUNBID_TRY(txn.append(draft));
  return true;
}

Result<std::int64_t> close_other_sessions(audit::WriteTxn& txn, const SessionToken& keep,
                                          const Actor& actor) {
  Hash th = sha256(std::string_view(reinterpret_cast<const char*>(keep.data()), keep.size()));
  SUNBID_ASSIGN_OR_RETURN(
      audit::Statement * del,
      txn.db().cached("DELETE FROM sessions WHERE account_id = ? AND token_hash <> ?"));
  del->bind(1, actor.account_id).bind_blob(2, th);
  SUNBID_TRY(del->run());
  const auto closed = static_cast<std::int64_t>(txn.db().changes());
  audit::EntryDraft draft = draft_for(actor, "session.others_closed");
  draft.payload["account"] = actor.account_id;
  draft.payload["sessions_closed"] = closed;
  SUNBID_TRY(txn.append(draft));
  return closed;
}

}  // namespace sunbid::accounts
