package dev.clipsearch.web;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.eclipse.jetty.server.MultiPartFormInputStream;

/**
 * A request whose body was read whole before dispatch ({@link WholeBodyFilter}): the stream, the reader and the
 * multipart parts all come from the {@link Spool}. Jetty's own {@code Request.getParts()} would read its network
 * input, which is already consumed, so the parts are parsed here with Jetty's parser and the same multipart config
 * Javalin sets on the request. {@link #release} deletes the spool and any part files.
 */
final class SpooledRequest extends HttpServletRequestWrapper {
  /** Javalin's attribute for the multipart limits (MultipartUtil.MULTIPART_CONFIG_ATTRIBUTE). */
  static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
  private static final int MAX_PARTS = 1000;
  private final Spool body;
  private MultiPartFormInputStream parts;

  SpooledRequest(HttpServletRequest request, Spool body) {
    super(request);
    this.body = body;
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    InputStream in = body.open();
    return new ServletInputStream() {
      private boolean finished;

      @Override
      public int read() throws IOException {
        int b = in.read();
        finished = b < 0;
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        finished = n < 0;
        return n;
      }

      @Override
      public boolean isFinished() {
        return finished;
      }

      @Override
      public boolean isReady() {
        return true; // whole body is here: reads never block
      }

      @Override
      public void setReadListener(ReadListener listener) {
        throw new IllegalStateException("the body was read before dispatch; read it synchronously");
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }

  @Override
  public BufferedReader getReader() throws IOException {
    String enc = getCharacterEncoding();
    Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
    return new BufferedReader(new InputStreamReader(getInputStream(), cs));
  }

  @Override
  public int getContentLength() {
    return (int) Math.min(Integer.MAX_VALUE, body.size());
  }

  @Override
  public long getContentLengthLong() {
    return body.size();
  }

  @Override
  public Collection<Part> getParts() throws IOException, ServletException {
    return multipart().getParts();
  }

  @Override
  public Part getPart(String name) throws IOException, ServletException {
    return multipart().getPart(name);
  }

  private synchronized MultiPartFormInputStream multipart() throws IOException {
    if (parts == null) {
      Object config = getAttribute(MULTIPART_CONFIG);
      if (!(config instanceof MultipartConfigElement mc)) {
        throw new IllegalStateException("No multipart config for this request");
      }
      parts = new MultiPartFormInputStream(body.open(), getContentType(), mc,
          new File(System.getProperty("java.io.tmpdir")), MAX_PARTS);
    }
    return parts;
  }

  /** Deletes the spooled body and the parts' temporary files. */
  synchronized void release() {
    if (parts != null) {
      parts.deleteParts();
    }
    body.delete();
  }
}
