// Technology catalog for the system model: recognises what a container runs
// from its image name (postgres -> PostgreSQL, rabbitmq -> RabbitMQ, nginx,
// python...) or, for data stores, from a well-known port, and names the
// protocol a port or a URL scheme speaks. Static tables; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bulwark::model {

struct Technology {
  std::string_view id;        // "postgresql", "rabbitmq", "nginx"
  std::string_view display;   // "PostgreSQL"
  std::string_view what;      // "database", "message broker", "web server", ...
  bool data_store = false;    // holds data: database, cache, broker, object store
  std::string_view protocol;  // what clients speak to it: "postgresql", "amqp", "http"; "" unknown
  int port = 0;               // its usual port; 0 when none
};

// By image reference ("bulwark-lab/postgres:15", "docker.elastic.co/.../elasticsearch:8");
// nullptr when the name says nothing known. `${VAR:-default}` is read as its default.
const Technology* TechnologyForImage(std::string_view image);
// A data store by its well-known port (5432 -> PostgreSQL); nullptr otherwise.
const Technology* DataStoreForPort(int port);
const Technology* FindTechnology(std::string_view id);

// The protocol usually spoken on a port: 80 -> "http", 5432 -> "postgresql"; "tcp" otherwise.
std::string ProtocolForPort(int port);
// True for protocols that are TLS by definition ("https", "amqps", ...).
bool TlsProtocol(std::string_view protocol);

struct SchemeInfo {
  std::string protocol;  // "postgresql" for postgres://
  int port = 0;          // the scheme's default port; 0 when none
  bool tls = false;      // rediss://, amqps://, https://
};
// URL scheme (lower case, without "://"); nullopt when unknown.
std::optional<SchemeInfo> ProtocolForScheme(std::string_view scheme);

// How a label names the protocol: "HTTP", "PostgreSQL", "Docker API".
std::string ProtocolDisplay(std::string_view protocol);
// "HTTP :15000", "PostgreSQL :5432", "Docker API" (no port).
std::string FlowLabel(std::string_view protocol, int port);

}  // namespace bulwark::model
