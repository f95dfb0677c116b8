package dev.clipsearch.model.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** torchvision's Resize/CenterCrop geometry and Pillow's pass order, on the cases where they are easy to get wrong. */
class JavaImagePreprocessorGeometryTest {

  @Test
  void shorterSideBecomesSizeAndLongerSideIsTruncatedNotRounded() {
    assertArrayEquals(new int[] {298, 224}, JavaImagePreprocessor.resizedSize(500, 375, 224)); // 298.67
    assertArrayEquals(new int[] {224, 479}, JavaImagePreprocessor.resizedSize(320, 685, 224)); // 479.5
    assertArrayEquals(new int[] {298666, 224}, JavaImagePreprocessor.resizedSize(4000, 3, 224));
    assertArrayEquals(new int[] {224, 224}, JavaImagePreprocessor.resizedSize(1, 1, 224));
  }

  @Test
  void centreCropOffsetRoundsHalvesToEvenAsPythonDoes() {
    assertEquals(2, JavaImagePreprocessor.cropOffset(53, 48)); // round(2.5) == 2
    assertEquals(4, JavaImagePreprocessor.cropOffset(55, 48)); // round(3.5) == 4
    assertEquals(128, JavaImagePreprocessor.cropOffset(479, 224)); // round(127.5) == 128
    assertEquals(0, JavaImagePreprocessor.cropOffset(224, 224));
  }

  @Test
  void absurdAspectRatioIsRefusedRatherThanResized() {
    BadImageException e =
        assertThrows(BadImageException.class, () -> JavaImagePreprocessor.resizedSize(1, 20_000_000, 224));
    assertFalse(e.tooLarge());
  }

  @Test
  void verticalPassGoesFirstOnlyWhenRowsShrinkByMoreThanTwiceTheColumns() {
    assertTrue(ResampleBicubic.verticalFirst(241, 500, 224, 464)); // 36 rows > 2 * 17 columns
    assertFalse(ResampleBicubic.verticalFirst(333, 500, 224, 336)); // 164 rows < 2 * 109 columns
    assertFalse(ResampleBicubic.verticalFirst(100, 200, 50, 100)); // exactly twice: horizontal first
    assertTrue(ResampleBicubic.verticalFirst(100, 200, 50, 99));
    assertFalse(ResampleBicubic.verticalFirst(114, 254, 176, 292)); // rows grow: always horizontal first
  }
}
