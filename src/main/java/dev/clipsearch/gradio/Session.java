package dev.clipsearch.gradio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One client session: the outbox of messages for its single multiplexed stream, and the set of pending events.
 *
 * <p>An event is <em>pending</em> from its join until its {@code process_completed} has been written to a stream.
 * sse_v3 closes the stream only when nothing is pending (docs/gradio-protocol.md, "Queue protocol": Python reuses one
 * stream for concurrent {@code submit()}s and fails every outstanding job when it sees {@code close_stream}). The join
 * path adds to the set and the stream path removes from it under the same lock, so "nothing pending" is decided
 * atomically with joins: a join that arrived first keeps the stream open; one that arrives after the decision waits in
 * the outbox for the client's next stream.
 *
 * <p>Threading: join runs on HTTP threads, publish on workers, poll/delivered on the one streaming thread. The outbox
 * is a concurrent queue; {@code lock} guards {@code pending} and {@code abandoned}.
 */
public final class Session {
  private final String hash;
  private final LinkedBlockingQueue<ServerMessage> outbox = new LinkedBlockingQueue<>();
  private final Object lock = new Object();
  private final Map<String, Event> pending = new LinkedHashMap<>();
  private boolean abandoned;
  private int openStreams;
  private volatile long lastActiveNanos = System.nanoTime();
  private volatile long completionHoldNanos;

  Session(String hash) {
    this.hash = hash;
  }

  public String hash() {
    return hash;
  }

  /** Registers the event and queues its first message (estimation) as one step. */
  void join(Event event, ServerMessage first, int maxPending) {
    synchronized (lock) {
      if (abandoned) {
        throw new GradioException(GradioException.Kind.BAD_REQUEST, "Session expired; reconnect.");
      }
      if (pending.size() >= maxPending) {
        throw new GradioException(GradioException.Kind.QUEUE_FULL,
            "Queue is full. Max size is " + maxPending + " and size is " + pending.size() + " for this session.");
      }
      if (openStreams > 0 || !pending.isEmpty()) {
        event.holdCompletion(completionHoldNanos); // see holdCompletions: only a concurrent join can lose the race
      }
      pending.put(event.id(), event);
      outbox.add(first);
    }
    touch();
  }

  /**
   * From now on, an event that joins while this session has a stream open or another event pending has its
   * {@code process_completed} streamed no sooner than {@code nanos} after its join. For gradio_client 1.x, which
   * registers an event id only after the join call has returned (issue #10354): a completion that its stream thread
   * reads first kills that thread with a KeyError and cancels every job of the Client. Only concurrent calls lose that
   * race (a lone call's stream thread is still connecting when its id is registered), so one-at-a-time calls are not
   * held and pay nothing.
   */
  void holdCompletions(long nanos) {
    completionHoldNanos = Math.max(completionHoldNanos, nanos);
  }

  /** How long the stream must still wait before writing this event's completion (≤ 0: write now). */
  long holdLeftNanos(String eventId, long nowNanos) {
    long hold = completionHoldNanos;
    if (hold == 0) {
      return 0;
    }
    synchronized (lock) {
      Event e = pending.get(eventId);
      return e == null || e.completionHoldNanos() == 0 ? 0 : e.joinedNanos() + e.completionHoldNanos() - nowNanos;
    }
  }

  /** Undoes {@link #join} when the worker pool refused the event. */
  void rollback(Event event, ServerMessage first) {
    synchronized (lock) {
      pending.remove(event.id());
      outbox.remove(first);
    }
  }

  void publish(ServerMessage m) {
    outbox.add(m);
  }

  /** @return the next message, or null after {@code timeout} */
  ServerMessage poll(Duration timeout) throws InterruptedException {
    ServerMessage m = outbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    touch();
    return m;
  }

  /**
   * Called after an event's final message was written to a stream.
   *
   * @return true if the session now has nothing pending: the stream must send close_stream and end
   */
  boolean delivered(String eventId) {
    synchronized (lock) {
      pending.remove(eventId);
      return pending.isEmpty();
    }
  }

  /** Nothing pending and nothing to send: an idle stream may close. */
  boolean idle() {
    synchronized (lock) {
      return pending.isEmpty() && outbox.isEmpty();
    }
  }

  /** Drops the session (client gone or TTL): returns its pending events so the caller can cancel them. */
  List<Event> abandon() {
    synchronized (lock) {
      abandoned = true;
      List<Event> events = new ArrayList<>(pending.values());
      pending.clear();
      outbox.clear();
      return events;
    }
  }

  void streamOpened() {
    synchronized (lock) {
      openStreams++;
    }
    touch();
  }

  void streamClosed() {
    synchronized (lock) {
      openStreams--;
    }
    touch();
  }

  /** Expired: no open stream and no activity for {@code ttlNanos}. */
  boolean expired(long nowNanos, long ttlNanos) {
    synchronized (lock) {
      return openStreams == 0 && nowNanos - lastActiveNanos > ttlNanos;
    }
  }

  int pendingCount() {
    synchronized (lock) {
      return pending.size();
    }
  }

  private void touch() {
    lastActiveNanos = System.nanoTime();
  }
}
