package io.sluice.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The transition table of {@link GroupState}, row by row: every pair not listed must be refused. */
class GroupStateTest {

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(GroupState.EMPTY, EnumSet.of(GroupState.STABLE, GroupState.DEAD)),
                Arguments.of(GroupState.STABLE, EnumSet.of(GroupState.PREPARING_REBALANCE, GroupState.EMPTY)),
                Arguments.of(
                        GroupState.PREPARING_REBALANCE,
                        EnumSet.of(GroupState.STABLE, GroupState.EMPTY, GroupState.PREPARING_REBALANCE)),
                Arguments.of(GroupState.DEAD, EnumSet.noneOf(GroupState.class)));
    }

    @ParameterizedTest
    @MethodSource("table")
    void onlyTheDocumentedTransitionsAreAllowed(GroupState from, Set<GroupState> allowed) {
        for (GroupState to : GroupState.values()) {
            assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(allowed.contains(to));
        }
    }
}
