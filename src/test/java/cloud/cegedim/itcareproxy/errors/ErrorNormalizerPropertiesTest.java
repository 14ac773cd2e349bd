package cloud.cegedim.itcareproxy.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.IntFunction;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import cloud.cegedim.itcareproxy.errors.ErrorNormalizer.Normalized;
import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The two promises of the normalizer, checked on generated bodies: whatever comes in, what goes out is a valid
 * four-string envelope for the right status; and what is not an envelope leaves nothing of itself in the output.
 *
 * <p>"Is an envelope" is decided here by an independent oracle, Jackson's tree parser in strict mode, rather than by
 * the code under test. The oracle is at least as lenient as the normalizer, so whenever it rejects a body the
 * normalizer must reject it too.
 */
class ErrorNormalizerPropertiesTest {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    /** For what is sent: a repeated member there would be a bug that a tree (last one wins) would hide. */
    private static final ObjectMapper NO_DUPLICATES = STRICT.rebuild()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** Stands for the quoted name of the drawn status; a raw NUL never appears in generated JSON text. */
    private static final String RIGHT_STATUS = "\u0000RIGHT_STATUS\u0000";
    private static final List<String> ENVELOPE_KEYS = List.of("status", "errorCode", "errorDesc", "errorMessage");
    private static final List<String> IDENTIFYING_KEYS = List.of("errorCode", "errorDesc", "errorMessage");
    private static final List<String> OTHER_KEYS = List.of("status", "timestamp", "error", "path", "message",
            "trace", "code", "errorcode", "ErrorCode", "error_code", "errorMessage ", "");

    @Property
    void anyBodyBecomesFourStringMembersWithTheStatusName(@ForAll("anyResponses") Response response) {
        Normalized normalized = ErrorNormalizer.normalize(response.status(), Buffer.buffer(response.body()));
        Statistics.collect(normalized.verbatim() ? "verbatim" : "rebuilt");
        Statistics.coverage(coverage -> coverage.check("verbatim").percentage(p -> p > 5));

        Map<String, String> sent = fourStrings(normalized.envelope().toJson().getBytes());
        assertThat(sent).containsEntry("status", HttpStatuses.name(response.status()));
        if (normalized.verbatim()) {
            assertThat(fourStrings(response.body())).isEqualTo(sent);
        }
    }

    @Property
    void bodyThatIsNotAnEnvelopeLeavesNothingOfItselfInTheOutput(
            @ForAll @IntRange(min = 400, max = 599) int status, @ForAll("nonEnvelopeBodies") byte[] body) {
        boolean envelope = oracleSaysEnvelope(body);
        Statistics.collect(envelope ? "envelope" : "not an envelope");
        Statistics.coverage(coverage -> coverage.check("not an envelope").percentage(p -> p > 90));

        if (!envelope) {
            Normalized normalized = ErrorNormalizer.normalize(status, Buffer.buffer(body));
            Normalized empty = ErrorNormalizer.normalize(status, Buffer.buffer());
            assertThat(normalized).isEqualTo(empty);
            assertThat(normalized.envelope().toJson()).isEqualTo(empty.envelope().toJson());
        }
    }

    @Property
    void completeEnvelopeWithTheRightStatusIsVerbatimAndRoundTrips(@ForAll @IntRange(min = 400, max = 599) int status,
            @ForAll("text") String code, @ForAll("text") String desc, @ForAll("text") String message) {
        Envelope original = new Envelope(HttpStatuses.name(status), code, desc, message);

        Normalized normalized = ErrorNormalizer.normalize(status, original.toJson());

        assertThat(normalized).isEqualTo(new Normalized(original, true));
        assertThat(fourStrings(normalized.envelope().toJson().getBytes()))
                .containsExactly(Map.entry("status", original.status()), Map.entry("errorCode", code),
                        Map.entry("errorDesc", desc), Map.entry("errorMessage", message));
    }

    /**
     * Upstream responses of every kind: not envelopes at all, random objects made of envelope and other members, and
     * envelopes close to complete (right or wrong status, a member of the wrong type, extra or repeated members) so
     * that the verbatim case is reached often. The right status name is only known once the status is drawn, hence
     * bodies are drawn as functions of the status (cheaper to generate and shrink than a {@code flatMap}).
     */
    @Provide
    Arbitrary<Response> anyResponses() {
        Arbitrary<IntFunction<byte[]>> fixed = Arbitraries.oneOf(nonEnvelopeBodies(),
                utf8(objects(Arbitraries.of(ENVELOPE_KEYS), values())),
                utf8(objects(Arbitraries.oneOf(Arbitraries.of(ENVELOPE_KEYS), Arbitraries.of(OTHER_KEYS)), values())))
                .map(body -> status -> body);
        Arbitrary<IntFunction<byte[]>> nearlyComplete = nearlyComplete().map(template -> status -> template
                .replace(RIGHT_STATUS, quote(HttpStatuses.name(status))).getBytes(StandardCharsets.UTF_8));
        return Combinators.combine(Arbitraries.integers().between(400, 599),
                Arbitraries.frequencyOf(Tuple.of(1, fixed), Tuple.of(1, nearlyComplete)))
                .as((status, body) -> new Response(status, body.apply(status)));
    }

    @Provide
    Arbitrary<byte[]> nonEnvelopeBodies() {
        Arbitrary<String> nonEnvelopeObjects = objects(Arbitraries.of(OTHER_KEYS), values()).list().ofMinSize(1)
                .ofMaxSize(2).map(objects -> String.join("", objects));
        Arbitrary<String> wrongTypes = objects(Arbitraries.of(IDENTIFYING_KEYS), nonStrings());
        Arbitrary<String> broken = Combinators.combine(objects(Arbitraries.of(ENVELOPE_KEYS), strings()),
                Arbitraries.integers().between(0, 1000)).as((json, cut) -> json.substring(0, cut % json.length()));
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                utf8(Arbitraries.strings().all().ofMaxLength(200)),
                utf8(html()),
                utf8(nonEnvelopeObjects),
                utf8(wrongTypes),
                utf8(wrongTypes.map(json -> "[" + json + "]")),
                utf8(broken),
                utf8(strings()),
                utf8(nonStrings()));
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().all().ofMaxLength(40);
    }

    /** Four envelope members, mostly strings, maybe one more; {@link #RIGHT_STATUS} stands for the right name. */
    private static Arbitrary<String> nearlyComplete() {
        Arbitrary<String> statusValue = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(RIGHT_STATUS)),
                Tuple.of(1, strings()), Tuple.of(1, nonStrings()));
        Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(9, strings()), Tuple.of(1, nonStrings()));
        Arbitrary<List<String>> extra = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(List.of())),
                Tuple.of(1, Combinators.combine(Arbitraries.of(OTHER_KEYS), values())
                        .as(ErrorNormalizerPropertiesTest::member).list().ofSize(1)),
                Tuple.of(1, Combinators.combine(Arbitraries.of(ENVELOPE_KEYS), values())
                        .as(ErrorNormalizerPropertiesTest::member).list().ofSize(1)));
        Arbitrary<List<Integer>> order = Arbitraries.shuffle(0, 1, 2, 3, 4);
        return Combinators.combine(statusValue, value, value, value, extra, order)
                .as((status, code, desc, message, more, positions) -> {
                    List<String> members = new ArrayList<>(List.of(member("status", status),
                            member("errorCode", code), member("errorDesc", desc), member("errorMessage", message)));
                    members.addAll(more);
                    StringJoiner json = new StringJoiner(",", "{", "}");
                    positions.stream().filter(i -> i < members.size()).forEach(i -> json.add(members.get(i)));
                    return json.toString();
                });
    }

    private static String member(String key, String value) {
        return quote(key) + ":" + value;
    }

    /** JSON objects whose members are drawn from {@code keys} and {@code values}, with random spacing. */
    private static Arbitrary<String> objects(Arbitrary<String> keys, Arbitrary<String> values) {
        Arbitrary<String> space = Arbitraries.of("", "", " ", "\n", "\t", " \r\n ");
        Arbitrary<String> member = Combinators.combine(keys, space, values, space)
                .as((key, before, value, after) -> quote(key) + before + ":" + after + value);
        return Combinators.combine(member.list().ofMaxSize(6), space)
                .as((members, outer) -> outer + "{" + String.join("," + outer, members) + "}" + outer);
    }

    private static Arbitrary<String> values() {
        return Arbitraries.oneOf(strings(), nonStrings());
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.strings().all().ofMaxLength(30).map(ErrorNormalizerPropertiesTest::quote);
    }

    private static Arbitrary<String> nonStrings() {
        Arbitrary<String> scalars = Arbitraries.oneOf(Arbitraries.of("null", "true", "false", "-0", "1.5e3", "{}"),
                Arbitraries.integers().map(String::valueOf));
        return Arbitraries.oneOf(scalars,
                strings().list().ofMaxSize(3).map(items -> "[" + String.join(",", items) + "]"),
                strings().map(s -> "{\"errorCode\":" + s + "}"));
    }

    private static Arbitrary<String> html() {
        return Arbitraries.of("<html>", "<head><title>502 Bad Gateway</title></head>", "<body>", "</body>",
                "</html>", "<h1>Service Unavailable</h1>", "<hr><center>nginx</center>", "\r\n",
                "<pre>java.lang.IllegalStateException\n\tat com.acme.Db.connect(Db.java:42)</pre>",
                "<!-- errorCode: \"X\" -->", "{\"errorCode\":\"X\"}").list().ofMaxSize(10)
                .map(parts -> String.join("", parts));
    }

    private static Arbitrary<byte[]> utf8(Arbitrary<String> texts) {
        return texts.map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    /** A status line and a body; shown as text when a property fails, so that a shrunk sample reads well. */
    record Response(int status, byte[] body) {
        @Override
        public String toString() {
            return status + " " + new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The independent oracle: one strict JSON object with an identifying member that is a string. */
    private static boolean oracleSaysEnvelope(byte[] body) {
        try {
            JsonNode node = STRICT.readTree(body);
            return node != null && node.isObject()
                    && IDENTIFYING_KEYS.stream().anyMatch(key -> node.path(key).isTextual());
        } catch (IOException notJson) {
            return false;
        }
    }

    /** The members of a JSON object that must have exactly the four envelope members, all strings, in any order. */
    private static Map<String, String> fourStrings(byte[] json) {
        JsonNode node;
        try {
            node = NO_DUPLICATES.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not valid JSON: " + new String(json, StandardCharsets.UTF_8), e);
        }
        assertThat(node.isObject()).as("an object").isTrue();
        Map<String, String> members = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            assertThat(member.getValue().isTextual()).as("%s is a string", member.getKey()).isTrue();
            members.put(member.getKey(), member.getValue().textValue());
        }
        assertThat(members.keySet()).containsExactlyInAnyOrderElementsOf(ENVELOPE_KEYS);
        return members;
    }
}
