package dev.clipsearch.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One queued call. Finished exactly once, by whichever comes first: its worker, a cancel, or its session being dropped.
 * {@link #finish} publishes the final message to the session and completes {@link #outcome()} on every path, so no
 * waiter (stream, /run) can hang on an event that will never run.
 */
public final class Event {
  /** The final message, plus the exception behind a failure (web maps it to an HTTP status for /run). */
  public record Outcome(ServerMessage.ProcessCompleted message, Optional<Throwable> cause) {}

  private final String id;
  private final Session session;
  private final Dependency dependency;
  private final List<JsonNode> inputs;
  private final String root;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
  private volatile Runnable unqueue = () -> {};
  /** When the join was accepted; a session's completion hold counts from here (see {@link Session#holdLeftNanos}). */
  private final long joinedNanos = System.nanoTime();
  /**
   * How long after the join its completion is held back (legacy client, {@link Session#holdCompletions}); 0: none.
   * Written and read only under its session's lock.
   */
  private long completionHoldNanos;

  Event(String id, Session session, Dependency dependency, List<JsonNode> inputs, String root) {
    this.id = id;
    this.session = session;
    this.dependency = dependency;
    this.inputs = List.copyOf(inputs);
    this.root = root;
  }

  public String id() {
    return id;
  }

  long joinedNanos() {
    return joinedNanos;
  }

  void holdCompletion(long nanos) {
    completionHoldNanos = nanos;
  }

  long completionHoldNanos() {
    return completionHoldNanos;
  }

  public Session session() {
    return session;
  }

  public Dependency dependency() {
    return dependency;
  }

  List<JsonNode> inputs() {
    return inputs;
  }

  String root() {
    return root;
  }

  public CompletableFuture<Outcome> outcome() {
    return outcome;
  }

  boolean isFinished() {
    return finished.get();
  }

  /** How to take this event out of the worker queue if it is cancelled before a worker takes it. */
  void unqueue(Runnable r) {
    unqueue = r;
  }

  /** @return false if the event had already finished (the message is then dropped) */
  boolean finish(ServerMessage.ProcessCompleted message, Throwable cause) {
    if (!finished.compareAndSet(false, true)) {
      return false;
    }
    session.publish(message);
    outcome.complete(new Outcome(message, Optional.ofNullable(cause)));
    return true;
  }

  /** Cancel: a queued task is skipped; a running one is left to finish (no interrupt: it may be inside the batcher). */
  boolean cancel() {
    boolean won = finish(new ServerMessage.ProcessCompleted(id, new EventOutput.Cancelled(), true, null), null);
    if (won) {
      unqueue.run();
    }
    return won;
  }
}
