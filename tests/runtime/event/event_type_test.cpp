// Event type and priority names: every type has a distinct Falco name that
// reads back, and priorities parse as Falco spells them.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "runtime/event/alert.hpp"
#include "runtime/event/event.hpp"

namespace bulwark::runtime {

TEST(EventType, EveryTypeHasADistinctNameThatReadsBack) {
  std::set<std::string_view> seen;
  for (size_t i = 1; i < kEventTypeCount; ++i) {
    auto type = static_cast<EventType>(i);
    std::string_view name = EventTypeName(type);
    ASSERT_FALSE(name.empty()) << "type " << i << " has no name";
    EXPECT_TRUE(seen.insert(name).second) << name << " is used twice";
    EXPECT_EQ(EventTypeFromName(name), type) << name;
  }
  EXPECT_EQ(EventTypeName(EventType::kExecve), "execve");
  EXPECT_EQ(EventTypeName(EventType::kProcExit), "procexit");
  EXPECT_EQ(EventTypeName(EventType::kPersonality), "personality");
  EXPECT_EQ(EventTypeName(static_cast<EventType>(60000)), "unknown");
  EXPECT_FALSE(EventTypeFromName("unknown").has_value());
  EXPECT_FALSE(EventTypeFromName("Execve").has_value()) << "names are case-sensitive, as in Falco";
}

TEST(Priority, ParsesFalcoSpellings) {
  EXPECT_EQ(ParsePriority("WARNING"), Priority::kWarning);
  EXPECT_EQ(ParsePriority("notice"), Priority::kNotice);
  EXPECT_EQ(ParsePriority("Info"), Priority::kInformational);
  EXPECT_EQ(ParsePriority("INFORMATIONAL"), Priority::kInformational);
  EXPECT_EQ(ParsePriority("CRITICAL"), Priority::kCritical);
  EXPECT_FALSE(ParsePriority("urgent").has_value());
  EXPECT_EQ(PriorityName(Priority::kEmergency), "Emergency");
  EXPECT_EQ(PriorityName(Priority::kDebug), "Debug");
}

TEST(Event, ArgumentsByNameAndBound) {
  Event e;
  e.AddArg("flags", ArgKind::kOpenFlags)->num = 01101;
  e.AddArg("name", ArgKind::kPath)->text = "/etc/shadow";
  ASSERT_NE(e.Arg("name"), nullptr);
  EXPECT_EQ(e.Arg("name")->text, "/etc/shadow");
  EXPECT_EQ(e.Arg("flags")->num, 01101);
  EXPECT_EQ(e.Arg("mode"), nullptr);
  for (int i = 0; i < 20; ++i) e.AddArg("x", ArgKind::kInt);
  EXPECT_EQ(e.nargs, kMaxEventArgs) << "arguments past the bound are dropped, never written";
  e.Clear();
  EXPECT_EQ(e.nargs, 0);
  EXPECT_EQ(e.Arg("name"), nullptr);
}

}  // namespace bulwark::runtime
