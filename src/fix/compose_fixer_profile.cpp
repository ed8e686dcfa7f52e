// How a service's image runs, so hardening keeps it running: which user it
// can be given, which capabilities its entrypoint needs once ALL are dropped,
// which paths must stay writable under a read-only root, and which command
// can check its health. Known database and web server images are described
// here; for a service built from a Dockerfile the Dockerfile is read for
// evidence (its base image, USER, what it installs and runs, EXPOSE).
#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "fix/compose_fixer_internal.hpp"
#include "parse/dockerfile.hpp"

namespace bulwark::fix::compose_fix {
namespace {

constexpr size_t kMaxDockerfileBytes = size_t{1} << 20;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "docker.io/library/postgres:16@sha256:.." -> "postgres"; keeps the
// namespace in `space` ("library", "bitnami", "bulwark-lab").
std::string ImageName(std::string_view reference, std::string* space = nullptr) {
  std::string ref = Lower(reference);
  ref = ref.substr(0, ref.find('@'));
  const size_t slash = ref.rfind('/');
  std::string name = slash == std::string::npos ? ref : ref.substr(slash + 1);
  name = name.substr(0, name.find(':'));
  if (space != nullptr) {
    *space = slash == std::string::npos ? "" : ref.substr(0, slash);
    const size_t inner = space->rfind('/');
    if (inner != std::string::npos) *space = space->substr(inner + 1);
  }
  return name;
}

std::string PortText(int port) { return std::to_string(port); }

// Images whose entrypoint starts as root, prepares its data directory and
// then drops to the image's own user (gosu, setpriv, su-exec): they need
// these capabilities back, and `user:` would skip the preparation.
ImageProfile KnownImage(const std::string& name, const std::string& space, int port) {
  ImageProfile p;
  // Bitnami's images run as a non-root user with their own writable paths.
  if (space == "bitnami") return p;
  const std::vector<std::string> switching = {"CHOWN", "SETUID", "SETGID", "FOWNER"};
  auto database = [&](std::string what, std::string user) {
    p.known = true;
    p.what = "the " + what + " image";
    p.cap_add = switching;
    p.user_note = "its entrypoint starts as root to give the data directory to '" + user +
                  "' and then runs as '" + user + "'; set `user: " + user +
                  "` only once the data directory belongs to that user";
    p.cap_note =
        "on a restart with existing data its entrypoint must read the data directory "
        "it gave away: if it then stops with 'Permission denied', add DAC_OVERRIDE to "
        "cap_add (bulwark reports that as BW-CO-002)";
  };
  if (name.find("postgres") != std::string::npos || name == "postgis") {
    database("PostgreSQL", "postgres");
    p.tmpfs = {"/tmp", "/var/run/postgresql"};
    // As the image's own role and database, so the check leaves no errors in the log.
    p.healthcheck = {"CMD-SHELL",
                     "pg_isready -q -U \"$${POSTGRES_USER:-postgres}\" "
                     "-d \"$${POSTGRES_DB:-$${POSTGRES_USER:-postgres}}\""};
  } else if (name == "mysql" || name == "percona" ||
             name.find("mysql-server") != std::string::npos) {
    database("MySQL", "mysql");
    p.tmpfs = {"/tmp", "/var/run/mysqld"};
    p.healthcheck = {"CMD", "mysqladmin", "ping", "-h", "127.0.0.1", "--silent"};
  } else if (name == "mariadb") {
    database("MariaDB", "mysql");
    p.tmpfs = {"/tmp", "/run/mysqld"};
    p.healthcheck = {
        "CMD-SHELL",
        "mariadb-admin ping -h 127.0.0.1 --silent || mysqladmin ping -h 127.0.0.1 --silent"};
  } else if (name == "redis" || name == "valkey") {
    database(name == "redis" ? "Redis" : "Valkey", name);
    p.cap_add = {"CHOWN", "SETUID", "SETGID"};
    p.cap_note.clear();  // its data directory stays readable
    p.tmpfs = {"/tmp"};
    p.healthcheck = {"CMD", name == "redis" ? "redis-cli" : "valkey-cli", "ping"};
  } else if (name == "mongo") {
    database("MongoDB", "mongodb");
    p.cap_add = {"CHOWN", "SETUID", "SETGID"};
    p.tmpfs = {"/tmp"};
    p.healthcheck = {"CMD-SHELL",
                     "mongosh --quiet --eval 'db.adminCommand({ping: 1})' || "
                     "mongo --quiet --eval 'db.adminCommand({ping: 1})'"};
  } else if (name == "nginx") {
    p.known = true;
    p.what = "the nginx image";
    p.cap_add = {"CHOWN", "SETUID", "SETGID", "NET_BIND_SERVICE"};
    p.tmpfs = {"/tmp", "/var/cache/nginx", "/var/run"};
    const std::string url = "http://127.0.0.1:" + PortText(port > 0 ? port : 80) + "/";
    p.healthcheck = {"CMD-SHELL",
                     "curl -sS -o /dev/null " + url + " || wget -q -O /dev/null " + url};
    p.user_note =
        "nginx's master process starts as root and runs its workers as 'nginx'; a non-root "
        "`user:` needs an nginx configuration made for it";
  }
  return p;
}

struct DockerfileFacts {
  bool read = false;
  std::string base;  // the final stage's base image reference
  std::string user;  // the last USER of the final stage
  std::vector<int> exposed;
  bool python = false, curl = false, wget = false;
};

bool HasWord(std::string_view text, std::string_view word) {
  size_t at = text.find(word);
  while (at != std::string_view::npos) {
    const bool starts = at == 0 || std::isalnum(static_cast<unsigned char>(text[at - 1])) == 0;
    const size_t end = at + word.size();
    const bool ends =
        end >= text.size() || std::isalnum(static_cast<unsigned char>(text[end])) == 0;
    if (starts && ends) return true;
    at = text.find(word, at + 1);
  }
  return false;
}

DockerfileFacts ReadDockerfile(const std::filesystem::path& path) {
  DockerfileFacts facts;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error) ||
      std::filesystem::file_size(path, error) > kMaxDockerfileBytes) {
    return facts;
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!in && !in.eof()) return facts;
  const parse::Dockerfile dockerfile = parse::ParseDockerfile(buffer.str());
  const parse::Stage* stage = dockerfile.FinalStage();
  if (stage == nullptr) return facts;
  facts.read = true;
  facts.base = stage->base;
  const std::string base = Lower(stage->base);
  facts.python = base.find("python") != std::string::npos;
  facts.curl = base.find("curl") != std::string::npos;
  facts.wget =
      base.find("alpine") != std::string::npos || base.find("busybox") != std::string::npos;
  for (size_t i = stage->from_index; i < stage->end_index && i < dockerfile.instructions.size();
       ++i) {
    const parse::Instruction& instruction = dockerfile.instructions[i];
    const std::string text = Lower(instruction.args_text);
    if (instruction.keyword == "USER") facts.user = instruction.args_text;
    if (instruction.keyword == "EXPOSE") {
      for (const parse::Word& word : instruction.args) {
        const int port = std::atoi(word.value.c_str());
        if (port > 0 && port < 65536) facts.exposed.push_back(port);
      }
    }
    if (instruction.keyword == "RUN" || instruction.keyword == "CMD" ||
        instruction.keyword == "ENTRYPOINT") {
      facts.python |= HasWord(text, "python3") || HasWord(text, "python");
      facts.curl |= HasWord(text, "curl");
      facts.wget |= HasWord(text, "wget");
    }
  }
  return facts;
}

bool IsRootUser(std::string_view user) {
  const std::string name(user.substr(0, user.find(':')));
  return name.empty() || name == "root" || name == "0";
}

// The first container port the service publishes, else the first EXPOSE.
int ServicePort(const parse::ComposeService& service, const std::vector<int>& exposed) {
  for (const auto& port : service.ports) {
    if (port.target_first > 0) return port.target_first;
  }
  return exposed.empty() ? 0 : exposed.front();
}

ImageProfile BuiltImage(const parse::ComposeService& service, const std::filesystem::path& dir,
                        const FixOptions& options) {
  const std::string context = service.build->context.empty() ? "." : service.build->context;
  const bool remote = context.find("://") != std::string::npos || context.rfind("git@", 0) == 0;
  DockerfileFacts facts;
  std::filesystem::path path;
  if (!remote) {
    path = dir / context /
           (service.build->dockerfile.empty() ? "Dockerfile" : service.build->dockerfile);
    facts = ReadDockerfile(path);
  }
  const int port = ServicePort(service, facts.exposed);
  // A Dockerfile that only adds to a known image runs like that image.
  if (facts.read && IsRootUser(facts.user)) {
    std::string space;
    const std::string base = ImageName(facts.base, &space);
    ImageProfile known = KnownImage(base, space, port);
    if (known.known) {
      known.built = true;
      return known;
    }
  }
  ImageProfile p;
  p.built = true;
  p.known = facts.read;
  p.what = "the image built from " +
           (remote ? context : path.lexically_relative(dir).lexically_normal().generic_string());
  p.user = !IsRootUser(facts.user)
               ? facts.user
               : std::to_string(options.uid) + ":" + std::to_string(options.gid);
  p.tmpfs = {"/tmp"};
  if (port <= 0) {
    p.healthcheck_note = "no published or exposed port to check";
    return p;
  }
  const std::string url = "http://127.0.0.1:" + PortText(port) + "/";
  if (facts.python) {
    p.healthcheck = {"CMD", "python3", "-c",
                     "import socket; socket.create_connection(('127.0.0.1', " + PortText(port) +
                         "), 3).close()"};
  } else if (facts.curl) {
    p.healthcheck = {"CMD", "curl", "-sS", "-o", "/dev/null", url};
  } else if (facts.wget) {
    p.healthcheck = {"CMD", "wget", "-q", "--spider", url};
  } else {
    p.healthcheck_note =
        "its Dockerfile shows no python, curl or wget to check port " + PortText(port) + " with";
  }
  return p;
}

}  // namespace

ImageProfile ProfileFor(const parse::ComposeService& service, const std::filesystem::path& dir,
                        const FixOptions& options) {
  if (service.build) return BuiltImage(service, dir, options);
  const std::string reference = service.image ? service.image->text : "";
  std::string space;
  int port = 0;
  for (const auto& published : service.ports) {
    if (published.target_first > 0) {
      port = published.target_first;
      break;
    }
  }
  ImageProfile p = KnownImage(ImageName(reference, &space), space, port);
  if (!p.known) {
    p.what = reference.empty() ? "its image" : "image " + parse::Printable(reference, 60);
    p.tmpfs = {"/tmp"};
    p.user_note = "bulwark does not know which non-root user " + p.what + " supports";
    p.healthcheck_note = "bulwark does not know a health command for " + p.what;
  }
  return p;
}

}  // namespace bulwark::fix::compose_fix
