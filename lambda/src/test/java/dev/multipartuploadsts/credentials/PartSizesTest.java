package dev.multipartuploadsts.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PartSizesTest {

    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024 * MIB;
    private static final long TIB = 1024 * GIB;

    @Test
    void smallFilesUseEightMebibyteParts() {
        assertThat(PartSizes.forSize(0)).isEqualTo(8 * MIB);
        assertThat(PartSizes.forSize(1)).isEqualTo(8 * MIB);
        assertThat(PartSizes.forSize(8 * MIB)).isEqualTo(8 * MIB);
        assertThat(PartSizes.forSize(10_000 * 8 * MIB)).isEqualTo(8 * MIB);
    }

    @Test
    void oneByteOverTenThousandEightMebibytePartsMovesToNineMebibytes() {
        assertThat(PartSizes.forSize(10_000 * 8 * MIB + 1)).isEqualTo(9 * MIB);
    }

    @Test
    void fiveTebibytesFitInTenThousandPartsOf525Mebibytes() {
        assertThat(PartSizes.forSize(5 * TIB)).isEqualTo(525 * MIB);
    }

    @Test
    void theLargestPossibleObjectUsesFiveGibibyteParts() {
        assertThat(PartSizes.forSize(10_000 * 5 * GIB)).isEqualTo(5 * GIB);
    }

    @Test
    void everySizeGetsAtMostTenThousandWholeMebibytePartsWithinS3Limits() {
        Random random = new Random(99);
        for (int i = 0; i < 100_000; i++) {
            long size = 1 + (long) (random.nextDouble() * 5 * TIB);
            long part = PartSizes.forSize(size);

            assertThat(part % MIB).isZero();
            assertThat(part).isBetween(5 * MIB, 5 * GIB);
            assertThat((size + part - 1) / part).isLessThanOrEqualTo(10_000);
        }
    }

    @Test
    void rejectsSizesOutsideWhatS3CanHold() {
        assertThatThrownBy(() -> PartSizes.forSize(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartSizes.forSize(10_000 * 5 * GIB + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
