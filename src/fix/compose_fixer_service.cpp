// ServiceFix: the queue of one service's edits and the helpers the jobs
// share (keys written in the service or merged into it, list attributes in
// any of their shapes).
#include <algorithm>

#include "fix/compose_fixer_internal.hpp"

namespace bulwark::fix::compose_fix {
namespace {

// The order new keys are written in, whatever job asked for them.
int KeyRank(std::string_view key) {
  static constexpr std::string_view kOrder[] = {
      "user",      "read_only", "tmpfs",      "cap_drop", "cap_add",     "security_opt",
      "mem_limit", "cpus",      "pids_limit", "restart",  "healthcheck", "env_file"};
  const auto* found = std::find(std::begin(kOrder), std::end(kOrder), key);
  return static_cast<int>(found - std::begin(kOrder));
}

std::string ItemText(const parse::YamlNode& item) {
  if (item.IsMap()) {
    const parse::YamlNode* path = item.Find("path");
    return path != nullptr ? path->text() : "";
  }
  return item.text();
}

YamlValue Strings(const std::vector<std::string>& items) {
  std::vector<YamlValue> values;
  for (const std::string& item : items) values.push_back(YamlValue::String(item));
  return YamlValue::Sequence(std::move(values));
}

}  // namespace

void ListChange::Append(std::string item, std::string_view id) {
  for (const auto& [existing, existing_id] : append) {
    if (existing == item) return;
  }
  append.emplace_back(std::move(item), std::string(id));
}

ServiceFix::ServiceFix(PlanContext& context, const parse::ComposeFile& file,
                       const parse::ComposeService& service, WantedFindings wanted)
    : context_(context),
      file_(file),
      service_(service),
      wanted_(std::move(wanted)),
      profile_(ProfileFor(service, context.dir, *context.options)) {}

const std::vector<parse::YamlMark>& ServiceFix::Marks(std::string_view id) const {
  static const std::vector<parse::YamlMark> kNone;
  auto found = wanted_.find(id);
  return found == wanted_.end() ? kNone : found->second;
}

bool ServiceFix::WantsAt(std::string_view id, parse::YamlMark mark) const {
  const auto& marks = Marks(id);
  return std::find(marks.begin(), marks.end(), mark) != marks.end();
}

void ServiceFix::Note(std::string_view id, std::string message) {
  context_.plan->notes.push_back(
      {std::string(id), service_.mark.line,
       "service '" + parse::Printable(service_.name, 60) + "': " + std::move(message)});
}

bool ServiceFix::Check(const core::Status& status, std::string_view id, std::string_view what) {
  if (status.ok()) return true;
  Note(id, "not fixed: cannot edit " + std::string(what) + " (" + status.message() + ")");
  return false;
}

void ServiceFix::AddKey(std::string key, YamlValue value, std::string_view id) {
  for (auto& pending : new_keys_) {
    if (pending.key != key) continue;
    if (pending.value.kind() == YamlValue::Kind::kMap) pending.value.Merge(value);
    return;
  }
  new_keys_.push_back({std::move(key), std::move(value), std::string(id)});
}

bool ServiceFix::SetKey(std::string_view key, YamlValue value, std::string_view id) {
  const parse::YamlEntry* entry = node().FindEntry(key);
  if (entry == nullptr || entry->merged) {
    AddKey(std::string(key), std::move(value), id);
    return true;
  }
  return Check(editor().SetEntryValue(node(), *entry, value, id), id, key);
}

bool ServiceFix::RemoveKey(std::string_view key, std::string_view id,
                           std::optional<YamlValue> override_value) {
  const parse::YamlEntry* entry = node().FindEntry(key);
  if (entry == nullptr) return true;
  if (entry->merged) {
    if (override_value) {
      AddKey(std::string(key), std::move(*override_value), id);
      return true;
    }
    Note(id, "not fixed: `" + std::string(key) +
                 "` comes from a YAML merge (<<); remove it where the anchor defines it");
    return false;
  }
  return Check(editor().RemoveEntry(node(), *entry, id), id, key);
}

std::vector<std::string> ServiceFix::ListItems(std::string_view key) const {
  std::vector<std::string> out;
  const parse::YamlNode* value = node().Find(key);
  if (value == nullptr) return out;
  if (value->IsScalar()) out.push_back(value->text());
  for (const auto& item : value->items()) out.push_back(ItemText(*item));
  return out;
}

std::optional<size_t> ServiceFix::ItemIndex(std::string_view key, parse::YamlMark mark) const {
  const parse::YamlNode* value = node().Find(key);
  if (value == nullptr) return std::nullopt;
  if (value->IsScalar() && value->mark() == mark) return 0;
  for (size_t i = 0; i < value->items().size(); ++i) {
    if (value->items()[i]->mark() == mark) return i;
  }
  return std::nullopt;
}

void ServiceFix::FlushList(const std::string& key, const ListChange& change) {
  if (change.remove.empty() && change.append.empty()) return;
  const std::string& id =
      change.append.empty() ? change.remove.begin()->second : change.append.front().second;
  // What the list becomes, for the cases where it is written anew.
  std::vector<std::string> items;
  const std::vector<std::string> current = ListItems(key);
  for (size_t i = 0; i < current.size(); ++i) {
    if (change.remove.count(i) == 0) items.push_back(current[i]);
  }
  for (const auto& [item, item_id] : change.append) items.push_back(item);

  const parse::YamlEntry* entry = node().FindEntry(key);
  if (entry == nullptr || entry->merged || !editor().IsWrittenAt(node(), *entry)) {
    // Missing, or merged from an anchor: an explicit list in the service
    // (which overrides the merged one) keeps the other services as they are.
    if (entry != nullptr || !items.empty()) AddKey(key, Strings(items), id);
    return;
  }
  const parse::YamlNode& value = *entry->value;
  if (items.empty()) {
    Check(editor().RemoveEntry(node(), *entry, id), id, key);
  } else if (value.IsSequence()) {
    for (const auto& [index, remove_id] : change.remove) {
      Check(editor().RemoveItem(value, index, remove_id), remove_id, key);
    }
    for (const auto& [item, item_id] : change.append) {
      Check(editor().AppendItem(value, YamlValue::String(item), item_id), item_id, key);
    }
  } else if (value.IsScalar() || value.IsNull()) {
    Check(editor().SetEntryValue(node(), *entry, Strings(items), id), id, key);
  } else {
    Note(id, "not fixed: `" + key + "` is not a list");
  }
}

void ServiceFix::Flush() {
  for (const auto& [key, change] : lists_) FlushList(key, change);
  lists_.clear();
  std::stable_sort(new_keys_.begin(), new_keys_.end(), [](const NewKey& a, const NewKey& b) {
    return KeyRank(a.key) < KeyRank(b.key);
  });
  for (const NewKey& key : new_keys_) {
    Check(editor().InsertEntry(node(), key.key, key.value, key.check_id), key.check_id, key.key);
  }
  new_keys_.clear();
}

}  // namespace bulwark::fix::compose_fix
