package dev.tollgate.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8785 conformance, with the number vectors of its Appendix B and the examples of its section 3.2. */
class CanonicalJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0000000000000000, 0",
            "8000000000000000, 0",
            "0000000000000001, 5e-324",
            "8000000000000001, -5e-324",
            "7fefffffffffffff, 1.7976931348623157e+308",
            "ffefffffffffffff, -1.7976931348623157e+308",
            "4340000000000000, 9007199254740992",
            "c340000000000000, -9007199254740992",
            "4430000000000000, 295147905179352830000",
            "44b52d02c7e14af5, 9.999999999999997e+22",
            "44b52d02c7e14af6, 1e+23",
            "44b52d02c7e14af7, 1.0000000000000001e+23",
            "444b1ae4d6e2ef4e, 999999999999999700000",
            "444b1ae4d6e2ef4f, 999999999999999900000",
            "444b1ae4d6e2ef50, 1e+21",
            "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d, 0.000001",
            "41b3de4355555553, 333333333.3333332",
            "41b3de4355555554, 333333333.33333325",
            "41b3de4355555555, 333333333.3333333",
            "41b3de4355555556, 333333333.3333334",
            "41b3de4355555557, 333333333.33333343",
            "becbf647612f3696, -0.0000033333333333333333",
            "43143ff3c1cb0959, 1424953923781206.2"
    })
    void numbersAreWrittenAsEcmaScriptWritesThem(String ieeeHex, String expected) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(ieeeHex, 16));
        assertThat(CanonicalJson.number(value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is not a JSON number")
    @CsvSource({"7fffffffffffffff", "7ff0000000000000", "fff0000000000000"})
    void notANumberAndTheInfinitiesAreRefused(String ieeeHex) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(ieeeHex, 16));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalJson.number(value))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Where ECMAScript changes between plain digits and exponent notation, and doubles for which Java 17's
     * Double.toString gives more digits than needed, or not the closest of the fewest: the writer must not lean on it.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "4022000000000000, 9",
            "3ff0000000000000, 1",
            "bff8000000000000, -1.5",
            "3fb999999999999a, 0.1",
            "4415af1d78b58c40, 100000000000000000000",
            "444b1ae4d6e2ef50, 1e+21",
            "3eb0c6f7a0b5ed8d, 0.000001",
            "3e7ad7f29abcaf48, 1e-7",
            "3ee4f8b588e368f1, 0.00001",
            "44c52d02c7e14af6, 2e+23",
            "447c7e83209e90b2, 8.41e+21",
            "438f67ea69ed3795, 282879384806159000",
            "45300c520a43f0af, 1.9400994884341945e+25",
            "0000000000000002, 1e-323",
            "00000000000007e8, 1e-320",
            "0000000000000003, 1.5e-323",
            "0010000000000000, 2.2250738585072014e-308"
    })
    void numbersAtTheEdgesOfTheNotationAndOfJavasOwnFormatting(String ieeeHex, String expected) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(ieeeHex, 16));
        assertThat(CanonicalJson.number(value)).isEqualTo(expected);
        assertThat(Double.parseDouble(expected)).isEqualTo(value);
    }

    @Test
    void subnormalNumbersAreWrittenPromptly() throws Exception {
        // Subnormals are where number writers tend to go wrong (a wrong digit string, or no answer at all).
        var tree = exact.readTree("[1e-315, 1e-320, 5e-324]");
        assertThat(CanonicalJson.canonicalize(tree)).isEqualTo("[1e-315,1e-320,5e-324]");
    }

    /** The example of RFC 8785 section 3.2.2 and its canonical form in section 3.2.3; numbers read as doubles. */
    @Test
    void theRfcExampleCanonicalizesAsTheRfcShows() throws Exception {
        String input = "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
                + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + "  \"literals\": [null, true, false]\n}";
        String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        var tree = json.readTree(input);
        assertThat(CanonicalJson.canonicalize(tree)).isEqualTo(expected);
        assertThat(CanonicalJson.sha256(tree))
                .isEqualTo(CanonicalJson.sha256(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo(CanonicalJson.fingerprint(tree));
    }

    @Test
    void membersAreSortedByUtf16CodeUnits() throws Exception {
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji\",\"\\u0080\":\"Control\",\"\\u00f6\":\"o\"}";
        String canonical = CanonicalJson.canonicalize(json.readTree(input));
        assertThat(canonical).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"o\",\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji\",\"\ufb33\":\"Hebrew\"}");
        // The Idempotency fingerprint sorts the same way: it is the digest of the same text.
        assertThat(CanonicalJson.fingerprint(json.readTree(input)))
                .isEqualTo(CanonicalJson.sha256(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void whitespaceAndMemberOrderDoNotChangeTheDigest() throws Exception {
        String a = CanonicalJson.sha256(json.readTree("{\"b\": [1, 2.50, true, null], \"a\": \"x\\u0041\"}"));
        String b = CanonicalJson.sha256(json.readTree("{\"a\":\"xA\",\"b\":[1,2.5,true,null]}"));
        assertThat(a).isEqualTo(b).matches("sha256:[0-9a-f]{64}");
    }

    private final ObjectMapper exact = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @ParameterizedTest(name = "{0} is refused")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "9007199254740993", "-9007199254740993", "18446744073709551617", "0.10000000000000001", "1e400", "1e-400"})
    void numbersThatNoDoubleHoldsExactlyAreRefused(String literal) throws Exception {
        var tree = exact.readTree("{\"temperature\": " + literal + "}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalJson.canonicalize(tree))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("I-JSON");
    }

    @Test
    void twoPromptsThatDifferBeyondDoublePrecisionNoLongerShareADigest() throws Exception {
        var a = exact.readTree("{\"seed\": 9007199254740992}");
        var b = exact.readTree("{\"seed\": 9007199254740993}");
        assertThat(CanonicalJson.sha256(a)).matches("sha256:[0-9a-f]{64}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalJson.sha256(b))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} is accepted")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"0.1", "1.0", "-0", "1e23", "9007199254740992", "5e-324"})
    void numbersThatADoubleHoldsAreAccepted(String literal) throws Exception {
        assertThat(CanonicalJson.canonicalize(exact.readTree("[" + literal + "]"))).startsWith("[");
    }

    @Test
    void unpairedSurrogatesAreRefusedAndPairsAccepted() throws Exception {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalJson.canonicalize(json.readTree("\"a\\ud800\"")))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CanonicalJson.canonicalize(json.readTree("{\"\\udc00\": 1}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CanonicalJson.canonicalize(json.readTree("\"\\ud83d\\ude00\""))).isEqualTo("\"\ud83d\ude00\"");
    }

    @Test
    void controlCharactersAreEscapedMinimally() throws Exception {
        assertThat(CanonicalJson.canonicalize(json.readTree("\"tab\\t quote\\\" \\u001f slash/\"")))
                .isEqualTo("\"tab\\t quote\\\" \\u001f slash/\"");
    }
}
