// user.* and group.* fields: the process's effective user and group (as
// Falco reads them from the exec/clone events), the audit login user.
#include "runtime/rules/fields_internal.hpp"

namespace bulwark::runtime::rules {
namespace {

enum Id : uint16_t { kUid, kName, kLoginUid, kLoginName, kGid, kGroupName };

std::vector<FieldDesc> Table() {
  using T = FieldType;
  using A = ArgMode;
  const auto S = Multiplicity::kSingle;
  const auto P = RenderStyle::kPlain;
  return {
      {"user.uid", T::kInt, A::kNone, kUid, S, P, "user ID (effective)."},
      {"user.name", T::kString, A::kNone, kName, S, P, "user name."},
      {"user.loginuid", T::kInt, A::kNone, kLoginUid, S, P, "audit user id (auid); -1 when unset."},
      {"user.loginname", T::kString, A::kNone, kLoginName, S, P, "audit user name (auid)."},
      {"group.gid", T::kInt, A::kNone, kGid, S, P, "group ID (effective)."},
      {"group.name", T::kString, A::kNone, kGroupName, S, P, "group name."},
  };
}

class UserFields : public internal::TableProvider {
 public:
  UserFields() : TableProvider("user", Table()) {}

  void Extract(const FieldDesc& f, const FieldArg&, const EventContext& ctx, Extraction& out) const override {
    if (ctx.proc == nullptr) return;
    const Process& p = *ctx.proc;
    auto set_str = [&out](const std::string& s) {
      if (!s.empty()) out.Set(Value::Str(s));
    };
    switch (f.id) {
      case kUid: out.Set(Value::Int(p.euid)); break;
      case kName: set_str(p.user_name); break;
      // Falco prints the unset audit uid (4294967295) as -1.
      case kLoginUid: out.Set(Value::Int(p.loginuid ? static_cast<int64_t>(*p.loginuid) : -1)); break;
      case kLoginName: set_str(p.login_name); break;
      case kGid: out.Set(Value::Int(p.egid)); break;
      case kGroupName: set_str(p.group_name); break;
      default: break;
    }
  }
};

}  // namespace

std::unique_ptr<FieldProvider> MakeUserFields() { return std::make_unique<UserFields>(); }

}  // namespace bulwark::runtime::rules
