package dev.o11ycdk.core.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * How the library's internal value classes with builders are generated (Immutables, at compile
 * time): {@code ImmutableFoo} as package-private as {@code Foo}. Source retention, like
 * {@link PropsStyle}, so no Immutables annotation with values reaches the class files (a consumer
 * compiling against them would be warned that it cannot read them).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.SOURCE)
@Value.Style(
        visibility = Value.Style.ImplementationVisibility.SAME,
        defaults = @Value.Immutable(copy = false, prehash = false),
        jdkOnly = true,
        allowedClasspathAnnotations = {Override.class})
public @interface InternalValueStyle {
}
