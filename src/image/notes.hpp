// NoteList: the problems met while opening an image that did not stop it
// (see Image::Notes). Bounded, because a hostile archive can trigger one note
// per entry: after kMaxNotes the rest are only counted. Not thread-safe; one
// list per image being opened.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bulwark::image {

// An archive's path or name for a message: quoted, control characters
// shown as '?', cut at 200 bytes (names come from untrusted input).
inline std::string Quoted(std::string_view text) {
  constexpr size_t kMax = 200;
  std::string out = "'";
  for (size_t i = 0; i < text.size() && i < kMax; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  if (text.size() > kMax) out += "...";
  return out + "'";
}

class NoteList {
 public:
  static constexpr size_t kMaxNotes = 200;

  void Add(std::string note) {
    if (notes_.size() < kMaxNotes) {
      notes_.push_back(std::move(note));
    } else {
      ++dropped_;
    }
  }

  // The notes, with a last line counting those left out.
  std::vector<std::string> Take() {
    std::vector<std::string> out = std::move(notes_);
    if (dropped_ > 0) out.push_back(std::to_string(dropped_) + " more notes left out");
    notes_.clear();
    dropped_ = 0;
    return out;
  }

 private:
  std::vector<std::string> notes_;
  size_t dropped_ = 0;
};

}  // namespace bulwark::image
