package io.sluice.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Reads the dashboard's files from the classpath once, at start: everything under {@code static/}, plus the charting
 * library's {@code dist/} files from its WebJar, published under a version-less path
 * ({@code /webjars/uplot/dist/...}) so the page does not name the library's version.
 */
final class DashboardFiles {

    private static final String STATIC = "classpath:/static/";
    private static final String UPLOT_DIST = "classpath:/META-INF/resources/webjars/uplot/*/dist/";

    private DashboardFiles() {}

    static Map<String, byte[]> load() throws IOException {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Resource resource : resolver.getResources(STATIC + "**/*.*")) {
            String url = resource.getURL().toString();
            String path = url.substring(url.lastIndexOf("/static/") + "/static".length());
            files.put(path, read(resource));
        }
        for (Resource resource : resolver.getResources(UPLOT_DIST + "*.*")) {
            files.put("/webjars/uplot/dist/" + resource.getFilename(), read(resource));
        }
        return files;
    }

    private static byte[] read(Resource resource) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            return in.readAllBytes();
        }
    }
}
