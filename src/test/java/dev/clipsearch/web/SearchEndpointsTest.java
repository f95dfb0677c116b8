package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clipsearch.store.Hit;
import org.junit.jupiter.api.Test;

/** What a result's caption says, and what a caption given to ingest may be. */
class SearchEndpointsTest {
  @Test
  void aStoredCaptionIsShownInsteadOfTheFileName() {
    assertEquals("my cat, asleep \u00b7 0.875", SearchEndpoints.caption(new Hit(1, "/up/ab/cat.jpg", 0.875f,
        "my cat, asleep")));
    assertEquals("cat.jpg \u00b7 0.875", SearchEndpoints.caption(new Hit(1, "/up/ab/cat.jpg", 0.875f, "")));
  }

  @Test
  void anIngestCaptionIsStrippedAndBounded() {
    assertEquals("a dog", SearchEndpoints.caption("  a dog \n"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SearchEndpoints.caption("x".repeat(SearchEndpoints.MAX_CAPTION_CHARS + 1)));
    assertEquals("The caption is too long (1001 characters; the limit is 1000).", e.getMessage());
  }
}
