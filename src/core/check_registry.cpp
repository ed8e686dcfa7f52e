#include "core/check_registry.hpp"

namespace bulwark::core {

Status CheckRegistry::Add(CheckInfo info) {
  if (info.id.empty()) return Error(ErrorCode::kInvalidArgument, "check with an empty ID");
  if (info.title.empty()) return Error(ErrorCode::kInvalidArgument, "check " + info.id + " has no title");
  std::string id = info.id;
  auto [it, inserted] = checks_.emplace(id, std::move(info));
  if (!inserted) return Error(ErrorCode::kInvalidArgument, "duplicate check ID " + id);
  return Status::Ok();
}

const CheckInfo* CheckRegistry::Find(std::string_view id) const {
  auto it = checks_.find(id);
  return it == checks_.end() ? nullptr : &it->second;
}

std::vector<const CheckInfo*> CheckRegistry::All() const {
  std::vector<const CheckInfo*> out;
  out.reserve(checks_.size());
  for (const auto& [id, info] : checks_) out.push_back(&info);
  return out;
}

}  // namespace bulwark::core
