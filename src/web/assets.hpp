// The dashboard's files (src/web/assets/: HTML, CSS, JS written for bulwark,
// no framework, no CDN), compiled into the program at build time by
// cmake/EmbedTextFiles.cmake (src/web/embed_assets.cmake), so `bulwark
// serve` needs no file beside the binary. Stateless; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace bulwark::web {

struct EmbeddedAsset {
  std::string_view name;  // "app.js"
  std::string_view text;
};

const std::vector<EmbeddedAsset>& EmbeddedAssets();

// The asset named exactly `name`, or null.
const EmbeddedAsset* FindAsset(std::string_view name);

// "text/html; charset=utf-8", "text/css; ...", "text/javascript; ...", by
// the name's extension; "text/plain; charset=utf-8" otherwise.
std::string_view AssetContentType(std::string_view name);

}  // namespace bulwark::web
