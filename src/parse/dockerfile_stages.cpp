// Build stages: which instructions belong to which FROM, the global ARGs that
// FROM lines may use, and what each stage is built on (image, scratch or an
// earlier stage).
#include "parse/dockerfile_internal.hpp"

namespace bulwark::parse::internal {
namespace {

VariableLookup GlobalLookup(const Dockerfile& df) {
  return [&df](std::string_view name) -> std::optional<std::string> {
    auto it = df.global_args.find(name);
    if (it == df.global_args.end()) return std::nullopt;
    return it->second;
  };
}

void AddGlobalArgs(const Instruction& inst, Dockerfile& df) {
  for (const KeyValue& kv : inst.pairs) {
    if (!kv.has_value) {
      df.global_args.try_emplace(kv.key, std::nullopt);
      continue;
    }
    Expansion value = ExpandVariables(kv.value, GlobalLookup(df), df.escape);
    df.global_args[kv.key] = value.resolved ? std::optional<std::string>(value.text) : std::nullopt;
  }
}

void ResolveBase(Dockerfile& df, Stage& stage, ParseState& state, size_t offset) {
  Expansion base = ExpandVariables(stage.base_raw, GlobalLookup(df), df.escape);
  stage.base = base.text;
  stage.base_resolved = base.resolved;
  std::string lower = ToLower(stage.base);
  if (lower == "scratch") {
    stage.scratch = true;
    return;
  }
  for (const Stage& earlier : df.stages) {
    if (!earlier.name.empty() && ToLower(earlier.name) == lower) {
      stage.parent_stage = earlier.index;
      return;
    }
  }
  if (!stage.base_resolved || stage.base.empty()) return;
  stage.image = ParseImageRef(stage.base);
  if (!stage.image) state.Problem(offset, "FROM: '" + stage.base + "' is not an image reference");
}

Stage MakeStage(Dockerfile& df, size_t index, ParseState& state) {
  const Instruction& from = df.instructions[index];
  Stage stage;
  stage.index = static_cast<int>(df.stages.size());
  stage.from_index = index;
  stage.end_index = df.instructions.size();
  stage.line = from.start_line;
  if (const Flag* platform = from.FindFlag("platform")) stage.platform = platform->value;
  if (from.args.empty()) return stage;
  const Word& image = from.args[0];
  stage.base_raw = image.value;
  stage.image_line = image.line;
  stage.image_column = image.column;
  if (from.args.size() == 3 && ToLower(from.args[1].value) == "as") {
    stage.name = from.args[2].value;
  } else if (from.args.size() != 1) {
    state.Problem(from.begin_offset, "FROM expects 'image [AS name]'");
  }
  ResolveBase(df, stage, state, image.offset);
  return stage;
}

}  // namespace

void BuildStages(Dockerfile& df, ParseState& state) {
  int stage = -1;
  for (size_t i = 0; i < df.instructions.size(); ++i) {
    Instruction& inst = df.instructions[i];
    if (inst.keyword == "FROM") {
      if (!df.stages.empty()) df.stages.back().end_index = i;
      df.stages.push_back(MakeStage(df, i, state));
      ++stage;
    } else if (stage < 0 && inst.keyword == "ARG") {
      AddGlobalArgs(inst, df);
    } else if (stage < 0 && inst.known) {
      state.Problem(inst.begin_offset, inst.keyword + " before the first FROM");
    }
    inst.stage_index = stage;
    for (Instruction& child : inst.trigger) child.stage_index = stage;
  }
}

}  // namespace bulwark::parse::internal
