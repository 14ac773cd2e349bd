package cloud.cegedim.itcareproxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.metrics.ExchangeObserver.Completed;
import cloud.cegedim.itcareproxy.support.LogCapture;
import io.quarkus.logging.json.runtime.JsonFormatter;
import io.vertx.core.json.JsonObject;

/** The access line: its exact text, its fields as Quarkus's JSON formatter prints them, and its switch. */
class AccessLogTest {

    private static final Completed SUCCESS = new Completed("5f0c1e", "GET", "/compute/instances/{id}", "compute", 200,
            null, null, 1, 3_201_456, 4_022_000, true);
    private static final Completed ERROR = new Completed("5f0c1f", "POST", "/compute/instances", "compute", 502,
            "UPSTREAM_UNREACHABLE", "proxy", 3, 12_000_000, 1_250_000_000, false);

    private LogCapture capture;

    @BeforeEach
    void capture() {
        capture = LogCapture.of(AccessLog.CATEGORY);
    }

    @AfterEach
    void release() {
        capture.close();
    }

    private List<ExtLogRecord> records() {
        return capture.records().stream().map(ExtLogRecord.class::cast).toList();
    }

    @Test
    void aSuccessIsOneReadableLine() {
        new AccessLog(true).completed(SUCCESS);

        assertThat(records()).singleElement().satisfies(record -> {
            assertThat(record.getLoggerName()).isEqualTo("itcare-proxy.access");
            assertThat(record.getLevel().getName()).isEqualTo("INFO");
            assertThat(record.getFormattedMessage()).isEqualTo("requestId=5f0c1e method=GET "
                    + "route=/compute/instances/{id} status=200 errorCode=- origin=- attempts=1 upstreamMs=3.201 "
                    + "totalMs=4.022 completed=true");
        });
    }

    @Test
    void anErrorCarriesItsCodeOriginAndAttempts() {
        assertThat(AccessLog.line(ERROR)).isEqualTo("requestId=5f0c1f method=POST route=/compute/instances status=502 "
                + "errorCode=UPSTREAM_UNREACHABLE origin=proxy attempts=3 upstreamMs=12.000 totalMs=1250.000 "
                + "completed=false");
    }

    @Test
    void theJsonFormatterPrintsEveryFieldAsAStructuredMdcField() {
        new AccessLog(true).completed(ERROR);

        JsonObject json = new JsonObject(new JsonFormatter().format(records().get(0)));

        assertThat(json.getString("loggerName")).isEqualTo("itcare-proxy.access");
        assertThat(json.getJsonObject("mdc").getMap()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "requestId", "5f0c1f", "method", "POST", "route", "/compute/instances", "status", "502",
                "errorCode", "UPSTREAM_UNREACHABLE", "origin", "proxy", "attempts", "3", "upstreamMs", "12.000",
                "totalMs", "1250.000", "completed", "false"));
    }

    @Test
    void aSuccessHasNoErrorFieldsInJson() {
        new AccessLog(true).completed(SUCCESS);

        JsonObject mdc = new JsonObject(new JsonFormatter().format(records().get(0))).getJsonObject("mdc");

        assertThat(mdc.fieldNames()).containsExactlyInAnyOrder("requestId", "method", "route", "status", "attempts",
                "upstreamMs", "totalMs", "completed");
    }

    @Test
    void anUpstreamErrorCodeThatIsNotPlainIsQuotedEscapedAndCut() {
        Completed odd = new Completed("r", "GET", "/x", "other", 400, "bad \"name\"\nfield", "upstream", 1, 0, 0, true);
        Completed longCode = new Completed("r", "GET", "/x", "other", 400, "E".repeat(300), "upstream", 1, 0, 0, true);

        assertThat(AccessLog.line(odd)).contains(" errorCode=\"bad \\\"name\\\"\\u000afield\" origin=upstream ");
        assertThat(AccessLog.line(longCode)).contains(" errorCode=" + "E".repeat(AccessLog.MAX_VALUE) + " origin=");
    }

    @Test
    void aNonStandardMethodIsLoggedAsOther() {
        Completed odd = new Completed("r", "X-EVIL\"", "/x", "other", 200, null, null, 1, 0, 0, true);

        assertThat(AccessLog.line(odd)).contains(" method=other ");
    }

    @Test
    void turnedOffItLogsNothing() {
        new AccessLog(false).completed(SUCCESS);

        assertThat(records()).isEmpty();
    }
}
