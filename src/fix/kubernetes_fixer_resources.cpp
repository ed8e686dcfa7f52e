// Resources (CPU and memory requests and limits) and the image pull policy.
// Values already written are kept; what is added never contradicts them: a
// missing request takes its limit (what Kubernetes would default it to), a
// missing limit is the default or the request when that is larger.
#include <charconv>
#include <cmath>

#include "fix/kubernetes_fixer_internal.hpp"

namespace bulwark::fix::k8s_fix {
namespace {

struct Suffix {
  std::string_view text;
  double factor;
};

// Kubernetes quantity suffixes (binary, decimal, milli).
constexpr Suffix kSuffixes[] = {{"Ki", 1024.0},
                                {"Mi", 1048576.0},
                                {"Gi", 1073741824.0},
                                {"Ti", 1099511627776.0},
                                {"Pi", 1125899906842624.0},
                                {"Ei", 1152921504606846976.0},
                                {"n", 1e-9},
                                {"u", 1e-6},
                                {"m", 1e-3},
                                {"k", 1e3},
                                {"M", 1e6},
                                {"G", 1e9},
                                {"T", 1e12},
                                {"P", 1e15},
                                {"E", 1e18}};

struct Resource {
  const parse::k8s::StringField& request;
  const parse::k8s::StringField& limit;
  std::string_view request_id;
  std::string_view limit_id;
  std::string_view default_request;
  std::string_view default_limit;
  const char* name;  // "cpu", "memory"
};

// (check ID, "requests.cpu 100m") of what was added.
using Added = std::vector<std::pair<std::string_view, std::string>>;

void FixResource(ContainerFix& fix, const Resource& r, Added& added) {
  if (!r.request.value && fix.Wants(r.request_id)) {
    const std::string request = r.limit.value ? *r.limit.value : std::string(r.default_request);
    if (fix.Set({"resources", "requests", r.name}, YamlValue::String(request), r.request_id)) {
      added.emplace_back(r.request_id, std::string("requests.") + r.name + " " + request);
    }
  }
  if (!r.limit.value && fix.Wants(r.limit_id)) {
    std::string limit(r.default_limit);
    if (r.request.value) {
      auto request = ParseQuantity(*r.request.value);
      auto fallback = ParseQuantity(r.default_limit);
      if (!request || !fallback || *request > *fallback) limit = *r.request.value;
    }
    if (fix.Set({"resources", "limits", r.name}, YamlValue::String(limit), r.limit_id)) {
      added.emplace_back(r.limit_id, std::string("limits.") + r.name + " " + limit);
    }
  }
}

}  // namespace

std::optional<double> ParseQuantity(std::string_view text) {
  double factor = 1.0;
  for (const Suffix& suffix : kSuffixes) {
    if (text.size() > suffix.text.size() && text.ends_with(suffix.text)) {
      factor = suffix.factor;
      text.remove_suffix(suffix.text.size());
      break;
    }
  }
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value) || value < 0) {
    return std::nullopt;
  }
  return value * factor;
}

void FixResources(ContainerFix& fix) {
  const parse::k8s::Resources& r = fix.model().resources;
  Added added;
  FixResource(fix,
              {r.cpu_request, r.cpu_limit, kCpuRequest, kCpuLimit, kDefaultCpuRequest,
               kDefaultCpuLimit, "cpu"},
              added);
  FixResource(fix,
              {r.memory_request, r.memory_limit, kMemoryRequest, kMemoryLimit,
               kDefaultMemoryRequest, kDefaultMemoryLimit, "memory"},
              added);
  if (added.empty()) return;
  std::string list;
  for (const auto& [id, text] : added) list += (list.empty() ? "" : ", ") + text;
  fix.Explain(added.front().first,
              "resources set to " + list + "; tune them to what it really uses");
}

void FixImagePullPolicy(ContainerFix& fix) {
  const auto& policy = fix.model().image_pull_policy;
  if (!fix.Wants(kImagePullPolicy)) return;
  if (policy.present() && !fix.WantsAt(kImagePullPolicy, policy.key)) return;
  fix.Set({"imagePullPolicy"}, YamlValue::String("Always"), kImagePullPolicy);
}

}  // namespace bulwark::fix::k8s_fix
