package dev.clipsearch.web;

import dev.clipsearch.model.image.BadImageException;
import dev.clipsearch.search.SearchService;
import dev.clipsearch.store.Hit;
import dev.clipsearch.store.StoreException;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * In-memory SearchService over three 8x8 PNGs (red, green, blue) written to {@code dir}, like the reference app's
 * sample images. Special queries: "store down" throws StoreException, "store restarting" a StoreRestartingException; "slow" blocks until {@link #release()}.
 */
final class FakeSearchService implements SearchService {
  final List<Path> images = new ArrayList<>();
  final List<String> queries = new CopyOnWriteArrayList<>();
  final List<Integer> ks = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);

  FakeSearchService(Path dir) throws IOException {
    Files.createDirectories(dir);
    Color[] colors = {Color.RED, Color.GREEN, Color.BLUE};
    for (int i = 0; i < colors.length; i++) {
      Path p = dir.resolve("img_" + i + ".png");
      ImageIO.write(solid(colors[i]), "png", p.toFile());
      images.add(p.toAbsolutePath());
    }
  }

  static BufferedImage solid(Color c) {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) img.setRGB(x, y, c.getRGB());
    return img;
  }

  /** Makes "slow" queries block until {@link #release()}. */
  void hold() {
    gate = new CountDownLatch(1);
  }

  void release() {
    gate.countDown();
  }

  @Override
  public List<Hit> byText(String query, int k) {
    queries.add(query);
    ks.add(k);
    if (query.isBlank()) throw new IllegalArgumentException("query must not be blank");
    if (query.equals("store down")) throw new StoreException("milvus at 10.0.0.7:19530 unreachable");
    if (query.equals("store restarting")) throw new dev.clipsearch.store.StoreRestartingException("lite pid 42 died");
    if (query.equals("slow")) {
      try {
        if (!gate.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("gate never released");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<Hit> hits = new ArrayList<>();
    for (int i = 0; i < Math.min(k, images.size()); i++) {
      hits.add(new Hit(i, images.get(i).toString(), 0.9f - 0.1f * i));
    }
    return hits;
  }

  @Override
  public List<Hit> byImage(byte[] encodedImage, int k) {
    try {
      if (ImageIO.read(new ByteArrayInputStream(encodedImage)) == null) throw new BadImageException("not an image");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return byText("image query", k);
  }

  @Override
  public boolean isServable(String path) {
    return images.stream().anyMatch(p -> p.toString().equals(path));
  }
}
