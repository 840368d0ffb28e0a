package io.lingang.zones.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** An RBAC subject that gets rights in a tenant's namespaces. */
@ValidationRule(
    value = "self.kind == 'ServiceAccount' ? has(self.__namespace__) : !has(self.__namespace__)",
    message = "namespace is required for a ServiceAccount and not allowed for a User or Group")
@ValidationRule(
    value = "self.kind != 'ServiceAccount' || self.name.matches('" + Validation.NAME_PATTERN + "')",
    message = "a ServiceAccount's name is lowercase letters, digits, '-' and '.'")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Subject {
  public enum Kind {
    User,
    Group,
    ServiceAccount
  }

  @Required
  @JsonPropertyDescription("User, Group or ServiceAccount.")
  private Kind kind;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("The user, group or service account name.")
  private String name;

  @Size(max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("The service account's namespace; only for kind ServiceAccount.")
  private String namespace;

  public Subject() {}

  public Subject(Kind kind, String name, String namespace) {
    this.kind = kind;
    this.name = name;
    this.namespace = namespace;
  }

  public Kind getKind() {
    return kind;
  }

  public void setKind(Kind kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Subject s
        && kind == s.kind
        && Objects.equals(name, s.name)
        && Objects.equals(namespace, s.namespace);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name, namespace);
  }
}
