// sunbid: the command line. Every subcommand takes --data-dir DIR
// (default ./sunbid-data); the database is DIR/sunbid.db.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
  CLI::App app{
      "sunbid — 物业服务电子招投标与评定分离系统 / electronic tendering and "
      "evaluation for residential property services"};
  app.set_version_flag("--version", std::string("sunbid ") + SUNBID_VERSION);
  app.require_subcommand(0, 1);
  CLI11_PARSE(app, argc, argv);
  if (app.get_subcommands().empty()) {
    std::fputs(app.help().c_str(), stdout);
  }
  return 0;
}
