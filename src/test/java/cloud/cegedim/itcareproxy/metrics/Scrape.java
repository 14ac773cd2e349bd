package cloud.cegedim.itcareproxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cloud.cegedim.itcareproxy.support.FakeUpstream;

/**
 * One read of {@code /q/metrics}, parsed from the Prometheus text format into samples. Tests take one before and one
 * after their traffic and assert the difference, so that they do not depend on each other's counts.
 */
final class Scrape {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final String text;
    final List<Sample> samples;

    private Scrape(String text) {
        this.text = text;
        this.samples = parse(text);
    }

    static Scrape of(URL metrics) {
        try {
            HttpResponse<String> page = CLIENT.send(HttpRequest.newBuilder(URI.create(metrics.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(metrics.toString()).isEqualTo(200);
            return new Scrape(page.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Scrape ofText(String text) {
        return new Scrape(text);
    }

    /** The sum of the samples of {@code name} whose labels include every given pair (0 when there is none). */
    double value(String name, String... labels) {
        double sum = 0;
        for (Sample sample : matching(name, labels)) {
            sum += sample.value();
        }
        return sum;
    }

    /** The distinct sample names, in order of appearance. */
    List<String> names() {
        return samples.stream().map(Sample::name).distinct().toList();
    }

    List<Sample> matching(String name, String... labels) {
        List<Sample> result = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name) && hasLabels(sample, labels)) {
                result.add(sample);
            }
        }
        return result;
    }

    /**
     * Scrapes until {@code name}{labels} has grown by at least {@code expected} since {@code before} (metrics are
     * recorded when the response ends, which may be a moment after the client has read it), then returns that scrape.
     */
    static Scrape awaitGrowth(URL metrics, Scrape before, double expected, String name, String... labels) {
        Scrape[] last = { null };
        FakeUpstream.await(Duration.ofSeconds(10), () -> {
            last[0] = of(metrics);
            return last[0].value(name, labels) - before.value(name, labels) >= expected;
        });
        return last[0];
    }

    /** Asserts the exact growth of {@code name}{labels} between two scrapes. */
    static void assertGrowth(Scrape before, Scrape after, double expected, String name, String... labels) {
        assertThat(after.value(name, labels) - before.value(name, labels))
                .as("growth of %s%s", name, Arrays.toString(labels))
                .isEqualTo(expected);
    }

    private static boolean hasLabels(Sample sample, String[] labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    private static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            samples.add(sample(line));
        }
        return samples;
    }

    /** {@code name{a="x",b="y\"z",} 1.0}: label values may hold escaped quotes, backslashes and newlines. */
    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        if (brace < 0 || brace > space) {
            return new Sample(line.substring(0, space), labels, number(line.substring(space + 1)));
        }
        int i = brace + 1;
        while (line.charAt(i) != '}') {
            int equals = line.indexOf('=', i);
            String key = line.substring(i, equals);
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            while (line.charAt(j) != '"') {
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                j++;
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        String rest = line.substring(i + 1).trim();
        int end = rest.indexOf(' ');
        return new Sample(line.substring(0, brace), labels, number(end < 0 ? rest : rest.substring(0, end)));
    }

    private static double number(String text) {
        String value = text.trim();
        int space = value.indexOf(' ');
        return Double.parseDouble(space < 0 ? value : value.substring(0, space));
    }
}
