// sunbid: the command line. Every subcommand takes --data-dir DIR
// (default ./sunbid-data); the database is DIR/sunbid.db.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>

#include "accounts/accounts.h"
#include "audit_log/ledger.h"
#include "audit_log/log_store.h"
#include "audit_log/trail.h"
#include "publication/ocds.h"
#include "server/api.h"
#include "server/config.h"
#include "server/demo.h"
#include "server/https_server.h"
#include "server/migrations.h"
#include "server/tls.h"

using namespace sunbid;
using namespace sunbid::audit;

namespace {

int fail(const Error& e) {
  std::fprintf(stderr, "sunbid: %s\n", e.to_string().c_str());
  return 1;
}

Result<std::unique_ptr<Ledger>> open_ledger(const std::string& data_dir,
                                            const Clock* clock = nullptr,
                                            std::optional<std::string> log_origin = {}) {
  LedgerOptions o;
  o.data_dir = data_dir;
  o.migrations = server::all_migrations();
  o.clock = clock;
  if (log_origin) o.log_origin = *log_origin;
  return Ledger::open(std::move(o));
}

// The publisher's settings from the serve configuration (an empty path:
// the defaults).
Result<publication::OcdsSettings> ocds_settings(const server::ServeConfig& config) {
  publication::OcdsSettings o;
  if (config.ocds_prefix) o.ocid_prefix = *config.ocds_prefix;
  o.public_base_url = config.public_base_url;
  return o;
}

// `sunbid ocds export`: every stored OCDS release as one release package,
// after making the releases of entries no tick has reached yet.
int ocds_export(const std::string& data_dir, const std::string& out_file,
                const std::string& config_file) {
  server::ServeConfig config;
  if (!config_file.empty()) {
    auto c = server::load_serve_config(config_file);
    if (!c.ok()) return fail(c.error());
    config = std::move(c).value();
  }
  auto settings = ocds_settings(config);
  if (!settings.ok()) return fail(settings.error());
  auto ledger = open_ledger(data_dir, nullptr, config.log_origin);
  if (!ledger.ok()) return fail(ledger.error());
  publication::OcdsPublisher publisher(*settings);
  auto made = publisher.catch_up(**ledger);
  if (!made.ok()) return fail(made.error());
  (*ledger)->stop();
  auto reader = (*ledger)->open_reader();
  if (!reader.ok()) return fail(reader.error());
  std::ofstream out(out_file, std::ios::binary | std::ios::trunc);
  if (!out) {
    return fail(make_error("export_failed", "无法写入输出文件 / cannot write the output file",
                           {{"file", out_file}}));
  }
  auto st = publisher.export_all(*reader, out);
  if (!st.ok()) return fail(st.error());
  out.close();
  std::printf("exported the OCDS releases to %s\n", out_file.c_str());
  return 0;
}

// The demo's accounts (passwords printed once, at seeding) and a few curl
// lines to try.
void print_demo(const server::DemoSeed& demo, const std::string& listen,
                const std::string& data_dir) {
  if (demo.already_seeded) {
    std::printf("demo: already seeded (passwords were printed when it was seeded)\n");
    return;
  }
  std::printf("\ndemo seeded: community %s (200 units), tender %s published with 3 sealed bids\n",
              demo.community_id.c_str(), demo.tender_id.c_str());
  std::printf(
      "  owners' vote open now: tender %s (candidates publicized) and motion %s\n"
      "  (owners open https://%s/owner on a phone after logging in as owner1..owner4)\n",
      demo.vote_tender_id.c_str(), demo.motion_id.c_str(), listen.c_str());
  std::printf("DEMO ACCOUNTS — shown once, write them down:\n");
  for (const auto& a : demo.accounts) {
    std::printf("  %-12s %-12s %-10s %s\n", a.username.c_str(), a.password.c_str(), a.role.c_str(),
                a.note.c_str());
  }
  std::string base = "https://" + listen + "/api/v1";
  std::printf(
      "\ntry this (-k: the self-signed certificate; pin its fingerprint in real use):\n"
      "  B=%s\n"
      "  curl -k $B/tenders\n"
      "  curl -k $B/tenders/%s\n"
      "  TOKEN=$(curl -ks $B/sessions -H 'Content-Type: application/json' \\\n"
      "      -d '{\"username\":\"ent1\",\"password\":\"<ent1 password>\"}' | "
      "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"token\"])')\n"
      "  curl -k -H \"Authorization: Bearer $TOKEN\" $B/tenders/%s     # ent1 sees its own bid\n"
      "  curl -k $B/audit/checkpoint; curl -k \"$B/audit/proof/inclusion?index=1\"\n"
      "  ADMIN=$(curl -ks $B/sessions -H 'Content-Type: application/json' \\\n"
      "      -d '{\"username\":\"admin\",\"password\":\"<admin password>\"}' | "
      "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"token\"])')\n"
      "  curl -k -H \"Authorization: Bearer $ADMIN\" $B/dev/clock -H 'Content-Type: "
      "application/json' "
      "-d '{\"advance_s\":2246400}'   # with --dev-clock (admin only): past the deadline\n"
      "  # sessions last 12 hours: log in as ent1 again (TOKEN=... as above), then\n"
      "  curl -k -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n"
      "      $B/tenders/%s/bids/mine/reveal -d @%s/demo-bids/ent1.json\n\n",
      base.c_str(), demo.tender_id.c_str(), demo.tender_id.c_str(), demo.tender_id.c_str(),
      data_dir.c_str());
}

struct ServeArgs {
  std::string listen;
  int threads = 0;
  std::string config_file;
  bool demo = false;
  bool dev_clock = false;
  std::optional<std::string> web_root;
};

// The web app's directory: --web-root, else the config's web_root, else
// ./web/dist when it holds a build (the README's commands run from the
// repository's root). "" serves none.
std::string web_root_of(const ServeArgs& args, const server::ServeConfig& config) {
  if (args.web_root) return *args.web_root;
  if (config.web_root) return *config.web_root;
  std::error_code ec;
  return std::filesystem::is_regular_file("web/dist/index.html", ec) ? "web/dist" : "";
}

// `sunbid serve`: runs until SIGTERM/SIGINT, then finishes in-flight
// requests, drains the ledger (final checkpoint) and exits 0.
int serve(const std::string& data_dir, const ServeArgs& args) {
  server::ServeConfig config;
  if (!args.config_file.empty()) {
    auto c = server::load_serve_config(args.config_file);
    if (!c.ok()) return fail(c.error());
    config = std::move(c).value();
  }
  std::string listen =
      !args.listen.empty() ? args.listen : config.listen.value_or("127.0.0.1:8443");
  auto address = server::parse_listen_address(listen);
  if (!address.ok()) return fail(address.error());
  int threads = args.threads > 0 ? args.threads : config.threads.value_or(2);
  // The dev clock moves time for every tender; it is for a developer's own
  // machine, never an address others can reach (security A16).
  if (args.dev_clock && !server::is_loopback_host(address->host)) {
    return fail(make_error(
        "dev_clock_not_loopback",
        "--dev-clock 只能监听本机回环地址 / --dev-clock requires a loopback listen address",
        {{"listen", listen}}));
  }

  server::DevClock dev_clock;
  static SystemClock system_clock;
  // The demo seeds its past through the ledger's own clock (demo.h).
  server::DemoClock demo_clock(args.dev_clock ? static_cast<const Clock&>(dev_clock)
                                              : system_clock);
  const Clock* clock = nullptr;
  if (args.demo) {
    clock = &demo_clock;
  } else if (args.dev_clock) {
    clock = &dev_clock;
  }
  auto ledger = open_ledger(data_dir, clock, config.log_origin);
  if (!ledger.ok()) return fail(ledger.error());

  std::optional<server::DemoSeed> demo;
  if (args.demo) {
    auto seeded = server::seed_demo(**ledger, demo_clock.begin_seeding(), data_dir);
    demo_clock.end_seeding();
    if (!seeded.ok()) return fail(seeded.error());
    demo = std::move(seeded).value();
  }

  server::CertificatePaths cert;
  if (config.cert_file) {
    cert = {*config.cert_file, *config.key_file};
  } else {
    auto generated = server::ensure_self_signed_certificate(data_dir);
    if (!generated.ok()) return fail(generated.error());
    cert = *generated;
  }
  auto fingerprint = server::certificate_fingerprint(cert.cert_file);
  if (!fingerprint.ok()) return fail(fingerprint.error());

  std::unique_ptr<server::HttpsServer> https;
  server::ApiOptions ao;
  ao.ledger = ledger->get();
  ao.clock = clock;
  ao.dev_clock = args.dev_clock ? &dev_clock : nullptr;
  ao.trusted_proxies = config.trusted_proxies;
  ao.limits = config.limits;
  {
    auto settings = ocds_settings(config);
    if (!settings.ok()) return fail(settings.error());
    ao.ocds = std::move(settings).value();
  }
  ao.public_base_url = config.public_base_url;
  // The activation codes' key, beside the log's signing key: created on
  // first start, refused at start when group or others may read it.
  auto activation_key =
      accounts::ActivationKey::load_or_create(accounts::activation_key_file(data_dir));
  if (!activation_key.ok()) return fail(activation_key.error());
  ao.activation_key = std::move(activation_key).value();
  ao.extra_metrics = [&https] {
    std::uint64_t open = https ? https->open_connections() : 0;
    std::uint64_t failed = https ? https->failed_handshakes() : 0;
    return "# HELP sunbid_open_connections Open TLS connections.\n"
           "# TYPE sunbid_open_connections gauge\n"
           "sunbid_open_connections " +
           std::to_string(open) +
           "\n# HELP sunbid_tls_handshake_failures_total TLS handshakes that failed.\n"
           "# TYPE sunbid_tls_handshake_failures_total counter\n"
           "sunbid_tls_handshake_failures_total " +
           std::to_string(failed) + "\n";
  };
  const std::string web_root = web_root_of(args, config);
  if (!web_root.empty()) {
    auto site = server::StaticSite::load(web_root);
    if (!site.ok()) return fail(site.error());
    ao.web = std::move(site).value();
  }
  server::Api api(std::move(ao));
  server::ServerOptions so;
  so.address = address->host;
  so.port = address->port;
  so.threads = threads;
  so.certificate = cert;
  so.limits = config.limits;
  so.trusted_proxies = config.trusted_proxies;
  https = std::make_unique<server::HttpsServer>(so, api);
  if (auto st = https->start(); !st.ok()) return fail(st.error());

  std::printf("sunbid %s listening on https://%s:%u/api/v1 (%d threads)\n", SUNBID_VERSION,
              address->host.c_str(), static_cast<unsigned>(https->port()), threads);
  if (!web_root.empty()) {
    std::printf("web app (%s): open https://%s:%u/\n", web_root.c_str(), address->host.c_str(),
                static_cast<unsigned>(https->port()));
  } else {
    std::printf("web app: none (build it: cd web && npm ci && npm run build; or --web-root DIR)\n");
  }
  std::printf("certificate %s\n  SHA-256 fingerprint %s\n", cert.cert_file.c_str(),
              fingerprint->c_str());
  std::printf("audit log: %llu entries; verifier key %s\n",
              static_cast<unsigned long long>((*ledger)->committed_log().size),
              (*ledger)->verifier_key().c_str());
  std::printf("dev clock: %s\n",
              args.dev_clock ? "ON — POST /api/v1/dev/clock moves time" : "off (system time)");
  if (demo) print_demo(*demo, listen, data_dir);
  std::fflush(stdout);

  https->run_until_signal();
  https.reset();
  (*ledger)->stop();  // drains the queue and writes the final checkpoint
  if (auto f = (*ledger)->failure()) return fail(*f);
  std::printf("stopped; audit log %llu entries, final checkpoint written\n",
              static_cast<unsigned long long>((*ledger)->committed_log().size));
  return 0;
}

struct AccountArgs {
  std::string role = "admin";
  std::string username;
  std::string display_name;
  std::string community_id;
  std::string enterprise_uscc;
  std::string owner_key;
};

// `sunbid account add`: the password comes on standard input (one line), so
// it never appears in the process list or the shell history.
int account_add(const std::string& data_dir, const AccountArgs& args) {
  accounts::NewAccount a;
  a.username = args.username;
  auto role = accounts::parse_role(args.role);
  if (!role)
    return fail(make_error("invalid_field", "角色无效 / unknown role", {{"field", "role"}}));
  a.role = *role;
  a.display_name = args.display_name.empty() ? args.username : args.display_name;
  if (!args.community_id.empty()) a.community_id = args.community_id;
  if (!args.enterprise_uscc.empty()) a.enterprise_uscc = args.enterprise_uscc;
  if (!args.owner_key.empty()) a.owner_key = args.owner_key;
  if (auto st = accounts::validate_new_account(a); !st.ok()) return fail(st.error());
  std::string password;
  std::getline(std::cin, password);
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) {
    password.pop_back();
  }
  if (auto st = accounts::validate_password(password); !st.ok()) return fail(st.error());
  auto hash = accounts::hash_password(password, accounts::ScryptParams{});
  if (!hash.ok()) return fail(hash.error());
  auto ledger = open_ledger(data_dir);
  if (!ledger.ok()) return fail(ledger.error());
  std::string id;
  Status st = (*ledger)->execute([&](WriteTxn& txn) -> Status {
    accounts::Actor actor;  // the system, on the operator's console
    SUNBID_ASSIGN_OR_RETURN(id, accounts::create_unshared_account(txn, a, *hash, actor));
    return {};
  });
  (*ledger)->stop();
  if (!st.ok()) return fail(st.error());
  std::printf("created account %s (%s, role %s)\n", id.c_str(), a.username.c_str(),
              args.role.c_str());
  return 0;
}

// Appends `count` synthetic entries, each through its own ledger command (the
// real append path), with a bounded number in flight so group commit works.
// With `withheld_every` K > 0, every K-th entry is withheld (until an event
// that never comes), as a sealed bid is: for testing the public export.
int audit_fill(const std::string& data_dir, std::uint64_t count, std::uint64_t withheld_every) {
  auto ledger = open_ledger(data_dir);
  if (!ledger.ok()) return fail(ledger.error());
  Ledger& l = **ledger;
  const std::uint64_t start_size = l.committed_log().size;
  constexpr std::uint64_t kInFlight = 8192;
  std::mutex mu;
  std::condition_variable cv;
  std::uint64_t in_flight = 0;
  std::optional<Error> error;
  auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < count; ++i) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < kInFlight || error; });
      if (error) break;
      ++in_flight;
    }
    EntryDraft draft;
    draft.type = "synthetic.fill";
    draft.payload = {{"n", static_cast<std::int64_t>(start_size + i)},
                     {"note", "合成条目 / synthetic entry for load and verification tests"}};
    if (withheld_every > 0 && (i + 1) % withheld_every == 0) draft.release_at_ms = kReleaseAtEvent;
    l.submit(
        [draft = std::move(draft)](WriteTxn& txn) -> Status {
          SUNBID_TRY(txn.append(draft));
          return {};
        },
        [&](Status st) {
          std::lock_guard lock(mu);
          --in_flight;
          if (!st.ok() && !error) error = st.error();
          cv.notify_all();
        });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_flight == 0; });
  }
  if (error) return fail(*error);
  l.stop();  // writes the final checkpoint covering every entry
  if (auto f = l.failure()) return fail(*f);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  auto info = l.committed_log();
  std::printf("appended %llu entries in %.2f s (%.0f entries/s); log size %llu, root %s\n",
              static_cast<unsigned long long>(count), s, static_cast<double>(count) / s,
              static_cast<unsigned long long>(info.size), hex_encode(info.root).c_str());
  return 0;
}

// The public view by default: entries withheld now are written as their
// stubs, as GET /audit/entries shows them. `--private` writes them in full
// (bids before their deadline, ballots in an open window) into files of
// mode 0600, with a warning.
int audit_export(const std::string& data_dir, const std::string& out, bool include_withheld) {
  // Opening the ledger brings the schema up to date and, on stop, signs a
  // checkpoint covering every entry; the export then reads a snapshot.
  auto ledger = open_ledger(data_dir);
  if (!ledger.ok()) return fail(ledger.error());
  std::string key = (*ledger)->verifier_key();
  (*ledger)->stop();
  auto reader = (*ledger)->open_reader();
  if (!reader.ok()) return fail(reader.error());
  ExportOptions eo;
  eo.now_ms = SystemClock().now_ms();
  eo.include_withheld = include_withheld;
  auto summary = export_log(*reader, key, out, eo);
  if (!summary.ok()) return fail(summary.error());
  std::printf(
      "exported %llu entries to %s (entries.jsonl, checkpoint, key); %s\n",
      static_cast<unsigned long long>(summary->entries), out.c_str(),
      include_withheld
          ? fmt::format("PRIVATE view: {} withheld entries in full", summary->withheld).c_str()
          : fmt::format("public view: {} withheld entries as stubs", summary->withheld).c_str());
  if (include_withheld) {
    std::fprintf(stderr,
                 "sunbid: 警告：私有导出包含尚未公开的条目（截止前的投标、投票窗口内的选票），"
                 "文件权限 0600，切勿外传 / WARNING: the private export holds withheld entries "
                 "(bids before their deadline, ballots in an open window); its files are mode "
                 "0600: do not hand it out\n");
  }
  if (summary->not_covered > 0) {
    std::printf("note: %llu newer entries are not yet covered by a checkpoint and were left out\n",
                static_cast<unsigned long long>(summary->not_covered));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "sunbid — 物业服务电子招投标与评定分离系统 / electronic tendering and "
      "evaluation for residential property services"};
  app.set_version_flag("--version", std::string("sunbid ") + SUNBID_VERSION);
  app.require_subcommand(0, 1);

  std::string data_dir = "./sunbid-data";
  auto* audit = app.add_subcommand("audit", "审计日志 / the audit log");
  audit->require_subcommand(1);

  auto* fill =
      audit->add_subcommand("fill", "追加合成条目 / append N synthetic entries through the ledger");
  std::uint64_t entries = 0;
  fill->add_option("--data-dir", data_dir, "data directory")->capture_default_str();
  fill->add_option("--entries", entries, "number of entries")
      ->required()
      ->check(CLI::PositiveNumber);
  std::uint64_t withheld_every = 0;
  fill->add_option("--withheld-every", withheld_every,
                   "withhold every K-th entry (tests of the public export)");

  auto* exp = audit->add_subcommand(
      "export", "导出日志 / export entries.jsonl, checkpoint and key for offline verification");
  std::string out;
  exp->add_option("--data-dir", data_dir, "data directory")->capture_default_str();
  exp->add_option("--out", out, "output directory")->required();
  bool export_private = false;
  exp->add_flag("--private", export_private,
                "include withheld entries in full (files 0600; never hand this out)");

  auto* serve_cmd = app.add_subcommand("serve", "运行 HTTPS 服务 / run the HTTPS server");
  ServeArgs serve_args;
  serve_cmd->add_option("--data-dir", data_dir, "data directory")->capture_default_str();
  serve_cmd->add_option("--listen", serve_args.listen, "HOST:PORT (default 127.0.0.1:8443)");
  serve_cmd->add_option("--threads", serve_args.threads, "network threads (default 2)")
      ->check(CLI::Range(1, 256));
  serve_cmd->add_option("--config", serve_args.config_file, "configuration file (JSON)");
  serve_cmd->add_flag("--demo", serve_args.demo, "seed demonstration data");
  serve_cmd->add_flag("--dev-clock", serve_args.dev_clock,
                      "enable POST /api/v1/dev/clock (development only)");
  serve_cmd->add_option("--web-root", serve_args.web_root,
                        "the built web app served at / (default ./web/dist when built; \"\" none)");

  auto* ocds = app.add_subcommand("ocds", "开放数据 / OCDS open data");
  ocds->require_subcommand(1);
  auto* ocds_exp = ocds->add_subcommand(
      "export",
      "导出全部公开的 OCDS 发布为一个发布包 / export every public release as one package");
  std::string ocds_out;
  std::string ocds_config;
  ocds_exp->add_option("--data-dir", data_dir, "data directory")->capture_default_str();
  ocds_exp->add_option("--out", ocds_out, "output file (a release package, JSON)")->required();
  ocds_exp->add_option("--config", ocds_config, "serve configuration file (ocds_prefix)");

  auto* account = app.add_subcommand("account", "账户 / accounts");
  account->require_subcommand(1);
  auto* add = account->add_subcommand(
      "add", "创建账户，密码从标准输入读取 / create an account; the password is read from stdin");
  AccountArgs account_args;
  add->add_option("--data-dir", data_dir, "data directory")->capture_default_str();
  add->add_option("--role", account_args.role, "role")->capture_default_str();
  add->add_option("--username", account_args.username, "username")->required();
  add->add_option("--display-name", account_args.display_name, "display name (default: username)");
  add->add_option("--community-id", account_args.community_id, "community (tenderer, owner)");
  add->add_option("--enterprise-uscc", account_args.enterprise_uscc, "USCC (enterprise)");
  add->add_option("--owner-key", account_args.owner_key, "roster owner key (owner)");

  CLI11_PARSE(app, argc, argv);
  if (serve_cmd->parsed()) return serve(data_dir, serve_args);
  if (add->parsed()) return account_add(data_dir, account_args);
  if (fill->parsed()) return audit_fill(data_dir, entries, withheld_every);
  if (exp->parsed()) return audit_export(data_dir, out, export_private);
  if (ocds_exp->parsed()) return ocds_export(data_dir, ocds_out, ocds_config);
  std::fputs(app.help().c_str(), stdout);
  return 0;
}
