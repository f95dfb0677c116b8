package dev.clipsearch.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BatchPolicyTest {
  private final BatchPolicy policy = new BatchPolicy(8, 5_000_000);

  @Test
  void fullBatchIsSentAtOnce() {
    assertEquals(0, policy.waitNanos(8, 0));
  }

  @Test
  void partialBatchWaitsOnlyForTheRestOfTheOldestJobsDelay() {
    assertEquals(5_000_000, policy.waitNanos(1, 0));
    assertEquals(2_000_000, policy.waitNanos(3, 3_000_000));
  }

  @Test
  void partialBatchWhoseOldestJobHasWaitedLongEnoughIsSent() {
    assertEquals(0, policy.waitNanos(2, 5_000_000));
    assertEquals(0, policy.waitNanos(2, 9_000_000));
  }

  @Test
  void zeroDelayNeverWaits() {
    assertEquals(0, new BatchPolicy(32, 0).waitNanos(1, 0));
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new BatchPolicy(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new BatchPolicy(1, -1));
  }
}
