package dev.o11ycdk.core.internal;

import dev.o11ycdk.core.PropsException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.immutables.value.Value;

/**
 * How the library's props classes are generated (Immutables, at compile time): {@code FooProps} is
 * the abstract class users read, with a getter and a javadoc {@code @default} per prop; the
 * processor writes {@code ImmutableFooProps} and its builder, which {@code FooProps.builder()}
 * hands out. A required prop left unset, or a prop set to null that has no null, fails {@code build()}
 * with a {@link PropsException} naming the props class and the prop.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.SOURCE)
@Value.Style(
        get = {"get*", "is*"},
        init = "*",
        visibility = Value.Style.ImplementationVisibility.PUBLIC,
        defaults = @Value.Immutable(copy = false, prehash = false),
        jdkOnly = true,
        allowedClasspathAnnotations = {Override.class},
        throwForInvalidImmutableState = PropsException.class,
        throwForNullPointer = PropsException.NullProp.class)
public @interface PropsStyle {
}
