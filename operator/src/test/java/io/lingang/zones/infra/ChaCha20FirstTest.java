package io.lingang.zones.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS handshake the operator's client makes: whatever suites the HTTP client enables (Netty's
 * defaults list AES-GCM only), a server that follows the client's preference, as Go's does,
 * chooses ChaCha20-Poly1305; and the data still goes through.
 */
class ChaCha20FirstTest {
  /** What Netty 4.1 enables on a JDK engine for TLS 1.3: AES-GCM only. */
  private static final String[] NETTY_DEFAULTS = {"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"};

  @TempDir
  static Path dir;
  private static SSLContext server;

  @BeforeAll
  static void serverWithAKeyOfItsOwn() throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
        "-validity", "1", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "secret", "-keypass", "secret")
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor()).as(output).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, "secret".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "secret".toCharArray());
    server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
  }

  @Test
  void aServerThatFollowsTheClientChoosesChaCha20() throws Exception {
    assertThat(handshake(ChaCha20First.wrap(client()))).isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
  }

  @Test
  void withoutItTheSameClientGetsAesGcm() throws Exception {
    assertThat(handshake(client())).startsWith("TLS_AES_");
  }

  @Test
  void suitesSetThroughParametersAreReorderedToo() throws Exception {
    SSLEngine engine = ChaCha20First.wrap(client()).createSSLEngine("localhost", 443);
    SSLParameters params = engine.getSSLParameters();
    params.setCipherSuites(NETTY_DEFAULTS);
    engine.setSSLParameters(params);

    assertThat(engine.getEnabledCipherSuites()).startsWith("TLS_CHACHA20_POLY1305_SHA256")
        .contains(NETTY_DEFAULTS);
  }

  @Test
  void onlySupportedChaCha20SuitesAreAddedInFrontAndTheRestKeepsItsOrder() {
    String[] ordered = ChaCha20First.preferred(new String[] {"B", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "A"},
        Set.of("TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "A", "B"));

    assertThat(ordered).containsExactly("TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "B", "A");
  }

  /** An in-memory TLS 1.3 handshake, then a message each way; the suite the two agreed on. */
  private static String handshake(SSLContext clientContext) throws Exception {
    SSLEngine c = clientContext.createSSLEngine("localhost", 443);
    c.setUseClientMode(true);
    c.setEnabledCipherSuites(NETTY_DEFAULTS);
    SSLEngine s = server.createSSLEngine();
    s.setUseClientMode(false);
    SSLParameters serverParams = s.getSSLParameters();
    serverParams.setUseCipherSuitesOrder(false);
    s.setSSLParameters(serverParams);

    int size = Math.max(c.getSession().getPacketBufferSize(), s.getSession().getPacketBufferSize());
    ByteBuffer toServer = ByteBuffer.allocate(size * 4);
    ByteBuffer toClient = ByteBuffer.allocate(size * 4);
    ByteBuffer clientIn = ByteBuffer.allocate(size * 4);
    ByteBuffer serverIn = ByteBuffer.allocate(size * 4);
    ByteBuffer clientOut = ByteBuffer.wrap("GET /readyz".getBytes());
    ByteBuffer serverOut = ByteBuffer.wrap("ok".getBytes());
    c.beginHandshake();
    s.beginHandshake();
    for (int round = 0; round < 100 && (clientIn.position() < 2 || serverIn.position() < 11); round++) {
      c.wrap(clientOut, toServer);
      s.wrap(serverOut, toClient);
      runTasks(c);
      runTasks(s);
      toServer.flip();
      toClient.flip();
      c.unwrap(toClient, clientIn);
      s.unwrap(toServer, serverIn);
      toServer.compact();
      toClient.compact();
      runTasks(c);
      runTasks(s);
    }
    assertThat(new String(serverIn.array(), 0, serverIn.position())).isEqualTo("GET /readyz");
    assertThat(new String(clientIn.array(), 0, clientIn.position())).isEqualTo("ok");
    assertThat(c.getSession().getProtocol()).isEqualTo("TLSv1.3");
    return c.getSession().getCipherSuite();
  }

  private static void runTasks(SSLEngine engine) {
    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
      for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
        task.run();
      }
    }
  }

  /** A client that trusts the test's own server (the handshake, not the certificate, is under test). */
  private static SSLContext client() throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    return context;
  }
}
