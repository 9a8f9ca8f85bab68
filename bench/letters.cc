// Benchmark (issue 13): activation letters for 2,000 owner keys as one PDF,
// target under 30 s. Synthetic community: 25 buildings, 80 owners each, every
// 7th owner with a second unit, codes and links shaped like the real ones.
// Prints each run and the median. A warm-up render first pays the per-thread
// font scan once, as a server thread does.
// Run from a release build: ./build/release/bench/bench_letters [owners] [runs]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "documents/activation_letters.h"

namespace {

sunbid::documents::ActivationLettersInput make_input(int owners) {
  using namespace sunbid::documents;
  ActivationLettersInput in;
  in.community = {"海沧区阳光花园", "厦门市海沧区", "海沧街道滨湖北路 88 号"};
  in.event_time_ms = 1'780'000'000'000;
  const char* alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  for (int i = 0; i < owners; ++i) {
    ActivationLetter l;
    const int building = 1 + i / 80;
    const int floor = 1 + (i % 80) / 4;
    l.owner_key = "owner-" + std::to_string(i + 1);
    l.units.push_back({std::to_string(building) + "-1-" + std::to_string(floor * 100 + 1 + i % 4),
                       8'000 + 137 * (i % 50)});
    if (i % 7 == 3) {
      l.units.push_back(
          {std::to_string(building + 1) + "-2-" + std::to_string(101 + i % 4), 4'505});
    }
    for (const auto& u : l.units) l.area_total_centi_m2 += u.area_centi_m2;
    std::uint64_t x = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(i + 1);
    for (int k = 0; k < 13; ++k) {
      if (k > 0 && k % 4 == 0) l.code += '-';
      l.code += alphabet[x % 32];
      x = x / 32 + 0xD1B54A32D192ED03ull * static_cast<std::uint64_t>(k + 1);
    }
    l.activation_link = "https://sunbid.example.cn/activate#code=" + l.code;
    l.expires_text = "2026-07-27";
    in.letters.push_back(std::move(l));
  }
  order_letters_by_building(in.letters);
  return in;
}

}  // namespace

int main(int argc, char** argv) {
  const int owners = argc > 1 ? std::atoi(argv[1]) : 2'000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  const auto in = make_input(owners);
  {
    const auto w0 = std::chrono::steady_clock::now();
    auto warm = sunbid::documents::render_activation_letters(make_input(1));
    const auto w1 = std::chrono::steady_clock::now();
    std::printf("first render on this thread (font scan + 1 letter): %.1f ms\n",
                std::chrono::duration<double, std::milli>(w1 - w0).count());
    if (!warm.ok()) {
      std::fprintf(stderr, "render failed: %s\n", warm.error().to_string().c_str());
      return 1;
    }
  }
  {
    double ms = 0;
    std::thread second([&] {
      const auto w0 = std::chrono::steady_clock::now();
      auto warm = sunbid::documents::render_activation_letters(make_input(1));
      ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w0).count();
    });
    second.join();
    std::printf("first render on a second thread (its own font map, 1 letter): %.1f ms\n", ms);
  }
  std::vector<double> seconds, cpu_seconds;
  std::size_t bytes = 0;
  for (int r = 0; r < runs; ++r) {
    const std::clock_t c0 = std::clock();
    const auto t0 = std::chrono::steady_clock::now();
    auto pdf = sunbid::documents::render_activation_letters(in);
    const auto t1 = std::chrono::steady_clock::now();
    const std::clock_t c1 = std::clock();
    if (!pdf.ok()) {
      std::fprintf(stderr, "render failed: %s\n", pdf.error().to_string().c_str());
      return 1;
    }
    bytes = pdf->size();
    seconds.push_back(std::chrono::duration<double>(t1 - t0).count());
    cpu_seconds.push_back(static_cast<double>(c1 - c0) / CLOCKS_PER_SEC);
    std::printf("run %d: %.2f s (CPU %.2f s), %zu bytes\n", r + 1, seconds.back(),
                cpu_seconds.back(), bytes);
    std::fflush(stdout);
  }
  std::sort(seconds.begin(), seconds.end());
  std::sort(cpu_seconds.begin(), cpu_seconds.end());
  std::printf(
      "%d letters as one PDF (%zu bytes): median %.2f s wall, %.2f s CPU, of %d runs "
      "(target < 30 s)\n",
      owners, bytes, seconds[seconds.size() / 2], cpu_seconds[cpu_seconds.size() / 2], runs);
  return 0;
}
