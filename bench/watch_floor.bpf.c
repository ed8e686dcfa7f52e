// SPDX-License-Identifier: GPL-2.0
/* Empty programs for the "tracepoint floor" of bench/run-watch-overhead.sh:
 * attached to the same tracepoints as bulwark's sensor, they do nothing, so
 * the time a workload loses under them is what the kernel charges for the
 * attachment alone (the syscall-tracing slow path of every syscall, the perf
 * event and BPF dispatch of each traced one). No sensor on these hooks can
 * cost less. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tracepoint")
int bw_floor_syscall(void *ctx) { return 0; }

SEC("tp_btf/sched_process_exec")
int bw_floor_exec(void *ctx) { return 0; }

SEC("tp_btf/sched_process_fork")
int bw_floor_fork(void *ctx) { return 0; }

SEC("tp_btf/sched_process_exit")
int bw_floor_exit(void *ctx) { return 0; }
