"""Synthetic test images for the preprocessing parity fixtures: one small file per decoder path and Pillow mode.

Used by make_image_fixtures.py, which writes them with `make_images(out_dir)` and then records what open_clip's
transform makes of each. Content is photo-like (gradients, hard edges that make bicubic overshoot, light noise) and
tiny (a few KB per file). A few files are patched by hand where Pillow cannot write the variant (YCCK JPEG, 16-bit
RGB PNG, GIF whose first frame does not fill its screen).
"""
import io
import os
import struct
import zlib

import numpy as np
from PIL import Image

OUT = None  # set by make_images


def scene(w, h, seed=1, noise=3.0):
    """Photo-like synthetic RGB: gradients, hard edges (to make bicubic overshoot and clip), a little noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 128 + 110 * np.sin(x / max(w, 1) * 5.0 + 0.3)
    g = 40 + 180 * (y / max(h - 1, 1))
    b = 128 + 100 * np.cos((x + 2 * y) / max(w + h, 1) * 9.0)
    img = np.stack([r, g, b], axis=-1)
    box = (x > w * 0.55) & (x < w * 0.8) & (y > h * 0.2) & (y < h * 0.6)
    img[box] = (250, 250, 20)
    disc = (x - w * 0.3) ** 2 + (y - h * 0.65) ** 2 < (min(w, h) * 0.18) ** 2
    img[disc] = (5, 10, 200)
    img[:, ::max(w // 9, 2)] = 0  # thin black lines: maximal ringing
    img += rng.normal(0, noise, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def alpha_ramp(w, h):
    """Alpha covering 0 (fully transparent, colour must not leak), 255 and everything between."""
    y, x = np.mgrid[0:h, 0:w]
    a = (x * 255 // max(w - 1, 1)).astype(np.uint8)
    a[: h // 4] = 0
    a[-h // 5:] = 255
    return a


def save(name, im, **kw):
    path = os.path.join(OUT, name)
    im.save(path, **kw)
    return path


def write_png_rgb_with_trns(name, rgb):
    """PNG colour type 2 with a tRNS chunk: Pillow keeps mode RGB (transparency only in info)."""
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "PNG", transparency=tuple(int(v) for v in rgb[0, 0]))
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(buf.getvalue())
    return os.path.join(OUT, name)


def linear_rgb_icc_profile():
    """A minimal ICC v2 RGB matrix/TRC profile with gamma 1.0 (linear light, sRGB primaries).

    Any non-sRGB profile would do: JDK ImageIO colour-manages it, Pillow ignores it."""

    def s15(v):
        return struct.pack(">i", int(round(v * 65536)))

    def xyz(x, y, z):
        return b"XYZ " + b"\0" * 4 + s15(x) + s15(y) + s15(z)

    curve = b"curv" + b"\0" * 4 + struct.pack(">I", 1) + struct.pack(">H", 256)  # gamma 1.0 (u8Fixed8)
    desc_text = b"linear sRGB test profile\0"
    desc = (b"desc" + b"\0" * 4 + struct.pack(">I", len(desc_text)) + desc_text + b"\0" * 12 + b"\0" * 67)
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text" + b"\0" * 4 + b"public domain\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for sig, body in tags:
        while (offset + len(data)) % 4:
            data += b"\0"
        table += sig + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ "
              + struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp" + b"APPL" + b"\0" * 4 + b"\0" * 8
              + b"\0" * 8 + b"\0" * 4 + s15(0.9642) + s15(1.0) + s15(0.8249) + b"lcms" + b"\0" * 44)
    assert len(header) == 128, len(header)
    return header + struct.pack(">I", len(tags)) + table + data


def make_images(out_dir):
    """Writes the images into out_dir; returns {image id: path}."""
    global OUT
    OUT = out_dir
    os.makedirs(OUT, exist_ok=True)
    w, h = 73, 53
    rgb = scene(w, h)
    made = {}
    made["jpeg_baseline_420"] = save("jpeg_baseline_420.jpg", Image.fromarray(rgb), quality=90, subsampling=2)
    made["jpeg_444"] = save("jpeg_444.jpg", Image.fromarray(rgb), quality=90, subsampling=0)
    made["jpeg_422"] = save("jpeg_422.jpg", Image.fromarray(rgb), quality=90, subsampling=1)
    made["jpeg_progressive"] = save("jpeg_progressive.jpg", Image.fromarray(rgb), quality=90, progressive=True)
    made["jpeg_grey"] = save("jpeg_grey.jpg", Image.fromarray(rgb).convert("L"), quality=90)
    made["jpeg_cmyk"] = save("jpeg_cmyk.jpg", Image.fromarray(rgb).convert("CMYK"), quality=90)
    made["jpeg_ycck"] = _as_ycck(made["jpeg_cmyk"], "jpeg_ycck.jpg")
    made["jpeg_icc_linear"] = save("jpeg_icc_linear.jpg", Image.fromarray(rgb), quality=90,
                                   icc_profile=linear_rgb_icc_profile())
    made["png_rgb"] = save("png_rgb.png", Image.fromarray(rgb))
    rgba = np.dstack([rgb, alpha_ramp(w, h)])
    made["png_rgba"] = save("png_rgba.png", Image.fromarray(rgba, "RGBA"))
    grey = np.asarray(Image.fromarray(rgb).convert("L"))
    made["png_grey"] = save("png_grey.png", Image.fromarray(grey))
    made["png_grey_alpha"] = save("png_grey_alpha.png", Image.fromarray(np.dstack([grey, alpha_ramp(w, h)]), "LA"))
    made["png_grey4"] = save("png_grey4.png", Image.fromarray(grey), bits=4)
    made["png_1bit"] = save("png_1bit.png", Image.fromarray(grey).convert("1"))
    pal = Image.fromarray(rgb).quantize(24)
    made["png_palette"] = save("png_palette.png", pal)
    made["png_palette_trns"] = save("png_palette_trns.png", pal, transparency=bytes([0, 128] + [255] * 22))
    made["png_rgb_trns"] = write_png_rgb_with_trns("png_rgb_trns.png", rgb)
    small = scene(41, 29, seed=7)  # 16-bit PNGs hold twice the bytes: keep them smaller
    made["png_rgb16"] = _png16(small, "RGB")
    made["png_grey16"] = _png16_grey(np.asarray(Image.fromarray(small).convert("L")))
    made["png_rgba16"] = _png16(np.dstack([small, alpha_ramp(41, 29)]), "RGBA", name="png_rgba16.png")
    small_grey = np.asarray(Image.fromarray(small).convert("L"))
    # 16-bit grey+alpha: Pillow opens it as RGBA (grey replicated), resized premultiplied
    made["png_la16"] = _png16(np.dstack([small_grey, alpha_ramp(41, 29)]), "LA", name="png_la16.png")
    # grey with a tRNS colour: Pillow keeps mode L (the JDK adds an alpha band that must not be used)
    made["png_grey_trns"] = save("png_grey_trns.png", Image.fromarray(small_grey), transparency=int(small_grey[0, 0]))
    made["webp_lossless"] = save("webp_lossless.webp", Image.fromarray(rgb), lossless=True)
    made["webp_lossy"] = save("webp_lossy.webp", Image.fromarray(rgb), quality=85)
    made["webp_alpha"] = save("webp_alpha.webp", Image.fromarray(rgba, "RGBA"), lossless=True)
    made["gif_palette"] = save("gif_palette.gif", pal)
    # an identity grey palette (entry i == (i, i, i)): Pillow opens such a GIF as mode L, not P
    made["gif_grey"] = save("gif_grey.gif", Image.fromarray(grey), optimize=False)
    made["gif_offset_frame"] = _gif_with_offset_frame(pal, "gif_offset_frame.gif", transparency=None)
    made["gif_offset_frame_trns"] = _gif_with_offset_frame(pal, "gif_offset_frame_trns.gif", transparency=5)
    made["bmp_rgb24"] = save("bmp_rgb24.bmp", Image.fromarray(rgb))
    made["bmp_palette8"] = save("bmp_palette8.bmp", pal)
    made["bmp_grey8"] = save("bmp_grey8.bmp", Image.fromarray(grey))
    made["tiny_1x1"] = save("tiny_1x1.png", Image.new("RGB", (1, 1), (200, 30, 90)))
    made["wide_4000x3"] = save("wide_4000x3.png", Image.fromarray(scene(4000, 3, seed=2, noise=0)))
    made["tall_3x4000"] = save("tall_3x4000.png", Image.fromarray(scene(3, 4000, seed=3, noise=0)))
    made["upscale_20x13"] = save("upscale_20x13.png", Image.fromarray(scene(20, 13, seed=4)))
    made["crop_only_53x48"] = save("crop_only_53x48.png", Image.fromarray(scene(53, 48, seed=5)))
    made["crop_only_48x55"] = save("crop_only_48x55.png", Image.fromarray(scene(48, 55, seed=6)))
    # Pillow 13 runs the vertical pass first when rows shrink by more than twice as many as columns
    # (37x83 -> 32x71 at size 32: 12 rows vs 5 columns): these take that path
    tall = scene(37, 83, seed=8)
    made["vfirst_rgb_37x83"] = save("vfirst_rgb_37x83.png", Image.fromarray(tall))
    made["vfirst_rgba_37x83"] = save("vfirst_rgba_37x83.png", Image.fromarray(np.dstack([tall, alpha_ramp(37, 83)]), "RGBA"))
    made["vfirst_grey16_37x83"] = _png16_grey(np.asarray(Image.fromarray(tall).convert("L")), "vfirst_grey16_37x83.png")
    return made


def _gif_with_offset_frame(pal, name, transparency):
    """A GIF whose first frame covers only part of its logical screen, at an offset. Pillow opens it at screen size
    and fills the rest with the transparent index, or 0 without one. Pillow writes screen == frame: patched here."""
    buf = io.BytesIO()
    kw = {} if transparency is None else {"transparency": transparency}
    pal.save(buf, "GIF", **kw)
    data = bytearray(buf.getvalue())
    w, h = struct.unpack("<HH", data[6:10])
    data[6:10] = struct.pack("<HH", w + 11, h + 7)
    p = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    while data[p] == 0x21:  # skip extensions (data sub-blocks up to a zero-length one)
        p += 2
        while data[p]:
            p += data[p] + 1
        p += 1
    assert data[p] == 0x2C
    data[p + 1:p + 5] = struct.pack("<HH", 7, 4)  # frame at (7, 4) of the larger screen
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def _as_ycck(cmyk_jpeg, name):
    """Pillow cannot write YCCK: relabel its CMYK JPEG's Adobe APP14 segment as transform 2 (YCCK). Decoders then
    run the YCC-to-RGB step on the first three components, which is all a YCCK decoder has to agree on."""
    data = bytearray(open(cmyk_jpeg, "rb").read())
    at = data.find(b"Adobe") - 4  # the segment starts with FF EE and a 2-byte length
    assert at > 0 and data[at:at + 2] == b"\xff\xee" and data[at + 4 + 11] == 0, "expected Adobe APP14, transform 0"
    data[at + 4 + 11] = 2  # marker(2) + length(2), then "Adobe" version(2) flags0(2) flags1(2) transform(1)
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def _png16(arr8, mode, name="png_rgb16.png"):
    """16-bit PNG written by hand (Pillow cannot save RGB;16): low byte carries different data than the high byte."""
    arr16 = arr8.astype(np.uint16) * 256 + (255 - arr8).astype(np.uint16)
    return _write_png(name, arr16, {"RGB": 2, "RGBA": 6, "LA": 4}[mode])


def _png16_grey(grey8, name="png_grey16.png"):
    # spread values over the whole 16-bit range: Pillow opens this as I;16 and clips to 0..255 on convert('RGB')
    arr16 = (grey8.astype(np.uint32) * 3).astype(np.uint16)
    return _write_png(name, arr16, 0)


def _write_png(name, arr16, colour_type):
    h, w = arr16.shape[:2]
    raw = b"".join(b"\0" + arr16[y].astype(">u2").tobytes() for y in range(h))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, colour_type, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(png)
    return path
