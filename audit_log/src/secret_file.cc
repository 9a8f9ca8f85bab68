#include "audit_log/secret_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sunbid::audit {

namespace {

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

struct Names {
  std::string_view zh, en;
};

Error io_error(const std::filesystem::path& file, const Names& n, std::string_view what, int err) {
  return make_error("key_file_io",
                    fmt::format("读写{}文件失败 / {} file I/O failed: {} {}: {}", n.zh, n.en, what,
                                file.string(), std::strerror(err)),
                    {{"path", file.string()}});
}

Status write_all(int fd, std::string_view bytes, const std::filesystem::path& file,
                 const Names& n) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return io_error(file, n, "write", errno);
    done += static_cast<std::size_t>(w);
  }
  return {};
}

// Creates the file with fresh bytes; EEXIST when another process was first.
Result<Hash> create(const std::filesystem::path& file, const Names& n, bool& lost_race) {
  Hash bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return make_error("crypto_failure", "随机数生成失败 / random generation failed");
  }
  Fd out(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (out.fd < 0) {
    OPENSSL_cleanse(bytes.data(), bytes.size());
    if (errno == EEXIST) {
      lost_race = true;
      return bytes;
    }
    return io_error(file, n, "create", errno);
  }
  std::string text = hex_encode(bytes) + "\n";
  Status st = write_all(out.fd, text, file, n);
  if (st.ok() && ::fsync(out.fd) != 0) st = io_error(file, n, "fsync", errno);
  OPENSSL_cleanse(text.data(), text.size());
  if (!st.ok()) {
    OPENSSL_cleanse(bytes.data(), bytes.size());
    ::unlink(file.c_str());
    return std::move(st).error();
  }
  auto dir = file.parent_path();
  if (dir.empty()) dir = ".";
  Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.fd >= 0) (void)::fsync(dfd.fd);
  return bytes;
}

Result<Hash> load(int fd, const std::filesystem::path& file, const Names& n) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return io_error(file, n, "fstat", errno);
  if (!S_ISREG(st.st_mode)) {
    return make_error("key_file_io",
                      fmt::format("{}路径不是普通文件 / {} path is not a regular file", n.zh, n.en),
                      {{"path", file.string()}});
  }
  if ((st.st_mode & 077) != 0) {
    return make_error(
        "key_file_permissions",
        fmt::format("{0}文件可被组或其他用户访问，拒绝使用（应为 0600） / the {1} file is "
                    "accessible by group or others; refusing it (chmod 600)",
                    n.zh, n.en),
        {{"path", file.string()},
         {"mode", fmt::format("{:04o}", static_cast<unsigned>(st.st_mode & 07777))}});
  }
  char buf[66];
  ssize_t r = 0;
  std::size_t got = 0;
  while (got < sizeof buf && (r = ::read(fd, buf + got, sizeof buf - got)) != 0) {
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return io_error(file, n, "read", errno);
    got += static_cast<std::size_t>(r);
  }
  std::string_view text(buf, got);
  if (text.ends_with('\n')) text.remove_suffix(1);
  auto h = text.size() == 64 ? hash_from_hex(text) : std::nullopt;
  OPENSSL_cleanse(buf, sizeof buf);
  if (!h) {
    return make_error(
        "key_file_invalid",
        fmt::format("{}文件格式错误 / the {} file is not 64 hex characters", n.zh, n.en),
        {{"path", file.string()}});
  }
  return *h;
}

}  // namespace

Result<Hash> load_or_create_secret_file(const std::filesystem::path& file, std::string_view what_zh,
                                        std::string_view what_en) {
  const Names n{what_zh, what_en};
  for (int attempt = 0; attempt < 2; ++attempt) {
    Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.fd < 0 && errno == ENOENT) {
      bool lost_race = false;
      SUNBID_ASSIGN_OR_RETURN(Hash bytes, create(file, n, lost_race));
      if (lost_race) continue;  // another process created it first: load that one
      return bytes;
    }
    if (fd.fd < 0) return io_error(file, n, "open", errno);
    return load(fd.fd, file, n);
  }
  return io_error(file, n, "create", EEXIST);
}

}  // namespace sunbid::audit
