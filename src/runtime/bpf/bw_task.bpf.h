/* Readers of kernel state: a descriptor's file and socket, credentials,
 * a path rebuilt from dentries (bounded walk, crossing mounts, stopping at
 * the task's root), the task's cgroup path, exec facts. CO-RE reads only,
 * so one object runs on every kernel with BTF. Included by sensor.bpf.c.
 */
#ifndef BULWARK_BW_TASK_BPF_H
#define BULWARK_BW_TASK_BPF_H

#include "bw_common.bpf.h"

#include <bpf/bpf_endian.h>

#define BW_AF_UNIX 1
#define BW_AF_INET 2
#define BW_AF_INET6 10
#define BW_S_IFMT 00170000
#define BW_S_IFSOCK 0140000
#define BW_OVERLAYFS_MAGIC 0x794c7630
#define BW_TS_COMPAT 0x0002

/* container_of with a CO-RE relocated offset. */
#define bw_container_of(ptr, type, member) \
  ((type *)((void *)(ptr) - bpf_core_field_offset(type, member)))

/* Older kernels name these differently; CO-RE picks the one that exists. */
struct inode___ts64 {
  struct timespec64 __i_ctime;
  struct timespec64 i_mtime;
} __attribute__((preserve_access_index));
struct kernfs_node___old {
  struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline int bw_is_compat(void) {
  struct task_struct *t = bpf_get_current_task_btf();
  if (!bpf_core_field_exists(t->thread_info.status)) return 0;
  return (BPF_CORE_READ(t, thread_info.status) & BW_TS_COMPAT) != 0;
}

/* The file behind fd. The task's tables are read by direct loads (BTF
 * pointers); the slot itself needs a probe read (a variable index). */
static __always_inline struct file *bw_fd_file(int fd) {
  struct task_struct *t = bpf_get_current_task_btf();
  struct fdtable *fdt = t->files->fdt;
  struct file *f = NULL;
  if (fd < 0 || !fdt) return NULL;
  if ((unsigned int)fd >= fdt->max_fds) return NULL;
  __u64 slot = (__u64)fdt->fd + (__u64)fd * sizeof(struct file *);
  bpf_probe_read_kernel(&f, sizeof(f), (void *)slot);
  return f;
}

/* Local and remote ends of the socket behind fd (family 0: not a socket). */
__noinline int bw_put_tuple(struct bw_buf *b, __u32 off, __s64 fd) {
  struct bw_tuple tp = {};
  struct file *f = bw_fd_file((int)fd);
  if (!b) return -1;
  if (f) {
    umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
    if ((mode & BW_S_IFMT) == BW_S_IFSOCK) {
      struct socket *sock = BPF_CORE_READ(f, private_data);
      struct sock *sk = BPF_CORE_READ(sock, sk);
      if (sk) {
        tp.family = BPF_CORE_READ(sk, __sk_common.skc_family);
        tp.type = BPF_CORE_READ(sk, sk_type);
        tp.proto = BPF_CORE_READ(sk, sk_protocol);
        tp.sport = BPF_CORE_READ(sk, __sk_common.skc_num);
        tp.dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
        if (tp.family == BW_AF_INET) {
          /* Read as 32-bit values: BPF_CORE_READ_INTO copies sizeof(*dst). */
          __be32 saddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
          __be32 daddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
          __builtin_memcpy(tp.saddr, &saddr, 4);
          __builtin_memcpy(tp.daddr, &daddr, 4);
        } else if (tp.family == BW_AF_INET6) {
          BPF_CORE_READ_INTO(&tp.saddr, sk, __sk_common.skc_v6_rcv_saddr);
          BPF_CORE_READ_INTO(&tp.daddr, sk, __sk_common.skc_v6_daddr);
        }
      }
    }
  }
  return bw_put_struct(b, off, &tp, sizeof(tp));
}

__noinline int bw_put_file(struct bw_buf *b, __u32 off, __s64 fd) {
  struct bw_file info = {};
  struct file *f = bw_fd_file((int)fd);
  if (!b) return -1;
  if (f) {
    struct inode *ino = BPF_CORE_READ(f, f_inode);
    info.dev = BPF_CORE_READ(ino, i_sb, s_dev);
    info.ino = BPF_CORE_READ(ino, i_ino);
    info.mode = BPF_CORE_READ(ino, i_mode);
    info.flags = BPF_CORE_READ(f, f_flags);
  }
  return bw_put_struct(b, off, &info, sizeof(info));
}

static __always_inline __u64 bw_cap(const kernel_cap_t *cap) {
  __u64 v = 0;
  bpf_probe_read_kernel(&v, sizeof(v), cap);
  return v;
}

__noinline int bw_put_creds(struct bw_buf *b, __u32 off) {
  struct task_struct *t = bpf_get_current_task_btf();
  const struct cred *c = t->cred;
  struct bw_creds cr = {};
  if (!b) return -1;
  cr.uid = c->uid.val;
  cr.gid = c->gid.val;
  cr.euid = c->euid.val;
  cr.egid = c->egid.val;
  cr.cap_inheritable = bw_cap(&c->cap_inheritable);
  cr.cap_permitted = bw_cap(&c->cap_permitted);
  cr.cap_effective = bw_cap(&c->cap_effective);
  return bw_put_struct(b, off, &cr, sizeof(cr));
}

/* The comm as 16 bytes, NUL-padded (userspace stops at the first NUL). */
__noinline int bw_put_comm(struct bw_buf *b, __u32 off) {
  if (!b || off > BW_RECORD_MAX - BW_PATH_MAX - 4) return -1;
  bw_put_len(b, off, 16);
  bpf_get_current_comm(&b->data[bw_at(off + 2)], 16);
  return off + 18;
}

static __always_inline struct kernfs_node *bw_kn_parent(struct kernfs_node *kn) {
  if (bpf_core_field_exists(kn->__parent)) return BPF_CORE_READ(kn, __parent);
  struct kernfs_node___old *old = (void *)kn;
  return BPF_CORE_READ(old, parent);
}

/* Path components leaf first, each NUL-terminated, in one parameter. The
 * walk crosses mount points and stops at (root_dentry, root_mnt). */
struct bw_walk {
  __u64 dentry, mnt;           /* where the walk starts */
  __u64 root_dentry, root_mnt; /* where it stops */
  __u32 truncated;             /* set when the path was too deep or too long */
  __u32 pad;
};

__noinline int bw_put_dpath(struct bw_buf *b, __u32 off, struct bw_walk *w) {
  if (!b || !w || off > BW_RECORD_MAX - BW_PATH_MAX - 4) return -1;
  struct dentry *d = (struct dentry *)w->dentry;
  struct vfsmount *vm = (struct vfsmount *)w->mnt;
  struct mount *mnt = bw_container_of(vm, struct mount, mnt);
  __u64 root_dentry = w->root_dentry, root_mnt = w->root_mnt;
  __u32 start = off;
  __u32 pos = off + 2;
  for (int i = 0; i < BW_PATH_DEPTH; i++) {
    if (!d) break;
    if ((__u64)d == root_dentry && (__u64)vm == root_mnt) break;
    struct dentry *mnt_root = BPF_CORE_READ(vm, mnt_root);
    if (d == mnt_root) {
      struct mount *parent = BPF_CORE_READ(mnt, mnt_parent);
      if (!parent || parent == mnt) break;
      d = BPF_CORE_READ(mnt, mnt_mountpoint);
      mnt = parent;
      vm = &parent->mnt;
      continue;
    }
    struct dentry *up = BPF_CORE_READ(d, d_parent);
    /* A dentry that is its own parent but not a mount's root is a pseudo
     * file (memfd, anonymous inode): like d_path, name it by itself. */
    int disconnected = up == d;
    if (disconnected && pos != start + 2) break;
    if (pos - start > BW_PATH_MAX - BW_NAME_MAX) {
      w->truncated = 1;
      break;
    }
    const unsigned char *name = BPF_CORE_READ(d, d_name.name);
    long n = bpf_probe_read_kernel_str(&b->data[bw_at(pos)], BW_NAME_MAX, name);
    if (n <= 0) break;
    pos += n;
    if (disconnected) break;
    d = up;
    if (i == BW_PATH_DEPTH - 1) w->truncated = 1;
  }
  bw_put_len(b, start, pos - start - 2);
  return pos;
}

/* The cgroup path of the memory controller (v1 or v2), else the default
 * hierarchy: components leaf first, each NUL-terminated. */
__noinline int bw_put_cgroup(struct bw_buf *b, __u32 off) {
  struct task_struct *t = bpf_get_current_task_btf();
  struct kernfs_node *kn = NULL;
  __u32 pos = off + 2;
  int id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
  if (!b || off > BW_RECORD_MAX - BW_PATH_MAX - 4) return -1;
  if (id >= 0 && id < 16) {
    struct cgroup_subsys_state *css = NULL;
    struct css_set *cs = BPF_CORE_READ(t, cgroups);
    bpf_probe_read_kernel(&css, sizeof(css), &cs->subsys[id & 15]);
    if (css) kn = BPF_CORE_READ(css, cgroup, kn);
  }
  if (!kn) kn = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn);
  for (int i = 0; i < BW_CGROUP_DEPTH; i++) {
    if (!kn) break;
    struct kernfs_node *up = bw_kn_parent(kn);
    if (!up) break; /* the root has no name worth sending */
    long n = bpf_probe_read_kernel_str(&b->data[bw_at(pos)], BW_NAME_MAX,
                                       BPF_CORE_READ(kn, name));
    if (n <= 0) break;
    pos += n;
    kn = up;
  }
  bw_put_len(b, off, pos - off - 2);
  return pos;
}

static __always_inline __u32 bw_pid_nr(struct pid *p, int level) {
  __u32 nr = 0;
  if (!p) return 0;
  __u64 addr = (__u64)p + bpf_core_field_offset(struct pid, numbers) +
               (__u64)(level & 31) * bpf_core_type_size(struct upid);
  bpf_probe_read_kernel(&nr, sizeof(nr), (void *)(addr + bpf_core_field_offset(struct upid, nr)));
  return nr;
}

static __always_inline __u32 bw_tty(struct task_struct *t) {
  struct tty_struct *tty = BPF_CORE_READ(t, signal, tty);
  if (!tty) return 0;
  __u32 index = BPF_CORE_READ(tty, index);
  __u32 major = BPF_CORE_READ(tty, driver, major);
  __u32 minor = BPF_CORE_READ(tty, driver, minor_start) + index;
  /* The encoding of /proc/<pid>/stat's tty_nr. */
  return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static __always_inline void bw_exe_times(struct inode *ino, struct bw_exec_info *info) {
  if (bpf_core_field_exists(ino->i_ctime_sec)) {
    info->exe_ctime_ns = BPF_CORE_READ(ino, i_ctime_sec) * 1000000000ull +
                         BPF_CORE_READ(ino, i_ctime_nsec);
    info->exe_mtime_ns = BPF_CORE_READ(ino, i_mtime_sec) * 1000000000ull +
                         BPF_CORE_READ(ino, i_mtime_nsec);
  } else {
    struct inode___ts64 *old = (void *)ino;
    if (bpf_core_field_exists(old->__i_ctime)) {
      info->exe_ctime_ns = BPF_CORE_READ(old, __i_ctime.tv_sec) * 1000000000ull +
                           BPF_CORE_READ(old, __i_ctime.tv_nsec);
      info->exe_mtime_ns = BPF_CORE_READ(old, i_mtime.tv_sec) * 1000000000ull +
                           BPF_CORE_READ(old, i_mtime.tv_nsec);
    }
  }
}

/* Overlayfs upper layer and memfd facts of the executable. */
static __always_inline __u32 bw_exe_flags(struct file *exe, struct inode *ino) {
  __u32 flags = 0;
  unsigned long magic = BPF_CORE_READ(ino, i_sb, s_magic);
  if (magic == BW_OVERLAYFS_MAGIC && bpf_core_type_exists(struct ovl_inode)) {
    struct ovl_inode *oi = bw_container_of(ino, struct ovl_inode, vfs_inode);
    if (BPF_CORE_READ(oi, __upperdentry)) flags |= BW_EXEC_UPPER_LAYER;
  }
  char name[8] = {};
  bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(exe, f_path.dentry, d_name.name));
  if (name[0] == 'm' && name[1] == 'e' && name[2] == 'm' && name[3] == 'f' && name[4] == 'd' &&
      name[5] == ':' && BPF_CORE_READ(ino, __i_nlink) == 0)
    flags |= BW_EXEC_FROM_MEMFD;
  return flags;
}

static __always_inline void bw_exec_facts(struct task_struct *t, struct file *exe,
                                          struct bw_exec_info *info) {
  const struct cred *c = BPF_CORE_READ(t, cred);
  struct pid *tp = BPF_CORE_READ(t, thread_pid);
  int level = BPF_CORE_READ(tp, level);
  info->uid = BPF_CORE_READ(c, uid.val);
  info->gid = BPF_CORE_READ(c, gid.val);
  info->euid = BPF_CORE_READ(c, euid.val);
  info->egid = BPF_CORE_READ(c, egid.val);
  info->cap_inheritable = bw_cap(&c->cap_inheritable);
  info->cap_permitted = bw_cap(&c->cap_permitted);
  info->cap_effective = bw_cap(&c->cap_effective);
  info->loginuid = bpf_core_field_exists(t->loginuid) ? BPF_CORE_READ(t, loginuid.val) : ~0u;
  info->tty = bw_tty(t);
  info->ppid = BPF_CORE_READ(t, real_parent, tgid);
  info->pgid = bw_pid_nr(BPF_CORE_READ(t, signal, pids[PIDTYPE_PGID]), 0);
  info->sid = bw_pid_nr(BPF_CORE_READ(t, signal, pids[PIDTYPE_SID]), 0);
  info->vpid = bw_pid_nr(tp, level);
  info->start_time_ns = BPF_CORE_READ(t, group_leader, start_boottime);
  {
    __u64 addr = (__u64)tp + bpf_core_field_offset(struct pid, numbers) +
                 (__u64)(level & 31) * bpf_core_type_size(struct upid);
    struct pid_namespace *ns = NULL;
    bpf_probe_read_kernel(&ns, sizeof(ns), (void *)(addr + bpf_core_field_offset(struct upid, ns)));
    if (ns) info->pidns_init_start_ns = BPF_CORE_READ(ns, child_reaper, start_boottime);
  }
  if (exe) {
    struct inode *ino = BPF_CORE_READ(exe, f_inode);
    info->exe_ino = BPF_CORE_READ(ino, i_ino);
    info->exe_dev = BPF_CORE_READ(ino, i_sb, s_dev);
    info->exe_mode = BPF_CORE_READ(ino, i_mode);
    info->exe_uid = BPF_CORE_READ(ino, i_uid.val);
    info->exe_gid = BPF_CORE_READ(ino, i_gid.val);
    bw_exe_times(ino, info);
    info->flags |= bw_exe_flags(exe, ino);
  }
}

#endif /* BULWARK_BW_TASK_BPF_H */
