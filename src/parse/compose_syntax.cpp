// The string syntaxes inside a compose file: port and volume short syntax,
// and `${VAR}` interpolation. Split from compose.cpp, which builds the model.
#include <cctype>
#include <charconv>

#include "parse/compose.hpp"

namespace bulwark::parse {
namespace {

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Index of the `}` closing the `${` that starts at `open`, npos when none.
size_t ClosingBrace(std::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      ++depth;
      ++i;
    } else if (text[i] == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Splits on `separator` except inside `${...}`, where `:-` defaults live.
std::vector<std::string_view> SplitOutsideBraces(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      const size_t close = ClosingBrace(text, i);
      if (close != std::string_view::npos) i = close;
    } else if (text[i] == separator) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::string Join(const std::vector<std::string_view>& parts, size_t begin, size_t end, char sep) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) out += sep;
    out += parts[i];
  }
  return out;
}

bool ParseNumber(std::string_view text, int& value) {
  if (text.empty()) return false;
  auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && ptr == text.data() + text.size();
}

bool ParsePortRange(std::string_view text, int& first, int& last) {
  first = last = 0;
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    if (!ParseNumber(text, first)) return false;
    last = first;
  } else if (!ParseNumber(text.substr(0, dash), first) ||
             !ParseNumber(text.substr(dash + 1), last)) {
    return false;
  }
  return first >= 0 && last >= first && last <= 65535;
}

}  // namespace

bool HasInterpolation(std::string_view text) {
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != '$') continue;
    if (text[i + 1] == '$') {
      ++i;  // `$$` is an escaped dollar
    } else if (text[i + 1] == '{' || IsNameStart(text[i + 1])) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> InterpolationDefault(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      out += c;
      continue;
    }
    const char next = text[i + 1];
    if (next == '$') {
      out += '$';
      ++i;
    } else if (next == '{') {
      const size_t close = ClosingBrace(text, i);
      if (close == std::string_view::npos) return std::nullopt;
      std::string_view inner = text.substr(i + 2, close - i - 2);
      size_t name_end = 0;
      while (name_end < inner.size() &&
             (std::isalnum(static_cast<unsigned char>(inner[name_end])) != 0 ||
              inner[name_end] == '_')) {
        ++name_end;
      }
      std::string_view op = inner.substr(name_end);
      std::string_view fallback;
      if (op.substr(0, 2) == ":-")
        fallback = op.substr(2);
      else if (op.substr(0, 1) == "-")
        fallback = op.substr(1);
      else
        return std::nullopt;  // no default: the value is the user's
      auto resolved = InterpolationDefault(fallback);
      if (!resolved) return std::nullopt;
      out += *resolved;
      i = close;
    } else if (IsNameStart(next)) {
      return std::nullopt;
    } else {
      out += c;
    }
  }
  return out;
}

bool ParsePortShortSyntax(std::string_view text, ComposePort& port, std::string& error) {
  port.raw = std::string(text);
  std::string_view body = text;
  const auto slash_parts = SplitOutsideBraces(body, '/');
  if (slash_parts.size() > 2) {
    error = "more than one '/' in port";
    return false;
  }
  if (slash_parts.size() == 2) {
    port.protocol = std::string(slash_parts[1]);
    body = slash_parts[0];
  }
  if (!body.empty() && body.front() == '[') {  // "[::1]:80:80"
    const size_t close = body.find(']');
    if (close == std::string_view::npos || body.substr(close + 1, 1) != ":") {
      error = "unterminated '[' in IPv6 host address";
      return false;
    }
    port.host_ip = std::string(body.substr(1, close - 1));
    body = body.substr(close + 2);
    const auto parts = SplitOutsideBraces(body, ':');
    if (parts.size() != 2) {
      error = "expected [IP]:HOST:CONTAINER";
      return false;
    }
    port.published = std::string(parts[0]);
    port.target = std::string(parts[1]);
  } else {
    const auto parts = SplitOutsideBraces(body, ':');
    port.target = std::string(parts.back());
    if (parts.size() >= 2) port.published = std::string(parts[parts.size() - 2]);
    if (parts.size() >= 3) port.host_ip = Join(parts, 0, parts.size() - 2, ':');
  }
  if (port.target.empty()) {
    error = "no container port";
    return false;
  }
  const auto numbers_ok = [](const std::string& value, int& first, int& last) {
    if (value.empty()) return true;
    if (HasInterpolation(value)) {
      auto resolved = InterpolationDefault(value);
      return !resolved || ParsePortRange(*resolved, first, last) || resolved->empty();
    }
    return ParsePortRange(value, first, last);
  };
  if (!numbers_ok(port.target, port.target_first, port.target_last) ||
      !numbers_ok(port.published, port.published_first, port.published_last)) {
    error = "not a port number or range";
    return false;
  }
  return true;
}

namespace {

bool LooksLikeHostPath(std::string_view source) {
  if (source.empty()) return false;
  if (source.front() == '/' || source.front() == '.' || source.front() == '~') return true;
  // Windows drive ("C:\data" joined back by the caller) or a UNC path.
  if (source.size() >= 2 && source[1] == ':') return true;
  if (source.front() == '\\') return true;
  if (HasInterpolation(source)) {
    auto resolved = InterpolationDefault(source);
    if (resolved) return LooksLikeHostPath(*resolved);
    // `${DATA_DIR}` alone: a variable holding a path is the common case.
    return source.find('/') != std::string_view::npos || source.front() == '$';
  }
  return false;
}

void ApplyVolumeOptions(std::string_view options, ComposeVolume& volume) {
  for (std::string_view option : SplitOutsideBraces(options, ',')) {
    volume.options.emplace_back(option);
    if (option == "ro") volume.read_only = true;
    if (option == "rw") volume.read_only = false;
    if (option == "shared" || option == "rshared" || option == "slave" || option == "rslave" ||
        option == "private" || option == "rprivate") {
      volume.propagation = std::string(option);
    }
  }
}

}  // namespace

bool ParseVolumeShortSyntax(std::string_view text, ComposeVolume& volume, std::string& error) {
  auto parts = SplitOutsideBraces(text, ':');
  // Re-join a Windows drive letter split off a path: "C:\data:/data".
  if (parts.size() >= 2 && parts[0].size() == 1 &&
      std::isalpha(static_cast<unsigned char>(parts[0][0])) && !parts[1].empty() &&
      (parts[1][0] == '\\' || parts[1][0] == '/')) {
    std::string_view joined = text.substr(0, parts[0].size() + 1 + parts[1].size());
    parts.erase(parts.begin());
    parts[0] = joined;
  }
  if (parts.empty() || parts.size() > 3 || parts[0].empty()) {
    error = "expected [SOURCE:]TARGET[:MODE]";
    return false;
  }
  if (parts.size() == 1) {
    volume.type = "volume";  // anonymous volume
    volume.target = std::string(parts[0]);
    return true;
  }
  volume.source = std::string(parts[0]);
  volume.target = std::string(parts[1]);
  volume.type = LooksLikeHostPath(volume.source) ? "bind" : "volume";
  if (parts.size() == 3) ApplyVolumeOptions(parts[2], volume);
  if (volume.target.empty()) {
    error = "no target path";
    return false;
  }
  return true;
}

}  // namespace bulwark::parse
