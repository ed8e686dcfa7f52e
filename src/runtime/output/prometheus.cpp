#include "runtime/output/prometheus.hpp"

#include <cstdio>
#include <vector>

#include "core/escape.hpp"

namespace bulwark::runtime::output {
namespace {

struct Sample {
  std::string labels;  // "" or {name="value",...}
  uint64_t value = 0;
};

class Writer {
 public:
  void Family(std::string_view name, std::string_view type, std::string_view help,
              const std::vector<Sample>& samples) {
    if (samples.empty()) return;
    AppendPrometheusHeader(out_, name, type, help);
    for (const Sample& s : samples) AppendPrometheusSample(out_, name, s.labels, s.value);
  }
  // A histogram family: cumulative buckets by `le`, then _sum and _count.
  void Histogram(std::string_view name, std::string_view help, const LatencyHistogram& h) {
    if (h.count == 0) return;
    AppendPrometheusHeader(out_, name, "histogram", help);
    uint64_t cumulative = 0;
    for (size_t i = 0; i < h.buckets.size(); ++i) {
      cumulative += h.buckets[i];
      char le[32];
      if (i < kEvalLatencyBounds.size()) {
        std::snprintf(le, sizeof le, "%g", kEvalLatencyBounds[i]);
      } else {
        std::snprintf(le, sizeof le, "+Inf");
      }
      out_ += "bulwark_" + std::string(name) + "_bucket{le=\"" + le + "\"} " +
              std::to_string(cumulative) + "\n";
    }
    char sum[64];
    std::snprintf(sum, sizeof sum, "%.9g", h.sum_seconds);
    out_ += "bulwark_" + std::string(name) + "_sum " + sum + "\n";
    out_ += "bulwark_" + std::string(name) + "_count " + std::to_string(h.count) + "\n";
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

template <typename Get>
std::vector<Sample> PerSink(const MetricsSnapshot& m, bool spool_only, Get get) {
  std::vector<Sample> samples;
  for (const auto& [name, sink] : m.sinks) {
    if (spool_only && !sink.has_spool) continue;
    samples.push_back({"{" + PrometheusLabel("sink", name) + "}", get(sink)});
  }
  return samples;
}

void RenderAlerts(const MetricsSnapshot& m, Writer& w) {
  std::vector<Sample> by_rule;
  for (const auto& [key, n] : m.alerts) {
    by_rule.push_back({"{" + PrometheusLabel("rule", key.rule) + "," +
                           PrometheusLabel("priority", PriorityName(key.priority)) + "}",
                       n});
  }
  w.Family("alerts_total", "counter",
           "Alerts the rules produced (including those the rate limit suppressed).", by_rule);
  std::vector<Sample> by_priority;
  for (size_t p = 0; p < kPriorityCount; ++p) {
    by_priority.push_back(
        {"{" + PrometheusLabel("priority", PriorityName(static_cast<Priority>(p))) + "}",
         m.alerts_by_priority[p]});
  }
  w.Family("alerts_by_priority_total", "counter", "Alerts the rules produced, by priority.",
           by_priority);
  w.Family("alerts_suppressed_total", "counter", "Alerts the per-rule rate limit suppressed.",
           {{"", m.suppressed_total}});
  std::vector<Sample> suppressed;
  for (const auto& [rule, n] : m.suppressed) {
    suppressed.push_back({"{" + PrometheusLabel("rule", rule) + "}", n});
  }
  w.Family("alerts_suppressed_by_rule_total", "counter",
           "Alerts the per-rule rate limit suppressed, by rule.", suppressed);
  w.Family("alert_summaries_total", "counter", "Storm summary alerts emitted.",
           {{"", m.summaries}});
}

void RenderSinks(const MetricsSnapshot& m, Writer& w) {
  w.Family("sink_delivered_total", "counter", "Alerts a sink wrote or its receiver accepted.",
           PerSink(m, false, [](const SinkMetrics& s) { return s.delivered; }));
  w.Family("sink_errors_total", "counter", "Failed writes or delivery attempts of a sink.",
           PerSink(m, false, [](const SinkMetrics& s) { return s.errors; }));
  w.Family("sink_rejected_total", "counter", "Alerts a receiver refused for good (HTTP 4xx).",
           PerSink(m, false, [](const SinkMetrics& s) { return s.rejected; }));
  w.Family("sink_dropped_total", "counter", "Alerts a sink lost (queue full without a spool).",
           PerSink(m, false, [](const SinkMetrics& s) { return s.dropped; }));
  w.Family("spool_records", "gauge", "Alerts waiting in a sink's spool.",
           PerSink(m, true, [](const SinkMetrics& s) { return s.spool.records; }));
  w.Family("spool_bytes", "gauge", "Size of a sink's spool on disk.",
           PerSink(m, true, [](const SinkMetrics& s) { return s.spool.bytes; }));
  w.Family("spool_dropped_total", "counter",
           "Spooled alerts deleted unsent to keep the spool within its size bound.",
           PerSink(m, true, [](const SinkMetrics& s) { return s.spool.dropped; }));
  w.Family("spool_corrupt_total", "counter", "Torn or damaged spool lines skipped.",
           PerSink(m, true, [](const SinkMetrics& s) { return s.spool.corrupt; }));
}

}  // namespace

std::string EscapePrometheusLabel(std::string_view value) {
  std::string clean = core::SanitizeUtf8(value);
  std::string out;
  out.reserve(clean.size());
  for (char c : clean) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string RenderPrometheus(const MetricsSnapshot& m) {
  Writer w;
  w.Family("events_seen_total", "counter", "Events the sensor read.", {{"", m.events_seen}});
  w.Family("events_dropped_total", "counter", "Events the sensor lost (ring buffer full).",
           {{"", m.events_dropped}});
  RenderAlerts(m, w);
  RenderSinks(m, w);
  w.Histogram("rule_eval_seconds",
              "Time one event takes through the rules (one event in 64 is timed).",
              m.eval_latency);
  return w.Take();
}

std::string PrometheusLabel(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + EscapePrometheusLabel(value) + "\"";
}

void AppendPrometheusHeader(std::string& out, std::string_view name, std::string_view type,
                            std::string_view help) {
  out += "# HELP bulwark_";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE bulwark_";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void AppendPrometheusSample(std::string& out, std::string_view name, std::string_view labels,
                            uint64_t value) {
  out += "bulwark_";
  out += name;
  out += labels;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

}  // namespace bulwark::runtime::output
