// proc.* and thread.* fields: the process that made the event, its parent
// and ancestors (proc.aname[N]; bare proc.aname = any ancestor), session and
// process-group leaders, durations, executable facts and capabilities.
#include <string>

#include "runtime/rules/arg_render.hpp"
#include "runtime/rules/fields_internal.hpp"

namespace bulwark::runtime::rules {
namespace internal {

const Process* Parent(const EventContext& ctx, const Process* p) {
  if (ctx.state == nullptr || p == nullptr || p->ppid <= 0 || p->ppid == p->pid) return nullptr;
  return ctx.state->FindProcess(p->ppid);
}

const Process* Ancestor(const EventContext& ctx, int64_t n) {
  const Process* p = ctx.proc;
  for (int64_t i = 0; i < n && p != nullptr; ++i) {
    if (i >= kMaxAncestors) return nullptr;
    p = Parent(ctx, p);
  }
  return p;
}

void AppendJoined(const std::string& head, const std::vector<std::string>& args, std::string& out) {
  out += head;
  for (const auto& a : args) {
    out += ' ';
    out += a;
  }
}

}  // namespace internal

namespace {

using internal::Ancestor;
using internal::AppendJoined;
using internal::ForEachAncestor;
using internal::Parent;
using internal::TableProvider;

enum Id : uint16_t {
  kName, kExe, kExepath, kArgs, kCmdline, kExeline, kCwd, kEnv, kPid, kPpid, kVpid, kPvpid, kSid, kSname, kSidExe,
  kSidExepath, kVpgid, kVpgidName, kVpgidExe, kVpgidExepath, kTty, kPname, kPexe, kPexepath, kPcmdline, kAname,
  kAexe, kAexepath, kAcmdline, kApid, kDuration, kPpidDuration, kPidTs, kPpidTs, kIsExeWritable, kIsExeUpperLayer,
  kIsExeFromMemfd, kIsSidLeader, kIsVpgidLeader, kExeIno, kExeInoCtime, kExeInoMtime, kExeInoCtimeDurProc,
  kExeInoCtimeDurPidns, kPidnsInitStartTs, kCmdnargs, kCmdlenargs, kLoginShellId, kTid, kCapEffective,
  kCapPermitted, kCapInheritable,
};

std::vector<FieldDesc> Table() {
  using T = FieldType;
  using A = ArgMode;
  const auto S = Multiplicity::kSingle;
  const auto Any = Multiplicity::kAnyOf;
  const auto P = RenderStyle::kPlain;
  return {
      {"proc.name", T::kString, A::kNone, kName, S, P, "The process name (task->comm, at most 15 characters)."},
      {"proc.exe", T::kString, A::kNone, kExe, S, P, "The first command-line argument (argv[0])."},
      {"proc.exepath", T::kString, A::kNone, kExepath, S, P, "The full executable path of the process."},
      {"proc.args", T::kString, A::kNone, kArgs, S, P, "The arguments passed on the command line, excluding argv[0]."},
      {"proc.cmdline", T::kString, A::kNone, kCmdline, S, P, "proc.name followed by proc.args."},
      {"proc.exeline", T::kString, A::kNone, kExeline, S, P, "proc.exe followed by proc.args."},
      {"proc.cwd", T::kString, A::kNone, kCwd, S, P, "The current working directory."},
      {"proc.env", T::kString, A::kOptionalKey, kEnv, S, P, "The environment ('A=1 B=2'), or one variable's value with proc.env[NAME]."},
      {"proc.pid", T::kInt, A::kNone, kPid, S, P, "The process ID."},
      {"proc.ppid", T::kInt, A::kNone, kPpid, S, P, "The parent process ID."},
      {"proc.vpid", T::kInt, A::kNone, kVpid, S, P, "The process ID as seen from its PID namespace."},
      {"proc.pvpid", T::kInt, A::kNone, kPvpid, S, P, "The parent's ID as seen from its PID namespace."},
      {"proc.sid", T::kInt, A::kNone, kSid, S, P, "The session ID."},
      {"proc.sname", T::kString, A::kNone, kSname, S, P, "The name of the session leader (the eldest ancestor with the same session ID)."},
      {"proc.sid.exe", T::kString, A::kNone, kSidExe, S, P, "The proc.exe of the session leader."},
      {"proc.sid.exepath", T::kString, A::kNone, kSidExepath, S, P, "The proc.exepath of the session leader."},
      {"proc.vpgid", T::kInt, A::kNone, kVpgid, S, P, "The process group ID."},
      {"proc.vpgid.name", T::kString, A::kNone, kVpgidName, S, P, "The name of the process group leader."},
      {"proc.vpgid.exe", T::kString, A::kNone, kVpgidExe, S, P, "The proc.exe of the process group leader."},
      {"proc.vpgid.exepath", T::kString, A::kNone, kVpgidExepath, S, P, "The proc.exepath of the process group leader."},
      {"proc.tty", T::kInt, A::kNone, kTty, S, P, "The controlling terminal; 0 for none."},
      {"proc.pname", T::kString, A::kNone, kPname, S, P, "The proc.name of the parent."},
      {"proc.pexe", T::kString, A::kNone, kPexe, S, P, "The proc.exe of the parent."},
      {"proc.pexepath", T::kString, A::kNone, kPexepath, S, P, "The proc.exepath of the parent."},
      {"proc.pcmdline", T::kString, A::kNone, kPcmdline, S, P, "The proc.cmdline of the parent."},
      {"proc.aname", T::kString, A::kOptionalIndex, kAname, Any, P, "The proc.name of ancestor N ([0] self, [1] parent); bare: matches any ancestor, prints all."},
      {"proc.aexe", T::kString, A::kOptionalIndex, kAexe, Any, P, "The proc.exe of ancestor N; bare: any ancestor."},
      {"proc.aexepath", T::kString, A::kOptionalIndex, kAexepath, Any, P, "The proc.exepath of ancestor N; bare: any ancestor."},
      {"proc.acmdline", T::kString, A::kOptionalIndex, kAcmdline, Any, P, "The proc.cmdline of ancestor N; bare: any ancestor."},
      {"proc.apid", T::kInt, A::kOptionalIndex, kApid, Any, P, "The pid of ancestor N; bare: any ancestor."},
      {"proc.duration", T::kInt, A::kNone, kDuration, S, P, "Nanoseconds since the process started."},
      {"proc.ppid.duration", T::kInt, A::kNone, kPpidDuration, S, P, "Nanoseconds since the parent started."},
      {"proc.pid.ts", T::kInt, A::kNone, kPidTs, S, P, "Start of the process, nanoseconds since the epoch."},
      {"proc.ppid.ts", T::kInt, A::kNone, kPpidTs, S, P, "Start of the parent, nanoseconds since the epoch."},
      {"proc.is_exe_writable", T::kBool, A::kNone, kIsExeWritable, S, P, "'true' if the executable is writable by the process's user."},
      {"proc.is_exe_upper_layer", T::kBool, A::kNone, kIsExeUpperLayer, S, P, "'true' if the executable is in an overlayfs upper layer."},
      {"proc.is_exe_from_memfd", T::kBool, A::kNone, kIsExeFromMemfd, S, P, "'true' if the executable is a memfd_create() file."},
      {"proc.is_sid_leader", T::kBool, A::kNone, kIsSidLeader, S, P, "'true' if the process leads its session."},
      {"proc.is_vpgid_leader", T::kBool, A::kNone, kIsVpgidLeader, S, P, "'true' if the process leads its process group."},
      {"proc.exe_ino", T::kInt, A::kNone, kExeIno, S, P, "The inode number of the executable."},
      {"proc.exe_ino.ctime", T::kInt, A::kNone, kExeInoCtime, S, P, "Last status change time of the executable (ns since epoch)."},
      {"proc.exe_ino.mtime", T::kInt, A::kNone, kExeInoMtime, S, P, "Last modification time of the executable (ns since epoch)."},
      {"proc.exe_ino.ctime_duration_proc_start", T::kInt, A::kNone, kExeInoCtimeDurProc, S, P, "Nanoseconds between the executable's ctime and the process start."},
      {"proc.exe_ino.ctime_duration_pidns_start", T::kInt, A::kNone, kExeInoCtimeDurPidns, S, P, "Nanoseconds between the PID namespace start and the executable's ctime."},
      {"proc.pidns_init_start_ts", T::kInt, A::kNone, kPidnsInitStartTs, S, P, "Start of the PID namespace (ns since epoch)."},
      {"proc.cmdnargs", T::kInt, A::kNone, kCmdnargs, S, P, "The number of command-line arguments."},
      {"proc.cmdlenargs", T::kInt, A::kNone, kCmdlenargs, S, P, "The total length of the command-line arguments."},
      {"proc.loginshellid", T::kInt, A::kNone, kLoginShellId, S, P, "The pid of the eldest shell among the ancestors."},
      {"thread.tid", T::kInt, A::kNone, kTid, S, P, "The thread ID of the event."},
      {"thread.cap_effective", T::kString, A::kNone, kCapEffective, S, P, "The effective capabilities (\"CAP_CHOWN CAP_SYS_ADMIN\")."},
      {"thread.cap_permitted", T::kString, A::kNone, kCapPermitted, S, P, "The permitted capabilities."},
      {"thread.cap_inheritable", T::kString, A::kNone, kCapInheritable, S, P, "The inheritable capabilities."},
  };
}

void SetString(const std::string& s, Extraction& out) { out.Set(Value::Str(s)); }

void SetCmdline(const Process& p, Extraction& out) {
  AppendJoined(p.comm, p.args, out.NewBuffer());
  out.SetBuffer();
}

// The eldest of the process and its ancestors in an unbroken chain for
// which `same` holds (Falco's session / process-group leader lookup).
template <typename Pred>
const Process* EldestWith(const EventContext& ctx, Pred same) {
  const Process* p = ctx.proc;
  for (int i = 0; i < internal::kMaxAncestors; ++i) {
    const Process* parent = Parent(ctx, p);
    if (parent == nullptr || !same(*parent)) break;
    p = parent;
  }
  return p;
}

void SetArgs(const Process& p, Extraction& out) {
  std::string& s = out.NewBuffer();
  for (size_t i = 0; i < p.args.size(); ++i) {
    if (i > 0) s += ' ';
    s += p.args[i];
  }
  out.SetBuffer();
}

class ProcessFields : public TableProvider {
 public:
  ProcessFields() : TableProvider("proc", Table()) {}

  void Extract(const FieldDesc& f, const FieldArg& arg, const EventContext& ctx, Extraction& out) const override {
    if (f.id == kTid) {
      if (ctx.evt != nullptr) out.Set(Value::Int(ctx.evt->tid));
      return;
    }
    if (ctx.proc == nullptr) return;
    const Process& p = *ctx.proc;
    if (f.arg == ArgMode::kOptionalIndex) {
      ExtractAncestorField(f.id, arg, ctx, out);
      return;
    }
    if (ExtractOwn(f.id, arg, p, out)) return;
    ExtractRelated(f.id, ctx, out);
  }

 private:
  static void SetFrom(uint16_t id, const Process& a, Extraction& out) {
    switch (id) {
      case kAname: SetString(a.comm, out); break;
      case kAexe: SetString(a.exe, out); break;
      case kAexepath: SetString(a.exepath, out); break;
      case kAcmdline: SetCmdline(a, out); break;
      case kApid: out.Set(Value::Int(a.pid)); break;
      default: break;
    }
  }

  static void ExtractAncestorField(uint16_t id, const FieldArg& arg, const EventContext& ctx, Extraction& out) {
    if (arg.present) {
      if (const Process* a = Ancestor(ctx, arg.index); a != nullptr) SetFrom(id, *a, out);
      return;
    }
    ForEachAncestor(ctx, [&](const Process& a) { SetFrom(id, a, out); });
  }

  // Fields of the process itself; false when `id` is not one of them.
  static bool ExtractOwn(uint16_t id, const FieldArg& arg, const Process& p, Extraction& out) {
    switch (id) {
      case kName: SetString(p.comm, out); return true;
      case kExe: SetString(p.exe, out); return true;
      case kExepath: SetString(p.exepath, out); return true;
      case kArgs: SetArgs(p, out); return true;
      case kCmdline: SetCmdline(p, out); return true;
      case kExeline: AppendJoined(p.exe, p.args, out.NewBuffer()); out.SetBuffer(); return true;
      case kCwd: if (!p.cwd.empty()) SetString(p.cwd, out); return true;
      case kEnv: ExtractEnv(arg, p, out); return true;
      case kPid: out.Set(Value::Int(p.pid)); return true;
      case kPpid: out.Set(Value::Int(p.ppid)); return true;
      case kVpid: out.Set(Value::Int(p.vpid)); return true;
      case kSid: out.Set(Value::Int(p.sid)); return true;
      case kVpgid: out.Set(Value::Int(p.pgid)); return true;
      case kTty: out.Set(Value::Int(p.tty)); return true;
      case kPidTs: if (p.start_ts_ns != 0) out.Set(Value::Int(static_cast<int64_t>(p.start_ts_ns))); return true;
      case kIsExeWritable: out.Set(Value::Bool(p.exe_writable)); return true;
      case kIsExeUpperLayer: out.Set(Value::Bool(p.exe_upper_layer)); return true;
      case kIsExeFromMemfd: out.Set(Value::Bool(p.exe_from_memfd)); return true;
      case kIsSidLeader: out.Set(Value::Bool(p.sid == p.vpid || p.sid == p.pid)); return true;
      case kIsVpgidLeader: out.Set(Value::Bool(p.pgid == p.vpid || p.pgid == p.pid)); return true;
      case kExeIno: if (p.exe_ino != 0) out.Set(Value::Int(static_cast<int64_t>(p.exe_ino))); return true;
      case kExeInoCtime: if (p.exe_ino_ctime_ns != 0) out.Set(Value::Int(static_cast<int64_t>(p.exe_ino_ctime_ns))); return true;
      case kExeInoMtime: if (p.exe_ino_mtime_ns != 0) out.Set(Value::Int(static_cast<int64_t>(p.exe_ino_mtime_ns))); return true;
      case kExeInoCtimeDurProc:
        if (p.exe_ino_ctime_ns != 0 && p.start_ts_ns >= p.exe_ino_ctime_ns) {
          out.Set(Value::Int(static_cast<int64_t>(p.start_ts_ns - p.exe_ino_ctime_ns)));
        }
        return true;
      case kExeInoCtimeDurPidns:
        if (p.exe_ino_ctime_ns != 0 && p.pidns_init_start_ts_ns != 0 && p.pidns_init_start_ts_ns < p.exe_ino_ctime_ns) {
          out.Set(Value::Int(static_cast<int64_t>(p.exe_ino_ctime_ns - p.pidns_init_start_ts_ns)));
        }
        return true;
      case kPidnsInitStartTs:
        if (p.pidns_init_start_ts_ns != 0) out.Set(Value::Int(static_cast<int64_t>(p.pidns_init_start_ts_ns)));
        return true;
      case kCmdnargs: out.Set(Value::Int(static_cast<int64_t>(p.args.size()))); return true;
      case kCmdlenargs: {
        int64_t n = 0;
        for (const auto& a : p.args) n += static_cast<int64_t>(a.size());
        out.Set(Value::Int(n));
        return true;
      }
      case kCapEffective: AppendCapabilities(p.cap_effective, out.NewBuffer()); out.SetBuffer(); return true;
      case kCapPermitted: AppendCapabilities(p.cap_permitted, out.NewBuffer()); out.SetBuffer(); return true;
      case kCapInheritable: AppendCapabilities(p.cap_inheritable, out.NewBuffer()); out.SetBuffer(); return true;
      default: return false;
    }
  }

  static void ExtractEnv(const FieldArg& arg, const Process& p, Extraction& out) {
    if (!arg.present) {
      std::string& s = out.NewBuffer();
      for (const auto& kv : p.env) {
        if (!s.empty()) s += ' ';
        s += kv;
      }
      out.SetBuffer();
      return;
    }
    for (const auto& kv : p.env) {
      if (kv.size() > arg.text.size() && kv[arg.text.size()] == '=' && kv.compare(0, arg.text.size(), arg.text) == 0) {
        out.Set(Value::Str(std::string_view(kv).substr(arg.text.size() + 1)));
        return;
      }
    }
  }

  // Fields that read the parent, leaders or the event's time.
  static void ExtractRelated(uint16_t id, const EventContext& ctx, Extraction& out) {
    const Process& p = *ctx.proc;
    const Process* parent = Parent(ctx, &p);
    auto now = ctx.evt != nullptr ? ctx.evt->ts_ns : 0;
    switch (id) {
      case kPname: if (parent) SetString(parent->comm, out); break;
      case kPexe: if (parent) SetString(parent->exe, out); break;
      case kPexepath: if (parent) SetString(parent->exepath, out); break;
      case kPcmdline: if (parent) SetCmdline(*parent, out); break;
      case kPvpid: if (parent) out.Set(Value::Int(parent->vpid)); break;
      case kPpidTs: if (parent && parent->start_ts_ns != 0) out.Set(Value::Int(static_cast<int64_t>(parent->start_ts_ns))); break;
      case kDuration:
        if (p.start_ts_ns != 0 && now >= p.start_ts_ns) out.Set(Value::Int(static_cast<int64_t>(now - p.start_ts_ns)));
        break;
      case kPpidDuration:
        if (parent && parent->start_ts_ns != 0 && now >= parent->start_ts_ns) {
          out.Set(Value::Int(static_cast<int64_t>(now - parent->start_ts_ns)));
        }
        break;
      case kSname: case kSidExe: case kSidExepath: {
        const Process* l = EldestWith(ctx, [&p](const Process& a) { return a.sid == p.sid; });
        SetString(id == kSname ? l->comm : id == kSidExe ? l->exe : l->exepath, out);
        break;
      }
      case kVpgidName: case kVpgidExe: case kVpgidExepath: {
        const Process* l = EldestWith(ctx, [&p](const Process& a) { return a.pgid == p.pgid; });
        SetString(id == kVpgidName ? l->comm : id == kVpgidExe ? l->exe : l->exepath, out);
        break;
      }
      case kLoginShellId: {
        const Process* shell = nullptr;
        auto check = [&shell](const Process& a) {
          if (a.comm.size() >= 2 && a.comm.compare(a.comm.size() - 2, 2, "sh") == 0) shell = &a;
        };
        check(p);
        ForEachAncestor(ctx, check);
        if (shell) out.Set(Value::Int(shell->pid));
        break;
      }
      default: break;
    }
  }
};

}  // namespace

std::unique_ptr<FieldProvider> MakeProcessFields() { return std::make_unique<ProcessFields>(); }

}  // namespace bulwark::runtime::rules
