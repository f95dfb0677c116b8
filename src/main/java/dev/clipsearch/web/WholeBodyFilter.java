package dev.clipsearch.web;

import dev.clipsearch.gradio.GradioException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConnection;

/**
 * The gate in front of every route: a request reaches Javalin only once its body has arrived whole. Without it a
 * handler reads the body on a request thread, and a client that sends headers and then part of a body holds that
 * thread until the idle timeout: a few hundred such clients took every request thread (issue 21).
 *
 * <p>In order: a connection over its address's cap ({@link ConnectionGuard}) is answered 429; a {@code Content-Length}
 * over the route's limit is answered 413 before a byte of the body is read; any other body is read with servlet
 * non-blocking I/O (a {@link ReadListener}: Jetty calls it when bytes are there, so no thread waits for the rest)
 * into a {@link Spool}, within the body timeout (408 otherwise) and the same size limit (for chunked bodies); then
 * the request is dispatched again (an ASYNC dispatch) with the spooled body in place ({@link SpooledRequest}). Each
 * refusal closes the connection, and is counted in {@link Shedding}.
 *
 * <p>Threading: {@link #doFilter} on request threads; the listener's callbacks on Jetty's threads, which Jetty runs
 * one at a time per request; {@code finished} decides, once, between dispatch, timeout and error.
 */
final class WholeBodyFilter implements Filter {
  private static final String BODY = WholeBodyFilter.class.getName() + ".body";
  private final ConnectionGuard guard;
  private final Shedding shed;
  private final long maxJsonBytes;
  private final long maxMultipartBytes;
  private final long bodyTimeoutMillis;
  private final Path spoolDir;

  WholeBodyFilter(ConnectionGuard guard, Shedding shed, long maxJsonBytes, long maxMultipartBytes,
      long bodyTimeoutMillis, Path spoolDir) {
    this.guard = guard;
    this.shed = shed;
    this.maxJsonBytes = maxJsonBytes;
    this.maxMultipartBytes = maxMultipartBytes;
    this.bodyTimeoutMillis = bodyTimeoutMillis;
    this.spoolDir = spoolDir;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest req = (HttpServletRequest) request;
    HttpServletResponse res = (HttpServletResponse) response;
    if (req.getDispatcherType() == DispatcherType.ASYNC && req.getAttribute(BODY) instanceof Spool body) {
      req.removeAttribute(BODY);
      handOn(new SpooledRequest(req, body), res, chain);
      return;
    }
    if (req.getDispatcherType() != DispatcherType.REQUEST) {
      chain.doFilter(request, response);
      return;
    }
    HttpConnection connection = HttpConnection.getCurrentConnection();
    if (connection != null && guard.isOverCap(connection)) {
      ErrorMapping.respondAndClose(new GradioException(GradioException.Kind.TOO_MANY, "Too many connections from "
          + "your address (the limit is " + guard.perClientCap() + "); reuse or close some and retry."), res);
      return;
    }
    long length = req.getContentLengthLong();
    boolean chunked = "chunked".equalsIgnoreCase(req.getHeader("Transfer-Encoding"));
    if (length <= 0 && !chunked) {
      chain.doFilter(request, response);
      return;
    }
    long max = isMultipart(req) ? maxMultipartBytes : maxJsonBytes;
    if (length > max) {
      tooLarge(length, max, res);
      return;
    }
    AsyncContext async = req.startAsync();
    async.setTimeout(bodyTimeoutMillis);
    ServletInputStream in = req.getInputStream();
    Reader reader = new Reader(async, in, new Spool(spoolDir), max);
    async.addListener(reader);
    in.setReadListener(reader);
  }

  /** Runs the routes on the spooled body; its files are deleted once the response is complete. */
  private static void handOn(SpooledRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    boolean async = false;
    try {
      chain.doFilter(req, res);
      async = req.isAsyncStarted();
      if (async) {
        req.getAsyncContext().addListener(new AsyncListener() {
          @Override
          public void onComplete(AsyncEvent event) {
            req.release();
          }

          @Override
          public void onTimeout(AsyncEvent event) {}

          @Override
          public void onError(AsyncEvent event) {}

          @Override
          public void onStartAsync(AsyncEvent event) {}
        });
      }
    } finally {
      if (!async) {
        req.release();
      }
    }
  }

  private void tooLarge(long length, long max, HttpServletResponse res) throws IOException {
    shed.count(Shedding.Reason.BODY_TOO_LARGE);
    ErrorMapping.respondAndClose(new GradioException(GradioException.Kind.TOO_LARGE,
        "Request body too large: " + (length > 0 ? length + " bytes" : "more") + " where the limit is " + max
            + " bytes."), res);
  }

  private static boolean isMultipart(HttpServletRequest req) {
    String type = req.getContentType();
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
  }

  /** Reads what has arrived, whenever Jetty says some has; dispatches when the body is whole. */
  private final class Reader implements ReadListener, AsyncListener {
    private final AsyncContext async;
    private final ServletInputStream in;
    private final Spool spool;
    private final long max;
    private final AtomicBoolean finished = new AtomicBoolean();

    Reader(AsyncContext async, ServletInputStream in, Spool spool, long max) {
      this.async = async;
      this.in = in;
      this.spool = spool;
      this.max = max;
    }

    @Override
    public void onDataAvailable() throws IOException {
      byte[] buf = new byte[16 * 1024];
      while (in.isReady() && !in.isFinished()) {
        int n = in.read(buf);
        if (n < 0) {
          return;
        }
        spool.write(buf, 0, n);
        if (spool.size() > max && finished.compareAndSet(false, true)) {
          spool.delete();
          tooLarge(-1, max, (HttpServletResponse) async.getResponse());
          async.complete();
          return;
        }
      }
    }

    @Override
    public void onAllDataRead() {
      if (finished.compareAndSet(false, true)) {
        async.getRequest().setAttribute(BODY, spool);
        async.dispatch();
      }
    }

    @Override
    public void onError(Throwable t) {
      // Client gone, or Jetty's minimum data rate: there is nobody to answer or nothing more worth reading.
      if (finished.compareAndSet(false, true)) {
        spool.delete();
        async.complete();
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      if (finished.compareAndSet(false, true)) {
        shed.count(Shedding.Reason.BODY_TIMEOUT);
        spool.delete();
        ErrorMapping.respondAndClose(new GradioException(GradioException.Kind.TIMEOUT, "The request body did not "
            + "arrive within " + bodyTimeoutMillis / 1000 + " s."), (HttpServletResponse) async.getResponse());
        async.complete();
      }
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {
      onError(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
