package dev.clipsearch.model.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import org.w3c.dom.Element;

/**
 * Adjusts what ImageIO decoded so that its layout says the mode Pillow opens the same file in, where the two differ.
 * The mode matters because it decides the resize: palette images resize with NEAREST, greyscale ones bicubic.
 * <ul>
 *   <li>PNG grey or RGB with a tRNS chunk: the JDK adds an alpha band, Pillow keeps L/RGB (transparency only in
 *       {@code info}) and resizes without premultiplying. The alpha band is dropped.
 *   <li>PNG 2- and 4-bit grey: the JDK gives a palette image, Pillow mode L. Expanded to 8-bit grey.
 *   <li>GIF and BMP whose palette is the identity grey ramp (entry i = (i, i, i)): Pillow drops the palette and opens
 *       mode L. Expanded to 8-bit grey. (A 2-colour BMP is Pillow mode 1 or P, both NEAREST: left as a palette.)
 *   <li>GIF whose first frame does not fill the logical screen: Pillow's image is the screen, the frame at its offset,
 *       the rest the transparent index (0 without one). ImageIO gives the frame alone. See {@link #gifOnScreen}.
 *   <li>4-channel JPEG (read as CMYK): TwelveMonkeys hands over the samples as stored, Pillow inverts them whatever
 *       the Adobe marker says ("assume Adobe conventions": Photoshop stores CMYK inverted). Inverted in place.
 * </ul>
 */
final class PillowOpenModes {
  private PillowOpenModes() {}

  static BufferedImage asPillowOpensIt(BufferedImage img, ImageHeader header) {
    switch (header.format()) {
      case PNG -> {
        int colourType = header.pngColourType();
        if ((colourType == 0 || colourType == 2) && img.getColorModel().hasAlpha()
            && !(img.getColorModel() instanceof IndexColorModel)) {
          return withoutAlpha(img);
        }
        if (colourType == 0 && (header.pngBitDepth() == 2 || header.pngBitDepth() == 4)
            && img.getColorModel() instanceof IndexColorModel icm) {
          return paletteAsGrey(img, icm);
        }
        return img;
      }
      case JPEG -> {
        if (img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
          invert(img.getRaster());
        }
        return img;
      }
      case GIF, BMP -> {
        if (img.getColorModel() instanceof IndexColorModel icm && isIdentityGreyRamp(icm)
            && (header.format() == ImageHeader.Format.GIF || icm.getMapSize() > 2)) {
          return paletteAsGrey(img, icm);
        }
        return img;
      }
      default -> {
        return img;
      }
    }
  }

  private static void invert(WritableRaster raster) {
    int[] row = new int[raster.getWidth() * raster.getNumBands()];
    for (int y = 0; y < raster.getHeight(); y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, raster.getWidth(), 1, row);
      for (int i = 0; i < row.length; i++) {
        row[i] = 255 - row[i];
      }
      raster.setPixels(raster.getMinX(), raster.getMinY() + y, raster.getWidth(), 1, row);
    }
  }

  /** The first GIF frame placed on a canvas of the header's size (the logical screen, grown to hold the frame). */
  static BufferedImage gifOnScreen(BufferedImage frame, ImageHeader header, IIOMetadata metadata) {
    if ((frame.getWidth() == header.width() && frame.getHeight() == header.height())
        || !(frame.getColorModel() instanceof IndexColorModel icm)) {
      return frame;
    }
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree("javax_imageio_gif_image_1.0");
    Element descriptor = (Element) root.getElementsByTagName("ImageDescriptor").item(0);
    int left = Integer.parseInt(descriptor.getAttribute("imageLeftPosition"));
    int top = Integer.parseInt(descriptor.getAttribute("imageTopPosition"));
    int fill = 0;
    if (root.getElementsByTagName("GraphicControlExtension").item(0) instanceof Element control
        && "TRUE".equalsIgnoreCase(control.getAttribute("transparentColorFlag"))) {
      fill = Integer.parseInt(control.getAttribute("transparentColorIndex"));
    }
    WritableRaster canvas = icm.createCompatibleWritableRaster(header.width(), header.height());
    int[] row = new int[header.width()];
    java.util.Arrays.fill(row, fill);
    for (int y = 0; y < header.height(); y++) {
      canvas.setSamples(0, y, header.width(), 1, 0, row);
    }
    canvas.setRect(left, top, frame.getRaster());
    return new BufferedImage(icm, canvas, false, null);
  }

  static boolean isIdentityGreyRamp(IndexColorModel icm) {
    for (int i = 0; i < icm.getMapSize(); i++) {
      if (icm.getRed(i) != i || icm.getGreen(i) != i || icm.getBlue(i) != i) {
        return false;
      }
    }
    return true;
  }

  /** The colour bands only (the alpha band is last in ImageIO's band order), sharing the samples. */
  private static BufferedImage withoutAlpha(BufferedImage img) {
    WritableRaster raster = img.getRaster();
    int colours = raster.getNumBands() - 1;
    int[] bands = new int[colours];
    for (int b = 0; b < colours; b++) {
      bands[b] = b;
    }
    WritableRaster child = raster.createWritableChild(raster.getMinX(), raster.getMinY(), raster.getWidth(),
        raster.getHeight(), 0, 0, bands);
    ColorSpace cs = ColorSpace.getInstance(colours == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
    int bits = raster.getSampleModel().getSampleSize(0);
    int[] sizes = new int[colours];
    java.util.Arrays.fill(sizes, bits);
    ComponentColorModel cm =
        new ComponentColorModel(cs, sizes, false, false, Transparency.OPAQUE, raster.getTransferType());
    return new BufferedImage(cm, child, false, null);
  }

  /** Each pixel's palette grey level as an 8-bit grey sample (TYPE_BYTE_GRAY: Pillow mode L). */
  private static BufferedImage paletteAsGrey(BufferedImage img, IndexColorModel icm) {
    int w = img.getWidth();
    int h = img.getHeight();
    BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Raster raster = img.getRaster();
    WritableRaster out = grey.getRaster();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        row[x] = icm.getRed(row[x]);
      }
      out.setSamples(0, y, w, 1, 0, row);
    }
    return grey;
  }
}
