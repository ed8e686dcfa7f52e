#include "runtime/rules/condition_text.hpp"

#include <string_view>

#include "runtime/rules/condition_parser.hpp"

namespace bulwark::runtime::rules {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDelim(char c) { return IsBlank(c) || c == '(' || c == ')' || c == ',' || c == '='; }

// Falco's paren_item for list operators.
std::string ParenItem(const std::string& item) {
  if (!item.empty() && item[0] == '(') return item;
  return "(" + item + ")";
}

// One substitution pass for one list; false if the text would grow too large.
bool SubstituteOne(MappedText& cond, const ExpandedList& list, std::string_view sub, bool& used) {
  const std::string& name = list.name;
  if (name.empty()) return true;
  size_t start = cond.text.find(name);
  while (start != std::string::npos) {
    size_t end = start + name.size();
    const std::string& t = cond.text;
    if ((start == 0 || IsDelim(t[start - 1])) && (end >= t.size() || IsDelim(t[end]))) {
      SrcPos at = cond.At(start);
      while (start > 0 && IsBlank(t[start - 1])) --start;
      while (end < t.size() && IsBlank(t[end])) ++end;
      if (sub.empty()) {
        if (start > 0 && t[start - 1] == ',') {
          --start;
        } else if (end < t.size() && t[end] == ',') {
          ++end;
        }
      }
      if (t.size() - (end - start) + sub.size() + 2 > kMaxConditionBytes) return false;
      MappedText next;
      next.origin = cond.origin;
      next.text.reserve(t.size() + sub.size() + 2);
      next.text.append(t, 0, start);
      next.pos.insert(next.pos.end(), cond.pos.begin(), cond.pos.begin() + static_cast<std::ptrdiff_t>(start));
      if (start > 0) next.Append(" ", at);
      next.Append(sub, at);
      next.Append(" ", at);
      next.text.append(t, end, std::string::npos);
      next.pos.insert(next.pos.end(), cond.pos.begin() + static_cast<std::ptrdiff_t>(end), cond.pos.end());
      // Continue after the inserted items, exactly as Falco does (which,
      // for a name at offset 0, also skips one byte of what follows).
      start += sub.size() + 1;
      cond = std::move(next);
      used = true;
    }
    start = cond.text.find(name, start + 1);
  }
  return true;
}

}  // namespace

std::string QuoteItem(const std::string& item) {
  if (item.find(' ') != std::string::npos && !item.empty() && item[0] != '"' && item[0] != '\'') {
    return "\"" + item + "\"";
  }
  return item;
}

std::vector<ExpandedList> ExpandLists(const std::vector<ListInfo>& lists, const Collector& collector,
                                      size_t max_total_items) {
  std::vector<ExpandedList> out;
  out.reserve(lists.size());
  size_t left = max_total_items;
  for (const auto& list : lists) {
    ExpandedList e;
    e.name = list.name;
    // Count before copying: the product is what must not be built.
    size_t size = 0;
    for (const auto& item : list.items) {
      const ListInfo* ref = collector.FindList(item);
      size += ref != nullptr && ref->index < list.visibility ? ref->items.size() : 1;
      if (size > left) break;
    }
    if (size > left) {
      e.too_large = true;
      out.push_back(std::move(e));
      continue;
    }
    left -= size;
    e.items.reserve(size);
    for (const auto& item : list.items) {
      const ListInfo* ref = collector.FindList(item);
      if (ref != nullptr && ref->index < list.visibility) {
        e.items.insert(e.items.end(), ref->items.begin(), ref->items.end());
      } else {
        e.items.push_back(item);
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

bool SubstituteLists(MappedText& cond, const std::vector<ExpandedList>& lists, std::vector<bool>& used) {
  used.resize(lists.size(), false);
  std::string sub;
  for (size_t i = 0; i < lists.size(); ++i) {
    if (cond.text.find(lists[i].name) == std::string::npos) continue;
    sub.clear();
    for (const auto& item : lists[i].items) {
      if (!sub.empty()) sub += ", ";
      sub += QuoteItem(item);
      if (sub.size() > kMaxConditionBytes) return false;
    }
    bool hit = false;
    if (!SubstituteOne(cond, lists[i], sub, hit)) return false;
    if (hit) used[i] = true;
  }
  return true;
}

bool AppendExceptions(MappedText& cond, const std::vector<ExceptionInfo>& exceptions, std::string& error,
                      SrcPos& error_pos) {
  if (exceptions.empty()) return true;
  MappedText out;
  out.origin = cond.origin;
  out.Append("(", cond.origin);
  out.Append(cond);
  out.Append(")", cond.origin);
  for (const auto& ex : exceptions) {
    std::string icond;
    if (!ex.fields.is_list) {
      for (const auto& val : ex.values) {
        if (val.is_list) {
          error = "Expected values array to contain a list of strings";
          error_pos = ex.pos;
          return false;
        }
        icond += icond.empty() ? "(" + ex.fields.item + " " + ex.comps.item + " (" : ", ";
        icond += QuoteItem(val.item);
      }
      if (!icond.empty()) icond += "))";
    } else {
      icond = "(";
      for (const auto& values : ex.values) {
        if (!values.is_list || values.items.size() != ex.fields.items.size()) {
          error = "Fields and values lists must have equal length";
          error_pos = ex.pos;
          return false;
        }
        icond += icond == "(" ? "" : " or ";
        icond += "(";
        for (size_t k = 0; k < ex.fields.items.size(); ++k) {
          const std::string& comp = ex.comps.items[k].item;
          std::string value;
          if (values.items[k].is_list) {
            value = "(";
            for (const auto& v : values.items[k].items) {
              value += value == "(" ? "" : ", ";
              value += QuoteItem(v.item);
            }
            value += ")";
          } else {
            value = IsListOperator(comp) ? ParenItem(values.items[k].item) : QuoteItem(values.items[k].item);
          }
          icond += k == 0 ? "" : " and ";
          icond += " " + ex.fields.items[k].item + " " + comp + " " + value;
        }
        icond += ")";
      }
      icond += ")";
      if (icond == "()") icond.clear();
    }
    if (!icond.empty()) out.Append(" and not " + icond, ex.pos);
  }
  cond = std::move(out);
  return true;
}

}  // namespace bulwark::runtime::rules
