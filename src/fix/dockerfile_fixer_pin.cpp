// BW-DF-006/007/008: pin external images (FROM, COPY --from, RUN --mount
// from=) to the digest the local daemon knows for them, keeping the tag for
// readers: `python:3.12-slim@sha256:...`. Build stages and scratch are never
// pinned; images named through variables are left to the user.
#include <algorithm>

#include "fix/dockerfile_fixer_internal.hpp"

namespace bulwark::fix::dockerfile {
namespace {

constexpr std::string_view kPinIds[] = {"BW-DF-006", "BW-DF-007", "BW-DF-008"};

bool IsDigest(std::string_view digest) {
  if (digest.substr(0, 7) != "sha256:" || digest.size() != 7 + 64) return false;
  return digest.find_first_not_of("0123456789abcdef", 7) == std::string_view::npos;
}

// The pinning finding reported at `offset`, if the request has one.
std::string_view PinFindingAt(const Session& s, size_t offset) {
  for (std::string_view id : kPinIds) {
    if (s.HasAt(id, offset)) return id;
  }
  return "";
}

// Inserts "@digest" at `at` (just after the reference) when the daemon knows
// the image; a note otherwise.
void Pin(Session& s, std::string_view id, const std::string& reference, size_t at, int line) {
  const auto& resolve = s.options().resolve_digest;
  if (!resolve) {
    s.Note(id, line, "not pinned: no Docker daemon to look up the digest of '" + reference + "'");
    return;
  }
  std::optional<std::string> digest = resolve(reference);
  if (!digest || !IsDigest(*digest)) {
    s.Note(id, line,
           "not pinned: '" + reference +
               "' is unknown to the daemon or has no registry digest (pull it, then run fix "
               "again)");
    return;
  }
  Change change;
  change.check_id = std::string(id);
  change.edits.push_back({at, at, "@" + *digest, std::string(id)});
  change.first_line = line;
  change.last_line = line;
  s.Add(std::move(change));
}

void PinFrom(Session& s, const parse::Stage& stage) {
  if (!stage.image || stage.scratch || stage.parent_stage >= 0) return;
  const parse::Instruction& from = s.df().instructions[stage.from_index];
  if (from.args.empty()) return;
  const parse::Word& word = from.args[0];
  std::string_view id = PinFindingAt(s, word.offset);
  if (id.empty()) return;
  if (word.raw != word.value || stage.base != stage.base_raw) {
    s.Note(id, from.start_line,
           "not pinned: the image is quoted or named through a variable; pin it where it is set");
    return;
  }
  Pin(s, id, stage.image->ToString(), word.end_offset, from.start_line);
}

// COPY --from=image: the value must be the flag's unquoted tail.
void PinCopyFrom(Session& s, const parse::Instruction& inst) {
  const parse::Flag* flag = inst.FindFlag("from");
  if (flag == nullptr) return;
  std::string_view id = PinFindingAt(s, flag->offset);
  if (id.empty()) return;
  std::string_view raw = s.text().substr(flag->offset, flag->end_offset - flag->offset);
  std::optional<parse::ImageRef> image = parse::ParseImageRef(flag->value);
  if (!image || raw.size() < flag->value.size() ||
      raw.substr(raw.size() - flag->value.size()) != flag->value) {
    s.Note(id, inst.start_line, "not pinned: the --from value is quoted or escaped");
    return;
  }
  Pin(s, id, image->ToString(), flag->end_offset, inst.start_line);
}

// RUN --mount=...,from=image,...: the from= field in the flag's raw text.
void PinMountFrom(Session& s, const parse::Instruction& inst, const parse::Flag& flag) {
  std::string_view id = PinFindingAt(s, flag.offset);
  if (id.empty()) return;
  std::string_view raw = s.text().substr(flag.offset, flag.end_offset - flag.offset);
  size_t pos = raw.find("from=");
  while (pos != std::string_view::npos && pos > 0 && raw[pos - 1] != ',' && raw[pos - 1] != '=') {
    pos = raw.find("from=", pos + 1);
  }
  if (pos == std::string_view::npos || raw.find_first_of("\"'\\") != std::string_view::npos) {
    s.Note(id, inst.start_line, "not pinned: the --mount value is quoted or escaped");
    return;
  }
  size_t begin = pos + 5;
  size_t end = std::min(raw.find(',', begin), raw.size());
  std::optional<parse::ImageRef> image = parse::ParseImageRef(raw.substr(begin, end - begin));
  if (!image) return;
  Pin(s, id, image->ToString(), flag.offset + end, inst.start_line);
}

}  // namespace

void FixImagePins(Session& s) {
  if (!s.Has("BW-DF-006") && !s.Has("BW-DF-007") && !s.Has("BW-DF-008")) return;
  for (const parse::Stage& stage : s.df().stages) PinFrom(s, stage);
  for (const parse::Instruction* inst : s.ctx().instructions()) {
    if (inst->keyword == "COPY" || inst->keyword == "ADD") PinCopyFrom(s, *inst);
    if (inst->keyword != "RUN") continue;
    for (const parse::Flag& flag : inst->flags) {
      if (flag.name == "mount") PinMountFrom(s, *inst, flag);
    }
  }
}

}  // namespace bulwark::fix::dockerfile
