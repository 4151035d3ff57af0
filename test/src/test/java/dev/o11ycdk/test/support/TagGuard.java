package dev.o11ycdk.test.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps the tags honest: every test class gets this extension (registered for all of them in
 * META-INF/services), and {@link Tools} and {@link LocalProcess} ask it before they start a binary,
 * so a test that runs one without {@link UsesTools} or {@link EndToEnd} fails instead of slipping into a
 * unit-only run.
 */
public final class TagGuard implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private static final ThreadLocal<Set<String>> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<String> NAME = new ThreadLocal<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        set(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        CURRENT.remove();
        NAME.remove();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        set(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        context.getParent().ifPresent(TagGuard::set);
    }

    private static void set(ExtensionContext context) {
        Set<String> tags = new HashSet<>(context.getTags());
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            tags.addAll(c.getTags());
        }
        CURRENT.set(tags);
        NAME.set(context.getUniqueId());
    }

    /** Fails the running test when it is not tagged as one that runs {@code what}. */
    static void allow(String what) {
        Set<String> tags = CURRENT.get();
        if (tags == null) {
            return; // outside a JUnit test (a main method, a benchmark)
        }
        if (!tags.contains(UsesTools.TAG) && !tags.contains(EndToEnd.TAG)) {
            fail(NAME.get() + " runs " + what + " but is tagged neither @UsesTools nor @EndToEnd");
        }
    }
}
