// Hand-built system models for the threat rule tests, in the shape the
// builder gives the lab (lab/vulnerable-app and lab/hardened-app): `web`
// built from the Dockerfile, running as root, publishing 15000 on every
// interface with DB_PASSWORD inline, talking to `db` on a back-end network;
// and the hardened variant. Built by hand so the rules are tested without
// the builder.
#pragma once

#include <string>
#include <vector>

#include "core/finding.hpp"
#include "model/system_model.hpp"

namespace bulwark::model::testmodels {

inline Evidence At(int line, std::string text, std::string path = "docker-compose.yml") {
  return Evidence{std::move(path), line, std::move(text)};
}

inline TrustBoundary Boundary(std::string id, BoundaryKind kind, std::string name, std::string parent,
                              std::vector<Evidence> evidence = {}) {
  TrustBoundary b;
  b.id = std::move(id);
  b.kind = kind;
  b.name = std::move(name);
  b.parent = std::move(parent);
  b.evidence = std::move(evidence);
  return b;
}

inline Element Actor(std::string id, std::string name, std::string boundary) {
  Element e;
  e.id = std::move(id);
  e.kind = ElementKind::kExternalActor;
  e.name = std::move(name);
  e.boundary = std::move(boundary);
  e.evidence.push_back(At(8, "- \"15000:5000\""));
  return e;
}

inline Element Engine() {
  Element e;
  e.id = "platform:docker-engine";
  e.kind = ElementKind::kPlatform;
  e.name = "Docker engine";
  e.technology = "docker-engine";
  e.boundary = "boundary:host";
  e.evidence.push_back(At(4, "web:"));
  return e;
}

inline Element Web() {
  Element web;
  web.id = "service:web";
  web.kind = ElementKind::kService;
  web.name = "web";
  web.technology = "python";
  web.image = "bulwark-lab/vulnerable-app:1.0";
  web.image_pinned = true;
  web.dockerfile = "Dockerfile";
  web.boundary = "boundary:network:frontend";
  web.runs_as_root = true;
  web.networks = {"frontend", "backend"};
  web.evidence = {At(4, "web:"), At(0, "no USER instruction: the container runs as root", "Dockerfile")};
  PortBinding port;
  port.container_port = 5000;
  port.host_port = 15000;
  port.published = true;
  port.evidence = At(8, "- \"15000:5000\"");
  web.ports.push_back(port);
  web.credentials.push_back(CredentialRef{"DB_PASSWORD", true, At(13, "DB_PASSWORD: password")});
  return web;
}

inline Element Db() {
  Element db;
  db.id = "datastore:db";
  db.kind = ElementKind::kDataStore;
  db.name = "db";
  db.technology = "postgresql";
  db.image = "bulwark-lab/postgres:15";
  db.image_pinned = true;
  db.boundary = "boundary:network:backend";
  db.networks = {"backend"};
  db.evidence = {At(20, "db:")};
  db.credentials.push_back(CredentialRef{"POSTGRES_PASSWORD", true, At(24, "POSTGRES_PASSWORD: password")});
  return db;
}

inline Flow MakeFlow(std::string from, std::string to, FlowKind kind, std::string protocol, int port,
                     std::vector<Evidence> evidence) {
  Flow f;
  f.id = "flow:" + from + "->" + to + ":" + std::to_string(port);
  f.kind = kind;
  f.from = std::move(from);
  f.to = std::move(to);
  f.protocol = std::move(protocol);
  f.port = port;
  f.evidence = std::move(evidence);
  return f;
}

// lab/vulnerable-app as the builder models it.
inline SystemModel LabModel() {
  SystemModel m;
  m.name = "vulnerable-app";
  m.root = "lab/vulnerable-app";
  m.boundaries = {
      Boundary("boundary:internet", BoundaryKind::kInternet, "Internet", ""),
      Boundary("boundary:host", BoundaryKind::kHost, "Docker host", ""),
      Boundary("boundary:network:frontend", BoundaryKind::kNetwork, "frontend", "boundary:host", {At(30, "frontend:")}),
      Boundary("boundary:network:backend", BoundaryKind::kNetwork, "backend", "boundary:host", {At(31, "backend:")}),
  };
  m.elements = {Actor("actor:internet-user", "Internet user", "boundary:internet"), Db(), Engine(), Web()};
  Flow in = MakeFlow("actor:internet-user", "service:web", FlowKind::kPublishedPort, "http", 15000,
                     {At(8, "- \"15000:5000\"")});
  in.label = "HTTP :15000";
  Flow db = MakeFlow("service:web", "datastore:db", FlowKind::kDataStoreAccess, "postgresql", 5432,
                     {At(10, "DB_HOST: db")});
  db.authenticated = true;
  m.flows = {db, in};
  SortModel(m);
  ComputeCrossings(m);
  return m;
}

// lab/hardened-app: the same system after `bulwark fix`.
inline SystemModel HardenedModel() {
  SystemModel m = LabModel();
  m.name = "hardened-app";
  for (TrustBoundary& b : m.boundaries) {
    if (b.id == "boundary:network:backend") b.isolated = true;
  }
  for (Element& e : m.elements) {
    if (e.kind != ElementKind::kService && e.kind != ElementKind::kDataStore) continue;
    e.read_only_rootfs = true;
    e.capabilities_all_dropped = true;
    e.no_new_privileges = true;
    e.resource_limits = true;
    e.healthcheck = true;
    e.credentials.clear();
    if (e.id == "service:web") {
      e.user = "10001:10001";
      e.runs_as_root = false;
      e.evidence = {At(4, "web:"), At(18, "user: \"10001:10001\"")};
      e.ports[0].host_ip = "127.0.0.1";
    } else {
      e.capabilities_added = {"CHOWN", "SETUID", "SETGID", "FOWNER"};
      e.mounts.push_back(Mount{"tmpfs", "", "/tmp", false, false, false, At(50, "- /tmp")});
    }
  }
  // The published port is on the loopback interface: a local user, on the host.
  for (Element& e : m.elements) {
    if (e.id == "actor:internet-user") {
      e.id = "actor:local-user";
      e.name = "Local user";
      e.boundary = "boundary:host";
    }
  }
  for (Flow& f : m.flows) {
    if (f.from == "actor:internet-user") {
      f.from = "actor:local-user";
      f.id = "flow:actor:local-user->service:web:15000";
    }
  }
  SortModel(m);
  ComputeCrossings(m);
  return m;
}

inline core::Finding MakeFinding(std::string id, core::Category category, std::string path, int line,
                                 std::vector<std::string> attack = {}, std::vector<std::string> nist = {}) {
  core::Finding f;
  f.id = std::move(id);
  f.title = f.id + " title";
  f.severity = core::Severity::kHigh;
  f.category = category;
  f.location.path = std::move(path);
  f.location.line = line;
  f.references.attack = std::move(attack);
  f.references.nist = std::move(nist);
  return f;
}

// What `bulwark audit lab/vulnerable-app` reports (IDs, files and lines as of this writing).
inline std::vector<core::Finding> LabFindings() {
  using core::Category;
  return {
      MakeFinding("BW-DF-001", Category::kDockerfile, "Dockerfile", 3),
      MakeFinding("BW-DF-002", Category::kDockerfile, "Dockerfile", 3),
      MakeFinding("BW-DF-008", Category::kDockerfile, "Dockerfile", 3),
      MakeFinding("BW-DF-025", Category::kDockerfile, "Dockerfile", 6),
      MakeFinding("BW-DF-015", Category::kDockerfile, "Dockerfile", 13),
      MakeFinding("BW-SE-020", Category::kSecret, "WEAKNESSES.md", 18, {"T1552.001"}, {"IA-5(7)", "SC-28"}),
      MakeFinding("BW-PY-020", Category::kCode, "app.py", 13, {"T1552.001"}, {"IA-5(7)", "IA-5"}),
      MakeFinding("BW-PY-001", Category::kCode, "app.py", 33, {"T1059", "T1190"}, {"SI-10", "CM-7"}),
      MakeFinding("BW-PY-005", Category::kCode, "app.py", 42, {"T1059", "T1190"}, {"SI-10"}),
      MakeFinding("BW-PY-010", Category::kCode, "app.py", 47, {}, {"SC-7"}),
      MakeFinding("BW-CO-003", Category::kCompose, "docker-compose.yml", 4),
      MakeFinding("BW-CO-004", Category::kCompose, "docker-compose.yml", 4),
      MakeFinding("BW-CO-005", Category::kCompose, "docker-compose.yml", 4),
      MakeFinding("BW-CO-006", Category::kCompose, "docker-compose.yml", 4),
      MakeFinding("BW-CO-008", Category::kCompose, "docker-compose.yml", 4),
      MakeFinding("BW-CO-023", Category::kCompose, "docker-compose.yml", 4),
      MakeFinding("BW-CO-009", Category::kCompose, "docker-compose.yml", 8),
      MakeFinding("BW-CO-021", Category::kCompose, "docker-compose.yml", 13),
      MakeFinding("BW-CO-003", Category::kCompose, "docker-compose.yml", 20),
      MakeFinding("BW-CO-006", Category::kCompose, "docker-compose.yml", 20),
      MakeFinding("BW-CO-024", Category::kCompose, "docker-compose.yml", 20),
      MakeFinding("BW-CO-022", Category::kCompose, "docker-compose.yml", 21),
      MakeFinding("BW-CO-021", Category::kCompose, "docker-compose.yml", 24),
      MakeFinding("BW-CO-034", Category::kCompose, "docker-compose.yml", 31),
  };
}

}  // namespace bulwark::model::testmodels
