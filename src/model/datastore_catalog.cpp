#include "model/datastore_catalog.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "parse/compose.hpp"
#include "parse/dockerfile_image.hpp"

namespace bulwark::model {
namespace {

struct Entry {
  Technology tech;
  std::vector<std::string_view> names;  // image names: the last path component, or a repository suffix
  bool by_port = false;                 // the port alone is enough to recognise it
};

const std::vector<Entry>& Catalog() {
  static const std::vector<Entry> kCatalog = {
      {{"postgresql", "PostgreSQL", "database", true, "postgresql", 5432},
       {"postgres", "postgresql", "postgis", "timescaledb", "timescaledb-ha", "pgvector", "postgresql-repmgr"},
       true},
      {{"mysql", "MySQL", "database", true, "mysql", 3306},
       {"mysql", "mysql-server", "percona", "percona-server"},
       true},
      {{"mariadb", "MariaDB", "database", true, "mysql", 3306}, {"mariadb", "mariadb-galera"}, false},
      {{"redis", "Redis", "cache", true, "redis", 6379},
       {"redis", "redis-stack", "redis-stack-server", "valkey", "keydb", "dragonfly"},
       true},
      {{"mongodb", "MongoDB", "database", true, "mongodb", 27017},
       {"mongo", "mongodb", "mongodb-community-server", "mongodb-enterprise-server"},
       true},
      {{"elasticsearch", "Elasticsearch", "search engine", true, "http", 9200}, {"elasticsearch"}, true},
      {{"opensearch", "OpenSearch", "search engine", true, "http", 9200}, {"opensearch"}, false},
      {{"cassandra", "Cassandra", "database", true, "cql", 9042}, {"cassandra", "scylla"}, true},
      {{"memcached", "memcached", "cache", true, "memcached", 11211}, {"memcached"}, true},
      {{"rabbitmq", "RabbitMQ", "message broker", true, "amqp", 5672}, {"rabbitmq"}, true},
      {{"kafka", "Kafka", "message broker", true, "kafka", 9092},
       {"kafka", "cp-kafka", "cp-server", "redpanda"},
       true},
      {{"nats", "NATS", "message broker", true, "nats", 4222}, {"nats", "nats-streaming"}, true},
      {{"mosquitto", "Mosquitto", "message broker", true, "mqtt", 1883},
       {"eclipse-mosquitto", "mosquitto", "emqx"},
       true},
      {{"activemq", "ActiveMQ", "message broker", true, "openwire", 61616},
       {"activemq", "activemq-artemis", "activemq-classic"},
       true},
      {{"minio", "MinIO", "object store", true, "http", 9000}, {"minio"}, false},
      {{"etcd", "etcd", "key-value store", true, "etcd", 2379}, {"etcd"}, true},
      {{"couchdb", "CouchDB", "database", true, "http", 5984}, {"couchdb"}, true},
      {{"influxdb", "InfluxDB", "database", true, "http", 8086}, {"influxdb"}, true},
      {{"mssql", "SQL Server", "database", true, "tds", 1433},
       {"mssql/server", "mssql-server-linux", "azure-sql-edge"},
       true},
      {{"neo4j", "Neo4j", "database", true, "bolt", 7687}, {"neo4j"}, true},
      {{"clickhouse", "ClickHouse", "database", true, "http", 8123}, {"clickhouse-server", "clickhouse"}, false},
      {{"zookeeper", "ZooKeeper", "coordination store", true, "zookeeper", 2181},
       {"zookeeper", "cp-zookeeper"},
       true},
      {{"cockroachdb", "CockroachDB", "database", true, "postgresql", 26257}, {"cockroach"}, true},
  };
  return kCatalog;
}

// Services: recognised by a word in the image's last path component.
struct ServiceWord {
  std::string_view word;
  Technology tech;
};

const std::vector<ServiceWord>& ServiceWords() {
  static const std::vector<ServiceWord> kWords = {
      {"nginx", {"nginx", "nginx", "web server", false, "http", 80}},
      {"httpd", {"apache", "Apache httpd", "web server", false, "http", 80}},
      {"traefik", {"traefik", "Traefik", "reverse proxy", false, "http", 80}},
      {"haproxy", {"haproxy", "HAProxy", "reverse proxy", false, "http", 80}},
      {"envoy", {"envoy", "Envoy", "reverse proxy", false, "http", 80}},
      {"caddy", {"caddy", "Caddy", "web server", false, "http", 80}},
      {"python", {"python", "Python", "application", false, "", 0}},
      {"flask", {"python", "Python", "application", false, "", 0}},
      {"django", {"python", "Python", "application", false, "", 0}},
      {"node", {"node", "Node.js", "application", false, "", 0}},
      {"golang", {"go", "Go", "application", false, "", 0}},
      {"openjdk", {"java", "Java", "application", false, "", 0}},
      {"temurin", {"java", "Java", "application", false, "", 0}},
      {"corretto", {"java", "Java", "application", false, "", 0}},
      {"maven", {"java", "Java", "application", false, "", 0}},
      {"tomcat", {"tomcat", "Tomcat", "application server", false, "http", 8080}},
      {"wordpress", {"wordpress", "WordPress", "web application", false, "http", 80}},
      {"php", {"php", "PHP", "application", false, "", 0}},
      {"ruby", {"ruby", "Ruby", "application", false, "", 0}},
      {"aspnet", {"dotnet", ".NET", "application", false, "", 0}},
      {"dotnet", {"dotnet", ".NET", "application", false, "", 0}},
      {"grafana", {"grafana", "Grafana", "dashboard", false, "http", 3000}},
      {"prometheus", {"prometheus", "Prometheus", "monitoring", false, "http", 9090}},
      {"jenkins", {"jenkins", "Jenkins", "build server", false, "http", 8080}},
      {"gitea", {"gitea", "Gitea", "web application", false, "http", 3000}},
      {"nextcloud", {"nextcloud", "Nextcloud", "web application", false, "http", 80}},
      {"vault", {"vault", "Vault", "secret store", false, "http", 8200}},
      {"keycloak", {"keycloak", "Keycloak", "identity provider", false, "http", 8080}},
      {"kibana", {"kibana", "Kibana", "dashboard", false, "http", 5601}},
      {"logstash", {"logstash", "Logstash", "log pipeline", false, "", 0}},
  };
  return kWords;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The repository part of an image reference, lower case: "bulwark-lab/postgres".
std::string Repository(std::string_view image) {
  std::string text(image);
  if (parse::HasInterpolation(text)) {
    auto value = parse::InterpolationDefault(text);
    if (!value) return "";
    text = *value;
  }
  if (auto ref = parse::ParseImageRef(text)) return Lower(ref->repository);
  return "";
}

bool EndsWithPath(std::string_view repository, std::string_view name) {
  if (repository == name) return true;
  return repository.size() > name.size() && repository.ends_with(name) &&
         repository[repository.size() - name.size() - 1] == '/';
}

}  // namespace

const Technology* TechnologyForImage(std::string_view image) {
  std::string repository = Repository(image);
  if (repository.empty()) return nullptr;
  for (const Entry& entry : Catalog()) {
    for (std::string_view name : entry.names) {
      if (EndsWithPath(repository, name)) return &entry.tech;
    }
  }
  std::string_view last = repository;
  if (size_t slash = last.rfind('/'); slash != std::string_view::npos) last.remove_prefix(slash + 1);
  for (const ServiceWord& word : ServiceWords()) {
    if (last.find(word.word) != std::string_view::npos) return &word.tech;
  }
  return nullptr;
}

const Technology* DataStoreForPort(int port) {
  if (port <= 0) return nullptr;
  for (const Entry& entry : Catalog()) {
    if (entry.by_port && entry.tech.port == port) return &entry.tech;
  }
  return nullptr;
}

const Technology* FindTechnology(std::string_view id) {
  for (const Entry& entry : Catalog()) {
    if (entry.tech.id == id) return &entry.tech;
  }
  for (const ServiceWord& word : ServiceWords()) {
    if (word.tech.id == id) return &word.tech;
  }
  return nullptr;
}

std::string ProtocolForPort(int port) {
  static constexpr std::array<int, 14> kHttp = {80,   81,   3000, 3001, 4200, 5000, 5601,
                                                 8000, 8008, 8080, 8081, 8088, 8888, 15672};
  static constexpr std::array<int, 4> kHttps = {443, 6443, 8443, 9443};
  if (std::find(kHttp.begin(), kHttp.end(), port) != kHttp.end()) return "http";
  if (std::find(kHttps.begin(), kHttps.end(), port) != kHttps.end()) return "https";
  if (const Technology* tech = DataStoreForPort(port)) return std::string(tech->protocol);
  switch (port) {
    case 22: return "ssh";
    case 25: case 587: return "smtp";
    case 53: return "dns";
    case 389: return "ldap";
    case 636: return "ldaps";
    case 5671: return "amqps";
    case 8883: return "mqtts";
    case 9000: return "http";
    default: return "tcp";
  }
}

bool TlsProtocol(std::string_view protocol) {
  static constexpr std::array<std::string_view, 7> kTls = {"https", "amqps", "ldaps", "mqtts",
                                                           "wss",   "rediss", "grpcs"};
  return std::find(kTls.begin(), kTls.end(), protocol) != kTls.end();
}

std::optional<SchemeInfo> ProtocolForScheme(std::string_view scheme) {
  struct Row {
    std::string_view scheme;
    SchemeInfo info;
  };
  static const std::vector<Row> kRows = {
      {"http", {"http", 80, false}},          {"https", {"https", 443, true}},
      {"ws", {"http", 80, false}},            {"wss", {"https", 443, true}},
      {"postgres", {"postgresql", 5432, false}}, {"postgresql", {"postgresql", 5432, false}},
      {"mysql", {"mysql", 3306, false}},      {"mariadb", {"mysql", 3306, false}},
      {"redis", {"redis", 6379, false}},      {"rediss", {"redis", 6379, true}},
      {"mongodb", {"mongodb", 27017, false}}, {"mongodb+srv", {"mongodb", 27017, true}},
      {"amqp", {"amqp", 5672, false}},        {"amqps", {"amqps", 5671, true}},
      {"nats", {"nats", 4222, false}},        {"tls", {"nats", 4222, true}},
      {"kafka", {"kafka", 9092, false}},      {"memcached", {"memcached", 11211, false}},
      {"bolt", {"bolt", 7687, false}},        {"neo4j", {"bolt", 7687, false}},
      {"mqtt", {"mqtt", 1883, false}},        {"mqtts", {"mqtts", 8883, true}},
      {"ldap", {"ldap", 389, false}},         {"ldaps", {"ldaps", 636, true}},
      {"smtp", {"smtp", 25, false}},          {"sqlserver", {"tds", 1433, false}},
      {"cassandra", {"cql", 9042, false}},    {"grpc", {"grpc", 0, false}},
      {"tcp", {"tcp", 0, false}},             {"ssh", {"ssh", 22, false}},
      {"etcd", {"etcd", 2379, false}},        {"zookeeper", {"zookeeper", 2181, false}},
  };
  for (const Row& row : kRows) {
    if (row.scheme == scheme) return row.info;
  }
  return std::nullopt;
}

std::string ProtocolDisplay(std::string_view protocol) {
  static const std::vector<std::pair<std::string_view, std::string_view>> kNames = {
      {"postgresql", "PostgreSQL"}, {"mysql", "MySQL"},     {"redis", "Redis"},
      {"mongodb", "MongoDB"},       {"kafka", "Kafka"},     {"memcached", "memcached"},
      {"docker-api", "Docker API"}, {"file", "file"},       {"etcd", "etcd"},
      {"bolt", "Bolt"},             {"grpc", "gRPC"},       {"zookeeper", "ZooKeeper"},
      {"openwire", "OpenWire"},     {"image-pull", "pull"},
  };
  for (const auto& [id, name] : kNames) {
    if (id == protocol) return std::string(name);
  }
  std::string out(protocol);
  if (out.size() <= 6) {
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string FlowLabel(std::string_view protocol, int port) {
  std::string label = ProtocolDisplay(protocol);
  if (port > 0) label += " :" + std::to_string(port);
  return label;
}

}  // namespace bulwark::model
