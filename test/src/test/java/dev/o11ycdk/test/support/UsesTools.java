package dev.o11ycdk.test.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that runs an external validator or binary (promtool, amtool, cfn-lint, cfn-guard,
 * shellcheck, bwrap, the CDK CLI, Maven): left out of a unit-only run with {@code -DexcludedGroups=tools,e2e}.
 * {@link TagGuard} fails a test that runs one without this tag.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(UsesTools.TAG)
public @interface UsesTools {
    String TAG = "tools";
}
