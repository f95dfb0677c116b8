package dev.clipsearch.cli;

import dev.clipsearch.App;

/** Placeholder until the web layer lands (branch gradio). */
final class WebStarter {
  private WebStarter() {}

  static int start(App app) {
    throw new UnsupportedOperationException("web layer not merged yet");
  }
}
