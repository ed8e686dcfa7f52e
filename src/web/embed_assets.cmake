# The dashboard's files (src/web/assets/*) are compiled into the program, so
# `bulwark serve` needs no file beside the binary and fetches nothing.
include(${PROJECT_SOURCE_DIR}/cmake/EmbedTextFiles.cmake)
set(BULWARK_WEB_ASSETS_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/web_assets_data.cpp)
bulwark_embed_text_files(OUTPUT ${BULWARK_WEB_ASSETS_CPP} GLOB ${PROJECT_SOURCE_DIR}/src/web/assets/*
                         DELIMITER bwasset HEADER web/assets.hpp
                         NAMESPACE bulwark::web TYPE EmbeddedAsset FUNCTION EmbeddedAssets)
