// BuildSystemModel on three systems of other shapes (tests/model/fixtures/
// systems): a Kubernetes app with an ingress and a database, a compose stack
// with a message broker and a bulwark-model.yaml, and a single container.
#include <gtest/gtest.h>

#include "model/build_model.hpp"
#include "model_test_support.hpp"

namespace bulwark::model {
namespace {

using testing::BuildFixture;
using testing::Dump;
using testing::FindCredential;
using testing::HasEvidence;
using testing::HasTag;
using testing::SystemFixture;

std::vector<std::string> Ids(const std::vector<Element>& elements) {
  std::vector<std::string> ids;
  for (const Element& e : elements) ids.push_back(e.id);
  return ids;
}

std::vector<std::string> Ids(const std::vector<Flow>& flows) {
  std::vector<std::string> ids;
  for (const Flow& f : flows) ids.push_back(f.id);
  return ids;
}

TEST(BuildModelK8sShop, ElementsAndBoundaries) {
  SystemModel m = BuildFixture(SystemFixture("k8s-shop"));
  EXPECT_EQ(Ids(m.elements), (std::vector<std::string>{"actor:admin", "actor:internet-user", "actor:registry",
                                                       "datastore:postgres", "platform:kubernetes-api",
                                                       "service:frontend"}))
      << Dump(m);
  const Element* frontend = m.FindElement("service:frontend");
  ASSERT_NE(frontend, nullptr);
  EXPECT_EQ(frontend->boundary, "boundary:namespace:shop");
  EXPECT_EQ(frontend->replicas, 2);
  EXPECT_EQ(frontend->runs_as_root, std::optional<bool>(false));
  EXPECT_EQ(frontend->user, "10001");
  EXPECT_TRUE(frontend->read_only_rootfs);
  EXPECT_TRUE(frontend->capabilities_all_dropped);
  EXPECT_TRUE(frontend->no_new_privileges);
  EXPECT_TRUE(frontend->resource_limits);
  EXPECT_TRUE(frontend->healthcheck);
  EXPECT_TRUE(frontend->image_pinned);
  EXPECT_TRUE(HasTag(*frontend, "internet-facing"));
  EXPECT_TRUE(HasTag(*frontend, "ingress"));
  EXPECT_TRUE(HasEvidence(frontend->evidence, "frontend.yaml", 4));
  EXPECT_TRUE(HasEvidence(frontend->evidence, "frontend.yaml", 52)) << "the Service that selects it";
  const CredentialRef* password = FindCredential(*frontend, "DATABASE_PASSWORD");
  ASSERT_NE(password, nullptr);
  EXPECT_FALSE(password->inline_value) << "from a Secret";

  const Element* postgres = m.FindElement("datastore:postgres");
  ASSERT_NE(postgres, nullptr);
  EXPECT_EQ(postgres->technology, "postgresql");
  EXPECT_FALSE(postgres->runs_as_root.has_value());
  ASSERT_EQ(postgres->ports.size(), 1u);
  EXPECT_EQ(postgres->ports[0].container_port, 5432);
  EXPECT_FALSE(postgres->ports[0].published);

  const TrustBoundary* shop = m.FindBoundary("boundary:namespace:shop");
  ASSERT_NE(shop, nullptr);
  EXPECT_EQ(shop->parent, "boundary:cluster");
  EXPECT_TRUE(shop->isolated) << "default-deny NetworkPolicy";
  EXPECT_TRUE(HasEvidence(shop->evidence, "networkpolicy.yaml", 5));
  EXPECT_TRUE(HasEvidence(shop->evidence, "namespace.yaml", 4));
  EXPECT_NE(m.FindBoundary("boundary:internet"), nullptr);
  EXPECT_EQ(m.boundaries.front().id, "boundary:cluster");
}

TEST(BuildModelK8sShop, Flows) {
  SystemModel m = BuildFixture(SystemFixture("k8s-shop"));
  EXPECT_EQ(Ids(m.flows), (std::vector<std::string>{
                              "flow:actor:admin->platform:kubernetes-api:443",
                              "flow:actor:internet-user->service:frontend:443",
                              "flow:platform:kubernetes-api->actor:registry:docker.io",
                              "flow:platform:kubernetes-api->actor:registry:ghcr.io",
                              "flow:service:frontend->datastore:postgres:5432",
                              "flow:service:frontend->platform:kubernetes-api:443",
                          }))
      << Dump(m);
  const Flow* ingress = m.FindFlow("flow:actor:internet-user->service:frontend:443");
  EXPECT_EQ(ingress->kind, FlowKind::kPublishedPort);
  EXPECT_EQ(ingress->protocol, "https");
  EXPECT_TRUE(ingress->encrypted);
  EXPECT_EQ(ingress->label, "HTTPS :443 (ingress)");
  EXPECT_TRUE(HasEvidence(ingress->evidence, "ingress.yaml", 18));
  EXPECT_EQ(ingress->crosses,
            (std::vector<std::string>{"boundary:internet", "boundary:cluster", "boundary:namespace:shop"}));

  const Flow* db = m.FindFlow("flow:service:frontend->datastore:postgres:5432");
  EXPECT_EQ(db->kind, FlowKind::kDataStoreAccess);
  EXPECT_EQ(db->protocol, "postgresql");
  EXPECT_TRUE(db->authenticated);
  EXPECT_TRUE(db->crosses.empty());
  ASSERT_FALSE(db->evidence.empty());
  EXPECT_EQ(db->evidence[0].text, "- name: DATABASE_HOST");

  const Flow* token = m.FindFlow("flow:service:frontend->platform:kubernetes-api:443");
  EXPECT_EQ(token->kind, FlowKind::kControlPlane);
  EXPECT_EQ(token->crosses, (std::vector<std::string>{"boundary:namespace:shop"}));
  EXPECT_EQ(m.FindFlow("flow:datastore:postgres->platform:kubernetes-api:443"), nullptr)
      << "automountServiceAccountToken: false";
}

TEST(BuildModelComposeBroker, ElementsAndCorrections) {
  SystemModel m = BuildFixture(SystemFixture("compose-broker"));
  EXPECT_EQ(m.name, "Order notifications");
  EXPECT_EQ(Ids(m.elements),
            (std::vector<std::string>{"actor:admin", "actor:internet-user", "actor:registry",
                                      "datastore:host-filesystem", "datastore:rabbitmq", "datastore:redis",
                                      "platform:docker-engine", "service:api", "service:notifier", "service:worker"}))
      << Dump(m);
  const Element* rabbit = m.FindElement("datastore:rabbitmq");
  EXPECT_EQ(rabbit->technology, "rabbitmq");
  EXPECT_EQ(rabbit->classification, Classification::kConfidential);
  EXPECT_EQ(rabbit->description, "Order events waiting to be sent");
  EXPECT_TRUE(rabbit->user_defined);
  EXPECT_TRUE(HasEvidence(rabbit->evidence, "bulwark-model.yaml", 4));
  EXPECT_EQ(m.FindElement("datastore:redis")->classification, Classification::kInternal);

  const Element* api = m.FindElement("service:api");
  EXPECT_EQ(api->dockerfile, "api/Dockerfile");
  EXPECT_EQ(api->user, "10001");
  EXPECT_EQ(api->runs_as_root, std::optional<bool>(false));
  EXPECT_TRUE(api->healthcheck) << "HEALTHCHECK in the Dockerfile";
  EXPECT_EQ(api->boundary, "boundary:network:edge") << "published: in the network users come through";
  const Element* notifier = m.FindElement("service:notifier");
  EXPECT_FALSE(notifier->image_pinned);
  ASSERT_EQ(notifier->mounts.size(), 2u);
  EXPECT_TRUE(notifier->mounts[0].docker_socket);
  EXPECT_FALSE(notifier->mounts[1].docker_socket);
  EXPECT_TRUE(notifier->mounts[1].read_only);
  EXPECT_TRUE(FindCredential(*notifier, "SMTP_PASSWORD")->inline_value);
  EXPECT_TRUE(m.FindBoundary("boundary:network:internal")->isolated);

  ASSERT_EQ(m.data.size(), 1u);
  EXPECT_EQ(m.data[0].id, "order-events");
  EXPECT_EQ(m.data[0].classification, Classification::kConfidential);
  EXPECT_EQ(m.data[0].stored_in, (std::vector<std::string>{"datastore:rabbitmq"}));
  EXPECT_EQ(m.data[0].carried_by, (std::vector<std::string>{"flow:service:api->datastore:rabbitmq:5672"}));
  ASSERT_FALSE(m.assumptions.empty());
  EXPECT_EQ(m.assumptions.back().text, "The host firewall lets only port 8080 in.");
  EXPECT_TRUE(m.assumptions.back().user_defined);
  EXPECT_TRUE(m.diagnostics.empty()) << Dump(m);
}

TEST(BuildModelComposeBroker, Flows) {
  SystemModel m = BuildFixture(SystemFixture("compose-broker"));
  EXPECT_EQ(Ids(m.flows), (std::vector<std::string>{
                              "flow:actor:admin->platform:docker-engine:docker-api",
                              "flow:actor:internet-user->service:api:8080",
                              "flow:platform:docker-engine->actor:registry:docker.io",
                              "flow:service:api->datastore:rabbitmq:5672",
                              "flow:service:api->datastore:redis:6379",
                              "flow:service:notifier->datastore:host-filesystem:./templates",
                              "flow:service:notifier->datastore:rabbitmq:5671",
                              "flow:service:notifier->platform:docker-engine:docker-api",
                              "flow:service:worker->datastore:rabbitmq:5672",
                              "flow:service:worker->datastore:redis:6379",
                          }))
      << Dump(m);
  const Flow* amqp = m.FindFlow("flow:service:api->datastore:rabbitmq:5672");
  EXPECT_EQ(amqp->protocol, "amqp");
  EXPECT_TRUE(amqp->authenticated) << "user:password in the URL";
  EXPECT_EQ(amqp->crosses, (std::vector<std::string>{"boundary:network:edge", "boundary:network:internal"}));
  EXPECT_TRUE(HasEvidence(amqp->evidence, "docker-compose.yml", 10));
  const Flow* amqps = m.FindFlow("flow:service:notifier->datastore:rabbitmq:5671");
  EXPECT_TRUE(amqps->encrypted);
  EXPECT_FALSE(m.FindFlow("flow:service:api->datastore:redis:6379")->authenticated);
  EXPECT_TRUE(m.FindFlow("flow:service:worker->datastore:rabbitmq:5672")->authenticated)
      << "RABBITMQ_PASSWORD goes with the broker";
  EXPECT_EQ(m.FindFlow("flow:service:worker->datastore:redis:6379")->evidence[0].text, "- CACHE_ADDR=redis:6379");
  const Flow* socket = m.FindFlow("flow:service:notifier->platform:docker-engine:docker-api");
  EXPECT_EQ(socket->kind, FlowKind::kControlPlane);
  EXPECT_EQ(socket->protocol, "docker-api");
  EXPECT_TRUE(HasEvidence(socket->evidence, "docker-compose.yml", 29));
  const Flow* files = m.FindFlow("flow:service:notifier->datastore:host-filesystem:./templates");
  EXPECT_EQ(files->kind, FlowKind::kHostMount);
  EXPECT_EQ(files->crosses, (std::vector<std::string>{"boundary:network:internal"}));
  const Flow* in = m.FindFlow("flow:actor:internet-user->service:api:8080");
  EXPECT_EQ(in->label, "HTTP :8080");
  EXPECT_EQ(in->crosses, (std::vector<std::string>{"boundary:internet", "boundary:host", "boundary:network:edge"}));
}

TEST(BuildModelSingleContainer, OneServiceFromItsDockerfile) {
  SystemModel m = BuildFixture(SystemFixture("single-container"));
  EXPECT_EQ(Ids(m.elements), (std::vector<std::string>{"actor:admin", "actor:registry", "platform:docker-engine",
                                                       "service:single-container"}))
      << Dump(m);
  const Element* service = m.FindElement("service:single-container");
  EXPECT_EQ(service->technology, "python");
  EXPECT_EQ(service->user, "app");
  EXPECT_EQ(service->runs_as_root, std::optional<bool>(false));
  EXPECT_TRUE(HasEvidence(service->evidence, "Dockerfile", 6));
  EXPECT_EQ(service->boundary, "boundary:host");
  EXPECT_EQ(service->dockerfile, "Dockerfile");
  ASSERT_EQ(service->ports.size(), 1u);
  EXPECT_EQ(service->ports[0].container_port, 8080);
  EXPECT_FALSE(service->ports[0].published) << "EXPOSE does not publish";
  EXPECT_EQ(m.FindElement("actor:internet-user"), nullptr);
  EXPECT_EQ(Ids(m.flows), (std::vector<std::string>{"flow:actor:admin->platform:docker-engine:docker-api",
                                                    "flow:platform:docker-engine->actor:registry:docker.io"}));
  EXPECT_EQ(m.sources, (std::vector<std::string>{"Dockerfile"}));
}

TEST(BuildModelSystems, SameInputGivesTheSameModel) {
  for (const char* name : {"k8s-shop", "compose-broker", "single-container"}) {
    EXPECT_EQ(Dump(BuildFixture(SystemFixture(name))), Dump(BuildFixture(SystemFixture(name)))) << name;
  }
}

}  // namespace
}  // namespace bulwark::model
