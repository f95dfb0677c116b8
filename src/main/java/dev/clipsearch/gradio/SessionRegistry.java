package dev.clipsearch.gradio;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * session_hash → {@link Session}, bounded, with idle expiry. Thread-safe (a concurrent map; sessions lock themselves).
 * Expired sessions are swept by {@link EventQueue}'s housekeeping timer and whenever the map is full.
 */
final class SessionRegistry {
  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
  private final int maxSessions;
  private final long ttlNanos;

  SessionRegistry(int maxSessions, long ttlNanos) {
    this.maxSessions = maxSessions;
    this.ttlNanos = ttlNanos;
  }

  Session getOrCreate(String hash) {
    Session s = sessions.get(hash);
    if (s != null) {
      return s;
    }
    if (sessions.size() >= maxSessions) {
      sweep(System.nanoTime()).forEach(Event::cancel);
      if (sessions.size() >= maxSessions) {
        throw new GradioException(GradioException.Kind.QUEUE_FULL,
            "Queue is full. Max size is " + maxSessions + " sessions and size is " + sessions.size() + ".");
      }
    }
    return sessions.computeIfAbsent(hash, Session::new);
  }

  Optional<Session> get(String hash) {
    return Optional.ofNullable(sessions.get(hash));
  }

  /** Removes and abandons the session; returns its pending events for cancelling. */
  List<Event> drop(Session s) {
    sessions.remove(s.hash(), s);
    return s.abandon();
  }

  /** Drops expired sessions; returns their pending events for cancelling. */
  List<Event> sweep(long nowNanos) {
    List<Event> orphans = new ArrayList<>();
    for (Session s : sessions.values()) {
      if (s.expired(nowNanos, ttlNanos)) {
        orphans.addAll(drop(s));
      }
    }
    return orphans;
  }

  int size() {
    return sessions.size();
  }
}
