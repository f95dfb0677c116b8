package dev.clipsearch.store;

import dev.clipsearch.concurrent.Threads;
import io.milvus.v2.client.MilvusClientV2;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a {@link MilvusVectorStore}'s server back after it died, on one background thread at a time, while calls fail
 * at once with the reason ({@link #downReason}) instead of waiting out their deadlines:
 *
 * <ul>
 *   <li>an embedded Lite child that exited is started again on the same data directory (Lite's write-ahead log keeps
 *       every acknowledged write), per {@link Backoff}; after the last failed try the store stays down and says so;
 *   <li>a remote server that stopped answering (a call failed as unreachable, or {@link ServerWatch} found its port
 *       closed) is reconnected with a fresh client every 0.5-3 s, for as long as it takes: a server may be down for
 *       long, and every call says so meanwhile.
 * </ul>
 *
 * <p>Thread-safety: {@link #downReason} is called from request threads; the state it reads is volatile or atomic.
 */
final class Recovery implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  /** What recovery needs from the store. */
  interface Host {
    Backend current();

    boolean isClosed();

    /** Loads the collection on {@code fresh} if it was prepared before, then makes it current; throws if closed. */
    void takeOver(Backend fresh);
  }

  private final StoreOptions options;
  private final Backoff backoff;
  private final Host host;
  private final AtomicBoolean recovering = new AtomicBoolean();
  /** Set when every restart attempt failed: the store stays down with this reason. */
  private volatile String givenUp;
  /** When the server was last found down. */
  private volatile long downSinceNanos;
  /** Probes a remote server's port, so its death is noticed before a call waits out its deadline. */
  private ServerWatch serverWatch;

  Recovery(StoreOptions options, Backoff backoff, Host host) {
    this.options = options;
    this.backoff = backoff;
    this.host = host;
  }

  /** Starts watching {@code b}'s server: Lite's process exit, or a remote server's port. */
  void watch(Backend b) {
    if (b.lite() != null) {
      b.lite().onUnexpectedExit(() -> recoverLater(b));
    } else if (serverWatch == null) {
      serverWatch = ServerWatch.start(options.uri(), () -> recoverLater(host.current()));
    }
  }

  /** Why {@code b} cannot serve (starting a recovery if it just died), or null if it may. */
  StoreException downReason(Backend b, String action, Throwable cause) {
    if (givenUp != null) {
      return new StoreException("cannot " + action + ": " + givenUp, cause);
    }
    if (b.lite() == null) {
      if (recovering.get()) {
        return new StoreException("Milvus at " + options.uri() + " is unreachable (could not " + action + "): down "
            + "since " + (System.nanoTime() - downSinceNanos) / 1_000_000_000 + " s, reconnecting in the background",
            cause);
      }
      if (cause != null && MilvusErrors.isUnreachable(cause)) {
        recoverLater(b); // the call itself reports the failure; later calls fail at once until the server is back
      }
      return null;
    }
    if (recovering.get()) {
      return new StoreRestartingException("cannot " + action + ": the vector store is restarting (the embedded "
          + "Milvus Lite process died)");
    }
    String dead = b.lite().exitReport();
    if (dead == null) {
      return null;
    }
    recoverLater(b);
    return new StoreRestartingException("cannot " + action + ": the vector store is restarting (" + dead + ")");
  }

  /** Starts one recovery thread for the death of {@code dead}; later reports of the same death are ignored. */
  private void recoverLater(Backend dead) {
    if (host.isClosed() || host.current() != dead || givenUp != null || !recovering.compareAndSet(false, true)) {
      return;
    }
    downSinceNanos = System.nanoTime();
    if (dead.lite() != null) {
      Threads.start("milvus-lite-restart", () -> restart(dead));
    } else {
      Threads.start("milvus-reconnect", () -> reconnect(dead));
    }
  }

  /** A fresh client each time: the old channel's own reconnect back-off grows to minutes. */
  private void reconnect(Backend dead) {
    LOG.warn("Milvus at {} is unreachable; failing calls at once and reconnecting in the background", options.uri());
    for (int attempt = 1; !host.isClosed(); attempt++) {
      sleep(Duration.ofMillis(Math.min(500L * attempt, 3000)));
      MilvusClientV2 client = null;
      try {
        client = Clients.connect(options.uri(), options, options.rpcDeadline(), false);
        client.getServerVersion();
        host.takeOver(new Backend(null, client)); // reloads the collection: a restarted server does so only later
        recovering.set(false);
        Clients.closeQuietly(dead.client());
        LOG.info("Milvus at {} answers again after {} s; the vector store is serving again", options.uri(),
            (System.nanoTime() - downSinceNanos) / 1_000_000_000);
        return;
      } catch (RuntimeException e) {
        if (client != null) {
          Clients.closeQuietly(client);
        }
        if (attempt % 10 == 1) {
          LOG.warn("Milvus at {} still unreachable (attempt {}): {}", options.uri(), attempt,
              MilvusErrors.translate("reconnect", "Milvus at " + options.uri(), e).getMessage());
        }
      }
    }
    recovering.set(false);
  }

  private void restart(Backend dead) {
    Clients.closeQuietly(dead.client());
    Path dir = dead.lite().dataDir();
    String last = "";
    for (int attempt = 1; attempt <= backoff.attempts() && !host.isClosed(); attempt++) {
      sleep(backoff.delayBefore(attempt));
      LiteLauncher lite = null;
      MilvusClientV2 client = null;
      try {
        // Same directory: the dead child's lock died with it, and Lite's WAL replays every acknowledged write.
        lite = LiteLauncher.start(dir, options.litePython(), options.liteStartTimeout());
        client = Clients.connect(lite.uri(), options, options.rpcDeadline(), true);
        Backend fresh = new Backend(lite, client);
        host.takeOver(fresh);
        recovering.set(false);
        watch(fresh);
        LOG.info("Milvus Lite restarted on {} (attempt {}/{}, pid {}); the vector store is serving again", dir,
            attempt, backoff.attempts(), lite.pid());
        return;
      } catch (RuntimeException e) {
        last = e.getMessage();
        if (client != null) {
          Clients.closeQuietly(client);
        }
        if (lite != null) {
          lite.close();
        }
        LOG.warn("restarting Milvus Lite on {} failed (attempt {}/{}): {}", dir, attempt, backoff.attempts(), last);
      }
    }
    if (!host.isClosed()) {
      givenUp = "the embedded Milvus Lite died and could not be restarted after " + backoff.attempts()
          + " attempts (last error: " + last + "); restart clip-search";
      LOG.error(givenUp);
    }
    recovering.set(false);
  }

  static void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting to retry Milvus");
    }
  }

  @Override
  public void close() {
    if (serverWatch != null) {
      serverWatch.close();
    }
  }
}
