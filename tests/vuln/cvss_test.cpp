// CVSS 3.x base scores against the worked examples of FIRST's "CVSS v3.1:
// Examples" document and the rounding rules of the v3.1 specification
// (Appendix A).
#include "vuln/cvss.hpp"

#include <gtest/gtest.h>

namespace bulwark::vuln {
namespace {

struct Example {
  const char* cve;
  const char* vector;
  double score;
};

// FIRST, "Common Vulnerability Scoring System v3.1: Examples".
constexpr Example kExamples[] = {
    {"CVE-2013-1937 phpMyAdmin reflected XSS", "AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},
    {"CVE-2013-0375 MySQL stored SQL injection", "AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4},
    {"CVE-2014-3566 SSLv3 POODLE", "AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1},
    {"CVE-2012-1516 VMware guest to host escape", "AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9},
    {"CVE-2009-0783 Apache Tomcat XML parser", "AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2},
    {"CVE-2012-0384 Cisco IOS command execution", "AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8},
    {"CVE-2015-1098 Apple iWork DoS", "AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8},
    {"CVE-2014-0160 OpenSSL Heartbleed", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5},
    {"CVE-2014-6271 Bash Shellshock", "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
    {"CVE-2008-1447 DNS Kaminsky bug", "AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8},
    {"CVE-2014-2005 Sophos login screen bypass", "AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8},
    {"CVE-2010-0467 Joomla directory traversal", "AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8},
    {"CVE-2012-1342 Cisco access control bypass", "AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", 5.8},
    {"CVE-2013-6014 Juniper proxy ARP DoS", "AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3},
    {"CVE-2014-9253 DokuWiki reflected XSS", "AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4},
    {"CVE-2009-0658 Adobe Acrobat buffer overflow", "AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8},
    {"CVE-2011-1265 Windows Bluetooth RCE", "AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8},
    {"CVE-2014-2019 Apple iOS security control bypass", "AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 4.6},
    {"CVE-2015-0970 SearchBlox CSRF", "AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8},
    {"CVE-2014-0224 OpenSSL CCS injection", "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 7.4},
    {"CVE-2012-5376 Chrome sandbox bypass", "AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6},
    {"CVE-2016-1645 Chrome PDFium JPEG 2000 RCE", "AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8},
    {"CVE-2016-0128 Windows Badlock", "AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N", 6.8},
    {"CVE-2016-2118 Samba Badlock", "AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.5},
    {"CVE-2017-5753 Spectre variant 1", "AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:N/A:N", 5.6},
};

TEST(Cvss, SpecificationExamplesV31) {
  for (const Example& e : kExamples) {
    auto score = CvssV3BaseScore(std::string("CVSS:3.1/") + e.vector);
    ASSERT_TRUE(score.has_value()) << e.cve;
    EXPECT_DOUBLE_EQ(*score, e.score) << e.cve << " " << e.vector;
  }
}

TEST(Cvss, SameExamplesScoredAsV30) {
  // 3.0 and 3.1 share weights and formulas; only the rounding function
  // differs, and not for these vectors.
  for (const Example& e : kExamples) {
    auto score = CvssV3BaseScore(std::string("CVSS:3.0/") + e.vector);
    ASSERT_TRUE(score.has_value()) << e.cve;
    EXPECT_DOUBLE_EQ(*score, e.score) << e.cve;
  }
}

TEST(Cvss, RoundUpFollowsAppendixA) {
  EXPECT_DOUBLE_EQ(CvssRoundUp31(4.02), 4.1);
  EXPECT_DOUBLE_EQ(CvssRoundUp31(4.00), 4.0);
  // The float artefact v3.1 fixed: 4.000000000000001 is 4.0, not 4.1.
  EXPECT_DOUBLE_EQ(CvssRoundUp31(4.000000000000001), 4.0);
  EXPECT_DOUBLE_EQ(CvssRoundUp31(0.0), 0.0);
  EXPECT_DOUBLE_EQ(CvssRoundUp31(9.99), 10.0);
}

TEST(Cvss, NoImpactScoresZero) {
  EXPECT_EQ(CvssV3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), 0.0);
  EXPECT_EQ(CvssV3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N"), 0.0);
}

TEST(Cvss, ScopeChangedCapsAtTen) {
  EXPECT_EQ(CvssV3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0);
}

TEST(Cvss, TemporalAndEnvironmentalMetricsDoNotChangeTheBaseScore) {
  EXPECT_EQ(CvssV3BaseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/CR:H/MAV:L"), 9.8);
  // Metric order is free.
  EXPECT_EQ(CvssV3BaseScore("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N"), 9.8);
}

TEST(Cvss, InvalidVectorsAreRejected) {
  const char* kBad[] = {
      "",
      "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",                       // no prefix
      "CVSS:2.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",              // other version
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
      "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",                  // A missing
      "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:L",          // repeated
      "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",              // bad value
      "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",             // trailing slash
      "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:Q",         // unknown metric
      "CVSS:3.1/AV:NN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
      "CVSS:3.1//AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
  };
  for (const char* vector : kBad) EXPECT_FALSE(CvssV3BaseScore(vector).has_value()) << vector;
}

TEST(Cvss, SeverityBands) {
  EXPECT_EQ(SeverityForCvss(0), "");
  EXPECT_EQ(SeverityForCvss(0.1), "low");
  EXPECT_EQ(SeverityForCvss(3.9), "low");
  EXPECT_EQ(SeverityForCvss(4.0), "medium");
  EXPECT_EQ(SeverityForCvss(6.9), "medium");
  EXPECT_EQ(SeverityForCvss(7.0), "high");
  EXPECT_EQ(SeverityForCvss(8.9), "high");
  EXPECT_EQ(SeverityForCvss(9.0), "critical");
  EXPECT_EQ(SeverityForCvss(10.0), "critical");
}

}  // namespace
}  // namespace bulwark::vuln
