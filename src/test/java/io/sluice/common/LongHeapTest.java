package io.sluice.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongHeapTest {

    private record Item(long key, int id) {}

    @Test
    void pollsInKeyOrderThroughRandomAddsPollsAndRemovals() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            LongHeap<Item> heap = new LongHeap<>();
            PriorityQueue<Item> reference = new PriorityQueue<>(Comparator.comparingLong(Item::key));
            int ids = 0;
            for (int step = 0; step < 500; step++) {
                int op = random.nextInt(10);
                if (op < 6) {
                    Item item = new Item(random.nextInt(100) - 50L, ids++); // few keys: many equal ones
                    heap.add(item.key(), item);
                    reference.add(item);
                } else if (op < 9 && !reference.isEmpty()) {
                    assertThat(heap.peekKey()).isEqualTo(reference.peek().key());
                    assertThat(heap.peek().key()).isEqualTo(reference.peek().key());
                    Item polled = heap.poll();
                    assertThat(polled.key()).isEqualTo(reference.peek().key());
                    assertThat(reference.remove(polled)).isTrue();
                } else if (op == 9) {
                    int modulus = 2 + random.nextInt(4);
                    heap.removeIf(item -> item.id() % modulus == 0);
                    reference.removeIf(item -> item.id() % modulus == 0);
                }
                assertThat(heap.size()).isEqualTo(reference.size());
                assertThat(heap.isEmpty()).isEqualTo(reference.isEmpty());
            }
            List<Item> drained = new ArrayList<>();
            while (!heap.isEmpty()) {
                drained.add(heap.poll());
            }
            assertThat(drained).extracting(Item::key).isSorted();
            assertThat(drained).containsExactlyInAnyOrderElementsOf(reference);
        }
    }

    @Test
    void removeIfKeepsOnlyTheRestInOrder() {
        LongHeap<Long> heap = new LongHeap<>();
        for (long key = 40; key > 0; key--) {
            heap.add(key, key);
        }

        heap.removeIf(value -> value % 3 == 0);

        assertThat(heap.size()).isEqualTo(27);
        List<Long> drained = new ArrayList<>();
        while (!heap.isEmpty()) {
            drained.add(heap.poll());
        }
        assertThat(drained).isSorted().doesNotContain(3L, 6L, 39L).contains(1L, 2L, 40L);
    }

    @Test
    void valuesTakenOutAreNotKeptReachable() {
        LongHeap<Object> heap = new LongHeap<>();
        Object polled = new Object();
        Object removed = new Object();
        WeakReference<Object> polledRef = new WeakReference<>(polled);
        WeakReference<Object> removedRef = new WeakReference<>(removed);
        LongHeap<Object> pollOnly = new LongHeap<>();
        pollOnly.add(1, polled);
        pollOnly.poll(); // the last value: no other takes its slot
        heap.add(1, "kept");
        heap.add(2, removed); // the tail: the rebuild moves nothing into its slot
        heap.removeIf(value -> value == removedRef.get());
        polled = null;
        removed = null;

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return polledRef.get() == null && removedRef.get() == null;
        });
        assertThat(pollOnly.isEmpty()).isTrue(); // both heaps stay reachable up to here
        assertThat(heap.size()).isEqualTo(1);
    }

    @Test
    void anEmptyHeapHasNothingToGive() {
        LongHeap<String> heap = new LongHeap<>();
        heap.add(1, "one");
        heap.poll();

        assertThatThrownBy(heap::poll).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(heap::peek).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(heap::peekKey).isInstanceOf(NoSuchElementException.class);
    }
}
