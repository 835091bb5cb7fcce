package io.winipc.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * Gives the application context of a Spring test its own winipc names, as
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} gives it its own port: it sets
 * {@code winipc.name-prefix} to a random value such as {@code t3f9a0c1d-}, so that every
 * {@code @PipeEndpoint}, every name the context's {@code PipeTemplate} connects to, and every named
 * object under {@code winipc.*} carry that prefix. Test classes running in parallel, in one JVM or
 * in several on the same machine, then never collide on a name, and the context's own
 * {@code PipeTemplate} bean is ready to call its endpoints by their declared names:
 *
 * <pre>{@code
 * @SpringBootTest
 * @RandomWinipcNames
 * class EchoTests {
 *     @Autowired PipeTemplate pipeTemplate;
 *
 *     @Test
 *     void echoes() {
 *         assertThat(pipeTemplate.request("myapp/echo", "hi", String.class)).isEqualTo("hi");
 *     }
 * }
 * }</pre>
 *
 * The prefix in use is the {@code winipc.name-prefix} property of the context's environment (for a
 * client in another process). Each application context gets its own prefix; a context that the
 * test framework caches keeps it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ContextCustomizerFactories(RandomWinipcNamesContextCustomizerFactory.class)
public @interface RandomWinipcNames {
}
