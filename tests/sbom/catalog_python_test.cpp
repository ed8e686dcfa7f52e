#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "fileview_from_dir.hpp"
#include "sbom/cataloger.hpp"
#include "test_support.hpp"

namespace bulwark::sbom {
namespace {

using testing::FileViewFromDir;
using testing::MemoryView;

CatalogOutput RunPython(const image::FileView& view) {
  CatalogOutput out;
  MakePythonCataloger()->Catalog(view, CatalogContext(), out);
  return out;
}

std::map<std::string, const Package*> ByName(const CatalogOutput& out) {
  std::map<std::string, const Package*> map;
  for (const Package& p : out.packages) map[p.name] = &p;
  return map;
}

TEST(PythonCataloger, EveryMetadataLayoutAnywhere) {
  CatalogOutput out =
      RunPython(FileViewFromDir(testing::SourceDir() / "tests/sbom/fixtures/python/rootfs"));
  auto by_name = ByName(out);
  EXPECT_EQ(out.packages.size(), 6u);
  ASSERT_EQ(by_name.count("Flask"), 1u);
  const Package& flask = *by_name["Flask"];
  EXPECT_EQ(flask.version, "2.2.2");  // not the "Version:" line of the description
  EXPECT_EQ(flask.type, PackageType::kPython);
  EXPECT_EQ(flask.cataloger, "python-installed");
  EXPECT_EQ(flask.licenses, std::vector<std::string>{"BSD-3-Clause"});
  EXPECT_EQ(flask.locations, std::vector<std::string>{
                                 "/usr/lib/python3/dist-packages/Flask-2.2.2.egg-info/PKG-INFO"});
  EXPECT_EQ(flask.purl, "pkg:pypi/flask@2.2.2");
  EXPECT_TRUE(flask.os_owner.empty());

  EXPECT_EQ(by_name["requests"]->licenses, std::vector<std::string>{"Apache 2.0"});
  EXPECT_EQ(by_name["Foo_Bar"]->licenses, std::vector<std::string>{"MIT OR Apache-2.0"});
  EXPECT_EQ(by_name["Foo_Bar"]->purl, "pkg:pypi/foo-bar@1.0");
  // A folded licence text is not a licence name: the classifier is used.
  EXPECT_EQ(by_name["attrs"]->licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(by_name["six"]->locations,
            std::vector<std::string>{"/usr/lib/python2.7/dist-packages/six-1.16.0.egg-info"});
  EXPECT_EQ(by_name["zope.interface"]->locations,
            std::vector<std::string>{"/opt/app/EGG-INFO/PKG-INFO"});
  EXPECT_EQ(by_name["zope.interface"]->licenses, std::vector<std::string>{"ZPL 2.1"});
}

TEST(PythonCataloger, NotesNameTheFile) {
  CatalogOutput out =
      RunPython(FileViewFromDir(testing::SourceDir() / "tests/sbom/fixtures/python/rootfs"));
  ASSERT_EQ(out.notes.size(), 1u);
  EXPECT_EQ(out.notes[0],
            "usr/local/lib/python3.11/site-packages/broken-0.dist-info/METADATA: line 1: no Name: "
            "or Version: "
            "header, skipped");
}

TEST(PythonCataloger, ClassifiersMapToSpdxWhenTheyNameOneLicence) {
  CatalogOutput out = RunPython(MemoryView(
      {{"a-1.dist-info/METADATA",
        "Name: a\nVersion: 1\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: MIT "
        "License\n"
        "Classifier: License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)\n"
        "Classifier: License :: OSI Approved :: BSD License\nClassifier: License :: OSI Approved "
        ":: MIT License\n"}}));
  ASSERT_EQ(out.packages.size(), 1u);
  EXPECT_EQ(out.packages[0].licenses,
            (std::vector<std::string>{"MIT", "GPL-2.0-or-later", "BSD License"}));
}

TEST(PythonCataloger, WantsOnlyMetadataFiles) {
  auto cataloger = MakePythonCataloger();
  image::FileEntry entry;
  for (const char* path :
       {"usr/lib/python3/dist-packages/x-1.dist-info/METADATA", "x-1.egg-info/PKG-INFO",
        "a/x-1.egg-info/METADATA", "a/x-1.egg-info", "a/EGG-INFO/PKG-INFO", "EGG-INFO/PKG-INFO"}) {
    entry.path = path;
    EXPECT_TRUE(cataloger->Wants(entry)) << path;
  }
  for (const char* path : {"a/.dist-info/METADATA", "a/x-1.dist-info/RECORD",
                           "a/xEGG-INFO/PKG-INFO", "a/x.egg-info/RECORD", "a/METADATA"}) {
    entry.path = path;
    EXPECT_FALSE(cataloger->Wants(entry)) << path;
  }
  entry.path = "x-1.dist-info/METADATA";
  entry.size = 5 << 20;
  EXPECT_FALSE(cataloger->Wants(entry));
}

TEST(PythonCataloger, HostileInputNeverCrashes) {
  for (std::string text :
       {std::string(), std::string("\n"), std::string(" continuation first\nName: a"),
        std::string(":\n:\n"), std::string("Name: a\nVersion: 1\nClassifier: License ::"),
        std::string("Name: a\nVersion: 1\nClassifier: License :: ::\n"), std::string(3000, '\0')}) {
    CatalogOutput out = RunPython(MemoryView({{"x.dist-info/METADATA", text}}));
    for (const Package& p : out.packages) EXPECT_FALSE(p.name.empty());
  }
}

// This machine's site-packages: every distribution Python's own
// importlib.metadata finds at the top of each directory, we find with the
// same name and version.
TEST(PythonCataloger, ThisMachinesSitePackagesMatchImportlibMetadata) {
  std::vector<std::string> dirs;
  auto site = testing::RunCommand(
      {"python3", "-c", "import site\nfor d in site.getsitepackages(): print(d)"});
  if (site.exit_code != 0) GTEST_SKIP() << "SKIPPED: no python3: " << site.err;
  std::istringstream site_lines(site.out + "\n/usr/lib/python3/dist-packages\n");
  for (std::string dir; std::getline(site_lines, dir);) {
    if (std::filesystem::is_directory(dir) &&
        std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) {
      dirs.push_back(dir);
    }
  }
  std::vector<std::string> argv = {"python3", "-c",
                                   "import importlib.metadata as m, sys\n"
                                   "for d in m.distributions(path=sys.argv[1:]):\n"
                                   "  n = d.metadata['Name']\n"
                                   "  if n: print(n + '\\t' + d.version)\n"};
  argv.insert(argv.end(), dirs.begin(), dirs.end());
  auto python = testing::RunCommand(argv);
  if (python.exit_code != 0) GTEST_SKIP() << "SKIPPED: python3 failed: " << python.err;
  std::multiset<std::string> expected;
  std::istringstream lines(python.out);
  for (std::string line; std::getline(lines, line);) expected.insert(line);

  std::vector<std::string> subtrees;
  for (const std::string& dir : dirs) subtrees.push_back(dir.substr(1));
  CatalogOutput out = RunPython(FileViewFromDir("/", subtrees));
  std::multiset<std::string> got;
  for (const Package& p : out.packages) {
    // importlib looks at the top of each directory only, not at vendored copies.
    std::filesystem::path location = p.locations.front();
    std::filesystem::path top =
        location.filename() == "METADATA" || location.filename() == "PKG-INFO"
            ? location.parent_path().parent_path()
            : location.parent_path();
    if (std::find(dirs.begin(), dirs.end(), top.string()) != dirs.end())
      got.insert(p.name + "\t" + p.version);
  }
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace bulwark::sbom
