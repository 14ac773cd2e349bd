package cloud.cegedim.itcareproxy.auth;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The simulator's control API and its ITCare API, over real HTTP, as the auth tests need them. */
final class SimulatorControl {

    private final int port;

    SimulatorControl(int port) {
        this.port = port;
    }

    int port() {
        return port;
    }

    private RequestSpecification control() {
        return given().baseUri("http://127.0.0.1").port(port).basePath("/_simulator");
    }

    /** The seeded world, no faults, the configured token settings, no tokens, no counts. */
    void reset() {
        control().post("/reset").then().statusCode(204);
    }

    /** {@code {"tokenLifetimeSeconds":2}}, {@code {"clientSecret":"..."}}, {@code {"revokeTokens":true}}. */
    void configure(String json) {
        control().contentType(ContentType.JSON).body(json).post("/auth").then().statusCode(200);
    }

    void fault(String json) {
        control().contentType(ContentType.JSON).body(json).post("/faults").then().statusCode(201);
    }

    void clearFaults() {
        control().delete("/faults").then().statusCode(204);
    }

    long tokenRequests() {
        return state().getLong("tokenRequests");
    }

    long tokensIssued() {
        return state().getLong("tokensIssued");
    }

    long tokenRequestsRefused() {
        return state().getLong("tokenRequestsRefused");
    }

    private JsonPath state() {
        return control().get("/auth").then().statusCode(200).extract().jsonPath();
    }

    /** The status of an ITCare API call carrying {@code Authorization: Bearer <token>}, or nothing when null. */
    int apiStatus(String token) {
        RequestSpecification request = given().baseUri("http://127.0.0.1").port(port);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.get("/itcare/compute/resources").statusCode();
    }
}
