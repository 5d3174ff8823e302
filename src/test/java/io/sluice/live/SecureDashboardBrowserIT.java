package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.security.IssuedKey;
import io.sluice.security.Operation;
import io.sluice.security.ResourceType;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in real headless Chromium against a server with security on: it asks for a key, refuses a wrong one,
 * works with a right one (REST with a Bearer header, the WebSocket through a ticket, only the principal's topics in
 * view), never puts the key in a URL or localStorage, asks again when the key is revoked, and signs out.
 */
class SecureDashboardBrowserIT extends SecureServerSupport {

    private static final Duration UI_WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final Chromium chromium = new Chromium();

    private ChromeDriver browser;

    @BeforeEach
    void browser() {
        browser = chromium.driver();
    }

    @Test
    void signInWorkRevokeSignInAgainAndSignOut() throws IOException {
        try {
            walkThrough();
        } catch (AssertionError | RuntimeException e) {
            Chromium.screenshot(browser, "dashboard-secure-failure.png");
            throw e;
        }
    }

    private void walkThrough() throws IOException {
        Caller alice = caller("alice");
        String mine = newTopic("ui-mine", 1);
        String theirs = newTopic("ui-theirs", 1);
        allow(alice.name(), ResourceType.TOPIC, mine, Operation.DESCRIBE, Operation.READ, Operation.WRITE);

        browser.get("http://localhost:" + port + "/");
        awaitVisible("signin");
        awaitText(By.id("connection"), "signed out");
        Chromium.screenshot(browser, "dashboard-signin.png");

        signIn("sluice_thisKeyDoesNotExist0123456789abcdefghijk");
        awaitText(By.id("signin-error"), "not accepted");

        signIn(alice.key());
        awaitHidden("signin");
        awaitText(By.id("connection"), "live");
        awaitText(By.id("whoami"), "signed in as " + alice.name());
        await().atMost(UI_WAIT)
                .until(() -> !browser.findElements(By.cssSelector("tr[data-topic='" + mine + "']"))
                        .isEmpty());
        assertThat(browser.findElements(By.cssSelector("tr[data-topic='" + theirs + "']")))
                .as("a topic alice may not describe")
                .isEmpty();

        // produce through the WebSocket and see it in the live tail
        browser.get("http://localhost:" + port + "/#/topics/" + mine);
        awaitText(By.id("tail-state"), "live");
        browser.findElement(By.id("produce-value")).clear();
        browser.findElement(By.id("produce-value")).sendKeys("{\"signed\": \"in\"}");
        browser.findElement(By.id("produce-submit")).click();
        awaitText(By.id("tail-body"), "signed");
        Chromium.screenshot(browser, "dashboard-signed-in.png");

        // the key lives in sessionStorage only, and no request URL ever carried it
        assertThat(browser.executeScript("return sessionStorage.getItem('sluice.credential')"))
                .isEqualTo(alice.key());
        assertThat(browser.executeScript("return localStorage.length")).isEqualTo(0L);
        Object urls = browser.executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name).join(' ') + ' ' + location.href");
        assertThat(urls.toString()).doesNotContain(alice.key());

        // revoking the key ends the dashboard's socket: it asks to sign in again
        credentials.revokeKey(alice.name(), alice.keyId());
        awaitVisible("signin");
        assertThat(browser.executeScript("return sessionStorage.getItem('sluice.credential')"))
                .isNull();

        IssuedKey fresh = credentials.issueKey(alice.name());
        signIn(fresh.key());
        awaitHidden("signin");
        awaitText(By.id("connection"), "live");

        browser.findElement(By.id("signout")).click();
        awaitVisible("signin");
        awaitText(By.id("connection"), "signed out");
        assertThat(browser.executeScript("return sessionStorage.length")).isEqualTo(0L);
        assertThat(Chromium.policyViolations(browser))
                .as("refused by the Content-Security-Policy")
                .isEmpty();
        Chromium.assertPolicyEnforced(browser);
    }

    private void signIn(String key) {
        var input = browser.findElement(By.id("signin-token"));
        input.clear();
        input.sendKeys(key);
        browser.findElement(By.id("signin-submit")).click();
    }

    private void awaitVisible(String id) {
        await().atMost(UI_WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(By.id(id)).isDisplayed());
    }

    private void awaitHidden(String id) {
        await().atMost(UI_WAIT)
                .ignoreExceptions()
                .until(() -> !browser.findElement(By.id(id)).isDisplayed());
    }

    private void awaitText(By locator, String text) {
        await().atMost(UI_WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(locator).getText().contains(text));
    }
}
