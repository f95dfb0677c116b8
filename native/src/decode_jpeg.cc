// JPEG through libjpeg-turbo's libjpeg API, configured as Pillow configures it (islow IDCT, fancy upsampling, no
// colour management: the ICC profile is never read). libjpeg reports errors by longjmp, so each libjpeg call runs in
// a small function whose frame holds no C++ objects; the session object that owns the decoder lives outside it.
// jpeglib.h needs size_t and FILE declared first.
#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <cstring>

#include <jerror.h>
#include <jpeglib.h>

#include <string>
#include <vector>

#include "clipimg/decode.h"
#include "clipimg/errors.h"

namespace clipimg {
namespace {

// A progressive JPEG may carry thousands of tiny scans, each costing a pass over the image: cap them (libjpeg-turbo's
// own advice for untrusted input).
constexpr int kMaxScans = 500;

struct JpegSession {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr err;
  jpeg_progress_mgr progress;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
  bool created;
  bool truncated;

  JpegSession() {
    std::memset(&cinfo, 0, sizeof cinfo);
    std::memset(message, 0, sizeof message);
    created = false;
    truncated = false;
  }
  ~JpegSession() {
    if (created) jpeg_destroy_decompress(&cinfo);
  }
  JpegSession(const JpegSession&) = delete;
  JpegSession& operator=(const JpegSession&) = delete;
};

JpegSession* session_of(j_common_ptr c) {
  return static_cast<JpegSession*>(c->client_data);
}

void on_error(j_common_ptr c) {
  JpegSession* s = session_of(c);
  c->err->format_message(c, s->message);
  std::longjmp(s->jump, 1);
}

// libjpeg fills a cut-off stream with grey and warns; Pillow (and the Java path) refuse such a file. Other warnings
// (extraneous bytes, bad Huffman codes) are tolerated by both, so they are here too.
void on_message(j_common_ptr c, int level) {
  if (level < 0 && c->err->msg_code == JWRN_JPEG_EOF) session_of(c)->truncated = true;
}

void on_progress(j_common_ptr c) {
  auto* d = reinterpret_cast<j_decompress_ptr>(c);
  if (d->input_scan_number > kMaxScans) {
    JpegSession* s = session_of(c);
    std::snprintf(s->message, sizeof s->message, "JPEG with more than %d scans", kMaxScans);
    std::longjmp(s->jump, 1);
  }
}

bool read_header(JpegSession* s, const uint8_t* data, size_t length) {
  s->cinfo.err = jpeg_std_error(&s->err);
  s->err.error_exit = on_error;
  s->err.emit_message = on_message;
  s->cinfo.client_data = s;
  if (setjmp(s->jump)) return false;
  s->created = true;
  jpeg_create_decompress(&s->cinfo);
  s->cinfo.client_data = s;  // jpeg_create_decompress clears the struct
  s->progress.progress_monitor = on_progress;
  s->cinfo.progress = &s->progress;
  jpeg_mem_src(&s->cinfo, data, static_cast<unsigned long>(length));
  jpeg_read_header(&s->cinfo, TRUE);
  return true;
}

bool calc_dimensions(JpegSession* s) {
  if (setjmp(s->jump)) return false;
  jpeg_calc_output_dimensions(&s->cinfo);
  return true;
}

bool read_pixels(JpegSession* s, uint8_t* out, size_t row_bytes) {
  if (setjmp(s->jump)) return false;
  jpeg_start_decompress(&s->cinfo);
  while (s->cinfo.output_scanline < s->cinfo.output_height) {
    JSAMPROW row = out + static_cast<size_t>(s->cinfo.output_scanline) * row_bytes;
    jpeg_read_scanlines(&s->cinfo, &row, 1);
  }
  // Not jpeg_finish_decompress: like the Java path, a file is complete once its pixels are (no EOI check).
  jpeg_abort_decompress(&s->cinfo);
  return true;
}

// Smallest scale of 1/8, 1/4 or 1/2 whose shorter output side is still >= min_side (1: no scaling). Only these
// scales have dedicated reduced IDCTs (the ones Pillow's draft() uses too); the other n/8 alias visibly. Measured
// on the 121 ImageNet-sample JPEGs with shorter side >= 448, worst cosine to exact mode (test model):
// every n/8 with min_side = S: 0.99814; every n/8 with 2 S: 0.99893; powers of two with S: 0.99885; with 1.5 S:
// 0.99989 (chosen, see pipeline.cc); with 2 S: 0.99998.
unsigned int dct_scale(unsigned int width, unsigned int height, int min_side) {
  const unsigned long long shorter = width < height ? width : height;
  for (unsigned int n = 1; n < 8; n *= 2) {
    if ((shorter * n + 7) / 8 >= static_cast<unsigned long long>(min_side)) return n;
  }
  return 8;
}

}  // namespace

Image decode_jpeg(const uint8_t* data, size_t length, const DecodeOptions& options) {
  JpegSession s;
  if (!read_header(&s, data, length)) bad_image(std::string("corrupt JPEG header: ") + s.message);
  check_dimensions(s.cinfo.image_width, s.cinfo.image_height, options);
  Image img;
  switch (s.cinfo.num_components) {
    case 1:
      img.mode = Mode::kL;
      s.cinfo.out_color_space = JCS_GRAYSCALE;
      break;
    case 3:
      img.mode = Mode::kRGB;
      s.cinfo.out_color_space = JCS_RGB;
      break;
    case 4:  // CMYK or YCCK: Pillow keeps CMYK and converts it naively after the crop
      img.mode = Mode::kCMYK;
      s.cinfo.out_color_space = JCS_CMYK;
      break;
    default:
      unsupported("JPEG with " + std::to_string(s.cinfo.num_components) + " components");
  }
  s.cinfo.dct_method = JDCT_ISLOW;
  s.cinfo.do_fancy_upsampling = TRUE;
  if (options.dct_min_side > 0) {
    s.cinfo.scale_num = dct_scale(s.cinfo.image_width, s.cinfo.image_height, options.dct_min_side);
    s.cinfo.scale_denom = 8;
  }
  if (!calc_dimensions(&s)) bad_image(std::string("corrupt JPEG: ") + s.message);
  img.width = static_cast<int>(s.cinfo.output_width);
  img.height = static_cast<int>(s.cinfo.output_height);
  if (s.cinfo.output_components != img.bands()) fail(ErrorKind::kInternal, "unexpected JPEG output components");
  img.pixels.resize(img.row_bytes() * img.height);
  if (!read_pixels(&s, img.pixels.data(), img.row_bytes())) bad_image(std::string("corrupt JPEG: ") + s.message);
  if (s.truncated) bad_image("truncated image: Premature end of JPEG file");
  if (img.mode == Mode::kCMYK) {
    // Photoshop stores CMYK inverted; Pillow assumes so whatever the Adobe marker says, and so does the Java path.
    for (uint8_t& v : img.pixels) v = static_cast<uint8_t>(255 - v);
  }
  return img;
}

}  // namespace clipimg
