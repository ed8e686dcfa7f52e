#include "parse/compose.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>

#include "test_support.hpp"

namespace bulwark::parse {

void PrintTo(const YamlMark& mark, std::ostream* os) { *os << mark.line << ":" << mark.column; }

namespace {

ComposeFile Parse(const std::string& text) {
  auto file = ParseCompose(text);
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  return file.ok() ? std::move(file).value() : ComposeFile{};
}

const ComposeService& Service(const ComposeFile& file, std::string_view name) {
  const ComposeService* service = file.FindService(name);
  EXPECT_NE(service, nullptr) << name;
  static const ComposeService kEmpty;
  return service == nullptr ? kEmpty : *service;
}

TEST(Compose, ServicesAndScalarsKeepPositions) {
  auto file = Parse(
      "services:\n"
      "  web:\n"
      "    image: nginx:1.25\n"
      "    user: \"1000:1000\"\n"
      "    privileged: true\n"
      "    read_only: yes\n"
      "    network_mode: host\n"
      "    pid: host\n"
      "    ipc: host\n"
      "    uts: host\n"
      "    userns_mode: host\n"
      "    cgroup_parent: /custom\n"
      "    restart: unless-stopped\n"
      "    mem_limit: 512m\n"
      "    cpus: 0.5\n"
      "    cpu_shares: 512\n"
      "    pids_limit: 100\n"
      "    oom_kill_disable: true\n"
      "    use_api_socket: true\n"
      "  db:\n"
      "    image: postgres\n");
  ASSERT_EQ(file.services.size(), 2u);
  EXPECT_EQ(file.services_key, (YamlMark{1, 1}));
  const auto& web = Service(file, "web");
  EXPECT_EQ(web.mark, (YamlMark{2, 3}));
  EXPECT_EQ(web.image->text, "nginx:1.25");
  EXPECT_EQ(web.image->key, (YamlMark{3, 5}));
  EXPECT_EQ(web.image->mark, (YamlMark{3, 12}));
  EXPECT_EQ(web.user->text, "1000:1000");
  EXPECT_EQ(web.privileged->AsBool(), true);
  EXPECT_EQ(web.read_only->AsBool(), true);
  EXPECT_EQ(web.network_mode->text, "host");
  EXPECT_EQ(web.pid->text, "host");
  EXPECT_EQ(web.ipc->text, "host");
  EXPECT_EQ(web.uts->text, "host");
  EXPECT_EQ(web.userns_mode->text, "host");
  EXPECT_EQ(web.cgroup_parent->text, "/custom");
  EXPECT_EQ(web.restart->text, "unless-stopped");
  EXPECT_EQ(web.mem_limit->text, "512m");
  EXPECT_EQ(web.cpus->text, "0.5");
  EXPECT_EQ(web.cpu_shares->AsInt(), 512);
  EXPECT_EQ(web.pids_limit->AsInt(), 100);
  EXPECT_EQ(web.pids_limit->key, (YamlMark{17, 5}));
  EXPECT_EQ(web.oom_kill_disable->AsBool(), true);
  EXPECT_EQ(web.use_api_socket->AsBool(), true);
  EXPECT_FALSE(Service(file, "db").privileged.has_value());
  EXPECT_EQ(file.services[1].name, "db");
}

TEST(Compose, BuildStringOrMap) {
  auto file = Parse(
      "services:\n"
      "  a:\n"
      "    build: ./app\n"
      "  b:\n"
      "    build:\n"
      "      context: backend\n"
      "      dockerfile: Dockerfile.prod\n");
  EXPECT_EQ(Service(file, "a").build->context, "./app");
  EXPECT_EQ(Service(file, "b").build->context, "backend");
  EXPECT_EQ(Service(file, "b").build->dockerfile, "Dockerfile.prod");
  EXPECT_EQ(Service(file, "b").build->key, (YamlMark{5, 5}));
}

TEST(Compose, ListsCapabilitiesAndSecurityOptions) {
  auto file = Parse(
      "services:\n"
      "  a:\n"
      "    cap_add: [SYS_ADMIN, NET_ADMIN]\n"
      "    cap_drop:\n"
      "      - ALL\n"
      "    security_opt:\n"
      "      - no-new-privileges:true\n"
      "      - seccomp:unconfined\n"
      "    tmpfs: /run\n"
      "    devices:\n"
      "      - /dev/fuse:/dev/fuse\n"
      "    env_file:\n"
      "      - .env\n"
      "      - path: ./other.env\n"
      "        required: false\n"
      "    profiles: [debug]\n");
  const auto& a = Service(file, "a");
  ASSERT_EQ(a.cap_add->items.size(), 2u);
  EXPECT_EQ(a.cap_add->items[1].text, "NET_ADMIN");
  EXPECT_EQ(a.cap_add->items[1].mark, (YamlMark{3, 26}));
  EXPECT_EQ(a.cap_add->key, (YamlMark{3, 5}));
  EXPECT_EQ(a.cap_drop->items[0].mark, (YamlMark{5, 9}));
  EXPECT_EQ(a.security_opt->items[1].text, "seccomp:unconfined");
  ASSERT_EQ(a.tmpfs->items.size(), 1u);
  EXPECT_EQ(a.tmpfs->items[0].text, "/run");
  EXPECT_EQ(a.devices->items[0].text, "/dev/fuse:/dev/fuse");
  ASSERT_EQ(a.env_file->items.size(), 2u);
  EXPECT_EQ(a.env_file->items[1].text, "./other.env");
  EXPECT_EQ(a.profiles->items[0].text, "debug");
  EXPECT_TRUE(file.issues.empty());
}

TEST(Compose, PortShortSyntaxForms) {
  struct Case {
    const char* text;
    const char* ip;
    const char* published;
    const char* target;
    const char* protocol;
    int published_first, published_last, target_first, target_last;
  };
  const Case cases[] = {
      {"80", "", "", "80", "tcp", 0, 0, 80, 80},
      {"8080:80", "", "8080", "80", "tcp", 8080, 8080, 80, 80},
      {"127.0.0.1:8080:80", "127.0.0.1", "8080", "80", "tcp", 8080, 8080, 80, 80},
      {"8080-8081:80-81", "", "8080-8081", "80-81", "tcp", 8080, 8081, 80, 81},
      {"[::1]:6001:6001", "::1", "6001", "6001", "tcp", 6001, 6001, 6001, 6001},
      {"::1:6000:6000", "::1", "6000", "6000", "tcp", 6000, 6000, 6000, 6000},
      {"6060:6060/udp", "", "6060", "6060", "udp", 6060, 6060, 6060, 6060},
      {"127.0.0.1::5000", "127.0.0.1", "", "5000", "tcp", 0, 0, 5000, 5000},
      {"${WEB_PORT:-8080}:80", "", "${WEB_PORT:-8080}", "80", "tcp", 8080, 8080, 80, 80},
      {"${BIND:-0.0.0.0}:${PORT}:80", "${BIND:-0.0.0.0}", "${PORT}", "80", "tcp", 0, 0, 80, 80},
  };
  for (const Case& c : cases) {
    ComposePort port;
    std::string error;
    ASSERT_TRUE(ParsePortShortSyntax(c.text, port, error)) << c.text << ": " << error;
    EXPECT_EQ(port.host_ip, c.ip) << c.text;
    EXPECT_EQ(port.published, c.published) << c.text;
    EXPECT_EQ(port.target, c.target) << c.text;
    EXPECT_EQ(port.protocol, c.protocol) << c.text;
    EXPECT_EQ(port.published_first, c.published_first) << c.text;
    EXPECT_EQ(port.published_last, c.published_last) << c.text;
    EXPECT_EQ(port.target_first, c.target_first) << c.text;
    EXPECT_EQ(port.target_last, c.target_last) << c.text;
  }
  ComposePort port;
  std::string error;
  EXPECT_FALSE(ParsePortShortSyntax("abc:80", port, error));
  EXPECT_FALSE(ParsePortShortSyntax("80:", port, error));
  EXPECT_FALSE(ParsePortShortSyntax("[::1:80:80", port, error));
  EXPECT_FALSE(ParsePortShortSyntax("70000:80", port, error));
}

TEST(Compose, PortsInAFileShortAndLong) {
  auto file = Parse(
      "services:\n"
      "  web:\n"
      "    ports:\n"
      "      - \"127.0.0.1:8080:80\"\n"
      "      - 443\n"
      "      - target: 80\n"
      "        published: \"8000-8001\"\n"
      "        host_ip: 0.0.0.0\n"
      "        protocol: udp\n"
      "        mode: host\n"
      "      - \"not a port\"\n");
  const auto& web = Service(file, "web");
  ASSERT_EQ(web.ports.size(), 3u);
  EXPECT_EQ(web.ports_key, (YamlMark{3, 5}));
  EXPECT_EQ(web.ports[0].host_ip, "127.0.0.1");
  EXPECT_EQ(web.ports[0].mark, (YamlMark{4, 9}));
  EXPECT_EQ(web.ports[1].target, "443");
  EXPECT_EQ(web.ports[1].published, "");
  const auto& long_port = web.ports[2];
  EXPECT_TRUE(long_port.long_syntax);
  EXPECT_EQ(long_port.target_first, 80);
  EXPECT_EQ(long_port.published_first, 8000);
  EXPECT_EQ(long_port.published_last, 8001);
  EXPECT_EQ(long_port.host_ip, "0.0.0.0");
  EXPECT_EQ(long_port.host_ip_mark, (YamlMark{8, 9}));
  EXPECT_EQ(long_port.protocol, "udp");
  EXPECT_EQ(long_port.mode, "host");
  ASSERT_EQ(file.issues.size(), 1u);
  EXPECT_EQ(file.issues[0].mark, (YamlMark{11, 9}));
}

TEST(Compose, VolumeShortSyntaxForms) {
  struct Case {
    const char* text;
    const char* type;
    const char* source;
    const char* target;
    bool read_only;
    const char* propagation;
  };
  const Case cases[] = {
      {"/data", "volume", "", "/data", false, ""},
      {"dbdata:/var/lib/postgresql/data", "volume", "dbdata", "/var/lib/postgresql/data", false,
       ""},
      {"./src:/app:ro", "bind", "./src", "/app", true, ""},
      {"/var/run/docker.sock:/var/run/docker.sock", "bind", "/var/run/docker.sock",
       "/var/run/docker.sock", false, ""},
      {"~/configs:/etc/configs:rw,z", "bind", "~/configs", "/etc/configs", false, ""},
      {"/:/host:ro,rshared", "bind", "/", "/host", true, "rshared"},
      {"${DATA_DIR:-./data}:/data", "bind", "${DATA_DIR:-./data}", "/data", false, ""},
      {"C:\\data:/data", "bind", "C:\\data", "/data", false, ""},
  };
  for (const Case& c : cases) {
    ComposeVolume volume;
    std::string error;
    ASSERT_TRUE(ParseVolumeShortSyntax(c.text, volume, error)) << c.text << ": " << error;
    EXPECT_EQ(volume.type, c.type) << c.text;
    EXPECT_EQ(volume.source, c.source) << c.text;
    EXPECT_EQ(volume.target, c.target) << c.text;
    EXPECT_EQ(volume.read_only, c.read_only) << c.text;
    EXPECT_EQ(volume.propagation, c.propagation) << c.text;
  }
  ComposeVolume volume;
  std::string error;
  EXPECT_FALSE(ParseVolumeShortSyntax("a:b:c:d", volume, error));
  EXPECT_FALSE(ParseVolumeShortSyntax(":/x", volume, error));
}

TEST(Compose, VolumesLongSyntax) {
  auto file = Parse(
      "services:\n"
      "  a:\n"
      "    volumes:\n"
      "      - type: bind\n"
      "        source: /etc\n"
      "        target: /host-etc\n"
      "        read_only: true\n"
      "        bind:\n"
      "          propagation: rshared\n"
      "      - type: tmpfs\n"
      "        target: /tmp\n");
  const auto& a = Service(file, "a");
  ASSERT_EQ(a.volumes.size(), 2u);
  EXPECT_TRUE(a.volumes[0].long_syntax);
  EXPECT_EQ(a.volumes[0].type, "bind");
  EXPECT_EQ(a.volumes[0].source, "/etc");
  EXPECT_TRUE(a.volumes[0].read_only);
  EXPECT_EQ(a.volumes[0].read_only_mark, (YamlMark{7, 9}));
  EXPECT_EQ(a.volumes[0].propagation, "rshared");
  EXPECT_EQ(a.volumes[0].propagation_mark, (YamlMark{9, 11}));
  EXPECT_EQ(a.volumes[1].type, "tmpfs");
  EXPECT_EQ(a.volumes[1].mark, (YamlMark{10, 9}));
}

TEST(Compose, EnvironmentListAndMap) {
  auto file = Parse(
      "services:\n"
      "  a:\n"
      "    environment:\n"
      "      - DB_PASSWORD=hunter2\n"
      "      - \"API_TOKEN=abc\"\n"
      "      - FROM_SHELL\n"
      "  b:\n"
      "    environment:\n"
      "      SECRET_KEY: s3cr3t\n"
      "      EMPTY:\n"
      "      PORT: 8080\n");
  const auto& a = Service(file, "a");
  ASSERT_EQ(a.environment->entries.size(), 3u);
  EXPECT_EQ(a.environment->entries[0].name, "DB_PASSWORD");
  EXPECT_EQ(a.environment->entries[0].value, "hunter2");
  EXPECT_EQ(a.environment->entries[0].mark, (YamlMark{4, 9}));
  EXPECT_EQ(a.environment->entries[0].value_mark, (YamlMark{4, 21}));
  EXPECT_EQ(a.environment->entries[1].value_mark, (YamlMark{5, 20}));
  EXPECT_EQ(a.environment->entries[2].value, std::nullopt);
  const auto& b = Service(file, "b");
  ASSERT_EQ(b.environment->entries.size(), 3u);
  EXPECT_EQ(b.environment->entries[0].value, "s3cr3t");
  EXPECT_EQ(b.environment->entries[0].value_mark, (YamlMark{9, 19}));
  EXPECT_EQ(b.environment->entries[1].value, std::nullopt);
  EXPECT_EQ(b.environment->entries[2].value, "8080");
}

TEST(Compose, HealthcheckForms) {
  auto file = Parse(
      "services:\n"
      "  a:\n"
      "    healthcheck:\n"
      "      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]\n"
      "      interval: 30s\n"
      "      retries: 3\n"
      "  b:\n"
      "    healthcheck:\n"
      "      disable: true\n"
      "  c:\n"
      "    healthcheck:\n"
      "      test: [\"NONE\"]\n"
      "  d:\n"
      "    healthcheck:\n"
      "      test: curl -f http://localhost\n");
  EXPECT_FALSE(Service(file, "a").healthcheck->Disabled());
  EXPECT_EQ(Service(file, "a").healthcheck->test.size(), 4u);
  EXPECT_EQ(Service(file, "a").healthcheck->interval->text, "30s");
  EXPECT_TRUE(Service(file, "b").healthcheck->Disabled());
  EXPECT_TRUE(Service(file, "c").healthcheck->Disabled());
  EXPECT_EQ(Service(file, "d").healthcheck->test.front(), "CMD-SHELL");
  EXPECT_FALSE(Service(file, "d").healthcheck->Disabled());
}

TEST(Compose, DeployResourcesAndRestartPolicy) {
  auto file = Parse(
      "services:\n"
      "  a:\n"
      "    deploy:\n"
      "      mode: replicated\n"
      "      replicas: 2\n"
      "      resources:\n"
      "        limits:\n"
      "          cpus: '0.50'\n"
      "          memory: 50M\n"
      "          pids: 100\n"
      "        reservations:\n"
      "          memory: 20M\n"
      "      restart_policy:\n"
      "        condition: on-failure\n"
      "        max_attempts: 3\n");
  const auto& deploy = *Service(file, "a").deploy;
  EXPECT_EQ(deploy.limits.cpus->text, "0.50");
  EXPECT_EQ(deploy.limits.memory->text, "50M");
  EXPECT_EQ(deploy.limits.memory->key, (YamlMark{9, 11}));
  EXPECT_EQ(deploy.limits.pids->AsInt(), 100);
  EXPECT_EQ(deploy.reservations.memory->text, "20M");
  EXPECT_FALSE(deploy.reservations.cpus.has_value());
  EXPECT_EQ(deploy.restart_condition->text, "on-failure");
  EXPECT_EQ(deploy.restart_max_attempts->AsInt(), 3);
  EXPECT_EQ(deploy.restart_policy_key, (YamlMark{13, 7}));
  EXPECT_EQ(deploy.replicas->AsInt(), 2);
}

TEST(Compose, NetworksDependsOnSecretsLabelsSysctlsUlimits) {
  auto file = Parse(
      "services:\n"
      "  a:\n"
      "    networks: [front, back]\n"
      "    depends_on:\n"
      "      db:\n"
      "        condition: service_healthy\n"
      "    secrets:\n"
      "      - db_password\n"
      "      - source: api_key\n"
      "        target: api\n"
      "    labels:\n"
      "      com.example.team: core\n"
      "    sysctls:\n"
      "      - net.core.somaxconn=1024\n"
      "    ulimits:\n"
      "      nproc: 65535\n"
      "      nofile:\n"
      "        soft: 20000\n"
      "        hard: 40000\n"
      "  db:\n"
      "    networks:\n"
      "      back:\n"
      "        aliases: [database]\n"
      "    depends_on: [cache]\n");
  const auto& a = Service(file, "a");
  EXPECT_EQ(a.networks->items.size(), 2u);
  EXPECT_EQ(a.depends_on->items[0].text, "db");
  ASSERT_EQ(a.secrets->items.size(), 2u);
  EXPECT_EQ(a.secrets->items[1].text, "api_key");
  EXPECT_EQ(a.labels->entries[0].name, "com.example.team");
  EXPECT_EQ(a.sysctls->entries[0].name, "net.core.somaxconn");
  EXPECT_EQ(a.sysctls->entries[0].value, "1024");
  ASSERT_EQ(a.ulimits.size(), 2u);
  EXPECT_EQ(a.ulimits[0].soft, 65535);
  EXPECT_EQ(a.ulimits[1].hard, 40000);
  const auto& db = Service(file, "db");
  EXPECT_EQ(db.networks->items[0].text, "back");
  EXPECT_EQ(db.networks->items[0].mark, (YamlMark{22, 7}));
  EXPECT_EQ(db.depends_on->items[0].text, "cache");
}

TEST(Compose, TopLevelResources) {
  auto file = Parse(
      "name: shop\n"
      "services: {}\n"
      "networks:\n"
      "  front:\n"
      "  back:\n"
      "    internal: true\n"
      "    driver: bridge\n"
      "volumes:\n"
      "  dbdata:\n"
      "    external: true\n"
      "secrets:\n"
      "  db_password:\n"
      "    file: ./db_password.txt\n"
      "  token:\n"
      "    environment: API_TOKEN\n"
      "configs:\n"
      "  nginx:\n"
      "    file: ./nginx.conf\n");
  EXPECT_EQ(file.name->text, "shop");
  ASSERT_EQ(file.networks.size(), 2u);
  EXPECT_FALSE(file.networks[0].internal);
  EXPECT_TRUE(file.networks[1].internal);
  EXPECT_EQ(file.networks[1].driver, "bridge");
  EXPECT_EQ(file.networks[1].mark, (YamlMark{5, 3}));
  EXPECT_TRUE(file.volumes[0].external);
  EXPECT_EQ(file.secrets[0].file, "./db_password.txt");
  EXPECT_EQ(file.secrets[1].environment, "API_TOKEN");
  EXPECT_EQ(file.configs[0].file, "./nginx.conf");
}

TEST(Compose, ExtensionFieldsWithAnchorsAndMerge) {
  auto file = Parse(
      "x-hardening: &hardening\n"
      "  read_only: true\n"
      "  cap_drop: [ALL]\n"
      "  security_opt: [\"no-new-privileges:true\"]\n"
      "services:\n"
      "  api:\n"
      "    <<: *hardening\n"
      "    image: api:1.0\n"
      "    read_only: false\n");
  const auto& api = Service(file, "api");
  EXPECT_EQ(api.read_only->AsBool(), false);
  EXPECT_EQ(api.read_only->key, (YamlMark{9, 5}));
  ASSERT_TRUE(api.cap_drop.has_value());
  EXPECT_EQ(api.cap_drop->items[0].text, "ALL");
  EXPECT_EQ(api.cap_drop->items[0].mark, (YamlMark{3, 14}));
  EXPECT_EQ(api.security_opt->items[0].text, "no-new-privileges:true");
}

TEST(Compose, UnknownKeysAndWrongTypesAreNotErrors) {
  auto file = Parse(
      "version: \"3.8\"\n"
      "services:\n"
      "  a:\n"
      "    image: x\n"
      "    something_new: {a: 1}\n"
      "    privileged: [oops]\n"
      "    ports: 80\n"
      "  b:\n");
  ASSERT_EQ(file.services.size(), 2u);
  EXPECT_EQ(file.version->text, "3.8");
  EXPECT_FALSE(Service(file, "a").privileged.has_value());
  EXPECT_NE(Service(file, "a").node->Find("something_new"), nullptr);
  ASSERT_EQ(file.issues.size(), 2u);
  EXPECT_EQ(file.issues[0].mark.line, 6);
  EXPECT_EQ(file.issues[1].mark.line, 7);
}

TEST(Compose, DuplicateKeysBecomeIssues) {
  auto file = Parse("services:\n  a:\n    image: x\n    image: y\n");
  ASSERT_EQ(file.issues.size(), 1u);
  EXPECT_EQ(file.issues[0].mark, (YamlMark{4, 5}));
  EXPECT_EQ(Service(file, "a").image->text, "y");
}

TEST(Compose, NonMapDocumentFails) {
  auto file = ParseCompose("- a\n- b\n");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(ErrorMark(file.status()), (YamlMark{1, 1}));
  EXPECT_TRUE(ParseCompose("").ok());
  EXPECT_FALSE(ParseCompose("services:\n  a: [\n").ok());
}

TEST(Compose, Interpolation) {
  EXPECT_TRUE(HasInterpolation("${VAR}"));
  EXPECT_TRUE(HasInterpolation("pre$VAR"));
  EXPECT_FALSE(HasInterpolation("pa$$word"));
  EXPECT_FALSE(HasInterpolation("100$"));
  EXPECT_EQ(InterpolationDefault("${TAG:-latest}"), "latest");
  EXPECT_EQ(InterpolationDefault("app:${TAG-1.0}"), "app:1.0");
  EXPECT_EQ(InterpolationDefault("${A:-${B:-x}}"), "x");
  EXPECT_EQ(InterpolationDefault("pa$$word"), "pa$word");
  EXPECT_EQ(InterpolationDefault("${TAG}"), std::nullopt);
  EXPECT_EQ(InterpolationDefault("${TAG:?required}"), std::nullopt);
  EXPECT_EQ(InterpolationDefault("$TAG"), std::nullopt);
}

TEST(Compose, BadInputNeverCrashes) {
  const std::string inputs[] = {
      std::string("services:\n  a:\n    image: \xFF\n"),
      std::string("services:\0\n", 11),
      std::string(200000, '{'),
      std::string("services:\n") + std::string(3000, ' ') + "x",
      "services: [1, 2]\n",
      "services:\n  a:\n    ports: [{target: [1]}]\n    volumes: [{}, [], \"\"]\n",
      "services:\n  a:\n    environment: [{a: 1}, \"=x\", \"\"]\n    deploy: [1]\n",
  };
  for (const auto& input : inputs) {
    auto files = ParseComposeStream(input);
    if (files.ok()) {
      for (const auto& file : *files) EXPECT_LE(file.services.size(), 1u);
    } else {
      EXPECT_FALSE(files.status().message().empty());
    }
  }
}

TEST(ComposeConformance, EveryAwesomeComposeFileParses) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  const auto root = data / "corpus" / "awesome-compose";
  ASSERT_TRUE(std::filesystem::exists(root)) << root;
  int parsed = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.find("compose") == std::string::npos) continue;
    if (entry.path().extension() != ".yaml" && entry.path().extension() != ".yml") continue;
    auto file = ParseCompose(testing::ReadFile(entry.path()));
    ASSERT_TRUE(file.ok()) << entry.path() << ": " << file.status().ToString();
    EXPECT_FALSE(file->services.empty()) << entry.path();
    for (const auto& issue : file->issues) {
      ADD_FAILURE() << entry.path() << ":" << issue.mark.line << ": " << issue.message;
    }
    ++parsed;
  }
  EXPECT_GE(parsed, 30);
}

}  // namespace
}  // namespace bulwark::parse
