// Environment variables: credentials (names that hold secrets) and
// references to other services (values that name a host: a URL, host:port,
// a connection string, or a bare name in a *_HOST-like variable).
#include <algorithm>
#include <array>
#include <cctype>

#include "audit/dockerfile_checks_secret_names.hpp"
#include "model/datastore_catalog.hpp"
#include "model/model_derive.hpp"

namespace bulwark::model::detail {
namespace {

constexpr size_t kMaxValue = 4096;    // longer values are data, not addresses
constexpr size_t kMaxTargets = 16;    // per variable

struct Target {
  std::string host;
  int port = 0;
  std::string protocol;
  bool tls = false;
  bool credentials = false;  // user:password@ in the URL
};

std::vector<std::string> Tokens(std::string_view name) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      current += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    } else if (!current.empty()) {
      tokens.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  return tokens;
}

// DB_HOST, REDIS_URL, KAFKA_BROKERS: a variable that holds an address.
bool AddressName(std::string_view name) {
  static constexpr std::array<std::string_view, 18> kWords = {
      "HOST",   "HOSTS",  "HOSTNAME", "SERVER",  "SERVERS",   "ADDR",    "ADDRESS", "URL",     "URI",
      "ENDPOINT", "ENDPOINTS", "BROKER", "BROKERS", "UPSTREAM", "BACKEND", "DSN", "SERVICE", "NODES"};
  for (const std::string& token : Tokens(name)) {
    for (std::string_view word : kWords) {
      if (token == word) return true;
    }
  }
  return false;
}

// A DNS name (or a Kubernetes service FQDN) with at least one letter.
bool HostName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  bool letter = false;
  for (char c : host) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '-' && c != '.' && c != '_') return false;
    letter = letter || std::isalpha(u);
  }
  return letter;
}

// "db:5432" or "db".
std::optional<Target> HostPort(std::string_view text) {
  Target target;
  size_t colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    target.port = LeadingPort(text.substr(colon + 1));
    if (target.port == 0 || colon + 1 + std::to_string(target.port).size() != text.size()) return std::nullopt;
    text = text.substr(0, colon);
  }
  if (!HostName(text)) return std::nullopt;
  target.host = Lower(text);
  return target;
}

void ParseUrl(std::string_view value, std::vector<Target>& out) {
  size_t sep = value.find("://");
  std::string scheme = Lower(value.substr(0, sep));
  std::string_view rest = value.substr(sep + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  bool credentials = false;
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    credentials = rest.substr(0, at).find(':') != std::string_view::npos;
    rest = rest.substr(at + 1);
  }
  auto info = ProtocolForScheme(scheme);
  while (!rest.empty() && out.size() < kMaxTargets) {
    size_t comma = rest.find(',');
    if (auto target = HostPort(rest.substr(0, comma))) {
      if (info) {
        target->protocol = info->protocol;
        target->tls = info->tls;
        if (target->port == 0) target->port = info->port;
      }
      target->credentials = credentials;
      out.push_back(std::move(*target));
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
}

// "Server=db,1433;Database=x;User Id=sa;Password=..." (SQL Server, .NET).
void ParseConnectionString(std::string_view value, std::vector<Target>& out) {
  bool password = Lower(value).find("password=") != std::string::npos;
  while (!value.empty() && out.size() < kMaxTargets) {
    size_t semi = value.find(';');
    std::string_view pair = value.substr(0, semi);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos) {
      std::string key = Lower(Trim(pair.substr(0, eq)));
      std::string host = Trim(pair.substr(eq + 1));
      if (key == "server" || key == "host" || key == "data source" || key == "address" || key == "addr") {
        if (Lower(host).starts_with("tcp:")) host = host.substr(4);
        std::replace(host.begin(), host.end(), ',', ':');
        if (auto target = HostPort(host)) {
          target->credentials = password;
          out.push_back(std::move(*target));
        }
      }
    }
    if (semi == std::string_view::npos) break;
    value.remove_prefix(semi + 1);
  }
}

// Words of a list value ("kafka1:9092,kafka2:9092"); bare names only in address variables.
void ParseWords(std::string_view name, std::string_view value, std::vector<Target>& out) {
  bool address = AddressName(name);
  size_t pos = 0;
  while (pos < value.size() && out.size() < kMaxTargets) {
    size_t end = value.find_first_of(", \t", pos);
    if (end == std::string_view::npos) end = value.size();
    std::string_view word = value.substr(pos, end - pos);
    pos = end + 1;
    auto target = HostPort(word);
    if (target && (target->port > 0 || address)) out.push_back(std::move(*target));
  }
}

std::vector<Target> Targets(std::string_view name, std::string value) {
  std::vector<Target> out;
  if (parse::HasInterpolation(value)) value = parse::InterpolationDefault(value).value_or("");
  value = Trim(value);
  if (value.empty() || value.size() > kMaxValue) return out;
  if (Lower(value).starts_with("jdbc:")) value = value.substr(5);
  if (size_t sep = value.find("://"); sep != std::string::npos && sep > 0 && sep < 20) {
    ParseUrl(value, out);
  } else if (value.find(';') != std::string::npos && value.find('=') != std::string::npos) {
    ParseConnectionString(value, out);
  } else {
    ParseWords(name, value, out);
  }
  return out;
}

// MYSQL_ALLOW_EMPTY_PASSWORD=yes, MYSQL_RANDOM_ROOT_PASSWORD=1: switches, not secrets.
bool SwitchValue(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string v = Lower(Trim(*value));
  return v == "yes" || v == "no" || v == "true" || v == "false" || v == "1" || v == "0" || v == "on" || v == "off";
}

void AddCredential(Element& element, const EnvVar& var) {
  bool secret_name = audit::dockerfile::IsSecretName(var.name);
  if (!var.from_secret && (!secret_name || SwitchValue(var.value))) return;
  bool inline_value = !var.from_secret && var.value && !Trim(*var.value).empty() && !parse::HasInterpolation(*var.value);
  element.credentials.push_back(CredentialRef{var.name, inline_value, var.evidence});
}

}  // namespace

void ReadEnvironment(BuildState& state, Element& element, const std::string& scope, const EnvVar& var) {
  AddCredential(element, var);
  if (!var.value || var.from_secret) return;
  std::vector<std::string> tokens = Tokens(var.name);
  std::string hint = tokens.empty() ? "" : tokens.front();
  for (Target& target : Targets(var.name, *var.value)) {
    Reference ref;
    ref.from = element.id;
    ref.scope = scope;
    ref.target = std::move(target.host);
    ref.port = target.port;
    ref.protocol = std::move(target.protocol);
    ref.encrypted = target.tls;
    ref.authenticated = target.credentials;
    ref.credential_prefix = hint;
    ref.evidence = var.evidence;
    state.references.push_back(std::move(ref));
  }
}

}  // namespace bulwark::model::detail
