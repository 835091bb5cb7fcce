package io.winipc;

import static org.assertj.core.api.Assertions.assertThat;

import io.winipc.shm.SharedMemory;
import io.winipc.sync.Event;
import io.winipc.sync.EventResetMode;
import io.winipc.sync.Mutex;
import io.winipc.sync.Semaphore;
import io.winipc.testing.ChildJvm;
import io.winipc.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link NamedObject}: what the four kinds share, and {@code created()} on the backend this runs on. */
class NamedObjectTest {

    /** Another process creates each kind; here, a create finds it live and an open opens it: neither created it. */
    @Test
    void createdIsTrueOnlyInTheProcessThatCreatedTheObject() {
        String name = TestNames.unique("created");
        try (ChildJvm child = ChildJvm.start(Creator.class, name)) {
            assertThat(child.readLine()).isEqualTo("shm created=true");
            assertThat(child.readLine()).isEqualTo("mutex created=true");
            assertThat(child.readLine()).isEqualTo("event created=true");
            assertThat(child.readLine()).isEqualTo("semaphore created=true");

            List<NamedObject> opened = List.of(SharedMemory.open(name + "-shm"), Mutex.create(name + "-mutex"),
                    Mutex.open(name + "-mutex"), Event.create(name + "-event", EventResetMode.MANUAL), Event.open(name + "-event"),
                    Semaphore.create(name + "-semaphore", 0, 1), Semaphore.open(name + "-semaphore"));
            try {
                assertThat(opened).allSatisfy(o -> {
                    assertThat(o.created()).as("%s", o).isFalse();
                    assertThat(o.isOpen()).isTrue();
                    assertThat(o.scope()).isEqualTo(Scope.LOCAL);
                });
            } finally {
                opened.forEach(NamedObject::close);
            }
            assertThat(opened).noneMatch(NamedObject::isOpen);
            child.send("exit");
            child.assertSucceeds(30);
        }
    }

    /** In one process: the first create creates, later creates and opens of the live object do not. */
    @Test
    void aSecondCreateInTheSameProcessOpensTheLiveObject() {
        String name = TestNames.unique("created-here");
        try (Mutex first = Mutex.create(name + "-mutex"); Mutex second = Mutex.create(name + "-mutex");
                Event event = Event.create(name + "-event", EventResetMode.AUTO); Event again = Event.create(name + "-event", EventResetMode.AUTO);
                Semaphore semaphore = Semaphore.create(name + "-semaphore", 1, 2);
                Semaphore semaphoreAgain = Semaphore.create(name + "-semaphore", 1, 2);
                SharedMemory region = SharedMemory.create(name + "-shm", 4096); SharedMemory opened = SharedMemory.open(name + "-shm")) {
            assertThat(first.created()).isTrue();
            assertThat(second.created()).isFalse();
            assertThat(event.created()).isTrue();
            assertThat(again.created()).isFalse();
            assertThat(semaphore.created()).isTrue();
            assertThat(semaphoreAgain.created()).isFalse();
            assertThat(region.created()).isTrue();
            assertThat(opened.created()).isFalse();
        }
    }

    /** Creates one object of each kind, prints whether each call created it, and holds them until told to exit. */
    public static final class Creator {
        public static void main(String[] args) throws Exception {
            String name = args[0];
            try (SharedMemory shm = SharedMemory.create(name + "-shm", 4096); Mutex mutex = Mutex.create(name + "-mutex");
                    Event event = Event.create(name + "-event", EventResetMode.MANUAL);
                    Semaphore semaphore = Semaphore.create(name + "-semaphore", 0, 1)) {
                for (NamedObject o : List.of(shm, mutex, event, semaphore)) {
                    String kind = o instanceof SharedMemory ? "shm" : o.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
                    System.out.println(kind + " created=" + o.created());
                }
                new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
            }
        }
    }
}
