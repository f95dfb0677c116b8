package dev.clipsearch.gradio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The function behind one dependency. Runs on a queue worker thread, never on an HTTP thread; may block.
 * Any exception becomes a {@code process_completed} with {@code success:false} and the message chosen by the error
 * mapper given to {@link EventQueue}.
 */
@FunctionalInterface
public interface EndpointFn {
  /**
   * @param inputs one value per dependency input, in order; inputs the client left out are JSON null
   * @param root the public root URL of the request that queued the event (for FileData urls)
   * @return one value per dependency output
   */
  List<Object> apply(List<JsonNode> inputs, String root) throws Exception;
}
