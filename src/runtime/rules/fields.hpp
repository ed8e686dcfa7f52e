// Fields the rule engine can read, through an explicit list of providers
// (STYLE.md "Rules engine"): evt.*, proc.* and thread.*, user.* and group.*,
// fd.*, container.* and k8s.*. Each provider declares its fields (name,
// type, argument form, description) and extracts them from an
// EventContext. DefaultFieldRegistry() registers them, in that order, and
// refuses duplicate names.
//
// Semantics copied from Falco (notes section 1.6): a field that cannot be
// read is absent (every comparison false, `<NA>` in output); bare ancestor
// fields (proc.aname, proc.apid, ...) match when any ancestor matches;
// fd.ip / fd.port / fd.net match either end of a socket (`!=`: neither).
//
// Registries are immutable after construction and safe to share between
// threads; providers are stateless. The fd.*.name fields extract an address;
// the engine compares and renders it through its DnsCache.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.hpp"
#include "runtime/event/state.hpp"
#include "runtime/rules/field_value.hpp"

namespace bulwark::runtime::rules {

enum class FieldType : uint8_t {
  kString,
  kInt,       // signed 64-bit numbers, also ports, times, ids
  kBool,
  kIp,        // an address compared with addresses
  kNet,       // an address compared with CIDR networks
  kDnsName,   // an address compared with names through the DNS cache
  kDynamic,   // evt.rawarg.*: number or text depending on the argument
  kBytes,     // evt.buffer: raw bytes (bcontains/bstartswith)
};

std::string_view FieldTypeName(FieldType type);

// How several values of one field combine in a comparison.
enum class Multiplicity : uint8_t {
  kSingle,
  kAnyOf,      // ancestors: true when any value matches, for every operator
  kEitherEnd,  // the two ends of a socket: any matches; `!=` needs both to differ
  kList,       // a list field: `in` = all contained, `intersects` = any in common
};

enum class ArgMode : uint8_t {
  kNone,
  kOptionalIndex,  // proc.aname[2]; without it: every ancestor
  kOptionalKey,    // proc.env[HOME]; without it: the whole value
  kRequiredKey,    // container.label[app]
  kIndexOrKey,     // container.mount[0] or container.mount[/src/path*]
  kArgName,        // evt.arg.flags, evt.arg[0], evt.arg[flags]
};

enum class RenderStyle : uint8_t { kPlain, kTime, kTimeSeconds, kIso8601, kDatetime };

struct FieldDesc {
  std::string_view name;
  FieldType type = FieldType::kString;
  ArgMode arg = ArgMode::kNone;
  uint16_t id = 0;  // provider-local
  Multiplicity bare = Multiplicity::kSingle;  // multiplicity without an argument
  RenderStyle render = RenderStyle::kPlain;
  std::string_view description;
};

struct FieldArg {
  bool present = false;
  std::string text;   // as written
  bool is_index = false;
  int64_t index = 0;  // when is_index
};

class FieldProvider {
 public:
  virtual ~FieldProvider() = default;
  virtual std::string_view Name() const = 0;
  virtual const std::vector<FieldDesc>& Fields() const = 0;
  // Fills `out` (already Reset) for this event; leaves it absent when the
  // field cannot be read.
  virtual void Extract(const FieldDesc& field, const FieldArg& arg, const EventContext& ctx,
                       Extraction& out) const = 0;
};

struct ResolvedField {
  const FieldProvider* provider = nullptr;
  const FieldDesc* desc = nullptr;
  FieldArg arg;
  Multiplicity mult = Multiplicity::kSingle;
  std::string display;  // "proc.aname[2]", "evt.arg.flags": the name as written
};

class FieldRegistry {
 public:
  core::Status Add(std::unique_ptr<FieldProvider> provider);

  // `name` as the condition lexer reads it ("evt.arg.flags" included);
  // `arg` the bracket argument if any. Errors name the field.
  core::Result<ResolvedField> Resolve(std::string_view name, const std::string* arg) const;
  bool IsDefined(std::string_view name) const;
  // For output formats: the longest field at the start of `text` (after the
  // '%'), with its optional [arg]. Returns the bytes consumed, 0 when no
  // field starts there (`error` says why when one did but was malformed).
  size_t MatchPrefix(std::string_view text, ResolvedField& out, std::string& error) const;

  std::vector<const FieldDesc*> AllFields() const;

 private:
  const FieldDesc* FindDesc(std::string_view name, const FieldProvider** provider) const;
  core::Status BindArg(ResolvedField& r, const std::string* arg, std::string_view suffix) const;

  std::vector<std::unique_ptr<FieldProvider>> providers_;
  std::unordered_map<std::string_view, std::pair<const FieldProvider*, const FieldDesc*>> by_name_;
};

// The field reference table of docs/rules.md (Markdown rows, one per field).
std::string FieldsMarkdown(const FieldRegistry& registry);

// The providers, in registration order.
std::vector<std::unique_ptr<FieldProvider>> DefaultFieldProviders();
// Null only if two providers declare the same field (a programming error).
std::unique_ptr<FieldRegistry> DefaultFieldRegistry();

// Providers (fields_*.cpp).
std::unique_ptr<FieldProvider> MakeEventFields();
std::unique_ptr<FieldProvider> MakeProcessFields();
std::unique_ptr<FieldProvider> MakeUserFields();
std::unique_ptr<FieldProvider> MakeFdFields();
std::unique_ptr<FieldProvider> MakeContainerFields();

}  // namespace bulwark::runtime::rules
