// TLS material: the server certificate and key (PEM), either configured or
// a self-signed ECDSA P-256 certificate generated on first start.
//
// Thread-safety: the functions are safe for concurrent use.
#pragma once

#include <filesystem>
#include <string>

#include "audit_log/result.h"

namespace sunbid::server {

struct CertificatePaths {
  std::filesystem::path cert_file;
  std::filesystem::path key_file;
};

inline std::filesystem::path self_signed_cert_file(const std::filesystem::path& data_dir) {
  return data_dir / "tls-cert.pem";
}
inline std::filesystem::path self_signed_key_file(const std::filesystem::path& data_dir) {
  return data_dir / "tls-key.pem";
}

// Creates DATA_DIR/tls-cert.pem and DATA_DIR/tls-key.pem (mode 0600) when the
// certificate does not exist yet: ECDSA P-256, SAN DNS:localhost and
// IP:127.0.0.1, valid for one year, SHA-256 signature. Existing files are
// kept. Errors `crypto_failure`, `tls_file_io`.
Result<CertificatePaths> ensure_self_signed_certificate(const std::filesystem::path& data_dir);

// The SHA-256 fingerprint of the first certificate in a PEM file, as
// uppercase hex pairs joined by ':' (the form browsers show).
Result<std::string> certificate_fingerprint(const std::filesystem::path& cert_file);

}  // namespace sunbid::server
