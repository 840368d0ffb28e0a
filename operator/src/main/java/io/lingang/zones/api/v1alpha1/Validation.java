package io.lingang.zones.api.v1alpha1;

/**
 * CEL rules shared by several API types, so that the API server refuses what a node, a namespace
 * annotation or a ResourceQuota would refuse later (and what the operator could not read). Values
 * of quantity maps and timestamps are checked by the schema itself (see CrdPostProcessor).
 */
final class Validation {
  /** A label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
  static final String LABEL_KEY =
      "'^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$'";
  /** A label value (may be empty). */
  static final String LABEL_VALUE = "'^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$'";

  static final String NODE_SELECTOR_RULE = "self.all(k, k.matches(" + LABEL_KEY + ") && self[k].matches(" + LABEL_VALUE + "))";
  static final String NODE_SELECTOR_MESSAGE = "nodeSelector keys must be label keys and values label values "
      + "(letters, digits, '-', '_', '.'; no ',' or '=')";

  static final String TOLERATIONS_RULE = "self.all(t, has(t.key) && t.key.matches(" + LABEL_KEY + ")"
      + " && (!has(t.operator) || t.operator in ['Exists', 'Equal'])"
      + " && (!has(t.effect) || t.effect in ['NoSchedule', 'PreferNoSchedule', 'NoExecute'])"
      + " && (!has(t.value) || t.value.matches(" + LABEL_VALUE + "))"
      + " && (!has(t.operator) || t.operator != 'Exists' || !has(t.value) || t.value == '')"
      + " && (!has(t.tolerationSeconds) || (has(t.effect) && t.effect == 'NoExecute')))";
  static final String TOLERATIONS_MESSAGE = "each toleration needs a key (a label key; no toleration of every taint), "
      + "operator Exists or Equal (no value with Exists), effect NoSchedule, PreferNoSchedule or NoExecute, "
      + "and tolerationSeconds only with NoExecute";

  /** ResourceQuota resource names: the standard ones, hugepages, or extended names with a '/'. */
  static final String QUOTA_KEYS_RULE = "self.all(k, k in ['pods', 'services', 'replicationcontrollers', 'resourcequotas', "
      + "'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers', "
      + "'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', "
      + "'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage'] "
      + "|| k.startsWith('requests.hugepages-') || k.startsWith('hugepages-') "
      + "|| (k.contains('/') && k.matches('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$')))";
  static final String QUOTA_KEYS_MESSAGE = "keys must be ResourceQuota resource names: pods, requests.cpu, limits.memory, "
      + "requests.storage, count/deployments.apps, requests.nvidia.com/gpu, ...";

  /** LimitRange resource names. */
  static final String LIMIT_KEYS_RULE = "self.all(k, k in ['cpu', 'memory', 'ephemeral-storage'] "
      + "|| k.startsWith('hugepages-') || (k.contains('/') && k.matches('^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$')))";
  static final String LIMIT_KEYS_MESSAGE = "keys must be container resource names: cpu, memory, ephemeral-storage, "
      + "hugepages-<size> or an extended resource such as nvidia.com/gpu";

  /**
   * An RFC 3339 time. Not the schema's {@code format: date-time}: the API server lets an array
   * through a field with that format, which no reader of the object expects.
   */
  static final String TIMESTAMP_RULE = "self.matches('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\\\.[0-9]+)?"
      + "(Z|[+-][0-9]{2}:[0-9]{2})$') && timestamp(self) > timestamp('0001-01-01T00:00:00Z')";
  static final String TIMESTAMP_MESSAGE = "must be an RFC 3339 time that exists, such as 2027-06-30T00:00:00Z";

  /** A name of another object that also becomes a label value or part of a namespace name. */
  static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";

  /** Namespace label selectors, as a NetworkPolicy takes them. */
  static final String LABEL_SELECTORS_RULE = "self.all(s, (!has(s.matchLabels) || s.matchLabels.all(k, k.matches(" + LABEL_KEY
      + ") && s.matchLabels[k].matches(" + LABEL_VALUE + "))) && (!has(s.matchExpressions) || s.matchExpressions.all(e, "
      + "e.key.matches(" + LABEL_KEY + ") && e.operator in ['In', 'NotIn', 'Exists', 'DoesNotExist'] "
      + "&& ((e.operator in ['In', 'NotIn']) == (has(e.values) && size(e.values) > 0)) "
      + "&& (!has(e.values) || e.values.all(v, v.matches(" + LABEL_VALUE + "))))))";
  static final String LABEL_SELECTORS_MESSAGE = "each selector needs label keys and values, operators In, NotIn, Exists or "
      + "DoesNotExist, and values exactly for In and NotIn";

  private Validation() {}
}
