package dev.clipsearch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CLI checks a query and k with the web's limits and messages, before any model or store is opened. */
class SearchCommandTest {
  private static String refusal(String... args) {
    SearchCommand command = new SearchCommand();
    new CommandLine(command).parseArgs(args);
    return assertThrows(IllegalArgumentException.class, command::run).getMessage();
  }

  @Test
  void topKHasTheOneLimitOfTheApi() {
    assertEquals("Top K must be between 1 and 50, got 51.", refusal("a dog", "-k", "51"));
    assertEquals("Top K must be between 1 and 50, got 0.", refusal("a dog", "-k", "0"));
  }

  @Test
  void anEmptyOrOverlongQueryIsRefusedWithTheApisMessage() {
    assertEquals("Please enter a search query.", refusal("  "));
    assertEquals("The query is too long (1001 characters; the limit is 1000).", refusal("a".repeat(1001)));
  }
}
