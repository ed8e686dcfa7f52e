// Sends each alert to an HTTP receiver, falcosidekick-compatible: one POST
// per alert, the body being the alert's JSON line (alert_format.hpp) with
// Content-Type: application/json, plus optional custom headers.
//
// The watch loop never waits for the network: Write formats the alert and
// queues it; delivery (order, retries with backoff, permanent 4xx
// rejections, the on-disk spool, draining at Close) is DeliveryQueue's
// (delivery_queue.hpp), one alert per body. Alerts queued in memory, not yet
// spooled, are lost if the process dies without Close (a kill -9); spooled
// ones are not.
//
// Thread-safety: Write and Close from one thread (the watch loop); Stats and
// WaitIdle are thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "runtime/output/delivery_queue.hpp"
#include "runtime/output/http_poster.hpp"
#include "runtime/output/metrics.hpp"
#include "runtime/output/sink.hpp"
#include "runtime/output/spool.hpp"

namespace bulwark::runtime::output {

struct WebhookOptions {
  std::string name = "webhook";  // the sink's name in metrics
  HttpPosterOptions http;
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30000};
  double jitter = 0.2;          // each retry wait is shortened by up to this fraction
  size_t memory_queue = 1024;   // alerts held in memory before spilling or dropping
  std::optional<SpoolOptions> spool;
  std::chrono::milliseconds drain_timeout{3000};
};

using WebhookStats = DeliveryStats;

class WebhookSink final : public AlertSink {
 public:
  // `poster` replaces the libcurl poster (tests); `metrics` may be null and
  // must outlive the sink.
  static core::Result<std::unique_ptr<WebhookSink>> Create(
      WebhookOptions options, AlertMetrics* metrics,
      std::unique_ptr<HttpPoster> poster = nullptr);
  ~WebhookSink() override;

  const std::string& Name() const override { return name_; }
  core::Status Write(const Alert& alert) override;
  // Queues an already formatted JSON body (no trailing newline).
  core::Status WriteBody(std::string body);
  core::Status Close() override;
  bool CountsOwnDelivery() const override { return true; }

  WebhookStats Stats() const { return queue_->Stats(); }
  // Waits until nothing is queued or spooled; false on timeout. For tests
  // and for a graceful stop.
  bool WaitIdle(std::chrono::milliseconds timeout) const { return queue_->WaitIdle(timeout); }

 private:
  WebhookSink(std::string name, std::unique_ptr<DeliveryQueue> queue)
      : name_(std::move(name)), queue_(std::move(queue)) {}

  const std::string name_;
  const std::unique_ptr<DeliveryQueue> queue_;
};

}  // namespace bulwark::runtime::output
