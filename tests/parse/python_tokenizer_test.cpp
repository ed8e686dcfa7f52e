#include "parse/python_tokenizer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bulwark::parse {
namespace {

using K = PyTokenKind;

struct Tok {
  PyTokenKind kind;
  std::string text;
  bool operator==(const Tok& o) const { return kind == o.kind && text == o.text; }
};

std::ostream& operator<<(std::ostream& os, const Tok& t) {
  return os << PyTokenKindName(t.kind) << "[" << t.text << "]";
}

// Kinds and texts, without the trailing ENDMARKER.
std::vector<Tok> Simple(const PyTokenStream& stream) {
  std::vector<Tok> out;
  for (const PyToken& t : stream.tokens) {
    if (t.kind != K::kEndMarker) out.push_back({t.kind, std::string(t.text)});
  }
  return out;
}

std::vector<const PyToken*> OfKind(const PyTokenStream& stream, PyTokenKind kind) {
  std::vector<const PyToken*> out;
  for (const PyToken& t : stream.tokens) {
    if (t.kind == kind) out.push_back(&t);
  }
  return out;
}

// Every token's text is exactly the source bytes at its offset, offsets
// never go backwards, and the stream ends with ENDMARKER.
void ExpectWellFormed(std::string_view src, const PyTokenStream& stream) {
  ASSERT_FALSE(stream.tokens.empty());
  EXPECT_EQ(stream.tokens.back().kind, K::kEndMarker);
  size_t last = 0;
  for (const PyToken& t : stream.tokens) {
    ASSERT_LE(t.offset + t.text.size(), src.size());
    EXPECT_EQ(t.text.data(), src.data() + t.offset);
    EXPECT_GE(t.offset, last);
    last = t.offset;
    EXPECT_GE(t.line, 1);
    EXPECT_GE(t.column, 1);
  }
}

TEST(PythonTokenizer, SimpleStatementHasPositionsAndOffsets) {
  std::string src = "x = 1\nname = foo(2)\n";
  PyTokenStream s = TokenizePython(src);
  std::vector<Tok> expected = {{K::kName, "x"},     {K::kOp, "="},      {K::kNumber, "1"},
                               {K::kNewline, "\n"}, {K::kName, "name"}, {K::kOp, "="},
                               {K::kName, "foo"},   {K::kOp, "("},      {K::kNumber, "2"},
                               {K::kOp, ")"},       {K::kNewline, "\n"}};
  EXPECT_EQ(Simple(s), expected);
  const PyToken& foo = s.tokens[6];
  EXPECT_EQ(foo.line, 2);
  EXPECT_EQ(foo.column, 8);
  EXPECT_EQ(foo.offset, 13u);
  EXPECT_EQ(foo.end_line, 2);
  EXPECT_EQ(foo.end_column, 11);
  EXPECT_TRUE(s.diagnostics.empty());
  ExpectWellFormed(src, s);
}

TEST(PythonTokenizer, EveryStringPrefixAndQuoteFormIsOneToken) {
  const std::vector<std::string> prefixes = {"",   "r",  "R",  "b",  "B",  "u",  "U",
                                             "f",  "F",  "rb", "Rb", "bR", "BR", "br",
                                             "fr", "Fr", "rF", "RF", "t",  "tr"};
  const std::vector<std::string> quotes = {"'", "\"", "'''", "\"\"\""};
  for (const std::string& prefix : prefixes) {
    for (const std::string& q : quotes) {
      std::string literal = prefix + q + "body" + q;
      std::string src = "x = " + literal + "\n";
      PyTokenStream s = TokenizePython(src);
      auto strings = OfKind(s, K::kString);
      ASSERT_EQ(strings.size(), 1u) << literal;
      const PyToken& t = *strings[0];
      EXPECT_EQ(t.text, literal);
      EXPECT_EQ(t.column, 5);
      bool raw = prefix.find_first_of("rR") != std::string::npos;
      bool bytes = prefix.find_first_of("bB") != std::string::npos;
      bool format = prefix.find_first_of("fFtT") != std::string::npos;
      EXPECT_EQ((t.flags & kPyStrRaw) != 0, raw) << literal;
      EXPECT_EQ((t.flags & kPyStrBytes) != 0, bytes) << literal;
      EXPECT_EQ((t.flags & kPyStrFormat) != 0, format) << literal;
      EXPECT_EQ((t.flags & kPyStrTriple) != 0, q.size() == 3) << literal;
      EXPECT_EQ((t.flags & kPyStrHasExpressions), 0) << literal;
      EXPECT_EQ(PyStringValue(t), "body");
      EXPECT_TRUE(s.diagnostics.empty()) << literal;
    }
  }
}

TEST(PythonTokenizer, InvalidPrefixIsANameFollowedByAString) {
  PyTokenStream s = TokenizePython("ub'x' bf'y' rr'z'\n");
  std::vector<Tok> expected = {{K::kName, "ub"},    {K::kString, "'x'"}, {K::kName, "bf"},
                               {K::kString, "'y'"}, {K::kName, "rr"},    {K::kString, "'z'"},
                               {K::kNewline, "\n"}};
  EXPECT_EQ(Simple(s), expected);
}

TEST(PythonTokenizer, EscapedQuotesStayInsideTheString) {
  PyTokenStream s = TokenizePython(R"(a = "x\"y" + 'it\'s' + r"\"" + "\\" + 'q')"
                                   "\n");
  auto strings = OfKind(s, K::kString);
  ASSERT_EQ(strings.size(), 5u);
  EXPECT_EQ(strings[0]->text, R"("x\"y")");
  EXPECT_EQ(strings[1]->text, R"('it\'s')");
  EXPECT_EQ(strings[2]->text, R"(r"\"")");
  EXPECT_EQ(strings[3]->text, R"("\\")");
  EXPECT_EQ(PyStringValue(*strings[0]), "x\"y");
  EXPECT_EQ(PyStringValue(*strings[1]), "it's");
  EXPECT_EQ(PyStringValue(*strings[2]), "\\\"");
  EXPECT_EQ(PyStringValue(*strings[3]), "\\");
}

TEST(PythonTokenizer, StringValuesDecodeEscapes) {
  PyTokenStream s = TokenizePython(
      R"(v = ["a\nb", "\x41\u00e9\101", r"\n", b"\xff", "\N{DASH}", "x\qz", f"{{a}}"])"
      "\n");
  auto strings = OfKind(s, K::kString);
  ASSERT_EQ(strings.size(), 7u);
  EXPECT_EQ(PyStringValue(*strings[0]), "a\nb");
  EXPECT_EQ(PyStringValue(*strings[1]),
            "A\xC3\xA9"
            "A");
  EXPECT_EQ(PyStringValue(*strings[2]), "\\n");
  EXPECT_EQ(PyStringValue(*strings[3]), std::string(1, '\xff'));
  EXPECT_EQ(PyStringValue(*strings[4]), "\\N{DASH}");
  EXPECT_EQ(PyStringValue(*strings[5]), "x\\qz");
  EXPECT_EQ(PyStringValue(*strings[6]), "{a}");
}

TEST(PythonTokenizer, FStringsAreOneTokenAndFlagExpressions) {
  struct Case {
    std::string literal;
    bool has_expressions;
  };
  const std::vector<Case> cases = {
      {R"(f"{x}")", true},          {R"(f"{{x}}")", false},
      {R"(f"plain")", false},       {R"(f"{a['b']}")", true},
      {R"(f"{a["b"]}")", true},  // PEP 701: the same quote inside a field
      {R"(f"{x:>{width}}")", true}, {R"(f'{x!r:^10}')", true},
      {R"(f"{f'{y}'}")", true},     {R"(f"{ {'k': 1}['k'] }")", true},
      {R"(rf"\d{n}")", true},       {R"(F"a{{b}}c{d}")", true},
  };
  for (const Case& c : cases) {
    std::string src = "v = " + c.literal + " + 1\n";
    PyTokenStream s = TokenizePython(src);
    auto strings = OfKind(s, K::kString);
    ASSERT_EQ(strings.size(), 1u) << c.literal;
    EXPECT_EQ(strings[0]->text, c.literal);
    EXPECT_EQ((strings[0]->flags & kPyStrHasExpressions) != 0, c.has_expressions) << c.literal;
    EXPECT_TRUE(s.diagnostics.empty()) << c.literal;
    ASSERT_GE(s.tokens.size(), 6u);
    EXPECT_TRUE(s.tokens[3].IsOp("+")) << c.literal;
  }
}

TEST(PythonTokenizer, TripleQuotedFStringSpansLines) {
  std::string src = "q = f\"\"\"SELECT *\nFROM t WHERE id = {uid}\n\"\"\"\nz = 1\n";
  PyTokenStream s = TokenizePython(src);
  auto strings = OfKind(s, K::kString);
  ASSERT_EQ(strings.size(), 1u);
  EXPECT_EQ(strings[0]->line, 1);
  EXPECT_EQ(strings[0]->end_line, 3);
  EXPECT_EQ(strings[0]->end_column, 4);
  EXPECT_NE(strings[0]->flags & kPyStrHasExpressions, 0);
  auto names = OfKind(s, K::kName);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[1]->text, "z");
  EXPECT_EQ(names[1]->line, 4);
}

TEST(PythonTokenizer, ImplicitConcatenationShowsConsecutiveStrings) {
  PyTokenStream s = TokenizePython("x = (\"a\" 'b'\n     f\"c{d}\")\n");
  std::vector<Tok> expected = {{K::kName, "x"},     {K::kOp, "("},      {K::kString, "\"a\""},
                               {K::kString, "'b'"}, {K::kNl, "\n"},     {K::kString, "f\"c{d}\""},
                               {K::kOp, ")"},       {K::kNewline, "\n"}};
  std::vector<Tok> got = Simple(s);
  got.erase(got.begin() + 1);  // "="
  EXPECT_EQ(got, expected);
}

TEST(PythonTokenizer, BackslashJoinsLinesWithoutNewlineOrIndent) {
  std::string src = "x = 1 + \\\n        2\ny = 3\n";
  PyTokenStream s = TokenizePython(src);
  std::vector<Tok> expected = {{K::kName, "x"},    {K::kOp, "="},     {K::kNumber, "1"},
                               {K::kOp, "+"},      {K::kNumber, "2"}, {K::kNewline, "\n"},
                               {K::kName, "y"},    {K::kOp, "="},     {K::kNumber, "3"},
                               {K::kNewline, "\n"}};
  EXPECT_EQ(Simple(s), expected);
  EXPECT_EQ(s.tokens[4].line, 2);
  EXPECT_EQ(s.tokens[4].column, 9);
  EXPECT_EQ(s.tokens[6].line, 3);
  EXPECT_TRUE(s.diagnostics.empty());
}

TEST(PythonTokenizer, BracketsJoinLinesImplicitly) {
  PyTokenStream s = TokenizePython("f(a,\n      b)\nc\n");
  std::vector<Tok> expected = {
      {K::kName, "f"}, {K::kOp, "("}, {K::kName, "a"},     {K::kOp, ","},   {K::kNl, "\n"},
      {K::kName, "b"}, {K::kOp, ")"}, {K::kNewline, "\n"}, {K::kName, "c"}, {K::kNewline, "\n"}};
  EXPECT_EQ(Simple(s), expected);
  EXPECT_EQ(s.tokens[5].line, 2);
  EXPECT_EQ(s.tokens[5].column, 7);
}

TEST(PythonTokenizer, IndentAndDedentFollowBlocks) {
  std::string src =
      "if x:\n"
      "    y = 1\n"
      "\n"
      "# a comment at column 1 does not dedent\n"
      "    if z:\n"
      "\tw\n"
      "v\n";
  PyTokenStream s = TokenizePython(src);
  std::vector<PyTokenKind> kinds;
  for (const PyToken& t : s.tokens) {
    if (t.kind == K::kIndent || t.kind == K::kDedent) kinds.push_back(t.kind);
  }
  EXPECT_EQ(kinds, (std::vector<PyTokenKind>{K::kIndent, K::kIndent, K::kDedent, K::kDedent}));
  EXPECT_TRUE(s.diagnostics.empty());
  auto comments = OfKind(s, K::kComment);
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_EQ(comments[0]->line, 4);
}

TEST(PythonTokenizer, EndOfFileWithoutNewlineClosesLineAndBlocks) {
  PyTokenStream s = TokenizePython("if x:\n    y");
  ASSERT_GE(s.tokens.size(), 4u);
  size_t n = s.tokens.size();
  EXPECT_EQ(s.tokens[n - 1].kind, K::kEndMarker);
  EXPECT_EQ(s.tokens[n - 2].kind, K::kDedent);
  EXPECT_EQ(s.tokens[n - 3].kind, K::kNewline);
  EXPECT_EQ(s.tokens[n - 3].text, "");
}

TEST(PythonTokenizer, InconsistentDedentIsDiagnosed) {
  PyTokenStream s = TokenizePython("if x:\n        a\n    b\n");
  ASSERT_EQ(s.diagnostics.size(), 1u);
  EXPECT_EQ(s.diagnostics[0].line, 3);
  EXPECT_NE(s.diagnostics[0].message.find("unindent"), std::string::npos);
}

TEST(PythonTokenizer, IndentationCanBeSwitchedOff) {
  PyTokenizerOptions options;
  options.emit_indentation = false;
  PyTokenStream s = TokenizePython("if x:\n    y\n", options);
  EXPECT_TRUE(OfKind(s, K::kIndent).empty());
  EXPECT_TRUE(OfKind(s, K::kDedent).empty());
}

TEST(PythonTokenizer, CommentsAreTokensWithoutTheLineBreak) {
  PyTokenStream s = TokenizePython("x = 1  # eval(x)\n# only\n");
  std::vector<Tok> expected = {
      {K::kName, "x"},     {K::kOp, "="},           {K::kNumber, "1"}, {K::kComment, "# eval(x)"},
      {K::kNewline, "\n"}, {K::kComment, "# only"}, {K::kNl, "\n"}};
  EXPECT_EQ(Simple(s), expected);
}

TEST(PythonTokenizer, UnterminatedStringIsAnErrorAndTokenizingContinues) {
  std::string src = "x = 'abc\ny = \"ok\"\n";
  PyTokenStream s = TokenizePython(src);
  ASSERT_EQ(s.diagnostics.size(), 1u);
  EXPECT_EQ(s.diagnostics[0].line, 1);
  EXPECT_EQ(s.diagnostics[0].column, 5);
  EXPECT_NE(s.diagnostics[0].message.find("unterminated string"), std::string::npos);
  auto errors = OfKind(s, K::kError);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]->text, "'abc");
  EXPECT_NE(errors[0]->flags & kPyStrUnterminated, 0);
  auto strings = OfKind(s, K::kString);
  ASSERT_EQ(strings.size(), 1u);
  EXPECT_EQ(strings[0]->line, 2);
  EXPECT_EQ(strings[0]->text, "\"ok\"");
  ExpectWellFormed(src, s);
}

TEST(PythonTokenizer, UnterminatedFStringFieldEndsAtTheLine) {
  PyTokenStream s = TokenizePython("x = f\"{a\ny = 2\n");
  EXPECT_EQ(OfKind(s, K::kError).size(), 1u);
  auto names = OfKind(s, K::kName);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[1]->line, 2);
}

TEST(PythonTokenizer, UnterminatedTripleQuoteRunsToEndOfFile) {
  std::string src = "x = \"\"\"abc\nmore\nstill";
  PyTokenStream s = TokenizePython(src);
  ASSERT_EQ(s.diagnostics.size(), 1u);
  EXPECT_NE(s.diagnostics[0].message.find("triple-quoted"), std::string::npos);
  auto errors = OfKind(s, K::kError);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]->offset + errors[0]->text.size(), src.size());
  ExpectWellFormed(src, s);
}

TEST(PythonTokenizer, InvalidUtf8IsAnErrorTokenAndTokenizingContinues) {
  std::string src = "x = 1\n\xff\xfe = 2\ny = 3\n";
  PyTokenStream s = TokenizePython(src);
  ASSERT_EQ(s.diagnostics.size(), 1u);
  EXPECT_EQ(s.diagnostics[0].line, 2);
  EXPECT_EQ(s.diagnostics[0].column, 1);
  EXPECT_NE(s.diagnostics[0].message.find("UTF-8"), std::string::npos);
  auto errors = OfKind(s, K::kError);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0]->text, "\xff\xfe");
  auto names = OfKind(s, K::kName);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[1]->text, "y");
  EXPECT_EQ(names[1]->line, 3);
}

TEST(PythonTokenizer, InvalidUtf8InsideStringsAndCommentsIsDiagnosed) {
  PyTokenStream s = TokenizePython("s = 'a\xc3('  # \xed\xa0\x80\n");
  EXPECT_EQ(OfKind(s, K::kString).size(), 1u);
  EXPECT_EQ(OfKind(s, K::kComment).size(), 1u);
  ASSERT_EQ(s.diagnostics.size(), 2u);
  EXPECT_EQ(s.diagnostics[0].column, 7);
  EXPECT_EQ(s.diagnostics[1].column, 14);  // a UTF-8 encoded surrogate
}

TEST(PythonTokenizer, NonAsciiIdentifiersUseByteColumns) {
  PyTokenStream s = TokenizePython("caf\xc3\xa9 = 1\n");
  ASSERT_GE(s.tokens.size(), 3u);
  EXPECT_EQ(s.tokens[0].text, "caf\xc3\xa9");
  EXPECT_EQ(s.tokens[1].column, 7);
  EXPECT_TRUE(s.diagnostics.empty());
}

TEST(PythonTokenizer, StrayCharactersAreErrors) {
  PyTokenStream s = TokenizePython("a $ b ? c ` d ! e\x01\n");
  EXPECT_EQ(OfKind(s, K::kName).size(), 5u);
  EXPECT_EQ(OfKind(s, K::kError).size(), 5u);
  EXPECT_EQ(s.diagnostics.size(), 5u);
}

TEST(PythonTokenizer, BackslashNotAtLineEndIsAnError) {
  PyTokenStream s = TokenizePython("x = 1 \\ 2\n");
  EXPECT_EQ(OfKind(s, K::kError).size(), 1u);
  EXPECT_EQ(OfKind(s, K::kNumber).size(), 2u);
}

TEST(PythonTokenizer, NumbersInEveryForm) {
  PyTokenStream s = TokenizePython("0x1F 1_000 1.5e-3j .5 0o17 0b101 10j 1e10 1. 0XdeadBEEF\n");
  auto numbers = OfKind(s, K::kNumber);
  std::vector<std::string> texts;
  for (const PyToken* t : numbers) texts.emplace_back(t->text);
  EXPECT_EQ(texts, (std::vector<std::string>{"0x1F", "1_000", "1.5e-3j", ".5", "0o17", "0b101",
                                             "10j", "1e10", "1.", "0XdeadBEEF"}));
}

TEST(PythonTokenizer, OperatorsTakeTheLongestMatch) {
  PyTokenStream s = TokenizePython("a **= b // c -> d := e ... f != g >>= h @ i\n");
  std::vector<std::string> ops;
  for (const PyToken* t : OfKind(s, K::kOp)) ops.emplace_back(t->text);
  EXPECT_EQ(ops, (std::vector<std::string>{"**=", "//", "->", ":=", "...", "!=", ">>=", "@"}));
}

TEST(PythonTokenizer, CrLfLineEndings) {
  PyTokenStream s = TokenizePython("x = 1\r\nif x:\r\n    y = 'a'\r\n");
  auto newlines = OfKind(s, K::kNewline);
  ASSERT_EQ(newlines.size(), 3u);
  EXPECT_EQ(newlines[0]->text, "\r\n");
  auto names = OfKind(s, K::kName);
  ASSERT_EQ(names.size(), 4u);
  EXPECT_EQ(names[3]->text, "y");
  EXPECT_EQ(names[3]->line, 3);
  EXPECT_EQ(names[3]->column, 5);
  EXPECT_EQ(OfKind(s, K::kIndent).size(), 1u);
}

TEST(PythonTokenizer, ByteOrderMarkIsSkipped) {
  PyTokenStream s = TokenizePython("\xEF\xBB\xBFx = 1\n");
  ASSERT_FALSE(s.tokens.empty());
  EXPECT_EQ(s.tokens[0].text, "x");
  EXPECT_EQ(s.tokens[0].column, 4);
  EXPECT_TRUE(s.diagnostics.empty());
}

TEST(PythonTokenizer, DiagnosticsAreCapped) {
  PyTokenizerOptions options;
  options.max_diagnostics = 3;
  PyTokenStream s = TokenizePython(std::string(100, '$'), options);
  EXPECT_EQ(s.diagnostics.size(), 1u);  // one run of invalid characters
  PyTokenStream many = TokenizePython(std::string("$ ") + "$ $ $ $ $ $ $", options);
  ASSERT_EQ(many.diagnostics.size(), 4u);
  EXPECT_NE(many.diagnostics.back().message.find("further problems"), std::string::npos);
}

TEST(PythonTokenizer, FiveMegabyteFileTokenizesCompletely) {
  std::string src;
  int lines = 0;
  while (src.size() < 5 * 1024 * 1024) {
    src += "value_" + std::to_string(lines) + " = compute(" + std::to_string(lines) +
           ", 'text', f\"{x}\")  # note\n";
    ++lines;
  }
  PyTokenStream s = TokenizePython(src);
  EXPECT_TRUE(s.diagnostics.empty());
  // NAME = NAME ( NUMBER , STRING , STRING ) COMMENT NEWLINE
  EXPECT_EQ(s.tokens.size(), static_cast<size_t>(lines) * 12 + 1);
  EXPECT_EQ(s.tokens.back().line, lines + 1);
  const PyToken& last_name = s.tokens[s.tokens.size() - 13];
  EXPECT_EQ(last_name.text, "value_" + std::to_string(lines - 1));
  EXPECT_EQ(last_name.line, lines);
}

TEST(PythonTokenizer, HostileInputsEndCleanly) {
  std::vector<std::string> inputs = {
      std::string(1 << 20, '('),
      std::string(1 << 20, ')'),
      std::string(1 << 20, '"'),
      std::string(1 << 20, '\''),
      std::string(1 << 20, '\\'),
      std::string(1 << 20, '\0'),
      "f\"" + std::string(1 << 16, '{'),
      "f'''" + std::string(1 << 16, '{'),
      std::string(1 << 16, ' ') + "x\n" + std::string(1 << 15, '\t') + "y\n",
  };
  std::string nested = "x";
  for (int i = 0; i < 2000; ++i) nested = "f\"{" + nested + "}\"";
  inputs.push_back(nested);
  std::string noise;
  uint32_t state = 12345;
  for (int i = 0; i < (1 << 20); ++i) {
    state = state * 1103515245u + 12345u;
    noise += static_cast<char>(state >> 24);
  }
  inputs.push_back(noise);
  for (const std::string& src : inputs) {
    PyTokenStream s = TokenizePython(src);
    ExpectWellFormed(src, s);
    EXPECT_LE(s.diagnostics.size(), 101u);
  }
}

}  // namespace
}  // namespace bulwark::parse
