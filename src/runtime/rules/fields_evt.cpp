// evt.* fields: the event itself (type, number, time, result, arguments by
// name or index, rendered or raw, open-mode predicates, buffer).
#include <string>

#include "runtime/rules/arg_render.hpp"
#include "runtime/rules/fields_internal.hpp"

namespace bulwark::runtime::rules {
namespace {

using internal::TableProvider;

enum Id : uint16_t {
  kNum, kType, kTime, kTimeS, kTimeIso, kDatetime, kRawTime, kRawTimeS, kRawTimeNs, kDir, kCpu, kRes, kRawRes,
  kFailed, kArgs, kArg, kRawArg, kIsOpenRead, kIsOpenWrite, kIsOpenExec, kIsOpenCreate, kBuffer, kSource,
  kHostname, kCount,
};

std::vector<FieldDesc> Table() {
  using T = FieldType;
  using A = ArgMode;
  using R = RenderStyle;
  const auto S = Multiplicity::kSingle;
  return {
      {"evt.num", T::kInt, A::kNone, kNum, S, R::kPlain, "event number."},
      {"evt.type", T::kString, A::kNone, kType, S, R::kPlain, "The name of the event (e.g. 'open')."},
      {"evt.time", T::kInt, A::kNone, kTime, S, R::kTime, "event timestamp as a time string (UTC) with nanoseconds."},
      {"evt.time.s", T::kInt, A::kNone, kTimeS, S, R::kTimeSeconds, "event timestamp as a time string (UTC) with seconds."},
      {"evt.time.iso8601", T::kInt, A::kNone, kTimeIso, S, R::kIso8601, "event timestamp in ISO 8601 format (UTC)."},
      {"evt.datetime", T::kInt, A::kNone, kDatetime, S, R::kDatetime, "event timestamp as date and time (UTC)."},
      {"evt.rawtime", T::kInt, A::kNone, kRawTime, S, R::kPlain, "absolute event timestamp, in nanoseconds from epoch."},
      {"evt.rawtime.s", T::kInt, A::kNone, kRawTimeS, S, R::kPlain, "integer part of the event timestamp (seconds)."},
      {"evt.rawtime.ns", T::kInt, A::kNone, kRawTimeNs, S, R::kPlain, "fractional part of the event timestamp (ns)."},
      {"evt.dir", T::kString, A::kNone, kDir, S, R::kPlain, "deprecated: always '<' (events are syscall exits)."},
      {"evt.cpu", T::kInt, A::kNone, kCpu, S, R::kPlain, "number of the CPU where this event happened."},
      {"evt.res", T::kString, A::kNone, kRes, S, R::kPlain, "event return value: 'SUCCESS' or the errno name (e.g. 'ENOENT')."},
      {"evt.rawres", T::kInt, A::kNone, kRawRes, S, R::kPlain, "event return value, as a number (e.g. -2)."},
      {"evt.failed", T::kBool, A::kNone, kFailed, S, R::kPlain, "'true' for events that returned an error status."},
      {"evt.args", T::kString, A::kNone, kArgs, S, R::kPlain, "all the event arguments, aggregated into a single string."},
      {"evt.arg", T::kString, A::kArgName, kArg, S, R::kPlain,
       "an event argument by name (evt.arg.flags) or index (evt.arg[0]), rendered as text; flags render as symbolic names."},
      {"evt.rawarg", T::kDynamic, A::kArgName, kRawArg, S, R::kPlain,
       "an event argument by name, as a number for numeric arguments (evt.rawarg.res < 0)."},
      {"evt.is_open_read", T::kBool, A::kNone, kIsOpenRead, S, R::kPlain, "'true' for open/openat/openat2 events where the path was opened for reading."},
      {"evt.is_open_write", T::kBool, A::kNone, kIsOpenWrite, S, R::kPlain, "'true' for open/openat/openat2 events where the path was opened for writing."},
      {"evt.is_open_exec", T::kBool, A::kNone, kIsOpenExec, S, R::kPlain, "'true' for open/openat/openat2/creat events where a file is created with execute permissions."},
      {"evt.is_open_create", T::kBool, A::kNone, kIsOpenCreate, S, R::kPlain, "'true' for open/openat/openat2/creat events that create a file."},
      {"evt.buffer", T::kBytes, A::kNone, kBuffer, S, R::kPlain, "the binary data buffer of the event (send/recv data)."},
      {"evt.source", T::kString, A::kNone, kSource, S, R::kPlain, "the event source: 'syscall'."},
      {"evt.hostname", T::kString, A::kNone, kHostname, S, R::kPlain, "the hostname of the underlying host."},
  };
}

bool IsOpen(EventType t) { return t == EventType::kOpen || t == EventType::kOpenat || t == EventType::kOpenat2; }

const EventArg* FindArg(const Event& e, const FieldArg& arg) {
  if (arg.is_index) return arg.index < e.nargs ? &e.args[static_cast<size_t>(arg.index)] : nullptr;
  return e.Arg(arg.text);
}

bool IsNumericKind(ArgKind k) {
  return k != ArgKind::kPath && k != ArgKind::kString && k != ArgKind::kBytes && k != ArgKind::kSockaddr;
}

// Falco's execve `flags` (EXE_WRITABLE|EXE_UPPER_LAYER|EXE_FROM_MEMFD),
// from the process table when the sensor sends no flags argument.
bool AppendExeFlags(const EventContext& ctx, std::string& out) {
  if (ctx.proc == nullptr) return false;
  size_t start = out.size();
  auto add = [&](bool on, std::string_view name) {
    if (!on) return;
    if (out.size() > start) out += '|';
    out += name;
  };
  add(ctx.proc->exe_writable, "EXE_WRITABLE");
  add(ctx.proc->exe_upper_layer, "EXE_UPPER_LAYER");
  add(ctx.proc->exe_from_memfd, "EXE_FROM_MEMFD");
  if (out.size() == start) out += '0';
  return true;
}

class EventFields : public TableProvider {
 public:
  EventFields() : TableProvider("evt", Table()) {}

  void Extract(const FieldDesc& f, const FieldArg& arg, const EventContext& ctx, Extraction& out) const override {
    if (ctx.evt == nullptr) return;
    const Event& e = *ctx.evt;
    auto ts = static_cast<int64_t>(e.ts_ns);
    switch (f.id) {
      case kNum: out.Set(Value::Int(static_cast<int64_t>(e.num))); break;
      case kType: out.Set(Value::Str(EventTypeName(e.type))); break;
      case kTime: case kTimeS: case kTimeIso: case kDatetime: case kRawTime: out.Set(Value::Int(ts)); break;
      case kRawTimeS: out.Set(Value::Int(ts / 1000000000)); break;
      case kRawTimeNs: out.Set(Value::Int(ts % 1000000000)); break;
      case kDir: out.Set(Value::Str("<")); break;
      case kCpu: out.Set(Value::Int(e.cpu)); break;
      case kRes: AppendResult(e.res, out.NewBuffer()); out.SetBuffer(); break;
      case kRawRes: out.Set(Value::Int(e.res)); break;
      case kFailed: out.Set(Value::Bool(e.res < 0)); break;
      case kArgs: ExtractArgs(e, out); break;
      case kArg: ExtractArg(arg, ctx, out); break;
      case kRawArg: ExtractRawArg(arg, e, out); break;
      case kIsOpenRead: case kIsOpenWrite: case kIsOpenCreate: case kIsOpenExec: ExtractOpenMode(f.id, e, out); break;
      case kBuffer:
        for (uint8_t i = 0; i < e.nargs; ++i) {
          if (e.args[i].kind == ArgKind::kBytes) {
            out.Set(Value::Str(e.args[i].text));
            break;
          }
        }
        break;
      case kSource: out.Set(Value::Str("syscall")); break;
      case kHostname:
        if (ctx.state != nullptr) out.Set(Value::Str(ctx.state->Hostname()));
        break;
      default: break;
    }
  }

 private:
  static void ExtractArgs(const Event& e, Extraction& out) {
    std::string& s = out.NewBuffer();
    s += "res=";
    s += std::to_string(e.res);
    for (uint8_t i = 0; i < e.nargs && i < kMaxEventArgs; ++i) {
      s += ' ';
      s += e.args[i].name;
      s += '=';
      RenderArg(e.args[i], e.type, s);
    }
    out.SetBuffer();
  }

  static void ExtractArg(const FieldArg& arg, const EventContext& ctx, Extraction& out) {
    const Event& e = *ctx.evt;
    if (const EventArg* a = FindArg(e, arg); a != nullptr) {
      RenderArg(*a, e.type, out.NewBuffer());
      out.SetBuffer();
    } else if (!arg.is_index && arg.text == "res") {
      std::string& s = out.NewBuffer();
      if (e.res < 0 && !ErrnoName(e.res).empty()) {
        s += ErrnoName(e.res);
      } else {
        s += std::to_string(e.res);
      }
      out.SetBuffer();
    } else if (!arg.is_index && arg.text == "flags" && (e.type == EventType::kExecve || e.type == EventType::kExecveat)) {
      if (AppendExeFlags(ctx, out.NewBuffer())) out.SetBuffer();
    }
  }

  static void ExtractRawArg(const FieldArg& arg, const Event& e, Extraction& out) {
    const EventArg* a = FindArg(e, arg);
    if (a == nullptr) {
      if (!arg.is_index && arg.text == "res") out.Set(Value::Int(e.res));
      return;
    }
    if (IsNumericKind(a->kind)) {
      out.Set(Value::Int(a->num));
    } else if (a->kind == ArgKind::kSockaddr) {
      AppendSockAddr(a->addr, out.NewBuffer());
      out.SetBuffer();
    } else {
      out.Set(Value::Str(a->text));
    }
  }

  static void ExtractOpenMode(uint16_t id, const Event& e, Extraction& out) {
    bool value = false;
    const EventArg* flags = e.Arg("flags");
    const EventArg* mode = e.Arg("mode");
    bool exec_mode = mode != nullptr && (mode->num & 0111) != 0;
    if (IsOpen(e.type) && flags != nullptr) {
      if (id == kIsOpenRead) value = OpenFlagsRead(flags->num);
      if (id == kIsOpenWrite) value = OpenFlagsWrite(flags->num);
      if (id == kIsOpenCreate) value = OpenFlagsCreate(flags->num);
      if (id == kIsOpenExec) value = OpenFlagsCreate(flags->num) && exec_mode;
    } else if (e.type == EventType::kCreat) {
      if (id == kIsOpenCreate) value = true;
      if (id == kIsOpenExec) value = exec_mode;
    }
    out.Set(Value::Bool(value));
  }
};

}  // namespace

std::unique_ptr<FieldProvider> MakeEventFields() { return std::make_unique<EventFields>(); }

}  // namespace bulwark::runtime::rules
