package dev.clipsearch.web;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the server shows at {@code /} ({@code serve --ui}) and where Gradio's installed frontend is.
 *
 * @param pageDir the hand-built page's folder (ui/dist), or empty for the minimal built-in page
 * @param gradioPage show Gradio's own page at {@code /} instead ({@code --ui gradio}); needs {@code gradioFrontend}
 * @param gradioFrontend where setup installs the frontend of the Gradio version /config claims; when it is there, its
 *     theme, fonts and assets are served whatever the page, for pages that embed the app with {@code <gradio-app>}
 *     (when not, the server logs how to install it)
 */
public record UiChoice(Optional<Path> pageDir, boolean gradioPage, Optional<Path> gradioFrontend) {}
