// Run at image build time with Java's source launcher (java -cp clip-search.jar src/docker/PrefetchNatives.java): loads
// LibTorch once, so JavaCPP extracts its native libraries into org.bytedeco.javacpp.cachedir. The image then ships
// them extracted instead of every container writing them again at its first start. JavaCPP's Loader has no main
// method of its own for this.
class PrefetchNatives {
  public static void main(String[] args) {
    org.bytedeco.javacpp.Loader.load(org.bytedeco.pytorch.global.torch.class);
  }
}
