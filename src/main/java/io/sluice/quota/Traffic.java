package io.sluice.quota;

/** What a request does, as far as quotas care: produce records, read records, or anything else. */
public enum Traffic {
    PRODUCE,
    READ,
    OTHER
}
