package io.rowseal;

/** {@link RowKeyTamperTest}'s cases on the Amazon Corretto Crypto Provider's AES-GCM. */
class RowKeyTamperAccpTest extends RowKeyTamperTest {
  @Override
  CryptoProvider provider() {
    return CryptoProvider.ACCP;
  }
}
