// Issue 11 (security A18): a revealed price above the bound every scoring can
// handle is refused at reveal, so a composite_score decision cannot freeze.
#include <catch2/catch.hpp>

#include "service_fixture.h"
#include "tender_core/bid_commitment.h"
#include "tender_core/service.h"

using namespace sunbid;
using namespace sunbid::core;
using namespace sunbid::testing;

TEST_CASE("reveal: a price above kMaxBidPriceFen is refused, the bound itself accepted",
          "[abuse][price]") {
  CoreFixture f;
  Market m = setup_market(f);
  const char* deadline = "2025-07-01T02:00:00Z";
  const std::string t = publish_tender(f, m, deadline);
  auto over = seal(t, kUsccA, kMaxBidPriceFen + 1, 1);
  auto at = seal(t, kUsccB, kMaxBidPriceFen, 2);
  auto plain = seal(t, kUsccC, 250, 3);
  REQUIRE(f.service->submit_bid(m.enterprises[0], t, over.commitment).ok());
  REQUIRE(f.service->submit_bid(m.enterprises[1], t, at.commitment).ok());
  REQUIRE(f.service->submit_bid(m.enterprises[2], t, plain.commitment).ok());
  f.clock.set_ms(ms(deadline));
  REQUIRE(f.service->catch_up(t).ok());
  expect_refused(
      f, [&] { return f.service->reveal_bid(m.enterprises[0], t, over.salt_hex, over.bid); },
      "bid_price_out_of_range");
  CHECK(f.service->reveal_bid(m.enterprises[1], t, at.salt_hex, at.bid).ok());
  CHECK(f.service->reveal_bid(m.enterprises[2], t, plain.salt_hex, plain.bid).ok());
}
