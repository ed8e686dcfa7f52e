#include "runtime/output/dispatcher.hpp"

#include <exception>

namespace bulwark::runtime::output {

Dispatcher::Dispatcher(AlertMetrics& metrics, std::optional<RateLimitOptions> rate_limit,
                       const Clock& clock)
    : metrics_(metrics) {
  if (rate_limit) limiter_.emplace(std::move(*rate_limit), clock);
}

void Dispatcher::AddSink(std::unique_ptr<AlertSink> sink) {
  if (sink != nullptr) sinks_.push_back(std::move(sink));
}

void Dispatcher::Report(const AlertSink& sink, const core::Status& status) {
  metrics_.CountSinkError(sink.Name());
  if (on_error_) on_error_(sink, status);
}

void Dispatcher::Deliver(const Alert& alert) {
  for (const auto& sink : sinks_) {
    core::Status status;
    // A sink's failure, thrown or returned, must not reach the others.
    try {
      status = sink->Write(alert);
    } catch (const std::exception& e) {
      status = core::Error(core::ErrorCode::kInternal, sink->Name() + ": " + e.what());
    } catch (...) {
      status = core::Error(core::ErrorCode::kInternal, sink->Name() + ": unknown exception");
    }
    if (!status.ok()) {
      Report(*sink, status);
    } else if (!sink->CountsOwnDelivery()) {
      metrics_.CountDelivered(sink->Name());
    }
  }
}

void Dispatcher::Dispatch(const Alert& alert) {
  if (closed_) return;
  metrics_.CountAlert(alert);
  if (limiter_ && !limiter_->Admit(alert)) {
    metrics_.CountSuppressed(alert.rule);
    return;
  }
  Deliver(alert);
}

void Dispatcher::Tick() {
  if (closed_ || !limiter_) return;
  for (const Alert& summary : limiter_->TakeSummaries()) {
    metrics_.CountSummary();
    Deliver(summary);
  }
}

core::Status Dispatcher::Close() {
  if (closed_) return core::Status::Ok();
  if (limiter_) {
    for (const Alert& summary : limiter_->FlushSummaries()) {
      metrics_.CountSummary();
      Deliver(summary);
    }
  }
  closed_ = true;
  core::Status first = core::Status::Ok();
  for (const auto& sink : sinks_) {
    core::Status status;
    try {
      status = sink->Close();
    } catch (...) {
      status = core::Error(core::ErrorCode::kInternal, sink->Name() + ": exception on close");
    }
    if (!status.ok()) {
      Report(*sink, status);
      if (first.ok()) first = status;
    }
  }
  return first;
}

}  // namespace bulwark::runtime::output
