package io.sluice.group;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** What a member subscribes to: a fixed list of topics or a regular expression matched against every topic name. */
public sealed interface Subscription permits Subscription.Topics, Subscription.TopicPattern {

    /** Whether the topic called {@code topic} belongs to this subscription. */
    boolean matches(String topic);

    /** The subscribed topics among {@code existing}, sorted. */
    default SortedSet<String> resolve(Collection<String> existing) {
        SortedSet<String> result = new TreeSet<>();
        for (String topic : existing) {
            if (matches(topic)) {
                result.add(topic);
            }
        }
        return result;
    }

    static Subscription topics(Collection<String> topics) {
        return new Topics(new TreeSet<>(topics));
    }

    /** A pattern subscription; the whole topic name must match. */
    static Subscription pattern(String regex) {
        try {
            return new TopicPattern(Pattern.compile(regex));
        } catch (PatternSyntaxException | NullPointerException e) {
            throw new SluiceException(ErrorCode.INVALID_VALUE, "topic_pattern is not a valid regex: " + regex);
        }
    }

    /** A fixed, non-empty set of topic names. Topics that do not exist yet are kept and picked up once created. */
    record Topics(SortedSet<String> topics) implements Subscription {
        public Topics {
            if (topics.isEmpty() || topics.stream().anyMatch(t -> t == null || t.isBlank())) {
                throw new SluiceException(ErrorCode.INVALID_VALUE, "a subscription needs one or more non-blank topics");
            }
            topics = Collections.unmodifiableSortedSet(new TreeSet<>(topics));
        }

        @Override
        public boolean matches(String topic) {
            return topics.contains(topic);
        }
    }

    /** Every topic whose whole name matches the pattern, including topics created later. */
    record TopicPattern(Pattern pattern) implements Subscription {
        @Override
        public boolean matches(String topic) {
            return pattern.matcher(topic).matches();
        }

        public String regex() {
            return pattern.pattern();
        }

        // Pattern has identity equality; two subscriptions to the same regex are the same subscription
        @Override
        public boolean equals(Object o) {
            return o instanceof TopicPattern other && other.regex().equals(regex());
        }

        @Override
        public int hashCode() {
            return regex().hashCode();
        }

        @Override
        public String toString() {
            return "TopicPattern[" + regex() + "]";
        }
    }
}
