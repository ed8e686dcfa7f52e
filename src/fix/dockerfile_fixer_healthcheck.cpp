// BW-DF-002: a HEALTHCHECK for the final image that probes the port the
// final stage EXPOSEs with a client the image really has: curl or wget when
// they are installed or come with the base image, else the service's own
// Python or Node interpreter. Exec form, so it needs no shell.
#include <algorithm>
#include <charconv>

#include "fix/dockerfile_fixer_internal.hpp"

namespace bulwark::fix::dockerfile {
namespace {

constexpr int kAdminPorts[] = {22, 23, 2375, 2376, 3389, 5900, 5985, 5986};

struct Service {
  int port;
  std::string_view name;
};

// Well-known ports whose service does not speak HTTP: an HTTP probe would
// mark a healthy database unhealthy.
constexpr Service kNotHttp[] = {{21, "FTP"},
                                {25, "SMTP"},
                                {53, "DNS"},
                                {110, "POP3"},
                                {143, "IMAP"},
                                {389, "LDAP"},
                                {445, "SMB"},
                                {465, "SMTP"},
                                {587, "SMTP"},
                                {636, "LDAP"},
                                {993, "IMAP"},
                                {1433, "SQL Server"},
                                {1521, "Oracle"},
                                {1883, "MQTT"},
                                {2181, "ZooKeeper"},
                                {3306, "MySQL"},
                                {4369, "Erlang EPMD"},
                                {5222, "XMPP"},
                                {5432, "PostgreSQL"},
                                {5672, "AMQP"},
                                {6379, "Redis"},
                                {8883, "MQTT"},
                                {9042, "Cassandra"},
                                {9092, "Kafka"},
                                {9300, "Elasticsearch transport"},
                                {11211, "memcached"},
                                {25672, "RabbitMQ"},
                                {26379, "Redis Sentinel"},
                                {27017, "MongoDB"},
                                {33060, "MySQL X"},
                                {61616, "ActiveMQ"}};

std::string_view NotHttp(int port) {
  for (const Service& service : kNotHttp) {
    if (service.port == port) return service.name;
  }
  return "";
}

// The port of an EXPOSE word ("5000", "5000/tcp"); 0 for ranges, UDP,
// variables and anything else.
int PortOf(std::string_view word) {
  size_t slash = word.find('/');
  if (slash != std::string_view::npos) {
    if (Lower(word.substr(slash + 1)) != "tcp") return 0;
    word = word.substr(0, slash);
  }
  int port = 0;
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), port);
  if (ec != std::errc() || end != word.data() + word.size() || port < 1 || port > 65535) return 0;
  if (std::find(std::begin(kAdminPorts), std::end(kAdminPorts), port) != std::end(kAdminPorts)) {
    return 0;  // removed by the BW-DF-009 fix, and no health endpoint anyway
  }
  return port;
}

struct Exposed {
  int port = 0;          // the first HTTP-capable TCP port
  std::string not_http;  // "5432 (PostgreSQL)" when only such ports are exposed
};

Exposed ExposedPort(const Session& s, int stage) {
  Exposed out;
  for (int member : StageChain(s.df(), stage)) {
    for (const parse::Instruction& inst : s.ctx().StageInstructions(member)) {
      if (inst.keyword != "EXPOSE") continue;
      for (const parse::Word& word : inst.args) {
        int port = PortOf(word.value);
        if (port == 0) continue;
        std::string_view service = NotHttp(port);
        if (service.empty()) return Exposed{port, ""};
        if (out.not_http.empty())
          out.not_http = std::to_string(port) + " (" + std::string(service) + ")";
      }
    }
  }
  return out;
}

struct Probe {
  std::string tool;
  std::vector<std::string> argv;
};

std::optional<Probe> ProbeFor(const ImageFacts& facts, int port) {
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
  if (facts.curl) return Probe{"curl", {"curl", "-fsS", "-o", "/dev/null", url}};
  if (facts.wget) return Probe{"wget", {"wget", "-q", "-O", "/dev/null", url}};
  if (!facts.python.empty()) {
    return Probe{facts.python,
                 {facts.python, "-c",
                  "import urllib.request; urllib.request.urlopen('" + url + "', timeout=4)"}};
  }
  if (facts.node) {
    return Probe{"node",
                 {"node", "-e",
                  "require('http').get('" + url +
                      "', (r) => process.exit(r.statusCode < 400 ? 0 : 1))"
                      ".on('error', () => process.exit(1))"}};
  }
  return std::nullopt;
}

// The last HEALTHCHECK of the final stage or the stages it is built FROM.
const parse::Instruction* LastHealthcheck(const Session& s, int stage) {
  std::vector<int> chain = StageChain(s.df(), stage);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const parse::Instruction* last = nullptr;
    for (const parse::Instruction& inst : s.ctx().StageInstructions(*it)) {
      if (inst.keyword == "HEALTHCHECK") last = &inst;
    }
    if (last != nullptr) return last;
  }
  return nullptr;
}

// The HEALTHCHECK line: in place of a HEALTHCHECK NONE of the final stage
// (rather than a second one in the stage), else in its runtime block.
Change HealthcheckChange(const Session& s, const parse::Instruction* none, const Probe& probe,
                         int port, int line) {
  const parse::Stage& final = *s.df().FinalStage();
  Change change;
  change.check_id = "BW-DF-002";
  change.notes.push_back({"BW-DF-002", line,
                          "the HEALTHCHECK probes http://127.0.0.1:" + std::to_string(port) +
                              "/ with " + probe.tool +
                              ": change the path if the service does not answer it with 2xx"});
  std::string command =
      "--interval=30s --timeout=5s --start-period=10s --retries=3 CMD " + JsonArray(probe.argv);
  if (none != nullptr && none->stage_index == final.index) {
    std::string text = KeywordLike(*none, "HEALTHCHECK") + " " + command;
    change.edits.push_back({none->begin_offset, none->end_offset, text, "BW-DF-002"});
    change.first_line = none->start_line;
    change.last_line = none->end_line;
    return change;
  }
  const parse::Instruction& anchor = RuntimeAnchor(s, final.index);
  std::string text = IndentOf(s, anchor) + KeywordLike(anchor, "HEALTHCHECK") + " " + command;
  change.edits.push_back(InsertLines(s, anchor.end_line, {text}, "BW-DF-002"));
  change.instruction_delta = 1;
  change.first_line = line;
  change.last_line = s.ctx().StageInstructions(final.index).back().end_line;
  return change;
}

}  // namespace

void FixHealthcheck(Session& s) {
  if (!s.Has("BW-DF-002")) return;
  const parse::Stage& final = *s.df().FinalStage();
  int line = s.df().instructions[final.from_index].start_line;
  const parse::Instruction* last = LastHealthcheck(s, final.index);
  bool disabled = last != nullptr && !last->args.empty() && Lower(last->args[0].value) == "none";
  if (last != nullptr && !disabled) return;
  ImageFacts facts = FactsOf(s, final.index);
  if (facts.distro == Distro::kWindows) {
    s.Note("BW-DF-002", line, "no HEALTHCHECK added: Windows images are not supported");
    return;
  }
  Exposed exposed = ExposedPort(s, final.index);
  if (exposed.port == 0) {
    s.Note("BW-DF-002", line,
           exposed.not_http.empty()
               ? "no HEALTHCHECK added: the final stage EXPOSEs no TCP port to probe; add one by "
                 "hand"
               : "no HEALTHCHECK added: port " + exposed.not_http +
                     " does not speak HTTP; add a HEALTHCHECK that speaks its protocol");
    return;
  }
  std::optional<Probe> probe = ProbeFor(facts, exposed.port);
  if (!probe) {
    s.Note("BW-DF-002", line,
           "no HEALTHCHECK added: the image has no curl, wget, Python or Node to probe port " +
               std::to_string(exposed.port) + " with; add one by hand");
    return;
  }
  s.Add(HealthcheckChange(s, disabled ? last : nullptr, *probe, exposed.port, line));
}

}  // namespace bulwark::fix::dockerfile
