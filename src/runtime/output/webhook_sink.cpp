#include "runtime/output/webhook_sink.hpp"

#include "runtime/output/alert_format.hpp"

namespace bulwark::runtime::output {

core::Result<std::unique_ptr<WebhookSink>> WebhookSink::Create(
    WebhookOptions options, AlertMetrics* metrics, std::unique_ptr<HttpPoster> poster) {
  if (poster == nullptr) {
    ASSIGN_OR_RETURN(poster, MakeCurlPoster(options.http));
  }
  DeliveryOptions delivery = DeliveryOptionsOf(options);
  ASSIGN_OR_RETURN(std::unique_ptr<DeliveryQueue> queue,
                   DeliveryQueue::Create(std::move(delivery), metrics, std::move(poster)));
  return std::unique_ptr<WebhookSink>(new WebhookSink(options.name, std::move(queue)));
}

WebhookSink::~WebhookSink() { (void)Close(); }

core::Status WebhookSink::Write(const Alert& alert) { return WriteBody(FormatAlertJson(alert)); }

core::Status WebhookSink::WriteBody(std::string body) { return queue_->Push(std::move(body), 1); }

core::Status WebhookSink::Close() { return queue_->Close(); }

}  // namespace bulwark::runtime::output
