// bulwark-model.yaml: adding and correcting elements, flows, boundaries,
// data and assumptions, and the diagnostics (file:line:col) for what is
// wrong in it, which never stop the rest from being used.
#include "model/model_overrides.hpp"

#include <gtest/gtest.h>

#include "model_test_support.hpp"

namespace bulwark::model {
namespace {

TrustBoundary Boundary(std::string id, BoundaryKind kind, std::string parent) {
  TrustBoundary b;
  b.id = std::move(id);
  b.kind = kind;
  b.name = b.id;
  b.parent = std::move(parent);
  return b;
}

SystemModel Base() {
  SystemModel m;
  m.name = "base";
  m.boundaries = {Boundary("boundary:host", BoundaryKind::kHost, ""),
                  Boundary("boundary:network:backend", BoundaryKind::kNetwork, "boundary:host")};
  Element web;
  web.id = "service:web";
  web.name = "web";
  web.boundary = "boundary:network:backend";
  Element db;
  db.id = "datastore:db";
  db.kind = ElementKind::kDataStore;
  db.name = "db";
  Element debug;
  debug.id = "service:debug";
  debug.name = "debug";
  m.elements = {web, db, debug};
  Flow flow;
  flow.id = "flow:service:web->datastore:db:5432";
  flow.from = "service:web";
  flow.to = "datastore:db";
  flow.port = 5432;
  Flow debug_flow;
  debug_flow.id = "flow:service:debug->datastore:db:5432";
  debug_flow.from = "service:debug";
  debug_flow.to = "datastore:db";
  m.flows = {flow, debug_flow};
  return m;
}

SystemModel Apply(const std::string& text, SystemModel m = Base()) {
  ModelOverrides overrides = ParseModelOverrides(text, "bulwark-model.yaml", m.diagnostics);
  ApplyModelOverrides(overrides, m);
  return m;
}

std::string Diagnostics(const SystemModel& m) {
  std::string out;
  for (const core::Diagnostic& d : m.diagnostics) {
    out += d.location.path + ":" + std::to_string(d.location.line) + ":" + std::to_string(d.location.column) + ": " +
           d.message + "\n";
  }
  return out;
}

TEST(ModelOverrides, AddsAndCorrects) {
  SystemModel m = Apply(R"(name: Shop
boundaries:
  - id: boundary:dmz
    name: DMZ
    kind: network
    parent: boundary:host
    isolated: true
elements:
  - id: datastore:db
    classification: restricted
    tags: [pci]
  - id: actor:partner
    name: Partner API
    technology: https-client
    boundary: boundary:dmz
  - id: service:debug
    out_of_scope: true
flows:
  - from: actor:partner
    to: service:web
    protocol: https
    port: 443
    encrypted: true
    authenticated: true
    label: Partner orders
  - id: flow:service:web->datastore:db:5432
    encrypted: true
data:
  - id: cards
    name: Card numbers
    classification: restricted
    stored_in: [datastore:db]
    carried_by: [flow:service:web->datastore:db:5432]
assumptions:
  - TLS ends at the load balancer.
)");
  EXPECT_TRUE(m.diagnostics.empty()) << Diagnostics(m);
  EXPECT_EQ(m.name, "Shop");
  const Element* db = m.FindElement("datastore:db");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->classification, Classification::kRestricted);
  EXPECT_TRUE(db->user_defined);
  EXPECT_EQ(db->tags, (std::vector<std::string>{"pci"}));
  ASSERT_EQ(db->evidence.size(), 1u);
  EXPECT_EQ(db->evidence[0].line, 9);
  EXPECT_EQ(db->evidence[0].text, "- id: datastore:db");
  const Element* partner = m.FindElement("actor:partner");
  ASSERT_NE(partner, nullptr);
  EXPECT_EQ(partner->kind, ElementKind::kExternalActor) << "from the id's prefix";
  EXPECT_EQ(partner->boundary, "boundary:dmz");
  EXPECT_EQ(m.FindElement("service:debug"), nullptr);
  EXPECT_EQ(m.FindFlow("flow:service:debug->datastore:db:5432"), nullptr) << "left with its element";
  const Flow* added = m.FindFlow("flow:actor:partner->service:web:443");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->kind, FlowKind::kUserDefined);
  EXPECT_EQ(added->label, "Partner orders");
  EXPECT_TRUE(added->encrypted && added->authenticated);
  EXPECT_TRUE(m.FindFlow("flow:service:web->datastore:db:5432")->encrypted);
  const TrustBoundary* dmz = m.FindBoundary("boundary:dmz");
  ASSERT_NE(dmz, nullptr);
  EXPECT_TRUE(dmz->isolated);
  EXPECT_EQ(dmz->parent, "boundary:host");
  ASSERT_EQ(m.data.size(), 1u);
  EXPECT_EQ(m.data[0].name, "Card numbers");
  EXPECT_EQ(m.data[0].stored_in, (std::vector<std::string>{"datastore:db"}));
  ASSERT_EQ(m.assumptions.size(), 1u);
  EXPECT_TRUE(m.assumptions[0].user_defined);
}

TEST(ModelOverrides, SectionsMayBeMapsKeyedById) {
  SystemModel m = Apply("elements:\n  service:web:\n    classification: public\nflows: {}\n");
  EXPECT_TRUE(m.diagnostics.empty()) << Diagnostics(m);
  EXPECT_EQ(m.FindElement("service:web")->classification, Classification::kPublic);
}

TEST(ModelOverrides, MistakesAreDiagnosedWithTheirPosition) {
  SystemModel m = Apply(R"(nmae: typo
elements:
  - id: service:web
    classification: secret
    colour: blue
  - name: no id
  - id: service:new
    kind: robot
    boundary: boundary:nowhere
flows:
  - from: service:web
    to: service:ghost
  - from: service:web
    to: datastore:db
    port: 99999
    encrypted: maybe
  - id: flow:none
    out_of_scope: true
boundaries:
  - id: boundary:host
    parent: boundary:network:backend
data:
  - id: d
    stored_in: [datastore:nope]
assumptions: {a: b}
)");
  std::string d = Diagnostics(m);
  EXPECT_NE(d.find("bulwark-model.yaml:1:1: unknown key 'nmae'"), std::string::npos) << d;
  EXPECT_NE(d.find("bulwark-model.yaml:4:21: unknown classification 'secret'"), std::string::npos) << d;
  EXPECT_NE(d.find("bulwark-model.yaml:5:5: unknown key 'colour' in elements"), std::string::npos) << d;
  EXPECT_NE(d.find(":6:5: element without an id"), std::string::npos) << d;
  EXPECT_NE(d.find(":8:11: unknown element kind 'robot'"), std::string::npos) << d;
  EXPECT_NE(d.find("no boundary 'boundary:nowhere'"), std::string::npos) << d;
  EXPECT_NE(d.find("no element 'service:ghost'"), std::string::npos) << d;
  EXPECT_NE(d.find(":15:11: 'port' must be a port number"), std::string::npos) << d;
  EXPECT_NE(d.find(":16:16: 'encrypted' must be true or false"), std::string::npos) << d;
  EXPECT_NE(d.find("out_of_scope: no flow 'flow:none'"), std::string::npos) << d;
  EXPECT_NE(d.find("would make a loop"), std::string::npos) << d;
  EXPECT_NE(d.find("stored_in names no element 'datastore:nope'"), std::string::npos) << d;
  EXPECT_NE(d.find("'assumptions' must be a list"), std::string::npos) << d;
  // What was right is still used.
  EXPECT_NE(m.FindElement("service:new"), nullptr);
  EXPECT_NE(m.FindFlow("flow:service:web->datastore:db:5432"), nullptr);
  EXPECT_EQ(m.FindBoundary("boundary:host")->parent, "");
}

TEST(ModelOverrides, UnreadableFilesAreOneDiagnostic) {
  for (const char* text : {"elements: [unclosed\n", "- a list\n", "\x01\x02", "name: a\n---\nname: b\n"}) {
    SystemModel m = Apply(text);
    ASSERT_EQ(m.diagnostics.size(), 1u) << text << "\n" << Diagnostics(m);
    EXPECT_EQ(m.diagnostics[0].location.path, "bulwark-model.yaml");
  }
  SystemModel empty = Apply("");
  EXPECT_TRUE(empty.diagnostics.empty());
  EXPECT_EQ(empty.name, "base");
}

TEST(ModelOverrides, BoundsTheItemsItReads) {
  std::string text = "elements:\n";
  for (size_t i = 0; i < kMaxOverrideItems + 5; ++i) text += "  - id: service:s" + std::to_string(i) + "\n";
  SystemModel m = Apply(text);
  EXPECT_EQ(m.elements.size(), 3 + kMaxOverrideItems);
  EXPECT_EQ(m.diagnostics.size(), 1u) << Diagnostics(m).substr(0, 500);
}

// docs/model-file.md's example is a file bulwark reads without a complaint.
TEST(ModelOverrides, TheDocumentedExampleReads) {
  std::string doc = bulwark::testing::ReadFile(bulwark::testing::SourceDir() / "docs/model-file.md");
  size_t begin = doc.find("```yaml\n");
  ASSERT_NE(begin, std::string::npos);
  begin += 8;
  std::string example = doc.substr(begin, doc.find("```", begin) - begin);
  std::vector<core::Diagnostic> diagnostics;
  ModelOverrides overrides = ParseModelOverrides(example, "bulwark-model.yaml", diagnostics);
  EXPECT_TRUE(diagnostics.empty()) << diagnostics.front().message;
  EXPECT_EQ(overrides.elements.size(), 3u);
  EXPECT_EQ(overrides.flows.size(), 2u);
  EXPECT_EQ(overrides.boundaries.size(), 1u);
  EXPECT_EQ(overrides.data.size(), 1u);
  EXPECT_EQ(overrides.assumptions.size(), 1u);
}

}  // namespace
}  // namespace bulwark::model
