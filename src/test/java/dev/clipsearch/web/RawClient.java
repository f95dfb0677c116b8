package dev.clipsearch.web;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Raw HTTP/1.1 over a socket, for what an HTTP client library will not do: send half a request and stop, announce a
 * body it never sends, or connect from another loopback address (127.0.0.2 is a different client to the server, as
 * every 127/8 address reaches the loopback interface on Linux).
 */
public final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  /** Connects to {@code 127.0.0.1:port} from {@code fromAddress} (e.g. "127.0.0.2"). */
  public RawClient(String fromAddress, int port) throws IOException {
    socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(fromAddress), 0);
    socket.setSoTimeout(10_000);
    in = new BufferedInputStream(socket.getInputStream()); // byte-wise head parsing without a system call per byte
  }

  /** Writes {@code text} as it is (ISO-8859-1, as HTTP headers are). */
  public RawClient send(String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** The head of a request with {@code Content-Length: length}, and nothing of its body yet. */
  public static String head(String method, String path, String contentType, long length) {
    return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + length + "\r\n\r\n";
  }

  /** A whole request without a body. */
  public static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  /** The status line and headers of the response (up to the blank line); "" if the server closed first. */
  public String readHead(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** The status code of the response, or -1 when the server closed the connection without one. */
  public int readStatus(int timeoutMillis) throws IOException {
    String head = readHead(timeoutMillis);
    return head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
  }

  /**
   * The body of a response whose head {@link #readHead} returned, by its Content-Length or its chunks; null if the
   * server closed the connection before the body's end. Leaves the connection ready for the next request.
   */
  public String readBody(String head) throws IOException {
    long length = contentLength(head);
    if (length >= 0) {
      byte[] body = in.readNBytes((int) length);
      return body.length == length ? new String(body, StandardCharsets.UTF_8) : null;
    }
    return readChunks(null);
  }

  /**
   * Chunks of a chunked body until one contains {@code marker} (the rest is left unread), or the whole body when
   * {@code marker} is null; null if the server closed the connection first.
   */
  public String readChunks(String marker) throws IOException {
    StringBuilder body = new StringBuilder();
    while (true) {
      String size = readLine();
      if (size == null) {
        return null;
      }
      int n = Integer.parseInt(size.trim(), 16);
      byte[] chunk = in.readNBytes(n);
      if (chunk.length < n || readLine() == null) {
        return null;
      }
      String text = new String(chunk, StandardCharsets.UTF_8);
      body.append(text);
      if (n == 0 || (marker != null && text.contains(marker))) {
        return body.toString();
      }
    }
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        return Long.parseLong(line.substring(15).trim());
      }
    }
    return -1;
  }

  /** One CRLF-ended line without its CRLF; null at the end of the stream. */
  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        return null;
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Up to {@code max} bytes of what follows, for reading a body or an SSE frame. */
  public String readSome(int max, int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    byte[] buf = new byte[max];
    int n = in.read(buf);
    return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
  }

  /** Everything until the server closes the connection (a refusal says Connection: close). */
  public String readToEnd(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** True once the server has closed the connection (end of stream within the wait); data before that is skipped. */
  public boolean closedByServer(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    try {
      while (in.read() >= 0) {
        // skip a response the server may have sent before closing
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
