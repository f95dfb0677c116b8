package dev.clipsearch.gradio;

import static dev.clipsearch.gradio.LayoutNode.leaf;
import static dev.clipsearch.gradio.LayoutNode.of;

import dev.clipsearch.gradio.Dependency.Parameter;
import java.util.List;
import java.util.Optional;

/**
 * The clip-search app, modelled on fixtures/gradio/reference_app.py (ids 1–11 and fn_index 0–2 are the same as in the
 * captured transcripts) plus {@code search_image}:
 *
 * <pre>
 * search       (fn 0): Textbox "Query" + Slider "Top K" → Gallery "Results", Button "Search"
 * (private)    (fn 1): the same, on Enter in the Query box (not callable by name, like the reference app)
 * ingest       (fn 2): Image "Image" + Textbox "Caption" → Textbox "Status", Button "Ingest"
 * search_image (fn 3): Image "Image" + Slider "Top K" → Gallery "Results", Button "Search by image"
 * </pre>
 *
 * <p>In Gradio's own frontend the three inputs sit in tabs (ids 17–20) above the shared gallery, as on the hand-built
 * page; tabs are layout only (skip_api), so API clients see the same four endpoints.
 */
public final class SearchAppBlocks {
  public static final int FN_SEARCH = 0;
  public static final int FN_SEARCH_ENTER = 1;
  public static final int FN_INGEST = 2;
  public static final int FN_SEARCH_IMAGE = 3;
  private SearchAppBlocks() {}

  /**
   * @param topKMax the sliders' maximum (their minimum is 1), which clients also read from /info as "numeric value
   *     between 1 and topKMax"; the web layer passes the search limit ({@code search.Query})
   */
  public static Blocks create(int topKMax, int topKDefault) {
    List<Component> components =
        List.of(
            Components.row(1),
            Components.textbox(2, "Query"),
            Components.slider(3, "Top K", 1, topKMax, topKDefault),
            Components.form(4, 2, 320),
            Components.button(5, "Search"),
            Components.gallery(6, "Results"),
            Components.image(7, "Image"),
            Components.textbox(8, "Caption"),
            Components.textbox(9, "Status"),
            Components.button(10, "Ingest"),
            Components.form(11, 0, 0),
            Components.row(12),
            Components.image(13, "Image"),
            Components.slider(14, "Top K", 1, topKMax, topKDefault),
            Components.form(15, 1, 160),
            Components.button(16, "Search by image"),
            Components.tabs(17),
            Components.tab(18, "Search by text"),
            Components.tab(19, "Search by image"),
            Components.tab(20, "Add images"));
    List<Parameter> searchParams =
        List.of(Parameter.required("query"), Parameter.withDefault("top_k", topKDefault));
    List<Dependency> dependencies =
        List.of(
            new Dependency(FN_SEARCH, 5, "click", List.of(2, 3), List.of(6), Optional.of("search"), searchParams),
            new Dependency(FN_SEARCH_ENTER, 2, "submit", List.of(2, 3), List.of(6), Optional.empty(), searchParams),
            new Dependency(FN_INGEST, 10, "click", List.of(7, 8), List.of(9), Optional.of("ingest"),
                List.of(Parameter.required("image"), Parameter.required("caption"))),
            new Dependency(FN_SEARCH_IMAGE, 16, "click", List.of(13, 14), List.of(6), Optional.of("search_image"),
                List.of(Parameter.required("image"), Parameter.withDefault("top_k", topKDefault))));
    LayoutNode layout =
        of(0,
            of(17,
                of(18, of(1, of(4, leaf(2), leaf(3))), leaf(5)),
                of(19, of(12, leaf(13), of(15, leaf(14))), leaf(16)),
                of(20, leaf(7), of(11, leaf(8), leaf(9)), leaf(10))),
            leaf(6));
    return new Blocks("Text-to-Image Search", components, dependencies, layout);
  }
}
