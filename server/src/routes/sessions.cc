// Sessions and accounts: login and logout, new accounts and the
// supervisor's approvals, disabling an account (accounts.h).
#include <boost/json/object.hpp>

#include "audit_log/time_format.h"
#include "http/answer.h"
#include "http/query.h"
#include "http/route.h"
#include "routes/handlers.h"
#include "server/limits.h"
#include "wire/requests.h"

namespace sunbid::server::routes {

namespace {

Error wrong_credentials() {
  return make_error("invalid_credentials", "用户名或密码错误 / wrong username or password");
}

// On the login pool: the password check, then the session's ledger command.
// `done` runs once, with the answer.
void login(Services& s, const ReqSession& req, Actor actor, std::int64_t now,
           const std::function<void(Result<Response>)>& done) {
  auto lease = s.ledger().reader();
  if (!lease.ok()) return done(std::move(lease).error());
  auto account = find_account_by_username(lease->db(), req.username);
  if (!account.ok()) return done(std::move(account).error());
  // An unknown username costs the same scrypt as a wrong password, so the
  // answer time does not tell which usernames exist.
  const bool ok = *account ? verify_password(req.password, (*account)->password)
                           : (verify_password(req.password, s.dummy_password()), false);
  if (!ok) {
    s.metrics.login_failures.fetch_add(1);
    return done(wrong_credentials());
  }
  s.throttle.succeeded(req.username, actor.client_address.value_or(""));
  if ((*account)->disabled) {
    return done(make_error("account_disabled", "账户已停用 / the account is disabled"));
  }
  auto token = new_session_token();
  if (!token.ok()) return done(std::move(token).error());
  const std::int64_t expires =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(limits::kSessionLifetime).count();
  actor.account_id = (*account)->id;
  actor.role = std::string(role_name((*account)->role));
  AccountRecord rec = std::move(**account);
  SessionToken tok = *token;
  s.ledger().submit(
      [tok, rec, expires, actor](audit::WriteTxn& txn) {
        return open_session(txn, tok, rec, expires, actor);
      },
      [&s, tok, rec, expires, done](Status st) {
        if (!st.ok()) return done(std::move(st).error());
        s.metrics.logins.fetch_add(1);
        done(created(boost::json::object{{"token", format_session_token(tok)},
                                         {"role", std::string(role_name(rec.role))},
                                         {"account_id", rec.id},
                                         {"expires_at", format_rfc3339_ms(expires)}}));
      });
}

}  // namespace

// POST /sessions: admitted here (name length, queue bound, throttle), the
// scrypt check on the login pool.
Result<Pending> post_sessions(Ctx& c, const ReqSession& req) {
  Services& s = c.s;
  // No account has a longer name: refused before any throttle state or
  // scrypt is spent on it.
  if (req.username.size() > limits::kMaxUsernameBytes) {
    s.metrics.login_failures.fetch_add(1);
    return wrong_credentials();
  }
  if (s.pending_logins.fetch_add(1) >= s.options.limits.max_pending_logins) {
    s.pending_logins.fetch_sub(1);
    return make_error("login_busy", "登录繁忙，请稍后再试 / too many logins in progress",
                      {{"retry_after_s", 1}});
  }
  const std::int64_t now = c.now_ms();
  if (auto wait = s.throttle.begin(req.username, c.call.client_address, now)) {
    s.pending_logins.fetch_sub(1);
    s.metrics.login_throttled.fetch_add(1);
    return make_error("too_many_attempts",
                      "登录失败次数过多，请稍后再试 / too many failed logins; try later",
                      {{"retry_after_s", *wait}});
  }
  return Pending{[&s, req, actor = c.call.actor(), now](auto done) {
    struct Admitted {
      std::atomic<int>& n;
      ~Admitted() { n.fetch_sub(1); }
    } admitted{s.pending_logins};
    login(s, req, actor, now, done);
  }};
}

// DELETE /sessions/current. The session is dropped from the cache now and
// again once its row is gone, so that a request racing the commit cannot
// leave it cached.
Result<Pending> delete_session(Ctx& c) {
  const SessionToken tok = *c.call.token;  // present: the policy requires a session
  const Hash key = session_token_hash(tok);
  SessionCache& sessions = c.s.sessions;
  sessions.erase(key);
  return ledger_command<bool>(
      c.ledger(),
      [tok, actor = c.call.actor()](audit::WriteTxn& txn) -> Result<bool> {
        SUNBID_TRY(close_session(txn, tok, actor));
        return true;
      },
      [&sessions, key](bool) -> Result<Response> {
        sessions.erase(key);
        return no_content();
      });
}

// DELETE /sessions/others: the caller ends every other session of its
// account (a token left on another device, a leaked one).
Result<Pending> delete_other_sessions(Ctx& c) {
  const SessionToken tok = *c.call.token;
  const Hash keep = session_token_hash(tok);
  const std::string account_id = c.call.session->account.id;
  SessionCache& sessions = c.s.sessions;
  sessions.erase_account(account_id, &keep);
  return ledger_command<std::int64_t>(
      c.ledger(),
      [tok, actor = c.call.actor()](audit::WriteTxn& txn) {
        return close_other_sessions(txn, tok, actor);
      },
      [&sessions, keep, account_id](std::int64_t closed) -> Result<Response> {
        sessions.erase_account(account_id, &keep);
        return ok_json(boost::json::object{{"sessions_closed", closed}});
      });
}

namespace {

// The community, owner key and USCC an account names must exist in
// tender_core's registers (communities and rosters are never deleted, so
// reading before the command is enough).
Status check_account_relations(audit::Ledger& ledger, const NewAccount& account) {
  SUNBID_ASSIGN_OR_RETURN(auto lease, ledger.reader());
  audit::Database& db = lease.db();
  auto refuse = [](std::string field, std::string zh, std::string en) {
    return make_error("account_relation_invalid", zh + " / " + en, {{"field", field}});
  };
  if (account.community_id) {
    auto c = core::Registry::community(db, *account.community_id);
    if (!c.ok()) {
      if (c.error().code != "community_not_found") return std::move(c).error();
      return refuse("/community_id", "小区不存在", "no such community");
    }
    if (account.owner_key) {
      SUNBID_ASSIGN_OR_RETURN(bool on_roster, core::Registry::owner_on_roster(
                                                  db, *account.community_id, *account.owner_key));
      if (!on_roster) {
        return refuse("/owner_key", "该小区名册中没有此业主",
                      "the community's roster has no such owner_key");
      }
    }
  }
  if (account.enterprise_uscc) {
    SUNBID_ASSIGN_OR_RETURN(bool registered,
                            core::Registry::enterprise_registered(db, *account.enterprise_uscc));
    if (!registered)
      return refuse("/enterprise_uscc", "企业未登记", "no such registered enterprise");
  }
  return {};
}

// POST /accounts and POST /account-approvals take the same body; an account
// whose enterprise or owner binding another account holds is refused by the
// first (409 account_binding_held) and waits for a supervisor by the second
// (security A7). The password is hashed when the command starts (worker).
Result<Pending> new_account(Ctx& c, const ReqNewAccount& req, bool approval) {
  SUNBID_TRY(check_account_relations(c.ledger(), req.account));
  audit::Ledger& ledger = c.ledger();
  return pending<std::string>(
      [&ledger, account = req.account, password = req.password, approval,
       scrypt = c.s.options.scrypt, actor = c.call.actor()](auto done) {
        auto hash = hash_password(password, scrypt);
        if (!hash.ok()) return done(std::move(hash).error());
        auto id = std::make_shared<std::string>();
        ledger.submit(
            [account, approval, hash = std::move(hash).value(), actor,
             id](audit::WriteTxn& txn) -> Status {
              SUNBID_ASSIGN_OR_RETURN(
                  *id, approval ? request_account_approval(txn, account, hash, actor)
                                : create_unshared_account(txn, account, hash, actor));
              return {};
            },
            [id, done](Status st) {
              if (!st.ok()) return done(std::move(st).error());
              done(*id);
            });
      },
      [account = req.account, approval](std::string id) -> Result<Response> {
        boost::json::object o{{"id", id},
                              {"username", account.username},
                              {"role", std::string(role_name(account.role))}};
        if (!approval) return created(o);
        o["state"] = "pending";
        return json_response(202, o);
      });
}

}  // namespace

Result<Pending> post_accounts(Ctx& c, const ReqNewAccount& req) {
  return new_account(c, req, false);
}
Result<Pending> post_account_approval(Ctx& c, const ReqNewAccount& req) {
  return new_account(c, req, true);
}

Result<Pending> post_approve_account(Ctx& c, const ReqEmpty&) {
  return ledger_command<ApprovedAccount>(
      c.ledger(),
      [approval_id = c.id(), actor = c.call.actor()](audit::WriteTxn& txn) {
        return approve_account(txn, approval_id, actor);
      },
      [approval_id = c.id()](ApprovedAccount a) -> Result<Response> {
        return created(boost::json::object{{"id", a.account_id},
                                           {"username", a.username},
                                           {"role", std::string(role_name(a.role))},
                                           {"approval", approval_id}});
      });
}

// GET /account-approvals?limit=&cursor=: the requests waiting for a
// supervisor, oldest first, each with the account that holds its binding
// now; never password material.
Result<Response> get_account_approvals(Ctx& c) {
  SUNBID_ASSIGN_OR_RETURN(const std::uint64_t n, list_limit(c.query()));
  SUNBID_ASSIGN_OR_RETURN(auto lease, c.ledger().reader());
  SUNBID_ASSIGN_OR_RETURN(auto page, pending_approvals(lease.db(), query_text(c.query(), "cursor"),
                                                       static_cast<std::size_t>(n)));
  boost::json::array items;
  for (const auto& a : page.items) {
    items.push_back({{"id", a.id},
                     {"state", "pending"},
                     {"username", a.username},
                     {"role", std::string(role_name(a.role))},
                     {"display_name", a.display_name},
                     {"community_id", or_null(a.community_id)},
                     {"enterprise_uscc", or_null(a.enterprise_uscc)},
                     {"owner_key", or_null(a.owner_key)},
                     {"requested_by", a.requested_by},
                     {"requested_at", format_rfc3339_ms(a.requested_ms)},
                     {"binding_held_by", or_null(a.binding_held_by)}});
  }
  return page_answer(std::move(items), page.next_cursor);
}

// POST /accounts/{id}/disable {reason}: the account can no longer log in,
// and its sessions end at once (the cache drops them before and after the
// commit).
Result<Pending> post_disable_account(Ctx& c, const ReqDisableAccount& req) {
  const std::string account_id = c.id();
  SessionCache& sessions = c.s.sessions;
  sessions.erase_account(account_id);
  return ledger_command<bool>(
      c.ledger(),
      [account_id, reason = req.reason, actor = c.call.actor()](audit::WriteTxn& txn) {
        return disable_account(txn, account_id, reason, actor);
      },
      [account_id, &sessions](bool changed) -> Result<Response> {
        sessions.erase_account(account_id);
        return ok_json(boost::json::object{
            {"id", account_id}, {"disabled", true}, {"already_disabled", !changed}});
      });
}

}  // namespace sunbid::server::routes
