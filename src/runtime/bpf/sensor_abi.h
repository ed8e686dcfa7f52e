/* The record format and maps shared by the sensor's BPF programs
 * (sensor.bpf.c) and userspace (src/runtime/sensor). Plain C so both sides
 * include it; x86_64 only (syscall numbers are x86_64's).
 *
 * A record is a bw_hdr followed by `nparams` parameters, each a little-endian
 * u16 length and that many bytes. What each parameter means is decided by the
 * userspace syscall table (syscall_table.cpp), which also fills the kernel's
 * bw_spec map: the kernel only copies what userspace asked for. Userspace
 * treats every record as untrusted input (record_decoder.cpp).
 */
#ifndef BULWARK_SENSOR_ABI_H
#define BULWARK_SENSOR_ABI_H

#ifndef __VMLINUX_H__
#include <stdint.h>
typedef uint8_t bw_u8;
typedef uint16_t bw_u16;
typedef uint32_t bw_u32;
typedef uint64_t bw_u64;
typedef int64_t bw_s64;
#else
typedef __u8 bw_u8;
typedef __u16 bw_u16;
typedef __u32 bw_u32;
typedef __u64 bw_u64;
typedef __s64 bw_s64;
#endif

/* Sizes. A record never exceeds BW_RECORD_MAX bytes. */
#define BW_RECORD_MAX (32 * 1024)
#define BW_SCRATCH_SIZE (2 * BW_RECORD_MAX) /* masked writes stay inside */
#define BW_PATH_MAX 4096                    /* one path or string */
#define BW_NAME_MAX 256                     /* one path component, comm-like names */
#define BW_ARGV_MAX 4096                    /* execve argv / env bytes */
#define BW_SOCKADDR_MAX 112                 /* sizeof(struct sockaddr_un) rounded */
#define BW_PATH_DEPTH 48                    /* dentry walk: components */
#define BW_CGROUP_DEPTH 6                   /* cgroup path: components (leaf first) */
#define BW_SYSCALL_MAX 512                  /* size of the spec map */
#define BW_SPEC_PROCEXIT (BW_SYSCALL_MAX - 1) /* spec slot that enables procexit */
#define BW_MAX_ARGS 6

/* What produced the record. */
enum bw_kind {
  BW_KIND_SYSCALL = 1, /* a syscall exit; nr = x86_64 syscall number */
  BW_KIND_EXEC = 2,    /* sched_process_exec: a successful execve/execveat */
  BW_KIND_FORK = 3,    /* sched_process_fork: clone/clone3/fork/vfork in the parent */
  BW_KIND_EXIT = 4,    /* sched_process_exit of a thread group's last thread */
};

struct bw_hdr {
  bw_u64 ts;      /* CLOCK_BOOTTIME ns */
  bw_u32 tid;     /* host tid of the thread that made the event */
  bw_u32 pid;     /* host tgid */
  bw_s64 res;     /* return value (fork: the child's tid) */
  bw_u16 kind;    /* enum bw_kind */
  bw_u16 nr;      /* syscall number */
  bw_u16 nparams;
  bw_u16 cpu;
  bw_u32 len;     /* header + parameters, bytes */
  bw_u32 flags;   /* BW_HDR_* */
};

#define BW_HDR_TRUNCATED 1u /* a parameter did not fit and was cut or left out */

/* How the kernel fills one syscall argument (bw_spec.arg_kind). */
enum bw_arg_kind {
  BW_A_NONE = 0,
  BW_A_INT = 1,          /* the register as 8 bytes */
  BW_A_STR = 2,          /* user string, at most BW_PATH_MAX (empty when unreadable) */
  BW_A_SOCKADDR = 3,     /* user sockaddr; its length is register arg_aux */
  BW_A_TUPLE_REG = 4,    /* the kernel socket of fd (this register): struct bw_tuple */
  BW_A_TUPLE_RES = 5,    /* the kernel socket of fd = return value */
  BW_A_FILE_RES = 6,     /* dev/ino of fd = return value: struct bw_file */
  BW_A_USER_BYTES = 7,   /* arg_aux bytes (<= 64) at the user pointer */
  BW_A_CREDS = 8,        /* the caller's credentials after the call: struct bw_creds */
  BW_A_COMM = 9,         /* the caller's comm after the call (16 bytes) */
  BW_A_MSG_NAME = 10,    /* the sockaddr a user msghdr points to (sendmsg) */
};

/* Per-syscall configuration, written by userspace (map bw_specs). */
struct bw_spec {
  bw_u8 interesting;            /* 0: the syscall returns at once */
  bw_u8 category;               /* enum bw_category: which drop counter */
  bw_u8 arg_kind[BW_MAX_ARGS];  /* enum bw_arg_kind per argument register */
  bw_u8 arg_aux[BW_MAX_ARGS];   /* length register index, or byte count */
  bw_u8 extra_kind;             /* one more parameter after the args: CREDS, COMM, *_RES, TUPLE_REG */
  bw_u8 extra_aux;              /* for TUPLE_REG: the register holding the fd */
  bw_u8 state_only;             /* no rule reads it, only the state tables: no
                                   timestamp (ts 0), and fcntl only when it
                                   duplicates a descriptor */
};

/* Drop categories, after Falco's (n_drops_buffer_*). */
enum bw_category {
  BW_CAT_OTHER = 0,
  BW_CAT_CLONE_FORK,
  BW_CAT_EXECVE,
  BW_CAT_CONNECT,
  BW_CAT_OPEN,
  BW_CAT_DIR_FILE,
  BW_CAT_CLOSE,
  BW_CAT_PROC_EXIT,
  BW_CAT_COUNT,
};

/* Per-CPU counters (map bw_counters, one entry). */
struct bw_counters {
  bw_u64 n_evts;                        /* records written to the ring buffer */
  bw_u64 n_drops_buffer;                /* ring buffer full */
  bw_u64 n_drops_category[BW_CAT_COUNT]; /* the same drops by category */
  bw_u64 n_drops_scratch;               /* no scratch buffer (should stay 0) */
  bw_u64 n_truncated;                   /* records with a parameter cut short */
  bw_u64 n_skipped_compat;              /* ia32 syscalls, not decoded */
};

/* A socket as the kernel knows it (BW_A_TUPLE_*). Addresses in network
 * byte order as stored in struct sock; ports in host order. */
struct bw_tuple {
  bw_u16 family; /* AF_INET, AF_INET6, AF_UNIX; 0: not a socket */
  bw_u16 type;   /* SOCK_STREAM, SOCK_DGRAM, ... */
  bw_u16 proto;  /* IPPROTO_TCP, ... */
  bw_u16 sport;  /* local port */
  bw_u16 dport;  /* remote port */
  bw_u16 pad[3];
  bw_u8 saddr[16];
  bw_u8 daddr[16];
};

struct bw_file {
  bw_u64 dev;
  bw_u64 ino;
  bw_u32 mode;  /* i_mode */
  bw_u32 flags; /* f_flags */
};

struct bw_creds {
  bw_u32 uid, gid, euid, egid;
  bw_u64 cap_inheritable, cap_permitted, cap_effective;
};

#define BW_EXEC_UPPER_LAYER 1u
#define BW_EXEC_FROM_MEMFD 2u
#define BW_EXEC_PATH_TRUNCATED 4u

/* Facts about the process after a successful exec (BW_KIND_EXEC). */
struct bw_exec_info {
  bw_u32 uid, gid, euid, egid;
  bw_u32 loginuid;
  bw_u32 tty;             /* MKDEV-style (major << 20 | minor), 0 none */
  bw_u32 ppid;            /* real parent tgid */
  bw_u32 sid;
  bw_u32 pgid;
  bw_u32 vpid;            /* pid in its own namespace */
  bw_u32 flags;           /* BW_EXEC_* */
  bw_u32 exe_mode;
  bw_u32 exe_uid, exe_gid;
  bw_u64 exe_ino;
  bw_u64 exe_dev;
  bw_u64 exe_ctime_ns, exe_mtime_ns;
  bw_u64 cap_inheritable, cap_permitted, cap_effective;
  bw_u64 start_time_ns;        /* boot-time ns the thread group started */
  bw_u64 pidns_init_start_ns;  /* boot-time ns the pid namespace's init started */
  bw_u16 syscall_nr;           /* 59 execve, 322 execveat, 0 kernel exec */
  bw_u16 pad[3];
};

/* The child of a fork (BW_KIND_FORK). */
struct bw_fork_info {
  bw_u64 clone_flags;
  bw_u64 start_time_ns;
  bw_u32 child_tid;
  bw_u32 child_pid;   /* tgid */
  bw_u32 child_ppid;  /* real parent tgid (CLONE_PARENT differs from the caller) */
  bw_u32 child_vpid;
};

/* The end of a thread group (BW_KIND_EXIT). */
struct bw_exit_info {
  bw_u32 exit_code;
  bw_u32 reaper_pid; /* the real parent at exit */
};

#endif /* BULWARK_SENSOR_ABI_H */
