// libFuzzer target: dockerd's command line and daemon.json merged into the
// effective configuration, then every section-2 check on it. Input: argv
// entries separated by NUL, then 0x01, then the daemon.json text (also
// used as /info, so odd types reach the checks that read it).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "host/host_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace host = bulwark::host;
  const std::string input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\x01');
  std::string args = input.substr(0, split);
  std::string file = split == std::string::npos ? "" : input.substr(split + 1);
  std::vector<std::string> argv;
  size_t start = 0;
  while (start <= args.size()) {
    size_t nul = args.find('\0', start);
    argv.push_back(args.substr(start, nul == std::string::npos ? std::string::npos : nul - start));
    if (nul == std::string::npos) break;
    start = nul + 1;
  }
  auto json = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) json = nullptr;
  host::HostFacts facts;
  facts.daemon_process = host::DaemonProcess{1, argv, 0};
  facts.daemon = host::DaemonConfig::From(argv, json, "/etc/docker/daemon.json");
  facts.engine.reachable = true;
  facts.engine.info = json;
  facts.engine.version = json;
  for (const host::HostCheck& check : host::Section2DaemonConfigurationChecks()) {
    host::ResultSink sink;
    check.run(facts, sink);
  }
  return 0;
}
