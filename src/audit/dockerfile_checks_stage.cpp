// Checks on the structure of stages: instructions that override each other,
// stage names, COPY --from mistakes and ONBUILD triggers.
#include <map>

#include "audit/dockerfile_checks_context.hpp"

namespace bulwark::audit::dockerfile {
namespace {

using core::Severity;

// Within a stage only the last CMD / ENTRYPOINT / HEALTHCHECK counts.
void ReportOverridden(const Context& ctx, std::string_view keyword, std::string_view id) {
  for (const parse::Stage& stage : ctx.df().stages) {
    std::vector<const parse::Instruction*> seen;
    for (const parse::Instruction& inst : ctx.StageInstructions(stage.index)) {
      if (inst.keyword == keyword) seen.push_back(&inst);
    }
    for (size_t i = 0; i + 1 < seen.size(); ++i) {
      ctx.Report(id, ctx.At(*seen[i]),
                 std::string(keyword) + " on line " + std::to_string(seen[i]->start_line) +
                     " is overridden by the " + std::string(keyword) + " on line " +
                     std::to_string(seen.back()->start_line) + "; only the last one takes effect");
    }
  }
}

void CheckMultipleHealthchecks(const Context& ctx) {
  ReportOverridden(ctx, "HEALTHCHECK", "BW-DF-003");
}
void CheckMultipleCmd(const Context& ctx) { ReportOverridden(ctx, "CMD", "BW-DF-004"); }
void CheckMultipleEntrypoint(const Context& ctx) {
  ReportOverridden(ctx, "ENTRYPOINT", "BW-DF-005");
}

void CheckCopyFromSelf(const Context& ctx) {
  for (const parse::Instruction& inst : ctx.df().instructions) {
    if (inst.keyword != "COPY" && inst.keyword != "ADD") continue;
    const parse::Flag* from = inst.FindFlag("from");
    if (from == nullptr || inst.stage_index < 0) continue;
    if (ctx.df().FindStage(from->value) != inst.stage_index) continue;
    ctx.Report("BW-DF-016", ctx.At(from->offset, from->offset + 2 + from->name.size()),
               inst.keyword + " --from=" + from->value + " refers to the stage it is in");
  }
}

void CheckDuplicateStageNames(const Context& ctx) {
  std::map<std::string, const parse::Stage*> first;
  for (const parse::Stage& stage : ctx.df().stages) {
    if (stage.name.empty()) continue;
    auto [it, inserted] = first.emplace(Lower(stage.name), &stage);
    if (inserted) continue;
    const parse::Instruction& from = ctx.df().instructions[stage.from_index];
    ctx.Report("BW-DF-017", ctx.At(from.args.back()),
               "stage name " + Quote(stage.name) + " is already used by the FROM on line " +
                   std::to_string(it->second->line));
  }
}

bool IsWholeFilesystem(std::string_view source) {
  return source == "/" || source == "/." || source == "/*" || source == "/./";
}

void CheckCopyWholeFilesystem(const Context& ctx) {
  for (const parse::Instruction* inst : ctx.instructions()) {
    if (inst->keyword != "COPY" && inst->keyword != "ADD") continue;
    const parse::Flag* from = inst->FindFlag("from");
    if (from == nullptr || inst->args.size() < 2) continue;
    for (size_t i = 0; i + 1 < inst->args.size(); ++i) {
      if (!IsWholeFilesystem(inst->args[i].value)) continue;
      ctx.Report("BW-DF-018", ctx.At(inst->args[i]),
                 inst->keyword + " --from=" + from->value +
                     " copies the entire filesystem of that image, with its package "
                     "databases, caches and any build secrets");
    }
  }
}

void CheckOnbuildTriggers(const Context& ctx) {
  for (const parse::Instruction& inst : ctx.df().instructions) {
    if (inst.keyword != "ONBUILD" || inst.trigger.empty()) continue;
    const parse::Instruction& trigger = inst.trigger.front();
    if (trigger.keyword != "FROM" && trigger.keyword != "MAINTAINER" &&
        trigger.keyword != "ONBUILD") {
      continue;
    }
    ctx.Report("BW-DF-019", ctx.At(trigger),
               "ONBUILD " + trigger.keyword + " is not allowed as a trigger");
  }
}

}  // namespace

std::vector<DockerfileCheck> StageChecks() {
  using core::Category;
  const std::string kOverride =
      "Only the last one in a stage takes effect; the others mislead reviewers about what "
      "the image runs.";
  return {
      {{.id = "BW-DF-003",
        .title = "Several HEALTHCHECK instructions in one stage",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = kOverride,
        .remediation = "Keep a single HEALTHCHECK per stage and delete the overridden ones.",
        .references = {.nist = {"CM-6"}},
        .fixable = true,
        .peers = {"hadolint DL3012", "trivy DS023"}},
       &CheckMultipleHealthchecks},
      {{.id = "BW-DF-004",
        .title = "Several CMD instructions in one stage",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = kOverride,
        .remediation = "Keep a single CMD per stage and delete the overridden ones.",
        .references = {.nist = {"CM-6"}},
        .fixable = true,
        .peers = {"hadolint DL4003", "trivy DS016"}},
       &CheckMultipleCmd},
      {{.id = "BW-DF-005",
        .title = "Several ENTRYPOINT instructions in one stage",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = kOverride,
        .remediation = "Keep a single ENTRYPOINT per stage and delete the overridden ones.",
        .references = {.nist = {"CM-6"}},
        .fixable = true,
        .peers = {"hadolint DL4004", "trivy DS007"}},
       &CheckMultipleEntrypoint},
      {{.id = "BW-DF-016",
        .title = "COPY --from refers to its own stage",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale = "A stage cannot copy from itself; the build fails or, with a same-named "
                     "image in a registry, silently copies from that image instead.",
        .remediation = "Point --from at an earlier stage or at a pinned image.",
        .references = {.cwe = {"CWE-710"}},
        .peers = {"hadolint DL3023", "trivy DS006"}},
       &CheckCopyFromSelf},
      {{.id = "BW-DF-017",
        .title = "Duplicate stage name",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale = "With two stages of the same name, COPY --from and --target pick one "
                     "silently, so the final image may contain files from the wrong stage.",
        .remediation = "Give every `FROM ... AS name` a unique name.",
        .references = {.cwe = {"CWE-710"}},
        .peers = {"hadolint DL3024", "trivy DS012", "checkov CKV_DOCKER_11"}},
       &CheckDuplicateStageNames},
      {{.id = "BW-DF-018",
        .title = "COPY --from copies an entire filesystem",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale = "Copying `/` of another stage or image drags its compilers, package caches "
                     "and any secret used during the build into the final image.",
        .remediation = "Copy only the artifacts you need: `COPY --from=build /app/bin/ /app/`.",
        .references = {.attack = {"T1552.001"}, .nist = {"CM-7", "SC-28"}, .cwe = {"CWE-538"}},
        .peers = {"hadolint DL3067"}},
       &CheckCopyWholeFilesystem},
      {{.id = "BW-DF-019",
        .title = "Invalid ONBUILD trigger",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "ONBUILD FROM, ONBUILD MAINTAINER and ONBUILD ONBUILD are rejected when a "
                     "child image is built, breaking every downstream build.",
        .remediation = "Remove the trigger or move the instruction into the child Dockerfile.",
        .references = {.cwe = {"CWE-710"}},
        .peers = {"hadolint DL3043"}},
       &CheckOnbuildTriggers},
  };
}

}  // namespace bulwark::audit::dockerfile
