package io.sluice.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.quota.Traffic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpMethod;

class TrafficKindsTest {

    @ParameterizedTest
    @CsvSource({
        "POST, /topics/orders, PRODUCE",
        "POST, /topics/orders/partitions/3, PRODUCE",
        "POST, /topics, OTHER",
        "POST, /topics/orders/partitions, OTHER",
        "POST, /topics/orders/other/3, OTHER",
        "GET, /topics/orders, OTHER",
        "GET, /topics/orders/partitions/0/records, READ",
        "GET, /consumers/g/instances/i/records, READ",
        "GET, /topics/orders/events, READ",
        "POST, /consumers/g/instances/i/offsets, OTHER",
        "GET, /ws, OTHER",
        "GET, /, OTHER",
    })
    void classifiesByMethodAndPath(String method, String path, Traffic expected) {
        assertThat(TrafficKinds.of(HttpMethod.valueOf(method), path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"GET, /actuator/health", "GET, /actuator/prometheus", "POST, /actuator/shutdown"})
    void exemptsTheActuator(String method, String path) {
        assertThat(TrafficKinds.of(HttpMethod.valueOf(method), path)).isNull();
    }
}
