package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.security.AuditLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * What the matrix does not show: listings filtered by DESCRIBE, deny over allow, prefixed ACLs covering topics made
 * later, 403s that do not reveal existence, revocation taking effect on the next request, the JWT principal claim,
 * group reads checked against the assigned topics, public paths, the admin key, and the audit trail.
 */
class SecurityBehaviourIT extends SecureServerIT {

    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();

    @BeforeEach
    void captureAudit() {
        audit.start();
        ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).addAppender(audit);
    }

    @AfterEach
    void releaseAudit() {
        ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).detachAppender(audit);
    }

    @Test
    void listingsShowOnlyWhatTheCallerMayDescribe() {
        String prefix = unique("vis") + "-";
        createTopic(prefix + "a", 1);
        createTopic(prefix + "b", 1);
        String hidden = unique("hid");
        createTopic(hidden, 1);
        String seenGroup = prefix + "g";
        String hiddenGroup = unique("hidg");
        api.postJson("/consumers/" + seenGroup, "{}", admin()).expect(200);
        api.postJson("/consumers/" + hiddenGroup, "{}", admin()).expect(200);
        String viewer = unique("viewer");
        String key = principalWithKey(viewer);
        acl(viewer, "topic", prefix, "prefixed", "allow", "describe");
        acl(viewer, "group", prefix, "prefixed", "allow", "read");

        List<String> topics = texts(api.get("/topics", bearer(key)).expect(200));
        assertThat(topics).containsExactlyInAnyOrder(prefix + "a", prefix + "b");
        List<String> groups = new ArrayList<>();
        api.get("/consumers", bearer(key))
                .expect(200)
                .forEach(g -> groups.add(g.get("group").stringValue()));
        assertThat(groups).containsExactly(seenGroup);
        assertThat(texts(api.get("/topics", admin()).expect(200))).contains(hidden, prefix + "a");
    }

    @Test
    void denyOverridesAllowAndPrefixedAclsCoverTopicsCreatedLater() {
        String prefix = unique("dn") + ".";
        String reader = unique("reader");
        String key = principalWithKey(reader);
        acl(reader, "topic", prefix, "prefixed", "allow", "read", "write");
        acl(reader, "topic", prefix + "secret", "literal", "deny", "read");
        createTopic(prefix + "open", 1);
        createTopic(prefix + "secret", 1);

        api.postJson("/topics/" + prefix + "open", "{\"records\":[{\"value\":1}]}", bearer(key))
                .expect(200);
        api.get("/topics/" + prefix + "open/partitions/0/records?offset=0", bearer(key))
                .expect(200);
        api.postJson("/topics/" + prefix + "secret", "{\"records\":[{\"value\":1}]}", bearer(key))
                .expect(200);
        api.get("/topics/" + prefix + "secret/partitions/0/records?offset=0", bearer(key))
                .expectError(403, 40301);
        // the allowed WRITE still implies DESCRIBE (the denied READ implies nothing)
        api.get("/topics/" + prefix + "secret", bearer(key)).expect(200);
        api.get("/topics/" + prefix + "open", bearer(key)).expect(200);
    }

    @Test
    void aForbiddenTopicAnswersTheSameWhetherItExistsOrNot() {
        String existing = unique("exists");
        createTopic(existing, 1);
        String missing = unique("exists");
        String key = principalWithKey(unique("prober"));

        String aboutExisting = api.get("/topics/" + existing, bearer(key)).expectError(403, 40301);
        String aboutMissing = api.get("/topics/" + missing, bearer(key)).expectError(403, 40301);

        assertThat(aboutExisting.replace(existing, "T")).isEqualTo(aboutMissing.replace(missing, "T"));
        assertThat(aboutMissing).doesNotContain("not found");
    }

    @Test
    void revokingAKeyRefusesItOnTheVeryNextRequest() {
        String name = unique("rev");
        api.postJson("/security/principals", "{\"name\":\"" + name + "\"}", admin())
                .expect(201);
        JsonNode issued = api.send("POST", "/security/principals/" + name + "/keys", null, null, admin())
                .expect(201);
        String key = issued.get("key").stringValue();
        String other = newKey(name);
        api.get("/security/whoami", bearer(key)).expect(200);
        assertThat(api.get("/security/principals/" + name, admin()).expect(200).get("keys"))
                .hasSize(2);

        api.send(
                        "DELETE",
                        "/security/principals/" + name + "/keys/"
                                + issued.get("id").stringValue(),
                        null,
                        null,
                        admin())
                .expect(204);

        api.get("/security/whoami", bearer(key)).expectError(401, 40101);
        api.get("/security/whoami", bearer(other)).expect(200);
        api.send("DELETE", "/security/principals/" + name, null, null, admin()).expect(204);
        api.get("/security/whoami", bearer(other)).expectError(401, 40101);
    }

    @Test
    void aJwtNamesThePrincipalByTheConfiguredClaim() {
        JsonNode me = api.get("/security/whoami", bearer(JWTS.valid(PRINCIPAL_CLAIM, "dana")))
                .expect(200);
        assertThat(me.get("principal").stringValue()).isEqualTo("dana");
        assertThat(me.get("super_user").booleanValue()).isFalse();

        String topic = unique("jwt");
        createTopic(topic, 1);
        api.get("/topics/" + topic, bearer(JWTS.valid(PRINCIPAL_CLAIM, "dana"))).expectError(403, 40301);
        allow("dana", "topic", topic, "describe");
        api.get("/topics/" + topic, bearer(JWTS.valid(PRINCIPAL_CLAIM, "dana"))).expect(200);
        // the same name from an API key is the same principal: one set of ACLs
        String key = principalWithKey("dana");
        api.get("/topics/" + topic, bearer(key)).expect(200);
    }

    @Test
    void theAdminKeyIsASuperUser() {
        JsonNode me = api.get("/security/whoami", admin()).expect(200);
        assertThat(me.get("principal").stringValue()).isEqualTo("admin");
        assertThat(me.get("super_user").booleanValue()).isTrue();
        assertThat(api.get("/actuator/prometheus", admin()).status()).isEqualTo(200);
        api.postJson("/security/principals", "{\"name\":\"admin\"}", admin()).expectError(409, 40902);
    }

    @Test
    void aGroupReadNeedsReadOnEveryAssignedTopic() {
        String topic = unique("gr");
        createTopic(topic, 1);
        String group = unique("grg");
        String name = unique("consumer");
        String key = principalWithKey(name);
        allow(name, "group", group, "read");
        String instance = newInstance(group, "{}", bearer(key));
        // the admin (a super-user) may act on anyone's instance
        api.postJson(
                        instance + "/assignments",
                        "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}",
                        admin())
                .expect(204);

        api.get(instance + "/records?timeout=0", bearer(key)).expectError(403, 40301);
        allow(name, "topic", topic, "read");
        api.get(instance + "/records?timeout=0", bearer(key)).expect(200);
    }

    @Test
    void aConsumerInstanceBelongsToThePrincipalThatCreatedIt() {
        String topic = unique("own");
        createTopic(topic, 1);
        api.postJson("/topics/" + topic, "{\"records\":[{\"value\":1}]}", admin())
                .expect(200);
        String group = unique("owng");
        String alice = unique("alice");
        String aliceKey = principalWithKey(alice);
        String mallory = unique("mallory");
        String malloryKey = principalWithKey(mallory);
        for (String who : List.of(alice, mallory)) {
            allow(who, "group", group, "read");
            allow(who, "topic", topic, "read");
        }
        String instance = newInstance(group, "{\"auto.offset.reset\":\"earliest\"}", bearer(aliceKey));
        api.postJson(instance + "/subscription", "{\"topics\":[\"" + topic + "\"]}", bearer(aliceKey))
                .expect(204);

        String refused =
                api.get(instance + "/records?timeout=0", bearer(malloryKey)).expectError(403, 40301);
        api.postJson(instance + "/offsets", "{}", bearer(malloryKey)).expectError(403, 40301);
        api.postJson(instance + "/positions/beginning", "{}", bearer(malloryKey))
                .expectError(403, 40301);
        api.get(instance, bearer(malloryKey)).expectError(403, 40301);
        api.send("DELETE", instance, null, null, bearer(malloryKey)).expectError(403, 40301);
        // a JWT naming the same principal is the owner too; the admin is a super-user
        api.get(instance, bearer(JWTS.valid(PRINCIPAL_CLAIM, alice))).expect(200);
        api.get(instance, admin()).expect(200);

        assertThat(refused).doesNotContain(alice);
        assertThat(audit.list.stream().map(ILoggingEvent::getFormattedMessage))
                .anyMatch(line -> line.startsWith("decision=DENY principal=" + mallory
                        + " operation=READ resource=GROUP:" + instance.substring("/consumers/".length())));
        // the refused calls neither deleted the instance nor moved anything: the owner still reads from the start
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(api.get(instance + "/records?timeout=200", bearer(aliceKey))
                                .expect(200))
                        .hasSize(1));
        api.send("DELETE", instance, null, null, bearer(aliceKey)).expect(204);
        // gone: anyone with READ on the group now gets the same 40403 as for an instance that never existed
        api.get(instance, bearer(malloryKey)).expectError(404, 40403);
    }

    @Test
    void aGroupDescriptionShowsOnlyTopicsTheCallerMayDescribe() {
        String seen = unique("gds");
        String hidden = unique("gdh");
        createTopic(seen, 1);
        createTopic(hidden, 1);
        String group = unique("gd");
        String instance = newInstance(group, "{}", admin());
        api.postJson(instance + "/subscription", "{\"topics\":[\"" + seen + "\",\"" + hidden + "\"]}", admin())
                .expect(204);
        String viewer = unique("gdv");
        String key = principalWithKey(viewer);
        allow(viewer, "group", group, "describe");
        allow(viewer, "topic", seen, "describe");

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(api.get("/consumers/" + group, admin())
                                .expect(200)
                                .get("partitions"))
                        .hasSize(2));
        JsonNode full = api.get("/consumers/" + group, admin()).expect(200);
        JsonNode shown = api.get("/consumers/" + group, bearer(key)).expect(200);

        assertThat(full.toString()).contains(hidden);
        assertThat(shown.toString()).doesNotContain(hidden).contains(seen);
        assertThat(shown.get("partitions")).hasSize(1);
        assertThat(shown.get("members").get(0).get("subscription").get("topics"))
                .hasSize(1);
        assertThat(shown.get("members").get(0).get("instance_id").stringValue())
                .isEqualTo(instance.substring(instance.lastIndexOf('/') + 1));
    }

    @Test
    void anInstanceShowsItsOwnerOnlyTheAssignedPartitionsItMayDescribe() {
        String prefix = unique("pat");
        String seen = prefix + "-seen";
        String hidden = prefix + "-hidden";
        createTopic(seen, 1);
        createTopic(hidden, 1);
        String group = unique("patg");
        String reader = unique("patr");
        String key = principalWithKey(reader);
        allow(reader, "group", group, "read");
        allow(reader, "topic", seen, "read");
        String instance = newInstance(group, "{}", bearer(key));
        // a pattern is checked when records are read, so it may match a topic the reader cannot see
        api.postJson(instance + "/subscription", "{\"topic_pattern\":\"" + prefix + "-.*\"}", bearer(key))
                .expect(204);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(api.get(instance + "/assignments", admin())
                                .expect(200)
                                .get("partitions"))
                        .hasSize(2));
        api.postJson(instance + "/positions/beginning", "{}", bearer(key)).expect(204);

        JsonNode assigned = api.get(instance + "/assignments", bearer(key)).expect(200);
        JsonNode positions = api.get(instance + "/positions", bearer(key)).expect(200);

        assertThat(assigned.toString()).contains(seen).doesNotContain(hidden);
        assertThat(assigned.get("partitions")).hasSize(1);
        assertThat(positions.toString()).contains(seen).doesNotContain(hidden);
        assertThat(api.get(instance + "/positions", admin()).expect(200).toString())
                .contains(hidden);
    }

    @Test
    void theDashboardFilesTheContractAndHealthAreOpen() {
        assertThat(api.get("/").status()).isEqualTo(200);
        assertThat(api.get("/openapi.yaml").status()).isEqualTo(200);
        api.get("/actuator/health").expect(200);
        assertThat(api.sendUnchecked("GET", "/js/api.js", null, null).status()).isEqualTo(200);
        // but not the API the dashboard reads
        api.get("/topics").expectError(401, 40101);
    }

    @Test
    void badAclRequestsAreRefusedAndDeletingEverythingAtOnceIsNot() {
        api.sendInvalid(
                        "POST",
                        "/security/acls",
                        "application/json",
                        "{\"principal\":\"x\",\"resource_type\":\"queue\",\"resource_name\":\"a\",\"operations\":[\"read\"]}"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        admin())
                .expectError(422, 42202);
        api.send("DELETE", "/security/acls", null, null, admin()).expectError(422, 42201);
        String name = unique("acl");
        acl(name, "topic", "t", "prefixed", "deny", "write", "read");
        JsonNode listed = api.get("/security/acls?principal=" + name, admin()).expect(200);
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("permission").stringValue()).isEqualTo("deny");
        JsonNode deleted = api.send(
                        "DELETE", "/security/acls?principal=" + name + "&operation=read", null, null, admin())
                .expect(200);
        assertThat(deleted).hasSize(1);
        assertThat(api.get("/security/acls?principal=" + name, admin()).expect(200))
                .hasSize(1);
    }

    @Test
    void denialsAndAdminDecisionsAreAudited() {
        String name = unique("audited");
        String key = principalWithKey(name);
        String topic = unique("aud");

        api.postJson("/topics", "{\"name\":\"" + topic + "\"}", bearer(key)).expectError(403, 40301);
        createTopic(topic, 1);
        api.get("/topics", bearer("sluice_nope")).expectError(401, 40101);

        List<String> lines =
                audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines)
                .anyMatch(line ->
                        line.startsWith("decision=DENY principal=" + name + " operation=CREATE resource=TOPIC:" + topic)
                                && line.contains("request=\"POST /topics\""))
                .anyMatch(line ->
                        line.startsWith("decision=ALLOW principal=admin operation=CREATE resource=TOPIC:" + topic))
                .anyMatch(line -> line.startsWith("decision=DENY principal=- reason=\"invalid bearer token\""))
                .anyMatch(line -> line.startsWith("change principal=admin what=\"issued key"))
                .allMatch(line -> !line.contains("sluice_") || line.contains("sluice_nope") == false);
        assertThat(String.join("\n", lines)).doesNotContain(key);
    }

    /** Creates an instance of {@code group} with the given body and credentials; its path. */
    private String newInstance(String group, String body, String... auth) {
        String id = api.postJson("/consumers/" + group, body, auth)
                .expect(200)
                .get("instance_id")
                .stringValue();
        return "/consumers/" + group + "/instances/" + id;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.stringValue()));
        return values;
    }
}
