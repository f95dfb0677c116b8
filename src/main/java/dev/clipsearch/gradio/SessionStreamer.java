package dev.clipsearch.gradio;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The two stream loops. Each runs on one streaming thread for the life of an HTTP response and returns when the stream
 * is over; the caller then ends the response.
 *
 * <p>Disconnects: a failed write (IOException) on the queue stream drops the session and cancels its pending events
 * (Gradio's clean_events), so abandoned work does not occupy workers.
 */
public final class SessionStreamer {
  private final EventQueue queue;
  private final Duration heartbeat;

  /** @param heartbeat idle interval between heartbeat frames; below the 20 s read timeout of Python's heartbeat thread */
  public SessionStreamer(EventQueue queue, Duration heartbeat) {
    this.queue = queue;
    this.heartbeat = heartbeat;
  }

  /**
   * GET /queue/data: writes the session's messages until nothing is pending, then {@code close_stream}. An unknown
   * session gets one {@code unexpected_error} and the stream ends, as real Gradio answers it.
   */
  public void streamQueue(String sessionHash, SseSink sink) throws IOException, InterruptedException {
    Session s = queue.session(sessionHash).orElse(null);
    if (s == null) {
      sink.send(SseFrames.data(new ServerMessage.UnexpectedError("404: Not Found", true)));
      return;
    }
    s.streamOpened();
    try {
      while (true) {
        ServerMessage m = s.poll(heartbeat);
        if (m == null) {
          if (s.idle()) {
            break; // e.g. a second stream whose twin delivered the last completion
          }
          sink.send(SseFrames.data(new ServerMessage.Heartbeat()));
          continue;
        }
        if (m instanceof ServerMessage.ProcessCompleted pc) {
          long left = s.holdLeftNanos(pc.eventId(), System.nanoTime());
          if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left); // only this session's stream waits (legacy client, Session#holdCompletions)
          }
        }
        sink.send(SseFrames.data(m));
        if (m instanceof ServerMessage.ProcessCompleted pc && s.delivered(pc.eventId())) {
          break;
        }
      }
      sink.send(SseFrames.data(new ServerMessage.CloseStream()));
    } catch (IOException gone) {
      queue.drop(s);
      throw gone;
    } finally {
      s.streamClosed();
    }
  }

  /**
   * GET /call/{api}/{event_id}: {@code event: heartbeat} while waiting, then one {@code complete} or {@code error}
   * frame. The private session is dropped afterwards: an event can be read once.
   *
   * @param s from {@link EventQueue#callSession}, looked up by the caller before it commits to a 200 response
   */
  public void streamCall(Session s, SseSink sink) throws IOException, InterruptedException {
    s.streamOpened();
    try {
      while (true) {
        ServerMessage m = s.poll(heartbeat);
        if (m == null) {
          sink.send(SseFrames.event("heartbeat", null));
        } else if (m instanceof ServerMessage.ProcessCompleted pc) {
          sink.send(callFrame(pc));
          return;
        }
        // estimation / process_starts have no /call equivalent: Gradio drops them too.
      }
    } finally {
      s.streamClosed();
      queue.drop(s);
    }
  }

  /**
   * complete → the output values; error → the error dict (6.x shape: 4.44/5.49 send {@code null} there, which tells a
   * curl user nothing). A cancelled event has no data, so it is reported as an error too.
   */
  static byte[] callFrame(ServerMessage.ProcessCompleted pc) {
    if (pc.output() instanceof EventOutput.Data d) {
      return SseFrames.event("complete", d.data());
    }
    if (pc.output() instanceof EventOutput.Error err) {
      return SseFrames.event("error", err);
    }
    return SseFrames.event("error", new EventOutput.Error("Cancelled."));
  }
}
