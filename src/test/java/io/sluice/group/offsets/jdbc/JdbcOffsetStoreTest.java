package io.sluice.group.offsets.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.group.CommittedOffset;
import io.sluice.group.GroupDefinition;
import io.sluice.group.OffsetStore;
import io.sluice.group.offsets.OffsetStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract against a real H2 file database, plus what only a durable store can promise. */
class JdbcOffsetStoreTest extends OffsetStoreContract {

    @TempDir
    Path dir;

    static JdbcDataSource h2(Path dir) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("offsets").toAbsolutePath());
        ds.setUser("sa");
        return ds;
    }

    @Override
    protected OffsetStore newStore() {
        return new JdbcOffsetStore(h2(dir));
    }

    @Test
    void offsetsAndDefinitionsSurviveReopening() {
        store.saveGroup(new GroupDefinition("g", "range", 7));
        store.commit("g", Map.of(tp("t", 2), new CommittedOffset(123, "meta", 9)));

        OffsetStore reopened = new JdbcOffsetStore(h2(dir));

        assertThat(reopened.group("g")).contains(new GroupDefinition("g", "range", 7));
        assertThat(reopened.committed("g")).containsEntry(tp("t", 2), new CommittedOffset(123, "meta", 9));
    }

    @Test
    void aFailedBatchCommitsNothing() throws Exception {
        store.commit("g", Map.of(tp("t", 0), new CommittedOffset(1, "", 1)));
        String tooLong = "x".repeat(5_000);

        assertThatThrownBy(() -> store.commit(
                        "g",
                        Map.of(
                                tp("t", 0), new CommittedOffset(2, "", 1),
                                tp("t", 1), new CommittedOffset(2, tooLong, 1))))
                .isInstanceOfSatisfying(
                        SluiceException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STORAGE_ERROR));

        assertThat(store.committed("g")).containsOnlyKeys(tp("t", 0));
        assertThat(store.committed("g").get(tp("t", 0)).offset()).isEqualTo(1);
    }

    @Test
    void creatingTheSchemaTwiceIsHarmless() throws Exception {
        new JdbcOffsetStore(h2(dir));
        new JdbcOffsetStore(h2(dir));

        try (Connection c = h2(dir).getConnection();
                Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE 'SLUICE_%'");
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }
}
