package dev.clipsearch.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clipsearch.concurrent.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event engine behind queue/join, /call and /run: validates calls, runs endpoint functions on a bounded worker pool
 * and publishes estimation → process_starts → process_completed to the caller's {@link Session}.
 *
 * <p>Threading: {@link #join}/{@link #call}/{@link #run} run on HTTP threads and never block; endpoint functions run on
 * the {@code gradio-worker-*} threads; a housekeeping thread sweeps expired sessions every minute. A full worker queue
 * fails the join at once (503) instead of blocking the HTTP thread, and so does a client over its share (429).
 *
 * <p>Order ({@link FairWorkers}): searches before ingests, ingests on at most {@link QueueLimits#bulkWorkers} workers,
 * and within each, clients (by address) in turn.
 */
public final class EventQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventQueue.class);
  /** /call events get a private session under this prefix (Gradio keys them by event_id). */
  static final String CALL_SESSION_PREFIX = "call/";

  private final Blocks blocks;
  private final Map<Integer, EndpointFn> fns;
  private final QueueLimits limits;
  private final Function<Throwable, String> errorMessage;
  private final SessionRegistry sessions;
  private final Map<String, Event> live = new ConcurrentHashMap<>();
  private final FairWorkers workers;
  private final Set<Integer> bulkFns;
  private final ScheduledExecutorService housekeeping;
  private final DurationStats durations = new DurationStats();
  private volatile boolean stopping;

  /**
   * @param fns the function of every dependency, by fn_index
   * @param bulkFns the fn_indexes of bulk work (ingest): queued behind searches, on a share of the workers
   * @param errorMessage the user-facing message of a failed event (web.ErrorMapping decides it)
   */
  public EventQueue(Blocks blocks, Map<Integer, EndpointFn> fns, Set<Integer> bulkFns, QueueLimits limits,
      Function<Throwable, String> errorMessage) {
    for (Dependency d : blocks.dependencies()) {
      if (!fns.containsKey(d.id())) {
        throw new IllegalArgumentException("no function for fn_index " + d.id());
      }
    }
    this.blocks = blocks;
    this.fns = Map.copyOf(fns);
    this.limits = limits;
    this.errorMessage = errorMessage;
    this.sessions = new SessionRegistry(limits.maxSessions(), limits.sessionTtl().toNanos());
    this.bulkFns = Set.copyOf(bulkFns);
    this.workers = new FairWorkers(limits.workers(), limits.bulkWorkers(), limits.maxQueuedEvents(),
        limits.maxQueuedPerClient(), Threads.numbered("gradio-worker-"));
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(Threads.named("gradio-housekeeping"));
    housekeeping.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.MINUTES);
  }

  public Blocks blocks() {
    return blocks;
  }

  /** True once {@link #close} has begun: new events are refused while the running ones drain. */
  boolean isStopping() {
    return stopping;
  }

  /** queue/join: returns the event id; messages go to the session's stream. */
  public String join(String sessionHash, int fnIndex, List<JsonNode> data, String root, String client) {
    return join(sessionHash, fnIndex, data, root, client, Duration.ZERO);
  }

  /**
   * queue/join for a client that needs its completions held back for {@code completionHold} after the join (see
   * {@link Session#holdCompletions}); the hold delays only that session's stream, never a worker.
   */
  public String join(String sessionHash, int fnIndex, List<JsonNode> data, String root, String client,
      Duration completionHold) {
    Dependency d = blocks.byFnIndex(fnIndex)
        .orElseThrow(() -> new GradioException(GradioException.Kind.NOT_FOUND, "Unknown fn_index " + fnIndex + "."));
    Session s = sessions.getOrCreate(sessionHash);
    s.holdCompletions(completionHold.toNanos()); // before the event exists, so its completion cannot slip past
    return enqueue(s, d, data, root, client, newId()).id();
  }

  /** POST /call/{api}: the event gets a private session, read once by GET /call/{api}/{event_id}. */
  public String call(String apiName, List<JsonNode> data, String root, String client) {
    Dependency d = endpoint(apiName);
    String id = newId();
    return enqueue(sessions.getOrCreate(CALL_SESSION_PREFIX + id), d, data, root, client, id).id();
  }

  /** /run and /api: the outcome future completes on a worker thread. The session is throwaway (nobody streams it). */
  public Event run(Dependency d, List<JsonNode> data, String root, String client) {
    return enqueue(new Session("run/" + newId()), d, data, root, client, newId());
  }

  /** The public dependency named {@code apiName} (with or without a leading slash). */
  public Dependency endpoint(String apiName) {
    return blocks.byApiName(apiName)
        .orElseThrow(() -> new GradioException(GradioException.Kind.NOT_FOUND, "Cannot find a function with api_name: /" + apiName + "."));
  }

  public Optional<Session> session(String sessionHash) {
    return sessions.get(sessionHash);
  }

  public Optional<Session> callSession(String eventId) {
    return sessions.get(CALL_SESSION_PREFIX + eventId);
  }

  /** Cancels a queued or running event; false if unknown or already finished. */
  public boolean cancel(String eventId) {
    Event e = live.get(eventId);
    return e != null && e.cancel(); // a still-queued task leaves the worker queue with it
  }

  /** Client gone: forget the session and cancel what it was waiting for (Gradio's clean_events). */
  public void drop(Session s) {
    sessions.drop(s).forEach(Event::cancel);
  }

  public int sessionCount() {
    return sessions.size();
  }

  public int queuedCount() {
    return workers.queued();
  }

  /** Events not finished yet (queued or running); for tests and /health. */
  int liveCount() {
    return live.size();
  }

  public int runningCount() {
    return workers.running();
  }

  private Event enqueue(Session s, Dependency d, List<JsonNode> data, String root, String client, String id) {
    if (stopping) {
      throw stopped(); // from the moment close begins, before the pool's own shutdown has taken effect
    }
    List<JsonNode> inputs = Requests.inputs(d, data);
    Event e = new Event(id, s, d, inputs, root);
    int ahead = workers.queued();
    ServerMessage first = new ServerMessage.Estimation(id, ahead, ahead + 1, durations.etaSeconds(ahead, limits.workers()));
    s.join(e, first, limits.maxPendingPerSession());
    live.put(id, e);
    // Every finish path (worker, cancel while queued, dropped session) completes the outcome: forget the event then.
    e.outcome().whenComplete((o, t) -> live.remove(id));
    FairWorkers.Task task = new FairWorkers.Task(client, bulkFns.contains(d.id()), () -> execute(e));
    e.unqueue(() -> workers.remove(task));
    FairWorkers.Refusal refused = workers.submit(task).orElse(null);
    if (refused != null) {
      live.remove(id);
      s.rollback(e, first);
      throw switch (refused) {
        case STOPPED -> stopped();
        case CLIENT_FULL -> new GradioException(GradioException.Kind.TOO_MANY, "Too many calls queued from your "
            + "address (the limit is " + limits.maxQueuedPerClient() + "); wait for some to finish.");
        case FULL -> new GradioException(GradioException.Kind.QUEUE_FULL,
            "Queue is full. Max size is " + limits.maxQueuedEvents() + " and size is " + workers.queued() + ".");
      };
    }
    return e;
  }

  private static GradioException stopped() {
    return new GradioException(GradioException.Kind.QUEUE_FULL, "The server is stopping; try again shortly.");
  }

  private void execute(Event e) {
    if (e.isFinished()) {
      return; // cancelled while queued
    }
    e.session().publish(new ServerMessage.ProcessStarts(e.id(), durations.averageSeconds()));
    long t0 = System.nanoTime();
    try {
      List<Object> out = fns.get(e.dependency().id()).apply(e.inputs(), e.root());
      if (out.size() != e.dependency().outputs().size()) {
        throw new IllegalStateException("endpoint returned " + out.size() + " values for " + e.dependency().outputs().size() + " outputs");
      }
      double secs = durations.record(System.nanoTime() - t0);
      LOG.info("event {} fn={} ok in {} ms", e.id(), e.dependency().id(), Math.round(secs * 1000));
      e.finish(new ServerMessage.ProcessCompleted(e.id(), new EventOutput.Data(out, secs, durations.averageSeconds()), true, null), null);
    } catch (Exception | Error failure) {
      LOG.info("event {} fn={} failed in {} ms: {}", e.id(), e.dependency().id(), (System.nanoTime() - t0) / 1_000_000, failure.toString());
      e.finish(new ServerMessage.ProcessCompleted(e.id(), new EventOutput.Error(message(failure)), false, "Error"), failure);
      if (failure instanceof Error err && !(failure instanceof AssertionError)) {
        throw err; // completed first, so no waiter hangs; then the pool replaces this thread
      }
    }
  }

  /** The mapper must not be able to leave an event unfinished. */
  private String message(Throwable failure) {
    try {
      return String.valueOf(errorMessage.apply(failure));
    } catch (RuntimeException mapperBug) {
      LOG.error("error mapper failed", mapperBug);
      return "Internal error.";
    }
  }

  private void sweep() {
    try {
      sessions.sweep(System.nanoTime()).forEach(Event::cancel);
    } catch (RuntimeException ex) {
      LOG.warn("session sweep failed", ex); // keep the timer alive
    }
  }

  private static String newId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** {@link #close(Duration)} with a 10 s drain: longer than any search, shorter than a container's stop timeout. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /**
   * Shutdown: refuses new events at once (503, "stopping"), lets running and queued events finish for up to
   * {@code drain} so their callers get answers, then cancels what is left (each waiter gets its final message).
   */
  public void close(Duration drain) {
    stopping = true;
    housekeeping.shutdownNow();
    workers.shutdown(); // queued tasks still run; submissions are refused
    long end = System.nanoTime() + drain.toNanos();
    try {
      while (!live.isEmpty() && System.nanoTime() < end) {
        Thread.sleep(10);
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
    if (!live.isEmpty()) {
      LOG.warn("{} events still running after a {} s drain: cancelled", live.size(), drain.toSeconds());
    }
    new ArrayList<>(live.values()).forEach(Event::cancel);
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
  }
}
