// libFuzzer target: arbitrary bytes as one image layer (plain, gzip or zstd
// tar; read, merged with itself, looked up and read back) and as a whole
// docker save archive. Limits are small so a run stays fast; captures above
// 4 KiB go through the temp directory like real ones.
#include <archive.h>

#include <cstddef>
#include <cstdint>
#include <optional>

#include "image/archive_io.hpp"
#include "image/capture_store.hpp"
#include "image/docker_archive.hpp"
#include "image/layer_merge.hpp"
#include "image/layer_reader.hpp"
#include "image/opened_image.hpp"

namespace {

namespace image = bulwark::image;

image::OpenOptions FuzzOptions() {
  image::OpenOptions options;
  options.limits.max_capture_file = 1 << 20;
  options.limits.max_capture_total = 4 << 20;
  options.limits.max_memory_capture_file = 4096;
  options.limits.max_entries = 20000;
  options.limits.max_layer_bytes = 32 << 20;
  options.limits.max_json_bytes = 1 << 20;
  options.limits.max_layers = 16;
  options.wants = [](const image::FileEntry& entry) { return entry.path.size() % 2 == 0; };
  return options;
}

void Exercise(const image::FileView& files) {
  for (const image::FileEntry& entry : files.Entries()) {
    (void)files.Resolve(entry.path);
    if (files.HasContent(entry)) (void)files.Read(entry, 1 << 20);
  }
}

void AsLayer(const uint8_t* data, size_t size, const image::OpenOptions& options) {
  auto store = std::make_shared<image::CaptureStore>(options.temp_parent, options.limits);
  image::NoteList notes;
  image::ReadSession session{options, *store, notes};
  image::ArchivePtr a = image::NewTarReader();
  if (!a || archive_read_open_memory(a.get(), data, size) != ARCHIVE_OK) return;
  auto contents = image::ReadLayer(a.get(), "fuzz layer", 0, session);
  if (!contents.ok()) return;
  auto image = image::MakeLayeredImage(image::ImageInfo(), {&*contents, &*contents}, store, notes);
  Exercise(image->Files());
}

void AsArchive(const uint8_t* data, size_t size, const image::OpenOptions& options) {
  image::ArchivePtr outer = image::NewTarReader();
  if (!outer || archive_read_open_memory(outer.get(), data, size) != ARCHIVE_OK) return;
  auto opened = image::ReadDockerArchive(outer.get(), "fuzz archive", image::ImageInfo(), options,
                                         std::nullopt, image::NoteList());
  if (opened.ok()) Exercise((*opened)->Files());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const image::OpenOptions options = FuzzOptions();
  AsLayer(data, size, options);
  AsArchive(data, size, options);
  return 0;
}
