package dev.clipsearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void firstTryIsImmediateThenWaitsDoubleUpToTheCap() {
    Backoff b = new Backoff(6, Duration.ofMillis(500), Duration.ofSeconds(3));
    long[] waits = new long[7];
    for (int n = 1; n <= 6; n++) {
      waits[n] = b.delayBefore(n).toMillis();
    }
    assertEquals("[0, 0, 500, 1000, 2000, 3000, 3000]", java.util.Arrays.toString(waits));
  }

  @Test
  void aScheduleThatCouldNeverTryIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(0, Duration.ZERO, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(2, Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}
