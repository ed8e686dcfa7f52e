// BuildSystemModel on the lab service, vulnerable and hardened: the elements,
// boundaries, flows and evidence the threat model and the diagram rest on.
#include "model/build_model.hpp"

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace bulwark::model {
namespace {

using testing::BuildFixture;
using testing::Dump;
using testing::FindCredential;
using testing::HasEvidence;
using testing::HasTag;

SystemModel Lab(const std::string& name) { return BuildFixture(bulwark::testing::SourceDir() / "lab" / name); }

TEST(BuildModelLab, VulnerableHasTheServicesAndTheirPosture) {
  SystemModel m = Lab("vulnerable-app");
  EXPECT_EQ(m.name, "vulnerable-app");
  EXPECT_EQ(m.root, "vulnerable-app");
  const Element* web = m.FindElement("service:web");
  ASSERT_NE(web, nullptr) << Dump(m);
  EXPECT_EQ(web->kind, ElementKind::kService);
  EXPECT_EQ(web->technology, "python");
  EXPECT_EQ(web->dockerfile, "Dockerfile");
  EXPECT_EQ(web->image, "bulwark-lab/vulnerable-app:1.0");
  ASSERT_TRUE(web->runs_as_root.has_value());
  EXPECT_TRUE(*web->runs_as_root) << "no USER in the Dockerfile it is built from";
  EXPECT_TRUE(HasEvidence(web->evidence, "Dockerfile", 0));
  EXPECT_EQ(web->boundary, "boundary:network:frontend");
  EXPECT_EQ(web->networks, (std::vector<std::string>{"frontend", "backend"}));
  EXPECT_TRUE(HasTag(*web, "internet-facing"));
  EXPECT_FALSE(web->read_only_rootfs);
  EXPECT_FALSE(web->healthcheck);
  ASSERT_EQ(web->ports.size(), 1u);
  EXPECT_EQ(web->ports[0].host_port, 15000);
  EXPECT_EQ(web->ports[0].container_port, 5000);
  EXPECT_TRUE(web->ports[0].published);
  EXPECT_EQ(web->ports[0].evidence.line, 8);
  const CredentialRef* password = FindCredential(*web, "DB_PASSWORD");
  ASSERT_NE(password, nullptr);
  EXPECT_TRUE(password->inline_value);
  EXPECT_EQ(password->evidence.line, 13);
  EXPECT_EQ(password->evidence.text, "DB_PASSWORD: password");

  const Element* db = m.FindElement("datastore:db");
  ASSERT_NE(db, nullptr) << Dump(m);
  EXPECT_EQ(db->kind, ElementKind::kDataStore);
  EXPECT_EQ(db->technology, "postgresql");
  EXPECT_FALSE(db->runs_as_root.has_value()) << "an image only: its user is not known";
  EXPECT_EQ(db->boundary, "boundary:network:backend");
  EXPECT_TRUE(HasEvidence(db->evidence, "docker-compose.yml", 20));
}

TEST(BuildModelLab, VulnerableFlowsAndBoundaries) {
  SystemModel m = Lab("vulnerable-app");
  const Flow* in = m.FindFlow("flow:actor:internet-user->service:web:15000");
  ASSERT_NE(in, nullptr) << Dump(m);
  EXPECT_EQ(in->kind, FlowKind::kPublishedPort);
  EXPECT_EQ(in->protocol, "http");
  EXPECT_EQ(in->label, "HTTP :15000");
  EXPECT_FALSE(in->encrypted);
  EXPECT_TRUE(HasEvidence(in->evidence, "docker-compose.yml", 8));
  EXPECT_EQ(in->crosses, (std::vector<std::string>{"boundary:internet", "boundary:host", "boundary:network:frontend"}));

  const Flow* db = m.FindFlow("flow:service:web->datastore:db:5432");
  ASSERT_NE(db, nullptr) << Dump(m);
  EXPECT_EQ(db->kind, FlowKind::kDataStoreAccess);
  EXPECT_EQ(db->protocol, "postgresql");
  EXPECT_EQ(db->port, 5432);
  EXPECT_TRUE(db->authenticated) << "DB_PASSWORD goes with DB_HOST";
  EXPECT_FALSE(db->encrypted);
  ASSERT_GE(db->evidence.size(), 2u);
  EXPECT_EQ(db->evidence[0].line, 10);
  EXPECT_EQ(db->evidence[0].text, "DB_HOST: db");
  EXPECT_TRUE(HasEvidence(db->evidence, "docker-compose.yml", 15)) << "depends_on";
  EXPECT_EQ(db->crosses, (std::vector<std::string>{"boundary:network:frontend", "boundary:network:backend"}));

  EXPECT_NE(m.FindFlow("flow:platform:docker-engine->actor:registry:docker.io"), nullptr);
  EXPECT_NE(m.FindFlow("flow:actor:admin->platform:docker-engine:docker-api"), nullptr);
  EXPECT_EQ(m.FindElement("actor:local-user"), nullptr);
  for (const char* id : {"actor:internet-user", "actor:registry", "actor:admin", "platform:docker-engine"}) {
    EXPECT_NE(m.FindElement(id), nullptr) << id;
  }
  EXPECT_EQ(m.elements.size(), 6u) << Dump(m);
  EXPECT_EQ(m.flows.size(), 4u) << Dump(m);

  const TrustBoundary* backend = m.FindBoundary("boundary:network:backend");
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(backend->parent, "boundary:host");
  EXPECT_FALSE(backend->isolated);
  EXPECT_TRUE(HasEvidence(backend->evidence, "docker-compose.yml", 31));
  ASSERT_EQ(m.boundaries.size(), 4u);
  EXPECT_EQ(m.sources, (std::vector<std::string>{"Dockerfile", "docker-compose.yml"}));
  EXPECT_TRUE(m.diagnostics.empty()) << Dump(m);
}

TEST(BuildModelLab, HardenedIsLocalOnlyAndIsolated) {
  SystemModel m = Lab("hardened-app");
  const Element* web = m.FindElement("service:web");
  ASSERT_NE(web, nullptr) << Dump(m);
  EXPECT_EQ(web->user, "10001:10001");
  EXPECT_EQ(web->runs_as_root, std::optional<bool>(false));
  EXPECT_TRUE(HasEvidence(web->evidence, "docker-compose.yml", 18));
  EXPECT_TRUE(web->read_only_rootfs);
  EXPECT_TRUE(web->capabilities_all_dropped);
  EXPECT_TRUE(web->no_new_privileges);
  EXPECT_TRUE(web->resource_limits);
  EXPECT_TRUE(web->healthcheck);
  EXPECT_FALSE(HasTag(*web, "internet-facing"));
  EXPECT_EQ(FindCredential(*web, "DB_PASSWORD"), nullptr);

  EXPECT_EQ(m.FindElement("actor:internet-user"), nullptr) << "published on 127.0.0.1 only";
  ASSERT_NE(m.FindElement("actor:local-user"), nullptr);
  EXPECT_EQ(m.FindElement("actor:local-user")->boundary, "boundary:host");
  const Flow* in = m.FindFlow("flow:actor:local-user->service:web:15000");
  ASSERT_NE(in, nullptr) << Dump(m);
  EXPECT_EQ(in->crosses, (std::vector<std::string>{"boundary:network:frontend"}));

  const TrustBoundary* backend = m.FindBoundary("boundary:network:backend");
  ASSERT_NE(backend, nullptr);
  EXPECT_TRUE(backend->isolated) << "internal: true";
  const Element* db = m.FindElement("datastore:db");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->capabilities_added, (std::vector<std::string>{"CHOWN", "SETUID", "SETGID", "FOWNER"}));
  EXPECT_TRUE(db->healthcheck);
  const Flow* to_db = m.FindFlow("flow:service:web->datastore:db:5432");
  ASSERT_NE(to_db, nullptr);
  EXPECT_FALSE(to_db->authenticated) << "the password moved to an env_file the model does not read";
  EXPECT_FALSE(m.assumptions.empty());
}

TEST(BuildModelLab, SameInputGivesTheSameModel) {
  for (const char* name : {"vulnerable-app", "hardened-app"}) {
    EXPECT_EQ(Dump(Lab(name)), Dump(Lab(name))) << name;
  }
}

TEST(BuildModel, MissingRootFails) {
  BuildOptions options;
  options.root = bulwark::testing::SourceDir() / "tests/model/fixtures/no-such-dir";
  auto model = BuildSystemModel(options);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), core::ErrorCode::kNotFound);
}

TEST(BuildModel, OneFileAsTheRoot) {
  BuildOptions options;
  options.root = bulwark::testing::SourceDir() / "lab/vulnerable-app/docker-compose.yml";
  auto model = BuildSystemModel(options);
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->name, "vulnerable-app");
  EXPECT_NE(model->FindElement("service:web"), nullptr);
  EXPECT_NE(model->FindElement("datastore:db"), nullptr);
  EXPECT_EQ(model->FindElement("service:web")->dockerfile, "") << "the Dockerfile is outside a one-file root";
}

}  // namespace
}  // namespace bulwark::model
