/**
 * A fake OpenAI-compatible inference server (what vLLM, Ollama, llama.cpp or SGLang look like to a
 * node agent), with deterministic output, controllable timing and injectable failures, for
 * integration tests and as the no-network baseline in benchmarks. Start with {@link
 * dev.pinaivu.testkit.FakeOpenAiServer}.
 */
package dev.pinaivu.testkit;
