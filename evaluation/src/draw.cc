#include "evaluation/draw.h"

#include <cassert>
#include <numeric>

namespace sunbid::eval {

namespace {

Status check_field(std::string_view name, std::string_view value, bool may_be_empty) {
  if (value.find('\n') != std::string_view::npos) {
    return make_error("invalid_draw_field",
                      "抽签种子字段不得包含换行符 / draw seed field contains a newline",
                      {{"field", std::string(name)}});
  }
  if (!may_be_empty && value.empty()) {
    return make_error("invalid_draw_field", "抽签种子字段不得为空 / draw seed field is empty",
                      {{"field", std::string(name)}});
  }
  return ok_status();
}

}  // namespace

namespace {

void seed_prefix(Sha256& h, std::string_view purpose, std::string_view tender_id,
                 const Hash& checkpoint_root, std::string_view beacon) {
  h.update(kDrawDomainTag);
  h.update(purpose).update(std::uint8_t{'\n'});
  h.update(tender_id).update(std::uint8_t{'\n'});
  h.update(std::span<const std::uint8_t>(checkpoint_root));
  h.update(beacon).update(std::uint8_t{'\n'});
}

}  // namespace

Result<Hash> draw_seed(std::string_view purpose, std::string_view tender_id,
                       const Hash& checkpoint_root, std::string_view beacon,
                       std::string_view beacon_date) {
  SUNBID_TRY(check_field("purpose", purpose, false));
  SUNBID_TRY(check_field("tender_id", tender_id, false));
  SUNBID_TRY(check_field("beacon", beacon, true));
  SUNBID_TRY(check_field("beacon_date", beacon_date, false));
  Sha256 h;
  seed_prefix(h, purpose, tender_id, checkpoint_root, beacon);
  h.update(beacon_date).update(std::uint8_t{'\n'});
  return h.finish();
}

Result<Hash> draw_seed_undated(std::string_view purpose, std::string_view tender_id,
                               const Hash& checkpoint_root, std::string_view beacon) {
  SUNBID_TRY(check_field("purpose", purpose, false));
  SUNBID_TRY(check_field("tender_id", tender_id, false));
  SUNBID_TRY(check_field("beacon", beacon, true));
  Sha256 h;
  seed_prefix(h, purpose, tender_id, checkpoint_root, beacon);
  return h.finish();
}

DrawStream::DrawStream(const Hash& seed) : seed_(seed) {}

std::uint64_t DrawStream::next_word() {
  if (word_in_block_ == 4) {
    std::array<std::uint8_t, 40> input{};
    std::copy(seed_.begin(), seed_.end(), input.begin());
    for (int b = 0; b < 8; ++b) {
      input[32 + b] = static_cast<std::uint8_t>(counter_ >> (56 - 8 * b));
    }
    block_ = sha256(std::span<const std::uint8_t>(input));
    ++counter_;
    word_in_block_ = 0;
  }
  std::uint64_t w = 0;
  for (int b = 0; b < 8; ++b) w = (w << 8) | block_[word_in_block_ * 8 + b];
  ++word_in_block_;
  return w;
}

std::uint64_t DrawStream::uniform(std::uint64_t n) {
  assert(n >= 1);
  if (n == 0) return 0;  // REQUIRES violated; defined anyway in release builds
  // n = 1 still consumes one word, exactly as the specification reads, so the
  // last Fisher–Yates step (uniform(1)) keeps streams aligned with docs/draw.md.
  // (2^64 − n) mod n == 2^64 mod n, computed without 128-bit arithmetic.
  const std::uint64_t remainder = (0 - n) % n;
  for (;;) {
    const std::uint64_t w = next_word();
    if (remainder == 0 || w < 0 - remainder) return w % n;
  }
}

std::vector<std::size_t> DrawStream::sample(std::size_t population, std::size_t k) {
  assert(k <= population);
  if (k > population) k = population;
  std::vector<std::size_t> a(population);
  std::iota(a.begin(), a.end(), std::size_t{0});
  for (std::size_t i = 0; i < k; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(uniform(population - i));
    std::swap(a[i], a[j]);
  }
  a.resize(k);
  return a;
}

}  // namespace sunbid::eval
