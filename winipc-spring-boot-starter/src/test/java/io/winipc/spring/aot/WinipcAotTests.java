package io.winipc.spring.aot;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.pipe.PipeConnection;
import io.winipc.spring.PeerPid;
import io.winipc.spring.PipeEndpoint;
import io.winipc.spring.autoconfigure.WinipcAutoConfiguration;
import io.winipc.spring.autoconfigure.WinipcNamedObjectsAutoConfiguration;
import io.winipc.spring.objects.NamedObjectFactoryBean;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.javapoet.ClassName;

/**
 * Ahead-of-time processing of an application using the starter: named objects from properties
 * can be written as code, and the runtime hints a native image needs are registered.
 */
class WinipcAotTests {

    @Test
    void aotProcessingWritesNamedObjectBeansAsCode() {
        GeneratedFiles files = processAheadOfTime(Map.of(
                "winipc.shared-memory.board.name", "aot-test/board", "winipc.shared-memory.board.size", "4KB",
                "winipc.events.ready.manual-reset", "true", "winipc.semaphores.jobs.maximum", "2",
                "winipc.mutexes.lock.name", "aot-test/lock")).files();
        String code = allGeneratedSources((InMemoryGeneratedFiles) files);
        // Each named object is a factory bean built from its kind and configured name, with its qualifier.
        assertThat(code).contains(NamedObjectFactoryBean.class.getSimpleName())
                .contains("NamedObjectRegistry.Kind.SHARED_MEMORY").contains("\"board\"")
                .contains("NamedObjectRegistry.Kind.EVENT").contains("\"ready\"")
                .contains("NamedObjectRegistry.Kind.SEMAPHORE").contains("NamedObjectRegistry.Kind.MUTEX")
                .contains("addQualifier");
    }

    @Test
    void endpointBeansGetInvocationAndBindingHints() throws Exception {
        RuntimeHints hints = processAheadOfTime(Map.of()).hints();
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Endpoints.class, "quote")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Endpoints.class, "stream")).accepts(hints);
        // Payload and reply types are bound by the JSON converter: their accessors are needed.
        assertThat(RuntimeHintsPredicates.reflection().onType(Order.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Order.class, "symbol")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(Quote.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Quote.class, "priceCents")).accepts(hints);
        // Generic payloads are bound down to their element type.
        assertThat(RuntimeHintsPredicates.reflection().onType(Line.class)).accepts(hints);
        // Connection metadata and the connection itself are not payloads.
        assertThat(hints.reflection().getTypeHint(PipeConnection.class)).isNull();
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(NotAnEndpoint.class, "notHandled")).rejects(hints);
        // An exception handler of an endpoint bean is invoked too, and its reply is bound.
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Endpoints.class, "onError")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(Refusal.class)).accepts(hints);
    }

    @Test
    void jnaAndWinipcBindingsGetHintsFromTheRegistrarInAotFactories() {
        List<RuntimeHintsRegistrar> registrars = AotServices.factories().load(RuntimeHintsRegistrar.class).asList();
        assertThat(registrars).hasAtLeastOneElementOfType(WinipcRuntimeHints.class);
        assertThat(AotServices.factories().load(BeanRegistrationAotProcessor.class).asList())
                .hasAtLeastOneElementOfType(PipeEndpointBeanRegistrationAotProcessor.class);
        RuntimeHints hints = new RuntimeHints();
        new WinipcRuntimeHints().registerHints(hints, getClass().getClassLoader());

        // JNA extracts its dispatch library from the jar, for each OS and architecture.
        assertThat(RuntimeHintsPredicates.resource().forResource("com/sun/jna/linux-x86-64/libjnidispatch.so")).accepts(hints);
        assertThat(RuntimeHintsPredicates.resource().forResource("com/sun/jna/win32-x86-64/jnidispatch.dll")).accepts(hints);
        // Direct-mapped bindings are read reflectively by Native.register, and bound through JNI.
        for (String binding : WinipcRuntimeHints.DIRECT_MAPPED_BINDINGS) {
            assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(binding))
                    .withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS)).accepts(hints);
            assertThat(hints.jni().getTypeHint(TypeReference.of(binding))).isNotNull();
        }
        // Interface-mapped Windows libraries are JDK proxies made by Native.load.
        for (String binding : WinipcRuntimeHints.INTERFACE_MAPPED_BINDINGS) {
            assertThat(RuntimeHintsPredicates.proxies().forInterfaces(TypeReference.of(binding))).accepts(hints);
        }
        // The classes JNA's native code reaches through JNI.
        assertThat(hints.jni().getTypeHint(TypeReference.of("com.sun.jna.Native"))).isNotNull();
        assertThat(hints.jni().getTypeHint(TypeReference.of("com.sun.jna.Pointer")).getMemberCategories())
                .contains(MemberCategory.ACCESS_DECLARED_FIELDS, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
    }

    @Test
    void everyBindingNamedInTheHintsExists() throws Exception {
        for (String type : WinipcRuntimeHints.DIRECT_MAPPED_BINDINGS) {
            assertThat(Class.forName(type, false, getClass().getClassLoader())).isNotNull();
        }
        for (String type : WinipcRuntimeHints.INTERFACE_MAPPED_BINDINGS) {
            assertThat(Class.forName(type, false, getClass().getClassLoader()).isInterface()).isTrue();
        }
        for (String type : WinipcRuntimeHints.JNA_JNI_TYPES) {
            assertThat(Class.forName(type, false, getClass().getClassLoader())).isNotNull();
        }
    }

    private record Result(GeneratedFiles files, RuntimeHints hints) {
    }

    private static Result processAheadOfTime(Map<String, Object> properties) {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
            context.register(App.class);
            InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
            DefaultGenerationContext generationContext = new DefaultGenerationContext(
                    new ClassNameGenerator(ClassName.get(App.class)), files);
            new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
            generationContext.writeGeneratedContent();
            return new Result(files, generationContext.getRuntimeHints());
        }
    }

    private static String allGeneratedSources(InMemoryGeneratedFiles files) {
        StringBuilder all = new StringBuilder();
        files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE).values().forEach(source -> {
            try (var in = source.getInputStream()) {
                all.append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return all.toString();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({WinipcAutoConfiguration.class, WinipcNamedObjectsAutoConfiguration.class})
    static class App {
        @Bean
        Endpoints endpoints() {
            return new Endpoints();
        }

        @Bean
        NotAnEndpoint notAnEndpoint() {
            return new NotAnEndpoint();
        }
    }

    /** A payload. */
    public record Order(String symbol, int quantity) {
    }

    /** A reply. */
    public record Quote(String symbol, long priceCents) {
    }

    /** An element of a generic payload. */
    public record Line(String text) {
    }

    /** Endpoints of every kind. */
    public static class Endpoints {
        @PipeEndpoint(name = "aot-test/quote")
        public Quote quote(Order order, @PeerPid long pid) {
            return new Quote(order.symbol(), pid);
        }

        @PipeEndpoint(name = "aot-test/lines")
        public void lines(List<Line> lines) {
        }

        @PipeEndpoint(name = "aot-test/stream")
        public void stream(PipeConnection connection) {
        }

        @org.springframework.messaging.handler.annotation.MessageExceptionHandler
        public Refusal onError(IllegalStateException e) {
            return new Refusal(e.getMessage());
        }
    }

    /** The reply of an exception handler. */
    public record Refusal(String reason) {
    }

    /** A bean without endpoints. */
    public static class NotAnEndpoint {
        public String notHandled(String text) {
            return text;
        }
    }
}
