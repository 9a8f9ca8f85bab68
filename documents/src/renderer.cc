#include "documents/renderer.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "audit_log/time_format.h"
#include "qr_matrix.h"

namespace sunbid::documents {

namespace {

constexpr double kPtPerMm = 72.0 / 25.4;
double pt(double mm) {
  return mm * kPtPerMm;
}

constexpr const char* kSansFamily = "Noto Sans CJK SC";
constexpr const char* kMonoFamily = "Noto Sans Mono CJK SC";
constexpr const char* kCreator = "sunbid";

// The page number band at the very bottom of the body, and the gap between
// the body and the caller's footer.
constexpr double kPageNumberBandMm = 7.0;
constexpr double kFooterGapMm = 3.0;
constexpr double kCellPadMm = 1.6;

Error render_error(const std::string& what) {
  return make_error("document_render_failed",
                    "文档生成失败：" + what + " / document rendering failed: " + what);
}

// ---- the per-thread private font map --------------------------------------

// The private fontconfig configuration: the pinned files only, scanned once
// per process (the scan is the slow part of a thread's first render).
// Fontconfig (>= 2.10) is thread-safe; the configuration is never changed
// after this, and each thread's font map holds its own reference.
struct PinnedConfig {
  FcConfig* config = nullptr;
  std::string error;  // why there is none (a pinned file is missing)
  PinnedConfig() {
    FcConfig* c = FcConfigCreate();
    if (c == nullptr) {
      error = "FcConfigCreate";
      return;
    }
    for (const char* file : kPinnedFontFiles) {
      if (!FcConfigAppFontAddFile(c, reinterpret_cast<const FcChar8*>(file))) {
        error = std::string("pinned font file missing or unreadable: ") + file;
        FcConfigDestroy(c);
        return;
      }
    }
    config = c;
  }
  ~PinnedConfig() {
    if (config != nullptr) FcConfigDestroy(config);
  }
  PinnedConfig(const PinnedConfig&) = delete;
  PinnedConfig& operator=(const PinnedConfig&) = delete;
};

const PinnedConfig& pinned_config() {
  static const PinnedConfig pinned;  // thread-safe initialisation
  return pinned;
}

// One PangoCairo font map per thread (pango font maps are not thread-safe),
// never the process-wide default map.
struct ThreadFontMap {
  PangoFontMap* map = nullptr;
  std::string error;
  ThreadFontMap() {
    const PinnedConfig& pinned = pinned_config();
    if (pinned.config == nullptr) {
      error = pinned.error;
      return;
    }
    PangoFontMap* m = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (m == nullptr || !PANGO_IS_FC_FONT_MAP(m)) {
      error = "pango has no fontconfig font map";
      if (m != nullptr) g_object_unref(m);
      return;
    }
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(m), pinned.config);  // takes a reference
    map = m;
  }
  ~ThreadFontMap() {
    if (map != nullptr) g_object_unref(map);
  }
  ThreadFontMap(const ThreadFontMap&) = delete;
  ThreadFontMap& operator=(const ThreadFontMap&) = delete;
};

// A thread whose first render found the fonts missing keeps failing: install
// fonts-noto-cjk and restart the process.
Result<PangoFontMap*> thread_font_map() {
  thread_local ThreadFontMap fonts;
  if (fonts.map == nullptr) return render_error(fonts.error);
  return fonts.map;
}

struct GObjectUnref {
  void operator()(void* p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
using ContextPtr = std::unique_ptr<PangoContext, GObjectUnref>;
using LayoutPtr = std::shared_ptr<PangoLayout>;

ContextPtr make_context(PangoFontMap* map) {
  ContextPtr ctx(pango_font_map_create_context(map));
  // 72 dpi: pango's absolute sizes are then points, the PDF's user unit.
  pango_cairo_context_set_resolution(ctx.get(), 72.0);
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(ctx.get(), fo);
  cairo_font_options_destroy(fo);
  pango_context_set_round_glyph_positions(ctx.get(), FALSE);
  // Simplified-Chinese glyph forms for Han characters shared with JP/KR/TC.
  pango_context_set_language(ctx.get(), pango_language_from_string("zh-cn"));
  return ctx;
}

LayoutPtr make_layout(PangoContext* ctx, const std::string& text, double size_pt, bool bold,
                      bool mono, Align align, double width_pt, bool break_anywhere) {
  PangoLayout* l = pango_layout_new(ctx);
  PangoFontDescription* fd = pango_font_description_new();
  pango_font_description_set_family(fd, mono ? kMonoFamily : kSansFamily);
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size(fd, size_pt * PANGO_SCALE);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  pango_layout_set_width(l, static_cast<int>(width_pt * PANGO_SCALE));
  pango_layout_set_wrap(l, break_anywhere ? PANGO_WRAP_CHAR : PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(l, align == Align::center  ? PANGO_ALIGN_CENTER
                                : align == Align::right ? PANGO_ALIGN_RIGHT
                                                        : PANGO_ALIGN_LEFT);
  pango_layout_set_text(l, text.data(), static_cast<int>(text.size()));
  return LayoutPtr(l, [](PangoLayout* p) { g_object_unref(p); });
}

// One line of a layout, in layout coordinates (pt).
struct LineBox {
  double x;         // left of the line's logical box (alignment included)
  double top;       // top of the line's logical box
  double height;    // logical height
  double baseline;  // from the line's top
};

std::vector<LineBox> line_boxes(PangoLayout* layout) {
  std::vector<LineBox> out;
  PangoLayoutIter* it = pango_layout_get_iter(layout);
  do {
    PangoRectangle logical;
    pango_layout_iter_get_line_extents(it, nullptr, &logical);
    const int baseline = pango_layout_iter_get_baseline(it);
    out.push_back(LineBox{static_cast<double>(logical.x) / PANGO_SCALE,
                          static_cast<double>(logical.y) / PANGO_SCALE,
                          static_cast<double>(logical.height) / PANGO_SCALE,
                          static_cast<double>(baseline - logical.y) / PANGO_SCALE});
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  return out;
}

double line_width(PangoLayout* layout) {
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  return static_cast<double>(logical.width) / PANGO_SCALE;
}

double layout_height(PangoLayout* layout) {
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

// ---- placed drawing operations (pt, page coordinates) ---------------------

struct OpLine {  // one line of a layout, its baseline's left end at (x, y)
  LayoutPtr layout;
  int line;
  double x, y;
};
struct OpRect {
  double x, y, w, h;
  double gray;  // fill gray level; < 0: stroke only
};
struct OpRule {
  double x1, y1, x2, y2, width;
  bool dashed = false;
};
struct OpHatch {  // a rectangle filled with diagonal lines, outlined
  double x, y, w, h;
};
struct OpQr {
  std::shared_ptr<const QrMatrix> matrix;
  double x, y, size;  // the square, quiet zone included
};
using Op = std::variant<OpLine, OpRect, OpRule, OpQr, OpHatch>;

struct Page {
  std::vector<Op> ops;
};

}  // namespace

// ---- blocks ---------------------------------------------------------------

struct Document::Block {
  enum class Kind { text, key_value, table, qr, qr_beside, rule, spacer, page_break, bar_chart };
  Kind kind = Kind::text;
  std::string text;
  std::string text2;
  TextStyle style;
  double a = 0.0;  // key width, QR size, rule space or spacer height (mm)
  Align align = Align::left;
  Table table;
  std::vector<std::pair<std::string, TextStyle>> lines;
  BarChart chart;
};

Document::Document(DocumentInfo info) : info_(std::move(info)) {}
Document::~Document() = default;
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;

Document& Document::title(std::string text) {
  TextStyle s;
  s.size_pt = 20.0;
  s.bold = true;
  s.align = Align::center;
  s.space_after_mm = 6.0;
  return paragraph(std::move(text), s);
}

Document& Document::heading(std::string text) {
  TextStyle s;
  s.size_pt = 14.0;
  s.bold = true;
  s.space_before_mm = 3.0;
  s.space_after_mm = 2.0;
  s.keep_with_next_mm = 20.0;
  return paragraph(std::move(text), s);
}

Document& Document::paragraph(std::string text, TextStyle style) {
  auto b = std::make_unique<Block>();
  b->kind = Block::Kind::text;
  b->text = std::move(text);
  b->style = style;
  blocks_.push_back(std::move(b));
  return *this;
}

Document& Document::key_value(std::string key, std::string value, double key_width_mm,
                              double size_pt) {
  auto b = std::make_unique<Block>();
  b->kind = Block::Kind::key_value;
  b->text = std::move(key);
  b->text2 = std::move(value);
  b->a = key_width_mm;
  b->style.size_pt = size_pt;
  b->style.space_after_mm = 1.5;
  blocks_.push_back(std::move(b));
  return *this;
}

Document& Document::table(Table table) {
  auto b = std::make_unique<Block>();
  b->kind = Block::Kind::table;
  b->table = std::move(table);
  blocks_.push_back(std::move(b));
  return *this;
}

Document& Document::qr(std::string text, double size_mm, Align align, std::string caption) {
  auto b = std::make_unique<Block>();
  b->kind = Block::Kind::qr;
  b->text = std::move(text);
  b->text2 = std::move(caption);
  b->a = size_mm;
  b->align = align;
  blocks_.push_back(std::move(b));
  return *this;
}

Document& Document::qr_beside(std::string qr_text, double size_mm,
                              std::vector<std::pair<std::string, TextStyle>> lines) {
  auto b = std::make_unique<Block>();
  b->kind = Block::Kind::qr_beside;
  b->text = std::move(qr_text);
  b->a = size_mm;
  b->lines = std::move(lines);
  blocks_.push_back(std::move(b));
  return *this;
}

Document& Document::bar_chart(BarChart chart) {
  auto b = std::make_unique<Block>();
  b->kind = Block::Kind::bar_chart;
  b->chart = std::move(chart);
  blocks_.push_back(std::move(b));
  return *this;
}

Document& Document::rule(double space_mm) {
  auto b = std::make_unique<Block>();
  b->kind = Block::Kind::rule;
  b->a = space_mm;
  blocks_.push_back(std::move(b));
  return *this;
}

Document& Document::spacer(double mm) {
  auto b = std::make_unique<Block>();
  b->kind = Block::Kind::spacer;
  b->a = mm;
  blocks_.push_back(std::move(b));
  return *this;
}

Document& Document::page_break() {
  auto b = std::make_unique<Block>();
  b->kind = Block::Kind::page_break;
  blocks_.push_back(std::move(b));
  return *this;
}

Document& Document::footer(FooterHook hook, double height_mm) {
  footer_hook_ = std::move(hook);
  footer_height_mm_ = height_mm;
  return *this;
}

namespace {

// Lays the blocks out on pages, handing each finished page to a sink: the
// first pass only counts them, the second draws each page as it completes and
// drops its layouts, so memory holds one page, not the whole document (a
// 2,000-letter PDF would otherwise keep every layout alive).
using PageSink = std::function<void(Page&&)>;

class Composer {
 public:
  Composer(PangoContext* ctx, double body_bottom_pt, PageSink sink)
      : ctx_(ctx),
        left_(pt(kMarginLeftMm)),
        width_(pt(kContentWidthMm)),
        top_(pt(kMarginTopMm)),
        bottom_(body_bottom_pt),
        y_(top_),
        sink_(std::move(sink)) {}

  // Hands over the last page unless it is empty (a final page_break()); a
  // document has at least one page. Returns the page count.
  int finish() {
    if (!current_.ops.empty() || pages_done_ == 0) flush();
    return pages_done_;
  }

  void new_page() {
    flush();
    y_ = top_;
  }
  bool at_top() const { return y_ <= top_ && current_.ops.empty(); }
  // Moves to a new page unless `height` fits below the cursor (or the page is
  // still empty: a block taller than a page is placed anyway).
  void ensure(double height) {
    if (y_ + height > bottom_ && !at_top()) new_page();
  }
  void skip(double height) {
    if (y_ + height > bottom_) {
      if (!at_top()) new_page();
      return;
    }
    y_ += height;
  }

  // Lines of `layout` at x, breaking between lines where the page ends.
  void flow_lines(const LayoutPtr& layout, double x) {
    const auto boxes = line_boxes(layout.get());
    for (std::size_t i = 0; i < boxes.size(); ++i) {
      ensure(boxes[i].height);
      add(OpLine{layout, static_cast<int>(i), x + boxes[i].x, y_ + boxes[i].baseline});
      y_ += boxes[i].height;
    }
  }
  // All lines of `layout` with its top at (x, top): no page break.
  void place_lines(const LayoutPtr& layout, double x, double top) {
    const auto boxes = line_boxes(layout.get());
    for (std::size_t i = 0; i < boxes.size(); ++i) {
      add(OpLine{layout, static_cast<int>(i), x + boxes[i].x,
                 top + boxes[i].top + boxes[i].baseline});
    }
  }

  LayoutPtr text_layout(const std::string& text, const TextStyle& s, double width) {
    return make_layout(ctx_, text, s.size_pt, s.bold, s.mono, s.align, width, s.break_anywhere);
  }

  void text(const std::string& text, const TextStyle& s) {
    if (s.space_before_mm > 0 && !at_top()) skip(pt(s.space_before_mm));
    const double indent = pt(s.indent_mm);
    auto layout = text_layout(text, s, width_ - indent);
    if (s.keep_with_next_mm > 0) ensure(layout_height(layout.get()) + pt(s.keep_with_next_mm));
    flow_lines(layout, left_ + indent);
    skip(pt(s.space_after_mm));
  }

  void key_value(const std::string& key, const std::string& value, double key_mm,
                 const TextStyle& s) {
    TextStyle ks = s;
    ks.bold = true;
    const double kw = pt(key_mm);
    auto kl = text_layout(key, ks, kw - pt(2.0));
    auto vl = text_layout(value, s, width_ - kw);
    const double h = std::max(layout_height(kl.get()), layout_height(vl.get()));
    ensure(h);
    place_lines(kl, left_, y_);
    place_lines(vl, left_ + kw, y_);
    y_ += h;
    skip(pt(s.space_after_mm));
  }

  void table(const Table& t) {
    const double pad = pt(kCellPadMm);
    std::vector<double> xs;
    double x = left_;
    for (const auto& c : t.columns) {
      xs.push_back(x);
      x += pt(c.width_mm);
    }
    auto make_row = [&](const std::vector<std::string>& cells, bool header) {
      std::vector<LayoutPtr> row;
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const auto& col = t.columns[i];
        const std::string& text = i < cells.size() ? cells[i] : std::string();
        row.push_back(make_layout(ctx_, text, t.font_pt, header, header ? false : col.mono,
                                  header ? Align::center : col.align, pt(col.width_mm) - 2 * pad,
                                  col.mono));
      }
      return row;
    };
    std::vector<std::string> header_cells;
    for (const auto& c : t.columns) header_cells.push_back(c.header);
    const auto header = make_row(header_cells, true);
    auto row_height = [&](const std::vector<LayoutPtr>& row) {
      double h = 0;
      for (const auto& l : row) h = std::max(h, layout_height(l.get()));
      return h + 2 * pad;
    };
    const double header_h = row_height(header);
    auto draw_row = [&](const std::vector<LayoutPtr>& row, double h, bool is_header) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        add(OpRect{xs[i], y_, pt(t.columns[i].width_mm), h, is_header ? 0.88 : -1.0});
        place_lines(row[i], xs[i] + pad, y_ + pad);
      }
      y_ += h;
    };
    bool header_on_page = false;
    auto draw_header = [&] {
      draw_row(header, header_h, true);
      header_on_page = true;
    };
    if (t.rows.empty()) {
      ensure(header_h);
      draw_header();
    }
    for (const auto& cells : t.rows) {
      auto row = make_row(cells, false);
      const double h = row_height(row);
      if (!header_on_page) {
        ensure(header_h + h);
        draw_header();
      } else if (y_ + h > bottom_) {
        new_page();
        draw_header();
      }
      draw_row(row, h, false);
    }
    skip(pt(t.space_after_mm));
  }

  Status qr(const std::string& text, double size_mm, Align align, const std::string& caption) {
    auto m = encode_qr(text);
    if (!m.ok()) return std::move(m).error();
    const double size = pt(size_mm);
    LayoutPtr cl;
    double ch = 0;
    if (!caption.empty()) {
      TextStyle cs;
      cs.size_pt = 10.0;
      cs.align = Align::center;
      cl = text_layout(caption, cs, std::max(size, pt(60.0)));
      ch = layout_height(cl.get());
    }
    ensure(size + ch);
    const double x = align == Align::left    ? left_
                     : align == Align::right ? left_ + width_ - size
                                             : left_ + (width_ - size) / 2;
    add(OpQr{std::make_shared<const QrMatrix>(std::move(m).value()), x, y_, size});
    y_ += size;
    if (cl) {
      const double cw = std::max(size, pt(60.0));
      const double cx = std::clamp(x + (size - cw) / 2, left_, left_ + width_ - cw);
      place_lines(cl, cx, y_);
      y_ += ch;
    }
    skip(pt(2.0));
    return ok_status();
  }

  Status qr_beside(const std::string& qr_text, double size_mm,
                   const std::vector<std::pair<std::string, TextStyle>>& lines) {
    auto m = encode_qr(qr_text);
    if (!m.ok()) return std::move(m).error();
    const double size = pt(size_mm);
    const double text_w = width_ - size - pt(4.0);
    std::vector<std::pair<LayoutPtr, const TextStyle*>> ls;
    double th = 0;
    for (const auto& [text, style] : lines) {
      ls.emplace_back(text_layout(text, style, text_w - pt(style.indent_mm)), &style);
      th += pt(style.space_before_mm) + layout_height(ls.back().first.get()) +
            pt(style.space_after_mm);
    }
    const double h = std::max(size, th);
    ensure(h);
    double ty = y_;
    for (const auto& [l, style] : ls) {
      ty += pt(style->space_before_mm);
      place_lines(l, left_ + pt(style->indent_mm), ty);
      ty += layout_height(l.get()) + pt(style->space_after_mm);
    }
    add(OpQr{std::make_shared<const QrMatrix>(std::move(m).value()), left_ + width_ - size, y_,
             size});
    y_ += h;
    skip(pt(2.0));
    return ok_status();
  }

  void bar_chart(const BarChart& c) {
    const double label_w = pt(c.label_width_mm);
    const double value_w = pt(c.value_width_mm);
    const double bar_x = left_ + label_w;
    const double bar_w = width_ - label_w - value_w;
    const double bar_h = pt(c.bar_height_mm);
    const double gap = pt(1.6);
    TextStyle group_style;
    group_style.size_pt = 10.0;
    group_style.bold = true;
    TextStyle small;
    small.size_pt = 9.0;
    TextStyle value_style = small;
    value_style.mono = true;
    const auto fraction = [](std::int64_t n, std::int64_t d) {
      if (d <= 0) return 0.0;
      return std::clamp(static_cast<double>(n) / static_cast<double>(d), 0.0, 1.0);
    };
    for (const auto& g : c.groups) {
      auto gl = text_layout(g.label, group_style, width_);
      const double gh = layout_height(gl.get());
      const double label_band = pt(4.0);  // the threshold's label above the bars
      const double h =
          gh + label_band + static_cast<double>(g.bars.size()) * (bar_h + gap) + pt(1.5);
      ensure(h);
      place_lines(gl, left_, y_);
      y_ += gh;
      const double bars_top = y_ + label_band;
      double by = bars_top;
      for (const auto& b : g.bars) {
        auto ll = text_layout(b.label, small, label_w - pt(2.0));
        place_lines(ll, left_ + pt(2.0), by + (bar_h - layout_height(ll.get())) / 2);
        const double fw = bar_w * fraction(b.numerator, b.denominator);
        if (fw > 0) {
          if (b.hatched) {
            add(OpHatch{bar_x, by, fw, bar_h});
          } else {
            add(OpRect{bar_x, by, fw, bar_h, 0.55});
          }
        }
        add(OpRect{bar_x, by, bar_w, bar_h, -1.0});  // the full scale, outlined
        auto vl = text_layout(b.value, value_style, value_w - pt(2.0));
        place_lines(vl, bar_x + bar_w + pt(2.0), by + (bar_h - layout_height(vl.get())) / 2);
        by += bar_h + gap;
      }
      if (g.threshold_denominator > 0) {
        const double tx = bar_x + bar_w * fraction(g.threshold_numerator, g.threshold_denominator);
        add(OpRule{tx, bars_top - pt(1.5), tx, by - gap + pt(1.0), 1.2, true});
        auto tl = text_layout(g.threshold_label, small, pt(40.0));
        const double tw = static_cast<double>(line_width(tl.get()));
        place_lines(tl, std::clamp(tx - tw / 2, bar_x, bar_x + bar_w - tw),
                    bars_top - pt(1.5) - layout_height(tl.get()));
      }
      y_ = by + pt(1.5) - gap;
    }
    // The scale: 0 %, 50 %, 100 % under the last group's bars.
    const double scale_h = pt(5.0);
    ensure(scale_h);
    for (int q = 0; q <= 4; ++q) {
      const double x = bar_x + bar_w * q / 4.0;
      add(OpRule{x, y_, x, y_ + pt(1.2), 0.5});
      auto ql = text_layout(std::to_string(q * 25) + "%", small, pt(20.0));
      const double qw = line_width(ql.get());
      place_lines(ql, x - qw / 2, y_ + pt(1.2));
    }
    y_ += scale_h;
    if (!c.legend.empty()) {
      TextStyle legend = small;
      legend.space_after_mm = 0.0;
      text(c.legend, legend);
    }
    skip(pt(3.0));
  }

  void rule(double space_mm) {
    skip(pt(space_mm));
    add(OpRule{left_, y_, left_ + width_, y_, 0.8});
    skip(pt(space_mm));
  }

  void page_break() {
    if (!at_top()) new_page();
  }

 private:
  void add(Op op) { current_.ops.push_back(std::move(op)); }
  void flush() {
    sink_(std::move(current_));
    current_ = Page{};
    ++pages_done_;
  }

  PangoContext* ctx_;
  double left_, width_, top_, bottom_;
  double y_;
  PageSink sink_;
  Page current_;
  int pages_done_ = 0;
};

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void draw_qr(cairo_t* cr, const QrMatrix& m, double x, double y, double size) {
  const double module = size / (m.width + 2 * kQrQuietZone);
  const double ox = x + kQrQuietZone * module;
  const double oy = y + kQrQuietZone * module;
  // One rectangle per horizontal run of dark modules, all filled at once.
  for (int r = 0; r < m.width; ++r) {
    int c = 0;
    while (c < m.width) {
      if (!m.dark(r, c)) {
        ++c;
        continue;
      }
      int end = c;
      while (end < m.width && m.dark(r, end)) ++end;
      cairo_rectangle(cr, ox + c * module, oy + r * module, (end - c) * module, module);
      c = end;
    }
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_fill(cr);
}

void draw_op(cairo_t* cr, const Op& op) {
  cairo_set_source_rgb(cr, 0, 0, 0);
  if (const auto* l = std::get_if<OpLine>(&op)) {
    cairo_move_to(cr, l->x, l->y);
    pango_cairo_show_layout_line(cr, pango_layout_get_line_readonly(l->layout.get(), l->line));
  } else if (const auto* r = std::get_if<OpRect>(&op)) {
    cairo_rectangle(cr, r->x, r->y, r->w, r->h);
    if (r->gray >= 0) {
      cairo_set_source_rgb(cr, r->gray, r->gray, r->gray);
      cairo_fill_preserve(cr);
      cairo_set_source_rgb(cr, 0, 0, 0);
    }
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
  } else if (const auto* u = std::get_if<OpRule>(&op)) {
    cairo_move_to(cr, u->x1, u->y1);
    cairo_line_to(cr, u->x2, u->y2);
    cairo_set_line_width(cr, u->width);
    if (u->dashed) {
      static constexpr double kDash[] = {3.0, 2.0};
      cairo_set_dash(cr, kDash, 2, 0.0);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0.0);
  } else if (const auto* h = std::get_if<OpHatch>(&op)) {
    // Diagonal lines 2.4 pt apart, clipped to the rectangle: reads as "filled"
    // on a photocopy without relying on a grey level.
    cairo_save(cr);
    cairo_rectangle(cr, h->x, h->y, h->w, h->h);
    cairo_clip(cr);
    for (double d = -h->h; d < h->w; d += 2.4) {
      cairo_move_to(cr, h->x + d, h->y + h->h);
      cairo_line_to(cr, h->x + d + h->h, h->y);
    }
    cairo_set_line_width(cr, 0.7);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_rectangle(cr, h->x, h->y, h->w, h->h);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
  } else if (const auto* q = std::get_if<OpQr>(&op)) {
    draw_qr(cr, *q->matrix, q->x, q->y, q->size);
  }
}

// The PDF date form cairo takes: "YYYY-MM-DDThh:mm:ssZ".
std::string pdf_date(std::int64_t t_ms) {
  return format_rfc3339_ms(t_ms).substr(0, 19) + "Z";
}

}  // namespace

Result<std::string> Document::render_pdf() const {
  SUNBID_ASSIGN_OR_RETURN(PangoFontMap * map, thread_font_map());
  ContextPtr ctx = make_context(map);

  const double page_h = pt(kPageHeightMm);
  const double number_top = page_h - pt(kMarginBottomMm) - pt(kPageNumberBandMm);
  const double footer_h = footer_hook_ ? pt(footer_height_mm_) : 0.0;
  const double footer_top = number_top - footer_h;
  const double body_bottom = footer_hook_ ? footer_top - pt(kFooterGapMm) : number_top;

  auto lay_out = [&](Composer& comp) -> Status {
    for (const auto& b : blocks_) {
      switch (b->kind) {
        case Block::Kind::text:
          comp.text(b->text, b->style);
          break;
        case Block::Kind::key_value:
          comp.key_value(b->text, b->text2, b->a, b->style);
          break;
        case Block::Kind::table:
          comp.table(b->table);
          break;
        case Block::Kind::qr:
          SUNBID_TRY(comp.qr(b->text, b->a, b->align, b->text2));
          break;
        case Block::Kind::qr_beside:
          SUNBID_TRY(comp.qr_beside(b->text, b->a, b->lines));
          break;
        case Block::Kind::rule:
          comp.rule(b->a);
          break;
        case Block::Kind::spacer:
          comp.skip(pt(b->a));
          break;
        case Block::Kind::page_break:
          comp.page_break();
          break;
        case Block::Kind::bar_chart:
          comp.bar_chart(b->chart);
          break;
      }
    }
    return ok_status();
  };

  // Pass 1: the page count, for "共 m 页" and the footer hook.
  int page_count = 0;
  {
    Composer counter(ctx.get(), body_bottom, [](Page&&) {});
    SUNBID_TRY(lay_out(counter));
    page_count = counter.finish();
  }

  // Pass 2: the same layout again (deterministic), each page drawn as it completes.
  std::string pdf;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(append_to_string, &pdf, pt(kPageWidthMm), page_h);
  const std::string date = pdf_date(info_.event_time_ms);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, info_.title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, kCreator);
  if (!info_.subject.empty()) {
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, info_.subject.c_str());
  }
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date.c_str());
  cairo_t* cr = cairo_create(surface);

  const double left = pt(kMarginLeftMm);
  const double width = pt(kContentWidthMm);
  Status status = ok_status();
  int page_number = 0;
  auto draw_page = [&](Page&& page) {
    ++page_number;
    if (!status.ok()) return;
    for (const auto& op : page.ops) draw_op(cr, op);
    if (footer_hook_) {
      const Footer f = footer_hook_(page_number, page_count);
      draw_op(cr, OpRule{left, footer_top - pt(1.5), left + width, footer_top - pt(1.5), 0.5});
      double text_w = width;
      if (!f.qr_text.empty()) {
        auto m = encode_qr(f.qr_text);
        if (!m.ok()) {
          status = std::move(m).error();
          return;
        }
        const double size = footer_h;
        text_w = width - size - pt(3.0);
        draw_qr(cr, m.value(), left + width - size, footer_top, size);
      }
      double y = footer_top + pt(1.0);
      for (const auto& line : f.lines) {
        auto l = make_layout(ctx.get(), line, 8.0, false, false, Align::left, text_w, true);
        const auto boxes = line_boxes(l.get());
        for (std::size_t i = 0; i < boxes.size(); ++i) {
          draw_op(cr, OpLine{l, static_cast<int>(i), left + boxes[i].x,
                             y + boxes[i].top + boxes[i].baseline});
        }
        y += layout_height(l.get());
      }
    }
    const std::string number =
        "第 " + std::to_string(page_number) + " 页 共 " + std::to_string(page_count) + " 页";
    auto nl = make_layout(ctx.get(), number, 9.0, false, false, Align::center, width, false);
    const auto boxes = line_boxes(nl.get());
    draw_op(cr, OpLine{nl, 0, left + boxes[0].x, number_top + pt(2.0) + boxes[0].baseline});
    cairo_show_page(cr);
  };
  {
    Composer drawer(ctx.get(), body_bottom, draw_page);
    const Status laid = lay_out(drawer);
    if (!laid.ok() && status.ok()) status = laid;
    drawer.finish();
  }
  if (status.ok() && page_number != page_count) {
    status = render_error("the two layout passes disagree on the page count");
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t cs = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (!status.ok()) return std::move(status).error();
  if (cs != CAIRO_STATUS_SUCCESS) return render_error(cairo_status_to_string(cs));
  return pdf;
}

std::string format_centi(std::int64_t hundredths) {
  const bool negative = hundredths < 0;
  // Magnitude as unsigned: INT64_MIN has no positive int64 counterpart.
  const std::uint64_t mag = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(hundredths)
                                     : static_cast<std::uint64_t>(hundredths);
  const std::uint64_t frac = mag % 100;
  std::string out = negative ? "-" : "";
  out += std::to_string(mag / 100);
  out += '.';
  out += static_cast<char>('0' + frac / 10);
  out += static_cast<char>('0' + frac % 10);
  return out;
}

}  // namespace sunbid::documents

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SUNBID_DOCUMENTS_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(SUNBID_DOCUMENTS_ASAN)
// LeakSanitizer: fontconfig and cairo keep process-wide caches (cairo's FreeType
// font-face cache holds fontconfig patterns) that are never freed before exit.
// Not ours to free, and freeing them (FcFini, cairo_debug_reset_static_data)
// is unsafe while other threads render. Defined here, beside the code that
// fills those caches, so that every binary linking the renderer gets it.
// NOLINTNEXTLINE(bugprone-reserved-identifier): the sanitizer's hook has this name
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\nleak:libcairo.so\n";
}
#endif
