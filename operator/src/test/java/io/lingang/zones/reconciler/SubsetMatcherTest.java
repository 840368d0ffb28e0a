package io.lingang.zones.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubsetMatcherTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void fieldsAddedByTheServerDoNotMatter() throws Exception {
    assertThat(match("{\"metadata\":{\"name\":\"q\"},\"spec\":{\"hard\":{\"pods\":\"5\"}}}",
        "{\"metadata\":{\"name\":\"q\",\"uid\":\"1\",\"resourceVersion\":\"7\"},\"spec\":{\"hard\":{\"pods\":\"5\"}},\"status\":{}}"))
        .isTrue();
  }

  @Test
  void quantitiesCompareByValue() throws Exception {
    assertThat(match("{\"spec\":{\"hard\":{\"requests.cpu\":\"1\"}}}", "{\"spec\":{\"hard\":{\"requests.cpu\":\"1000m\"}}}")).isTrue();
    assertThat(match("{\"spec\":{\"hard\":{\"requests.cpu\":\"1\"}}}", "{\"spec\":{\"hard\":{\"requests.cpu\":\"2\"}}}")).isFalse();
  }

  @Test
  void aQuotaEntryRemovedFromTheDesiredObjectIsNoticed() throws Exception {
    assertThat(match("{\"spec\":{\"hard\":{\"pods\":\"5\"}}}", "{\"spec\":{\"hard\":{\"pods\":\"5\",\"requests.cpu\":\"1\"}}}")).isFalse();
  }

  @Test
  void listsMustMatchElementByElement() throws Exception {
    assertThat(match("{\"subjects\":[{\"name\":\"a\"}]}", "{\"subjects\":[{\"name\":\"a\"},{\"name\":\"b\"}]}")).isFalse();
    assertThat(match("{\"subjects\":[{\"name\":\"a\"}]}", "{\"subjects\":[{\"name\":\"a\",\"apiGroup\":\"x\"}]}")).isTrue();
  }

  private static boolean match(String desired, String actual) throws Exception {
    JsonNode d = JSON.readTree(desired);
    JsonNode a = JSON.readTree(actual);
    return SubsetMatcher.matches(d, a, Set.of(".spec.hard"));
  }
}
