// Checks on what the final image runs as and is built from: root user,
// HEALTHCHECK, base-image tags and digests.
#include <algorithm>
#include <cctype>

#include "audit/dockerfile_checks_context.hpp"

namespace bulwark::audit::dockerfile {
namespace {

using core::Severity;

// The stage and USER instruction in effect at the end of the final stage:
// USER is image config, so a stage built FROM an earlier stage inherits it.
struct FinalUser {
  const parse::Instruction* user = nullptr;
  int stage = -1;  // the stage holding `user`, or the root of the chain
};

FinalUser FindFinalUser(const Context& ctx) {
  FinalUser out;
  const parse::Stage* final = ctx.df().FinalStage();
  for (int s = final ? final->index : -1; s >= 0;
       s = ctx.df().stages[static_cast<size_t>(s)].parent_stage) {
    out.stage = s;
    for (const parse::Instruction& inst : ctx.StageInstructions(s)) {
      if (inst.keyword == "USER" && !inst.args.empty()) out.user = &inst;
    }
    if (out.user != nullptr) break;
  }
  return out;
}

// The user part of `USER name[:group]` after expansion; nullopt when a
// variable in it has no known value.
std::optional<std::string> ResolveUser(const Context& ctx, const FinalUser& final) {
  parse::Expansion user =
      parse::ExpandVariables(final.user->args[0].value,
                             ctx.Variables(final.stage, final.user->begin_offset), ctx.df().escape);
  if (!user.resolved) return std::nullopt;
  std::string name = user.text.substr(0, user.text.find(':'));
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
  return name;
}

bool IsRootName(std::string_view name) {
  if (name == "root") return true;
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c == '0'; });
}

// Distroless and similar images document a non-root default user in the tag.
bool BaseRunsNonRoot(const parse::Stage& stage) {
  std::string base = Lower(stage.base);
  return base.find("nonroot") != std::string::npos || base.find("non-root") != std::string::npos;
}

std::string StageLabel(const parse::Stage& stage) {
  return stage.name.empty() ? "final stage" : "final stage '" + stage.name + "'";
}

void CheckRootUser(const Context& ctx) {
  const parse::Stage* final = ctx.df().FinalStage();
  if (final == nullptr) return;
  FinalUser found = FindFinalUser(ctx);
  if (found.user != nullptr) {
    std::optional<std::string> name = ResolveUser(ctx, found);
    if (!name || !IsRootName(*name)) return;
    ctx.Report("BW-DF-001", ctx.At(found.user->args[0]),
               StageLabel(*final) + " runs as root: USER " + found.user->args[0].value +
                   " on line " + std::to_string(found.user->start_line) + " is the last USER");
    return;
  }
  const parse::Stage& root = ctx.df().stages[static_cast<size_t>(found.stage)];
  if (BaseRunsNonRoot(root)) return;
  const parse::Instruction& from = ctx.df().instructions[final->from_index];
  if (root.scratch) {
    ctx.Report("BW-DF-001", ctx.At(from),
               StageLabel(*final) + " is built FROM scratch and sets no USER: it runs as UID 0");
    return;
  }
  std::string base = root.base.empty() ? root.base_raw : root.base;
  ctx.Report("BW-DF-001", Severity::kMedium, ctx.At(from),
             StageLabel(*final) + " sets no USER: the container runs as the user of base image " +
                 Quote(base) + ", root unless that image says otherwise");
}

void CheckNumericUser(const Context& ctx) {
  FinalUser found = FindFinalUser(ctx);
  if (found.user == nullptr) return;
  std::optional<std::string> name = ResolveUser(ctx, found);
  if (!name || name->empty() || IsRootName(*name)) return;
  if (std::all_of(name->begin(), name->end(), [](char c) { return c >= '0' && c <= '9'; })) return;
  ctx.Report("BW-DF-011", ctx.At(found.user->args[0]),
             "final USER " + Quote(*name) +
                 " is a name: Kubernetes runAsNonRoot cannot verify it; use its numeric UID");
}

void CheckHealthcheck(const Context& ctx) {
  const parse::Stage* final = ctx.df().FinalStage();
  if (final == nullptr) return;
  const parse::Instruction* last = nullptr;
  for (int s = final->index; s >= 0 && last == nullptr;
       s = ctx.df().stages[static_cast<size_t>(s)].parent_stage) {
    for (const parse::Instruction& inst : ctx.StageInstructions(s)) {
      if (inst.keyword == "HEALTHCHECK") last = &inst;
    }
  }
  if (last == nullptr) {
    ctx.Report("BW-DF-002", ctx.At(ctx.df().instructions[final->from_index]),
               StageLabel(*final) + " defines no HEALTHCHECK");
    return;
  }
  if (!last->args.empty() && Lower(last->args[0].value) == "none") {
    ctx.Report("BW-DF-002", ctx.At(*last),
               "HEALTHCHECK NONE on line " + std::to_string(last->start_line) +
                   " disables the health check of the final image");
  }
}

// Reports the tag problems of one image reference (BW-DF-006/007/008).
void CheckImageRef(const Context& ctx, const parse::ImageRef& image, const core::Location& at,
                   const std::string& what) {
  std::string shown = image.ToString();
  if (!image.digest.empty()) return;
  if (image.tag.empty()) {
    ctx.Report("BW-DF-006", at,
               what + " " + Quote(shown) + " has no tag: it means " + Quote(shown + ":latest") +
                   ", whatever that is at build time");
  } else if (image.tag == "latest") {
    ctx.Report("BW-DF-007", at, what + " " + Quote(shown) + " uses the mutable 'latest' tag");
  } else {
    ctx.Report("BW-DF-008", at, what + " " + Quote(shown) + " is not pinned to a digest");
  }
}

// `from=` inside a RUN --mount value ("type=bind,from=builder,target=/x").
std::string MountFrom(std::string_view mount) {
  size_t pos = 0;
  while (pos <= mount.size()) {
    size_t comma = std::min(mount.find(',', pos), mount.size());
    std::string_view field = mount.substr(pos, comma - pos);
    if (field.substr(0, 5) == "from=") return std::string(field.substr(5));
    pos = comma + 1;
  }
  return "";
}

void CheckExternalFrom(const Context& ctx, const parse::Flag& flag, std::string_view ref,
                       const std::string& what) {
  if (ref.empty() || parse::HasVariable(ref) || ctx.df().FindStage(ref) >= 0) return;
  if (std::optional<parse::ImageRef> image = parse::ParseImageRef(ref)) {
    CheckImageRef(ctx, *image, ctx.At(flag.offset, flag.offset + 2 + flag.name.size()), what);
  }
}

void CheckBaseImages(const Context& ctx) {
  for (const parse::Stage& stage : ctx.df().stages) {
    if (!stage.image || !stage.base_resolved) continue;
    const parse::Instruction& from = ctx.df().instructions[stage.from_index];
    std::string what = "base image";
    if (stage.base != stage.base_raw) what += " (from " + stage.base_raw + ")";
    CheckImageRef(ctx, *stage.image, ctx.At(from.args[0]), what);
  }
  for (const parse::Instruction* inst : ctx.instructions()) {
    if (inst->keyword == "COPY" || inst->keyword == "ADD") {
      if (const parse::Flag* from = inst->FindFlag("from")) {
        CheckExternalFrom(ctx, *from, from->value, inst->keyword + " --from image");
      }
    }
    if (inst->keyword != "RUN") continue;
    for (const parse::Flag& flag : inst->flags) {
      if (flag.name == "mount")
        CheckExternalFrom(ctx, flag, MountFrom(flag.value), "RUN --mount image");
    }
  }
}

}  // namespace

std::vector<DockerfileCheck> ImageChecks() {
  using core::Category;
  return {
      {{.id = "BW-DF-001",
        .title = "Final image runs as root",
        .severity = Severity::kHigh,
        .category = Category::kDockerfile,
        .rationale = "A process running as root in the container is root on the host's kernel: "
                     "any escape or mounted-socket mistake becomes a full host compromise.",
        .remediation = "Create an unprivileged user and end the final stage with it, e.g. "
                       "`RUN useradd --uid 10001 --no-create-home app` then `USER 10001`.",
        .references = {.cis = {"4.1"},
                       .attack = {"T1611", "T1068"},
                       .nist = {"AC-6", "CM-6"},
                       .cwe = {"CWE-250"}},
        .fixable = true,
        .peers = {"hadolint DL3002", "trivy DS002", "checkov CKV_DOCKER_3",
                  "checkov CKV_DOCKER_8"}},
       &CheckRootUser},
      {{.id = "BW-DF-002",
        .title = "No HEALTHCHECK in the final image",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "Without a health check the engine cannot tell a hung or compromised service "
                     "from a healthy one, so it is never restarted or taken out of rotation.",
        .remediation = "Add `HEALTHCHECK --interval=30s --timeout=3s CMD <probe>` to the final "
                       "stage (or rely on orchestrator probes and suppress this finding).",
        .references = {.cis = {"4.6"}, .nist = {"SI-4", "CP-10"}},
        .fixable = true,
        .peers = {"hadolint DL3057", "trivy DS026", "checkov CKV_DOCKER_2"}},
       &CheckHealthcheck},
      {{.id = "BW-DF-006",
        .title = "Image without a tag",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale = "An untagged image means `latest`: every build may pull different, "
                     "unreviewed software, and a poisoned upstream push lands silently.",
        .remediation = "Name an explicit version tag, ideally with its digest: "
                       "`FROM python:3.12-slim@sha256:...`.",
        .references = {.cis = {"4.2"},
                       .attack = {"T1204.003", "T1525"},
                       .nist = {"CM-2", "SR-3", "SI-7"},
                       .cwe = {"CWE-1357"}},
        .fixable = true,
        .peers = {"hadolint DL3006", "trivy DS001", "checkov CKV_DOCKER_7"}},
       &CheckBaseImages},
      {{.id = "BW-DF-007",
        .title = "Image uses the 'latest' tag",
        .severity = Severity::kMedium,
        .category = Category::kDockerfile,
        .rationale = "`latest` moves: builds are not reproducible and can pick up unreviewed or "
                     "malicious image updates.",
        .remediation = "Replace `:latest` with a version tag and pin its digest.",
        .references = {.cis = {"4.2"},
                       .attack = {"T1204.003", "T1525"},
                       .nist = {"CM-2", "SR-3", "SI-7"},
                       .cwe = {"CWE-1357"}},
        .fixable = true,
        .peers = {"hadolint DL3007", "trivy DS001", "checkov CKV_DOCKER_7"}},
       nullptr},
      {{.id = "BW-DF-008",
        .title = "Image not pinned to a digest",
        .severity = Severity::kLow,
        .category = Category::kDockerfile,
        .rationale = "Tags can be re-pushed; only a digest names exactly the bytes that were "
                     "reviewed and scanned.",
        .remediation = "Append the digest: `FROM python:3.12-slim@sha256:<digest>` (keep the tag "
                       "for readability) and update it with a bot such as Renovate.",
        .references = {.cis = {"4.2"}, .nist = {"CM-2", "SR-4", "SI-7"}, .cwe = {"CWE-1357"}},
        .fixable = true},
       nullptr},
      {{.id = "BW-DF-011",
        .title = "Final USER is a name, not a numeric UID",
        .severity = Severity::kInfo,
        .category = Category::kDockerfile,
        .rationale = "Kubernetes `runAsNonRoot` can only verify numeric UIDs; a user name must be "
                     "looked up in the image and is rejected or unchecked.",
        .remediation = "Use the numeric UID (and GID): `USER 10001:10001`.",
        .references = {.nist = {"AC-6"}},
        .fixable = true,
        .peers = {"hadolint DL3066"}},
       &CheckNumericUser},
  };
}

}  // namespace bulwark::audit::dockerfile
