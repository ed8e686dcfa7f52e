// Escaping of untrusted text for each output medium. Everything bulwark
// prints may come from an attacker (file names, image labels, process
// names), so every renderer passes text through one of these.
#pragma once

#include <string>
#include <string_view>

namespace bulwark::core {

// Replaces invalid UTF-8 sequences with U+FFFD.
std::string SanitizeUtf8(std::string_view text);
// For a terminal: valid UTF-8, control characters (ESC, CR, BEL, ...) shown as
// \xNN so no escape sequence from input reaches the terminal.
std::string EscapeTerminal(std::string_view text);
// For Markdown text and table cells: neutralises | ` * _ < > [ ] and newlines.
std::string EscapeMarkdown(std::string_view text);
// For HTML text and attribute values.
std::string EscapeHtml(std::string_view text);
// Percent-encodes a relative path for use as a URI reference (SARIF).
std::string PathToUri(std::string_view path);

}  // namespace bulwark::core
