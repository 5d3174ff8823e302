package io.sluice.topic;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "even_nums", "odd-nums", "x.y.z", "A1._-", "...", ".a"})
    void acceptsKafkaLegalNames(String name) {
        assertThatCode(() -> TopicNames.validate(name)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a b", "a/b", "ü", "a:b", "a\\b", "a*"})
    void rejectsIllegalNamesWithInvalidValue(String name) {
        assertThatThrownBy(() -> TopicNames.validate(name))
                .isInstanceOf(SluiceException.class)
                .extracting(e -> ((SluiceException) e).errorCode())
                .isEqualTo(ErrorCode.INVALID_VALUE);
    }

    @org.junit.jupiter.api.Test
    void lengthLimitIs249() {
        assertThatCode(() -> TopicNames.validate("a".repeat(249))).doesNotThrowAnyException();
        assertThatThrownBy(() -> TopicNames.validate("a".repeat(250))).hasMessageContaining("249");
    }
}
