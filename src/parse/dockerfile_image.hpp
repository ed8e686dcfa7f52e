// Image references (`registry/repo:tag@digest`) and Dockerfile variable
// expansion (`$VAR`, `${VAR}`, `${VAR:-default}`...), shared by the Dockerfile
// parser, its checks and the compose / Kubernetes checks that read images.
// Pure functions over values; thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace bulwark::parse {

struct ImageRef {
  std::string registry;    // "ghcr.io", "localhost:5000"; empty for Docker Hub
  std::string repository;  // "library/python", "python", "org/app"
  std::string tag;         // empty when none was written
  std::string digest;      // "sha256:...", empty when none

  // registry/repository, without tag or digest.
  std::string Name() const;
  // The reference as a string (registry/repository[:tag][@digest]).
  std::string ToString() const;
};

// Parses an image reference; nullopt for empty text, whitespace, or a
// reference with an empty name, tag or digest part.
std::optional<ImageRef> ParseImageRef(std::string_view text);

// Returns the value of a variable, or nullopt when it is unset (or set
// without a value, as `ARG NAME` is).
using VariableLookup = std::function<std::optional<std::string>(std::string_view name)>;

struct Expansion {
  std::string text;
  bool resolved = true;  // false when a variable had no value or used an unsupported operator
};

// Expands $VAR, ${VAR}, ${VAR:-word}, ${VAR-word}, ${VAR:+word}, ${VAR+word}.
// An escaped `$` (escape char before it) stays literal. Unknown variables
// expand to "" and make the result unresolved.
Expansion ExpandVariables(std::string_view text, const VariableLookup& lookup, char escape = '\\');

// True when `text` contains a `$` that starts a variable reference.
bool HasVariable(std::string_view text);

}  // namespace bulwark::parse
