package dev.clipsearch.model.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG, PNG, GIF (first frame), BMP and WebP uploads with ImageIO (TwelveMonkeys plugins on the classpath add
 * CMYK/YCCK JPEG, WebP and a sturdier BMP) into the samples Pillow's {@code Image.open} would give: no colour
 * management (ICC profiles stripped), CMYK kept as CMYK, and an image layout that tells Pillow's mode
 * (see {@link PillowOpenModes}). Refuses oversized images from their header, before any pixel is decoded.
 */
public final class ImageDecoder {
  /**
   * Pillow's {@code Image.MAX_IMAGE_PIXELS} (1024 * 1024 * 1024 / 4 / 3: a 1 GiB RGB-with-padding image). Pillow warns
   * above it and refuses above twice it; refusing at the warning level keeps every accepted image one that the
   * Python reference pipeline also accepts silently, and bounds decoder memory to about 360 MB.
   */
  public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

  private ImageDecoder() {}

  /**
   * @throws BadImageException with {@code tooLarge() == true} when the header declares more than {@code maxPixels}
   *     pixels; with {@code tooLarge() == false} for empty, truncated, corrupt or unsupported data
   */
  public static BufferedImage decode(byte[] encoded, long maxPixels) {
    if (encoded == null || encoded.length == 0) {
      throw new BadImageException("empty image");
    }
    ImageHeader header = ImageHeader.parse(encoded);
    long pixels = (long) header.width() * header.height();
    if (header.width() <= 0 || header.height() <= 0) {
      throw new BadImageException("image declares no pixels (" + header.width() + "x" + header.height() + ")");
    }
    if (pixels > maxPixels) {
      throw new BadImageException(
          "image too large: " + header.width() + "x" + header.height() + " is over " + maxPixels + " pixels", true);
    }
    byte[] bytes = header.format() == ImageHeader.Format.JPEG ? JpegIccStripper.strip(encoded) : encoded;
    BufferedImage img = read(bytes, header);
    if ((long) img.getWidth() * img.getHeight() > maxPixels) { // a decoder that disagrees with the header
      throw new BadImageException("image too large: " + img.getWidth() + "x" + img.getHeight(), true);
    }
    return PillowOpenModes.asPillowOpensIt(img, header);
  }

  private static BufferedImage read(byte[] bytes, ImageHeader header) {
    String format = header.format().name().toLowerCase(Locale.ROOT);
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + format + " (TwelveMonkeys plugins missing?)");
    }
    ImageReader reader = readers.next();
    List<String> warnings = new ArrayList<>();
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      ImageReadParam param = reader.getDefaultReadParam();
      if (header.format() == ImageHeader.Format.JPEG && header.jpegComponents() == 4) {
        param.setDestinationType(cmykType(reader)); // Pillow keeps CMYK and converts naively after the crop
      }
      BufferedImage img = reader.read(0, param);
      if (header.format() == ImageHeader.Format.GIF) {
        img = PillowOpenModes.gifOnScreen(img, header, reader.getImageMetadata(0));
      }
      for (String warning : warnings) {
        String w = warning.toLowerCase(Locale.ROOT);
        if (w.contains("truncated") || w.contains("premature end")) {
          // libjpeg fills a cut-off JPEG with grey and warns; Pillow refuses it ("image file is truncated")
          throw new BadImageException("truncated image: " + warning);
        }
      }
      return img;
    } catch (IOException | RuntimeException e) {
      if (e instanceof BadImageException bad) {
        throw bad;
      }
      throw new BadImageException("corrupt or truncated " + format + " image: " + e.getMessage());
    } finally {
      reader.dispose();
    }
  }

  private static ImageTypeSpecifier cmykType(ImageReader reader) throws IOException {
    for (Iterator<ImageTypeSpecifier> it = reader.getImageTypes(0); it.hasNext(); ) {
      ImageTypeSpecifier type = it.next();
      if (type.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
        return type;
      }
    }
    throw new BadImageException("4-channel JPEG that the JPEG reader cannot hand over as CMYK");
  }
}
