// BuildSystemModel on small systems written in the test: the forms of
// environment addresses, several compose projects in one root, override
// files, Kubernetes Services, host mounts and namespaces, and bad files.
#include <gtest/gtest.h>

#include "model/build_model.hpp"
#include "model/datastore_catalog.hpp"
#include "model_test_support.hpp"

namespace bulwark::model {
namespace {

namespace fs = std::filesystem;
using bulwark::testing::MakeTempDir;
using bulwark::testing::WriteFile;
using testing::Dump;
using testing::HasEvidence;

class BuildModelInputs : public ::testing::Test {
 protected:
  void SetUp() override { root_ = MakeTempDir("bulwark-model-inputs"); }
  void TearDown() override { fs::remove_all(root_); }
  SystemModel Build() { return testing::BuildFixture(root_); }
  fs::path root_;
};

TEST_F(BuildModelInputs, EnvironmentAddressForms) {
  WriteFile(root_ / "compose.yaml", R"(services:
  app:
    image: example/app:1
    environment:
      DATABASE_URL: postgres://app:secret@db:5432/app
      REPORTS_JDBC: jdbc:mysql://mysql:3306/reports
      ConnectionStrings__Default: "Server=mssql,1433;Database=x;User Id=sa;Password=p"
      KAFKA_BROKERS: kafka-1:9092,kafka-2:9092
      POSTGRES_USER: db
      SESSION_URL: rediss://cache:6380
      SEARCH: http://search:9200/index
      UPSTREAM: https://api.example.com
      MYSQL_ALLOW_EMPTY_PASSWORD: "yes"
  db: {image: "postgres:16"}
  mysql: {image: "mysql:8.4"}
  mssql: {image: "mcr.microsoft.com/mssql/server:2022-latest"}
  kafka-1: {image: "bitnami/kafka:3.7"}
  kafka-2: {image: "bitnami/kafka:3.7"}
  cache: {image: "redis:7"}
  search: {image: "docker.elastic.co/elasticsearch/elasticsearch:8.13.0"}
)");
  SystemModel m = Build();
  const Flow* db = m.FindFlow("flow:service:app->datastore:db:5432");
  ASSERT_NE(db, nullptr) << Dump(m);
  EXPECT_TRUE(db->authenticated) << "credentials in the URL";
  EXPECT_EQ(db->evidence.size(), 1u) << "POSTGRES_USER: db is a user name, not an address";
  ASSERT_NE(m.FindFlow("flow:service:app->datastore:mysql:3306"), nullptr) << Dump(m);
  EXPECT_EQ(m.FindFlow("flow:service:app->datastore:mysql:3306")->protocol, "mysql");
  const Flow* mssql = m.FindFlow("flow:service:app->datastore:mssql:1433");
  ASSERT_NE(mssql, nullptr) << Dump(m);
  EXPECT_EQ(mssql->protocol, "tds");
  EXPECT_TRUE(mssql->authenticated);
  EXPECT_NE(m.FindFlow("flow:service:app->datastore:kafka-1:9092"), nullptr);
  EXPECT_NE(m.FindFlow("flow:service:app->datastore:kafka-2:9092"), nullptr);
  const Flow* cache = m.FindFlow("flow:service:app->datastore:cache:6380");
  ASSERT_NE(cache, nullptr) << Dump(m);
  EXPECT_TRUE(cache->encrypted) << "rediss://";
  EXPECT_EQ(m.FindFlow("flow:service:app->datastore:search:9200")->protocol, "http");
  EXPECT_EQ(m.flows.size(), 11u) << "7 data stores, admin, pulls from 3 registries; api.example.com is not modelled\n"
                                << Dump(m);
  const Element* app = m.FindElement("service:app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->credentials.size(), 0u) << "no variable named like a secret: " << Dump(m);
}

TEST_F(BuildModelInputs, SeveralComposeProjectsAreToldApart) {
  WriteFile(root_ / "shop/compose.yaml", "services:\n  web:\n    image: nginx:1.27\n    ports: ['80:80']\n");
  WriteFile(root_ / "blog/compose.yaml", "services:\n  web:\n    image: ghost:5\n  db:\n    image: mysql:8\n");
  SystemModel m = Build();
  EXPECT_NE(m.FindElement("service:shop/web"), nullptr) << Dump(m);
  EXPECT_NE(m.FindElement("service:blog/web"), nullptr) << Dump(m);
  EXPECT_NE(m.FindElement("datastore:db"), nullptr) << "a name used once keeps its plain id";
  EXPECT_NE(m.FindBoundary("boundary:network:shop/default"), nullptr);
  EXPECT_NE(m.FindBoundary("boundary:network:blog/default"), nullptr);
  EXPECT_EQ(m.FindElement("service:shop/web")->boundary, "boundary:network:shop/default");
}

TEST_F(BuildModelInputs, OverrideFileAddsToTheSameService) {
  WriteFile(root_ / "docker-compose.yml", "services:\n  web:\n    image: example/web:1\n");
  WriteFile(root_ / "docker-compose.override.yml",
            "services:\n  web:\n    privileged: true\n    ports:\n      - \"127.0.0.1:8080:80\"\n"
            "    network_mode: host\n");
  SystemModel m = Build();
  const Element* web = m.FindElement("service:web");
  ASSERT_NE(web, nullptr) << Dump(m);
  EXPECT_TRUE(web->privileged);
  EXPECT_TRUE(web->host_network);
  EXPECT_EQ(web->boundary, "boundary:host");
  EXPECT_TRUE(HasEvidence(web->evidence, "docker-compose.override.yml", 3));
  EXPECT_NE(m.FindFlow("flow:actor:local-user->service:web:8080"), nullptr) << Dump(m);
  EXPECT_EQ(m.sources, (std::vector<std::string>{"docker-compose.override.yml", "docker-compose.yml"}));
}

TEST_F(BuildModelInputs, ComposePostureAndMounts) {
  WriteFile(root_ / "compose.yaml", R"(services:
  agent:
    image: example/agent@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    user: root
    cap_add: [SYS_ADMIN, cap_net_admin]
    pid: host
    security_opt: ["no-new-privileges=true"]
    deploy:
      replicas: 3
      resources:
        limits: {memory: 256M, cpus: "0.5"}
    expose: ["9100"]
    ports:
      - "${AGENT_PORT:-9101}:9100"
    volumes:
      - /:/host:ro
      - /run/containerd/containerd.sock:/run/containerd/containerd.sock
      - data:/data
volumes:
  data:
)");
  SystemModel m = Build();
  const Element* agent = m.FindElement("service:agent");
  ASSERT_NE(agent, nullptr) << Dump(m);
  EXPECT_EQ(agent->runs_as_root, std::optional<bool>(true));
  EXPECT_EQ(agent->capabilities_added, (std::vector<std::string>{"SYS_ADMIN", "NET_ADMIN"}));
  EXPECT_TRUE(agent->host_pid);
  EXPECT_TRUE(agent->no_new_privileges);
  EXPECT_TRUE(agent->resource_limits);
  EXPECT_TRUE(agent->image_pinned);
  EXPECT_EQ(agent->replicas, 3);
  ASSERT_EQ(agent->ports.size(), 2u);
  EXPECT_EQ(agent->ports[0].host_port, 9101) << "the interpolation's default";
  EXPECT_FALSE(agent->ports[1].published) << "expose";
  ASSERT_EQ(agent->mounts.size(), 3u);
  EXPECT_TRUE(agent->mounts[0].sensitive_host_path);
  EXPECT_TRUE(agent->mounts[1].docker_socket);
  EXPECT_EQ(agent->mounts[2].type, "volume");
  EXPECT_NE(m.FindFlow("flow:service:agent->datastore:host-filesystem:/"), nullptr) << Dump(m);
  EXPECT_NE(m.FindFlow("flow:service:agent->platform:docker-engine:docker-api"), nullptr) << Dump(m);
  EXPECT_NE(m.FindFlow("flow:actor:internet-user->service:agent:9101"), nullptr) << Dump(m);
}

TEST_F(BuildModelInputs, KubernetesServicesMountsAndNamespaces) {
  WriteFile(root_ / "app.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: web}
spec:
  template:
    metadata: {labels: {app: api}}
    spec:
      serviceAccountName: api
      hostNetwork: true
      containers:
        - name: api
          image: example/api:2
          securityContext: {privileged: true, runAsUser: 0}
          env:
            - {name: DB_HOST, value: db.data.svc.cluster.local}
          volumeMounts:
            - {name: sock, mountPath: /var/run/docker.sock}
      volumes:
        - name: sock
          hostPath: {path: /var/run/docker.sock}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: web}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: web}
spec:
  type: NodePort
  selector: {app: api}
  ports:
    - {port: 80, targetPort: 8080, nodePort: 30080}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: mongo, namespace: data}
spec:
  template:
    metadata: {labels: {app: mongo}}
    spec:
      containers:
        - {name: mongo, image: "mongo:7"}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: data}
spec:
  type: LoadBalancer
  selector: {app: mongo}
  ports: [{port: 27017}]
)");
  SystemModel m = Build();
  const Element* api = m.FindElement("service:api");
  ASSERT_NE(api, nullptr) << Dump(m);
  EXPECT_TRUE(api->privileged);
  EXPECT_TRUE(api->host_network);
  EXPECT_EQ(api->runs_as_root, std::optional<bool>(true));
  EXPECT_EQ(api->boundary, "boundary:namespace:web");
  EXPECT_NE(m.FindFlow("flow:actor:internet-user->service:api:30080"), nullptr) << Dump(m);
  EXPECT_NE(m.FindFlow("flow:actor:internet-user->datastore:mongo:27017"), nullptr) << Dump(m);
  const Flow* db = m.FindFlow("flow:service:api->datastore:mongo:27017");
  ASSERT_NE(db, nullptr) << "the Service's full name in another namespace\n" << Dump(m);
  EXPECT_EQ(db->crosses, (std::vector<std::string>{"boundary:namespace:web", "boundary:namespace:data"}));
  EXPECT_NE(m.FindFlow("flow:service:api->platform:container-runtime:docker-api"), nullptr) << Dump(m);
  EXPECT_EQ(m.FindFlow("flow:service:api->platform:kubernetes-api:443"), nullptr) << "its ServiceAccount says no";
  EXPECT_NE(m.FindFlow("flow:datastore:mongo->platform:kubernetes-api:443"), nullptr);
  EXPECT_FALSE(m.FindBoundary("boundary:namespace:web")->isolated);
}

TEST_F(BuildModelInputs, BadFilesBecomeDiagnostics) {
  WriteFile(root_ / "compose.yaml", "services:\n  web: [unclosed\n");
  WriteFile(root_ / "k8s.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: \"busybox:1\"}]}\n---\nmetadata: [unclosed\n");
  WriteFile(root_ / "Dockerfile", "FROM alpine:3.20\nUSER nobody\n");
  SystemModel m = Build();
  ASSERT_GE(m.diagnostics.size(), 2u) << Dump(m);
  EXPECT_EQ(m.diagnostics[0].location.path, "compose.yaml");
  EXPECT_GT(m.diagnostics[0].location.line, 0);
  EXPECT_NE(m.FindElement("service:p"), nullptr) << "the good document is still read\n" << Dump(m);
  EXPECT_EQ(m.FindElement("service:alpine"), nullptr) << "a Dockerfile beside workloads is not a service";
}

TEST_F(BuildModelInputs, NamedDockerfilesAreNamedContainers) {
  WriteFile(root_ / "Dockerfile.worker", "FROM redis:7\n");
  WriteFile(root_ / "svc/api.Dockerfile", "FROM node:22\nEXPOSE 3000\n");
  SystemModel m = Build();
  ASSERT_NE(m.FindElement("datastore:worker"), nullptr) << Dump(m);
  EXPECT_EQ(m.FindElement("datastore:worker")->runs_as_root, std::optional<bool>(true));
  ASSERT_NE(m.FindElement("service:api"), nullptr) << Dump(m);
  EXPECT_EQ(m.FindElement("service:api")->technology, "node");
}

TEST(DatastoreCatalog, RecognisesImagesPortsAndSchemes) {
  EXPECT_EQ(TechnologyForImage("bulwark-lab/postgres:15")->id, "postgresql");
  EXPECT_EQ(TechnologyForImage("docker.io/library/rabbitmq:3-management")->id, "rabbitmq");
  EXPECT_EQ(TechnologyForImage("mcr.microsoft.com/mssql/server:2022-latest")->id, "mssql");
  EXPECT_EQ(TechnologyForImage("${DB_IMAGE:-mariadb:11}")->id, "mariadb");
  EXPECT_EQ(TechnologyForImage("quay.io/coreos/etcd:v3.5.0")->id, "etcd");
  EXPECT_EQ(TechnologyForImage("minio/minio:latest")->id, "minio");
  const Technology* ui = TechnologyForImage("mongo-express:1");
  EXPECT_TRUE(ui == nullptr || !ui->data_store) << "a UI for Mongo, not Mongo";
  EXPECT_EQ(TechnologyForImage("example/shop:1"), nullptr);
  EXPECT_EQ(TechnologyForImage(""), nullptr);
  EXPECT_EQ(DataStoreForPort(6379)->id, "redis");
  EXPECT_EQ(DataStoreForPort(8080), nullptr);
  EXPECT_EQ(ProtocolForPort(8443), "https");
  EXPECT_EQ(ProtocolForPort(12345), "tcp");
  EXPECT_EQ(ProtocolForScheme("mongodb+srv")->protocol, "mongodb");
  EXPECT_TRUE(ProtocolForScheme("amqps")->tls);
  EXPECT_FALSE(ProtocolForScheme("gopher"));
  EXPECT_EQ(FlowLabel("postgresql", 5432), "PostgreSQL :5432");
  EXPECT_EQ(FlowLabel("docker-api", 0), "Docker API");
}

}  // namespace
}  // namespace bulwark::model
