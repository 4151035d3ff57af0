package dev.o11ycdk.core;

import dev.o11ycdk.core.internal.PropsStyle;
import java.util.List;
import org.immutables.value.Value;

/** Properties of {@link AlarmTopic}. */
@Value.Immutable
@PropsStyle
public abstract class AlarmTopicProps {
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Addresses subscribed by e-mail; each must confirm the subscription from the message AWS sends.
     *
     * @default - none (subscribe a pager or chat integration to the topic yourself)
     */
    public abstract List<String> getEmails();

    public static final class Builder extends ImmutableAlarmTopicProps.Builder {
    }
}
