package io.sluice.api.http;

/**
 * Writes a sequence of numbers in decimal, keeping the digits of the last one so that the next costs a copy instead
 * of divisions when it is the same number (the timestamp the records of a batch share) or one more (consecutive
 * offsets: the kept digits are incremented in place). Any other number is rendered afresh; a negative one is written
 * through {@link ByteSink#writeDecimal} and not kept. Not thread-safe: one per writer.
 */
final class DecimalText {

    private final byte[] digits = new byte[20];
    /** 0 while no digits are kept. */
    private int length;

    private long value;

    /** Appends {@code next} to {@code out} as {@link ByteSink#writeDecimal} would. */
    void write(ByteSink out, long next) {
        if (next < 0) {
            length = 0;
            out.writeDecimal(next);
            return;
        }
        boolean kept = length > 0 && (next == value || next == value + 1 && increment());
        if (!kept) {
            length = ByteSink.putDecimal(digits, 0, next);
        }
        value = next;
        out.write(digits, 0, length);
    }

    /** Adds one to the kept digits; false when they were all nines (the result needs one digit more). */
    private boolean increment() {
        for (int i = length - 1; i >= 0; i--) {
            if (digits[i] != '9') {
                digits[i]++;
                return true;
            }
            digits[i] = '0';
        }
        return false;
    }
}
