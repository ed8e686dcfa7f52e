/* Maps, the per-CPU scratch record and the helpers that write parameters
 * into it. Included once, by sensor.bpf.c. Every writer checks that the
 * parameter fits before writing and returns the new offset, or -1 when it
 * does not fit (the record is then sent as it is, flagged truncated).
 * Offsets are masked with BW_RECORD_MAX - 1 so the verifier can prove every
 * access stays inside the 2 * BW_RECORD_MAX scratch buffer.
 */
#ifndef BULWARK_BW_COMMON_BPF_H
#define BULWARK_BW_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "sensor_abi.h"

#define BW_MASK (BW_RECORD_MAX - 1)

/* An offset into the scratch buffer, masked in a way clang cannot drop:
 * the verifier then knows every access is inside the buffer. */
static __always_inline __u64 bw_at(__u64 off) {
  asm volatile("%0 &= 0x7fff" : "+r"(off));
  return off;
}

/* A length already clamped to <= BW_PATH_MAX, masked for the verifier. */
static __always_inline __u64 bw_len(__u64 n) {
  asm volatile("%0 &= 0x1fff" : "+r"(n));
  return n;
}

/* The sensor's own thread group: its syscalls are never reported. */
const volatile __u32 bw_sensor_tgid = 0;
/* Pending bytes in the ring at which the reader is woken (set at load). */
const volatile __u64 bw_wakeup_bytes = 1 << 20;

struct bw_buf {
  __u8 data[BW_SCRATCH_SIZE];
};

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 8 * 1024 * 1024); /* userspace may resize before load */
} bw_events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, BW_SYSCALL_MAX);
  __type(key, __u32);
  __type(value, struct bw_spec);
} bw_specs SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct bw_counters);
} bw_counters SEC(".maps");

/* One scratch record per CPU; userspace sets max_entries to the number of
 * possible CPUs (a per-CPU map cannot hold 64 KiB values). */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct bw_buf);
} bw_scratch SEC(".maps");

static __always_inline struct bw_counters *bw_stats(void) {
  __u32 zero = 0;
  return bpf_map_lookup_elem(&bw_counters, &zero);
}

static __always_inline struct bw_spec *bw_spec_for(__u32 nr) {
  return bpf_map_lookup_elem(&bw_specs, &nr);
}

static __always_inline struct bw_buf *bw_scratch_buf(void) {
  __u32 cpu = bpf_get_smp_processor_id();
  struct bw_buf *b = bpf_map_lookup_elem(&bw_scratch, &cpu);
  if (!b) {
    struct bw_counters *c = bw_stats();
    if (c) c->n_drops_scratch++;
  }
  return b;
}

static __always_inline struct bw_hdr *bw_header(struct bw_buf *b) {
  return (struct bw_hdr *)b->data;
}

/* Fills the header of a new record; parameters start after it. A clock
 * read costs ~70 ns on a VM: records only the state tables read go
 * without (ts 0; the decoder gives them the previous record's time). */
static __always_inline __u32 bw_begin(struct bw_buf *b, __u16 kind, __u16 nr, __s64 res, int stamp) {
  struct bw_hdr *h = bw_header(b);
  __u64 id = bpf_get_current_pid_tgid();
  h->ts = stamp ? bpf_ktime_get_boot_ns() : 0;
  h->tid = (__u32)id;
  h->pid = id >> 32;
  h->res = res;
  h->kind = kind;
  h->nr = nr;
  h->nparams = 0;
  h->cpu = bpf_get_smp_processor_id();
  h->len = 0;
  h->flags = 0;
  return sizeof(struct bw_hdr);
}

static __always_inline void bw_put_len(struct bw_buf *b, __u32 off, __u32 len) {
  b->data[bw_at(off)] = len & 0xff;
  b->data[bw_at(off + 1)] = (len >> 8) & 0xff;
}

/* Adds one parameter's bookkeeping: count, or truncation when off < 0. */
static __always_inline __u32 bw_advance(struct bw_buf *b, __u32 off, int next) {
  struct bw_hdr *h = bw_header(b);
  if (next < 0) {
    h->flags |= BW_HDR_TRUNCATED;
    return off;
  }
  h->nparams++;
  return (__u32)next;
}

/* Sends the record; counts it, or counts the drop in its category. */
static __always_inline void bw_submit(struct bw_buf *b, __u32 len, __u8 category) {
  struct bw_counters *c = bw_stats();
  struct bw_hdr *h = bw_header(b);
  __u64 size = len > BW_RECORD_MAX ? BW_RECORD_MAX : len;
  /* A bound the verifier sees, whatever clang made of the line above. */
  asm volatile("%0 &= 0xffff" : "+r"(size));
  h->len = (__u32)size;
  if (h->flags & BW_HDR_TRUNCATED) {
    if (c) c->n_truncated++;
  }
  /* No wakeup per record: each one costs an interrupt on the reader's CPU
   * (a VM exit on virtual machines), several times the record itself. The
   * reader polls every few milliseconds and is woken early only when the
   * ring fills past bw_wakeup_bytes, looked at every 32nd record of a CPU
   * (a query is a helper call). */
  __u64 wake = BPF_RB_NO_WAKEUP;
  if (c && (c->n_evts & 31) == 0 &&
      bpf_ringbuf_query(&bw_events, BPF_RB_AVAIL_DATA) >= bw_wakeup_bytes)
    wake = BPF_RB_FORCE_WAKEUP;
  if (bpf_ringbuf_output(&bw_events, b->data, size, wake) != 0) {
    if (c) {
      c->n_drops_buffer++;
      c->n_drops_category[category & 7]++;
    }
    return;
  }
  if (c) c->n_evts++;
}

/* ---- parameter writers (global functions: verified once each) ---- */

__noinline int bw_put_u64(struct bw_buf *b, __u32 off, __u64 value) {
  if (!b || off > BW_RECORD_MAX - 16) return -1;
  bw_put_len(b, off, 8);
  __builtin_memcpy(&b->data[bw_at(off + 2)], &value, 8);
  return off + 10;
}

/* Bytes from kernel memory (len <= BW_PATH_MAX). */
__noinline int bw_put_kernel(struct bw_buf *b, __u32 off, __u64 src, __u32 len) {
  if (!b || len > BW_PATH_MAX || off > BW_RECORD_MAX - BW_PATH_MAX - 4) return -1;
  if (len == 0 || bpf_probe_read_kernel(&b->data[bw_at(off + 2)], bw_len(len), (void *)src) != 0)
    len = 0;
  bw_put_len(b, off, len);
  return off + 2 + len;
}

/* Bytes from user memory (len <= BW_PATH_MAX); empty when unreadable. */
__noinline int bw_put_user(struct bw_buf *b, __u32 off, __u64 src, __u32 len) {
  if (!b || off > BW_RECORD_MAX - BW_PATH_MAX - 4) return -1;
  if (len > BW_PATH_MAX) len = BW_PATH_MAX;
  if (len == 0 || bpf_probe_read_user(&b->data[bw_at(off + 2)], bw_len(len), (void *)src) != 0)
    len = 0;
  bw_put_len(b, off, len);
  return off + 2 + len;
}

/* A NUL-terminated string (user or kernel); stored without its NUL. */
__noinline int bw_put_str(struct bw_buf *b, __u32 off, __u64 src, __u32 max, int user) {
  long n;
  if (!b || off > BW_RECORD_MAX - BW_PATH_MAX - 4) return -1;
  if (max > BW_PATH_MAX) max = BW_PATH_MAX;
  if (user)
    n = bpf_probe_read_user_str(&b->data[bw_at(off + 2)], bw_len(max), (void *)src);
  else
    n = bpf_probe_read_kernel_str(&b->data[bw_at(off + 2)], bw_len(max), (void *)src);
  n = n > 0 ? n - 1 : 0;
  bw_put_len(b, off, (__u32)n);
  return off + 2 + (__u32)n;
}

/* A fixed-size struct from the stack: inlined, so len is a constant and
 * the copy is plain stores (no helper call). */
static __always_inline int bw_put_struct(struct bw_buf *b, __u32 off, const void *src, __u32 len) {
  if (off > BW_RECORD_MAX - BW_PATH_MAX - 4 || len > 256) return -1;
  bw_put_len(b, off, len);
  __builtin_memcpy(&b->data[bw_at(off + 2)], src, len);
  return off + 2 + len;
}

#endif /* BULWARK_BW_COMMON_BPF_H */
