// Which elements of a system model each audit or scan finding is about, so a
// finding can confirm the threats on those elements:
//  - a Dockerfile finding belongs to the services built from that Dockerfile;
//  - a compose or Kubernetes finding to the service or data store whose
//    definition holds its line (an exact evidence line first, then the block
//    the line falls in; a line on a network's definition to the elements on
//    that network; line 0 to every element defined in the file);
//  - code and secret findings (and any other file) to the services whose
//    build context (the Dockerfile's directory) holds the file, the deepest
//    context winning;
//  - vulnerability findings to the elements whose image was scanned, or,
//    when the report does not say which image, to every service built from
//    source;
//  - host findings about a container or an image to that element, the rest
//    of the host and daemon findings to the platform elements.
// Paths are compared relative to the model's root ("./" and a leading root
// are removed). Built once per model; immutable; thread-compatible.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/finding.hpp"
#include "model/system_model.hpp"

namespace bulwark::model {

class FindingOwners {
 public:
  FindingOwners(const SystemModel& model, const std::vector<core::Finding>& findings);

  // Indexes (into the findings given) of the findings about the element.
  const std::vector<size_t>& Of(std::string_view element_id) const;
  // Indexes of the findings located exactly at one of the evidence lines.
  std::vector<size_t> At(const std::vector<Evidence>& evidence) const;
  // Element ids the finding at `index` belongs to.
  const std::vector<std::string>& OwnersOf(size_t index) const { return owners_[index]; }

 private:
  std::vector<std::vector<std::string>> owners_;  // per finding
  std::map<std::string, std::vector<size_t>, std::less<>> by_element_;
  std::map<std::pair<std::string, int>, std::vector<size_t>> by_line_;  // (path, line > 0)
};

// "web" matches the container names "web", "/web", "lab-web-1" and "lab_web_1".
bool ContainerNameMatches(std::string_view container, std::string_view service);

}  // namespace bulwark::model
