// The socket tables of /proc/PID/net on crafted text: IPv4 and IPv6
// addresses in the kernel's word order, ports, TCP and UDP states, unix
// socket paths (with spaces, abstract), socket:[N] links, and malformed or
// truncated lines skipped.
#include <gtest/gtest.h>

#include <string>

#include "respond/proc_net.hpp"

namespace bulwark::respond {
namespace {

constexpr const char* kTcp =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 0100007F:0D05 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0 100 0 0 10 0\n"
    "   1: 0100007F:A2B4 0100007F:0D05 01 00000000:00000000 00:00000000 00000000  1000        0 2222 1 0 20 4 30 10 -1\n"
    "   2: 0100007F:A2B4 0100007F:0D05\n"                               // truncated
    "   3: 0100007G:0001 0100007F:0D05 01 0 0 0 0 0 3333\n"             // not hex
    "   4: 0100007F:10000 0100007F:0D05 01 0 0 0 0 0 4444\n";           // port over 16 bits

TEST(ProcNet, Tcp4) {
  auto entries = ParseNetInet(kTcp, false, false);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].inode, 1111u);
  EXPECT_EQ(entries[0].local, "127.0.0.1:3333");
  EXPECT_EQ(entries[0].remote, "");
  EXPECT_EQ(entries[0].state, "LISTEN");
  EXPECT_EQ(entries[1].local, "127.0.0.1:41652");
  EXPECT_EQ(entries[1].remote, "127.0.0.1:3333");
  EXPECT_EQ(entries[1].remote_port, 3333);
  EXPECT_EQ(entries[1].state, "ESTABLISHED");
}

TEST(ProcNet, Tcp6AndUdp) {
  const char* tcp6 =
      "  sl  local_address                         remote_address                        st tx rx tr tm uid to inode\n"
      "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 "
      "00:00000000 00000000 0 0 5555 1\n"
      "   1: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000A00000A:D431 01 00000000:00000000 "
      "00:00000000 00000000 0 0 6666 1\n";
  auto v6 = ParseNetInet(tcp6, true, false);
  ASSERT_EQ(v6.size(), 2u);
  EXPECT_EQ(v6[0].local, "[::1]:8080");
  EXPECT_EQ(v6[1].local, "[::ffff:127.0.0.1]:8080");
  EXPECT_EQ(v6[1].remote, "[::ffff:10.0.0.10]:54321");
  const char* udp =
      "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
      "  1: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 7777 2 0 0\n";
  auto u = ParseNetInet(udp, false, true);
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].local, "127.0.0.53:53");
  EXPECT_EQ(u[0].state, "UNCONNECTED");
  // An IPv6 table read as IPv4 (or the reverse) yields nothing, not garbage.
  EXPECT_TRUE(ParseNetInet(tcp6, false, false).empty());
  EXPECT_TRUE(ParseNetInet(kTcp, true, false).empty());
}

TEST(ProcNet, Unix) {
  const char* text =
      "Num       RefCount Protocol Flags    Type St Inode Path\n"
      "0000000000000000: 00000002 00000000 00010000 0001 01 8888 /run/docker.sock\n"
      "0000000000000000: 00000003 00000000 00000000 0001 03 9999 /tmp/a path with spaces\n"
      "0000000000000000: 00000003 00000000 00000000 0002 03 1010\n"
      "0000000000000000: 00000002 00000000 00000000 0001 01 1212 @abstract\x1b[0m\n"
      "0000000000000000: 00000002 00000000\n";
  auto u = ParseNetUnix(text);
  ASSERT_EQ(u.size(), 4u);
  EXPECT_EQ(u[0].path, "/run/docker.sock");
  EXPECT_EQ(u[0].state, "LISTEN");
  EXPECT_EQ(u[1].path, "/tmp/a path with spaces");
  EXPECT_EQ(u[1].state, "CONNECTED");
  EXPECT_EQ(u[1].type, "stream");
  EXPECT_EQ(u[2].path, "");
  EXPECT_EQ(u[2].type, "dgram");
  EXPECT_EQ(u[3].path, "@abstract\x1b[0m");
}

TEST(ProcNet, SocketLinks) {
  EXPECT_EQ(SocketInode("socket:[12345]"), 12345u);
  EXPECT_FALSE(SocketInode("socket:[]"));
  EXPECT_FALSE(SocketInode("socket:[12x]"));
  EXPECT_FALSE(SocketInode("socket:[123"));
  EXPECT_FALSE(SocketInode("pipe:[123]"));
  EXPECT_FALSE(SocketInode("/tmp/socket:[1]"));
  EXPECT_FALSE(SocketInode(""));
}

TEST(ProcNet, HugeInputIsBounded) {
  std::string text = "header\n";
  std::string line = "   1: 0100007F:A2B4 0100007F:0D05 01 00000000:00000000 00:00000000 00000000 0 0 2222 1\n";
  for (int i = 0; i < 250000; ++i) text += line;
  EXPECT_EQ(ParseNetInet(text, false, false).size(), kMaxNetLines - 1);
  EXPECT_TRUE(ParseNetInet(std::string(1 << 20, 'x'), false, false).empty());
}

}  // namespace
}  // namespace bulwark::respond
