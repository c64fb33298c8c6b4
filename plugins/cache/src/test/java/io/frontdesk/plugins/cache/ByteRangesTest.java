package io.frontdesk.plugins.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.plugins.cache.ByteRanges.Range;
import org.junit.jupiter.api.Test;

class ByteRangesTest {

  @Test
  void readsTheThreeFormsOfByteRangeSpec() {
    assertThat(ByteRanges.parse("bytes=0-1", 11)).containsExactly(new Range(0, 1));
    assertThat(ByteRanges.parse("bytes=1-", 11)).containsExactly(new Range(1, 10));
    assertThat(ByteRanges.parse("bytes=-1", 11)).containsExactly(new Range(10, 10));
    assertThat(ByteRanges.parse("bytes=-100", 11)).containsExactly(new Range(0, 10));
    assertThat(ByteRanges.parse("bytes=5-100", 11)).containsExactly(new Range(5, 10));
    assertThat(ByteRanges.parse("BYTES= 0-0 , 2-3", 11)).containsExactly(new Range(0, 0), new Range(2, 3));
  }

  @Test
  void unsatisfiableRangesAreDroppedAndNoneLeftMeans416() {
    assertThat(ByteRanges.parse("bytes=20-30", 11)).isEmpty();
    assertThat(ByteRanges.parse("bytes=20-30, 0-0", 11)).containsExactly(new Range(0, 0));
    assertThat(ByteRanges.parse("bytes=-0", 11)).isEmpty();
    assertThat(ByteRanges.parse("bytes=0-", 0)).isEmpty();
  }

  @Test
  void whatIsNoValidByteRangeSetIsIgnored() {
    assertThat(ByteRanges.parse("items=0-1", 11)).isNull();
    assertThat(ByteRanges.parse("bytes=", 11)).isNull();
    assertThat(ByteRanges.parse("bytes=5-1", 11)).isNull();
    assertThat(ByteRanges.parse("bytes=a-b", 11)).isNull();
    assertThat(ByteRanges.parse("bytes=1", 11)).isNull();
    assertThat(ByteRanges.parse("bytes=0-5, 3-8", 11)).isNull(); // overlapping
    assertThat(ByteRanges.parse("bytes=" + "0-0,".repeat(17), 100)).isNull();
  }
}
