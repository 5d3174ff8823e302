package io.sluice.api.http;

import io.sluice.quota.Traffic;
import org.springframework.http.HttpMethod;

/**
 * Tells what a request does from its method and path, without parsing the path into objects (this runs on every
 * request): {@code POST /topics/{t}} and {@code POST /topics/{t}/partitions/{p}} produce; {@code GET …/records} and
 * {@code GET /topics/{t}/events} read; the actuator is exempt from limits (health checks must pass under load);
 * everything else is other traffic.
 */
final class TrafficKinds {

    private static final int TOPICS_PREFIX = "/topics/".length();

    private TrafficKinds() {}

    /** The kind of traffic, or null for a path no limit applies to. */
    static Traffic of(HttpMethod method, String path) {
        if (path.startsWith("/actuator")) {
            return null;
        }
        if (HttpMethod.POST.equals(method) && path.startsWith("/topics/")) {
            int segments = segments(path);
            boolean partition = segments == 4 && path.startsWith("partitions/", path.indexOf('/', TOPICS_PREFIX) + 1);
            return segments == 2 || partition ? Traffic.PRODUCE : Traffic.OTHER;
        }
        if (HttpMethod.GET.equals(method)
                && (path.endsWith("/records") || path.startsWith("/topics/") && path.endsWith("/events"))) {
            return Traffic.READ;
        }
        return Traffic.OTHER;
    }

    /** Non-empty segments of the path ("/topics/a/" has 2). */
    private static int segments(String path) {
        int count = 0;
        boolean inSegment = false;
        for (int i = 0; i < path.length(); i++) {
            boolean slash = path.charAt(i) == '/';
            if (!slash && !inSegment) {
                count++;
            }
            inSegment = !slash;
        }
        return count;
    }
}
