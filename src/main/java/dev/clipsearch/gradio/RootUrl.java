package dev.clipsearch.gradio;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The public root URL of the server as the client sees it, computed per request. @gradio/client 2.x uses
 * {@code config.root} verbatim as the base of every later call and browsers load gallery images from the FileData
 * url, so a root that names the internal address breaks both behind a proxy (gradio issue #5779;
 * docs/gradio-protocol.md, "Root URL behind a proxy").
 */
public final class RootUrl {
  // A host[:port] we are willing to echo into JSON and URLs; anything else is ignored rather than reflected.
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-_]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

  private RootUrl() {}

  /**
   * @param forwardedProto X-Forwarded-Proto header or null
   * @param forwardedHost X-Forwarded-Host header or null
   * @param host Host header or null
   * @param scheme the scheme the request arrived with
   * @param fallbackHost used when no usable host header is present (e.g. "127.0.0.1:7860")
   */
  public static String of(String forwardedProto, String forwardedHost, String host, String scheme, String fallbackHost) {
    String proto = first(forwardedProto);
    if (proto == null || !(proto.equalsIgnoreCase("http") || proto.equalsIgnoreCase("https"))) {
      proto = scheme;
    }
    String h = first(forwardedHost);
    if (h == null || !HOST.matcher(h).matches()) {
      h = first(host);
    }
    if (h == null || !HOST.matcher(h).matches()) {
      h = fallbackHost;
    }
    return proto.toLowerCase(Locale.ROOT) + "://" + h;
  }

  /** Proxies append to these headers ("a, b"); the first value is the one the client used. */
  private static String first(String header) {
    if (header == null) {
      return null;
    }
    int comma = header.indexOf(',');
    String v = (comma < 0 ? header : header.substring(0, comma)).trim();
    return v.isEmpty() ? null : v;
  }
}
