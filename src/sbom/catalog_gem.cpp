// RubyGems cataloger: the specification RubyGems writes for every installed
// gem, **/specifications/**/*.gemspec (gems/<ruby>/specifications/ and its
// default/ subfolder; sca.md §1, Trivy's gemspec analyzer). The file is Ruby
// code; it is read as text and never evaluated: only assignments of string
// literals are understood,
//   s.name = "rack".freeze      s.version = "3.0.8"      s.version = Gem::Version.new("1.2")
//   s.licenses = ["MIT".freeze, "Ruby".freeze]            s.license = %q{MIT}
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "sbom/cataloger.hpp"
#include "sbom/purl.hpp"

namespace bulwark::sbom {
namespace {

constexpr uint64_t kMaxGemspec = 1ull << 20;
constexpr std::string_view kSpecDir = "specifications/";
constexpr std::string_view kSuffix = ".gemspec";
constexpr size_t kMaxLicenses = 16;

bool IsGemspecPath(std::string_view path) {
  if (path.size() <= kSuffix.size() || path.substr(path.size() - kSuffix.size()) != kSuffix)
    return false;
  size_t at = path.find(kSpecDir);
  while (at != std::string_view::npos) {
    if (at == 0 || path[at - 1] == '/') return true;
    at = path.find(kSpecDir, at + 1);
  }
  return false;
}

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  return s;
}

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Every string literal in `text`: "..." and '...' (escapes dropped) and
// %q{...} / %Q(...) / %q[...] / %q<...>.
std::vector<std::string> StringLiterals(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size() && out.size() < kMaxLicenses) {
    char c = text[i];
    char close = 0;
    if (c == '"' || c == '\'') {
      close = c;
      ++i;
    } else if (c == '%' && i + 2 < text.size() && (text[i + 1] == 'q' || text[i + 1] == 'Q')) {
      std::string_view open = "{([<";
      size_t kind = open.find(text[i + 2]);
      if (kind == std::string_view::npos) {
        ++i;
        continue;
      }
      close = "})]>"[kind];
      i += 3;
    } else if (c == '#') {
      break;  // a comment ends the line
    } else {
      ++i;
      continue;
    }
    std::string value;
    while (i < text.size() && text[i] != close) {
      if (text[i] == '\\' && i + 1 < text.size()) ++i;
      value += text[i++];
    }
    ++i;
    out.push_back(std::move(value));
  }
  return out;
}

struct Gemspec {
  std::string name;
  std::string version;
  std::vector<std::string> licenses;
};

// "  s.version = ..." -> attribute "version", right-hand side "...".
bool SplitAssignment(std::string_view line, std::string_view& attr, std::string_view& rhs) {
  line = TrimLeft(line);
  size_t i = 0;
  while (i < line.size() && IsIdentChar(line[i])) ++i;
  if (i == 0 || i >= line.size() || line[i] != '.') return false;
  size_t start = ++i;
  while (i < line.size() && IsIdentChar(line[i])) ++i;
  attr = line.substr(start, i - start);
  std::string_view rest = TrimLeft(line.substr(i));
  if (rest.empty() || rest.front() != '=' || (rest.size() > 1 && rest[1] == '=')) return false;
  rhs = rest.substr(1);
  return true;
}

// The right-hand side when it is a literal, an array of literals or
// Gem::Version.new(literal); "" for anything computed
// (`File.basename(__FILE__, ".gemspec")` must not yield ".gemspec").
std::string_view LiteralValue(std::string_view rhs) {
  rhs = TrimLeft(rhs);
  constexpr std::string_view kVersionNew = "Gem::Version.new(";
  if (rhs.substr(0, kVersionNew.size()) == kVersionNew)
    rhs = TrimLeft(rhs.substr(kVersionNew.size()));
  if (rhs.empty()) return rhs;
  char c = rhs.front();
  return c == '"' || c == '\'' || c == '%' || c == '[' ? rhs : std::string_view();
}

Gemspec ParseGemspec(std::string_view text) {
  Gemspec spec;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    std::string_view attr;
    std::string_view rhs;
    if (!SplitAssignment(line, attr, rhs)) continue;
    std::vector<std::string> literals;
    if (attr == "name" || attr == "version" || attr == "license" || attr == "licenses") {
      literals = StringLiterals(LiteralValue(rhs));
    }
    if (literals.empty()) continue;
    if (attr == "name" && spec.name.empty()) spec.name = literals.front();
    if (attr == "version" && spec.version.empty()) spec.version = literals.front();
    if ((attr == "license" || attr == "licenses") && spec.licenses.empty())
      spec.licenses = literals;
  }
  return spec;
}

class GemCataloger final : public Cataloger {
 public:
  std::string_view Name() const override { return "gem-installed"; }

  std::vector<std::string> Paths() const override { return {"**/specifications/**/*.gemspec"}; }

  bool Wants(const image::FileEntry& entry) const override {
    return entry.size <= kMaxGemspec && IsGemspecPath(entry.path);
  }

  void Catalog(const image::FileView& files, const CatalogContext& context,
               CatalogOutput& out) const override {
    for (const image::FileEntry& entry : files.Entries()) {
      if (entry.type != image::FileType::kRegular && entry.type != image::FileType::kHardlink)
        continue;
      if (!IsGemspecPath(entry.path)) continue;
      auto text = files.Read(entry, kMaxGemspec);
      if (!text.ok()) {
        out.notes.push_back(entry.path + ": " + text.status().message());
        continue;
      }
      Gemspec spec = ParseGemspec(*text);
      if (spec.name.empty() || spec.version.empty()) {
        out.notes.push_back(entry.path + ": no literal s.name or s.version, skipped");
        continue;
      }
      Package package;
      package.type = PackageType::kGem;
      package.cataloger = std::string(Name());
      package.name = spec.name;
      package.version = spec.version;
      package.licenses = spec.licenses;
      package.locations.push_back("/" + entry.path);
      package.layer = entry.layer;
      package.purl = MakePurl(package, context.os);
      out.packages.push_back(std::move(package));
    }
  }
};

}  // namespace

std::unique_ptr<Cataloger> MakeGemCataloger() { return std::make_unique<GemCataloger>(); }

}  // namespace bulwark::sbom
