// The tracepoint floor for bench/run-watch-overhead.sh: attaches empty BPF
// programs (watch_floor.bpf.c) to syscalls:sys_exit_<name> of each syscall
// named on the command line (the bench passes the sensor's own list, read
// from `bpftool perf show` while `bulwark watch` runs) and to the three
// sched tracepoints the sensor uses, prints "ready", and holds them until
// SIGINT/SIGTERM. Needs root.
//
//   watch_floor SYSCALL...
#include <bpf/libbpf.h>

#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

}  // namespace

int main(int argc, char** argv) {
  bpf_object* object = bpf_object__open_file(BULWARK_FLOOR_BPF_OBJECT, nullptr);
  if (object == nullptr || bpf_object__load(object) != 0) {
    std::fprintf(stderr, "watch_floor: cannot load %s (root? BTF?)\n", BULWARK_FLOOR_BPF_OBJECT);
    return 1;
  }
  std::vector<bpf_link*> links;
  bpf_program* syscall = bpf_object__find_program_by_name(object, "bw_floor_syscall");
  int attached = 0;
  for (int i = 1; i < argc; ++i) {
    std::string tracepoint = std::string("sys_exit_") + argv[i];
    bpf_link* link = bpf_program__attach_tracepoint(syscall, "syscalls", tracepoint.c_str());
    if (link == nullptr) {
      std::fprintf(stderr, "watch_floor: no tracepoint syscalls:%s (skipped)\n", tracepoint.c_str());
      continue;
    }
    links.push_back(link);
    ++attached;
  }
  for (const char* name : {"bw_floor_exec", "bw_floor_fork", "bw_floor_exit"}) {
    bpf_link* link = bpf_program__attach(bpf_object__find_program_by_name(object, name));
    if (link == nullptr) {
      std::fprintf(stderr, "watch_floor: cannot attach %s\n", name);
      return 1;
    }
    links.push_back(link);
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::fprintf(stderr, "watch_floor: %d syscall tracepoints and 3 sched tracepoints attached\n", attached);
  std::fprintf(stderr, "ready\n");
  while (!g_stop) pause();
  for (bpf_link* link : links) bpf_link__destroy(link);
  bpf_object__close(object);
  return 0;
}
