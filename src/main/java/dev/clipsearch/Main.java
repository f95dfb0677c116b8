package dev.clipsearch;

import dev.clipsearch.cli.DeleteCommand;
import dev.clipsearch.cli.EmbedCommand;
import dev.clipsearch.cli.EvalCommand;
import dev.clipsearch.cli.IngestCommand;
import dev.clipsearch.cli.MigrateCommand;
import dev.clipsearch.cli.SearchCommand;
import dev.clipsearch.cli.ServeCommand;
import dev.clipsearch.cli.StatsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: parses the subcommand and runs it; maps failures to a one-line error and an exit code. */
@Command(
    name = "clip-search",
    mixinStandardHelpOptions = true,
    version = "clip-search 0.1.0",
    description = "Text-to-image search with CLIP (TorchScript via LibTorch), Milvus and the Gradio protocol.",
    subcommands = {ServeCommand.class, IngestCommand.class, SearchCommand.class, StatsCommand.class, DeleteCommand.class,
        EmbedCommand.class, EvalCommand.class, MigrateCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Each command's --help lists its own options first, then the settings that apply to it. Every setting "
        + "can also be given as an environment variable (CLIPSRV_...) or in a settings file (--config)."})
public final class Main implements Runnable {
  /** The width of every help text: fixed, so the help reads the same everywhere (and its snapshots are stable). */
  static final int HELP_WIDTH = 110;

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** The command line with every subcommand, as {@link #run} executes it. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setUsageHelpWidth(HELP_WIDTH);
    cli.setUsageHelpLongOptionsMaxWidth(32);
    return cli;
  }

  static int run(String... args) {
    CommandLine cli = commandLine();
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("error: " + message(e));
      if (Boolean.getBoolean("clipsearch.debug")) {
        e.printStackTrace(commandLine.getErr());
      }
      return 1;
    });
    return cli.execute(args);
  }

  private static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.CompletionException)) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
