#include "server/tls.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

namespace sunbid::server {

namespace {

template <class T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

Error crypto_failure(std::string what) {
  return make_error("crypto_failure", "证书生成失败 / certificate generation failed",
                    {{"operation", std::move(what)}});
}

Error io_failure(const std::filesystem::path& file) {
  return make_error("tls_file_io", "无法写入或读取 TLS 文件 / cannot write or read a TLS file",
                    {{"file", file.string()}});
}

// Writes `pem` to `file`, created with `mode` (never wider), atomically.
Status write_file(const std::filesystem::path& file, const std::string& pem, mode_t mode) {
  std::filesystem::path tmp = file;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return io_failure(tmp);
  ::fchmod(fd, mode);
  std::size_t off = 0;
  while (off < pem.size()) {
    ssize_t n = ::write(fd, pem.data() + off, pem.size() - off);
    if (n <= 0) {
      ::close(fd);
      return io_failure(tmp);
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return io_failure(tmp);
  if (::rename(tmp.c_str(), file.c_str()) != 0) return io_failure(file);
  return {};
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

Status add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) return crypto_failure("X509V3_EXT_conf_nid");
  int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (ok != 1) return crypto_failure("X509_add_ext");
  return {};
}

}  // namespace

Result<CertificatePaths> ensure_self_signed_certificate(const std::filesystem::path& data_dir) {
  CertificatePaths paths{self_signed_cert_file(data_dir), self_signed_key_file(data_dir)};
  std::error_code ec;
  if (std::filesystem::exists(paths.cert_file, ec) && std::filesystem::exists(paths.key_file, ec)) {
    return paths;
  }
  std::filesystem::create_directories(data_dir, ec);

  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return crypto_failure("EVP_PKEY_Q_keygen P-256");
  X509Ptr cert(X509_new());
  if (!cert) return crypto_failure("X509_new");
  X509_set_version(cert.get(), X509_VERSION_3);
  // A random positive 64-bit serial number.
  {
    BIGNUM* bn = BN_new();
    if (!bn || BN_rand(bn, 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()))) {
      BN_free(bn);
      return crypto_failure("serial number");
    }
    BN_free(bn);
  }
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("sunbid self-signed"), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), name);
  SUNBID_TRY(add_extension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"));
  SUNBID_TRY(add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  SUNBID_TRY(add_extension(cert.get(), NID_key_usage, "critical,digitalSignature"));
  SUNBID_TRY(add_extension(cert.get(), NID_ext_key_usage, "serverAuth"));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return crypto_failure("X509_sign");

  BioPtr key_bio(BIO_new(BIO_s_mem()));
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  if (!key_bio || !cert_bio) return crypto_failure("BIO_new");
  if (PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1 ||
      PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1) {
    return crypto_failure("PEM_write");
  }
  // The key first: a certificate without its key would be kept as "existing".
  SUNBID_TRY(write_file(paths.key_file, bio_text(key_bio.get()), 0600));
  SUNBID_TRY(write_file(paths.cert_file, bio_text(cert_bio.get()), 0644));
  return paths;
}

Result<std::string> certificate_fingerprint(const std::filesystem::path& cert_file) {
  std::FILE* f = std::fopen(cert_file.c_str(), "rb");
  if (!f) return io_failure(cert_file);
  X509Ptr cert(PEM_read_X509(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  if (!cert) {
    return make_error("tls_config", "证书无法解析 / the certificate cannot be parsed",
                      {{"file", cert_file.string()}});
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert.get(), EVP_sha256(), md, &len) != 1) return crypto_failure("X509_digest");
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    if (i) out += ':';
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

}  // namespace sunbid::server
