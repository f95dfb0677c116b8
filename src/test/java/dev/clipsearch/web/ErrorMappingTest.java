package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clipsearch.batching.OverloadedException;
import dev.clipsearch.gradio.GradioException;
import dev.clipsearch.model.image.BadImageException;
import dev.clipsearch.store.ReadOnlyCollectionException;
import dev.clipsearch.store.StoreException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The one exception → status / message map. */
class ErrorMappingTest {
  @Test
  void statuses() {
    assertEquals(400, ErrorMapping.status(new BadImageException("x")));
    assertEquals(413, ErrorMapping.status(new BadImageException("x", true)));
    assertEquals(503, ErrorMapping.status(new StoreException("x")));
    assertEquals(503, ErrorMapping.status(new OverloadedException("image queue full (1024)")));
    assertEquals(400, ErrorMapping.status(new IllegalArgumentException("x")));
    assertEquals(500, ErrorMapping.status(new IllegalStateException("x")));
    assertEquals(403, ErrorMapping.status(new GradioException(GradioException.Kind.FILE_NOT_ALLOWED, "x")));
    assertEquals(422, ErrorMapping.status(new GradioException(GradioException.Kind.VALIDATION, "x")));
    assertEquals(503, ErrorMapping.status(new GradioException(GradioException.Kind.QUEUE_FULL, "x")));
    assertEquals(413, ErrorMapping.status(new GradioException(GradioException.Kind.TOO_LARGE, "x")));
    assertEquals(404, ErrorMapping.status(new GradioException(GradioException.Kind.NOT_FOUND, "x")));
  }

  @Test
  void userMessagesShowInputProblemsAndHideInternals() {
    assertEquals("not an image", ErrorMapping.eventMessage(new BadImageException("not an image")));
    assertEquals("k too big", ErrorMapping.eventMessage(new IllegalArgumentException("k too big")));
    assertEquals(ErrorMapping.STORE_DOWN, ErrorMapping.eventMessage(new StoreException("grpc 10.1.2.3:19530 UNAVAILABLE")));
    assertEquals(ErrorMapping.INTERNAL, ErrorMapping.eventMessage(new NullPointerException("secret.field")));
    assertEquals(ErrorMapping.BUSY, ErrorMapping.eventMessage(new OverloadedException("text queue full (1024)")));
  }

  @Test
  void aReadOnlyCollectionIsAConflictThatSaysWhyNotAStoreOutage() {
    ReadOnlyCollectionException e = new ReadOnlyCollectionException("theirs", "its primary key 'pk' is not auto_id");
    assertEquals(409, ErrorMapping.status(e));
    assertEquals(e.getMessage(), ErrorMapping.eventMessage(e));
    assertEquals(503, ErrorMapping.status(new StoreException("x")), "other store failures stay 503");
  }

  @Test
  void futureWrappersAreUnwrapped() {
    IllegalArgumentException cause = new IllegalArgumentException("x");
    assertEquals(cause, ErrorMapping.unwrap(new CompletionException(new CompletionException(cause))));
  }
}
