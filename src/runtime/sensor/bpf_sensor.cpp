#include "runtime/sensor/bpf_sensor.hpp"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <sys/capability.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "runtime/sensor/syscall_tracepoints.hpp"
#include "sensor.skel.h"

namespace bulwark::runtime::sensor {
namespace {

constexpr int kBatchFull = -10000;  // OnRecord's "stop this batch", not an error

// libbpf's own messages: kept (bounded) so a failed load can show the
// verifier's last words instead of printing to stderr.
std::mutex g_log_mu;
std::string g_log;  // guarded by g_log_mu

int LibbpfLog(enum libbpf_print_level level, const char* format, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  char line[1024];
  int n = vsnprintf(line, sizeof(line), format, args);
  std::lock_guard<std::mutex> lock(g_log_mu);
  if (g_log.size() > 16384) g_log.erase(0, g_log.size() - 8192);
  g_log.append(line, n > 0 ? std::min<size_t>(n, sizeof(line) - 1) : 0);
  return n;
}

std::string TakeLog() {
  std::lock_guard<std::mutex> lock(g_log_mu);
  std::string out;
  out.swap(g_log);
  if (out.size() > 2000) out = "..." + out.substr(out.size() - 2000);
  return out;
}

bool HasEffectiveCap(cap_value_t cap) {
  cap_t caps = cap_get_proc();
  if (!caps) return false;
  cap_flag_value_t value = CAP_CLEAR;
  cap_get_flag(caps, cap, CAP_EFFECTIVE, &value);
  cap_free(caps);
  return value == CAP_SET;
}

std::string MissingCaps() {
  if (HasEffectiveCap(CAP_SYS_ADMIN)) return "";
  std::string missing;
  if (!HasEffectiveCap(CAP_BPF)) missing += "CAP_BPF ";
  if (!HasEffectiveCap(CAP_PERFMON)) missing += "CAP_PERFMON ";
  return missing;
}

core::Status LoadError(const char* step, int err) {
  std::string msg = std::string("eBPF sensor: ") + step + " failed: " + std::strerror(-err);
  if (err == -EPERM || err == -EACCES) {
    std::string missing = MissingCaps();
    if (!missing.empty()) {
      return core::Error(core::ErrorCode::kPermissionDenied,
                         msg + "; missing capabilities: " + missing +
                             "(run as root, or grant CAP_BPF and CAP_PERFMON)");
    }
    msg += " (the verifier or a security module refused the programs)";
  }
  std::string log = TakeLog();
  if (!log.empty()) msg += "\nlibbpf: " + log;
  return core::Error(err == -EPERM ? core::ErrorCode::kPermissionDenied : core::ErrorCode::kUnavailable,
                     msg);
}

bool IsPowerOfTwo(size_t n) { return n && (n & (n - 1)) == 0; }

}  // namespace

struct BpfSensor::Impl {
  bw_sensor* skel = nullptr;
  ring_buffer* ring = nullptr;
  std::unique_ptr<SyscallTracepoints> tracepoints;  // the per-syscall hook's links
  ~Impl() {
    tracepoints.reset();  // links before the programs they hold
    if (ring) ring_buffer__free(ring);
    if (skel) bw_sensor__destroy(skel);
  }
};

std::string_view DropCategoryName(size_t category) {
  static constexpr std::array<std::string_view, BW_CAT_COUNT> kNames = {
      "other", "clone_fork", "execve", "connect", "open", "dir_file", "close", "proc_exit"};
  return category < kNames.size() ? kNames[category] : "unknown";
}

core::Status CheckBpfSupport() {
  std::error_code ec;
  if (!std::filesystem::exists("/sys/kernel/btf/vmlinux", ec)) {
    return core::Error(core::ErrorCode::kUnavailable,
                       "eBPF sensor: this kernel has no BTF (/sys/kernel/btf/vmlinux is missing; "
                       "it needs CONFIG_DEBUG_INFO_BTF=y, kernel 5.8 or later)");
  }
  std::string missing = MissingCaps();
  if (!missing.empty()) {
    return core::Error(core::ErrorCode::kPermissionDenied,
                       "eBPF sensor: missing capabilities " + missing +
                           "(run as root, or grant CAP_BPF and CAP_PERFMON; CAP_SYS_ADMIN on kernels "
                           "before 5.8)");
  }
  libbpf_set_print(LibbpfLog);
  int ringbuf = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr);
  if (ringbuf <= 0) {
    return core::Error(core::ErrorCode::kUnavailable,
                       "eBPF sensor: the kernel has no BPF ring buffer (needs kernel 5.8 or later)" +
                           (ringbuf < 0 ? std::string(": ") + std::strerror(-ringbuf) : ""));
  }
  return core::Status::Ok();
}

core::Result<std::unique_ptr<BpfSensor>> BpfSensor::Open(const SensorOptions& options) {
  RETURN_IF_ERROR(CheckBpfSupport());
  if (!IsPowerOfTwo(options.ring_bytes) || options.ring_bytes < static_cast<size_t>(getpagesize())) {
    return core::Error(core::ErrorCode::kInvalidArgument,
                       "eBPF sensor: ring buffer size must be a power of two of at least one page");
  }
  // The hook: per-syscall tracepoints need tracefs's syscalls events.
  std::string events_dir, fallback;
  if (options.hook != SyscallHook::kRaw) {
    events_dir = SyscallEventsDir(fallback);
    if (events_dir.empty() && options.hook == SyscallHook::kPerSyscall) {
      return core::Error(core::ErrorCode::kUnavailable, "eBPF sensor: per-syscall tracepoints: " + fallback);
    }
  }
  const bool per_syscall = !events_dir.empty();
  auto impl = std::make_unique<Impl>();
  TakeLog();
  impl->skel = bw_sensor__open();
  if (!impl->skel) return LoadError("opening the BPF object", -errno);
  bpf_program__set_autoload(impl->skel->progs.bw_sys_exit, !per_syscall);
  bpf_program__set_autoload(impl->skel->progs.bw_sys_exit_tp, per_syscall);
  bpf_program__set_autoattach(impl->skel->progs.bw_sys_exit_tp, false);  // attached per syscall
  impl->skel->rodata->bw_sensor_tgid =
      options.own_tgid < 0 ? static_cast<uint32_t>(getpid()) : static_cast<uint32_t>(options.own_tgid);
  impl->skel->rodata->bw_wakeup_bytes = options.ring_bytes / std::max<size_t>(options.wakeup_fraction, 1);
  int err = bpf_map__set_max_entries(impl->skel->maps.bw_events, static_cast<uint32_t>(options.ring_bytes));
  if (!err) err = bpf_map__set_max_entries(impl->skel->maps.bw_scratch, libbpf_num_possible_cpus());
  if (err) return LoadError("sizing the maps", err);
  if ((err = bw_sensor__load(impl->skel)) != 0) return LoadError("loading the programs", err);
  if (per_syscall) {
    impl->tracepoints = std::make_unique<SyscallTracepoints>(impl->skel->progs.bw_sys_exit_tp, events_dir);
  }
  std::unique_ptr<BpfSensor> sensor(new BpfSensor(std::move(impl), options));
  sensor->hook_ = per_syscall ? SyscallHook::kPerSyscall : SyscallHook::kRaw;
  sensor->hook_fallback_ = fallback;
  RETURN_IF_ERROR(sensor->SetEventTypes(options.event_types));
  if ((err = bw_sensor__attach(sensor->impl_->skel)) != 0) return LoadError("attaching the tracepoints", err);
  sensor->impl_->ring = ring_buffer__new(bpf_map__fd(sensor->impl_->skel->maps.bw_events),
                                         &BpfSensor::OnRecord, sensor.get(), nullptr);
  if (!sensor->impl_->ring) return LoadError("mapping the ring buffer", -errno);
  return sensor;
}

BpfSensor::BpfSensor(std::unique_ptr<Impl> impl, const SensorOptions& options)
    : impl_(std::move(impl)), options_(options), decoder_(BootToRealtimeOffsetNs()) {
  batch_records_.reserve(options_.batch_records);
}

BpfSensor::~BpfSensor() = default;

core::Status BpfSensor::SetEventTypes(const EventTypeSet& types) {
  EventTypeSet want = types;
  if (options_.state_types) want |= StateEventTypes();
  bpf_map* specs = impl_->skel->maps.bw_specs;
  auto wanted = [&](EventType t) { return want.test(static_cast<size_t>(t)); };
  std::vector<uint16_t> traced;  // the per-syscall hook's tracepoints
  for (const SyscallSpec& s : AllSyscalls()) {
    bool interesting = wanted(s.type);
    // sched_process_exec reports execve and execveat through execve's slot.
    if (s.type == EventType::kExecve) interesting |= wanted(EventType::kExecveat);
    // Wanted for the state tables alone: the kernel may skip what they ignore.
    const bool state_only = !types.test(static_cast<size_t>(s.type));
    bw_spec k = KernelSpec(s, interesting, state_only);
    uint32_t key = s.nr;
    if (bpf_map__update_elem(specs, &key, sizeof(key), &k, sizeof(k), BPF_ANY) != 0) {
      return LoadError("writing the syscall table", -errno);
    }
    // Forks come from sched_process_fork alone.
    if (s.category != BW_CAT_CLONE_FORK && wanted(s.type)) traced.push_back(s.nr);
  }
  if (impl_->tracepoints) {
    if (auto st = impl_->tracepoints->Sync(traced); !st.ok()) return st;
  }
  bw_spec exit_spec{};
  exit_spec.interesting = wanted(EventType::kProcExit) ? 1 : 0;
  exit_spec.category = BW_CAT_PROC_EXIT;
  uint32_t key = BW_SPEC_PROCEXIT;
  if (bpf_map__update_elem(specs, &key, sizeof(key), &exit_spec, sizeof(exit_spec), BPF_ANY) != 0) {
    return LoadError("writing the syscall table", -errno);
  }
  return core::Status::Ok();
}

int BpfSensor::OnRecord(void* ctx, void* data, size_t size) {
  auto* self = static_cast<BpfSensor*>(ctx);
  size_t at = self->batch_.size();
  const auto* bytes = static_cast<const uint8_t*>(data);
  self->batch_.insert(self->batch_.end(), bytes, bytes + size);
  self->batch_records_.emplace_back(at, size);
  return self->batch_records_.size() >= self->options_.batch_records ? kBatchFull : 0;
}

bool BpfSensor::DecodeQueued(Event& out) {
  while (batch_pos_ < batch_records_.size()) {
    auto [at, size] = batch_records_[batch_pos_++];
    std::span<const uint8_t> record(batch_.data() + at, size);
    if (decoder_.Decode(record, out, facts_).ok()) {
      ++n_decoded_;
      has_last_ = true;
      return true;
    }
    ++n_malformed_;
  }
  batch_.clear();
  batch_records_.clear();
  batch_pos_ = 0;
  return false;
}

core::Result<ReadOutcome> BpfSensor::Next(Event& out, std::chrono::milliseconds timeout) {
  has_last_ = false;
  if (stopped_.load()) return ReadOutcome::kEnd;
  if (DecodeQueued(out)) return ReadOutcome::kEvent;  // most calls: no clock read
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + timeout;
  while (!stopped_.load()) {
    if (DecodeQueued(out)) return ReadOutcome::kEvent;
    int n = ring_buffer__consume(impl_->ring);
    if (n < 0 && n != kBatchFull && n != -EINTR) return LoadError("reading the ring buffer", n);
    if (!batch_records_.empty()) continue;
    const Clock::time_point now = Clock::now();
    if (now >= deadline) return ReadOutcome::kTimeout;
    // Records arrive without a wakeup (see SensorOptions): wait at most a
    // slice, then look again.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    const auto wait = std::max<std::chrono::milliseconds>(std::min(left, options_.poll_slice),
                                                          std::chrono::milliseconds(1));
    n = ring_buffer__poll(impl_->ring, static_cast<int>(wait.count()));
    if (n < 0 && n != kBatchFull && n != -EINTR) return LoadError("waiting on the ring buffer", n);
  }
  return ReadOutcome::kEnd;
}

std::vector<std::string> BpfSensor::UntracedSyscalls() const {
  return impl_->tracepoints ? impl_->tracepoints->Untraced() : std::vector<std::string>{};
}

core::Result<SensorStats> BpfSensor::Stats() const {
  int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0) return core::Error(core::ErrorCode::kInternal, "cannot count CPUs");
  std::vector<bw_counters> per_cpu(static_cast<size_t>(ncpu));
  uint32_t key = 0;
  if (bpf_map__lookup_elem(impl_->skel->maps.bw_counters, &key, sizeof(key), per_cpu.data(),
                           per_cpu.size() * sizeof(bw_counters), 0) != 0) {
    return LoadError("reading the drop counters", -errno);
  }
  SensorStats s;
  for (const bw_counters& c : per_cpu) {
    s.n_evts += c.n_evts;
    s.n_drops_buffer += c.n_drops_buffer;
    for (size_t i = 0; i < BW_CAT_COUNT; ++i) s.n_drops_category[i] += c.n_drops_category[i];
    s.n_drops_scratch += c.n_drops_scratch;
    s.n_truncated += c.n_truncated;
    s.n_skipped_compat += c.n_skipped_compat;
  }
  s.n_decoded = n_decoded_;
  s.n_malformed = n_malformed_;
  return s;
}

}  // namespace bulwark::runtime::sensor
