package io.rowseal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowseal.EncryptedTable;
import io.rowseal.errors.InvalidFormatException;
import io.rowseal.RowId;
import io.rowseal.RowKey;
import io.rowseal.RowSeal;
import io.rowseal.errors.TypeMismatchException;
import io.rowseal.internal.Hex;
import io.rowseal.internal.Randomness;
import io.rowseal.key.AesGcmMasterKey;
import io.rowseal.key.KeyRef;
import io.rowseal.key.KeyRing;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encoded plaintext: one tag byte and a body per supported type. Every value survives a round trip
 * exactly; reading under another type is a {@link TypeMismatchException}; malformed bodies and unknown
 * tags are {@link InvalidFormatException}s.
 */
class PlaintextCodecTest {
  enum CardBrand { VISA, MASTERCARD }

  enum Planet { VISA, MARS }

  enum Operation {
    PLUS { @Override int apply(int a, int b) { return a + b; } },
    MINUS { @Override int apply(int a, int b) { return a - b; } };

    abstract int apply(int a, int b);
  }

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of("string ascii", "4111111111111111"),
        Arguments.of("string empty", ""),
        Arguments.of("string emoji and accents", "Zoë 🔒 日本 \uD83D\uDE00"),
        Arguments.of("string NUL", "a\u0000b"),
        Arguments.of("boolean true", true),
        Arguments.of("boolean false", false),
        Arguments.of("int min", Integer.MIN_VALUE),
        Arguments.of("int max", Integer.MAX_VALUE),
        Arguments.of("int zero", 0),
        Arguments.of("long min", Long.MIN_VALUE),
        Arguments.of("long max", Long.MAX_VALUE),
        Arguments.of("long -1", -1L),
        Arguments.of("double min normal", Double.MIN_NORMAL),
        Arguments.of("double min subnormal", Double.MIN_VALUE),
        Arguments.of("double +inf", Double.POSITIVE_INFINITY),
        Arguments.of("double -inf", Double.NEGATIVE_INFINITY),
        Arguments.of("decimal 1.10", new BigDecimal("1.10")),
        Arguments.of("decimal negative scale", new BigDecimal("1E+3")),
        Arguments.of("decimal negative huge", new BigDecimal("-123456789012345678901234567890.000000001")),
        Arguments.of("decimal zero scale 5", new BigDecimal("0.00000")),
        Arguments.of("biginteger zero", BigInteger.ZERO),
        Arguments.of("biginteger -1", BigInteger.ONE.negate()),
        Arguments.of("biginteger 128", BigInteger.valueOf(128)),
        Arguments.of("biginteger -129", BigInteger.valueOf(-129)),
        Arguments.of("biginteger huge negative", BigInteger.TWO.pow(521).negate().add(BigInteger.ONE)),
        Arguments.of("date min", LocalDate.MIN),
        Arguments.of("date max", LocalDate.MAX),
        Arguments.of("date before epoch", LocalDate.of(1969, 12, 31)),
        Arguments.of("time with nanos", LocalTime.of(23, 59, 59, 999_999_999)),
        Arguments.of("time midnight", LocalTime.MIDNIGHT),
        Arguments.of("date-time with nanos", LocalDateTime.of(2026, 2, 28, 13, 45, 7, 123_456_789)),
        Arguments.of("date-time min", LocalDateTime.MIN),
        Arguments.of("instant with nanos", Instant.ofEpochSecond(1_790_000_000L, 987_654_321)),
        Arguments.of("instant before epoch", Instant.parse("1969-12-31T23:59:59.000000001Z")),
        Arguments.of("instant min", Instant.MIN),
        Arguments.of("instant max", Instant.MAX),
        Arguments.of("offset date-time +05:30",
            OffsetDateTime.of(2026, 11, 23, 9, 30, 0, 1, ZoneOffset.ofHoursMinutes(5, 30))),
        Arguments.of("offset date-time -18:00", OffsetDateTime.of(LocalDateTime.MIN, ZoneOffset.MIN)),
        Arguments.of("uuid", UUID.fromString("123e4567-e89b-42d3-a456-426614174000")),
        Arguments.of("uuid nil", new UUID(0, 0)),
        Arguments.of("enum", CardBrand.MASTERCARD),
        Arguments.of("enum with constant body", Operation.MINUS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void decode_encodedValueAsItsType_returnsEqualValue(String name, Object value) {
    Class<?> type = value instanceof Enum ? ((Enum<?>) value).getDeclaringClass() : value.getClass();

    Object decoded = PlaintextCodec.decode(PlaintextCodec.encode(value), type);

    assertThat(decoded).isEqualTo(value);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void decrypt_sealedValueThroughRowKey_returnsEqualValue(String name, Object value) {
    Class<?> type = value instanceof Enum ? ((Enum<?>) value).getDeclaringClass() : value.getClass();
    EncryptedTable table = EncryptedTable.builder("t").idColumns("id").column("v", type).build();
    RowSeal rowSeal = RowSeal.builder()
        .keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32))))
        .table(table)
        .build();

    try (RowKey key = rowSeal.newRowKey(table, RowId.of(1))) {
      assertThat(key.decrypt(table.column("v"), key.encrypt(table.column("v"), value))).isEqualTo(value);
    }
  }

  @Test
  void decode_bytes_returnsSameBytes() {
    byte[] nonEmpty = {0x00, (byte) 0xff, 0x10};

    assertThat(PlaintextCodec.decode(PlaintextCodec.encode(nonEmpty), byte[].class)).isEqualTo(nonEmpty);
    assertThat(Hex.encode(PlaintextCodec.encode(nonEmpty))).isEqualTo("0200ff10");
  }

  @Test
  void decode_emptyBytes_returnsEmptyBytes() {
    assertThat(Hex.encode(PlaintextCodec.encode(new byte[0]))).isEqualTo("02");
    assertThat(PlaintextCodec.decode(PlaintextCodec.encode(new byte[0]), byte[].class)).isEmpty();
  }

  @Test
  void encode_bytes_doesNotAliasCallerArray() {
    byte[] value = {1, 2, 3};
    byte[] encoded = PlaintextCodec.encode(value);
    value[0] = 9;

    assertThat(PlaintextCodec.decode(encoded, byte[].class)).containsExactly(1, 2, 3);
  }

  @Test
  void decode_negativeZero_keepsSignBit() {
    double decoded = PlaintextCodec.decode(PlaintextCodec.encode(-0.0d), Double.class);

    assertThat(Double.doubleToRawLongBits(decoded)).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void decode_nanWithPayload_keepsExactBits() {
    long bits = 0x7ff8_0000_dead_beefL;
    double nan = Double.longBitsToDouble(bits);

    double decoded = PlaintextCodec.decode(PlaintextCodec.encode(nan), double.class);

    assertThat(Double.doubleToRawLongBits(decoded)).isEqualTo(bits);
  }

  @Test
  void encode_decimalsEqualInValueButNotScale_differ() {
    byte[] a = PlaintextCodec.encode(new BigDecimal("1.10"));
    byte[] b = PlaintextCodec.encode(new BigDecimal("1.1"));

    assertThat(a).isNotEqualTo(b);
    assertThat(PlaintextCodec.decode(a, BigDecimal.class).scale()).isEqualTo(2);
    assertThat(PlaintextCodec.decode(b, BigDecimal.class).scale()).isEqualTo(1);
  }

  @Test
  void decode_offsetDateTime_keepsOffsetNotOnlyInstant() {
    OffsetDateTime india = OffsetDateTime.of(2026, 11, 23, 9, 30, 0, 0, ZoneOffset.ofHoursMinutes(5, 30));
    OffsetDateTime utc = india.withOffsetSameInstant(ZoneOffset.UTC);

    OffsetDateTime decoded = PlaintextCodec.decode(PlaintextCodec.encode(india), OffsetDateTime.class);

    assertThat(decoded.getOffset()).isEqualTo(ZoneOffset.ofHoursMinutes(5, 30));
    assertThat(PlaintextCodec.encode(india)).isNotEqualTo(PlaintextCodec.encode(utc));
  }

  @Test
  void decode_primitiveClass_returnsBoxedValue() {
    assertThat(PlaintextCodec.decode(PlaintextCodec.encode(42L), long.class)).isEqualTo(42L);
    assertThat(PlaintextCodec.decode(PlaintextCodec.encode(7), int.class)).isEqualTo(7);
    assertThat(PlaintextCodec.decode(PlaintextCodec.encode(true), boolean.class)).isTrue();
  }

  @Test
  void decode_enumAsObject_returnsItsName() {
    assertThat(PlaintextCodec.decode(PlaintextCodec.encode(CardBrand.VISA))).isEqualTo("VISA");
  }

  @Test
  void decode_longAsString_throwsTypeMismatchNamingBothTypesNotValue() {
    byte[] encoded = PlaintextCodec.encode(4111111111111111L);

    assertThatThrownBy(() -> PlaintextCodec.decode(encoded, String.class))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessageContainingAll("long", "String")
        .hasMessageNotContaining("4111111111111111");
  }

  @Test
  void decode_intAsLong_throwsTypeMismatchRatherThanWidening() {
    byte[] encoded = PlaintextCodec.encode(12345);

    assertThatThrownBy(() -> PlaintextCodec.decode(encoded, Long.class))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessageContainingAll("int", "Long")
        .hasMessageNotContaining("12345");
  }

  @Test
  void decode_stringAsBytes_throwsTypeMismatch() {
    byte[] encoded = PlaintextCodec.encode("secret-text");

    assertThatThrownBy(() -> PlaintextCodec.decode(encoded, byte[].class))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessageContaining("string")
        .hasMessageNotContaining("secret-text");
  }

  @Test
  void decode_stringAsEnum_throwsTypeMismatch() {
    byte[] encoded = PlaintextCodec.encode("VISA");

    assertThatThrownBy(() -> PlaintextCodec.decode(encoded, CardBrand.class))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessageContainingAll("string", CardBrand.class.getName());
  }

  @Test
  void decode_enumAsString_throwsTypeMismatch() {
    byte[] encoded = PlaintextCodec.encode(CardBrand.VISA);

    assertThatThrownBy(() -> PlaintextCodec.decode(encoded, String.class))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessageContainingAll("enum", "String");
  }

  @Test
  void decode_enumNameMissingFromRequestedEnum_throwsTypeMismatchWithoutName() {
    byte[] encoded = PlaintextCodec.encode(CardBrand.MASTERCARD);

    assertThatThrownBy(() -> PlaintextCodec.decode(encoded, Planet.class))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessageContaining(Planet.class.getName())
        .hasMessageNotContaining("MASTERCARD");
  }

  @Test
  void decode_uuidAsString_throwsTypeMismatch() {
    byte[] encoded = PlaintextCodec.encode(UUID.fromString("123e4567-e89b-42d3-a456-426614174000"));

    assertThatThrownBy(() -> PlaintextCodec.decode(encoded, String.class))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessageNotContaining("123e4567");
  }

  @Test
  void encrypt_stringWithUnpairedHighSurrogate_throwsIllegalArgumentWithoutTheString() {
    assertUnpairedSurrogateRejected("secret-a\uD800b-tail");
  }

  @Test
  void encrypt_stringWithUnpairedLowSurrogate_throwsIllegalArgumentWithoutTheString() {
    assertUnpairedSurrogateRejected("secret-a\uDC00b-tail");
  }

  @Test
  void encrypt_stringEndingInHighSurrogate_throwsIllegalArgumentWithoutTheString() {
    assertUnpairedSurrogateRejected("secret-ab-tail\uD83D");
  }

  private static void assertUnpairedSurrogateRejected(String value) {
    EncryptedTable table = EncryptedTable.builder("cards").idColumns("id").column("holder", String.class).build();
    RowSeal rowSeal = RowSeal.builder()
        .keyRing(KeyRing.of(AesGcmMasterKey.of(KeyRef.of("local:k1"), Randomness.nextBytes(32))))
        .table(table)
        .build();
    try (RowKey key = rowSeal.newRowKey(table, RowId.of(42))) {
      assertThatThrownBy(() -> key.encryptBinary(table.column("holder"), value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContainingAll("cards", "holder", "surrogate")
          .hasMessageNotContaining("secret")
          .hasMessageNotContaining("tail");
    }
  }

  @Test
  void encode_unsupportedType_throwsIllegalArgument() {
    assertThatThrownBy(() -> PlaintextCodec.encode(1.5f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Float");
  }

  @Test
  void decode_empty_throwsInvalidFormat() {
    assertThatThrownBy(() -> PlaintextCodec.decode(new byte[0], String.class))
        .isInstanceOf(InvalidFormatException.class);
  }

  @Test
  void decode_undefinedTags_throwInvalidFormat() {
    List<String> failures = new ArrayList<>();
    for (int tag : new int[] {0x00, 0x10, 0x11, 0x7f, 0x80, 0xff}) {
      try {
        PlaintextCodec.decode(new byte[] {(byte) tag, 0, 0, 0, 0, 0, 0, 0, 0}, Object.class);
        failures.add(String.format("tag 0x%02x accepted", tag));
      } catch (InvalidFormatException expected) {
        if (!expected.getMessage().contains(String.format("0x%02x", tag))) {
          failures.add(String.format("tag 0x%02x: message does not name the tag: %s", tag, expected.getMessage()));
        }
      } catch (RuntimeException e) {
        failures.add(String.format("tag 0x%02x: %s", tag, e));
      }
    }
    assertThat(failures).isEmpty();
  }

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        Arguments.of("boolean empty", "03"),
        Arguments.of("boolean 0x02", "0302"),
        Arguments.of("boolean trailing byte", "030100"),
        Arguments.of("int short", "04000000"),
        Arguments.of("int trailing byte", "040000000000"),
        Arguments.of("long short", "0500000000000000"),
        Arguments.of("long trailing byte", "05000000000000002a00"),
        Arguments.of("double short", "06000000000000"),
        Arguments.of("double trailing byte", "06000000000000000000"),
        Arguments.of("decimal scale only", "0700000002"),
        Arguments.of("decimal short scale", "07000002"),
        Arguments.of("decimal non-minimal unscaled", "07000000020001"),
        Arguments.of("biginteger empty", "08"),
        Arguments.of("biginteger leading 00", "080001"),
        Arguments.of("biginteger leading ff", "08ffff"),
        Arguments.of("date short", "0900000000000000"),
        Arguments.of("date out of range", "097fffffffffffffff"),
        Arguments.of("time trailing byte", "0a000000000000000000"),
        Arguments.of("time out of range", "0a00004e94914f0000"),
        Arguments.of("time negative", "0affffffffffffffff"),
        Arguments.of("date-time short", "0b" + "00".repeat(15)),
        Arguments.of("date-time trailing byte", "0b" + "00".repeat(17)),
        Arguments.of("instant short", "0c0000000000000000000000"),
        Arguments.of("instant nanos 1e9", "0c00000000000000003b9aca00"),
        Arguments.of("instant nanos negative", "0c0000000000000000ffffffff"),
        Arguments.of("instant seconds out of range", "0c7fffffffffffffff00000000"),
        Arguments.of("offset date-time short", "0d" + "00".repeat(19)),
        Arguments.of("offset out of range", "0d" + "00".repeat(16) + "0000fd21"),
        Arguments.of("uuid short", "0e" + "00".repeat(15)),
        Arguments.of("uuid trailing byte", "0e" + "00".repeat(17)),
        Arguments.of("string bad utf-8", "01c328"),
        Arguments.of("string overlong utf-8", "01c0af"),
        Arguments.of("string encoded surrogate", "01eda080"),
        Arguments.of("string truncated sequence", "0141e282"),
        Arguments.of("string bad utf-8 beside a real U+FFFD", "01efbfbdc328"),
        Arguments.of("enum bad utf-8", "0fff"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  void decode_malformedBody_throwsInvalidFormat(String name, String hex) {
    byte[] encoded = Hex.decode(hex);

    assertThatThrownBy(() -> PlaintextCodec.decode(encoded, Object.class))
        .isInstanceOf(InvalidFormatException.class);
  }

  // Utf8.decode takes the JDK's lenient decoding when it holds no U+FFFD: a U+FFFD that was really stored
  // must still come back, through the strict path.
  @Test
  void decode_stringHoldingReplacementCharacter_roundTrips() {
    for (String s : List.of("\uFFFD", "a\uFFFDb", "caf\u00e9 \uFFFD", "\uD83D\uDE00\uFFFD")) {
      assertThat(PlaintextCodec.decode(PlaintextCodec.encode(s), String.class)).isEqualTo(s);
    }
  }

  /**
   * The bulk string path (characters copied into the caller's scratch array, then narrowed) against the reference
   * encoding, for ASCII, Latin-1, BMP, surrogate pairs and unpaired surrogates, short and long; the scratch array
   * holds no character afterwards.
   */
  @Test
  void encodeInto_withScratch_matchesEncodeAndLeavesScratchZeroed() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(25);
    char[] scratch = new char[64];
    byte[] dst = new byte[128];
    for (int i = 0; i < 50_000; i++) {
      int n = random.nextInt(0, i % 7 == 0 ? 120 : 40); // beyond the scratch and the buffer, too
      StringBuilder b = new StringBuilder();
      int mode = random.nextInt(5);
      for (int k = 0; k < n; k++) {
        b.append((char) (mode == 0 ? random.nextInt(0x20, 0x7f) : random.nextInt(0x20, 0x7f)));
      }
      if (mode >= 1 && n > 0) {
        char c = switch (mode) {
          case 1 -> (char) random.nextInt(0x80, 0x100);
          case 2 -> (char) random.nextInt(0x100, 0xd800);
          case 3 -> '\ud83d'; // an unpaired high surrogate, unless a low one follows
          default -> (char) (0x4100 | random.nextInt(0x80)); // its low byte is ASCII: not to be taken as ASCII
        };
        b.setCharAt(random.nextInt(n), c);
        if (mode == 3 && random.nextBoolean()) {
          b.append('\ude00');
        }
      }
      String s = b.toString();
      byte[] expected;
      try {
        expected = PlaintextCodec.encode(s);
      } catch (IllegalArgumentException unpaired) {
        assertThatThrownBy(() -> PlaintextCodec.encodeInto(ValueType.STRING, s, dst, scratch))
            .isInstanceOf(IllegalArgumentException.class);
        continue;
      }
      java.util.Arrays.fill(dst, (byte) 0x55);
      int length = PlaintextCodec.encodeInto(ValueType.STRING, s, dst, scratch);
      if (length < 0) {
        assertThat(-length).isEqualTo(expected.length);
      } else {
        assertThat(java.util.Arrays.copyOf(dst, length)).as("encoding of %s", s).isEqualTo(expected);
      }
      assertThat(new String(scratch)).isEqualTo(new String(new char[scratch.length]));
    }
  }
}
