package io.winipc.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.winipc.BrokenPipeException;
import io.winipc.NotOwnerException;
import io.winipc.ObjectExistsException;
import io.winipc.ObjectNotFoundException;
import io.winipc.OperationCanceledException;
import io.winipc.PipeBusyException;
import io.winipc.WinipcAccessDeniedException;
import io.winipc.WinipcOsException;
import io.winipc.WinipcTimeoutException;
import io.winipc.WouldExceedMaximumException;
import io.winipc.sync.Semaphore;
import io.winipc.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** GetLastError codes become winipc's exceptions, keeping the code and the system's text. */
@EnabledOnOs(OS.WINDOWS)
class WinErrorsTest {

    @Test
    void knownCodesMapToTheirExceptionAndKeepTheCode() {
        assertThat(WinErrors.exception("x", 2)).isInstanceOf(ObjectNotFoundException.class);
        assertThat(WinErrors.exception("x", 5)).isInstanceOf(WinipcAccessDeniedException.class);
        assertThat(WinErrors.exception("x", 109)).isInstanceOf(BrokenPipeException.class);
        assertThat(WinErrors.exception("x", 183)).isInstanceOf(ObjectExistsException.class);
        assertThat(WinErrors.exception("x", 231)).isInstanceOf(PipeBusyException.class);
        assertThat(WinErrors.exception("x", 288)).isInstanceOf(NotOwnerException.class);
        assertThat(WinErrors.exception("x", 298)).isInstanceOf(WouldExceedMaximumException.class);
        assertThat(WinErrors.exception("x", 995)).isInstanceOf(OperationCanceledException.class);
        assertThat(WinErrors.exception("x", 1460)).isInstanceOf(WinipcTimeoutException.class);
        assertThat(WinErrors.exception("x", 298).nativeCode()).isEqualTo(298);
    }

    @Test
    void anUnmappedCodeKeepsTheSystemText() {
        WinipcOsException e = WinErrors.exception("CreateFileMappingW(y)", 1455);
        assertThat(e.getClass()).isEqualTo(WinipcOsException.class);
        assertThat(e.nativeCode()).isEqualTo(1455);
        assertThat(e.getMessage()).startsWith("CreateFileMappingW(y) failed: ").endsWith("(error 1455)")
                .doesNotContain("Windows error (error");
    }

    @Test
    void releasePastTheMaximumCarriesErrorTooManyPosts() {
        try (Semaphore s = Semaphore.create(TestNames.unique("errors-sem"), 1, 1)) {
            assertThatThrownBy(() -> s.release()).isInstanceOfSatisfying(WouldExceedMaximumException.class,
                    e -> assertThat(e.nativeCode()).isEqualTo(298));
        }
    }

    @Test
    void openOfAMissingObjectCarriesErrorFileNotFound() {
        assertThatThrownBy(() -> Semaphore.open(TestNames.unique("errors-missing")))
                .isInstanceOfSatisfying(ObjectNotFoundException.class, e -> assertThat(e.nativeCode()).isEqualTo(2));
    }
}
