// BW-DF-001 and BW-DF-011: the final stage runs as an unprivileged, numeric
// user. A missing user is created with the distribution's own tools and a
// fixed UID/GID, or reused when a RUN already creates one with a numeric UID;
// images without a shell get only `USER uid:gid`, which needs no passwd entry.
#include <algorithm>
#include <cctype>
#include <map>

#include "fix/dockerfile_fixer_internal.hpp"

namespace bulwark::fix::dockerfile {
namespace {

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool OneOf(std::string_view word, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// Options and operands of a user or group creation command.
struct Parsed {
  std::map<std::string, std::string> values;  // option -> value ("-u" -> "1001")
  std::vector<std::string> operands;
};

Parsed ParseCreation(const CommandView& cmd, std::initializer_list<std::string_view> with_value) {
  Parsed out;
  for (size_t i = 1; i < cmd.size(); ++i) {
    std::string arg(cmd.arg(i));
    size_t eq = arg.find('=');
    if (arg.size() > 2 && arg[0] == '-' && arg[1] == '-' && eq != std::string::npos) {
      out.values[arg.substr(0, eq)] = arg.substr(eq + 1);
    } else if (OneOf(arg, with_value) && i + 1 < cmd.size()) {
      out.values[arg] = std::string(cmd.arg(++i));
    } else if (arg.size() > 1 && arg[0] == '-') {
      continue;
    } else {
      out.operands.push_back(arg);
    }
  }
  return out;
}

std::string ValueOf(const Parsed& p, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    auto it = p.values.find(std::string(name));
    if (it != p.values.end()) return it->second;
  }
  return "";
}

struct Creations {
  std::vector<CreatedUser> users;             // uid may be empty
  std::map<std::string, std::string> groups;  // name -> gid
};

void ReadCreation(const CommandView& cmd, Creations& out) {
  std::string_view program = cmd.program();
  if (program == "groupadd" || program == "addgroup") {
    Parsed p = ParseCreation(
        cmd, {"-g", "--gid", "-K", "--key", "-p", "--password", "-R", "--root", "-P", "--prefix"});
    if (!p.operands.empty()) out.groups[p.operands[0]] = ValueOf(p, {"-g", "--gid"});
  } else if (program == "useradd") {
    Parsed p = ParseCreation(
        cmd, {"-u", "--uid",      "-g", "--gid",      "-G", "--groups",      "-d", "--home-dir",
              "-s", "--shell",    "-c", "--comment",  "-k", "--skel",        "-e", "--expiredate",
              "-f", "--inactive", "-K", "--key",      "-p", "--password",    "-R", "--root",
              "-P", "--prefix",   "-b", "--base-dir", "-Z", "--selinux-user"});
    if (p.operands.empty()) return;
    out.users.push_back(
        CreatedUser{p.operands[0], ValueOf(p, {"-u", "--uid"}), ValueOf(p, {"-g", "--gid"})});
  } else if (program == "adduser") {
    // busybox: -u UID -G GROUP (-g is GECOS); Debian: --uid, --gid, --ingroup.
    Parsed p = ParseCreation(cmd, {"-u", "--uid", "-G", "--ingroup", "--gid", "-g", "--gecos", "-h",
                                   "--home", "-s", "--shell", "-k", "--conf", "--comment"});
    if (p.operands.empty()) return;
    std::string group = ValueOf(p, {"--gid"});
    if (group.empty()) group = ValueOf(p, {"-G", "--ingroup"});
    out.users.push_back(CreatedUser{p.operands[0], ValueOf(p, {"-u", "--uid"}), group});
  }
}

Creations ReadCreations(const Session& s, int stage) {
  Creations out;
  for (int member : StageChain(s.df(), stage)) {
    for (const RunScript& run : s.ctx().runs()) {
      if (run.stage != member || run.onbuild || !run.posix_shell) continue;
      for (const parse::ShellCommand& command : run.shell.commands) {
        ReadCreation(CommandView(command), out);
      }
    }
  }
  // A group given by name: its GID when a RUN created it with one.
  for (CreatedUser& user : out.users) {
    if (!user.gid.empty() && !AllDigits(user.gid)) {
      auto it = out.groups.find(user.gid);
      user.gid = it != out.groups.end() && AllDigits(it->second) ? it->second : "";
    }
    if (!AllDigits(user.uid)) user.uid.clear();
  }
  return out;
}

// The last USER of the final stage or the stages it is built FROM.
const parse::Instruction* FinalUserInstruction(const Session& s, int* stage_out) {
  const parse::Stage* final = s.df().FinalStage();
  std::vector<int> chain = StageChain(s.df(), final->index);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const parse::Instruction* last = nullptr;
    for (const parse::Instruction& inst : s.ctx().StageInstructions(*it)) {
      if (inst.keyword == "USER" && !inst.args.empty()) last = &inst;
    }
    if (last != nullptr) {
      *stage_out = *it;
      return last;
    }
  }
  return nullptr;
}

bool SafeName(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  if (!std::islower(static_cast<unsigned char>(name[0])) && name[0] != '_') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

// The RUN that creates the user, in the distribution's own commands; empty
// when the image has no way to (or no need to) create it.
std::vector<std::string> CreationLines(const Session& s, Distro distro,
                                       const parse::Instruction& anchor) {
  std::string indent = IndentOf(s, anchor);
  std::string run = indent + KeywordLike(anchor, "RUN") + " ";
  const FixOptions& o = s.options();
  std::string uid = std::to_string(o.uid);
  std::string gid = std::to_string(o.gid);
  std::string cont = std::string(" ") + s.df().escape;
  const std::string& name = o.user_name;
  switch (distro) {
    case Distro::kDebian:
    case Distro::kRhel: {
      std::string nologin = distro == Distro::kDebian ? "/usr/sbin/nologin" : "/sbin/nologin";
      return {run + "groupadd --system --gid " + gid + " " + name + cont,
              indent + "    && useradd --system --uid " + uid + " --gid " + gid +
                  " --no-create-home --no-log-init --shell " + nologin + " " + name};
    }
    case Distro::kAlpine:
      return {run + "addgroup -S -g " + gid + " " + name + cont,
              indent + "    && adduser -S -D -H -u " + uid + " -G " + name + " -s /sbin/nologin " +
                  name};
    default:
      return {};
  }
}

std::string WhyNoCreation(Distro distro) {
  switch (distro) {
    case Distro::kNoShell:
      return "the base image has no shell to create a user with";
    case Distro::kRhelMinimal:
      return "the base image has no useradd";
    default:
      return "the base image's distribution is unknown";
  }
}

// Who the final stage should run as, and the lines that create that user
// (empty when a RUN already creates one, or the image cannot).
struct Plan {
  std::string user;
  std::vector<std::string> lines;
  std::string why_not_created;  // set when no user exists or is created
};

Plan PlanUser(const Session& s, int stage, Distro distro, const parse::Instruction& anchor) {
  const FixOptions& o = s.options();
  Plan plan{std::to_string(o.uid) + ":" + std::to_string(o.gid), {}, ""};
  std::vector<CreatedUser> existing = CreatedUsers(s, stage);
  if (!existing.empty()) {
    const CreatedUser& reuse = existing.back();
    plan.user = reuse.uid + (reuse.gid.empty() ? "" : ":" + reuse.gid);
    return plan;
  }
  Creations all = ReadCreations(s, stage);
  bool taken = std::any_of(all.users.begin(), all.users.end(),
                           [&](const CreatedUser& u) { return u.name == o.user_name; });
  if (taken) {
    plan.why_not_created = "a RUN already creates '" + o.user_name + "' without a numeric UID";
  } else if (!SafeName(o.user_name)) {
    plan.why_not_created = "'" + o.user_name + "' is not a valid user name";
  } else {
    plan.lines = CreationLines(s, distro, anchor);
    if (plan.lines.empty()) plan.why_not_created = WhyNoCreation(distro);
  }
  return plan;
}

// Web servers that expect to start as root (bind, pid file, cache) need
// more than a USER line; say so.
bool RunsRootServer(const Session& s, int stage) {
  static constexpr std::string_view kServers[] = {"nginx", "httpd", "apache2",
                                                  "apache2-foreground"};
  auto server = [](std::string_view name) {
    return std::find(std::begin(kServers), std::end(kServers), name) != std::end(kServers);
  };
  std::vector<int> chain = StageChain(s.df(), stage);
  const parse::Stage& root = s.df().stages[static_cast<size_t>(chain.front())];
  if (root.image) {
    std::string_view repo = root.image->repository;
    if (server(repo.substr(repo.rfind('/') == std::string_view::npos ? 0 : repo.rfind('/') + 1))) {
      return true;
    }
  }
  for (int member : chain) {
    for (const parse::Instruction& inst : s.ctx().StageInstructions(member)) {
      if (inst.keyword != "CMD" && inst.keyword != "ENTRYPOINT") continue;
      for (const parse::Word& word : inst.args) {
        if (server(parse::CommandName(word.value))) return true;
      }
    }
  }
  return false;
}

}  // namespace

const parse::Instruction& RuntimeAnchor(const Session& s, int stage) {
  std::span<const parse::Instruction> insts = s.ctx().StageInstructions(stage);
  size_t last_build = 0;
  for (size_t i = 0; i < insts.size(); ++i) {
    if (OneOf(insts[i].keyword, {"RUN", "COPY", "ADD", "USER"})) last_build = i;
  }
  for (size_t i = last_build + 1; i < insts.size(); ++i) {
    if (OneOf(insts[i].keyword, {"CMD", "ENTRYPOINT", "HEALTHCHECK"})) return insts[i - 1];
  }
  return insts.back();
}

std::vector<CreatedUser> CreatedUsers(const Session& s, int stage) {
  std::vector<CreatedUser> out;
  for (CreatedUser& user : ReadCreations(s, stage).users) {
    if (!user.uid.empty() && !IsRootUser(user.uid)) out.push_back(std::move(user));
  }
  return out;
}

bool IsRootUser(std::string_view user) {
  return user == "root" ||
         (!user.empty() && std::all_of(user.begin(), user.end(), [](char c) { return c == '0'; }));
}

std::optional<std::string> UserBefore(const Session& s, int stage, size_t before_offset) {
  std::vector<int> chain = StageChain(s.df(), stage);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const parse::Instruction* last = nullptr;
    for (const parse::Instruction& inst : s.ctx().StageInstructions(*it)) {
      if (*it == stage && inst.begin_offset >= before_offset) break;
      if (inst.keyword == "USER" && !inst.args.empty()) last = &inst;
    }
    if (last == nullptr) continue;
    parse::Expansion user = parse::ExpandVariables(
        last->args[0].value, s.ctx().Variables(*it, last->begin_offset), s.df().escape);
    if (!user.resolved) return std::nullopt;
    std::string name = user.text.substr(0, user.text.find(':'));
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
    return name;
  }
  return std::string();
}

void FixRootUser(Session& s) {
  if (!s.Has("BW-DF-001")) return;
  const parse::Stage& final = *s.df().FinalStage();
  const parse::Instruction& from = s.df().instructions[final.from_index];
  ImageFacts facts = FactsOf(s, final.index);
  if (facts.distro == Distro::kWindows) {
    s.Note("BW-DF-001", from.start_line,
           "not fixed: a Windows image needs a Windows user; set USER by hand");
    return;
  }
  const parse::Instruction& anchor = RuntimeAnchor(s, final.index);
  std::string indent = IndentOf(s, anchor);
  Plan plan = PlanUser(s, final.index, facts.distro, anchor);
  Change change;
  change.check_id = "BW-DF-001";
  change.instruction_delta = plan.lines.empty() ? 1 : 2;
  change.first_line = from.start_line;
  change.last_line = s.ctx().StageInstructions(final.index).back().end_line;
  if (!plan.why_not_created.empty()) {
    change.notes.push_back({"BW-DF-001", from.start_line,
                            "created no user (" + plan.why_not_created + "): USER " + plan.user +
                                " works without a passwd entry"});
  }
  change.notes.push_back({"BW-DF-001", from.start_line,
                          "the final stage now runs as " + plan.user +
                              ": files the service writes at run time must be owned by it "
                              "(COPY --chown=" +
                              plan.user + ")"});
  if (RunsRootServer(s, final.index)) {
    change.notes.push_back({"BW-DF-001", from.start_line,
                            "nginx / httpd as a non-root user need their pid, cache and log paths "
                            "writable by it (or an unprivileged image variant)"});
  }
  plan.lines.push_back(indent + KeywordLike(anchor, "USER") + " " + plan.user);
  change.edits.push_back(InsertLines(s, anchor.end_line, plan.lines, "BW-DF-001"));
  s.Add(std::move(change));
}

void FixNamedUser(Session& s) {
  if (!s.Has("BW-DF-011")) return;
  int stage = -1;
  const parse::Instruction* inst = FinalUserInstruction(s, &stage);
  if (inst == nullptr || !s.HasIn("BW-DF-011", *inst)) return;
  const parse::Word& word = inst->args[0];
  if (word.raw != word.value || parse::HasVariable(word.value)) {
    s.Note("BW-DF-011", inst->start_line, "not fixed: USER is quoted or uses a variable");
    return;
  }
  std::string name = word.value.substr(0, word.value.find(':'));
  std::string group =
      word.value.find(':') == std::string::npos ? "" : word.value.substr(word.value.find(':') + 1);
  Creations created = ReadCreations(s, s.df().FinalStage()->index);
  auto user = std::find_if(created.users.rbegin(), created.users.rend(),
                           [&](const CreatedUser& u) { return u.name == name; });
  if (user == created.users.rend() || user->uid.empty()) {
    s.Note("BW-DF-011", inst->start_line,
           "not fixed: no RUN here creates user '" + name +
               "' with a numeric UID; use its UID in USER by hand");
    return;
  }
  std::string value = user->uid;
  if (!group.empty()) {
    auto known = created.groups.find(group);
    std::string gid = AllDigits(group)                                            ? group
                      : known != created.groups.end() && AllDigits(known->second) ? known->second
                                                                                  : "";
    if (gid.empty()) {
      s.Note("BW-DF-011", inst->start_line,
             "not fixed: the GID of group '" + group + "' is not known here");
      return;
    }
    value += ":" + gid;
  }
  TextEdit edit{word.offset, word.end_offset, value, "BW-DF-011"};
  s.Add(Change{"BW-DF-011", {edit}, 0, inst->start_line, inst->end_line});
}

}  // namespace bulwark::fix::dockerfile
