package io.lingang.zones.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP to an operator's health and metrics port on this machine. */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private Http() {}

  /** The status code, or -1 when nothing listens. */
  public static int status(int port, String path) {
    HttpResponse<String> response = get(port, path);
    return response == null ? -1 : response.statusCode();
  }

  public static PrometheusText metrics(int port) {
    HttpResponse<String> response = get(port, "/metrics");
    if (response == null || response.statusCode() != 200) {
      throw new AssertionError("no metrics on port " + port + (response == null ? "" : ": HTTP " + response.statusCode()));
    }
    return PrometheusText.parse(response.body());
  }

  private static HttpResponse<String> get(int port, String path) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).build();
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
