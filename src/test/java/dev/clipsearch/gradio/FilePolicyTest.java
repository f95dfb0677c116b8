package dev.clipsearch.gradio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file= guard: only issued uploads and servable store images; every traversal trick refused. */
class FilePolicyTest {
  @TempDir Path tmp;
  Path uploads;
  Path stored;
  Path secret;
  FilePolicy policy;

  @BeforeEach
  void setUp() throws Exception {
    uploads = tmp.resolve("uploads");
    stored = Files.writeString(Files.createDirectories(tmp.resolve("images")).resolve("cat.png"), "png");
    secret = Files.writeString(tmp.resolve("secret.txt"), "secret");
    Set<String> servable = Set.of(stored.toString());
    policy = new FilePolicy(uploads, servable::contains);
  }

  String upload(String name) throws Exception {
    String id = policy.newUploadId(name);
    Path target = policy.uploadTarget(id);
    Files.createDirectories(target.getParent());
    Files.writeString(target, "data");
    return id;
  }

  GradioException.Kind refused(String path) {
    return assertThrows(GradioException.class, () -> policy.resolve(path)).kind();
  }

  @Test
  void issuedUploadsAndServableImagesResolve() throws Exception {
    String id = upload("my pic.png");
    assertTrue(id.matches("uploads/[0-9a-f]{32}/my_pic\\.png"), id);
    assertEquals(policy.uploadsDir().resolve(id.substring(8)), policy.resolve(id));
    assertEquals(stored, policy.resolve(stored.toString()));
  }

  @Test
  void traversalIsRefused() throws Exception {
    String id = upload("a.png");
    String dir = id.substring(0, id.lastIndexOf('/'));
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused("uploads/../secret.txt"));
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused(dir + "/../../secret.txt"));
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused(stored.getParent() + "/../secret.txt"));
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused("uploads/./" + id.substring(8)));
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused("uploads/..\\secret.txt"));
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused(id + "\0.png"));
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused("uploads/"));
  }

  @Test
  void encodedTraversalIsRefusedAfterTheOneDecode() throws Exception {
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused(PathCodec.decodeOnce("uploads/%2e%2e/secret.txt")));
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused(PathCodec.decodeOnce("uploads%2F..%2Fsecret.txt")));
    // Decoded once only: a double-encoded dot-dot stays a literal (non-existent) name, never a parent reference.
    assertEquals("uploads/%2e%2e/secret.txt", PathCodec.decodeOnce("uploads/%252e%252e/secret.txt"));
    assertEquals(GradioException.Kind.NOT_FOUND, refused("uploads/%2e%2e/secret.txt"));
  }

  @Test
  void absoluteAndUnvouchedPathsAreNotServable() {
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused(secret.toString()));
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused("/etc/passwd"));
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused(policy.uploadsDir().resolve("x").toString()), "absolute form of uploads");
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused("images/cat.png"), "relative form of a stored path");
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused(""));
    String msg = assertThrows(GradioException.class, () -> policy.resolve("/etc/passwd")).getMessage();
    assertEquals("File not allowed: /etc/passwd.", msg);
  }

  @Test
  void symlinksOutOfTheUploadsDirAreRefused() throws Exception {
    Path dir = Files.createDirectories(policy.uploadsDir().resolve("abc"));
    Files.createSymbolicLink(dir.resolve("link.txt"), secret);
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused("uploads/abc/link.txt"));
    Files.createSymbolicLink(policy.uploadsDir().resolve("out"), tmp);
    assertEquals(GradioException.Kind.FILE_NOT_ALLOWED, refused("uploads/out/secret.txt"));
  }

  @Test
  void missingUploadIsNotFound() {
    assertEquals(GradioException.Kind.NOT_FOUND, refused("uploads/0123/none.png"));
  }

  @Test
  void namesAreSanitised() {
    assertEquals("my_pic.png", FilePolicy.sanitizeName("my pic.png"));
    assertEquals("passwd", FilePolicy.sanitizeName("../../etc/passwd"));
    assertEquals("x.png", FilePolicy.sanitizeName("C:\\dir\\x.png"));
    assertEquals("htaccess", FilePolicy.sanitizeName(".htaccess"));
    assertEquals("caf__.jpg", FilePolicy.sanitizeName("caf\u00e9\u2028.jpg"));
    assertEquals("file", FilePolicy.sanitizeName(""));
    assertEquals("file", FilePolicy.sanitizeName(".."));
    String longName = FilePolicy.sanitizeName("a".repeat(300) + ".jpeg");
    assertEquals(100, longName.length());
    assertTrue(longName.endsWith(".jpeg"));
  }

  @Test
  void pathCodecRoundTripsAndKeepsPlus() {
    String p = "/data/my pics/caf\u00e9+1 #2?.png";
    String enc = PathCodec.encode(p);
    assertTrue(enc.matches("[A-Za-z0-9._~/%-]+"), enc);
    assertEquals(p, PathCodec.decodeOnce(enc));
    assertEquals("a+b", PathCodec.decodeOnce("a+b"));
    assertThrows(IllegalArgumentException.class, () -> PathCodec.decodeOnce("a%2"));
    assertThrows(IllegalArgumentException.class, () -> PathCodec.decodeOnce("a%zz"));
  }
}
