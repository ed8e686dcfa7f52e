// BpfSensor: the eBPF event source of `bulwark watch`. Opens, loads and
// attaches the CO-RE programs (src/runtime/bpf/sensor.bpf.c), tells the
// kernel which syscalls are interesting (the rule set's event types plus the
// state-keeping set), and reads the ring buffer one decoded Event at a time.
//
// Ownership: the sensor owns the BPF objects; they are detached and freed
// with it. Threading: Next(), SetEventTypes() and Stats() from one thread;
// Stop() from any thread. Needs CAP_BPF + CAP_PERFMON (or CAP_SYS_ADMIN) to
// load; CheckBpfSupport() names what is missing.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "runtime/event/event_source.hpp"
#include "runtime/sensor/record_decoder.hpp"
#include "runtime/sensor/syscall_table.hpp"

namespace bulwark::runtime::sensor {

// How syscall exits reach the sensor. kPerSyscall: syscalls:sys_exit_<name>
// of the interesting syscalls only (the others cost the kernel's tracing
// slow path, no program run). kRaw: raw_syscalls:sys_exit, every syscall
// filtered in BPF (about four times the cost per unrelated syscall, but sees syscalls that
// have no tracepoint). kAuto: per-syscall when tracefs has the events.
enum class SyscallHook { kAuto, kPerSyscall, kRaw };

struct SensorOptions {
  // Ring buffer size in bytes: a power of two, at least one page.
  size_t ring_bytes = 8u << 20;
  // The rule set's event types; the state-keeping set is always added
  // (StateEventTypes()) unless `state_types` is false.
  EventTypeSet event_types;
  bool state_types = true;
  // The thread group whose syscalls are never reported: -1 (the default)
  // is this process, 0 none.
  int64_t own_tgid = -1;
  // Records copied out of the ring buffer per batch.
  size_t batch_records = 1024;
  // The kernel does not wake the reader per record (an interrupt each, a VM
  // exit on virtual machines): the reader looks every `poll_slice`, and is
  // woken early when the ring holds a 1/wakeup_fraction of its size.
  std::chrono::milliseconds poll_slice{10};
  size_t wakeup_fraction = 8;
  SyscallHook hook = SyscallHook::kAuto;
};

// Drop categories in the order of enum bw_category ("clone_fork", ...).
std::string_view DropCategoryName(size_t category);

// Kernel counters summed over CPUs, plus what userspace saw.
struct SensorStats {
  uint64_t n_evts = 0;          // records the kernel wrote
  uint64_t n_drops_buffer = 0;  // records lost: ring buffer full
  std::array<uint64_t, BW_CAT_COUNT> n_drops_category{};
  uint64_t n_drops_scratch = 0;
  uint64_t n_truncated = 0;     // records with a parameter cut short
  uint64_t n_skipped_compat = 0;
  uint64_t n_decoded = 0;       // events handed out by Next()
  uint64_t n_malformed = 0;     // records the decoder refused
};

// OK when this kernel and process can run the sensor; otherwise an error
// that names the missing kernel feature or capability.
core::Status CheckBpfSupport();

class BpfSensor : public EventSource {
 public:
  static core::Result<std::unique_ptr<BpfSensor>> Open(const SensorOptions& options);
  ~BpfSensor() override;
  BpfSensor(const BpfSensor&) = delete;
  BpfSensor& operator=(const BpfSensor&) = delete;

  core::Result<ReadOutcome> Next(Event& out, std::chrono::milliseconds timeout) override;

  // Replaces the interesting set (rule types; the state set is added).
  core::Status SetEventTypes(const EventTypeSet& types);
  core::Result<SensorStats> Stats() const;
  // The kernel facts of the event the last Next() returned (for
  // StateTables::Apply); valid until the next call to Next().
  const KernelFacts* LastFacts() const { return has_last_ ? &facts_ : nullptr; }
  // The hook in use (never kAuto), why kAuto chose kRaw ("" otherwise),
  // and the interesting syscalls the per-syscall hook cannot see.
  SyscallHook Hook() const { return hook_; }
  const std::string& HookFallbackReason() const { return hook_fallback_; }
  std::vector<std::string> UntracedSyscalls() const;
  // Makes Next() return kEnd from now on. Thread-safe.
  void Stop() { stopped_.store(true); }

 private:
  struct Impl;
  explicit BpfSensor(std::unique_ptr<Impl> impl, const SensorOptions& options);
  static int OnRecord(void* ctx, void* data, size_t size);
  bool DecodeQueued(Event& out);

  std::unique_ptr<Impl> impl_;
  SensorOptions options_;
  SyscallHook hook_ = SyscallHook::kRaw;
  std::string hook_fallback_;
  RecordDecoder decoder_;
  KernelFacts facts_;
  bool has_last_ = false;
  std::atomic<bool> stopped_{false};
  // Records copied out of the ring buffer, decoded one per Next().
  std::vector<uint8_t> batch_;
  std::vector<std::pair<size_t, size_t>> batch_records_;
  size_t batch_pos_ = 0;
  uint64_t n_decoded_ = 0, n_malformed_ = 0;
};

}  // namespace bulwark::runtime::sensor
