package io.sluice.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The dashboard's files are served, reference each other only by relative URLs, and work behind a path prefix. */
class DashboardResourcesIT extends LiveServerSupport {

    private static final Pattern ABSOLUTE_URL =
            Pattern.compile("(src|href)=\"/(?!/)|fetch\\(['\"`]/|['\"`]/(topics|ws|webjars|consumers|js|css)\\b");

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndItsModulesAreServedWithTheChartingLibraryFromItsWebJar() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"js/app.js\">");
        for (String module : List.of("/js/app.js", "/js/socket.js", "/js/api.js", "/js/charts.js", "/css/app.css")) {
            assertThat(get(module).statusCode()).as(module).isEqualTo(200);
        }
        String etag = page.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/", "If-None-Match", etag).statusCode()).isEqualTo(304);
        HttpResponse<String> uplot = get("/webjars/uplot/dist/uPlot.esm.js");
        assertThat(uplot.statusCode()).isEqualTo(200);
        assertThat(uplot.body()).contains("export");
    }

    @Test
    void everyDashboardFileCarriesAStrictContentSecurityPolicy() throws Exception {
        for (String path :
                List.of("/", "/index.html", "/js/app.js", "/css/app.css", "/webjars/uplot/dist/uPlot.min.css")) {
            HttpResponse<String> file = get(path);
            String policy = file.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(policy)
                    .as(path)
                    .contains("default-src 'none'")
                    .contains("script-src 'self';")
                    .contains("style-src 'self';")
                    .contains("connect-src 'self' ws://localhost:" + port + " wss://localhost:" + port + ";")
                    .contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline")
                    .doesNotContain("unsafe-eval");
            assertThat(file.headers().firstValue("X-Content-Type-Options"))
                    .as(path)
                    .hasValue("nosniff");
            assertThat(file.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
        }
        String etag = get("/").headers().firstValue("ETag").orElseThrow();
        assertThat(get("/", "If-None-Match", etag).headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(policy -> assertThat(policy).contains("script-src 'self'"));
        // the page has no inline script or style the policy would refuse
        String page = get("/").body();
        assertThat(page)
                .doesNotContainPattern("<script(?![^>]*\\ssrc=)")
                .doesNotContain("<style")
                .doesNotContain("style=");
    }

    @Test
    void everyReferenceInTheStaticFilesIsRelative() throws IOException {
        Path root = Path.of("src/main/resources/static");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                assertThat(ABSOLUTE_URL.matcher(text).find())
                        .as("%s uses an absolute URL, which breaks under a proxy path prefix", file)
                        .isFalse();
            }
        }
    }

    @Test
    void aForwardedPrefixFromAProxyIsHonoured() throws Exception {
        createTopic("behind-proxy", 1);
        assertThat(get("/", "X-Forwarded-Prefix", "/sluice").statusCode()).isEqualTo(200);
        HttpResponse<String> topicsBehindProxy = get("/topics", "X-Forwarded-Prefix", "/sluice");
        assertThat(topicsBehindProxy.statusCode()).isEqualTo(200);
        assertThat(topicsBehindProxy.body()).contains("behind-proxy");
    }
}
