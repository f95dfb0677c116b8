package dev.clipsearch.gradio;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an API-visible component exchanges: the CamelCase class name clients print ({@code Textbox}), the JSON schema
 * of its value ({@code api_info}), an example value, and the Python type shown by {@code view_api()}.
 */
public record ApiType(String className, JsonNode schema, Object exampleInput, String pythonType, String pythonDescription) {}
