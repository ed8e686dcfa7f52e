// Loki batches: the entry-count bound, the byte bound (every body stays
// within max_bytes, an oversized alert goes alone), and timestamps that
// never go backwards within a stream across batches (the line is unchanged).
#include "runtime/output/loki_batch.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "runtime/output/alert_format.hpp"

namespace bulwark::runtime::output {
namespace {

using nlohmann::json;

LokiEntry Entry(uint64_t t, const std::string& rule, size_t output_bytes = 10) {
  Alert a;
  a.time_ns = t;
  a.rule = rule;
  a.output = std::string(output_bytes, '"');  // quotes: the worst case for escaping
  a.hostname = "n";
  return MakeLokiEntry(a, {});
}

TEST(LokiBatch, FullAtMaxEntries) {
  LokiBatch batch({.max_entries = 3, .max_bytes = 1 << 20});
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(batch.Full());
    batch.Add(Entry(i, "r"));
  }
  EXPECT_TRUE(batch.Full());
  EXPECT_EQ(CountLokiEntries(batch.Take()), 3u);
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(batch.bytes(), 0u);
}

TEST(LokiBatch, BodiesStayWithinMaxBytes) {
  const size_t kMax = 8 * 1024;
  LokiBatch batch({.max_entries = 100000, .max_bytes = kMax});
  std::vector<std::string> bodies;
  for (int i = 0; i < 400; ++i) {
    LokiEntry e = Entry(i, "rule " + std::to_string(i % 7), 50 + (i * 37) % 400);
    if (batch.WouldOverflow(e)) bodies.push_back(batch.Take());
    batch.Add(std::move(e));
    if (batch.Full()) bodies.push_back(batch.Take());
  }
  if (!batch.empty()) bodies.push_back(batch.Take());
  ASSERT_GT(bodies.size(), 10u);
  uint64_t all = 0;
  for (size_t i = 0; i < bodies.size(); ++i) {
    EXPECT_LE(bodies[i].size(), kMax);
    if (i + 1 < bodies.size()) {
      EXPECT_GT(bodies[i].size(), kMax / 2);  // not wastefully small
    }
    all += CountLokiEntries(bodies[i]);
  }
  EXPECT_EQ(all, 400u);
}

TEST(LokiBatch, ByteEstimateIsExactForOneStream) {
  LokiBatch batch({.max_entries = 100, .max_bytes = 1 << 20});
  for (int i = 0; i < 5; ++i) batch.Add(Entry(1795428000000000000ULL + i, "r", 33));
  size_t estimate = batch.bytes();
  std::string body = batch.Take();
  EXPECT_LE(body.size(), estimate + sizeof(R"({"streams":[]})"));
  EXPECT_GE(body.size() + 64, estimate);  // close, not wildly pessimistic
}

TEST(LokiBatch, OversizedEntryFormsItsOwnBatch) {
  LokiBatch batch({.max_entries = 100, .max_bytes = 1024});
  batch.Add(Entry(1, "r"));
  LokiEntry big = Entry(2, "r", 5000);
  EXPECT_TRUE(batch.WouldOverflow(big));
  EXPECT_EQ(CountLokiEntries(batch.Take()), 1u);
  EXPECT_FALSE(batch.WouldOverflow(big));  // an empty batch takes it
  batch.Add(std::move(big));
  EXPECT_TRUE(batch.Full());
  EXPECT_EQ(CountLokiEntries(batch.Take()), 1u);
}

TEST(LokiBatch, StreamTimesNeverGoBackAcrossBatches) {
  LokiBatch batch({});
  batch.Add(Entry(100, "a"));
  batch.Add(Entry(90, "a"));
  json first = json::parse(batch.Take());
  EXPECT_EQ(first["streams"][0]["values"][0][0], "90");
  EXPECT_EQ(first["streams"][0]["values"][1][0], "100");
  LokiEntry late = Entry(50, "a");
  const std::string line = late.line;
  batch.Add(std::move(late));
  batch.Add(Entry(60, "b"));  // another stream keeps its own time
  json second = json::parse(batch.Take());
  ASSERT_EQ(second["streams"].size(), 2u);
  EXPECT_EQ(second["streams"][0]["values"][0][0], "100");
  EXPECT_EQ(second["streams"][0]["values"][0][1], line);  // the alert's own time is kept
  EXPECT_EQ(second["streams"][1]["values"][0][0], "60");
}

}  // namespace
}  // namespace bulwark::runtime::output
