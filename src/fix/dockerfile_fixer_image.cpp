// What an image is and has, as far as the Dockerfile tells: the distribution
// family (from the base image's name and tag, else from the package manager
// its RUNs use), and which HTTP clients and interpreters it carries (from
// well-known base images, packages installed and the command it runs).
#include <algorithm>

#include "fix/dockerfile_fixer_internal.hpp"

namespace bulwark::fix::dockerfile {
namespace {

using audit::dockerfile::PackageCommand;
using audit::dockerfile::PackageManager;

bool Has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool OneOf(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

std::vector<std::string> Tokens(std::string_view tag) {
  std::vector<std::string> out;
  std::string token;
  for (char c : tag) {
    if (c == '-' || c == '_' || c == '.') {
      out.push_back(token);
      token.clear();
    } else {
      token += c;
    }
  }
  out.push_back(token);
  return out;
}

// Official Docker Hub images whose default variant is Debian or Ubuntu.
bool DebianOfficial(std::string_view repo) {
  return OneOf(repo, {"python",    "node",   "ruby",     "golang",          "php",
                      "perl",      "rust",   "openjdk",  "eclipse-temurin", "nginx",
                      "httpd",     "redis",  "postgres", "buildpack-deps",  "gcc",
                      "maven",     "gradle", "elixir",   "erlang",          "haskell",
                      "julia",     "r-base", "mariadb",  "mongo",           "rabbitmq",
                      "memcached", "tomcat", "debian",   "ubuntu"});
}

// Official images built on buildpack-deps, which carries curl and wget,
// unless a slim or alpine variant is named.
bool BuildpackDepsBased(std::string_view repo, std::string_view tag) {
  if (!OneOf(repo, {"python", "node", "ruby", "golang", "buildpack-deps"})) return false;
  return !Has(tag, "slim") && !Has(tag, "alpine") && !Has(tag, "windows") &&
         !Has(tag, "nanoserver") && !Has(tag, "servercore");
}

struct Base {
  std::string name;  // registry/repository, lower case
  std::string repo;  // the repository's last path component
  std::string tag;
  bool hub = false;
  bool official = false;  // Docker Hub library image
};

Base Describe(const parse::ImageRef& image) {
  Base b;
  b.name = Lower(image.Name());
  std::string repository = Lower(image.repository);
  b.repo =
      repository.substr(repository.rfind('/') == std::string::npos ? 0 : repository.rfind('/') + 1);
  b.tag = Lower(image.tag);
  b.hub = image.registry.empty() || image.registry == "docker.io" ||
          image.registry == "index.docker.io";
  b.official =
      b.hub && (repository.find('/') == std::string::npos || repository.substr(0, 8) == "library/");
  return b;
}

Distro DistroOfName(const Base& b) {
  if (Has(b.name, "windows") || Has(b.name, "nanoserver") || Has(b.name, "servercore") ||
      Has(b.tag, "windowsservercore") || Has(b.tag, "nanoserver")) {
    return Distro::kWindows;
  }
  if (Has(b.name, "distroless") || b.repo == "static" || b.repo == "busybox") {
    return b.repo == "busybox" ? Distro::kAlpine : Distro::kNoShell;
  }
  if (Has(b.tag, "alpine") || Has(b.name, "alpine")) return Distro::kAlpine;
  bool rhel = b.repo.substr(0, 3) == "ubi" || Has(b.name, "/ubi") ||
              OneOf(b.repo, {"centos", "fedora", "rockylinux", "almalinux", "amazonlinux",
                             "oraclelinux", "rhel", "rocky", "alma", "centos-stream"});
  if (rhel) {
    return Has(b.name, "minimal") || Has(b.name, "micro") || Has(b.tag, "minimal")
               ? Distro::kRhelMinimal
               : Distro::kRhel;
  }
  if (OneOf(b.repo, {"debian", "ubuntu", "buildpack-deps"})) return Distro::kDebian;
  for (const std::string& token : Tokens(b.tag)) {
    if (OneOf(token, {"bookworm", "bullseye", "buster", "stretch", "jessie", "trixie", "sid",
                      "jammy", "noble", "focal", "bionic", "xenial", "slim", "debian", "ubuntu"})) {
      return Distro::kDebian;
    }
  }
  if (b.official && DebianOfficial(b.repo)) return Distro::kDebian;
  return Distro::kUnknown;
}

void FactsOfBase(const parse::Stage& root, ImageFacts& facts) {
  if (root.scratch) {
    facts.distro = Distro::kNoShell;
    return;
  }
  if (!root.image) return;
  Base b = Describe(*root.image);
  facts.distro = DistroOfName(b);
  if (facts.distro == Distro::kAlpine) facts.wget = true;  // busybox wget
  if (b.official && BuildpackDepsBased(b.repo, b.tag)) facts.curl = facts.wget = true;
  if (b.name == "curlimages/curl") facts.curl = true;
  if (Has(b.repo, "python")) facts.python = "python3";
  if (b.repo == "node" || Has(b.repo, "node")) facts.node = true;
}

Distro DistroOfManager(PackageManager manager) {
  switch (manager) {
    case PackageManager::kAptGet:
    case PackageManager::kApt:
      return Distro::kDebian;
    case PackageManager::kApk:
      return Distro::kAlpine;
    case PackageManager::kYum:
    case PackageManager::kDnf:
    case PackageManager::kZypper:
      return Distro::kRhel;
    case PackageManager::kMicrodnf:
      return Distro::kRhelMinimal;
    default:
      return Distro::kUnknown;
  }
}

bool Removes(const PackageCommand& pkg) {
  return OneOf(pkg.subcommand, {"remove", "purge", "del", "erase", "autoremove", "rm"});
}

std::string PackageName(std::string_view operand) {
  return Lower(operand.substr(0, operand.find_first_of("=<>~:")));
}

void ApplyPackage(const CommandView& cmd, const PackageCommand& pkg, ImageFacts& facts) {
  if (facts.distro == Distro::kUnknown) facts.distro = DistroOfManager(pkg.manager);
  if (pkg.manager == PackageManager::kPip) {
    if (facts.python.empty()) facts.python = "python3";
    return;
  }
  if (pkg.manager == PackageManager::kNpm) {
    facts.node = true;
    return;
  }
  bool install = audit::dockerfile::IsInstall(pkg);
  bool remove = Removes(pkg);
  if (!install && !remove) return;
  for (size_t i : pkg.packages) {
    std::string name = PackageName(cmd.arg(i));
    if (name == "curl") facts.curl = install;
    if (name == "wget") facts.wget = install;
    if (install && (name == "python3" || name == "python" || name.substr(0, 7) == "python3")) {
      if (facts.python.empty()) facts.python = "python3";
    }
    if (install && (name == "nodejs" || name == "node")) facts.node = true;
    if (install && name == "shadow-utils" && facts.distro == Distro::kRhelMinimal) {
      facts.distro = Distro::kRhel;  // microdnf install shadow-utils brings useradd
    }
  }
}

// The program a CMD / ENTRYPOINT runs, `exec` skipped; read as its author
// meant it when the JSON is broken, as the BW-DF-015 fix will rewrite it.
std::string ProgramOf(const parse::Instruction& inst) {
  if (LooksLikeBrokenJson(inst)) {
    std::optional<std::vector<std::string>> words = LooseArray(inst.args_text);
    return words ? words->front() : "";
  }
  for (const parse::Word& word : inst.args) {
    if (word.value == "exec") continue;
    return word.value;
  }
  return "";
}

void ApplyCommand(const parse::Instruction& inst, ImageFacts& facts) {
  std::string program = ProgramOf(inst);
  std::string_view name = parse::CommandName(program);
  bool plain = program.find_first_of(" $\"'") == std::string_view::npos;
  if (name.substr(0, 6) == "python" && plain) {
    facts.python = std::string(program);
  } else if (OneOf(name, {"gunicorn", "uvicorn", "flask", "hypercorn", "waitress-serve"}) &&
             facts.python.empty()) {
    facts.python = "python3";
  } else if (name == "node" || name == "nodejs" || name == "npm") {
    facts.node = true;
  }
}

}  // namespace

std::vector<int> StageChain(const parse::Dockerfile& df, int stage) {
  std::vector<int> chain;
  for (int s = stage; s >= 0 && chain.size() < df.stages.size();
       s = df.stages[static_cast<size_t>(s)].parent_stage) {
    chain.insert(chain.begin(), s);
  }
  return chain;
}

ImageFacts FactsOf(const Session& s, int stage) {
  ImageFacts facts;
  std::vector<int> chain = StageChain(s.df(), stage);
  if (chain.empty()) return facts;
  FactsOfBase(s.df().stages[static_cast<size_t>(chain.front())], facts);
  for (int member : chain) {
    for (const RunScript& run : s.ctx().runs()) {
      if (run.stage != member || run.onbuild || !run.posix_shell) continue;
      for (const parse::ShellCommand& command : run.shell.commands) {
        CommandView cmd(command);
        if (std::optional<PackageCommand> pkg = audit::dockerfile::ParsePackageCommand(cmd)) {
          ApplyPackage(cmd, *pkg, facts);
        }
      }
    }
    for (const parse::Instruction& inst : s.ctx().StageInstructions(member)) {
      if (inst.keyword == "CMD" || inst.keyword == "ENTRYPOINT") ApplyCommand(inst, facts);
    }
  }
  return facts;
}

}  // namespace bulwark::fix::dockerfile
