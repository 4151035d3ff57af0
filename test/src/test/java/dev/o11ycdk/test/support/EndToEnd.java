package dev.o11ycdk.test.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that runs the platform's real processes (Prometheus, Alertmanager, moto, the collector's
 * stand-ins) together on loopback: left out of a unit-only run with {@code -DexcludedGroups=tools,e2e}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(EndToEnd.TAG)
public @interface EndToEnd {
    String TAG = "e2e";
}
