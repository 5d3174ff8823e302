package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for the dashboard ITs (Debian's chromium and chromedriver, so Selenium downloads nothing), as a
 * JUnit extension: a fresh browser with its own profile directory for every test, quit after it.
 */
final class Chromium implements BeforeEachCallback, AfterEachCallback {

    private ChromeDriver driver;
    private Path profile;

    /** The browser of the running test. */
    ChromeDriver driver() {
        return driver;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        profile = Files.createTempDirectory("sluice-chromium");
        driver = start(profile);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    private static ChromeDriver start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1440,1100",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return browser;
    }

    /**
     * What the browser's console reported about the page's Content-Security-Policy refusing something since the last
     * call (Chromium logs every violation: "Refused to ... because it violates the following Content Security Policy
     * directive").
     */
    static List<String> policyViolations(ChromeDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy"))
                .toList();
    }

    /**
     * Proves the page runs under its Content-Security-Policy, and that {@link #policyViolations} sees violations: an
     * inline style attribute added to the page is refused (the element keeps its default width) and reported.
     */
    static void assertPolicyEnforced(ChromeDriver browser) {
        Object width = browser.executeScript("const probe = document.createElement('div');"
                + "probe.id = 'csp-probe'; document.body.appendChild(probe);"
                + "probe.insertAdjacentHTML('afterbegin', '<span style=\"display:block;width:123px\"></span>');"
                + "return probe.firstChild.getBoundingClientRect().width;");
        assertThat(((Number) width).doubleValue()).isNotEqualTo(123.0);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !policyViolations(browser).isEmpty());
    }

    /** Saves a screenshot under {@code target/} for a person to look at. */
    static void screenshot(ChromeDriver browser, String name) throws IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
