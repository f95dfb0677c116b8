package dev.clipsearch.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.clipsearch.config.ServerConfig;
import org.slf4j.LoggerFactory;

/**
 * How much a command logs. {@code serve} logs fully (INFO): it is a server, and its log is its record. The other
 * commands are tools whose output is their result (JSON on stdout, progress on stderr), so they log only warnings and
 * errors unless asked with {@code -v}. CLIPSRV_LOG_LEVEL, when set, wins over both (logback.xml applies it).
 *
 * <p>The one place that touches logback itself (the backend behind SLF4J): it runs after the command line is parsed
 * and before the command builds anything, so nothing is logged at a level this would hide.
 */
final class CliLogging {
  private CliLogging() {}

  static void apply(ServerConfig.Logging logging, boolean serve) {
    if (logging.levelGiven() || serve || logging.verbose()) {
      return;
    }
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.WARN);
    }
  }
}
