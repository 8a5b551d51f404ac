package dev.multipartuploadsts.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OwnersTest {

    @Test
    void base32MatchesTheRfc4648TestVectorsInLowercaseWithoutPadding() {
        assertThat(Owners.base32(bytes(""))).isEqualTo("");
        assertThat(Owners.base32(bytes("f"))).isEqualTo("my");
        assertThat(Owners.base32(bytes("fo"))).isEqualTo("mzxq");
        assertThat(Owners.base32(bytes("foo"))).isEqualTo("mzxw6");
        assertThat(Owners.base32(bytes("foob"))).isEqualTo("mzxw6yq");
        assertThat(Owners.base32(bytes("fooba"))).isEqualTo("mzxw6ytb");
        assertThat(Owners.base32(bytes("foobar"))).isEqualTo("mzxw6ytboi");
    }

    @Test
    void encodesACognitoSubjectIntoTheSafeAlphabet() {
        String owner = Owners.encode("3f1e2b8a-9c4d-4e5f-8a7b-1c2d3e4f5a6b");

        assertThat(owner).matches("[a-z2-7]+").hasSize(58);
    }

    @Test
    void sameSubjectAlwaysGivesTheSameOwner() {
        assertThat(Owners.encode("alice")).isEqualTo(Owners.encode("alice")).isEqualTo("mfwgsy3f");
    }

    @Test
    void differentSubjectsNeverShareAnOwner() {
        List<String> subjects = new ArrayList<>(List.of(
                "alice", "Alice", "ALICE", "alice2", "alice ", " alice", "alic", "alicee", "a", "aa",
                "b", "ab", "ba", "alice/bob", "alice\u0000", "\u00e9", "e\u0301", // NFC and NFD of é differ in bytes
                "\u0430lice", // Cyrillic a
                "user@example.com", "user@example.co", "user@example.comm", "1", "01", "001",
                "*", "?", "$", "${aws:username}", "../alice"));
        Random random = new Random(42);
        for (int i = 0; i < 5000; i++) {
            byte[] raw = new byte[1 + random.nextInt(40)];
            random.nextBytes(raw);
            subjects.add(new String(raw, StandardCharsets.ISO_8859_1));
        }
        Map<String, String> seen = new HashMap<>();
        for (String subject : new HashSet<>(subjects)) {
            String owner = Owners.encode(subject);
            String previous = seen.put(owner, subject);
            assertThat(previous).as("owner %s for %s and %s", owner, subject, previous).isNull();
        }
    }

    @Test
    void prefixSubjectsGiveOwnersThatAreNotPrefixesOfEachOtherOnASegmentBoundary() {
        // Keys end the owner with '/', so what matters is that the two owners differ as whole strings.
        assertThat(Owners.encode("alice")).isNotEqualTo(Owners.encode("alice2"));
        assertThat(ObjectKeys.ownerPrefix(Owners.encode("alice2")))
                .doesNotStartWith(ObjectKeys.ownerPrefix(Owners.encode("alice")));
    }

    @Test
    void ownersNeverContainCharactersThatIamOrS3TreatSpecially() {
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder subject = new StringBuilder();
            for (int j = 0; j < 1 + random.nextInt(60); j++) {
                int codePoint = 1 + random.nextInt(0x2FFFF);
                // Surrogate code points are not characters: such subjects are refused (tested separately).
                subject.appendCodePoint(codePoint >= 0xD800 && codePoint <= 0xDFFF ? '?' : codePoint);
            }
            String text = subject.toString();
            if (text.getBytes(StandardCharsets.UTF_8).length <= Owners.MAX_SUBJECT_BYTES) {
                assertThat(Owners.encode(text)).matches("[a-z2-7]+");
            }
        }
    }

    @Test
    void rejectsSubjectsWithALoneSurrogateSoTheyCannotShareAnOwnerWithQuestionMarks() {
        for (String malformed : new String[] {"\ud800", "\udc00", "\ud800x", "a\udfff"}) {
            assertThatThrownBy(() -> Owners.encode(malformed))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("subject must be well-formed Unicode, but it contains a lone UTF-16 surrogate");
        }
        assertThat(Owners.encode("?")).isEqualTo("h4");
        assertThat(Owners.encode("\ud83c\udfac")).isEqualTo(Owners.base32("\ud83c\udfac".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void acceptsSubjectsUpTo255BytesAndRejectsLongerOrEmptyOnes() {
        assertThat(Owners.encode("x".repeat(255))).hasSize(Owners.MAX_OWNER_LENGTH).hasSize(408);
        assertThatThrownBy(() -> Owners.encode("x".repeat(256)))
                .hasMessage("subject must be 1 to 255 bytes of UTF-8, but 256 bytes were given");
        assertThatThrownBy(() -> Owners.encode("\u00e9".repeat(128)))
                .hasMessage("subject must be 1 to 255 bytes of UTF-8, but 256 bytes were given");
        assertThatThrownBy(() -> Owners.encode(""))
                .hasMessage("subject must be 1 to 255 bytes of UTF-8, but 0 bytes were given");
    }

    @Test
    void sessionNameIsTheOwnerWhenItFitsSixtyFourCharacters() {
        String owner = Owners.encode("x".repeat(40)); // 64 characters
        assertThat(owner).hasSize(64);

        assertThat(Owners.sessionName(owner)).isEqualTo(owner);
        assertThat(Owners.sessionName("me")).isEqualTo("me");
    }

    @Test
    void sessionNameOfALongOwnerIsAPrefixAndAHashWithinStsLimits() {
        String owner = Owners.encode("x".repeat(255));

        String name = Owners.sessionName(owner);

        assertThat(name).hasSize(64).matches("[\\w+=,.@-]{2,64}").startsWith(owner.substring(0, 38) + "-");
        assertThat(Owners.sessionName(owner)).isEqualTo(name);
    }

    @Test
    void longOwnersSharingAPrefixGetDifferentSessionNames() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            names.add(Owners.sessionName(Owners.encode("same-long-prefix-for-everyone-here-" + i + "-tail")));
        }

        assertThat(names).hasSize(1000).allMatch(n -> n.matches("[\\w+=,.@-]{2,64}"));
    }

    @Test
    void theShortestSubjectGivesAValidSessionName() {
        // STS requires at least 2 characters; one byte encodes to 2.
        assertThat(Owners.sessionName(Owners.encode("a"))).isEqualTo("me");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
