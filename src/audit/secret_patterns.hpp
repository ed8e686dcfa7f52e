// The secret formats the scanner knows: for each, a Hyperscan expression
// that finds candidates fast (all compiled into one database) and a confirm
// function that checks the candidate precisely (exact length, character set,
// word boundaries, checksums or decoded structure, placeholders) and says
// which bytes are the secret. Confirm functions look at a bounded window
// around the candidate, so a scan stays linear in the input.
//
// Internal to the secret checks (secret_*.cpp). Immutable tables and pure
// functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/severity.hpp"

namespace bulwark::audit::secrets {

inline constexpr std::string_view kAwsAccessKeyId = "BW-SE-001";
inline constexpr std::string_view kAwsSecretKey = "BW-SE-002";
inline constexpr std::string_view kGitHubToken = "BW-SE-003";
inline constexpr std::string_view kGitLabToken = "BW-SE-004";
inline constexpr std::string_view kSlackToken = "BW-SE-005";
inline constexpr std::string_view kSlackWebhook = "BW-SE-006";
inline constexpr std::string_view kStripeKey = "BW-SE-007";
inline constexpr std::string_view kGoogleApiKey = "BW-SE-008";
inline constexpr std::string_view kGoogleOAuthSecret = "BW-SE-009";
inline constexpr std::string_view kPrivateKey = "BW-SE-010";
inline constexpr std::string_view kJwt = "BW-SE-011";
inline constexpr std::string_view kNpmToken = "BW-SE-012";
inline constexpr std::string_view kPyPiToken = "BW-SE-013";
inline constexpr std::string_view kTwilioKey = "BW-SE-014";
inline constexpr std::string_view kSendGridKey = "BW-SE-015";
inline constexpr std::string_view kHerokuKey = "BW-SE-016";
inline constexpr std::string_view kAzureStorageKey = "BW-SE-017";
inline constexpr std::string_view kUrlCredentials = "BW-SE-018";
inline constexpr std::string_view kDockerAuth = "BW-SE-019";
inline constexpr std::string_view kGenericSecret = "BW-SE-020";
inline constexpr std::string_view kAiApiKey = "BW-SE-021";

// A confirmed secret.
struct SecretHit {
  std::string_view check_id;
  size_t begin = 0;  // the secret's bytes [begin, end)
  size_t end = 0;
  std::string message;                     // what was found, with the value masked
  std::optional<core::Severity> severity;  // when it differs from the check's
  bool generic = false;                    // a key=value guess, yields to known formats
  // Set by a confirm function, even when it fails, to say that candidates
  // of the same pattern starting before this offset need no look (they are
  // inside the key just examined).
  size_t skip_until = 0;
};

// Confirms the Hyperscan candidate [from, to) of `text`; fills `hit`.
using ConfirmFn = bool (*)(std::string_view text, size_t from, size_t to, SecretHit* hit);

struct SecretPattern {
  std::string_view check_id;
  const char* expression;  // Hyperscan (PCRE subset) syntax
  unsigned flags;          // HS_FLAG_* besides SOM_LEFTMOST
  ConfirmFn confirm;
  bool generic = false;  // only in FileKind::kText files
};

const std::vector<SecretPattern>& SecretPatterns();

// Helpers shared by the confirm functions.
bool IsAlnum(char c);
bool IsBase64Url(char c);  // A-Z a-z 0-9 _ -
bool IsBase64(char c);     // A-Z a-z 0-9 + / =
// End of the run of characters accepted by `accept` from `pos`, at most `max` long.
size_t RunEnd(std::string_view text, size_t pos, bool (*accept)(char), size_t max);
// The byte before `pos` is not accepted by `accept` (or pos is 0).
bool BoundaryBefore(std::string_view text, size_t pos, bool (*accept)(char));
bool BoundaryAfter(std::string_view text, size_t pos, bool (*accept)(char));
// Severity and wording adjustments for values that are clearly examples.
bool LooksFake(std::string_view value);
// Standard or URL-safe base64, padding optional; nullopt when invalid.
std::optional<std::string> DecodeBase64(std::string_view in);

// Context-based confirm functions (secret_context.cpp).
bool ConfirmAwsSecret(std::string_view text, size_t from, size_t to, SecretHit* hit);
bool ConfirmHeroku(std::string_view text, size_t from, size_t to, SecretHit* hit);
bool ConfirmAzure(std::string_view text, size_t from, size_t to, SecretHit* hit);
bool ConfirmUrlCredentials(std::string_view text, size_t from, size_t to, SecretHit* hit);
bool ConfirmDockerAuth(std::string_view text, size_t from, size_t to, SecretHit* hit);
bool ConfirmPrivateKey(std::string_view text, size_t from, size_t to, SecretHit* hit);
bool ConfirmSlackWebhook(std::string_view text, size_t from, size_t to, SecretHit* hit);
bool ConfirmJwt(std::string_view text, size_t from, size_t to, SecretHit* hit);
bool ConfirmGeneric(std::string_view text, size_t from, size_t to, SecretHit* hit);

}  // namespace bulwark::audit::secrets
