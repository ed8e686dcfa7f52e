// The sink `bulwark watch --serve` adds to its dispatcher: every alert goes
// into the dashboard's AlertStore. Write only copies into the store's
// bounded ring (no I/O, no waiting for clients). Thread-compatible like
// every sink (the watch loop's thread); the store is thread-safe.
#pragma once

#include <string>

#include "runtime/output/sink.hpp"
#include "web/alert_store.hpp"

namespace bulwark::web {

class StoreSink : public runtime::output::AlertSink {
 public:
  explicit StoreSink(AlertStore& store) : store_(store) {}  // store outlives the sink
  const std::string& Name() const override { return name_; }
  core::Status Write(const runtime::Alert& alert) override {
    store_.Add(alert);
    return core::Status::Ok();
  }
  core::Status Close() override { return core::Status::Ok(); }

 private:
  AlertStore& store_;
  const std::string name_ = "dashboard";
};

}  // namespace bulwark::web
