package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;

/**
 * Reads any quantity, also one the schema should have refused (an object stored before the schema
 * checked quantities, or through a CRD without the check): fabric8's own reader throws on
 * {@code ""} or {@code 5e3x}, and one such object would stop the informer, and the operator, for
 * good. A value that is no quantity is kept as written; reading its amount fails later, where the
 * operator reports it on that object alone (reason InvalidQuantity).
 */
public final class LenientQuantity extends JsonDeserializer<Quantity> {
  @Override
  public Quantity deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    String text = parser.getValueAsString();
    if (text == null) {
      text = parser.getText();
    }
    try {
      return new Quantity(text);
    } catch (IllegalArgumentException e) {
      return new Quantity(text, "");
    }
  }
}
