// Text helpers shared by the secrets scanner and the code checks that report
// credentials: masking (no finding ever carries a whole secret), Shannon
// entropy, and telling placeholders ("${DB_PASSWORD}", "<token>",
// "changeme") from real values. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bulwark::audit {

// "su***": the first two characters and a fixed mask, or only "***" when the
// value is too short for two characters to be safe to show.
std::string MaskSecret(std::string_view value);

// Bits per character of the value's byte distribution.
double ShannonEntropy(std::string_view value);

enum class PlaceholderKind {
  kNone,         // looks like a real value
  kReference,    // not a value at all: ${VAR}, $VAR, {{ var }}, <token>, %(x)s, xxxx, ***
  kWeakDefault,  // a default or example value that is still a credential: changeme, password
};
PlaceholderKind ClassifyPlaceholder(std::string_view value);

// Word parts of an identifier, lower-cased: "dbPassword" -> {"db", "password"},
// "APIKey" -> {"api", "key"}, "db.password" -> {"db", "password"}.
std::vector<std::string> IdentifierWords(std::string_view name);

enum class SecretNameStrength {
  kNone,    // not about a secret, or about one without being it (PASSWORD_FILE, token_url)
  kWeak,    // may hold a secret: token, auth
  kStrong,  // holds one: password, secret, api_key, private_key, client_secret
};
SecretNameStrength ClassifySecretName(std::string_view name);
// SECRET_KEY / secret_key / secretKey: the signing key of a web framework.
bool IsSecretKeyName(std::string_view name);
// "DB_PASSWORD" (or any SCREAMING_SNAKE_CASE constant) as a value names a
// setting or constant; it is not a password.
bool LooksLikeSettingName(std::string_view value);

}  // namespace bulwark::audit
