package dev.pinaivu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinaivu.core.json.Json;
import dev.pinaivu.core.money.Usd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** The gateway's admin API ({@code /admin/v1}) as an operator uses it, over HTTP. */
public final class Admin {
  private final Network network;
  private final String root;

  public Admin(Network network) {
    this.network = network;
    this.root = network.baseUrl().substring(0, network.baseUrl().length() - "/v1".length());
  }

  /**
   * Creates a key from an admin API spec, e.g. {@code {"name":"ci","account":"acct_x",
   * "budget_usd":"1"}}; fails unless the gateway answers 201.
   */
  public ClientKey createKey(String spec) throws Exception {
    JsonNode key = Json.parse(send("POST", "/admin/v1/keys", spec, 201));
    return new ClientKey(
        key.get("id").asText(), key.get("key").asText(), key.get("account").asText());
  }

  /** Adds {@code usd} (a decimal string) of credit to {@code account}, once per call. */
  public void credit(String account, String usd) throws Exception {
    send(
        "POST",
        "/admin/v1/accounts/" + account + "/credit",
        "{\"amount_usd\":\"" + usd + "\"}",
        200);
  }

  /** The development key, with the id the admin API lists it under. */
  public ClientKey devKey() throws Exception {
    String hint = network.gateway.devKey().hint();
    for (JsonNode k : keys()) {
      if (k.get("redacted_value").asText().equals(hint)) {
        return new ClientKey(k.get("id").asText(), network.key(), k.get("account").asText());
      }
    }
    throw new AssertionError("the admin API does not list the development key " + hint);
  }

  /** Every key as the admin API lists it ({@code data} of {@code GET /admin/v1/keys}). */
  public JsonNode keys() throws Exception {
    return Json.parse(send("GET", "/admin/v1/keys", null, 200)).get("data");
  }

  /** What each key has spent, in µUSD, by key id ({@code spent_usd} of the admin list). */
  public Map<String, Long> spentMicros() throws Exception {
    Map<String, Long> out = new HashMap<>();
    for (JsonNode k : keys()) {
      out.put(k.get("id").asText(), Usd.parseMicros(k.get("spent_usd").asText()));
    }
    return out;
  }

  private String send(String method, String path, String body, int expected) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(root + path))
                  .header("Authorization", "Bearer " + network.adminToken())
                  .header("Content-Type", "application/json")
                  .method(
                      method,
                      body == null
                          ? HttpRequest.BodyPublishers.noBody()
                          : HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != expected) {
        throw new AssertionError(
            method
                + " "
                + path
                + ": expected "
                + expected
                + ", got "
                + r.statusCode()
                + ": "
                + r.body());
      }
      return r.body();
    }
  }
}
