// PNG through libpng, producing Pillow's modes: grey 1-bit as a black/white palette (Pillow mode 1, resized with
// NEAREST), grey 2/4-bit scaled to 8 (L), grey 16-bit kept (I;16), other 16-bit samples cut to their high byte (as
// Pillow's RGB;16B raw modes), palette indices kept (P), tRNS and gAMA ignored. libpng reports errors by longjmp,
// so its calls run in small functions whose frames hold no C++ objects.
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "clipimg/decode.h"
#include "clipimg/errors.h"

namespace clipimg {
namespace {

struct PngSession {
  png_structp png = nullptr;
  png_infop info = nullptr;
  const uint8_t* data = nullptr;
  size_t length = 0;
  size_t position = 0;
  char message[256] = {0};

  ~PngSession() {
    if (png != nullptr) png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
  }
};

struct PngHeader {
  png_uint_32 width, height;
  int bit_depth, colour_type;
  png_colorp palette;
  int palette_size;
};

void on_error(png_structp png, png_const_charp message) {
  auto* s = static_cast<PngSession*>(png_get_error_ptr(png));
  std::snprintf(s->message, sizeof s->message, "%s", message);
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

void on_read(png_structp png, png_bytep out, png_size_t n) {
  auto* s = static_cast<PngSession*>(png_get_io_ptr(png));
  if (n > s->length - s->position) png_error(png, "truncated PNG");
  std::memcpy(out, s->data + s->position, n);
  s->position += n;
}

bool read_header(PngSession* s, PngHeader* h) {
  if (setjmp(png_jmpbuf(s->png))) return false;
  png_set_read_fn(s->png, s, on_read);
  png_read_info(s->png, s->info);
  png_get_IHDR(s->png, s->info, &h->width, &h->height, &h->bit_depth, &h->colour_type, nullptr, nullptr, nullptr);
  h->palette = nullptr;
  h->palette_size = 0;
  if (h->colour_type == PNG_COLOR_TYPE_PALETTE) png_get_PLTE(s->png, s->info, &h->palette, &h->palette_size);
  return true;
}

// Sets up libpng's transforms for the chosen output layout and checks the row size it will write.
bool configure(PngSession* s, const PngHeader* h, size_t expected_row_bytes, size_t* row_bytes) {
  if (setjmp(png_jmpbuf(s->png))) return false;
  const bool grey = h->colour_type == PNG_COLOR_TYPE_GRAY;
  if (h->bit_depth == 16 && !grey) png_set_strip_16(s->png);  // high byte, not rounded: Pillow's raw modes
  if (h->bit_depth < 8) {
    if (grey && h->bit_depth > 1) {
      png_set_expand_gray_1_2_4_to_8(s->png);
    } else {
      png_set_packing(s->png);  // palette or 1-bit indices, one byte each
    }
  }
  png_set_interlace_handling(s->png);
  png_read_update_info(s->png, s->info);
  *row_bytes = png_get_rowbytes(s->png, s->info);
  return *row_bytes == expected_row_bytes;
}

bool read_rows(PngSession* s, png_bytepp rows) {
  if (setjmp(png_jmpbuf(s->png))) return false;
  png_read_image(s->png, rows);
  return true;  // no png_read_end: like the Java path, the file is complete once its pixels are
}

}  // namespace

Image decode_png(const uint8_t* data, size_t length, const DecodeOptions& options) {
  // IHDR is the first chunk: check the limits from it before libpng reads (and checksums) anything further.
  if (length >= 24 && std::memcmp(data + 12, "IHDR", 4) == 0) {
    auto u32 = [&](size_t at) {
      return uint32_t{data[at]} << 24 | data[at + 1] << 16 | data[at + 2] << 8 | data[at + 3];
    };
    check_dimensions(u32(16), u32(20), options);
  }
  PngSession s;
  s.data = data;
  s.length = length;
  s.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &s, on_error, on_warning);
  if (s.png == nullptr) fail(ErrorKind::kInternal, "png_create_read_struct failed");
  s.info = png_create_info_struct(s.png);
  if (s.info == nullptr) fail(ErrorKind::kInternal, "png_create_info_struct failed");
  PngHeader h;
  if (!read_header(&s, &h)) bad_image(std::string("corrupt PNG: ") + s.message);
  check_dimensions(h.width, h.height, options);
  Image img;
  img.width = static_cast<int>(h.width);
  img.height = static_cast<int>(h.height);
  const bool wide_grey = h.colour_type == PNG_COLOR_TYPE_GRAY && h.bit_depth == 16;
  switch (h.colour_type) {
    case PNG_COLOR_TYPE_GRAY:
      img.mode = wide_grey ? Mode::kI16 : (h.bit_depth == 1 ? Mode::kP : Mode::kL);
      if (h.bit_depth == 1) img.palette[1] = 0xFFFFFF;
      break;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
      img.mode = Mode::kLA;
      break;
    case PNG_COLOR_TYPE_RGB:
      img.mode = Mode::kRGB;
      break;
    case PNG_COLOR_TYPE_RGB_ALPHA:
      img.mode = Mode::kRGBA;
      break;
    case PNG_COLOR_TYPE_PALETTE:
      img.mode = Mode::kP;
      for (int i = 0; i < h.palette_size && i < 256; i++) {
        img.palette[i] = static_cast<uint32_t>(h.palette[i].red) << 16 | h.palette[i].green << 8 | h.palette[i].blue;
      }
      break;
    default:
      bad_image("PNG with unknown colour type " + std::to_string(h.colour_type));
  }
  const size_t row_bytes = wide_grey ? static_cast<size_t>(img.width) * 2 : img.row_bytes();
  size_t actual_row_bytes = 0;
  if (!configure(&s, &h, row_bytes, &actual_row_bytes)) {
    if (s.message[0] != 0) bad_image(std::string("corrupt PNG: ") + s.message);
    fail(ErrorKind::kInternal,
         "libpng row size " + std::to_string(actual_row_bytes) + ", expected " + std::to_string(row_bytes));
  }
  std::vector<uint8_t> buffer(row_bytes * img.height);
  std::vector<png_bytep> rows(img.height);
  for (int y = 0; y < img.height; y++) rows[y] = buffer.data() + static_cast<size_t>(y) * row_bytes;
  if (!read_rows(&s, rows.data())) bad_image(std::string("corrupt or truncated PNG: ") + s.message);
  if (wide_grey) {
    img.pixels16.resize(static_cast<size_t>(img.width) * img.height);
    for (size_t i = 0; i < img.pixels16.size(); i++) {
      img.pixels16[i] = static_cast<uint16_t>(buffer[2 * i] << 8 | buffer[2 * i + 1]);  // big-endian in the file
    }
  } else {
    img.pixels = std::move(buffer);
  }
  return img;
}

}  // namespace clipimg
