package dev.multipartuploadsts.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileNamesTest {

    @Test
    void keepsAnOrdinaryNameAsItIs() {
        assertThat(FileNames.clean("holiday-2024_final.v2.mp4")).isEqualTo("holiday-2024_final.v2.mp4");
    }

    @Test
    void replacesSpacesSoKeysNeedNoEncoding() {
        assertThat(FileNames.clean("My Holiday  Video.mp4")).isEqualTo("My_Holiday_Video.mp4");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "../../etc/passwd|passwd",
        "..\\..\\windows\\system32\\cmd.exe|cmd.exe",
        "C:\\Users\\me\\Videos\\clip.mov|clip.mov",
        "/absolute/path/to/file.txt|file.txt",
        "dir/|''",
        "..|''",
        "...|''",
        "./.hidden|hidden",
        ".bashrc|bashrc",
        "--rf|rf",
        "-.-x|x",
        "trailing.dots...|trailing.dots",
        "a..b...c|a.b.c",
    })
    void stripsPathComponentsLeadingDotsAndHyphens(String raw, String clean) {
        assertThat(FileNames.clean(raw)).isEqualTo(clean);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "what?.txt|what_.txt",
        "*.mp4|_.mp4",
        "a*b?c.txt|a_b_c.txt",
        "${aws:username}.txt|_aws_username_.txt",
        "price$100{x}.pdf|price_100_x_.pdf",
        "a\"quote\".txt|a_quote_.txt",
        "semi;colon&amp.txt|semi_colon_amp.txt",
        "tab+plus=eq,comma@at.txt|tab_plus_eq_comma_at.txt",
        "a_?_b|a_b",
        "a?_b|a_b",
        "a_?b|a_b",
        "keep__double.py|keep__double.py",
        "__init__.py|__init__.py",
    })
    void replacesUnsafeCharactersWithOneUnderscorePerRun(String raw, String clean) {
        assertThat(FileNames.clean(raw)).isEqualTo(clean);
    }

    @Test
    void neverLetsAPolicyVariableOrWildcardThrough() {
        String[] hostile = {"${aws:username}", "${*}", "$${?}", "\uff04\uff5baws:userid\uff5d", "*", "?", "\\*"};
        for (String raw : hostile) {
            assertThat(FileNames.clean(raw)).doesNotContain("$", "{", "}", "*", "?", "\\", "/");
        }
    }

    @Test
    void foldsFullWidthLookalikesToAscii() {
        assertThat(FileNames.clean("\uff53\uff45\uff43\uff52\uff45\uff54\uff0e\uff50\uff44\uff46")).isEqualTo("secret.pdf");
    }

    @Test
    void normalisesFullWidthSlashesBeforeStrippingPaths() {
        // "．．／．．／etc／passwd" is "../../etc/passwd" once NFKC-normalised.
        assertThat(FileNames.clean("\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc\uff0fpasswd")).isEqualTo("passwd");
    }

    @Test
    void dropsAccentsButKeepsTheLetters() {
        assertThat(FileNames.clean("Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e.jpg")).isEqualTo("Cafe_creme_brulee.jpg");
        assertThat(FileNames.clean("Cafe\u0301.jpg")).isEqualTo("Cafe.jpg");
        assertThat(FileNames.clean("\ufb01le.txt")).isEqualTo("file.txt"); // the "fi" ligature
    }

    @Test
    void dropsStackedCombiningMarks() {
        assertThat(FileNames.clean("z\u0351\u0357\u0334a\u0300\u0301\u0302l\u0308g\u0327o\u0338.txt")).isEqualTo("zalgo.txt");
    }

    @Test
    void replacesNonLatinLookalikesRatherThanPassingThemOff() {
        // Cyrillic а and е look like Latin a and e; they become '_' instead of silently turning into ASCII.
        assertThat(FileNames.clean("p\u0430yp\u0430l.pdf")).isEqualTo("p_yp_l.pdf");
        assertThat(FileNames.clean("\u65e5\u672c\u8a9e\u306e\u30d5\u30a1\u30a4\u30eb.mp4")).isEqualTo("_.mp4");
    }

    @Test
    void removesControlAndInvisibleCharacters() {
        assertThat(FileNames.clean("a\u0000b\u0001c\u001f\u007f.txt")).isEqualTo("abc.txt");
        assertThat(FileNames.clean("line\nbreak\r\ttab.txt")).isEqualTo("linebreaktab.txt");
        assertThat(FileNames.clean("zero\u200bwidth\ufeff.txt")).isEqualTo("zerowidth.txt");
        // A right-to-left override could make "evil\u202Etxt.exe" display as "evilexe.txt".
        assertThat(FileNames.clean("evil\u202etxt.exe")).isEqualTo("eviltxt.exe");
    }

    @Test
    void replacesLoneSurrogates() {
        assertThat(FileNames.clean("a\ud800b.txt")).isEqualTo("a_b.txt");
    }

    @Test
    void givesNothingForNamesWithNothingRecognisable() {
        assertThat(FileNames.clean("")).isEmpty();
        assertThat(FileNames.clean("\u0000\u0001\u200b")).isEmpty();
        assertThat(FileNames.clean("../..")).isEmpty();
    }

    @Test
    void cutsATenKilobyteNameTo255BytesKeepingTheExtension() {
        String clean = FileNames.clean("a".repeat(10_240) + ".mp4");

        assertThat(clean).hasSize(255).endsWith("aaa.mp4").matches("[A-Za-z0-9._-]+");
    }

    @Test
    void cutsALongNameWithoutAnExtension() {
        assertThat(FileNames.clean("b".repeat(300))).isEqualTo("b".repeat(255));
    }

    @Test
    void cutsALongNameWithAnOverlongExtensionAsPlainText() {
        String clean = FileNames.clean("c".repeat(250) + "." + "x".repeat(40));

        assertThat(clean).isEqualTo("c".repeat(250) + "." + "x".repeat(4));
    }

    @Test
    void leavesANameOfExactly255BytesWhole() {
        String raw = "d".repeat(249) + ".e.mkv";

        assertThat(FileNames.clean(raw)).isEqualTo(raw).hasSize(255);
    }

    @Test
    void doesNotLeaveADoubleDotWhereTheCutMeetsTheExtension() {
        String raw = "d".repeat(250) + "." + "g".repeat(20) + ".mkv";

        assertThat(FileNames.clean(raw)).isEqualTo("d".repeat(250) + ".mkv");
    }

    @Test
    void replacesApostrophes() {
        assertThat(FileNames.clean("Rock 'n' Roll.mp3")).isEqualTo("Rock_n_Roll.mp3");
    }

    @Test
    void cutsMultiByteNamesBy255BytesOfTheirCleanedForm() {
        String clean = FileNames.clean("\u00e9".repeat(1000) + ".webm");

        assertThat(clean).hasSize(255).startsWith("eee").endsWith(".webm");
    }

    @Test
    void cleaningIsIdempotentAndOnlyEverYieldsTheSafeSet() {
        Random random = new Random(1234);
        String alphabet = "aZ09._- /\\*?${}:\u0000\u001f\u00e9\u0301\uff0e\uff0f\u200b\u202e\u0430\u65e5.._";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder raw = new StringBuilder();
            int length = random.nextInt(i % 100 == 0 ? 600 : 30);
            for (int j = 0; j < length; j++) {
                raw.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String clean = FileNames.clean(raw.toString());

            assertThat(clean).matches("[A-Za-z0-9._-]{0,255}").doesNotStartWith(".").doesNotStartWith("-")
                    .doesNotEndWith(".").doesNotContain("..");
            assertThat(FileNames.clean(clean)).as("clean(clean(%s))", raw).isEqualTo(clean);
            assertThat(FileNames.isClean(clean)).isEqualTo(!clean.isEmpty());
        }
    }

    @Test
    void recognisesOnlyAlreadyCleanNames() {
        assertThat(FileNames.isClean("video.mp4")).isTrue();
        assertThat(FileNames.isClean("")).isFalse();
        assertThat(FileNames.isClean("my video.mp4")).isFalse();
        assertThat(FileNames.isClean(".hidden")).isFalse();
        assertThat(FileNames.isClean("a/b")).isFalse();
        assertThat(FileNames.isClean("x".repeat(256))).isFalse();
    }
}
