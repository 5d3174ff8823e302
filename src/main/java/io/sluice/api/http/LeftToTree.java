package io.sluice.api.http;

/**
 * Thrown by {@link ProduceBodyReader} and {@link EmbeddedValueWriter} to leave a streaming read that cannot be finished
 * there, so that the tree parser of {@link ProduceBodies} reads the same bytes. One shared instance without a stack
 * trace: it is control flow, thrown for every body the fast path does not take.
 */
final class LeftToTree extends RuntimeException {

    static final LeftToTree INSTANCE = new LeftToTree();

    private LeftToTree() {
        super("left to the tree parser", null, false, false);
    }
}
