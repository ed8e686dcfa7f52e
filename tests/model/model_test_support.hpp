// Helpers for the system-model tests: build a fixture's model, find its
// parts, and print a model compactly (for failure messages and for looking
// at one: BULWARK_DUMP_MODEL=1).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>

#include "model/build_model.hpp"
#include "test_support.hpp"

namespace bulwark::model::testing {

inline std::string Dump(const SystemModel& m) {
  std::string out = "model " + m.name + "\n";
  for (const TrustBoundary& b : m.boundaries) {
    out += "  boundary " + b.id + " '" + b.name + "' parent=" + b.parent + (b.isolated ? " isolated" : "") + "\n";
  }
  for (const Element& e : m.elements) {
    out += "  element " + e.id + " '" + e.name + "' tech=" + e.technology + " in=" + e.boundary;
    out += " root=" + std::string(e.runs_as_root ? (*e.runs_as_root ? "yes" : "no") : "?") + " user=" + e.user;
    for (const PortBinding& p : e.ports) {
      out += " port=" + p.host_ip + ":" + std::to_string(p.host_port) + "->" + std::to_string(p.container_port) +
             (p.published ? "p" : "");
    }
    for (const CredentialRef& c : e.credentials) out += " cred=" + c.name + (c.inline_value ? "(inline)" : "");
    for (const std::string& t : e.tags) out += " #" + t;
    out += "\n";
    for (const Evidence& ev : e.evidence) out += "      " + ev.path + ":" + std::to_string(ev.line) + " " + ev.text + "\n";
  }
  for (const Flow& f : m.flows) {
    out += "  flow " + f.id + " [" + std::string(FlowKindName(f.kind)) + "] " + f.protocol + " '" + f.label + "'" +
           (f.encrypted ? " tls" : "") + (f.authenticated ? " auth" : "") + " crosses=";
    for (const std::string& c : f.crosses) out += c + ",";
    out += "\n";
    for (const Evidence& ev : f.evidence) out += "      " + ev.path + ":" + std::to_string(ev.line) + " " + ev.text + "\n";
  }
  for (const DataAsset& d : m.data) out += "  data " + d.id + "\n";
  for (const Assumption& a : m.assumptions) out += "  assume " + a.text + "\n";
  for (const core::Diagnostic& d : m.diagnostics) {
    out += "  diag " + d.location.path + ":" + std::to_string(d.location.line) + " " + d.message + "\n";
  }
  return out;
}

inline SystemModel BuildFixture(const std::filesystem::path& root) {
  BuildOptions options;
  options.root = root;
  options.display_root = root.filename().string();
  auto model = BuildSystemModel(options);
  EXPECT_TRUE(model.ok()) << model.status().message();
  if (!model.ok()) return {};
  if (const char* dump = std::getenv("BULWARK_DUMP_MODEL"); dump != nullptr && *dump == '1') {
    std::cout << Dump(*model);
  }
  return std::move(model).value();
}

inline std::filesystem::path SystemFixture(const std::string& name) {
  return bulwark::testing::SourceDir() / "tests/model/fixtures/systems" / name;
}

inline bool HasTag(const Element& e, const std::string& tag) {
  return std::find(e.tags.begin(), e.tags.end(), tag) != e.tags.end();
}

inline bool HasEvidence(const std::vector<Evidence>& list, const std::string& path, int line) {
  return std::any_of(list.begin(), list.end(), [&](const Evidence& e) { return e.path == path && e.line == line; });
}

inline const CredentialRef* FindCredential(const Element& e, const std::string& name) {
  for (const CredentialRef& c : e.credentials) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace bulwark::model::testing
