/**
 * The public API, group {@code zones.lingang.io}, version {@code v1alpha1}. The CRDs in
 * {@code crds/} are generated from these classes: validation that the API server can judge lives
 * here as schema constraints and CEL rules, so bad input is refused before the operator sees it.
 */
package io.lingang.zones.api.v1alpha1;
