// Runs a fuzz target's LLVMFuzzerTestOneInput over every file of the given
// directories (missing directories are fine), so corpora and past crashes are
// replayed by ctest in ordinary and sanitizer builds.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  int files = 0;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    if (!std::filesystem::is_directory(argv[i], ec)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[i], ec)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
      ++files;
    }
  }
  // Also the empty input and a few hostile shapes every parser must survive.
  const char* const kShapes[] = {"", "\xff\xfe\x00", "[[[[[[[[[[[[[[[[", "{{{{{{{{", "\\\n\\\n", "<<EOF\n"};
  for (const char* s : kShapes) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s), std::char_traits<char>::length(s));
  }
  std::printf("replayed %d files\n", files);
  return 0;
}
