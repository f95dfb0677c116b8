package dev.clipsearch;

/** Entry point placeholder; the subcommands land with the foundation commit. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("clip-search");
  }
}
