// libFuzzer target: ReferenceCatalog::FromJson on arbitrary bytes. The input
// is split at its first two NUL bytes into the three files (ATT&CK, NIST
// controls, mapping); a part that is missing is the fixture's shape in
// miniature, so each file's parser is reached with the others valid.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/reference_catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace model = bulwark::model;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view parts[3] = {
      R"({"attack_version": "1", "tactic_order": [{"id": "TA1", "name": "A"}],
          "techniques": [{"id": "T1", "name": "n", "tactics": ["A"]}, {"id": "T1.001"}]})",
      R"({"controls": [{"id": "AC-6", "title": "t", "family": "f"}]})",
      R"({"source": {"mapping_attack_version": "1"},
          "mappings": [{"technique_id": "T1", "controls": [{"id": "AC-6", "name": "n"}]}]})"};
  for (int i = 0; i < 3 && !input.empty(); ++i) {
    size_t nul = input.find('\0');
    parts[i] = input.substr(0, nul);
    input = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
  }
  auto catalog = model::ReferenceCatalog::FromJson(parts[0], parts[1], parts[2]);
  if (catalog.ok()) {
    for (std::string_view id : {"T1", "T1.001", "T1059", "AC-6", "", "."}) {
      (void)catalog->FindTechnique(id);
      (void)catalog->FindControl(id);
      (void)catalog->ControlsFor(id);
    }
  }
  return 0;
}
