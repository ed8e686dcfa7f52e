// GET /api/stream: Server-Sent Events, one "alert" event per alert
// ({"id", "alert"} as /api/alerts/ID), starting after ?since=ID or the
// Last-Event-ID header (a reconnecting browser resumes), else after the
// latest alert. The handler reads from the store's ring at its own pace: a
// client that falls too far behind gets a "lagged" event and is dropped,
// and Add never waits for anyone.
#include <charconv>
#include <memory>

#include "web/alert_api.hpp"
#include "web/server_impl.hpp"

namespace bulwark::web {
namespace {

constexpr size_t kBatch = 200;

struct StreamState {
  uint64_t last = 0;
  std::chrono::steady_clock::time_point last_write = std::chrono::steady_clock::now();
};

uint64_t StartId(const Server::Impl& impl, const httplib::Request& req) {
  std::string text = req.get_param_value("since");
  if (text.empty()) text = req.get_header_value("Last-Event-ID");
  uint64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return impl.alerts.LatestId();
  }
  return id;
}

bool Write(httplib::DataSink& sink, const std::string& text) {
  return sink.write(text.data(), text.size());
}

// One call of the content provider: waits up to stream_poll for alerts and
// writes what there is. Returns false to end the connection.
bool Pump(Server::Impl& impl, StreamState& state, httplib::DataSink& sink) {
  const ServerOptions& o = impl.options;
  impl.alerts.WaitForNewer(state.last, o.stream_poll);
  if (impl.stopping.load()) {
    sink.done();
    return true;
  }
  const uint64_t latest = impl.alerts.LatestId();
  const bool lost = state.last + 1 < impl.alerts.OldestId();
  if (latest > state.last && (lost || latest - state.last > o.stream_backlog)) {
    Write(sink, "event: lagged\ndata: {\"latest_id\":" + std::to_string(latest) + "}\n\n");
    sink.done();
    return true;
  }
  std::string out;
  for (const StoredAlertPtr& stored : impl.alerts.Since(state.last, kBatch)) {
    out += "id: " + std::to_string(stored->id) + "\nevent: alert\ndata: ";
    out += RenderOneAlert(*stored);
    out += "\n\n";
    state.last = stored->id;
  }
  const auto now = std::chrono::steady_clock::now();
  if (out.empty() && now - state.last_write >= o.stream_heartbeat) out = ": ping\n\n";
  if (out.empty()) return sink.is_writable();
  state.last_write = now;
  return Write(sink, out);
}

}  // namespace

void InstallEventStream(Server::Impl& impl) {
  Server::Impl* p = &impl;
  impl.http.Get("/api/stream", [p](const httplib::Request& req, httplib::Response& res) {
    if (p->stream_clients.fetch_add(1) >= p->options.max_stream_clients) {
      p->stream_clients.fetch_sub(1);
      return SendError(res, 503, "too many live streams; reload later");
    }
    auto state = std::make_shared<StreamState>();
    state->last = StartId(*p, req);
    res.set_chunked_content_provider(
        "text/event-stream",
        [p, state](size_t, httplib::DataSink& sink) { return Pump(*p, *state, sink); },
        [p](bool) { p->stream_clients.fetch_sub(1); });
  });
}

}  // namespace bulwark::web
