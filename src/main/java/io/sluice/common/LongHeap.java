package io.sluice.common;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * A binary min-heap of values ordered by a {@code long} key given with each value. The keys live in one array beside
 * the values, so ordering an entry compares array slots instead of following a reference to each value's fields:
 * with ten thousand long-poll timeouts in {@link DeadlineTimer}, a {@link java.util.PriorityQueue} ordered by a field
 * of its entries spent most of its time waiting for cache misses. Values with equal keys come out in no set order.
 * Not thread-safe.
 *
 * @param <E> the values
 */
final class LongHeap<E> {

    private long[] keys = new long[16];
    private Object[] values = new Object[16];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(long key, E value) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        siftUp(size++, key, value);
    }

    /** The smallest key; the heap must not be empty. */
    long peekKey() {
        requireNotEmpty();
        return keys[0];
    }

    /** A value with the smallest key, left in the heap; the heap must not be empty. */
    E peek() {
        requireNotEmpty();
        return value(0);
    }

    /** Takes out and returns a value with the smallest key; the heap must not be empty. */
    E poll() {
        requireNotEmpty();
        E first = value(0);
        int last = --size;
        long key = keys[last];
        Object value = values[last];
        values[last] = null;
        if (last > 0) {
            siftDown(0, key, value);
        }
        return first;
    }

    /** Takes out every value {@code drop} accepts, in one linear pass and a rebuild. */
    void removeIf(Predicate<? super E> drop) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!drop.test(value(i))) {
                move(i, kept++);
            }
        }
        Arrays.fill(values, kept, size, null);
        size = kept;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, keys[i], values[i]);
        }
    }

    private void siftUp(int slot, long key, Object value) {
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            move(parent, slot);
            slot = parent;
        }
        place(slot, key, value);
    }

    private void siftDown(int slot, long key, Object value) {
        int half = size >>> 1; // slots below this have at least one child
        while (slot < half) {
            int child = 2 * slot + 1;
            int right = child + 1;
            if (right < size && keys[right] < keys[child]) {
                child = right;
            }
            if (key <= keys[child]) {
                break;
            }
            move(child, slot);
            slot = child;
        }
        place(slot, key, value);
    }

    private void move(int from, int to) {
        keys[to] = keys[from];
        values[to] = values[from];
    }

    private void place(int slot, long key, Object value) {
        keys[slot] = key;
        values[slot] = value;
    }

    @SuppressWarnings("unchecked") // only add() puts values in, and it takes an E
    private E value(int slot) {
        return (E) values[slot];
    }

    private void requireNotEmpty() {
        if (size == 0) {
            throw new NoSuchElementException("the heap is empty");
        }
    }
}
