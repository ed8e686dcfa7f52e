// Merges read layers, bottom first, into a FileView the way the container
// runtime stacks them: ".wh.NAME" hides NAME and everything under it in
// lower layers, ".wh..wh..opq" hides the lower contents of its directory, a
// non-directory hides whatever a lower layer had below its path, and a later
// entry replaces an earlier one at the same path. Hard links whose target a
// later layer removed or replaced keep their own content (they share the
// old inode at run time). Not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "image/capture_store.hpp"
#include "image/file_view.hpp"
#include "image/image_source.hpp"
#include "image/layer_reader.hpp"
#include "image/notes.hpp"

namespace bulwark::image {

// `layers[i]` is layer i (the same contents may appear twice). Entries get
// entry.layer = i. `reader_for` makes the content reader of a capture.
// Returns the captures the view refers to, sorted; the caller may release
// the rest.
std::vector<CaptureId> MergeLayers(const std::vector<const LayerContents*>& layers,
                                   const std::function<ContentReader(CaptureId)>& reader_for, FileView& view);

// Merges `layers` into the view of a new image whose content lives in
// `store`; content no entry of the view refers to is released first.
std::unique_ptr<Image> MakeLayeredImage(ImageInfo info, const std::vector<const LayerContents*>& layers,
                                        std::shared_ptr<CaptureStore> store, NoteList& notes);

}  // namespace bulwark::image
