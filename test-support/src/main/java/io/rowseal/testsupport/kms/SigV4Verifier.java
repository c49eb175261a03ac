package io.rowseal.testsupport.kms;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 {@code Authorization} header the way AWS does for a JSON-protocol
 * service: access key id, credential scope (date, region, service), clock skew, then the signature over
 * the canonical request recomputed from the received method, path, query, signed headers and body.
 */
final class SigV4Verifier {
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request\\s*,\\s*"
          + "SignedHeaders=([a-z0-9;.\\-_]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Duration MAX_SKEW = Duration.ofMinutes(5);
  private static final HexFormat HEX = HexFormat.of();

  private final String accessKeyId;
  private final byte[] secretKey;
  private final String region;
  private final String service;

  SigV4Verifier(String accessKeyId, String secretAccessKey, String region, String service) {
    this.accessKeyId = accessKeyId;
    this.secretKey = ("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8);
    this.region = region;
    this.service = service;
  }

  void verify(String method, String rawPath, String rawQuery, Headers headers, byte[] body) throws KmsError {
    String authorization = headers.getFirst("Authorization");
    if (authorization == null) {
      throw KmsError.client("MissingAuthenticationTokenException", "Request is missing Authentication Token");
    }
    Matcher m = AUTHORIZATION.matcher(authorization);
    if (!m.matches()) {
      throw KmsError.client("IncompleteSignatureException",
          "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' with AWS4-HMAC-SHA256");
    }
    if (!accessKeyId.equals(m.group(1))) {
      throw KmsError.client("UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    String date = m.group(2);
    if (!region.equals(m.group(3)) || !service.equals(m.group(4))) {
      throw KmsError.client("InvalidSignatureException",
          "Credential should be scoped to a valid region and service ('" + region + "', '" + service + "').");
    }
    String amzDate = headers.getFirst("X-Amz-Date");
    if (amzDate == null) {
      throw KmsError.client("IncompleteSignatureException", "X-Amz-Date header is missing");
    }
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw KmsError.client("IncompleteSignatureException", "X-Amz-Date is not yyyyMMdd'T'HHmmss'Z'");
    }
    if (!amzDate.startsWith(date)) {
      throw KmsError.client("InvalidSignatureException", "Credential date does not match X-Amz-Date.");
    }
    if (Duration.between(signedAt, Instant.now()).abs().compareTo(MAX_SKEW) > 0) {
      throw KmsError.client("InvalidSignatureException", "Signature expired: " + amzDate
          + " is more than 5 minutes away from the server's time.");
    }
    String signedHeaders = m.group(5);
    if (!List.of(signedHeaders.split(";")).contains("host")) {
      throw KmsError.client("InvalidSignatureException", "'Host' must be a signed header.");
    }
    String canonicalRequest = method + "\n"
        + (rawPath == null || rawPath.isEmpty() ? "/" : rawPath) + "\n"
        + canonicalQuery(rawQuery) + "\n"
        + canonicalHeaders(signedHeaders, headers) + "\n"
        + signedHeaders + "\n"
        + payloadHash(headers, body);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(secretKey, date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    byte[] expected = hmac(key, stringToSign);
    if (!MessageDigest.isEqual(expected, HEX.parseHex(m.group(6)))) {
      throw KmsError.client("InvalidSignatureException", "The request signature we calculated does not match the "
          + "signature you provided. Check your AWS Secret Access Key and signing method.");
    }
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String> pairs = new ArrayList<>();
    for (String p : rawQuery.split("&")) {
      pairs.add(p.contains("=") ? p : p + "=");
    }
    pairs.sort(null);
    return String.join("&", pairs);
  }

  private static String canonicalHeaders(String signedHeaders, Headers headers) throws KmsError {
    StringBuilder sb = new StringBuilder();
    for (String name : signedHeaders.split(";")) {
      List<String> values = headers.get(name);
      if (values == null) {
        throw KmsError.client("InvalidSignatureException", "Signed header '" + name + "' is missing.");
      }
      List<String> trimmed = new ArrayList<>();
      for (String v : values) {
        trimmed.add(v.trim().replaceAll(" +", " "));
      }
      sb.append(name.toLowerCase(Locale.ROOT)).append(':').append(String.join(",", trimmed)).append('\n');
    }
    return sb.toString();
  }

  private static String payloadHash(Headers headers, byte[] body) {
    String declared = headers.getFirst("X-Amz-Content-Sha256");
    if ("UNSIGNED-PAYLOAD".equals(declared)) {
      return declared;
    }
    return HEX.formatHex(sha256(body));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
