package io.winipc.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** The rules the three observer composites follow; over real pipes in ObserverFailureTests. */
class IsolatedObserversTest {
    private final AtomicLong now = new AtomicLong(5_000);
    private final List<String> logged = new ArrayList<>();
    private final List<String> heard = new ArrayList<>();

    private IsolatedObservers<IntConsumer> observers(IntConsumer... all) {
        return new IsolatedObservers<>(IntConsumer.class, List.of(all), now::get,
                (line, cause) -> logged.add(line + " | " + cause));
    }

    private IntConsumer broken(String why) {
        return new Broken(why);
    }

    @Test
    void callsTheObserversAfterOneThatThrowsAndLogsItOncePerInterval() {
        IsolatedObservers<IntConsumer> all = observers(broken("first"), n -> heard.add("second " + n), broken("third"),
                n -> heard.add("fourth " + n));
        for (int n = 0; n < 3; n++) {
            int event = n;
            all.each("accept", "e" + n, o -> o.accept(event));
        }
        assertThat(heard).containsExactly("second 0", "fourth 0", "second 1", "fourth 1", "second 2", "fourth 2");
        String observer = Broken.class.getName();
        assertThat(logged).containsExactly(
                "IntConsumer " + observer + " threw from accept for 'e0'; ignored, what it observed went on as normal"
                        + " | java.lang.IllegalStateException: first 0",
                "IntConsumer " + observer + " threw from accept for 'e0'; ignored, what it observed went on as normal"
                        + " | java.lang.IllegalStateException: third 0");
        now.addAndGet(IsolatedObservers.LOG_INTERVAL.toNanos());
        all.each("accept", "e3", o -> o.accept(3));
        assertThat(logged).hasSize(4).last().asString()
                .contains("for 'e3'").contains("(2 more since the last such line, not logged)").endsWith("third 3");
    }

    @Test
    void letsAnErrorThrough() {
        IsolatedObservers<IntConsumer> all = observers(n -> {
            throw new OutOfMemoryError("observer " + n);
        }, n -> heard.add("second " + n));
        assertThatThrownBy(() -> all.each("accept", "e", o -> o.accept(1))).isInstanceOf(OutOfMemoryError.class)
                .hasMessage("observer 1");
        assertThat(logged).isEmpty();
    }

    @Test
    void catchesACheckedExceptionThrownWithoutDeclaringIt() {
        IsolatedObservers<IntConsumer> all = observers(n -> sneakyThrow(new java.io.IOException("sneaky " + n)),
                n -> heard.add("second " + n));
        all.each("accept", "e", o -> o.accept(1));
        assertThat(heard).containsExactly("second 1");
        assertThat(logged).singleElement().asString().endsWith("java.io.IOException: sneaky 1");
    }

    @Test
    void namesItselfAfterTheHookAndItsObservers() {
        assertThat(observers(broken("x"))).hasToString("IntConsumer.composite[broken x]");
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    private record Broken(String why) implements IntConsumer {
        @Override
        public void accept(int n) {
            throw new IllegalStateException(why + " " + n);
        }

        @Override
        public String toString() {
            return "broken " + why;
        }
    }
}
