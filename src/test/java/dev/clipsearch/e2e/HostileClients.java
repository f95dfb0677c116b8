package dev.clipsearch.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A background of hostile connections from one address, all held open on one thread (NIO): a quarter each of
 * requests whose body stops after a few bytes, uploads that stop likewise, headers trickled a line every few seconds
 * (a slowloris), and heartbeat streams nobody reads. Whatever the server closes or refuses is opened again a second
 * later, so the count stays at {@code count} for as long as the server lets it. Used by HostileTrafficIT (a few
 * hundred, in CI) and bench.SoakBench (thousands).
 */
public final class HostileClients implements AutoCloseable {
  /** What each connection does. */
  public enum Kind { HALF_BODY, HALF_UPLOAD, SLOW_HEADERS, IDLE_STREAM }

  private static final long REOPEN_DELAY_NANOS = 1_000_000_000L;
  private static final long DRIP_NANOS = 5_000_000_000L;
  private final String from;
  private final int port;
  private final int count;
  private final Selector selector;
  private final Thread loop;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<Kind, AtomicLong> cut = new EnumMap<>(Kind.class);
  private volatile boolean closed;

  /** Opens {@code count} connections from {@code fromAddress} (e.g. 127.0.0.2) to 127.0.0.1:{@code port}. */
  public HostileClients(String fromAddress, int port, int count) throws IOException {
    this.from = fromAddress;
    this.port = port;
    this.count = count;
    for (Kind k : Kind.values()) {
      cut.put(k, new AtomicLong());
    }
    this.selector = Selector.open();
    this.loop = new Thread(this::run, "hostile-clients");
    loop.setDaemon(true);
    loop.start();
  }

  /** Connections open now (as far as this side knows). */
  public int open() {
    return open.get();
  }

  /** Connections the server closed or refused so far, by kind. */
  public Map<Kind, Long> cut() {
    Map<Kind, Long> m = new EnumMap<>(Kind.class);
    cut.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  private record Conn(Kind kind, long openedNanos) {}

  private void run() {
    Deque<Long> reopenAt = new ArrayDeque<>();
    long lastDrip = System.nanoTime();
    int opened = 0;
    ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
    try {
      while (!closed) {
        long now = System.nanoTime();
        while (opened < count) {
          if (!openOne(Kind.values()[opened % Kind.values().length])) {
            reopenAt.addLast(now + REOPEN_DELAY_NANOS);
          }
          opened++;
        }
        while (!reopenAt.isEmpty() && reopenAt.peekFirst() <= now) {
          reopenAt.pollFirst();
          if (!openOne(Kind.values()[(int) (now % Kind.values().length)])) {
            reopenAt.addLast(now + REOPEN_DELAY_NANOS);
          }
        }
        selector.select(200);
        for (SelectionKey key : selector.selectedKeys()) {
          SocketChannel ch = (SocketChannel) key.channel();
          Conn c = (Conn) key.attachment();
          int n;
          try {
            sink.clear();
            n = ch.read(sink); // an ALIVE frame, a refusal, or the end
          } catch (IOException reset) {
            n = -1;
          }
          if (n < 0 || (n > 0 && c.kind != Kind.IDLE_STREAM) || (n > 0 && isRefusal(sink, n))) {
            key.cancel();
            ch.close();
            open.decrementAndGet();
            cut.get(c.kind).incrementAndGet();
            reopenAt.addLast(System.nanoTime() + REOPEN_DELAY_NANOS);
          }
        }
        selector.selectedKeys().clear();
        if (now - lastDrip > DRIP_NANOS) {
          lastDrip = now;
          for (SelectionKey key : selector.keys()) {
            if (((Conn) key.attachment()).kind == Kind.SLOW_HEADERS && key.isValid()) {
              write((SocketChannel) key.channel(), "X-Drip: " + (now % 1000) + "\r\n");
            }
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      for (SelectionKey key : selector.keys()) {
        try {
          key.channel().close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
  }

  private static boolean isRefusal(ByteBuffer buf, int n) {
    return new String(buf.array(), 0, Math.min(n, 12), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 4");
  }

  private boolean openOne(Kind kind) {
    try {
      SocketChannel ch = SocketChannel.open();
      ch.bind(new InetSocketAddress(from, 0));
      ch.connect(new InetSocketAddress("127.0.0.1", port));
      write(ch, switch (kind) {
        case HALF_BODY -> head("/gradio_api/queue/join", "application/json", 4096) + "{\"data\": [\"a ";
        case HALF_UPLOAD -> head("/gradio_api/upload", "multipart/form-data; boundary=b", 200_000)
            + "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"x.jpg\"\r\n\r\n\u00ff\u00d8";
        case SLOW_HEADERS -> "POST /gradio_api/queue/join HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        case IDLE_STREAM -> "GET /gradio_api/heartbeat/" + UUID.randomUUID().toString().replace("-", "")
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      });
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, new Conn(kind, System.nanoTime()));
      open.incrementAndGet();
      return true;
    } catch (IOException e) {
      cut.get(kind).incrementAndGet(); // refused at connect (the server's total cap): counted, tried again later
      return false;
    }
  }

  private static String head(String path, String type, int length) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type + "\r\nContent-Length: " + length
        + "\r\n\r\n";
  }

  private static void write(SocketChannel ch, String s) {
    try {
      ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
      while (b.hasRemaining()) {
        ch.write(b);
      }
    } catch (IOException gone) {
      // the server closed it; the read side notices and reopens
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    selector.wakeup();
    try {
      loop.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    selector.close();
  }
}
