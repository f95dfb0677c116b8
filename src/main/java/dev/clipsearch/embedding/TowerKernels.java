package dev.clipsearch.embedding;

import dev.clipsearch.batching.BatchKernel;
import dev.clipsearch.model.runtime.ClipModel;
import java.util.Arrays;
import java.util.List;

/**
 * The two towers as {@link BatchKernel}s over the model's staging slots: inputs are copied into a slot as they
 * arrive (on the batcher's collector thread) and the slot is encoded on its compute thread.
 */
final class TowerKernels {
  private TowerKernels() {}

  static BatchKernel<float[], float[]> image(ClipModel model) {
    return new BatchKernel<>() {
      @Override
      public void stage(int slot, int row, float[] chw) {
        model.stageImage(slot, row, chw);
      }

      @Override
      public void move(int slot, int from, int to) {
        model.moveImageRow(slot, from, to);
      }

      @Override
      public List<float[]> compute(int slot, int n) {
        return Arrays.asList(model.encodeStagedImages(slot, n));
      }
    };
  }

  /**
   * Text rows are staged at full context length; a batch runs at the shortest declared length that holds its longest
   * query (the text tower is causal and pools at EOT, so shorter inputs give the same vectors for less work).
   *
   * <p>Threading: {@code longest[slot]} is written while staging and read at compute; the batcher's hand-over orders
   * the two. After a cancelled row is moved over it may overstate the length, which only costs a little padding.
   */
  static BatchKernel<int[], float[]> text(ClipModel model) {
    int[] longest = new int[model.staging().slots()];
    return new BatchKernel<>() {
      @Override
      public void stage(int slot, int row, int[] ids) {
        model.stageText(slot, row, ids);
        longest[slot] = row == 0 ? ids.length : Math.max(longest[slot], ids.length);
      }

      @Override
      public void move(int slot, int from, int to) {
        model.moveTextRow(slot, from, to);
      }

      @Override
      public List<float[]> compute(int slot, int n) {
        return Arrays.asList(model.encodeStagedTexts(slot, n, model.spec().textLengthFor(longest[slot])));
      }
    };
  }
}
