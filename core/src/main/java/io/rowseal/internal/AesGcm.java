package io.rowseal.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a 12-byte nonce and a 16-byte tag, on per-thread reused {@link Cipher} objects.
 *
 * <p>Why per thread: {@code Cipher.getInstance} costs a provider lookup and several allocations, about
 * as much as sealing a short value, and {@code Cipher} is not thread-safe. One encrypting and one
 * decrypting instance per thread are re-initialised for every call, which is cheap.
 *
 * <p>Why one pair per {@link Role}: the JDK's AES keeps the expanded key schedule of the last key an
 * instance was initialised with and expands again only when the key changes, which on JDK 17 costs
 * about as much as sealing a short value. A row uses two keys, the master key (or KEK) that wraps its
 * data key and the data key itself; on one shared pair they alternate and force a second expansion per
 * row. With a pair for key wrapping and a pair for data, the wrapping key's schedule stays cached and only
 * the row's new data key is expanded: {@code RowCodecBenchmark} measured about 1 µs less per sealed or
 * opened row of three values (of about 4 µs). Each instance holds the schedule of the last key it used.
 *
 * <p>The JDK refuses to encrypt twice in a row with the same key and nonce on one instance. With random
 * nonces that happens only when a caller passes a fixed nonce (known-answer vectors), so that case falls
 * back to a fresh instance.
 *
 * <p>Which implementation runs ({@link GcmProvider}: the JDK's or ACCP) is the calling thread's current
 * provider, the JDK's unless a caller switched it with {@link #use(GcmProvider)} for the duration of an
 * operation. {@link io.rowseal.RowSeal} and {@link io.rowseal.RowKey} do so around every wrap, unwrap, seal
 * and open with their engine's provider, so master keys, KEKs and the value format need no provider
 * parameter and two engines with different providers can share a thread. Each thread keeps a cipher pair
 * per role per provider.
 */
public final class AesGcm {
  public static final int NONCE_LENGTH = 12;
  public static final int TAG_LENGTH = 16;
  public static final int KEY_LENGTH = 32;
  private static final int TAG_BITS = TAG_LENGTH * 8;

  /** Which pair of per-thread ciphers a call uses: one pair per kind of key, so keys do not alternate on one pair. */
  public enum Role {
    /** Row data keys: a different key on nearly every row. */
    DATA,
    /** Master keys and KEKs wrapping data keys: the same few keys row after row. */
    KEY_WRAPPING
  }

  private static final ThreadLocal<Worker> PER_THREAD = ThreadLocal.withInitial(Worker::new);

  /**
   * One thread's ciphers ([provider slot * 4 + role * 2 + (0 encrypt | 1 decrypt)]), its current provider and its
   * plaintext buffer ({@link PlaintextBuffer}). A row's hot path takes it once ({@link #worker()}) and passes it
   * on, because a {@link ThreadLocal} lookup per value, several per value before, was the largest item of
   * RowSeal's own CPU on the JDBC scan path (benchmarks/README.md). Only its own thread may use it: a holder
   * that may run on other threads checks {@link #isCurrent()} and otherwise takes that thread's.
   */
  public static final class Worker {
    private final Thread owner = Thread.currentThread();
    private GcmProvider provider = GcmProvider.jdk();
    private final Cipher[] ciphers = new Cipher[8];
    private final byte[] plaintext = new byte[PlaintextBuffer.SIZE];
    private final char[] chars = new char[PlaintextBuffer.SIZE];
    private Randomness random;

    private Worker() {}

    /** This thread's random source (made on first use: a thread that only reads never seeds one). */
    public Randomness random() {
      Randomness r = random;
      if (r == null) {
        r = Randomness.forThisThread();
        random = r;
      }
      return r;
    }

    /** The provider this thread uses now ({@link #use(GcmProvider)}). */
    public GcmProvider provider() {
      return provider;
    }

    /** Whether this is the calling thread's worker. */
    public boolean isCurrent() {
      return owner == Thread.currentThread();
    }

    /** As {@link AesGcm#use(GcmProvider)}, on this worker (which must be the calling thread's). */
    public GcmProvider use(GcmProvider p) {
      GcmProvider previous = provider;
      provider = p;
      return previous;
    }

    /** This thread's reused plaintext buffer ({@link PlaintextBuffer#SIZE} bytes). */
    byte[] plaintextBuffer() {
      return plaintext;
    }

    /** The reused buffer if it has room for {@code length} bytes, otherwise a new array of that length. */
    public byte[] plaintextBuffer(int length) {
      return length <= PlaintextBuffer.SIZE ? plaintext : new byte[length];
    }

    /** Scratch space for a string's characters while it is encoded; its users zero what they wrote. */
    public char[] charBuffer() {
      return chars;
    }

    private Cipher cipher(GcmProvider p, Role role, int mode) {
      int i = p.slot << 2 | role.ordinal() << 1 | (mode == Cipher.ENCRYPT_MODE ? 0 : 1);
      Cipher c = ciphers[i];
      if (c == null) {
        c = p.newCipher();
        ciphers[i] = c;
      }
      return c;
    }

    /** As {@link AesGcm#seal(Role, SecretKey, byte[], int, byte[], byte[], byte[], int, int, byte[], int)}, on {@code p}. */
    public int seal(GcmProvider p, Role role, SecretKey key, byte[] nonce, int nonceOff, byte[] aad1, byte[] aad2,
        byte[] plaintext, int ptOff, int ptLen, byte[] out, int outOff) {
      GCMParameterSpec spec = new GCMParameterSpec(TAG_BITS, nonce, nonceOff, NONCE_LENGTH);
      Cipher cipher = cipher(p, role, Cipher.ENCRYPT_MODE);
      try {
        try {
          cipher.init(Cipher.ENCRYPT_MODE, key, spec);
        } catch (InvalidAlgorithmParameterException sameKeyAndNonce) {
          cipher = p.newCipher();
          cipher.init(Cipher.ENCRYPT_MODE, key, spec);
        }
        cipher.updateAAD(aad1);
        cipher.updateAAD(aad2);
        return cipher.doFinal(plaintext, ptOff, ptLen, out, outOff);
      } catch (GeneralSecurityException e) {
        // Only a broken JCE gets here: key length and buffer sizes are fixed by the callers.
        throw new IllegalStateException("AES-GCM encryption failed in the JCE provider", e);
      }
    }

    /** As {@link AesGcm#open(Role, SecretKey, byte[], int, byte[], byte[], byte[], int, int)}, on {@code p}. */
    public byte[] open(GcmProvider p, Role role, SecretKey key, byte[] nonce, int nonceOff, byte[] aad1, byte[] aad2,
        byte[] in, int off, int len) throws AEADBadTagException {
      Cipher cipher = initOpen(p, role, key, nonce, nonceOff, aad1, aad2, len);
      try {
        return cipher.doFinal(in, off, len);
      } catch (AEADBadTagException e) {
        throw e;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM decryption failed in the JCE provider", e);
      }
    }

    /**
     * As {@link AesGcm#open(Role, SecretKey, byte[], int, byte[], byte[], byte[], int, int, byte[], int)}, on
     * {@code p}.
     */
    public int open(GcmProvider p, Role role, SecretKey key, byte[] nonce, int nonceOff, byte[] aad1, byte[] aad2,
        byte[] in, int off, int len, byte[] out, int outOff) throws AEADBadTagException {
      Cipher cipher = initOpen(p, role, key, nonce, nonceOff, aad1, aad2, len);
      try {
        return cipher.doFinal(in, off, len, out, outOff);
      } catch (AEADBadTagException e) {
        throw e;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM decryption failed in the JCE provider", e);
      }
    }

    private Cipher initOpen(GcmProvider p, Role role, SecretKey key, byte[] nonce, int nonceOff, byte[] aad1,
        byte[] aad2, int len) throws AEADBadTagException {
      if (len < TAG_LENGTH) {
        throw new AEADBadTagException("input shorter than the tag");
      }
      Cipher cipher = cipher(p, role, Cipher.DECRYPT_MODE);
      try {
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce, nonceOff, NONCE_LENGTH));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM decryption failed in the JCE provider", e);
      }
      cipher.updateAAD(aad1);
      cipher.updateAAD(aad2);
      return cipher;
    }
  }

  private AesGcm() {}

  /** The calling thread's worker. */
  public static Worker worker() {
    return PER_THREAD.get();
  }

  /**
   * Makes {@code provider} this thread's current one and returns the previous, which the caller restores
   * in a {@code finally} block: {@code GcmProvider previous = AesGcm.use(mine); try {...} finally
   * {AesGcm.use(previous);}}.
   */
  public static GcmProvider use(GcmProvider provider) {
    return PER_THREAD.get().use(provider);
  }

  /** The JCA provider of this thread's current decrypting cipher for {@code role} (for tests). */
  static java.security.Provider currentCipherProvider(Role role) {
    Worker w = PER_THREAD.get();
    return w.cipher(w.provider, role, Cipher.DECRYPT_MODE).getProvider();
  }

  /**
   * Encrypts {@code plaintext[ptOff, ptOff+ptLen)} and writes ciphertext and tag to {@code out} at
   * {@code outOff}; the nonce is read from {@code nonce[nonceOff, nonceOff+12)} (it may lie in {@code out}).
   * The AAD is {@code aad1 ‖ aad2}.
   *
   * @return the number of bytes written ({@code ptLen + 16})
   */
  public static int seal(SecretKey key, byte[] nonce, int nonceOff, byte[] aad1, byte[] aad2,
      byte[] plaintext, int ptOff, int ptLen, byte[] out, int outOff) {
    return seal(Role.DATA, key, nonce, nonceOff, aad1, aad2, plaintext, ptOff, ptLen, out, outOff);
  }

  /** As {@link #seal(SecretKey, byte[], int, byte[], byte[], byte[], int, int, byte[], int)}, on {@code role}'s cipher. */
  public static int seal(Role role, SecretKey key, byte[] nonce, int nonceOff, byte[] aad1, byte[] aad2,
      byte[] plaintext, int ptOff, int ptLen, byte[] out, int outOff) {
    Worker w = PER_THREAD.get();
    return w.seal(w.provider, role, key, nonce, nonceOff, aad1, aad2, plaintext, ptOff, ptLen, out, outOff);
  }

  /**
   * Decrypts and authenticates {@code in[off, off+len)} (ciphertext then tag) under the given nonce and
   * AAD {@code aad1 ‖ aad2}.
   *
   * @return the plaintext, a new array the caller owns
   * @throws AEADBadTagException when authentication fails (also for input shorter than a tag)
   */
  public static byte[] open(SecretKey key, byte[] nonce, int nonceOff, byte[] aad1, byte[] aad2,
      byte[] in, int off, int len) throws AEADBadTagException {
    return open(Role.DATA, key, nonce, nonceOff, aad1, aad2, in, off, len);
  }

  /** As {@link #open(SecretKey, byte[], int, byte[], byte[], byte[], int, int)}, on {@code role}'s cipher. */
  public static byte[] open(Role role, SecretKey key, byte[] nonce, int nonceOff, byte[] aad1, byte[] aad2,
      byte[] in, int off, int len) throws AEADBadTagException {
    Worker w = PER_THREAD.get();
    return w.open(w.provider, role, key, nonce, nonceOff, aad1, aad2, in, off, len);
  }

  /**
   * As {@link #open(Role, SecretKey, byte[], int, byte[], byte[], byte[], int, int)}, writing the plaintext
   * to {@code out} at {@code outOff} (which must have room for {@code len - 16} bytes) instead of a new
   * array, for a caller that reuses one buffer and zeroes it after.
   *
   * @return the plaintext's length
   */
  public static int open(Role role, SecretKey key, byte[] nonce, int nonceOff, byte[] aad1, byte[] aad2,
      byte[] in, int off, int len, byte[] out, int outOff) throws AEADBadTagException {
    Worker w = PER_THREAD.get();
    return w.open(w.provider, role, key, nonce, nonceOff, aad1, aad2, in, off, len, out, outOff);
  }
}
