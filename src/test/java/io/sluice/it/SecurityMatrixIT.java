package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The security test matrix over every REST endpoint: each bad credential (none, unknown key, revoked key, expired,
 * forged, wrong-issuer and principal-less JWTs) gets 401 with {@code WWW-Authenticate: Bearer}; a principal without
 * ACLs gets 403; a principal holding exactly the ACLs the endpoint needs passes (with its API key and with a JWT),
 * and taking away any one of those ACLs makes it 403 again. A consumer instance belongs to the principal that created
 * it: the endpoints about one instance ({@code {i}} in the path) are called on the caller's own instance, and another
 * principal holding every ACL they need is refused with 403. Every exchange is validated against openapi.yaml.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityMatrixIT extends SecureServerIT {

    /** One ACL an endpoint needs. */
    record Need(String type, String name, String pattern, String operation) {
        static Need topic(String name, String operation) {
            return new Need("topic", name, "literal", operation);
        }

        static Need group(String name, String operation) {
            return new Need("group", name, "literal", operation);
        }

        static Need cluster(String operation) {
            return new Need("cluster", "sluice-cluster", "literal", operation);
        }
    }

    /**
     * An endpoint: {@code {u}} in path or body becomes a fresh name on each call. Streams are only checked for
     * refusals (their success is a long-lived answer).
     */
    record Endpoint(String method, String path, String body, List<Need> needs, boolean stream) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private String topic;
    private String group;
    private String instance;
    private String bobKey;
    private String revokedKey;
    private List<Endpoint> endpoints;

    @BeforeAll
    void fixture() {
        api = new ApiClient(port);
        topic = unique("sec");
        createTopic(topic, 1);
        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":1}]}", admin())
                .expect(200);
        group = unique("sg");
        instance = newInstance();
        api.postJson(
                        instancePath(instance) + "/assignments",
                        "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}",
                        admin())
                .expect(204);
        bobKey = principalWithKey(unique("bob"));
        String carol = unique("carol");
        api.postJson("/security/principals", "{\"name\":\"" + carol + "\"}", admin())
                .expect(201);
        var issued = api.send("POST", "/security/principals/" + carol + "/keys", null, null, admin())
                .expect(201);
        revokedKey = issued.get("key").stringValue();
        allow(carol, "topic", topic, "describe");
        api.get("/topics/" + topic, bearer(revokedKey)).expect(200);
        api.send(
                        "DELETE",
                        "/security/principals/" + carol + "/keys/"
                                + issued.get("id").stringValue(),
                        null,
                        null,
                        admin())
                .expect(204);
        endpoints = endpoints();
    }

    private String newInstance() {
        return api.postJson("/consumers/" + group, "{}", admin())
                .expect(200)
                .get("instance_id")
                .stringValue();
    }

    private String instancePath(String id) {
        return "/consumers/" + group + "/instances/" + id;
    }

    private List<Endpoint> endpoints() {
        String t = topic;
        String partition0 = "{\"topic\":\"" + t + "\",\"partition\":0";
        Need readGroup = Need.group(group, "read");
        Need readTopic = Need.topic(t, "read");
        // {i}: an instance of the caller's own where it may make one (it needs READ on the group), else the admin's
        String i = instancePath("{i}");
        String spare = i;
        List<Endpoint> all = new ArrayList<>();
        all.add(new Endpoint(
                "POST",
                "/topics",
                "{\"name\":\"new-{u}\",\"partitions\":1}",
                List.of(new Need("topic", "new-", "prefixed", "create")),
                false));
        all.add(new Endpoint("GET", "/topics/" + t, null, List.of(Need.topic(t, "describe")), false));
        all.add(new Endpoint(
                "POST", "/topics/" + t, "{\"records\":[{\"value\":2}]}", List.of(Need.topic(t, "write")), false));
        all.add(new Endpoint(
                "PATCH",
                "/topics/" + t,
                "{\"configs\":{\"retention.ms\":\"3600000\"}}",
                List.of(Need.topic(t, "alter")),
                false));
        all.add(new Endpoint(
                "DELETE", "/topics/gone-{u}", null, List.of(new Need("topic", "gone-", "prefixed", "delete")), false));
        all.add(new Endpoint("GET", "/topics/" + t + "/partitions", null, List.of(Need.topic(t, "describe")), false));
        all.add(new Endpoint("GET", "/topics/" + t + "/partitions/0", null, List.of(Need.topic(t, "describe")), false));
        all.add(new Endpoint(
                "POST",
                "/topics/" + t + "/partitions/0",
                "{\"records\":[{\"value\":3}]}",
                List.of(Need.topic(t, "write")),
                false));
        all.add(new Endpoint("GET", "/topics/" + t + "/partitions/0/offsets", null, List.of(readTopic), false));
        all.add(new Endpoint(
                "GET", "/topics/" + t + "/partitions/0/records?offset=0", null, List.of(readTopic), false));
        all.add(new Endpoint(
                "GET", "/topics/" + t + "/partitions/0/records?offset=0&follow=true", null, List.of(readTopic), true));
        all.add(new Endpoint("GET", "/topics/" + t + "/events", null, List.of(readTopic), true));
        all.add(new Endpoint("GET", "/consumers/" + group, null, List.of(Need.group(group, "describe")), false));
        all.add(new Endpoint("POST", "/consumers/" + group, "{}", List.of(readGroup), false));
        all.add(new Endpoint(
                "DELETE",
                "/consumers/gone-{u}",
                null,
                List.of(new Need("group", "gone-", "prefixed", "delete")),
                false));
        all.add(new Endpoint(
                "POST",
                "/consumers/" + group + "/offsets/reset",
                "{\"to\":\"earliest\",\"topics\":[\"" + t + "\"]}",
                List.of(readGroup, readTopic),
                false));
        all.add(new Endpoint("GET", i, null, List.of(readGroup), false));
        all.add(new Endpoint("DELETE", instancePath("nobody-{u}"), null, List.of(readGroup), false));
        all.add(new Endpoint("GET", spare + "/subscription", null, List.of(readGroup), false));
        all.add(new Endpoint(
                "POST", spare + "/subscription", "{\"topics\":[\"" + t + "\"]}", List.of(readGroup, readTopic), false));
        all.add(new Endpoint("DELETE", spare + "/subscription", null, List.of(readGroup), false));
        all.add(new Endpoint("GET", i + "/assignments", null, List.of(readGroup), false));
        all.add(new Endpoint(
                "POST",
                spare + "/assignments",
                "{\"partitions\":[" + partition0 + "}]}",
                List.of(readGroup, readTopic),
                false));
        all.add(new Endpoint("GET", i + "/positions", null, List.of(readGroup), false));
        all.add(new Endpoint(
                "POST",
                i + "/positions",
                "{\"offsets\":[" + partition0 + ",\"offset\":0}]}",
                List.of(readGroup, readTopic),
                false));
        all.add(new Endpoint(
                "POST",
                i + "/positions/beginning",
                "{\"partitions\":[" + partition0 + "}]}",
                List.of(readGroup, readTopic),
                false));
        all.add(new Endpoint(
                "POST",
                i + "/positions/end",
                "{\"partitions\":[" + partition0 + "}]}",
                List.of(readGroup, readTopic),
                false));
        all.add(new Endpoint(
                "POST",
                i + "/positions/timestamp",
                "{\"timestamps\":[" + partition0 + ",\"timestamp\":0}]}",
                List.of(readGroup, readTopic),
                false));
        all.add(new Endpoint("GET", i + "/records?timeout=0", null, List.of(readGroup, readTopic), false));
        all.add(new Endpoint("GET", i + "/offsets", null, List.of(readGroup), false));
        all.add(new Endpoint(
                "POST",
                i + "/offsets",
                "{\"offsets\":[" + partition0 + ",\"offset\":0}]}",
                List.of(readGroup, readTopic),
                false));
        all.add(new Endpoint("GET", "/security/principals", null, List.of(Need.cluster("describe")), false));
        all.add(new Endpoint(
                "POST", "/security/principals", "{\"name\":\"made-{u}\"}", List.of(Need.cluster("alter")), false));
        all.add(new Endpoint("GET", "/security/principals/nobody-{u}", null, List.of(Need.cluster("describe")), false));
        all.add(new Endpoint("DELETE", "/security/principals/gone-{u}", null, List.of(Need.cluster("alter")), false));
        all.add(new Endpoint(
                "POST", "/security/principals/gone-{u}/keys", null, List.of(Need.cluster("alter")), false));
        all.add(new Endpoint(
                "DELETE", "/security/principals/gone-{u}/keys/k1", null, List.of(Need.cluster("alter")), false));
        all.add(new Endpoint("GET", "/security/acls", null, List.of(Need.cluster("describe")), false));
        all.add(new Endpoint(
                "POST",
                "/security/acls",
                "{\"principal\":\"nobody-{u}\",\"resource_type\":\"topic\",\"resource_name\":\"x\","
                        + "\"operations\":[\"read\"]}",
                List.of(Need.cluster("alter")),
                false));
        all.add(new Endpoint(
                "DELETE", "/security/acls?principal=nobody-{u}", null, List.of(Need.cluster("alter")), false));
        all.add(new Endpoint("GET", "/actuator/info", null, List.of(Need.cluster("describe")), false));
        all.add(new Endpoint("GET", "/actuator/prometheus", null, List.of(Need.cluster("describe")), false));
        // authenticated, no ACL needed (listings are filtered instead)
        all.add(new Endpoint("GET", "/topics", null, List.of(), false));
        all.add(new Endpoint("GET", "/consumers", null, List.of(), false));
        all.add(new Endpoint("GET", "/security/whoami", null, List.of(), false));
        return all;
    }

    Stream<Endpoint> everyEndpoint() {
        return endpoints.stream();
    }

    Stream<Endpoint> guardedEndpoints() {
        return endpoints.stream().filter(e -> !e.needs().isEmpty());
    }

    Stream<Endpoint> guardedRequestResponseEndpoints() {
        return endpoints.stream().filter(e -> !e.needs().isEmpty() && !e.stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEndpoint")
    void everyBadCredentialIsRefusedWith401(Endpoint endpoint) {
        expectUnauthorized(call(endpoint), false);
        expectUnauthorized(call(endpoint, bearer("sluice_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")), true);
        expectUnauthorized(call(endpoint, bearer(revokedKey)), true);
        expectUnauthorized(call(endpoint, bearer(JWTS.expired(PRINCIPAL_CLAIM, "alice"))), true);
        expectUnauthorized(call(endpoint, bearer(JWTS.forged(PRINCIPAL_CLAIM, "alice"))), true);
        expectUnauthorized(call(endpoint, bearer(JWTS.wrongIssuer(PRINCIPAL_CLAIM, "alice"))), true);
        expectUnauthorized(call(endpoint, bearer(JWTS.withoutPrincipal())), true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("guardedEndpoints")
    void aPrincipalWithoutAclsIsRefusedWith403(Endpoint endpoint) {
        call(endpoint, bearer(bobKey)).expectError(403, 40301);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("guardedRequestResponseEndpoints")
    void exactlyTheNeededAclsAllowAndEachOneIsNeeded(Endpoint endpoint) {
        Holder holder = holderOf(endpoint.needs());
        expectAllowed(endpoint, call(endpoint, instanceOf(holder), bearer(holder.key())));
        expectAllowed(endpoint, call(endpoint, instanceOf(holder), bearer(JWTS.valid(PRINCIPAL_CLAIM, holder.name()))));

        for (Need missing : endpoint.needs()) {
            List<Need> fewer =
                    endpoint.needs().stream().filter(n -> n != missing).toList();
            Holder lacking = holderOf(fewer);
            call(endpoint, instanceOf(lacking), bearer(lacking.key())).expectError(403, 40301);
        }
    }

    Stream<Endpoint> instanceEndpoints() {
        return endpoints.stream().filter(e -> e.path().contains("{i}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instanceEndpoints")
    void anotherPrincipalsInstanceIsRefusedWith403EvenWithEveryAcl(Endpoint endpoint) {
        Holder holder = holderOf(endpoint.needs());
        String othersInstance = instanceOf(otherOwner());

        String refusal = call(endpoint, othersInstance, bearer(holder.key())).expectError(403, 40301);

        assertThat(refusal).doesNotContain(otherOwner().name());
        expectAllowed(endpoint, call(endpoint, othersInstance, admin()));
    }

    /** A principal holding exactly some ACLs, and its key. */
    record Holder(String name, String key) {}

    /** One principal per distinct set of ACLs (endpoints share them; fewer admin calls). */
    private final java.util.Map<java.util.Set<Need>, Holder> holders = new java.util.HashMap<>();

    private Holder holderOf(List<Need> needs) {
        return holders.computeIfAbsent(java.util.Set.copyOf(needs), set -> {
            String name = unique("m");
            String key = principalWithKey(name);
            grant(name, needs);
            return new Holder(name, key);
        });
    }

    private void grant(String principal, List<Need> needs) {
        for (Need need : needs) {
            acl(principal, need.type(), need.name(), need.pattern(), "allow", need.operation());
        }
    }

    private static void expectAllowed(Endpoint endpoint, ApiClient.Response response) {
        assertThat(response.status())
                .as("%s answered %s", endpoint, response.text())
                .isNotIn(401, 403)
                .isLessThan(500);
    }

    private static void expectUnauthorized(ApiClient.Response response, boolean tokenPresented) {
        response.expectError(401, 40101);
        String challenge = response.headers().get("www-authenticate").get(0);
        assertThat(challenge).startsWith("Bearer realm=\"sluice\"");
        assertThat(challenge.contains("error=\"invalid_token\"")).isEqualTo(tokenPresented);
    }

    /** Holders' own instances, made with their keys (they own them); the admin's where a holder may not make one. */
    private final java.util.Map<Holder, String> instances = new java.util.HashMap<>();

    private Holder otherOwner;

    /** A principal with every group and topic ACL, not among the holders: the owner of someone else's instance. */
    private Holder otherOwner() {
        if (otherOwner == null) {
            String name = unique("owner");
            otherOwner = new Holder(name, principalWithKey(name));
            grant(name, List.of(Need.group(group, "read"), Need.topic(topic, "read")));
        }
        return otherOwner;
    }

    /**
     * The holder's own instance with partition 0 of the topic assigned (again: an earlier endpoint may have dropped
     * it), so that reading it needs READ on the topic; the admin's where the holder may not make one.
     */
    private String instanceOf(Holder holder) {
        String id = instances.computeIfAbsent(holder, h -> {
            ApiClient.Response made =
                    api.send("POST", "/consumers/" + group, "application/json", json("{}"), bearer(h.key()));
            return made.status() == 200 ? made.expect(200).get("instance_id").stringValue() : instance;
        });
        if (!id.equals(instance)) {
            api.send(
                    "POST",
                    instancePath(id) + "/assignments",
                    "application/json",
                    json("{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}"),
                    admin());
        }
        return id;
    }

    private static byte[] json(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private ApiClient.Response call(Endpoint endpoint, String... headers) {
        return call(endpoint, instance, headers);
    }

    private ApiClient.Response call(Endpoint endpoint, String instanceId, String... headers) {
        String u = unique("x");
        String path = endpoint.path().replace("{u}", u).replace("{i}", instanceId);
        byte[] body = endpoint.body() == null
                ? null
                : endpoint.body().replace("{u}", u).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String type = body == null ? null : "application/json";
        return api.send(endpoint.method(), path, type, body, headers);
    }
}
