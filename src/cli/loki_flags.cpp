#include "cli/loki_flags.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "core/escape.hpp"
#include "runtime/output/loki_endpoint.hpp"
#include "runtime/output/loki_push.hpp"

namespace bulwark::cli {
namespace {

namespace output = runtime::output;

constexpr size_t kMaxSecretBytes = 64 * 1024;

std::string TrimLineEnd(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// A secret from FILE, else from the environment variable; empty when neither.
core::Result<std::string> ReadSecret(const std::string& file, const char* env) {
  if (file.empty()) {
    const char* value = std::getenv(env);
    return value == nullptr ? std::string() : TrimLineEnd(value);
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return core::Error(core::ErrorCode::kNotFound, "cannot read " + core::EscapeTerminal(file));
  }
  std::string text;
  text.resize(kMaxSecretBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxSecretBytes) {
    return core::Error(core::ErrorCode::kTooLarge, core::EscapeTerminal(file) + " is too large");
  }
  return TrimLineEnd(std::move(text));
}

core::Status AddEndpoint(const LokiFlags& flags, output::LokiOptions& options) {
  output::LokiEndpoint endpoint{.url = flags.url, .tenant = flags.tenant};
  if (endpoint.tenant.empty()) {
    const char* tenant = std::getenv("BULWARK_LOKI_TENANT");
    if (tenant != nullptr) endpoint.tenant = tenant;
  }
  ASSIGN_OR_RETURN(endpoint.bearer_token, ReadSecret(flags.token_file, "BULWARK_LOKI_TOKEN"));
  ASSIGN_OR_RETURN(std::string basic,
                   ReadSecret(flags.basic_auth_file, "BULWARK_LOKI_BASIC_AUTH"));
  if (!basic.empty()) {
    size_t colon = basic.find(':');
    if (colon == std::string::npos) {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         "Loki basic auth must be user:password (--loki-basic-auth-file or "
                         "BULWARK_LOKI_BASIC_AUTH)");
    }
    endpoint.basic_user = basic.substr(0, colon);
    endpoint.basic_password = basic.substr(colon + 1);
  }
  ASSIGN_OR_RETURN(options.http, output::MakeLokiHttpOptions(endpoint));
  return core::Status::Ok();
}

}  // namespace

void AddLokiFlags(CLI::App& command, LokiFlags& flags) {
  command.add_option("--loki", flags.url, "Push alerts to Grafana Loki at URL (http://host:3100)");
  command.add_option("--loki-label", flags.labels, "NAME=VALUE: a static Loki label (repeatable)");
  command.add_option("--loki-tenant", flags.tenant, "Loki tenant (X-Scope-OrgID)");
  command.add_option("--loki-token-file", flags.token_file,
                     "Bearer token for Loki, read from FILE (or BULWARK_LOKI_TOKEN)");
  command.add_option("--loki-basic-auth-file", flags.basic_auth_file,
                     "user:password for Loki, read from FILE (or BULWARK_LOKI_BASIC_AUTH)");
  command.add_option("--loki-spool", flags.spool_dir, "Keep undelivered Loki batches in DIR");
}

core::Result<output::LokiOptions> LokiOptionsFromFlags(const LokiFlags& flags) {
  output::LokiOptions options;
  RETURN_IF_ERROR(AddEndpoint(flags, options));
  for (const std::string& text : flags.labels) {
    ASSIGN_OR_RETURN(auto label, output::ParseLokiLabel(text));
    options.extra_labels.push_back(std::move(label));
  }
  if (!flags.spool_dir.empty()) options.spool = output::SpoolOptions{.dir = flags.spool_dir};
  return options;
}

core::Result<std::unique_ptr<output::LokiSink>> MakeLokiSink(const LokiFlags& flags,
                                                             output::AlertMetrics& metrics) {
  if (flags.url.empty()) return std::unique_ptr<output::LokiSink>();
  ASSIGN_OR_RETURN(output::LokiOptions options, LokiOptionsFromFlags(flags));
  options.log = [](const std::string& line) {
    std::fprintf(stderr, "bulwark watch: output %s\n", core::EscapeTerminal(line).c_str());
  };
  return output::LokiSink::Create(std::move(options), &metrics);
}

}  // namespace bulwark::cli
