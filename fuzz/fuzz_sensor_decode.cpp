// libFuzzer target: the eBPF sensor's record decoder (ring-buffer records are
// bytes from the kernel, shaped by whatever processes do) and the state
// tables fed with what it decodes. The input is one or more records back to
// back, each as long as its header says.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "runtime/sensor/record_decoder.hpp"
#include "runtime/sensor/state_tables.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace sensor = bulwark::runtime::sensor;
  sensor::RecordDecoder decoder(0);
  sensor::StateOptions options;
  options.proc.proc_root = "/nonexistent-bulwark-fuzz-proc";  // never read the real /proc
  options.resolve_users = false;
  options.max_processes = 64;
  options.max_fds_per_process = 16;
  sensor::StateTables state(options);
  bulwark::runtime::Event evt;
  sensor::KernelFacts facts;
  std::span<const uint8_t> rest(data, size);
  for (int i = 0; i < 64 && !rest.empty(); ++i) {
    if (decoder.Decode(rest, evt, facts).ok()) {
      bulwark::runtime::EventContext ctx = state.Apply(evt, &facts);
      if (ctx.evt != &evt) __builtin_trap();
      if (ctx.fd && ctx.fd->name.size() > 1 << 20) __builtin_trap();
    }
    size_t len = 0;
    if (rest.size() >= sizeof(bw_hdr)) {
      uint32_t hdr_len = 0;
      std::memcpy(&hdr_len, rest.data() + offsetof(bw_hdr, len), sizeof(hdr_len));
      len = hdr_len;
    }
    if (len < sizeof(bw_hdr) || len > rest.size()) break;
    rest = rest.subspan(len);
  }
  return 0;
}
