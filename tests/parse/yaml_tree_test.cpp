#include "parse/yaml_tree.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace bulwark::parse {

void PrintTo(const YamlMark& mark, std::ostream* os) { *os << mark.line << ":" << mark.column; }

namespace {

YamlNodePtr LoadOne(const std::string& text) {
  auto stream = LoadYaml(text);
  EXPECT_TRUE(stream.ok()) << stream.status().ToString();
  if (!stream.ok() || stream->documents.empty()) return nullptr;
  return stream->documents.front().root;
}

TEST(YamlTree, ScalarsMapsSequencesWithPositions) {
  auto root = LoadOne("name: web\nports:\n  - \"80:80\"\n  - 443\nflow: {a: 1, b: [x, y]}\n");
  ASSERT_NE(root, nullptr);
  ASSERT_TRUE(root->IsMap());
  EXPECT_EQ(root->mark(), (YamlMark{1, 1}));
  const YamlEntry* name = root->FindEntry("name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->key->mark(), (YamlMark{1, 1}));
  EXPECT_EQ(name->value->mark(), (YamlMark{1, 7}));
  EXPECT_EQ(name->value->text(), "web");
  const YamlNode* ports = root->Find("ports");
  ASSERT_NE(ports, nullptr);
  ASSERT_TRUE(ports->IsSequence());
  ASSERT_EQ(ports->items().size(), 2u);
  EXPECT_EQ(ports->items()[0]->mark(), (YamlMark{3, 5}));
  EXPECT_FALSE(ports->items()[0]->plain());
  EXPECT_EQ(ports->items()[1]->AsInt(), 443);
  EXPECT_EQ(ports->items()[1]->mark(), (YamlMark{4, 5}));
  const YamlNode* flow = root->Find("flow");
  ASSERT_NE(flow, nullptr);
  EXPECT_TRUE(flow->flow());
  EXPECT_EQ(flow->FindPath({"b"})->items()[1]->text(), "y");
  EXPECT_EQ(flow->FindPath({"b"})->items()[1]->mark(), (YamlMark{5, 21}));
}

TEST(YamlTree, NullsAndBooleans) {
  auto root = LoadOne("a:\nb: ~\nc: null\nd: \"true\"\ne: True\nf: yes\n");
  ASSERT_NE(root, nullptr);
  EXPECT_TRUE(root->Find("a")->IsNull());
  // An empty value takes the key's position, not the next token's.
  EXPECT_EQ(root->Find("a")->mark(), (YamlMark{1, 1}));
  EXPECT_TRUE(root->Find("b")->IsNull());
  EXPECT_EQ(root->Find("b")->mark(), (YamlMark{2, 4}));
  EXPECT_EQ(root->Find("b")->text(), "~");
  EXPECT_TRUE(root->Find("c")->IsNull());
  EXPECT_EQ(root->Find("d")->AsBool(), std::nullopt);  // quoted: a string
  EXPECT_EQ(root->Find("e")->AsBool(), true);
  EXPECT_EQ(root->Find("f")->AsBool(), std::nullopt);
  EXPECT_EQ(root->Find("f")->AsBool(/*yaml11=*/true), true);
}

TEST(YamlTree, AnchorsAndAliasesAreResolved) {
  auto root = LoadOne("base: &b\n  image: nginx\nweb: *b\nlist: &l [1, 2]\nother: *l\n");
  ASSERT_NE(root, nullptr);
  const YamlNode* web = root->Find("web");
  ASSERT_NE(web, nullptr);
  ASSERT_TRUE(web->IsMap());
  EXPECT_EQ(web->Find("image")->text(), "nginx");
  // An alias shares the anchored node: its position is where it is written.
  EXPECT_EQ(web->Find("image")->mark(), (YamlMark{2, 10}));
  EXPECT_EQ(root->Find("base")->anchor(), "b");
  EXPECT_EQ(root->Find("other")->items().size(), 2u);
}

TEST(YamlTree, MergeKeyExplicitKeysWin) {
  auto root = LoadOne(
      "x-common: &common\n"
      "  restart: always\n"
      "  privileged: true\n"
      "svc:\n"
      "  image: app\n"
      "  <<: *common\n"
      "  restart: \"no\"\n");
  ASSERT_NE(root, nullptr);
  const YamlNode* svc = root->Find("svc");
  ASSERT_NE(svc, nullptr);
  // Explicit key wins even when written after the merge.
  EXPECT_EQ(svc->Find("restart")->text(), "no");
  EXPECT_EQ(svc->Find("restart")->mark(), (YamlMark{7, 12}));
  const YamlEntry* privileged = svc->FindEntry("privileged");
  ASSERT_NE(privileged, nullptr);
  EXPECT_TRUE(privileged->merged);
  EXPECT_EQ(privileged->key->mark(), (YamlMark{3, 3}));
  EXPECT_EQ(svc->FindEntry("<<"), nullptr);
  // restart appears once: the merged one was overridden.
  int restarts = 0;
  for (const auto& entry : svc->entries()) restarts += entry.key->text() == "restart";
  EXPECT_EQ(restarts, 1);
}

TEST(YamlTree, MergeKeyListFormEarlierMapWins) {
  auto root = LoadOne(
      "a: &a {x: 1, y: 1}\n"
      "b: &b {x: 2, z: 2}\n"
      "c:\n"
      "  <<: [*a, *b]\n"
      "  w: 0\n");
  ASSERT_NE(root, nullptr);
  const YamlNode* c = root->Find("c");
  EXPECT_EQ(c->Find("x")->text(), "1");
  EXPECT_EQ(c->Find("y")->text(), "1");
  EXPECT_EQ(c->Find("z")->text(), "2");
  EXPECT_EQ(c->Find("w")->text(), "0");
  EXPECT_EQ(c->entries().size(), 4u);
}

TEST(YamlTree, QuotedMergeKeyIsAPlainKey) {
  auto root = LoadOne("a: &a {x: 1}\nb:\n  \"<<\": *a\n");
  ASSERT_NE(root, nullptr);
  EXPECT_NE(root->Find("b")->Find("<<"), nullptr);
  EXPECT_EQ(root->Find("b")->Find("x"), nullptr);
}

TEST(YamlTree, MergeOfAScalarIsAnError) {
  auto stream = LoadYaml("a: &a 1\nb:\n  <<: *a\n");
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(ErrorMark(stream.status()), (YamlMark{3, 3}));
}

TEST(YamlTree, MultiDocument) {
  auto stream = LoadYaml("kind: A\n---\nkind: B\n---\n");
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  ASSERT_EQ(stream->documents.size(), 3u);
  EXPECT_EQ(stream->documents[0].root->Find("kind")->text(), "A");
  EXPECT_EQ(stream->documents[1].root->FindEntry("kind")->key->mark(), (YamlMark{3, 1}));
  EXPECT_TRUE(stream->documents[2].root->IsNull());
}

TEST(YamlTree, EmptyInputHasNoDocuments) {
  auto stream = LoadYaml("");
  ASSERT_TRUE(stream.ok());
  EXPECT_TRUE(stream->documents.empty());
  auto comments = LoadYaml("# only a comment\n");
  ASSERT_TRUE(comments.ok());
  EXPECT_TRUE(comments->documents.empty());
}

TEST(YamlTree, DuplicateKeysAreRecordedLastWins) {
  auto stream = LoadYaml("a: 1\nb: 2\na: 3\n");
  ASSERT_TRUE(stream.ok());
  ASSERT_EQ(stream->duplicate_keys.size(), 1u);
  EXPECT_EQ(stream->duplicate_keys[0].key, "a");
  EXPECT_EQ(stream->duplicate_keys[0].first, (YamlMark{1, 1}));
  EXPECT_EQ(stream->duplicate_keys[0].duplicate, (YamlMark{3, 1}));
  EXPECT_EQ(stream->documents[0].root->Find("a")->text(), "3");
}

TEST(YamlTree, BadYamlGivesLineAndColumn) {
  auto stream = LoadYaml("services:\n  web:\n    image: [nginx\n  db: {}\n");
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.status().code(), core::ErrorCode::kParseError);
  YamlMark mark = ErrorMark(stream.status());
  EXPECT_GE(mark.line, 3);
  EXPECT_GT(mark.column, 0);
  auto tabs = LoadYaml("a:\n\tb: 1\n");
  ASSERT_FALSE(tabs.ok());
  EXPECT_EQ(ErrorMark(tabs.status()).line, 2);
}

TEST(YamlTree, UndefinedAliasIsAnError) {
  auto stream = LoadYaml("a: *nope\n");
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(ErrorMark(stream.status()).line, 1);
}

TEST(YamlTree, RecursiveAliasIsRefused) {
  auto stream = LoadYaml("a: &x [1, *x]\n");
  ASSERT_FALSE(stream.ok());
  EXPECT_NE(stream.status().message().find("recursive"), std::string::npos);
}

TEST(YamlTree, AliasBombIsBounded) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c, ++prev) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
  }
  auto stream = LoadYaml(bomb);
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.status().code(), core::ErrorCode::kTooLarge);
  EXPECT_NE(stream.status().message().find("alias bomb"), std::string::npos);
  EXPECT_GT(ErrorMark(stream.status()).line, 1);
  // A small custom budget refuses smaller expansions too.
  YamlLimits tight;
  tight.max_nodes = 50;
  EXPECT_FALSE(LoadYaml("a: &a [1,2,3,4,5,6,7,8,9,10]\nb: [*a, *a, *a, *a, *a]\n", tight).ok());
}

TEST(YamlTree, DeepNestingIsRefusedNotACrash) {
  for (int depth : {450, 2500, 100000}) {
    std::string flow(depth, '[');
    auto stream = LoadYaml(flow);
    ASSERT_FALSE(stream.ok()) << depth;
    EXPECT_NE(ErrorMark(stream.status()).line, 0) << stream.status().ToString();
  }
  std::string block;
  for (int i = 0; i < 600; ++i) block += std::string(i, ' ') + "k:\n";
  EXPECT_FALSE(LoadYaml(block).ok());
  // Within the limit it loads.
  std::string fine = std::string(100, '[') + std::string(100, ']');
  EXPECT_TRUE(LoadYaml(fine).ok());
}

TEST(YamlTree, BinaryAndInvalidUtf8AreRefusedWithPosition) {
  auto binary = LoadYaml(std::string("a: b\nc: d\0e\n", 12));
  ASSERT_FALSE(binary.ok());
  EXPECT_EQ(ErrorMark(binary.status()), (YamlMark{2, 5}));
  EXPECT_NE(binary.status().message().find("NUL"), std::string::npos);
  auto bad = LoadYaml("a: ok\nb: caf\xC3\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(ErrorMark(bad.status()), (YamlMark{2, 7}));
  auto overlong = LoadYaml("a: \xC0\xAF\n");
  EXPECT_FALSE(overlong.ok());
  auto utf16 =
      LoadYaml(std::string_view("\xFF\xFE"
                                "a\0:\0",
                                6));
  EXPECT_FALSE(utf16.ok());
  // Valid multi-byte text loads.
  auto good = LoadYaml("name: caf\xC3\xA9 \xE2\x9C\x93\n");
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->documents[0].root->Find("name")->text(), "caf\xC3\xA9 \xE2\x9C\x93");
}

// Fuzzer find: on this input yaml-cpp 0.7 emits empty documents forever
// without consuming input; the loader must stop at once with a position.
TEST(YamlTree, ParserThatStopsMakingProgressIsAnError) {
  for (const char* text : {"  a: x\n ,\n", "    image: x\n ,  # comment\n    b: c\n"}) {
    auto stream = LoadYaml(text);
    ASSERT_FALSE(stream.ok()) << text;
    EXPECT_EQ(stream.status().code(), core::ErrorCode::kParseError);
    EXPECT_EQ(ErrorMark(stream.status()).line, 2) << stream.status().message();
  }
}

TEST(YamlTree, HugeInputIsRefused) {
  YamlLimits limits;
  limits.max_bytes = 1024;
  auto stream = LoadYaml(std::string(4096, 'a'), limits);
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.status().code(), core::ErrorCode::kTooLarge);
}

TEST(YamlTree, BlockScalarsAndTags) {
  auto root = LoadOne("cmd: |\n  echo hi\n  echo there\nn: !!str 5\nref: !Ref thing\n");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->Find("cmd")->text(), "echo hi\necho there\n");
  EXPECT_FALSE(root->Find("cmd")->plain());
  EXPECT_EQ(root->Find("n")->tag(), "tag:yaml.org,2002:str");
  EXPECT_EQ(root->Find("ref")->tag(), "!Ref");
}

TEST(YamlTree, ErrorMarkParsesOnlyPrefixedMessages) {
  EXPECT_EQ(ErrorMark(core::Error(core::ErrorCode::kParseError, "12:3: bad")), (YamlMark{12, 3}));
  EXPECT_FALSE(ErrorMark(core::Error(core::ErrorCode::kParseError, "bad: thing")).known());
  EXPECT_FALSE(ErrorMark(core::Error(core::ErrorCode::kParseError, "12 bad")).known());
}

TEST(YamlTree, PrintableEscapesAndTruncates) {
  EXPECT_EQ(Printable("a\nb\x01"), "a\\nb\\x01");
  EXPECT_EQ(Printable(std::string(100, 'x'), 10), std::string(10, 'x') + "...");
}

}  // namespace
}  // namespace bulwark::parse
