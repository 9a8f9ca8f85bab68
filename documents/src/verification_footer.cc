#include "documents/verification_footer.h"

#include <string>
#include <utility>

namespace sunbid::documents {

std::string verification_url(const VerificationFooter& f) {
  return f.public_base_url + "/verify#index=" + std::to_string(f.log_index);
}

Footer verification_footer(const VerificationFooter& f) {
  Footer out;
  out.lines = {
      "本文件登记于透明日志第 " + std::to_string(f.log_index) + " 条，检查点大小 " +
          std::to_string(f.checkpoint_size) + " / Published at log index " +
          std::to_string(f.log_index) + ", checkpoint size " + std::to_string(f.checkpoint_size),
      "检查点根哈希 root: " + f.checkpoint_root_hex,
      "源数据 SHA-256 source: " + f.source_sha256_hex,
      "验证公钥 verifier key: " + f.verifier_key_id,
      "扫码或访问 " + verification_url(f) + " 核验 / scan or visit to verify",
  };
  out.qr_text = verification_url(f);
  return out;
}

FooterHook verification_footer_hook(const VerificationFooter& f) {
  return [footer = verification_footer(f)](int, int) { return footer; };
}

}  // namespace sunbid::documents
