// Metadata of the secret checks (BW-SE-*) and their registration.
#include <string>
#include <vector>

#include "audit/secret_checks.hpp"
#include "audit/secret_patterns.hpp"

namespace bulwark::audit {
namespace {

using core::Severity;
using namespace secrets;  // NOLINT(google-build-using-namespace): the check ID constants

constexpr const char* kTokenRemediation =
    "Revoke the token with its issuer now (it is exposed wherever this file went: repository "
    "history, image layers, backups), issue a new one, and give it to the service at run time "
    "through the environment or a mounted secret (/run/secrets).";

core::CheckInfo Secret(std::string_view id, std::string title, Severity severity,
                       std::string rationale, std::vector<std::string> peers,
                       std::vector<std::string> attack = {"T1552.001"},
                       std::string remediation = kTokenRemediation) {
  core::CheckInfo info;
  info.id = std::string(id);
  info.title = std::move(title);
  info.severity = severity;
  info.category = core::Category::kSecret;
  info.rationale = std::move(rationale);
  info.remediation = std::move(remediation);
  info.references.cwe = {"CWE-798"};
  info.references.attack = std::move(attack);
  info.references.nist = {"IA-5(7)", "SC-28"};
  info.peers = std::move(peers);
  return info;
}

std::vector<core::CheckInfo> SecretCatalog() {
  return {
      Secret(kAwsAccessKeyId, "AWS access key ID", Severity::kHigh,
             "An AWS access key ID (AKIA/ASIA) identifies a credential; its secret key is usually "
             "stored next to it, and together they act as the IAM user or role.",
             {"trivy aws-access-key-id", "gitleaks aws-access-token"}, {"T1552.001", "T1078"}),
      Secret(kAwsSecretKey, "AWS secret access key", Severity::kCritical,
             "The secret half of an AWS key pair gives full API access as its IAM identity.",
             {"trivy aws-access-key-id", "trivy aws-secret-access-key"}, {"T1552.001", "T1078"}),
      Secret(
          kGitHubToken, "GitHub token", Severity::kCritical,
          "A GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_) reads and often writes the "
          "repositories, packages and workflows it was granted: a supply-chain foothold.",
          {"trivy github-pat", "gitleaks github-pat"}, {"T1552.001", "T1528"}),
      Secret(kGitLabToken, "GitLab personal access token", Severity::kCritical,
             "A glpat- token acts as its GitLab user on the API, repositories and registry.",
             {"trivy gitlab-pat", "gitleaks gitlab-pat"}, {"T1552.001", "T1528"}),
      Secret(kSlackToken, "Slack token", Severity::kHigh,
             "A Slack bot/user/app token reads and posts messages in the workspace it belongs to.",
             {"trivy slack-access-token"}, {"T1552.001", "T1528"}),
      Secret(kSlackWebhook, "Slack webhook URL", Severity::kMedium,
             "Anyone with an incoming-webhook URL can post messages (phishing links included) "
             "into the channel it targets.",
             {"trivy slack-web-hook"}),
      Secret(kStripeKey, "Stripe live secret key", Severity::kCritical,
             "A live Stripe secret or restricted key moves real money: charges, refunds, payouts "
             "and customer data.",
             {"trivy stripe-secret-token"}, {"T1552.001", "T1528"}),
      Secret(kGoogleApiKey, "Google API key", Severity::kHigh,
             "A Google API key (AIza...) bills and calls every API it is not restricted from.",
             {"gitleaks gcp-api-key"}),
      Secret(kGoogleOAuthSecret, "Google OAuth client secret", Severity::kHigh,
             "An OAuth client secret (GOCSPX-) lets anyone impersonate the application in Google "
             "sign-in flows.",
             {}, {"T1552.001", "T1528"}),
      Secret(kPrivateKey, "Private key", Severity::kCritical,
             "A private key (TLS, SSH, PGP, JWT signing) in a file lets whoever reads it "
             "impersonate the server or user, decrypt traffic, or sign tokens.",
             {"trivy private-key", "gitleaks private-key"}, {"T1552.001"},
             "Replace the key pair (revoke the certificate or remove the public key from "
             "authorized_keys), keep private keys out of source and images, and mount them at run "
             "time as a secret."),
      Secret(kJwt, "JSON Web Token", Severity::kMedium,
             "A committed JWT is a bearer credential until it expires; service tokens often never "
             "do.",
             {"trivy jwt-token"}, {"T1552.001", "T1550.001"},
             "Treat it as leaked: revoke or rotate the signing key if the token does not expire, "
             "and load tokens at run time."),
      Secret(kNpmToken, "npm access token", Severity::kCritical,
             "An npm token can publish new versions of the owner's packages: a supply-chain "
             "attack on everyone who installs them.",
             {"trivy npm-access-token"}, {"T1552.001", "T1528"}),
      Secret(kPyPiToken, "PyPI API token", Severity::kCritical,
             "A PyPI token can upload releases of the projects it is scoped to.",
             {"trivy pypi-upload-token"}, {"T1552.001", "T1528"}),
      Secret(kTwilioKey, "Twilio API key", Severity::kHigh,
             "A Twilio API key sends SMS and places calls billed to the account.",
             {"trivy twilio-api-key"}),
      Secret(kSendGridKey, "SendGrid API key", Severity::kHigh,
             "A SendGrid key sends mail as the organisation's verified domains: phishing that "
             "passes SPF and DKIM.",
             {"trivy sendgrid-api-token"}),
      Secret(kHerokuKey, "Heroku API key", Severity::kHigh,
             "A Heroku API key controls the account's apps, config vars (more secrets) and "
             "deployments.",
             {"trivy heroku-api-key"}),
      Secret(kAzureStorageKey, "Azure storage account key", Severity::kCritical,
             "An Azure storage account key (AccountKey= in a connection string) gives full "
             "read/write access to every blob, queue and table of the account.",
             {}, {"T1552.001", "T1078"}),
      Secret(kUrlCredentials, "Password embedded in a URL", Severity::kHigh,
             "scheme://user:password@host puts the password wherever the URL goes: logs, "
             "process lists, error pages, environment dumps.",
             {}, {"T1552.001"},
             "Pass the password separately (a secret file or environment variable read by the "
             "client library), rotate the exposed one, and keep URLs credential-free."),
      Secret(kDockerAuth, "Docker registry credentials in a config file", Severity::kHigh,
             "The \"auth\" value of a Docker config is base64 of user:password for a registry: "
             "enough to pull private images or push poisoned ones.",
             {"trivy dockerconfig-secret"}, {"T1552.001", "T1525"},
             "Use a credential helper (credsStore) or short-lived tokens, never commit "
             "config.json, and change the registry password."),
      Secret(kGenericSecret, "Hard-coded secret in configuration", Severity::kMedium,
             "A setting whose name says it is a password, token or key holds a literal value in a "
             "file that is copied into repositories and images.",
             {"gitleaks generic-api-key"}, {"T1552.001"},
             "Reference the value instead (${DB_PASSWORD}, a secret manager, a mounted secret "
             "file), rotate the exposed one, and keep committed config files free of values."),
      Secret(kAiApiKey, "AI platform API key (OpenAI, Anthropic, Hugging Face)", Severity::kHigh,
             "AI platform keys are billed per use and reach the organisation's models, files and "
             "fine-tuning data.",
             {"trivy hugging-face-access-token"}, {"T1552.001", "T1528"}),
  };
}

}  // namespace

core::Status RegisterSecretChecks(core::CheckRegistry& registry) {
  for (core::CheckInfo& info : SecretCatalog()) RETURN_IF_ERROR(registry.Add(std::move(info)));
  return core::Status::Ok();
}

}  // namespace bulwark::audit
