package dev.o11ycdk.core;

import java.util.List;

/** Properties of {@link AlarmTopic}. */
public final class AlarmTopicProps {
    private final List<String> emails;

    private AlarmTopicProps(Builder b) {
        this.emails = b.emails != null ? List.copyOf(b.emails) : List.of();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Addresses subscribed by e-mail; each must confirm the subscription from the message AWS sends.
     *
     * @default - none (subscribe a pager or chat integration to the topic yourself)
     */
    public List<String> getEmails() {
        return emails;
    }

    public static final class Builder {
        private List<String> emails;

        public Builder emails(List<String> emails) {
            this.emails = emails;
            return this;
        }

        public AlarmTopicProps build() {
            return new AlarmTopicProps(this);
        }
    }
}
