package io.sluice.record;

/**
 * Receives a batch's records one at a time as {@link BatchRecords#forEach} walks them, each as a {@link RecordView}
 * that is only valid during the call, so a reader renders or counts records without an object or a copy per record.
 */
@FunctionalInterface
public interface RecordVisitor {

    /** One record, in place. Returns whether to go on with the next record of the batch. */
    boolean record(RecordView record);
}
