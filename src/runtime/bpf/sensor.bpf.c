// SPDX-License-Identifier: GPL-2.0
/* bulwark's runtime sensor: five tracepoint programs, four of them loaded.
 *
 *   tracepoint (per syscall)   syscalls:sys_exit_<name> of the syscalls
 *                              userspace marked interesting (bw_specs),
 *                              arguments as the spec asks
 *   tp_btf/sys_exit            the same through raw_syscalls (fallback)
 *   tp_btf/sched_process_exec  successful execve/execveat with exec facts
 *   tp_btf/sched_process_fork  new threads and processes
 *   tp_btf/sched_process_exit  the last thread of a thread group
 *
 * Events are exit-only, as in Falco's modern probe: arguments are read from
 * the syscall's saved registers at exit. Everything goes through one ring
 * buffer; drops are counted per CPU and category (bw_counters). The
 * sensor's own thread group is skipped before any work.
 */
#include "bw_task.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define BW_NR_FCNTL 72
#define BW_F_DUPFD 0
#define BW_F_DUPFD_CLOEXEC 1030
#define BW_NR_CLONE 56
#define BW_NR_FORK 57
#define BW_NR_VFORK 58
#define BW_NR_EXECVE 59
#define BW_NR_EXECVEAT 322
#define BW_NR_CLONE3 435
#define BW_SIGCHLD 17
#define BW_CLONE_VM 0x100
#define BW_CLONE_VFORK 0x4000
#define BW_PF_KTHREAD 0x00200000

/* Argument register i of the syscall. Direct loads: regs is a BTF pointer
 * (each BPF_CORE_READ would be a helper call, ~30 ns on a VM). */
static __always_inline __u64 bw_reg(struct pt_regs *regs, __u32 i) {
  switch (i) {
    case 0: return regs->di;
    case 1: return regs->si;
    case 2: return regs->dx;
    case 3: return regs->r10;
    case 4: return regs->r8;
    case 5: return regs->r9;
  }
  return 0;
}

/* The destination address of a sendmsg: msghdr.msg_name, msg_namelen. */
__noinline int bw_put_msg_name(struct bw_buf *b, __u32 off, __u64 msghdr) {
  struct {
    __u64 name;
    __u32 namelen;
  } head = {};
  if (!b) return -1;
  if (msghdr) bpf_probe_read_user(&head, sizeof(head), (void *)msghdr);
  if (!head.name) head.namelen = 0;
  return bw_put_user(b, off, head.name, head.namelen > BW_SOCKADDR_MAX ? BW_SOCKADDR_MAX : head.namelen);
}

/* One argument as enum bw_arg_kind says. `val` is the register (the return
 * value for the *_RES kinds); `aux` the value of the length register
 * (BW_A_SOCKADDR) or the byte count (BW_A_USER_BYTES). */
__noinline int bw_put_arg(struct bw_buf *b, __u32 off, __u32 kind, __u64 val, __u64 aux) {
  if (!b) return -1;
  switch (kind) {
    case BW_A_INT: return bw_put_u64(b, off, val);
    case BW_A_STR: return bw_put_str(b, off, val, BW_PATH_MAX, 1);
    case BW_A_SOCKADDR:
      return bw_put_user(b, off, val, aux > BW_SOCKADDR_MAX ? BW_SOCKADDR_MAX : (__u32)aux);
    case BW_A_TUPLE_REG: return bw_put_tuple(b, off, (__s64)val);
    case BW_A_TUPLE_RES: return bw_put_tuple(b, off, (__s64)val);
    case BW_A_FILE_RES: return bw_put_file(b, off, (__s64)val);
    case BW_A_USER_BYTES: return bw_put_user(b, off, val, aux > 64 ? 64 : (__u32)aux);
    case BW_A_CREDS: return bw_put_creds(b, off);
    case BW_A_COMM: return bw_put_comm(b, off);
    case BW_A_MSG_NAME: return bw_put_msg_name(b, off, val);
  }
  return bw_put_u64(b, off, 0);
}

/* A syscall's exit as its bw_specs entry asks: the body of both hooks. */
static __always_inline int bw_syscall_exit(struct pt_regs *regs, long nr, long ret) {
  if (nr < 0 || nr >= BW_SYSCALL_MAX) return 0;
  struct bw_spec *spec = bw_spec_for((__u32)nr);
  if (!spec || !spec->interesting) return 0;
  /* Forks come from sched_process_fork, successful execs from sched_process_exec. */
  if (spec->category == BW_CAT_CLONE_FORK) return 0;
  if (spec->category == BW_CAT_EXECVE && ret == 0) return 0;
  /* The state tables learn only from an fcntl that duplicates. */
  if (spec->state_only && nr == BW_NR_FCNTL) {
    __u64 cmd = bw_reg(regs, 1);
    if (cmd != BW_F_DUPFD && cmd != BW_F_DUPFD_CLOEXEC) return 0;
  }
  struct bw_buf *b = bw_scratch_buf();
  if (!b) return 0;
  __u32 off = bw_begin(b, BW_KIND_SYSCALL, (__u16)nr, ret, !spec->state_only);
  for (__u32 i = 0; i < BW_MAX_ARGS; i++) {
    __u32 kind = spec->arg_kind[i];
    if (kind == BW_A_NONE) continue;
    __u32 aux_index = spec->arg_aux[i];
    __u64 aux = kind == BW_A_SOCKADDR ? bw_reg(regs, aux_index) : aux_index;
    __u64 val = kind == BW_A_TUPLE_RES || kind == BW_A_FILE_RES ? (__u64)ret : bw_reg(regs, i);
    off = bw_advance(b, off, bw_put_arg(b, off, kind, val, aux));
  }
  __u32 extra = spec->extra_kind;
  if (extra != BW_A_NONE) {
    __u64 val = extra == BW_A_TUPLE_RES || extra == BW_A_FILE_RES ? (__u64)ret
                                                                   : bw_reg(regs, spec->extra_aux);
    off = bw_advance(b, off, bw_put_arg(b, off, extra, val, 0));
  }
  bw_submit(b, off, spec->category);
  return 0;
}

/* The default hook: attached by userspace to syscalls:sys_exit_<name> of
 * each interesting syscall only, so every other syscall costs the kernel's
 * syscall-tracing slow path and no program run (about half the cost of a
 * raw sys_exit program that returns at once). The kernel does not fire
 * these for ia32 compat syscalls. */
struct bw_sys_exit_args {
  __u64 common; /* struct trace_entry */
  int nr;       /* __syscall_nr */
  long ret;
};

SEC("tracepoint")
int bw_sys_exit_tp(struct bw_sys_exit_args *ctx) {
  if ((bpf_get_current_pid_tgid() >> 32) == bw_sensor_tgid) return 0;
  struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
  return bw_syscall_exit(regs, ctx->nr, ctx->ret);
}

/* The fallback hook (`--raw-syscalls`, or no syscall tracepoints): every
 * syscall's exit, filtered here. Sees syscalls that have no tracepoint
 * (those the kernel was built without, such as module loading). */
SEC("tp_btf/sys_exit")
int BPF_PROG(bw_sys_exit, struct pt_regs *regs, long ret) {
  if ((bpf_get_current_pid_tgid() >> 32) == bw_sensor_tgid) return 0;
  long nr = regs->orig_ax;
  if (nr < 0 || nr >= BW_SYSCALL_MAX) return 0;
  struct bw_spec *spec = bw_spec_for((__u32)nr);
  if (!spec || !spec->interesting) return 0;
  if (bw_is_compat()) {
    struct bw_counters *c = bw_stats();
    if (c) c->n_skipped_compat++;
    return 0;
  }
  return bw_syscall_exit(regs, nr, ret);
}

static __always_inline __u16 bw_current_nr(void) {
  struct task_struct *t = bpf_get_current_task_btf();
  struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
  long nr = BPF_CORE_READ(regs, orig_ax);
  return nr < 0 || nr >= BW_SYSCALL_MAX ? 0 : (__u16)nr;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(bw_sched_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm) {
  if ((bpf_get_current_pid_tgid() >> 32) == bw_sensor_tgid) return 0;
  struct bw_spec *spec = bw_spec_for(BW_NR_EXECVE);
  if (!spec || !spec->interesting) return 0;
  if (bw_is_compat()) return 0;
  struct bw_buf *b = bw_scratch_buf();
  if (!b) return 0;
  struct task_struct *t = bpf_get_current_task_btf();
  __u16 nr = bw_current_nr() == BW_NR_EXECVEAT ? BW_NR_EXECVEAT : BW_NR_EXECVE;
  __u32 off = bw_begin(b, BW_KIND_EXEC, nr, 0, 1);
  struct file *exe = BPF_CORE_READ(bprm, file);
  struct mm_struct *mm = BPF_CORE_READ(t, mm);
  __u32 truncated = 0;

  off = bw_advance(b, off, bw_put_str(b, off, (__u64)BPF_CORE_READ(bprm, filename), BW_PATH_MAX, 0));
  __u64 arg_start = BPF_CORE_READ(mm, arg_start), arg_end = BPF_CORE_READ(mm, arg_end);
  __u64 argv_len = arg_end > arg_start ? arg_end - arg_start : 0;
  if (argv_len > BW_ARGV_MAX) {
    argv_len = BW_ARGV_MAX;
    truncated = 1;
  }
  off = bw_advance(b, off, bw_put_user(b, off, arg_start, (__u32)argv_len));
  __u64 root_d = (__u64)BPF_CORE_READ(t, fs, root.dentry);
  __u64 root_m = (__u64)BPF_CORE_READ(t, fs, root.mnt);
  struct bw_walk walk = {};
  walk.dentry = (__u64)BPF_CORE_READ(exe, f_path.dentry);
  walk.mnt = (__u64)BPF_CORE_READ(exe, f_path.mnt);
  walk.root_dentry = root_d;
  walk.root_mnt = root_m;
  off = bw_advance(b, off, bw_put_dpath(b, off, &walk));
  walk.dentry = (__u64)BPF_CORE_READ(t, fs, pwd.dentry);
  walk.mnt = (__u64)BPF_CORE_READ(t, fs, pwd.mnt);
  off = bw_advance(b, off, bw_put_dpath(b, off, &walk));
  truncated |= walk.truncated;
  off = bw_advance(b, off, bw_put_comm(b, off));
  struct bw_exec_info info = {};
  bw_exec_facts(t, exe, &info);
  info.syscall_nr = bw_current_nr();
  if (truncated) info.flags |= BW_EXEC_PATH_TRUNCATED;
  off = bw_advance(b, off, bw_put_struct(b, off, &info, sizeof(info)));
  off = bw_advance(b, off, bw_put_cgroup(b, off));
  __u64 env_start = BPF_CORE_READ(mm, env_start), env_end = BPF_CORE_READ(mm, env_end);
  __u64 env_len = env_end > env_start ? env_end - env_start : 0;
  if (env_len > BW_ARGV_MAX) env_len = BW_ARGV_MAX;
  off = bw_advance(b, off, bw_put_user(b, off, env_start, (__u32)env_len));
  bw_submit(b, off, BW_CAT_EXECVE);
  return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(bw_sched_fork, struct task_struct *parent, struct task_struct *child) {
  if ((bpf_get_current_pid_tgid() >> 32) == bw_sensor_tgid) return 0;
  if (BPF_CORE_READ(child, flags) & BW_PF_KTHREAD) return 0;
  __u16 nr = bw_current_nr();
  if (nr != BW_NR_CLONE && nr != BW_NR_CLONE3 && nr != BW_NR_FORK && nr != BW_NR_VFORK)
    nr = BW_NR_CLONE; /* a kernel thread starting a user-mode helper */
  struct bw_spec *spec = bw_spec_for(nr);
  if (!spec || !spec->interesting) return 0;
  struct bw_buf *b = bw_scratch_buf();
  if (!b) return 0;
  struct bw_fork_info info = {};
  info.child_tid = BPF_CORE_READ(child, pid);
  info.child_pid = BPF_CORE_READ(child, tgid);
  info.child_ppid = BPF_CORE_READ(child, real_parent, tgid);
  info.start_time_ns = BPF_CORE_READ(child, start_boottime);
  {
    struct pid *cp = BPF_CORE_READ(child, thread_pid);
    info.child_vpid = bw_pid_nr(cp, BPF_CORE_READ(cp, level));
  }
  struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
  if (nr == BW_NR_CLONE) {
    info.clone_flags = BPF_CORE_READ(regs, di);
  } else if (nr == BW_NR_CLONE3) {
    bpf_probe_read_user(&info.clone_flags, sizeof(info.clone_flags),
                        (void *)BPF_CORE_READ(regs, di));
  } else if (nr == BW_NR_FORK) {
    info.clone_flags = BW_SIGCHLD;
  } else {
    info.clone_flags = BW_CLONE_VM | BW_CLONE_VFORK | BW_SIGCHLD;
  }
  __u32 off = bw_begin(b, BW_KIND_FORK, nr, info.child_tid, 1);
  off = bw_advance(b, off, bw_put_struct(b, off, &info, sizeof(info)));
  bw_submit(b, off, BW_CAT_CLONE_FORK);
  return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(bw_sched_exit, struct task_struct *p) {
  if ((bpf_get_current_pid_tgid() >> 32) == bw_sensor_tgid) return 0;
  if (BPF_CORE_READ(p, flags) & BW_PF_KTHREAD) return 0;
  /* Only the end of the whole thread group is a process exit. */
  if (BPF_CORE_READ(p, signal, live.counter) != 0) return 0;
  struct bw_spec *spec = bw_spec_for(BW_SPEC_PROCEXIT);
  if (!spec || !spec->interesting) return 0;
  struct bw_buf *b = bw_scratch_buf();
  if (!b) return 0;
  struct bw_exit_info info = {};
  info.exit_code = BPF_CORE_READ(p, exit_code);
  info.reaper_pid = BPF_CORE_READ(p, real_parent, tgid);
  __u32 off = bw_begin(b, BW_KIND_EXIT, 0, 0, 1);
  off = bw_advance(b, off, bw_put_struct(b, off, &info, sizeof(info)));
  bw_submit(b, off, BW_CAT_PROC_EXIT);
  return 0;
}
