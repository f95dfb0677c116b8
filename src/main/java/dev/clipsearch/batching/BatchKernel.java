package dev.clipsearch.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The work a {@link Batcher} runs, split so that preparing one batch overlaps computing another: inputs are copied
 * into a staging slot as they arrive ({@link #stage}, collector thread) and the model runs on a full slot later
 * ({@link #compute}, compute thread). The batcher guarantees a slot is never staged and computed at the same time,
 * and that everything staged into a slot happens-before its compute.
 */
public interface BatchKernel<I, O> {
  /** Copies one input into row {@code row} of {@code slot}. Rows arrive in order 0, 1, 2, ... */
  void stage(int slot, int row, I input);

  /** Copies staged row {@code from} over row {@code to < from}: closes the gap a cancelled job left. */
  void move(int slot, int from, int to);

  /** Runs rows {@code [0, n)} of {@code slot}; returns n outputs in row order. */
  List<O> compute(int slot, int n);

  /** A kernel that keeps inputs in plain lists: for functions of a whole batch with no native staging. */
  static <I, O> BatchKernel<I, O> of(int slots, Function<List<I>, List<O>> fn) {
    List<List<I>> staged = new ArrayList<>();
    for (int i = 0; i < slots; i++) {
      staged.add(new ArrayList<>());
    }
    return new BatchKernel<>() {
      @Override
      public void stage(int slot, int row, I input) {
        List<I> rows = staged.get(slot);
        if (row == 0) {
          rows.clear();
        }
        rows.add(input);
      }

      @Override
      public void move(int slot, int from, int to) {
        staged.get(slot).set(to, staged.get(slot).get(from));
      }

      @Override
      public List<O> compute(int slot, int n) {
        return fn.apply(new ArrayList<>(staged.get(slot).subList(0, n)));
      }
    };
  }
}
