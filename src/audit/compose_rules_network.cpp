// Network rules: published ports (interfaces, privileged host ports,
// database ports) and network segmentation.
#include <map>

#include "audit/compose_rules.hpp"

namespace bulwark::audit::compose {
namespace {

using core::Severity;

const std::map<int, const char*>& DatabasePorts() {
  static const std::map<int, const char*> kPorts = {
      {1433, "SQL Server"}, {1521, "Oracle"},        {2379, "etcd"},       {3306, "MySQL/MariaDB"},
      {5432, "PostgreSQL"}, {5984, "CouchDB"},       {6379, "Redis"},      {8086, "InfluxDB"},
      {9042, "Cassandra"},  {9200, "Elasticsearch"}, {11211, "Memcached"}, {26257, "CockroachDB"},
      {27017, "MongoDB"},
  };
  return kPorts;
}

const char* DatabaseOn(int first, int last) {
  if (first <= 0) return nullptr;
  for (const auto& [port, name] : DatabasePorts()) {
    if (port >= first && port <= last) return name;
  }
  return nullptr;
}

bool AllInterfaces(std::string_view ip) {
  return ip.empty() || ip == "0.0.0.0" || ip == "::" || ip == "[::]";
}

std::string Describe(const parse::ComposePort& port) {
  std::string text =
      port.published.empty()
          ? "container port " + parse::Printable(port.target) + " (on an ephemeral host port)"
          : "port " + parse::Printable(port.published) + "->" + parse::Printable(port.target);
  return text + "/" + parse::Printable(port.protocol);
}

void CheckPort(const ServiceContext& ctx, const parse::ComposePort& port) {
  auto ip = Effective(port.host_ip);
  const bool everywhere = ip && AllInterfaces(*ip);
  if (everywhere) {
    ctx.Report(kPortAllInterfaces,
               port.long_syntax && !port.host_ip.empty() ? port.host_ip_mark : port.mark,
               ctx.Subject() + " publishes " + Describe(port) + " on all host interfaces");
  }
  if (port.published_first > 0 && port.published_first < 1024) {
    ctx.Report(
        kPrivilegedHostPort, port.long_syntax ? port.published_mark : port.mark,
        ctx.Subject() + " publishes privileged host port " + std::to_string(port.published_first));
  }
  const char* database = DatabaseOn(port.target_first, port.target_last);
  if (database == nullptr) database = DatabaseOn(port.published_first, port.published_last);
  if (database != nullptr) {
    ctx.Report(kDatabasePortPublished, everywhere ? Severity::kMedium : Severity::kLow, port.mark,
               ctx.Subject() + " publishes " + database + " " + Describe(port) + " to the host" +
                   (everywhere ? " on all interfaces" : ""));
  }
}

void CheckSegmentation(const ServiceContext& ctx) {
  const auto& s = ctx.service();
  if (s.network_mode) {
    auto mode = Effective(s.network_mode->text);
    if (mode && Lower(*mode) == "bridge") {
      ctx.Report(kDefaultNetworkOnly, Severity::kMedium, s.network_mode->key,
                 ctx.Subject() + " uses Docker's default bridge (network_mode: bridge)");
    }
    return;  // host, none, service:x, container:x: not the default network
  }
  if (ctx.file().services.size() < 2) return;  // nothing to segment from
  bool dedicated = false;
  if (s.networks) {
    for (const auto& item : s.networks->items) dedicated |= item.text != "default";
  }
  if (!dedicated) {
    ctx.Report(kDefaultNetworkOnly, s.mark,
               ctx.Subject() +
                   " is only on the project's default network, shared with every "
                   "other service");
  }
}

// A data store, recognised by its image name or its container ports.
bool IsDataStore(const parse::ComposeService& service) {
  static constexpr std::string_view kNames[] = {
      "postgres",   "mysql",     "mariadb",    "mongo",    "redis", "memcached", "elasticsearch",
      "opensearch", "cassandra", "couchdb",    "influxdb", "mssql", "sql-edge",  "cockroach",
      "etcd",       "neo4j",     "clickhouse", "valkey",   "keydb"};
  if (service.image) {
    std::string image = Lower(service.image->text);
    image = image.substr(0, image.find('@'));
    const size_t slash = image.rfind('/');
    std::string name = image.substr(slash == std::string::npos ? 0 : slash + 1);
    name = name.substr(0, name.find(':'));
    for (std::string_view known : kNames) {
      if (name.find(known) != std::string::npos) return true;
    }
  }
  for (const auto& port : service.ports) {
    if (DatabaseOn(port.target_first, port.target_last) != nullptr) return true;
  }
  return false;
}

bool OnNetwork(const parse::ComposeService& service, std::string_view network) {
  if (!service.networks) return false;
  for (const auto& item : service.networks->items) {
    if (item.text == network) return true;
  }
  return false;
}

}  // namespace

void CheckBackendNetworks(const parse::ComposeFile& file, const std::string& path,
                          core::FindingSink& sink) {
  for (const auto& network : file.networks) {
    if (network.internal || network.external || network.driver == "host" ||
        network.driver == "none") {
      continue;
    }
    const parse::ComposeService* store = nullptr;
    bool needed_for_ports = false;
    for (const auto& service : file.services) {
      if (!OnNetwork(service, network.name)) continue;
      if (store == nullptr && IsDataStore(service)) store = &service;
      // Ports are published through a non-internal network; if this is the
      // service's only one, making it internal would unpublish them.
      if (!service.ports.empty() && service.networks->items.size() < 2) needed_for_ports = true;
    }
    if (store == nullptr || needed_for_ports) continue;
    sink.Report(kBackendNetworkNotInternal,
                core::Location{path, network.mark.line, network.mark.column, 0, 0},
                "network '" + parse::Printable(network.name) + "' carries data store service '" +
                    parse::Printable(store->name) + "' but is not internal: true");
  }
}

void CheckNetwork(const ServiceContext& ctx) {
  const auto& s = ctx.service();
  auto mode = s.network_mode ? Effective(s.network_mode->text) : std::nullopt;
  // With network_mode: host the engine ignores `ports:`; the host-network
  // finding covers it.
  if (!(mode && Lower(*mode) == "host")) {
    for (const auto& port : s.ports) CheckPort(ctx, port);
  }
  CheckSegmentation(ctx);
}

}  // namespace bulwark::audit::compose
