package io.sluice.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerAuthenticationManagerTest {

    @Test
    void onlyTheCompactJwsShapeCountsAsAJwt() {
        assertThat(BearerAuthenticationManager.looksLikeJwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln"))
                .isTrue();
        assertThat(BearerAuthenticationManager.looksLikeJwt("sluice_abcDEF-_123"))
                .isFalse();
        assertThat(BearerAuthenticationManager.looksLikeJwt("a.b")).isFalse();
        assertThat(BearerAuthenticationManager.looksLikeJwt("a..c")).isFalse();
        assertThat(BearerAuthenticationManager.looksLikeJwt(".b.c")).isFalse();
        assertThat(BearerAuthenticationManager.looksLikeJwt("a.b.")).isFalse();
        assertThat(BearerAuthenticationManager.looksLikeJwt("a.b.c.d")).isFalse();
    }
}
