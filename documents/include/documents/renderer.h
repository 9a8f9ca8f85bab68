// The document renderer: official notices and letters as byte-stable A4 PDFs.
//
// A Document is a list of blocks (title, headings, paragraphs, key-value rows,
// tables, QR codes, rules, spacers, page breaks) laid out top to bottom on A4
// portrait pages in the plain style of a 公文 (official notice): black on
// white, CJK text in Noto Sans CJK SC, no colour that carries meaning, so a
// black-and-white photocopy reads like the original. render_pdf() lays the
// blocks out twice (first to count the pages, then again drawing each page as
// it completes, so memory holds one page of layouts), so every page can carry
// "第 n 页 共 m 页" and the caller's footer (FooterHook) knowing the page count.
// Blocks flow down the page; a paragraph breaks between lines at a page's
// foot, other blocks (key-value rows, table rows, QR blocks) move whole to the
// next page.
//
// Byte stability (docs/documents.md): for the same blocks, DocumentInfo and
// footer, render_pdf() returns the same bytes, in one process or in two, as
// long as the build (cairo, pango, fontconfig, libqrencode versions) and the
// pinned font files are the same. It holds because:
//   - text is shaped with a PRIVATE fontconfig configuration holding only the
//     pinned font files (kPinnedFontFiles): no system fonts, no fallback;
//   - the PDF's CreationDate and ModDate come from DocumentInfo::event_time_ms,
//     and the Title and Creator from the caller and a constant: nothing from
//     the clock, the host or a random source;
//   - hinting is off, so glyph positions do not depend on a device.
// A character the pinned fonts lack renders as pango's hex box, never in a
// fallback font.
//
// Thread-safety: a Document is a value (one thread at a time per object);
// render_pdf() is safe for concurrent use on different Documents (and on the
// same const Document). Each render owns its cairo surface and pango context.
// The font map rule: pango font maps are not thread-safe, so the renderer
// keeps ONE private PangoCairo font map per thread (thread_local), built on
// the thread's first render and never shared between threads, never the
// process-wide pango_cairo_font_map_get_default(). All of them use one
// private fontconfig configuration of the pinned files, scanned once per
// process (fontconfig is thread-safe and the configuration never changes).
// Costs, release build: the process's first render ~0.3 s, another thread's
// first render ~0.1 s more than a warm one.
//
// Units: lengths in millimetres (double: layout geometry only, never money,
// area or anything that decides an outcome), font sizes in points.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "audit_log/result.h"

namespace sunbid::documents {

// The font files every document is set in (fonts-noto-cjk, Debian 12). The
// .ttc collections also hold "Noto Sans Mono CJK SC", used for codes.
inline constexpr const char* kPinnedFontFiles[] = {
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
};

// A4 portrait and its margins (mm).
inline constexpr double kPageWidthMm = 210.0;
inline constexpr double kPageHeightMm = 297.0;
inline constexpr double kMarginLeftMm = 22.0;
inline constexpr double kMarginRightMm = 22.0;
inline constexpr double kMarginTopMm = 20.0;
inline constexpr double kMarginBottomMm = 14.0;
inline constexpr double kContentWidthMm = kPageWidthMm - kMarginLeftMm - kMarginRightMm;

enum class Align { left, center, right };

struct TextStyle {
  double size_pt = 12.0;
  bool bold = false;
  bool mono = false;  // "Noto Sans Mono CJK SC": codes, digests, digits in columns
  Align align = Align::left;
  double space_before_mm = 0.0;
  double space_after_mm = 2.0;
  double indent_mm = 0.0;       // left indent of the whole block
  bool break_anywhere = false;  // wrap between any characters (URLs, hex digests)
  // Space that must remain below the block on its page, else it starts the
  // next page (a heading is not left alone at a page's foot).
  double keep_with_next_mm = 0.0;
};

struct DocumentInfo {
  std::string title;           // the PDF's /Title (the Creator is always "sunbid")
  std::int64_t event_time_ms;  // the event the document records: /CreationDate and /ModDate (UTC)
  std::string subject;         // the PDF's /Subject; empty: none
};

struct TableColumn {
  std::string header;
  double width_mm;  // the widths of a table's columns should sum to at most kContentWidthMm
  Align align = Align::left;
  bool mono = false;
};

// A table breaks across pages between rows, repeating its header row on each
// page. A row is never split: one taller than a page body starts a page and
// runs past its foot (keep cells short).
struct Table {
  std::vector<TableColumn> columns;
  std::vector<std::vector<std::string>> rows;  // each row has columns.size() cells
  double font_pt = 11.0;
  double space_after_mm = 3.0;
};

// A horizontal bar chart of fractions against thresholds (the 投票结果公告's
// participation and approval, docs/documents.md), legible in black and
// white: a bar is an outlined box of the full scale (100 %) filled up to its
// fraction, HATCHED (diagonal lines) or solid grey by the caller's choice, its
// label on the left and its value text on the right; each group's threshold
// is a dashed vertical line across its bars, labelled above. No meaning is
// carried by colour. A group never splits across pages. The geometry is
// computed in double from the integer fractions (layout only); the exact
// figures are the caller's texts.
struct BarChart {
  struct Bar {
    std::string label;  // left of the bar, e.g. "面积"
    std::int64_t numerator = 0;
    std::int64_t denominator = 1;  // > 0; the fraction is clamped to [0, 1]
    bool hatched = false;          // false: solid grey
    std::string value;             // right of the bar, e.g. "66.67%"
  };
  struct Group {
    std::string label;  // over the bars, bold
    std::vector<Bar> bars;
    std::int64_t threshold_numerator = 0;
    std::int64_t threshold_denominator = 0;  // 0: no threshold line
    std::string threshold_label;             // e.g. "2/3"
  };
  std::vector<Group> groups;
  std::string legend;  // under the chart, small; empty: none
  double label_width_mm = 40.0;
  double value_width_mm = 24.0;
  double bar_height_mm = 5.0;
};

// What the caller prints at the foot of each page, above the page number:
// lines of small text on the left and, when qr_text is not empty, a QR code
// of qr_text on the right (publication: the verification footer).
struct Footer {
  std::vector<std::string> lines;
  std::string qr_text;
};
// Called once per page, after pagination. page_number is 1-based.
using FooterHook = std::function<Footer(int page_number, int page_count)>;

class Document {
 public:
  explicit Document(DocumentInfo info);
  ~Document();
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // The notice's title: large, bold, centred.
  Document& title(std::string text);
  // A section heading: bold, left, kept with 20 mm of what follows.
  Document& heading(std::string text);
  Document& paragraph(std::string text, TextStyle style = {});
  // "key  value" on one row; the value wraps within its column.
  Document& key_value(std::string key, std::string value, double key_width_mm = 32.0,
                      double size_pt = 12.0);
  Document& table(Table table);
  // A QR code (error correction M, 4-module quiet zone included in size_mm),
  // aligned as given, with an optional caption under it.
  // REQUIRES: size_mm > 0
  Document& qr(std::string text, double size_mm, Align align = Align::center,
               std::string caption = {});
  // A QR code on the right with text lines to its left, top-aligned
  // (letters: the code beside its link).
  Document& qr_beside(std::string qr_text, double size_mm,
                      std::vector<std::pair<std::string, TextStyle>> lines);
  // A bar chart (see BarChart).
  Document& bar_chart(BarChart chart);
  // A thin horizontal line across the content width.
  Document& rule(double space_mm = 2.0);
  Document& spacer(double mm);
  // Starts a new page (no effect at the top of an empty page).
  Document& page_break();

  // Footer area of height_mm reserved at the bottom of each page, above the
  // page number line; the hook fills it. Without a hook, only the page number.
  Document& footer(FooterHook hook, double height_mm);

  // The PDF. Fails (document_render_failed) only if the pinned fonts are
  // missing, a QR text is too long to encode, or cairo reports an error.
  Result<std::string> render_pdf() const;

  struct Block;  // internal

 private:
  DocumentInfo info_;
  std::vector<std::unique_ptr<Block>> blocks_;
  FooterHook footer_hook_;
  double footer_height_mm_ = 0.0;
};

// "12345" -> "123.45", "-5" -> "-0.05": an integer count of hundredths as an
// exact decimal with two places (centi-m² as m², fen as yuan). No floating point.
std::string format_centi(std::int64_t hundredths);

}  // namespace sunbid::documents
