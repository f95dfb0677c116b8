package dev.clipsearch.model.runtime;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The staging buffers of one tower: {@code slots} host buffers of {@code maxRows} rows each, allocated once (pinned
 * on CUDA). With two slots the batcher stages batch k+1 into one while the model reads batch k from the other.
 *
 * <p>Threading: no locks. The batcher guarantees a slot is written by one thread at a time and never while the model
 * reads it; each call builds its own pointer view, so calls on different slots may run at once. Owned and closed by
 * {@link ClipModel}.
 */
final class StagingSlots implements AutoCloseable {
  private final HostBuffer[] buffers;
  private final int maxRows;
  private final long rowElements;
  private final long elementBytes;

  StagingSlots(int slots, int maxRows, long rowElements, torch.ScalarType type, boolean pinned) {
    this.maxRows = maxRows;
    this.rowElements = rowElements;
    this.elementBytes = type == torch.ScalarType.Byte ? 1 : type == torch.ScalarType.Float ? 4 : 8;
    this.buffers = new HostBuffer[slots];
    try {
      for (int i = 0; i < slots; i++) {
        buffers[i] = new HostBuffer((long) maxRows * rowElements, type, pinned);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  int slots() {
    return buffers.length;
  }

  long rowElements() {
    return rowElements;
  }

  void putFloats(int slot, int row, float[] values) {
    checkRow(slot, row, values.length);
    new FloatPointer(base(slot)).position(row * rowElements).put(values, 0, values.length);
  }

  void putBytes(int slot, int row, byte[] values) {
    checkRow(slot, row, values.length);
    new BytePointer(base(slot)).position(row * rowElements).put(values, 0, values.length);
  }

  /** Writes the ids and zeroes the rest of the row (padding is id 0). */
  void putIds(int slot, int row, int[] ids) {
    checkRow(slot, row, ids.length);
    long[] padded = new long[(int) rowElements];
    for (int i = 0; i < ids.length; i++) {
      padded[i] = ids[i];
    }
    new LongPointer(base(slot)).position(row * rowElements).put(padded, 0, padded.length);
  }

  void move(int slot, int from, int to) {
    checkRow(slot, from, 0);
    checkRow(slot, to, 0);
    long rowBytes = rowElements * elementBytes;
    Pointer.memmove(new BytePointer(base(slot)).position(to * rowBytes),
        new BytePointer(base(slot)).position(from * rowBytes), rowBytes);
  }

  /** A flat view of rows {@code [0, n)}; call inside a PointerScope. */
  Tensor rows(int slot, int n) {
    return buffers[slot].tensor().narrow(0, 0, n * rowElements);
  }

  /** Typed views must be positioned in their own units: a copied pointer keeps the raw position value. */
  private Pointer base(int slot) {
    return buffers[slot].tensor().data_ptr();
  }

  private void checkRow(int slot, int row, int length) {
    if (slot < 0 || slot >= buffers.length || row < 0 || row >= maxRows || length > rowElements) {
      throw new IllegalArgumentException(
          "staging: slot " + slot + " row " + row + " length " + length + " (slots " + buffers.length + ", rows "
              + maxRows + ", row elements " + rowElements + ")");
    }
  }

  @Override
  public void close() {
    for (HostBuffer b : buffers) {
      if (b != null) {
        b.close();
      }
    }
  }
}
