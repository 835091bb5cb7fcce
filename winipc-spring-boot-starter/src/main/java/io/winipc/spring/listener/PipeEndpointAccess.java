package io.winipc.spring.listener;

import io.winipc.AccessPolicy;
import io.winipc.spring.AccessEntries;
import io.winipc.spring.PipeEndpoint;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Decides each endpoint's {@link AccessPolicy}: the endpoint's own {@link PipeEndpoint#allow()}
 * (placeholders resolved), else its {@code winipc.pipe.endpoints.<id>.allow}, else
 * {@code winipc.access.allow}, else the current user only.
 *
 * @param defaults the entries of {@code winipc.access.allow}
 * @param perEndpoint the entries of {@code winipc.pipe.endpoints.<id>.allow}, by endpoint id
 * @param placeholders resolves {@code ${...}} in the annotation's entries
 */
public record PipeEndpointAccess(List<String> defaults, Map<String, List<String>> perEndpoint,
        UnaryOperator<String> placeholders) {

    /** Copies the lists. */
    public PipeEndpointAccess {
        defaults = List.copyOf(defaults);
        perEndpoint = Map.copyOf(perEndpoint);
        Objects.requireNonNull(placeholders, "placeholders");
    }

    /** @return the current user only, for every endpoint */
    public static PipeEndpointAccess currentUserOnly() {
        return new PipeEndpointAccess(List.of(), Map.of(), UnaryOperator.identity());
    }

    /**
     * @param definition the endpoint
     * @return whom its pipe admits
     * @throws IllegalArgumentException naming the setting whose entry is not valid
     */
    public AccessPolicy policyFor(PipeEndpointDefinition definition) {
        PipeEndpoint annotation = AnnotatedElementUtils.findMergedAnnotation(definition.method(), PipeEndpoint.class);
        if (annotation != null && annotation.allow().length > 0) {
            return AccessEntries.toPolicy(Arrays.stream(annotation.allow()).map(placeholders).toList(), "@PipeEndpoint(allow)");
        }
        List<String> own = perEndpoint.get(definition.id());
        if (own != null && !own.isEmpty()) {
            return AccessEntries.toPolicy(own, "winipc.pipe.endpoints." + definition.id() + ".allow");
        }
        return AccessEntries.toPolicy(defaults, "winipc.access.allow");
    }
}
