package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.gradio.GradioException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uploads folder's budget: eviction of the least recently used uploads nothing holds, the query cache, ingested
 * uploads that persist, and the sweep of old uploads the index does not hold.
 */
class UploadSpaceTest {
  @TempDir Path tmp;

  @Test
  void uploadsPastTheQuotaEvictTheOldestAndOnlyAnOversizedOneIsRefused() throws Exception {
    String tenKb = "x".repeat(10_000);
    try (TestApp app = new TestApp(tmp, Limits.withUploads(25_000, 25_000, Duration.ofHours(1)))) {
      String first = app.upload("/gradio_api/upload", "a.png", tenKb).body();
      assertEquals(200, app.upload("/gradio_api/upload", "b.png", tenKb).statusCode());
      assertEquals(200, app.upload("/gradio_api/upload", "c.png", tenKb).statusCode(), "room is made, not refused");
      assertEquals(2, files(app.uploads), "the oldest upload made room");
      assertTrue(Files.notExists(app.uploads.resolve(first.replaceAll("[\\[\\]\"]", "").substring("uploads/".length()))),
          "the oldest is the one that went");
      HttpResponse<String> huge = app.upload("/gradio_api/upload", "huge.png", "z".repeat(26_000));
      assertEquals(413, huge.statusCode());
      assertTrue(huge.body().contains("File too large: the limit is 25000 bytes."), huge.body());
      assertEquals(2, files(app.uploads), "the refused upload evicted nothing and left nothing behind");
    }
  }

  private static long files(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static Path write(Path dir, String id, String name, int bytes, Duration age) throws Exception {
    Path f = Files.createDirectories(dir.resolve(id)).resolve(name);
    Files.write(f, new byte[bytes]);
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(age)));
    return f;
  }

  /** An upload as FileRoutes makes one: reserve, write, added. */
  private static Path upload(UploadSpace space, Path dir, String id, int bytes) throws Exception {
    space.reserve(bytes);
    Path f = write(dir, id, "f.jpg", bytes, Duration.ZERO);
    space.added(f, bytes);
    return f;
  }

  @Test
  void anUploadAnIngestHoldsIsNotEvictedAndWhenEverythingIsHeldTheUploadWaits() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("uploads"));
    try (UploadSpace space = new UploadSpace(dir, 100, 50, Duration.ofHours(24), Duration.ZERO, p -> false)) {
      Path held = upload(space, dir, "u1", 60);
      space.ingesting(held);
      Path free = upload(space, dir, "u2", 40);
      upload(space, dir, "u3", 40); // needs room: the free one goes, the held one stays
      assertTrue(Files.exists(held));
      assertFalse(Files.exists(free));
      space.ingesting(dir.resolve("u3/f.jpg"));
      GradioException busy = assertThrows(GradioException.class, () -> space.reserve(10));
      assertEquals(GradioException.Kind.QUEUE_FULL, busy.kind(), "everything held: 503, retry");
      space.ingested(held); // the store says no: an ordinary upload again, evictable
      upload(space, dir, "u4", 10);
      assertFalse(Files.exists(held));
    }
  }

  @Test
  void searchedUploadsStayInABoundedQueryCacheMostRecentFirst() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("uploads"));
    try (UploadSpace space = new UploadSpace(dir, 1000, 25, Duration.ofHours(24), Duration.ZERO, p -> false)) {
      Path a = upload(space, dir, "a", 10);
      Path b = upload(space, dir, "b", 10);
      Path c = upload(space, dir, "c", 10);
      assertArrayEquals(new byte[10], space.readForSearch(a));
      space.readForSearch(b);
      space.readForSearch(a); // a repeated search: a is the most recent again
      assertTrue(Files.exists(a) && Files.exists(b) && Files.exists(c), "20 bytes searched, within the 25");
      space.readForSearch(c);
      assertFalse(Files.exists(b), "the least recently searched went");
      assertTrue(Files.exists(a) && Files.exists(c));
      assertEquals(20, space.queryCacheBytes());
      assertEquals(2, space.queryCacheFiles());
    }
  }

  @Test
  void anIngestedUploadLeavesTheBudgetAndIsNeverDeleted() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("uploads"));
    Set<String> stored = new HashSet<>();
    try (UploadSpace space = new UploadSpace(dir, 100, 50, Duration.ofMinutes(1), Duration.ZERO, stored::contains)) {
      Path kept = upload(space, dir, "u1", 80);
      space.ingesting(kept);
      stored.add(kept.toAbsolutePath().normalize().toString());
      space.ingested(kept);
      assertEquals(0, space.usedBytes(), "a stored image is not a transient upload");
      upload(space, dir, "u2", 90);
      Files.setLastModifiedTime(kept, FileTime.from(Instant.now().minus(Duration.ofDays(3))));
      space.sweep();
      assertTrue(Files.exists(kept));
    }
  }

  @Test
  void theSweepDeletesOnlyOldUploadsThatWereNotIngested() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("uploads"));
    Path oldQuery = write(dir, "u1", "query.jpg", 11, Duration.ofHours(30));
    Path oldIngested = write(dir, "u2", "kept.jpg", 12, Duration.ofHours(30));
    Path fresh = write(dir, "u3", "fresh.jpg", 13, Duration.ofMinutes(5));
    Set<String> stored = Set.of(oldIngested.toString());
    try (UploadSpace space = new UploadSpace(dir, 1 << 20, 1 << 20, Duration.ofHours(24), Duration.ZERO,
        stored::contains)) {
      assertEquals(36, space.usedBytes(), "found at start, not yet known to be stored");
      assertEquals(1, space.sweep());
      assertTrue(Files.notExists(oldQuery) && Files.notExists(oldQuery.getParent()), "old query upload and its folder");
      assertTrue(Files.exists(oldIngested), "an ingested upload is a stored image");
      assertTrue(Files.exists(fresh), "younger than the TTL");
      assertEquals(13, space.usedBytes(), "the stored one left the budget, the deleted one is gone");
    }
  }

  @Test
  void whenTheStoreCannotAnswerNothingFoundAtStartIsDeleted() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("uploads"));
    Path old = write(dir, "u1", "maybe-ingested.jpg", 50, Duration.ofDays(3));
    try (UploadSpace space = new UploadSpace(dir, 60, 60, Duration.ofHours(24), Duration.ZERO, p -> {
      throw new IllegalStateException("store down");
    })) {
      assertThrows(IllegalStateException.class, space::sweep);
      assertEquals(GradioException.Kind.QUEUE_FULL, assertThrows(GradioException.class, () -> space.reserve(20)).kind(),
          "no room can be made without the store: 503, retry");
      assertTrue(Files.exists(old));
    }
  }
}
