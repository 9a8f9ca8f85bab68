// QR code modules from libqrencode: the matrix only; drawing is the renderer's.
//
// Thread-safety: encode_qr is safe for concurrent use (Debian's libqrencode is
// built thread-safe).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audit_log/result.h"

namespace sunbid::documents {

// Modules of white border on every side (ISO/IEC 18004 asks for 4).
inline constexpr int kQrQuietZone = 4;

struct QrMatrix {
  int width = 0;                      // modules per side, quiet zone excluded
  std::vector<std::uint8_t> modules;  // row-major, 1 = dark
  bool dark(int row, int col) const {
    return modules[static_cast<std::size_t>(row) * static_cast<std::size_t>(width) +
                   static_cast<std::size_t>(col)] != 0;
  }
};

// Error correction level M, the smallest version that holds `text` as 8-bit
// data. Fails (document_render_failed) on empty text or text too long.
Result<QrMatrix> encode_qr(const std::string& text);

}  // namespace sunbid::documents
