package dev.o11ycdk.test.support;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

/** The assertion every bad-input case makes: synth stops with a message naming setting and value. */
public final class BadInput {
    private BadInput() {
    }

    public static void assertRejected(Map<String, String> overrides, String message) {
        assertThatThrownBy(() -> Synth.build(overrides))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
