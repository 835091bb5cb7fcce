package io.winipc.spring.test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Sets a random {@code winipc.name-prefix} in the contexts of test classes annotated with
 * {@link RandomWinipcNames}.
 */
public class RandomWinipcNamesContextCustomizerFactory implements ContextCustomizerFactory {

    /** The name of the property source the prefix is in, ahead of the application's own. */
    public static final String PROPERTY_SOURCE_NAME = "winipcRandomNames";

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return MergedAnnotations.from(testClass, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                .isPresent(RandomWinipcNames.class) ? new RandomPrefix() : null;
    }

    /**
     * @return a fresh prefix: {@code t}, eight hex digits and a dash. Short, because on Linux the
     *     name becomes part of a socket path that is limited to 107 bytes.
     */
    public static String randomPrefix() {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "t" + HexFormat.of().formatHex(bytes) + "-";
    }

    /** Equal to every other instance, so that the test framework's context cache still works. */
    private static final class RandomPrefix implements ContextCustomizer {
        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
            context.getEnvironment().getPropertySources().addFirst(
                    new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("winipc.name-prefix", randomPrefix())));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof RandomPrefix;
        }

        @Override
        public int hashCode() {
            return RandomPrefix.class.hashCode();
        }
    }
}
