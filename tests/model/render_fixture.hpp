// Hand-built threat models for the renderer tests: the lab's shape (an
// internet user -> web (root, three confirmed threats) -> PostgreSQL db, the
// frontend and backend networks inside the Docker host) and its hardened
// variant, plus a tiny reference catalog in the data files' shapes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/reference_catalog.hpp"
#include "model/threat.hpp"

namespace bulwark::model::testing {

inline TrustBoundary MakeBoundary(std::string id, BoundaryKind kind, std::string name, std::string parent,
                                  bool isolated = false) {
  TrustBoundary b;
  b.id = std::move(id);
  b.kind = kind;
  b.name = std::move(name);
  b.parent = std::move(parent);
  b.isolated = isolated;
  return b;
}

inline Element MakeElement(std::string id, ElementKind kind, std::string name, std::string technology,
                           std::string boundary) {
  Element e;
  e.id = std::move(id);
  e.kind = kind;
  e.name = std::move(name);
  e.technology = std::move(technology);
  e.boundary = std::move(boundary);
  return e;
}

inline Flow MakeFlow(std::string from, std::string to, std::string protocol, int port, std::string label,
                     std::vector<std::string> crosses) {
  Flow f;
  f.id = "flow:" + from + "->" + to + ":" + std::to_string(port);
  f.kind = FlowKind::kServiceToService;
  f.from = std::move(from);
  f.to = std::move(to);
  f.protocol = std::move(protocol);
  f.port = port;
  f.label = std::move(label);
  f.crosses = std::move(crosses);
  return f;
}

inline Threat MakeThreat(std::string rule, Stride stride, std::string target, std::string title,
                         core::Severity risk, ThreatStatus status, std::vector<std::string> attack,
                         std::vector<std::string> nist) {
  Threat t;
  t.rule_id = std::move(rule);
  t.id = t.rule_id + "@" + target;
  t.stride = stride;
  t.target = std::move(target);
  t.on_flow = t.target.rfind("flow:", 0) == 0;
  t.title = std::move(title);
  t.rationale = "derived from the compose file";
  t.evidence = {{"docker-compose.yml", 7, "ports: 15000:5000"}};
  t.likelihood = Level::kHigh;
  t.impact = risk >= core::Severity::kHigh ? Level::kHigh : Level::kMedium;
  t.risk = risk;
  t.status = status;
  t.attack = std::move(attack);
  t.nist = std::move(nist);
  t.mitigation = "apply the control";
  return t;
}

inline FindingRef MakeFindingRef(std::string id, std::string title) {
  FindingRef f;
  f.id = std::move(id);
  f.title = std::move(title);
  f.severity = core::Severity::kHigh;
  f.path = "Dockerfile";
  f.line = 3;
  return f;
}

inline const char* kWeb = "service:web";
inline const char* kDb = "datastore:db";
inline const char* kUser = "actor:internet-user";
inline const char* kEngine = "platform:docker-engine";

inline ThreatModel LabModel() {
  ThreatModel m;
  SystemModel& s = m.system;
  s.name = "lab";
  s.root = "lab";
  s.sources = {"Dockerfile", "docker-compose.yml"};
  s.boundaries = {MakeBoundary("boundary:internet", BoundaryKind::kInternet, "Internet", ""),
                  MakeBoundary("boundary:host", BoundaryKind::kHost, "Docker host", ""),
                  MakeBoundary("boundary:network:frontend", BoundaryKind::kNetwork, "frontend", "boundary:host"),
                  MakeBoundary("boundary:network:backend", BoundaryKind::kNetwork, "backend", "boundary:host")};
  Element user = MakeElement(kUser, ElementKind::kExternalActor, "internet user", "browser", "boundary:internet");
  Element web = MakeElement(kWeb, ElementKind::kService, "web", "python", "boundary:network:frontend");
  web.image = "mywebapp";
  web.dockerfile = "Dockerfile";
  web.runs_as_root = true;
  web.ports = {PortBinding{5000, 15000, "", "tcp", true, {"docker-compose.yml", 7, "15000:5000"}}};
  web.networks = {"frontend"};
  web.credentials = {CredentialRef{"PASSWORD", true, {"docker-compose.yml", 9, "PASSWORD=..."}}};
  web.evidence = {{"docker-compose.yml", 3, "web:"}};
  Element db = MakeElement(kDb, ElementKind::kDataStore, "db", "postgresql", "boundary:network:backend");
  db.image = "postgres:13";
  db.image_pinned = true;
  db.classification = Classification::kConfidential;
  db.networks = {"backend"};
  db.mounts = {Mount{"volume", "db-data", "/var/lib/postgresql/data", false, false, false, {}}};
  db.credentials = {CredentialRef{"POSTGRES_PASSWORD", true, {"docker-compose.yml", 16, ""}}};
  Element engine = MakeElement(kEngine, ElementKind::kPlatform, "Docker engine", "docker-engine", "boundary:host");
  s.elements = {user, db, engine, web};
  Flow in = MakeFlow(kUser, kWeb, "http", 15000, "HTTP :15000",
                     {"boundary:internet", "boundary:host", "boundary:network:frontend"});
  in.kind = FlowKind::kPublishedPort;
  Flow sql = MakeFlow(kWeb, kDb, "postgresql", 5432, "PostgreSQL :5432",
                      {"boundary:network:frontend", "boundary:network:backend"});
  sql.kind = FlowKind::kDataStoreAccess;
  sql.authenticated = true;
  Flow runs = MakeFlow(kEngine, kWeb, "docker-api", 0, "", {"boundary:network:frontend"});
  runs.kind = FlowKind::kControlPlane;
  s.flows = {in, sql, runs};
  s.data = {DataAsset{"data:users", "user records", Classification::kConfidential, {kDb}, {sql.id}}};
  s.assumptions = {{"The image's default user is root unless the image says otherwise.", false},
                   {"Only the lab's operator can reach the Docker host.", true}};

  Threat root = MakeThreat("TM-EOP-001", Stride::kElevationOfPrivilege, kWeb, "Container runs as root",
                           core::Severity::kHigh, ThreatStatus::kConfirmed, {"T1611"}, {"AC-6"});
  root.findings = {MakeFindingRef("BW-DF-001", "No USER in Dockerfile")};
  Threat secret = MakeThreat("TM-INF-002", Stride::kInformationDisclosure, kWeb, "Hard-coded credentials",
                             core::Severity::kHigh, ThreatStatus::kConfirmed, {"T1552.001"}, {"IA-5(7)"});
  secret.findings = {MakeFindingRef("BW-SEC-001", "Password in source")};
  Threat inject = MakeThreat("TM-TAM-003", Stride::kTampering, kWeb, "Command injection in /ping",
                             core::Severity::kCritical, ThreatStatus::kConfirmed, {"T1190"}, {"SI-10"});
  inject.findings = {MakeFindingRef("BW-PY-001", "subprocess with shell=True")};
  Threat dos = MakeThreat("TM-DOS-001", Stride::kDenialOfService, kWeb, "No resource limits",
                          core::Severity::kMedium, ThreatStatus::kPotential, {"T1499"}, {"SC-5"});
  Threat spoof = MakeThreat("TM-SPO-001", Stride::kSpoofing, in.id, "Unauthenticated access from the internet",
                            core::Severity::kHigh, ThreatStatus::kPotential, {"T1190"}, {"AC-3"});
  Threat store = MakeThreat("TM-INF-010", Stride::kInformationDisclosure, kDb, "Database readable with a weak password",
                            core::Severity::kMedium, ThreatStatus::kPotential, {"T1078"}, {"IA-5"});
  Threat repudiation = MakeThreat("TM-REP-001", Stride::kRepudiation, kUser, "No audit trail of user actions",
                                  core::Severity::kLow, ThreatStatus::kPotential, {}, {"AU-2"});
  m.threats = {inject, root, secret, spoof, dos, store, repudiation};
  m.controls = {ControlStatus{"AC-6", "Least Privilege", {root.id}, {"BW-DF-001"}, "missing"},
                ControlStatus{"IA-5(7)", "", {secret.id}, {"BW-SEC-001"}, "missing"},
                ControlStatus{"SC-5", "", {dos.id}, {}, "partial"},
                ControlStatus{"SI-10", "", {inject.id}, {"BW-PY-001"}, "missing"}};
  core::Finding host;
  host.id = "BW-HOST-009";
  host.title = "Docker daemon without user namespace remapping";
  host.severity = core::Severity::kMedium;
  host.category = core::Category::kHost;
  host.location.path = "/etc/docker/daemon.json";
  m.unattached = {host};
  m.attack_version = "18.1";
  return m;
}

// The lab after `bulwark fix`: web is non-root, locked down and published on
// localhost only; the backend network is internal; the confirmed threats are mitigated.
inline ThreatModel HardenedLabModel() {
  ThreatModel m = LabModel();
  SystemModel& s = m.system;
  s.boundaries[3].isolated = true;
  for (Element& e : s.elements) {
    if (e.id != kWeb) continue;
    e.runs_as_root = false;
    e.user = "10001";
    e.read_only_rootfs = true;
    e.no_new_privileges = true;
    e.resource_limits = true;
    e.healthcheck = true;
    e.capabilities_all_dropped = true;
    e.ports[0].host_ip = "127.0.0.1";
    e.credentials.clear();
  }
  for (Threat& t : m.threats) {
    if (t.status == ThreatStatus::kConfirmed) {
      t.status = ThreatStatus::kMitigated;
      t.findings.clear();
    }
  }
  m.threats.erase(m.threats.begin() + 4);  // no resource limits: gone
  for (ControlStatus& c : m.controls) {
    c.findings.clear();
    c.status = "in place";
  }
  m.unattached.clear();
  return m;
}

// A catalog in the shapes of attack-containers.json, nist-800-53-container-
// controls.json and attack-containers-to-nist-800-53-r5.json, cut to what the lab needs.
inline ReferenceCatalog TinyCatalog() {
  const char* attack = R"js({"attack_version":"18.1","tactic_order":[
    {"id":"TA0001","name":"Initial Access"},{"id":"TA0004","name":"Privilege Escalation"},
    {"id":"TA0006","name":"Credential Access"},{"id":"TA0040","name":"Impact"}],
    "techniques":[
    {"id":"T1190","name":"Exploit Public-Facing Application","tactics":["Initial Access"]},
    {"id":"T1611","name":"Escape to Host","tactics":["Privilege Escalation"]},
    {"id":"T1552.001","name":"Credentials In Files","tactics":["Credential Access"]},
    {"id":"T1078","name":"Valid Accounts","tactics":["Initial Access","Privilege Escalation"]},
    {"id":"T1499","name":"Endpoint Denial of Service","tactics":["Impact"]}]})js";
  const char* controls = R"js({"controls":[{"id":"AC-6","title":"Least Privilege","family":"Access Control"},
    {"id":"SI-10","title":"Information Input Validation","family":"System and Information Integrity"},
    {"id":"SC-5","title":"Denial-of-service Protection","family":"System and Communications Protection"},
    {"id":"IA-5(7)","title":"Authenticator Management | No Embedded Unencrypted Static Authenticators",
     "family":"Identification and Authentication"}]})js";
  const char* mapping = R"js({"source":{"mapping_attack_version":"16.1"},"mappings":[
    {"technique_id":"T1611","controls":[{"id":"AC-6","name":"Least Privilege"}]}]})js";
  auto catalog = ReferenceCatalog::FromJson(attack, controls, mapping);
  return catalog.ok() ? std::move(catalog).value() : ReferenceCatalog();
}

}  // namespace bulwark::model::testing
