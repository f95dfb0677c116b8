package dev.clipsearch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uploads folder's quota (over HTTP) and the sweep of old uploads the index does not hold. */
class UploadSpaceTest {
  @TempDir Path tmp;

  @Test
  void anUploadPastTheQuotaIsRefusedAndTheOthersStay() throws Exception {
    String tenKb = "x".repeat(10_000);
    try (TestApp app = new TestApp(tmp, Limits.withUploads(12_000, 25_000, Duration.ofHours(1)))) {
      assertEquals(200, app.upload("/gradio_api/upload", "a.png", tenKb).statusCode());
      assertEquals(200, app.upload("/gradio_api/upload", "b.png", tenKb).statusCode());
      HttpResponse<String> full = app.upload("/gradio_api/upload", "c.png", tenKb);
      assertEquals(413, full.statusCode());
      assertTrue(full.body().contains("The upload space is full (quota 24 KB)"), full.body());
      try (var files = Files.walk(app.uploads)) {
        assertEquals(2, files.filter(Files::isRegularFile).count(), "the refused upload left nothing behind");
      }
      assertEquals(200, app.upload("/gradio_api/upload", "small.png", "y".repeat(4_000)).statusCode(),
          "what fits still fits");
    }
  }

  private Path upload(Path dir, String id, String name, Duration age) throws Exception {
    Path f = Files.createDirectories(dir.resolve(id)).resolve(name);
    Files.writeString(f, "bytes of " + name);
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(age)));
    return f;
  }

  @Test
  void theSweepDeletesOnlyOldUploadsThatWereNotIngested() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("uploads"));
    Path oldQuery = upload(dir, "u1", "query.jpg", Duration.ofHours(30));
    Path oldIngested = upload(dir, "u2", "kept.jpg", Duration.ofHours(30));
    Path fresh = upload(dir, "u3", "fresh.jpg", Duration.ofMinutes(5));
    Set<String> stored = Set.of(oldIngested.toString());
    try (UploadSpace space = new UploadSpace(dir, 1 << 20, Duration.ofHours(24), Duration.ZERO, stored::contains)) {
      long before = space.usedBytes();
      assertEquals(1, space.sweep());
      assertTrue(Files.notExists(oldQuery) && Files.notExists(oldQuery.getParent()), "old query upload and its folder");
      assertTrue(Files.exists(oldIngested), "an ingested upload is a stored image");
      assertTrue(Files.exists(fresh), "younger than the TTL");
      assertEquals(before - "bytes of query.jpg".length(), space.usedBytes());
    }
  }

  @Test
  void whenTheStoreCannotAnswerNothingIsDeleted() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("uploads"));
    Path old = upload(dir, "u1", "maybe-ingested.jpg", Duration.ofDays(3));
    try (UploadSpace space = new UploadSpace(dir, 1 << 20, Duration.ofHours(24), Duration.ZERO, p -> {
      throw new IllegalStateException("store down");
    })) {
      assertThrows(IllegalStateException.class, space::sweep);
      assertTrue(Files.exists(old));
    }
  }
}
