package cloud.cegedim.itcareproxy.simulator;

import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.api;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.control;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.envelope;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@TestProfile(SimulatorTestProfile.class)
class FaultInjectionTest {

    private static final String COMPUTE_503 = "{\"area\":\"compute\",\"status\":503,\"rate\":1.0}";

    @Inject
    ItcareSimulator simulator;

    @Inject
    @Simulated
    MovableClock clock;

    @BeforeEach
    void freshWorld() {
        SimulatorClient.reset(simulator);
    }

    private JsonNode addFault(String spec) {
        return json(control(simulator).contentType(ContentType.JSON).body(spec).post("/faults")
                .then().statusCode(201).extract().response());
    }

    private Response computeGet() {
        return api(simulator).get("/compute/instances/500061854");
    }

    private HttpResponse<String> rawGet(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.port() + path)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void addingAFaultAnswers201WithItsIdDefaultsAndLocation() {
        String now = Json.date(clock.instant());
        String expires = Json.date(clock.instant().plusSeconds(60));

        control(simulator).contentType(ContentType.JSON).body(COMPUTE_503).post("/faults").then()
                .statusCode(201)
                .header("Location", "/_simulator/faults/1")
                .body(equalTo("{\"id\":1,\"area\":\"compute\",\"status\":503,\"rate\":1.0,\"latencyMs\":0,"
                        + "\"body\":\"envelope\",\"retryAfter\":null,\"reset\":false,\"durationSeconds\":60,"
                        + "\"createdAt\":\"" + now + "\",\"expiresAt\":\"" + expires + "\"}"));
    }

    @Test
    void aFaultWithRateOneAnswersItsStatusInItsAreaOnly() {
        JsonNode fault = addFault(COMPUTE_503);

        computeGet().then()
                .statusCode(503)
                .contentType("application/json")
                .header(FaultInjector.FAULT_HEADER, fault.get("id").asText())
                .body(equalTo(envelope("SERVICE_UNAVAILABLE", "SERVICE_UNAVAILABLE", "", "Service temporarily unavailable")));
        api(simulator).get("/networking/loadbalancers").then().statusCode(200);
        api(simulator).get("/health").then().statusCode(200);
    }

    @Test
    void aStarFaultCoversEveryArea() {
        addFault("{\"area\":\"*\",\"status\":500,\"body\":\"empty\"}");

        api(simulator).get("/networking/loadbalancers").then().statusCode(500).body(emptyString());
        api(simulator).get("/actions").then().statusCode(500);
    }

    @Test
    void aPartialBodyIsAnEnvelopeWithFieldsMissing() {
        addFault("{\"area\":\"compute\",\"status\":502,\"body\":\"partial\"}");

        computeGet().then().statusCode(502).contentType("application/json")
                .body(equalTo("{\"status\":\"BAD_GATEWAY\",\"errorMessage\":\"Bad Gateway\"}"));
    }

    @Test
    void anEmptyBodyHasNoContent() {
        addFault("{\"area\":\"compute\",\"status\":404,\"body\":\"empty\"}");

        Response response = computeGet();
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.getHeader("Content-Length")).isEqualTo("0");
        assertThat(response.getHeader("Content-Type")).isNull();
    }

    @Test
    void anHtmlBodyIsALoadBalancerPage() {
        addFault("{\"area\":\"compute\",\"status\":503,\"body\":\"html\"}");

        computeGet().then().statusCode(503).contentType("text/html")
                .body(equalTo("<html>\r\n<head><title>503 Service Unavailable</title></head>\r\n<body>\r\n"
                        + "<center><h1>503 Service Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n"
                        + "</body>\r\n</html>\r\n"));
    }

    @Test
    void aMalformedBodyIsTheDocumentedExampleWithItsMissingQuote() {
        addFault("{\"area\":\"compute\",\"status\":400,\"body\":\"malformed\"}");

        String body = computeGet().then().statusCode(400).contentType("application/json").extract().asString();

        assertThat(body).isEqualTo("{\"status\": \"BAD_REQUEST\", \"errorCode\": \"INVALID_FIELD_VALUE, "
                + "\"errorDesc\": \"name\", \"errorMessage\": \"Error on field 'name'\"}");
        assertThatThrownBy(() -> parse(body))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aLargeBodyIsOneMebibyteOfText() {
        addFault("{\"area\":\"compute\",\"status\":500,\"body\":\"large\"}");

        Response response = computeGet();
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.getContentType()).isEqualTo("text/plain");
        assertThat(response.asByteArray()).hasSize(1024 * 1024);
        assertThat(response.asString()).startsWith("java.lang.IllegalStateException: pool exhausted at db-internal-07");
    }

    @Test
    void aRetryAfterIsSentWithTheFault() {
        addFault("{\"area\":\"compute\",\"status\":503,\"retryAfter\":\"7\"}");

        computeGet().then().statusCode(503).header("Retry-After", "7");
    }

    @Test
    void aResetClosesTheConnectionWithoutAnAnswer() throws Exception {
        addFault("{\"area\":\"compute\",\"reset\":true}");

        assertThatThrownBy(() -> rawGet("/itcare/compute/instances")).isInstanceOf(IOException.class);
        assertThat(rawGet("/itcare/health").statusCode()).isEqualTo(200);
    }

    @Test
    void aLatencyOnlyFaultDelaysTheRealAnswer() throws Exception {
        addFault("{\"area\":\"actions\",\"latencyMs\":300}");

        long start = System.nanoTime();
        HttpResponse<String> response = rawGet("/itcare/actions/4200183");
        long elapsedMs = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(parse(response.body()).get("id").asLong()).isEqualTo(4_200_183L);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
    }

    @Test
    void latencyThenStatusAnswersTheFaultLate() throws Exception {
        addFault("{\"area\":\"compute\",\"status\":504,\"latencyMs\":200}");

        long start = System.nanoTime();
        HttpResponse<String> response = rawGet("/itcare/compute/resources");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aFaultExpiresWhenTheClockPassesItsDuration() {
        addFault("{\"area\":\"compute\",\"status\":503,\"durationSeconds\":30}");
        clock.advance(Duration.ofSeconds(29));
        computeGet().then().statusCode(503);

        clock.advance(Duration.ofSeconds(1));

        computeGet().then().statusCode(200);
        control(simulator).get("/faults").then().statusCode(200).body(equalTo("[]"));
    }

    @Test
    void listsAndClearsTheActiveFaults() {
        addFault(COMPUTE_503);
        addFault("{\"area\":\"networking\",\"status\":500}");

        JsonNode listed = json(control(simulator).get("/faults").then().statusCode(200).extract().response());
        assertThat(SimulatorClient.texts(listed, "area")).containsExactly("compute", "networking");

        control(simulator).delete("/faults").then().statusCode(204);

        control(simulator).get("/faults").then().body(equalTo("[]"));
        computeGet().then().statusCode(200);
    }

    @Test
    void removesOneFaultByIdAndThenKnowsItNoMore() {
        long id = addFault(COMPUTE_503).get("id").asLong();

        control(simulator).delete("/faults/" + id).then().statusCode(204);
        control(simulator).delete("/faults/" + id).then().statusCode(404)
                .body(equalTo(envelope("NOT_FOUND", "NOT_FOUND", "No fault with id " + id, "Non-existent resource")));
        computeGet().then().statusCode(200);
    }

    @Test
    void refusesAFaultWithAnUnknownField() {
        control(simulator).contentType(ContentType.JSON).body("{\"status\":503,\"latency\":100}").post("/faults").then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "latency", "Error on field 'latency'")));
        control(simulator).get("/faults").then().body(equalTo("[]"));
    }

    @Test
    void refusesAnUnparsableFault() {
        control(simulator).contentType(ContentType.JSON).body("[503]").post("/faults").then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "BAD_REQUEST", "body", "The request body must be a JSON object")));
    }

    @Test
    void theDryRunHeaderIsEchoedOnAFaultedAnswerToo() {
        addFault(COMPUTE_503);

        api(simulator).header("ITCare-DryRun", "true").get("/compute/resources").then()
                .statusCode(503)
                .header("ITCare-DryRun", "true");
    }

    @Test
    void statsCountEveryRequestPerAreaAndMethodFaultedOnesIncluded() {
        addFault("{\"area\":\"networking\",\"status\":503}");
        computeGet();
        computeGet();
        api(simulator).contentType(ContentType.JSON).body("{}").post("/compute/instances");
        api(simulator).get("/networking/loadbalancers");
        api(simulator).get("/networking/loadbalancers");
        api(simulator).get("/networking/loadbalancers");
        api(simulator).get("");

        control(simulator).get("/stats").then()
                .statusCode(200)
                .body(equalTo("{\"total\":7,\"byArea\":{\"-\":1,\"compute\":3,\"networking\":3},"
                        + "\"byMethod\":{\"GET\":6,\"POST\":1},"
                        + "\"byAreaAndMethod\":{\"-\":{\"GET\":1},\"compute\":{\"GET\":2,\"POST\":1},"
                        + "\"networking\":{\"GET\":3}}}"));
    }

    @Test
    void statsGoBackToZero() {
        computeGet();

        control(simulator).delete("/stats").then().statusCode(204);

        control(simulator).get("/stats").then()
                .body(equalTo("{\"total\":0,\"byArea\":{},\"byMethod\":{},\"byAreaAndMethod\":{}}"));
    }

    private static JsonNode parse(String body) throws IOException {
        return new ObjectMapper().readTree(body);
    }
}
