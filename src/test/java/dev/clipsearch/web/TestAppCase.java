package dev.clipsearch.web;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test class whose every test gets a fresh {@link TestApp} in its own temporary folder, stopped afterwards. */
abstract class TestAppCase {
  @TempDir Path tmp;
  TestApp app;

  @BeforeEach
  void startApp() throws Exception {
    app = new TestApp(tmp);
  }

  @AfterEach
  void stopApp() {
    app.close();
  }
}
