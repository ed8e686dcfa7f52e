// libFuzzer target: the ELF reader, the Go build-info decoder and the Go and
// Rust binary catalogers on arbitrary bytes. The bytes are read as they are
// (an ELF file, a bare build-info blob, module-info text); and, to get past
// the framing, input starting with 'G' becomes the .go.buildinfo section and
// input starting with 'Z' the zlib-compressed .dep-v0 section of a small
// generated ELF file.
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "../tests/sbom/fixtures/binary-catalogers/elf_builder.hpp"
#include "sbom/cataloger.hpp"
#include "sbom/elf_reader.hpp"
#include "sbom/go_buildinfo.hpp"

namespace {

using namespace bulwark;

void CatalogAsExecutable(const std::string& content) {
  image::FileView view;
  image::FileEntry entry;
  entry.path = "usr/bin/fuzz";
  entry.mode = 0755;
  entry.size = std::max<uint64_t>(content.size(), 1024);
  view.Add(entry, [&content](uint64_t) -> core::Result<std::string> { return content; });
  view.Finish();
  for (const auto& cataloger : {sbom::MakeGoBinaryCataloger(), sbom::MakeRustBinaryCataloger()}) {
    sbom::CatalogOutput out;
    cataloger->Catalog(view, sbom::CatalogContext{}, out);
  }
}

std::string Wrap(const std::string& section, const std::string& payload) {
  testing::ElfBuilder builder(true, false);
  builder.Add(".rodata", payload);  // pointer-format addresses may land here
  builder.Add(section, payload);
  return builder.Build();
}

std::string Compress(std::string_view text) {
  uLongf size = compressBound(text.size());
  std::string out(size, '\0');
  if (compress(reinterpret_cast<Bytef*>(out.data()), &size,
               reinterpret_cast<const Bytef*>(text.data()), text.size()) != Z_OK) {
    return "";
  }
  out.resize(size);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  core::Result<sbom::ElfFile> elf = sbom::ElfFile::Parse(input);
  if (elf.ok()) {
    for (const sbom::ElfSection& section : elf->Sections()) {
      (void)elf->SectionData(section);
      (void)elf->ReadAddress(section.addr, section.size);
    }
  }
  (void)sbom::DecodeGoBuildInfo(input, elf.ok() ? &*elf : nullptr);
  sbom::GoBuildInfo info;
  sbom::ParseGoModInfo(input, info);
  CatalogAsExecutable(input);
  if (size > 0 && data[0] == 'G') CatalogAsExecutable(Wrap(".go.buildinfo", input.substr(1)));
  if (size > 0 && data[0] == 'Z') CatalogAsExecutable(Wrap(".dep-v0", Compress(input.substr(1))));
  return 0;
}
