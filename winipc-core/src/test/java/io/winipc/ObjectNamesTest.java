package io.winipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The documented name rules (README "Names"), one assertion per rule. */
class ObjectNamesTest {

    @Test
    void acceptsWhatTheDocumentationAllows() {
        for (String good : new String[] {"myapp/control", "a", "with space", "dots.and_under-scores", "Grüße/日本",
                "x".repeat(ObjectNames.MAX_LENGTH), "a/b/c", "..a", "a.."}) {
            assertThat(ObjectNames.problem(good)).as(good).isNull();
            assertThat(ObjectNames.validate(good)).isSameAs(good);
        }
    }

    @Test
    void refusesWhatTheDocumentationForbidsAndSaysWhy() {
        assertThat(ObjectNames.problem(null)).contains("null");
        assertThat(ObjectNames.problem("")).contains("empty");
        assertThat(ObjectNames.problem("x".repeat(206))).contains("206 characters").contains("limit is 200");
        assertThat(ObjectNames.problem("demo\\bad")).contains("'\\'").contains("index 4");
        for (char c : "\\:*?\"<>|".toCharArray()) {
            assertThat(ObjectNames.problem("a" + c + "b")).as("%s", c).isNotNull();
        }
        assertThat(ObjectNames.problem("\\\\.\\pipe\\demo")).contains("bare name").contains("prefix");
        assertThat(ObjectNames.problem("tab\tname")).contains("U+0009");
        assertThat(ObjectNames.problem("c1\u0085")).contains("U+0085");
        assertThat(ObjectNames.problem("del\u007f")).contains("U+007F");
        assertThat(ObjectNames.problem("nbsp\u00a0x")).contains("U+00A0");
        assertThat(ObjectNames.problem("emoji\uD83D\uDE00")).contains("Basic Multilingual Plane");
        for (String bad : new String[] {"/lead", "trail/", "a//b", "./x", "a/..", ".."}) {
            assertThat(ObjectNames.problem(bad)).as(bad).isNotNull();
        }
        assertThatThrownBy(() -> ObjectNames.validate("a:b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverPutsANulOrOtherControlCharacterIntoAMessage() {
        String message = ObjectNames.problem("demo\0bad");
        assertThat(message).contains("U+0000").doesNotContain("\0");
        assertThat(ObjectNames.problem("\\\\.\\pipe\\x\0\u001b[31m")).doesNotContain("\0").doesNotContain("\u001b");
        assertThat(ObjectNames.printable("a\0b\nc")).isEqualTo("'a<U+0000>b<U+000A>c'");
    }
}
