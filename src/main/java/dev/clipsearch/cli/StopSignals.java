package dev.clipsearch.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Waits for SIGTERM or SIGINT, so that {@code serve} stops by returning: the web server refuses new events and drains
 * running ones, Milvus Lite stops, and the process exits 0. The JVM's own handling (shutdown hooks) would exit with
 * 143/130 and gives a hook no orderly way to end the main thread first.
 *
 * <p>Why {@code sun.misc.Signal}: Java 17 has no supported API to handle a signal; this is the one the JDK keeps
 * exported (jdk.unsupported) for exactly this, and it is isolated here. A signal that was ignored when the process
 * started (a background job of a script, nohup) stays ignored, as the JVM itself does.
 */
final class StopSignals {
  private StopSignals() {}

  static void await() throws InterruptedException {
    CountDownLatch stopRequested = new CountDownLatch(1);
    for (String name : new String[] {"TERM", "INT"}) {
      sun.misc.Signal signal = new sun.misc.Signal(name);
      sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, s -> stopRequested.countDown());
      if (previous == sun.misc.SignalHandler.SIG_IGN) {
        sun.misc.Signal.handle(signal, sun.misc.SignalHandler.SIG_IGN);
      }
    }
    stopRequested.await();
  }
}
