// The sensor's syscall table: for every x86_64 syscall the sensor decodes,
// its Falco event type, drop category, what the kernel copies for each
// argument register (which becomes the bw_specs map entry) and the Falco
// name and ArgKind of every event argument made from it. One table drives
// both the kernel and the decoder, so they cannot disagree.
//
// Immutable static data; thread-safe.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "runtime/bpf/sensor_abi.h"
#include "runtime/event/event.hpp"

namespace bulwark::runtime::sensor {

// The register of the extra parameter (bw_spec.extra_kind).
inline constexpr uint8_t kExtraReg = 0xff;

// One kernel parameter and the event argument(s) it becomes.
struct ParamSpec {
  uint8_t reg = 0;          // 0..5, or kExtraReg
  uint8_t kernel_kind = 0;  // enum bw_arg_kind
  uint8_t aux = 0;          // length register (SOCKADDR), byte count (USER_BYTES), fd register
  std::string_view name;    // Falco argument name; FILE_RES/CREDS/USER_BYTES decode by type
  ArgKind kind = ArgKind::kInt;
};

// Which descriptor the event's fd.* fields describe.
enum class FdFrom : uint8_t { kNone, kRes, kFirstParam };

struct SyscallSpec {
  uint16_t nr = 0;
  EventType type = EventType::kUnknown;
  uint8_t category = BW_CAT_OTHER;
  std::string_view res_name = "res";  // Falco's name of the return value ("fd" for open)
  ArgKind res_kind = ArgKind::kErrno;
  FdFrom fd_from = FdFrom::kNone;
  std::array<ParamSpec, 7> params{};
  uint8_t nparams = 0;
};

// Every syscall the sensor knows, ordered by number.
std::span<const SyscallSpec> AllSyscalls();
const SyscallSpec* FindSyscall(uint16_t nr);
// The syscall numbers that produce `type` (empty for procexit).
std::vector<uint16_t> SyscallsFor(EventType type);

// The kernel map entry for one syscall.
bw_spec KernelSpec(const SyscallSpec& spec, bool interesting, bool state_only = false);

using EventTypeSet = std::bitset<kEventTypeCount>;

// What libsinsp-style state keeping needs, whatever the rules ask:
// clone/fork/exec/exit, close, dup, chdir, open, socket, connect, accept.
EventTypeSet StateEventTypes();

}  // namespace bulwark::runtime::sensor
