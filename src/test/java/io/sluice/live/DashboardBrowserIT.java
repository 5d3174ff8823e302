package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in real headless Chromium (Debian's chromium + chromedriver; Selenium downloads nothing): create a
 * topic, produce from the form, see the record in the live tail and the throughput chart move, pause the tail, browse
 * messages, delete a topic. Screenshots land in {@code target/} for a person to look at.
 */
class DashboardBrowserIT extends LiveServerSupport {

    private static final Duration UI_WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final Chromium chromium = new Chromium();

    private ChromeDriver browser;

    @BeforeEach
    void browser() {
        browser = chromium.driver();
    }

    @Test
    void createProduceTailPauseBrowseAndDeleteFromTheDashboard() throws IOException {
        try {
            walkThroughTheDashboard();
        } catch (AssertionError | RuntimeException e) {
            screenshot("dashboard-failure.png");
            throw e;
        }
    }

    private void walkThroughTheDashboard() throws IOException {
        browser.get("http://localhost:" + port + "/");
        awaitText(By.id("connection"), "live");

        // create a topic in the UI
        browser.findElement(By.id("create-topic-name")).sendKeys("ui-orders");
        WebElement partitions = browser.findElement(By.id("create-topic-partitions"));
        partitions.clear();
        partitions.sendKeys("2");
        browser.findElement(By.id("create-topic-submit")).click();
        await().atMost(UI_WAIT)
                .until(() -> !browser.findElements(By.cssSelector("tr[data-topic='ui-orders']"))
                        .isEmpty());
        produce("ui-orders", 1, "seed", 30);
        screenshot("dashboard-overview.png");

        // open it and produce from the form
        await().atMost(UI_WAIT).ignoreExceptions().until(() -> {
            browser.findElement(By.cssSelector("tr[data-topic='ui-orders'] a")).click();
            return true;
        });
        awaitText(By.id("topic-partitions"), "2 partitions");
        awaitText(By.id("tail-state"), "live");
        WebElement value = browser.findElement(By.id("produce-value"));
        value.clear();
        value.sendKeys("{\"order\": 4711, \"item\": \"espresso beans\"}");
        browser.findElement(By.id("produce-key")).sendKeys("customer-7");
        browser.findElement(By.id("produce-submit")).click();
        awaitText(By.id("produce-result"), "offset");
        awaitText(By.id("tail-body"), "espresso beans");
        assertThat(browser.findElement(By.id("tail-body")).getText()).contains("customer-7");

        // the throughput chart moves while records flow
        for (int i = 0; i < 40; i++) {
            produce("ui-orders", i % 2, "burst" + i, 25);
        }
        await().atMost(UI_WAIT).until(() -> chartValue("chart-topic", "data-peak") > 0);
        awaitText(By.id("tail-count"), "1,001 received");

        // pausing stops delivery (no credit is granted), resuming delivers what was missed
        browser.findElement(By.id("tail-pause")).click();
        awaitText(By.id("tail-state"), "paused");
        produce("ui-orders", 0, "while-paused", 1);
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3))
                .until(() -> !browser.findElement(By.id("tail-body")).getText().contains("while-paused-0"));
        browser.findElement(By.id("tail-pause")).click();
        awaitText(By.id("tail-body"), "while-paused-0");

        // message browser: newest first, with an explicit end-of-log state
        browser.findElement(By.cssSelector("#browse-partition option[value='1']"))
                .click();
        awaitText(By.id("browse-state"), "end of log");
        List<WebElement> rows = browser.findElements(By.cssSelector("#browse-body tr"));
        assertThat(rows).isNotEmpty();
        long first =
                Long.parseLong(rows.get(0).findElement(By.cssSelector("td")).getText());
        long second =
                Long.parseLong(rows.get(1).findElement(By.cssSelector("td")).getText());
        assertThat(first).isGreaterThan(second);
        await().atMost(UI_WAIT).until(() -> chartValue("chart-topic", "data-samples") > 3);
        browser.manage().window().setSize(new Dimension(1440, 1900));
        browser.executeScript("window.scrollTo(0, 0)");
        screenshot("dashboard-topic.png");
        assertThat(Chromium.policyViolations(browser))
                .as("refused by the Content-Security-Policy")
                .isEmpty();

        // delete it from the UI
        browser.findElement(By.id("delete-topic")).click();
        browser.switchTo().alert().accept();
        await().atMost(UI_WAIT).until(() -> !topics.list().contains("ui-orders"));
        await().atMost(UI_WAIT).until(() -> browser.getCurrentUrl().endsWith("#/"));
    }

    @Test
    void aGroupsLagGoesUpAndDownInTheGroupsView() throws IOException {
        createTopic("ui-payments", 3);
        try (WsTestClient member = WsTestClient.connect(port)) {
            member.send("{\"op\":\"subscribe\",\"id\":\"m\",\"topic\":\"ui-payments\","
                    + "\"group\":{\"name\":\"billing\"},\"from\":\"earliest\"}");
            member.await("assignment", "m");
            browser.get("http://localhost:" + port + "/#/groups");
            awaitExactText(By.cssSelector("[data-group='billing'] .group-lag"), "0");

            for (int p = 0; p < 3; p++) {
                produce("ui-payments", p, "invoice" + p, 12);
            }
            awaitExactText(By.cssSelector("[data-group='billing'] .group-lag"), "36");
            assertThat(browser.findElement(By.cssSelector("[data-group='billing']"))
                            .getText())
                    .contains("1 member")
                    .contains("ui-payments-0, ui-payments-1, ui-payments-2");
            screenshot("dashboard-groups.png");

            member.send("{\"op\":\"ack\",\"id\":\"m\",\"offsets\":{\"0\":12,\"1\":12,\"2\":6}}");
            awaitExactText(By.cssSelector("[data-group='billing'] .group-lag"), "6");
            assertThat(Chromium.policyViolations(browser))
                    .as("refused by the Content-Security-Policy")
                    .isEmpty();
            Chromium.assertPolicyEnforced(browser);
        }
    }

    private double chartValue(String id, String attribute) {
        String value = browser.findElement(By.id(id)).getDomAttribute(attribute);
        return value == null ? -1 : Double.parseDouble(value);
    }

    private void awaitExactText(By locator, String text) {
        await().atMost(UI_WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(locator).getText().trim().equals(text));
    }

    private void awaitText(By locator, String text) {
        await().atMost(UI_WAIT)
                .ignoreExceptions()
                .until(() -> browser.findElement(locator).getText().contains(text));
    }

    private void screenshot(String name) throws IOException {
        Chromium.screenshot(browser, name);
    }
}
