package io.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class WaitingSetsTest {

    @Test
    void waitersAreFoundByKeyAndEmptyKeysDisappear() {
        WaitingSets<String, Integer> sets = new WaitingSets<>();
        sets.add("a", 1);
        sets.add("a", 2);
        sets.add("b", 3);

        assertThat(sets.of("a")).containsExactlyInAnyOrder(1, 2);
        sets.remove("a", 1);
        sets.remove("a", 2);
        assertThat(sets.of("a")).isEmpty();
        assertThat(sets.all()).hasSize(1);
        assertThat(sets.size()).isEqualTo(1);
    }

    /** One thread keeps emptying a key while another keeps joining it: no joined waiter may end up unreachable. */
    @Test
    void aWaiterJoiningWhileTheLastOneLeavesIsNeverLost() throws Exception {
        WaitingSets<String, Integer> sets = new WaitingSets<>();
        int rounds = 20_000;
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Integer> lost = new ArrayList<>();
        Thread leaver = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                sets.add("k", -1);
                await(barrier);
                sets.remove("k", -1);
                await(barrier);
            }
        });
        leaver.start();
        for (int i = 0; i < rounds; i++) {
            await(barrier);
            sets.add("k", i); // races the removal of -1, which empties the set
            await(barrier);
            if (!sets.of("k").contains(i)) {
                lost.add(i);
            }
            sets.remove("k", i);
        }
        leaver.join();
        assertThat(lost).isEmpty();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
