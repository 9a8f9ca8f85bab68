#include "tls_bio.h"

#include <sys/socket.h>

#include <cerrno>
#include <string>

#include "net.h"

namespace sunbid::server::net {

namespace ssl = boost::asio::ssl;

namespace {

// TLS 1.2 suites: ECDHE key exchange with AEAD ciphers only. TLS 1.3 keeps
// OpenSSL's defaults (all AEAD).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

Error tls_error(std::string what, const CertificatePaths& paths) {
  return make_error("tls_config", "TLS 配置无效 / the TLS configuration is unusable",
                    {{"reason", std::move(what)},
                     {"cert_file", paths.cert_file.string()},
                     {"key_file", paths.key_file.string()}});
}

}  // namespace

Result<std::shared_ptr<ssl::context>> make_tls_context(const CertificatePaths& paths) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
    return tls_error("min protocol", paths);
  }
  SSL_CTX_set_options(
      native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) return tls_error("ciphers", paths);
  // An idle connection gives its TLS record buffers back (~34 KiB each):
  // most kept-alive connections are idle most of the time. Partial writes:
  // a large answer leaves record by record (tls_write loops).
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                               SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // Read whatever the socket holds, not a record header and then its body
  // (two system calls per record).
  SSL_CTX_set_read_ahead(native, 1);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(paths.cert_file.string(), ec);
  if (ec) return tls_error("certificate: " + ec.message(), paths);
  ctx->use_private_key_file(paths.key_file.string(), ssl::context::pem, ec);
  if (ec) return tls_error("private key: " + ec.message(), paths);
  if (SSL_CTX_check_private_key(native) != 1) return tls_error("key does not match", paths);
  return ctx;
}

namespace {

int socket_bio_write(BIO* b, const char* data, int len) {
  BIO_clear_retry_flags(b);
  int fd = static_cast<Socket*>(BIO_get_data(b))->native_handle();
  ssize_t n = ::send(fd, data, static_cast<std::size_t>(len), MSG_NOSIGNAL);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) BIO_set_retry_write(b);
    return -1;
  }
  return static_cast<int>(n);
}

int socket_bio_read(BIO* b, char* data, int len) {
  BIO_clear_retry_flags(b);
  int fd = static_cast<Socket*>(BIO_get_data(b))->native_handle();
  ssize_t n = ::recv(fd, data, static_cast<std::size_t>(len), 0);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) BIO_set_retry_read(b);
    return -1;
  }
  return static_cast<int>(n);
}

long socket_bio_ctrl(BIO*, int cmd, long, void*) {
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;  // nothing is buffered here
}

}  // namespace

const BIO_METHOD* socket_bio_method() {
  static const BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "sunbid socket");
    if (m == nullptr) return m;
    BIO_meth_set_write(m, socket_bio_write);
    BIO_meth_set_read(m, socket_bio_read);
    BIO_meth_set_ctrl(m, socket_bio_ctrl);
    return m;
  }();
  return method;
}

}  // namespace sunbid::server::net
