#include "qr_matrix.h"

#include <qrencode.h>

namespace sunbid::documents {

Result<QrMatrix> encode_qr(const std::string& text) {
  if (text.empty()) {
    return make_error("document_render_failed", "二维码内容为空 / empty QR code text");
  }
  QRcode* code =
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M);
  if (code == nullptr) {
    return make_error("document_render_failed",
                      "二维码内容过长，无法编码 / QR code text too long to encode");
  }
  QrMatrix m;
  m.width = code->width;
  const std::size_t n =
      static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
  m.modules.resize(n);
  for (std::size_t i = 0; i < n; ++i) m.modules[i] = code->data[i] & 1;
  QRcode_free(code);
  return m;
}

}  // namespace sunbid::documents
