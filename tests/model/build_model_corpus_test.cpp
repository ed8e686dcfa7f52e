// BuildSystemModel on real systems (../shared/data/corpus): every
// awesome-compose project and every kubernetes-examples manifest builds a
// model whose ids are unique, whose flows join elements that exist and
// whose elements sit in boundaries that exist; the whole corpus at once
// (many projects and namespaces in one root) too, the same twice.
#include <gtest/gtest.h>

#include <set>

#include "model/build_model.hpp"
#include "model_test_support.hpp"

namespace bulwark::model {
namespace {

namespace fs = std::filesystem;

void ExpectConsistent(const SystemModel& m, const std::string& what) {
  std::set<std::string> elements, flows, boundaries;
  for (const TrustBoundary& b : m.boundaries) {
    EXPECT_TRUE(boundaries.insert(b.id).second) << what << ": boundary " << b.id << " twice";
  }
  for (const TrustBoundary& b : m.boundaries) {
    EXPECT_TRUE(b.parent.empty() || boundaries.count(b.parent)) << what << ": " << b.id << " parent " << b.parent;
    EXPECT_FALSE(b.evidence.empty()) << what << ": " << b.id << " has no evidence";
  }
  for (const Element& e : m.elements) {
    EXPECT_TRUE(elements.insert(e.id).second) << what << ": element " << e.id << " twice";
    EXPECT_TRUE(e.boundary.empty() || boundaries.count(e.boundary)) << what << ": " << e.id << " in " << e.boundary;
    EXPECT_FALSE(e.evidence.empty()) << what << ": " << e.id << " has no evidence";
  }
  for (const Flow& f : m.flows) {
    EXPECT_TRUE(flows.insert(f.id).second) << what << ": flow " << f.id << " twice";
    EXPECT_TRUE(elements.count(f.from)) << what << ": " << f.id << " from a missing element";
    EXPECT_TRUE(elements.count(f.to)) << what << ": " << f.id << " to a missing element";
    EXPECT_NE(f.from, f.to) << what << ": " << f.id;
    EXPECT_FALSE(f.evidence.empty()) << what << ": " << f.id << " has no evidence";
  }
}

SystemModel Build(const fs::path& root, const std::string& what) {
  BuildOptions options;
  options.root = root;
  auto model = BuildSystemModel(options);
  EXPECT_TRUE(model.ok()) << what << ": " << model.status().message();
  if (!model.ok()) return {};
  ExpectConsistent(*model, what);
  return std::move(model).value();
}

bool IsCompose(const fs::path& path) {
  std::string name = path.filename().string();
  return (name.starts_with("compose") || name.starts_with("docker-compose")) &&
         (name.ends_with(".yml") || name.ends_with(".yaml"));
}

TEST(BuildModelCorpus, EveryAwesomeComposeProject) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  fs::path corpus = data / "corpus/awesome-compose";
  std::set<fs::path> projects;
  for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
    if (entry.is_regular_file() && IsCompose(entry.path())) projects.insert(entry.path().parent_path());
  }
  ASSERT_GE(projects.size(), 30u);
  size_t services = 0, data_stores = 0, flows = 0;
  for (const fs::path& project : projects) {
    SystemModel m = Build(project, project.filename().string());
    for (const Element& e : m.elements) {
      services += e.kind == ElementKind::kService;
      data_stores += e.kind == ElementKind::kDataStore && e.id != "datastore:host-filesystem";
    }
    flows += m.flows.size();
  }
  std::cout << projects.size() << " compose projects: " << services << " services, " << data_stores
            << " data stores, " << flows << " flows\n";
  EXPECT_GE(data_stores, 15u) << "postgres, mysql, mariadb, redis, mongo... are recognised";
}

TEST(BuildModelCorpus, EveryKubernetesManifest) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  fs::path corpus = data / "corpus/kubernetes-examples";
  size_t files = 0, workloads = 0;
  for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !(name.ends_with(".yaml") || name.ends_with(".yml"))) continue;
    SystemModel m = Build(entry.path(), fs::relative(entry.path(), corpus).string());
    ++files;
    for (const Element& e : m.elements) workloads += e.kind == ElementKind::kService || e.kind == ElementKind::kDataStore;
  }
  std::cout << files << " manifests: " << workloads << " workloads\n";
  EXPECT_GE(files, 200u);
  EXPECT_GE(workloads, 100u);
}

TEST(BuildModelCorpus, WholeCorpusAtOnceIsConsistentAndStable) {
  BULWARK_REQUIRE_SHARED_DATA(data);
  for (const char* part : {"corpus/awesome-compose", "corpus/kubernetes-examples"}) {
    SystemModel first = Build(data / part, part);
    SystemModel second = Build(data / part, part);
    EXPECT_EQ(testing::Dump(first), testing::Dump(second)) << part;
    EXPECT_GT(first.elements.size(), 50u) << part;
  }
}

}  // namespace
}  // namespace bulwark::model
