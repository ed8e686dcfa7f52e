// libFuzzer target: the Kubernetes manifest parser and the Kubernetes checks
// on whatever it makes of the bytes. Besides crashes and sanitizer reports it
// traps when a finding or diagnostic points outside the input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "audit/kubernetes_checks.hpp"
#include "core/check_registry.hpp"
#include "core/finding_sink.hpp"
#include "core/source_file.hpp"
#include "parse/kubernetes.hpp"

namespace {

const bulwark::core::CheckRegistry& Registry() {
  static const bulwark::core::CheckRegistry* registry = [] {
    auto* r = new bulwark::core::CheckRegistry();
    if (!bulwark::audit::RegisterKubernetesChecks(*r).ok()) __builtin_trap();
    return r;
  }();
  return *registry;
}

void CheckLine(int line, int last_line) {
  if (line < 0 || line > last_line) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark;
  core::SourceFile file{"fuzz.yaml", {}, std::string(reinterpret_cast<const char*>(data), size)};
  const int last_line =
      std::max(1, static_cast<int>(std::count(file.content.begin(), file.content.end(), '\n')) + 1);

  parse::k8s::Manifest manifest = parse::k8s::ParseKubernetes(file);
  for (const parse::k8s::Object& object : manifest.objects) {
    CheckLine(object.kind.key.line, last_line);
    if (!object.pod) continue;
    for (const parse::k8s::Container& c : object.pod->spec.containers) {
      CheckLine(c.name.key.line, last_line);
    }
  }

  core::FindingSink sink(Registry());
  auto analyzer = audit::MakeKubernetesAnalyzer();
  analyzer->Analyze(file, sink);
  analyzer->Finish(sink);
  for (const core::Finding& f : sink.findings()) CheckLine(f.location.line, last_line);
  for (const core::Diagnostic& d : sink.diagnostics()) CheckLine(d.location.line, last_line);
  return 0;
}
