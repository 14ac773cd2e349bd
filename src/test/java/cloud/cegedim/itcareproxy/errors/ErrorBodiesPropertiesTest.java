package cloud.cegedim.itcareproxy.errors;

import static cloud.cegedim.itcareproxy.errors.ErrorBodiesTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Generated checks of {@link ErrorBodies}: problem details are valid JSON with a valid {@code type} URI for any
 * envelope, and no {@code Accept} header that does not name the problem type can switch a client away from the
 * envelope. Kept apart from {@link ErrorBodiesTest} because surefire's per-class summary counts only one engine's
 * tests when jqwik and Jupiter share a class.
 */
class ErrorBodiesPropertiesTest {

    @Property
    void anyEnvelopeRendersAsValidProblemDetails(@ForAll @IntRange(min = 400, max = 599) int status,
            @ForAll("text") String code, @ForAll("text") String desc, @ForAll("text") String message) {
        Envelope envelope = new Envelope(HttpStatuses.name(status), code, desc, message);

        JsonNode problem = parse(ErrorBodies.render(status, envelope, true));

        assertThat(problem.size()).isEqualTo(6);
        assertThat(problem.get("type").textValue()).matches("urn:itcare-proxy:error:[A-Za-z0-9._~%-]*");
        assertThat(problem.get("title").textValue()).isEqualTo(message);
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        assertThat(problem.get("detail").textValue()).isEqualTo(desc);
        assertThat(problem.get("errorCode").textValue()).isEqualTo(code);
        assertThat(problem.get("errorDesc").textValue()).isEqualTo(desc);
    }

    @Property
    void headerThatDoesNotNameProblemJsonKeepsTheEnvelope(@ForAll("acceptHeaders") String accept) {
        Assume.that(!accept.toLowerCase(Locale.ROOT).contains("problem+json"));

        assertThat(ErrorBodies.prefersProblemJson(accept)).isFalse();
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(40);
    }

    /** Accept-like headers made of realistic pieces, and arbitrary text, which must never fool the parser. */
    @Provide
    Arbitrary<String> acceptHeaders() {
        Arbitrary<String> pieces = Arbitraries.of("application/json", "*/*", "application/*", "text/html", ";q=0.5",
                ";q=0", ";q=1", ";q=x", ";charset=utf-8", ", ", ",", " ", ";", "=", "application/problem+xml",
                "application/vnd.cegedim-it.v1+json").list().ofMaxSize(12).map(list -> String.join("", list));
        return Arbitraries.oneOf(pieces, Arbitraries.strings().all().ofMaxLength(60));
    }
}
