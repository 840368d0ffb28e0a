package io.lingang.zones.capacity;

/** A resource amount that is not a non-negative Kubernetes quantity. */
public class InvalidQuantityException extends IllegalArgumentException {
  private final String resource;

  public InvalidQuantityException(String resource, String value) {
    super(resource + ": '" + value + "' is not a non-negative quantity (write it like 500m, 2, 4Gi)");
    this.resource = resource;
  }

  public String resource() {
    return resource;
  }
}
