// Discovery: walks an audit root and decides what each file is, by name and
// by content. Never follows a symlink out of the root (symlinked directories
// are not descended at all, which also rules out loops); files that cannot
// be read, are too large or look binary become diagnostics or are skipped.
// Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/analyzer.hpp"
#include "core/finding.hpp"
#include "core/status.hpp"

namespace bulwark::audit {

struct DiscoveryOptions {
  std::vector<std::string> skip_dirs;   // gitignore-style globs, relative to the root
  std::vector<std::string> skip_files;  // gitignore-style globs, relative to the root
  uint64_t max_file_size = 8u << 20;    // larger files are skipped with a diagnostic
};

struct DiscoveredFile {
  std::filesystem::path absolute_path;
  std::string relative_path;  // shown to the user, '/'-separated
};

// Lists candidate files under root (or root itself when it is a file).
core::Result<std::vector<DiscoveredFile>> DiscoverFiles(const std::filesystem::path& root,
                                                        const DiscoveryOptions& options,
                                                        std::vector<core::Diagnostic>& diagnostics);

// Kind by file name alone; nullopt when the name says nothing.
std::optional<FileKind> ClassifyByName(std::string_view file_name);
// Kind by name, then by content (YAML with apiVersion+kind, YAML with a
// top-level `services:`, a Dockerfile without the usual name, a Python
// shebang). Nullopt for binary content.
std::optional<FileKind> ClassifyFile(std::string_view file_name, std::string_view content);

// True when the text looks binary (NUL bytes near the start).
bool LooksBinary(std::string_view content);

}  // namespace bulwark::audit
