// Cataloger: finds one kind of package evidence in an image's files.
//
// The SBOM builder first asks every cataloger which files it wants (Wants is
// called for every regular file of every layer while the image is read, so
// it must be cheap and decide on the path, mode and size alone), then hands
// each cataloger the merged view to parse. Catalogers never throw; a file
// they cannot parse becomes a note naming it, never a crash. Each declares
// the exact paths it reads (Paths) for docs/sbom.md.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "image/file_view.hpp"
#include "sbom/package.hpp"

namespace bulwark::sbom {

struct CatalogContext {
  OsRelease os;  // from the os-release cataloger (run first)
};

struct CatalogOutput {
  std::vector<Package> packages;
  std::vector<std::string> notes;  // "var/lib/dpkg/status: line 12: ..."
  // OS package file lists: normalised path ("usr/lib/python3/dist-packages/
  // flask-2.2.2.dist-info/METADATA") -> owner ("deb:python3-flask").
  std::map<std::string, std::string> owned_files;
};

class Cataloger {
 public:
  virtual ~Cataloger() = default;
  virtual std::string_view Name() const = 0;  // "dpkg-status", "python-installed", ...
  // The globs it reads, documented: "var/lib/dpkg/status", "**/*.dist-info/METADATA".
  virtual std::vector<std::string> Paths() const = 0;
  virtual bool Wants(const image::FileEntry& entry) const = 0;
  virtual void Catalog(const image::FileView& files, const CatalogContext& context,
                       CatalogOutput& out) const = 0;
};

// Reads /etc/os-release (or usr/lib/os-release) plus etc/debian_version and
// etc/alpine-release. Empty OsRelease when none is present.
OsRelease DetectOsRelease(const image::FileView& files);
bool WantsOsReleaseFile(const image::FileEntry& entry);

// Factories (one per cataloger file).
std::unique_ptr<Cataloger> MakeDpkgCataloger();
std::unique_ptr<Cataloger> MakeApkCataloger();
std::unique_ptr<Cataloger> MakeRpmCataloger();
std::unique_ptr<Cataloger> MakePythonCataloger();
std::unique_ptr<Cataloger> MakeNpmCataloger();
std::unique_ptr<Cataloger> MakeGemCataloger();
std::unique_ptr<Cataloger> MakeComposerCataloger();
std::unique_ptr<Cataloger> MakeDotnetCataloger();
std::unique_ptr<Cataloger> MakeGoBinaryCataloger();
std::unique_ptr<Cataloger> MakeRustBinaryCataloger();
std::unique_ptr<Cataloger> MakeJavaArchiveCataloger();

// Every cataloger, OS ones first.
std::vector<std::unique_ptr<Cataloger>> AllCatalogers();

}  // namespace bulwark::sbom
