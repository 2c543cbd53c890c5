package dev.pinaivu.agent.backend;

/**
 * A model the backend can run.
 *
 * @param contextLength null when the inference server does not say
 */
public record ModelInfo(String id, Integer contextLength) {}
