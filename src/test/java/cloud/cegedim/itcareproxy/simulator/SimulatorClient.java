package cloud.cegedim.itcareproxy.simulator;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Real HTTP against the simulator's own port: the ITCare API under /itcare, the control API under /_simulator. */
final class SimulatorClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SimulatorClient() {
    }

    static RequestSpecification api(ItcareSimulator simulator) {
        return given().baseUri("http://127.0.0.1").port(simulator.port()).basePath("/itcare");
    }

    static RequestSpecification control(ItcareSimulator simulator) {
        return given().baseUri("http://127.0.0.1").port(simulator.port()).basePath("/_simulator");
    }

    /** The token endpoint of the simulated Keycloak, outside /itcare as on the real one's own host. */
    static RequestSpecification tokenEndpoint(ItcareSimulator simulator) {
        return given().baseUri("http://127.0.0.1").port(simulator.port()).basePath(TokenIssuer.TOKEN_PATH);
    }

    /** Back to the seeded world with no faults and no counts, so that no test sees another's leftovers. */
    static void reset(ItcareSimulator simulator) {
        control(simulator).post("/reset").then().statusCode(204);
    }

    static JsonNode json(Response response) {
        try {
            return MAPPER.readTree(response.asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(item -> values.add(item.path(field).asText()));
        return values;
    }

    static String envelope(String status, String errorCode, String errorDesc, String errorMessage) {
        return "{\"status\":\"" + status + "\",\"errorCode\":\"" + errorCode + "\",\"errorDesc\":\"" + errorDesc
                + "\",\"errorMessage\":\"" + errorMessage + "\"}";
    }
}
