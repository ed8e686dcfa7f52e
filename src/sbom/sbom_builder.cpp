#include "sbom/sbom_builder.hpp"

#include <algorithm>
#include <tuple>

namespace bulwark::sbom {
namespace {

// The metadata file of a language package ("/usr/lib/python3/dist-packages/
// flask-2.2.2.dist-info/METADATA") is what an OS package's file list names.
void MarkOsOwned(const CatalogOutput& all, std::vector<Package>& packages) {
  if (all.owned_files.empty()) return;
  for (Package& package : packages) {
    if (IsOsPackage(package.type)) continue;
    for (const std::string& location : package.locations) {
      std::string path = image::NormalisePath(location.substr(0, location.find(':')));
      auto owner = all.owned_files.find(path);
      if (owner != all.owned_files.end()) {
        package.os_owner = owner->second;
        break;
      }
    }
  }
}

bool PackageLess(const Package& a, const Package& b) {
  auto key = [](const Package& p) {
    return std::tie(p.type, p.group, p.name, p.version);
  };
  if (key(a) != key(b)) return key(a) < key(b);
  return a.locations < b.locations;
}

// Two catalogers (or two metadata layouts of one package) can report the
// same package at the same place; keep one.
void Deduplicate(std::vector<Package>& packages) {
  auto same = [](const Package& a, const Package& b) {
    return a.type == b.type && a.group == b.group && a.name == b.name && a.version == b.version &&
           a.locations == b.locations;
  };
  packages.erase(std::unique(packages.begin(), packages.end(), same), packages.end());
}

}  // namespace

bool AnyCatalogerWants(const std::vector<std::unique_ptr<Cataloger>>& catalogers,
                       const image::FileEntry& entry) {
  if (WantsOsReleaseFile(entry)) return true;
  for (const auto& cataloger : catalogers) {
    if (cataloger->Wants(entry)) return true;
  }
  return false;
}

Sbom CatalogFiles(const image::FileView& files, const image::ImageInfo* info,
                  const std::vector<std::unique_ptr<Cataloger>>& catalogers) {
  Sbom sbom;
  if (info != nullptr) {
    sbom.image_id = info->id;
    sbom.repo_tags = info->repo_tags;
    for (const image::LayerInfo& layer : info->layers) sbom.layer_diff_ids.push_back(layer.diff_id);
  }
  CatalogContext context;
  context.os = DetectOsRelease(files);
  sbom.os = context.os;
  CatalogOutput all;
  for (const auto& cataloger : catalogers) {
    CatalogOutput out;
    cataloger->Catalog(files, context, out);
    for (Package& package : out.packages) {
      if (package.cataloger.empty()) package.cataloger = std::string(cataloger->Name());
      all.packages.push_back(std::move(package));
    }
    for (std::string& note : out.notes) all.notes.push_back(std::move(note));
    all.owned_files.merge(out.owned_files);
  }
  MarkOsOwned(all, all.packages);
  std::sort(all.packages.begin(), all.packages.end(), PackageLess);
  Deduplicate(all.packages);
  sbom.packages = std::move(all.packages);
  sbom.notes = std::move(all.notes);
  return sbom;
}

core::Result<Sbom> BuildSbom(std::string_view spec, BuildOptions options) {
  std::vector<std::unique_ptr<Cataloger>> catalogers = AllCatalogers();
  options.open.wants = [&catalogers](const image::FileEntry& entry) {
    return AnyCatalogerWants(catalogers, entry);
  };
  ASSIGN_OR_RETURN(std::unique_ptr<image::Image> image, image::OpenImage(spec, options.open));
  Sbom sbom = CatalogFiles(image->Files(), &image->Info(), catalogers);
  sbom.target = std::string(spec);
  std::vector<std::string> notes = image->Notes();
  notes.insert(notes.end(), sbom.notes.begin(), sbom.notes.end());
  sbom.notes = std::move(notes);
  return sbom;
}

std::vector<std::unique_ptr<Cataloger>> AllCatalogers() {
  std::vector<std::unique_ptr<Cataloger>> all;
  all.push_back(MakeDpkgCataloger());
  all.push_back(MakeApkCataloger());
  all.push_back(MakeRpmCataloger());
  all.push_back(MakePythonCataloger());
  all.push_back(MakeNpmCataloger());
  all.push_back(MakeGemCataloger());
  all.push_back(MakeComposerCataloger());
  all.push_back(MakeDotnetCataloger());
  all.push_back(MakeGoBinaryCataloger());
  all.push_back(MakeRustBinaryCataloger());
  all.push_back(MakeJavaArchiveCataloger());
  return all;
}

}  // namespace bulwark::sbom
