// Container IDs from cgroup paths (Falco's container plugin patterns) and
// container metadata from the Engine API's inspect JSON.
#include <gtest/gtest.h>

#include "runtime/sensor/container_id.hpp"
#include "runtime/sensor/container_meta.hpp"

namespace bulwark::runtime::sensor {
namespace {

const std::string kId = "3ad7b26ded6d8e7b23da7d48fe889434573036c27ae5a74837233de441c3601e";

struct Case {
  std::string path;
  std::string type;  // "" = host
};

TEST(ContainerFromCgroupPath, RuntimePatterns) {
  const std::vector<Case> cases = {
      {"/docker/" + kId, "docker"},
      {"/system.slice/docker-" + kId + ".scope", "docker"},
      {"/kubepods/besteffort/pod1234/" + kId, "containerd"},
      {"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod12.slice/cri-containerd-" + kId +
           ".scope",
       "containerd"},
      {"/kubepods-burstable-pod12.slice:cri-containerd:" + kId, "containerd"},
      {"/kubepods.slice/kubepods-pod1.slice/crio-" + kId + ".scope", "cri-o"},
      {"/default/" + kId, "containerd"},
      {"/system.slice/nerdctl-" + kId + ".scope", "containerd"},
      {"/machine.slice/libpod-" + kId + ".scope/container", "podman"},
      {"/user.slice/user-1000.slice/user@1000.service/libpod-payload-" + kId, "podman"},
      {"/" + kId, "docker"},
  };
  for (const Case& c : cases) {
    auto ref = ContainerFromCgroupPath(c.path);
    ASSERT_TRUE(ref.has_value()) << c.path;
    EXPECT_EQ(ref->id, kId.substr(0, 12)) << c.path;
    EXPECT_EQ(ref->full_id, kId) << c.path;
    EXPECT_EQ(ref->type, c.type) << c.path;
  }
}

TEST(ContainerFromCgroupPath, HostProcessesHaveNone) {
  for (const std::string& path : std::vector<std::string>{"/", "", "/user.slice/user-0.slice/session-1.scope", "/system.slice/docker.service",
        "/process_api/42966b1360c2b38f934101cd5aef45c7", "/docker/" + kId.substr(0, 63),
        "/docker/" + std::string(64, 'G'), "/docker/" + kId + "x", std::string(10000, '/')}) {
    EXPECT_FALSE(ContainerFromCgroupPath(path).has_value()) << path;
  }
  // Upper-case hex is not what runtimes write.
  std::string upper = kId;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(ch));
  EXPECT_FALSE(ContainerFromCgroupPath("/docker/" + upper).has_value());
}

TEST(CgroupPathFromProcFile, PrefersTheMemoryControllerThenUnified) {
  EXPECT_EQ(CgroupPathFromProcFile("12:pids:/x\n4:memory:/docker/" + kId + "\n0::/\n"), "/docker/" + kId);
  EXPECT_EQ(CgroupPathFromProcFile("3:cpu,memory:/a\n"), "/a");
  EXPECT_EQ(CgroupPathFromProcFile("0::/system.slice/docker-" + kId + ".scope\n"),
            "/system.slice/docker-" + kId + ".scope");
  EXPECT_EQ(CgroupPathFromProcFile("garbage\n::\n1:name=systemd:/init.scope"), "");
  EXPECT_EQ(CgroupPathFromProcFile(""), "");
}

TEST(ParseContainerInspect, ReadsTheFieldsRulesUse) {
  const std::string json = R"({
    "Id": ")" + kId + R"(",
    "Name": "/lab-web-1",
    "Image": "sha256:abcd",
    "Config": {"Image": "registry.local:5000/team/lab-web:1.2",
               "Labels": {"io.kubernetes.pod.name": "web-0", "io.kubernetes.pod.namespace": "shop",
                          "io.kubernetes.pod.uid": "u-1", "n": 3}},
    "HostConfig": {"Privileged": true},
    "State": {"StartedAt": "2024-05-01T10:20:30.5Z"},
    "Mounts": [{"Source": "/var/run/docker.sock", "Destination": "/var/run/docker.sock", "Mode": "",
                "RW": false, "Propagation": "rprivate"}, 7]
  })";
  auto c = ParseContainerInspect(json);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->id, kId.substr(0, 12));
  EXPECT_EQ(c->name, "lab-web-1");
  EXPECT_EQ(c->image, "registry.local:5000/team/lab-web:1.2");
  EXPECT_EQ(c->image_repository, "registry.local:5000/team/lab-web");
  EXPECT_EQ(c->image_tag, "1.2");
  EXPECT_EQ(c->image_id, "sha256:abcd");
  EXPECT_TRUE(c->privileged);
  EXPECT_EQ(c->k8s_pod_name, "web-0");
  EXPECT_EQ(c->k8s_ns_name, "shop");
  EXPECT_EQ(c->k8s_pod_uid, "u-1");
  EXPECT_EQ(c->labels.count("n"), 0u) << "non-string labels are skipped";
  ASSERT_EQ(c->mounts.size(), 1u);
  EXPECT_FALSE(c->mounts[0].read_write);
  EXPECT_EQ(c->start_ts_ns, 1714558830500000000ULL);
}

TEST(ParseContainerInspect, RefusesWhatIsNotAContainer) {
  EXPECT_FALSE(ParseContainerInspect("").ok());
  EXPECT_FALSE(ParseContainerInspect("[1,2]").ok());
  EXPECT_FALSE(ParseContainerInspect(R"({"Id": 5})").ok());
  EXPECT_FALSE(ParseContainerInspect("{\"Id\": \"abc").ok());
  auto minimal = ParseContainerInspect(R"({"Id": ")" + kId + R"(", "Config": null, "State": []})");
  ASSERT_TRUE(minimal.ok());
  EXPECT_TRUE(minimal->name.empty());
  EXPECT_FALSE(minimal->privileged);
}

TEST(SplitImageReference, TagsAndDigests) {
  Container c;
  SplitImageReference("nginx", c);
  EXPECT_EQ(c.image_repository, "nginx");
  EXPECT_EQ(c.image_tag, "latest");
  Container d;
  SplitImageReference("localhost:5000/app@sha256:ff", d);
  EXPECT_EQ(d.image_repository, "localhost:5000/app");
  EXPECT_EQ(d.image_tag, "");
  EXPECT_EQ(d.image_digest, "sha256:ff");
  Container e;
  SplitImageReference("bulwark-lab/python-flask:bookworm", e);
  EXPECT_EQ(e.image_repository, "bulwark-lab/python-flask");
  EXPECT_EQ(e.image_tag, "bookworm");
}

}  // namespace
}  // namespace bulwark::runtime::sensor
