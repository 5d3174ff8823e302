package io.sluice.group.assignor;

import io.sluice.common.TopicPartition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * The default assignor: balanced like round-robin, but a change moves as few partitions as possible.
 *
 * <p>Three passes, each deterministic (members in id order, partitions in (topic, partition) order):
 *
 * <ol>
 *   <li><b>Keep</b>: every member keeps the partitions it owned in the previous generation that still exist, that it
 *       still subscribes to, and that no member earlier in id order already kept.
 *   <li><b>Fill</b>: each partition left over goes to the eligible member that owns the fewest (ties: lowest id).
 *   <li><b>Level</b>: while some member owns at least two more than an eligible other member, one partition moves
 *       from the most loaded member to the least loaded eligible one. Each move lowers the sum of squared counts, so
 *       the pass ends; with identical subscriptions it ends with {@code max - min <= 1}.
 * </ol>
 *
 * Partitions only move in pass 3, and only out of members above the balanced share, so when a member joins it
 * receives just its share and when a member leaves only its partitions move. Stateless and thread-safe.
 */
public final class StickyAssignor implements PartitionAssignor {

    public static final String NAME = "sticky";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, SortedSet<TopicPartition>> assign(AssignmentInput input) {
        SortedMap<String, SortedSet<TopicPartition>> result = input.emptyResult();
        List<TopicPartition> all = input.subscribedPartitions();
        Set<TopicPartition> unowned = new HashSet<>(all);
        keepPrevious(input, result, unowned);
        for (TopicPartition tp : all) {
            if (unowned.contains(tp)) {
                result.get(leastLoadedEligible(input, result, tp)).add(tp);
            }
        }
        while (moveOne(input, result)) {
            // each move strictly improves balance
        }
        return result;
    }

    private static void keepPrevious(
            AssignmentInput input, SortedMap<String, SortedSet<TopicPartition>> result, Set<TopicPartition> unowned) {
        result.forEach((member, owned) -> {
            Set<TopicPartition> before = input.previous().getOrDefault(member, Set.of());
            before.stream().sorted().forEach(tp -> {
                if (unowned.contains(tp) && input.eligible(member, tp)) {
                    owned.add(tp);
                    unowned.remove(tp);
                }
            });
        });
    }

    private static String leastLoadedEligible(
            AssignmentInput input, SortedMap<String, SortedSet<TopicPartition>> result, TopicPartition tp) {
        String best = null;
        for (Map.Entry<String, SortedSet<TopicPartition>> e : result.entrySet()) {
            if (input.eligible(e.getKey(), tp)
                    && (best == null || e.getValue().size() < result.get(best).size())) {
                best = e.getKey();
            }
        }
        return best;
    }

    /** Moves one partition from a most loaded member to a less loaded eligible one; false when balanced. */
    private static boolean moveOne(AssignmentInput input, SortedMap<String, SortedSet<TopicPartition>> result) {
        List<String> byLoadDesc = new ArrayList<>(result.keySet());
        byLoadDesc.sort(
                (a, b) -> Integer.compare(result.get(b).size(), result.get(a).size()));
        for (String from : byLoadDesc) {
            int fromSize = result.get(from).size();
            // give away the highest partitions first so low partition numbers stay put
            List<TopicPartition> owned = new ArrayList<>(result.get(from));
            for (int i = owned.size() - 1; i >= 0; i--) {
                TopicPartition tp = owned.get(i);
                String to = leastLoadedEligible(input, result, tp);
                if (result.get(to).size() < fromSize - 1) {
                    result.get(from).remove(tp);
                    result.get(to).add(tp);
                    return true;
                }
            }
        }
        return false;
    }
}
