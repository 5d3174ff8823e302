/**
 * Consumer groups: the {@link io.sluice.group.GroupCoordinator} and what it needs.
 *
 * <p><b>Ports</b> (implemented at wiring time): {@link io.sluice.group.TopicCatalog} (topic names, partition counts
 * and a version that moves with every change, from the topic service), {@link io.sluice.group.PartitionOffsets} (log
 * start, high watermark, offset for a timestamp, from storage), {@link io.sluice.group.OffsetStore} (committed offsets
 * and group definitions; H2 in {@code io.sluice.group.offsets.jdbc}, memory in {@code io.sluice.group.offsets}) and
 * {@link io.sluice.group.GroupRegistry} (the live group state; in memory today, the Ratis controller later).
 *
 * <p><b>How the HTTP layer uses it</b> (Confluent REST Proxy v2 paths; routes in {@code io.sluice.api.http.ConsumerApi},
 * the read loop in {@code io.sluice.fetch.GroupFetchService}, the topic ports over the topic service in
 * {@link io.sluice.group.topics}):
 *
 * <ul>
 *   <li>{@code POST /consumers/{g}}: {@code createInstance}; {@code DELETE .../instances/{id}}: {@code deleteInstance}
 *   <li>{@code POST|GET|DELETE .../subscription}: {@code subscribe}, {@code subscription}, {@code unsubscribe}
 *   <li>{@code GET|POST .../assignments}: {@code assignment}, {@code assign}
 *   <li>{@code POST .../positions[/beginning|/end]}: {@code seek}, {@code seekToBeginning}, {@code seekToEnd},
 *       {@code seekToTimestamp}
 *   <li>{@code GET .../records}: {@code acquireRead} or {@code tryAcquireRead}, then {@code planRead}, fetch the planned
 *       partitions in order until {@code max_bytes}, (if nothing yet: wait for data, then {@code planRead} again under
 *       the same permit; with an empty plan also wait on {@code generationAfter}), {@code advance} with the offsets after the last record returned, report
 *       {@link io.sluice.group.ReadPlan#resets()}, and finally close the permit. A fetch that hits out-of-range calls
 *       {@code outOfRange}.
 *   <li>{@code POST .../offsets}: {@code commit}, or {@code commitPositions} for an empty body; {@code GET .../offsets}:
 *       {@code committed}
 *   <li>{@code GET /consumers}: {@code listGroups}; {@code GET /consumers/{g}}: {@code describe}; admin:
 *       {@code resetOffsets}, {@code deleteGroup}
 *   <li>A scheduler calls {@code tick()} about once a second (leases, delayed rebalances, abandoned permits, new
 *       partitions); {@code topicsChanged()} right after topics are created or grow.
 * </ul>
 *
 * Errors are {@link io.sluice.common.SluiceException}s with codes: 40403 instance not found (message says expired or
 * deleted), 40404 group not found, 40903 not owner, 40904 group not empty, 40902 already exists, 40900 conflict
 * (subscription vs manual assignment, assignor mismatch, reclaimed read permit), 41601 offset out of range with
 * {@code auto.offset.reset=none}, 42202 invalid value, 40401/40402 topic/partition not found.
 */
package io.sluice.group;
