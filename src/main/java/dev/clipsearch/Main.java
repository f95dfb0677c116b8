package dev.clipsearch;

import dev.clipsearch.cli.EmbedCommand;
import dev.clipsearch.cli.EvalCommand;
import dev.clipsearch.cli.IngestCommand;
import dev.clipsearch.cli.MigrateCommand;
import dev.clipsearch.cli.SearchCommand;
import dev.clipsearch.cli.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: parses the subcommand and runs it; maps failures to a one-line error and an exit code. */
@Command(
    name = "clip-search",
    mixinStandardHelpOptions = true,
    version = "clip-search 0.1.0",
    description = "Text-to-image search with CLIP (TorchScript via LibTorch), Milvus and the Gradio protocol.",
    subcommands = {ServeCommand.class, IngestCommand.class, SearchCommand.class, EmbedCommand.class, EvalCommand.class,
        MigrateCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
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
