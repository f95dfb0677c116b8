// The first frame of a GIF through giflib, placed as Pillow places it: on a canvas the size of the logical screen
// (grown to hold the frame), the rest filled with the transparent index (0 without one). The frame's palette (local,
// else global) makes it mode P, or mode L when that palette is the identity grey ramp (Pillow drops such a palette).
// Only the first frame is read: an animation's later frames cost nothing.
#include <gif_lib.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "clipimg/decode.h"
#include "clipimg/errors.h"

namespace clipimg {
namespace {

struct Reader {
  const uint8_t* data;
  size_t length;
  size_t position;
};

int on_read(GifFileType* gif, GifByteType* out, int n) {
  auto* r = static_cast<Reader*>(gif->UserData);
  const size_t available = std::min(static_cast<size_t>(n < 0 ? 0 : n), r->length - r->position);
  std::memcpy(out, r->data + r->position, available);
  r->position += available;
  return static_cast<int>(available);
}

struct GifCloser {
  GifFileType* gif;
  ~GifCloser() {
    int error = 0;
    if (gif != nullptr) DGifCloseFile(gif, &error);
  }
};

std::string gif_error(const char* what, int code) {
  const char* text = GifErrorString(code);
  return std::string(what) + ": " + (text != nullptr ? text : "unknown giflib error");
}

bool is_identity_grey_ramp(const ColorMapObject* map) {
  for (int i = 0; i < map->ColorCount; i++) {
    const GifColorType& c = map->Colors[i];
    if (c.Red != i || c.Green != i || c.Blue != i) return false;
  }
  return true;
}

}  // namespace

Image decode_gif(const uint8_t* data, size_t length, const DecodeOptions& options) {
  Reader reader{data, length, 0};
  int error = 0;
  GifCloser closer{DGifOpen(&reader, on_read, &error)};
  GifFileType* gif = closer.gif;
  if (gif == nullptr) bad_image(gif_error("corrupt GIF", error));
  int transparent = -1;
  for (bool found = false; !found;) {
    GifRecordType type;
    if (DGifGetRecordType(gif, &type) == GIF_ERROR) bad_image(gif_error("corrupt GIF", gif->Error));
    if (type == EXTENSION_RECORD_TYPE) {
      int code = 0;
      GifByteType* block = nullptr;
      if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) bad_image(gif_error("corrupt GIF", gif->Error));
      if (code == GRAPHICS_EXT_FUNC_CODE && block != nullptr && block[0] >= 4) {
        transparent = (block[1] & 1) != 0 ? block[4] : -1;
      }
      while (block != nullptr) {
        if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) bad_image(gif_error("corrupt GIF", gif->Error));
      }
    } else if (type == IMAGE_DESC_RECORD_TYPE) {
      if (DGifGetImageDesc(gif) == GIF_ERROR) bad_image(gif_error("corrupt GIF", gif->Error));
      found = true;
    } else if (type == TERMINATE_RECORD_TYPE) {
      bad_image("GIF without an image");
    }
  }
  const GifImageDesc& frame = gif->Image;
  const int64_t width = std::max<int64_t>(gif->SWidth, int64_t{frame.Left} + frame.Width);
  const int64_t height = std::max<int64_t>(gif->SHeight, int64_t{frame.Top} + frame.Height);
  check_dimensions(width, height, options);
  const ColorMapObject* map = frame.ColorMap != nullptr ? frame.ColorMap : gif->SColorMap;
  if (map == nullptr) unsupported("GIF without a palette");
  Image img;
  img.width = static_cast<int>(width);
  img.height = static_cast<int>(height);
  img.mode = is_identity_grey_ramp(map) ? Mode::kL : Mode::kP;  // L: index == grey level, no lookup needed
  for (int i = 0; i < map->ColorCount && i < 256; i++) {
    img.palette[i] = static_cast<uint32_t>(map->Colors[i].Red) << 16 | map->Colors[i].Green << 8 | map->Colors[i].Blue;
  }
  img.pixels.assign(img.row_bytes() * img.height, static_cast<uint8_t>(transparent >= 0 ? transparent : 0));
  if (frame.Width > 0 && frame.Height > 0) {
    std::vector<GifPixelType> line(frame.Width);
    // Interlaced frames store rows in four passes: every 8th from 0, every 8th from 4, every 4th from 2, odd rows.
    static const int kStart[] = {0, 4, 2, 1};
    static const int kStep[] = {8, 8, 4, 2};
    const int passes = frame.Interlace ? 4 : 1;
    for (int pass = 0; pass < passes; pass++) {
      const int start = frame.Interlace ? kStart[pass] : 0;
      const int step = frame.Interlace ? kStep[pass] : 1;
      for (int y = start; y < frame.Height; y += step) {
        if (DGifGetLine(gif, line.data(), frame.Width) == GIF_ERROR) {
          bad_image(gif_error("corrupt or truncated GIF", gif->Error));
        }
        std::memcpy(img.pixels.data() + static_cast<size_t>(frame.Top + y) * img.width + frame.Left, line.data(),
                    frame.Width);
      }
    }
  }
  return img;
}

}  // namespace clipimg
