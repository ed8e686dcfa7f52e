// libFuzzer target: bulwark-model.yaml on arbitrary bytes, read and applied
// to a small model (elements, a flow, nested boundaries), then ordered and
// crossed as BuildSystemModel does.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/model_overrides.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace model = bulwark::model;
  model::SystemModel m;
  model::TrustBoundary host;
  host.id = "boundary:host";
  host.kind = model::BoundaryKind::kHost;
  model::TrustBoundary backend;
  backend.id = "boundary:network:backend";
  backend.parent = host.id;
  m.boundaries = {host, backend};
  model::Element web;
  web.id = "service:web";
  web.boundary = "boundary:network:backend";
  model::Element db;
  db.id = "datastore:db";
  db.kind = model::ElementKind::kDataStore;
  m.elements = {web, db};
  model::Flow flow;
  flow.id = "flow:service:web->datastore:db:5432";
  flow.from = web.id;
  flow.to = db.id;
  m.flows = {flow};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  model::ModelOverrides overrides = model::ParseModelOverrides(text, "bulwark-model.yaml", m.diagnostics);
  model::ApplyModelOverrides(overrides, m);
  model::SortModel(m);
  model::ComputeCrossings(m);
  return 0;
}
