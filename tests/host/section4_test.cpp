// CIS section 4 (images and build files) on recorded Engine API documents,
// the history parsers behind 4.7 and 4.9, and the secret detection of 4.10
// (which must never print a value).
#include <gtest/gtest.h>

#include "engine_fixtures.hpp"
#include "host/checks_section4_internal.hpp"
#include "host/secret_names.hpp"

namespace bulwark::host {
namespace {

using testing::LoadRecordedHost;
using testing::ResultFor;
using testing::RunCheck;
using testing::VerdictText;

const std::vector<HostCheck>& Checks() {
  static const std::vector<HostCheck> checks = Section4ImagesChecks();
  return checks;
}

constexpr const char* kWeakImage = "bw-helper-weak-app:1";
constexpr const char* kHardenedImage = "bulwark-lab/hardened-app:1.0";
constexpr const char* kImportedImage = "bulwark-lab/python-flask:bookworm";

std::string Verdict(const HostFacts& facts, const std::string& cis, const std::string& subject) {
  return VerdictText(ResultFor(RunCheck(Checks(), cis, facts), subject).verdict);
}

// Everything any section 4 result says, to look for leaked values.
std::string AllText(const HostFacts& facts) {
  std::string text;
  for (const HostCheck& check : Checks()) {
    ResultSink sink;
    check.run(facts, sink);
    for (const HostResult& r : sink.results()) text += r.evidence + "\n" + r.message + "\n";
  }
  return text;
}

TEST(Section4, ListsEveryCheckInOrder) {
  ASSERT_EQ(Checks().size(), 12u);
  for (size_t i = 0; i < Checks().size(); ++i) {
    EXPECT_EQ(Checks()[i].cis, "4." + std::to_string(i + 1));
    EXPECT_FALSE(Checks()[i].references.urls.empty());
    EXPECT_NE(Checks()[i].run, nullptr);
    EXPECT_EQ(Checks()[i].scored, i == 0 || i == 4 || i == 5) << Checks()[i].cis;  // 4.1, 4.5, 4.6
  }
}

struct Expected {
  const char* cis;
  const char* weak;
  const char* hardened;
  const char* imported;
};

constexpr Expected kImageTable[] = {
    {"4.1", "warn", "pass", "warn"},  {"4.2", "note", "note", "note"},
    {"4.4", "note", "note", "note"},  {"4.6", "warn", "pass", "warn"},
    {"4.7", "warn", "pass", "info"},  {"4.9", "warn", "pass", "info"},
    {"4.10", "warn", "pass", "pass"},
};

TEST(Section4, RecordedImagesGetTheExpectedVerdicts) {
  HostFacts facts = LoadRecordedHost();
  for (const Expected& row : kImageTable) {
    EXPECT_EQ(Verdict(facts, row.cis, kWeakImage), row.weak) << row.cis;
    EXPECT_EQ(Verdict(facts, row.cis, kHardenedImage), row.hardened) << row.cis;
    EXPECT_EQ(Verdict(facts, row.cis, kImportedImage), row.imported) << row.cis;
  }
  for (const char* cis : {"4.3", "4.8", "4.11", "4.12"}) {
    ResultSink sink = RunCheck(Checks(), cis, facts);
    ASSERT_EQ(sink.results().size(), 1u) << cis;
    EXPECT_EQ(sink.results()[0].verdict, core::Verdict::kNote) << cis;
    EXPECT_EQ(sink.results()[0].subject.kind, "host") << cis;
  }
}

TEST(Section4, UserIsJudgedOnImagesAndRunningContainers) {
  HostFacts facts = LoadRecordedHost();
  ResultSink sink = RunCheck(Checks(), "4.1", facts);
  EXPECT_EQ(sink.results().size(), 6u);  // 3 images + 3 containers
  HostResult weak = ResultFor(sink, "bw-helper-weak");
  EXPECT_EQ(weak.verdict, core::Verdict::kWarn);
  EXPECT_EQ(weak.subject.kind, "container");
  EXPECT_EQ(weak.evidence, "container Config.User=\"root\"");
  EXPECT_EQ(ResultFor(sink, "bw-helper-weak-ports").verdict, core::Verdict::kWarn);  // "" = root
  EXPECT_EQ(ResultFor(sink, "bw-helper-hardened").verdict, core::Verdict::kPass);
  EXPECT_EQ(ResultFor(sink, kWeakImage).evidence, "image Config.User=\"\"");
  facts.engine.images[1].inspect["Config"]["User"] = "0:0";
  EXPECT_EQ(Verdict(facts, "4.1", kHardenedImage), "warn");
}

TEST(Section4, TrustedBaseSaysWhereTheImageCameFrom) {
  HostFacts facts = LoadRecordedHost();
  EXPECT_NE(ResultFor(RunCheck(Checks(), "4.2", facts), kWeakImage)
                .evidence.find("built or imported locally"),
            std::string::npos);
  facts.engine.images[0].inspect["RepoDigests"] = nlohmann::json::array({"nginx@sha256:abc"});
  EXPECT_EQ(ResultFor(RunCheck(Checks(), "4.2", facts), kWeakImage).evidence,
            "RepoDigests=nginx@sha256:abc");
  EXPECT_NE(ResultFor(RunCheck(Checks(), "4.4", facts), kWeakImage)
                .message.find("bulwark scan bw-helper-weak-app:1"),
            std::string::npos);
}

TEST(Section4, ContentTrustFromTheEnvironment) {
  HostFacts facts = LoadRecordedHost();
  ResultSink unset = RunCheck(Checks(), "4.5", facts);
  ASSERT_EQ(unset.results().size(), 1u);
  EXPECT_EQ(unset.results()[0].verdict, core::Verdict::kWarn);
  facts.env["DOCKER_CONTENT_TRUST"] = "0";
  EXPECT_EQ(RunCheck(Checks(), "4.5", facts).results()[0].verdict, core::Verdict::kWarn);
  facts.env["DOCKER_CONTENT_TRUST"] = "1";
  EXPECT_EQ(RunCheck(Checks(), "4.5", facts).results()[0].verdict, core::Verdict::kPass);
}

TEST(Section4, DisabledHealthcheckWarns) {
  HostFacts facts = LoadRecordedHost();
  facts.engine.images[1].inspect["Config"]["Healthcheck"] = {
      {"Test", nlohmann::json::array({"NONE"})}};
  EXPECT_EQ(Verdict(facts, "4.6", kHardenedImage), "warn");
}

// docker-bench passes 4.7 and 4.9 vacuously on an empty history.
TEST(Section4, EmptyHistoryIsReportedNotPassed) {
  HostFacts facts = LoadRecordedHost();
  facts.engine.images[1].history = nlohmann::json::array();
  for (const char* cis : {"4.7", "4.9"}) {
    HostResult r = ResultFor(RunCheck(Checks(), cis, facts), kHardenedImage);
    EXPECT_EQ(r.verdict, core::Verdict::kInfo) << cis;
    EXPECT_NE(r.message.find("history unavailable"), std::string::npos) << cis;
  }
}

TEST(Section4, UpdateWithoutInstall) {
  using section4::UpdatesWithoutInstall;
  EXPECT_TRUE(UpdatesWithoutInstall("/bin/sh -c apt-get update"));
  EXPECT_TRUE(UpdatesWithoutInstall("RUN /bin/sh -c apt-get -qq update && echo done # buildkit"));
  EXPECT_TRUE(UpdatesWithoutInstall("/bin/sh -c apk update"));
  EXPECT_FALSE(UpdatesWithoutInstall("/bin/sh -c apt-get update && apt-get install -y curl"));
  EXPECT_FALSE(UpdatesWithoutInstall("/bin/sh -c apt-get update && apt-get -y upgrade"));
  EXPECT_FALSE(UpdatesWithoutInstall("/bin/sh -c yum -y update"));  // upgrades packages itself
  EXPECT_FALSE(UpdatesWithoutInstall("/bin/sh -c apk add --update curl"));
  EXPECT_FALSE(UpdatesWithoutInstall("/bin/sh -c #(nop)  LABEL note=apt-get update"));
  EXPECT_FALSE(UpdatesWithoutInstall("/bin/sh -c echo update"));
}

TEST(Section4, AddClassification) {
  using section4::AddSource;
  using section4::ClassifyAdd;
  EXPECT_EQ(ClassifyAdd("/bin/sh -c #(nop) ADD file:78c4 in /opt/ ").source, AddSource::kLocal);
  EXPECT_EQ(ClassifyAdd("/bin/sh -c #(nop) ADD 20a8bb9a4fe6 in /opt/x ").source,
            AddSource::kRemote);
  EXPECT_EQ(ClassifyAdd("/bin/sh -c #(nop) ADD file:abc in / ").destination, "/");
  EXPECT_EQ(ClassifyAdd("ADD https://example.com/x.tgz /opt/ # buildkit").source,
            AddSource::kRemote);
  EXPECT_EQ(ClassifyAdd("ADD --chown=app app.tar.gz /opt/ # buildkit").source, AddSource::kArchive);
  EXPECT_EQ(ClassifyAdd("ADD config.yml /etc/app/ # buildkit").source, AddSource::kLocal);
  EXPECT_EQ(ClassifyAdd("COPY app.tar.gz /opt/ # buildkit").source, AddSource::kNone);
  EXPECT_EQ(ClassifyAdd("/bin/sh -c #(nop) COPY dir:abc in /app ").source, AddSource::kNone);
}

TEST(Section4, AddVerdicts) {
  HostFacts facts = LoadRecordedHost();
  nlohmann::json& history = facts.engine.images[1].history;
  auto verdict = [&](std::vector<std::string> records) {
    history = nlohmann::json::array();
    for (const std::string& record : records)
      history.push_back(nlohmann::json{{"CreatedBy", record}});
    return Verdict(facts, "4.9", kHardenedImage);
  };
  // The base image's root filesystem is exempt.
  EXPECT_EQ(verdict({"/bin/sh -c #(nop)  CMD [\"sh\"]", "/bin/sh -c #(nop) ADD file:abc in / "}),
            "pass");
  EXPECT_EQ(verdict({"ADD rootfs.tar.xz / # buildkit", ""}), "pass");
  EXPECT_EQ(verdict({"ADD app.tar.gz /opt/ # buildkit", "ADD rootfs.tar.xz / # buildkit"}), "warn");
  EXPECT_EQ(verdict({"ADD https://example.com/tool /usr/local/bin/ # buildkit"}), "warn");
  EXPECT_EQ(verdict({"ADD config.yml /etc/app/ # buildkit", "ADD rootfs.tar.xz / # buildkit"}),
            "info");
}

TEST(Section4, SecretNames) {
  for (const char* name :
       {"DB_PASSWORD", "PGPASSWORD", "MYSQL_ROOT_PASSWORD", "API_KEY", "AWS_SECRET_ACCESS_KEY",
        "GITHUB_TOKEN", "CLIENT_SECRET", "PRIVATE_KEY", "npm_token", "SSH_PASSPHRASE",
        "GOOGLE_APPLICATION_CREDENTIALS_JSON", "REDIS_PASS"}) {
    EXPECT_TRUE(IsSecretLikeName(name)) << name;
  }
  for (const char* name :
       {"PATH", "PWD", "GPG_KEY", "PASSWORD_FILE", "DB_PASSWORD_FILE", "TOKEN_URL",
        "AWS_ACCESS_KEY_ID", "TOKENIZERS_PARALLELISM", "SECRET_NAME", "PYTHON_SHA256", "LANG",
        "KEYCLOAK_HOST", "PASSENGER_APP_ENV"}) {
    EXPECT_FALSE(IsSecretLikeName(name)) << name;
  }
  EXPECT_EQ(SecretAssignmentName("DB_PASSWORD=hunter2").value_or(""), "DB_PASSWORD");
  EXPECT_FALSE(SecretAssignmentName("DB_PASSWORD="));
  EXPECT_FALSE(SecretAssignmentName("DB_PASSWORD=${DB_PASSWORD}"));
  EXPECT_FALSE(SecretAssignmentName("DB_PASSWORD=/run/secrets/db"));
  EXPECT_FALSE(SecretAssignmentName("DB_PASSWORD"));
}

TEST(Section4, HistoryAssignmentsOfEveryBuilder) {
  EXPECT_EQ(HistoryAssignments("/bin/sh -c #(nop)  ENV A=1 DB_PASSWORD=x"),
            (std::vector<std::string>{"A=1", "DB_PASSWORD=x"}));
  EXPECT_EQ(HistoryAssignments("ARG TOKEN=abc # buildkit"),
            (std::vector<std::string>{"TOKEN=abc"}));
  EXPECT_EQ(HistoryAssignments("|2 TOKEN=abc MODE=x /bin/sh -c make SECRET=inline"),
            (std::vector<std::string>{"TOKEN=abc", "MODE=x"}));
  EXPECT_EQ(HistoryAssignments("RUN |1 TOKEN=abc /bin/sh -c make # buildkit"),
            (std::vector<std::string>{"TOKEN=abc"}));
  EXPECT_TRUE(HistoryAssignments("/bin/sh -c echo ENV A=1").empty());
  EXPECT_TRUE(HistoryAssignments("|99999999999999999999 A=1").empty());
}

TEST(Section4, SecretsAreNamedButNeverPrinted) {
  HostFacts facts = LoadRecordedHost();
  HostResult weak = ResultFor(RunCheck(Checks(), "4.10", facts), kWeakImage);
  EXPECT_EQ(weak.verdict, core::Verdict::kWarn);
  EXPECT_NE(weak.evidence.find("Config.Env DB_PASSWORD=<masked>"), std::string::npos);
  EXPECT_NE(weak.evidence.find("history BUILD_TOKEN=<masked>"), std::string::npos);
  EXPECT_EQ(weak.evidence.find("PASSWORD_FILE"), std::string::npos);  // a path to a secret
  EXPECT_EQ(weak.evidence.find("API_URL"), std::string::npos);
  // No check of the section prints a recorded secret value (4.7 quotes the
  // RUN that saw BUILD_TOKEN as a build argument).
  std::string all = AllText(facts);
  EXPECT_EQ(all.find("bw-fixture-not-a-real"), std::string::npos) << all;
  EXPECT_NE(all.find("apt-get update"), std::string::npos);
  // A secret in a RUN line's own words is masked too.
  facts.engine.images[0].history = nlohmann::json::array({nlohmann::json{
      {"CreatedBy", "/bin/sh -c export API_TOKEN=s3cr3t-value && apt-get update"}}});
  EXPECT_EQ(AllText(facts).find("s3cr3t-value"), std::string::npos);
}

TEST(Section4, HostileDocumentsDoNotCrash) {
  HostFacts facts = LoadRecordedHost();
  for (ImageFacts& image : facts.engine.images) {
    image.inspect =
        nlohmann::json::parse(R"({"Config": {"Env": [1, "=x", "A"], "Healthcheck": {"Test": "NONE"},
                                              "User": ["root"]}, "RepoDigests": {}})");
    image.history =
        nlohmann::json::parse(R"([{"CreatedBy": 5}, "x", {"CreatedBy": "|3"}, {"CreatedBy": "ADD"},
                                              {"CreatedBy": "/bin/sh -c #(nop) ADD"}])");
  }
  for (ContainerFacts& c : facts.engine.containers) c.inspect = nlohmann::json::array();
  for (const HostCheck& check : Checks()) {
    ResultSink sink;
    check.run(facts, sink);
  }
}

}  // namespace
}  // namespace bulwark::host
