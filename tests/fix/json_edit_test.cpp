#include "fix/json_edit.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace bulwark::fix {
namespace {

using parse::YamlNode;

// Parses `text`, lets `edit` make requests, applies the edits.
std::string Edit(std::string_view text, const std::function<void(JsonEditor&)>& edit,
                 size_t* edit_count = nullptr) {
  auto editor = JsonEditor::Parse(text);
  EXPECT_TRUE(editor.ok()) << editor.status().message();
  if (!editor.ok()) return "<parse error>";
  edit(*editor);
  auto edits = editor->Edits();
  EXPECT_TRUE(edits.ok()) << edits.status().message();
  if (!edits.ok()) return "<edit error: " + edits.status().message() + ">";
  if (edit_count != nullptr) *edit_count = edits->size();
  auto after = ApplyEdits(text, *edits);
  EXPECT_TRUE(after.ok()) << after.status().message();
  return after.ok() ? *after : "<apply error>";
}

// Sets key = value on the root object.
std::function<void(JsonEditor&)> SetRoot(std::string key, JsonValue value) {
  return [key, value](JsonEditor& e) { e.Set(e.root(), key, value, "T"); };
}

size_t ValueEnd(std::string_view text, size_t begin = 0) {
  auto end = JsonValueEnd(text, begin);
  EXPECT_TRUE(end.ok()) << end.status().message();
  return end.ok() ? *end : 0;
}

TEST(JsonValueEnd, ScansStringsWithEscapes) {
  EXPECT_EQ(ValueEnd(R"("a\"b\\" , 1)"), 8u);
  EXPECT_EQ(ValueEnd(R"("\u007d}" x)"), 9u);
  EXPECT_EQ(ValueEnd(R"("")"), 2u);
}

TEST(JsonValueEnd, ScansNestingAndIgnoresBracketsInStrings) {
  const std::string text = R"({"a": "}", "b": [1, {"c": "]\""}], "d": {}} tail)";
  EXPECT_EQ(ValueEnd(text), text.find(" tail"));
  EXPECT_EQ(ValueEnd("[[], [[]]],"), 10u);
}

TEST(JsonValueEnd, ScansLiterals) {
  EXPECT_EQ(ValueEnd("-1.5e+3, 2"), 7u);
  EXPECT_EQ(ValueEnd("true}"), 4u);
  EXPECT_EQ(ValueEnd("null"), 4u);
  EXPECT_EQ(ValueEnd("{\"a\": 12}", 6), 8u);
}

TEST(JsonValueEnd, RefusesWhatDoesNotEnd) {
  EXPECT_FALSE(JsonValueEnd("", 0).ok());
  EXPECT_FALSE(JsonValueEnd("\"open", 0).ok());
  EXPECT_FALSE(JsonValueEnd("{\"a\": [1}", 0).ok());
  EXPECT_FALSE(JsonValueEnd(", 1", 0).ok());
  EXPECT_FALSE(JsonValueEnd("{}", 5).ok());
}

TEST(JsonOffset, CountsBytesAndSkipsTheByteOrderMark) {
  EXPECT_EQ(*JsonOffset("{\n  \"a\": 1\n}", parse::YamlMark{2, 3}), 4u);
  EXPECT_EQ(*JsonOffset("\xEF\xBB\xBF{}", parse::YamlMark{1, 1}), 3u);
  EXPECT_FALSE(JsonOffset("{}", parse::YamlMark{3, 1}).ok());
  EXPECT_FALSE(JsonOffset("{}", parse::YamlMark{}).ok());
}

TEST(JsonQuote, EscapesWhatJsonRequires) {
  EXPECT_EQ(JsonQuote("a\"b\\c\nd\x01"), R"("a\"b\\c\nd\u0001")");
}

TEST(JsonEditor, RefusesTextThatDoesNotParse) {
  EXPECT_FALSE(JsonEditor::Parse("{\"a\": 1,}").ok());
  EXPECT_FALSE(JsonEditor::Parse("{\"a\": 1} // comment").ok());
  EXPECT_FALSE(JsonEditor::Parse("{'a': 1}").ok());
  auto bad = JsonEditor::Parse("{\n  \"a\": tru\n}");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("2:8: ", 0), 0u) << bad.status().message();
}

TEST(JsonEditor, ReplacesAValueInPlace) {
  EXPECT_EQ(Edit("{\"icc\": true, \"x\": 1}\n", SetRoot("icc", JsonValue::Bool(false))),
            "{\"icc\": false, \"x\": 1}\n");
  EXPECT_EQ(Edit("{\"level\":\"debug\"}", SetRoot("level", JsonValue::String("info"))),
            "{\"level\":\"info\"}");
  // A nested value of another type is replaced whole.
  EXPECT_EQ(Edit("{\"u\": [1, {\"x\": \"]\"}], \"v\": 2}", SetRoot("u", JsonValue::Object({}))),
            "{\"u\": {}, \"v\": 2}");
}

TEST(JsonEditor, AddsToAMultiLineObjectWithItsIndentation) {
  EXPECT_EQ(Edit("{\n  \"a\": 1\n}\n", SetRoot("b", JsonValue::Bool(true))),
            "{\n  \"a\": 1,\n  \"b\": true\n}\n");
  EXPECT_EQ(Edit("{\n\t\"a\": 1\n}\n", SetRoot("b", JsonValue::Bool(true))),
            "{\n\t\"a\": 1,\n\t\"b\": true\n}\n");
  EXPECT_EQ(Edit("{\n    \"a\" : 1\n}", SetRoot("b", JsonValue::Bool(true))),
            "{\n    \"a\" : 1,\n    \"b\" : true\n}");
  // The first member on the brace line: the brace's indentation plus the unit.
  EXPECT_EQ(Edit("{\"a\": 1\n}\n", SetRoot("b", JsonValue::Bool(true))),
            "{\"a\": 1,\n  \"b\": true\n}\n");
}

TEST(JsonEditor, AddsToAOneLineObjectInItsSpacing) {
  EXPECT_EQ(Edit("{\"a\": 1, \"b\": 2}", SetRoot("c", JsonValue::Number(3))),
            "{\"a\": 1, \"b\": 2, \"c\": 3}");
  EXPECT_EQ(Edit("{\"a\":1,\"b\":2}\n", SetRoot("c", JsonValue::Number(3))),
            "{\"a\":1,\"b\":2,\"c\":3}\n");
  EXPECT_EQ(Edit("{ \"a\": 1 }", SetRoot("c", JsonValue::Object({{"d", JsonValue::Number(4)}}))),
            "{ \"a\": 1, \"c\": {\"d\": 4} }");
}

TEST(JsonEditor, SeveralAdditionsToOneObjectAreOneEdit) {
  size_t count = 0;
  std::string after = Edit(
      "{\n  \"a\": 1\n}\n",
      [](JsonEditor& e) {
        e.Set(e.root(), "b", JsonValue::Bool(true), "B");
        e.Set(e.root(), "c", JsonValue::String("x"), "C");
        e.Set(e.root(), "b", JsonValue::Bool(false), "B");  // the last value wins
      },
      &count);
  EXPECT_EQ(after, "{\n  \"a\": 1,\n  \"b\": false,\n  \"c\": \"x\"\n}\n");
  EXPECT_EQ(count, 1u);

  auto editor = JsonEditor::Parse("{}");
  ASSERT_TRUE(editor.ok());
  editor->Set(editor->root(), "a", JsonValue::Bool(true), "A");
  editor->Set(editor->root(), "b", JsonValue::Bool(true), "B");
  editor->Set(editor->root(), "c", JsonValue::Bool(true), "A");
  auto edits = editor->Edits();
  ASSERT_TRUE(edits.ok());
  ASSERT_EQ(edits->size(), 1u);
  EXPECT_EQ(edits->front().check_id, "A,B");
}

TEST(JsonEditor, EmptyObjectsAndEmptyTextBecomePrettyObjects) {
  const auto add_two = [](JsonEditor& e) {
    e.Set(e.root(), "icc", JsonValue::Bool(false), "A");
    e.Set(e.root(), "log-opts", JsonValue::Object({{"max-size", JsonValue::String("10m")}}), "B");
  };
  const std::string pretty =
      "{\n  \"icc\": false,\n  \"log-opts\": {\n    \"max-size\": \"10m\"\n  }\n}";
  EXPECT_EQ(Edit("{}", add_two), pretty);
  EXPECT_EQ(Edit("{}\n", add_two), pretty + "\n");
  EXPECT_EQ(Edit("{ }\n", add_two), pretty + "\n");
  EXPECT_EQ(Edit("", add_two), pretty + "\n");
  EXPECT_EQ(Edit("\n\n", add_two), pretty + "\n");
  EXPECT_EQ(Edit("\r\n", add_two),
            "{\r\n  \"icc\": false,\r\n  \"log-opts\": {\r\n    "
            "\"max-size\": \"10m\"\r\n  }\r\n}\r\n");
  // Nothing to add: an empty text stays empty.
  EXPECT_EQ(Edit("", [](JsonEditor&) {}), "");
}

TEST(JsonEditor, NestedObjectsFollowTheirOwnLayout) {
  const auto add_size = [](JsonEditor& e) {
    e.Set(*e.root().Find("log-opts"), "max-size", JsonValue::String("10m"), "T");
  };
  EXPECT_EQ(Edit("{\n  \"log-opts\": {\"max-file\": \"3\"}\n}\n", add_size),
            "{\n  \"log-opts\": {\"max-file\": \"3\", \"max-size\": \"10m\"}\n}\n");
  EXPECT_EQ(Edit("{\n  \"log-opts\": {\n    \"max-file\": \"3\"\n  }\n}\n", add_size),
            "{\n  \"log-opts\": {\n    \"max-file\": \"3\",\n    \"max-size\": \"10m\"\n  }\n}\n");
  EXPECT_EQ(Edit("{\n  \"log-opts\": {}\n}\n", add_size),
            "{\n  \"log-opts\": {\n    \"max-size\": \"10m\"\n  }\n}\n");
  EXPECT_EQ(Edit("{\"log-opts\": {}}", add_size), "{\"log-opts\": {\"max-size\": \"10m\"}}");
}

TEST(JsonEditor, NewObjectValuesArePrettyInAMultiLineFile) {
  const JsonValue ulimits = JsonValue::Object(
      {{"nofile",
        JsonValue::Object({{"Soft", JsonValue::Number(1)}, {"Hard", JsonValue::Number(2)}})}});
  EXPECT_EQ(Edit("{\n\t\"a\": 1\n}\n", SetRoot("u", ulimits)),
            "{\n\t\"a\": 1,\n\t\"u\": {\n\t\t\"nofile\": {\n\t\t\t\"Soft\": 1,\n\t\t\t\"Hard\": "
            "2\n\t\t}\n\t}\n}\n");
  // Replacing an existing value in a multi-line file: pretty from the key's line.
  EXPECT_EQ(Edit("{\n  \"u\": {},\n  \"a\": 1\n}\n", SetRoot("u", ulimits)),
            "{\n  \"u\": {\n    \"nofile\": {\n      \"Soft\": 1,\n      \"Hard\": 2\n    }\n  "
            "},\n  \"a\": 1\n}\n");
}

TEST(JsonEditor, KeepsCrlfAndAMissingFinalNewline) {
  EXPECT_EQ(Edit("{\r\n  \"a\": 1\r\n}\r\n", SetRoot("b", JsonValue::Bool(true))),
            "{\r\n  \"a\": 1,\r\n  \"b\": true\r\n}\r\n");
  EXPECT_EQ(Edit("{\r\n  \"a\": 1\r\n}", SetRoot("b", JsonValue::Bool(true))),
            "{\r\n  \"a\": 1,\r\n  \"b\": true\r\n}");
}

TEST(JsonEditor, PositionsSurviveMultiByteTextAndEscapes) {
  EXPECT_EQ(Edit("{\"k\\u00e9\\\"}\": \"v\\\"}\", \"caf\xC3\xA9\": [\"}\"], \"z\": true}",
                 SetRoot("z", JsonValue::Bool(false))),
            "{\"k\\u00e9\\\"}\": \"v\\\"}\", \"caf\xC3\xA9\": [\"}\"], \"z\": false}");
  EXPECT_EQ(Edit("\xEF\xBB\xBF{\"a\": 1}\n", SetRoot("b", JsonValue::Number(2))),
            "\xEF\xBB\xBF{\"a\": 1, \"b\": 2}\n");
}

std::function<void(JsonEditor&)> RemoveRoot(std::vector<std::string> keys) {
  return [keys](JsonEditor& e) {
    for (const auto& key : keys) e.Remove(e.root(), key, "R" + key);
  };
}

TEST(JsonEditor, RemovesMembersWithTheirCommas) {
  const std::string multi = "{\n  \"a\": 1,\n  \"b\": [2],\n  \"c\": {\"d\": 3}\n}\n";
  EXPECT_EQ(Edit(multi, RemoveRoot({"a"})), "{\n  \"b\": [2],\n  \"c\": {\"d\": 3}\n}\n");
  EXPECT_EQ(Edit(multi, RemoveRoot({"b"})), "{\n  \"a\": 1,\n  \"c\": {\"d\": 3}\n}\n");
  EXPECT_EQ(Edit(multi, RemoveRoot({"c"})), "{\n  \"a\": 1,\n  \"b\": [2]\n}\n");
  EXPECT_EQ(Edit(multi, RemoveRoot({"a", "b"})), "{\n  \"c\": {\"d\": 3}\n}\n");
  EXPECT_EQ(Edit(multi, RemoveRoot({"b", "c"})), "{\n  \"a\": 1\n}\n");
  EXPECT_EQ(Edit(multi, RemoveRoot({"a", "c"})), "{\n  \"b\": [2]\n}\n");
  EXPECT_EQ(Edit(multi, RemoveRoot({"a", "b", "c"})), "{}\n");
  EXPECT_EQ(Edit("{\"a\": 1, \"b\": 2, \"c\": 3}", RemoveRoot({"b"})), "{\"a\": 1, \"c\": 3}");
  EXPECT_EQ(Edit("{\"a\": 1, \"b\": 2, \"c\": 3}", RemoveRoot({"c"})), "{\"a\": 1, \"b\": 2}");
  EXPECT_EQ(Edit("{ \"a\": 1 }", RemoveRoot({"a"})), "{}");
  EXPECT_EQ(Edit("{\"a\": 1}", RemoveRoot({"missing"})), "{\"a\": 1}");
}

TEST(JsonEditor, RemovesEveryCopyOfADuplicateKeyAndSetsTheLastOne) {
  const std::string text = "{\"a\": 1, \"b\": 2, \"a\": 3}";
  EXPECT_EQ(Edit(text, RemoveRoot({"a"})), "{\"b\": 2}");
  EXPECT_EQ(Edit(text, SetRoot("a", JsonValue::Number(9))), "{\"a\": 1, \"b\": 2, \"a\": 9}");
}

TEST(JsonEditor, RemovesAndAddsInOneObject) {
  const auto swap = [](JsonEditor& e) {
    e.Remove(e.root(), "b", "R");
    e.Set(e.root(), "c", JsonValue::Number(3), "A");
  };
  EXPECT_EQ(Edit("{\n  \"a\": 1,\n  \"b\": 2\n}\n", swap), "{\n  \"a\": 1,\n  \"c\": 3\n}\n");
  EXPECT_EQ(Edit("{\"b\": 2, \"a\": 1}", swap), "{\"a\": 1, \"c\": 3}");
  EXPECT_EQ(Edit("{\n  \"b\": 2\n}\n", swap), "{\n  \"c\": 3\n}\n");
  // A value replaced next to a removed neighbour.
  EXPECT_EQ(Edit("{\"a\": 1, \"b\": 2}",
                 [](JsonEditor& e) {
                   e.Set(e.root(), "a", JsonValue::Number(5), "S");
                   e.Remove(e.root(), "b", "R");
                 }),
            "{\"a\": 5}");
}

TEST(JsonEditor, RemovesArrayItems) {
  const auto remove = [](std::vector<size_t> indexes) {
    return [indexes](JsonEditor& e) {
      for (size_t i : indexes) e.RemoveItem(*e.root().Find("o"), i, "R");
    };
  };
  const std::string multi = "{\n  \"o\": [\n    \"x\",\n    \"y\",\n    \"z\"\n  ]\n}\n";
  EXPECT_EQ(Edit(multi, remove({2})), "{\n  \"o\": [\n    \"x\",\n    \"y\"\n  ]\n}\n");
  EXPECT_EQ(Edit(multi, remove({0})), "{\n  \"o\": [\n    \"y\",\n    \"z\"\n  ]\n}\n");
  EXPECT_EQ(Edit("{\"o\": [\"x\", \"y\"]}", remove({0, 1})), "{\"o\": []}");
  EXPECT_EQ(Edit("{\"o\": [\"x\", \"y\"]}", remove({7})), "{\"o\": [\"x\", \"y\"]}");
}

TEST(JsonEditor, ConflictingRequestsAreAnError) {
  auto editor = JsonEditor::Parse("{\"o\": {\"a\": 1}}");
  ASSERT_TRUE(editor.ok());
  const YamlNode& inner = *editor->root().Find("o");
  editor->Set(editor->root(), "o", JsonValue::Object({}), "A");
  editor->Set(inner, "b", JsonValue::Number(2), "B");
  auto edits = editor->Edits();
  ASSERT_FALSE(edits.ok());
  EXPECT_NE(edits.status().message().find("A and B"), std::string::npos)
      << edits.status().message();
}

TEST(JsonEditor, MembersAreNeverAddedToAnArray) {
  auto editor = JsonEditor::Parse("{\"o\": [1]}");
  ASSERT_TRUE(editor.ok());
  editor->Set(*editor->root().Find("o"), "b", JsonValue::Number(2), "B");
  EXPECT_FALSE(editor->Edits().ok());
}

TEST(JsonEditor, NoRequestsNoEdits) {
  auto editor = JsonEditor::Parse("{\n  \"a\": 1\n}\n");
  ASSERT_TRUE(editor.ok());
  auto edits = editor->Edits();
  ASSERT_TRUE(edits.ok());
  EXPECT_TRUE(edits->empty());
}

}  // namespace
}  // namespace bulwark::fix
