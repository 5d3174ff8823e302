package io.sluice.group;

/** One line of {@code GET /consumers}. */
public record GroupSummary(String group, GroupState state, int generation, String assignor, int instances) {}
